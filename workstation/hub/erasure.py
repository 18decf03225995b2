"""Erasure for the people filmed: consent withdrawn, retention ended — and what a privacy officer sees of it.

Every clip carries its provenance and a retention deadline (:mod:`workstation.hub.provenance`, set at ingest). A
clip is erased the way a confirmed disposal destroys one (:func:`workstation.hub.disposals.destroy`):

- **withdrawal** (``hub consent withdraw REF``, ``POST /api/v1/consent/withdrawals``): every clip ingested under the
  consent reference, at once. The reference is remembered, so a later ingest under it is refused. Idempotent:
  asking again erases nothing more and says when it was withdrawn; a reference no clip was ever ingested under is
  :class:`NotFound` (nothing is recorded for it).
- **retention** (:func:`sweep`: ``hub serve`` at start and every ``HubConfig.retention_sweep_s``, and
  ``hub retention run`` for a scheduler): every clip whose deadline has come.

In one transaction per clip batch: the clip's wrapped key is overwritten (``secure_delete``) and the clip marked
``withdrawn`` or ``expired`` with the time; it is withdrawn from every open shift, so seats drop their copy and key
at their next sync (``withdrawn`` in the label batch answer and the shift state), and its download and key answer
410; its standing decisions leave the summaries (so every figure), and its labels are marked erased (out of every
export, drill-down and figure) or deleted (``HubConfig.erased_labels = "delete"``); a pending disposal request
for it closes as ``erased``; a gold mark goes. After the commit the ciphertext file is deleted and the WAL
checkpointed. Exports also leave out, at read time, every clip already past its deadline that the sweep has not
reached yet (:data:`workstation.hub.summaries.KEPT_CLIP`).

Audited in the hub's audit (:mod:`workstation.hub.hubaudit`) without content: the withdrawal (who, when, the
consent reference, how many clips and labels), each clip erased (its id, the reason, how many labels), each sweep
that erased something.

What it does not erase: backups and copies of hub.db and blobs/ made before (they hold the wrapped key and the
ciphertext: age them out within the retention period); the clip's record itself (its id, fingerprint — so the
same file is refused if offered again —, provenance, length, ingest and erasure times); hand-out records and the
seats' hash-chained audit events about it (ids, times and decision codes, never frames: deleting them would break
the chains); labels under the ``keep`` policy (marked, left out, but still in hub.db — comments included);
disposal records; anything a seat kept beyond its shift (seats shred at end of shift); copies of earlier exports.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from workstation.hub import disposals, hubaudit, summaries
from workstation.hub.config import HubConfig
from workstation.hub.db import HubDB
from workstation.hub.errors import NotFound
from workstation.hub.home import HubHome
from workstation.hub.provenance import fixed
from workstation.hub.storage import write_transaction

log = logging.getLogger(__name__)

FLAG, WITHDRAWAL, RETENTION = "flag", "withdrawal", "retention"
REASONS = (FLAG, WITHDRAWAL, RETENTION)
STATUS_OF = {WITHDRAWAL: disposals.WITHDRAWN, RETENTION: disposals.EXPIRED}
_NOTE = {WITHDRAWAL: "erased: the consent was withdrawn", RETENTION: "erased: the retention period ended"}
SWEEP_ACTOR = "hub:retention"
"""Who erases in the hub's own sweep (``hub serve``)."""
BATCH = 100
"""Clips erased per transaction in a sweep (writers are not held up long)."""
REPORT_DAYS = 7


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Erased:
    clip_ids: list[str] = field(default_factory=list)
    """Clips destroyed now (key and ciphertext)."""
    labels: int = 0
    """Labels marked erased or deleted now."""


def _erase(db: HubDB, clip_ids: list[str], reason: str, at: str, *, actor: str,
           device_id: str | None, erased_labels: str) -> Erased:
    """Inside the caller's write transaction (``secure_delete`` on): erase each clip and its labels."""
    destroyed: list[str] = []
    labels = 0
    for clip_id in clip_ids:
        for row in summaries.rows(db, f"l.clip_id = ? AND {summaries.STANDING}", [clip_id]):
            summaries.apply(db, row, -1)
        if erased_labels == "delete":
            n = db.execute("DELETE FROM labels WHERE clip_id = ?", [clip_id]).rowcount
        else:
            n = db.execute("UPDATE labels SET erased_at = ? WHERE clip_id = ? AND erased_at IS NULL",
                           [at, clip_id]).rowcount
        labels += n
        if disposals.destroy(db, clip_id, STATUS_OF[reason], at):
            destroyed.append(clip_id)
        db.execute("UPDATE disposals SET status = ?, decided_by = ?, decided_at = ?, note = ? "
                   "WHERE clip_id = ? AND status = ?",
                   [disposals.ERASED, actor, at, _NOTE[reason], clip_id, disposals.PENDING])
        db.execute("DELETE FROM gold WHERE clip_id = ?", [clip_id])
        if n or clip_id in destroyed:
            hubaudit.record(db, actor=actor, device_id=device_id, action=hubaudit.CLIP_ERASED, clip_id=clip_id, at=at,
                            detail={"reason": reason, "labels": n, "labels_kept": erased_labels != "delete",
                                    "key_destroyed": clip_id in destroyed})
    return Erased(destroyed, labels)


