"""Workstation devices: enrollment with an Ed25519 public key, approval by IT, revocation.

A device enrolls itself (unauthenticated) and gets a short enrollment code; IT approves that code
at the hub (``devices approve CODE``). Only approved devices can sign in, and every bearer request
re-checks the device, so revoking one ends its sessions at once: their tokens get 403 from then on
(the session rows stay, marked ended, so an old token is told why). A revoked device cannot be
approved again. Enrollment does not prove the device is a floor PC: IT checks the code shown on the
seat before approving it.

Each device also shows the app version its seat last named and its last contact (:func:`seen`: at sign-in and on
signed-in requests, written at most once a minute per device, so not a write per request). Unauthenticated
requests (enrollment, challenges) do not count: anyone could send them in a seat's name.

Enrollment is public, so it is bounded (:class:`EnrollLimits`): at most ``per_address`` new devices per
client address within ``window_s`` (429 with ``Retry-After``), and at most ``max_pending`` devices
waiting for approval at once (503 with ``Retry-After``; IT approves or revokes some first). A key the
hub knows is always answered (a seat re-enrolls at every start). What this protects against: one
address burying IT's pending list, and hub.db growing without bound from the network. What it does
not: many addresses each enrolling a few (the pending cap then fills: IT sees it and revokes), or a
burst filling the pending list so that a real new seat must wait for IT.
"""

from __future__ import annotations

import math
import re
import secrets
import time
import uuid
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from workstation.hub import workperiods
from workstation.hub.db import HubDB
from workstation.hub.errors import Busy, Conflict, Invalid, NotFound, Throttled
from workstation.hub.storage import now_iso, write_transaction

PENDING, APPROVED, REVOKED = "pending", "approved", "revoked"


@dataclass(frozen=True)
class EnrollLimits:
    per_address: int = 10
    window_s: float = 3600.0
    max_pending: int = 100
    busy_retry_after_s: int = 600
    """What a 503 (pending list full) tells the seat to wait before asking again."""
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U


@dataclass(frozen=True)
class Device:
    device_id: str
    public_key: bytes
    enrollment_code: str
    label: str
    status: str
    created_at: str
    approved_at: str | None
    revoked_at: str | None
    app_version: str | None = None
    """The app version the seat last named (its ``User-Agent: floor-workstation/<version>``); ``unknown`` when
    another program used its session; None before its first signed-in contact."""
    last_seen_at: str | None = None
    """Its last signed-in request, to the minute (``HubConfig.device_seen_every_s``) — or sign-in."""


_COLUMNS = "device_id, public_key, enrollment_code, label, status, created_at, approved_at, revoked_at"
_READ = f"{_COLUMNS}, app_version, last_seen_at"
APP_AGENT = re.compile(r"floor-workstation/([0-9A-Za-z][0-9A-Za-z.+_-]{0,39})")
UNKNOWN_VERSION = "unknown"


def _new_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else code.strip().upper()


def _one(db: HubDB, where: str, value: object) -> Device | None:
    row = db.execute(f"SELECT {_READ} FROM devices WHERE {where} = ?", [value]).fetchone()
    return Device(*row) if row else None


