"""Frame stepping and jumps through the real playback engine, as the shift window drives it.

The clip goes through the vault's decrypting reader (counted, so a test can tell whether a step
decoded anything) into a :class:`FrameSource`, and :class:`Playback` hands every frame to a
recorder. The transform is the identity, so the pixels delivered are the decoded pixels, compared by
hash with a sequential decode. Waiting is always for an event (a frame, a state, the engine idle),
with a generous deadline that only stops a hung test: no timing thresholds, no fixed sleeps.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.media import formats as F
from tests.media import gapclips as G
from workstation.media.decode import FrameSource
from workstation.media.playback import FramePacket, Playback
from workstation.vault.container import DecryptingReader, encrypt_stream, generate_clip_key

CLIP_ID = "fedcba9876543210fedcba9876543210"
KEY = generate_clip_key()
DEADLINE = 60.0  # only a hung test ever waits this long
GOP = 60


class CountingReader(io.BufferedIOBase):
    """The vault's decrypting reader, counting the bytes the decoder asks of it."""

    def __init__(self, inner: DecryptingReader) -> None:
        super().__init__()
        self._inner = inner
        self.size = inner.size
        self.bytes_read = 0
        self._lock = threading.Lock()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self._inner.read(size)
        with self._lock:
            self.bytes_read += len(data)
        return data

    def read_at(self, offset: int, size: int) -> bytes:
        data = self._inner.read_at(offset, size)
        with self._lock:
            self.bytes_read += len(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._inner.seek(offset, whence)

    def tell(self) -> int:
        return self._inner.tell()

    def close(self) -> None:
        self._inner.close()
        super().close()


class Recorder:
    """What the UI adapter would get: frames and states, with waits on them."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.packets: list[FramePacket] = []
        self.states: list[str] = []
        self.errors: list[BaseException] = []

    def on_frame(self, packet: FramePacket) -> None:
        with self.cond:
            self.packets.append(packet)
            self.cond.notify_all()

    def on_state(self, state: str) -> None:
        with self.cond:
            self.states.append(state)
            self.cond.notify_all()

    def on_error(self, token: int, pts: float, exc: BaseException) -> None:
        with self.cond:
            self.errors.append(exc)
            self.cond.notify_all()

    def wait(self, what: Callable[[], bool], why: str) -> None:
        with self.cond:
            assert self.cond.wait_for(lambda: what() or bool(self.errors), DEADLINE), f"never happened: {why}"
            assert not self.errors, self.errors

    def next_frame(self, after: int, why: str) -> FramePacket:
        self.wait(lambda: len(self.packets) > after, why)
        return self.packets[after]


def identity(image: np.ndarray, width: int, height: int) -> np.ndarray:
    return image


@pytest.fixture(scope="session")
def long_gop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """200 frames of 320x240 H.264 at 15 fps with a keyframe every 60 frames (and B-frames), sealed."""
    folder = tmp_path_factory.mktemp("stepping")
    path = F.make_video(folder / "gop60.mp4", frames=200, options={"preset": "medium", "g": str(GOP), "bf": "2",
                                                                  "sc_threshold": "0"})
    return seal(path)


@pytest.fixture(scope="session")
def gap_clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """10 s of frames, a 10 s gap, the last 2 s (Matroska), sealed."""
    return seal(G.make_shape(tmp_path_factory.mktemp("stepping-gap"), "gap-middle-mkv"))


def seal(path: Path) -> tuple[Path, list[str]]:
    sealed = path.with_name(path.name + ".fwclip")
    with open(path, "rb") as src, open(sealed, "wb") as dst:
        encrypt_stream(src, dst, KEY, CLIP_ID)
    with FrameSource(DecryptingReader(sealed, KEY), cache_bytes=0) as source:
        hashes = []
        while (frame := source.read()) is not None:
            hashes.append(G.digest(frame.image))
    return sealed, hashes


class Rig:
    def __init__(self, sealed: Path, frames_cached: int | None) -> None:
        self.reader = CountingReader(DecryptingReader(sealed, KEY, expected_clip_id=CLIP_ID))
        probe = FrameSource(DecryptingReader(sealed, KEY))
        probe.read()
        self.frame_bytes = probe.cache_bytes
        probe.close()
        budget = None if frames_cached is None else frames_cached * self.frame_bytes
        self.source = FrameSource(self.reader) if budget is None else FrameSource(self.reader, cache_bytes=budget)
        self.rec = Recorder()
        self.playback = Playback(self.rec.on_frame, self.rec.on_state, transform=identity, on_error=self.rec.on_error)

    def load(self, *, autoplay: bool, rate: float = 1.0) -> None:
        first = self.source.read()
        assert first is not None
        self.playback.set_rate(rate)
        self.playback.load(1, self.source, first, autoplay=autoplay)

    def command(self, do: Callable[[], None], why: str) -> FramePacket:
        seen = len(self.rec.packets)
        do()
        return self.rec.next_frame(seen, why)

    def idle(self) -> None:
        assert self.playback.wait_idle(DEADLINE), "the engine never went idle"

    def close(self) -> None:
        self.playback.shutdown()
        self.source.close()
        self.reader.close()


@pytest.fixture
def rigs() -> Iterator[Callable[[Path, int | None], Rig]]:
    made: list[Rig] = []

    def make(sealed: Path, frames_cached: int | None) -> Rig:
        rig = Rig(sealed, frames_cached)
        made.append(rig)
        return rig

    yield make
    for rig in made:
        rig.close()


def play_then_pause(rig: Rig, at_least: int) -> int:
    """Play (4x) until frame ``at_least`` is on screen, pause; the index of the frame on screen."""
    rig.load(autoplay=True, rate=4.0)
    rig.rec.wait(lambda: any(p.index >= at_least for p in rig.rec.packets), f"playing to frame {at_least}")
    rig.playback.pause()
    rig.idle()
    shown = rig.rec.packets[-1].index
    assert rig.playback._last_index == shown
    return shown


def step_back(rig: Rig, hashes: list[str], start: int, presses: int) -> None:
    for k in range(1, presses + 1):
        packet = rig.command(lambda: rig.playback.step(-1), f"step back {k}")
        assert packet.index == start - k, f"after {k} steps back from {start}: frame {packet.index}"
        assert G.digest(packet.image) == hashes[start - k], f"frame {start - k} shows another picture"


# ---------------------------------------------------------------- step back: exact, and no decode


def test_stepping_back_after_playing_decodes_nothing(long_gop: tuple[Path, list[str]]) -> None:
    sealed, hashes = long_gop
    reader = CountingReader(DecryptingReader(sealed, KEY))
    with reader, FrameSource(reader) as source:
        for k in range(101):  # play to frame 100, mid-GOP (keyframes at 60 and 120)
            frame = source.read()
            assert frame is not None and frame.index == k
        before = reader.bytes_read
        for k in range(99, 69, -1):
            source.seek(k)
            frame = source.read()
            assert frame is not None and frame.index == k and G.digest(frame.image) == hashes[k]
        assert reader.bytes_read == before  # every step came from frames decoded while playing


def test_stepping_back_after_a_seek_decodes_nothing(long_gop: tuple[Path, list[str]]) -> None:
    sealed, hashes = long_gop
    reader = CountingReader(DecryptingReader(sealed, KEY))
    with reader, FrameSource(reader) as source:
        source.seek(110)
        frame = source.read()
        assert frame is not None and frame.index == 110 and G.digest(frame.image) == hashes[110]
        before = reader.bytes_read
        for k in range(109, 79, -1):
            source.seek(k)
            frame = source.read()
            assert frame is not None and frame.index == k and G.digest(frame.image) == hashes[k]
        assert reader.bytes_read == before  # the seek kept the frames it decoded on its way


def test_stepping_back_after_playing_is_exact(long_gop: tuple[Path, list[str]],
                                              rigs: Callable[[Path, int | None], Rig]) -> None:
    sealed, hashes = long_gop
    rig = rigs(sealed, 40)
    shown = play_then_pause(rig, at_least=100)  # mid-GOP: keyframes at 60 and 120
    assert GOP < shown - 30
    for k in range(1, 31):
        assert rig.source.cached(shown - k)  # kept while playing: the step costs no decode
        packet = rig.command(lambda: rig.playback.step(-1), f"step back {k}")
        assert packet.index == shown - k and G.digest(packet.image) == hashes[shown - k]


def test_stepping_back_after_a_seek_is_exact(long_gop: tuple[Path, list[str]],
                                             rigs: Callable[[Path, int | None], Rig]) -> None:
    sealed, hashes = long_gop
    rig = rigs(sealed, 40)
    rig.load(autoplay=False)
    target = 110
    packet = rig.command(lambda: rig.playback.seek_to(target / F.FPS), "the seek")
    assert packet.index == target and G.digest(packet.image) == hashes[target]
    for k in range(1, 31):
        assert rig.source.cached(target - k)  # kept on the way to the seek's target
        packet = rig.command(lambda: rig.playback.step(-1), f"step back {k}")
        assert packet.index == target - k and G.digest(packet.image) == hashes[target - k]


def test_stepping_back_far_is_exact_and_always_finds_the_frame_filled_in(long_gop: tuple[Path, list[str]],
                                                                         rigs: Callable[[Path, int | None], Rig]) -> None:
    """A small cache: the engine fills in behind the frame on screen while idle, across keyframes."""
    sealed, hashes = long_gop
    rig = rigs(sealed, 16)
    shown = play_then_pause(rig, at_least=150)
    for k in range(1, 100):  # back across the keyframes at 120 and 60
        rig.idle()
        assert rig.source.cached(shown - k), f"frame {shown - k} was not filled in while idle"
        packet = rig.command(lambda: rig.playback.step(-1), f"step back {k}")
        assert packet.index == shown - k and G.digest(packet.image) == hashes[shown - k]
    assert rig.source.cache_bytes <= 16 * rig.frame_bytes


def test_steps_back_and_forth_and_play_on(long_gop: tuple[Path, list[str]],
                                          rigs: Callable[[Path, int | None], Rig]) -> None:
    sealed, hashes = long_gop
    rig = rigs(sealed, 12)
    shown = play_then_pause(rig, at_least=130)
    step_back(rig, hashes, shown, 20)
    k = shown - 20
    for _ in range(25):  # forward past where playing stopped
        packet = rig.command(lambda: rig.playback.step(1), "step forward")
        k += 1
        assert packet.index == k and G.digest(packet.image) == hashes[k]
    seen = len(rig.rec.packets)
    rig.playback.set_rate(4.0)
    rig.playback.play()
    rig.rec.wait(lambda: "ended" in rig.rec.states, "playing to the end")
    played = [p.index for p in rig.rec.packets[seen:]]
    assert played == sorted(played) and played[-1] == len(hashes) - 1
    for p in rig.rec.packets[seen:]:
        assert G.digest(p.image) == hashes[p.index]


# ---------------------------------------------------------------- jumps on a clip with a long gap


def test_jumps_cross_the_gap_and_play_reaches_the_end(gap_clip: tuple[Path, list[str]],
                                                      rigs: Callable[[Path, int | None], Rig]) -> None:
    sealed, hashes = gap_clip
    rig = rigs(sealed, None)
    rig.load(autoplay=False)
    index = rig.source.index
    assert index is not None
    times = index.times
    packet = rig.command(lambda: rig.playback.seek_to(9.0), "seek to 9 s")
    assert packet.index == index.index_at(9.0) == 135
    clock = 9.0
    # +2 s jumps: into the gap (the last frame before it stays), on through it, to the frames after it
    for _ in range(7):
        packet = rig.command(lambda: rig.playback.seek_by(2.0), f"+2 s from {clock}")
        clock = min(clock + 2.0, index.duration_s)
        assert packet.index == index.index_at(clock), (clock, packet.index)
        assert G.digest(packet.image) == hashes[packet.index]
        assert rig.playback.position_s == pytest.approx(clock)
    assert packet.index == len(hashes) - 1  # 23 s is past the end: the last frame
    # -2 s jumps back across the gap
    for _ in range(7):
        packet = rig.command(lambda: rig.playback.seek_by(-2.0), f"-2 s from {clock}")
        clock = max(0.0, clock - 2.0)
        assert packet.index == index.index_at(clock) and G.digest(packet.image) == hashes[packet.index]
    # a jump near the end, then Play: the rest of the clip, then the end (not "undecodable")
    packet = rig.command(lambda: rig.playback.seek_to(times[-1] - 1.0), "seek near the end")
    start = packet.index
    seen = len(rig.rec.packets)
    rig.playback.set_rate(4.0)
    rig.playback.play()
    rig.rec.wait(lambda: "ended" in rig.rec.states, "playing to the end")
    assert not rig.rec.errors and not rig.source.ended_early
    played = [p.index for p in rig.rec.packets[seen:]]
    assert played and played == sorted(played) and played[-1] == len(hashes) - 1
    assert rig.playback.stats.dropped + len(played) >= len(hashes) - 1 - start


def test_a_jump_into_the_gap_then_play_waits_out_the_gap(gap_clip: tuple[Path, list[str]],
                                                         rigs: Callable[[Path, int | None], Rig]) -> None:
    sealed, hashes = gap_clip
    rig = rigs(sealed, None)
    rig.load(autoplay=False)
    packet = rig.command(lambda: rig.playback.seek_to(19.5), "seek into the gap")
    assert packet.index == 149 and rig.playback.position_s == pytest.approx(19.5)
    seen = len(rig.rec.packets)
    rig.playback.set_rate(4.0)
    rig.playback.play()
    rig.rec.wait(lambda: "ended" in rig.rec.states, "playing to the end")
    assert [p.index for p in rig.rec.packets[seen:]][-1] == len(hashes) - 1


# ---------------------------------------------------------------- the UI never waits for a decode


class SlowFill:
    """A source whose filling-in blocks until released (a long decode in the engine's thread)."""

    def __init__(self, source: FrameSource) -> None:
        self._source = source
        self.entered = threading.Event()
        self.release = threading.Event()

    def fill_behind(self, max_frames: int = 8) -> bool:
        self.entered.set()
        self.release.wait(DEADLINE)
        return False

    def __getattr__(self, name: str) -> object:
        return getattr(self._source, name)


def test_commands_return_while_the_engine_decodes(long_gop: tuple[Path, list[str]],
                                                  rigs: Callable[[Path, int | None], Rig]) -> None:
    sealed, _ = long_gop
    rig = rigs(sealed, None)
    slow = SlowFill(rig.source)
    first = rig.source.read()
    rig.playback.load(1, slow, first, autoplay=False)  # type: ignore[arg-type]
    assert slow.entered.wait(DEADLINE)

    def press() -> None:
        rig.playback.step(1)
        rig.playback.step(-1)
        rig.playback.seek_by(2.0)
        rig.playback.pause()
        rig.playback.set_rate(2.0)
        rig.playback.redraw()

    caller = threading.Thread(target=press)  # stands for the UI thread
    caller.start()
    caller.join(DEADLINE / 2)
    returned = not caller.is_alive()
    slow.release.set()
    caller.join()
    assert returned, "a command waited for the engine's decode"
    rig.idle()


@pytest.mark.parametrize("frames_cached", [0, 1, 3, None])
def test_the_engine_goes_idle_whatever_the_cache_holds(long_gop: tuple[Path, list[str]],
                                                       rigs: Callable[[Path, int | None], Rig],
                                                       frames_cached: int | None) -> None:
    """Idle work (fill in, jump targets, parked decoders) ends, even when the cache can keep nothing."""
    sealed, hashes = long_gop
    rig = rigs(sealed, frames_cached)
    rig.load(autoplay=False)
    for target in (150, 30, 199):
        packet = rig.command(lambda t=target: rig.playback.seek_to(t / F.FPS), f"seek to {target}")
        assert packet.index == target and G.digest(packet.image) == hashes[target]
        rig.idle()
        packet = rig.command(lambda: rig.playback.step(-1), "step back")
        assert packet.index == target - 1 and G.digest(packet.image) == hashes[target - 1]
        rig.idle()
    assert rig.source.cache_bytes <= (frames_cached if frames_cached is not None else 1 << 30) * rig.frame_bytes


def test_after_idle_work_a_seek_anywhere_decodes_at_most_the_longest_stretch_left(tmp_path: Path) -> None:
    """Three GOPs of 120 frames, the picture at 200: spare decoders go to the middle of the longest
    stretches a seek would decode (0–119 and 240–359), so no seek decodes more than the 81 frames of
    120–200 (without them: 119)."""
    from workstation.media.synth import make_clip

    clip = make_clip(tmp_path / "gop120.mp4", scene="walker", seed=5, width=320, height=240, fps=30, seconds=12,
                     gop=120)
    with open(clip, "rb") as f, FrameSource(f) as source:
        exact = source._exact
        assert exact is not None

        def settle() -> None:
            while source.fill_behind(8) or source.warm([], 8) or source.park(8):
                pass

        source.seek(200)
        assert source.read() is not None
        for t in [*range(0, 360, 7), 359, 241, 119]:
            settle()
            before = exact.decoded
            source.seek(t)
            frame = source.read()
            assert frame is not None and frame.index == t
            assert exact.decoded - before <= 81, f"a seek to {t} decoded {exact.decoded - before} frames"
            source.seek(200)  # back to where the picture was, for the next one
            assert source.read() is not None
