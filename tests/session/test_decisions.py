"""The shift's decisions as the session layer makes them: checked, written once, answered with what changed."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from workstation.session.decisions import NO_TIMINGS, NotAllowed, ShiftDecisions
from workstation.session.localshift import LocalShift, build_local_shift
from workstation.session.password import Attempts, LocalPassword, wait_words


def _decisions(tmp_path: Path, clips: list[Path], user: str = "bench") -> tuple[LocalShift, ShiftDecisions]:
    shift = build_local_shift(tmp_path / "ws", clips)
    return shift, ShiftDecisions(shift.service, shift.state, user)


def _decide(decisions: ShiftDecisions, index: int, kind: str = "label", label: str = "person",
            reason: str | None = None) -> int | None:
    return decisions.decide(index, kind, label, reason, shown_at="2026-11-25T10:00:00.000Z",
                            timings=dict(NO_TIMINGS)).next_index


def test_only_the_shift_owner_decides(tmp_path: Path, small_clips: list[Path]) -> None:
    shift = build_local_shift(tmp_path / "ws", small_clips[:2])
    with pytest.raises(NotAllowed, match="bench's"):
        ShiftDecisions(shift.service, shift.state, "mallory")
    assert shift.store.labels(shift.state.shift_id) == []


def test_a_decision_is_written_once_and_names_the_next_clip(tmp_path: Path, small_clips: list[Path]) -> None:
    shift, decisions = _decisions(tmp_path, small_clips[:3])
    assert _decide(decisions, 0) == 1
    assert _decide(decisions, 2) == 1  # wraps to the one still undecided
    assert _decide(decisions, 1, "skip", "skip", "unclear") is None  # every clip decided
    assert [r.kind for r in shift.store.labels(shift.state.shift_id)] == ["label", "label", "skip"]
    assert shift.store.pending_count() == 3
    with pytest.raises(NotAllowed):
        decisions.decide(7, "label", "person", shown_at="2026-11-25T10:00:00.000Z", timings=dict(NO_TIMINGS))


def test_undo_passes_over_a_flagged_clip_to_the_decision_before_it(tmp_path: Path, small_clips: list[Path]) -> None:
    shift, decisions = _decisions(tmp_path, small_clips[:3])
    first = shift.state.clips[0].clip_id
    _decide(decisions, 0, label="vehicle")
    _decide(decisions, 1, "flag", "sensitive", "private_space")
    undone = decisions.undo()
    assert undone.taken_back.clip_id == first and undone.index == 0
    assert "flagged clip stays closed" in undone.note
    assert shift.state.clips[1].clip_id in shift.state.decided  # the flag stands
    assert first not in shift.state.decided
    with pytest.raises(NotAllowed, match="flagged clip was removed"):
        decisions.undo()  # only the flag is left: it cannot be undone


def test_nothing_to_undo_and_nothing_after_the_end(tmp_path: Path, small_clips: list[Path]) -> None:
    _, decisions = _decisions(tmp_path, small_clips[:1])
    with pytest.raises(NotAllowed, match="Nothing to undo"):
        decisions.undo()
    _decide(decisions, 0)
    decisions.end()
    with pytest.raises(NotAllowed, match="complete"):
        decisions.undo()


def test_withdrawn_clips_leave_the_shift_and_say_where_the_annotator_is(tmp_path: Path,
                                                                        small_clips: list[Path]) -> None:
    shift, decisions = _decisions(tmp_path, small_clips[:4])
    ids = [c.clip_id for c in shift.state.clips]
    _decide(decisions, 0)
    gone = decisions.withdraw([ids[1]], current=2)  # the annotator is on clip 3; clip 2 is disposed of
    assert not gone.current_gone and gone.index == 1 and gone.total == 3
    now = decisions.withdraw([ids[2]], current=1)  # now the clip on screen goes
    assert now.current_gone and now.index is not None and shift.state.clips[now.index].clip_id == ids[3]


# -- local passwords ---------------------------------------------------------------------------------------

def test_waits_grow_after_the_free_tries_and_only_a_right_password_resets() -> None:
    now = [0.0]
    attempts = Attempts(lambda: now[0])
    assert [attempts.failed() for _ in range(5)] == [0, 0, 0, 0, 30.0]
    waits = []
    for _ in range(8):
        now[0] += attempts.wait_left()  # wait it out, then guess again
        waits.append(attempts.failed())
    assert waits == [60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 3600.0, 3600.0]
    attempts.succeeded()
    assert attempts.failed() == 0 and attempts.tries_left == 4


def test_a_day_of_guessing_gets_a_few_dozen_tries_not_thousands() -> None:
    now = [0.0]
    attempts = Attempts(lambda: now[0])
    tries = 0
    while now[0] < 24 * 3600:
        now[0] += attempts.wait_left()
        attempts.failed()
        tries += 1
    assert tries < 40


def test_the_count_survives_as_text_and_bad_text_counts_as_a_wait() -> None:
    now = [100.0]
    a = Attempts(lambda: now[0])
    for _ in range(6):
        now[0] += a.wait_left()
        a.failed()
    b = Attempts(lambda: now[0])
    b.load_text(a.to_text())
    assert (b.wrong, b.wait_left()) == (a.wrong, a.wait_left())
    c = Attempts(lambda: now[0])
    c.load_text("{not json")
    assert c.wait_left() > 0


def test_a_verifier_round_trips_through_the_key_store_form_and_never_pickles() -> None:
    verifier = LocalPassword("ana", "correct horse battery")
    again = LocalPassword.from_bytes(verifier.to_bytes())
    assert again.username == "ana" and again.verify("correct horse battery") and not again.verify("wrong")
    assert b"correct horse" not in verifier.to_bytes()
    with pytest.raises(TypeError):
        pickle.dumps(verifier)
    for junk in (b"", b"{}", b"not json", b'{"format": "fws-verifier-v1", "n": 3}'):
        with pytest.raises(ValueError):
            LocalPassword.from_bytes(junk)


@pytest.mark.parametrize(("seconds", "words"), [(1, "1 second"), (30, "30 seconds"), (89, "89 seconds"),
                                                (120, "2 minutes"), (3600, "60 minutes"), (5400, "2 hours")])
def test_waits_in_words(seconds: float, words: str) -> None:
    assert wait_words(seconds) == words
