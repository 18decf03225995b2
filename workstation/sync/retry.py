"""When to try the hub again: full-jitter exponential backoff (pure; no network, no clock)."""

from __future__ import annotations

import random
from collections.abc import Callable


def backoff_delay(attempt: int, *, base: float = 0.5, cap: float = 30.0,
                  rng: Callable[[float, float], float] = random.uniform) -> float:
    """Full-jitter exponential backoff: uniform(0, min(cap, base·2^attempt)), at least 50 ms."""
    return max(0.05, rng(0.0, min(cap, base * (2 ** min(attempt, 16)))))
