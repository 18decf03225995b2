"""Hub password hashing: scrypt N=2**17 by default, a bound on hashes at once, rehash at the next sign-in."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.hub.conftest import CHEAP_PASSWORDS, SMALL_SHIFTS
from tests.hub.helpers import PASSWORD, enroll, hub_sql
from workstation.hub import passwords
from workstation.hub.config import HubConfig
from workstation.hub.server import HubServer
from workstation.hub.service import HubService
from workstation.sync.errors import HubAuthError

WAIT_S = 120.0
"""Generous: how long a test waits for threads to reach a point before calling it a failure."""


def test_the_default_cost_is_n_2_17_and_only_an_explicit_test_parameter_lowers_it() -> None:
    assert passwords.DEFAULT_COST == passwords.Cost(n=2**17, r=8, p=1)
    assert HubConfig().test_only_password_cost is None
    assert passwords.hash_password("correct horse").startswith("scrypt$n=131072,r=8,p=1$")
    cheap = passwords.hash_password("correct horse", CHEAP_PASSWORDS)
    assert cheap.startswith(f"scrypt$n={CHEAP_PASSWORDS.n},")
    assert passwords.needs_rehash(cheap) and not passwords.needs_rehash(cheap, CHEAP_PASSWORDS)
    assert passwords.dummy_hash(passwords.DEFAULT_COST).startswith("scrypt$n=131072,")


def _store_hash(data_dir: Path, name: str, encoded: str) -> None:
    with hub_sql(data_dir) as db:
        db.execute("UPDATE users SET password_hash = ? WHERE name = ?", [encoded, name])


def _stored_hash(data_dir: Path, name: str) -> str:
    with hub_sql(data_dir) as db:
        row = db.execute("SELECT password_hash FROM users WHERE name = ?", [name]).fetchone()
    return str(row[0])


def test_an_old_hash_is_replaced_at_the_next_right_sign_in(data_dir: Path) -> None:
    config = replace(SMALL_SHIFTS, test_only_password_cost=None)  # the real default cost
    with HubServer(data_dir, config=config) as server:
        server.service.add_user("ana", "annotator", PASSWORD)
        old = passwords.hash_password(PASSWORD, passwords.Cost(n=2**14, r=8, p=1))  # what an older hub stored
        _store_hash(data_dir, "ana", old)
        seat = enroll(server.base_url)
        server.service.approve_device(seat.enrollment_code)
        with pytest.raises(HubAuthError):
            seat.sign_in("ana", "wrong password")
        assert _stored_hash(data_dir, "ana") == old  # a wrong password changes nothing
        seat.sign_in("ana")
        new = _stored_hash(data_dir, "ana")
        assert new.startswith("scrypt$n=131072,r=8,p=1$") and new != old
        seat.sign_in("ana")  # and the new hash opens
        assert _stored_hash(data_dir, "ana") == new


@pytest.fixture
def gated_scrypt(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Every scrypt call the hub makes waits at a gate; records how many were inside at once."""
    state: dict[str, Any] = {"inside": 0, "peak": 0, "lock": threading.Lock(), "gate": threading.Event(),
                             "reached": threading.Condition()}
    real = passwords._scrypt

    def gated(*args: Any, **kwargs: Any) -> bytes:
        with state["reached"]:
            state["inside"] += 1
            state["peak"] = max(state["peak"], state["inside"])
            state["reached"].notify_all()
        try:
            state["gate"].wait()
            return real(*args, **kwargs)
        finally:
            with state["reached"]:
                state["inside"] -= 1

    monkeypatch.setattr(passwords, "_scrypt", gated)
    yield state
    state["gate"].set()


@pytest.mark.timeout(300)
def test_no_more_hashes_run_at_once_than_there_are_cpus(gated_scrypt: dict[str, Any]) -> None:
    slots = os.cpu_count() or 1
    gated_scrypt["gate"].set()
    stored = passwords.hash_password("correct horse", CHEAP_PASSWORDS)
    gated_scrypt["gate"].clear()
    gated_scrypt["peak"] = 0
    threads = [threading.Thread(target=passwords.verify_password, args=("correct horse", stored))
               for _ in range(slots + 6)]
    for thread in threads:
        thread.start()
    with gated_scrypt["reached"]:
        assert gated_scrypt["reached"].wait_for(lambda: gated_scrypt["inside"] == slots, timeout=WAIT_S)
    assert passwords.HASH_SLOTS.acquire(blocking=False) is False  # every slot taken: the others wait for one
    gated_scrypt["gate"].set()
    for thread in threads:
        thread.join()
    assert gated_scrypt["peak"] == slots


def test_a_service_hashes_new_users_at_the_cost_it_is_given(data_dir: Path) -> None:
    HubService(data_dir, test_only_password_cost=CHEAP_PASSWORDS).add_user("ana", "annotator", PASSWORD)
    assert _stored_hash(data_dir, "ana").startswith(f"scrypt$n={CHEAP_PASSWORDS.n},")
