"""The seat's audit log: decisions chain with their audit event; a changed or deleted entry is found."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from workstation.errors import WorkstationError
from workstation.session.localshift import build_local_shift


def test_each_decision_writes_its_audit_event_in_the_same_transaction(tmp_path: Path,
                                                                       small_clips: list[Path]) -> None:
    shift = build_local_shift(tmp_path / "ws", small_clips[:2])
    sid, device = shift.state.shift_id, shift.state.record.device_id
    first, second = (c.clip_id for c in shift.state.clips)
    label = shift.store.add_label(sid, first, "person", shown_at="2026-11-25T10:00:00.000Z",
                                  timings={"watched_s": 4.0, "replays": 1, "active_s": 5.5}, comment="door")
    shift.store.add_label(sid, second, "skip", shown_at="2026-11-25T10:00:09.000Z", kind="skip", reason="unsure")
    shift.service.audit(sid, "focus_lost", first, {"why": "unfocused"})
    events = shift.store.audit_events(device)
    assert [(e["seq"], e["kind"], e["clip_id"]) for e in events] == [(1, "label", first), (2, "skip", second),
                                                                     (3, "focus_lost", first)]
    assert events[0]["data"] == {"event_id": label.id, "label": "person", "commented": True, "watched_s": 4.0,
                                 "replays": 1, "active_s": 5.5}  # the comment's text stays out of the audit log
    assert events[0]["user"] == "bench" and events[1]["data"]["reason"] == "unsure"
    assert shift.store.verify_audit() == {device: None}
    assert shift.store.unsent_audit_count() == 3


def test_a_failed_audit_write_leaves_no_label_either(tmp_path: Path, small_clips: list[Path]) -> None:
    shift = build_local_shift(tmp_path / "ws", small_clips[:1])
    sid, device = shift.state.shift_id, shift.state.record.device_id
    with closing(sqlite3.connect(shift.store.path)) as other:  # someone else's connection to the file
        other.execute("CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'refused'); END")
        other.commit()
    with pytest.raises(WorkstationError):
        shift.store.add_label(sid, shift.state.clips[0].clip_id, "person", shown_at="2026-11-25T10:00:00.000Z")
    assert shift.store.audit_events(device) == [] and shift.store.labels(sid) == []  # neither, not one
    assert shift.store.pending_count() == 0


@pytest.mark.parametrize("how", ["edit", "delete"])
def test_a_tampered_or_deleted_local_entry_is_found(how: str, tmp_path: Path, small_clips: list[Path]) -> None:
    shift = build_local_shift(tmp_path / "ws", small_clips[:2])
    sid, device = shift.state.shift_id, shift.state.record.device_id
    for clip in shift.state.clips:
        shift.store.add_label(sid, clip.clip_id, "vehicle", shown_at="2026-11-25T10:00:00.000Z")
    shift.service.audit(sid, "unlock", None, {"how": "password"})
    with closing(sqlite3.connect(shift.store.path)) as db:
        if how == "edit":  # someone turns a vehicle into a person in the log
            db.execute("UPDATE audit SET data = replace(data, 'vehicle', 'person') WHERE seq = 1")
        else:
            db.execute("DELETE FROM audit WHERE seq = 2")
        db.commit()
    broken = shift.store.verify_audit()[device]
    assert broken is not None and broken.seq == (1 if how == "edit" else 2), broken


def test_the_seat_finds_a_tampered_log_at_start_up_and_puts_it_on_record(tmp_path: Path,
                                                                        small_clips: list[Path]) -> None:
    from workstation.policy import Policy
    from workstation.session.seat import Seat
    from workstation.vault.keystore import MemoryKeyStore

    shift = build_local_shift(tmp_path / "ws", small_clips[:2])
    sid, device = shift.state.shift_id, shift.state.record.device_id
    for clip in shift.state.clips:
        shift.store.add_label(sid, clip.clip_id, "vehicle", shown_at="2026-11-25T10:00:00.000Z")
    with closing(sqlite3.connect(shift.store.path)) as db:
        db.execute("DELETE FROM audit WHERE seq = 1")  # someone removes the first decision's trace
        db.commit()
    shift.store.close()
    policy = Policy(hub_url="http://127.0.0.1:9", key_store="memory", seat="seat-7")
    for _ in range(2):  # a second start does not record the same break again
        seat = Seat.open(policy, data_dir=tmp_path / "ws", keystore=MemoryKeyStore())
        try:
            assert set(seat.audit_breaks) == {device} and seat.audit_breaks[device].seq == 1
            tampers = [e for e in seat.store.audit_events(device) if e["kind"] == "tamper_detected"]
            assert [e["data"]["seq"] for e in tampers] == [1]
        finally:
            seat.close()


def test_deferred_events_wait_for_the_next_commit_and_keep_their_time_and_order(tmp_path: Path,
                                                                              small_clips: list[Path]) -> None:
    shift = build_local_shift(tmp_path / "ws", small_clips[:2])
    sid, device = shift.state.shift_id, shift.state.record.device_id
    service = shift.service
    first, second = (c.clip_id for c in shift.state.clips)
    service.audit(sid, "clip_shown", first, defer=True)
    assert shift.store.audit_events(device) == []  # nothing written on the clip switch itself
    pending = service.take_pending_audit(sid)
    shift.store.add_label(sid, first, "person", shown_at="2026-11-25T10:00:00.000Z", audit_before=pending)
    service.audit(sid, "clip_hidden", first, {"watched_s": 1.0}, defer=True)
    service.audit(sid, "clip_shown", second, defer=True)
    service.audit(sid, "focus_lost", second, {"why": "unfocused"})  # written now, after what waited
    events = shift.store.audit_events(device)
    assert [(e["kind"], e["clip_id"]) for e in events] == [
        ("clip_shown", first), ("label", first), ("clip_hidden", first), ("clip_shown", second),
        ("focus_lost", second)]
    assert events[0]["at"] == pending[0].at  # stamped when it happened, not when written
    assert shift.store.verify_audit() == {device: None}
    service.audit(sid, "clip_hidden", second, defer=True)
    service.flush_audit()
    assert shift.store.audit_events(device)[-1]["kind"] == "clip_hidden"
