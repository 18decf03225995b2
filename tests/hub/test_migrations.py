"""A hub database of schema 2 (before accounts, disposals and audit intake) upgrades in place."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from workstation.hub import disposals, storage
from workstation.hub.home import HubHome
from workstation.hub.service import HubService


def test_a_version_2_hub_upgrades_and_its_flags_enter_the_disposal_queue(
        data_dir: Path, source_clips: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as old:
        old.setattr(storage, "SCHEMA_VERSION", 2)
        service = HubService(data_dir)
        clip_id = service.ingest(source_clips[:1])[0].clip_id
        service.add_user("ana", "annotator", "correct horse")
    with sqlite3.connect(data_dir / "hub.db") as db:
        assert db.execute("SELECT version FROM schema_version").fetchone()[0] == 2
        db.execute("INSERT INTO devices VALUES (?, ?, 'K7QM-2XPD', 'seat', 'approved', 't', 't', NULL)",
                   ["d" * 32, b"\1" * 32])
        db.execute("INSERT INTO shifts (shift_id, user, device_id, project, public_key, status, size, created_at) "
                   "VALUES (?, 'ana', ?, 'security', ?, 'closed', 1, '2025-01-06T09:00:00.000Z')",
                   ["s" * 32, "d" * 32, b"\2" * 32])
        db.execute("INSERT INTO shift_clips VALUES (?, ?, 0)", ["s" * 32, clip_id])
        payload = {"decided_at": "2025-01-06T09:00:04.250Z"}
        db.execute("INSERT INTO labels (id, shift_id, clip_id, user, device_id, label, payload, received_at, kind, "
                   "reason) VALUES ('f1', ?, ?, 'ana', ?, 'sensitive', ?, '2025-01-06T09:01:00.000Z', 'flag', 'minor')",
                   ["s" * 32, clip_id, "d" * 32, json.dumps(payload)])

    home = HubHome.open(data_dir)
    db = home.connect()
    try:
        assert storage.schema_version(db) == storage.SCHEMA_VERSION
        assert {"signin_failures", "disposals", "audit_events"} <= set(db.table_names())
        assert "signin_throttle" not in db.table_names()
        queue = disposals.queue(db)
    finally:
        db.close()
    assert [(d.clip_id, d.status, d.flagged_by, d.reason, d.flagged_at) for d in queue] == [
        (clip_id, "pending", "ana", "minor", "2025-01-06T09:00:04.250Z")]


def test_label_payloads_an_older_hub_stored_with_infinity_become_valid_json(
        data_dir: Path, source_clips: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as old:
        old.setattr(storage, "SCHEMA_VERSION", 6)
        service = HubService(data_dir)
        clip_id = service.ingest(source_clips[:1])[0].clip_id
        service.add_user("ana", "annotator", "correct horse")
    payload = ('{"id": "f1", "kind": "flag", "timings": {"watched_s": Infinity, "replays": 0, "active_s": NaN}, '
               '"decided_at": "2025-01-06T09:00:04.250Z"}')
    with sqlite3.connect(data_dir / "hub.db") as db:
        db.execute("INSERT INTO devices VALUES (?, ?, 'K7QM-2XPD', 'seat', 'approved', 't', 't', NULL)",
                   ["d" * 32, b"\1" * 32])
        db.execute("INSERT INTO shifts (shift_id, user, device_id, project, public_key, status, size, created_at) "
                   "VALUES (?, 'ana', ?, 'security', ?, 'open', 1, '2025-01-06T09:00:00.000Z')",
                   ["s" * 32, "d" * 32, b"\2" * 32])
        db.execute("INSERT INTO labels (id, shift_id, clip_id, user, device_id, label, payload, received_at, kind, "
                   "reason) VALUES ('f1', ?, ?, 'ana', ?, 'sensitive', ?, '2025-01-06T09:01:00.000Z', 'flag', 'minor')",
                   ["s" * 32, clip_id, "d" * 32, payload])
        assert db.execute("SELECT json_valid(payload) FROM labels").fetchone() == (0,)

    db = HubHome.open(data_dir).connect()
    try:
        stored = db.execute("SELECT json_valid(payload), json_extract(payload, '$.timings') FROM labels").fetchone()
        disposals.flag_retracted(db, "f1")  # reads the clip's other flags' payloads with json_extract
    finally:
        db.close()
    assert stored[0] == 1 and json.loads(stored[1]) == {"watched_s": None, "replays": 0, "active_s": None}


def test_sessions_of_an_older_hub_get_ids_of_their_own(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as old:
        old.setattr(storage, "SCHEMA_VERSION", 8)
        HubService(data_dir).add_user("ana", "annotator", "correct horse")
    with sqlite3.connect(data_dir / "hub.db") as db:
        db.execute("INSERT INTO devices VALUES (?, ?, 'K7QM-2XPD', 'seat', 'approved', 't', 't', NULL)",
                   ["d" * 32, b"\1" * 32])
        for token in ("t1", "t2"):
            db.execute("INSERT INTO sessions (token_hash, user, device_id, created_at, expires_at) "
                       "VALUES (?, 'ana', ?, 't', 't')", [token, "d" * 32])
    HubHome.open(data_dir)
    with sqlite3.connect(data_dir / "hub.db") as db:
        ids = [row[0] for row in db.execute("SELECT session_id FROM sessions")]
        columns = {row[1] for row in db.execute("PRAGMA table_info(audit_events)")}
    assert len(set(ids)) == 2 and all(len(i) == 32 for i in ids)
    assert {"delivered_session", "delivered_device"} <= columns
