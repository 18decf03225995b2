"""The hub's data folder is the owner's only: tightened at every start, and files are born owner-only.

An installer typically makes ``--data`` 0755, and an older hub (or a copy) leaves 0644 files in it: hub.db
(password hashes, labels, audit), its -wal/-shm and the blobs were then world-readable.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from workstation.hub import cli
from workstation.hub.home import HubHome
from workstation.hub.service import HubService

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX"),
              pytest.mark.sqlite_only]  # hub.db's own modes; PostgreSQL keeps its files itself


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, whatever the test runner has: new files would be 0644 unless the hub says otherwise."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _loosen(root: Path) -> list[Path]:
    """Make the folder look as an installer and an older hub leave it; returns the loose files."""
    root.chmod(0o755)
    (root / "blobs").chmod(0o755)
    sub = root / "blobs" / "ab"
    sub.mkdir(exist_ok=True)
    sub.chmod(0o755)
    blob = sub / f"{'ab' * 16}.fwc"
    blob.write_bytes(b"ciphertext")
    files = [root / "hub.db", blob]
    for path in files:
        path.chmod(0o644)
    return files


@pytest.fixture
def open_db(data_dir: Path) -> Iterator[sqlite3.Connection]:
    """A connection held open over the test, so hub.db-wal and hub.db-shm exist (with hub.db's mode)."""
    HubHome.open(data_dir)
    db = sqlite3.connect(data_dir / "hub.db")
    try:
        yield db
    finally:
        db.close()


def _open_wal(db: sqlite3.Connection) -> None:
    db.execute("UPDATE schema_version SET changed_at = changed_at")
    db.commit()


def test_an_open_tightens_a_loose_folder_and_says_what(data_dir: Path, umask_022: None,
                                                       open_db: sqlite3.Connection) -> None:
    loose_files = _loosen(data_dir)
    _open_wal(open_db)  # -wal and -shm now exist, 0644 like hub.db
    loose_files += [data_dir / "hub.db-wal", data_dir / "hub.db-shm"]
    assert all(_mode(p) == 0o644 for p in loose_files)
    outside = data_dir.parent / "outside.txt"
    outside.write_text("not the hub's")
    outside.chmod(0o644)
    (data_dir / "link").symlink_to(outside)  # a link is not followed out of the folder

    home = HubHome.open(data_dir)
    folders = [data_dir, data_dir / "blobs", data_dir / "blobs" / "ab"]
    assert sorted(home.tightened) == sorted(folders + loose_files)
    assert all(_mode(p) == 0o700 for p in folders)
    assert all(_mode(p) == 0o600 for p in loose_files)
    assert _mode(data_dir / "master.key") == 0o600
    assert _mode(outside) == 0o644
    assert HubHome.open(data_dir).tightened == ()  # nothing more to do


def test_the_cli_says_in_one_line_what_it_tightened(data_dir: Path, umask_022: None,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    HubHome.open(data_dir)
    _loosen(data_dir)
    assert cli.main(["user", "list", "--data", str(data_dir)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"Tightened permissions on 3 folders and 2 files in {data_dir.resolve()} "
                   "(others could read them).\n")
    assert cli.main(["user", "list", "--data", str(data_dir)]) == 0
    assert capsys.readouterr().err == ""


def test_files_the_hub_makes_are_owner_only_from_birth(data_dir: Path, source_clips: list[Path],
                                                       umask_022: None) -> None:
    service = HubService(data_dir)
    assert service.home.tightened == ()
    service.ingest(source_clips[:1])
    db = service.home.connect()  # while a connection is open, the -wal and -shm files exist
    try:
        db.execute("SELECT count(*) FROM clips").fetchone()
        made = [p for p in data_dir.rglob("*")]
        assert {p.name for p in made} >= {"hub.db", "hub.db-wal", "hub.db-shm", "master.key", "blobs"}
        assert any(p.suffix == ".fwc" for p in made)
        for path in [data_dir, *made]:
            assert _mode(path) == (0o700 if path.is_dir() else 0o600), path
    finally:
        db.close()
