"""Sign-in throttling against password guessing: 429 with Retry-After, no password work, kept in hub.db."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.hub.conftest import SMALL_SHIFTS
from tests.hub.helpers import PASSWORD, Seat, enroll, signed_in_seat
from workstation.hub import passwords, throttle
from workstation.hub.errors import Throttled
from workstation.hub.home import HubHome
from workstation.hub.server import HubServer
from workstation.sync.client import HubClient
from workstation.sync.errors import HubAuthError, HubRateLimited
from workstation.wire import signin_message


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every scrypt password check the (in-process) hub makes."""
    calls: list[str] = []
    real = passwords.verify_password

    def counted(password: str, encoded: str) -> bool:
        calls.append(password)
        return real(password, encoded)

    monkeypatch.setattr(passwords, "verify_password", counted)
    return calls


def _hub(data_dir: Path, **limits: int) -> HubServer:
    return HubServer(data_dir, config=replace(SMALL_SHIFTS, **limits))


@pytest.fixture
def seat_hub(data_dir: Path) -> Iterator[tuple[HubServer, Seat]]:
    with _hub(data_dir) as server:
        seat = signed_in_seat(server, "ana")
        yield server, seat


def _fail(seat: Seat, user: str = "ana", times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(HubAuthError) as info:
            seat.sign_in(user, "wrong password")
        assert info.value.status == 401


def test_five_failures_then_429_without_password_work_even_for_the_right_password(
        seat_hub: tuple[HubServer, Seat], password_checks: list[str]) -> None:
    _, seat = seat_hub
    _fail(seat, times=5)
    assert len(password_checks) == 5
    with pytest.raises(HubRateLimited) as info:
        seat.sign_in("ana")  # the right password, too late
    assert info.value.status == 429 and info.value.retry_after is not None and 800 < info.value.retry_after <= 900
    assert str(info.value) == "Too many failed sign-in attempts for this user name; sign-in is paused for 15 minutes."
    assert len(password_checks) == 5  # the 429 came before any scrypt work


def test_a_name_that_does_not_exist_is_throttled_alike(seat_hub: tuple[HubServer, Seat]) -> None:
    _, seat = seat_hub
    answers = []
    for name in ("ana", "nobody"):
        _fail(seat, name, times=5)
        with pytest.raises(HubRateLimited) as info:
            seat.sign_in(name)
        answers.append(str(info.value))
    assert answers[0] == answers[1]


def test_the_lockout_survives_a_restart(data_dir: Path) -> None:
    with _hub(data_dir) as server:
        seat = signed_in_seat(server, "ana")
        _fail(seat, times=5)
    with _hub(data_dir) as again:  # a new hub on the same data folder
        seat.client = HubClient(again.base_url)
        with pytest.raises(HubRateLimited) as info:
            seat.sign_in("ana")
        assert info.value.retry_after is not None and info.value.retry_after > 800


def test_the_lockout_ends_when_the_window_has_passed(data_dir: Path) -> None:
    db = HubHome.open(data_dir).connect()
    keys = throttle.keys_for("ana", "d" * 32, "10.0.0.7", per_user=2, per_device=10, per_address=10)
    start = 1_000_000.0
    throttle.admit(db, keys, 900, now=start)
    throttle.admit(db, keys, 900, now=start + 100)
    with pytest.raises(Throttled) as info:
        throttle.admit(db, keys, 900, now=start + 200)
    assert info.value.retry_after_s == 700 and info.value.headers() == {"Retry-After": "700"}
    throttle.admit(db, keys, 900, now=start + 900)  # the window that began with the first failure is over
    db.close()


def test_a_success_resets_the_users_counter(seat_hub: tuple[HubServer, Seat]) -> None:
    _, seat = seat_hub
    _fail(seat, times=4)
    seat.sign_in("ana")
    _fail(seat, times=4)  # four more are allowed again
    seat.sign_in("ana")


def test_one_workstation_trying_many_names_is_throttled(data_dir: Path) -> None:
    with _hub(data_dir, signin_failures_per_device=3) as server:
        seat = signed_in_seat(server, "ana")
        for name in ("bob", "cai", "dee"):
            _fail(seat, name)
        with pytest.raises(HubRateLimited) as info:
            seat.sign_in("ana")
        assert "from this workstation" in str(info.value)
        other = signed_in_seat(server, "eve")  # another seat is not affected
        assert other.client.session is not None


def test_one_address_trying_from_many_seats_is_throttled(data_dir: Path) -> None:
    with _hub(data_dir, signin_failures_per_address=3) as server:
        first, second = signed_in_seat(server, "ana"), signed_in_seat(server, "ben")
        _fail(first, "ana", times=2)
        _fail(second, "ben")
        with pytest.raises(HubRateLimited) as info:
            second.sign_in("ben")
        assert "from this network address" in str(info.value)


def test_a_burst_of_parallel_guesses_is_counted_before_the_password_work(
        data_dir: Path, password_checks: list[str]) -> None:
    with _hub(data_dir) as server:
        server.service.add_user("ana", "annotator", PASSWORD)
        seat = enroll(server.base_url)
        server.service.approve_device(seat.enrollment_code)
        api = f"{server.base_url}/api/v1"
        signer = Ed25519PrivateKey.from_private_bytes(seat.device_key)
        bodies = []
        for _ in range(12):
            nonce = base64.b64decode(httpx.post(f"{api}/sessions/challenge",
                                                json={"device_id": seat.device_id}).json()["nonce"])
            bodies.append({"username": "ana", "password": "wrong password", "device_id": seat.device_id,
                           "nonce": base64.b64encode(nonce).decode(),
                           "signature": base64.b64encode(signer.sign(signin_message(nonce, "ana"))).decode()})
        codes: list[int] = []
        threads = [threading.Thread(target=lambda b=body: codes.append(
            httpx.post(f"{api}/sessions", json=b, timeout=60).status_code)) for body in bodies]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(codes) == [401] * 5 + [429] * 7
    assert len(password_checks) == 5
