"""The sound output: no-device behaviour, volume and mute, and the feeding and sync logic on a fake sink.

This machine has no sound card or sound server (and Qt Multimedia is not in PySide6-Essentials), so
the feeding logic runs against :class:`FakeSink`: a real ``QBuffer`` as the push-mode QIODevice, with a
"sound card" that plays exactly as many frames as the test says. That makes positions exact and the
tests free of timing thresholds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QBuffer, QIODevice, QObject
from pytestqt.qtbot import QtBot

from tests.media.test_audio import (
    SECONDS,
    TONE_HZ,
    SealedClip,
    make_clip_bytes,
    peak_hz,
    seal,
    tamper,
)
from workstation.media.audio import BYTES_PER_FRAME, SAMPLE_RATE
from workstation.ui.audio_out import NO_DEVICE, AudioOutput, volume_to_gain
from workstation.vault.container import CT_CHUNK_SIZE, HEADER_SIZE, TamperedContainer

FRAME_S = 1024 / SAMPLE_RATE


class FakeSink:
    """A push-mode sink: ``start()`` returns a real QBuffer; the test decides how much has been played."""

    def __init__(self, capacity_frames: int = 9600) -> None:
        self.capacity = capacity_frames * BYTES_PER_FRAME
        self.buffer: QBuffer | None = None
        self.played = 0  # bytes "heard" since start()
        self.starts = 0
        self.suspended = False
        self.volume = 1.0
        self.fail_start = False

    # QAudioSink's interface ----------------------------------------------------------------------
    def start(self) -> QIODevice | None:
        self.stop()
        if self.fail_start:
            return None
        self.buffer = QBuffer()
        self.buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.played = 0
        self.starts += 1
        self.suspended = False
        return self.buffer

    def stop(self) -> None:
        if self.buffer is not None:
            self.buffer.close()
        self.buffer = None

    def suspend(self) -> None:
        self.suspended = True

    def resume(self) -> None:
        self.suspended = False

    def bytesFree(self) -> int:
        return self.capacity - (self.written - self.played)

    def bufferSize(self) -> int:
        return self.capacity

    def processedUSecs(self) -> int:
        return self.played // BYTES_PER_FRAME * 1_000_000 // SAMPLE_RATE

    def setVolume(self, volume: float) -> None:
        self.volume = volume

    # the test's side -----------------------------------------------------------------------------
    @property
    def written(self) -> int:
        return int(self.buffer.size()) if self.buffer is not None else 0

    def pcm(self) -> np.ndarray:
        assert self.buffer is not None
        return np.frombuffer(bytes(self.buffer.data()), np.int16).reshape(-1, 2)

    def play(self, frames: int) -> int:
        """The card plays up to ``frames`` of what it holds; returns how many it played."""
        take = min(frames * BYTES_PER_FRAME, self.written - self.played)
        self.played += take
        return take // BYTES_PER_FRAME


@pytest.fixture(scope="module")
def sealed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sealed-audio-out")


@pytest.fixture(scope="module")
def clip(sealed_dir: Path) -> SealedClip:
    """1.5 s of a 440 Hz tone in AAC, with video, in a clip container."""
    return seal(make_clip_bytes("aac", "mp4"), sealed_dir, "tone")


@pytest.fixture(scope="module")
def video_only(sealed_dir: Path) -> SealedClip:
    return seal(make_clip_bytes(audio=False), sealed_dir, "video-only")


@pytest.fixture
def sink() -> FakeSink:
    return FakeSink()


@pytest.fixture
def out(qtbot: QtBot, sink: FakeSink) -> AudioOutput:
    output = AudioOutput(sink_factory=lambda parent: (sink, ""), feed_interval_ms=5)
    yield output
    output.close()


def fill(qtbot: QtBot, out: AudioOutput, sink: FakeSink, frames: int) -> None:
    """Wait (by processing events: the feed timer runs) until the sink holds ``frames`` unplayed frames."""
    qtbot.waitUntil(lambda: (sink.written - sink.played) // BYTES_PER_FRAME >= frames or not out.playing,
                    timeout=20_000)


def held(sink: FakeSink) -> int:
    """Frames written to the fake card and not played yet."""
    return (sink.written - sink.played) // BYTES_PER_FRAME


def play_through(qtbot: QtBot, out: AudioOutput, sink: FakeSink, step: int = 2400) -> None:
    """Let the fake card play everything until the output reports the end."""
    def drained() -> bool:
        sink.play(step)
        return not out.playing
    qtbot.waitUntil(drained, timeout=30_000)


# ---------------------------------------------------------------- no device


def test_this_machine_without_an_output_device(qtbot: QtBot, clip: SealedClip) -> None:
    """What the real default does here: no sound card, no sound server (and maybe no Qt Multimedia)."""
    output = AudioOutput()
    if output.available:
        output.close()
        pytest.skip("this machine has an audio output device")
    assert output.unavailable_reason
    states: list[str] = []
    output.sig_state.connect(states.append)
    output.load(clip.factory())
    output.play(0.0, 1.0)
    assert states == [NO_DEVICE, NO_DEVICE]
    output.close()


def test_no_device_is_a_safe_no_op(qtbot: QtBot, clip: SealedClip) -> None:
    calls: list[str] = []

    def factory():  # type: ignore[no-untyped-def]
        calls.append("opened")
        return clip.open()

    output = AudioOutput(sink_factory=lambda parent: (None, "no sound card in this test"))
    assert not output.available
    assert output.unavailable_reason == "no sound card in this test"
    states: list[str] = []
    output.sig_state.connect(states.append)
    output.load(factory)
    output.play(0.0, 2.0)
    output.seek(0.5)
    output.set_rate(4.0)
    output.pause()
    assert output.position_s() is None
    assert output.drift_s(0.3) is None
    assert not output.resync(0.3)
    assert not output.playing
    assert states == [NO_DEVICE, NO_DEVICE]
    assert calls == []  # nothing is decoded for nobody
    # volume and mute still keep (clamped) values, for when a device appears
    output.set_volume(1.7)
    assert output.volume == 1.0
    output.set_volume(-3)
    assert output.volume == 0.0
    assert output.toggle_mute() is True and output.muted
    assert output.toggle_mute() is False and not output.muted
    output.close()


# ---------------------------------------------------------------- volume and mute


def test_volume_clamps_maps_and_mutes(out: AudioOutput, sink: FakeSink) -> None:
    seen: list[tuple[float, bool]] = []
    out.sig_volume.connect(lambda v, m: seen.append((v, m)))
    out.set_volume(0.5)
    assert out.volume == 0.5 and sink.volume == pytest.approx(volume_to_gain(0.5))
    assert volume_to_gain(0.5) == pytest.approx(0.1505, abs=1e-4)  # Qt's logarithmic scale
    out.set_volume(2.0)
    assert out.volume == 1.0 and sink.volume == 1.0
    out.set_volume(-1.0)
    assert out.volume == 0.0 and sink.volume == 0.0
    out.set_volume(float("nan"))
    assert out.volume == 0.0
    out.set_volume(0.8)
    assert out.toggle_mute() and out.muted and sink.volume == 0.0
    assert out.volume == 0.8  # muting keeps the volume
    out.set_volume(0.6)
    assert sink.volume == 0.0  # still muted
    assert out.step_volume(+0.1) == pytest.approx(0.7)
    assert not out.muted and sink.volume == pytest.approx(volume_to_gain(0.7))  # turning up unmutes
    for _ in range(12):
        out.step_volume(-0.1)
    assert out.volume == 0.0
    for _ in range(12):
        out.step_volume(+0.1)
    assert out.volume == 1.0
    assert seen[0] == (0.5, False) and (0.8, True) in seen
    assert all(0.0 <= g <= 1.0 for g in (volume_to_gain(v / 20) for v in range(21)))


# ---------------------------------------------------------------- feeding and position


def test_feeds_the_tone_and_reports_the_position_heard(qtbot: QtBot, out: AudioOutput, sink: FakeSink,
                                                       clip: SealedClip) -> None:
    states: list[str] = []
    out.sig_state.connect(states.append)
    out.load(clip.factory())
    assert out.position_s() == 0.0
    out.play(0.0, 1.0)
    assert states == ["playing"]
    fill(qtbot, out, sink, 9600)
    assert sink.written <= sink.capacity  # never more than bytesFree() allowed
    assert sink.written % BYTES_PER_FRAME == 0
    assert out.position_s() == 0.0  # nothing heard yet
    sink.play(4800)
    assert out.position_s() == pytest.approx(0.1, abs=1e-4)
    assert out.drift_s(0.1) == pytest.approx(0.0, abs=1e-4)
    assert out.drift_s(0.2) == pytest.approx(-0.1, abs=1e-4)
    play_through(qtbot, out, sink)
    assert states[-1] == "ended"
    pcm = sink.pcm()
    assert len(pcm) / SAMPLE_RATE == pytest.approx(SECONDS, abs=FRAME_S)
    assert peak_hz(pcm) == pytest.approx(TONE_HZ, abs=2.0)
    assert out.position_s() == pytest.approx(SECONDS, abs=FRAME_S)


@pytest.mark.parametrize("rate", [0.5, 2.0, 4.0])
def test_position_follows_media_time_at_any_rate(qtbot: QtBot, out: AudioOutput, sink: FakeSink,
                                                 clip: SealedClip, rate: float) -> None:
    out.load(clip.factory())
    out.play(0.4, rate)
    assert out.rate == rate
    fill(qtbot, out, sink, 4800)
    assert out.position_s() == pytest.approx(0.4, abs=FRAME_S)
    sink.play(2400)  # 50 ms of playing time = 50 ms × rate of media
    assert out.position_s() == pytest.approx(0.4 + 0.05 * rate, abs=FRAME_S)
    play_through(qtbot, out, sink)
    pcm = sink.pcm()
    assert len(pcm) / SAMPLE_RATE == pytest.approx((SECONDS - 0.4) / rate, abs=FRAME_S / rate)
    assert peak_hz(pcm) == pytest.approx(TONE_HZ, abs=4.0)


def test_pull_gives_whole_frames_within_the_budget(qtbot: QtBot, sink: FakeSink, clip: SealedClip) -> None:
    output = AudioOutput(sink_factory=lambda parent: (sink, ""), feed_interval_ms=60_000)  # no timer: by hand
    try:
        output.load(clip.factory())
        output.play(0.0, 1.0)
        stream = output._stream
        assert stream is not None
        qtbot.waitUntil(lambda: stream.buffered_frames >= 4096, timeout=20_000)
        data = output._pull(1001)
        assert len(data) == 1000  # whole frames only
        data = output._pull(4 * 3000)
        assert len(data) == 4 * 3000
        assert output._pull(0) == b""
    finally:
        output.close()


def test_rate_change_and_seek_keep_the_device_running(qtbot: QtBot, out: AudioOutput, sink: FakeSink,
                                                      clip: SealedClip) -> None:
    out.load(clip.factory())
    out.play(0.0, 1.0)
    fill(qtbot, out, sink, 9600)
    sink.play(9600)  # 0.2 s heard, nothing held
    out.set_rate(2.0)  # continues from what is heard
    assert out.rate == 2.0
    assert out.position_s() == pytest.approx(0.2, abs=1e-4)
    fill(qtbot, out, sink, 4800)
    sink.play(2400)
    assert out.position_s() == pytest.approx(0.2 + 0.05 * 2, abs=FRAME_S)

    # a seek while the card holds audio: that plays out first, and the new sound starts where the
    # picture will be by then (seek target + held time × rate)
    fill(qtbot, out, sink, 4800)
    before = out.position_s()
    assert before is not None
    kept = held(sink)
    out.seek(1.0)
    assert out.position_s() == before  # the held sound is still what plays
    sink.play(kept)
    fill(qtbot, out, sink, 2400)
    sink.play(2400)
    assert out.position_s() == pytest.approx(1.0 + kept / SAMPLE_RATE * 2 + 0.05 * 2, abs=FRAME_S)

    out.set_rate(0.5, at_pts_s=0.3)
    kept = held(sink)
    sink.play(kept)
    fill(qtbot, out, sink, 2400)
    sink.play(2400)
    assert out.position_s() == pytest.approx(0.3 + kept / SAMPLE_RATE * 0.5 + 0.05 * 0.5, abs=FRAME_S)
    assert sink.starts == 1  # the device never restarted
    assert sink.pcm().shape[0] == sink.written // BYTES_PER_FRAME


def test_pause_resumes_without_redecoding_and_restarts_when_moved(qtbot: QtBot, out: AudioOutput,
                                                                  sink: FakeSink, clip: SealedClip) -> None:
    states: list[str] = []
    out.sig_state.connect(states.append)
    out.load(clip.factory())
    out.play(0.0, 1.0)
    fill(qtbot, out, sink, 9600)
    sink.play(4800)
    out.pause()
    assert sink.suspended and not out.playing and states[-1] == "paused"
    assert out.position_s() == pytest.approx(0.1, abs=1e-4)
    out.play(0.1 + 1 / 15, 1.0)  # the video resumes at its last frame: close enough to resume the buffer
    assert not sink.suspended and sink.starts == 1 and states[-1] == "playing"
    sink.play(4800)
    assert out.position_s() == pytest.approx(0.2, abs=1e-4)
    out.pause()
    out.play(0.9, 1.0)  # moved: restart there
    assert sink.starts == 2
    assert out.position_s() == pytest.approx(0.9)
    out.pause()
    out.seek(0.5)  # seeking while paused: the next play starts there
    assert out.position_s() == 0.5
    out.play(0.5, 1.0)
    assert sink.starts == 3


# ---------------------------------------------------------------- drift correction


def test_resync_drops_sound_that_lags_the_picture(qtbot: QtBot, out: AudioOutput, sink: FakeSink,
                                                  clip: SealedClip) -> None:
    out.load(clip.factory())
    out.play(0.0, 2.0)
    fill(qtbot, out, sink, 9600)
    sink.play(2400)  # heard: 0.05 s playing time = 0.1 s media
    assert out.position_s() == pytest.approx(0.1, abs=FRAME_S)
    assert not out.resync(0.15)  # 50 ms apart: within tolerance
    assert out.resync(0.4)  # 300 ms behind: drop 0.3 s of media = 0.15 s of playing time
    assert not out.resync(0.4)  # the correction is not heard yet: no second one
    sink.play(9600 - 2400)  # the buffered part (written before the correction) plays
    position = out.position_s()
    assert position is not None
    play_from = position
    fill(qtbot, out, sink, 2400)
    sink.play(1)  # the first frame after the correction
    assert out.position_s() == pytest.approx(play_from + 0.3, abs=FRAME_S)


def test_resync_holds_sound_that_leads_the_picture(qtbot: QtBot, out: AudioOutput, sink: FakeSink,
                                                   clip: SealedClip) -> None:
    out.load(clip.factory())
    out.play(0.5, 1.0)
    fill(qtbot, out, sink, 9600)
    sink.play(4800)
    assert out.position_s() == pytest.approx(0.6, abs=FRAME_S)
    assert out.resync(0.4)  # 200 ms ahead: 200 ms of silence after what is buffered
    sink.play(4800)  # the rest of the buffer
    held = out.position_s()
    assert held is not None
    fill(qtbot, out, sink, 9600)
    silence = sink.pcm()[9600:9600 + 9600]
    assert len(silence) == 9600 and not silence.any()  # 0.2 s × 48 kHz frames of zeros
    sink.play(9600)
    assert out.position_s() == pytest.approx(held, abs=1e-6)  # media time stood still
    fill(qtbot, out, sink, 2400)
    sink.play(2400)
    assert out.position_s() == pytest.approx(held + 0.05, abs=FRAME_S)


def test_no_correction_before_the_device_plays(qtbot: QtBot, out: AudioOutput, sink: FakeSink,
                                              clip: SealedClip) -> None:
    """During the device's start-up the picture runs ahead, but nothing is heard yet: wait, do not correct."""
    out.load(clip.factory())
    out.play(0.0, 4.0)
    fill(qtbot, out, sink, 4800)
    assert out.drift_s(0.6) == pytest.approx(-0.6)
    assert not out.resync(0.6)
    sink.play(1)
    assert out.resync(0.6)  # now the lag is real


