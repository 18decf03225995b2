"""Benchmark: 1080p30 playback through the encrypted cache at 1× and 2×, headless. No Qt here.

The clip goes through the same path as in the shift window: an encrypted local shift, the
:class:`~workstation.media.playback.Prefetcher` opening the clip and decoding its first frame, then the
real :class:`~workstation.media.playback.Playback` engine scaling every frame to the view's size with
the controller's transform (``enhance.apply`` with the identity enhancement) and pacing it. Only the
receiving end differs: ``on_frame`` records the wall-clock time instead of queueing a Qt signal.

Two views of the same run:

* the engine's own count (``Playback.stats``): a frame decoded too late to be shown is dropped;
* the receiving side: every frame index that never arrived is dropped too, and each delivered frame's
  time is checked against its due time (load time + media time since the first frame ÷ rate). A
  delivery later than one frame interval past its due time would be seen as a stutter: it is counted
  as ``late`` (reported, not folded into the dropped figure).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from workstation.media.enhance import Enhancement, apply
from workstation.media.playback import FramePacket, Playback, Prefetcher
from workstation.session.localshift import build_local_shift

VIEW_SIZE = (1600, 900)
"""The video surface of the maximised shift window on a 1080p screen, roughly (device pixels)."""


@dataclass
class PlaybackRun:
    rate: float
    frame_count: int
    shown: int  # delivered frames, the prefetched first one included
    dropped: int  # never delivered
    late: int  # delivered, but more than one frame interval after their due time
    late_ms_max: float  # the worst lateness of a delivered frame (negative: always early)
    wall_s: float
    notes: list[str] = field(default_factory=list)

    @property
    def dropped_pct(self) -> float:
        total = self.shown + self.dropped
        return 100.0 * self.dropped / total if total else float("nan")


def _identity_transform(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """What ``ShiftController._transform`` does with the default view (no enhancement, no blur)."""
    return apply(image, Enhancement(), width, height, blur=False)


def play_through(clip: Path, workdir: Path, rates: tuple[float, ...] = (1.0, 2.0)) -> list[PlaybackRun]:
    """Play ``clip`` from an encrypted local shift once per rate, start to end; one result per rate."""
    shift = build_local_shift(workdir / "playback", [clip])
    clip_id = shift.state.clips[0].clip_id
    try:
        return [_play_once(shift.open_source, clip_id, rate, token) for token, rate in enumerate(rates, 1)]
    finally:
        shift.store.close()


def _play_once(open_source: object, clip_id: str, rate: float, token: int) -> PlaybackRun:
    clock = time.monotonic
    arrivals: list[tuple[int, float, float]] = []  # (frame index, pts, arrival time)
    ended = threading.Event()

    def on_frame(packet: FramePacket) -> None:
        arrivals.append((packet.index, packet.pts_s, clock()))

    def on_state(state: str) -> None:
        if state == "ended":
            ended.set()

    prefetcher = Prefetcher(open_source)  # type: ignore[arg-type]
    prefetcher.set_target_size(*VIEW_SIZE)
    playback = Playback(on_frame, on_state, clock=clock, transform=_identity_transform)
    playback.set_target_size(*VIEW_SIZE)
    playback.set_rate(rate)
    try:
        prepared = prefetcher.take(clip_id, timeout=30)
        info = prepared.source.info
        # the controller paints the prefetched first frame itself, then hands the clip to Playback
        loaded_at = clock()
        arrivals.append((prepared.first.index, prepared.first.pts_s, loaded_at))
        playback.load(token, prepared.source, prepared.first, autoplay=True)
        if not ended.wait(info.duration_s / rate + 15.0):
            raise RuntimeError(f"playback at {rate}× did not reach the end of the clip")
        wall = clock() - loaded_at
        stats = playback.stats
    finally:
        playback.shutdown()
        prefetcher.shutdown()

    first_pts = arrivals[0][1]
    interval = 1.0 / max(1.0, info.fps) / rate
    lateness = [t - (loaded_at + (pts - first_pts) / rate) for _, pts, t in arrivals[1:]]
    delivered = {index for index, _, _ in arrivals}
    missing = info.frame_count - len(delivered)
    notes = []
    if len(delivered) != len(arrivals):
        notes.append(f"{len(arrivals) - len(delivered)} frame(s) delivered twice")
    if stats.shown + 1 != len(delivered) or stats.dropped != missing:
        notes.append(f"engine counted shown={stats.shown}+1, dropped={stats.dropped}; receiver saw "
                     f"{len(delivered)} of {info.frame_count} frames")
    return PlaybackRun(
        rate=rate,
        frame_count=info.frame_count,
        shown=len(delivered),
        dropped=max(missing, stats.dropped),
        late=sum(1 for late in lateness if late > interval),
        late_ms_max=max(lateness, default=0.0) * 1000,
        wall_s=wall,
        notes=notes,
    )
