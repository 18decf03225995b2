"""Sign-in throttling against password guessing: per (user, seat), per seat and per address, growing waits,
429 with Retry-After before any password work, kept in hub.db, cleared by a right password or an unlock."""

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
from workstation.hub import cli, passwords, throttle
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


def _second_seat(server: HubServer, label: str = "second seat") -> Seat:
    seat = enroll(server.base_url, label)
    server.service.approve_device(seat.enrollment_code)
    return seat


def test_five_failures_then_429_without_password_work_even_for_the_right_password(
        seat_hub: tuple[HubServer, Seat], password_checks: list[str]) -> None:
    _, seat = seat_hub
    _fail(seat, times=5)
    assert len(password_checks) == 5
    with pytest.raises(HubRateLimited) as info:
        seat.sign_in("ana")  # the right password, too late
    assert info.value.status == 429 and info.value.retry_after is not None and 20 < info.value.retry_after <= 30
    assert str(info.value) == ("Too many failed sign-in attempts for this user name on this workstation; sign-in is "
                               "paused for 30 seconds.")
    assert len(password_checks) == 5  # the 429 came before any scrypt work


def test_the_right_password_on_another_seat_gets_in_while_the_first_seat_is_locked(
        seat_hub: tuple[HubServer, Seat]) -> None:
    server, first = seat_hub  # every seat in a test has the address 127.0.0.1
    _fail(first, times=5)
    for _ in range(3):  # the right password there waits too
        with pytest.raises(HubRateLimited):
            first.sign_in("ana")
    second = _second_seat(server)
    second.sign_in("ana")
    assert second.call("GET", "/audit/head").status_code == 200
    with pytest.raises(HubRateLimited):  # the first seat stays paused for ana
        first.sign_in("ana")


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
        assert info.value.retry_after is not None and info.value.retry_after > 0


def _policy() -> throttle.Policy:
    return throttle.Policy(first_wait_s=30, max_wait_s=3600, forget_after_s=24 * 3600)


def test_waits_double_after_the_free_tries_up_to_a_cap_and_a_quiet_day_forgets(data_dir: Path) -> None:
    db, policy = HubHome.open(data_dir).connect(), _policy()
    keys = throttle.keys_for("ana", "d" * 32, "10.0.0.7", free_user_device=2, free_device=100, free_address=100)
    now = 1_000_000.0
    throttle.admit(db, keys, policy, now=now)  # 1st failure: free
    throttle.admit(db, keys, policy, now=now)  # 2nd: the free tries are used up, the next waits 30 s
    waits = []
    for _ in range(9):
        with pytest.raises(Throttled) as info:
            throttle.admit(db, keys, policy, now=now)
        waits.append(info.value.retry_after_s)
        assert info.value.headers() == {"Retry-After": str(info.value.retry_after_s)}
        now += info.value.retry_after_s  # wait exactly as long as told, then fail again
        throttle.admit(db, keys, policy, now=now)
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    with pytest.raises(Throttled):
        throttle.admit(db, keys, policy, now=now + 3599)
    now += 24 * 3600  # a quiet day: the counter is forgotten, the free tries are back
    throttle.admit(db, keys, policy, now=now)
    throttle.admit(db, keys, policy, now=now)
    with pytest.raises(Throttled) as info:
        throttle.admit(db, keys, policy, now=now)
    assert info.value.retry_after_s == 30
    db.close()


def test_a_right_password_clears_the_user_and_seat_counter_and_gives_the_attempt_back(data_dir: Path) -> None:
    db, policy = HubHome.open(data_dir).connect(), _policy()
    keys = throttle.keys_for("ana", "d" * 32, "10.0.0.7", free_user_device=5, free_device=3, free_address=100)
    now = 1_000_000.0
    throttle.admit(db, keys, policy, now=now)
    throttle.admit(db, keys, policy, now=now)
    attempt = throttle.admit(db, keys, policy, now=now)  # the device's 3rd: it would now have to wait …
    throttle.succeeded(db, attempt)  # … but the password was right: that attempt is given back
    assert db.execute("SELECT key, failures FROM signin_failures ORDER BY key").fetchall() == [
        ("address:10.0.0.7", 2), (f"device:{'d' * 32}", 2)]
    throttle.admit(db, keys, policy, now=now)  # so one more try is free
    with pytest.raises(Throttled) as info:
        throttle.admit(db, keys, policy, now=now)
    assert "from this workstation" in str(info.value)
    db.close()


