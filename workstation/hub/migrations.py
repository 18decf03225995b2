"""Schema upgrades, one function per version: ``MIGRATIONS[n]`` takes a database at ``n - 1`` to ``n``.

Each runs inside the transaction :func:`workstation.hub.storage.init_db` opened. Version 1 is the
first schema, created whole by ``init_db``; a fresh file then runs every migration too, so there is
one path to the current schema.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from workstation.hub import standing, summaries, timing
from workstation.hub.db import HubDB


def _to_2(db: HubDB) -> None:
    """Label events gain a kind (label, skip, flag, retract), a reason, and the id a retract takes back."""
    db.execute("ALTER TABLE labels ADD COLUMN kind TEXT NOT NULL DEFAULT 'label'")
    db.execute("ALTER TABLE labels ADD COLUMN reason TEXT")
    db.execute("ALTER TABLE labels ADD COLUMN retracts TEXT")
    db.execute("CREATE INDEX idx_labels_retracts ON labels (retracts)")


def _to_3(db: HubDB) -> None:
    """Accounts: sign-in failure counters (throttling), disabled users, sessions ended by a revocation."""
    db.execute("CREATE TABLE signin_throttle (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, "
               "window_start REAL NOT NULL)")
    db.execute("CREATE INDEX idx_signin_throttle_window ON signin_throttle (window_start)")
    db.execute("ALTER TABLE users ADD COLUMN disabled_at TEXT")
    db.execute("ALTER TABLE sessions ADD COLUMN ended_at TEXT")
    db.execute("CREATE INDEX idx_sessions_user ON sessions (user)")


def _to_4(db: HubDB) -> None:
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


def _to_5(db: HubDB) -> None:
    """Audit events: each device's hash chain (workstation.audit), one row per event."""
    db.execute(
        "CREATE TABLE audit_events (device_id TEXT NOT NULL REFERENCES devices (device_id), seq INTEGER NOT NULL, "
        "id TEXT NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL, user TEXT NOT NULL, shift_id TEXT, clip_id TEXT, "
        "data TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL, received_at TEXT NOT NULL, "
        "PRIMARY KEY (device_id, seq))"
    )
    db.execute("CREATE UNIQUE INDEX idx_audit_events_id ON audit_events (id)")


def _to_6(db: HubDB) -> None:
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


def _to_7(db: HubDB) -> None:
    """Label payloads an older hub stored with Infinity or NaN (not JSON: SQLite's JSON functions fail on
    them) become valid JSON, each such number null. The API refuses them from this version on."""
    rows = db.execute("SELECT rowid, payload FROM labels WHERE NOT json_valid(payload)").fetchall()
    for rowid, payload in rows:
        try:
            fixed = json.dumps(_finite(json.loads(payload)), sort_keys=True, separators=(",", ":"))
        except ValueError:
            fixed = json.dumps({"unreadable": True})
        db.execute("UPDATE labels SET payload = ? WHERE rowid = ?", [fixed, rowid])


def _to_8(db: HubDB) -> None:
    """Enrollment counts per client address (public ``POST /devices`` is throttled)."""
    db.execute("CREATE TABLE enroll_counts (address TEXT PRIMARY KEY, count INTEGER NOT NULL, "
               "window_start REAL NOT NULL)")


def _to_9(db: HubDB) -> None:
    """Sessions get an id of their own (the token hash is a secret's hash, not a name), kept after they end;
    each audit event records the session and device that delivered it (NULL for events stored before)."""
    db.execute("ALTER TABLE sessions ADD COLUMN session_id TEXT")
    db.execute("UPDATE sessions SET session_id = lower(hex(randomblob(16))) WHERE session_id IS NULL")
    db.execute("CREATE UNIQUE INDEX idx_sessions_session_id ON sessions (session_id)")
    db.execute("ALTER TABLE audit_events ADD COLUMN delivered_session TEXT")
    db.execute("ALTER TABLE audit_events ADD COLUMN delivered_device TEXT")


