"""Real camera formats through the product's decoder, checked against an independent PyAV decode.

Every clip is read by :class:`FrameSource` twice — from the plain file (``open(path, "rb")``) and from
a real encrypted clip container (``encrypt_stream`` + ``DecryptingReader``) — and compared with PyAV
decoding the plain file (:func:`tests.media.formats.reference_decode`), not with OpenCV itself:
frame count, presentation times, pictures (up to colour-conversion rounding), duration, rotation.
No timing thresholds.
"""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.media import formats as F
from workstation.media import decode
from workstation.media.decode import ClipInfo, Frame, FrameSource, probe
from workstation.media.index import CannotIndex, FrameIndex, build_index
from workstation.vault.container import (
    DecryptingReader,
    encrypt_stream,
    generate_clip_key,
)

CLIP_ID = "0123456789abcdef0123456789abcdef"
KEY = generate_clip_key()

SourceOf = Callable[[Path, str], FrameSource]


def _case_maker(name: str) -> Callable[[Path], Path]:
    def make(directory: Path) -> Path:
        return F.make_case(directory, name)
    return make


# name -> how to make it in a directory
MAKERS: dict[str, Callable[[Path], Path]] = {
    **{name: _case_maker(name) for name in F.CASES},
    "rotated-90-mp4": lambda d: F.make_rotated_clip(d / "rot90.mp4", rotation_cw=90),
    "rotated-270-mkv": lambda d: F.make_rotated_clip(d / "rot270.mkv", rotation_cw=270),
    "rotated-180-mp4": lambda d: F.make_rotated_clip(d / "rot180.mp4", rotation_cw=180, width=320, height=240),
    "vfr-mp4": lambda d: F.make_vfr_clip(d / "vfr.mp4"),
    "vfr-mkv": lambda d: F.make_vfr_clip(d / "vfr.mkv"),
    "odd-vp9-webm": lambda d: F.make_odd_size_clip(d / "odd.webm", codec="libvpx-vp9"),
    "odd-mjpeg-avi": lambda d: F.make_odd_size_clip(d / "odd.avi", codec="mjpeg"),
    "odd-h264-444-mp4": lambda d: F.make_video(d / "odd444.mp4", codec="libx264", pix_fmt="yuv444p",
                                               width=321, height=239, frames=8),
    "sound-aac-mp4": lambda d: F.make_clip_with_audio(d / "aac.mp4", seconds=1.0, fps=15, width=320, height=240),
    "sound-opus-webm": lambda d: F.make_clip_with_audio(d / "opus.webm", seconds=1.0, fps=15, width=320,
                                                        height=240, audio_codec="libopus"),
    "sound-opus-mkv": lambda d: F.make_clip_with_audio(d / "opus.mkv", seconds=1.0, fps=15, width=320,
                                                       height=240, audio_codec="libopus"),
}
GOOD = list(MAKERS)
ROTATED = {"rotated-90-mp4": 90, "rotated-270-mkv": 270, "rotated-180-mp4": 180}
VFR = ["vfr-mp4", "vfr-mkv"]
SOUND = {"sound-aac-mp4": "aac", "sound-opus-webm": "opus", "sound-opus-mkv": "opus"}
READERS = ["plain", "vault"]


