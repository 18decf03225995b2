"""Per-clip timings a supervisor can trust: watched seconds, replays, and active time.

*Watched seconds* count distinct seconds of the clip actually played (a replayed second counts once).
*Active time* runs while the window has focus and the annotator is engaged: the clip is playing, or
there was keyboard or mouse input within ``idle_after_s``. Time on another window, or sitting idle on
a paused clip, does not count.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

IDLE_AFTER_S = 30.0


class ClipTimer:
    def __init__(self, clock: Callable[[], float] = time.monotonic, *, idle_after_s: float = IDLE_AFTER_S,
                 focused: bool = True) -> None:
        self._clock = clock
        self.idle_after_s = idle_after_s
        now = clock()
        self._last = now
        self._last_input = now
        self._focused = focused
        self._playing = False
        self._active = 0.0
        self._seconds: set[int] = set()
        self.replays = 0

    def _advance(self) -> None:
        now = self._clock()
        start, self._last = self._last, now
        if not self._focused:
            return
        if self._playing:
            self._active += now - start
            return
        engaged_until = self._last_input + self.idle_after_s
        self._active += max(0.0, min(now, engaged_until) - start)

    def set_focused(self, focused: bool) -> None:
        self._advance()
        self._focused = focused

    def set_playing(self, playing: bool) -> None:
        self._advance()
        self._playing = playing
        if not playing:
            self._last_input = max(self._last_input, self._last)  # pausing is an act of attention

    def note_input(self) -> None:
        self._advance()
        self._last_input = self._last

    def note_frame(self, pts_s: float) -> None:
        """A frame at ``pts_s`` was played: its second counts as watched."""
        self._seconds.add(int(pts_s))

    def note_replay(self) -> None:
        self.replays += 1

    @property
    def watched_s(self) -> float:
        return float(len(self._seconds))

    @property
    def active_s(self) -> float:
        self._advance()
        return self._active

    def result(self) -> dict[str, Any]:
        return {"watched_s": self.watched_s, "replays": self.replays, "active_s": round(self.active_s, 3)}