def _to_10(db: HubDB) -> None:
    """The work on record: work periods (a sign-in opens one; sign-out, expiry, revocation or disabling closes
    it), every key and ciphertext hand-out, the hub's own audit of supervisor actions (exports, gold), and
    audit events found by clip. Sessions kept since version 9 become the first periods."""
    db.execute("CREATE TABLE work_periods (period_id TEXT PRIMARY KEY, user TEXT NOT NULL, device_id TEXT NOT NULL, "
               "started_at TEXT NOT NULL, expires_at TEXT NOT NULL, ended_at TEXT, end_reason TEXT)")
    db.execute("CREATE INDEX idx_work_periods_user ON work_periods (user, started_at)")
    db.execute("CREATE INDEX idx_work_periods_started ON work_periods (started_at)")
    db.execute("CREATE INDEX idx_work_periods_open ON work_periods (expires_at) WHERE ended_at IS NULL")
    db.execute(
        "INSERT INTO work_periods (period_id, user, device_id, started_at, expires_at, ended_at, end_reason) "
        "SELECT session_id, user, device_id, created_at, expires_at, "
        "CASE WHEN ended_at IS NOT NULL THEN min(ended_at, expires_at) WHEN expires_at <= :now THEN expires_at END, "
        "CASE WHEN ended_at IS NOT NULL AND ended_at < expires_at THEN 'ended' "
        "WHEN ended_at IS NOT NULL OR expires_at <= :now THEN 'expired' END FROM sessions",
        {"now": _now()},
    )
    db.execute("CREATE TABLE handouts (id INTEGER PRIMARY KEY, at TEXT NOT NULL, what TEXT NOT NULL, "
               "user TEXT NOT NULL, device_id TEXT NOT NULL, session_id TEXT NOT NULL, shift_id TEXT NOT NULL, "
               "clip_id TEXT NOT NULL)")
    db.execute("CREATE INDEX idx_handouts_clip ON handouts (clip_id, at)")
    db.execute("CREATE TABLE hub_audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, "
               "device_id TEXT, action TEXT NOT NULL, clip_id TEXT, detail TEXT NOT NULL)")
    db.execute("CREATE INDEX idx_hub_audit_clip ON hub_audit (clip_id) WHERE clip_id IS NOT NULL")
    db.execute("CREATE INDEX idx_audit_events_clip ON audit_events (clip_id, at) WHERE clip_id IS NOT NULL")


_LABEL_COLUMNS = (("shown_at", "TEXT"), ("decided_at", "TEXT"), ("counted_at", "TEXT"), ("elapsed_s", "REAL"),
                  ("watched_s", "REAL"), ("replays", "INTEGER"), ("active_s", "REAL"), ("comment", "TEXT"),
                  ("implausible", "TEXT"), ("retracted_by", "TEXT"), ("period_id", "TEXT"))