class Clips:
    """Clips made on first use and kept for the session, with their encrypted copies and references."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self._paths: dict[str, Path] = {}
        self._refs: dict[str, F.Reference] = {}

    def path(self, name: str) -> Path:
        if name not in self._paths:
            self._paths[name] = MAKERS[name](self.dir)
        return self._paths[name]

    def ref(self, name: str) -> F.Reference:
        if name not in self._refs:
            self._refs[name] = F.reference_decode(self.path(name))
        return self._refs[name]

    def add(self, name: str, path: Path) -> None:
        self._paths[name] = path


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Clips:
    return Clips(tmp_path_factory.mktemp("format-clips"))


def encrypted(path: Path) -> Path:
    """The clip container for ``path`` (made once, next to it)."""
    out = path.with_name(path.name + ".fwclip")
    if not out.exists():
        with open(path, "rb") as src, open(out, "wb") as dst:
            encrypt_stream(src, dst, KEY, CLIP_ID)
    return out


def open_reader(path: Path, how: str) -> io.BufferedIOBase:
    if how == "plain":
        return open(path, "rb")
    return DecryptingReader(encrypted(path), KEY, expected_clip_id=CLIP_ID)


@pytest.fixture
def source_of() -> Iterator[SourceOf]:
    """Open FrameSources (and their readers), closed at the end of the test."""
    opened: list[tuple[FrameSource, io.BufferedIOBase]] = []

    def make(path: Path, how: str) -> FrameSource:
        reader = open_reader(path, how)
        source = FrameSource(reader)
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


# ---------------------------------------------------------------- every format: frames, times, sizes


@pytest.mark.parametrize("how", READERS)
@pytest.mark.parametrize("name", GOOD)
def test_frames_match_an_independent_decode_of_the_plain_file(clips: Clips, source_of: SourceOf, name: str,
                                                               how: str) -> None:
    ref = clips.ref(name)
    source = source_of(clips.path(name), how)
    frames = read_all(source)

    assert len(frames) == len(ref.times) > 0
    assert [f.index for f in frames] == list(range(len(frames)))
    assert [f.pts_s for f in frames] == pytest.approx(ref.times, abs=1e-6)
    for frame, picture in zip(frames, ref.images):
        assert frame.image.shape == (ref.height, ref.width, 3)  # odd sizes at their true size, rotated upright
        assert frame.image.dtype == np.uint8 and frame.image.flags.c_contiguous
        assert F.close_enough(frame.image, picture), f"{name}: frame {frame.index} differs from PyAV's"
        assert F.marker_corner(frame.image) == "top-left"
    assert source.read() is None
    assert not source.ended_early
    assert source.frames_decoded == len(frames)

    info = source.info
    assert (info.width, info.height) == (ref.width, ref.height)
    assert info.frame_count == len(ref.times)
    assert info.has_audio == ref.has_audio
    assert info.rotation == ref.rotation_cw
    if name in VFR:  # the declared duration of a VFR MP4 with B-frames is not the shown time
        assert ref.times[-1] < info.duration_s <= ref.times[-1] + max(np.diff(ref.times))
    else:
        assert info.duration_s == pytest.approx(ref.declared_duration_s, abs=1.5e-3)
        assert info.fps == pytest.approx(F.FPS, rel=1e-3)
        assert info.duration_s == pytest.approx(info.frame_count / info.fps, abs=1.5e-3)
    index = source.index
    assert index is not None and index.complete
    assert [index.time_of(i) for i in range(index.frame_count)] == pytest.approx(ref.times, abs=1e-6)


@pytest.mark.parametrize("how", READERS)
@pytest.mark.parametrize("name", GOOD)
def test_probe_reads_every_format_and_reports_sound(clips: Clips, name: str, how: str) -> None:
    ref = clips.ref(name)
    with open_reader(clips.path(name), how) as reader:
        info = probe(reader)
        assert reader.tell() == 0
    assert isinstance(info, ClipInfo)
    assert info.frame_count == len(ref.times)
    assert (info.width, info.height) == (ref.width, ref.height)
    assert info.has_audio is (name in SOUND)
    assert info.audio_codec == SOUND.get(name)
    if name not in VFR:
        assert info.duration_s == pytest.approx(ref.declared_duration_s, abs=1.5e-3)


def test_clip_info_keeps_its_old_constructor() -> None:
    info = ClipInfo(320, 240, 15.0, 30, 2.0, "h264")
    assert (info.has_audio, info.audio_codec, info.rotation) == (False, None, 0)


# ---------------------------------------------------------------- rotation


@pytest.mark.parametrize("how", READERS)
@pytest.mark.parametrize("name", list(ROTATED))
def test_rotated_clips_play_upright_at_their_displayed_size(clips: Clips, source_of: SourceOf, name: str, how: str) -> None:
    degrees = ROTATED[name]
    ref = clips.ref(name)
    assert ref.rotation_cw == degrees  # the clip really carries a display matrix (read back by PyAV)
    stored_first = np.rot90(ref.images[0], k=degrees // 90)  # the picture as stored, before rotation
    assert F.marker_corner(stored_first) != "top-left"  # so the upright check below means something

    source = source_of(clips.path(name), how)
    assert source.index is not None and source.index.rotation == degrees
    assert source.info.rotation == degrees
    displayed = (240, 320) if degrees in (90, 270) else (320, 240)
    assert (source.info.width, source.info.height) == displayed
    for frame in read_all(source):
        assert frame.image.shape[:2] == (displayed[1], displayed[0])
        assert F.marker_corner(frame.image) == "top-left"
    source.seek(3)
    again = source.read()
    assert again is not None and F.marker_corner(again.image) == "top-left"


def test_opencv_honours_rotation_for_stream_input(clips: Clips) -> None:
    """What FrameSource relies on: OpenCV 5 turns stream input upright and says so."""
    with open(clips.path("rotated-90-mp4"), "rb") as f:
        cap = decode.open_capture(f)
        try:
            assert cap.get(cv2.CAP_PROP_ORIENTATION_AUTO) == 1
            assert cap.get(cv2.CAP_PROP_ORIENTATION_META) == 90
            assert (cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_HEIGHT)) == (240, 320)
            ok, image = cap.read()
            assert ok and image is not None and F.marker_corner(image) == "top-left"
        finally:
            cap.release()


def test_frame_source_rotates_itself_when_opencv_does_not(clips: Clips, monkeypatch: pytest.MonkeyPatch) -> None:
    """If OpenCV leaves frames as stored (auto-rotation off), FrameSource turns them by the index's rotation."""
    real_set = decode.Capture.set

    def no_auto(self: decode.Capture, prop: int, value: float) -> bool:
        return real_set(self, prop, 0.0 if prop == cv2.CAP_PROP_ORIENTATION_AUTO else value)

    monkeypatch.setattr(decode.Capture, "set", no_auto)
    with open(clips.path("rotated-90-mp4"), "rb") as f, FrameSource(f) as source:
        assert (source.info.width, source.info.height) == (240, 320)
        frames = read_all(source)
    assert len(frames) == len(clips.ref("rotated-90-mp4").times)
    for frame in frames:
        assert frame.image.shape[:2] == (320, 240)
        assert F.marker_corner(frame.image) == "top-left"


