"""Small clips for the media tests, made once per session (a few hundred ms in total)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from workstation.media.synth import make_clip

W, H, FPS = 320, 240, 15


def numbered_frame(i: int, width: int = W, height: int = H) -> np.ndarray:
    """A frame that differs visibly from every other index: its number, a colour and a box position."""
    img = np.zeros((height, width, 3), np.uint8)
    img[:] = (i * 37 % 200 + 30, i * 11 % 200 + 30, 90)
    cv2.putText(img, str(i), (20, height * 2 // 3), cv2.FONT_HERSHEY_SIMPLEX, 3, (255, 255, 255), 6)
    x = (i * 9) % (width - 30)
    cv2.rectangle(img, (x, 10), (x + 25, 35), (0, 0, 255), -1)
    return img


def encode(path: Path, n: int, *, fps: int = FPS, codec: str = "libx264", faststart: bool = True,
           options: dict[str, str] | None = None, fmt: str = "mp4",
           frame: Callable[[int], np.ndarray] = numbered_frame) -> Path:
    """Encode ``n`` numbered frames with PyAV (``faststart`` False leaves the moov box at the end)."""
    with av.open(str(path), "w", format=fmt, options={"movflags": "+faststart"} if faststart else {}) as out:
        stream = out.add_stream(codec, rate=Fraction(fps), options=options or {"preset": "ultrafast", "g": "10"})
        assert isinstance(stream, av.VideoStream)
        first = frame(0)
        stream.height, stream.width = first.shape[:2]
        stream.pix_fmt = "yuv420p"
        for i in range(n):
            vf = av.VideoFrame.from_ndarray(frame(i) if i else first, format="bgr24")
            vf.pts = i
            for packet in stream.encode(vf):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media-clips")


@pytest.fixture(scope="session")
def walker_clip(clip_dir: Path) -> Path:
    """A synthetic walker clip: 320x240, 15 fps, 2 s = 30 frames."""
    return make_clip(clip_dir / "walker.mp4", scene="walker", seed=3, width=W, height=H, fps=FPS, seconds=2)


@pytest.fixture(scope="session")
def numbered_clip(clip_dir: Path) -> Path:
    """45 frames, every one different, GOP 10, moov at the front."""
    return encode(clip_dir / "numbered.mp4", 45)


@pytest.fixture(scope="session")
def numbered_frames(numbered_clip: Path) -> list[np.ndarray]:
    """The numbered clip decoded sequentially by OpenCV straight from its path (the reference)."""
    cap = cv2.VideoCapture(str(numbered_clip), cv2.CAP_FFMPEG)
    frames = []
    while True:
        ok, img = cap.read()
        if not ok:
            break
        frames.append(img)
    cap.release()
    return frames


@pytest.fixture(scope="session")
def moov_at_end_clip(clip_dir: Path) -> Path:
    """60 frames with the moov box written last (no faststart), as a camera or a plain ffmpeg run leaves it."""
    return encode(clip_dir / "moov-at-end.mp4", 60, faststart=False)


@pytest.fixture(scope="session")
def faststart_clip(clip_dir: Path) -> Path:
    """60 frames with the moov box first."""
    return encode(clip_dir / "faststart.mp4", 60, faststart=True)