def _to_11(db: HubDB) -> None:
    """Label timings in columns of their own, each decision judged for plausibility and placed in time and in a
    work period, and a standing flag instead of a subquery: ``retracted_by`` names the retract that took a
    decision back (by its own author only). Filled from the JSON payload of the labels already held."""
    for column, kind in _LABEL_COLUMNS:
        db.execute(f"ALTER TABLE labels ADD COLUMN {column} {kind}")
    db.execute(
        "UPDATE labels SET decided_at = coalesce(json_extract(payload, '$.decided_at'), received_at), "
        "watched_s = json_extract(payload, '$.timings.watched_s'), replays = json_extract(payload, '$.timings.replays'), "
        "active_s = json_extract(payload, '$.timings.active_s'), comment = json_extract(payload, '$.comment')"
    )
    db.execute("UPDATE labels SET shown_at = coalesce(json_extract(payload, '$.shown_at'), decided_at)")
    db.execute(
        "UPDATE labels SET retracted_by = (SELECT r.id FROM labels r WHERE r.kind = 'retract' AND r.retracts = labels.id "
        "AND r.user = labels.user ORDER BY r.received_at, r.rowid LIMIT 1) WHERE kind != 'retract'"
    )
    db.execute("DROP INDEX idx_labels_retracts")
    db.execute("CREATE INDEX idx_labels_retracts ON labels (retracts) WHERE retracts IS NOT NULL")
    rows = db.execute(
        "SELECT l.rowid, l.user, l.shown_at, l.decided_at, l.watched_s, l.active_s, c.duration_s, l.received_at, "
        "s.created_at FROM labels l JOIN clips c ON c.clip_id = l.clip_id JOIN shifts s ON s.shift_id = l.shift_id"
    ).fetchall()
    for rowid, user, shown_at, decided_at, watched_s, active_s, duration_s, received_at, handed_out_at in rows:
        try:
            judged = timing.judge(shown_at=shown_at, decided_at=decided_at, watched_s=watched_s or 0.0,
                                  active_s=active_s or 0.0, duration_s=duration_s, received_at=received_at,
                                  handed_out_at=handed_out_at)
            elapsed, implausible, counted_at = judged.elapsed_s, judged.implausible, judged.counted_at
        except (TypeError, ValueError):  # an unreadable time an older hub stored
            elapsed, implausible, counted_at = None, "unreadable", timing.fixed(timing.parse(received_at))
        period = db.execute("SELECT period_id FROM work_periods WHERE user = ? AND started_at <= ? "
                            "ORDER BY started_at DESC LIMIT 1", [user, counted_at]).fetchone()
        db.execute("UPDATE labels SET elapsed_s = ?, implausible = ?, counted_at = ?, period_id = ? WHERE rowid = ?",
                   [elapsed, implausible, counted_at, period[0] if period else None, rowid])
    db.execute("CREATE INDEX idx_labels_user_counted ON labels (user, counted_at)")
    db.execute("CREATE INDEX idx_labels_counted ON labels (counted_at)")


def _to_12(db: HubDB) -> None:
    """Gold clips (a known label, mixed blindly into shifts) and overlap (a share of clips goes to a second,
    different annotator): clips get ``overlap_at`` (chosen for a second annotator) and ``shared_at`` (standing
    labels or flags of two different annotators; filled for the clips already held)."""
    db.execute("CREATE TABLE gold (clip_id TEXT PRIMARY KEY REFERENCES clips (clip_id), label TEXT NOT NULL, "
               "added_by TEXT NOT NULL, added_at TEXT NOT NULL)")
    db.execute("ALTER TABLE clips ADD COLUMN overlap_at TEXT")
    db.execute("ALTER TABLE clips ADD COLUMN shared_at TEXT")
    db.execute("CREATE INDEX idx_clips_second_wanted ON clips (project, created_at) "
               "WHERE overlap_at IS NOT NULL AND shared_at IS NULL")
    db.execute("CREATE INDEX idx_clips_shared ON clips (shared_at) WHERE shared_at IS NOT NULL")
    db.execute("CREATE INDEX idx_labels_standing ON labels (clip_id, user) "
               "WHERE kind IN ('label', 'skip', 'flag') AND retracted_by IS NULL")
    db.execute(
        "UPDATE clips SET shared_at = :now WHERE clip_id IN (SELECT clip_id FROM labels WHERE kind IN "
        "('label', 'flag') AND retracted_by IS NULL GROUP BY clip_id HAVING count(DISTINCT user) >= 2)",
        {"now": _now()},
    )
    db.execute("CREATE INDEX idx_shifts_created ON shifts (created_at)")
    db.execute("CREATE INDEX idx_shifts_user ON shifts (user, created_at)")


