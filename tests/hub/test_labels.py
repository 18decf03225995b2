"""Label batches: idempotent by id, judged item by item (accepted, duplicates, rejected), size-capped."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.hub.helpers import Seat, hub_sql, label_item, signed_in_seat
from workstation.hub.server import HubServer
from workstation.sync.client import ShiftInfo
from workstation.sync.errors import HubRejected
from workstation.vault import sealing


@pytest.fixture
def annotator(stocked_hub: HubServer) -> tuple[Seat, ShiftInfo]:
    seat = signed_in_seat(stocked_hub, "ana")
    return seat, seat.client.start_shift(sealing.generate_shift_keypair()[1])


def _bearer(seat: Seat) -> dict[str, str]:
    assert seat.client.session is not None
    return {"Authorization": f"Bearer {seat.client.session.token}"}


def test_same_batch_twice_is_stored_once(stocked_hub: HubServer, annotator: tuple[Seat, ShiftInfo]) -> None:
    seat, shift = annotator
    items = [label_item(shift.shift_id, clip.clip_id, label) for clip, label in
             zip(shift.clips, ["person", "foliage", "camera_fault"])]
    ids = [item["id"] for item in items]
    first = seat.client.post_labels(items)
    assert first.accepted == ids and first.duplicates == []
    second = seat.client.post_labels(items)
    assert second.accepted == [] and second.duplicates == ids
    with hub_sql(stocked_hub.service.data_dir) as db:
        rows = db.execute("SELECT id, user, label FROM labels ORDER BY id").fetchall()
    assert sorted(ids) == [row[0] for row in rows]
    assert {row[1] for row in rows} == {"ana"}


def test_labels_for_a_closed_shift_still_sync(annotator: tuple[Seat, ShiftInfo]) -> None:
    seat, shift = annotator
    seat.client.close_shift(shift.shift_id)
    result = seat.client.post_labels([label_item(shift.shift_id, shift.clips[0].clip_id)])
    assert len(result.accepted) == 1


def post(seat: Seat, items: list[dict[str, Any]]) -> dict[str, Any]:
    """POST /labels/batch as the seat; the answer must be 200 and carry every field of LabelBatchOut."""
    answer = seat.call("POST", "/labels/batch", json={"items": items})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert set(body) == {"accepted", "duplicates", "rejected", "withdrawn"}
    for rejected in body["rejected"]:
        assert set(rejected) == {"id", "code", "reason"} and rejected["code"] in {"invalid", "not_yours", "id_taken"}
        assert rejected["reason"].endswith(".") and "\n" not in rejected["reason"]
    return body


def test_an_invalid_item_is_rejected_alone_and_the_others_land(stocked_hub: HubServer,
                                                               annotator: tuple[Seat, ShiftInfo]) -> None:
    seat, shift = annotator
    good = label_item(shift.shift_id, shift.clips[0].clip_id)
    bad = label_item(shift.shift_id, shift.clips[1].clip_id, "ufo")
    later = label_item(shift.shift_id, shift.clips[2].clip_id, "vehicle")
    answer = post(seat, [good, bad, later])
    assert answer["accepted"] == [good["id"], later["id"]] and answer["duplicates"] == []
    assert answer["rejected"] == [{"id": bad["id"], "code": "invalid",
                                   "reason": "The label code 'ufo' is not in the taxonomy of project 'security'."}]
    with hub_sql(stocked_hub.service.data_dir) as db:
        assert {r[0] for r in db.execute("SELECT id FROM labels")} == {good["id"], later["id"]}


def test_items_must_belong_to_the_callers_shift(stocked_hub: HubServer, annotator: tuple[Seat, ShiftInfo]) -> None:
    seat, shift = annotator
    ben = signed_in_seat(stocked_hub, "ben")
    other = ben.client.start_shift(sealing.generate_shift_keypair()[1])
    foreign = label_item(other.shift_id, other.clips[0].clip_id)
    wrong_clip = label_item(shift.shift_id, other.clips[0].clip_id)
    answer = post(seat, [foreign, wrong_clip])
    assert answer["accepted"] == []
    assert [(r["id"], r["code"]) for r in answer["rejected"]] == [(foreign["id"], "not_yours"),
                                                                  (wrong_clip["id"], "invalid")]
    assert answer["rejected"][0]["reason"] == f"Shift {other.shift_id} is not one of your shifts."
    assert "not part of shift" in answer["rejected"][1]["reason"]


def test_server_side_shape_check(stocked_hub: HubServer, annotator: tuple[Seat, ShiftInfo]) -> None:
    seat, shift = annotator
    url = f"{stocked_hub.base_url}/api/v1/labels/batch"
    item = label_item(shift.shift_id, shift.clips[0].clip_id)
    cases = [
        {**item, "frame": "AAAA"},
        {**item, "timings": {**item["timings"], "replays": "2"}},
        {**item, "decided_at": "yesterday"},
        {**item, "id": "not-a-uuid"},
    ]
    for case in cases:
        answer = httpx.post(url, json={"items": [case]}, headers=_bearer(seat))
        assert answer.status_code == 422
        detail = answer.json()["detail"]
        assert isinstance(detail, str) and detail.startswith("The request is not valid: items.0.")


def test_batch_and_body_size_caps(stocked_hub: HubServer, annotator: tuple[Seat, ShiftInfo]) -> None:
    seat, shift = annotator  # the test hub caps batches at 20
    items = [label_item(shift.shift_id, shift.clips[0].clip_id) for _ in range(21)]
    with pytest.raises(HubRejected) as info:
        seat.client.post_labels(items)
    assert info.value.status == 413 and "at most 20 labels" in str(info.value)

    url = f"{stocked_hub.base_url}/api/v1/labels/batch"
    big = httpx.post(url, content=b"\0" * (1024 * 1024 + 1), headers=_bearer(seat))
    assert big.status_code == 413 and "never clip bytes" in big.json()["detail"]
    chunked = httpx.post(url, content=(b"\0" * 65536 for _ in range(20)), headers=_bearer(seat))
    assert chunked.status_code == 413 and "never clip bytes" in chunked.json()["detail"]


def test_skip_flag_and_retract_events(stocked_hub: HubServer, annotator: tuple[Seat, ShiftInfo]) -> None:
    seat, shift = annotator
    a, b, c = (clip.clip_id for clip in shift.clips[:3])
    first = label_item(shift.shift_id, a, "person")
    undo = label_item(shift.shift_id, a, "retract", kind="retract", retracts=first["id"])
    again = label_item(shift.shift_id, a, "vehicle")
    skip = label_item(shift.shift_id, b, "skip", kind="skip", reason="unplayable")
    flag = label_item(shift.shift_id, c, "sensitive", kind="flag", reason="minor")
    result = seat.client.post_labels([first, undo, again, skip, flag])
    assert len(result.accepted) == 5
    state = seat.client.shift_state(shift.shift_id)
    labeled = {clip["clip_id"] for clip in state["clips"] if clip["labeled"]}
    assert labeled == {a, c}  # a: relabeled after the undo; b: only skipped; c: flagged
    later_undo = label_item(shift.shift_id, a, "retract", kind="retract", retracts=again["id"])
    assert seat.client.post_labels([later_undo]).accepted == [later_undo["id"]]
    state = seat.client.shift_state(shift.shift_id)
    assert a not in {clip["clip_id"] for clip in state["clips"] if clip["labeled"]}


@pytest.mark.parametrize("changes, message", [
    ({"kind": "skip", "label": "skip", "reason": "bored"}, "skip reasons"),
    ({"kind": "skip", "label": "person", "reason": "unclear"}, "skip reasons"),
    ({"kind": "flag", "label": "sensitive", "reason": None}, "flag reasons"),
    ({"kind": "flag", "label": "person", "reason": "minor"}, "is not a flag"),
    ({"kind": "label", "label": "sensitive"}, "not in the taxonomy"),
    ({"kind": "retract", "label": "retract", "retracts": "2f1d3c0e-8a3b-4c51-9a0f-3d2e1b0c9f8e"}, "does not hold"),
    ({"kind": "retract", "label": "person", "retracts": "2f1d3c0e-8a3b-4c51-9a0f-3d2e1b0c9f8e"}, "label 'retract'"),
    ({"kind": "label", "retracts": "2f1d3c0e-8a3b-4c51-9a0f-3d2e1b0c9f8e"}, "Only a retract"),
])
def test_bad_events_are_rejected_as_invalid(annotator: tuple[Seat, ShiftInfo], changes: dict[str, object],
                                            message: str) -> None:
    seat, shift = annotator
    item = label_item(shift.shift_id, shift.clips[0].clip_id, **changes)
    answer = post(seat, [item])
    assert answer["accepted"] == [] and [(r["id"], r["code"]) for r in answer["rejected"]] == [(item["id"], "invalid")]
    assert message in answer["rejected"][0]["reason"]


def test_retract_must_name_a_decision_of_the_same_clip(annotator: tuple[Seat, ShiftInfo]) -> None:
    seat, shift = annotator
    first = label_item(shift.shift_id, shift.clips[0].clip_id, "person")
    seat.client.post_labels([first])
    wrong = label_item(shift.shift_id, shift.clips[1].clip_id, "retract", kind="retract", retracts=first["id"])
    undo = label_item(shift.shift_id, shift.clips[0].clip_id, "retract", kind="retract", retracts=first["id"])
    undo_undo = label_item(shift.shift_id, shift.clips[0].clip_id, "retract", kind="retract", retracts=undo["id"])
    answer = post(seat, [wrong, undo, undo_undo])
    assert answer["accepted"] == [undo["id"]]
    assert [(r["id"], r["code"]) for r in answer["rejected"]] == [(wrong["id"], "invalid"),
                                                                  (undo_undo["id"], "invalid")]
    assert all("same clip" in r["reason"] for r in answer["rejected"])


def test_a_retract_finds_its_target_only_in_the_database(annotator: tuple[Seat, ShiftInfo]) -> None:
    """A target refused earlier in the batch is not in the database, so its retract is refused too."""
    seat, shift = annotator
    clip = shift.clips[0].clip_id
    bad = label_item(shift.shift_id, clip, "ufo")
    undo_bad = label_item(shift.shift_id, clip, "retract", kind="retract", retracts=bad["id"])
    good = label_item(shift.shift_id, clip, "person")
    undo_good = label_item(shift.shift_id, clip, "retract", kind="retract", retracts=good["id"])
    answer = post(seat, [bad, undo_bad, good, undo_good])
    assert answer["accepted"] == [good["id"], undo_good["id"]]
    assert [(r["id"], r["code"]) for r in answer["rejected"]] == [(bad["id"], "invalid"), (undo_bad["id"], "invalid")]


def test_the_same_users_id_with_another_payload_is_taken_not_a_duplicate(
        stocked_hub: HubServer, annotator: tuple[Seat, ShiftInfo]) -> None:
    seat, shift = annotator
    first = label_item(shift.shift_id, shift.clips[0].clip_id, "person")
    assert post(seat, [first])["accepted"] == [first["id"]]
    changed = {**first, "label": "vehicle"}
    reordered = dict(reversed(list(first.items())))  # the same item, keys in another order: still a duplicate
    answer = post(seat, [changed, reordered])
    assert answer["accepted"] == [] and answer["duplicates"] == [first["id"]]
    assert [(r["id"], r["code"]) for r in answer["rejected"]] == [(first["id"], "id_taken")]
    within = label_item(shift.shift_id, shift.clips[1].clip_id, "person")  # the same id twice in one batch
    answer = post(seat, [within, within, {**within, "label": "animal"}])
    assert answer["accepted"] == [within["id"]] and answer["duplicates"] == [within["id"]]
    assert [r["code"] for r in answer["rejected"]] == ["id_taken"]
    with hub_sql(stocked_hub.service.data_dir) as db:
        assert db.execute("SELECT label FROM labels WHERE id = ?", [first["id"]]).fetchone() == ("person",)
