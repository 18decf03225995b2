"""Throughput figures: what one decision adds to a summary, and the figures of a summed summary.

A *decision* here is a standing one (a label, skip or flag that was not taken back). Summaries add up
:class:`Contribution` s — per annotator and day, hour, shift or work period — and :func:`figures` turns any
sum of them (one row, an annotator's whole range, the floor) into what a supervisor reads:

- ``clips`` — decisions; ``skip_rate``, ``flag_rate`` — skips and flags among them;
- ``active_hours`` — the active time (:mod:`workstation.labeling.timings`: focused and engaged) of the
  *timed* decisions, i.e. those with plausible timings (:mod:`.plausibility`); implausible ones are counted
  in ``implausible`` and in the decision figures, never in a time figure;
- ``clips_per_active_hour`` — timed decisions ÷ their active hours;
- ``median_s``, ``p90_s`` — seconds per clip (active seconds of each timed decision), from the summed
  histogram (:mod:`.histogram`: nearest-rank, within 5 %);
- ``watched_fraction`` — watched seconds ÷ clip length, summed over timed decisions whose clip length is
  known (each decision's watched seconds capped at its clip's length);
- ``fast_share`` — share of those decided less than half the clip's length after it was shown
  (``decided_at`` − ``shown_at``: the clip was on screen for less than half of itself);
- ``gold_accuracy`` over ``gold_n`` — label decisions on gold clips that match the gold label (skips and
  flags of a gold clip are not judged).

Every ratio whose denominator is zero is ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from workstation.metrics import histogram

KINDS = ("label", "skip", "flag")
SUMS = ("clips", "labels", "skips", "flags", "implausible", "timed", "active_s", "watched_s", "watch_base_s", "fast",
        "fast_base", "gold_n", "gold_correct")
"""The additive fields of a summary, in the order summaries store them (then the histogram)."""
FLOAT_SUMS = frozenset({"active_s", "watched_s", "watch_base_s"})


@dataclass(frozen=True)
class Decision:
    """One standing decision, as summaries see it."""

    kind: str
    """``label``, ``skip`` or ``flag``."""
    label: str
    elapsed_s: float
    """``decided_at`` − ``shown_at`` (seconds)."""
    active_s: float
    watched_s: float
    duration_s: float | None
    """The clip's length, None when the hub does not know it."""
    implausible: bool
    gold_label: str | None = None
    """The clip's gold label, None for a clip that is not gold."""


@dataclass(frozen=True)
class Contribution:
    """What one decision adds to a summary (subtracted when it is taken back)."""

    clips: int = 0
    labels: int = 0
    skips: int = 0
    flags: int = 0
    implausible: int = 0
    timed: int = 0
    active_s: float = 0.0
    watched_s: float = 0.0
    watch_base_s: float = 0.0
    fast: int = 0
    fast_base: int = 0
    gold_n: int = 0
    gold_correct: int = 0
    bucket: int | None = None
    """The histogram bucket of its seconds per clip; None for an implausible decision."""

    def sums(self) -> tuple[float, ...]:
        return tuple(getattr(self, name) for name in SUMS)


def contribution(decision: Decision) -> Contribution:
    """What ``decision`` adds to a summary (see the module doc)."""
    if decision.kind not in KINDS:
        raise ValueError(f"{decision.kind!r} is not a decision kind")
    gold_n = int(decision.kind == "label" and decision.gold_label is not None)
    gold_correct = int(bool(gold_n) and decision.label == decision.gold_label)
    common: dict[str, Any] = {"clips": 1, "labels": int(decision.kind == "label"),
                              "skips": int(decision.kind == "skip"), "flags": int(decision.kind == "flag"),
                              "gold_n": gold_n, "gold_correct": gold_correct}
    if decision.implausible:
        return Contribution(implausible=1, **common)
    timed: dict[str, Any] = {"timed": 1, "active_s": decision.active_s,
                             "bucket": histogram.bucket_of(decision.active_s)}
    duration = decision.duration_s
    if duration is not None and duration > 0:
        timed.update(watched_s=min(decision.watched_s, duration), watch_base_s=duration, fast_base=1,
                     fast=int(decision.elapsed_s < duration / 2))
    return Contribution(**common, **timed)


