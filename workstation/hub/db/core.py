"""Engines, borrowed connections and transactions over SQLite or PostgreSQL (see the package docstring).

SQLAlchemy makes the engines (URL parsing, drivers, pools; Alembic and reflection work from them); each
statement then goes straight to the driver's own connection — the stdlib ``sqlite3`` or psycopg 3 — so the
hub's queries pay no statement compilation, and its SQL reads the same on both databases: written once, with
``?`` or ``:name`` placeholders, rewritten here for psycopg (``%s``, ``%(name)s``) once per distinct text.

Both drivers run in autocommit at the driver; a transaction is the hub's own ``BEGIN`` … ``COMMIT``
(:func:`write_transaction`, :meth:`HubDB.read_snapshot`), so one statement outside them is its own transaction
on either database.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, Self

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool, QueuePool

from workstation.hub.errors import HubError

log = logging.getLogger(__name__)

ENV = "FLOOR_HUB_DATABASE_URL"
"""The hub's database when ``--database`` is not given: ``postgresql://user:password@host:port/name``."""

SQLITE, POSTGRESQL = "sqlite", "postgresql"

try:  # the PostgreSQL driver: not in the packaged app (its hub runs on SQLite), imported only when present
    import psycopg
except ImportError:  # pragma: no cover - the frozen app
    psycopg = None  # type: ignore[assignment]

INTEGRITY_ERRORS: tuple[type[Exception], ...] = (
    (sqlite3.IntegrityError,) + ((psycopg.IntegrityError,) if psycopg is not None else ()))
"""A unique or foreign key broken, from either driver."""
DATABASE_ERRORS: tuple[type[Exception], ...] = (
    (sqlite3.Error, sa.exc.SQLAlchemyError) + ((psycopg.Error,) if psycopg is not None else ()))
"""Anything a database or its driver raises."""

_SCRUB_WAIT_S = 30
_SCRUB_LOCK_TIMEOUT_S = 10
_WRITER_LOCK_ID = 0x466C6F6F72  # pg_advisory_xact_lock key of the hub's single writer ("Floor")

_URL_HINT = ("Give --database (or FLOOR_HUB_DATABASE_URL) as postgresql://USER:PASSWORD@HOST:PORT/DATABASE, "
             "or leave it out for the SQLite file in the hub's data folder.")


@dataclass(frozen=True)
class DatabaseTarget:
    """Where a hub's database lives: an SQLAlchemy URL (its password kept out of ``repr`` and messages)."""

    url: str

    @property
    def dialect(self) -> str:
        return str(make_url(self.url).get_backend_name())

    @property
    def sqlite_path(self) -> Path | None:
        parsed = make_url(self.url)
        return Path(parsed.database) if self.dialect == SQLITE and parsed.database else None

    def shown(self) -> str:
        """The URL as a message may show it: no password."""
        return make_url(self.url).render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"DatabaseTarget({self.shown()!r})"

    @classmethod
    def sqlite(cls, path: Path) -> DatabaseTarget:
        return cls(f"sqlite:///{Path(path)}")

    @classmethod
    def parse(cls, value: str) -> DatabaseTarget:
        """``value`` as given by an admin: one sentence when it is not a database this hub can use."""
        text = value.strip()
        try:
            url = make_url(text)
        except ArgumentError:
            raise HubError(f"The database address {_masked(text)!r} is not a database URL.", hint=_URL_HINT) from None
        backend = url.get_backend_name()
        if backend in ("postgresql", "postgres"):
            if url.drivername not in ("postgresql", "postgres", "postgresql+psycopg"):
                raise HubError(f"The database driver {url.drivername!r} is not one this hub ships.",
                               hint="Use postgresql:// (the hub talks to PostgreSQL through psycopg 3).")
            if not url.database:
                raise HubError(f"The database address {url.render_as_string(hide_password=True)!r} names no "
                               "database.", hint=_URL_HINT)
            if psycopg is None:
                raise HubError("This build of the hub has no PostgreSQL driver; its hub keeps its data in SQLite.",
                               hint="Run the hub on PostgreSQL from the Python package (pip install -r "
                                    "requirements.txt), as the README's 'Running the hub on PostgreSQL' says.")
            return cls(url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False))
        if backend == SQLITE:
            if not url.database or url.database == ":memory:":
                raise HubError("An SQLite hub database must be a file.", hint=_URL_HINT)
            return cls(url.set(drivername="sqlite").render_as_string(hide_password=False))
        raise HubError(f"The hub cannot keep its data in {backend!r}.",
                       hint="The hub runs on SQLite (the default) or PostgreSQL. " + _URL_HINT)


def _masked(text: str) -> str:
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", text)


