"""media.decode: probing, frame access through file-like readers, errors, scaling."""

from __future__ import annotations

import gc
import io
import os
from pathlib import Path

import numpy as np
import pytest

from tests.media.conftest import FPS, H, W, encode
from workstation.errors import WorkstationError
from workstation.media.decode import (
    ClipInfo,
    Frame,
    FrameSource,
    MediaError,
    NotAVideo,
    TruncatedVideo,
    open_capture,
    probe,
)


def read_all(source: FrameSource) -> list[Frame]:
    frames = []
    while (frame := source.read()) is not None:
        frames.append(frame)
    return frames


# ---------------------------------------------------------------- probe


def test_probe_reports_size_fps_frames_duration_codec(walker_clip: Path) -> None:
    with open(walker_clip, "rb") as f:
        info = probe(f)
    assert info == ClipInfo(width=W, height=H, fps=15.0, frame_count=30, duration_s=2.0, codec="h264")


def test_probe_reads_from_bytesio_and_rewinds(walker_clip: Path) -> None:
    reader = io.BytesIO(walker_clip.read_bytes())
    reader.seek(123)  # probe must not depend on where the reader was left
    assert probe(reader).frame_count == 30
    assert reader.tell() == 0


def test_probe_counts_every_frame_of_a_longer_clip(faststart_clip: Path, moov_at_end_clip: Path) -> None:
    for clip in (faststart_clip, moov_at_end_clip):
        with open(clip, "rb") as f:
            assert probe(f).frame_count == 60


# ---------------------------------------------------------------- frame source


@pytest.mark.parametrize("how", ["file", "bytesio"])
def test_frame_source_reads_every_frame(walker_clip: Path, how: str) -> None:
    reader = open(walker_clip, "rb") if how == "file" else io.BytesIO(walker_clip.read_bytes())  # noqa: SIM115
    with reader, FrameSource(reader) as source:
        assert source.info == ClipInfo(W, H, 15.0, 30, 2.0, "h264")
        frames = read_all(source)
        assert source.read() is None  # stays at the end
    assert [f.index for f in frames] == list(range(30))
    assert [f.pts_s for f in frames] == pytest.approx([i / FPS for i in range(30)], abs=1e-3)
    for f in frames:
        assert f.image.shape == (H, W, 3)
        assert f.image.dtype == np.uint8
        assert f.image.flags.c_contiguous


def test_frame_source_matches_a_plain_path_decode(numbered_clip: Path, numbered_frames: list[np.ndarray]) -> None:
    with FrameSource(io.BytesIO(numbered_clip.read_bytes())) as source:
        frames = read_all(source)
    assert len(frames) == len(numbered_frames) == 45
    for mine, ref in zip(frames, numbered_frames):
        assert np.array_equal(mine.image, ref)


def test_seek_then_read_returns_that_frame(numbered_clip: Path, numbered_frames: list[np.ndarray]) -> None:
    last = len(numbered_frames) - 1
    targets = [0, 1, 9, 10, 11, 23, last - 1, last, 5, 0, last, 30, 29]  # keyframes every 10; back and forth
    with open(numbered_clip, "rb") as f, FrameSource(f) as source:
        source.read()
        for k in targets:
            source.seek(k)
            assert source.position == k
            frame = source.read()
            assert frame is not None, k
            assert frame.index == k
            assert frame.pts_s == pytest.approx(k / FPS, abs=1e-3)
            assert np.array_equal(frame.image, numbered_frames[k]), f"seek({k}) returned another frame"
            nxt = source.read()  # and decoding carries on from there
            if k < last:
                assert nxt is not None and nxt.index == k + 1
                assert np.array_equal(nxt.image, numbered_frames[k + 1])
            else:
                assert nxt is None


def test_seek_on_the_synthetic_clip_matches_sequential_decode(walker_clip: Path) -> None:
    with open(walker_clip, "rb") as f, FrameSource(f) as source:
        frames = read_all(source)
        for k in (0, 7, 14, 15, 16, 29):
            source.seek(k)
            frame = source.read()
            assert frame is not None and np.array_equal(frame.image, frames[k].image)


