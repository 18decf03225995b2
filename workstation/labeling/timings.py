"""Per-clip timings a supervisor can trust: shown, decided, watched seconds, replays, active time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class ClipTimer:
    """Accumulates one clip's timings. ``active`` time stops while the window is unfocused or idle."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._active_since: float | None = clock()
        self._active_total = 0.0
        self._seconds: set[int] = set()
        self.replays = 0

    def set_active(self, active: bool) -> None:
        now = self._clock()
        if active and self._active_since is None:
            self._active_since = now
        elif not active and self._active_since is not None:
            self._active_total += now - self._active_since
            self._active_since = None

    def note_frame(self, pts_s: float) -> None:
        """A frame at ``pts_s`` was shown: its second counts as watched."""
        self._seconds.add(int(pts_s))

    def note_replay(self) -> None:
        self.replays += 1

    @property
    def watched_s(self) -> float:
        return float(len(self._seconds))

    @property
    def active_s(self) -> float:
        extra = self._clock() - self._active_since if self._active_since is not None else 0.0
        return self._active_total + extra

    def result(self) -> dict[str, Any]:
        return {"watched_s": self.watched_s, "replays": self.replays, "active_s": round(self.active_s, 3)}