def own_sqlite(folder: str | Path) -> str:
    """The URL of the SQLite file in the hub data folder ``folder``: for the hubs the app makes for itself (the demo,
    the benchmark), which must never follow ``FLOOR_HUB_DATABASE_URL`` to a floor's real database."""
    return DatabaseTarget.sqlite(Path(folder) / "hub.db").url


def database_from_env(explicit: str | None = None) -> DatabaseTarget | None:
    """``--database`` when given, else ``FLOOR_HUB_DATABASE_URL`` when set, else None (the SQLite default)."""
    value = explicit if explicit is not None else os.environ.get(ENV, "")
    return DatabaseTarget.parse(value) if value.strip() else None


# --------------------------------------------------------------------------- placeholders


_PLACEHOLDER = re.compile(
    r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|::|\?|(?<![\w:]):([A-Za-z_]\w*)|%|(?<![\w.:])(user)(?!\w)")


@functools.lru_cache(maxsize=4096)
def to_psycopg(sql: str) -> str:
    """The hub's SQL as psycopg takes it: ``?`` → ``%s``, ``:name`` → ``%(name)s`` and ``%`` → ``%%`` outside
    quoted strings and names (``::`` casts stay).

    And a bare ``user`` becomes ``"user"``: several tables have a column of that name, which SQLite reads as the
    column but PostgreSQL as its ``current_user`` (the hub's own database role: a silent wrong answer, not an
    error). The hub never means the role, so outside strings the word is always the column.
    """

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token[0] in "'\"":
            return token.replace("%", "%%")
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if match.group(1):
            return f"%({match.group(1)})s"
        if match.group(2):
            return '"user"'
        return token

    return _PLACEHOLDER.sub(swap, sql)


# --------------------------------------------------------------------------- connections


class Cursor(Protocol):
    """What a statement answers, on either driver."""

    rowcount: int

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def fetchmany(self, size: int = ...) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


Params = Sequence[Any] | Mapping[str, Any] | None

_WRITE_LOCKS: dict[str, threading.RLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock(key: str) -> threading.RLock:
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.RLock())


class HubDB:
    """One borrowed connection to the hub's database. Lend it to one thread at a time; :meth:`close` gives it back.

    ``execute``/``executemany`` take the hub's SQL (``?`` or ``:name``) and answer a driver cursor (``fetchone``,
    ``fetchall``, ``rowcount``, iteration; rows are tuples).
    """

    def __init__(self, connection: sa.Connection, target: DatabaseTarget, write_lock: threading.RLock) -> None:
        self._sa = connection
        self.target = target
        self.dialect = target.dialect
        self.write_lock = write_lock
        self._raw: Any = connection.connection.driver_connection
        self._secure_delete_set = False

    # -- statements

    def execute(self, sql: str, params: Params = None) -> Cursor:
        args = _args(params)
        if self.dialect == POSTGRESQL:
            return self._raw.execute(to_psycopg(sql), args)  # type: ignore[no-any-return]
        return self._raw.execute(sql, args)  # type: ignore[no-any-return]

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        rows = list(rows)
        if not rows:
            return
        if self.dialect == POSTGRESQL:
            with self._raw.cursor() as cursor:
                cursor.executemany(to_psycopg(sql), [_args(r) for r in rows])
            return
        self._raw.executemany(sql, [_args(r) for r in rows])

    def scalar(self, sql: str, params: Params = None) -> Any:
        row = self.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- transactions

    @property
    def in_transaction(self) -> bool:
        if self.dialect == POSTGRESQL:
            return bool(self._raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE)
        return bool(self._raw.in_transaction)

    def begin_write(self) -> None:
        """Open the write transaction, the database's one writer from here to COMMIT (see :func:`write_transaction`)."""
        if self.dialect == POSTGRESQL:  # READ COMMITTED whatever the server's default: each writer sees the last
            self._raw.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            self._raw.execute("SELECT pg_advisory_xact_lock(%s)", [_WRITER_LOCK_ID])
        else:
            self._raw.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self.dialect == POSTGRESQL and self._raw.info.transaction_status == psycopg.pq.TransactionStatus.INERROR:
            self._raw.execute("ROLLBACK")  # PostgreSQL would answer COMMIT with a silent ROLLBACK
            raise RuntimeError("a statement of this transaction failed and was caught: nothing of it was stored")
        if self.in_transaction:
            self._raw.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self._raw.execute("ROLLBACK")

    def begin_snapshot(self) -> None:
        """From here to :meth:`rollback`, reads see one state of the database (an export's count and its rows)."""
        self._raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" if self.dialect == POSTGRESQL
                          else "BEGIN")

    def stream(self, sql: str, params: Params = None, batch: int = 1000) -> Iterator[Any]:
        """The rows of a long answer, ``batch`` at a time (PostgreSQL: a server-side cursor — inside
        :meth:`begin_snapshot` — so a million rows are never in memory at once)."""
        if self.dialect == POSTGRESQL and self.in_transaction:
            with self._raw.cursor(name="hub_stream") as cursor:
                cursor.itersize = batch
                cursor.execute(to_psycopg(sql), _args(params))
                yield from cursor
            return
        cursor = self.execute(sql, params)
        while rows := cursor.fetchmany(batch):
            yield from rows

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Inside a transaction: a statement that may fail (a unique key) without spoiling the rest of it
        (PostgreSQL refuses every later statement of a transaction after an error; SQLite does not)."""
        self._raw.execute("SAVEPOINT hub_try")
        try:
            yield
        except BaseException:
            self._raw.execute("ROLLBACK TO SAVEPOINT hub_try")
            self._raw.execute("RELEASE SAVEPOINT hub_try")
            raise
        self._raw.execute("RELEASE SAVEPOINT hub_try")

    # -- disposal: deleted bytes really gone

    def prepare_scrub(self) -> None:
        """Before a transaction that destroys key material: on SQLite, ``secure_delete`` zeroes what it frees."""
        if self.dialect == SQLITE:
            self._raw.execute("PRAGMA secure_delete = ON")
            self._secure_delete_set = True

    def scrub(self, tables: Sequence[str] = ("clips",)) -> None:
        """After such a transaction committed: push the old bytes out of the database's files (best effort).

        SQLite: a WAL checkpoint, so the overwritten page leaves the -wal file. PostgreSQL: an UPDATE leaves the
        row's old version in the table file until VACUUM, and plain VACUUM only marks the space free, so the
        tables are rewritten (``VACUUM FULL``, a brief exclusive lock: the old files are deleted) and a
        CHECKPOINT lets the WAL segments holding the old pages be recycled. Backups and WAL archives are outside
        the hub's reach (THREAT_MODEL.md).
        """
        if self.in_transaction:
            raise RuntimeError("scrub() runs after the disposal's transaction committed")
        if self.dialect == SQLITE:
            self._raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        self._wait_for_older_snapshots()
        self._raw.execute(f"SET lock_timeout = '{_SCRUB_LOCK_TIMEOUT_S:d}s'")  # an export holding clips: fail, not freeze
        try:
            for table in tables:
                self._raw.execute(f'VACUUM (FULL) "{table}"')
        finally:
            self._raw.execute("RESET lock_timeout")
        with contextlib.suppress(psycopg.errors.InsufficientPrivilege):
            self._raw.execute("CHECKPOINT")

    def _wait_for_older_snapshots(self) -> None:
        """VACUUM FULL copies a row version any open snapshot may still see, key and all: wait (a bounded while) until
        the transactions that began before now — in this or another hub process, a pg_dump — have ended."""
        deadline = time.monotonic() + _SCRUB_WAIT_S
        while time.monotonic() < deadline:
            older = self.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                                "pid <> pg_backend_pid() AND backend_xmin IS NOT NULL AND xact_start < now()")
            if not older:
                return
            time.sleep(0.05)
        log.warning("a transaction older than the disposal is still open after %d s: the rewrite may keep the old "
                    "key's row until the next disposal", _SCRUB_WAIT_S)

    # -- the schema

    def table_names(self) -> list[str]:
        if self.dialect == POSTGRESQL:
            rows = self.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                "ORDER BY tablename").fetchall()
        else:
            rows = self.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
        return [str(r[0]) for r in rows]

    @property
    def sa_connection(self) -> sa.Connection:
        """The SQLAlchemy connection (Alembic, reflection); its transactions are this object's."""
        return self._sa

    @property
    def raw(self) -> Any:
        """The driver's own connection (``sqlite3.Connection`` or ``psycopg.Connection``): for what only one does."""
        return self._raw

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Give the connection back: no transaction left open, ``secure_delete`` as it was."""
        try:
            self.rollback()
            if self._secure_delete_set:
                self._raw.execute("PRAGMA secure_delete = OFF")
                self._secure_delete_set = False
        except DATABASE_ERRORS:
            self._sa.invalidate()
        finally:
            self._sa.close()


def _args(params: Params) -> Any:
    if params is None:
        return ()
    if isinstance(params, Mapping):
        return params
    return tuple(params)


@contextmanager
def write_transaction(db: HubDB) -> Iterator[HubDB]:
    """One transaction that is the database's only writer from its first statement (no read-then-upgrade deadlock,
    and every check it reads holds until COMMIT).

    Writers in this process first queue on a lock of their own and are woken the moment the writer before them is
    done (SQLite's busy wait polls, up to 100 ms a time, so the lock stood free while writers slept: the load
    benchmark). Across processes: SQLite's file lock (``BEGIN IMMEDIATE``); on PostgreSQL a transaction-scoped
    advisory lock taken first thing, so several hub processes write one at a time as one process does. Reads need
    no lock and run beside the writer on both.
    """
    with db.write_lock:
        try:
            db.begin_write()
            yield db
        except BaseException:
            db.rollback()
            raise
        db.commit()
    if db.dialect == POSTGRESQL:
        _analyze_now_and_then(db)


_WRITES: dict[str, int] = {}
_ANALYZE_AT = (50, 200)
_ANALYZE_EVERY = 1000


def _analyze_now_and_then(db: HubDB) -> None:
    """PostgreSQL plans by its statistics of each table, which autovacuum refreshes about once a minute at best; a
    fresh floor's tables grow from nothing to thousands of rows in less (an ingest, the first shifts), and a plan made
    for an 'empty' labels table walks it once per clip (the shift pool took a minute a shift). So this process also
    runs ANALYZE after its 50th and 200th write and every 1000th after that (sampled: tens of ms)."""
    key = db.target.url
    with _WRITES_GUARD:
        count = _WRITES[key] = _WRITES.get(key, 0) + 1
    if count in _ANALYZE_AT or count % _ANALYZE_EVERY == 0:
        try:
            db.execute("ANALYZE")
        except DATABASE_ERRORS:  # a role that may not: autovacuum still does it
            log.warning("ANALYZE after %d writes failed; the planner waits for autovacuum", count, exc_info=True)


_WRITES_GUARD = threading.Lock()


class HubDatabase:
    """A hub's database: its engine and the connections it lends (:meth:`connect`, :meth:`connection`).

    ``keep`` idle connections wait between uses (0: none, each :meth:`connect` opens one — for commands and
    tests, so nothing stays open behind them). SQLite gets ``foreign_keys``, a 30 s ``busy_timeout`` and
    ``synchronous = FULL`` on every connection.
    """

    def __init__(self, target: DatabaseTarget, *, keep: int = 0) -> None:
        self.target = target
        self.keep = keep
        self.limit: int | None = None
        """At most this many connections at once (PostgreSQL: its ``max_connections`` is shared by every hub
        process); None: no limit (SQLite's are file handles)."""
        overflow = -1
        if keep > 0 and target.dialect != SQLITE:
            overflow = keep
            self.limit = keep + overflow
        pool: dict[str, Any] = ({"poolclass": NullPool} if keep <= 0 else
                                {"poolclass": QueuePool, "pool_size": keep, "max_overflow": overflow,
                                 "pool_timeout": 60, "pool_reset_on_return": None})
        if target.dialect == SQLITE:
            self.engine = sa.create_engine(target.url, isolation_level="AUTOCOMMIT",
                                           connect_args={"timeout": 30.0, "check_same_thread": False}, **pool)
            sa.event.listen(self.engine, "connect", _sqlite_setup)
            lock_key = str(Path(target.sqlite_path or "").resolve())
        else:
            self.engine = sa.create_engine(target.url, isolation_level="AUTOCOMMIT",
                                           connect_args={"connect_timeout": 10}, **pool)
            sa.event.listen(self.engine, "connect", _postgresql_setup)
            lock_key = target.url
        self._lock = _write_lock(lock_key)

    @property
    def dialect(self) -> str:
        return self.target.dialect

    def connect(self) -> HubDB:
        return HubDB(self.engine.connect(), self.target, self._lock)

    @contextmanager
    def connection(self) -> Iterator[HubDB]:
        db = self.connect()
        try:
            yield db
        finally:
            db.close()

    def close(self) -> None:
        """Close the idle connections (new ones may still be lent)."""
        self.engine.dispose()


def _sqlite_setup(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA foreign_keys = ON")
    dbapi_connection.execute("PRAGMA busy_timeout = 30000")
    dbapi_connection.execute("PRAGMA synchronous = FULL")


def _load_number(data: Any) -> int | float:
    text = bytes(data).decode("ascii")
    if text in ("NaN", "Infinity", "-Infinity"):
        return float(text)
    return float(text) if "." in text or "e" in text.lower() else int(text)


def _postgresql_setup(dbapi_connection: Any, _record: Any) -> None:
    """PostgreSQL's ``numeric`` (what ``sum`` of an integer column answers) as Python int or float, as SQLite gives
    them: a ``Decimal`` would reach JSON answers and sums written for ints and floats."""

    class NumberLoader(psycopg.adapt.Loader):
        def load(self, data: Any) -> int | float:
            return _load_number(data)

    dbapi_connection.adapters.register_loader("numeric", NumberLoader)
