"""A clip's sound: decoding, resampling and pitch-keeping time-stretching with PyAV. No Qt here.

The sound is read through the same kind of reader as the picture (in production a second
:class:`~workstation.vault.container.DecryptingReader` on the same cache file), handed to
``av.open(reader)``; no plaintext file is ever written.

Output format: :data:`SAMPLE_RATE` (48 kHz), stereo, signed 16-bit, interleaved, in
:class:`PcmChunk` s. Each chunk carries the *media time* of its first sample and the playback
rate it was made for; a chunk of N frames covers ``N * rate / SAMPLE_RATE`` media seconds.

Media time is the clock of ``Frame.pts_s``: seconds from the first displayed video frame, i.e. from
the video stream's ``start_time`` plus ``FrameIndex.start_s`` (pass that as ``video_start_s``; it is 0
for nearly every clip). Audio and video timestamps can then be compared directly. A clip without
video counts from its audio stream's start.

Pipeline: demux + decode the first audio stream → ``av.AudioResampler`` to 48 kHz stereo float →
drop samples before the start time, fill timestamp gaps with silence, stop at the declared end →
FFmpeg's ``atempo`` filter (pitch kept; one instance accepts 0.5–2.0, so 0.25× and 4× chain two)
→ int16. At rate 1 the filter is skipped and timing is sample-exact; under ``atempo`` the mapping
"N output frames = N·rate input frames" holds to within a few milliseconds mid-stream (the
filter works in ~40 ms windows), and the stream's end is trimmed so it never runs past the clip.

:class:`AudioTrack` is the synchronous decoder (one thread at a time). :class:`AudioStream` runs
one on its own thread, a bounded queue ahead of the consumer, so a consumer on the UI thread only
copies bytes. Errors (a tampered container raising from ``read``, undecodable data) end the stream
and are kept in :attr:`AudioStream.error`; they never escape the worker thread.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator
from fractions import Fraction
from typing import Final, Self

import av
import av.error
import av.filter
import numpy as np

from workstation.errors import WorkstationError
from workstation.media.decode import MediaError, Reader
from workstation.media.pcm import (
    BYTES_PER_FRAME,
    CHANNELS,
    MAX_RATE,
    MIN_RATE,
    SAMPLE_RATE,
    PcmChunk,
    Tempo,
    atempo_factors,
    clamp_rate,
    frame_array,
    to_int16,
)

__all__ = [
    "BYTES_PER_FRAME",
    "CHANNELS",
    "MAX_RATE",
    "MIN_RATE",
    "SAMPLE_RATE",
    "AudioError",
    "AudioStream",
    "AudioTrack",
    "PcmChunk",
    "atempo_factors",
    "clamp_rate",
]

log = logging.getLogger(__name__)

_PREROLL_S: Final = 0.2  # seek this far before the target: AAC/Opus decoders need pre-roll to converge
_GAP_TOLERANCE_S: Final = 0.04  # timestamp jumps below this are jitter, not gaps
_MAX_GAP_S: Final = 10.0  # a larger jump is a broken timestamp, not silence to play
_CHUNK_FRAMES: Final = 2048  # ~43 ms per chunk handed out
_HINT = "Skip the sound for this clip (the picture still plays); if it happens for every clip, tell IT."


class AudioError(MediaError):
    """The clip's sound cannot be decoded."""


