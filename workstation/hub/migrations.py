"""Schema upgrades, one function per version: ``MIGRATIONS[n]`` takes a database at ``n - 1`` to ``n``.

Each runs inside the transaction :func:`workstation.hub.storage.init_db` opened. Version 1 is the
first schema, created whole by ``init_db``; a fresh file then runs every migration too, so there is
one path to the current schema.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import sqlite_utils


def _to_2(db: sqlite_utils.Database) -> None:
    """Label events gain a kind (label, skip, flag, retract), a reason, and the id a retract takes back."""
    db.execute("ALTER TABLE labels ADD COLUMN kind TEXT NOT NULL DEFAULT 'label'")
    db.execute("ALTER TABLE labels ADD COLUMN reason TEXT")
    db.execute("ALTER TABLE labels ADD COLUMN retracts TEXT")
    db.execute("CREATE INDEX idx_labels_retracts ON labels (retracts)")


def _to_3(db: sqlite_utils.Database) -> None:
    """Accounts: sign-in failure counters (throttling), disabled users, sessions ended by a revocation."""
    db.execute("CREATE TABLE signin_throttle (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, "
               "window_start REAL NOT NULL)")
    db.execute("CREATE INDEX idx_signin_throttle_window ON signin_throttle (window_start)")
    db.execute("ALTER TABLE users ADD COLUMN disabled_at TEXT")
    db.execute("ALTER TABLE sessions ADD COLUMN ended_at TEXT")
    db.execute("CREATE INDEX idx_sessions_user ON sessions (user)")


def _to_4(db: sqlite_utils.Database) -> None:
    """Disposal requests (a flag asks for one; a supervisor confirms or rejects), withdrawn shift clips.

    Flags that reached the hub before this version become pending requests, the first flag of a clip
    standing for it.
    """
    db.execute(
        "CREATE TABLE disposals (id INTEGER PRIMARY KEY, clip_id TEXT NOT NULL REFERENCES clips (clip_id), "
        "status TEXT NOT NULL, flag_id TEXT NOT NULL, shift_id TEXT NOT NULL, flagged_by TEXT NOT NULL, "
        "flag TEXT NOT NULL, reason TEXT NOT NULL, flagged_at TEXT NOT NULL, requested_at TEXT NOT NULL, "
        "decided_by TEXT, decided_at TEXT, note TEXT)"
    )
    db.execute("CREATE UNIQUE INDEX idx_disposals_one_pending ON disposals (clip_id) WHERE status = 'pending'")
    db.execute("CREATE UNIQUE INDEX idx_disposals_flag ON disposals (flag_id)")
    db.execute("CREATE INDEX idx_disposals_clip ON disposals (clip_id)")
    db.execute("ALTER TABLE shift_clips ADD COLUMN withdrawn_at TEXT")
    db.execute(
        "INSERT OR IGNORE INTO disposals (clip_id, status, flag_id, shift_id, flagged_by, flag, reason, flagged_at, "
        "requested_at) SELECT l.clip_id, 'pending', l.id, l.shift_id, l.user, l.label, coalesce(l.reason, ''), "
        "coalesce(json_extract(l.payload, '$.decided_at'), l.received_at), l.received_at FROM labels l "
        "JOIN clips c ON c.clip_id = l.clip_id WHERE l.kind = 'flag' AND c.status = 'active' "
        "AND NOT EXISTS (SELECT 1 FROM labels r WHERE r.kind = 'retract' AND r.retracts = l.id) "
        "ORDER BY l.received_at, l.rowid"
    )


def _to_5(db: sqlite_utils.Database) -> None:
    """Audit events: each device's hash chain (workstation.audit), one row per event."""
    db.execute(
        "CREATE TABLE audit_events (device_id TEXT NOT NULL REFERENCES devices (device_id), seq INTEGER NOT NULL, "
        "id TEXT NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL, user TEXT NOT NULL, shift_id TEXT, clip_id TEXT, "
        "data TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL, received_at TEXT NOT NULL, "
        "PRIMARY KEY (device_id, seq))"
    )
    db.execute("CREATE UNIQUE INDEX idx_audit_events_id ON audit_events (id)")


def _to_6(db: sqlite_utils.Database) -> None:
    """Sign-in throttling with growing waits, per (user name, workstation), workstation and address
    (:mod:`workstation.hub.throttle`). The old fixed-window counters (at most 15 minutes old) are dropped."""
    db.execute("DROP TABLE signin_throttle")
    db.execute("CREATE TABLE signin_failures (key TEXT PRIMARY KEY, user TEXT, failures INTEGER NOT NULL, "
               "last_failure REAL NOT NULL, locked_until REAL NOT NULL)")
    db.execute("CREATE INDEX idx_signin_failures_last ON signin_failures (last_failure)")
    db.execute("CREATE INDEX idx_signin_failures_user ON signin_failures (user)")


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def _to_7(db: sqlite_utils.Database) -> None:
    """Label payloads an older hub stored with Infinity or NaN (not JSON: SQLite's JSON functions fail on
    them) become valid JSON, each such number null. The API refuses them from this version on."""
    rows = db.execute("SELECT rowid, payload FROM labels WHERE NOT json_valid(payload)").fetchall()
    for rowid, payload in rows:
        try:
            fixed = json.dumps(_finite(json.loads(payload)), sort_keys=True, separators=(",", ":"))
        except ValueError:
            fixed = json.dumps({"unreadable": True})
        db.execute("UPDATE labels SET payload = ? WHERE rowid = ?", [fixed, rowid])


def _to_8(db: sqlite_utils.Database) -> None:
    """Enrollment counts per client address (public ``POST /devices`` is throttled)."""
    db.execute("CREATE TABLE enroll_counts (address TEXT PRIMARY KEY, count INTEGER NOT NULL, "
               "window_start REAL NOT NULL)")


def _to_9(db: sqlite_utils.Database) -> None:
    """Sessions get an id of their own (the token hash is a secret's hash, not a name), kept after they end;
    each audit event records the session and device that delivered it (NULL for events stored before)."""
    db.execute("ALTER TABLE sessions ADD COLUMN session_id TEXT")
    db.execute("UPDATE sessions SET session_id = lower(hex(randomblob(16))) WHERE session_id IS NULL")
    db.execute("CREATE UNIQUE INDEX idx_sessions_session_id ON sessions (session_id)")
    db.execute("ALTER TABLE audit_events ADD COLUMN delivered_session TEXT")
    db.execute("ALTER TABLE audit_events ADD COLUMN delivered_device TEXT")


MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {2: _to_2, 3: _to_3, 4: _to_4, 5: _to_5, 6: _to_6,
                                                                  7: _to_7, 8: _to_8, 9: _to_9}
