"""The hub's data folder and everything set up in it on first use.

Layout::

    DIR/hub.db                          the SQLite database (WAL), unless the hub's database is PostgreSQL
    DIR/master.key                      the hub master key (owner-only; refused when others can read it)
    DIR/blobs/<first 2 hex>/<clip_id>.fwc   clip containers (ciphertext only)

``serve`` and ``ingest`` alike call :meth:`HubHome.open`, so a fresh folder works with either.

The database is the SQLite file above unless a URL is given (``--database`` or ``FLOOR_HUB_DATABASE_URL``): then
the folder keeps the master key and the blobs — a shared mount when several hub processes serve one PostgreSQL —
and the database remembers which master key it belongs to, so a folder and a database that do not belong
together are refused before a clip key fails to open.

File modes (POSIX): at every open the folder and every sub-folder become 0700 and every file in them
0600 when others (group or world) could read or write them, and :attr:`HubHome.tightened` lists what
was changed (the CLI says so in one line, ``serve`` logs it). Files the hub makes later are owner-only
from birth: hub.db is created 0600 before SQLite opens it (SQLite gives -wal and -shm the database's
mode) and blobs are created 0600. The master key file is checked first and refused when loose, not
tightened: a key others could read may already be copied.

What this protects against: other accounts on the hub host reading password hashes, labels, audit
events or ciphertext because an installer made the folder 0755. What it does not: root or the hub's
own account; copies and backups made elsewhere; a symlink inside the folder (never followed, its
target is left as it is); Windows, where the folder's ACL is the protection.
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from workstation.hub import identity, storage, taxonomy
from workstation.hub.db import DatabaseTarget, HubDatabase, HubDB, database_from_env
from workstation.hub.db.core import DATABASE_ERRORS, SQLITE
from workstation.hub.errors import HubError
from workstation.vault import masterkey

DB_NAME = "hub.db"
MASTER_KEY_NAME = "master.key"
BLOBS_NAME = "blobs"
BLOB_SUFFIX = ".fwc"
FOLDER_MODE, FILE_MODE = 0o700, 0o600

log = logging.getLogger(__name__)
_OPEN_ERRORS: tuple[type[Exception], ...] = (OSError, *DATABASE_ERRORS)


def _tighten_one(path: Path, mode: int, changed: list[Path]) -> None:
    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode) or not stat.S_IMODE(st.st_mode) & 0o077:
            return
        path.chmod(mode)
    except FileNotFoundError:  # gone meanwhile (a -wal file at checkpoint, a partial blob)
        return
    except OSError as exc:
        raise HubError(f"The hub data folder holds {path}, which other users can read and the hub cannot make "
                       f"private ({exc.strerror or exc}).",
                       hint=f"Make it owned by the hub's account, or run: chmod {mode:o} '{path}'.") from None
    changed.append(path)


def tighten(root: Path) -> list[Path]:
    """Make ``root`` and every folder under it 0700 and every file 0600 where others had any access.

    Returns the paths changed (POSIX only; elsewhere nothing is done). Symlinks are neither changed nor
    followed.
    """
    if os.name != "posix":
        return []
    changed: list[Path] = []
    _tighten_one(root, FOLDER_MODE, changed)
    for folder, folders, files in os.walk(root):
        here = Path(folder)
        for name in sorted(folders):
            _tighten_one(here / name, FOLDER_MODE, changed)
        for name in sorted(files):
            _tighten_one(here / name, FILE_MODE, changed)
    return changed


def tightened_notice(root: Path, paths: tuple[Path, ...] | list[Path]) -> str | None:
    """One line saying what :func:`tighten` changed, or None when nothing."""
    if not paths:
        return None
    folders = sum(1 for p in paths if p.is_dir() and not p.is_symlink())
    files = len(paths) - folders
    parts = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in ((folders, "folder"), (files, "file")) if n]
    return f"Tightened permissions on {' and '.join(parts)} in {root} (others could read them)."


def create_private(path: Path) -> BinaryIO:
    """A new file, opened for binary writing, owner-only (0600) from birth; fails when it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
    return os.fdopen(fd, "wb")