def test_a_success_resets_the_users_counter(seat_hub: tuple[HubServer, Seat]) -> None:
    _, seat = seat_hub
    _fail(seat, times=4)
    seat.sign_in("ana")
    _fail(seat, times=4)  # four more are allowed again
    seat.sign_in("ana")


def test_one_workstation_trying_many_names_is_throttled(data_dir: Path) -> None:
    with _hub(data_dir, signin_free_failures_per_device=3) as server:
        seat = signed_in_seat(server, "ana")
        for name in ("bob", "cai", "dee"):
            _fail(seat, name)
        with pytest.raises(HubRateLimited) as info:
            seat.sign_in("ana")
        assert "from this workstation" in str(info.value)
        other = signed_in_seat(server, "eve")  # another seat is not affected
        assert other.client.session is not None


def test_one_address_trying_from_many_seats_is_throttled(data_dir: Path) -> None:
    with _hub(data_dir, signin_free_failures_per_address=3) as server:
        first, second = signed_in_seat(server, "ana"), signed_in_seat(server, "ben")
        _fail(first, "ana", times=2)
        _fail(second, "ben")
        with pytest.raises(HubRateLimited) as info:
            second.sign_in("ben")
        assert "from this network address" in str(info.value)


def test_the_defaults_allow_more_per_seat_and_per_address_than_per_user_and_seat() -> None:
    config = SMALL_SHIFTS
    assert (config.signin_free_failures_per_user_device, config.signin_free_failures_per_device,
            config.signin_free_failures_per_address) == (5, 20, 50)
    assert (config.signin_first_wait_s, config.signin_max_wait_s, config.signin_forget_after_s) == (30, 3600, 86400)


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


def test_cli_unlock_clears_the_users_counters(seat_hub: tuple[HubServer, Seat],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    server, seat = seat_hub
    second = _second_seat(server)
    _fail(seat, times=5)
    _fail(second, times=2)
    with pytest.raises(HubRateLimited):
        seat.sign_in("ana")
    data = str(server.service.data_dir)
    assert cli.main(["user", "unlock", "ana", "--data", data]) == 0
    out, err = capsys.readouterr()
    assert out == "unlocked user ana: cleared 7 failed sign-in attempts on 2 workstations\n" and err == ""
    seat.sign_in("ana")
    assert cli.main(["user", "unlock", "ana", "--data", data]) == 0
    assert capsys.readouterr().out == "user ana had no failed sign-in attempts to clear\n"
    assert cli.main(["user", "unlock", "nobody", "--data", data]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == "error: There is no user named 'nobody'. 'user list' shows the hub's users.\n"


def test_api_unlock_for_supervisors_and_admins(seat_hub: tuple[HubServer, Seat]) -> None:
    server, seat = seat_hub
    sue = signed_in_seat(server, "sue", "supervisor")
    _fail(seat, times=5)
    with pytest.raises(HubRateLimited):
        seat.sign_in("ana")
    answer = sue.call("POST", "/users/ana/unlock")
    assert answer.status_code == 200 and answer.json() == {"name": "ana", "cleared": 5, "workstations": 1}
    seat.sign_in("ana")
    assert sue.call("POST", "/users/nobody/unlock").status_code == 404
    assert seat.call("POST", "/users/ana/unlock").status_code == 403


def _raw_sign_in(server: HubServer, seat: Seat, user: str, password: str, headers: dict[str, str]) -> int:
    api = f"{server.base_url}/api/v1"
    challenge = httpx.post(f"{api}/sessions/challenge", json={"device_id": seat.device_id})
    nonce = base64.b64decode(challenge.json()["nonce"])
    signature = Ed25519PrivateKey.from_private_bytes(seat.device_key).sign(signin_message(nonce, user))
    body = {"username": user, "password": password, "device_id": seat.device_id,
            "nonce": base64.b64encode(nonce).decode(), "signature": base64.b64encode(signature).decode()}
    return httpx.post(f"{api}/sessions", json=body, headers=headers, timeout=60).status_code


def test_a_forwarded_for_header_does_not_change_the_counted_address(data_dir: Path) -> None:
    with _hub(data_dir, signin_free_failures_per_address=3) as server:
        seats = [signed_in_seat(server, name) for name in ("ana", "ben", "cai", "dee")]
        codes = [_raw_sign_in(server, seat, name, "wrong password", {"X-Forwarded-For": f"10.0.0.{i}"})
                 for i, (seat, name) in enumerate(zip(seats, ("ana", "ben", "cai", "dee")))]
    assert codes == [401, 401, 401, 429]
