"""Upgrades keep everything: a seat store and a hub database of every earlier schema, each written by the code of
its time (``scripts/make_schema_fixtures.py``, fixtures in ``tests/fixtures/schemas/``), opened by today's code.

For each fixture, on a copy: the schema is current afterwards; every table that existed keeps every row (same
keys, same values in every column it had), except what a migration documents it changes, which is checked
exactly; the audit chains verify with the real verification (the seat's ``LocalStore.verify_audit``, the hub's
``verify-audit`` command); and the upgraded store still works — the seat opens through ``Seat.open`` as the app
does and commits a decision with its audit event, the hub serves real HTTP: a seat signs in with its old device
key and password, sends what it had not sent before the upgrade (decisions and audit events), starts a shift and
sends a decision. A store from a newer schema is refused with one clear message and left as it was. And a new
``SCHEMA_VERSION`` without a fixture of the version before it fails here.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from workstation import audit
from workstation.hub import standing, storage, summaries
from workstation.hub.cli import main as hub_cli
from workstation.hub.config import HubConfig
from workstation.hub.errors import HubError
from workstation.hub.home import DB_NAME, MASTER_KEY_NAME, HubHome
from workstation.hub.schema import LabelItem
from workstation.hub.server import HubServer
from workstation.hub.service import HubService
from workstation.labeling import schema as seat_schema
from workstation.labeling.store import DamagedStore, LocalStore, StoreError
from workstation.policy import Policy
from workstation.session.seat import DAMAGED_DIR, STORE_NAME, Seat
from workstation.sync.client import HubClient, label_batch_body
from workstation.sync.errors import HubAuthError, HubClientError
from workstation.taxonomy import Taxonomy
from workstation.vault import sealing
from workstation.vault.keystore import MemoryKeyStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
MANIFEST: dict[str, Any] = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
CURRENT = {"seat": seat_schema.SCHEMA_VERSION, "hub": storage.SCHEMA_VERSION}
SEATS = sorted((n for n, f in MANIFEST["fixtures"].items() if f["store"] == "seat"),
               key=lambda n: MANIFEST["fixtures"][n]["version"])
HUBS = sorted((n for n, f in MANIFEST["fixtures"].items() if f["store"] == "hub"),
              key=lambda n: MANIFEST["fixtures"][n]["version"])
Snapshot = dict[str, dict[str, Any]]
Documented = Callable[[str, dict[str, Any]], dict[str, Any]]
"""What a migration documents it does to a row of a table that existed before: (table, old row) → expected row."""


def _unpack(name: str, dest: Path) -> Path:
    with gzip.open(FIXTURES / MANIFEST["fixtures"][name]["file"], "rb") as src, dest.open("wb") as out:
        shutil.copyfileobj(src, out)
    dest.chmod(0o600)
    return dest


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(path: Path) -> Snapshot:
    """Every table's columns and rows, each row under its primary key (rowid where there is none)."""
    conn = sqlite3.connect(path)
    try:
        out: Snapshot = {}
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
            columns = [r[1] for r in info]
            key = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]] or ["rowid"]
            names = ", ".join(f'"{c}"' for c in [*key, *columns])
            rows = conn.execute(f'SELECT {names} FROM "{table}"')
            out[table] = {"columns": columns,
                          "rows": {row[:len(key)]: dict(zip(columns, row[len(key):], strict=True)) for row in rows}}
        return out
    finally:
        conn.close()


def counts(snap: Snapshot) -> dict[str, int]:
    return {table: len(content["rows"]) for table, content in snap.items()}


