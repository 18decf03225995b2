"""Which hub data folder a database belongs to: a check value of the folder's master key, kept in the database.

With PostgreSQL the tables and the folder (master key, blobs) live apart, and an admin can point a folder at the
wrong database (a test one, another site's). Every clip key in that database is wrapped by another master key,
so the hub would start and then fail at each shift. :func:`check` refuses such a pair at once, in one sentence.

The value is an HMAC of a fixed text under the master key: it tells keys apart and reveals nothing of the key.
Protects against: mix-ups of folder and database. Does not protect against: anyone who can write the database
(they can write this row too); it is not an integrity check of the data.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from workstation.hub.db import HubDB, write_transaction
from workstation.hub.errors import HubError
from workstation.hub.storage import now_iso

_TEXT = b"floor hub: this database belongs to this master key (v1)"


def key_check(master_key: bytes) -> str:
    return hmac.new(master_key, _TEXT, hashlib.sha256).hexdigest()


def check(db: HubDB, master_key: bytes, root: Path) -> None:
    """Record the master key's check value in a database that has none; refuse one that names another key."""
    if "hub_identity" not in db.table_names():
        return  # an older schema (tests make such hubs); the upgrade to 16 brings the table
    expected = key_check(master_key)
    stored = db.scalar("SELECT key_check FROM hub_identity WHERE id = 1")
    if stored is None:
        with write_transaction(db):
            db.execute("INSERT INTO hub_identity (id, key_check, created_at) VALUES (1, ?, ?) "
                       "ON CONFLICT (id) DO NOTHING", [expected, now_iso()])
            stored = db.scalar("SELECT key_check FROM hub_identity WHERE id = 1")
    if not hmac.compare_digest(str(stored), expected):
        raise HubError(f"The hub database belongs to another hub data folder: its clips' keys were made with "
                       f"another master key than {root / 'master.key'}.",
                       hint="Point --data at the folder this database was made with (the one holding its master.key "
                            "and blobs), or use a fresh database for this folder.")
