"""The workstation's local store: shift, clips, labels and the outbox, in one SQLite file.

Durability: WAL journal with ``synchronous=FULL``; a label and its outbox row are written in one
transaction, committed before the next clip shows, so a power cut loses no decided label.
One writer: every write runs on the store's writer thread (:mod:`workstation.labeling.writer`), in the
order asked; every other thread reads through its own read-only connection.

Damage is found at opening, however it shows: a file that is not a database, ``PRAGMA quick_check``
reporting a problem, or a current version number over missing tables or columns raise
:class:`DamagedStore` (the file is left as it is; the seat sets it aside for IT and starts clean).
The file and its folder are the user's alone (0600 / 0700 on POSIX); looser modes are tightened and
reported in :attr:`LocalStore.tightened`.

The store holds labels, timings and sealed clip keys (useless without the shift private key that lives
in the key store) — never clip bytes or clip keys in the clear.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from workstation.audit import Break
from workstation.errors import WorkstationError
from workstation.labeling import audit_log, schema
from workstation.labeling.schema import SCHEMA_VERSION
from workstation.labeling.writer import StoreWriter, WriterClosed
from workstation.paths import owner_only

__all__ = ["SCHEMA_VERSION", "ClipRecord", "DamagedStore", "LabelRecord", "LocalStore", "OutboxItem", "PendingAudit",
           "ShiftRecord", "StoreError", "utc_now"]

T = TypeVar("T")


class StoreError(WorkstationError):
    """The local label store cannot be opened or written."""


class DamagedStore(StoreError):
    """The store file is damaged (not a database, failed integrity check, or missing parts of its schema)."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"The local label store {path} is damaged ({why}).",
                         hint="The app sets it aside for IT and starts with a clean store; tell IT.")
        self.path = path
        self.why = why


def utc_now() -> str:
    """Now as an ISO 8601 UTC string with millisecond precision and a Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class ShiftRecord:
    shift_id: str
    hub_url: str
    username: str
    device_id: str
    created_at: str
    size: int
    status: str
    taxonomy: dict[str, Any]


@dataclass(frozen=True)
class ClipRecord:
    shift_id: str
    clip_id: str
    position: int
    size: int
    sha256: str
    sealed_key: bytes | None
    cached: bool
    withdrawn: bool = False
    """Disposed of on the hub: gone from this PC and no longer part of the shift."""


@dataclass(frozen=True)
class LabelRecord:
    """One decision event on a clip: a label, a skip, a flag, or a retract (undo) of an earlier one."""

    id: str
    shift_id: str
    clip_id: str
    label: str
    shown_at: str
    decided_at: str
    comment: str | None
    timings: dict[str, Any]
    kind: str = "label"
    reason: str | None = None
    retracts: str | None = None

    def wire(self) -> dict[str, Any]:
        """The event as the hub API carries it (CONTRACTS.md LabelItem)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "shift_id": self.shift_id,
            "clip_id": self.clip_id,
            "label": self.label,
            "shown_at": self.shown_at,
            "decided_at": self.decided_at,
            "comment": self.comment,
            "timings": self.timings,
            "reason": self.reason,
            "retracts": self.retracts,
        }


@dataclass(frozen=True)
class PendingAudit:
    """An audit event that happened at ``at`` and waits to be written with the next commit."""

    kind: str
    clip_id: str | None
    data: dict[str, Any]
    at: str


@dataclass(frozen=True)
class OutboxItem:
    id: str
    kind: str
    payload: dict[str, Any]
    attempts: int


def _shift_record(row: Sequence[Any]) -> ShiftRecord:
    """A ``shifts`` row (shift_id, hub_url, username, device_id, created_at, size, status, taxonomy)."""
    return ShiftRecord(shift_id=row[0], hub_url=row[1], username=row[2], device_id=row[3], created_at=row[4],
                       size=row[5], status=row[6], taxonomy=json.loads(row[7]))


def _label_record(row: Sequence[Any]) -> LabelRecord:
    """A ``labels`` row (id, shift_id, clip_id, label, shown_at, decided_at, comment, timings, kind, reason,
    retracts)."""
    return LabelRecord(id=row[0], shift_id=row[1], clip_id=row[2], label=row[3], shown_at=row[4],
                       decided_at=row[5], comment=row[6], timings=json.loads(row[7]), kind=row[8], reason=row[9],
                       retracts=row[10])


