"""Disposal of sensitive clips over HTTP: flag → queue → confirm (destroyed, 410, withdrawn) or reject (back)."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from tests.hub.helpers import Seat, hub_sql, label_item, signed_in_seat
from workstation.hub.server import HubServer
from workstation.sync.client import ShiftInfo
from workstation.sync.errors import HubRejected
from workstation.vault import sealing

QUEUE_KEYS = {"clip_id", "status", "flagged_by", "flag", "reason", "flagged_at", "shift_id", "requested_at",
              "decided_by", "decided_at", "note"}


def _flag(shift_id: str, clip_id: str, reason: str = "minor") -> dict[str, object]:
    return label_item(shift_id, clip_id, "sensitive", kind="flag", reason=reason, comment="do not describe it here")


def _shift(seat: Seat) -> ShiftInfo:
    return seat.client.start_shift(sealing.generate_shift_keypair()[1])


def _db(server: HubServer) -> sqlite3.Connection:
    return hub_sql(server.service.data_dir)


def test_confirmed_disposal_destroys_the_clip_and_withdraws_it_from_another_users_shift(
        stocked_hub: HubServer, source_clips: list[Path]) -> None:
    hub = stocked_hub
    source = {r.clip_id: Path(r.path) for r in hub.service.ingest(source_clips)}  # already in: their ids
    ana, ben = signed_in_seat(hub, "ana"), signed_in_seat(hub, "ben")
    sue = signed_in_seat(hub, "sue", "supervisor")
    first = _shift(ana)
    ana.client.close_shift(first.shift_id)  # unlabeled: its clips go back to the pool …
    bens = _shift(ben)  # … and into ben's shift
    assert {c.clip_id for c in bens.clips} == {c.clip_id for c in first.clips}  # positions are shuffled
    sensitive, kept, other = (c.clip_id for c in bens.clips)

    flag = _flag(first.shift_id, sensitive)  # ana's flag syncs late, for her closed shift
    assert ana.client.post_labels([flag]).accepted == [flag["id"]]
    assert ana.client.post_labels([flag]).duplicates == [flag["id"]]
    ben.client.post_labels([_flag(bens.shift_id, sensitive, "private_space")])  # a second flag joins the request
    queue = sue.call("GET", "/disposals").json()["disposals"]
    assert len(queue) == 1 and set(queue[0]) == QUEUE_KEYS
    assert queue[0]["clip_id"] == sensitive and queue[0]["status"] == "pending"
    assert (queue[0]["flagged_by"], queue[0]["reason"], queue[0]["flagged_at"]) == ("ana", "minor",
                                                                                     flag["decided_at"])
    assert "do not describe" not in sue.call("GET", "/disposals").text

    blob = hub.service.home.blob_path(sensitive)
    assert blob.is_file()
    with _db(hub) as db:
        wrapped = db.execute("SELECT wrapped_key FROM clips WHERE clip_id = ?", [sensitive]).fetchone()[0]
    assert len(wrapped) > 32
    answer = sue.call("POST", f"/disposals/{sensitive}/confirm", json={"note": "checked with the client"})
    assert answer.status_code == 200
    record = answer.json()
    assert (record["status"], record["decided_by"], record["note"]) == ("confirmed", "sue", "checked with the client")
    assert record["decided_at"].endswith("Z")

    assert not blob.exists()
    with _db(hub) as db:
        assert db.execute("SELECT status, length(wrapped_key) FROM clips WHERE clip_id = ?",
                          [sensitive]).fetchone() == ("disposed", 0)
    folder = hub.service.data_dir
    for name in ("hub.db", "hub.db-wal"):  # the old wrapped key is not left in the file or the WAL either
        if (folder / name).exists():
            found = wrapped in (folder / name).read_bytes()
            assert not found, f"the old wrapped key is still in {name}"
    for path in (f"/shifts/{bens.shift_id}/clips/{sensitive}", f"/shifts/{bens.shift_id}/keys/{sensitive}"):
        gone = ben.call("GET", path)
        assert gone.status_code == 410
        assert gone.json()["detail"] == (f"Clip {sensitive[:8]} was disposed of as sensitive by a supervisor; it is "
                                         "gone from the hub and no longer part of any shift.")
    assert sensitive not in ben.client.shift_keys(bens.shift_id)
    state = ben.client.shift_state(bens.shift_id)
    assert [c["clip_id"] for c in state["clips"]] == [kept, other] and state["size"] == 2
    assert ben.call("GET", f"/shifts/{bens.shift_id}").json()["withdrawn"] == [sensitive]
    result = ben.call("POST", "/labels/batch", json={"items": [label_item(bens.shift_id, kept)]}).json()
    assert result["withdrawn"] == [sensitive]
    assert ana.call("POST", "/labels/batch", json={"items": []}).json()["withdrawn"] == []  # ana's shift is closed

    ben.client.post_labels([label_item(bens.shift_id, other, "vehicle")])
    assert ben.client.shift_state(bens.shift_id)["labeled"] == 2  # complete without the withdrawn clip
    later = _shift(ben)
    assert not later.resumed and sensitive not in {c.clip_id for c in later.clips}
    assert hub.service.waiting_clip_count() == 8 - 3 - len(later.clips)

    assert sue.call("POST", f"/disposals/{sensitive}/confirm").json()["status"] == "confirmed"  # idempotent
    assert sue.call("POST", f"/disposals/{sensitive}/reject").status_code == 409
    again = hub.service.ingest([source[sensitive]])  # the same file cannot come back
    assert again[0].status == "rejected" and "disposed of as sensitive" in (again[0].reason or "")


def test_rejected_disposal_returns_the_clip_to_the_pool(stocked_hub: HubServer) -> None:
    hub = stocked_hub
    ana, cai = signed_in_seat(hub, "ana"), signed_in_seat(hub, "cai")
    sue = signed_in_seat(hub, "sue", "supervisor")
    shift = _shift(ana)
    flagged = shift.clips[0].clip_id
    ana.client.post_labels([_flag(shift.shift_id, flagged)])
    ana.client.close_shift(shift.shift_id)
    assert hub.service.waiting_clip_count() == 7  # a pending request keeps it out of every shift

    answer = sue.call("POST", f"/disposals/{flagged}/reject", json={"note": "a cat, nothing private"})
    assert answer.status_code == 200 and answer.json()["status"] == "rejected"
    assert hub.service.waiting_clip_count() == 8
    assert ana.client.shift_state(shift.shift_id)["clips"][0]["labeled"]  # her decision stands as it was
    assert flagged in {c.clip_id for c in _shift(cai).clips}
    assert cai.client.download_clip(cai.client.start_shift(sealing.generate_shift_keypair()[1]).shift_id, flagged,
                                    io.BytesIO(), expected_sha256=shift.clips[0].sha256) > 0
    queue = sue.call("GET", "/disposals").json()["disposals"]
    assert [(d["clip_id"], d["status"], d["decided_by"]) for d in queue] == [(flagged, "rejected", "sue")]
    assert sue.call("POST", f"/disposals/{flagged}/reject").status_code == 200  # idempotent
    assert sue.call("POST", f"/disposals/{flagged}/confirm").status_code == 409


def test_queue_puts_pending_first_and_unknown_clips_are_404(stocked_hub: HubServer) -> None:
    hub = stocked_hub
    ana = signed_in_seat(hub, "ana")
    sue = signed_in_seat(hub, "sue", "supervisor")
    shift = _shift(ana)
    a, b, c = (clip.clip_id for clip in shift.clips)
    ana.client.post_labels([_flag(shift.shift_id, a), _flag(shift.shift_id, b), _flag(shift.shift_id, c)])
    sue.call("POST", f"/disposals/{a}/reject")
    queue = sue.call("GET", "/disposals").json()["disposals"]
    assert [(d["clip_id"], d["status"]) for d in queue] == [(b, "pending"), (c, "pending"), (a, "rejected")]
    missing = sue.call("POST", f"/disposals/{'0' * 32}/confirm")
    assert missing.status_code == 404 and missing.json()["detail"].startswith("There is no disposal request")
    with pytest.raises(HubRejected):
        ana.client.shift_state("0" * 32)


def test_taking_a_flag_back_withdraws_the_request(stocked_hub: HubServer) -> None:
    hub = stocked_hub
    ana = signed_in_seat(hub, "ana")
    sue = signed_in_seat(hub, "sue", "supervisor")
    shift = _shift(ana)
    clip = shift.clips[0].clip_id
    flag = _flag(shift.shift_id, clip)
    ana.client.post_labels([flag])
    undo = label_item(shift.shift_id, clip, "retract", kind="retract", retracts=flag["id"])
    ana.client.post_labels([undo])
    queue = sue.call("GET", "/disposals").json()["disposals"]
    assert [(d["clip_id"], d["status"]) for d in queue] == [(clip, "retracted")]
    assert sue.call("POST", f"/disposals/{clip}/confirm").status_code == 409
    assert hub.service.home.blob_path(clip).is_file()
