"""One press is one decision, whatever the platform says about repeats."""

from __future__ import annotations

from workstation.session.gate import DecisionGate, EventClock, Verdict


def _gate() -> DecisionGate:
    gate = DecisionGate(min_view_ms=300)
    gate.shown(1000.0)
    return gate


def test_a_held_key_whose_repeats_are_not_flagged_decides_once() -> None:
    """X11 on a busy seat: each repeat arrives as a release and a press with one timestamp, not flagged."""
    gate = _gate()
    verdicts = [gate.press("3", 1400.0)]
    gate.used("3")
    t = 1400.0 + 500  # the auto-repeat delay, then 30 repeats a second, across three clip switches
    for n in range(45):
        if n % 15 == 0:
            gate.shown(t - 5)  # a new clip became visible just before this repeat
        gate.release("3", t)
        verdicts.append(gate.press("3", t))
        t += 33
    assert verdicts[0] is Verdict.DECIDE
    assert set(verdicts[1:]) == {Verdict.HELD}


def test_repeats_flagged_by_the_platform_are_believed() -> None:
    gate = _gate()
    assert gate.press("3", 1400.0) is Verdict.DECIDE
    gate.used("3")
    assert gate.press("3", 1900.0, repeat=True) is Verdict.HELD
    gate.release("3", 1900.0, repeat=True)
    assert gate.press("3", 1933.0, repeat=True) is Verdict.HELD


def test_a_real_release_and_a_new_press_decide_again_once_the_clip_has_shown() -> None:
    gate = _gate()
    assert gate.press("3", 1400.0) is Verdict.DECIDE
    gate.used("3")
    gate.release("3", 1480.0)
    gate.shown(1500.0)
    assert gate.press("3", 1520.0) is Verdict.TOO_EARLY  # pressed 20 ms into the next clip
    gate.release("3", 1560.0)
    assert gate.press("3", 1820.0) is Verdict.DECIDE  # 320 ms in


def test_a_press_queued_before_the_clip_became_visible_is_stale() -> None:
    gate = _gate()
    gate.hidden()
    assert gate.press("4", 1500.0) is Verdict.STALE  # nothing visible
    gate.shown(2000.0)
    gate.release("4", 1600.0)
    assert gate.press("4", 1990.0) is Verdict.STALE  # delivered late, but pressed before the clip showed


def test_another_key_is_not_held_by_the_first() -> None:
    gate = _gate()
    assert gate.press("3", 1400.0) is Verdict.DECIDE
    gate.used("3")
    gate.shown(1500.0)
    assert gate.press("5", 1900.0) is Verdict.DECIDE  # 3 is still down; 5 is a new press


def test_actions_that_must_not_repeat_count_once_per_real_press() -> None:
    gate = _gate()
    assert gate.action_press("Ctrl+Z", 100.0)
    gate.used("Ctrl+Z")
    gate.release("Ctrl+Z", 600.0)
    assert not gate.action_press("Ctrl+Z", 600.0)  # the repeat's press, same timestamp as its release
    gate.release("Ctrl+Z", 700.0)
    assert gate.action_press("Ctrl+Z", 900.0)


def test_the_event_clock_places_an_event_when_it_happened_not_when_it_arrived() -> None:
    clock = EventClock()
    assert clock.note(1000.0, 51_040.0) == 51_040.0  # the first event: its delivery delay is unknown
    assert clock.note(2000.0, 52_002.0) == 52_002.0  # delivered 2 ms late: the best estimate so far
    assert clock.offset == 50_002.0
    assert clock.note(3000.0, 53_400.0) == 53_002.0  # waited 398 ms in a busy app's queue: placed when pressed
    assert clock.note(0.0, 54_000.0) == 54_000.0  # no timestamp: taken when it arrived


def test_without_timestamps_only_the_repeat_flag_tells_a_repeat() -> None:
    gate = _gate()
    assert gate.press("3", 1400.0) is Verdict.DECIDE
    gate.used("3")
    gate.release("3", 1400.2, stamped=False)  # a quick real release and press, on a platform without stamps
    gate.shown(1000.0)
    assert gate.press("3", 1400.4) is Verdict.DECIDE