def enroll(db: HubDB, public_key: bytes, label: str, *, address: str = "local",
           limits: EnrollLimits | None = None, now: float | None = None) -> tuple[Device, bool]:
    """Register a device key; returns (device, created). A key seen before returns its device as it is.

    A new key is counted against ``limits`` for the client's ``address`` (``limits`` None: no limits, for
    the hub's own tools)."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key)
    except ValueError:
        raise Invalid("The device public key is not a raw 32-byte Ed25519 key.") from None
    with write_transaction(db):
        existing = _one(db, "public_key", public_key)
        if existing is not None:
            return existing, False
        if limits is not None:
            _count_enrollment(db, address, limits, time.time() if now is None else now)
        device = Device(uuid.uuid4().hex, public_key, _new_code(), label, PENDING, now_iso(), None, None)
        db.execute(f"INSERT INTO devices ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   [device.device_id, device.public_key, device.enrollment_code, device.label, device.status,
                    device.created_at, None, None])
    return device, True


def _count_enrollment(db: HubDB, address: str, limits: EnrollLimits, now: float) -> None:
    """Inside the enrollment's transaction: refuse past the limits, else count this new device."""
    db.execute("DELETE FROM enroll_counts WHERE window_start <= ?", [now - limits.window_s])
    row = db.execute("SELECT count, window_start FROM enroll_counts WHERE address = ?", [address]).fetchone()
    if row is not None and row[0] >= limits.per_address:
        wait = float(row[1]) + limits.window_s - now
        minutes = max(1, math.ceil(wait / 60))
        raise Throttled(f"Too many new workstations enrolled from this network address; enrollment is paused here "
                        f"for {minutes} minute{'s' if minutes != 1 else ''}.", retry_after_s=math.ceil(wait),
                        hint="Wait, or ask IT whether these enrollments were expected.")
    pending = db.execute("SELECT count(*) FROM devices WHERE status = ?", [PENDING]).fetchone()[0]
    if pending >= limits.max_pending:
        raise Busy(f"The hub already has {pending} workstations waiting for approval, the most it keeps; "
                   "IT approves or revokes them first.", retry_after_s=limits.busy_retry_after_s,
                   hint="Ask IT to look at 'hub devices list'.")
    if row is None:
        db.execute("INSERT INTO enroll_counts (address, count, window_start) VALUES (?, 1, ?)", [address, now])
    else:
        db.execute("UPDATE enroll_counts SET count = count + 1 WHERE address = ?", [address])


def get(db: HubDB, device_id: str) -> Device:
    device = _one(db, "device_id", device_id)
    if device is None:
        raise NotFound("No device with this id is enrolled on this hub.",
                       hint="Enroll the workstation again, or check the device id.")
    return device


def approve(db: HubDB, code: str) -> Device:
    device = _one(db, "enrollment_code", normalize_code(code))
    if device is None:
        raise NotFound(f"No device is waiting with enrollment code {code!r}.",
                       hint="Read the code again from the workstation's screen; 'devices list' shows pending ones.")
    if device.status == REVOKED:
        raise Conflict(f"Device {device.device_id} ({device.label}) was revoked and cannot be approved again.",
                       hint="Let the workstation create a new device key and enroll afresh.")
    if device.status == PENDING:
        db.execute("UPDATE devices SET status = ?, approved_at = ? WHERE device_id = ?",
                   [APPROVED, now_iso(), device.device_id])
    return get(db, device.device_id)


def revoke(db: HubDB, device_id: str) -> Device:
    """Revoke a device: its sessions end and its pending challenges go, in the same transaction."""
    with write_transaction(db):
        device = get(db, device_id)
        now = now_iso()
        if device.status != REVOKED:
            db.execute("UPDATE devices SET status = ?, revoked_at = ? WHERE device_id = ?",
                       [REVOKED, now, device_id])
        db.execute("UPDATE sessions SET ended_at = coalesce(ended_at, ?) WHERE device_id = ?", [now, device_id])
        workperiods.close(db, workperiods.DEVICE_REVOKED, device_id=device_id, at=now)
        db.execute("DELETE FROM challenges WHERE device_id = ?", [device_id])
    return get(db, device_id)


def list_devices(db: HubDB) -> list[Device]:
    rows = db.execute(f"SELECT {_READ} FROM devices ORDER BY created_at, rowid").fetchall()
    return [Device(*row) for row in rows]


def app_version(user_agent: str | None) -> str:
    """The version a ``User-Agent: floor-workstation/<version>`` names; :data:`UNKNOWN_VERSION` for any other."""
    found = APP_AGENT.match(user_agent or "")
    return found.group(1) if found else UNKNOWN_VERSION


def seen(db: HubDB, device_id: str, user_agent: str | None, *, known_version: str | None,
         last_seen_at: str | None, every_s: int, force: bool = False) -> None:
    """Record a signed-in contact of the device: written only when the version changed, when the last one recorded
    is ``every_s`` or more old, or when ``force`` (sign-in) — not a write per request."""
    version = app_version(user_agent)
    now = now_iso()
    if not force and version == known_version and last_seen_at is not None and last_seen_at > now_iso(-every_s):
        return
    with write_transaction(db):  # in the process's queue of writers (no busy-polling for SQLite's lock)
        db.execute("UPDATE devices SET app_version = ?, last_seen_at = ? WHERE device_id = ?",
                   [version, now, device_id])
