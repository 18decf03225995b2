"""Outliers: far faster than the floor (median/MAD) together with low gold accuracy, and only those."""

from __future__ import annotations

import random

from workstation.metrics import outliers
from workstation.metrics.outliers import Annotator


def floor(seed: int = 7, n: int = 60) -> list[Annotator]:
    rng = random.Random(seed)
    return [Annotator(f"a{i:03d}", 400, rng.gauss(120, 12), 20, min(1.0, rng.gauss(0.9, 0.04))) for i in range(n)]


def test_only_the_fast_and_wrong_are_named_with_the_reason_in_numbers() -> None:
    people = floor()
    planted = [Annotator("zed", 900, 400.0, 25, 0.4), Annotator("zoe", 800, 350.0, 20, 0.5)]
    fast_but_right = Annotator("fay", 900, 400.0, 25, 0.95)
    slow_and_wrong = Annotator("sam", 300, 118.0, 25, 0.3)
    found = outliers.find([*people, *planted, fast_but_right, slow_and_wrong])
    assert [o.annotator for o in found] == ["zed", "zoe"]
    assert "400 clips per active hour against the floor's 1" in found[0].why and "40% right on 25 gold" in found[0].why


def test_too_little_work_is_not_compared() -> None:
    people = floor()
    few_clips = Annotator("new", 10, 900.0, 20, 0.1)
    few_gold = Annotator("odd", 500, 900.0, 4, 0.1)
    no_time = Annotator("nil", 500, None, 20, 0.1)
    assert outliers.find([*people, few_clips, few_gold, no_time]) == []
    assert outliers.find(people[:3] + [Annotator("zed", 900, 400.0, 25, 0.4)]) == []  # fewer than five compared


def test_no_spread_on_the_floor() -> None:
    same = [Annotator(f"a{i}", 100, 120.0, 10, 0.9) for i in range(10)]
    assert [o.annotator for o in outliers.find([*same, Annotator("zed", 100, 200.0, 10, 0.5)])] == ["zed"]
    assert outliers.find([*same, Annotator("zed", 100, 170.0, 10, 0.5)]) == []


def test_median_mad_and_robust_z() -> None:
    assert outliers.median([]) is None and outliers.mad([]) is None and outliers.robust_z(1.0, []) is None
    assert outliers.mad([1.0, 2.0, 3.0, 4.0, 100.0]) == 1.0
    assert outliers.robust_z(5.0, [1.0, 1.0, 1.0]) is None
    z = outliers.robust_z(10.0, [1.0, 2.0, 3.0, 4.0, 100.0])
    assert z is not None and abs(z - 7 / 1.4826) < 1e-9