def assert_kept(before: Snapshot, after: Snapshot, documented: Documented, *, dropped: frozenset[str] = frozenset(),
                moving: frozenset[str] = frozenset()) -> None:
    """Every table of ``before`` is in ``after`` with the same row keys, and each row keeps every value it had
    (as ``documented`` says it becomes); ``dropped``: tables a migration documents it drops; ``moving``: tables
    whose values are the store's own bookkeeping (only their row count is kept)."""
    assert set(after) >= set(before) - dropped
    for table in sorted(set(before) - dropped):
        old, new = before[table], after[table]
        assert set(old["columns"]) <= set(new["columns"]), f"{table} lost columns"
        assert sorted(new["rows"]) == sorted(old["rows"]), f"{table}: rows were added or lost"
        if table in moving:
            continue
        for key, row in old["rows"].items():
            kept = {column: new["rows"][key][column] for column in old["columns"]}
            assert kept == documented(table, row), f"{table} row {key} changed"
    for table in dropped:
        assert table not in after


# -- the seat store --------------------------------------------------------------------------------------------


def _seat_documented(version: int) -> Documented:
    def expected(table: str, row: dict[str, Any]) -> dict[str, Any]:
        if version < 2 and table == "outbox" and row["kind"] == "label":
            # schema 2: pending and sent label items take the new LabelItem shape (reason and retracts, null)
            payload = json.loads(row["payload"])
            assert {"reason", "retracts"}.isdisjoint(payload)
            return {**row, "payload": {**payload, "reason": None, "retracts": None}}
        return row
    return expected


def _parsed_payloads(snap: Snapshot) -> Snapshot:
    for row in snap.get("outbox", {"rows": {}})["rows"].values():
        row["payload"] = json.loads(row["payload"])
    return snap


@pytest.fixture(params=SEATS)
def old_seat(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[dict[str, Any], Path, Snapshot]]:
    """(manifest entry, the store file in a seat data folder, the file's content before today's code opened it)."""
    fixture = MANIFEST["fixtures"][request.param]
    folder = tmp_path / "ws"
    folder.mkdir(mode=0o700)
    path = _unpack(request.param, folder / STORE_NAME)
    before = snapshot(path)
    assert counts(before) == fixture["tables"], "the fixture is not what its generator counted"
    conn = sqlite3.connect(path)
    try:
        assert seat_schema.version_of(conn) == fixture["version"]
    finally:
        conn.close()
    yield fixture, path, before


def test_the_seat_store_upgrades_and_keeps_every_row(old_seat: tuple[dict[str, Any], Path, Snapshot]) -> None:
    fixture, path, before = old_seat
    version = fixture["version"]
    store = LocalStore(path)
    try:
        conn = sqlite3.connect(path)
        try:
            assert seat_schema.version_of(conn) == seat_schema.SCHEMA_VERSION
            assert seat_schema.problems(conn) == []
        finally:
            conn.close()
        # the audit chains hold: both devices' chains from v4 on, none before (the table is new)
        assert store.verify_audit() == ({device: None for device in fixture["devices"]} if version >= 4 else {})
        for user, shift_id in fixture["shifts"].items():
            shift = store.shift(shift_id)
            assert shift is not None and shift.username == user
            Taxonomy.from_dict(shift.taxonomy)  # today's app reads the taxonomy the shift was given
            labels = before["labels"]["rows"]
            assert [r.id for r in store.labels(shift_id)] == [k[0] for k, row in labels.items()
                                                              if row["shift_id"] == shift_id]
            assert all(r.kind == (labels[(r.id,)].get("kind") or "label") for r in store.labels(shift_id))
    finally:
        store.close()
    after = snapshot(path)
    if version < 2:
        after = _parsed_payloads(after)
    assert_kept(before, after, _seat_documented(version))
    assert counts(after) == {**{t: 0 for t in seat_schema.expected_columns()}, **fixture["tables"]}


def test_pending_decisions_of_an_old_seat_can_still_be_sent(old_seat: tuple[dict[str, Any], Path, Snapshot]) -> None:
    """What the seat had not sent goes out after the upgrade: today's egress guard and the hub's model take it."""
    _, path, before = old_seat
    waiting = [key[0] for key, row in before["outbox"]["rows"].items()
               if row["sent_at"] is None and row.get("rejected_at") is None]
    assert waiting, "every fixture has decisions waiting to be sent"
    store = LocalStore(path)
    try:
        items = store.pending_outbox(1000)
        assert sorted(item.id for item in items) == sorted(waiting)
        label_batch_body([item.payload for item in items])  # raises when an item is not exactly a LabelItem
        for item in items:
            LabelItem.model_validate(item.payload)
        assert store.pending_count(username="ben") == len(waiting)
    finally:
        store.close()