def _destroy_blobs(db: HubDB, home: HubHome, clip_ids: list[str], *, erased_labels: str, scrub: bool = True) -> None:
    """After the commit: each erased clip's ciphertext, then one scrub of the database's files (the clips' table, and
    the labels' too when they were deleted)."""
    for clip_id in clip_ids:
        disposals.destroy_blob(db, home, clip_id, checkpoint=False)
    if scrub and clip_ids:
        _scrub(db, erased_labels)


def _scrub(db: HubDB, erased_labels: str) -> None:
    try:
        db.scrub(("clips", "labels") if erased_labels == "delete" else ("clips",))
    except Exception:  # best effort: a busy reader only postpones it
        log.warning("scrubbing the database after an erasure is postponed", exc_info=True)


# --------------------------------------------------------------------------- withdrawal


@dataclass(frozen=True)
class Withdrawal:
    consent_ref: str
    withdrawn_at: str
    """When the reference was first withdrawn."""
    withdrawn_by: str
    clips: int
    """Clips ever ingested under the reference."""
    erased: Erased
    """What this call erased (nothing when it was withdrawn before)."""
    again: bool
    """The reference had been withdrawn before this call."""

    def as_dict(self) -> dict[str, Any]:
        return {"consent_ref": self.consent_ref, "status": "already_withdrawn" if self.again else "withdrawn",
                "withdrawn_at": self.withdrawn_at, "withdrawn_by": self.withdrawn_by, "clips": self.clips,
                "clips_erased": len(self.erased.clip_ids), "labels_erased": self.erased.labels,
                "erased_clip_ids": list(self.erased.clip_ids)}


def withdraw(db: HubDB, home: HubHome, consent_ref: str, *, actor: str, device_id: str | None = None,
             erased_labels: str = "keep", now: datetime | None = None) -> Withdrawal:
    """Erase every clip ingested under ``consent_ref`` and remember the withdrawal (idempotent)."""
    at = fixed(now or utc_now())
    db.prepare_scrub()
    with write_transaction(db):
        before = db.execute("SELECT withdrawn_at, withdrawn_by FROM consent_withdrawals WHERE consent_ref = ?",
                            [consent_ref]).fetchone()
        clip_ids = [str(r[0]) for r in db.execute("SELECT clip_id FROM clips WHERE consent_ref = ? "
                                                  "ORDER BY created_at, rowid", [consent_ref])]
        if not clip_ids and before is None:
            raise NotFound(f"No clip on this hub was ingested under consent {consent_ref[:80]!r}; nothing was "
                           "withdrawn.", hint="Check the reference (it is matched exactly, case and all); "
                                              "'hub consent report' counts the clips held by source.")
        erased = _erase(db, clip_ids, WITHDRAWAL, at, actor=actor, device_id=device_id, erased_labels=erased_labels)
        if before is None:
            db.execute("INSERT INTO consent_withdrawals (consent_ref, withdrawn_at, withdrawn_by, clips) "
                       "VALUES (?, ?, ?, ?)", [consent_ref, at, actor, len(erased.clip_ids)])
        hubaudit.record(db, actor=actor, device_id=device_id, action=hubaudit.CONSENT_WITHDRAWN, at=at,
                        detail={"consent_ref": consent_ref, "clips": len(erased.clip_ids), "labels": erased.labels,
                                "again": before is not None})
    _destroy_blobs(db, home, erased.clip_ids, erased_labels=erased_labels)
    first_at, first_by = (str(before[0]), str(before[1])) if before is not None else (at, actor)
    return Withdrawal(consent_ref, first_at, first_by, len(clip_ids), erased, before is not None)


# --------------------------------------------------------------------------- retention


@dataclass(frozen=True)
class Due:
    clip_id: str
    retain_until: str
    source: str
    consent_ref: str | None


def due(db: HubDB, now: datetime) -> list[Due]:
    """The clips held past their retention deadline at ``now`` (what a sweep would erase), oldest deadline first."""
    rows = db.execute("SELECT clip_id, retain_until, source, consent_ref FROM clips WHERE status = 'active' "
                      "AND retain_until <= ? ORDER BY retain_until, rowid", [fixed(now)]).fetchall()
    return [Due(*row) for row in rows]


