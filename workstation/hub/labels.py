"""Label batches from workstations: checked item by item, stored idempotently in one transaction.

Items carry client-made UUIDs; ``INSERT OR IGNORE`` by id makes a retried batch (after a lost
answer) change nothing, and the answer says which ids were new and which were already there.
A batch with any invalid item is refused whole, naming the item, so nothing half-lands.
Labels for a closed shift are still accepted: a workstation may sync after the shift ended.

Items are events: ``label`` (a code of the taxonomy), ``skip`` (with a skip reason), ``flag`` (a flag
code with a flag reason: a disposal request) and ``retract`` (undo: takes back an earlier item of the
same clip by id). Nothing is ever updated in place, so the trail of decisions stays whole.

A new flag asks for the clip's disposal (:mod:`workstation.hub.disposals`, in the same transaction);
taking a flag back withdraws the request when no other flag of the clip stands.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from workstation.hub import disposals, taxonomy
from workstation.hub.auth import Caller
from workstation.hub.errors import Invalid
from workstation.hub.schema import LabelItem
from workstation.hub.storage import now_iso, write_transaction


SKIP_LABEL = "skip"
RETRACT_LABEL = "retract"


def _check(db: sqlite_utils.Database, caller: Caller, items: list[LabelItem]) -> None:
    shift_ids = sorted({item.shift_id for item in items})
    owners: dict[str, tuple[str, set[str], dict[str, Any]]] = {}
    for shift_id in shift_ids:
        row = db.execute("SELECT user, project FROM shifts WHERE shift_id = ?", [shift_id]).fetchone()
        if row is None or row[0] != caller.user:
            continue
        clip_ids = {r[0] for r in db.execute("SELECT clip_id FROM shift_clips WHERE shift_id = ?", [shift_id])}
        owners[shift_id] = (row[1], clip_ids, taxonomy.get(db, row[1]))
    in_batch = {item.id: item for item in items}
    for index, item in enumerate(items):
        where = f"Item {index} ({item.id})"
        if item.shift_id not in owners:
            raise Invalid(f"{where}: shift {item.shift_id} is not one of your shifts.")
        project, clip_ids, tax = owners[item.shift_id]
        if item.clip_id not in clip_ids:
            raise Invalid(f"{where}: clip {item.clip_id} is not part of shift {item.shift_id}.")
        if item.kind == "label" and item.label not in taxonomy.codes(tax, "label"):
            raise Invalid(f"{where}: the label code {item.label!r} is not in the taxonomy of project {project!r}.")
        if item.kind == "flag":
            if item.label not in taxonomy.codes(tax, "flag"):
                raise Invalid(f"{where}: {item.label!r} is not a flag of project {project!r}.")
            if item.reason not in taxonomy.codes(tax, "flag_reason"):
                raise Invalid(f"{where}: a flag needs one of the project's flag reasons, not {item.reason!r}.")
        if item.kind == "skip" and (item.label != SKIP_LABEL or item.reason not in taxonomy.codes(tax, "skip_reason")):
            raise Invalid(f"{where}: a skip carries label 'skip' and one of the project's skip reasons.")
        if item.kind == "retract":
            _check_retract(db, caller, item, in_batch, where)
        elif item.retracts is not None:
            raise Invalid(f"{where}: only a retract item names an item it takes back.")


def _check_retract(db: sqlite_utils.Database, caller: Caller, item: LabelItem, in_batch: dict[str, LabelItem],
                   where: str) -> None:
    if item.label != RETRACT_LABEL or not item.retracts:
        raise Invalid(f"{where}: a retract carries label 'retract' and the id of the item it takes back.")
    target = in_batch.get(item.retracts)
    if target is not None:
        shift_id, clip_id, kind = target.shift_id, target.clip_id, target.kind
    else:
        row = db.execute("SELECT shift_id, clip_id, kind, user FROM labels WHERE id = ?", [item.retracts]).fetchone()
        if row is None or row[3] != caller.user:
            raise Invalid(f"{where}: it takes back {item.retracts}, which the hub does not hold for you.")
        shift_id, clip_id, kind = row[0], row[1], row[2]
    if (shift_id, clip_id) != (item.shift_id, item.clip_id) or kind == "retract":
        raise Invalid(f"{where}: a retract must name a decision on the same clip of the same shift.")


def accept_batch(db: sqlite_utils.Database, caller: Caller, items: list[LabelItem]) -> tuple[list[str], list[str]]:
    """Store the items; returns (accepted ids, duplicate ids) in the order given."""
    accepted: list[str] = []
    duplicates: list[str] = []
    received_at = now_iso()
    with write_transaction(db):
        _check(db, caller, items)
        for item in items:
            cursor = db.execute(
                "INSERT OR IGNORE INTO labels (id, shift_id, clip_id, user, device_id, label, payload, received_at, "
                "kind, reason, retracts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [item.id, item.shift_id, item.clip_id, caller.user, caller.device_id, item.label,
                 json.dumps(item.model_dump(mode="json")), received_at, item.kind, item.reason, item.retracts],
            )
            (accepted if cursor.rowcount == 1 else duplicates).append(item.id)
        new_ids = set(accepted)
        _disposal_requests(db, caller, [item for item in items if item.id in new_ids])
    return accepted, duplicates


def _disposal_requests(db: sqlite_utils.Database, caller: Caller, new_items: list[LabelItem]) -> None:
    """After every item is stored: new standing flags ask for disposal; retracted flags take it back."""
    for item in new_items:
        if item.kind == "flag" and item.reason is not None and not _retracted(db, item.id):
            disposals.request(db, flag_id=item.id, shift_id=item.shift_id, clip_id=item.clip_id, user=caller.user,
                              flag=item.label, reason=item.reason, flagged_at=item.decided_at)
    for item in new_items:
        if item.kind == "retract" and item.retracts is not None:
            disposals.flag_retracted(db, item.retracts)


def _retracted(db: sqlite_utils.Database, item_id: str) -> bool:
    return db.execute("SELECT 1 FROM labels WHERE kind = 'retract' AND retracts = ?", [item_id]).fetchone() is not None
