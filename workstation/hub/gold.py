"""Gold clips: clips whose right label is known, mixed blindly into shifts to measure accuracy.

A supervisor or admin marks a clip gold with its label (``hub gold add CLIP --label CODE``, ``POST /api/v1/gold``)
and may change or remove it. The label must be one of the clip's project's label codes; a disposed clip cannot
be gold. Shifts mix gold clips in at ``HubConfig.gold_rate`` (:mod:`workstation.hub.shifts`), each annotator
getting a gold clip at most once; a gold clip stays gold for everyone after it was decided.

Marking, changing or removing gold re-judges the standing label decisions already made on that clip, in the
same transaction (:mod:`workstation.hub.summaries`), so accuracy figures always reflect the current gold. Each
change is in the hub's audit (:mod:`workstation.hub.hubaudit`): who, when, which clip, which label.

What it protects against: a seat telling gold clips apart — nothing a seat receives differs for them (the same
listing fields, positions shuffled). What it does not: annotators comparing notes on a clip they both saw.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from workstation.hub import hubaudit, summaries, taxonomy
from workstation.hub.db import HubDB
from workstation.hub.errors import Conflict, Invalid, NotFound
from workstation.hub.storage import now_iso, write_transaction


@dataclass(frozen=True)
class GoldClip:
    clip_id: str
    label: str
    added_by: str
    added_at: str

    def as_dict(self) -> dict[str, str]:
        return dataclasses.asdict(self)


def _one(db: HubDB, clip_id: str) -> GoldClip | None:
    row = db.execute("SELECT clip_id, label, added_by, added_at FROM gold WHERE clip_id = ?", [clip_id]).fetchone()
    return GoldClip(*row) if row else None


def _rejudge(db: HubDB, clip_id: str, gold_label: str | None) -> None:
    """Move the clip's standing decisions from the stored gold label to ``gold_label`` in the summaries (before
    the gold table changes)."""
    for row in summaries.rows(db, f"l.clip_id = ? AND {summaries.STANDING}", [clip_id]):
        summaries.apply(db, row, -1)
        summaries.apply(db, dataclasses.replace(row, gold_label=gold_label), +1)


def add(db: HubDB, clip_id: str, label: str, *, actor: str, device_id: str | None = None) -> GoldClip:
    """Mark ``clip_id`` gold with ``label`` (or change its label); idempotent for the same label."""
    with write_transaction(db):
        clip = db.execute("SELECT status, project FROM clips WHERE clip_id = ?", [clip_id]).fetchone()
        if clip is None:
            raise NotFound(f"There is no clip {clip_id} on this hub.", hint="'hub ingest' lists the clip ids it stores.")
        if clip[0] != "active":
            raise Conflict(f"Clip {clip_id[:8]} is {clip[0]} (its key and ciphertext are gone); it cannot be gold.")
        codes = taxonomy.codes(taxonomy.get(db, clip[1]), "label")
        if label not in codes:
            raise Invalid(f"{label!r} is not a label of project {clip[1]!r}; gold takes one of: "
                          f"{', '.join(sorted(codes))}.")
        old = _one(db, clip_id)
        if old is not None and old.label == label:
            return old
        _rejudge(db, clip_id, label)
        db.execute("INSERT INTO gold (clip_id, label, added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (clip_id) "
                   "DO UPDATE SET label = excluded.label, added_by = excluded.added_by, added_at = excluded.added_at",
                   [clip_id, label, actor, now_iso()])
        hubaudit.record(db, actor=actor, device_id=device_id, action=hubaudit.GOLD_ADD, clip_id=clip_id,
                        detail={"label": label, "previous": old.label if old else None})
        added = _one(db, clip_id)
    assert added is not None
    return added


def remove(db: HubDB, clip_id: str, *, actor: str, device_id: str | None = None) -> GoldClip:
    """Unmark a gold clip; returns what it was (NotFound when it is not gold)."""
    with write_transaction(db):
        old = _one(db, clip_id)
        if old is None:
            raise NotFound(f"Clip {clip_id} is not a gold clip.", hint="'hub gold list' shows the gold clips.")
        _rejudge(db, clip_id, None)
        db.execute("DELETE FROM gold WHERE clip_id = ?", [clip_id])
        hubaudit.record(db, actor=actor, device_id=device_id, action=hubaudit.GOLD_REMOVE, clip_id=clip_id,
                        detail={"label": old.label})
    return old


def list_gold(db: HubDB) -> list[GoldClip]:
    rows = db.execute("SELECT clip_id, label, added_by, added_at FROM gold ORDER BY added_at, clip_id").fetchall()
    return [GoldClip(*row) for row in rows]
