"""Throughput figures from decisions: time figures leave implausible decisions out; undefined is None."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.metrics import histogram
from workstation.metrics.throughput import Contribution, Decision, Totals, contribution, figures, label_counts, totals


def decision(kind: str = "label", label: str = "person", *, elapsed: float = 10.0, active: float = 9.0,
             watched: float = 8.0, duration: float | None = 24.0, implausible: bool = False,
             gold: str | None = None) -> Decision:
    return Decision(kind, label, elapsed, active, watched, duration, implausible, gold)


def test_nothing_decided_gives_none_not_nan() -> None:
    f = figures(Totals())
    assert f.clips == 0 and f.active_hours == 0.0 and f.gold_n == 0 and f.implausible == 0
    for name in ("clips_per_active_hour", "median_s", "p90_s", "watched_fraction", "fast_share", "skip_rate",
                 "flag_rate", "gold_accuracy"):
        assert getattr(f, name) is None, name


def test_figures_of_a_small_shift() -> None:
    ds = [
        decision(active=10.0, elapsed=11.0, watched=24.0),                      # fast: 11 < 24 / 2
        decision(label="vehicle", active=20.0, elapsed=20.0, watched=12.0, gold="vehicle"),
        decision(active=6.0, elapsed=6.0, watched=6.0, gold="vehicle"),        # wrong on gold, fast
        decision("skip", "skip", active=4.0, elapsed=4.0, watched=4.0),          # fast
        decision("flag", "sensitive", active=2.0, elapsed=2.0, watched=2.0, gold="person"),  # flags are not judged
        decision(active=500.0, elapsed=1.0, watched=99.0, implausible=True),   # counted, but not timed
    ]
    f = figures(totals(ds))
    assert f.clips == 6 and f.implausible == 1 and f.gold_n == 2 and f.gold_accuracy == 0.5
    assert f.active_hours == pytest.approx(42.0 / 3600)
    assert f.clips_per_active_hour == pytest.approx(5 / (42.0 / 3600))
    assert f.skip_rate == pytest.approx(1 / 6) and f.flag_rate == pytest.approx(1 / 6)
    assert f.watched_fraction == pytest.approx((24 + 12 + 6 + 4 + 2) / (5 * 24))
    assert f.fast_share == pytest.approx(4 / 5)  # on screen less than 12 s: 11, 6, 4 and 2 s
    assert f.median_s is not None and abs(f.median_s - 6.0) <= 0.3  # nearest rank: 3rd of 2, 4, 6, 10, 20
    assert f.p90_s is not None and abs(f.p90_s - 20.0) <= 1.0
    assert label_counts(ds) == {"person": 3, "vehicle": 1, "skip": 1, "sensitive": 1}


def test_an_unknown_clip_length_leaves_watch_figures_undefined() -> None:
    f = figures(totals([decision(duration=None), decision(duration=0.0)]))
    assert f.watched_fraction is None and f.fast_share is None and f.clips_per_active_hour is not None


def test_a_kind_that_is_no_decision_is_refused() -> None:
    with pytest.raises(ValueError):
        contribution(decision("retract", "retract"))


DECISIONS = st.builds(
    decision, st.sampled_from(["label", "skip", "flag"]), st.sampled_from(["person", "vehicle", "skip"]),
    elapsed=st.floats(0, 600), active=st.floats(0, 600), watched=st.floats(0, 40),
    duration=st.one_of(st.none(), st.floats(1, 40)), implausible=st.booleans(),
    gold=st.one_of(st.none(), st.sampled_from(["person", "vehicle"])))


@given(st.lists(DECISIONS, max_size=40), st.lists(DECISIONS, max_size=40))
def test_taking_decisions_back_returns_the_summary_to_what_it_was(kept: list[Decision], undone: list[Decision]) -> None:
    t = totals(kept)
    for d in undone:
        t.add(contribution(d))
    for d in undone:
        t.add(contribution(d), sign=-1)
    expected = totals(kept)
    assert t.hist == expected.hist and t.clips == expected.clips and t.gold_correct == expected.gold_correct
    assert math.isclose(t.active_s, expected.active_s, abs_tol=1e-6)


@given(st.lists(DECISIONS, max_size=60))
def test_figures_are_finite_or_none_and_the_median_matches_the_decisions(ds: list[Decision]) -> None:
    t = totals(ds)
    as_row = Totals.from_sums(Contribution(**{k: getattr(t, k) for k in (
        "clips", "labels", "skips", "flags", "implausible", "timed", "active_s", "watched_s", "watch_base_s", "fast",
        "fast_base", "gold_n", "gold_correct")}).sums(), t.hist)
    assert as_row == t
    for value in figures(t).as_dict().values():
        assert value is None or (isinstance(value, (int, float)) and math.isfinite(value))
    timed = [d.active_s for d in ds if not d.implausible]
    assert figures(t).median_s == (None if not timed else
                                   histogram.representative(histogram.bucket_of(histogram.exact_quantile(timed, 0.5)
                                                                                or 0.0)))
