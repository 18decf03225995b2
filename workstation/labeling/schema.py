"""The seat store's schema: versioned upgrades (``PRAGMA user_version``) and a check that a file holds it.

:func:`init_db` brings a file to :data:`SCHEMA_VERSION`, each upgrade step in its own transaction.
:func:`problems` compares a file's tables and columns with what the current schema makes (a fresh
in-memory database run through :func:`init_db`), so a file whose version number is current but whose
tables are missing or cut down is found before anything reads it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import cache

from workstation.labeling import audit_log

SCHEMA_VERSION = 5


class NewerSchema(Exception):
    """The file was written by a newer app (its schema version is above ours)."""

    def __init__(self, version: int) -> None:
        super().__init__(f"schema {version}")
        self.version = version


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS shifts (shift_id TEXT PRIMARY KEY, hub_url TEXT, username TEXT, "
                 "device_id TEXT, created_at TEXT, size INTEGER, status TEXT, taxonomy TEXT)")
    conn.execute("CREATE TABLE IF NOT EXISTS clips (shift_id TEXT, clip_id TEXT, position INTEGER, size INTEGER, "
                 "sha256 TEXT, sealed_key BLOB, cached INTEGER, PRIMARY KEY (shift_id, clip_id))")
    conn.execute("CREATE TABLE IF NOT EXISTS labels (id TEXT PRIMARY KEY, shift_id TEXT, clip_id TEXT, label TEXT, "
                 "shown_at TEXT, decided_at TEXT, comment TEXT, timings TEXT, created_at TEXT)")
    conn.execute("CREATE INDEX IF NOT EXISTS idx_labels_shift_id_clip_id ON labels (shift_id, clip_id)")
    conn.execute("CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, kind TEXT, payload TEXT, created_at TEXT, "
                 "attempts INTEGER, last_error TEXT, sent_at TEXT)")
    conn.execute("CREATE INDEX IF NOT EXISTS idx_outbox_sent_at ON outbox (sent_at)")
    conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")


def _v2(conn: sqlite3.Connection) -> None:  # decisions become events: label, skip, flag, retract (undo)
    conn.execute("ALTER TABLE labels ADD COLUMN kind TEXT NOT NULL DEFAULT 'label'")
    conn.execute("ALTER TABLE labels ADD COLUMN reason TEXT")
    conn.execute("ALTER TABLE labels ADD COLUMN retracts TEXT")
    # Label items of schema 1 in the outbox (waiting or sent) take this version's LabelItem shape: ``reason`` and
    # ``retracts``, both null for a label (the egress guard sends nothing of another shape); nothing else changes.
    conn.execute("UPDATE outbox SET payload = json_insert(payload, '$.reason', NULL, '$.retracts', NULL) "
                 "WHERE kind = 'label' AND json_valid(payload)")


def _v3(conn: sqlite3.Connection) -> None:  # an item the hub refuses for good is set aside, not resent
    conn.execute("ALTER TABLE outbox ADD COLUMN rejected_at TEXT")


def _v4(conn: sqlite3.Connection) -> None:  # the seat's hash-chained audit log
    audit_log.create_table(conn)


def _v5(conn: sqlite3.Connection) -> None:  # a clip the hub disposed of leaves the shift here too
    conn.execute("ALTER TABLE clips ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0")


UPGRADES: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5}
"""Step to version N (from N − 1)."""


def version_of(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def init_db(conn: sqlite3.Connection) -> None:
    """Bring the file to SCHEMA_VERSION (raise :class:`NewerSchema` for a file from a newer app).

    ``conn`` is in autocommit mode (``isolation_level=None``); each step commits with its version."""
    version = version_of(conn)
    if version > SCHEMA_VERSION:
        raise NewerSchema(version)
    for target in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            UPGRADES[target](conn)
            conn.execute(f"PRAGMA user_version = {target}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def columns(conn: sqlite3.Connection) -> dict[str, set[str]]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: {r[1] for r in conn.execute(f"PRAGMA table_info('{t}')")} for t in tables
            if not t.startswith("sqlite_")}


@cache
def expected_columns() -> dict[str, frozenset[str]]:
    """Every table and its columns as the current schema makes them."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        init_db(conn)
        return {table: frozenset(cols) for table, cols in columns(conn).items()}
    finally:
        conn.close()


def problems(conn: sqlite3.Connection) -> list[str]:
    """What the file lacks of the current schema: missing tables and columns (empty when it holds it)."""
    found = columns(conn)
    out: list[str] = []
    for table, wanted in sorted(expected_columns().items()):
        if table not in found:
            out.append(f"table {table} is missing")
        elif missing := sorted(wanted - found[table]):
            out.append(f"table {table} lacks {', '.join(missing)}")
    return out
