"""Schema 15: the hub's tables as SQLite's historical chain (``storage._create_tables`` + ``hub/migrations.py``)
leaves them, created on an empty PostgreSQL database; the baseline every later revision builds on.

Written out here (once generated with Alembic's autogenerate from :mod:`workstation.hub.db.tables`, then tidied) so
this revision stays what it was when :mod:`~workstation.hub.db.tables` moves on. Beyond SQLite's schema, ``clips``,
``devices``, ``shifts`` and ``labels`` get ``rowid`` (an identity column with a unique index): SQLite's implicit
rowid, which the hub's SQL orders by. SQLite hub files are not upgraded by this revision: the chain made them, and
:func:`workstation.hub.db.migrate.stamp` marks them as standing here.

Revision ID: 0001_schema_15
Revises: (none)
Create Date: 2026-12-04
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001_schema_15"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

SCHEMA_VERSION = 15
"""What ``schema_version`` says after this revision: the SQLite chain's last version."""


def _where(clause: str) -> dict[str, Any]:
    """A partial index's WHERE clause, the same SQL on both databases."""
    return {"sqlite_where": sa.text(clause), "postgresql_where": sa.text(clause)}


def _now_iso() -> str:
    """UTC now as the hub writes times (``storage.now_iso``): ``2026-12-04T14:00:00.000Z``."""
    moment = datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def upgrade() -> None:
    op.create_table(
        "schema_version",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=True),
        sa.Column("changed_at", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="schema_version_pkey"),
    )

    op.create_table(
        "clips",
        sa.Column("clip_id", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("project", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("ciphertext_size", sa.BigInteger(), nullable=False),
        sa.Column("ciphertext_sha256", sa.Text(), nullable=False),
        sa.Column("width", sa.BigInteger(), nullable=True),
        sa.Column("height", sa.BigInteger(), nullable=True),
        sa.Column("fps", sa.Double(), nullable=True),
        sa.Column("frame_count", sa.BigInteger(), nullable=True),
        sa.Column("duration_s", sa.Double(), nullable=True),
        sa.Column("codec", sa.Text(), nullable=True),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("overlap_at", sa.Text(), nullable=True),
        sa.Column("shared_at", sa.Text(), nullable=True),
        sa.Column("settled_at", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), server_default=sa.text("'unknown'"), nullable=False),
        sa.Column("consent_ref", sa.Text(), nullable=True),
        sa.Column("consent_scope", sa.Text(), nullable=True),
        sa.Column("captured_at", sa.Text(), nullable=True),
        sa.Column("retain_until", sa.Text(), nullable=True),
        sa.Column("erased_at", sa.Text(), nullable=True),
        sa.Column("rowid", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.PrimaryKeyConstraint("clip_id", name="clips_pkey"),
    )
    op.create_index("idx_clips_fingerprint", "clips", ["fingerprint"], unique=True)
    op.create_index("idx_clips_status_created_at", "clips", ["status", "created_at"])
    op.create_index("idx_clips_second_wanted", "clips", ["project", "created_at"],
                    **_where("overlap_at IS NOT NULL AND shared_at IS NULL"))
    op.create_index("idx_clips_shared", "clips", ["shared_at"], **_where("shared_at IS NOT NULL"))
    op.create_index("idx_clips_pool", "clips", ["created_at"], **_where("status = 'active' AND settled_at IS NULL"))
    op.create_index("idx_clips_retain", "clips", ["retain_until"], **_where("status = 'active'"))
    op.create_index("idx_clips_consent", "clips", ["consent_ref"], **_where("consent_ref IS NOT NULL"))
    op.create_index("idx_clips_erased", "clips", ["erased_at"], **_where("erased_at IS NOT NULL"))
    op.create_index("idx_clips_rowid", "clips", ["rowid"], unique=True)

    op.create_table(
        "users",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("disabled_at", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name", name="users_pkey"),
    )

    op.create_table(
        "devices",
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("enrollment_code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("approved_at", sa.Text(), nullable=True),
        sa.Column("revoked_at", sa.Text(), nullable=True),
        sa.Column("app_version", sa.Text(), nullable=True),
        sa.Column("last_seen_at", sa.Text(), nullable=True),
        sa.Column("rowid", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.PrimaryKeyConstraint("device_id", name="devices_pkey"),
    )
    op.create_index("idx_devices_public_key", "devices", ["public_key"], unique=True)
    op.create_index("idx_devices_enrollment_code", "devices", ["enrollment_code"], unique=True)
    op.create_index("idx_devices_rowid", "devices", ["rowid"], unique=True)

    op.create_table(
        "challenges",
        sa.Column("nonce", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.device_id"], name="challenges_device_id_fkey"),
        sa.PrimaryKeyConstraint("nonce", name="challenges_pkey"),
    )

    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Text(), nullable=False),
        sa.Column("ended_at", sa.Text(), nullable=True),
        sa.Column("session_id", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["device_id"], ["devices.device_id"], name="sessions_device_id_fkey"),
        sa.ForeignKeyConstraint(["user"], ["users.name"], name="sessions_user_fkey"),
        sa.PrimaryKeyConstraint("token_hash", name="sessions_pkey"),
    )
    op.create_index("idx_sessions_device_id", "sessions", ["device_id"])
    op.create_index("idx_sessions_user", "sessions", ["user"])
    op.create_index("idx_sessions_session_id", "sessions", ["session_id"], unique=True)

    op.create_table(
        "shifts",
        sa.Column("shift_id", sa.Text(), nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("project", sa.Text(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("rekeyed_at", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.Text(), nullable=True),
        sa.Column("rowid", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.device_id"], name="shifts_device_id_fkey"),
        sa.ForeignKeyConstraint(["user"], ["users.name"], name="shifts_user_fkey"),
        sa.PrimaryKeyConstraint("shift_id", name="shifts_pkey"),
    )
    op.create_index("idx_shifts_one_open_per_user", "shifts", ["user"], unique=True, **_where("status = 'open'"))
    op.create_index("idx_shifts_created", "shifts", ["created_at"])
    op.create_index("idx_shifts_user", "shifts", ["user", "created_at"])
    op.create_index("idx_shifts_rowid", "shifts", ["rowid"], unique=True)

    op.create_table(
        "shift_clips",
        sa.Column("shift_id", sa.Text(), nullable=False),
        sa.Column("clip_id", sa.Text(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("withdrawn_at", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["clip_id"], ["clips.clip_id"], name="shift_clips_clip_id_fkey"),
        sa.ForeignKeyConstraint(["shift_id"], ["shifts.shift_id"], name="shift_clips_shift_id_fkey"),
        sa.PrimaryKeyConstraint("shift_id", "clip_id", name="shift_clips_pkey"),
    )
    op.create_index("idx_shift_clips_clip_id", "shift_clips", ["clip_id"])

    op.create_table(
        "labels",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("shift_id", sa.Text(), nullable=False),
        sa.Column("clip_id", sa.Text(), nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), server_default=sa.text("'label'"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("retracts", sa.Text(), nullable=True),
        sa.Column("shown_at", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.Text(), nullable=True),
        sa.Column("counted_at", sa.Text(), nullable=True),
        sa.Column("elapsed_s", sa.Double(), nullable=True),
        sa.Column("watched_s", sa.Double(), nullable=True),
        sa.Column("replays", sa.BigInteger(), nullable=True),
        sa.Column("active_s", sa.Double(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("implausible", sa.Text(), nullable=True),
        sa.Column("retracted_by", sa.Text(), nullable=True),
        sa.Column("period_id", sa.Text(), nullable=True),
        sa.Column("erased_at", sa.Text(), nullable=True),
        sa.Column("rowid", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.ForeignKeyConstraint(["clip_id"], ["clips.clip_id"], name="labels_clip_id_fkey"),
        sa.ForeignKeyConstraint(["shift_id"], ["shifts.shift_id"], name="labels_shift_id_fkey"),
        sa.PrimaryKeyConstraint("id", name="labels_pkey"),
    )
    op.create_index("idx_labels_clip_id", "labels", ["clip_id"])
    op.create_index("idx_labels_shift_id", "labels", ["shift_id"])
    op.create_index("idx_labels_retracts", "labels", ["retracts"], **_where("retracts IS NOT NULL"))
    op.create_index("idx_labels_user_counted", "labels", ["user", "counted_at"])
    op.create_index("idx_labels_counted", "labels", ["counted_at"])
    op.create_index("idx_labels_standing", "labels", ["clip_id", "user"],
                    **_where("kind IN ('label', 'skip', 'flag') AND retracted_by IS NULL"))
    op.create_index("idx_labels_rowid", "labels", ["rowid"], unique=True)

    op.create_table(
        "taxonomies",
        sa.Column("project", sa.Text(), nullable=False),
        sa.Column("taxonomy", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("project", name="taxonomies_pkey"),
    )

    op.create_table(
        "disposals",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), autoincrement=True, nullable=False),
        sa.Column("clip_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("flag_id", sa.Text(), nullable=False),
        sa.Column("shift_id", sa.Text(), nullable=False),
        sa.Column("flagged_by", sa.Text(), nullable=False),
        sa.Column("flag", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("flagged_at", sa.Text(), nullable=False),
        sa.Column("requested_at", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["clip_id"], ["clips.clip_id"], name="disposals_clip_id_fkey"),
        sa.PrimaryKeyConstraint("id", name="disposals_pkey"),
    )
    op.create_index("idx_disposals_one_pending", "disposals", ["clip_id"], unique=True, **_where("status = 'pending'"))
    op.create_index("idx_disposals_flag", "disposals", ["flag_id"], unique=True)
    op.create_index("idx_disposals_clip", "disposals", ["clip_id"])

    op.create_table(
        "audit_events",
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("shift_id", sa.Text(), nullable=True),
        sa.Column("clip_id", sa.Text(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("prev", sa.Text(), nullable=False),
        sa.Column("hash", sa.Text(), nullable=False),
        sa.Column("received_at", sa.Text(), nullable=False),
        sa.Column("delivered_session", sa.Text(), nullable=True),
        sa.Column("delivered_device", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["device_id"], ["devices.device_id"], name="audit_events_device_id_fkey"),
        sa.PrimaryKeyConstraint("device_id", "seq", name="audit_events_pkey"),
    )
    op.create_index("idx_audit_events_id", "audit_events", ["id"], unique=True)
    op.create_index("idx_audit_events_clip", "audit_events", ["clip_id", "at"], **_where("clip_id IS NOT NULL"))

    op.create_table(
        "signin_failures",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("user", sa.Text(), nullable=True),
        sa.Column("failures", sa.BigInteger(), nullable=False),
        sa.Column("last_failure", sa.Double(), nullable=False),
        sa.Column("locked_until", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="signin_failures_pkey"),
    )
    op.create_index("idx_signin_failures_last", "signin_failures", ["last_failure"])
    op.create_index("idx_signin_failures_user", "signin_failures", ["user"])

    op.create_table(
        "enroll_counts",
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("window_start", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("address", name="enroll_counts_pkey"),
    )

    op.create_table(
        "work_periods",
        sa.Column("period_id", sa.Text(), nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("started_at", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Text(), nullable=False),
        sa.Column("ended_at", sa.Text(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("period_id", name="work_periods_pkey"),
    )
    op.create_index("idx_work_periods_user", "work_periods", ["user", "started_at"])
    op.create_index("idx_work_periods_started", "work_periods", ["started_at"])
    op.create_index("idx_work_periods_open", "work_periods", ["expires_at"], **_where("ended_at IS NULL"))

    op.create_table(
        "handouts",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), autoincrement=True, nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("session_id", sa.Text(), nullable=False),
        sa.Column("shift_id", sa.Text(), nullable=False),
        sa.Column("clip_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="handouts_pkey"),
    )
    op.create_index("idx_handouts_clip", "handouts", ["clip_id", "at"])

    op.create_table(
        "hub_audit",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), autoincrement=True, nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("clip_id", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="hub_audit_pkey"),
    )
    op.create_index("idx_hub_audit_clip", "hub_audit", ["clip_id"], **_where("clip_id IS NOT NULL"))

    op.create_table(
        "gold",
        sa.Column("clip_id", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.Column("added_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["clip_id"], ["clips.clip_id"], name="gold_clip_id_fkey"),
        sa.PrimaryKeyConstraint("clip_id", name="gold_pkey"),
    )

    op.create_table(
        "annotator_stats",
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("clips", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("labels", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("skips", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("flags", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("implausible", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("timed", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("active_s", sa.Double(), server_default=sa.text("0"), nullable=False),
        sa.Column("watched_s", sa.Double(), server_default=sa.text("0"), nullable=False),
        sa.Column("watch_base_s", sa.Double(), server_default=sa.text("0"), nullable=False),
        sa.Column("fast", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("fast_base", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("gold_n", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("gold_correct", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        *[sa.Column(f"h{i:02d}", sa.BigInteger(), server_default=sa.text("0"), nullable=False)
          for i in range(79)],  # the histogram buckets h00 … h78
        sa.PrimaryKeyConstraint("scope", "key", "user", name="annotator_stats_pkey"),
    )
    op.create_index("idx_annotator_stats_user", "annotator_stats", ["scope", "user", "key"])

    op.create_table(
        "annotator_labels",
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", "user", "label", name="annotator_labels_pkey"),
    )

    op.create_table(
        "consent_withdrawals",
        sa.Column("consent_ref", sa.Text(), nullable=False),
        sa.Column("withdrawn_at", sa.Text(), nullable=False),
        sa.Column("withdrawn_by", sa.Text(), nullable=False),
        sa.Column("clips", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("consent_ref", name="consent_withdrawals_pkey"),
    )

    op.execute(sa.text("INSERT INTO schema_version (id, version, changed_at) VALUES (1, :version, :changed_at)")
               .bindparams(version=SCHEMA_VERSION, changed_at=_now_iso()))


def downgrade() -> None:
    raise NotImplementedError("A hub database is never downgraded: restore a backup made before the upgrade.")