@dataclass
class Totals:
    """A sum of contributions: a summary row, several merged, or built from decisions."""

    clips: int = 0
    labels: int = 0
    skips: int = 0
    flags: int = 0
    implausible: int = 0
    timed: int = 0
    active_s: float = 0.0
    watched_s: float = 0.0
    watch_base_s: float = 0.0
    fast: int = 0
    fast_base: int = 0
    gold_n: int = 0
    gold_correct: int = 0
    hist: list[int] = field(default_factory=histogram.empty)

    @classmethod
    def from_sums(cls, sums: Iterable[float | None], hist: Iterable[int | None]) -> Totals:
        """From a stored row: :data:`SUMS` in order, then the histogram's counts (NULL reads as 0)."""
        values = [v or 0 for v in sums]
        if len(values) != len(SUMS):
            raise ValueError(f"a summary holds {len(SUMS)} sums, not {len(values)}")
        args: dict[str, Any] = {name: (float(v) if name in FLOAT_SUMS else int(v))
                                for name, v in zip(SUMS, values, strict=True)}
        counts = [int(n or 0) for n in hist]
        if len(counts) != histogram.BUCKETS:
            raise ValueError(f"a histogram holds {histogram.BUCKETS} counts, not {len(counts)}")
        return cls(**args, hist=counts)

    def add(self, part: Contribution, sign: int = 1) -> None:
        for name in SUMS:
            setattr(self, name, getattr(self, name) + sign * getattr(part, name))
        if part.bucket is not None:
            self.hist[part.bucket] += sign

    def merge(self, other: Totals) -> None:
        for name in SUMS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for k, n in enumerate(other.hist):
            self.hist[k] += n


def totals(decisions: Iterable[Decision]) -> Totals:
    out = Totals()
    for decision in decisions:
        out.add(contribution(decision))
    return out


def _ratio(part: float, whole: float) -> float | None:
    if whole <= 0:
        return None
    value = part / whole
    return value if math.isfinite(value) else None  # a vanishing denominator (1e-308 s) tells nothing


@dataclass(frozen=True)
class Figures:
    clips: int
    active_hours: float
    clips_per_active_hour: float | None
    median_s: float | None
    p90_s: float | None
    watched_fraction: float | None
    fast_share: float | None
    skip_rate: float | None
    flag_rate: float | None
    gold_accuracy: float | None
    gold_n: int
    implausible: int

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def figures(t: Totals) -> Figures:
    """The supervisor's figures of a summary (see the module doc); undefined ones are None."""
    active_hours = max(t.active_s, 0.0) / 3600.0
    return Figures(
        clips=t.clips, active_hours=active_hours,
        clips_per_active_hour=_ratio(t.timed, active_hours),
        median_s=histogram.quantile(t.hist, 0.5), p90_s=histogram.quantile(t.hist, 0.9),
        watched_fraction=_ratio(t.watched_s, t.watch_base_s), fast_share=_ratio(t.fast, t.fast_base),
        skip_rate=_ratio(t.skips, t.clips), flag_rate=_ratio(t.flags, t.clips),
        gold_accuracy=_ratio(t.gold_correct, t.gold_n), gold_n=t.gold_n, implausible=t.implausible,
    )


def label_counts(decisions: Iterable[Decision]) -> dict[str, int]:
    """How many decisions carry each label code (``skip`` and flag codes included)."""
    out: dict[str, int] = {}
    for decision in decisions:
        out[decision.label] = out.get(decision.label, 0) + 1
    return out


def merge_label_counts(parts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in parts:
        for code, n in part.items():
            out[code] = out.get(code, 0) + n
    return {code: n for code, n in sorted(out.items()) if n}
