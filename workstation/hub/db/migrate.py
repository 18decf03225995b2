"""Alembic for the hub's database: PostgreSQL from nothing to the head, and the revisions after schema 15 for both.

What it owns:

- the Alembic configuration, built in code (no ``alembic.ini``): the scripts are the folder ``alembic/`` beside
  this module (``env.py`` and ``versions/``; the frozen app carries it as data: ``build_scripts/bundle.py``);
- :func:`upgrade_postgresql` / :func:`upgrade`: a database to the head — PostgreSQL from empty (the baseline
  ``0001_schema_15`` creates schema 15 from :mod:`.tables`' definition and records ``schema_version`` 15, the
  revisions after it take it on), an SQLite hub file once stamped;
- :func:`stamp`: an SQLite hub file that the historical chain (:mod:`workstation.hub.migrations`) brought to
  schema 15 is marked as being at a revision without running it, so the revisions after the baseline apply to
  both databases. Stamp such a file at :data:`BASELINE`, then :func:`upgrade` it (the default ``"head"`` fits only
  a database known to hold the head's schema: stamped there, the revisions after the baseline would be skipped);
- :func:`current_revision`: where a database stands (None: never touched by Alembic).

Transactions: each function works inside the connection's transaction when one is open — begun through
SQLAlchemy (``engine.begin()``) or at the driver (the hub's ``write_transaction``, whose driver runs in
autocommit) — and leaves the commit to its owner. With none open it begins one of its own and commits it, so an
upgrade is all or nothing on PostgreSQL (its DDL is transactional). Alembic itself never commits here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from workstation.hub.db import tables  # imported here, not in env.py: the frozen app's analysis sees it here

SCRIPTS = Path(__file__).resolve().parent / "alembic"
"""Alembic's script folder: ``env.py`` and ``versions/``."""

BASELINE = "0001_schema_15"
"""The first revision: schema 15, where the SQLite chain stops. An SQLite file at schema 15 stands here."""

_MIGRATION_LOCK_ID = 0x466C6F6F724D  # pg_advisory_xact_lock key: one migrating process at a time ("FloorM")


def config(connection: sa.Connection | None = None) -> Config:
    """Alembic's configuration for the hub, with ``connection`` for ``env.py`` to run on."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS).replace("%", "%%"))
    cfg.attributes["target_metadata"] = tables.metadata
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision the scripts know."""
    head = ScriptDirectory.from_config(config()).get_current_head()
    if head is None:
        raise RuntimeError(f"No Alembic revisions in {SCRIPTS / 'versions'}.")
    return head


def upgrade(connection: sa.Connection, revision: str = "head") -> None:
    """Bring the database to ``revision``: PostgreSQL from empty or from any revision; an SQLite hub file only once
    it stands at a revision (:func:`stamp` it at :data:`BASELINE` after the historical chain). On PostgreSQL one
    migrating process at a time (a transaction-scoped advisory lock)."""
    if connection.dialect.name != "postgresql" and current_revision(connection) is None:
        raise ValueError(f"This {connection.dialect.name} database stands at no Alembic revision: an SQLite hub file "
                         f"is made by the historical chain to schema 15 and then stamped at {BASELINE}.")
    with _transaction(connection):
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_ID})
        command.upgrade(config(connection), revision)


def upgrade_postgresql(connection: sa.Connection) -> None:
    """Bring a PostgreSQL database to the head revision (from empty: schema 15, then what follows)."""
    if connection.dialect.name != "postgresql":
        raise ValueError(f"upgrade_postgresql() got a {connection.dialect.name} connection: SQLite hub files are "
                         f"made by the historical chain, stamped at {BASELINE}, then upgraded with upgrade().")
    upgrade(connection)


def stamp(connection: sa.Connection, revision: str = "head") -> None:
    """Record ``revision`` as the database's own without running it (an SQLite file the chain made: :data:`BASELINE`)."""
    with _transaction(connection):
        command.stamp(config(connection), revision)


def current_revision(connection: sa.Connection) -> str | None:
    """The revision the database stands at; None when Alembic never touched it. The connection's transaction is
    left as it was found (a read of ours, when none was open, is not left open)."""
    idle = not connection.in_transaction() and not _driver_in_transaction(connection.connection.driver_connection)
    revision = MigrationContext.configure(connection).get_current_revision()
    if idle and connection.in_transaction():
        connection.rollback()
    return revision


@contextmanager
def _transaction(connection: sa.Connection) -> Iterator[None]:
    """The transaction the work runs in: the caller's when one is open, else one of ours, committed at the end.

    Alembic commits what it began itself, and through SQLAlchemy that is the driver's COMMIT — which would end a
    transaction the caller began at the driver. So SQLAlchemy is always in a transaction when Alembic starts: then
    Alembic takes it for the caller's and leaves it alone.
    """
    raw = connection.connection.driver_connection
    if _driver_autocommit(raw) and not _driver_in_transaction(raw):
        # an autocommit driver (the hub's engines) and nothing open at it: BEGIN … COMMIT of our own at the driver.
        # (SQLAlchemy may still count a transaction it autobegan, which never reached the server: ended first.)
        if connection.in_transaction():
            connection.rollback()
        _driver_execute(raw, "BEGIN")
        try:
            connection.execute(sa.text("SELECT 1"))
            yield
        except BaseException:
            _driver_execute(raw, "ROLLBACK")
            raise
        else:
            _driver_execute(raw, "COMMIT")
        finally:
            connection.rollback()  # SQLAlchemy's side of it; the driver is idle again, so nothing reaches the server
        return
    if connection.in_transaction():
        yield  # the caller's, begun through SQLAlchemy
        return
    if _driver_in_transaction(raw):
        connection.execute(sa.text("SELECT 1"))  # SQLAlchemy autobegins; the driver's transaction stays the caller's
        yield
        return
    with connection.begin():
        yield


def _driver_in_transaction(raw: Any) -> bool:
    info = getattr(raw, "info", None)  # psycopg 3
    if info is not None and hasattr(info, "transaction_status"):
        import psycopg

        return bool(info.transaction_status != psycopg.pq.TransactionStatus.IDLE)
    return bool(getattr(raw, "in_transaction", False))  # sqlite3


def _driver_autocommit(raw: Any) -> bool:
    autocommit = getattr(raw, "autocommit", None)  # psycopg 3; sqlite3 from Python 3.12
    if isinstance(autocommit, bool):
        return autocommit
    return getattr(raw, "isolation_level", "") is None  # sqlite3: no implicit transactions


def _driver_execute(raw: Any, statement: str) -> None:
    execute: Callable[[str], Any] = raw.execute  # psycopg and sqlite3 connections both execute directly
    execute(statement)