def sweep(db: HubDB, home: HubHome, *, now: datetime, actor: str = SWEEP_ACTOR,
          erased_labels: str = "keep") -> Erased:
    """Erase every clip whose retention deadline has come by ``now`` (in batches of :data:`BATCH`)."""
    at = fixed(now)
    db.prepare_scrub()
    clip_ids: list[str] = []
    labels = 0
    while True:
        with write_transaction(db):
            batch = [str(r[0]) for r in db.execute("SELECT clip_id FROM clips WHERE status = 'active' AND "
                                                   "retain_until <= ? ORDER BY retain_until, rowid LIMIT ?",
                                                   [at, BATCH])]
            if not batch:
                break
            erased = _erase(db, batch, RETENTION, at, actor=actor, device_id=None, erased_labels=erased_labels)
            hubaudit.record(db, actor=actor, device_id=None, action=hubaudit.RETENTION_SWEEP, at=at,
                            detail={"clips": len(erased.clip_ids), "labels": erased.labels})
        _destroy_blobs(db, home, erased.clip_ids, erased_labels=erased_labels, scrub=False)
        clip_ids += erased.clip_ids
        labels += erased.labels
    if clip_ids:
        _scrub(db, erased_labels)  # once for the whole sweep: each is a rewrite of the clips table on PostgreSQL
    if clip_ids:
        log.info("retention: erased %d clip(s) past their deadline", len(clip_ids))
    return Erased(clip_ids, labels)


class Sweeper:
    """``hub serve``'s retention sweep in a thread of its own: at start, then every ``interval_s`` (and at once
    after :meth:`poke`). ``clock`` says what time it is (tests pass their own); ``on_sweep`` hears each outcome
    (an :class:`Erased`, or the exception a sweep raised — logged, and the next sweep tries again)."""

    def __init__(self, home: HubHome, config: HubConfig, *, clock: Callable[[], datetime] = utc_now,
                 on_sweep: Callable[[Erased | Exception], None] | None = None) -> None:
        self._home = home
        self._interval = float(config.retention_sweep_s)
        self._erased_labels = config.erased_labels
        self._clock = clock
        self._on_sweep = on_sweep
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="hub-retention", daemon=True)
            self._thread.start()

    def poke(self) -> None:
        """Sweep now (not waiting for the interval)."""
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
        self._thread = None

    def run_once(self) -> Erased:
        db = self._home.connect()
        try:
            return sweep(db, self._home, now=self._clock(), erased_labels=self._erased_labels)
        finally:
            db.close()

    def _run(self) -> None:
        while not self._stopping:
            outcome: Erased | Exception
            try:
                outcome = self.run_once()
            except Exception as exc:  # a locked or damaged database: say so, try again next time
                log.exception("the retention sweep failed; it runs again in %.0f s", self._interval)
                outcome = exc
            if self._on_sweep is not None:
                self._on_sweep(outcome)
            self._wake.wait(self._interval)
            self._wake.clear()


# --------------------------------------------------------------------------- the privacy officer's report


def report(db: HubDB, *, now: datetime | None = None, retain_days: int) -> dict[str, Any]:
    """The answer of ``hub consent report --json`` and ``GET /api/v1/consent/report`` (docs/CONTRACTS.md)."""
    moment = now or utc_now()
    at, soon, since = fixed(moment), fixed(moment + timedelta(days=REPORT_DAYS)), fixed(moment - timedelta(days=REPORT_DAYS))
    by_source = [{"source": r[0], "scope": r[1], "clips": int(r[2]), "without_consent": int(r[3])} for r in db.execute(
        "SELECT source, consent_scope, count(*), sum(CASE WHEN consent_ref IS NULL THEN 1 ELSE 0 END) FROM clips WHERE status = 'active' "
        "GROUP BY source, consent_scope ORDER BY source, consent_scope IS NOT NULL, consent_scope")]
    due_rows = db.execute("SELECT substr(retain_until, 1, 10), count(*), sum(CASE WHEN retain_until <= ? THEN 1 ELSE 0 END) FROM clips "
                          "WHERE status = 'active' AND retain_until < ? GROUP BY 1 ORDER BY 1", [at, soon]).fetchall()
    window = [since, at]
    flagged = db.execute("SELECT count(DISTINCT clip_id) FROM disposals WHERE status = 'confirmed' "
                         "AND decided_at >= ? AND decided_at <= ?", window).fetchone()[0]
    erased = dict(db.execute("SELECT status, count(*) FROM clips WHERE status IN (?, ?) AND erased_at >= ? "
                             "AND erased_at <= ? GROUP BY status", [disposals.WITHDRAWN, disposals.EXPIRED, *window]))
    by_reason = {FLAG: int(flagged), WITHDRAWAL: int(erased.get(disposals.WITHDRAWN, 0)),
                 RETENTION: int(erased.get(disposals.EXPIRED, 0))}
    consents = db.execute("SELECT count(*) FROM consent_withdrawals WHERE withdrawn_at >= ? AND withdrawn_at <= ?",
                          window).fetchone()[0]
    return {
        "generated_at": at,
        "retain_days": retain_days,
        "held": {"clips": sum(r["clips"] for r in by_source),
                 "without_consent": sum(r["without_consent"] for r in by_source), "by_source": by_source},
        "due": {"from": at, "to": soon, "clips": sum(int(r[1]) for r in due_rows),
                "overdue": sum(int(r[2] or 0) for r in due_rows),
                "by_day": [{"day": r[0], "clips": int(r[1])} for r in due_rows]},
        "erased": {"from": since, "to": at, "clips": sum(by_reason.values()), "by_reason": by_reason,
                   "consents_withdrawn": int(consents)},
    }
