"""A fixed-bucket histogram of seconds per clip, so medians and p90s come from summed counts, not scans.

Buckets grow geometrically: bucket 0 holds [0, ``LOWEST_S``); bucket ``k`` (1 … ``TOP``) holds
[``LOWEST_S`` · ``RATIO`` ** (k − 1), ``LOWEST_S`` · ``RATIO`` ** k); the last bucket, ``TOP`` + 1, holds
everything from ``edge(TOP)`` (about 15 minutes) on. A summary keeps one count per bucket
(:data:`BUCKETS` of them); histograms merge by adding counts.

**Precision.** :func:`quantile` answers the *nearest-rank* quantile — the ⌈q·n⌉-th smallest value (at
least the first) — with its bucket's representative: the geometric middle of the bucket. So:

- for a true value in [``LOWEST_S``, ``edge(TOP)``) = [0.5 s, ~916 s), the answer is within
  ``RELATIVE_ERROR`` (5 %) of it: ``RATIO`` is 1.05², so the middle is at most a factor 1.05 away from any
  value of its bucket;
- below 0.5 s the answer is 0.25 s (at most 0.25 s off);
- from ``edge(TOP)`` on the answer is ``edge(TOP)``: a lower bound ("at least 15 minutes").

A summary of someone's seconds per clip (typically 3–60 s) is therefore exact to ±5 %, which is finer
than the difference a supervisor acts on. The representative never depends on how counts were merged.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

LOWEST_S = 0.5
RATIO = 1.05 * 1.05
TOP = 77
"""The last bucket with an upper edge; ``edge(TOP)`` ≈ 916 s."""
BUCKETS = TOP + 2
"""How many counts a histogram holds: the under-0.5-s bucket, ``TOP`` geometric ones, the overflow."""
RELATIVE_ERROR = 0.05
"""The bound of :func:`quantile` for true values in [``LOWEST_S``, ``edge(TOP)``)."""

_LOG_RATIO = math.log(RATIO)


def edge(k: int) -> float:
    """The upper edge of bucket ``k`` (0 … ``TOP``), which is the lower edge of bucket ``k + 1``."""
    return LOWEST_S * math.pow(RATIO, k)


def bucket_of(seconds: float) -> int:
    """The bucket a value falls in (negative values count as 0; NaN is refused)."""
    if math.isnan(seconds):
        raise ValueError("a NaN has no bucket")
    if seconds < LOWEST_S:
        return 0
    if seconds >= edge(TOP):
        return TOP + 1
    k = int(math.log(seconds / LOWEST_S) / _LOG_RATIO) + 1
    # the logarithm may land one off at an edge: settle it against the edges as edge() computes them
    while k > 1 and seconds < edge(k - 1):
        k -= 1
    while k < TOP and seconds >= edge(k):
        k += 1
    return k


def representative(k: int) -> float:
    """The value :func:`quantile` answers for bucket ``k``: its geometric middle (see the module doc)."""
    if k <= 0:
        return LOWEST_S / 2
    if k > TOP:
        return edge(TOP)
    return LOWEST_S * math.pow(RATIO, k - 0.5)


def empty() -> list[int]:
    return [0] * BUCKETS


def of(values: Iterable[float]) -> list[int]:
    """The histogram of ``values``."""
    counts = empty()
    for value in values:
        counts[bucket_of(value)] += 1
    return counts


def merge(histograms: Iterable[Sequence[int]]) -> list[int]:
    """The sum of histograms (each of :data:`BUCKETS` counts)."""
    total = empty()
    for counts in histograms:
        if len(counts) != BUCKETS:
            raise ValueError(f"a histogram holds {BUCKETS} counts, not {len(counts)}")
        for k, n in enumerate(counts):
            total[k] += n
    return total


def rank(n: int, q: float) -> int:
    """The 1-based nearest rank of quantile ``q`` among ``n`` values: ⌈q·n⌉, at least 1."""
    if not 0.0 <= q <= 1.0:
        raise ValueError("a quantile lies between 0 and 1")
    return max(1, math.ceil(q * n - 1e-9))


def quantile(counts: Sequence[int], q: float) -> float | None:
    """The nearest-rank quantile ``q`` of the counted values (see the module doc); None when there are none."""
    n = sum(counts)
    if n <= 0:
        return None
    wanted = rank(n, q)
    seen = 0
    for k, count in enumerate(counts):
        seen += count
        if seen >= wanted:
            return representative(k)
    return representative(len(counts) - 1)  # pragma: no cover - seen reaches n


def exact_quantile(values: Sequence[float], q: float) -> float | None:
    """The exact nearest-rank quantile, for tests and small lists: the value :func:`quantile` approximates."""
    if not values:
        return None
    return sorted(values)[rank(len(values), q) - 1]
