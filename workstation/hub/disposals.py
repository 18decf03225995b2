"""Disposal of sensitive clips (data flow step 8): a flag asks, a supervisor decides, the hub destroys.

A label event of kind ``flag`` creates a *pending* request for its clip (one per clip: a second flag of
the same clip joins the pending one; a retried batch changes nothing). A supervisor (or admin) then:

- **confirms**: in one transaction the clip's wrapped key is overwritten (``secure_delete`` on, so
  SQLite zeroes the freed bytes) and the clip marked ``disposed``, the request becomes the disposal
  record, and the clip is withdrawn from every open shift (those shifts complete without it). After
  the commit the ciphertext file is deleted and the WAL checkpointed. No later shift gets the clip,
  its download and key answer 410 Gone, and a re-ingest of the same file is refused. Workstations
  learn of it at their next sync (``withdrawn`` in the label batch answer and the shift state).
- **rejects**: the request is closed and the clip goes back to the pool for later shifts; the
  flagging shift's own decision (the flag) stays as it is.

The record keeps who flagged, why (the reason code), who decided, when, and an optional note — never
content (no frames, no comment text of the flag).

The same destruction (:func:`destroy`, :func:`destroy_blob`) erases a clip whose consent was withdrawn or whose
retention deadline passed (:mod:`workstation.hub.erasure`: status ``withdrawn`` or ``expired``); a request still
pending for such a clip closes as ``erased``.

What it protects against: a sensitive clip staying readable on the hub, or being handed out again,
after a supervisor confirmed its disposal. What it does not: backups of hub.db and blobs/ taken
before the disposal (they hold the wrapped key and the ciphertext; destroy or age them out), copies
of the blob left in free disk blocks or SSD spare areas (without the clip key they are noise — unless
such a backup also survives), a download that was already streaming at the moment of disposal, and a
seat that kept its shift key and cache (seats shred these themselves at end of shift).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from workstation.hub import standing
from workstation.hub.db import HubDB
from workstation.hub.errors import Conflict, Gone, NotFound
from workstation.hub.home import HubHome
from workstation.hub.storage import now_iso, write_transaction

log = logging.getLogger(__name__)

PENDING, CONFIRMED, REJECTED, RETRACTED, ERASED = "pending", "confirmed", "rejected", "retracted", "erased"
"""Request statuses; ``erased``: the clip was erased for another reason (its consent withdrawn, its retention
ended) while the request was pending (:mod:`workstation.hub.erasure`)."""
DISPOSED, WITHDRAWN, EXPIRED = "disposed", "withdrawn", "expired"
"""The clips.status of a clip destroyed as sensitive, because its consent was withdrawn, because its retention
deadline passed (every other clip is ``active``)."""
GONE = (DISPOSED, WITHDRAWN, EXPIRED)


@dataclass(frozen=True)
class Disposal:
    clip_id: str
    status: str
    flagged_by: str
    flag: str
    reason: str
    flagged_at: str
    shift_id: str
    requested_at: str
    decided_by: str | None
    decided_at: str | None
    note: str | None


_COLUMNS = ("clip_id, status, flagged_by, flag, reason, flagged_at, shift_id, requested_at, decided_by, decided_at, "
            "note")


_GONE_BECAUSE = {
    DISPOSED: "was disposed of as sensitive by a supervisor",
    WITHDRAWN: "was erased because the consent it was kept under was withdrawn",
    EXPIRED: "was erased because its retention period ended",
}


def gone(clip_id: str, status: str = DISPOSED) -> Gone:
    """The 410 answer for a destroyed clip's download or key."""
    return Gone(f"Clip {clip_id[:8]} {_GONE_BECAUSE.get(status, _GONE_BECAUSE[DISPOSED])}; it is gone from the hub "
                "and no longer part of any shift.", hint="Drop it from the cache; nothing more is needed for it.")


def request(db: HubDB, *, flag_id: str, shift_id: str, clip_id: str, user: str, flag: str,
            reason: str, flagged_at: str) -> None:
    """A pending request for the flagged clip (inside the caller's transaction); no-op when one is pending."""
    db.execute(
        "INSERT INTO disposals (clip_id, status, flag_id, shift_id, flagged_by, flag, reason, flagged_at, "
        "requested_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS "
        "(SELECT 1 FROM clips WHERE clip_id = ? AND status = 'active') ON CONFLICT DO NOTHING",
        [clip_id, PENDING, flag_id, shift_id, user, flag, reason, flagged_at, now_iso(), clip_id],
    )


def flag_retracted(db: HubDB, flag_id: str) -> None:
    """A flag was taken back (inside the caller's transaction): its pending request moves to another standing
    flag of the clip, or is closed as ``retracted`` when none is left."""
    row = db.execute("SELECT clip_id FROM disposals WHERE flag_id = ? AND status = ?", [flag_id, PENDING]).fetchone()
    if row is None:
        return
    other = db.execute(
        "SELECT l.id, l.shift_id, l.user, l.label, coalesce(l.reason, ''), "
        "coalesce(l.decided_at, l.received_at) FROM labels l "
        "WHERE l.clip_id = ? AND l.kind = 'flag' AND l.id != ? "
        "AND l.retracted_by IS NULL "
        "ORDER BY l.received_at, l.rowid LIMIT 1", [row[0], flag_id],
    ).fetchone()
    if other is not None:
        db.execute("UPDATE disposals SET flag_id = ?, shift_id = ?, flagged_by = ?, flag = ?, reason = ?, "
                   "flagged_at = ? WHERE flag_id = ? AND status = ?", [*other, flag_id, PENDING])
    else:
        db.execute("UPDATE disposals SET status = ?, decided_at = ?, note = 'the flag was taken back' "
                   "WHERE flag_id = ? AND status = ?", [RETRACTED, now_iso(), flag_id, PENDING])


