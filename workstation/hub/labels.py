"""Label batches from workstations: judged item by item, in the order given, in one write transaction.

Items carry client-made UUIDs. Each item of a batch ends in exactly one of three lists of the answer:

- ``accepted``: new, valid, stored now;
- ``duplicates``: the caller already stored this id with exactly this payload (a retried batch after a
  lost answer): nothing changes;
- ``rejected`` (``id``, ``code``, one-sentence ``reason``), never stored:
  ``id_taken`` — the id is already stored by another user, or by the caller with another payload;
  ``not_yours`` — the item's shift is not one of the caller's shifts;
  ``invalid`` — the clip is not in the shift, a code or reason is not in the project's taxonomy, or a
  retract is malformed or names an item it may not take back.

A rejected item never blocks the others. Labels for a closed shift are still accepted: a workstation
may sync after the shift ended. A body that is not a well-formed batch at all is refused whole (422)
before any of this.

Items are events: ``label`` (a code of the taxonomy), ``skip`` (with a skip reason), ``flag`` (a flag
code with a flag reason: a disposal request) and ``retract`` (undo). Nothing is ever updated in place,
so the trail of decisions stays whole.

**An item id belongs to its author.** What it protects against: a user (typically at a shared seat,
where ids are readable in the local store and audit log) reusing another annotator's item id, or
retracting it, so that the other's decision stops counting, her disposal request is withdrawn and the
clip is handed to someone else. A retract may only take back an item of the same user, on the same
shift and clip, that is not itself a retract; the target is looked up in the database only, never
trusted from the batch (each accepted item is stored before the next is judged, so a retract later in
the same batch finds its target). The decision queries (:mod:`workstation.hub.shifts`,
:mod:`workstation.hub.disposals`) also count a retract only when its user is the target's, so a retract
an older hub stored for another user's item stays without effect.
What it does not protect against: someone who signs in *as* the author (their password on an approved
seat); the reasons of refusal telling a caller that an id exists (``id_taken`` reveals that some item
carries that id, never whose or what).

Each accepted item is stored with its timings in columns of their own and judged for plausibility
(:mod:`workstation.metrics.plausibility`): an implausible one is stored all the same, with its reasons, and counts
as a decision but in no time figure. It counts at its ``decided_at`` — or at the hub's receive time when the seat's
clock is off — and in its author's work period of that time (:mod:`workstation.hub.workperiods`). A retract sets
``retracted_by`` on what it took back (:mod:`workstation.hub.standing`); the summaries
(:mod:`workstation.hub.summaries`) gain each new decision and lose each one taken back, in the same transaction.

A decision for a clip already erased because its consent was withdrawn or its retention ended (a seat that had
not synced yet) is accepted — so the seat lets go of it — and stored marked erased (in no summary, export or
figure), or not stored at all under ``HubConfig.erased_labels = "delete"`` (:mod:`workstation.hub.erasure`).

A new flag asks for the clip's disposal (:mod:`workstation.hub.disposals`, in the same transaction);
the author taking her flag back withdraws the request when no other flag of the clip stands. Nobody
else withdraws it, except a supervisor rejecting it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from workstation.hub import disposals, standing, summaries, taxonomy, timing, workperiods
from workstation.hub.auth import Caller
from workstation.hub.db import HubDB
from workstation.hub.schema import LabelItem
from workstation.hub.storage import now_iso, write_transaction

SKIP_LABEL = "skip"
RETRACT_LABEL = "retract"
RejectCode = Literal["invalid", "not_yours", "id_taken"]


@dataclass(frozen=True)
class Rejected:
    id: str
    code: RejectCode
    reason: str
    """One sentence, for the seat's log and its list of items set aside."""


@dataclass
class BatchOutcome:
    """What became of each item of a batch, ids in the order given."""

    accepted: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


@dataclass(frozen=True)
class _Shift:
    shift_id: str
    project: str
    taxonomy: dict[str, Any]
    created_at: str
    clips: dict[str, tuple[float | None, bool]] = field(default_factory=dict)
    """(length or None, erased) of the shift's clips the batch named so far; erased: its consent was withdrawn or
    its retention ended. Looked up one by one: a batch names a few of a shift's 150 clips, and reading all of them
    for each batch was a fifth of a label's cost."""

    def clip(self, db: HubDB, clip_id: str) -> tuple[float | None, bool] | None:
        """The clip's (length, erased) when it is one of the shift's; None when it is not."""
        if clip_id not in self.clips:
            row = db.execute("SELECT c.duration_s, c.status FROM shift_clips sc JOIN clips c ON c.clip_id = sc.clip_id "
                             "WHERE sc.shift_id = ? AND sc.clip_id = ?", [self.shift_id, clip_id]).fetchone()
            if row is None:
                return None
            self.clips[clip_id] = (row[0], row[1] in (disposals.WITHDRAWN, disposals.EXPIRED))
        return self.clips[clip_id]

    def erased(self, db: HubDB, clip_id: str) -> bool:
        found = self.clip(db, clip_id)
        return found is not None and found[1]


