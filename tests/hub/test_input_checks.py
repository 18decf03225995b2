"""What the hub's API refuses at the door (422, one sentence), so nothing it stores can break it later."""

from __future__ import annotations

import base64
import json
import sqlite3
from typing import Any

import httpx
import pytest

from tests.hub.helpers import Seat, label_item, signed_in_seat
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
    with sqlite3.connect(stocked_hub.service.data_dir / "hub.db") as db:
        db.execute("UPDATE shifts SET public_key = ? WHERE shift_id = ?", [bytes(32), shift.shift_id])
    for path in (f"/shifts/{shift.shift_id}/keys", f"/shifts/{shift.shift_id}/keys/{shift.clips[0].clip_id}"):
        answer = seat.call("GET", path)
        assert answer.status_code == 409
        assert _detail(answer) == "This shift's public key cannot be used to seal clip keys."
    seat.client.start_shift(sealing.generate_shift_keypair()[1])  # re-keying the open shift mends it
    assert len(seat.client.shift_keys(shift.shift_id)) == len(shift.clips)
