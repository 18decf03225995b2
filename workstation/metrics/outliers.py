"""Outliers: annotators far faster than the floor *and* with low gold accuracy — clicking through.

The rule, over the period a supervisor looks at (one figure per annotator for the whole range):

1. Only annotators with at least ``MIN_TIMED`` (30) timed decisions and ``MIN_GOLD`` (5) judged gold
   decisions are compared — fewer say too little about a person; with fewer than ``MIN_COMPARED`` (5) such
   annotators there is no floor to stand out from, and nobody is named.
2. *Far faster*: clips per active hour lies ``SPEED_Z`` (3.5) robust standard deviations above the floor's
   median: (x − median) / (1.4826 · MAD) ≥ 3.5, median and MAD (median absolute deviation) over the
   annotators of (1). Robust: the fast few do not drag the floor's figures along as a mean and standard
   deviation would. When MAD is 0 (everyone equally fast), faster than ``SPEED_RATIO_WITHOUT_SPREAD`` (1.5) ×
   the median counts as far faster.
3. *Low gold accuracy*: at least ``GOLD_GAP`` (15 points) below the median gold accuracy of the same
   annotators.

Both must hold: speed alone is a good annotator on easy clips; low accuracy alone is a training matter, not
clicking through. Each outlier comes with one sentence saying why, in numbers.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

MIN_TIMED = 30
MIN_GOLD = 5
MIN_COMPARED = 5
SPEED_Z = 3.5
GOLD_GAP = 0.15
SPEED_RATIO_WITHOUT_SPREAD = 1.5
MAD_TO_SD = 1.4826
"""MAD × this estimates the standard deviation of normally distributed figures."""


@dataclass(frozen=True)
class Annotator:
    """One annotator's figures over the range."""

    name: str
    timed: int
    clips_per_active_hour: float | None
    gold_n: int
    gold_accuracy: float | None


@dataclass(frozen=True)
class Outlier:
    annotator: str
    why: str


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def mad(values: Sequence[float]) -> float | None:
    """The median absolute deviation from the median."""
    middle = median(values)
    if middle is None:
        return None
    return statistics.median([abs(v - middle) for v in values])


def robust_z(value: float, values: Sequence[float]) -> float | None:
    """How many robust standard deviations (1.4826 · MAD) ``value`` lies above the median of ``values``;
    None when ``values`` is empty or has no spread."""
    middle, spread = median(values), mad(values)
    if middle is None or spread is None or spread == 0:
        return None
    return (value - middle) / (MAD_TO_SD * spread)


def _compared(annotators: Sequence[Annotator]) -> list[Annotator]:
    return [a for a in annotators if a.timed >= MIN_TIMED and a.gold_n >= MIN_GOLD
            and a.clips_per_active_hour is not None and a.gold_accuracy is not None]


def find(annotators: Sequence[Annotator]) -> list[Outlier]:
    """The annotators the rule of the module doc names, by name."""
    compared = _compared(annotators)
    if len(compared) < MIN_COMPARED:
        return []
    speeds = [a.clips_per_active_hour for a in compared if a.clips_per_active_hour is not None]
    accuracies = [a.gold_accuracy for a in compared if a.gold_accuracy is not None]
    floor_speed, spread = statistics.median(speeds), mad(speeds) or 0.0
    floor_gold = statistics.median(accuracies)
    out: list[Outlier] = []
    for a in sorted(compared, key=lambda a: a.name):
        assert a.clips_per_active_hour is not None and a.gold_accuracy is not None
        if spread > 0:
            z = (a.clips_per_active_hour - floor_speed) / (MAD_TO_SD * spread)
            fast, how = z >= SPEED_Z, f"robust z {z:.1f}"
        else:
            fast, how = a.clips_per_active_hour > SPEED_RATIO_WITHOUT_SPREAD * floor_speed, "no spread on the floor"
        wrong = a.gold_accuracy <= floor_gold - GOLD_GAP
        if fast and wrong:
            out.append(Outlier(a.name, f"{a.clips_per_active_hour:.0f} clips per active hour against the floor's "
                                       f"{floor_speed:.0f} ({how}), and {a.gold_accuracy:.0%} right on {a.gold_n} "
                                       f"gold clips against the floor's {floor_gold:.0%}."))
    return out
