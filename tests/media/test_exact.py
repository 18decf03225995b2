"""Every frame of every motion-triggered clip, reached by seek, by a step forward and by a step back.

Clips with long gaps between frames, a gap right before the end, irregular spacing, a first frame
at pts > 0 and B-frames (``tests/media/gapclips.py``), read through the vault's decrypting reader as
the app does. Each frame reached any way must be the frame a sequential decode gives at that index:
same index, same timestamp, same pixels (a per-frame hash). No timing thresholds.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tests.media import formats as F
from tests.media import gapclips as G
from workstation.media.decode import Frame, FrameSource
from workstation.media.index import build_index
from workstation.vault.container import DecryptingReader, encrypt_stream, generate_clip_key

CLIP_ID = "89abcdef0123456789abcdef01234567"
KEY = generate_clip_key()
SHAPES = list(G.SHAPES)


@dataclass
class Made:
    path: Path
    sealed: Path
    hashes: list[str]  # per frame, from a sequential decode
    times: list[float]


class Clips:
    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self._made: dict[str, Made] = {}

    def get(self, name: str) -> Made:
        if name not in self._made:
            path = G.make_shape(self.dir, name)
            sealed = path.with_name(path.name + ".fwclip")
            with open(path, "rb") as src, open(sealed, "wb") as dst:
                encrypt_stream(src, dst, KEY, CLIP_ID)
            with FrameSource(open_vault(sealed), cache_bytes=0) as source:
                frames = read_all(source)
            self._made[name] = Made(path, sealed, [G.digest(f.image) for f in frames], [f.pts_s for f in frames])
        return self._made[name]


def open_vault(sealed: Path) -> DecryptingReader:
    return DecryptingReader(sealed, KEY, expected_clip_id=CLIP_ID)


@pytest.fixture(scope="session")
def gap_clips(tmp_path_factory: pytest.TempPathFactory) -> Clips:
    return Clips(tmp_path_factory.mktemp("gap-clips"))


@pytest.fixture
def open_source() -> Iterator[object]:
    opened: list[tuple[FrameSource, DecryptingReader]] = []

    def make(made: Made, cache_bytes: int | None = None) -> FrameSource:
        reader = open_vault(made.sealed)
        source = FrameSource(reader) if cache_bytes is None else FrameSource(reader, cache_bytes=cache_bytes)
        opened.append((source, reader))
        return source

    yield make
    for source, reader in opened:
        source.close()
        reader.close()


def read_all(source: FrameSource) -> list[Frame]:
    frames = []
    while (frame := source.read()) is not None:
        frames.append(frame)
    return frames


def frame_at(source: FrameSource, k: int) -> Frame:
    source.seek(k)
    frame = source.read()
    assert frame is not None, f"seek({k}) gave no frame"
    return frame


def check(made: Made, frame: Frame, k: int, how: str) -> None:
    assert frame.index == k, f"{how}: asked for frame {k}, got {frame.index}"
    assert frame.pts_s == made.times[k], f"{how}: frame {k} has the wrong time"
    assert G.digest(frame.image) == made.hashes[k], f"{how}: frame {k} shows another picture"


# ---------------------------------------------------------------- the sequential decode is the whole clip


@pytest.mark.parametrize("name", SHAPES)
def test_a_sequential_decode_gives_every_frame_at_its_true_time(gap_clips: Clips, name: str) -> None:
    made = gap_clips.get(name)
    shape = G.SHAPES[name]
    ref = F.reference_decode(made.path)  # PyAV on the plain file, independently
    assert len(made.hashes) == len(ref.times) == len(shape.times)
    assert made.times == pytest.approx([t - shape.times[0] for t in shape.times], abs=1e-3)
    assert made.times == pytest.approx(ref.times, abs=1e-6)
    assert len(set(made.hashes)) == len(made.hashes)  # every frame differs: a wrong frame cannot pass


# ---------------------------------------------------------------- every frame, every way


@pytest.mark.parametrize("name", SHAPES)
def test_every_frame_by_seek_in_any_order(gap_clips: Clips, open_source: object, name: str) -> None:
    made = gap_clips.get(name)
    n = len(made.hashes)
    order = list(range(n))
    random.Random(9).shuffle(order)
    source = open_source(made, 0)  # type: ignore[operator]  # no cache: every seek decodes
    for k in order + [n - 1, 0, n - 1]:
        check(made, frame_at(source, k), k, "seek")
    assert not source.ended_early


@pytest.mark.parametrize("cache", ["none", "small", "default"])
@pytest.mark.parametrize("name", SHAPES)
def test_every_frame_by_stepping_forward_then_back(gap_clips: Clips, open_source: object, name: str,
                                                   cache: str) -> None:
    made = gap_clips.get(name)
    n = len(made.hashes)
    probe = open_source(made)  # type: ignore[operator]
    probe.read()
    one = probe.cache_bytes
    budget = {"none": 0, "small": 7 * one, "default": None}[cache]
    source = open_source(made, budget)  # type: ignore[operator]
    shown = source.read()
    assert shown is not None
    check(made, shown, 0, "first")
    for k in range(1, n):  # the player's step forward: seek to the next index, read
        check(made, frame_at(source, k), k, "step forward")
    for k in range(n - 2, -1, -1):  # and all the way back
        check(made, frame_at(source, k), k, "step back")
    assert source.cache_bytes <= (budget if budget is not None else 128 << 20)


@pytest.mark.parametrize("name", ["gap-middle-mkv", "gap-before-end-mkv", "late-start-bframes-mp4"])
def test_steps_back_from_the_end_after_playing_through(gap_clips: Clips, open_source: object, name: str) -> None:
    made = gap_clips.get(name)
    n = len(made.hashes)
    source = open_source(made, 0)  # type: ignore[operator]
    assert len(read_all(source)) == n
    for k in range(n - 1, max(-1, n - 40), -1):
        check(made, frame_at(source, k), k, "step back from the end")


@pytest.mark.parametrize("name", SHAPES)
def test_two_second_jumps_across_and_after_the_gap(gap_clips: Clips, open_source: object, name: str) -> None:
    made = gap_clips.get(name)
    n = len(made.hashes)
    source = open_source(made, 0)  # type: ignore[operator]
    index = source.index
    assert index is not None
    for k in range(0, n, 3):
        for jump in (2.0, -2.0):
            t = made.times[k] + jump
            source.seek_time(t)
            frame = source.read()
            want = index.index_at(max(0.0, t))
            assert frame is not None, f"a jump of {jump:+} s from frame {k} gave no frame"
            check(made, frame, want, f"{jump:+} s from {k}")
    last = n - 1
    source.seek_time(made.times[last] + 2.0)  # +2 s at the very end: the last frame
    end = source.read()
    assert end is not None
    check(made, end, last, "+2 s at the end")


@pytest.mark.parametrize("name", SHAPES)
def test_reading_on_to_the_end_after_a_seek_near_it(gap_clips: Clips, open_source: object, name: str) -> None:
    made = gap_clips.get(name)
    n = len(made.hashes)
    source = open_source(made, 0)  # type: ignore[operator]
    for start in (n - 1, n - 3, n - 20):
        source.seek(start)
        rest = read_all(source)
        assert [f.index for f in rest] == list(range(start, n))
        assert [G.digest(f.image) for f in rest] == made.hashes[start:]
        assert not source.ended_early


def test_a_plain_reader_reaches_every_frame_too(gap_clips: Clips) -> None:
    made = gap_clips.get("gap-middle-mkv")
    with open(made.path, "rb") as f, FrameSource(f, cache_bytes=0) as source:
        for k in reversed(range(len(made.hashes))):
            check(made, frame_at(source, k), k, "plain file")


def test_the_index_of_a_gap_clip_starts_its_clock_at_the_first_frame(gap_clips: Clips) -> None:
    """FFmpeg revises a Matroska stream's start_time while demuxing (5.07 s on this clip): the index must not."""
    made = gap_clips.get("gap-middle-mkv")
    index = build_index(io.BytesIO(made.path.read_bytes()))
    assert index.start_s == 0.0
    assert index.pts[0] == 0 and len(index.pts) == index.frame_count