def test_resync_far_ahead_re_aims_the_decoder(qtbot: QtBot, out: AudioOutput, sink: FakeSink,
                                              clip: SealedClip) -> None:
    out.load(clip.factory())
    out.play(1.3, 1.0)
    fill(qtbot, out, sink, 4800)
    sink.play(2400)
    assert out.position_s() == pytest.approx(1.35, abs=FRAME_S)
    kept = held(sink)
    assert out.resync(0.2)  # 1.15 s ahead (the picture jumped back): decode from there again
    assert not out.resync(0.2)  # not heard yet
    sink.play(kept)
    fill(qtbot, out, sink, 2400)
    sink.play(2400)
    assert out.position_s() == pytest.approx(0.2 + kept / SAMPLE_RATE + 0.05, abs=FRAME_S)
    assert sink.starts == 1


# ---------------------------------------------------------------- clips that do not play


def test_clip_without_sound_says_so(qtbot: QtBot, out: AudioOutput, video_only: SealedClip) -> None:
    states: list[str] = []
    out.sig_state.connect(states.append)
    out.load(video_only.factory())
    out.play(0.0, 1.0)
    qtbot.waitUntil(lambda: states[-1] == "no audio", timeout=20_000)
    assert not out.playing
    out.load(None)  # the controller knows there is none
    assert states[-1] == "no audio"
    out.play(0.0, 1.0)  # no-op
    assert not out.playing