def test_an_upgraded_seat_opens_as_the_app_opens_it_and_still_decides(
        old_seat: tuple[dict[str, Any], Path, Snapshot]) -> None:
    fixture, path, before = old_seat
    policy = Policy(hub_url="http://127.0.0.1:9", key_store="memory", seat="seat-7")
    seat = Seat.open(policy, data_dir=path.parent, keystore=MemoryKeyStore())
    try:
        assert seat.damaged is None and seat.audit_breaks == {}
        shift_id = fixture["shifts"]["ben"]
        active = seat.store.active_shift()
        assert active is not None and active.shift_id == shift_id
        decided = {r.clip_id for r in seat.store.labels(shift_id)}
        clip = next(c.clip_id for c in seat.store.clips(shift_id) if c.clip_id not in decided)
        shown = datetime.now(UTC) - timedelta(seconds=6)
        record = seat.store.add_label(shift_id, clip, "person", shown_at=shown.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                                      timings={"watched_s": 1.0, "replays": 0, "active_s": 5.0})
        assert seat.store.labels(shift_id)[-1] == record
        assert record.id in {item.id for item in seat.store.pending_outbox(1000)}
        assert seat.store.verify_audit() == {device: None for device in seat.store.verify_audit()}
        assert seat.store.audit_events(active.device_id)[-1]["data"]["event_id"] == record.id
        assert len(seat.store.labels(shift_id)) == 1 + sum(
            1 for row in before["labels"]["rows"].values() if row["shift_id"] == shift_id)
    finally:
        seat.close()
    assert not (path.parent / DAMAGED_DIR).exists()


def test_a_seat_store_from_a_newer_app_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    folder.mkdir(mode=0o700)
    path = _unpack(SEATS[-1], folder / STORE_NAME)
    LocalStore(path).close()  # today's schema
    newer = seat_schema.SCHEMA_VERSION + 1
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE things_of_the_future (id TEXT PRIMARY KEY)")
        conn.execute(f"PRAGMA user_version = {newer}")
        conn.commit()
    finally:
        conn.close()
    digest, files = _sha256(path), sorted(p.name for p in folder.iterdir())

    with pytest.raises(StoreError) as refused:
        LocalStore(path)
    assert not isinstance(refused.value, DamagedStore)
    assert refused.value.full_text().count("\n") <= 1
    assert f"written by a newer version of the app (schema {newer})" in str(refused.value)
    assert _sha256(path) == digest and sorted(p.name for p in folder.iterdir()) == files

    policy = Policy(hub_url="http://127.0.0.1:9", key_store="memory", seat="seat-7")
    with pytest.raises(StoreError) as again:
        Seat.open(policy, data_dir=folder, keystore=MemoryKeyStore())
    assert str(again.value) == str(refused.value)  # not set aside as damaged: the newer app can still read it
    assert _sha256(path) == digest and sorted(p.name for p in folder.iterdir()) == files


# -- the hub ---------------------------------------------------------------------------------------------------

SMALL_SHIFTS = HubConfig(default_shift_size=3, max_shift_size=5)


def _hub_folder(name: str, folder: Path) -> Path:
    folder.mkdir(mode=0o700)
    _unpack(name, folder / DB_NAME)
    key = folder / MASTER_KEY_NAME
    key.write_bytes(bytes.fromhex(MANIFEST["fixtures"][name]["master_key"]))
    key.chmod(0o600)
    return folder