class AudioTrack:
    """The first audio stream of a clip, decoded on demand from ``reader``.

    Opens the container at once (``av.open(reader)``); raises what the reader raises (e.g. the vault's
    ``TamperedContainer``) or :class:`AudioError` when the data is no media container. A clip without
    sound opens fine with ``has_audio`` False. Not thread-safe; closes its container, never the reader.
    ``video_start_s``: the first video frame's time after the video stream's start (``FrameIndex.start_s``).
    """

    def __init__(self, reader: Reader, *, video_start_s: float = 0.0) -> None:
        self._reader = reader
        try:
            reader.seek(0)
            self._container: av.container.InputContainer | None = av.open(reader, mode="r")
        except WorkstationError:
            raise
        except (av.error.FFmpegError, ValueError) as exc:
            raise AudioError(f"The clip's sound could not be read: the data is not a media file FFmpeg knows ({exc}).",
                             hint=_HINT) from exc
        container = self._container
        audio = [s for s in container.streams if s.type == "audio"]
        video = [s for s in container.streams if s.type == "video"]
        self._stream: av.AudioStream | None = audio[0] if audio else None  # type: ignore[assignment]
        self.origin_s: float = 0.0
        """Media time zero in container seconds: where the first video frame shows (``Frame.pts_s == 0``)."""
        ref = video[0] if video else self._stream
        if ref is not None and ref.start_time is not None and ref.time_base is not None:
            self.origin_s = float(ref.start_time * ref.time_base)
        if video:
            self.origin_s += video_start_s
        self.duration_s: float | None = self._end_media_s()
        """Media time where the sound ends, from the container's metadata (None if it does not say)."""

    @staticmethod
    def probe(reader: Reader) -> bool:
        """Whether the clip behind ``reader`` has an audio stream (the reader is rewound, left open)."""
        with AudioTrack(reader) as track:
            return track.has_audio

    @property
    def has_audio(self) -> bool:
        return self._stream is not None

    @property
    def codec(self) -> str:
        return self._stream.codec_context.name if self._stream is not None else ""

    @property
    def source_rate(self) -> int:
        """The stream's own sample rate in Hz (0 without audio)."""
        return int(self._stream.rate or 0) if self._stream is not None else 0

    @property
    def source_channels(self) -> int:
        return int(self._stream.channels or 0) if self._stream is not None else 0

    def _end_media_s(self) -> float | None:
        stream, container = self._stream, self._container
        if stream is None or container is None:
            return None
        if stream.duration is not None and stream.time_base is not None:
            start = stream.start_time if stream.start_time is not None else 0
            return float((start + stream.duration) * stream.time_base) - self.origin_s
        if container.duration is not None:
            start = container.start_time if container.start_time is not None else 0
            return (start + container.duration) / av.time_base - self.origin_s
        return None

    def _seek(self, target_s: float) -> None:
        container, stream = self._container, self._stream
        assert container is not None and stream is not None
        tb = stream.time_base or Fraction(1, SAMPLE_RATE)
        start = stream.start_time if stream.start_time is not None else 0
        seconds = max(0.0, target_s - _PREROLL_S) + self.origin_s
        offset = max(start, int(seconds / tb)) if seconds > float(start * tb) else start
        try:
            container.seek(offset, stream=stream, backward=True, any_frame=False)
        except av.error.FFmpegError:
            container.seek(0)  # the format cannot seek by time: decode from the start and drop

    def chunks(self, from_pts_s: float = 0.0, rate: float = 1.0) -> Generator[PcmChunk, None, None]:
        """PCM from media time ``from_pts_s`` to the end at playback ``rate`` (pitch kept).

        The first chunk starts at ``from_pts_s`` (to the sample, when the data covers it); consecutive
        chunks are contiguous in media time. A generator: close it to stop early. Raises what the reader
        raises, or :class:`AudioError` for undecodable data.
        """
        if self._stream is None or self._container is None:
            return
        rate = clamp_rate(rate)
        target = max(0.0, float(from_pts_s))
        end = self.duration_s
        if end is not None and target >= end:
            return
        try:
            yield from self._chunks(target, rate, end)
        except WorkstationError:
            raise
        except av.error.FFmpegError as exc:
            raise AudioError(f"The clip's sound could not be decoded ({exc}).", hint=_HINT) from exc

    def _chunks(self, target: float, rate: float, end: float | None) -> Generator[PcmChunk, None, None]:
        container, stream = self._container, self._stream
        assert container is not None and stream is not None
        self._seek(target)
        resampler = av.AudioResampler(format="flt", layout="stereo", rate=SAMPLE_RATE)
        tempo = Tempo(rate)
        in_cursor: float | None = None  # media time of the next decoded input sample
        t48: float | None = None  # media time of the next 48 kHz sample out of the resampler
        n48 = 0  # 48 kHz samples since t48 was set
        t0: float | None = None  # media time of the first sample kept
        kept = 0  # 48 kHz samples kept (before tempo)
        out_frames = 0  # frames produced after tempo
        max_out: int | None = None  # cap on out_frames once the kept span is known
        pending: list[np.ndarray] = []
        pending_frames = 0

        def keep(samples: np.ndarray) -> Iterator[np.ndarray]:
            """Drop what lies before the target or past the end; pass the rest through the tempo filter."""
            nonlocal n48, t0, kept
            assert t48 is not None
            start_t = t48 + n48 / SAMPLE_RATE
            n48 += len(samples)
            if start_t < target:
                skip = min(len(samples), round((target - start_t) * SAMPLE_RATE))
                samples = samples[skip:]
                start_t += skip / SAMPLE_RATE
            if end is not None and len(samples):
                room = round((end - start_t) * SAMPLE_RATE)
                samples = samples[: max(0, room)]
            if not len(samples):
                return
            if t0 is None:
                t0 = start_t
            kept += len(samples)
            yield from tempo.push(samples)

        def emit(parts: list[np.ndarray], *, final: bool = False) -> Iterator[PcmChunk]:
            nonlocal out_frames, pending, pending_frames
            for part in parts:
                pending.append(part)
                pending_frames += len(part)
            if not pending_frames or (pending_frames < _CHUNK_FRAMES and not final):
                return
            block = np.concatenate(pending) if len(pending) > 1 else pending[0]
            pending, pending_frames = [], 0
            if max_out is not None:
                block = block[: max(0, max_out - out_frames)]
            if not len(block) or t0 is None:
                return
            chunk = PcmChunk(t0 + out_frames * rate / SAMPLE_RATE, rate, to_int16(block))
            out_frames += len(block)
            yield chunk

        def resampled(frames: list[av.AudioFrame]) -> Iterator[PcmChunk]:
            for rf in frames:
                yield from emit(list(keep(frame_array(rf))))

        for frame in container.decode(stream):
            if not frame.samples or not frame.sample_rate:
                continue
            t_frame = (float(frame.time) - self.origin_s) if frame.time is not None else in_cursor
            if t_frame is None:
                t_frame = 0.0
            first = in_cursor is None
            if in_cursor is None:
                # sound that begins after the start time (later than the picture): lead in with silence
                in_cursor = t48 = target if 0.0 < t_frame - target < _MAX_GAP_S else t_frame
            gap = t_frame - in_cursor
            if (gap > 0.0 if first else gap > _GAP_TOLERANCE_S) and gap < _MAX_GAP_S:
                yield from emit(list(keep(np.zeros((round(gap * SAMPLE_RATE), CHANNELS), np.float32))))
                in_cursor = t_frame
            elif gap < -_GAP_TOLERANCE_S and t_frame + frame.samples / frame.sample_rate <= in_cursor:
                continue  # a repeated or backward frame: already played
            in_cursor += frame.samples / frame.sample_rate
            try:
                out = resampler.resample(frame)
            except ValueError:  # the stream changed format mid-way: flush and start a new resampler
                yield from resampled(resampler.resample(None))
                resampler = av.AudioResampler(format="flt", layout="stereo", rate=SAMPLE_RATE)
                out = resampler.resample(frame)
            yield from resampled(out)
            if end is not None and t48 is not None and t48 + n48 / SAMPLE_RATE >= end:
                break
        yield from resampled(resampler.resample(None))
        if t0 is not None:
            max_out = round(kept / rate)
        yield from emit(tempo.push(None), final=True)

    def close(self) -> None:
        """Close the container (not the reader); safe to call twice."""
        container, self._container = self._container, None
        self._stream = None
        if container is not None:
            container.close()

    @property
    def closed(self) -> bool:
        return self._container is None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AudioStream:
    """Decodes one clip's sound on its own thread, a bounded queue of :class:`PcmChunk` ahead of the consumer.

    ``reader_factory`` is called once, on the worker thread, for a fresh reader of this clip (a second
    ``DecryptingReader`` on the cache file); the stream owns and closes it. :meth:`start` (any thread)
    restarts decoding at a media time and rate; :meth:`read` (the consumer, never blocking) takes
    PCM of the latest start only. Errors end the stream and land in :attr:`error`.
    """

    def __init__(self, reader_factory: Callable[[], Reader], *, buffer_s: float = 0.5,
                 video_start_s: float = 0.0, name: str = "audio-decode") -> None:
        self._factory = reader_factory
        self._video_start_s = video_start_s
        self._max_frames = max(_CHUNK_FRAMES, int(buffer_s * SAMPLE_RATE))
        self._cond = threading.Condition()
        self._queue: deque[PcmChunk] = deque()
        self._queued = 0  # frames in the queue
        self._request: tuple[float, float] | None = None
        self._generation = 0
        self._done_generation = -1  # the generation whose decoding reached the end
        self._stop = False
        self._opened = False
        self._has_audio: bool | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    # -- consumer side (any thread) ------------------------------------------------------------------
    def start(self, from_pts_s: float, rate: float = 1.0) -> None:
        """Drop everything queued and decode from ``from_pts_s`` at ``rate``."""
        with self._cond:
            self._generation += 1
            self._request = (max(0.0, float(from_pts_s)), clamp_rate(rate))
            self._queue.clear()
            self._queued = 0
            self._cond.notify_all()

    def read(self, max_frames: int) -> PcmChunk | None:
        """Up to ``max_frames`` frames from the head of the queue, or None if nothing is ready."""
        if max_frames <= 0:
            return None
        with self._cond:
            if not self._queue:
                return None
            chunk = self._queue[0]
            if chunk.frames > max_frames:
                chunk, rest = chunk.split(max_frames)
                self._queue[0] = rest
            else:
                self._queue.popleft()
            self._queued -= chunk.frames
            self._cond.notify_all()
            return chunk

    @property
    def buffered_frames(self) -> int:
        with self._cond:
            return self._queued

    @property
    def has_audio(self) -> bool | None:
        """True/False once the clip is opened; None before (or if opening failed)."""
        return self._has_audio

    @property
    def opened(self) -> bool:
        """The worker has opened the clip (or failed to)."""
        return self._opened

    @property
    def error(self) -> BaseException | None:
        """What ended the stream early (the reader's own error, or :class:`AudioError`), else None."""
        return self._error

    @property
    def finished(self) -> bool:
        """Nothing more will come for the latest start: its end (or an error, or no audio) was reached and read."""
        with self._cond:
            if self._queue:
                return False
            if self._error is not None or self._has_audio is False:
                return True
            return self._request is None and self._done_generation == self._generation

    def wait_opened(self, timeout: float | None = None) -> bool:
        """Block until the clip is opened (tests and tools; never on the UI thread)."""
        with self._cond:
            return self._cond.wait_for(lambda: self._opened, timeout)

    def chunks(self, timeout: float = 10.0) -> Iterator[PcmChunk]:
        """Blocking iterator over the latest start's PCM until it finishes (tests and tools)."""
        while True:
            chunk = self.read(1 << 30)
            if chunk is not None:
                yield chunk
                continue
            with self._cond:
                ready = self._cond.wait_for(lambda: bool(self._queue) or self._finished_locked(), timeout)
            if not ready:
                raise TimeoutError("the audio stream produced nothing in time")
            if self.finished:
                return

    def _finished_locked(self) -> bool:
        if self._queue:
            return False
        return (self._error is not None or self._has_audio is False
                or (self._request is None and self._done_generation == self._generation) or self._stop)

    def close(self, wait: bool = False, timeout: float = 5.0) -> None:
        """Stop decoding; the worker closes the container and the reader. ``wait`` joins it."""
        with self._cond:
            self._stop = True
            self._queue.clear()
            self._queued = 0
            self._cond.notify_all()
        if wait and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    @property
    def closed(self) -> bool:
        """The worker has ended and released everything."""
        return not self._thread.is_alive()

    # -- worker ------------------------------------------------------------------------------------
    def _run(self) -> None:
        reader: Reader | None = None
        track: AudioTrack | None = None
        try:
            reader = self._factory()
            track = AudioTrack(reader, video_start_s=self._video_start_s)
            with self._cond:
                self._has_audio = track.has_audio
                self._opened = True
                self._cond.notify_all()
            if not track.has_audio:
                return
            while True:
                with self._cond:
                    self._cond.wait_for(lambda: self._stop or self._request is not None)
                    if self._stop:
                        return
                    assert self._request is not None
                    (from_s, rate), self._request = self._request, None
                    generation = self._generation
                if self._decode(track, from_s, rate, generation):
                    return
        except BaseException as exc:
            if not isinstance(exc, WorkstationError):
                log.warning("audio stream failed", exc_info=exc)
                if isinstance(exc, Exception):
                    wrapped = AudioError(f"The clip's sound stopped: {type(exc).__name__}: {exc}.", hint=_HINT)
                    wrapped.__cause__ = exc
                    exc = wrapped
            with self._cond:
                self._error = exc
                self._opened = True
                self._cond.notify_all()
        finally:
            try:
                if track is not None:
                    track.close()
            finally:
                if reader is not None:
                    reader.close()
                with self._cond:
                    self._opened = True
                    self._cond.notify_all()

    def _decode(self, track: AudioTrack, from_s: float, rate: float, generation: int) -> bool:
        """Decode one start request into the queue; True when the stream should stop."""
        chunks = track.chunks(from_s, rate)
        try:
            for chunk in chunks:
                with self._cond:
                    self._cond.wait_for(lambda: self._stop or generation != self._generation
                                        or self._queued < self._max_frames)
                    if self._stop:
                        return True
                    if generation != self._generation:
                        return False  # a newer start is waiting
                    self._queue.append(chunk)
                    self._queued += chunk.frames
                    self._cond.notify_all()
            with self._cond:
                if generation == self._generation:
                    self._done_generation = generation
                    self._cond.notify_all()
            return False
        finally:
            chunks.close()
