"""Agreement against the reference implementations (scikit-learn, statsmodels, krippendorff) and at the edges."""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from workstation.metrics import agreement

CATS = st.sampled_from(["person", "vehicle", "animal", "foliage"])


def _reference(call: object, *args: object, **kwargs: object) -> float | None:
    """The reference's answer, None where it answers NaN or refuses (its way of saying undefined)."""
    assert callable(call)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = float(call(*args, **kwargs))
        except (ValueError, ZeroDivisionError):
            return None
    return None if math.isnan(value) else value


def _same(ours: float | None, theirs: float | None) -> bool:
    if ours is None or theirs is None:
        return ours is None and theirs is None
    return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-9)


@given(st.integers(1, 40).flatmap(lambda n: st.tuples(st.lists(CATS, min_size=n, max_size=n),
                                                        st.lists(CATS, min_size=n, max_size=n))))
def test_cohen_kappa_matches_scikit_learn(pair: tuple[list[str], list[str]]) -> None:
    a, b = pair
    assert _same(agreement.cohen_kappa(a, b), _reference(cohen_kappa_score, a, b))


def test_cohen_kappa_edges() -> None:
    assert agreement.cohen_kappa([], []) is None  # no overlap
    assert agreement.cohen_kappa(["person"] * 5, ["person"] * 5) is None  # all agree on one label: undefined
    assert agreement.cohen_kappa(["person", "vehicle"], ["person", "vehicle"]) == 1.0
    assert agreement.cohen_kappa(["person", "vehicle"], ["vehicle", "person"]) == -1.0
    with pytest.raises(ValueError):
        agreement.cohen_kappa(["a"], [])


@given(st.integers(2, 6).flatmap(lambda raters: st.lists(st.lists(CATS, min_size=raters, max_size=raters),
                                                         min_size=1, max_size=30)))
def test_fleiss_kappa_matches_statsmodels_with_as_many_raters_on_every_clip(items: list[list[str]]) -> None:
    codes = {c: i for i, c in enumerate(sorted({c for item in items for c in item}))}
    table, _ = aggregate_raters(np.array([[codes[c] for c in item] for item in items]))
    assert _same(agreement.fleiss_kappa(items), _reference(sm_fleiss_kappa, table, method="fleiss"))


def test_fleiss_kappa_with_varying_raters_and_edges() -> None:
    # P_i: [a,a,a] 1, [a,b] 0, [b,b] 1 -> P = 2/3; shares a 4/7, b 3/7 -> Pe = 25/49
    assert agreement.fleiss_kappa([["a", "a", "a"], ["a", "b"], ["b", "b"]]) == pytest.approx(
        (2 / 3 - 25 / 49) / (1 - 25 / 49))
    assert agreement.fleiss_kappa([]) is None
    assert agreement.fleiss_kappa([["a"], ["b"]]) is None  # one annotator per clip: no overlap
    assert agreement.fleiss_kappa([["a", "a"], ["a", "a"]]) is None  # all agree on one label


RATER_ROWS = st.integers(2, 5).flatmap(
    lambda raters: st.integers(1, 25).flatmap(
        lambda units: st.lists(st.lists(st.one_of(st.none(), CATS), min_size=units, max_size=units),
                               min_size=raters, max_size=raters)))


@given(RATER_ROWS)
def test_krippendorff_alpha_matches_the_krippendorff_package_with_missing_values(rows: list[list[str | None]]) -> None:
    codes = {c: i for i, c in enumerate(["person", "vehicle", "animal", "foliage"])}
    data = np.array([[np.nan if v is None else codes[v] for v in row] for row in rows], dtype=float)
    items = [[row[u] for row in rows if row[u] is not None] for u in range(len(rows[0]))]
    theirs = _reference(krippendorff.alpha, reliability_data=data, level_of_measurement="nominal")
    assert _same(agreement.krippendorff_alpha(items), theirs)  # type: ignore[arg-type]


def test_krippendorff_alpha_edges() -> None:
    assert agreement.krippendorff_alpha([]) is None
    assert agreement.krippendorff_alpha([["a"], ["b"]]) is None  # nothing pairable
    assert agreement.krippendorff_alpha([["a", "a"], ["a", "a", "a"]]) is None  # all agree
    assert agreement.krippendorff_alpha([["a", "a"], ["b", "b"]]) == 1.0


def test_pairwise_and_per_annotator_over_the_clips_both_decided() -> None:
    ratings = {
        "c1": {"ana": "person", "ben": "person", "cai": "vehicle"},
        "c2": {"ana": "vehicle", "ben": "vehicle"},
        "c3": {"ana": "person"},                       # one annotator: not overlapped
        "c4": {"ben": "animal", "cai": "animal"},
    }
    pairs = {(p.a, p.b): p for p in agreement.pairwise(ratings)}
    assert set(pairs) == {("ana", "ben"), ("ana", "cai"), ("ben", "cai")}
    assert pairs["ana", "ben"].n == 2 and pairs["ana", "ben"].kappa == 1.0
    assert pairs["ana", "cai"].n == 1 and pairs["ana", "cai"].kappa == 0.0  # as scikit-learn: pe = 0
    assert _same(pairs["ben", "cai"].kappa, _reference(cohen_kappa_score, ["person", "animal"], ["vehicle", "animal"]))
    peers = {p.annotator: p for p in agreement.per_annotator(ratings)}
    assert peers["ana"].n == 3 and _same(peers["ana"].kappa, agreement.cohen_kappa(
        ["person", "person", "vehicle"], ["person", "vehicle", "vehicle"]))
    assert len(agreement.items_of(ratings)) == 3
    assert agreement.pairwise({"c3": {"ana": "person"}}) == [] and agreement.per_annotator({}) == []
