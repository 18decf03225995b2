"""Audit intake: each device's chain continued batch by batch, duplicates idempotent, tampering 409, verify-audit."""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.hub.conftest import SMALL_SHIFTS
from tests.hub.helpers import PASSWORD, Seat, hub_sql, label_item, signed_in_seat
from workstation.audit import GENESIS, event_hash, new_event
from workstation.hub import cli
from workstation.hub.server import HubServer
from workstation.vault import sealing


def chain(seat: Seat, user: str, n: int, start: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for i in range(n):
        previous = events[-1] if events else start
        kind = "lock" if i % 4 == 3 else "label"
        events.append(new_event(previous, kind=kind, device_id=seat.device_id, user="" if kind == "lock" else user,
                                shift_id="a" * 32, clip_id=f"{i:032x}", data={"label": "person", "watched_s": 3.5}))
    return events


def post(seat: Seat, events: list[dict[str, Any]]) -> Any:
    return seat.call("POST", "/audit/batch", json={"events": events})


def test_batches_continue_the_chain_and_repeats_are_duplicates(hub: HubServer) -> None:
    seat = signed_in_seat(hub, "ana")
    assert seat.call("GET", "/audit/head").json() == {"device_id": seat.device_id, "seq": 0, "hash": GENESIS}
    events = chain(seat, "ana", 6)
    first = post(seat, events[:3]).json()
    assert first["accepted"] == [e["id"] for e in events[:3]] and first["duplicates"] == []
    assert first["head"] == {"device_id": seat.device_id, "seq": 3, "hash": events[2]["hash"]}
    second = post(seat, events[2:]).json()  # overlaps by one: a retry after a lost answer
    assert second["duplicates"] == [events[2]["id"]] and second["accepted"] == [e["id"] for e in events[3:]]
    again = post(seat, events).json()
    assert again["accepted"] == [] and again["duplicates"] == [e["id"] for e in events]
    assert seat.call("GET", "/audit/head").json()["seq"] == 6
    assert post(seat, []).json()["head"]["seq"] == 6


def test_a_gap_is_409_and_says_where_the_hub_stands(hub: HubServer) -> None:
    seat = signed_in_seat(hub, "ana")
    events = chain(seat, "ana", 5)
    post(seat, events[:2])
    answer = post(seat, events[3:])
    assert answer.status_code == 409
    assert answer.json()["detail"] == ("The hub holds this workstation's audit events up to 2; the batch starts at 4, "
                                       "so event 3 is missing.")


@pytest.mark.parametrize("how", ["edit", "rehash", "other-id", "reused-id"])
def test_an_event_the_hub_holds_sent_changed_is_409_naming_its_seq(hub: HubServer, how: str) -> None:
    seat = signed_in_seat(hub, "ana")
    events = chain(seat, "ana", 4)
    post(seat, events)
    changed = copy.deepcopy(events[1])
    if how == "edit":  # content changed, hash kept
        changed["data"]["label"] = "vehicle"
    elif how == "rehash":  # content changed and re-hashed
        changed["data"]["label"] = "vehicle"
        changed["hash"] = event_hash(changed)
    elif how == "other-id":
        changed["id"] = "f" * 32
        changed["hash"] = event_hash(changed)
    if how == "reused-id":  # a new event that carries the id of one the hub holds
        changed = new_event(events[-1], kind="label", device_id=seat.device_id, user="ana")
        changed["id"] = events[1]["id"]
        changed["hash"] = event_hash(changed)
        answer = post(seat, [changed])
        assert answer.status_code == 409
        assert answer.json()["detail"].startswith("Audit event 5 carries the id of event 2")
        return
    answer = post(seat, [changed])
    assert answer.status_code == 409
    detail = answer.json()["detail"]
    if how == "edit":  # same id and hash as the stored one, but the content no longer matches that hash
        assert detail.startswith("The audit batch does not continue this workstation's chain: audit chain broken "
                                 "at event 2: its content does not match its hash")
    else:
        assert detail.startswith("Audit event 2 differs from the one the hub already holds") and "tampering" in detail


def test_new_events_that_do_not_link_are_409(hub: HubServer) -> None:
    seat = signed_in_seat(hub, "ana")
    events = chain(seat, "ana", 3)
    post(seat, events[:2])
    forked = new_event(events[0], kind="label", device_id=seat.device_id, user="ana")  # seq 2 again, another branch
    forked = new_event(forked, kind="label", device_id=seat.device_id, user="ana")  # seq 3 following the fork
    answer = post(seat, [forked])
    assert answer.status_code == 409
    assert answer.json()["detail"].startswith("The audit batch does not continue this workstation's chain: audit chain "
                                              "broken at event 3: it does not follow the event before")
    bad_hash = copy.deepcopy(events[2])
    bad_hash["data"]["label"] = "vehicle"
    answer = post(seat, [bad_hash])
    assert answer.status_code == 409 and "does not match its hash" in answer.json()["detail"]
    assert post(seat, [events[2]]).status_code == 200


def test_only_the_callers_device_chain(hub: HubServer) -> None:
    ana, ben = signed_in_seat(hub, "ana"), signed_in_seat(hub, "ben")
    answer = post(ana, chain(ben, "ben", 1))
    assert answer.status_code == 422 and "another workstation's chain" in answer.json()["detail"]
    earlier_user = new_event(None, kind="label", device_id=ana.device_id, user="ben")  # ben used this seat before
    assert post(ana, [earlier_user]).status_code == 200  # the seat's chain: ana's session delivers it
    device_level = new_event(earlier_user, kind="capture_capability", device_id=ana.device_id,
                             data={"state": "UNSUPPORTED"})
    assert post(ana, [device_level]).status_code == 200


def test_malformed_events_and_batch_size(data_dir: Path) -> None:
    with HubServer(data_dir, config=replace(SMALL_SHIFTS, max_audit_batch=5)) as hub:
        seat = signed_in_seat(hub, "ana")
        events = chain(seat, "ana", 6)
        too_many = post(seat, events)
        assert too_many.status_code == 413 and "at most 5 audit events" in too_many.json()["detail"]
        extra = {**events[0], "frame": "AAAA"}
        answer = post(seat, [extra])
        assert answer.status_code == 422 and answer.json()["detail"].startswith("Audit event 1 is not a well-formed")
        out_of_order = post(seat, [events[1], events[0]])
        assert out_of_order.status_code == 422 and "in order" in out_of_order.json()["detail"]
        assert seat.call("GET", "/audit/head").json()["seq"] == 0  # nothing half-landed


def test_verify_audit_names_a_changed_event(hub: HubServer, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(hub.service.data_dir)
    assert cli.main(["verify-audit", "--data", data]) == 0
    assert capsys.readouterr().out == "no audit events stored yet\n"
    ana, ben = signed_in_seat(hub, "ana"), signed_in_seat(hub, "ben")
    sue = signed_in_seat(hub, "sue", "supervisor")
    post(ana, chain(ana, "ana", 5))
    post(ben, chain(ben, "ben", 3))
    assert cli.main(["verify-audit", "--data", data]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"ok      {ana.device_id}  ok, 5 events  (seat of ana)",
                     f"ok      {ben.device_id}  ok, 3 events  (seat of ben)"]

    with hub_sql(hub.service.data_dir) as db:  # someone edits the stored trail
        db.execute("UPDATE audit_events SET data = ? WHERE device_id = ? AND seq = 2",
                   [json.dumps({"label": "vehicle", "watched_s": 3.5}), ana.device_id])
    assert cli.main(["verify-audit", "--data", data]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"BROKEN  {ana.device_id}  audit chain broken at event 2: its content does not match "
                             "its hash")
    assert out[1].startswith(f"ok      {ben.device_id}")
    assert cli.main(["verify-audit", "--data", data, "--json"]) == 1
    reports = json.loads(capsys.readouterr().out)
    assert [(r["ok"], r["events"], r["break"] and r["break"]["seq"]) for r in reports] == [
        (False, 5, 2), (True, 3, None)]

    verified = sue.call("GET", "/audit/verify").json()
    assert verified["ok"] is False
    assert [(c["device_id"], c["ok"], c["events"]) for c in verified["chains"]] == [
        (ana.device_id, False, 5), (ben.device_id, True, 3)]
    assert verified["chains"][0]["break"]["seq"] == 2 and verified["chains"][1]["break"] is None

    with hub_sql(hub.service.data_dir) as db:  # and a removed event is a missing link
        db.execute("DELETE FROM audit_events WHERE device_id = ? AND seq = 2", [ben.device_id])
    assert cli.main(["verify-audit", "--data", data, "--json"]) == 1
    reports = json.loads(capsys.readouterr().out)
    assert reports[1]["break"] == {"seq": 2, "reason": "event 2 is missing (found 3 next)"}


@pytest.mark.parametrize("field, value, problem", [
    ("id", "ab" * 16 + "\n", "id is not 32 hex characters"),
    ("shift_id", "a" * 32 + "\n", "shift_id is not 32 hex characters"),
    ("clip_id", "c" * 32 + "\n", "clip_id is not 32 hex characters"),
    ("at", "2025-01-06T09:00:00.000Z\n", "at is not an ISO 8601 UTC time"),
    ("at", "2019-12-31T23:59:59Z", "at must lie between 2020-01-01 and 2100-01-01"),
    ("at", "2100-01-01T00:00:00Z", "at must lie between 2020-01-01 and 2100-01-01"),
])
def test_ids_and_times_are_matched_whole(hub: HubServer, field: str, value: str, problem: str) -> None:
    """A trailing newline slips past re.match(...$); the hub checks every id and time whole."""
    seat = signed_in_seat(hub, "ana")
    event = chain(seat, "ana", 1)[0]
    event[field] = value
    event["hash"] = event_hash(event)
    answer = post(seat, [event])
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith(f"Audit event 1 is not a well-formed audit event: {problem}")
    assert seat.call("GET", "/audit/head").json()["seq"] == 0


def test_ids_in_paths_and_bodies_with_a_trailing_newline_are_refused(stocked_hub: HubServer) -> None:
    seat = signed_in_seat(stocked_hub, "ana")
    sue = signed_in_seat(stocked_hub, "sue", "supervisor")
    shift = seat.client.start_shift(sealing.generate_shift_keypair()[1])
    answers = [
        seat.call("GET", f"/shifts/{shift.shift_id}%0A"),
        seat.call("GET", f"/shifts/{shift.shift_id}/keys/{shift.clips[0].clip_id}%0A"),
        seat.call("GET", f"/devices/{seat.device_id}%0A"),
        sue.call("POST", "/users/ana%0A/unlock"),
        seat.call("POST", "/sessions/challenge", json={"device_id": seat.device_id + "\n"}),
        seat.call("POST", "/labels/batch", json={"items": [label_item(shift.shift_id + "\n", shift.clips[0].clip_id)]}),
        seat.call("POST", "/labels/batch", json={"items": [label_item(shift.shift_id, shift.clips[0].clip_id,
                                                                      id=str(uuid.uuid4()) + "\n")]}),
    ]
    assert [a.status_code for a in answers] == [422] * len(answers), [a.text for a in answers]


def _session_id(hub: HubServer, token: str) -> str:
    from workstation.hub.auth import token_hash

    with hub_sql(hub.service.data_dir) as db:
        row = db.execute("SELECT session_id FROM sessions WHERE token_hash = ?", [token_hash(token)]).fetchone()
    assert row is not None and len(row[0]) == 32
    return str(row[0])


def test_the_hub_records_which_session_and_device_delivered_each_event(hub: HubServer) -> None:
    seat = signed_in_seat(hub, "ana")
    hub.service.add_user("ben", "annotator", PASSWORD)
    events = chain(seat, "ana", 5)
    assert post(seat, events[:3]).status_code == 200
    anas = _session_id(hub, seat.token)
    seat.client.sign_out()  # the session ends; its record (and id) stays
    seat.sign_in("ben")  # ben delivers what ana left unsent on this seat
    bens = _session_id(hub, seat.token)
    assert post(seat, events[3:]).status_code == 200
    assert anas != bens
    with hub_sql(hub.service.data_dir) as db:
        rows = db.execute("SELECT seq, delivered_session, delivered_device FROM audit_events ORDER BY seq").fetchall()
        sessions = dict(db.execute("SELECT session_id, user FROM sessions").fetchall())
    assert rows == [(1, anas, seat.device_id), (2, anas, seat.device_id), (3, anas, seat.device_id),
                    (4, bens, seat.device_id), (5, bens, seat.device_id)]
    assert sessions[anas] == "ana" and sessions[bens] == "ben"
