"""Schema upgrades, one function per version: ``MIGRATIONS[n]`` takes a database at ``n - 1`` to ``n``.

Each runs inside the transaction :func:`workstation.hub.storage.init_db` opened. Version 1 is the
first schema, created whole by ``init_db``; a fresh file then runs every migration too, so there is
one path to the current schema.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _to_2(db: sqlite_utils.Database) -> None:
    """Label events gain a kind (label, skip, flag, retract), a reason, and the id a retract takes back."""
    db.execute("ALTER TABLE labels ADD COLUMN kind TEXT NOT NULL DEFAULT 'label'")
    db.execute("ALTER TABLE labels ADD COLUMN reason TEXT")
    db.execute("ALTER TABLE labels ADD COLUMN retracts TEXT")
    db.execute("CREATE INDEX idx_labels_retracts ON labels (retracts)")


MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {2: _to_2}
