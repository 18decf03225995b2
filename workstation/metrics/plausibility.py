"""When a decision's timings cannot be true, and which time a decision counts at.

The hub checks every decision as it arrives (:func:`reasons`). An implausible decision is still stored
and counts as a decision (clips, labels, rates, gold) — it is what the annotator sent — but it is marked
with its reasons, counted per annotator, and left out of every *time* figure (active hours, seconds per
clip, watched fraction, fast share), so one broken clock or timer cannot move a supervisor's numbers.

The rules and their tolerances (what a correct seat can legitimately produce stays inside them):

- ``decided_before_shown`` — ``decided_at`` earlier than ``shown_at`` (no tolerance: both come from the
  same clock on the same seat);
- ``watched_longer_than_clip`` — ``watched_s`` more than the clip's length plus ``WATCH_TOLERANCE_S``
  (1 s): the seat counts each second of the clip touched by a played frame, so a 24.3 s clip can count
  25; only checked when the hub knows the clip's length;
- ``active_longer_than_shown`` — ``active_s`` more than ``decided_at`` − ``shown_at`` plus
  ``ACTIVE_TOLERANCE_S`` (1 s) and ``ACTIVE_TOLERANCE_SHARE`` (2 %) of it: active time is measured on the
  seat's monotonic clock, the two times on its wall clock, and they may drift apart that much;
- ``clock_ahead`` — ``decided_at`` more than ``CLOCK_TOLERANCE_S`` (5 minutes) after the hub received the
  decision: the seat's clock runs ahead;
- ``clock_behind`` — ``shown_at`` more than ``CLOCK_TOLERANCE_S`` before the hub handed out the shift: the
  clip cannot have been shown before the seat had it, so the seat's clock runs behind.

A decision whose seat clock is off counts at the hub's receive time (:func:`counted_at`) for days, hours and
work periods; any other counts at its ``decided_at``. Decisions that sync late (a seat offline for a
while) are not implausible: only the seat's clock against the hub's is judged, never the delay.
"""

from __future__ import annotations

from datetime import datetime

WATCH_TOLERANCE_S = 1.0
ACTIVE_TOLERANCE_S = 1.0
ACTIVE_TOLERANCE_SHARE = 0.02
CLOCK_TOLERANCE_S = 300.0

DECIDED_BEFORE_SHOWN = "decided_before_shown"
WATCHED_LONGER_THAN_CLIP = "watched_longer_than_clip"
ACTIVE_LONGER_THAN_SHOWN = "active_longer_than_shown"
CLOCK_AHEAD = "clock_ahead"
CLOCK_BEHIND = "clock_behind"
REASONS = (DECIDED_BEFORE_SHOWN, WATCHED_LONGER_THAN_CLIP, ACTIVE_LONGER_THAN_SHOWN, CLOCK_AHEAD, CLOCK_BEHIND)
"""Every reason, in the order :func:`reasons` lists them."""
CLOCK_REASONS = frozenset({CLOCK_AHEAD, CLOCK_BEHIND})


def reasons(*, shown_at: datetime, decided_at: datetime, watched_s: float, active_s: float,
            duration_s: float | None, received_at: datetime, handed_out_at: datetime | None) -> tuple[str, ...]:
    """Why the decision's timings cannot be true (empty: plausible), in the order of :data:`REASONS`.

    ``received_at`` is when the hub received the decision and ``handed_out_at`` when it handed out its shift
    (None: unknown), both on the hub's clock; every other time is the seat's. Times must be aware (UTC).
    """
    found: list[str] = []
    elapsed = (decided_at - shown_at).total_seconds()
    if elapsed < 0:
        found.append(DECIDED_BEFORE_SHOWN)
    if duration_s is not None and duration_s > 0 and watched_s > duration_s + WATCH_TOLERANCE_S:
        found.append(WATCHED_LONGER_THAN_CLIP)
    if active_s > max(elapsed, 0.0) * (1 + ACTIVE_TOLERANCE_SHARE) + ACTIVE_TOLERANCE_S:
        found.append(ACTIVE_LONGER_THAN_SHOWN)
    if (decided_at - received_at).total_seconds() > CLOCK_TOLERANCE_S:
        found.append(CLOCK_AHEAD)
    if handed_out_at is not None and (handed_out_at - shown_at).total_seconds() > CLOCK_TOLERANCE_S:
        found.append(CLOCK_BEHIND)
    return tuple(found)


def counted_at(decided_at: datetime, received_at: datetime, found: tuple[str, ...]) -> datetime:
    """The time a decision counts at: its ``decided_at``, or the hub's receive time when the seat's clock is off."""
    return received_at if CLOCK_REASONS.intersection(found) else decided_at


def as_text(found: tuple[str, ...]) -> str | None:
    """The reasons as stored and shown (comma-separated), None for a plausible decision."""
    return ",".join(found) or None
