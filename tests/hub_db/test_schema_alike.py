"""SQLite and PostgreSQL hold the same hub schema: what the SQLite chain (then Alembic) makes of a fresh hub file,
and what Alembic makes of an empty PostgreSQL database, reflected and compared table by table.

PostgreSQL's ``rowid`` columns (and their unique indexes) on clips, labels, shifts and devices are the one
difference on purpose: SQLite has that rowid implicitly. Primary key columns count as NOT NULL on both: SQLite
reports a TEXT primary key of a rowid table as nullable (it would take a NULL; the hub never writes one).
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from tests.pg_fixtures import pg_cluster, pg_database_url  # noqa: F401
from workstation.hub.db import migrate, tables
from workstation.hub.home import HubHome

ROWID_TABLES = {"clips", "labels", "shifts", "devices"}
"""The tables the hub's SQL orders by SQLite's implicit rowid: a declared identity column on PostgreSQL."""
IDENTITY_KEYS = {("disposals", "id"), ("handouts", "id"), ("hub_audit", "id")}
"""SQLite's ``INTEGER PRIMARY KEY`` columns that inserts leave out: identity columns on PostgreSQL."""
ALEMBIC_TABLE = "alembic_version"


# --------------------------------------------------------------------------- the two databases


@pytest.fixture
def pg_engine(pg_database_url: str) -> Iterator[sa.Engine]:  # noqa: F811
    engine = sa.create_engine(pg_database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def pg_upgraded(pg_engine: sa.Engine) -> sa.Engine:
    """A fresh PostgreSQL database brought to the head by :func:`migrate.upgrade_postgresql`."""
    with pg_engine.connect() as connection:
        migrate.upgrade_postgresql(connection)
    return pg_engine


@pytest.fixture
def sqlite_hub(tmp_path: Path) -> Iterator[sa.Engine]:
    """A fresh hub's SQLite file, as ``HubHome.open`` makes it, opened with SQLAlchemy."""
    home = HubHome.open(tmp_path / "hub")
    engine = sa.create_engine(f"sqlite:///{home.db_path}")
    try:
        yield engine
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- a database as lines of text


def _family(kind: Any) -> str:
    if isinstance(kind, sa.Integer):
        return "integer"
    if isinstance(kind, sa.Float):  # REAL, DOUBLE PRECISION
        return "float"
    if isinstance(kind, sa.String):  # TEXT, VARCHAR
        return "text"
    if isinstance(kind, sa.LargeBinary):  # BLOB, BYTEA
        return "binary"
    return f"other:{kind!r}"


def _default(text: Any) -> str | None:
    """A server default as both databases would agree on it: ``'unknown'::text`` → ``'unknown'``."""
    if text is None:
        return None
    value = re.sub(r"::[a-z ]+", "", str(text)).strip()
    while value.startswith("(") and value.endswith(")"):
        value = value[1:-1].strip()
    return value


def _where(clause: Any) -> str:
    """A partial index's WHERE clause, normalized: PostgreSQL's deparsed form (casts, ``= ANY (ARRAY[…])``,
    parentheses, quoted ``"user"``) and SQLite's text as written come out alike."""
    text = str(clause).lower()
    text = re.sub(r"::[a-z_]+( precision| varying)?(\[\])?", "", text)
    text = re.sub(r"=\s*any\s*\(\s*array\[(.*?)\]\s*\)", r"in (\1)", text)
    text = text.replace("(", " ").replace(")", " ").replace('"', "")
    return " ".join(text.split())


def _extra_on_postgresql(table: str, column: str) -> bool:
    return table in ROWID_TABLES and column == "rowid"


def describe(engine: sa.Engine, *, postgresql: bool) -> list[str]:
    """The schema as sorted lines: per table its columns in order, primary key, foreign keys and indexes."""
    inspector = sa.inspect(engine)
    lines: list[str] = []
    for table in sorted(set(inspector.get_table_names()) - {ALEMBIC_TABLE}):
        pk = inspector.get_pk_constraint(table)["constrained_columns"]
        lines.append(f"table {table}")
        for column in inspector.get_columns(table):
            name = column["name"]
            if postgresql and _extra_on_postgresql(table, name):
                continue
            null = "null" if column["nullable"] and name not in pk else "not null"
            default = _default(column.get("default"))
            lines.append(f"  column {name} {_family(column['type'])} {null}"
                         + (f" default {default}" if default is not None else ""))
        lines.append(f"  primary key ({', '.join(pk)})")
        for fk in sorted(inspector.get_foreign_keys(table), key=lambda f: f["constrained_columns"]):
            lines.append(f"  foreign key ({', '.join(fk['constrained_columns'])}) -> "
                         f"{fk['referred_table']} ({', '.join(fk['referred_columns'])})")
        for index in sorted(inspector.get_indexes(table), key=lambda i: str(i["name"])):
            columns = [str(c) for c in index["column_names"]]
            if postgresql and any(_extra_on_postgresql(table, c) for c in columns):
                continue
            options = index.get("dialect_options", {})
            where = options.get("postgresql_where" if postgresql else "sqlite_where")
            lines.append(f"  {'unique ' if index['unique'] else ''}index {index['name']} ({', '.join(columns)})"
                         + (f" where {_where(where)}" if where is not None else ""))
    return lines


def _diff(sqlite_lines: list[str], pg_lines: list[str]) -> str:
    return "\n".join(difflib.unified_diff(sqlite_lines, pg_lines, "SQLite (the chain, then Alembic)",
                                          "PostgreSQL (Alembic)", lineterm="", n=2))


def _partial_indexes(lines: list[str]) -> list[str]:
    return sorted(line.split()[1 if line.split()[0] == "index" else 2] for line in lines if " where " in line)


# --------------------------------------------------------------------------- (a) the two schemas are alike


def test_postgresql_and_sqlite_hold_the_same_schema(pg_upgraded: sa.Engine, sqlite_hub: sa.Engine) -> None:
    sqlite_lines = describe(sqlite_hub, postgresql=False)
    pg_lines = describe(pg_upgraded, postgresql=True)
    assert _partial_indexes(sqlite_lines) == _partial_indexes(pg_lines), _diff(sqlite_lines, pg_lines)
    assert sqlite_lines == pg_lines, "the hub's schema differs between the databases:\n" + _diff(sqlite_lines, pg_lines)


def test_the_comparison_sees_a_difference(pg_upgraded: sa.Engine, sqlite_hub: sa.Engine) -> None:
    """The comparison is not blind: a column, an index's WHERE and a NOT NULL changed on one side show up."""
    with sqlite_hub.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE taxonomies ADD COLUMN extra TEXT")
        connection.exec_driver_sql("DROP INDEX idx_clips_retain")
        connection.exec_driver_sql("CREATE INDEX idx_clips_retain ON clips (retain_until) WHERE status = 'gone'")
    with pg_upgraded.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE users ALTER COLUMN disabled_at SET NOT NULL")
    diff = _diff(describe(sqlite_hub, postgresql=False), describe(pg_upgraded, postgresql=True))
    assert "-  column extra text null" in diff
    assert "status = 'gone'" in diff and "status = 'active'" in diff
    assert "+  column disabled_at text not null" in diff


def test_postgresql_specifics(pg_upgraded: sa.Engine) -> None:
    """64-bit integers everywhere, identity keys where SQLite fills the rowid alias, and the four rowid columns."""
    inspector = sa.inspect(pg_upgraded)
    narrow = [f"{t}.{c['name']}" for t in inspector.get_table_names() if t != ALEMBIC_TABLE
              for c in inspector.get_columns(t)
              if isinstance(c["type"], sa.Integer) and not isinstance(c["type"], sa.BigInteger)]
    assert narrow == [], "32-bit INTEGER columns on PostgreSQL (use BIGINT): " + ", ".join(narrow)
    identities = {(t, c["name"]) for t in inspector.get_table_names()
                  for c in inspector.get_columns(t) if c.get("identity")}
    assert identities == IDENTITY_KEYS | {(t, "rowid") for t in ROWID_TABLES}
    for table in ROWID_TABLES:
        rowid = next(c for c in inspector.get_columns(table) if c["name"] == "rowid")
        assert rowid["nullable"] is False and isinstance(rowid["type"], sa.BigInteger)
        assert rowid["identity"]["always"] is False  # BY DEFAULT: a copy of an SQLite file may keep its rowids
        indexes = {i["name"]: i for i in inspector.get_indexes(table)}
        assert indexes[f"idx_{table}_rowid"]["unique"] and indexes[f"idx_{table}_rowid"]["column_names"] == ["rowid"]
    assert set(tables.ROWID_TABLES) == ROWID_TABLES


def test_sqlite_has_no_declared_rowid(sqlite_hub: sa.Engine) -> None:
    inspector = sa.inspect(sqlite_hub)
    for table in ROWID_TABLES:
        assert "rowid" not in [c["name"] for c in inspector.get_columns(table)], table


def test_tables_py_is_the_head(pg_engine: sa.Engine) -> None:
    """:mod:`workstation.hub.db.tables` and the revisions (the baseline written out from it, and those after it)
    still say the same: a new revision without its change in tables.py (or the other way round) fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with pg_engine.connect() as connection:
        migrate.upgrade(connection)
    with pg_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "compare_server_default": True})
        differences = [d for d in compare_metadata(context, tables.metadata)
                       if not (d[0] == "remove_table" and d[1].name == ALEMBIC_TABLE)]
    assert differences == []


# --------------------------------------------------------------------------- (b) revisions


def test_upgrade_records_the_head_and_a_second_upgrade_does_nothing(pg_upgraded: sa.Engine) -> None:
    head = migrate.head_revision()
    history = [r.revision for r in ScriptDirectory.from_config(migrate.config()).walk_revisions()]
    assert history[-1] == migrate.BASELINE == "0001_schema_15"  # the first revision of all
    with pg_upgraded.connect() as connection:
        assert migrate.current_revision(connection) == head
        version = connection.execute(sa.text("SELECT id, version, changed_at FROM schema_version")).all()
    assert len(version) == 1 and version[0][0] == 1 and version[0][1] >= 15
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", version[0][2])

    before = describe(pg_upgraded, postgresql=True)
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    sa.event.listen(pg_upgraded, "before_cursor_execute", record)
    try:
        with pg_upgraded.connect() as connection:
            migrate.upgrade_postgresql(connection)
            assert migrate.current_revision(connection) == head
    finally:
        sa.event.remove(pg_upgraded, "before_cursor_execute", record)
    writes = [s for s in statements if re.match(r"\s*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE)\b", s, re.IGNORECASE)]
    assert writes == []
    assert describe(pg_upgraded, postgresql=True) == before
    with pg_upgraded.connect() as connection:
        assert connection.execute(sa.text("SELECT id, version, changed_at FROM schema_version")).all() == version


def test_upgrade_inside_a_transaction_begun_at_the_driver_is_the_callers(pg_database_url: str) -> None:  # noqa: F811
    """As the hub calls it: an autocommit driver, BEGIN sent by the hub. Alembic must not COMMIT that transaction:
    rolled back by its owner, nothing of the upgrade is left."""
    engine = sa.create_engine(pg_database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None
            raw.execute("BEGIN")
            migrate.upgrade_postgresql(connection)
            assert migrate.current_revision(connection) == migrate.head_revision()
            assert raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE  # still open
            raw.execute("ROLLBACK")
            with engine.connect() as other:
                assert sa.inspect(other).get_table_names() == []
            migrate.upgrade_postgresql(connection)  # nothing open at the driver: a transaction of its own, committed
            assert raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        with engine.connect() as connection:
            assert migrate.current_revision(connection) == migrate.head_revision()
    finally:
        engine.dispose()


def test_upgrade_refuses_what_it_cannot_upgrade(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        with engine.connect() as connection:
            with pytest.raises(ValueError, match="upgrade_postgresql"):
                migrate.upgrade_postgresql(connection)
            with pytest.raises(ValueError, match="stamped"):
                migrate.upgrade(connection)  # an SQLite file that no chain made: the baseline is not for it
        assert sa.inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- (c) stamping an SQLite file


def test_stamp_marks_an_sqlite_hub_file(sqlite_hub: sa.Engine) -> None:
    path = sqlite_hub.url.database
    assert path is not None
    with sqlite3.connect(path) as plain:  # a file as the chain left it, before Alembic knew it
        plain.execute(f"DROP TABLE IF EXISTS {ALEMBIC_TABLE}")
    with sqlite_hub.connect() as connection:
        assert migrate.current_revision(connection) is None
        migrate.stamp(connection)
    with sqlite_hub.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()
        migrate.stamp(connection, migrate.BASELINE)
    with sqlite_hub.connect() as connection:
        assert migrate.current_revision(connection) == migrate.BASELINE
