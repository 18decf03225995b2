"""An item id belongs to its author (issue 8, High #2): nobody takes back, or stands in for, another's decision.

The attack from the issue, against a real hub on loopback: annotator B posts, on her own shift, an item that
reuses A's flag id plus a retract of that id. Before, the reused id was reported as a "duplicate", the retract
was checked against B's item in the batch, and A's flag stopped counting: her disposal request became
"retracted" and the clip went to a third annotator.
"""

from __future__ import annotations

from typing import Any

from tests.hub.helpers import Seat, hub_sql, label_item, signed_in_seat
from workstation.hub.server import HubServer
from workstation.sync.client import ShiftInfo
from workstation.vault import sealing


def _shift(seat: Seat) -> ShiftInfo:
    return seat.client.start_shift(sealing.generate_shift_keypair()[1])


def _post(seat: Seat, items: list[dict[str, Any]]) -> dict[str, Any]:
    answer = seat.call("POST", "/labels/batch", json={"items": items})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_another_annotator_cannot_reuse_an_id_or_retract_a_flag_that_is_not_hers(stocked_hub: HubServer) -> None:
    hub = stocked_hub
    ana, ben, cai = signed_in_seat(hub, "ana"), signed_in_seat(hub, "ben"), signed_in_seat(hub, "cai")
    sue = signed_in_seat(hub, "sue", "supervisor")
    anas = _shift(ana)
    flagged, labeled = anas.clips[0].clip_id, anas.clips[1].clip_id
    flag = label_item(anas.shift_id, flagged, "sensitive", kind="flag", reason="nudity")
    label = label_item(anas.shift_id, labeled, "person")
    assert _post(ana, [flag, label])["accepted"] == [flag["id"], label["id"]]
    ana.client.close_shift(anas.shift_id)  # her decisions stand; the rest of her clips go back to the pool

    bens = _shift(ben)
    own = bens.clips[0].clip_id
    attack = []
    for victim in (flag, label):  # A's ids, read off a shared seat, reused on B's own shift and clip
        attack.append(label_item(bens.shift_id, own, "person", id=victim["id"]))
        attack.append(label_item(bens.shift_id, own, "retract", kind="retract", retracts=victim["id"]))
    answer = _post(ben, attack)
    assert answer["accepted"] == [] and answer["duplicates"] == []
    assert [(r["id"], r["code"]) for r in answer["rejected"]] == [
        (attack[0]["id"], "id_taken"), (attack[1]["id"], "invalid"),
        (attack[2]["id"], "id_taken"), (attack[3]["id"], "invalid")]
    assert "does not hold for you" in answer["rejected"][1]["reason"]
    # B's retracts naming A's items on A's own shift and clip are refused too (not her shift)
    direct = label_item(anas.shift_id, flagged, "retract", kind="retract", retracts=flag["id"])
    assert [r["code"] for r in _post(ben, [direct])["rejected"]] == ["not_yours"]

    with hub_sql(hub.service.data_dir) as db:
        rows = db.execute("SELECT id, user, shift_id, kind FROM labels ORDER BY rowid").fetchall()
    assert rows == [(flag["id"], "ana", anas.shift_id, "flag"), (label["id"], "ana", anas.shift_id, "label")]
    state = ana.client.shift_state(anas.shift_id)
    assert {c["clip_id"] for c in state["clips"] if c["labeled"]} == {flagged, labeled}  # A's decisions still count
    queue = sue.call("GET", "/disposals").json()["disposals"]
    assert [(d["clip_id"], d["status"], d["flagged_by"], d["reason"]) for d in queue] == [
        (flagged, "pending", "ana", "nudity")]
    cais = _shift(cai)  # a third annotator does not get the flagged (or the labeled) clip
    assert not {flagged, labeled} & {c.clip_id for c in cais.clips}


def test_only_the_author_withdraws_her_disposal_request(stocked_hub: HubServer) -> None:
    hub = stocked_hub
    ana = signed_in_seat(hub, "ana")
    sue = signed_in_seat(hub, "sue", "supervisor")
    shift = _shift(ana)
    clip = shift.clips[0].clip_id
    flag = label_item(shift.shift_id, clip, "sensitive", kind="flag", reason="minor")
    undo = label_item(shift.shift_id, clip, "retract", kind="retract", retracts=flag["id"])
    assert _post(ana, [flag, undo])["accepted"] == [flag["id"], undo["id"]]
    queue = sue.call("GET", "/disposals").json()["disposals"]
    assert [(d["clip_id"], d["status"]) for d in queue] == [(clip, "retracted")]


def test_a_retract_stored_by_an_older_hub_for_another_users_item_does_not_count(stocked_hub: HubServer) -> None:
    """A hub that already took the attack: a retract row of B naming A's label leaves A's label standing."""
    hub = stocked_hub
    ana, ben, cai = signed_in_seat(hub, "ana"), signed_in_seat(hub, "ben"), signed_in_seat(hub, "cai")
    anas = _shift(ana)
    labels = [label_item(anas.shift_id, clip.clip_id, "person") for clip in anas.clips]
    assert len(_post(ana, labels)["accepted"]) == len(labels)
    bens = _shift(ben)
    with hub_sql(hub.service.data_dir) as db:  # as the old hub stored B's retract
        db.execute("INSERT INTO labels (id, shift_id, clip_id, user, device_id, label, payload, received_at, kind, "
                   "retracts) VALUES ('forged', ?, ?, 'ben', ?, 'retract', '{}', '2025-01-06T09:00:00.000Z', "
                   "'retract', ?)", [bens.shift_id, bens.clips[0].clip_id, ben.device_id, labels[0]["id"]])
    assert ana.client.shift_state(anas.shift_id)["labeled"] == len(labels)
    assert anas.clips[0].clip_id not in {c.clip_id for c in _shift(cai).clips}
