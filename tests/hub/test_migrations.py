"""A hub database of schema 2 (before accounts, disposals and audit intake) upgrades in place."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from tests.hub.helpers import hub_sql
from workstation.hub import disposals, storage
from workstation.hub.home import HubHome
from workstation.hub.service import HubService

pytestmark = pytest.mark.sqlite_only  # the SQLite file itself; PostgreSQL's own: tests/hub_db


def _clips_of_an_old_hub(service: HubService, paths: list[Path]) -> list[str]:
    """Clip rows with the first schema's columns, as an older hub wrote them (today's ingest also writes columns
    an older schema lacks); 1 s clips, as the test clips are. No ciphertext: these tests download nothing."""
    ids = [uuid.uuid4().hex for _ in paths]
    with hub_sql(service.home.root) as db:
        db.executemany("INSERT INTO clips (clip_id, fingerprint, project, status, ciphertext_size, ciphertext_sha256, "
                       "width, height, fps, frame_count, duration_s, codec, wrapped_key, created_at) VALUES "
                       "(?, ?, 'security', 'active', 1, ?, 320, 240, 15.0, 15, 1.0, 'h264', ?, ?)",
                       [(clip_id, f"fp-{clip_id}", "0" * 64, b"\0" * 60, storage.now_iso()) for clip_id in ids])
    return ids


def test_a_version_2_hub_upgrades_and_its_flags_enter_the_disposal_queue(
        data_dir: Path, source_clips: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as old:
        old.setattr(storage, "SCHEMA_VERSION", 2)
        service = HubService(data_dir)
        clip_id = _clips_of_an_old_hub(service, source_clips[:1])[0]
        service.add_user("ana", "annotator", "correct horse")
    with hub_sql(data_dir) as db:
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
        clip_id = _clips_of_an_old_hub(service, source_clips[:1])[0]
        service.add_user("ana", "annotator", "correct horse")
    payload = ('{"id": "f1", "kind": "flag", "timings": {"watched_s": Infinity, "replays": 0, "active_s": NaN}, '
               '"decided_at": "2025-01-06T09:00:04.250Z"}')
    with hub_sql(data_dir) as db:
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
    with hub_sql(data_dir) as db:
        db.execute("INSERT INTO devices VALUES (?, ?, 'K7QM-2XPD', 'seat', 'approved', 't', 't', NULL)",
                   ["d" * 32, b"\1" * 32])
        for token in ("t1", "t2"):
            db.execute("INSERT INTO sessions (token_hash, user, device_id, created_at, expires_at) "
                       "VALUES (?, 'ana', ?, 't', 't')", [token, "d" * 32])
    HubHome.open(data_dir)
    with hub_sql(data_dir) as db:
        ids = [row[0] for row in db.execute("SELECT session_id FROM sessions")]
        columns = {row[1] for row in db.execute("PRAGMA table_info(audit_events)")}
    assert len(set(ids)) == 2 and all(len(i) == 32 for i in ids)
    assert {"delivered_session", "delivered_device"} <= columns


def _payload(label_id: str, shown: str, decided: str, *, watched: float = 1.0, active: float = 4.0,
             comment: str | None = None, retracts: str | None = None, kind: str = "label") -> str:
    return json.dumps({"id": label_id, "kind": kind, "shown_at": shown, "decided_at": decided, "comment": comment,
                       "timings": {"watched_s": watched, "replays": 1, "active_s": active}, "retracts": retracts})


def test_a_version_9_hub_gets_work_periods_timing_columns_standing_flags_and_summaries(
        data_dir: Path, source_clips: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as old:
        old.setattr(storage, "SCHEMA_VERSION", 9)
        service = HubService(data_dir)
        first, second = _clips_of_an_old_hub(service, source_clips[:2])
        service.add_user("ana", "annotator", "correct horse")
        service.add_user("ben", "annotator", "correct horse")
    d, s1, s2 = "d" * 32, "a" * 32, "b" * 32
    with hub_sql(data_dir) as db:
        db.execute("INSERT INTO devices VALUES (?, ?, 'K7QM-2XPD', 'seat 7', 'approved', 't', 't', NULL)", [d, b"\1" * 32])
        db.executemany("INSERT INTO sessions (token_hash, session_id, user, device_id, created_at, expires_at, ended_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", [
                           ("t1", "p1" * 16, "ana", d, "2025-01-06T08:00:00.000Z", "2025-01-06T20:00:00.000Z",
                            "2025-01-06T12:00:00.000Z"),
                           ("t2", "p2" * 16, "ana", d, "2025-01-07T08:00:00.000Z", "2025-01-07T20:00:00.000Z", None),
                           ("t3", "p3" * 16, "ben", d, "2025-01-06T08:00:00.000Z", "2099-01-06T20:00:00.000Z", None)])
        for shift_id, user in ((s1, "ana"), (s2, "ben")):
            db.execute("INSERT INTO shifts (shift_id, user, device_id, project, public_key, status, size, created_at) "
                       "VALUES (?, ?, ?, 'security', ?, 'open', 2, '2025-01-06T08:05:00.000Z')",
                       [shift_id, user, d, b"\2" * 32])
            db.executemany("INSERT INTO shift_clips VALUES (?, ?, ?, NULL)", [(shift_id, first, 0), (shift_id, second, 1)])
        labels = [  # id, shift, clip, user, label, kind, retracts, payload
            ("l1", s1, first, "ana", "animal", "label", None,
             _payload("l1", "2025-01-06T09:00:00.000Z", "2025-01-06T09:00:05.000Z")),
            ("r1", s1, first, "ana", "retract", "retract", "l1",
             _payload("r1", "2025-01-06T09:00:06.000Z", "2025-01-06T09:00:06.000Z", kind="retract", retracts="l1")),
            ("l2", s1, first, "ana", "person", "label", None,
             _payload("l2", "2025-01-06T09:00:06.000Z", "2025-01-06T09:00:10.000Z", comment="dark")),
            ("l3", s1, second, "ana", "vehicle", "label", None,   # watched 9 s of a 1 s clip: implausible
             _payload("l3", "2025-01-07T09:00:00.000Z", "2025-01-07T09:00:10.000Z", watched=9.0)),
            ("l4", s2, first, "ben", "person", "label", None,
             _payload("l4", "2025-01-06T10:00:00.000Z", "2025-01-06T10:00:04.000Z")),
            ("r4", s2, first, "ben", "retract", "retract", "l2",  # ben "retracting" ana's label: never counted
             _payload("r4", "2025-01-06T10:00:05.000Z", "2025-01-06T10:00:05.000Z", kind="retract", retracts="l2")),
        ]
        db.executemany("INSERT INTO labels (id, shift_id, clip_id, user, device_id, label, payload, received_at, kind, "
                       "reason, retracts) VALUES (?, ?, ?, ?, ?, ?, ?, '2025-01-07T12:00:00.000Z', ?, NULL, ?)",
                       [(i, sh, c, u, d, lab, p, k, r) for i, sh, c, u, lab, k, r, p in labels])

    HubHome.open(data_dir)
    with hub_sql(data_dir) as db:
        periods = db.execute("SELECT period_id, user, started_at, ended_at, end_reason FROM work_periods "
                             "ORDER BY period_id").fetchall()
        stored = {row[0]: row[1:] for row in db.execute(
            "SELECT id, shown_at, decided_at, counted_at, watched_s, replays, active_s, elapsed_s, comment, "
            "implausible, retracted_by, period_id FROM labels")}
        shared = db.execute("SELECT clip_id FROM clips WHERE shared_at IS NOT NULL").fetchall()
        settled = {r[0] for r in db.execute("SELECT clip_id FROM clips WHERE settled_at IS NOT NULL")}
        day = db.execute("SELECT clips, implausible, timed, active_s FROM annotator_stats WHERE scope = 'day' "
                         "AND user = 'ana' ORDER BY key").fetchall()
        counts = db.execute("SELECT key, label, n FROM annotator_labels WHERE scope = 'day' AND user = 'ana' "
                            "ORDER BY key").fetchall()
        index = db.execute("SELECT sql FROM sqlite_master WHERE name = 'idx_labels_retracts'").fetchone()[0]
        assert db.execute("SELECT version FROM schema_version").fetchone()[0] == storage.SCHEMA_VERSION
    assert periods == [("p1" * 16, "ana", "2025-01-06T08:00:00.000Z", "2025-01-06T12:00:00.000Z", "ended"),
                       ("p2" * 16, "ana", "2025-01-07T08:00:00.000Z", "2025-01-07T20:00:00.000Z", "expired"),
                       ("p3" * 16, "ben", "2025-01-06T08:00:00.000Z", None, None)]
    assert stored["l2"] == ("2025-01-06T09:00:06.000Z", "2025-01-06T09:00:10.000Z", "2025-01-06T09:00:10.000Z", 1.0,
                            1, 4.0, 4.0, "dark", None, None, "p1" * 16)
    assert stored["l1"][9] == "r1" and stored["l4"][9] is None  # only the author's own retract takes back
    assert stored["l3"][8] == "watched_longer_than_clip" and stored["l3"][10] == "p2" * 16
    assert shared == [(first,)]  # ana's and ben's standing labels
    assert settled == {first, second}  # standing labels keep both out of the pool
    assert day == [(1, 0, 1, 4.0), (1, 1, 0, 0.0)]
    assert counts == [("2025-01-06", "person", 1), ("2025-01-07", "vehicle", 1)]
    assert "WHERE retracts IS NOT NULL" in index


def test_a_version_14_hub_gets_provenance_deadlines_and_device_contact(
        data_dir: Path, source_clips: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Schema 15: clips held before provenance was recorded are of source ``unknown``, name no consent, and may be
    kept until their ingest time + 90 days (so the first sweep erases older ones); a clip disposed of before has
    its erasure time from its disposal; devices have no version or contact yet."""
    with monkeypatch.context() as old:
        old.setattr(storage, "SCHEMA_VERSION", 14)
        service = HubService(data_dir)
        kept, disposed = _clips_of_an_old_hub(service, source_clips[:2])
    with hub_sql(data_dir) as db:
        db.execute("UPDATE clips SET created_at = '2025-01-06T09:00:04.250Z' WHERE clip_id = ?", [kept])
        db.execute("UPDATE clips SET status = 'disposed', wrapped_key = X'' WHERE clip_id = ?", [disposed])
        db.execute("INSERT INTO disposals (clip_id, status, flag_id, shift_id, flagged_by, flag, reason, flagged_at, "
                   "requested_at, decided_by, decided_at) VALUES (?, 'confirmed', 'f1', ?, 'ana', 'sensitive', "
                   "'minor', 't', 't', 'sue', '2025-02-01T10:00:00.000Z')", [disposed, "s" * 32])
        db.execute("INSERT INTO devices VALUES (?, ?, 'K7QM-2XPD', 'seat', 'approved', 't', 't', NULL)",
                   ["d" * 32, b"\1" * 32])

    service = HubService(data_dir)
    db = service.home.connect()
    try:
        assert storage.schema_version(db) == storage.SCHEMA_VERSION
        clips = db.execute("SELECT clip_id, source, consent_ref, consent_scope, captured_at, retain_until, erased_at "
                           "FROM clips ORDER BY clip_id = ? DESC", [kept]).fetchall()
        labels_columns = [r[1] for r in db.execute("PRAGMA table_info(labels)")]
        assert db.execute("SELECT count(*) FROM consent_withdrawals").fetchone()[0] == 0
    finally:
        db.close()
    assert clips == [(kept, "unknown", None, None, None, "2025-04-06T09:00:04.250Z", None),
                     (disposed, "unknown", None, None, None, clips[1][5], "2025-02-01T10:00:00.000Z")]
    assert "erased_at" in labels_columns
    [device] = service.list_devices()
    assert (device.app_version, device.last_seen_at) == (None, None)
    assert [d.clip_id for d in service.retention_due()] == [kept]  # ingested long ago: due at the first sweep
    report = service.consent_report()
    assert report["held"]["by_source"] == [{"source": "unknown", "scope": None, "clips": 1, "without_consent": 1}]
    assert report["due"]["overdue"] == 1
