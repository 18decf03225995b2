"""A workstation seat talking to the real hub of ``tests/hub_fixtures.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hub_fixtures import PASSWORD, RecordedRequests  # noqa: F401 - re-exported for the tests
from tests.keyring_backend import InMemoryKeyring
from workstation.hub.server import HubServer
from workstation.hub.service import HubService
from workstation.labeling.shift import ensure_enrolled
from workstation.policy import Policy
from workstation.seat import Seat


@pytest.fixture
def seat(tmp_path: Path, hub: tuple[HubService, HubServer, str], keyring_backend: InMemoryKeyring,
         requests_log: RecordedRequests) -> Iterator[Seat]:
    service, _, url = hub
    policy = Policy(hub_url=url, key_store="keyring", seat="seat-7")
    seat = Seat.open(policy, data_dir=tmp_path / "ws", event_hooks={"request": [requests_log.hook]})
    device = ensure_enrolled(seat.client, seat.keystore, seat.store, "seat-7")
    assert device.status == "pending"
    service.approve_device(device.enrollment_code)
    try:
        yield seat
    finally:
        seat.close()