# ---------------------------------------------------------------- variable frame rate and exact seeking


@pytest.mark.parametrize("how", READERS)
@pytest.mark.parametrize("name", VFR)
def test_vfr_clip_is_timed_by_its_timestamps(clips: Clips, source_of: SourceOf, name: str, how: str) -> None:
    source = source_of(clips.path(name), how)
    index = source.index
    assert index is not None and index.is_vfr
    assert list(index.times) == pytest.approx(list(F.VFR_TIMES), abs=1e-6)
    assert source.info.frame_count == len(F.VFR_TIMES)
    assert source.info.fps == pytest.approx(index.frame_count / index.duration_s)
    frames = read_all(source)
    assert [f.pts_s for f in frames] == pytest.approx(list(F.VFR_TIMES), abs=1e-6)
    # the clock: the frame showing at any time is the last one that started at or before it
    for i, t in enumerate(F.VFR_TIMES):
        assert index.index_at(t) == i
        nxt = F.VFR_TIMES[i + 1] if i + 1 < len(F.VFR_TIMES) else t + 0.05
        assert index.index_at((t + nxt) / 2) == i
    assert index.index_at(-1.0) == 0 and index.index_at(1e6) == index.frame_count - 1


@pytest.mark.parametrize("name", VFR)
def test_the_vfr_clip_defeats_opencvs_own_frame_seek(clips: Clips, name: str) -> None:
    """Sanity: on these clips OpenCV's POS_FRAMES seek (constant-rate arithmetic) lands on wrong frames."""
    with open(clips.path(name), "rb") as f:
        index = build_index(f)
        cap = decode.open_capture(f)
        wrong = 0
        try:
            for k in range(16, index.frame_count, 2):
                cap.set(cv2.CAP_PROP_POS_FRAMES, k)
                if not cap.grab() or index.match(cap.get(cv2.CAP_PROP_POS_MSEC) / 1000) != k:
                    wrong += 1
        finally:
            cap.release()
    assert wrong > 0