class _Refusal(Exception):
    def __init__(self, code: RejectCode, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def canonical(payload: dict[str, Any]) -> str:
    """One JSON text per payload, whatever the key order: how stored and retried items are compared."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _payload(item: LabelItem) -> dict[str, Any]:
    data: dict[str, Any] = item.model_dump(mode="json")
    return data


def _own_shift(db: HubDB, caller: Caller, shift_id: str, cache: dict[str, _Shift | None]) -> _Shift:
    if shift_id not in cache:
        row = db.execute("SELECT user, project, created_at FROM shifts WHERE shift_id = ?", [shift_id]).fetchone()
        if row is None or row[0] != caller.user:
            cache[shift_id] = None
        else:
            cache[shift_id] = _Shift(shift_id, row[1], taxonomy.get(db, row[1]), row[2])
    shift = cache[shift_id]
    if shift is None:  # another user's shift and no shift at all get the same answer
        raise _Refusal("not_yours", f"Shift {shift_id} is not one of your shifts.")
    return shift


def _check(db: HubDB, caller: Caller, item: LabelItem, shift: _Shift) -> None:
    """Raise :class:`_Refusal` (``invalid``) when the item does not fit its shift, taxonomy or target."""
    project, tax = shift.project, shift.taxonomy
    if shift.clip(db, item.clip_id) is None:
        raise _Refusal("invalid", f"Clip {item.clip_id} is not part of shift {item.shift_id}.")
    if item.kind == "label" and item.label not in taxonomy.codes(tax, "label"):
        raise _Refusal("invalid", f"The label code {item.label!r} is not in the taxonomy of project {project!r}.")
    if item.kind == "flag":
        if item.label not in taxonomy.codes(tax, "flag"):
            raise _Refusal("invalid", f"{item.label!r} is not a flag of project {project!r}.")
        if item.reason not in taxonomy.codes(tax, "flag_reason"):
            raise _Refusal("invalid", f"A flag needs one of the project's flag reasons, not {item.reason!r}.")
    if item.kind == "skip" and (item.label != SKIP_LABEL or item.reason not in taxonomy.codes(tax, "skip_reason")):
        raise _Refusal("invalid", "A skip carries label 'skip' and one of the project's skip reasons.")
    if item.kind == "retract":
        _check_retract(db, caller, item)
    elif item.retracts is not None:
        raise _Refusal("invalid", "Only a retract item names an item it takes back.")


def _check_retract(db: HubDB, caller: Caller, item: LabelItem) -> None:
    if item.label != RETRACT_LABEL or not item.retracts:
        raise _Refusal("invalid", "A retract carries label 'retract' and the id of the item it takes back.")
    row = db.execute("SELECT shift_id, clip_id, kind, user FROM labels WHERE id = ?", [item.retracts]).fetchone()
    if row is None or row[3] != caller.user:  # another user's item and no item at all get the same answer
        raise _Refusal("invalid", f"It takes back {item.retracts}, which the hub does not hold for you.")
    if (row[0], row[1]) != (item.shift_id, item.clip_id) or row[2] == "retract":
        raise _Refusal("invalid", "A retract must name a decision on the same clip of the same shift.")


def _judge(db: HubDB, caller: Caller, item: LabelItem, shifts: dict[str, _Shift | None], *,
           dropping_erased: bool = False) -> _Shift | None:
    """The item's shift when the item is new, None for a duplicate; raises :class:`_Refusal` for an item that is
    refused. ``dropping_erased``: an item for an erased clip of the caller's shift is not looked at further (it is
    not stored; a retract's target may be gone with the clip's labels)."""
    stored = db.execute("SELECT user, payload FROM labels WHERE id = ?", [item.id]).fetchone()
    if stored is not None:
        if stored[0] == caller.user and _same_payload(stored[1], _payload(item)):
            return None
        raise _Refusal("id_taken", f"The id {item.id} is already taken by another item; "
                                   "each decision needs an id of its own.")
    shift = _own_shift(db, caller, item.shift_id, shifts)
    if dropping_erased and shift.erased(db, item.clip_id):
        return shift
    _check(db, caller, item, shift)
    return shift


def _same_payload(stored: str, new: dict[str, Any]) -> bool:
    try:
        return canonical(json.loads(stored)) == canonical(new)
    except ValueError:  # a payload an older hub stored with a non-finite number equals nothing
        return False


def accept_batch(db: HubDB, caller: Caller, items: list[LabelItem], *,
                 erased_labels: str = "keep") -> BatchOutcome:
    """Judge and store the items one after the other (see the module doc); one transaction for the batch.

    ``erased_labels`` (``HubConfig.erased_labels``): what becomes of an item for a clip already erased for consent
    or retention — ``keep``: stored marked erased (in no export or figure); ``delete``: not stored. Either way it
    is accepted, so the seat lets go of it."""
    outcome = BatchOutcome()
    received_at = now_iso()
    shifts: dict[str, _Shift | None] = {}
    with write_transaction(db):
        for item in items:
            try:
                shift = _judge(db, caller, item, shifts, dropping_erased=erased_labels == "delete")
            except _Refusal as refusal:
                outcome.rejected.append(Rejected(item.id, refusal.code, refusal.reason))
                continue
            if shift is None:
                outcome.duplicates.append(item.id)
                continue
            if erased_labels == "delete" and shift.erased(db, item.clip_id):
                outcome.accepted.append(item.id)
                continue
            _store(db, caller, item, shift, received_at)
            _disposal_effect(db, caller, item)
            outcome.accepted.append(item.id)
    return outcome


def _store(db: HubDB, caller: Caller, item: LabelItem, shift: _Shift, received_at: str) -> None:
    """Store an accepted item with its timings in columns, judged for plausibility (an implausible one is stored
    all the same, marked), placed in a work period, and kept in the summaries; a retract marks its target."""
    t = item.timings
    duration_s, erased = shift.clip(db, item.clip_id) or (None, False)
    judged = timing.judge(shown_at=item.shown_at, decided_at=item.decided_at, watched_s=t.watched_s,
                          active_s=t.active_s, duration_s=duration_s, received_at=received_at,
                          handed_out_at=shift.created_at)
    period = workperiods.period_for(db, caller.user, judged.counted_at, caller.session_id)
    db.execute(
        "INSERT INTO labels (id, shift_id, clip_id, user, device_id, label, payload, received_at, kind, reason, "
        "retracts, shown_at, decided_at, counted_at, elapsed_s, watched_s, replays, active_s, comment, implausible, "
        "period_id, erased_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [item.id, item.shift_id, item.clip_id, caller.user, caller.device_id, item.label,
         canonical(_payload(item)), received_at, item.kind, item.reason, item.retracts, item.shown_at,
         item.decided_at, judged.counted_at, judged.elapsed_s, t.watched_s, t.replays, t.active_s, item.comment,
         judged.implausible, period, received_at if erased else None],
    )
    if erased:  # marked at once: in no summary, export or figure; a retract still marks what it takes back
        if item.kind == "retract":
            db.execute("UPDATE labels SET retracted_by = ? WHERE id = ? AND user = ? AND kind != 'retract' "
                       "AND retracted_by IS NULL", [item.id, item.retracts, caller.user])
        return
    if item.kind == "retract":
        taken = db.execute("UPDATE labels SET retracted_by = ? WHERE id = ? AND user = ? AND kind != 'retract' "
                           "AND retracted_by IS NULL", [item.id, item.retracts, caller.user])
        if taken.rowcount:
            summaries.apply_label(db, str(item.retracts), -1)
            standing.resettle(db, item.clip_id, received_at)
        return
    summaries.apply_label(db, item.id, +1)
    if item.kind in ("label", "flag"):  # a second annotator's judgement: the clip is overlapped (agreement)
        standing.resettle(db, item.clip_id, received_at)
        db.execute("UPDATE clips SET shared_at = ? WHERE clip_id = ? AND shared_at IS NULL AND EXISTS (SELECT 1 "
                   "FROM labels l WHERE l.clip_id = ? AND l.kind IN ('label', 'flag') AND l.retracted_by IS NULL "
                   "AND l.user != ?)", [received_at, item.clip_id, item.clip_id, caller.user])


def _disposal_effect(db: HubDB, caller: Caller, item: LabelItem) -> None:
    """A new flag asks for disposal; the author's retract of her flag takes it back (inside the transaction)."""
    if item.kind == "flag" and item.reason is not None:
        disposals.request(db, flag_id=item.id, shift_id=item.shift_id, clip_id=item.clip_id, user=caller.user,
                          flag=item.label, reason=item.reason, flagged_at=item.decided_at)
    elif item.kind == "retract" and item.retracts is not None:
        disposals.flag_retracted(db, item.retracts)
