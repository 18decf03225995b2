"""The seat's audit log in the local store: one hash chain per device (see :mod:`workstation.audit`).

Events are appended inside the caller's transaction, so a decision and its audit event commit
together or not at all (``LocalStore.add_label`` does exactly that). Sync sends them in ``seq`` order
and marks them sent; nothing is ever updated in place except ``sent_at``.

What it protects against and what not: see :mod:`workstation.audit`. In short, an entry changed or
removed here is found by :func:`verify` (at start-up) from that entry on, and by the hub as soon as the
changed chain is sent; entries never written, or the newest ones removed before they were sent, are not.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from workstation.audit import Break, new_event, verify_chain

_COLUMNS = "seq, id, at, kind, device_id, user, shift_id, clip_id, data, prev, hash"


def create_table(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS audit (device_id TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL UNIQUE, "
        "at TEXT NOT NULL, kind TEXT NOT NULL, user TEXT NOT NULL, shift_id TEXT, clip_id TEXT, data TEXT NOT NULL, "
        "prev TEXT NOT NULL, hash TEXT NOT NULL, sent_at TEXT, PRIMARY KEY (device_id, seq))"
    )
    db.execute("CREATE INDEX IF NOT EXISTS idx_audit_unsent ON audit (device_id, sent_at)")


def _event(row: tuple[Any, ...]) -> dict[str, Any]:
    seq, id_, at, kind, device_id, user, shift_id, clip_id, data, prev, hash_ = row
    return {"seq": seq, "id": id_, "at": at, "kind": kind, "device_id": device_id, "user": user,
            "shift_id": shift_id, "clip_id": clip_id, "data": json.loads(data), "prev": prev, "hash": hash_}


def last(db: sqlite_utils.Database, device_id: str) -> dict[str, Any] | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM audit WHERE device_id = ? ORDER BY seq DESC LIMIT 1",
                     [device_id]).fetchone()
    return None if row is None else _event(row)


def append(db: sqlite_utils.Database, kind: str, *, device_id: str, user: str = "", shift_id: str | None = None,
           clip_id: str | None = None, data: Mapping[str, Any] | None = None, at: str | None = None) -> dict[str, Any]:
    """Append the next event of ``device_id``'s chain (call inside a write transaction); ``at``: when it happened."""
    event = new_event(last(db, device_id), kind=kind, device_id=device_id, user=user, shift_id=shift_id,
                      clip_id=clip_id, data=data, at=at)
    db.execute(f"INSERT INTO audit ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               [event["seq"], event["id"], event["at"], event["kind"], event["device_id"], event["user"],
                event["shift_id"], event["clip_id"], json.dumps(event["data"], sort_keys=True), event["prev"],
                event["hash"]])
    return event


def events(db: sqlite_utils.Database, device_id: str) -> list[dict[str, Any]]:
    rows = db.execute(f"SELECT {_COLUMNS} FROM audit WHERE device_id = ? ORDER BY seq", [device_id]).fetchall()
    return [_event(r) for r in rows]


def unsent(db: sqlite_utils.Database, device_id: str, limit: int) -> list[dict[str, Any]]:
    rows = db.execute(f"SELECT {_COLUMNS} FROM audit WHERE device_id = ? AND sent_at IS NULL ORDER BY seq LIMIT ?",
                      [device_id, limit]).fetchall()
    return [_event(r) for r in rows]


def last_sent(db: sqlite_utils.Database, device_id: str) -> dict[str, Any] | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM audit WHERE device_id = ? AND sent_at IS NOT NULL "
                     "ORDER BY seq DESC LIMIT 1", [device_id]).fetchone()
    return None if row is None else _event(row)


def unsent_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM audit WHERE sent_at IS NULL").fetchone()[0])


def mark_sent(db: sqlite_utils.Database, ids: list[str], when: str) -> None:
    db.conn.executemany("UPDATE audit SET sent_at = ? WHERE id = ? AND sent_at IS NULL", [(when, i) for i in ids])


def devices(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT device_id FROM audit ORDER BY device_id").fetchall()]


def verify(db: sqlite_utils.Database) -> dict[str, Break | None]:
    """Each device chain's first broken link (``None``: it holds from its first event)."""
    return {device_id: verify_chain(events(db, device_id)) for device_id in devices(db)}