@pytest.fixture(params=HUBS)
def old_hub(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[dict[str, Any], Path, Snapshot]:
    """(manifest entry, the hub's data folder, hub.db's content before today's code opened it)."""
    fixture = MANIFEST["fixtures"][request.param]
    folder = _hub_folder(request.param, tmp_path / "hub")
    before = snapshot(folder / DB_NAME)
    assert counts(before) == fixture["tables"], "the fixture is not what its generator counted"
    assert [row["version"] for row in before["schema_version"]["rows"].values()] == [fixture["version"]]
    return fixture, folder, before


def _hub_documented(version: int) -> Documented:
    """What the hub's migrations from ``version`` on document they change in rows that existed: nothing so far
    (schema 7 rewrites label payloads that are not JSON; the fixtures hold none). A new step that changes or
    deletes existing rows says so here, exactly."""
    def expected(table: str, row: dict[str, Any]) -> dict[str, Any]:
        return row
    return expected


def _hub_dropped(version: int) -> frozenset[str]:
    """Tables the hub's migrations from ``version`` on drop: schema 6 drops the fixed-window sign-in counters."""
    return frozenset({"signin_throttle"} if version < 6 else ())


def _events_per_device(snap: Snapshot) -> dict[str, int]:
    per: dict[str, int] = {}
    for device_id, _seq in snap.get("audit_events", {"rows": {}})["rows"]:
        per[device_id] = per.get(device_id, 0) + 1
    return per


def _check_documented_changes(db: Any, before: Snapshot, version: int) -> None:
    """What each migration the file went through documents it adds, checked against the rows it had."""
    labels = before["labels"]["rows"]
    retracted = {row["retracts"]: key[0] for key, row in labels.items() if row.get("kind") == "retract"}
    if version < 4:  # flags that reached the hub become pending disposal requests, the first flag of a clip standing
        flagged = sorted({row["clip_id"] for key, row in labels.items()
                          if row.get("kind") == "flag" and key[0] not in retracted})
        assert db.execute("SELECT clip_id, status FROM disposals ORDER BY clip_id").fetchall() == [
            (clip_id, "pending") for clip_id in flagged]
    if version < 6:  # the old fixed-window counters are dropped
        assert db.execute("SELECT count(*) FROM signin_failures").fetchone()[0] == 0
    sessions = {key[0]: row for key, row in before["sessions"]["rows"].items()}
    ids = dict(db.execute("SELECT token_hash, session_id FROM sessions").fetchall())
    if version < 9:  # sessions get an id of their own
        assert sorted(ids) == sorted(sessions) and len(set(ids.values())) == len(ids)
        assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids.values())
    if version < 10:  # sessions kept become the first work periods
        periods = db.execute("SELECT period_id, user, device_id, started_at FROM work_periods").fetchall()
        assert sorted(periods) == sorted((ids[t], s["user"], s["device_id"], s["created_at"])
                                         for t, s in sessions.items())
    if version < 11:  # timings in columns, from the payload; retracted_by: the author's own retract
        stored = {r[0]: r[1:] for r in db.execute("SELECT id, decided_at, shown_at, watched_s, comment, retracted_by, "
                                                  "counted_at FROM labels")}
        for (label_id,), row in labels.items():
            payload = json.loads(row["payload"])
            by = retracted.get(label_id)
            if by is not None and labels[(by,)]["user"] != row["user"]:
                by = None
            assert stored[label_id][:5] == (payload["decided_at"], payload["shown_at"],
                                            payload["timings"]["watched_s"], payload["comment"], by)
            assert stored[label_id][5] is not None
    if version < 13:  # summaries computed from the labels held: exactly what a rebuild makes
        tables = ("annotator_stats", "annotator_labels")
        kept = {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}
        assert kept["annotator_labels"]
        db.raw.execute("BEGIN")
        try:
            summaries.rebuild(db)
            assert kept == {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}
        finally:
            db.raw.rollback()
    if version < 14:  # settled clips: exactly those a standing label or flag keeps out of the pool
        assert db.execute(f"SELECT count(*) FROM clips WHERE (settled_at IS NOT NULL) != ({standing.SETTLED})"
                          ).fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM clips WHERE settled_at IS NOT NULL").fetchone()[0] > 0


