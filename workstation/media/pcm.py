"""PCM chunks and pitch-keeping tempo change for clip sound (see :mod:`workstation.media.audio`). No Qt.

Output format: :data:`SAMPLE_RATE` (48 kHz), stereo, signed 16-bit, interleaved. ``atempo`` (FFmpeg,
through PyAV) keeps the pitch; one instance accepts 0.5–2.0, so 0.25× and 4× chain two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Final

import av
import av.filter
import numpy as np

SAMPLE_RATE: Final = 48_000
CHANNELS: Final = 2
BYTES_PER_FRAME: Final = 2 * CHANNELS  # int16 × stereo
MIN_RATE: Final = 0.25  # the same range as Playback.set_rate
MAX_RATE: Final = 4.0
TIME_BASE: Final = Fraction(1, SAMPLE_RATE)


def clamp_rate(rate: float) -> float:
    """``rate`` limited to [MIN_RATE, MAX_RATE] (1.0 for nonsense such as NaN)."""
    if not math.isfinite(rate) or rate <= 0:
        return 1.0
    return max(MIN_RATE, min(MAX_RATE, float(rate)))


def atempo_factors(rate: float) -> list[float]:
    """The ``atempo`` instances to chain for ``rate``: each in [0.5, 2.0], product == rate; [] for 1."""
    rate = clamp_rate(rate)
    if rate == 1.0:
        return []
    factors: list[float] = []
    while rate > 2.0:
        factors.append(2.0)
        rate /= 2.0
    while rate < 0.5:
        factors.append(0.5)
        rate /= 0.5
    factors.append(rate)
    return factors


@dataclass(frozen=True, eq=False)
class PcmChunk:
    """Interleaved int16 stereo PCM at 48 kHz, ``pcm.shape == (frames, 2)``, starting at media time ``media_s``."""

    media_s: float
    rate: float
    pcm: np.ndarray

    @property
    def frames(self) -> int:
        return int(self.pcm.shape[0])

    @property
    def nbytes(self) -> int:
        return self.frames * BYTES_PER_FRAME

    @property
    def media_duration_s(self) -> float:
        """Media seconds this chunk covers (its playing time is ``frames / SAMPLE_RATE``)."""
        return self.frames * self.rate / SAMPLE_RATE

    @property
    def media_end_s(self) -> float:
        return self.media_s + self.media_duration_s

    def to_bytes(self) -> bytes:
        return self.pcm.tobytes()

    def split(self, frames: int) -> tuple[PcmChunk, PcmChunk]:
        """The first ``frames`` frames and the rest, each with its own media time."""
        frames = max(0, min(frames, self.frames))
        head = replace(self, pcm=self.pcm[:frames])
        tail = replace(self, media_s=self.media_s + frames * self.rate / SAMPLE_RATE, pcm=self.pcm[frames:])
        return head, tail


def to_int16(samples: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1], shape (n, 2), to int16 (n, 2), clipped."""
    out: np.ndarray = np.rint(np.clip(samples, -1.0, 1.0) * 32767.0).astype(np.int16)
    return out


def frame_array(frame: av.AudioFrame) -> np.ndarray:
    """A packed float stereo frame as a float32 (n, 2) array."""
    return frame.to_ndarray().reshape(-1, CHANNELS).astype(np.float32, copy=False)


class Tempo:
    """The ``atempo`` chain for one rate (or a pass-through at rate 1)."""

    def __init__(self, rate: float) -> None:
        self.rate = clamp_rate(rate)
        self._graph: av.filter.Graph | None = None
        self._pts = 0
        factors = atempo_factors(self.rate)
        if not factors:
            return
        graph = av.filter.Graph()
        node = graph.add_abuffer(format="flt", sample_rate=SAMPLE_RATE, layout="stereo", time_base=TIME_BASE)
        for factor in factors:
            stage = graph.add("atempo", f"{factor:.9f}")
            node.link_to(stage)
            node = stage
        sink = graph.add("abuffersink")
        node.link_to(sink)
        graph.configure()
        self._graph = graph

    def push(self, samples: np.ndarray | None) -> list[np.ndarray]:
        """Feed float (n, 2) samples (None: end of stream) and return what the filter has ready."""
        graph = self._graph
        if graph is None:
            return [] if samples is None or not len(samples) else [samples]
        if samples is None:
            graph.push(None)
        elif len(samples):
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1), format="flt", layout="stereo")
            frame.sample_rate = SAMPLE_RATE
            frame.time_base = TIME_BASE
            frame.pts = self._pts
            self._pts += len(samples)
            graph.push(frame)
        else:
            return []
        out: list[np.ndarray] = []
        while True:
            try:
                filtered = graph.pull()
            except (BlockingIOError, EOFError):  # av.error's subclasses: "need more input" / "done"
                return out
            if isinstance(filtered, av.AudioFrame):
                out.append(frame_array(filtered))
