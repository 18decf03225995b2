"""The hub's data folder and everything set up in it on first use.

Layout::

    DIR/hub.db                          the SQLite database (WAL)
    DIR/master.key                      the hub master key (owner-only; refused when others can read it)
    DIR/blobs/<first 2 hex>/<clip_id>.fwc   clip containers (ciphertext only)

``serve`` and ``ingest`` alike call :meth:`HubHome.open`, so a fresh folder works with either.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from workstation.hub import storage, taxonomy
from workstation.hub.errors import HubError
from workstation.vault import masterkey

DB_NAME = "hub.db"
MASTER_KEY_NAME = "master.key"
BLOBS_NAME = "blobs"
BLOB_SUFFIX = ".fwc"


@dataclass(frozen=True)
class HubHome:
    root: Path
    master_key: bytes = field(repr=False)

    @classmethod
    def open(cls, root: str | Path) -> "HubHome":
        """Use ``root`` as the hub's data folder, setting it up when it is new."""
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
        key = masterkey.load_or_create_master_key(root / MASTER_KEY_NAME)
        home = cls(root, key)
        db = home.connect()
        try:
            storage.init_db(db)
            taxonomy.ensure_default(db)
        except sqlite3.DatabaseError as exc:
            raise HubError(f"The hub database {home.db_path} cannot be used: {exc}.",
                           hint="Restore hub.db from a backup, or point --data at another folder.") from None
        finally:
            db.close()
        return home

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    @property
    def blobs(self) -> Path:
        return self.root / BLOBS_NAME

    def connect(self) -> sqlite_utils.Database:
        try:
            return storage.connect(self.db_path)
        except (OSError, sqlite3.Error) as exc:
            raise HubError(f"The hub database {self.db_path} cannot be opened: {exc}.",
                           hint="Restore hub.db from a backup, or point --data at another folder.") from None

    def blob_path(self, clip_id: str) -> Path:
        return self.blobs / clip_id[:2] / f"{clip_id}{BLOB_SUFFIX}"

    def temp_blob_path(self, clip_id: str) -> Path:
        """Where a container is written before its atomic rename; inside blobs/, so the rename is local."""
        return self.blobs / f".{clip_id}.partial"

    def commit_blob(self, temp: Path, clip_id: str) -> Path:
        final = self.blob_path(clip_id)
        final.parent.mkdir(mode=0o700, exist_ok=True)
        os.replace(temp, final)
        return final
