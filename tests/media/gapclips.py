"""Motion-triggered camera clips: variable frame rate with long gaps, made with PyAV and hand-set timestamps.

Each shape is small (320x240, at most ~200 frames) and every frame differs from its neighbours
(:func:`tests.media.formats.upright_picture`), so a frame shown in the wrong place is caught.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tests.media import formats as F

_FAST = {"preset": "ultrafast", "g": "45"}
_ONE_GOP = {"preset": "ultrafast", "g": "300", "keyint_min": "300", "sc_threshold": "0"}
_BFRAMES = {"preset": "medium", "g": "24", "bf": "2"}
_HEVC = {"preset": "ultrafast", "x265-params": "log-level=none:keyint=40:bframes=2"}


def _run(start: float, n: int, fps: float = 15.0) -> list[float]:
    return [round(start + i / fps, 4) for i in range(n)]


def _irregular(start: float, n: int) -> list[float]:
    steps = (0.04, 0.16, 0.05, 0.35, 0.04, 0.04, 0.04, 0.28, 0.1, 0.03, 0.37, 0.05)
    out, t = [], start
    for i in range(n):
        out.append(round(t, 4))
        t += steps[i % len(steps)]
    return out


@dataclass(frozen=True)
class Shape:
    """One clip shape: frame times (seconds), container suffix, codec and its options."""

    times: tuple[float, ...]
    suffix: str = ".mp4"
    codec: str = "libx264"
    options: dict[str, str] = field(default_factory=lambda: dict(_FAST))


GAP_MIDDLE = tuple(_run(0.0, 150) + _run(20.0, 30))  # 10 s of frames, 10 s with none, the last 2 s
GAP_BEFORE_END = tuple(_run(0.0, 150) + [20.0, 20.0667])  # the gap right before the last two frames

SHAPES: dict[str, Shape] = {
    "gap-middle-mp4": Shape(GAP_MIDDLE),
    "gap-middle-mkv": Shape(GAP_MIDDLE, ".mkv"),
    "gap-before-end-mkv": Shape(GAP_BEFORE_END, ".mkv"),
    "gap-before-end-mp4": Shape(GAP_BEFORE_END),
    "one-gop-across-the-gap-mkv": Shape(GAP_MIDDLE, ".mkv", options=_ONE_GOP),
    "irregular-with-gap-bframes-mp4": Shape(tuple(_irregular(0.0, 70) + _irregular(25.0, 50)), options=_BFRAMES),
    "late-start-bframes-mkv": Shape(tuple(_run(3.0, 90) + _run(17.0, 40)), ".mkv", options=_BFRAMES),
    "late-start-bframes-mp4": Shape(tuple(_run(3.0, 90) + _run(17.0, 40)), options=_BFRAMES),
    "hevc-gap-mkv": Shape(tuple(_run(0.0, 60) + _run(12.0, 40)), ".mkv", codec="libx265", options=_HEVC),
}


def make_shape(directory: Path, name: str) -> Path:
    shape = SHAPES[name]
    return F.make_video(directory / f"{name}{shape.suffix}", codec=shape.codec, times=shape.times,
                        options=shape.options)


def digest(image: np.ndarray) -> str:
    """A per-frame hash of the exact pixels (and the shape)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr(image.shape).encode())
    h.update(np.ascontiguousarray(image).tobytes())
    return h.hexdigest()