def test_the_hub_upgrades_and_keeps_every_row(old_hub: tuple[dict[str, Any], Path, Snapshot],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    fixture, folder, before = old_hub
    version = fixture["version"]
    service = HubService(folder)
    db = service.home.connect()
    try:
        assert storage.schema_version(db) == storage.SCHEMA_VERSION
        _check_documented_changes(db, before, version)
    finally:
        db.close()
    assert {u.name: (u.role, u.disabled_at is not None) for u in service.list_users()} == {
        name: (user["role"], user["disabled"]) for name, user in fixture["users"].items()}
    assert {d.device_id: d.status for d in service.list_devices()} == {
        seat["device_id"]: seat["status"] for seat in fixture["seats"].values()}
    reports = service.verify_audit()
    assert all(r.ok for r in reports), [r.line() for r in reports]
    assert {r.device_id: r.events for r in reports} == _events_per_device(before)
    assert bool(reports) == (version >= 5)

    after = snapshot(folder / DB_NAME)
    assert_kept(before, after, _hub_documented(version), dropped=_hub_dropped(version),
                moving=frozenset({"schema_version"}))
    capsys.readouterr()
    assert hub_cli(["verify-audit", "--data", str(folder), "--json"]) == 0
    assert [(r["device_id"], r["ok"], r["events"]) for r in json.loads(capsys.readouterr().out)] == [
        (r.device_id, True, r.events) for r in reports]


def _sign_in(base_url: str, fixture: dict[str, Any], seat: str, user: str) -> HubClient:
    client = HubClient(base_url)
    client.sign_in(user, fixture["users"][user]["password"], fixture["seats"][seat]["device_id"],
                   bytes.fromhex(fixture["seats"][seat]["private_key"]))
    return client


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def test_an_upgraded_hub_still_serves_seats_over_http(old_hub: tuple[dict[str, Any], Path, Snapshot]) -> None:
    fixture, folder, before = old_hub
    version = fixture["version"]
    unsent = fixture["unsent"]
    with HubServer(folder, config=SMALL_SHIFTS) as server:
        # seat 1: ana signs in with her old password and the seat's old device key, sends what waited
        ana = _sign_in(server.base_url, fixture, "seat-1", "ana")
        # the seat's own store took its waiting items to today's LabelItem shape when it was upgraded
        waiting = [{"reason": None, "retracts": None, **item} for item in unsent["seat-1"]["labels"]]
        assert ana.post_labels(waiting).accepted == [item["id"] for item in waiting]
        events = unsent["seat-1"].get("audit", [])
        db = server.service.home.connect()
        try:
            head = next(iter(db.execute("SELECT seq, id, at, kind, device_id, user, shift_id, clip_id, data, prev, "
                                        "hash FROM audit_events WHERE device_id = ? ORDER BY seq DESC LIMIT 1",
                                        [fixture["seats"]["seat-1"]["device_id"]]).fetchall()), None)
        finally:
            db.close()
        last = events[-1] if events else None
        if last is None and head is not None:
            last = dict(zip(("seq", "id", "at", "kind", "device_id", "user", "shift_id", "clip_id", "data", "prev",
                             "hash"), head, strict=True))
            last["data"] = json.loads(last["data"])
        more = audit.new_event(last, kind="sign_in", device_id=fixture["seats"]["seat-1"]["device_id"], user="ana")
        assert ana.post_audit([*events, more]).accepted == [e["id"] for e in (*events, more)]
        ana.sign_out()

        # seat 2: ben gets a new shift from the upgraded pool, its keys (unwrapped with the old master key), decides
        ben = _sign_in(server.base_url, fixture, "seat-2", "ben")
        shift = ben.start_shift(sealing.generate_shift_keypair()[1], size=2)
        assert shift.clips and set(ben.shift_keys(shift.shift_id)) == {c.clip_id for c in shift.clips}
        shown = datetime.now(UTC) - timedelta(seconds=8)
        item = {"id": "0b7e64f5-9a1c-4f07-9a56-55b1c43e7d10", "kind": "label", "shift_id": shift.shift_id,
                "clip_id": shift.clips[0].clip_id, "label": "person", "shown_at": _stamp(shown),
                "decided_at": _stamp(shown + timedelta(seconds=4)), "comment": None,
                "timings": {"watched_s": 1.0, "replays": 0, "active_s": 3.5}, "reason": None, "retracts": None}
        assert ben.post_labels([item]).accepted == [item["id"]]
        ben.sign_out()

        if version >= 5:  # who was disabled or revoked before the upgrade stays so
            with pytest.raises(HubAuthError):
                _sign_in(server.base_url, fixture, "seat-3", "dan")
            with pytest.raises(HubClientError):
                _sign_in(server.base_url, fixture, "seat-5", "cho")
        reports = server.service.verify_audit()
    assert all(r.ok for r in reports), [r.line() for r in reports]
    expected = _events_per_device(before)
    seat1 = fixture["seats"]["seat-1"]["device_id"]
    expected[seat1] = expected.get(seat1, 0) + len(events) + 1
    assert {r.device_id: r.events for r in reports} == expected
    after = snapshot(folder / DB_NAME)
    assert len(after["labels"]["rows"]) == len(before["labels"]["rows"]) + len(waiting) + 1


def test_a_hub_database_from_a_newer_hub_is_refused_and_left_as_it_is(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = _hub_folder(HUBS[-1], tmp_path / "hub")
    HubHome.open(folder)  # today's schema
    newer = storage.SCHEMA_VERSION + 1
    conn = sqlite3.connect(folder / DB_NAME)
    try:
        conn.execute("CREATE TABLE things_of_the_future (id TEXT PRIMARY KEY)")
        conn.execute("UPDATE schema_version SET version = ?", [newer])
        conn.commit()
    finally:
        conn.close()
    digest, files = _sha256(folder / DB_NAME), sorted(p.name for p in folder.iterdir())

    with pytest.raises(HubError) as refused:
        HubHome.open(folder)
    assert f"written by a newer hub (schema {newer}, this hub knows {storage.SCHEMA_VERSION})" in str(refused.value)
    assert _sha256(folder / DB_NAME) == digest and sorted(p.name for p in folder.iterdir()) == files

    capsys.readouterr()
    assert hub_cli(["verify-audit", "--data", str(folder)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.count("\n") == 1 and "Traceback" not in out.err
    assert out.err.startswith(f"error: The hub database was written by a newer hub (schema {newer}")
    assert _sha256(folder / DB_NAME) == digest and sorted(p.name for p in folder.iterdir()) == files


# -- the next schema step ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("store", ["seat", "hub"])
def test_every_earlier_schema_has_a_fixture(store: str) -> None:
    """A new SCHEMA_VERSION needs a fixture of the version before it, made by the code of that version."""
    have = {f["version"] for f in MANIFEST["fixtures"].values() if f["store"] == store}
    never = {int(v) for v in MANIFEST["never_released"][store]}
    missing = [v for v in range(1, CURRENT[store]) if v not in have | never]
    assert not missing, (
        f"The {store} schema is at version {CURRENT[store]}, but tests/fixtures/schemas holds no {store} of version "
        f"{', '.join(map(str, missing))}: add the commit that introduced it to RELEASES in "
        f"scripts/make_schema_fixtures.py and run `python scripts/make_schema_fixtures.py "
        f"{' '.join(f'{store}-v{v}' for v in missing)}` (or, if no commit ever wrote that version, say so in "
        "NEVER_RELEASED).")
    assert max(have) <= CURRENT[store]
    for name, fixture in MANIFEST["fixtures"].items():
        assert name == f"{fixture['store']}-v{fixture['version']}" and (FIXTURES / fixture["file"]).is_file()
