"""Schema 17: each clip names the open shift that holds it (``clips.held_by``), and the pool of free clips has an
index of its own — a shift start read every clip held by the floor's open shifts before it found a free one
(about 60 ms at 200 open shifts of 150, one start at a time: the load benchmark's knee).

Kept by :mod:`workstation.hub.shifts` (set when a shift takes its clips, cleared when the shift closes) and
:mod:`workstation.hub.users` (a disabled user's shift closes). Gold clips are handed to many open shifts at once;
their ``held_by`` names one of them and means nothing (the pool never takes gold).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_clips_held_by"
down_revision = "0002_hub_identity"
branch_labels = None
depends_on = None

_FREE = "status = 'active' AND settled_at IS NULL AND held_by IS NULL"


def upgrade() -> None:
    op.add_column("clips", sa.Column("held_by", sa.Text(), nullable=True))
    op.execute("UPDATE clips SET held_by = (SELECT min(sc.shift_id) FROM shift_clips sc JOIN shifts s "
               "ON s.shift_id = sc.shift_id WHERE sc.clip_id = clips.clip_id AND s.status = 'open' "
               "AND sc.withdrawn_at IS NULL)")
    op.create_index("idx_clips_free", "clips", ["created_at"], sqlite_where=sa.text(_FREE),
                    postgresql_where=sa.text(_FREE))
    op.execute("UPDATE schema_version SET version = 17 WHERE id = 1")


def downgrade() -> None:
    raise NotImplementedError("A hub database is never downgraded: restore a backup made by the older hub.")
