"""The hub's own audit trail of what supervisors, admins and IT did with the floor's data: exports of labels,
gold clips added and removed, consents withdrawn and clips erased (withdrawal, retention). One row per action: who (a user name, or ``cli:<account>`` at the hub's command
line), from which device, when, what, and a small JSON detail (a format and a row count — never content).

What it records: the action and its size. What it does not: what happened to an exported file afterwards;
anything done with direct access to hub.db (not through the hub).
"""

from __future__ import annotations

import getpass
import json
from typing import Any

from workstation.hub.db import HubDB
from workstation.hub.storage import now_iso

EXPORT, GOLD_ADD, GOLD_REMOVE = "export", "gold_add", "gold_remove"
CONSENT_WITHDRAWN, CLIP_ERASED, RETENTION_SWEEP = "consent_withdrawn", "clip_erased", "retention_sweep"
"""Erasure (:mod:`workstation.hub.erasure`): a withdrawal (the consent reference, how many clips and labels), each
clip erased (its id, the reason, how many labels), each sweep that erased something (how many)."""


def cli_actor() -> str:
    """Who acts at the hub's command line: the operating-system account."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no name for this uid (a container)
        name = "unknown"
    return f"cli:{name}"


def record(db: HubDB, *, actor: str, device_id: str | None, action: str, detail: dict[str, Any],
           clip_id: str | None = None, at: str | None = None) -> None:
    """One row (inside the caller's transaction, or on its own); ``at`` defaults to now."""
    db.execute("INSERT INTO hub_audit (at, actor, device_id, action, clip_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
               [at or now_iso(), actor, device_id, action, clip_id, json.dumps(detail, sort_keys=True)])


def entries(db: HubDB, action: str | None = None) -> list[dict[str, Any]]:
    """Every row (of one action), oldest first."""
    where, args = ("WHERE action = ?", [action]) if action else ("", [])
    rows = db.execute(f"SELECT at, actor, device_id, action, clip_id, detail FROM hub_audit {where} ORDER BY id",
                      args).fetchall()
    return [{"at": r[0], "actor": r[1], "device_id": r[2], "action": r[3], "clip_id": r[4],
             "detail": json.loads(r[5])} for r in rows]
