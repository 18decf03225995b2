"""The sound output: a clip's PCM from :class:`~workstation.media.audio.AudioStream` into a ``QAudioSink``.

Push mode: ``QAudioSink.start()`` gives a QIODevice; a 10 ms QTimer on the UI thread writes at most
``bytesFree()`` bytes of PCM that the decoding thread has already prepared, so each slice is a copy of
a few kilobytes (no decoding, no waiting on the UI thread). Volume and mute use the sink's own volume
(immediate, no re-decode); the 0..1 ``volume`` is perceptual and mapped to the sink's linear gain with
Qt's logarithmic volume scale.

No device: when Qt Multimedia is missing (it ships in PySide6-Addons, not in PySide6-Essentials) or
the machine has no audio output, ``available`` is False, every call is a no-op (volume and mute still
keep their values) and ``sig_state`` says ``"no audio device"``.

Timing and sync with the video (the video :class:`~workstation.media.playback.Playback` keeps its own
wall clock; this object keeps none):

* Every PCM chunk carries the media time of its first sample. Each write is recorded as a segment
  (frame offset → media time, media seconds per frame = rate / 48000; 0 for inserted silence), so
  :meth:`position_s` maps the sink's ``processedUSecs()`` (what it has played since ``start()``) back
  to media time, exactly, at any rate.
* Only :meth:`play` from a stop starts the device. A seek or a speed change while playing never
  restarts it (a restart costs the device's start-up latency every time; on this machine's test
  PulseAudio null sink that was 1.5–2 s): the decoder restarts at the media time the picture will
  have reached when the new sound is heard (requested time + what the device still holds × rate),
  and the ≤ 120 ms the device holds plays out first. So the new sound starts in sync.
* The controller starts audio at the same media time and rate as the video (:meth:`play`,
  :meth:`seek`, :meth:`set_rate`), then every ~500 ms calls :meth:`resync` with the video's media
  time. If ``|audio − video|`` exceeds 80 ms it is corrected without re-decoding from scratch: audio
  behind → that much audio is dropped; ahead → that much silence is inserted (``drift × 48000 /
  rate`` frames either way), taking effect behind what the device holds. Far apart (ahead by more
  than 1 s, or behind by more than 5 s: a seek the audio missed) → the decoder is re-aimed as for a
  seek. No correction is made before the device has played anything since it started, nor before
  the previous correction has been heard, so the loop cannot oscillate. Drift is thus bounded by
  80 ms plus what accrues in one check interval: the device's start-up latency (at 4× a 50 ms
  start-up is 200 ms of media, fixed by the first check after sound is heard) and the sound card's
  clock error (~0.01 %).
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Protocol

from PySide6.QtCore import QIODevice, QObject, QTimer, Signal

from workstation.errors import WorkstationError
from workstation.media.audio import (
    BYTES_PER_FRAME,
    CHANNELS,
    SAMPLE_RATE,
    AudioStream,
    clamp_rate,
)
from workstation.media.decode import Reader
from workstation.ui.i18n import QT_TRANSLATE_NOOP

__all__ = ["NO_DEVICE", "AudioOutput", "AudioSinkLike", "volume_to_gain"]

log = logging.getLogger(__name__)

NO_DEVICE: Final = "no audio device"
FEED_INTERVAL_MS: Final = 10
SINK_BUFFER_S: Final = 0.12  # what sits in the sink: robustness against UI stalls vs. seek/correction latency
DECODE_AHEAD_S: Final = 0.5  # what the decoding thread prepares beyond that
RESYNC_TOLERANCE_S: Final = 0.08
RESEEK_AHEAD_S: Final = 1.0  # sound ahead by more: re-aim the decoder instead of inserting silence
RESEEK_BEHIND_S: Final = 5.0  # sound behind by more: re-aim instead of dropping (decoding) that much
RESUME_TOLERANCE_S: Final = 0.15  # play() this close to where pause() left off resumes the sink's buffer
VOLUME_STEP: Final = 0.1
_LOG100: Final = math.log(100.0)


class AudioSinkLike(Protocol):
    """The part of ``QAudioSink`` this module uses (a fake in tests)."""

    def start(self) -> QIODevice | None: ...

    def stop(self) -> None: ...

    def suspend(self) -> None: ...

    def resume(self) -> None: ...

    def bytesFree(self) -> int: ...

    def bufferSize(self) -> int: ...

    def processedUSecs(self) -> int: ...

    def setVolume(self, volume: float) -> None: ...


SinkFactory = Callable[[QObject], tuple[AudioSinkLike | None, str]]
"""Makes the sink (parented to the given object), or returns (None, why there is none)."""


def volume_to_gain(volume: float) -> float:
    """A perceptual 0..1 volume as a linear gain (Qt's LogarithmicVolumeScale → LinearVolumeScale)."""
    volume = max(0.0, min(1.0, volume))
    if volume >= 0.99:
        return 1.0
    return min(1.0, -math.log(1.0 - volume) / _LOG100)


def default_sink(parent: QObject) -> tuple[AudioSinkLike | None, str]:
    """A ``QAudioSink`` (48 kHz, stereo, int16) on the default output, or (None, why not)."""
    try:
        from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices
    except ImportError as exc:  # PySide6-Essentials alone has no Qt Multimedia
        return None, f"Qt Multimedia is not installed ({exc})"
    device = QMediaDevices.defaultAudioOutput()
    if device.isNull():
        outputs = QMediaDevices.audioOutputs()
        if not outputs:
            return None, QT_TRANSLATE_NOOP("AudioOutput", "the system lists no audio output")
        device = outputs[0]
    fmt = QAudioFormat()
    fmt.setSampleRate(SAMPLE_RATE)
    fmt.setChannelCount(CHANNELS)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    if not device.isFormatSupported(fmt):
        return None, f"the output {device.description()!r} does not take 48 kHz stereo 16-bit sound"
    sink = QAudioSink(device, fmt, parent)
    sink.setBufferSize(int(SINK_BUFFER_S * SAMPLE_RATE) * BYTES_PER_FRAME)
    return sink, ""


@dataclass
class _Segment:
    """Frames ``start .. start+frames`` of the sink's stream play media ``media_s`` onwards, ``per_frame`` s each."""

    start: int
    frames: int
    media_s: float
    per_frame: float


class AudioOutput(QObject):
    """Plays the current clip's sound in step with the video; see the module docstring for the sync contract."""

    sig_state = Signal(str)
    """"playing", "paused", "ended", "no audio" (the clip has none), "no audio device", or "error: <message>"."""
    sig_error = Signal(object)
    """The exception that stopped the sound (e.g. the vault's TamperedContainer); the picture is unaffected."""
    sig_volume = Signal(float, bool)
    """The volume (0..1, perceptual) or mute changed: (volume, muted)."""

    def __init__(self, parent: QObject | None = None, *, sink_factory: SinkFactory = default_sink,
                 feed_interval_ms: int = FEED_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._volume = 1.0
        self._muted = False
        self._rate = 1.0
        self._stream: AudioStream | None = None
        self._io: QIODevice | None = None
        self._playing = False
        self._resumable = False  # the sink is suspended with valid data for the current position
        self._anchor_s = 0.0  # position while nothing has been heard since the last (re)start, or when stopped
        self._written = 0  # frames handed to the sink since its last start()
        self._spill = b""  # bytes the device did not take yet (written before any new data)
        self._segments: deque[_Segment] = deque()
        self._cursor_s = 0.0  # media time of the next frame to write
        self._nudge = 0  # frames still to drop (> 0) or silence frames still to insert (< 0)
        self._settled_at = 0  # no new correction until the device has played up to this frame index
        self._reported: BaseException | None = None
        self._state = ""
        self._sink, why = sink_factory(self)
        self.unavailable_reason = "" if self._sink is not None else why
        """Why there is no output (for the log and IT), empty when there is one."""
        if self._sink is None:
            log.info("sound output unavailable: %s", why)
        self._timer = QTimer(self)
        self._timer.setInterval(feed_interval_ms)
        self._timer.timeout.connect(self._feed)

    # -- properties --------------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        """There is an output device; False makes every call a no-op."""
        return self._sink is not None

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def muted(self) -> bool:
        return self._muted

    @property
    def rate(self) -> float:
        return self._rate

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def state(self) -> str:
        """The last state announced by ``sig_state``."""
        return self._state

    # -- commands (UI thread) ----------------------------------------------------------------------
    def load(self, reader_factory: Callable[[], Reader] | None, *, video_start_s: float = 0.0) -> None:
        """Switch to a clip: ``reader_factory`` returns a fresh reader of it (called on the decoding thread),
        None for a clip without sound (e.g. ``ClipInfo.has_audio`` is False). ``video_start_s`` is the clip's
        ``FrameIndex.start_s`` when known (aligns media time with ``Frame.pts_s``; almost always 0).
        Nothing plays until :meth:`play`. Does not wait for the old clip to close."""
        self._halt()
        self._close_stream()
        self._anchor_s = 0.0
        self._reported = None
        if self._sink is None:
            self._say(NO_DEVICE)
            return
        if reader_factory is None:
            self._say("no audio")
            return
        self._stream = AudioStream(reader_factory, buffer_s=DECODE_AHEAD_S, video_start_s=video_start_s)

    def play(self, from_pts_s: float, rate: float | None = None) -> None:
        """Play from media time ``from_pts_s`` at ``rate`` (default: the current rate)."""
        if self._sink is None:
            self._say(NO_DEVICE)
            return
        if self._stream is None:
            return
        rate = self._rate if rate is None else clamp_rate(rate)
        if self._playing:
            here = self.position_s()
            if rate != self._rate or here is None or abs(from_pts_s - here) > RESUME_TOLERANCE_S:
                self._aim(from_pts_s, rate)
            return
        if (self._resumable and rate == self._rate
                and abs(from_pts_s - self._anchor_s) <= RESUME_TOLERANCE_S):
            self._sink.resume()
        elif not self._restart(from_pts_s, rate):
            return
        self._resumable = False
        self._playing = True
        self._timer.start()
        self._say("playing")
        self._feed()  # may find at once that the clip has no sound: then it halts and says so last

    def pause(self) -> None:
        """Stop the sound where it is; :meth:`play` at (about) the same time resumes without re-decoding."""
        if self._sink is None or not self._playing:
            return
        position = self.position_s()
        if position is not None:
            self._anchor_s = position
        self._sink.suspend()
        self._timer.stop()
        self._playing = False
        self._resumable = True
        self._say("paused")

    def seek(self, pts_s: float) -> None:
        """Continue from media time ``pts_s`` (playing or not; while playing the device keeps running)."""
        if self._sink is None or self._stream is None:
            return
        if self._playing:
            self._aim(pts_s, self._rate)
        else:
            self._anchor_s = max(0.0, pts_s)
            self._resumable = False

    def set_rate(self, rate: float, at_pts_s: float | None = None) -> None:
        """Change speed (pitch kept) from media time ``at_pts_s`` (default: the position heard now)."""
        rate = clamp_rate(rate)
        if rate == self._rate and at_pts_s is None:
            return
        here = at_pts_s if at_pts_s is not None else self.position_s()
        self._rate = rate
        if self._sink is None or self._stream is None:
            return
        if self._playing:
            self._aim(here if here is not None else self._anchor_s, rate)
        else:
            if here is not None:
                self._anchor_s = here
            self._resumable = False

    def set_volume(self, volume: float) -> None:
        """Volume 0..1 (perceptual; clamped). Does not unmute."""
        volume = 0.0 if not math.isfinite(volume) else max(0.0, min(1.0, float(volume)))
        if volume == self._volume:
            return
        self._volume = volume
        self._apply_volume()
        self.sig_volume.emit(self._volume, self._muted)

    def step_volume(self, delta: float = VOLUME_STEP) -> float:
        """Volume up (delta > 0) or down, for the volume keys; unmutes when turning up. Returns the new volume."""
        if delta > 0:
            self._muted = False
        self._volume = max(0.0, min(1.0, round(self._volume + delta, 6)))
        self._apply_volume()
        self.sig_volume.emit(self._volume, self._muted)
        return self._volume

    def toggle_mute(self) -> bool:
        """Mute or unmute (the volume is kept); returns the new ``muted``."""
        self._muted = not self._muted
        self._apply_volume()
        self.sig_volume.emit(self._volume, self._muted)
        return self._muted

    def close(self) -> None:
        """Stop the sound and the decoding thread (it closes its reader)."""
        self._halt()
        self._close_stream()

    # -- sync --------------------------------------------------------------------------------------
    def position_s(self) -> float | None:
        """Media time of the sample being played now; None without a device or a clip with sound."""
        if self._sink is None or self._stream is None:
            return None
        if not self._playing:
            return self._anchor_s
        heard = self._heard_frames()
        segments = self._segments
        while len(segments) > 1 and segments[1].start <= heard:
            segments.popleft()  # heard already: never needed again
        if not segments or heard < segments[0].start:
            return self._anchor_s
        seg = segments[0]
        return seg.media_s + min(heard - seg.start, seg.frames) * seg.per_frame

    def drift_s(self, video_pts_s: float) -> float | None:
        """Audio position minus ``video_pts_s`` (positive: sound ahead of picture); None when not playing."""
        if not self._playing:
            return None
        position = self.position_s()
        return None if position is None else position - video_pts_s

    def resync(self, video_pts_s: float, *, tolerance_s: float = RESYNC_TOLERANCE_S) -> bool:
        """Correct the sound toward the picture's media time if they are more than ``tolerance_s`` apart.

        Returns True if a correction was made. Call every ~500 ms while playing, with the video's media
        time now: e.g. from the controller's frame slot, with the just-delivered frame's ``pts_s``
        (Playback delivers each frame at its due time, so its pts is the video clock at that moment).
        """
        drift = self.drift_s(video_pts_s)
        if drift is None or abs(drift) <= tolerance_s:
            return False
        heard = self._heard_frames()
        if heard == 0 or heard < self._settled_at or self._nudge != 0:
            return False  # the device has not started yet, or the last change is not heard yet
        if drift > RESEEK_AHEAD_S or drift < -RESEEK_BEHIND_S:
            self._aim(video_pts_s, self._rate)
            return True
        self._nudge = round(-drift / self._rate * SAMPLE_RATE)
        return self._nudge != 0

    # -- internals ---------------------------------------------------------------------------------
    def _say(self, state: str) -> None:
        self._state = state
        self.sig_state.emit(state)

    def _apply_volume(self) -> None:
        if self._sink is not None:
            self._sink.setVolume(0.0 if self._muted else volume_to_gain(self._volume))

    def _heard_frames(self) -> int:
        if self._sink is None:
            return 0
        played = round(self._sink.processedUSecs() * SAMPLE_RATE / 1_000_000)  # µs → frames, exactly
        return max(0, min(played, self._written - len(self._spill) // BYTES_PER_FRAME))

    def _restart(self, from_pts_s: float, rate: float) -> bool:
        """(Re)start the device and decoding at ``from_pts_s``; False (and unavailable) if the device will not open."""
        assert self._sink is not None and self._stream is not None
        from_pts_s = max(0.0, from_pts_s)
        self._rate = rate
        self._stream.start(from_pts_s, rate)
        self._sink.stop()
        self._io = self._sink.start()
        self._written = 0
        self._spill = b""
        self._segments.clear()
        self._cursor_s = self._anchor_s = from_pts_s
        self._nudge = self._settled_at = 0
        self._resumable = False
        self._reported = None
        if self._io is None:
            log.warning("the audio output would not open; sound is off")
            self._halt()
            self._close_stream()
            self._sink = None
            self.unavailable_reason = QT_TRANSLATE_NOOP("AudioOutput", "the audio output would not open")
            self._say(NO_DEVICE)
            return False
        self._apply_volume()
        return True

    def _aim(self, pts_s: float, rate: float) -> None:
        """Re-aim the decoder while the device keeps playing what it holds (no device restart).

        The new sound is heard once the held frames have played, by when the picture has moved on by
        ``held / 48000 × rate``: decoding starts there. A pending correction is dropped.
        """
        assert self._stream is not None
        held = self._written - self._heard_frames()
        target = max(0.0, pts_s + held / SAMPLE_RATE * rate)
        self._rate = rate
        self._stream.start(target, rate)
        self._cursor_s = target
        if not self._segments:
            self._anchor_s = target
        self._nudge = 0
        self._settled_at = self._written + 1  # no correction until the first new frame is heard

    def _halt(self) -> None:
        self._timer.stop()
        if self._sink is not None:
            self._sink.stop()
        self._io = None
        self._playing = False
        self._resumable = False
        self._spill = b""
        self._segments.clear()

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()

    def _pull(self, n_bytes: int) -> bytes:
        """Up to ``n_bytes`` of PCM for the sink, applying pending corrections and recording what plays when."""
        stream = self._stream
        if stream is None:
            return b""
        want = n_bytes // BYTES_PER_FRAME
        parts: list[bytes] = []
        while want > 0:
            if self._nudge < 0:  # sound ahead: hold it with silence (media time stands still)
                frames = min(-self._nudge, want)
                parts.append(bytes(frames * BYTES_PER_FRAME))
                self._record(frames, self._cursor_s, 0.0)
                self._nudge += frames
                want -= frames
                if self._nudge == 0:
                    self._settled_at = self._written
                continue
            if self._nudge > 0:  # sound behind: drop some
                chunk = stream.read(self._nudge)
                if chunk is None:
                    break
                self._nudge -= chunk.frames
                self._cursor_s = chunk.media_end_s
                if self._nudge == 0:
                    self._settled_at = self._written
                continue
            chunk = stream.read(want)
            if chunk is None:
                break
            parts.append(chunk.to_bytes())
            self._record(chunk.frames, chunk.media_s, chunk.rate / SAMPLE_RATE)
            self._cursor_s = chunk.media_end_s
            want -= chunk.frames
        return b"".join(parts)

    def _record(self, frames: int, media_s: float, per_frame: float) -> None:
        last = self._segments[-1] if self._segments else None
        if (last is not None and last.per_frame == per_frame
                and abs(last.media_s + last.frames * per_frame - media_s) < 1e-9):
            last.frames += frames  # contiguous: extend
        else:
            self._segments.append(_Segment(self._written, frames, media_s, per_frame))
        self._written += frames

    def _feed(self) -> None:
        """One slice of work on the UI thread: report news, top the sink up, notice the end."""
        sink, stream, device = self._sink, self._stream, self._io
        if not self._playing or sink is None or stream is None or device is None:
            return
        error = stream.error
        if error is not None and self._reported is None:
            self._reported = error
            text = error.message if isinstance(error, WorkstationError) else str(error)
            self._say(f"error: {text}")
            self.sig_error.emit(error)
        elif stream.has_audio is False and self._state != "no audio":
            self._halt()
            self._say("no audio")
            return
        free = sink.bytesFree()
        if self._spill:
            taken = max(0, int(device.write(self._spill[:free])))
            self._spill = self._spill[taken:]
            free -= taken
        if not self._spill and free >= BYTES_PER_FRAME:
            data = self._pull(free)
            if data:
                taken = max(0, int(device.write(data)))
                self._spill = data[taken:]
        drained = self._heard_frames() >= self._written or sink.bytesFree() >= sink.bufferSize()
        if stream.finished and not self._spill and self._nudge >= 0 and drained:
            position = self.position_s()
            if position is not None:
                self._anchor_s = position
            self._timer.stop()
            self._playing = False
            if self._reported is None:
                self._say("ended")
