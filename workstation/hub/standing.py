"""Which decisions stand, and which clips they keep out of the pool — as columns, so no query asks per row.

- A decision *stands* while its author has not taken it back: ``labels.retracted_by`` is set by the label intake
  when the author's retract lands (a retract by anyone else never counts). Asking instead, for every label, whether
  some retract names it — a subquery per row — went quadratic once SQLite's ANALYZE had seen the mostly-empty
  ``retracts`` column.
- A clip is *settled* (``clips.settled_at``) while a standing label or flag keeps it out of the pool (a flag a
  supervisor rejected does not). The label intake and a disposal's rejection keep the column right
  (:func:`resettle`), and the pool reads only unsettled clips, through a partial index: a shift no longer walks past
  every clip ever decided to find the undecided ones. The pool still checks each candidate exactly; the column only
  narrows where it looks.
"""

from __future__ import annotations

from workstation.hub.db import HubDB

TAKEN_BACK = "l.retracted_by IS NOT NULL"
"""SQL condition on ``labels l``: its author took it back."""

DECIDED = f"l.kind IN ('label', 'flag') AND NOT {TAKEN_BACK}"
"""SQL condition on ``labels l``: a label or flag that was not taken back (undo)."""

KEEPS_OUT_OF_POOL = (
    f"{DECIDED} AND NOT (l.kind = 'flag' AND EXISTS (SELECT 1 FROM disposals d WHERE d.clip_id = l.clip_id "
    "AND d.status = 'rejected' AND d.decided_at >= l.received_at))"
)
"""SQL condition on ``labels l``: a standing decision, except a flag a supervisor rejected (that clip goes back to
the pool)."""

SETTLED = f"EXISTS (SELECT 1 FROM labels l WHERE l.clip_id = clips.clip_id AND {KEEPS_OUT_OF_POOL})"


def resettle(db: HubDB, clip_id: str, at: str) -> None:
    """Set or clear the clip's ``settled_at`` from its decisions (inside the caller's transaction)."""
    db.execute(f"UPDATE clips SET settled_at = CASE WHEN {SETTLED} THEN coalesce(settled_at, ?) END "
               "WHERE clip_id = ?", [at, clip_id])


def release(db: HubDB, shift_id: str) -> None:
    """The shift closed (inside the caller's transaction): its clips are held by it no longer (``clips.held_by``,
    schema 17), so a shift start finds them among the free clips again."""
    db.execute("UPDATE clips SET held_by = NULL WHERE clip_id IN (SELECT clip_id FROM shift_clips WHERE shift_id = ?) "
               "AND held_by = ?", [shift_id, shift_id])
