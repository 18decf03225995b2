"""Fixtures: a real floor hub on loopback with ingested clips, a test keyring, a request recorder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.keyring_backend import InMemoryKeyring, installed_keyring
from workstation.hub.config import HubConfig
from workstation.hub.passwords import Cost
from workstation.hub.server import HubServer
from workstation.hub.service import HubService

PASSWORD = "correct horse battery"
CHEAP_PASSWORDS = Cost(n=2**10, r=8, p=1)
"""Tests make users cheaply (the hub's real cost is ~0.45 s per hash); never the product's default."""
TEST_HUB = HubConfig(test_only_password_cost=CHEAP_PASSWORDS)


class RecordedRequests(list[tuple[str, str, bytes]]):
    """(method, url, body) of every request a seat sent."""

    def hook(self, request: httpx.Request) -> None:
        self.append((request.method, str(request.url), request.read()))


@pytest.fixture
def hub(tmp_path: Path, small_clips: list[Path]) -> Iterator[tuple[HubService, HubServer, str]]:
    service = HubService(tmp_path / "hub", test_only_password_cost=CHEAP_PASSWORDS)
    results = service.ingest(small_clips)
    assert all(r.status == "ok" for r in results), results
    service.add_user("ana", "annotator", PASSWORD)
    server = HubServer(tmp_path / "hub", host="127.0.0.1", port=0, config=TEST_HUB)
    url = server.start()
    try:
        yield service, server, url
    finally:
        server.stop()


@pytest.fixture
def keyring_backend() -> Iterator[InMemoryKeyring]:
    with installed_keyring(InMemoryKeyring()) as backend:
        yield backend  # type: ignore[misc]


@pytest.fixture
def requests_log() -> RecordedRequests:
    return RecordedRequests()


