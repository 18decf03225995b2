"""Accounts and sessions: expiry, revocation mid-session, disabled users, the admin and supervisor endpoints."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from tests.hub.conftest import SMALL_SHIFTS
from tests.hub.helpers import PASSWORD, enroll, signed_in_seat
from workstation.hub import cli
from workstation.hub.server import HubServer
from workstation.sync.errors import HubAuthError
from workstation.vault import sealing


def test_a_session_expires(data_dir: Path) -> None:
    with HubServer(data_dir, config=replace(SMALL_SHIFTS, session_ttl_s=1)) as server:
        seat = signed_in_seat(server, "ana")
        assert seat.call("GET", "/audit/head").status_code == 200
        time.sleep(1.2)
        answer = seat.call("GET", "/audit/head")
        assert answer.status_code == 401 and answer.json()["detail"] == "This session has expired."
        assert seat.call("GET", "/audit/head").status_code == 401  # and it stays gone


def test_revoking_a_device_mid_session_answers_403_to_its_old_token(hub: HubServer) -> None:
    ana = signed_in_seat(hub, "ana")
    ada = signed_in_seat(hub, "ada", "admin")
    second = enroll(hub.base_url, "ana's other seat")
    hub.service.approve_device(second.enrollment_code)
    second.sign_in("ana")
    old_token = ana.token
    assert ana.call("GET", "/audit/head").status_code == 200

    revoked = ada.call("POST", f"/devices/{ana.device_id}/revoke")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    for method, path in (("GET", "/audit/head"), ("POST", "/shifts"), ("DELETE", "/sessions")):
        answer = ana.call(method, path, json={"public_key": "AAAA"} if method == "POST" else None)
        assert answer.status_code == 403, (path, answer.text)
        assert "revoked" in answer.json()["detail"]
    assert ana.token == old_token
    with pytest.raises(HubAuthError) as info:
        ana.sign_in("ana")
    assert info.value.status == 403
    assert second.call("GET", "/audit/head").status_code == 200  # only that device is out


def test_disabling_a_user_ends_every_session_and_closes_their_shift(stocked_hub: HubServer) -> None:
    hub = stocked_hub
    ana = signed_in_seat(hub, "ana")
    ada = signed_in_seat(hub, "ada", "admin")
    other_seat = enroll(hub.base_url, "second seat")
    hub.service.approve_device(other_seat.enrollment_code)
    other_seat.sign_in("ana")
    ana.client.start_shift(sealing.generate_shift_keypair()[1])
    assert hub.service.waiting_clip_count() == 5

    answer = ada.call("POST", "/users/ana/disable")
    assert answer.status_code == 200 and answer.json()["status"] == "disabled"
    for seat in (ana, other_seat):
        refused = seat.call("GET", "/audit/head")
        assert refused.status_code == 403 and refused.json()["detail"] == "This account is disabled."
    assert hub.service.waiting_clip_count() == 8  # the open shift closed; its clips are back
    with pytest.raises(HubAuthError) as right:
        ana.sign_in("ana")
    assert right.value.status == 403 and "disabled" in str(right.value)
    with pytest.raises(HubAuthError) as wrong:
        ana.sign_in("ana", "wrong password")
    assert wrong.value.status == 401 and str(wrong.value) == "The user name or password is not correct."

    assert ada.call("POST", "/users/ana/enable").json()["status"] == "active"
    assert other_seat.call("GET", "/audit/head").status_code == 401  # sessions ended by the disabling stay ended
    ana.sign_in("ana")
    assert ana.call("GET", "/audit/head").status_code == 200
    assert ada.call("POST", "/users/ada/disable").status_code == 409  # not oneself
    assert ada.call("POST", "/users/nobody/disable").status_code == 404


def test_admin_device_endpoints(hub: HubServer) -> None:
    ada = signed_in_seat(hub, "ada", "admin")
    waiting = enroll(hub.base_url, "seat 12")
    listed = {d["device_id"]: d for d in ada.call("GET", "/devices").json()["devices"]}
    assert listed[waiting.device_id]["status"] == "pending"
    assert listed[waiting.device_id]["enrollment_code"] == waiting.enrollment_code
    assert listed[ada.device_id]["status"] == "approved" and listed[ada.device_id]["approved_at"]

    code = waiting.enrollment_code.lower().replace("-", "")
    approved = ada.call("POST", "/devices/approve", json={"enrollment_code": code})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert ada.call("POST", "/devices/approve", json={"enrollment_code": code}).status_code == 200  # idempotent
    assert ada.call("POST", "/devices/approve", json={"enrollment_code": "ZZZZ-ZZZZ"}).status_code == 404
    assert ada.call("POST", f"/devices/{waiting.device_id}/revoke").json()["revoked_at"]
    again = ada.call("POST", "/devices/approve", json={"enrollment_code": code})
    assert again.status_code == 409 and "revoked" in again.json()["detail"]
    assert ada.call("POST", f"/devices/{'0' * 32}/revoke").status_code == 404


def test_users_list_and_role_refusals(hub: HubServer) -> None:
    ana = signed_in_seat(hub, "ana")
    sue = signed_in_seat(hub, "sue", "supervisor")
    ada = signed_in_seat(hub, "ada", "admin")
    listed = sue.call("GET", "/users").json()["users"]
    assert [(u["name"], u["role"], u["status"]) for u in listed] == [
        ("ada", "admin", "active"), ("ana", "annotator", "active"), ("sue", "supervisor", "active")]
    assert all(set(u) == {"name", "role", "created_at", "status", "disabled_at"} for u in listed)

    refused = ana.call("GET", "/users")
    assert refused.status_code == 403
    assert refused.json()["detail"] == ("Only a supervisor or an admin may use the supervisor endpoints; "
                                        "you are signed in as an annotator.")
    assert sue.call("GET", "/devices").json()["detail"] == ("Only an admin may manage devices and accounts; "
                                                            "you are signed in as a supervisor.")
    no_shift = ada.call("POST", "/shifts", json={"public_key": "AAAA"})
    assert no_shift.status_code == 403 and "take a shift" in no_shift.json()["detail"]


def test_cli_disables_and_enables_users(hub: HubServer, capsys: pytest.CaptureFixture[str]) -> None:
    seat = signed_in_seat(hub, "ana")
    data = str(hub.service.data_dir)
    assert cli.main(["user", "disable", "ana", "--data", data]) == 0
    assert "disabled user ana" in capsys.readouterr().out
    assert seat.call("GET", "/audit/head").status_code == 403
    assert cli.main(["user", "list", "--data", data]) == 0
    assert "disabled" in capsys.readouterr().out
    assert cli.main(["user", "enable", "ana", "--data", data]) == 0
    seat.sign_in("ana", PASSWORD)
    assert cli.main(["user", "disable", "nobody", "--data", data]) == 2
    assert capsys.readouterr().err.startswith("error: There is no user named 'nobody'.")