def queue(db: HubDB) -> list[Disposal]:
    """Every request: pending ones first (oldest flag first), then decided ones (latest decision first)."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM disposals ORDER BY status != 'pending', "
        "CASE WHEN status = 'pending' THEN flagged_at END, decided_at DESC, id",
    ).fetchall()
    return [Disposal(*row) for row in rows]


def _latest(db: HubDB, clip_id: str) -> Disposal | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM disposals WHERE clip_id = ? ORDER BY status = 'pending' DESC, id DESC "
                     "LIMIT 1", [clip_id]).fetchone()
    return Disposal(*row) if row else None


def _pending_or_done(db: HubDB, clip_id: str, outcome: str) -> Disposal | None:
    """The pending request; None when the latest one already has ``outcome`` (a repeated decision)."""
    latest = _latest(db, clip_id)
    if latest is None:
        raise NotFound(f"There is no disposal request for clip {clip_id[:8]}.",
                       hint="GET /api/v1/disposals lists the requests.")
    if latest.status == PENDING:
        return latest
    if latest.status == outcome:
        return None
    raise Conflict(f"The disposal request for clip {clip_id[:8]} is already {latest.status}"
                   f"{f' by {latest.decided_by}' if latest.decided_by else ''}"
                   f"{f' at {latest.decided_at}' if latest.decided_at else ''}.",
                   hint="A new flag of the clip opens a new request.")


def confirm(db: HubDB, home: HubHome, decided_by: str, clip_id: str, note: str | None) -> Disposal:
    """Destroy the clip's key and ciphertext and withdraw it from every open shift (idempotent)."""
    db.prepare_scrub()
    with write_transaction(db):
        pending = _pending_or_done(db, clip_id, CONFIRMED)
        if pending is not None:
            now = now_iso()
            destroy(db, clip_id, DISPOSED, now)
            db.execute("UPDATE disposals SET status = ?, decided_by = ?, decided_at = ?, note = ? "
                       "WHERE clip_id = ? AND status = ?", [CONFIRMED, decided_by, now, note, clip_id, PENDING])
    destroy_blob(db, home, clip_id)
    latest = _latest(db, clip_id)
    assert latest is not None
    return latest


def destroy(db: HubDB, clip_id: str, status: str, at: str) -> bool:
    """Inside the caller's transaction (``secure_delete`` on): overwrite an active clip's wrapped key, mark it
    ``status`` (one of :data:`GONE`) at ``at`` and withdraw it from every open shift, so seats drop it at their
    next sync. False when the clip was not active (nothing changes). The ciphertext goes after the commit
    (:func:`destroy_blob`)."""
    changed = db.execute("UPDATE clips SET status = ?, wrapped_key = ?, erased_at = ? WHERE clip_id = ? "
                         "AND status = 'active'", [status, b"", at, clip_id]).rowcount
    if changed:
        db.execute("UPDATE shift_clips SET withdrawn_at = ? WHERE clip_id = ? AND withdrawn_at IS NULL AND "
                   "shift_id IN (SELECT shift_id FROM shifts WHERE status = 'open')", [at, clip_id])
    return bool(changed)


def destroy_blob(db: HubDB, home: HubHome, clip_id: str, *, checkpoint: bool = True) -> None:
    """After the commit: a crash before this leaves a keyless blob (noise), never a key without its record."""
    try:
        home.blob_path(clip_id).unlink(missing_ok=True)
    except OSError:
        log.warning("the ciphertext of destroyed clip %s could not be deleted; its key is gone", clip_id,
                    exc_info=True)
    if not checkpoint:
        return
    try:
        db.scrub()  # the old key's bytes leave the database's files when they can
    except Exception:  # best effort: a busy reader only postpones it
        log.warning("scrubbing the database after destroying clip %s is postponed", clip_id, exc_info=True)


def reject(db: HubDB, decided_by: str, clip_id: str, note: str | None) -> Disposal:
    """Close the request; the clip goes back to the pool (idempotent)."""
    with write_transaction(db):
        if _pending_or_done(db, clip_id, REJECTED) is not None:
            now = now_iso()
            db.execute("UPDATE disposals SET status = ?, decided_by = ?, decided_at = ?, note = ? "
                       "WHERE clip_id = ? AND status = ?", [REJECTED, decided_by, now, note, clip_id, PENDING])
            standing.resettle(db, clip_id, now)
    latest = _latest(db, clip_id)
    assert latest is not None
    return latest


def withdrawn_for(db: HubDB, user: str) -> list[str]:
    """Clip ids withdrawn from ``user``'s open shifts (disposed of, or erased for consent or retention)."""
    rows = db.execute("SELECT sc.clip_id FROM shift_clips sc JOIN shifts s ON s.shift_id = sc.shift_id "
                      "WHERE s.user = ? AND s.status = 'open' AND sc.withdrawn_at IS NOT NULL "
                      "ORDER BY sc.shift_id, sc.position", [user]).fetchall()
    return [str(r[0]) for r in rows]