SEEKABLE = ["vfr-mp4", "vfr-mkv", "h264-mp4", "h264-mkv", "hevc-mkv", "vp9-webm"]


@pytest.mark.parametrize("how", READERS)
@pytest.mark.parametrize("name", SEEKABLE)
def test_seek_and_step_back_and_forth_land_on_the_same_frame(clips: Clips, source_of: SourceOf, name: str,
                                                             how: str) -> None:
    source = source_of(clips.path(name), how)
    frames = read_all(source)
    n = len(frames)
    index = source.index
    assert index is not None and n == index.frame_count
    targets = [n - 1, 0, n // 2, n // 2 - 1, n // 2 + 1, 1, n - 2, 13, 12, 11, 24, 5, n - 1, 0]
    for k in targets:
        source.seek(k)
        assert source.position == k
        frame = source.read()
        assert frame is not None and frame.index == k, (name, k)
        assert frame.pts_s == pytest.approx(index.time_of(k), abs=1e-9)
        assert np.array_equal(frame.image, frames[k].image), f"{name}: seek({k}) returned another picture"
    # frame stepping as the player does it: back one, forward one, again and again
    k = n // 2
    for _ in range(6):
        source.seek(k - 1)
        back = source.read()
        source.seek(k)
        forward = source.read()
        assert back is not None and forward is not None
        assert (back.index, forward.index) == (k - 1, k)
        assert np.array_equal(back.image, frames[k - 1].image)
        assert np.array_equal(forward.image, frames[k].image)
        assert forward.pts_s == pytest.approx(frames[k].pts_s, abs=1e-9)
        k += 1 if k + 1 < n else -(n // 2)
    # and sequential reading carries on after a seek
    source.seek(n - 3)
    assert [f.index for f in read_all(source)] == [n - 3, n - 2, n - 1]
    assert not source.ended_early


@pytest.mark.parametrize("name", ["vfr-mkv", "h264-mp4"])
def test_seek_time_lands_on_the_frame_showing_then(clips: Clips, source_of: SourceOf, name: str) -> None:
    source = source_of(clips.path(name), "vault")
    index = source.index
    assert index is not None
    for t in (0.0, 0.1, 0.61, 1.0, index.duration_s * 0.7, index.duration_s + 5, -1.0):
        source.seek_time(t)
        frame = source.read()
        assert frame is not None
        assert frame.index == index.index_at(t)
        assert frame.pts_s <= max(t, 0.0) + 1e-9


def test_seek_past_the_end_reads_nothing_and_is_not_an_early_end(clips: Clips, source_of: SourceOf) -> None:
    source = source_of(clips.path("vfr-mp4"), "plain")
    source.seek(len(F.VFR_TIMES))
    assert source.read() is None
    assert not source.ended_early
    source.seek(2)
    frame = source.read()
    assert frame is not None and frame.index == 2 and frame.pts_s == pytest.approx(F.VFR_TIMES[2])


# ---------------------------------------------------------------- damaged clips


@pytest.fixture(scope="session")
def damaged(clips: Clips) -> dict[str, Path]:
    """h264-mp4 with its frame data zeroed from the middle on, with random bytes in the middle, and cut in half."""
    base = clips.path("h264-mp4")
    cut = clips.dir / "cut-half.mp4"
    data = base.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    return {
        "zeroed-from-middle": F.corrupt_middle(base, clips.dir / "zeroed.mp4", start=0.5, end=1.0),
        "random-in-middle": F.corrupt_middle(base, clips.dir / "random.mp4", start=0.45, end=0.6, fill="random"),
        "cut-in-half": cut,
    }


@pytest.mark.parametrize("how", READERS)
@pytest.mark.parametrize("kind", ["zeroed-from-middle", "random-in-middle", "cut-in-half"])
def test_a_clip_damaged_mid_way_plays_what_it_can_then_ends_early(clips: Clips, damaged: dict[str, Path],
                                                                  source_of: SourceOf, kind: str, how: str) -> None:
    whole = clips.ref("h264-mp4")
    source = source_of(damaged[kind], how)
    assert source.info.frame_count == len(whole.times)  # the container still declares the whole clip
    assert source.info.duration_s == pytest.approx(whole.declared_duration_s, abs=1.5e-3)
    frames = read_all(source)  # never raises
    assert 0 < len(frames) < len(whole.times)
    assert source.read() is None
    assert source.ended_early
    assert source.frames_decoded == len(frames)
    # what did decode is right: the first frames, at their true times, with their pictures
    assert [f.index for f in frames] == list(range(len(frames)))
    assert [f.pts_s for f in frames] == pytest.approx(whole.times[: len(frames)], abs=1e-6)
    for frame, picture in zip(frames, whole.images):
        assert F.close_enough(frame.image, picture)
    # seeking into the damaged part gives nothing (or a frame), never an exception; the start still plays
    source.seek(len(whole.times) - 2)
    late = source.read()
    assert late is None or late.index >= len(whole.times) - 2
    source.seek(0)
    first = source.read()
    assert first is not None and first.index == 0 and np.array_equal(first.image, frames[0].image)
    if kind == "cut-in-half":
        assert source.index is not None and not source.index.complete


def test_the_index_of_a_cut_file_declares_the_whole_clip(clips: Clips, damaged: dict[str, Path]) -> None:
    with open(damaged["cut-in-half"], "rb") as f:
        index = build_index(f)
    whole = clips.ref("h264-mp4")
    assert index.frame_count == len(whole.times)
    assert 0 < index.demuxed_frames < index.frame_count
    assert not index.complete
    assert index.duration_s == pytest.approx(whole.declared_duration_s, abs=1.5e-3)


# ---------------------------------------------------------------- the index itself


@pytest.mark.parametrize("name", ["h264-mp4", "hevc-mkv", "vp9-webm", "mjpeg-avi", "rotated-270-mkv", "sound-aac-mp4"])
def test_build_index_describes_the_stream(clips: Clips, name: str) -> None:
    ref = clips.ref(name)
    with open(clips.path(name), "rb") as f:
        f.seek(123)
        index = build_index(f)
        assert f.tell() == 0  # a plain reader is left rewound
    assert isinstance(index, FrameIndex)
    assert index.frame_count == len(ref.times) == index.demuxed_frames
    assert list(index.times) == pytest.approx(ref.times, abs=1e-6)
    assert index.keyframes[0]
    if name == "mjpeg-avi":
        assert all(index.keyframes)  # every JPEG stands alone
    else:
        assert 1 < sum(index.keyframes) < index.frame_count  # GOP of 12
    assert index.codec == ref.codec
    assert index.rotation == ref.rotation_cw
    assert index.display_size == (ref.width, ref.height)
    assert index.has_audio == ref.has_audio and index.audio_codec == ref.audio_codec
    assert not index.is_vfr
    for i in range(index.frame_count):
        assert index.index_at(index.time_of(i)) == i
        assert index.nearest(index.time_of(i) + 0.01) == i
        assert index.match(index.time_of(i)) == i
        assert index.keyframes[index.keyframe_at_or_before(i)]
    assert index.match(index.time_of(0) + 0.5 / F.FPS) is None  # between two frames: no match
    with pytest.raises(IndexError):
        index.time_of(index.frame_count)


def test_build_index_through_the_vault_does_not_move_the_shared_position(clips: Clips) -> None:
    path = clips.path("h264-mkv")
    with DecryptingReader(encrypted(path), KEY) as reader:
        reader.seek(777)
        index = build_index(reader)  # reads with read_at: safe next to a decoder using the reader
        assert reader.tell() == 777
    with open(path, "rb") as f:
        assert build_index(f) == index


def test_build_index_refuses_what_is_not_a_video() -> None:
    for data in (b"", b"not a video at all\n" * 500, np.random.default_rng(3).bytes(50_000)):
        with pytest.raises(CannotIndex):
            build_index(io.BytesIO(data))


class Exploding(io.BytesIO):
    """A reader that fails like a tampered vault chunk once reading passes ``fail_at``."""

    def __init__(self, data: bytes, fail_at: int) -> None:
        super().__init__(data)
        self.fail_at = fail_at

    def read(self, size: int | None = -1) -> bytes:
        if self.tell() + (size if size is not None and size >= 0 else 1 << 30) > self.fail_at:
            raise OSError("chunk 3 does not verify")
        return super().read(size)


def test_a_reader_error_during_indexing_propagates_as_itself(clips: Clips) -> None:
    data = clips.path("h264-mp4").read_bytes()
    with pytest.raises(OSError, match="chunk 3"):
        build_index(Exploding(data, len(data) // 2))


def test_without_an_index_frame_source_falls_back_to_opencv(clips: Clips, source_of: SourceOf,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def cannot(reader: object) -> FrameIndex:
        raise CannotIndex("PyAV cannot read this container.")

    monkeypatch.setattr(decode, "build_index", cannot)
    ref = clips.ref("h264-mp4")
    source = source_of(clips.path("h264-mp4"), "vault")
    assert source.index is None
    assert source.info.frame_count == len(ref.times)
    frames = read_all(source)
    assert [f.pts_s for f in frames] == pytest.approx(ref.times, abs=1e-3)
    source.seek(7)
    frame = source.read()
    assert frame is not None and np.array_equal(frame.image, frames[7].image)
    source.seek_time(0.5)
    frame = source.read()
    assert frame is not None and frame.index == 8  # 0.5 s * 15 fps, rounded


# ---------------------------------------------------------------- the helpers the audio work uses


def test_make_clip_with_audio_writes_the_tone_it_names(tmp_path: Path) -> None:
    import av

    for codec in ("aac", "libopus"):
        path = F.make_clip_with_audio(tmp_path / f"tone-{codec}.mp4", seconds=1.0, fps=10, width=160, height=120,
                                      audio_codec=codec, tone_hz=440)
        with av.open(str(path)) as container:
            samples = np.concatenate([frame.to_ndarray().reshape(-1) for frame in container.decode(audio=0)])
            rate = container.streams.audio[0].rate
        assert len(samples) >= 0.9 * rate
        spectrum = np.abs(np.fft.rfft(samples[: rate // 2]))
        peak_hz = np.argmax(spectrum) * rate / (rate // 2)
        assert peak_hz == pytest.approx(440, abs=5)
    with pytest.raises(ValueError):
        F.make_clip_with_audio(tmp_path / "x.mp4", seconds=1, fps=10, width=160, height=120, audio_codec="mp3")


def test_helpers_are_deterministic_and_small(clips: Clips) -> None:
    for name in F.CASES:
        assert os.path.getsize(clips.path(name)) < 200_000


@settings(max_examples=200, deadline=None)
@given(gaps=st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=60),
       probe_ms=st.integers(min_value=-1000, max_value=400_000))
def test_index_lookups_agree_for_any_frame_times(gaps: list[int], probe_ms: int) -> None:
    times = tuple(float(t) / 1000 for t in itertools.accumulate([0, *gaps]))
    n = len(times)
    index = FrameIndex(times=times, keyframes=(True,) + (False,) * (n - 1), duration_s=times[-1] + 0.04,
                       start_s=0.0, rotation=0, width=2, height=2, codec="h264", container="mp4",
                       has_audio=False, audio_codec=None, nominal_fps=0.0, demuxed_frames=n)
    t = probe_ms / 1000
    i = index.index_at(t)
    assert 0 <= i < n
    assert times[i] <= t or i == 0  # the frame showing at t started at or before t ...
    assert i == n - 1 or times[i + 1] > t  # ... and the next one has not started yet
    j = index.nearest(t)
    assert all(abs(times[j] - t) <= abs(x - t) + 1e-12 for x in times)
    for k in range(n):
        assert index.index_at(index.time_of(k)) == k
        assert index.match(index.time_of(k)) == k
        assert index.keyframe_at_or_before(k) == 0
