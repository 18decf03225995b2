"""The seat store: one writer thread, damage found however it shows, owner-only files."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from workstation.labeling.store import SCHEMA_VERSION, DamagedStore, LocalStore, ShiftRecord, StoreError
from workstation.resources import default_taxonomy


def _shift(store: LocalStore, n: int = 3) -> ShiftRecord:
    record = ShiftRecord("a" * 32, "http://127.0.0.1:1", "ann", "dev", "2026-01-01T00:00:00Z", n, "active",
                         default_taxonomy())
    store.save_shift(record, [(f"{i:032x}", i, 100 + i, "0" * 64) for i in range(n)])
    return record


def test_every_write_runs_on_the_one_writer_thread(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite")
    try:
        shift = _shift(store)
        seen: set[int] = set()
        store.writer.on_write = lambda: seen.add(threading.get_ident())

        def work() -> None:
            for i in range(3):
                store.add_label(shift.shift_id, f"{i:032x}", "person", shown_at="2026-01-01T00:00:01Z")
            store.mark_sent([p.id for p in store.pending_outbox()])

        threads = [threading.Thread(target=work) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        work()  # and from this thread
        assert seen == {store.writer.thread_id}
        assert store.pending_count() == 0 and len(store.labels(shift.shift_id)) == 12
    finally:
        store.close()


def test_reading_connections_cannot_write(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite")
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.db.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
    finally:
        store.close()


def _store_with_rows(path: Path) -> None:
    store = LocalStore(path)
    shift = _shift(store, 40)
    for i in range(40):
        store.add_label(shift.shift_id, f"{i:032x}", "person", shown_at="2026-01-01T00:00:01Z",
                        comment="x" * 400)
    store.close()


def test_a_damaged_page_is_found_by_the_integrity_check(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    _store_with_rows(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    raw = bytearray(path.read_bytes())
    for n in range(pages // 2, pages):  # scribble over the second half of the file, page headers included
        raw[n * page: n * page + 24] = b"\xff" * 24
    path.write_bytes(bytes(raw))
    with pytest.raises(DamagedStore) as info:
        LocalStore(path)
    assert isinstance(info.value, StoreError)
    assert info.value.path == path


def test_garbage_file_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DamagedStore):
        LocalStore(path)
    assert path.read_bytes().startswith(b"this is not a database")  # never deleted here


def test_current_version_with_missing_tables_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    _store_with_rows(path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE outbox")
    conn.commit()
    conn.close()
    with pytest.raises(DamagedStore, match="outbox"):
        LocalStore(path)


def test_current_version_with_a_missing_column_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.commit()
    conn.close()
    with pytest.raises(DamagedStore):
        LocalStore(path)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_store_file_and_folder_are_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    old = folder / "s.sqlite"
    sqlite3.connect(old).close()
    old.chmod(0o644)
    store = LocalStore(old)
    try:
        store.set_meta("k", "v")
        assert store.tightened, "what was tightened is reported"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for name in ("s.sqlite", "s.sqlite-wal", "s.sqlite-shm"):
            if (folder / name).exists():
                assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name
    finally:
        store.close()
    fresh = LocalStore(tmp_path / "new" / "t.sqlite")
    try:
        fresh.set_meta("k", "v")
        assert fresh.tightened == []
        assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
        for path in (tmp_path / "new").iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    finally:
        fresh.close()


def test_a_store_from_a_newer_app_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    import hashlib
    import sqlite3

    from workstation.labeling.schema import SCHEMA_VERSION
    from workstation.labeling.store import LocalStore, StoreError

    path = tmp_path / "workstation.sqlite"
    with sqlite3.connect(path) as db:  # a newer app's file in rollback-journal mode (not WAL)
        db.execute("CREATE TABLE future (x)")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StoreError, match="newer version"):
        LocalStore(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # not even switched to WAL
    assert not path.with_name(path.name + "-wal").exists()