@pytest.mark.parametrize("name", SHAPES)
def test_the_index_lists_exactly_the_frames_the_clip_holds(gap_clips: Clips, name: str) -> None:
    """A Matroska clip whose first frame is at 3 s declares its end at 19.7 s: no frame is missing from it."""
    made = gap_clips.get(name)
    with open(made.path, "rb") as f:
        index = build_index(f)
    shape = G.SHAPES[name]
    assert index.complete and index.frame_count == len(shape.times)
    assert list(index.times) == pytest.approx([t - shape.times[0] for t in shape.times], abs=1e-3)


# ---------------------------------------------------------------- a kept frame shows the same pixels


def test_a_frame_shows_the_same_pixels_however_it_was_reached(tmp_path: Path) -> None:
    """Kept frames are copies (a decoder's buffer pools never shrink); every frame shown is converted from one."""
    from workstation.media.exact import ExactDecoder
    from workstation.media.track import own_copy

    clips = {
        "h264": F.make_video(tmp_path / "a.mp4", frames=6),
        "h264-444-odd": F.make_video(tmp_path / "b.mp4", pix_fmt="yuv444p", width=321, height=239, frames=6),
        "hevc-10bit": F.make_video(tmp_path / "c.mkv", codec="libx265", pix_fmt="yuv420p10le", frames=6),
        "vp9-odd": F.make_odd_size_clip(tmp_path / "d.webm", frames=6),
        "mjpeg-full-range": F.make_video(tmp_path / "e.avi", codec="mjpeg", frames=6),
        "rotated": F.make_rotated_clip(tmp_path / "f.mp4", rotation_cw=90, seconds=0.4),
    }
    for name, path in clips.items():
        with open(path, "rb") as f:
            index = build_index(f)
            decoder = ExactDecoder(f, index, cache_bytes=0)
            try:
                spare = None
                for k in range(index.frame_count):
                    got = decoder.frame(k)
                    assert got is not None and got[0] == k
                    shown = decoder.image(got[1])
                    again = own_copy(got[1], spare)  # a copy of the copy, into a reused frame after the first
                    assert spare is None or again is spare
                    assert np.array_equal(decoder.image(again), shown), f"{name}: frame {k} is not stable"
                    spare = again
            finally:
                decoder.close()
        ref = F.reference_decode(path)
        with open(path, "rb") as f, FrameSource(f) as kept, open(path, "rb") as g, FrameSource(g, cache_bytes=0) as fresh:
            first = read_all(kept)
            assert kept.cached(0) and len(first) == len(ref.images)
            for k in reversed(range(len(first))):
                again = frame_at(kept, k).image
                assert np.array_equal(again, first[k].image), f"{name}: frame {k} stepped back to differs"
                assert np.array_equal(again, frame_at(fresh, k).image), f"{name}: kept frame {k} differs"
                assert F.close_enough(again, ref.images[k]), f"{name}: frame {k} is not the picture"
