"""The plausibility rule: each reason at its tolerance, and the time a decision counts at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from workstation.metrics import plausibility as p

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def check(*, shown: float = 0.0, decided: float = 10.0, watched: float = 8.0, active: float = 9.0,
          duration: float | None = 24.0, received: float = 60.0, handed_out: float | None = -600.0) -> tuple[str, ...]:
    """Times in seconds after T0."""
    def at(s: float) -> datetime:
        return T0 + timedelta(seconds=s)

    return p.reasons(shown_at=at(shown), decided_at=at(decided), watched_s=watched, active_s=active,
                     duration_s=duration, received_at=at(received),
                     handed_out_at=None if handed_out is None else at(handed_out))


def test_a_normal_decision_is_plausible() -> None:
    assert check() == ()
    assert p.as_text(()) is None


def test_decided_before_shown() -> None:
    assert check(decided=-0.001, active=0.0) == (p.DECIDED_BEFORE_SHOWN,)
    assert check(decided=0.0, active=0.0) == ()


def test_watched_longer_than_the_clip_with_one_second_of_rounding() -> None:
    assert check(decided=40, active=30, watched=25.0, duration=24.0) == ()
    assert check(decided=40, active=30, watched=25.5, duration=24.0) == (p.WATCHED_LONGER_THAN_CLIP,)
    assert check(decided=40, active=30, watched=99.0, duration=None) == ()  # length unknown: not judged


def test_active_longer_than_the_clip_was_up() -> None:
    assert check(decided=100.0, active=103.0) == ()  # 100 · 1.02 + 1
    assert check(decided=100.0, active=103.1) == (p.ACTIVE_LONGER_THAN_SHOWN,)
    assert check(decided=-5.0, active=2.0) == (p.DECIDED_BEFORE_SHOWN, p.ACTIVE_LONGER_THAN_SHOWN)


def test_seat_clock_ahead_or_behind_the_hub() -> None:
    assert check(decided=10.0, received=10.0 - 300) == ()
    assert check(decided=10.0, received=10.0 - 301) == (p.CLOCK_AHEAD,)
    assert check(shown=0.0, handed_out=300.0) == ()
    assert check(shown=0.0, handed_out=301.0) == (p.CLOCK_BEHIND,)
    assert check(handed_out=None) == ()
    late = check(decided=10.0, received=10.0 + 5 * 86400)  # synced five days later: not a clock problem
    assert late == ()


def test_counted_at_is_the_hubs_time_when_the_clock_is_off() -> None:
    decided, received = T0, T0 + timedelta(hours=3)
    assert p.counted_at(decided, received, ()) == decided
    assert p.counted_at(decided, received, (p.WATCHED_LONGER_THAN_CLIP,)) == decided
    assert p.counted_at(decided, received, (p.CLOCK_BEHIND,)) == received
    assert p.as_text((p.DECIDED_BEFORE_SHOWN, p.CLOCK_AHEAD)) == "decided_before_shown,clock_ahead"
