"""The seconds-per-clip histogram: buckets at their edges, merging, and the documented quantile precision."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.metrics import histogram

SECONDS = st.floats(min_value=0.0, max_value=3000.0, allow_nan=False)


def test_each_edge_opens_the_next_bucket() -> None:
    assert histogram.bucket_of(0.0) == 0 and histogram.bucket_of(0.4999) == 0
    for k in range(histogram.TOP):
        assert histogram.bucket_of(histogram.edge(k)) == k + 1
        assert histogram.bucket_of(math.nextafter(histogram.edge(k + 1), 0.0)) == k + 1
    assert histogram.bucket_of(histogram.edge(histogram.TOP)) == histogram.TOP + 1 == histogram.BUCKETS - 1
    assert histogram.bucket_of(1e9) == histogram.BUCKETS - 1
    assert 900 < histogram.edge(histogram.TOP) < 930


def test_an_empty_histogram_has_no_quantile_and_nan_has_no_bucket() -> None:
    assert histogram.quantile(histogram.empty(), 0.5) is None
    assert histogram.exact_quantile([], 0.5) is None
    with pytest.raises(ValueError):
        histogram.bucket_of(float("nan"))
    with pytest.raises(ValueError):
        histogram.merge([[1, 2, 3]])


def _within_bound(answer: float, exact: float) -> bool:
    if exact < histogram.LOWEST_S:
        return answer == histogram.LOWEST_S / 2
    if exact >= histogram.edge(histogram.TOP):
        return answer == histogram.edge(histogram.TOP)
    return abs(answer - exact) <= histogram.RELATIVE_ERROR * exact + 1e-9


@given(st.lists(SECONDS, min_size=1, max_size=300), st.floats(min_value=0.0, max_value=1.0))
def test_quantiles_are_within_the_documented_bound_of_the_exact_nearest_rank(values: list[float], q: float) -> None:
    exact = histogram.exact_quantile(values, q)
    answer = histogram.quantile(histogram.of(values), q)
    assert exact is not None and answer is not None
    assert _within_bound(answer, exact), (answer, exact)


@given(st.lists(st.lists(SECONDS, max_size=50), min_size=1, max_size=8))
def test_merged_histograms_answer_as_one_made_of_all_values(parts: list[list[float]]) -> None:
    merged = histogram.merge(histogram.of(part) for part in parts)
    whole = histogram.of([v for part in parts for v in part])
    assert merged == whole
    for q in (0.5, 0.9):
        assert histogram.quantile(merged, q) == histogram.quantile(whole, q)


def test_median_and_p90_of_a_known_list() -> None:
    values = [float(s) for s in range(1, 101)]  # 1 … 100 s
    counts = histogram.of(values)
    assert histogram.exact_quantile(values, 0.5) == 50 and histogram.exact_quantile(values, 0.9) == 90
    median, p90 = histogram.quantile(counts, 0.5), histogram.quantile(counts, 0.9)
    assert median is not None and abs(median - 50) <= 2.5
    assert p90 is not None and abs(p90 - 90) <= 4.5