@pytest.mark.parametrize(
    ("codec", "fmt", "options"),
    [
        ("libx264", "mp4", {"preset": "medium", "g": "12"}),  # B-frames: decode order != display order
        ("libx265", "mp4", {"preset": "ultrafast", "x265-params": "log-level=none:keyint=12"}),
        ("libvpx-vp9", "webm", {"deadline": "realtime", "cpu-used": "8", "g": "12"}),
    ],
)
def test_seek_is_exact_for_other_codecs(tmp_path: Path, codec: str, fmt: str, options: dict[str, str]) -> None:
    clip = encode(tmp_path / f"clip.{fmt}", 30, codec=codec, fmt=fmt, options=options, faststart=fmt == "mp4")
    with open(clip, "rb") as f, FrameSource(f) as source:
        assert source.info.frame_count == 30
        frames = read_all(source)
        assert len(frames) == 30
        for k in (0, 5, 12, 13, 29, 3):
            source.seek(k)
            frame = source.read()
            assert frame is not None and np.array_equal(frame.image, frames[k].image), k


def test_seek_past_the_end_reads_nothing_and_negative_is_refused(numbered_clip: Path) -> None:
    with open(numbered_clip, "rb") as f, FrameSource(f) as source:
        source.seek(45)
        assert source.read() is None
        source.seek(1000)
        assert source.read() is None
        source.seek(3)
        frame = source.read()
        assert frame is not None and frame.index == 3
        with pytest.raises(ValueError):
            source.seek(-1)


def test_close_is_idempotent_and_reading_after_close_is_an_error(walker_clip: Path) -> None:
    with open(walker_clip, "rb") as f:
        source = FrameSource(f)
        assert source.read() is not None
        source.close()
        source.close()
        assert source.closed
        with pytest.raises(ValueError):
            source.read()


def test_the_capture_keeps_its_reader_alive(walker_clip: Path) -> None:
    # OpenCV itself holds no reference to the reader: without one the next grab reads freed memory.
    source = FrameSource(io.BytesIO(walker_clip.read_bytes()))
    cap = open_capture(io.BytesIO(walker_clip.read_bytes()))
    gc.collect()
    assert len(read_all(source)) == 30
    n = 0
    while cap.grab():
        n += 1
    assert n == 30
    cap.release()
    source.close()


# ---------------------------------------------------------------- errors


def assert_person_fit(err: WorkstationError) -> None:
    text = str(err)
    assert text.endswith(".") and "\n" not in text and "Traceback" not in text
    assert err.hint


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"Shift notes: nothing to see here.\n" * 200, "not a video"),
        (np.random.default_rng(5).bytes(200_000), "not a video"),
    ],
    ids=["empty", "text", "random"],
)
def test_not_a_video(data: bytes, words: str) -> None:
    for call in (probe, FrameSource, open_capture):
        with pytest.raises(NotAVideo) as info:
            call(io.BytesIO(data))
        assert words in str(info.value)
        assert_person_fit(info.value)


def test_not_a_video_from_a_text_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "notes.mp4"
    path.write_text("this is not a clip\n" * 100)
    with open(path, "rb") as f, pytest.raises(NotAVideo):
        probe(f)


def test_audio_only_file_is_not_a_video(tmp_path: Path) -> None:
    import av

    path = tmp_path / "sound.m4a"
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=16000)
        stream.layout = "mono"
        for i in range(20):
            frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
            frame.sample_rate, frame.pts = 16000, i * 1024
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    with open(path, "rb") as f, pytest.raises(NotAVideo):
        probe(f)


def test_errors_share_the_media_base() -> None:
    assert issubclass(NotAVideo, MediaError) and issubclass(TruncatedVideo, MediaError)
    assert issubclass(MediaError, WorkstationError)


def test_cut_file_without_its_index_says_it_is_incomplete(moov_at_end_clip: Path) -> None:
    data = moov_at_end_clip.read_bytes()
    moov = data.rindex(b"moov") - 4
    assert moov > len(data) // 2  # the index really is at the end
    cases = {
        len(data) // 2: "the file ends inside its 'mdat' box and its index (moov box) is missing",
        moov: "its index (moov box) is missing",
        moov + 200: "its index (moov box) is cut off",
    }
    for cut, detail in cases.items():
        for call in (probe, FrameSource):
            with pytest.raises(TruncatedVideo) as info:
                call(io.BytesIO(data[:cut]))
            assert str(info.value) == f"The clip file is incomplete: it starts like an MP4 but {detail}."
            assert_person_fit(info.value)


