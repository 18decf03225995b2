"""Schema versioning, password hashes, the default taxonomy lookup."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hub.helpers import hub_sql
from workstation.hub import passwords, storage, taxonomy
from workstation.hub.errors import HubError
from workstation.hub.home import HubHome

pytestmark = pytest.mark.sqlite_only  # the SQLite file and its chain; on PostgreSQL: tests/hub_db


def test_fresh_folder_gets_layout_schema_and_default_taxonomy(data_dir: Path) -> None:
    home = HubHome.open(data_dir)
    assert (data_dir / "hub.db").is_file() and (data_dir / "blobs").is_dir() and (data_dir / "master.key").is_file()
    db = home.connect()
    try:
        assert storage.schema_version(db) == storage.SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert {"clips", "users", "devices", "challenges", "sessions", "shifts", "shift_clips", "labels",
                "taxonomies"} <= set(db.table_names())
        assert taxonomy.get(db, "security")["labels"][0]["code"] == "person"
    finally:
        db.close()
    assert HubHome.open(data_dir).master_key == home.master_key  # reopening changes nothing


def test_database_from_a_newer_hub_is_refused(data_dir: Path) -> None:
    HubHome.open(data_dir)
    with hub_sql(data_dir) as db:
        db.execute("UPDATE schema_version SET version = ?", [storage.SCHEMA_VERSION + 1])
    with pytest.raises(HubError, match="written by a newer hub"):
        HubHome.open(data_dir)


def test_migrations_run_in_order_from_an_older_version(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The historical SQLite chain runs in order up to 15; Alembic's revisions follow (schema 16 on)."""
    last = storage.LEGACY_VERSION
    with monkeypatch.context() as old:
        old.setattr(storage, "SCHEMA_VERSION", last - 2)
        HubHome.open(data_dir)
    ran: list[int] = []
    for version in (last - 1, last):
        real = storage.MIGRATIONS[version]
        monkeypatch.setitem(storage.MIGRATIONS, version, lambda db, v=version, real=real: (ran.append(v), real(db)))
    home = HubHome.open(data_dir)
    assert ran == [last - 1, last]
    db = home.connect()
    try:
        assert storage.schema_version(db) == storage.SCHEMA_VERSION
        assert "hub_identity" in db.table_names()
    finally:
        db.close()
    with hub_sql(data_dir) as db:
        assert db.execute("SELECT version FROM schema_version").fetchone()[0] == storage.SCHEMA_VERSION


def test_damaged_database_is_a_clear_error(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / "hub.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(HubError, match="hub.db cannot be .*not a database"):
        HubHome.open(data_dir)


def test_password_hash_format_and_checks() -> None:
    encoded = passwords.hash_password("correct horse")
    assert encoded.startswith("scrypt$n=131072,r=8,p=1$") and "correct" not in encoded
    assert passwords.verify_password("correct horse", encoded)
    assert not passwords.verify_password("correct horsf", encoded)
    assert encoded != passwords.hash_password("correct horse")  # salted
    assert not passwords.needs_rehash(encoded)
    assert passwords.needs_rehash(encoded.replace("n=131072", "n=16384"))
    assert not passwords.verify_password("x", "garbage")


def test_default_taxonomy_path_points_into_resources() -> None:
    path = taxonomy.default_taxonomy_path()
    assert path.is_file() and path.parent.parent.name == "resources"
