"""The hub's schema: creation and versioned upgrades, on SQLite or PostgreSQL (through :mod:`workstation.hub.db`).

In the style of Vorta's ``store/connection.py``: :func:`init_db` creates every table of the current schema on a
fresh database, records :data:`SCHEMA_VERSION`, and on an older one runs the upgrades in order. A database
written by a newer hub is refused rather than guessed at.

SQLite files run the historical chain (:mod:`workstation.hub.migrations`, versions 2–15) so every file ever
written takes the one path it always took; PostgreSQL starts at schema 15 from :mod:`workstation.hub.db.tables`
through Alembic. Connections, pools and transactions are :mod:`workstation.hub.db`'s.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils

from workstation.hub.db import DatabaseTarget, HubDatabase, HubDB, write_transaction
from workstation.hub.db.core import POSTGRESQL
from workstation.hub.errors import HubError
from workstation.hub.migrations import MIGRATIONS

__all__ = ["SCHEMA_VERSION", "connect", "init_db", "now_iso", "schema_version", "write_transaction"]

SCHEMA_VERSION = 17
"""The schema this hub writes; from 16 on each version is an Alembic revision (:mod:`workstation.hub.db.migrate`)."""
LEGACY_VERSION = 15
"""The last version of the historical SQLite chain (:mod:`workstation.hub.migrations`), Alembic's ``0001``."""


def now_iso(offset_s: float = 0.0) -> str:
    """UTC time as the wire and the database carry it: fixed width, so strings compare in time order."""
    moment = datetime.now(UTC) + timedelta(seconds=offset_s)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def connect(path: Path) -> HubDB:
    """Open the SQLite hub database file at ``path`` (one connection, closed by ``close()``)."""
    return HubDatabase(DatabaseTarget.sqlite(path)).connect()


def schema_version(db: HubDB) -> int | None:
    if "schema_version" not in db.table_names():
        return None
    row = db.execute("SELECT version FROM schema_version WHERE id = 1").fetchone()
    return int(row[0]) if row else None


def init_db(db: HubDB) -> None:
    """Bring the database to SCHEMA_VERSION: create it when fresh, upgrade it when older."""
    if db.dialect == POSTGRESQL:
        _init_postgresql(db)
        return
    db.execute("PRAGMA journal_mode = WAL")
    with write_transaction(db):
        version = schema_version(db)
        if version is None:
            _create_tables(sqlite_utils.Database(db.raw))  # version 1; the migrations below bring it up to date
            version = 1
            _set_version(db, version)
        _refuse_newer(version)
        for target in range(version + 1, min(LEGACY_VERSION, SCHEMA_VERSION) + 1):
            MIGRATIONS[target](db)
            _set_version(db, target)
        if version < SCHEMA_VERSION and SCHEMA_VERSION > LEGACY_VERSION:
            from workstation.hub.db import migrate  # Alembic loads only when there is something to do

            if migrate.current_revision(db.sa_connection) is None:
                migrate.stamp(db.sa_connection, migrate.BASELINE)
            migrate.upgrade(db.sa_connection)


def _refuse_newer(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise HubError(
            f"The hub database was written by a newer hub (schema {version}, this hub knows {SCHEMA_VERSION}).",
            hint="Run the newer hub version, or restore a backup made with this one.",
        )


def _init_postgresql(db: HubDB) -> None:
    """Alembic brings the database to its head (schema 15: :mod:`workstation.hub.db.tables`), one writer at a time."""
    from workstation.hub.db import migrate  # Alembic loads only for PostgreSQL

    if schema_version(db) == SCHEMA_VERSION:
        return
    with write_transaction(db):
        version = schema_version(db)
        if version is not None:
            _refuse_newer(version)
        migrate.upgrade(db.sa_connection)


def _set_version(db: HubDB, version: int) -> None:
    db.execute(
        "INSERT INTO schema_version (id, version, changed_at) VALUES (1, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET version = excluded.version, changed_at = excluded.changed_at",
        [version, now_iso()],
    )


def _create_tables(db: sqlite_utils.Database) -> None:
    """The first schema (version 1), for a fresh file; MIGRATIONS take it further."""
    db.create_table("schema_version", {"id": int, "version": int, "changed_at": str}, pk="id")
    clips = db.create_table(
        "clips",
        {
            "clip_id": str, "fingerprint": str, "project": str, "status": str,
            "ciphertext_size": int, "ciphertext_sha256": str,
            "width": int, "height": int, "fps": float, "frame_count": int, "duration_s": float, "codec": str,
            "wrapped_key": bytes, "created_at": str,
        },
        pk="clip_id",
        not_null=["fingerprint", "project", "status", "ciphertext_size", "ciphertext_sha256", "wrapped_key",
                  "created_at"],
    )
    clips.create_index(["fingerprint"], unique=True)
    clips.create_index(["status", "created_at"])
    db.create_table(
        "users",
        {"name": str, "role": str, "password_hash": str, "created_at": str},
        pk="name", not_null=["role", "password_hash", "created_at"],
    )
    devices = db.create_table(
        "devices",
        {"device_id": str, "public_key": bytes, "enrollment_code": str, "label": str, "status": str,
         "created_at": str, "approved_at": str, "revoked_at": str},
        pk="device_id", not_null=["public_key", "enrollment_code", "label", "status", "created_at"],
    )
    devices.create_index(["public_key"], unique=True)
    devices.create_index(["enrollment_code"], unique=True)
    db.create_table(
        "challenges",
        {"nonce": str, "device_id": str, "expires_at": str},
        pk="nonce", not_null=["device_id", "expires_at"],
        foreign_keys=[("device_id", "devices", "device_id")],
    )
    sessions = db.create_table(
        "sessions",
        {"token_hash": str, "user": str, "device_id": str, "created_at": str, "expires_at": str},
        pk="token_hash", not_null=["user", "device_id", "created_at", "expires_at"],
        foreign_keys=[("user", "users", "name"), ("device_id", "devices", "device_id")],
    )
    sessions.create_index(["device_id"])
    db.create_table(
        "shifts",
        {"shift_id": str, "user": str, "device_id": str, "project": str, "public_key": bytes, "status": str,
         "size": int, "created_at": str, "rekeyed_at": str, "closed_at": str},
        pk="shift_id", not_null=["user", "device_id", "project", "public_key", "status", "size", "created_at"],
        foreign_keys=[("user", "users", "name"), ("device_id", "devices", "device_id")],
    )
    db.execute("CREATE UNIQUE INDEX idx_shifts_one_open_per_user ON shifts (user) WHERE status = 'open'")
    shift_clips = db.create_table(
        "shift_clips",
        {"shift_id": str, "clip_id": str, "position": int},
        pk=("shift_id", "clip_id"), not_null=["position"],
        foreign_keys=[("shift_id", "shifts", "shift_id"), ("clip_id", "clips", "clip_id")],
    )
    shift_clips.create_index(["clip_id"])
    labels = db.create_table(
        "labels",
        {"id": str, "shift_id": str, "clip_id": str, "user": str, "device_id": str, "label": str,
         "payload": str, "received_at": str},
        pk="id", not_null=["shift_id", "clip_id", "user", "device_id", "label", "payload", "received_at"],
        foreign_keys=[("shift_id", "shifts", "shift_id"), ("clip_id", "clips", "clip_id")],
    )
    labels.create_index(["clip_id"])
    labels.create_index(["shift_id"])
    db.create_table("taxonomies", {"project": str, "taxonomy": str, "updated_at": str}, pk="project",
                    not_null=["taxonomy", "updated_at"])
