"""Public enrollment (POST /devices) is throttled per address and the pending list is capped.

Before, 500 pending enrollments were accepted in 17 s: anyone on the floor network could bury IT's list of
seats waiting for approval (and grow hub.db) without limit.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from tests.hub.conftest import SMALL_SHIFTS
from tests.hub.helpers import device_keypair
from workstation.hub import devices
from workstation.hub.errors import Throttled
from workstation.hub.home import HubHome
from workstation.hub.server import HubServer


def _enroll(server: HubServer, public: bytes | None = None) -> httpx.Response:
    key = public if public is not None else device_keypair()[1]
    return httpx.post(f"{server.base_url}/api/v1/devices", timeout=30,
                      json={"public_key": base64.b64encode(key).decode(), "label": "seat"})


def _detail(answer: httpx.Response) -> str:
    detail = answer.json()["detail"]
    assert isinstance(detail, str) and detail.endswith(".")
    return detail


def test_ten_new_enrollments_an_hour_per_address_and_a_known_key_still_answers(data_dir: Path) -> None:
    with HubServer(data_dir, config=SMALL_SHIFTS) as server:
        first_key = device_keypair()[1]
        assert _enroll(server, first_key).status_code == 201
        assert [_enroll(server).status_code for _ in range(9)] == [201] * 9
        refused = _enroll(server)
        assert refused.status_code == 429
        retry_after = int(refused.headers["Retry-After"])
        assert 3000 < retry_after <= 3600
        assert _detail(refused) == ("Too many new workstations enrolled from this network address; enrollment is "
                                    "paused here for 60 minutes.")
        again = _enroll(server, first_key)  # a seat restarting re-enrolls its known key: still answered
        assert again.status_code == 200 and again.json()["status"] == "pending"
        assert len(server.service.list_devices()) == 10


def test_pending_enrollments_are_capped_until_it_approves_or_revokes(data_dir: Path) -> None:
    config = replace(SMALL_SHIFTS, enroll_per_address=1000, max_pending_devices=5)
    with HubServer(data_dir, config=config) as server:
        keys = [device_keypair()[1] for _ in range(5)]
        assert [_enroll(server, key).status_code for key in keys] == [201] * 5
        full = _enroll(server)
        assert full.status_code == 503 and int(full.headers["Retry-After"]) > 0
        assert _detail(full) == ("The hub already has 5 workstations waiting for approval, the most it keeps; "
                                 "IT approves or revokes them first.")
        assert _enroll(server, keys[0]).status_code == 200  # known keys still answered
        code = _enroll(server, keys[0]).json()["enrollment_code"]
        server.service.approve_device(code)
        assert _enroll(server).status_code == 201  # room again


def test_the_enrollment_window_passes(data_dir: Path) -> None:
    db = HubHome.open(data_dir).connect()
    limits = devices.EnrollLimits(per_address=2, window_s=3600, max_pending=100)
    now = 1_000_000.0
    devices.enroll(db, device_keypair()[1], "a", address="10.0.0.9", limits=limits, now=now)
    devices.enroll(db, device_keypair()[1], "b", address="10.0.0.9", limits=limits, now=now + 600)
    with pytest.raises(Throttled) as info:
        devices.enroll(db, device_keypair()[1], "c", address="10.0.0.9", limits=limits, now=now + 1200)
    assert info.value.retry_after_s == 2400
    devices.enroll(db, device_keypair()[1], "d", address="10.0.0.10", limits=limits, now=now + 1200)  # another address
    devices.enroll(db, device_keypair()[1], "e", address="10.0.0.9", limits=limits, now=now + 3600)  # a new hour
    db.close()
