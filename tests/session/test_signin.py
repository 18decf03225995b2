"""Who may work at a seat: offline continuation by the shift's owner only, one readable shift per seat."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hub_fixtures import PASSWORD
from tests.seat_fixtures import AtSeat
from workstation.hub.server import HubServer
from workstation.hub.service import HubService
from workstation.labeling.shift import shift_key_name, verifier_key_name
from workstation.policy import Policy
from workstation.session.seat import Seat
from workstation.session.signin import OfflineRefused


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _left_behind(tmp_path: Path, hub: tuple[HubService, HubServer, str]) -> tuple[Policy, str]:
    """ana's shift on the seat, one clip decided; the app ends without signing out; the hub goes away."""
    service, server, url = hub
    policy = Policy(hub_url=url, key_store="keyring", seat="seat-7", shift_size=3)
    first = AtSeat.open(Seat.open(policy, data_dir=tmp_path / "ws"))
    first.approve(service)
    state = first.sign_in("ana")
    first.seat.store.add_label(state.shift_id, state.clips[0].clip_id, "person", shown_at="2026-11-25T10:00:00.000Z")
    first.seat.close()
    server.stop()
    return policy, state.shift_id


def _reopen(tmp_path: Path, policy: Policy, clock: Clock) -> AtSeat:
    here = AtSeat.open(Seat.open(policy, data_dir=tmp_path / "ws"))
    here.session.clock = clock
    return here


def test_only_the_owner_with_her_own_password_goes_on_offline(tmp_path: Path, hub, keyring_backend) -> None:  # type: ignore[no-untyped-def]
    policy, shift_id = _left_behind(tmp_path, hub)
    clock = Clock()
    here = _reopen(tmp_path, policy, clock)
    try:
        offer = here.session.offline_offer()
        assert offer is not None and (offer.owner, offer.done, offer.total) == ("ana", 1, 3)
        with pytest.raises(OfflineRefused, match="only ana can go on with it offline"):
            here.session.continue_offline("mallory", "whatever")
        with pytest.raises(OfflineRefused, match="not ana's password"):
            here.session.continue_offline("ana", "a guess")
        opened = here.session.continue_offline("ana", PASSWORD)
        assert opened.offline and opened.state.shift_id == shift_id and opened.state.done == 1
        assert opened.password.verify(PASSWORD)  # the same check unlocks the idle lock later
        here.seat.service.flush_audit()
        device = opened.state.record.device_id
        kinds = [e["kind"] for e in here.seat.store.audit_events(device)]
        assert kinds.count("offline_refused") == 1 and kinds[-1] == "offline_continue"
        assert here.outbox.username is None  # nobody is signed in with the hub: her decisions wait for her
    finally:
        here.seat.close()


def test_wrong_passwords_wait_longer_and_longer_even_across_restarts(tmp_path: Path, hub, keyring_backend) -> None:  # type: ignore[no-untyped-def]
    policy, _ = _left_behind(tmp_path, hub)
    clock = Clock()
    here = _reopen(tmp_path, policy, clock)
    waits = []
    try:
        for _ in range(4):
            with pytest.raises(OfflineRefused) as info:
                here.session.continue_offline("ana", "a guess")
            assert info.value.wait_s == 0
        for _ in range(3):
            with pytest.raises(OfflineRefused) as info:
                here.session.continue_offline("ana", "a guess")
            waits.append(info.value.wait_s)
            with pytest.raises(OfflineRefused, match="Too many wrong passwords"):
                here.session.continue_offline("ana", PASSWORD)  # not even checked during the wait
            clock.now += info.value.wait_s + 1
    finally:
        here.seat.close()
    assert waits == [30.0, 60.0, 120.0]
    with pytest.raises(OfflineRefused) as info:  # a restart does not start the count over
        again = _reopen(tmp_path, policy, clock)
        try:
            again.session.continue_offline("ana", "a guess")
        finally:
            again.seat.close()
    assert info.value.wait_s == 240.0
    clock.now += 241
    last = _reopen(tmp_path, policy, clock)
    try:
        assert last.session.continue_offline("ana", PASSWORD).offline
    finally:
        last.seat.close()


def test_sign_out_leaves_nothing_to_continue_offline(tmp_path: Path, hub, keyring_backend) -> None:  # type: ignore[no-untyped-def]
    service, server, url = hub
    policy = Policy(hub_url=url, key_store="keyring", seat="seat-7", shift_size=3)
    here = AtSeat.open(Seat.open(policy, data_dir=tmp_path / "ws"))
    try:
        here.approve(service)
        state = here.sign_in("ana")
        assert keyring_backend.get_password("floor-workstation", verifier_key_name(state.shift_id))
        here.session.shred(state.shift_id, "sign_out")
        here.session.tell_hub_signed_out()
        assert keyring_backend.get_password("floor-workstation", verifier_key_name(state.shift_id)) is None
        assert keyring_backend.get_password("floor-workstation", shift_key_name(state.shift_id)) is None
        server.stop()
        assert here.session.offline_offer() is None
        with pytest.raises(OfflineRefused, match="no shift on this PC"):
            here.session.continue_offline("ana", PASSWORD)
    finally:
        here.seat.close()


def test_another_annotator_signing_in_shreds_the_shift_left_on_the_seat(tmp_path: Path, hub, keyring_backend) -> None:  # type: ignore[no-untyped-def]
    service, _, url = hub
    service.add_user("bea", "annotator", PASSWORD)
    policy = Policy(hub_url=url, key_store="keyring", seat="seat-7", shift_size=2)
    here = AtSeat.open(Seat.open(policy, data_dir=tmp_path / "ws"))
    try:
        here.approve(service)
        ana = here.sign_in("ana")  # and she leaves without signing out
        bea = here.sign_in("bea")
        assert bea.shift_id != ana.shift_id
        assert keyring_backend.get_password("floor-workstation", shift_key_name(ana.shift_id)) is None
        assert keyring_backend.get_password("floor-workstation", verifier_key_name(ana.shift_id)) is None
        assert not (here.seat.cache.root / ana.shift_id).exists()
        assert here.session.offline_offer().owner == "bea"  # type: ignore[union-attr]
    finally:
        here.seat.close()
