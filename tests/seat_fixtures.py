"""A workstation seat talking to the real hub of ``tests/hub_fixtures.py``, through the session layer (as the app wires it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hub_fixtures import PASSWORD, RecordedRequests
from tests.keyring_backend import InMemoryKeyring
from workstation.hub.server import HubServer
from workstation.hub.service import HubService
from workstation.labeling.shift import ShiftState
from workstation.policy import Policy
from workstation.session.outbox import OutboxOwner, Sent
from workstation.session.seat import Seat
from workstation.session.signin import SeatSession


@dataclass
class AtSeat:
    """One seat with its outbox owner and sign-in rules, as the app wires them (without a window)."""

    seat: Seat
    outbox: OutboxOwner
    session: SeatSession

    @classmethod
    def open(cls, seat: Seat) -> AtSeat:
        outbox = OutboxOwner(seat.store, seat.make_client())
        return cls(seat, outbox, SeatSession(seat, outbox))

    def approve(self, service: HubService) -> str:
        """Enroll the seat (if needed) and approve it on the hub; its device id."""
        device = self.session.check_device()
        if device.status != "approved":
            service.approve_device(device.enrollment_code)
            device = self.session.check_device()
        return device.device_id

    def sign_in(self, user: str = "ana", password: str = PASSWORD) -> ShiftState:
        return self.session.sign_in_to_shift(user, password)

    def send(self) -> Sent:
        return self.outbox.send_now()


@pytest.fixture
def seat(tmp_path: Path, hub: tuple[HubService, HubServer, str], keyring_backend: InMemoryKeyring,
         requests_log: RecordedRequests) -> Iterator[Seat]:
    _service, _, url = hub
    policy = Policy(hub_url=url, key_store="keyring", seat="seat-7")
    seat = Seat.open(policy, data_dir=tmp_path / "ws", event_hooks={"request": [requests_log.hook]})
    try:
        yield seat
    finally:
        seat.close()


@pytest.fixture
def at_seat(seat: Seat, hub: tuple[HubService, HubServer, str]) -> AtSeat:
    """The seat enrolled and approved, nobody signed in yet."""
    here = AtSeat.open(seat)
    here.approve(hub[0])
    return here