@dataclass(frozen=True)
class HubHome:
    root: Path
    master_key: bytes = field(repr=False)
    tightened: tuple[Path, ...] = field(default=(), compare=False)
    """What this open made private (folders 0700, files 0600): others could read them before."""
    database: HubDatabase = field(default=None, compare=False, repr=False)  # type: ignore[assignment]
    """Where the hub's tables live; each :meth:`connect` opens one connection to it."""

    @classmethod
    def open(cls, root: str | Path, database: str | DatabaseTarget | None = None) -> HubHome:
        """Use ``root`` as the hub's data folder, setting it up when it is new.

        ``database``: a URL (or target) for the hub's tables; None: ``FLOOR_HUB_DATABASE_URL`` when set, else the
        SQLite file ``root/hub.db``."""
        root = Path(root).expanduser().resolve()
        if root.exists() and not root.is_dir():
            raise HubError(f"The hub data path {root} is a file, not a folder.",
                           hint="Pass --data a folder (it is created when missing).")
        try:
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
            (root / BLOBS_NAME).mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise HubError(f"The hub data folder {root} cannot be created: {exc.strerror or exc}.",
                           hint="Pick a folder the hub's account may write.") from None
        target = (database if isinstance(database, DatabaseTarget) else database_from_env(database)
                  ) or DatabaseTarget.sqlite(root / DB_NAME)
        key = masterkey.load_or_create_master_key(root / MASTER_KEY_NAME)  # a loose key is refused, not fixed
        home = cls(root, key, tuple(tighten(root)), HubDatabase(target))
        if home.tightened:
            log.warning("%s", tightened_notice(root, home.tightened))
        if target.dialect == SQLITE:
            home._create_db_file()
        db = home.connect()
        try:
            storage.init_db(db)
            identity.check(db, key, root)
            taxonomy.ensure_default(db)
        except DATABASE_ERRORS as exc:
            raise HubError(f"The hub database {home.where} cannot be used: {_first_line(exc)}.",
                           hint=home._restore_hint()) from None
        finally:
            db.close()
        return home

    @property
    def where(self) -> str:
        """The database as a message names it (a PostgreSQL URL without its password)."""
        path = self.database.target.sqlite_path
        return str(path) if path is not None else self.database.target.shown()

    def _restore_hint(self) -> str:
        if self.database.dialect == SQLITE:
            return "Restore hub.db from a backup, or point --data at another folder."
        return "Check that the PostgreSQL server is up and the URL's user may use the database, or restore a backup."

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    def _create_db_file(self) -> None:
        """An empty hub.db, 0600, when there is none: SQLite makes -wal and -shm with the database's mode."""
        if os.name != "posix":
            return
        try:
            create_private(self.db_path).close()
        except FileExistsError:
            pass
        except OSError as exc:
            raise HubError(f"The hub database {self.db_path} cannot be created: {exc.strerror or exc}.",
                           hint="Pick a folder the hub's account may write.") from None

    @property
    def blobs(self) -> Path:
        return self.root / BLOBS_NAME

    def connect(self) -> HubDB:
        try:
            return self.database.connect()
        except _OPEN_ERRORS as exc:
            raise HubError(f"The hub database {self.where} cannot be opened: {_first_line(exc)}.",
                           hint=self._restore_hint()) from None

    def blob_path(self, clip_id: str) -> Path:
        return self.blobs / clip_id[:2] / f"{clip_id}{BLOB_SUFFIX}"

    def create_temp_blob(self, clip_id: str) -> BinaryIO:
        """:meth:`temp_blob_path`, created owner-only (0600) for writing; fails when it exists."""
        return create_private(self.temp_blob_path(clip_id))

    def temp_blob_path(self, clip_id: str) -> Path:
        """Where a container is written before its atomic rename; inside blobs/, so the rename is local."""
        return self.blobs / f".{clip_id}.partial"

    def commit_blob(self, temp: Path, clip_id: str) -> Path:
        final = self.blob_path(clip_id)
        final.parent.mkdir(mode=0o700, exist_ok=True)
        os.replace(temp, final)
        return final


def _first_line(exc: BaseException) -> str:
    """A driver's message without SQLAlchemy's appended SQL and links."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0].rstrip(".") if text else type(exc).__name__
