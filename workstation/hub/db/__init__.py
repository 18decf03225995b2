"""The hub's database seam: one way in to SQLite (the default, embedded) or PostgreSQL (several hub processes).

What it owns:

- opening the hub's database from a URL (``FLOOR_HUB_DATABASE_URL`` / ``--database``) or, by default, the
  SQLite file in the hub's data folder — SQLAlchemy engines and their connection pools (:mod:`.core`);
- the one dialect of SQL the hub's modules write: the subset SQLite and PostgreSQL both speak, with ``?`` or
  ``:name`` placeholders; :class:`HubDB` hands each statement to the driver in its own parameter style;
- transactions: :func:`write_transaction` is one writer at a time per database — across processes too (SQLite's
  lock; on PostgreSQL a transaction-scoped advisory lock), so the modules' read-then-write checks stay sound;
- the schema of both: SQLite files run the historical chain to schema 15 (:mod:`workstation.hub.migrations`),
  PostgreSQL gets schema 15 from :mod:`.tables`; from there Alembic revisions (:mod:`.migrate`) take both on;
- what must differ per database, each in one place: erasing deleted key bytes at disposal (:func:`.core.HubDB.
  scrub`), the file-level checks of SQLite.

The seat's own store is not here: it stays on sqlite-utils (:mod:`workstation.labeling.store`).
"""

from workstation.hub.db.core import (
    DatabaseTarget,
    HubDatabase,
    HubDB,
    database_from_env,
    own_sqlite,
    write_transaction,
)

__all__ = ["DatabaseTarget", "HubDB", "HubDatabase", "database_from_env", "own_sqlite", "write_transaction"]
