"""A decision's timings as the hub stores them: parsed from the wire, judged (:mod:`workstation.metrics.plausibility`),
and the time it counts at in the hub's fixed-width form (so times compare as strings, day = first 10 characters,
hour = first 13).

Kept free of the storage module so migrations can use it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from workstation.metrics import plausibility


def parse(at: str) -> datetime:
    """A wire or database time (ISO 8601 UTC ending in Z, any fraction) as an aware datetime."""
    moment = datetime.fromisoformat(at)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def fixed(moment: datetime) -> str:
    """The hub's fixed-width form: ``2025-01-06T09:00:04.250Z`` (milliseconds)."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class Judged:
    elapsed_s: float
    """``decided_at`` − ``shown_at`` (seconds; negative when decided before shown)."""
    implausible: str | None
    """The reasons, comma-separated; None when plausible."""
    counted_at: str
    """When it counts (fixed width): ``decided_at``, or the hub's receive time when the seat's clock is off."""


def judge(*, shown_at: str, decided_at: str, watched_s: float, active_s: float, duration_s: float | None,
          received_at: str, handed_out_at: str | None) -> Judged:
    shown, decided, received = parse(shown_at), parse(decided_at), parse(received_at)
    found = plausibility.reasons(shown_at=shown, decided_at=decided, watched_s=watched_s, active_s=active_s,
                                 duration_s=duration_s, received_at=received,
                                 handed_out_at=parse(handed_out_at) if handed_out_at else None)
    return Judged((decided - shown).total_seconds(), plausibility.as_text(found),
                  fixed(plausibility.counted_at(decided, received, found)))
