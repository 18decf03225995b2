"""Label batches from workstations: checked item by item, stored idempotently in one transaction.

Items carry client-made UUIDs; ``INSERT OR IGNORE`` by id makes a retried batch (after a lost
answer) change nothing, and the answer says which ids were new and which were already there.
A batch with any invalid item is refused whole, naming the item, so nothing half-lands.
Labels for a closed shift are still accepted: a workstation may sync after the shift ended.
"""

from __future__ import annotations

import json

import sqlite_utils

from workstation.hub import taxonomy
from workstation.hub.auth import Caller
from workstation.hub.errors import Invalid
from workstation.hub.schema import LabelItem
from workstation.hub.storage import now_iso, write_transaction


def _check(db: sqlite_utils.Database, caller: Caller, items: list[LabelItem]) -> None:
    shift_ids = sorted({item.shift_id for item in items})
    owners: dict[str, tuple[str, set[str], set[str]]] = {}
    for shift_id in shift_ids:
        row = db.execute("SELECT user, project FROM shifts WHERE shift_id = ?", [shift_id]).fetchone()
        if row is None or row[0] != caller.user:
            continue
        clip_ids = {r[0] for r in db.execute("SELECT clip_id FROM shift_clips WHERE shift_id = ?", [shift_id])}
        owners[shift_id] = (row[1], clip_ids, taxonomy.codes(taxonomy.get(db, row[1])))
    for index, item in enumerate(items):
        if item.shift_id not in owners:
            raise Invalid(f"Item {index} ({item.id}): shift {item.shift_id} is not one of your shifts.")
        project, clip_ids, codes = owners[item.shift_id]
        if item.clip_id not in clip_ids:
            raise Invalid(f"Item {index} ({item.id}): clip {item.clip_id} is not part of shift {item.shift_id}.")
        if item.label not in codes:
            raise Invalid(f"Item {index} ({item.id}): the label code {item.label!r} is not in the "
                          f"taxonomy of project {project!r}.")


def accept_batch(db: sqlite_utils.Database, caller: Caller, items: list[LabelItem]) -> tuple[list[str], list[str]]:
    """Store the items; returns (accepted ids, duplicate ids) in the order given."""
    accepted: list[str] = []
    duplicates: list[str] = []
    received_at = now_iso()
    with write_transaction(db):
        _check(db, caller, items)
        for item in items:
            cursor = db.execute(
                "INSERT OR IGNORE INTO labels (id, shift_id, clip_id, user, device_id, label, payload, received_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [item.id, item.shift_id, item.clip_id, caller.user, caller.device_id, item.label,
                 json.dumps(item.model_dump(mode="json")), received_at],
            )
            (accepted if cursor.rowcount == 1 else duplicates).append(item.id)
    return accepted, duplicates