def test_an_mp4_header_with_nothing_after_it_is_incomplete() -> None:
    with pytest.raises(TruncatedVideo) as info:
        probe(io.BytesIO(b"\x00\x00\x00\x18ftypisom" + b"\x00" * 16))
    assert str(info.value) == "The clip file is incomplete: it starts like an MP4 but its index (moov box) is missing."


def test_cut_faststart_file_opens_but_ends_early(faststart_clip: Path) -> None:
    data = faststart_clip.read_bytes()
    half = data[: len(data) // 2]
    with pytest.raises(TruncatedVideo) as info:
        probe(io.BytesIO(half))
    message = str(info.value)
    assert message.startswith("The clip ends early: ") and message.endswith(" of 60 frames decode.")
    decoded = int(message.split(": ")[1].split(" of ")[0])
    assert 0 < decoded < 60
    assert_person_fit(info.value)
    # a FrameSource still plays what is there, then stops cleanly
    with FrameSource(io.BytesIO(half)) as source:
        assert source.info.frame_count == 60  # the container's claim
        assert len(read_all(source)) == decoded
        source.seek(59)
        assert source.read() is None


def test_a_frame_or_two_missing_is_tolerated(faststart_clip: Path) -> None:
    data = faststart_clip.read_bytes()
    # cut off only the tail of the last frame's data
    info = probe(io.BytesIO(data[:-30]))
    assert 58 <= info.frame_count <= 60
    assert info.duration_s == pytest.approx(info.frame_count / 15)


def test_cut_right_after_the_header_decodes_nothing(faststart_clip: Path) -> None:
    data = faststart_clip.read_bytes()
    mdat = data.index(b"mdat") - 4
    with pytest.raises(TruncatedVideo) as info:
        probe(io.BytesIO(data[: mdat + 16]))
    assert str(info.value) == "The clip ends early: 0 of 60 frames decode."


def test_garbage_after_a_valid_header_is_not_a_video(faststart_clip: Path) -> None:
    data = bytearray(faststart_clip.read_bytes())
    mdat = data.index(b"mdat") + 4
    data[mdat:] = bytes(len(data) - mdat)  # same length, so nothing is cut, but no frame decodes
    with pytest.raises(NotAVideo) as info:
        probe(io.BytesIO(bytes(data)))
    assert str(info.value) == "No frame of this file decodes (0 of 60 declared frames), so it is not a playable video."


def test_no_ffmpeg_chatter_or_traceback_on_bad_input(capfd: pytest.CaptureFixture[str], faststart_clip: Path) -> None:
    assert os.environ.get("OPENCV_FFMPEG_LOGLEVEL") is not None
    with pytest.raises(NotAVideo):
        probe(io.BytesIO(b"junk" * 1000))
    with pytest.raises(TruncatedVideo):
        probe(io.BytesIO(faststart_clip.read_bytes()[:5000]))
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert "WARN" not in err


# ---------------------------------------------------------------- readers that fail


class FlakyReader(io.BufferedIOBase):
    """Serves ``data`` but raises ``error`` on reads past ``fail_at`` (like a tampered container chunk)."""

    def __init__(self, data: bytes, fail_at: int, error: BaseException) -> None:
        self._b = io.BytesIO(data)
        self._fail_at = fail_at
        self._error = error

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._b.getbuffer()) if size is None or size < 0 else self._b.tell() + size
        if end > self._fail_at:
            raise self._error
        return self._b.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._b.seek(offset, whence)

    def tell(self) -> int:
        return self._b.tell()


class Tampered(WorkstationError):
    pass


def test_a_reader_error_surfaces_as_itself_not_a_crash(faststart_clip: Path) -> None:
    data = faststart_clip.read_bytes()
    err = Tampered("This clip's container was tampered with (chunk 3 fails authentication).", hint="Re-download.")
    with pytest.raises(Tampered):
        probe(FlakyReader(data, len(data) // 2, err))
    source = FrameSource(FlakyReader(data, len(data) // 2, err))
    with pytest.raises(Tampered):
        read_all(source)
    source.close()
    with pytest.raises(Tampered):  # failing while the header is read
        probe(FlakyReader(data, 100, err))


def test_an_os_error_in_the_reader_becomes_a_media_error(faststart_clip: Path) -> None:
    data = faststart_clip.read_bytes()
    with pytest.raises(MediaError) as info:
        probe(FlakyReader(data, len(data) // 2, OSError(5, "Input/output error")))
    assert "Input/output error" in str(info.value)
    assert isinstance(info.value.__cause__, OSError)