def _decision_data(record: LabelRecord) -> dict[str, Any]:
    """A decision's audit data: what was decided and how long it was watched (never the comment text)."""
    data: dict[str, Any] = {"event_id": record.id, "label": record.label}
    if record.reason is not None:
        data["reason"] = record.reason
    if record.retracts is not None:
        data["retracts"] = record.retracts
    if record.comment:
        data["commented"] = True
    for key in ("watched_s", "replays", "active_s"):
        value = record.timings.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            data[key] = value
    return data


class LocalStore:
    """Thread-aware access to the local SQLite store at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self.tightened: list[Path] = owner_only(self.path.parent, files=False)
        """Files and folders of the store that others could read and that were made owner-only at opening."""
        self._prepare_file()
        try:
            self.writer = StoreWriter(self._connect_writer, name="store-writer")
        except sqlite3.DatabaseError as exc:
            raise DamagedStore(self.path, f"it is not a readable database: {exc}") from None
        try:
            self.writer.call(self._open_checked)
        except BaseException:
            self.close()
            raise
        self.tightened += [p for p in owner_only(self.path.parent) if p not in self.tightened]

    def _prepare_file(self) -> None:
        """The file exists and is 0600 before SQLite opens it; its -wal and -shm files take that mode."""
        if os.name != "posix":
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)

    def _connect_writer(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=10)
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def _open_checked(self, db: sqlite_utils.Database) -> None:
        """On the writer: find damage, bring the schema up to date, turn on WAL and full sync."""
        conn = db.conn
        try:
            result = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
            if result != ["ok"]:
                raise DamagedStore(self.path, f"its integrity check failed: {'; '.join(map(str, result[:3]))}")
            if (version := schema.version_of(conn)) > schema.SCHEMA_VERSION:  # refused before anything is written
                raise StoreError(
                    f"The local label store was written by a newer version of the app (schema {version}).",
                    hint="Update the app; nothing in the store was changed.",
                )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            schema.init_db(conn)
            missing = schema.problems(conn)
            if missing:
                raise DamagedStore(self.path, "; ".join(missing))
        except sqlite3.DatabaseError as exc:
            raise DamagedStore(self.path, str(exc)) from None

    # -- connections -------------------------------------------------------------------------------
    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's read-only connection (writes go through :meth:`write`)."""
        db = getattr(self._local, "db", None)
        if db is None:
            uri = self.path.resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=10)
            conn.execute("PRAGMA busy_timeout=10000")
            db = sqlite_utils.Database(conn)
            self._local.db = db
            with self._lock:
                self._connections.append(conn)
        return db

    def write(self, fn: Callable[[sqlite_utils.Database], T]) -> T:
        """Run ``fn(db)`` as one write transaction (BEGIN IMMEDIATE … COMMIT) on the writer thread.

        Rolled back on any error; SQLite errors come back as one clear :class:`StoreError`."""
        def run(db: sqlite_utils.Database) -> T:
            if db.conn.in_transaction:  # a write inside a write: part of the outer transaction
                return fn(db)
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise self._write_error(exc) from None
            try:
                result = fn(db)
            except sqlite3.Error as exc:
                self._rollback(db)
                raise self._write_error(exc) from None
            except BaseException:
                self._rollback(db)
                raise
            try:
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback(db)
                raise self._write_error(exc) from None
            return result

        try:
            return self.writer.call(run)
        except WriterClosed:
            raise StoreError("The local label store is closed; nothing was saved.",
                             hint="Restart the app; nothing already saved is lost.") from None

    @staticmethod
    def _rollback(db: sqlite_utils.Database) -> None:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")

    def _write_error(self, exc: sqlite3.Error) -> StoreError:
        text = str(exc)
        if "full" in text:
            return StoreError(f"The disk holding {self.path} is full; the label was not saved.",
                              hint="Free disk space, then press the label key again.")
        return StoreError(f"The local label store {self.path} cannot be written ({text}).",
                          hint="Ask IT to check the disk; the label was not saved, press the key again.")

    def close(self) -> None:
        """Close the readers, then the writer: the last connection checkpoints the WAL into the file."""
        with self._lock:
            for conn in self._connections:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._connections.clear()
        self._local = threading.local()
        writer = getattr(self, "writer", None)
        if writer is not None:
            writer.close()

    # -- meta --------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        def _write(db: sqlite_utils.Database) -> None:
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])
        self.write(_write)

    # -- shifts and clips --------------------------------------------------------------------------
    def save_shift(self, shift: ShiftRecord, clips: list[tuple[str, int, int, str]]) -> None:
        """Record a shift and its clip list ``(clip_id, position, size, sha256)``; keeps cache state.

        A shift the hub moved to this device (re-keyed after a restart or on another seat's key) takes the
        device id it runs on now: its audit events go on that device's chain."""
        def _write(db: sqlite_utils.Database) -> None:
            # Raw SQL inside the transaction: sqlite-utils' table helpers commit on their own.
            db.execute(
                "INSERT INTO shifts (shift_id, hub_url, username, device_id, created_at, size, status, taxonomy) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(shift_id) DO UPDATE SET size = excluded.size, "
                "taxonomy = excluded.taxonomy, hub_url = excluded.hub_url, device_id = excluded.device_id",
                [shift.shift_id, shift.hub_url, shift.username, shift.device_id, shift.created_at, shift.size,
                 shift.status, json.dumps(shift.taxonomy)],
            )
            for clip_id, position, size, sha256 in clips:
                existing = db.execute(
                    "SELECT sha256 FROM clips WHERE shift_id = ? AND clip_id = ?", [shift.shift_id, clip_id]
                ).fetchone()
                if existing is None:
                    db.execute(
                        "INSERT INTO clips (shift_id, clip_id, position, size, sha256, sealed_key, cached) "
                        "VALUES (?, ?, ?, ?, ?, NULL, 0)", [shift.shift_id, clip_id, position, size, sha256])
                else:
                    db.execute("UPDATE clips SET position = ? WHERE shift_id = ? AND clip_id = ?",
                               [position, shift.shift_id, clip_id])
        self.write(_write)

    def set_sealed_keys(self, shift_id: str, keys: dict[str, bytes]) -> None:
        def _write(db: sqlite_utils.Database) -> None:
            for clip_id, sealed in keys.items():
                db.execute("UPDATE clips SET sealed_key = ? WHERE shift_id = ? AND clip_id = ?",
                           [sealed, shift_id, clip_id])
        self.write(_write)

    def set_cached(self, shift_id: str, clip_id: str, cached: bool) -> None:
        def _write(db: sqlite_utils.Database) -> None:
            db.execute("UPDATE clips SET cached = ? WHERE shift_id = ? AND clip_id = ?",
                       [int(cached), shift_id, clip_id])
        self.write(_write)

    def forget_clip_key(self, shift_id: str, clip_id: str) -> None:
        def _write(db: sqlite_utils.Database) -> None:
            db.execute("UPDATE clips SET sealed_key = NULL, cached = 0 WHERE shift_id = ? AND clip_id = ?",
                       [shift_id, clip_id])
        self.write(_write)

    def forget_shift_keys(self, shift_id: str) -> None:
        """Every sealed clip key of the shift gone (crypto-shredding), its clips marked not cached."""
        def _write(db: sqlite_utils.Database) -> None:
            db.execute("UPDATE clips SET sealed_key = NULL, cached = 0 WHERE shift_id = ?", [shift_id])
        self.write(_write)

    def shifts(self) -> list[ShiftRecord]:
        rows = self.db.execute(
            "SELECT shift_id, hub_url, username, device_id, created_at, size, status, taxonomy "
            "FROM shifts ORDER BY created_at"
        ).fetchall()
        return [_shift_record(r) for r in rows]

    def active_shift(self) -> ShiftRecord | None:
        row = self.db.execute(
            "SELECT shift_id, hub_url, username, device_id, created_at, size, status, taxonomy "
            "FROM shifts WHERE status = 'active' ORDER BY created_at DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return _shift_record(row)

    def shift(self, shift_id: str) -> ShiftRecord | None:
        row = self.db.execute(
            "SELECT shift_id, hub_url, username, device_id, created_at, size, status, taxonomy "
            "FROM shifts WHERE shift_id = ?", [shift_id]
        ).fetchone()
        if row is None:
            return None
        return _shift_record(row)

    def set_shift_status(self, shift_id: str, status: str) -> None:
        def _write(db: sqlite_utils.Database) -> None:
            db.execute("UPDATE shifts SET status = ? WHERE shift_id = ?", [status, shift_id])
        self.write(_write)

    def clips(self, shift_id: str) -> list[ClipRecord]:
        rows = self.db.execute(
            "SELECT shift_id, clip_id, position, size, sha256, sealed_key, cached, withdrawn FROM clips "
            "WHERE shift_id = ? ORDER BY position", [shift_id]
        ).fetchall()
        return [ClipRecord(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), bool(r[7])) for r in rows]

    def withdraw_clips(self, shift_id: str, clip_ids: list[str]) -> None:
        """Clips the hub disposed of: out of the shift, their sealed keys gone."""
        def _write(db: sqlite_utils.Database) -> None:
            db.conn.executemany("UPDATE clips SET withdrawn = 1, sealed_key = NULL, cached = 0 "
                                "WHERE shift_id = ? AND clip_id = ?", [(shift_id, c) for c in clip_ids])
        self.write(_write)

    # -- labels and outbox -------------------------------------------------------------------------
    def add_label(self, shift_id: str, clip_id: str, label: str, *, shown_at: str,
                  decided_at: str | None = None, comment: str | None = None,
                  timings: dict[str, Any] | None = None, kind: str = "label", reason: str | None = None,
                  retracts: str | None = None, next_clip: str | None = None,
                  audit_before: Sequence[PendingAudit] = (), shift_clock_s: float | None = None) -> LabelRecord:
        """Store a decision event and its outbox row in one committed transaction.

        ``next_clip`` (the clip the annotator sees next) is recorded in the same transaction, so a
        restart after a crash resumes exactly there. ``audit_before``: audit events of this shift that
        happened before the decision and wait to be written; they go on the chain first, in the same
        transaction (one commit per decision). ``shift_clock_s``: the shift's active time so far, kept with it
        (the shift clock goes on from there after a restart).
        """
        record = LabelRecord(
            id=str(uuid.uuid4()), shift_id=shift_id, clip_id=clip_id, label=label, shown_at=shown_at,
            decided_at=decided_at or utc_now(), comment=comment,
            timings=timings or {"watched_s": 0.0, "replays": 0, "active_s": 0.0},
            kind=kind, reason=reason, retracts=retracts,
        )
        now = utc_now()
        def _write(db: sqlite_utils.Database) -> None:
            db.execute(
                "INSERT INTO labels (id, shift_id, clip_id, label, shown_at, decided_at, comment, timings, "
                "created_at, kind, reason, retracts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [record.id, shift_id, clip_id, label, record.shown_at, record.decided_at, comment,
                 json.dumps(record.timings), now, kind, reason, retracts],
            )
            db.execute(
                "INSERT INTO outbox (id, kind, payload, created_at, attempts, last_error, sent_at) "
                "VALUES (?, 'label', ?, ?, 0, NULL, NULL)",
                [record.id, json.dumps(record.wire()), now],
            )
            if next_clip is not None:
                self._set_position(db, shift_id, next_clip)
            if shift_clock_s is not None:
                db.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           [f"shift-clock:{shift_id}", f"{shift_clock_s:.3f}"])
            owner = db.execute("SELECT username, device_id FROM shifts WHERE shift_id = ?", [shift_id]).fetchone()
            if owner is not None and owner[1]:
                for pending in audit_before:
                    audit_log.append(db, pending.kind, device_id=owner[1], user=owner[0], shift_id=shift_id,
                                     clip_id=pending.clip_id, data=pending.data, at=pending.at)
                audit_log.append(db, kind, device_id=owner[1], user=owner[0], shift_id=shift_id, clip_id=clip_id,
                                 data=_decision_data(record))
        self.write(_write)
        return record

    @staticmethod
    def _set_position(db: sqlite_utils.Database, shift_id: str, clip_id: str) -> None:
        db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   [f"position:{shift_id}", clip_id])

    def set_position(self, shift_id: str, clip_id: str) -> None:
        """Remember the clip on screen (for resuming after a crash)."""
        def _write(db: sqlite_utils.Database) -> None:
            self._set_position(db, shift_id, clip_id)
        self.write(_write)

    def position(self, shift_id: str) -> str | None:
        return self.get_meta(f"position:{shift_id}")

    def shift_clock_s(self, shift_id: str) -> float:
        """The shift's active time recorded so far (0 for a new shift)."""
        try:
            return float(self.get_meta(f"shift-clock:{shift_id}") or 0.0)
        except ValueError:
            return 0.0

    def set_shift_clock(self, shift_id: str, seconds: float) -> None:
        self.set_meta(f"shift-clock:{shift_id}", f"{seconds:.3f}")

    def decisions(self, shift_id: str) -> dict[str, LabelRecord]:
        """The standing decision per clip: the latest label, skip or flag not taken back by a retract."""
        records = self.labels(shift_id)
        retracted = {r.retracts for r in records if r.kind == "retract"}
        out: dict[str, LabelRecord] = {}
        for record in records:
            if record.kind != "retract" and record.id not in retracted:
                out[record.clip_id] = record
        return out

    def labels(self, shift_id: str) -> list[LabelRecord]:
        rows = self.db.execute(
            "SELECT id, shift_id, clip_id, label, shown_at, decided_at, comment, timings, kind, reason, retracts "
            "FROM labels WHERE shift_id = ? ORDER BY rowid", [shift_id]
        ).fetchall()
        return [_label_record(r) for r in rows]

    def pending_outbox(self, limit: int = 100, *, username: str | None = None) -> list[OutboxItem]:
        """Items not yet acknowledged nor set aside, oldest first; only ``username``'s shifts when given."""
        if username is None:
            rows = self.db.execute(
                "SELECT id, kind, payload, attempts FROM outbox WHERE sent_at IS NULL AND rejected_at IS NULL "
                "ORDER BY created_at, rowid LIMIT ?", [limit]
            ).fetchall()
        else:
            rows = self.db.execute(
                "SELECT o.id, o.kind, o.payload, o.attempts FROM outbox o JOIN labels l ON l.id = o.id "
                "JOIN shifts s ON s.shift_id = l.shift_id WHERE o.sent_at IS NULL AND o.rejected_at IS NULL "
                "AND s.username = ? ORDER BY o.created_at, o.rowid LIMIT ?", [username, limit]
            ).fetchall()
        return [OutboxItem(r[0], r[1], json.loads(r[2]), r[3]) for r in rows]

    def pending_count(self, *, username: str | None = None) -> int:
        """Decisions not yet acknowledged nor set aside; only ``username``'s when given."""
        if username is None:
            return int(self.db.execute(
                "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND rejected_at IS NULL").fetchone()[0])
        return int(self.db.execute(
            "SELECT count(*) FROM outbox o JOIN labels l ON l.id = o.id JOIN shifts s ON s.shift_id = l.shift_id "
            "WHERE o.sent_at IS NULL AND o.rejected_at IS NULL AND s.username = ?", [username]).fetchone()[0])

    def rejected_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM outbox WHERE rejected_at IS NOT NULL").fetchone()[0])

    def mark_sent(self, ids: list[str]) -> None:
        if not ids:
            return
        now = utc_now()
        def _write(db: sqlite_utils.Database) -> None:
            db.conn.executemany("UPDATE outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
                                [(now, i) for i in ids])
        self.write(_write)

    def mark_rejected(self, item_id: str, reason: str) -> None:
        """The hub refused this item for good: keep it (nothing is deleted) but stop sending it."""
        def _write(db: sqlite_utils.Database) -> None:
            db.execute("UPDATE outbox SET rejected_at = ?, last_error = ? WHERE id = ?",
                       [utc_now(), reason[:500], item_id])
        self.write(_write)

    # -- audit log (workstation/labeling/audit_log.py) ---------------------------------------------
    def audit(self, kind: str, *, device_id: str, user: str = "", shift_id: str | None = None,
              clip_id: str | None = None, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Append one audit event to ``device_id``'s chain, committed at once."""
        def _write(db: sqlite_utils.Database) -> dict[str, Any]:
            return audit_log.append(db, kind, device_id=device_id, user=user, shift_id=shift_id, clip_id=clip_id,
                                    data=data)
        return self.write(_write)

    def audit_many(self, shift_id: str, events: Sequence[PendingAudit]) -> None:
        """Write audit events of a shift (on its device's chain, as its annotator) in one transaction."""
        if not events:
            return
        def _write(db: sqlite_utils.Database) -> None:
            owner = db.execute("SELECT username, device_id FROM shifts WHERE shift_id = ?", [shift_id]).fetchone()
            if owner is None or not owner[1]:
                return
            for event in events:
                audit_log.append(db, event.kind, device_id=owner[1], user=owner[0], shift_id=shift_id,
                                 clip_id=event.clip_id, data=event.data, at=event.at)
        self.write(_write)

    def audit_events(self, device_id: str) -> list[dict[str, Any]]:
        return audit_log.events(self.db, device_id)

    def unsent_audit(self, device_id: str, limit: int = 200) -> list[dict[str, Any]]:
        return audit_log.unsent(self.db, device_id, limit)

    def last_sent_audit(self, device_id: str) -> dict[str, Any] | None:
        return audit_log.last_sent(self.db, device_id)

    def unsent_audit_count(self) -> int:
        return audit_log.unsent_count(self.db)

    def mark_audit_sent(self, ids: list[str]) -> None:
        if ids:
            def _write(db: sqlite_utils.Database) -> None:
                audit_log.mark_sent(db, ids, utc_now())
            self.write(_write)

    def verify_audit(self) -> dict[str, Break | None]:
        """Each device chain's first broken link, or ``None`` where it holds."""
        return audit_log.verify(self.db)

    def mark_failed(self, ids: list[str], error: str) -> None:
        if not ids:
            return
        def _write(db: sqlite_utils.Database) -> None:
            db.conn.executemany("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                           [(error[:500], i) for i in ids])
        self.write(_write)