def test_tampered_clip_reports_the_error_and_stops(qtbot: QtBot, out: AudioOutput, sink: FakeSink,
                                                   sealed_dir: Path) -> None:
    big = seal(make_clip_bytes(seconds=2.0, noise_video=True), sealed_dir, "big")
    assert (big.path.stat().st_size - HEADER_SIZE) // CT_CHUNK_SIZE >= 4
    bad = tamper(big, 3, sealed_dir)
    errors: list[object] = []
    states: list[str] = []
    out.sig_error.connect(errors.append)
    out.sig_state.connect(states.append)
    out.load(bad.factory())
    out.play(0.0, 1.0)
    play_through(qtbot, out, sink)
    assert len(errors) == 1 and isinstance(errors[0], TamperedContainer)
    assert states[-1].startswith("error: ") and "altered or damaged" in states[-1]
    assert "ended" not in states


def test_device_that_will_not_open_turns_sound_off(qtbot: QtBot, sink: FakeSink, clip: SealedClip) -> None:
    sink.fail_start = True
    output = AudioOutput(sink_factory=lambda parent: (sink, ""))
    states: list[str] = []
    output.sig_state.connect(states.append)
    try:
        output.load(clip.factory())
        output.play(0.0, 1.0)
        assert states == [NO_DEVICE]
        assert not output.available and not output.playing
        output.play(0.0, 1.0)
        assert states == [NO_DEVICE, NO_DEVICE]
    finally:
        output.close()


def test_load_switches_clips_and_close_releases_the_reader(qtbot: QtBot, out: AudioOutput, sink: FakeSink,
                                                           clip: SealedClip) -> None:
    readers = []

    def factory():  # type: ignore[no-untyped-def]
        readers.append(clip.open())
        return readers[-1]

    out.load(factory)
    out.play(0.0, 1.0)
    fill(qtbot, out, sink, 4800)
    first = out._stream
    out.load(factory)  # the next clip
    assert first is not None
    qtbot.waitUntil(lambda: first.closed, timeout=20_000)
    out.play(0.0, 1.0)
    fill(qtbot, out, sink, 4800)
    second = out._stream
    out.close()
    assert second is not None
    qtbot.waitUntil(lambda: second.closed, timeout=20_000)
    assert len(readers) == 2 and all(r.closed for r in readers)
    assert isinstance(out, QObject)
