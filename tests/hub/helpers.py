"""Shared helpers for the hub and client tests: small real clips, seats (device + client), label items."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from workstation.hub.db import DatabaseTarget, HubDatabase, HubDB, database_from_env
from workstation.hub.server import HubServer
from workstation.media.synth import SCENE_NAMES, make_clip
from workstation.sync.client import HubClient

PASSWORD = "correct horse"


def make_clips(folder: Path, n: int) -> list[Path]:
    """``n`` distinct 1 s 320x240 H.264 clips."""
    folder.mkdir(parents=True, exist_ok=True)
    return [make_clip(folder / f"clip{i:02d}.mp4", scene=SCENE_NAMES[i % len(SCENE_NAMES)], seed=i,
                      width=320, height=240, seconds=1) for i in range(n)]


def device_keypair() -> tuple[bytes, bytes]:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return private, public


@dataclass
class Seat:
    """One workstation: its device key, its enrollment, its client."""

    client: HubClient
    device_id: str
    enrollment_code: str
    device_key: bytes

    def sign_in(self, user: str, password: str = PASSWORD) -> None:
        self.client.sign_in(user, password, self.device_id, self.device_key)

    @property
    def token(self) -> str:
        assert self.client.session is not None, "the seat is not signed in"
        return self.client.session.token

    def call(self, method: str, path: str, json: Any = None) -> httpx.Response:
        """One bearer request to ``/api/v1{path}`` with this seat's session (for endpoints HubClient lacks)."""
        return call(self.client.base_url, method, path, token=self.token, json=json)


def call(base_url: str, method: str, path: str, *, token: str | None = None, json: Any = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return httpx.request(method, f"{base_url}/api/v1{path}", json=json, headers=headers, timeout=30)


def enroll(base_url: str, label: str = "seat") -> Seat:
    private, public = device_keypair()
    client = HubClient(base_url)
    enrollment = client.enroll_device(public, label)
    return Seat(client, enrollment.device_id, enrollment.enrollment_code, private)


def signed_in_seat(server: HubServer, user: str, role: str = "annotator") -> Seat:
    """A new user on a new, approved device, signed in."""
    server.service.add_user(user, role, PASSWORD)
    seat = enroll(server.base_url, f"seat of {user}")
    server.service.approve_device(seat.enrollment_code)
    seat.sign_in(user)
    return seat


def label_item(shift_id: str, clip_id: str, label: str = "person", **changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": str(uuid.uuid4()), "kind": "label", "shift_id": shift_id, "clip_id": clip_id, "label": label,
        "shown_at": "2025-01-06T09:00:00.000Z", "decided_at": "2025-01-06T09:00:04.250Z", "comment": None,
        "timings": {"watched_s": 3.5, "replays": 0, "active_s": 4.25}, "reason": None, "retracts": None,
    }
    item.update(changes)
    return item


def hub_sql(where: Path | HubServer) -> HubDB:
    """A connection to the hub's database — of a running hub, or of the data folder ``where`` (the SQLite file in
    it, or the PostgreSQL database ``FLOOR_HUB_DATABASE_URL`` names): what a test reads or changes behind the hub's
    back. The hub's SQL dialect (``?`` placeholders); each statement commits on its own; ``with`` closes it."""
    if isinstance(where, HubServer):
        return HubDatabase(where.service.home.database.target).connect()
    return HubDatabase(database_from_env() or DatabaseTarget.sqlite(Path(where) / "hub.db")).connect()


def dict_rows(db: HubDB, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """The rows of ``sql`` as dicts by column name (either database)."""
    cursor: Any = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