def _to_13(db: HubDB) -> None:
    """Summaries per annotator and day, hour, shift and work period (:mod:`workstation.hub.summaries`), kept up to
    date by the label intake; computed here from the labels already held."""
    db.execute(summaries.CREATE_STATS)
    db.execute(summaries.CREATE_LABELS)
    for index in summaries.INDEXES:
        db.execute(index)
    summaries.rebuild(db, standing="l.kind IN ('label', 'skip', 'flag') AND l.retracted_by IS NULL")  # as of v13


def _to_14(db: HubDB) -> None:
    """Settled clips (:mod:`workstation.hub.standing`): a standing label or flag keeps a clip out of the pool, and the
    pool reads only the others through a partial index. Filled for the clips already held."""
    db.execute("ALTER TABLE clips ADD COLUMN settled_at TEXT")
    db.execute(f"UPDATE clips SET settled_at = :now WHERE {standing.SETTLED}", {"now": _now()})
    db.execute("CREATE INDEX idx_clips_pool ON clips (created_at) WHERE status = 'active' AND settled_at IS NULL")


def _to_15(db: HubDB) -> None:
    """Consent and retention (:mod:`workstation.hub.erasure`), and each seat's last contact.

    Clips record where they came from (``source``), the upstream consent reference and scope, when they were
    captured or submitted, until when they may be kept (``retain_until``) and when they were erased. The clips a
    hub already held came without any of this: their source is ``unknown``, they name no consent, and their
    deadline is their ingest time + the product's default retention (90 days) — so the first sweep after the
    upgrade erases those ingested longer ago (``hub consent report`` shows them as overdue first). Labels get
    ``erased_at`` (an erased clip's labels: out of every export and figure); consent references withdrawn are
    remembered (a later ingest under one is refused); devices get the app version and last contact time.
    """
    db.execute("ALTER TABLE clips ADD COLUMN source TEXT NOT NULL DEFAULT 'unknown'")
    for column in ("consent_ref", "consent_scope", "captured_at", "retain_until", "erased_at"):
        db.execute(f"ALTER TABLE clips ADD COLUMN {column} TEXT")
    db.execute(
        "UPDATE clips SET retain_until = strftime('%Y-%m-%dT%H:%M:%fZ', created_at, :days) WHERE retain_until IS NULL",
        {"days": f"+{_DEFAULT_RETAIN_DAYS} days"})
    db.execute("UPDATE clips SET erased_at = (SELECT max(d.decided_at) FROM disposals d WHERE d.clip_id = clips.clip_id "
               "AND d.status = 'confirmed') WHERE status = 'disposed'")
    db.execute("CREATE INDEX idx_clips_retain ON clips (retain_until) WHERE status = 'active'")
    db.execute("CREATE INDEX idx_clips_consent ON clips (consent_ref) WHERE consent_ref IS NOT NULL")
    db.execute("CREATE INDEX idx_clips_erased ON clips (erased_at) WHERE erased_at IS NOT NULL")
    db.execute("ALTER TABLE labels ADD COLUMN erased_at TEXT")
    db.execute("CREATE TABLE consent_withdrawals (consent_ref TEXT PRIMARY KEY, withdrawn_at TEXT NOT NULL, "
               "withdrawn_by TEXT NOT NULL, clips INTEGER NOT NULL)")
    db.execute("ALTER TABLE devices ADD COLUMN app_version TEXT")
    db.execute("ALTER TABLE devices ADD COLUMN last_seen_at TEXT")


_DEFAULT_RETAIN_DAYS = 90
"""``config.DEFAULT_RETAIN_DAYS`` as it was when version 15 came (a migration never changes with later code)."""


def _now() -> str:
    moment = datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


MIGRATIONS: dict[int, Callable[[HubDB], None]] = {2: _to_2, 3: _to_3, 4: _to_4, 5: _to_5, 6: _to_6,
                                                                  7: _to_7, 8: _to_8, 9: _to_9, 10: _to_10,
                                                                  11: _to_11, 12: _to_12, 13: _to_13, 14: _to_14,
                                                                  15: _to_15}
