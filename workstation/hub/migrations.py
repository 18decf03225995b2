"""Schema upgrades, one function per version: ``MIGRATIONS[n]`` takes a database at ``n - 1`` to ``n``.

Each runs inside the transaction :func:`workstation.hub.storage.init_db` opened. Version 1 is the
first schema, created whole by ``init_db``, so there is nothing to upgrade yet. Add the next one as::

    def _to_2(db: sqlite_utils.Database) -> None:
        db["clips"].add_column("disposed_at", str)

    MIGRATIONS[2] = _to_2
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {}
