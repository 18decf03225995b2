"""Enrollment, approval, sign-in and revocation against a real hub on loopback."""

from __future__ import annotations

import base64

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.hub.helpers import PASSWORD, device_keypair, enroll, signed_in_seat
from workstation.hub import cli
from workstation.hub.errors import HubError
from workstation.hub.server import HubServer
from workstation.sync.client import HubClient
from workstation.sync.errors import HubAuthError, HubRejected


def test_pending_device_cannot_sign_in_until_approved_by_cli(hub: HubServer, capsys: pytest.CaptureFixture[str]) -> None:
    hub.service.add_user("ana", "annotator", PASSWORD)
    seat = enroll(hub.base_url, "seat 7")
    assert seat.client.device_status(seat.device_id) == "pending"
    with pytest.raises(HubAuthError) as info:
        seat.sign_in("ana")
    assert "waiting for IT to approve" in str(info.value)

    assert cli.main(["devices", "list", "--data", str(hub.service.data_dir)]) == 0
    listed = capsys.readouterr().out
    assert seat.device_id in listed and "pending" in listed and seat.enrollment_code in listed
    assert cli.main(["devices", "approve", seat.enrollment_code.lower(), "--data", str(hub.service.data_dir)]) == 0
    assert seat.device_id in capsys.readouterr().out

    assert seat.client.device_status(seat.device_id) == "approved"
    seat.sign_in("ana")
    assert seat.client.session is not None and seat.client.session.role == "annotator"
    assert seat.client.session.expires_at.endswith("Z")


def test_enrolling_the_same_key_again_returns_the_same_device(hub: HubServer) -> None:
    _private, public = device_keypair()
    client = HubClient(hub.base_url)
    first = client.enroll_device(public, "seat")
    again = client.enroll_device(public, "seat")
    assert again == first


def test_unknown_user_and_bad_password_get_the_same_answer(hub: HubServer) -> None:
    seat = signed_in_seat(hub, "ana")
    messages = []
    for user, password in (("ana", "wrong password"), ("nobody", PASSWORD)):
        with pytest.raises(HubAuthError) as info:
            seat.sign_in(user, password)
        assert info.value.status == 401
        messages.append(str(info.value))
    assert messages[0] == messages[1] == "The user name or password is not correct."


def test_nonce_is_single_use(hub: HubServer) -> None:
    hub.service.add_user("ana", "annotator", PASSWORD)
    seat = enroll(hub.base_url)
    hub.service.approve_device(seat.enrollment_code)
    api = hub.base_url + "/api/v1"
    nonce_b64 = httpx.post(f"{api}/sessions/challenge", json={"device_id": seat.device_id}).json()["nonce"]
    signature = Ed25519PrivateKey.from_private_bytes(seat.device_key).sign(
        b"fws-signin-v1\0" + base64.b64decode(nonce_b64) + b"\0" + b"ana")
    body = {"username": "ana", "password": PASSWORD, "device_id": seat.device_id, "nonce": nonce_b64,
            "signature": base64.b64encode(signature).decode()}
    first = httpx.post(f"{api}/sessions", json=body)
    assert first.status_code == 200 and first.json()["user"] == {"name": "ana", "role": "annotator"}
    replay = httpx.post(f"{api}/sessions", json=body)
    assert replay.status_code == 401
    assert "already used" in replay.json()["detail"]


def test_signature_from_another_key_is_refused(hub: HubServer) -> None:
    hub.service.add_user("ana", "annotator", PASSWORD)
    seat = enroll(hub.base_url)
    hub.service.approve_device(seat.enrollment_code)
    other_private, _ = device_keypair()
    with pytest.raises(HubAuthError) as info:
        seat.client.sign_in("ana", PASSWORD, seat.device_id, other_private)
    assert "device key" in str(info.value)


def test_revoked_device_is_refused_on_its_next_request(hub: HubServer, capsys: pytest.CaptureFixture[str]) -> None:
    seat = signed_in_seat(hub, "ana")
    with pytest.raises(HubRejected) as info:  # no clips yet: the session itself works
        seat.client.start_shift(b"\x09" * 32)
    assert info.value.status == 409

    assert cli.main(["devices", "revoke", seat.device_id, "--data", str(hub.service.data_dir)]) == 0
    assert "revoked" in capsys.readouterr().out
    with pytest.raises(HubAuthError):
        seat.client.start_shift(b"\x09" * 32)
    with pytest.raises(HubAuthError) as info:
        seat.sign_in("ana")
    assert "revoked" in str(info.value)
    assert seat.client.device_status(seat.device_id) == "revoked"
    with pytest.raises(HubError) as approve:
        hub.service.approve_device(seat.enrollment_code)
    assert "revoked" in str(approve.value)


def test_sign_out_ends_the_session(hub: HubServer) -> None:
    seat = signed_in_seat(hub, "ana")
    token = seat.client.session.token if seat.client.session else ""
    seat.client.sign_out()
    assert seat.client.session is None
    answer = httpx.get(f"{hub.base_url}/api/v1/shifts/{'0' * 32}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401 and "unknown or has ended" in answer.json()["detail"]


def test_bearer_endpoints_need_a_token(hub: HubServer) -> None:
    answer = httpx.post(f"{hub.base_url}/api/v1/shifts", json={"public_key": base64.b64encode(b"\1" * 32).decode()})
    assert answer.status_code == 401
    assert answer.json() == {"detail": "This request needs a session token; sign in first."}
    bogus = httpx.get(f"{hub.base_url}/api/v1/shifts/{'0' * 32}", headers={"Authorization": "Bearer nope"})
    assert bogus.status_code == 401 and "unknown or has ended" in bogus.json()["detail"]
