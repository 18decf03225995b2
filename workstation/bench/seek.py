"""Benchmark: frame step back and seeks on 1080p H.264 with 250-frame GOPs, through the encrypted cache. No Qt here.

The clip (1080p30, 20 s, keyframes at frames 0, 250 and 500 only, made with PyAV like the other bench
clips) goes through the same path as in the shift window: an encrypted local shift, the
:class:`~workstation.media.playback.Prefetcher` opening it through the decrypting reader and decoding its
first frame, then the real :class:`~workstation.media.playback.Playback` engine with the controller's
transform (``enhance.apply``, identity enhancement) scaling every frame to a 1600x900 view. Commands
come from this thread as the UI thread sends them; a figure is the time from the command to the
engine handing the right frame to ``on_frame`` (the UI would paint it next).

* **Step back** (``step_back_ms``): 30 presses of "one frame back", each as soon as the previous
  frame arrived but not sooner than a key repeat (40 ms after the previous press), starting while
  paused mid-GOP (a) after playing two seconds at 1x and (b) right after a seek (``--quick``: one
  of each, else two). Every press is checked to show frame n-k.
* **Seek** (``seek_ms``): Shift+arrow jumps of ±2 s from where the picture is (``seek_jump_ms``) and
  position-bar jumps to random times (``seek_bar_ms``, fixed seed), alternating, while paused; the
  next command follows once the engine is idle or :data:`SEEK_PACE_S` later, whichever comes first
  (a person looks at the frame before the next seek).

Memory: ``seek_rss_mb_added`` is the most the process grew from just before the clip opened, while
the clip was played, stepped and sought (the kept frames, the decoder tracks and their buffers).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from workstation.bench.playback import VIEW_SIZE, _identity_transform
from workstation.media.index import FrameIndex
from workstation.media.playback import FramePacket, Playback, Prefetcher
from workstation.session.localshift import build_local_shift

CLIP_SECONDS, CLIP_FPS, CLIP_GOP = 20, 30, 250
PRESSES = 30
KEY_REPEAT_S = 0.040
SEEK_PACE_S = 0.5
_DEADLINE = 60.0


@dataclass
class SeekRun:
    step_back_ms: list[float] = field(default_factory=list)
    jump_ms: list[float] = field(default_factory=list)  # ±2 s
    bar_ms: list[float] = field(default_factory=list)  # to a random time
    cache_mb_max: float = 0.0
    rss_mb_before: float = 0.0
    rss_mb_max: float = 0.0

    @property
    def seek_ms(self) -> list[float]:
        return self.jump_ms + self.bar_ms


class _Arrivals:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.packets: list[tuple[int, float]] = []  # (frame index, arrival time)
        self.error: BaseException | None = None

    def on_frame(self, packet: FramePacket) -> None:
        with self.cond:
            self.packets.append((packet.index, time.perf_counter()))
            self.cond.notify_all()

    def on_error(self, token: int, pts: float, exc: BaseException) -> None:
        with self.cond:
            self.error = exc
            self.cond.notify_all()

    def wait_for(self, seen: int, index: int, what: str) -> float:
        """The arrival time of frame ``index`` among the packets after the first ``seen``."""
        def arrived() -> float | None:
            for i, t in self.packets[seen:]:
                if i == index:
                    return t
            return None

        with self.cond:
            if not self.cond.wait_for(lambda: arrived() is not None or self.error is not None, _DEADLINE):
                raise RuntimeError(f"{what}: frame {index} never arrived (got {[i for i, _ in self.packets[seen:]]})")
            if self.error is not None:
                raise RuntimeError(f"{what}: the clip stopped ({type(self.error).__name__}: {self.error})")
            found = arrived()
            assert found is not None
            return found


def make_seek_clip(path: Path) -> Path:
    from workstation.media.synth import make_clip

    if not path.exists():
        make_clip(path, scene="walker", seed=250, width=1920, height=1080, fps=CLIP_FPS, seconds=CLIP_SECONDS,
                  gop=CLIP_GOP)
    return path


def measure(clip: Path, workdir: Path, *, quick: bool = False) -> SeekRun:
    """Step-back and seek latencies on ``clip`` played from an encrypted local shift (see the module notes)."""
    shift = build_local_shift(workdir / "seek", [clip])
    clip_id = shift.state.clips[0].clip_id
    run = SeekRun()
    arrivals = _Arrivals()
    prefetcher = Prefetcher(shift.open_source)
    prefetcher.set_target_size(*VIEW_SIZE)
    playback = Playback(arrivals.on_frame, lambda state: None, transform=_identity_transform,
                        on_error=arrivals.on_error)
    playback.set_target_size(*VIEW_SIZE)
    process = psutil.Process()
    run.rss_mb_before = run.rss_mb_max = process.memory_info().rss / 2**20
    try:
        prepared = prefetcher.take(clip_id, timeout=30)
        source = prepared.source
        index: FrameIndex | None = getattr(source, "index", None)
        if index is None:
            raise RuntimeError("the benchmark clip has no frame index")
        playback.load(1, source, prepared.first, autoplay=False)
        bench = _Bench(playback, arrivals, index, run, lambda: _sample(run, source, process))

        # step back (a): paused mid-GOP after playing 2 s at 1x; (b): paused right after a seek
        starts_played = [10.0] if quick else [10.0, 18.0]  # frames 300 → ~360 and 540 → ~600 (GOPs at 250, 500)
        starts_sought = [430] if quick else [430, 200]
        for start_s in starts_played:
            bench.seek_to(start_s, record=False)
            bench.play_for(2.0)
            bench.step_back(PRESSES)
        for frame in starts_sought:
            bench.seek_to(index.time_of(frame), record=False)
            bench.step_back(PRESSES)

        rng = random.Random(2024)
        for i in range(12 if quick else 40):
            if i % 2:
                bench.seek_to(rng.uniform(0.0, index.duration_s))
            else:
                bench.seek_by(rng.choice((2.0, -2.0)))
    finally:
        playback.shutdown()
        prefetcher.shutdown()
        shift.store.close()
    return run


def _sample(run: SeekRun, source: object, process: psutil.Process) -> None:
    run.cache_mb_max = max(run.cache_mb_max, float(getattr(source, "cache_bytes", 0)) / 2**20)
    run.rss_mb_max = max(run.rss_mb_max, process.memory_info().rss / 2**20)


class _Bench:
    def __init__(self, playback: Playback, arrivals: _Arrivals, index: FrameIndex, run: SeekRun,
                 sample: Callable[[], None]) -> None:
        self.playback = playback
        self.arrivals = arrivals
        self.index = index
        self.run = run
        self.sample = sample
        self.shown = 0
        self.clock = 0.0

    def _command(self, do: Callable[[], None], expected: int, what: str) -> float:
        seen = len(self.arrivals.packets)
        start = time.perf_counter()
        do()
        arrived = self.arrivals.wait_for(seen, expected, what)
        self.shown = expected
        self.sample()
        return (arrived - start) * 1000

    def _settle(self) -> None:
        self.playback.wait_idle(SEEK_PACE_S)

    def seek_to(self, seconds: float, record: bool = True) -> None:
        if record:
            self._settle()
        elif not self.playback.wait_idle(_DEADLINE):
            raise RuntimeError("the engine did not settle")
        target = min(max(0.0, seconds), self.index.duration_s)
        ms = self._command(lambda: self.playback.seek_to(target), self.index.index_at(target), f"seek to {target:.2f} s")
        self.clock = max(self.index.time_of(self.shown), target)
        if record:
            self.run.bar_ms.append(ms)

    def seek_by(self, seconds: float) -> None:
        self._settle()
        target = min(max(0.0, self.clock + seconds), self.index.duration_s)
        ms = self._command(lambda: self.playback.seek_by(seconds), self.index.index_at(target), f"jump {seconds:+} s")
        self.clock = max(self.index.time_of(self.shown), target)
        self.run.jump_ms.append(ms)

    def play_for(self, seconds: float) -> None:
        self.playback.set_rate(1.0)
        seen = len(self.arrivals.packets)
        self.playback.play()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            time.sleep(0.05)
            self.sample()
        self.playback.pause()
        if not self.playback.wait_idle(_DEADLINE):
            raise RuntimeError("the engine did not settle after pausing")
        played = [i for i, _ in self.arrivals.packets[seen:]]
        if not played:
            raise RuntimeError("nothing played")
        self.shown = self.playback._last_index
        self.clock = self.index.time_of(self.shown)

    def step_back(self, presses: int) -> None:
        last_press = 0.0
        for k in range(presses):
            wait = last_press + KEY_REPEAT_S - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            last_press = time.perf_counter()
            expected = self.shown - 1
            ms = self._command(lambda: self.playback.step(-1), expected, f"step back {k + 1}")
            self.run.step_back_ms.append(ms)
        self.clock = self.index.time_of(self.shown)


def results(clips_dir: Path, work: Path, quick: bool = False) -> dict[str, Any]:
    """The bench figures: ``step_back_ms_p95`` and ``seek_ms_p95`` (DESIGN.md targets ≤ 50 and ≤ 300) and their kin."""
    from workstation.bench.measure import percentile

    clip = make_seek_clip(clips_dir / f"seek_walker_1080p30_{CLIP_SECONDS}s_gop{CLIP_GOP}.mp4")
    run = measure(clip, work, quick=quick)
    return {
        "step_back_ms_p95": round(percentile(run.step_back_ms, 0.95), 1),
        "step_back_ms_p50": round(percentile(run.step_back_ms, 0.5), 1),
        "step_back_presses": len(run.step_back_ms),
        "seek_ms_p95": round(percentile(run.seek_ms, 0.95), 1),
        "seek_ms_p50": round(percentile(run.seek_ms, 0.5), 1),
        "seek_ms_max": round(max(run.seek_ms), 1),
        "seek_jump_ms_p95": round(percentile(run.jump_ms, 0.95), 1),
        "seek_bar_ms_p95": round(percentile(run.bar_ms, 0.95), 1),
        "seeks_measured": len(run.seek_ms),
        "seek_cache_mb_max": round(run.cache_mb_max, 1),
        "seek_rss_mb_added": round(run.rss_mb_max - run.rss_mb_before, 1),
    }
