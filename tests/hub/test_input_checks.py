"""What the hub's API refuses at the door (422, one sentence), so nothing it stores can break it later."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from tests.hub.helpers import Seat, hub_sql, label_item, signed_in_seat
from workstation.hub.server import HubServer
from workstation.sync.client import ShiftInfo
from workstation.vault import sealing

LOW_ORDER_POINTS = [
    "00" * 32,  # 0
    "01" + "00" * 31,  # 1
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",  # order 8
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",  # order 8
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # p - 1
]


def _detail(answer: httpx.Response) -> str:
    detail = answer.json()["detail"]
    assert isinstance(detail, str) and detail.endswith(".") and "\n" not in detail
    return detail


@pytest.fixture
def annotator(stocked_hub: HubServer) -> tuple[Seat, ShiftInfo]:
    seat = signed_in_seat(stocked_hub, "ana")
    return seat, seat.client.start_shift(sealing.generate_shift_keypair()[1])


@pytest.mark.parametrize("point", LOW_ORDER_POINTS)
def test_a_low_order_shift_key_is_refused(stocked_hub: HubServer, point: str) -> None:
    seat = signed_in_seat(stocked_hub, "ana")
    answer = seat.call("POST", "/shifts", json={"public_key": base64.b64encode(bytes.fromhex(point)).decode()})
    assert answer.status_code == 422
    assert _detail(answer) == ("The shift public key is not a usable X25519 key (a low-order point, which "
                               "would seal every clip key to a key anyone can compute).")
    shift = seat.client.start_shift(sealing.generate_shift_keypair()[1])  # a good key still works …
    assert set(seat.client.shift_keys(shift.shift_id)) == {c.clip_id for c in shift.clips}  # … and so do its keys


def test_a_low_order_key_an_older_hub_stored_gets_a_clear_answer_not_a_500(
        stocked_hub: HubServer, annotator: tuple[Seat, ShiftInfo]) -> None:
    seat, shift = annotator
    with hub_sql(stocked_hub.service.data_dir) as db:
        db.execute("UPDATE shifts SET public_key = ? WHERE shift_id = ?", [bytes(32), shift.shift_id])
    for path in (f"/shifts/{shift.shift_id}/keys", f"/shifts/{shift.shift_id}/keys/{shift.clips[0].clip_id}"):
        answer = seat.call("GET", path)
        assert answer.status_code == 409
        assert _detail(answer) == "This shift's public key cannot be used to seal clip keys."
    seat.client.start_shift(sealing.generate_shift_keypair()[1])  # re-keying the open shift mends it
    assert len(seat.client.shift_keys(shift.shift_id)) == len(shift.clips)


def _raw_post(seat: Seat, text: str) -> httpx.Response:
    """A label batch sent as raw JSON text (Python's json writes Infinity and NaN, which JSON does not know)."""
    return httpx.post(f"{seat.client.base_url}/api/v1/labels/batch", content=text.encode(), timeout=30,
                      headers={"Authorization": f"Bearer {seat.token}", "Content-Type": "application/json"})


@pytest.mark.parametrize("number", ["Infinity", "-Infinity", "NaN"])
def test_non_finite_numbers_are_refused_and_the_clip_keeps_working(
        stocked_hub: HubServer, annotator: tuple[Seat, ShiftInfo], number: str) -> None:
    seat, shift = annotator
    clip = shift.clips[0].clip_id
    bad = label_item(shift.shift_id, clip, "sensitive", kind="flag", reason="minor")
    text = json.dumps({"items": [bad]}).replace('"watched_s": 3.5', f'"watched_s": {number}')
    assert number in text
    answer = _raw_post(seat, text)
    assert answer.status_code == 422
    assert _detail(answer).startswith("The request is not valid: items.0.timings.watched_s: ")
    with hub_sql(stocked_hub.service.data_dir) as db:
        assert db.execute("SELECT count(*) FROM labels").fetchone() == (0,)
    flag = label_item(shift.shift_id, clip, "sensitive", kind="flag", reason="minor")
    undo = label_item(shift.shift_id, clip, "retract", kind="retract", retracts=flag["id"])
    assert seat.client.post_labels([flag]).accepted == [flag["id"]]
    assert seat.client.post_labels([undo]).accepted == [undo["id"]]


@pytest.mark.parametrize("field", ["shown_at", "decided_at"])
@pytest.mark.parametrize("value, message", [
    ("2025-01-06T09:00:00+00:00", "must be an ISO 8601 UTC time ending in Z"),
    ("2025-01-06T09:00:00", "must be an ISO 8601 UTC time ending in Z"),
    ("2025-01-06T09:00:00.000Z\n", "must be an ISO 8601 UTC time ending in Z"),
    ("2025-01-06 09:00:00Z", "must be an ISO 8601 UTC time ending in Z"),
    ("2025-13-06T09:00:00Z", "must be an ISO 8601 UTC time ending in Z"),
    ("2019-12-31T23:59:59.999Z", "must lie between 2020-01-01 and 2100-01-01"),
    ("2100-01-01T00:00:00Z", "must lie between 2020-01-01 and 2100-01-01"),
    ("9999-12-31T23:59:59Z", "must lie between 2020-01-01 and 2100-01-01"),
])
def test_times_are_utc_with_z_and_within_bounds(annotator: tuple[Seat, ShiftInfo], field: str, value: str,
                                                message: str) -> None:
    seat, shift = annotator
    item = label_item(shift.shift_id, shift.clips[0].clip_id, **{field: value})
    answer = seat.call("POST", "/labels/batch", json={"items": [item]})
    assert answer.status_code == 422
    assert _detail(answer) == f"The request is not valid: items.0.{field}: {message}."


def test_times_at_the_bounds_are_accepted(annotator: tuple[Seat, ShiftInfo]) -> None:
    seat, shift = annotator
    items = [label_item(shift.shift_id, shift.clips[0].clip_id, shown_at="2020-01-01T00:00:00Z",
                        decided_at="2099-12-31T23:59:59.999999Z"),
             label_item(shift.shift_id, shift.clips[1].clip_id, shown_at="2026-11-25T10:00:00Z",
                        decided_at="2026-11-25T10:00:04.2Z")]
    assert seat.client.post_labels(items).accepted == [i["id"] for i in items]
