"""One press is one decision: which key presses may decide a clip. No Qt here.

A label key decides the clip on screen only when all of these hold:

1. **The key was really released since it last decided.** A key held down repeats. X11 sends each repeat
   as a release and a press with the *same* server timestamp, and Qt flags them as repeats only when it
   keeps up; on a busy seat they arrive looking like fresh presses. So a release counts as real only when
   the next press of that key does not carry its timestamp, and a repeat flag is believed when it is there.
2. **It was pressed after the clip became visible.** A press that waited in the queue while the app was busy
   switching clips belongs to the clip before (its timestamp is older than the new clip's first frame).
3. **The clip has been on screen for ``min_view_ms``** (machine policy, default 300 ms): a press before
   that is answered with a calm "the clip just started", never a decision.

Actions that must not repeat (undo, skip, flag…) use rule 1 only (:meth:`DecisionGate.action_press`).

Times are milliseconds on the app's monotonic clock; :class:`EventClock` turns each key event's own
timestamp (X server time, or the OS's) into that clock, so a press is placed when it happened, not when a
busy app got round to it.

Protects against: a held or bouncing key deciding clips nobody watched, and presses queued during a clip
switch landing on the next clip. Does not protect against an annotator who presses deliberately without
looking — the timings on each decision (watched seconds, active seconds) show that to a supervisor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

MIN_VIEW_MS = 300
"""The policy default for how long a clip shows before a label counts."""
SAME_EVENT_MS = 1.0
"""A release and a press of one key this close together (same timestamp) are one auto-repeat, not two presses."""


class Verdict(Enum):
    DECIDE = "decide"
    """The press decides the clip."""
    HELD = "held"
    """The key was not released since it last decided (held down, or an auto-repeat): nothing happens."""
    STALE = "stale"
    """Pressed before this clip was visible: it was meant for the clip before; nothing happens."""
    TOO_EARLY = "too_early"
    """The clip has been on screen less than ``min_view_ms``: the annotator is told the clip just started."""


@dataclass
class _Key:
    down: bool = False
    armed: bool = True
    """Released (for real) since this key last decided."""
    released_at: float | None = None


@dataclass
class DecisionGate:
    """Judges label-key presses against the rules above; one per shift window."""

    min_view_ms: float = MIN_VIEW_MS
    shown_at: float | None = None
    """When the clip on screen became visible (monotonic ms); None while nothing is visible."""
    _keys: dict[str, _Key] = field(default_factory=dict)

    def shown(self, at_ms: float) -> None:
        """The clip on screen became visible at ``at_ms``."""
        self.shown_at = at_ms

    def hidden(self) -> None:
        """Nothing decidable is visible (switching clips, covered, a dialog or banner up)."""
        self.shown_at = None

    def press(self, key: str, at_ms: float, *, repeat: bool = False) -> Verdict:
        """A label key went down at ``at_ms`` (``repeat``: the platform flagged it as an auto-repeat)."""
        state = self._keys.setdefault(key, _Key())
        held = repeat or (state.released_at is not None and abs(at_ms - state.released_at) <= SAME_EVENT_MS)
        state.down = True
        if held or not state.armed:
            state.armed = False
            return Verdict.HELD
        if self.shown_at is None or at_ms < self.shown_at:
            return Verdict.STALE
        if at_ms - self.shown_at < self.min_view_ms:
            return Verdict.TOO_EARLY
        return Verdict.DECIDE

    def action_press(self, key: str, at_ms: float, *, repeat: bool = False) -> bool:
        """A key of an action that must not repeat went down: True when it counts (it was released since)."""
        state = self._keys.setdefault(key, _Key())
        held = repeat or (state.released_at is not None and abs(at_ms - state.released_at) <= SAME_EVENT_MS)
        state.down = True
        if held or not state.armed:
            state.armed = False
            return False
        return True

    def release(self, key: str, at_ms: float, *, repeat: bool = False, stamped: bool = True) -> None:
        """The key came up at ``at_ms`` (an auto-repeat's release when ``repeat``, or when the next press
        carries the same timestamp). ``stamped``: the platform stamped the event (without stamps only the
        repeat flag can tell a repeat)."""
        if repeat:
            return
        state = self._keys.setdefault(key, _Key())
        state.down = False
        state.released_at = at_ms if stamped else None
        state.armed = True  # taken back by the next press if it carries this same timestamp

    def used(self, key: str) -> None:
        """The key's press decided (or ran its action): it must come up before it counts again."""
        state = self._keys.setdefault(key, _Key())
        state.armed = False
        state.released_at = None

    def is_down(self, key: str) -> bool:
        state = self._keys.get(key)
        return bool(state and state.down)


@dataclass
class EventClock:
    """When a key event happened, on the app's monotonic clock (ms), from the event's own timestamp.

    Each event carries its platform timestamp and arrives at some monotonic moment; the smallest difference
    seen (arrival − timestamp) is the clocks' offset plus the least delivery delay, so ``timestamp + offset``
    is when the event happened, however long it then waited in the queue of a busy app. A platform that
    gives no timestamps (0) is taken to stamp events when they arrive.
    """

    offset: float | None = None

    def note(self, event_ms: float, received_ms: float) -> float:
        """An event stamped ``event_ms`` arrived at monotonic ``received_ms``: when it happened (monotonic ms)."""
        if event_ms <= 0:
            return received_ms
        delta = received_ms - event_ms
        if self.offset is None or delta < self.offset:
            self.offset = delta
        return event_ms + self.offset
