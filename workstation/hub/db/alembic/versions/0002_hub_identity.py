"""Schema 16: which data folder (master key) the database belongs to — :mod:`workstation.hub.identity`; and on
PostgreSQL no statistics of ``clips.wrapped_key``: ANALYZE keeps sample values of each column in ``pg_statistic``,
where a disposal's rewrite of ``clips`` would never reach a destroyed key.

The first revision both databases take through Alembic: SQLite files arrive here from the historical chain
(stamped at ``0001_schema_15``), PostgreSQL from the baseline.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_hub_identity"
down_revision = "0001_schema_15"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_identity",
        sa.Column("id", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("key_check", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="hub_identity_pkey"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE clips ALTER COLUMN wrapped_key SET STATISTICS 0")
    op.execute("UPDATE schema_version SET version = 16 WHERE id = 1")


def downgrade() -> None:
    raise NotImplementedError("A hub database is never downgraded: restore a backup made by the older hub.")
