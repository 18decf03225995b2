"""Alembic's environment for the hub's database: runs the revisions on the connection it is handed.

There is no ``alembic.ini`` and no URL here: :mod:`workstation.hub.db.migrate` builds the configuration in code
and passes an open SQLAlchemy connection in ``config.attributes["connection"]`` (PostgreSQL, or an SQLite hub file
that the historical chain brought to schema 15 and that was stamped at ``0001_schema_15``). The work runs in that
connection's transaction; offline (``--sql``) mode is not supported.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise TypeError("The hub's migrations run on a connection passed in config.attributes['connection'] "
                        "(see workstation.hub.db.migrate).")
    context.configure(
        connection=connection,
        # what autogenerate compares a database with when a revision is written: workstation.hub.db.tables
        target_metadata=context.config.attributes.get("target_metadata"),
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters a table by copying it
        compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("The hub's migrations run online only, on a connection (no --sql scripts).")
run_migrations_online()
