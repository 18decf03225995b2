"""Workstation devices: enrollment with an Ed25519 public key, approval by IT, revocation.

A device enrolls itself (unauthenticated) and gets a short enrollment code; IT approves that code
at the hub (``devices approve CODE``). Only approved devices can sign in, and every bearer request
re-checks the device, so revoking one ends its sessions at once: their tokens get 403 from then on
(the session rows stay, marked ended, so an old token is told why). A revoked device cannot be
approved again. Enrollment does not prove the device is a floor PC: IT checks the code shown on the
seat before approving it.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

import sqlite_utils
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from workstation.hub.errors import Conflict, Invalid, NotFound
from workstation.hub.storage import now_iso, write_transaction

PENDING, APPROVED, REVOKED = "pending", "approved", "revoked"
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


_COLUMNS = "device_id, public_key, enrollment_code, label, status, created_at, approved_at, revoked_at"


def _new_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else code.strip().upper()


def _one(db: sqlite_utils.Database, where: str, value: object) -> Device | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM devices WHERE {where} = ?", [value]).fetchone()
    return Device(*row) if row else None


def enroll(db: sqlite_utils.Database, public_key: bytes, label: str) -> tuple[Device, bool]:
    """Register a device key; returns (device, created). A key seen before returns its device as it is."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key)
    except ValueError:
        raise Invalid("The device public key is not a raw 32-byte Ed25519 key.") from None
    with write_transaction(db):
        existing = _one(db, "public_key", public_key)
        if existing is not None:
            return existing, False
        device = Device(uuid.uuid4().hex, public_key, _new_code(), label, PENDING, now_iso(), None, None)
        db.execute(f"INSERT INTO devices ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   [device.device_id, device.public_key, device.enrollment_code, device.label, device.status,
                    device.created_at, None, None])
    return device, True


def get(db: sqlite_utils.Database, device_id: str) -> Device:
    device = _one(db, "device_id", device_id)
    if device is None:
        raise NotFound("No device with this id is enrolled on this hub.",
                       hint="Enroll the workstation again, or check the device id.")
    return device


def approve(db: sqlite_utils.Database, code: str) -> Device:
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


def revoke(db: sqlite_utils.Database, device_id: str) -> Device:
    """Revoke a device: its sessions end and its pending challenges go, in the same transaction."""
    with write_transaction(db):
        device = get(db, device_id)
        now = now_iso()
        if device.status != REVOKED:
            db.execute("UPDATE devices SET status = ?, revoked_at = ? WHERE device_id = ?",
                       [REVOKED, now, device_id])
        db.execute("UPDATE sessions SET ended_at = coalesce(ended_at, ?) WHERE device_id = ?", [now, device_id])
        db.execute("DELETE FROM challenges WHERE device_id = ?", [device_id])
    return get(db, device_id)


def list_devices(db: sqlite_utils.Database) -> list[Device]:
    rows = db.execute(f"SELECT {_COLUMNS} FROM devices ORDER BY created_at, rowid").fetchall()
    return [Device(*row) for row in rows]
