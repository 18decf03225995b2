"""Each seat's app version and last contact on the hub (``hub devices list``, ``GET /api/v1/devices``), written at
sign-in and at most once a minute after — not a write per request — and the version in the health answer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from tests.hub.conftest import SMALL_SHIFTS
from tests.hub.helpers import Seat, enroll, hub_sql, signed_in_seat
from workstation import __version__
from workstation.hub import cli
from workstation.hub.server import HubServer

APP = {"User-Agent": f"floor-workstation/{__version__}"}
"""What every request of the app carries (workstation.sync.client)."""


def _as_app(seat: Seat, path: str) -> httpx.Response:
    return httpx.get(f"{seat.client.base_url}/api/v1{path}", headers={**APP, "Authorization": f"Bearer {seat.token}"})


def _seen(hub: HubServer, device_id: str) -> tuple[str | None, str | None]:
    with hub_sql(hub.service.data_dir) as db:
        return db.execute("SELECT app_version, last_seen_at FROM devices WHERE device_id = ?", [device_id]).fetchone()


def test_health_names_the_version(hub: HubServer) -> None:
    assert httpx.get(f"{hub.base_url}/api/v1/health").json() == {"status": "ok", "version": __version__}


@pytest.fixture
def hourly(tmp_path: Path) -> Iterator[HubServer]:
    """A hub that writes a seat's contact at most once an hour (so no test depends on how fast it runs)."""
    with HubServer(tmp_path / "hourly", config=replace(SMALL_SHIFTS, device_seen_every_s=3600)) as hub:
        yield hub


def test_sign_in_records_the_app_version_and_contact_and_requests_do_not_write_each_time(hourly: HubServer) -> None:
    ana = signed_in_seat(hourly, "ana")  # HubClient sends User-Agent: floor-workstation/<version>
    version, first = _seen(hourly, ana.device_id)
    assert version == __version__ and first is not None
    for _ in range(3):
        assert _as_app(ana, "/audit/head").status_code == 200  # within the interval: nothing written
    assert _seen(hourly, ana.device_id) == (__version__, first)

    with hub_sql(hourly.service.data_dir) as db:  # as if the last contact were long ago
        db.execute("UPDATE devices SET last_seen_at = '2025-01-06T09:00:00.000Z' WHERE device_id = ?",
                   [ana.device_id])
    assert _as_app(ana, "/audit/head").status_code == 200
    version, later = _seen(hourly, ana.device_id)
    assert version == __version__ and later is not None and later > "2025-01-06T09:00:00.000Z"

    answer = httpx.get(f"{hourly.base_url}/api/v1/audit/head", headers={"Authorization": f"Bearer {ana.token}",
                                                                         "User-Agent": "curl/8.5.0"})
    assert answer.status_code == 200  # another program with the seat's token: a new version is written at once
    assert _seen(hourly, ana.device_id)[0] == "unknown"


def test_unauthenticated_requests_do_not_count_as_contact(hub: HubServer) -> None:
    seat = enroll(hub.base_url, "pending seat")
    assert httpx.get(f"{hub.base_url}/api/v1/devices/{seat.device_id}").status_code == 200
    assert _seen(hub, seat.device_id) == (None, None)


def test_admin_api_and_cli_list_version_and_last_contact(hub: HubServer, capsys: pytest.CaptureFixture[str]) -> None:
    ada = signed_in_seat(hub, "ada", "admin")
    enroll(hub.base_url, "never signed in")
    devices = {d["label"]: d for d in _as_app(ada, "/devices").json()["devices"]}
    assert devices["seat of ada"]["app_version"] == __version__ and devices["seat of ada"]["last_seen_at"]
    assert devices["never signed in"]["app_version"] is None and devices["never signed in"]["last_seen_at"] is None
    assert cli.main(["devices", "list", "--data", str(hub.service.data_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    mine = next(line for line in lines if line.endswith("seat of ada"))
    assert f"  {__version__}  " in mine and devices["seat of ada"]["last_seen_at"] in mine
    never = next(line for line in lines if line.endswith("never signed in"))
    assert "  -  " in never and "  never  " in never


def test_devices_list_prints_an_enrolled_label_safely(hub: HubServer, capsys: pytest.CaptureFixture[str]) -> None:
    """Enrollment is public: a label can carry a newline or a terminal escape, and IT's terminal must not run it."""
    enroll(hub.base_url, "seat\x1b]0;owned\x07\nfake-device  approved")
    assert cli.main(["devices", "list", "--data", str(hub.service.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and len(out.splitlines()) == 1
    assert out.rstrip("\n").endswith("seat\\x1b]0;owned\\x07\\nfake-device  approved")
