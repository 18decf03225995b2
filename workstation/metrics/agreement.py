"""Agreement between annotators over clips that more than one of them decided (nominal labels).

- :func:`cohen_kappa` — two raters over the same items: κ = (pₒ − pₑ) / (1 − pₑ), as scikit-learn's
  ``cohen_kappa_score`` (unweighted);
- :func:`fleiss_kappa` — any number of raters per item. With the same number of ratings on every item this is
  Fleiss' κ exactly as statsmodels' ``fleiss_kappa`` computes it; with varying numbers each item's agreement
  Pᵢ uses its own count nᵢ (Fleiss' estimator generalised, category shares weighted by ratings);
- :func:`krippendorff_alpha` — Krippendorff's α for nominal data from the coincidence matrix; items with
  one rating (missing values) add nothing, as in the ``krippendorff`` package;
- :func:`pairwise` and :func:`per_annotator` — Cohen's κ per pair of annotators over the clips both decided,
  and for each annotator against all peers pooled (each clip × peer one item).

Undefined is ``None``, never NaN: no items, items with a single rating only, or every rating in one category
(pₑ = 1: agreement cannot be told from chance).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's κ of two raters' labels on the same items (``a[i]`` and ``b[i]`` rate item ``i``)."""
    if len(a) != len(b):
        raise ValueError("both raters must rate the same items")
    n = len(a)
    if n == 0:
        return None
    agree = sum(1 for x, y in zip(a, b, strict=True) if x == y)
    count_a, count_b = Counter(a), Counter(b)
    chance = sum(count_a[c] * count_b[c] for c in count_a)  # pₑ · n²
    if chance == n * n:
        return None
    return (agree * n - chance) / (n * n - chance)


def _rated(items: Sequence[Sequence[str]]) -> list[Counter[str]]:
    return [Counter(item) for item in items if len(item) >= 2]


def fleiss_kappa(items: Sequence[Sequence[str]]) -> float | None:
    """Fleiss' κ over items, each the labels its raters gave (items with fewer than two ratings are left out)."""
    rated = _rated(items)
    if not rated:
        return None
    agreement = 0.0
    totals: Counter[str] = Counter()
    ratings = 0
    for counts in rated:
        n_i = sum(counts.values())
        agreement += (sum(c * c for c in counts.values()) - n_i) / (n_i * (n_i - 1))
        totals.update(counts)
        ratings += n_i
    p_mean = agreement / len(rated)
    p_chance = sum((c / ratings) ** 2 for c in totals.values())
    if len(totals) <= 1 or p_chance >= 1.0:
        return None
    return (p_mean - p_chance) / (1.0 - p_chance)


def krippendorff_alpha(items: Sequence[Sequence[str]]) -> float | None:
    """Krippendorff's α (nominal) over items, each the labels its raters gave."""
    coincidence_same = 0.0  # Σ_c o_cc
    marginals: Counter[str] = Counter()  # n_c (integers: each pairable value counts once)
    for counts in _rated(items):
        m = sum(counts.values())
        coincidence_same += sum(c * (c - 1) for c in counts.values()) / (m - 1)
        marginals.update(counts)
    n = sum(marginals.values())
    expected = n * n - sum(c * c for c in marginals.values())  # Σ_{c≠k} n_c n_k
    if n <= 1 or expected == 0:
        return None
    return 1.0 - (n - 1) * (n - coincidence_same) / expected


Ratings = Mapping[str, Mapping[str, str]]
"""clip id → annotator → the label that annotator's standing decision gave."""


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    n: int
    """Clips both decided."""
    kappa: float | None


def overlapped(ratings: Ratings) -> dict[str, Mapping[str, str]]:
    """The clips more than one annotator decided."""
    return {clip: raters for clip, raters in ratings.items() if len(raters) >= 2}


def pairwise(ratings: Ratings) -> list[Pair]:
    """Cohen's κ for every pair of annotators with a clip in common, sorted by names (``a`` < ``b``)."""
    labels: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for raters in overlapped(ratings).values():
        for a, b in combinations(sorted(raters), 2):
            left, right = labels.setdefault((a, b), ([], []))
            left.append(raters[a])
            right.append(raters[b])
    return [Pair(a, b, len(left), cohen_kappa(left, right)) for (a, b), (left, right) in sorted(labels.items())]


@dataclass(frozen=True)
class Peer:
    annotator: str
    n: int
    """(clip, peer) pairs: each clip counts once per peer who decided it too."""
    kappa: float | None


def per_annotator(ratings: Ratings) -> list[Peer]:
    """Each annotator's Cohen's κ against all peers pooled (her label vs. each peer's, per shared clip)."""
    mine: dict[str, tuple[list[str], list[str]]] = {}
    for raters in overlapped(ratings).values():
        for who, label in raters.items():
            left, right = mine.setdefault(who, ([], []))
            for peer, other in raters.items():
                if peer != who:
                    left.append(label)
                    right.append(other)
    return [Peer(who, len(left), cohen_kappa(left, right)) for who, (left, right) in sorted(mine.items())]


def items_of(ratings: Ratings) -> list[list[str]]:
    """The overlapped clips as items of labels (for :func:`fleiss_kappa` and :func:`krippendorff_alpha`)."""
    return [list(raters.values()) for raters in overlapped(ratings).values()]
