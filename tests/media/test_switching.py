"""Playback at a clip switch: the old clip's decoder is let go, and the new one decodes, after the switch's UI work.

A clip switch is the moment the UI thread is busiest (the label is committed, the next clip's first
frame painted). Freeing a decoder holds the GIL, and decoding in many short steps makes the UI thread
wait for it: both wait until the new clip's next frame is due (tests with fake sources and an injected
clock; no sleeps, no timing thresholds).
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass

import numpy as np

from workstation.media.decode import ClipInfo, Frame
from workstation.media.playback import SWITCH_LEAD_S, FramePacket, Playback

FPS = 10.0
DEADLINE = 60.0


@dataclass
class Log:
    events: list[str]
    cond: threading.Condition

    def add(self, what: str) -> None:
        with self.cond:
            self.events.append(what)
            self.cond.notify_all()

    def wait_for(self, what: str) -> None:
        with self.cond:
            assert self.cond.wait_for(lambda: what in self.events, DEADLINE), (what, self.events)


class FakeSource:
    """Frames 0..n-1 of ``name`` at FPS; every read and the close are logged, with the clock's time."""

    def __init__(self, name: str, log: Log, clock: FakeClock, n: int = 50) -> None:
        self.name, self.log, self.clock, self.n = name, log, clock, n
        self.info = ClipInfo(16, 16, FPS, n, n / FPS, "fake")
        self.next = 0
        self.read_at: list[float] = []

    def read(self) -> Frame | None:
        if self.next >= self.n:
            return None
        i, self.next = self.next, self.next + 1
        self.read_at.append(self.clock.now)
        self.log.add(f"{self.name} read {i}")
        return Frame(i, i / FPS, np.full((16, 16, 3), i, np.uint8))

    def seek(self, index: int) -> None:
        self.next = index

    def close(self) -> None:
        self.log.add(f"{self.name} closed")


class FakeClock:
    """A clock that moves on by ``step`` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.step = step
        self.now = 1000.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            self.now += self.step
            return self.now


def test_the_next_frame_after_a_switch_is_decoded_just_in_time() -> None:
    log = Log([], threading.Condition())
    clock = FakeClock(step=0.02)
    delivered: list[FramePacket] = []
    playback = Playback(lambda p: (delivered.append(p), log.add(f"shown {p.token}:{p.index}")), lambda s: None,
                        clock=clock, transform=lambda image, w, h: image)
    try:
        source = FakeSource("b", log, clock)
        first = source.read()
        assert first is not None
        loaded_at = clock.now
        playback.load(2, source, first, autoplay=True)  # type: ignore[arg-type]
        log.wait_for("shown 2:1")
        # frame 1 is due one frame interval after the first frame went up; it is decoded shortly before
        assert source.read_at[1] >= loaded_at + 1 / FPS - SWITCH_LEAD_S
    finally:
        playback.shutdown()


def test_the_old_clip_closes_after_the_new_clips_next_frame_is_handed_over() -> None:
    log = Log([], threading.Condition())
    clock = FakeClock(step=0.02)
    playback = Playback(lambda p: log.add(f"shown {p.token}:{p.index}"), lambda s: None, clock=clock,
                        transform=lambda image, w, h: image)
    try:
        a, b = FakeSource("a", log, clock), FakeSource("b", log, clock)
        first = a.read()
        playback.load(1, a, first, autoplay=True)  # type: ignore[arg-type]
        log.wait_for("shown 1:2")
        first = b.read()
        playback.load(2, b, first, autoplay=True)  # type: ignore[arg-type]
        log.wait_for("a closed")
        events = log.events
        assert events.index("shown 2:1") < events.index("a closed")
        # and a clip taken off (a flagged clip) is closed at once, with nothing to show first
        playback.unload()
        log.wait_for("b closed")
        assert not [e for e in itertools.dropwhile(lambda e: e != "b closed", events) if e.startswith("shown")]
    finally:
        playback.shutdown()
