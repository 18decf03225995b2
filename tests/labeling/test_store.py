from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
import sqlite_utils

from workstation.labeling.store import SCHEMA_VERSION, DamagedStore, LocalStore, ShiftRecord, StoreError
from workstation.resources import default_taxonomy


def _shift(store: LocalStore, n: int = 3) -> ShiftRecord:
    record = ShiftRecord("a" * 32, "http://127.0.0.1:1", "ann", "dev", "2026-01-01T00:00:00Z", n, "active",
                         default_taxonomy())
    store.save_shift(record, [(f"{i:032x}", i, 100 + i, "0" * 64) for i in range(n)])
    return record


def test_schema_versioned_and_pragmas(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite")
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_label_and_outbox_written_together(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite")
    shift = _shift(store)
    record = store.add_label(shift.shift_id, f"{0:032x}", "person", shown_at="2026-01-01T00:00:01Z")
    pending = store.pending_outbox()
    assert [p.id for p in pending] == [record.id]
    assert pending[0].payload == record.wire()
    assert store.labels(shift.shift_id) == [record]
    # a fresh connection (another process after a crash) sees the committed rows
    other = sqlite3.connect(tmp_path / "s.sqlite")
    assert other.execute("SELECT count(*) FROM labels").fetchone()[0] == 1
    assert other.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite")
    def write(db: sqlite_utils.Database) -> None:
        db.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        store.write(write)
    assert store.get_meta("x") is None


def test_mark_sent_and_counts(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite")
    shift = _shift(store)
    ids = [store.add_label(shift.shift_id, f"{i:032x}", "vehicle", shown_at="t").id for i in range(3)]
    assert store.pending_count() == 3
    store.mark_sent(ids[:2])
    assert store.pending_count() == 1
    store.mark_sent(ids[:2])  # idempotent
    assert [p.id for p in store.pending_outbox()] == ids[2:]


def test_save_shift_keeps_cache_state_on_rekey(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite")
    shift = _shift(store)
    store.set_cached(shift.shift_id, f"{1:032x}", True)
    store.set_sealed_keys(shift.shift_id, {f"{1:032x}": b"sealed"})
    _shift(store)  # the same shift recorded again (re-key after restart)
    clip = store.clips(shift.shift_id)[1]
    assert clip.cached and clip.sealed_key == b"sealed"


def test_writes_from_two_threads(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite")
    shift = _shift(store)
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            for i in range(50):
                store.add_label(shift.shift_id, f"{i:032x}", "person", shown_at=str(k))
        except BaseException as exc:  # pragma: no cover - reported below  # noqa: BLE001 - handed on, not swallowed
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.pending_count() == 100


def test_corrupt_database_gives_clear_error_and_keeps_file(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DamagedStore) as info:
        LocalStore(path)
    assert "damaged" in str(info.value)
    assert "sets it aside" in info.value.hint
    assert path.read_bytes().startswith(b"this is not a database")


def test_newer_schema_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        LocalStore(path)


def test_insert_error_becomes_a_clear_store_error(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite")
    shift = _shift(store)
    record = store.add_label(shift.shift_id, f"{0:032x}", "person", shown_at="t")
    with pytest.raises(StoreError):
        store.write(lambda db: db.execute(
            "INSERT INTO labels (id, shift_id, clip_id, label, shown_at, decided_at, comment, timings, "
            "created_at) VALUES (?, 's', 'c', 'l', 't', 't', NULL, '{}', 't')", [record.id]))
    assert len(store.labels(shift.shift_id)) == 1
    store.add_label(shift.shift_id, f"{1:032x}", "person", shown_at="t")  # the store still works


def test_undo_events_and_resume_position(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite")
    shift = _shift(store)
    a, b = f"{0:032x}", f"{1:032x}"
    first = store.add_label(shift.shift_id, a, "person", shown_at="t", next_clip=b)
    assert store.position(shift.shift_id) == b
    store.add_label(shift.shift_id, a, "retract", shown_at="t", kind="retract", retracts=first.id, next_clip=a)
    assert store.decisions(shift.shift_id) == {}
    assert store.position(shift.shift_id) == a
    again = store.add_label(shift.shift_id, a, "vehicle", shown_at="t", next_clip=b)
    skip = store.add_label(shift.shift_id, b, "skip", shown_at="t", kind="skip", reason="unclear")
    assert store.decisions(shift.shift_id) == {a: again, b: skip}
    assert [p.payload["kind"] for p in store.pending_outbox()] == ["label", "retract", "label", "skip"]
