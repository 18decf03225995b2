"""Shifts: handing out clips to one annotator on one workstation, and the clip keys sealed for it.

A shift takes the oldest clips that are active, labeled by nobody and not in another open shift,
all from one project (so one taxonomy fits), and mixes in (:class:`Mix`, from ``HubConfig``):

- *gold* clips (:mod:`workstation.hub.gold`): round(size × ``gold_rate``) of them (5 %), chosen at random among
  the project's gold clips this annotator was never given;
- *second looks*: ``overlap_rate`` (10 %) of the distinct clips go to a second, different annotator. Each new
  shift marks round(fresh × rate) of its fresh clips, at random, for a second look, and takes
  round(regular × rate / (1 + rate)) clips marked earlier that one other annotator has labelled (oldest first;
  never a clip with a standing flag, one held by an open shift, or one waiting for disposal), so in the long run
  one clip in ten of those handed out is seen twice. While few marked clips wait, a shift takes fewer.

Nobody is ever given the same clip twice (not even after a shift closed with it undecided: it goes back to the
pool for others). The clips take shuffled positions, and nothing in the listing, the keys or the downloads tells a
gold clip or a second look from any other, so a seat cannot treat them differently. Rounding is per shift, half
up: a shift of 150 carries 8 gold clips and 13 second looks; one of fewer than 10 clips no gold.

Clip keys leave the hub only sealed (HPKE) to the
shift's current X25519 public key; the shift id and clip id are bound into each seal, so a sealed key
is useless for another clip or shift.

A user has at most one open shift. Asking again returns it with the public key replaced (a restarted
workstation lost its in-memory key). Asked from another approved device of the same user (say, a
seat whose device key was lost with the memory key store and which enrolled again), the shift moves
to that device, so its clips are never stranded in a shift nobody can finish.

A clip whose disposal a supervisor confirmed (:mod:`workstation.hub.disposals`) is *withdrawn* from
every open shift: it leaves the listing, the state, the keys and the "all decided" count (so the
shift can still complete), and the shift state names it under ``withdrawn`` so the seat drops it.
Its download and key answer 410 Gone. A clip whose flag a supervisor rejected is back in the pool.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from workstation.hub import disposals, handouts, standing, taxonomy
from workstation.hub.auth import Caller
from workstation.hub.db import HubDB
from workstation.hub.errors import Conflict, Invalid, NotFound
from workstation.hub.schema import ShiftClipOut, ShiftOut, ShiftStateClip, ShiftStateOut
from workstation.hub.storage import now_iso, write_transaction
from workstation.vault import masterkey, sealing

OPEN, CLOSED = "open", "closed"
SUITE = sealing.SUITE_NAME
SUPERVISING_ROLES = ("supervisor", "admin")

TAKEN_BACK, DECIDED = standing.TAKEN_BACK, standing.DECIDED

_GIVEN = "SELECT gs.clip_id FROM shifts gsh JOIN shift_clips gs ON gs.shift_id = gsh.shift_id WHERE gsh.user = :owner"
"""The clips ``:owner`` was ever given: read once per query through her shifts (a gold clip is in hundreds of
shifts, so asking each clip for its shifts instead costs a second on a big floor)."""
_NEVER_GIVEN = f"c.clip_id NOT IN ({_GIVEN} AND gsh.status != 'open')"
"""SQL condition on ``clips c``: none of ``:owner``'s closed shifts held it (no clip twice to one annotator)."""
_NOT_GOLD = "NOT EXISTS (SELECT 1 FROM gold g WHERE g.clip_id = c.clip_id)"

_UNDECIDED = (
    "FROM clips c WHERE c.status = 'active' AND c.settled_at IS NULL "
    f"AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.clip_id = c.clip_id AND {standing.KEEPS_OUT_OF_POOL}) "
    f"AND {_NOT_GOLD} AND {_NEVER_GIVEN} "
)
_POOL = (
    f"{_UNDECIDED}AND NOT EXISTS (SELECT 1 FROM shift_clips sc JOIN shifts s ON s.shift_id = sc.shift_id "
    "                WHERE sc.clip_id = c.clip_id AND s.status = 'open' AND s.user IS DISTINCT FROM :owner) "
)
"""Clips a shift may take: active, not gold, labeled by nobody (unsettled: :mod:`workstation.hub.standing`, then
checked), in no open shift (except ``:owner``'s; NULL: none), never in a closed shift of ``:owner``'s."""
_FREE = f"{_UNDECIDED}AND c.held_by IS NULL "
""":data:`_POOL` for an owner with no open shift (a shift start): held by no open shift at all, read through the
index of free clips (``idx_clips_free``) instead of past every clip the open shifts hold."""
_OLDEST = "ORDER BY c.created_at, c.rowid LIMIT :limit"

_SECOND_LOOKS_ANY = (
    "FROM clips c WHERE c.overlap_at IS NOT NULL AND c.shared_at IS NULL AND c.status = 'active' "
    "AND EXISTS (SELECT 1 FROM labels l WHERE l.clip_id = c.clip_id AND l.kind = 'label' AND l.retracted_by IS NULL) "
    "AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.clip_id = c.clip_id AND l.kind = 'flag' "
    "                AND l.retracted_by IS NULL) "
    "AND NOT EXISTS (SELECT 1 FROM disposals d WHERE d.clip_id = c.clip_id AND d.status = 'pending') "
    "AND NOT EXISTS (SELECT 1 FROM shift_clips sc JOIN shifts s ON s.shift_id = sc.shift_id "
    "                WHERE sc.clip_id = c.clip_id AND s.status = 'open') "
    f"AND c.clip_id NOT IN ({_GIVEN}) AND {_NOT_GOLD} "
)
"""Clips marked for a second look that one annotator labelled, held by no open shift, never given to ``:owner``."""
_SECOND_LOOKS = f"{_SECOND_LOOKS_ANY} AND c.project = :project "

_GOLD = (
    "FROM gold g CROSS JOIN clips c WHERE c.clip_id = g.clip_id AND c.status = 'active' AND c.project = :project "
    "AND NOT EXISTS (SELECT 1 FROM disposals d WHERE d.clip_id = c.clip_id AND d.status = 'pending') "
    f"AND c.clip_id NOT IN ({_GIVEN}) "
)
"""The project's gold clips ``:owner`` was never given (gold is handed to everyone, each once)."""


@dataclass(frozen=True)
class Mix:
    """What a new shift mixes in (``HubConfig.gold_rate`` and ``overlap_rate``)."""

    gold_rate: float = 0.05
    overlap_rate: float = 0.10


def _half_up(x: float) -> int:
    return math.floor(x + 0.5)


def _check_public_key(public_key: bytes) -> None:
    """Refuse anything but a usable X25519 public key.

    A low-order point (all zeros, 1, the points of order 8, p - 1 …) makes every X25519 exchange give
    the all-zero secret: the hub could not seal to it (every keys call would fail), and a seal to it
    would be open to anyone. A trial exchange with a fresh key finds them (``cryptography`` refuses an
    all-zero result).
    """
    try:
        key = X25519PublicKey.from_public_bytes(public_key)
    except ValueError:
        raise Invalid("The shift public key is not a raw 32-byte X25519 key.") from None
    try:
        secret = X25519PrivateKey.generate().exchange(key)
    except ValueError:
        secret = bytes(32)
    if not any(secret):
        raise Invalid("The shift public key is not a usable X25519 key (a low-order point, which would seal "
                      "every clip key to a key anyone can compute).")


def _all_done(db: HubDB, shift_id: str) -> bool:
    """Every clip of the shift (but withdrawn ones) has a standing decision (label, flag or skip)."""
    left = db.execute(
        "SELECT count(*) FROM shift_clips sc WHERE sc.shift_id = ? AND sc.withdrawn_at IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM labels l "
        "WHERE l.shift_id = sc.shift_id AND l.clip_id = sc.clip_id AND l.kind IN ('label', 'flag', 'skip') "
        f"AND NOT {TAKEN_BACK})", [shift_id],
    ).fetchone()[0]
    return int(left) == 0


def start_shift(db: HubDB, caller: Caller, public_key: bytes, size: int,
                mix: Mix | None = None) -> tuple[ShiftOut, bool]:
    """The caller's open shift, re-keyed and on this device (created False), or a new one (created True) with
    gold clips and second looks mixed in (see the module doc)."""
    _check_public_key(public_key)
    with write_transaction(db):
        row = db.execute("SELECT shift_id FROM shifts WHERE user = ? AND status = 'open'", [caller.user]).fetchone()
        if row is not None and _all_done(db, row[0]):
            db.execute("UPDATE shifts SET status = 'closed', closed_at = ? WHERE shift_id = ?", [now_iso(), row[0]])
            standing.release(db, row[0])
            row = None  # every clip of it has a standing decision: it is over, start a new one
        if row is not None:
            db.execute("UPDATE shifts SET public_key = ?, device_id = ?, rekeyed_at = ? WHERE shift_id = ?",
                       [public_key, caller.device_id, now_iso(), row[0]])
            return listing(db, row[0]), False
        project, clip_ids = _choose(db, caller.user, size, mix or Mix())
        shift_id = uuid.uuid4().hex
        db.execute(
            "INSERT INTO shifts (shift_id, user, device_id, project, public_key, status, size, created_at) "
            "VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
            [shift_id, caller.user, caller.device_id, project, public_key, len(clip_ids), now_iso()],
        )
        db.executemany("INSERT INTO shift_clips (shift_id, clip_id, position) VALUES (?, ?, ?)",
                            [(shift_id, clip_id, position) for position, clip_id in enumerate(clip_ids)])
        db.execute("UPDATE clips SET held_by = ? WHERE clip_id IN (SELECT clip_id FROM shift_clips WHERE "
                   "shift_id = ?)", [shift_id, shift_id])
        return listing(db, shift_id), True


def _choose(db: HubDB, user: str, size: int, mix: Mix) -> tuple[str, list[str]]:
    """The project and clips of a new shift for ``user``, shuffled (inside the caller's transaction)."""
    owner = {"owner": user}
    first = db.execute(f"SELECT c.project {_FREE} {_OLDEST}", {**owner, "limit": 1}).fetchone()
    if first is None:
        first = db.execute(f"SELECT c.project {_SECOND_LOOKS_ANY} LIMIT 1", owner).fetchone()
    if first is None:
        raise Conflict("No clips are waiting to be labeled.", hint="Ask a supervisor to ingest more clips.")
    at = {**owner, "project": first[0]}
    gold = [r[0] for r in db.execute(f"SELECT c.clip_id {_GOLD} ORDER BY random() LIMIT :limit",
                                     {**at, "limit": _half_up(size * mix.gold_rate)})]
    regular = size - len(gold)
    second = [r[0] for r in db.execute(
        f"SELECT c.clip_id {_SECOND_LOOKS} ORDER BY c.created_at, c.rowid LIMIT :limit",
        {**at, "limit": _half_up(regular * mix.overlap_rate / (1 + mix.overlap_rate))})]
    fresh = [r[0] for r in db.execute(f"SELECT c.clip_id {_FREE} AND c.project = :project {_OLDEST}",
                                      {**at, "limit": regular - len(second)})]
    if not fresh and not second:
        raise Conflict("No clips are waiting to be labeled.", hint="Ask a supervisor to ingest more clips.")
    chance = random.SystemRandom()
    marked = chance.sample(fresh, min(len(fresh), _half_up(len(fresh) * mix.overlap_rate)))
    db.executemany("UPDATE clips SET overlap_at = ? WHERE clip_id = ?", [(now_iso(), c) for c in marked])
    chosen = [*gold, *second, *fresh]
    chance.shuffle(chosen)
    return str(first[0]), chosen


def waiting_count(db: HubDB, user: str | None = None) -> int:
    """Clips still to be labeled that a shift could hand out (to ``user``: counting their own open shifts)."""
    row = db.execute(f"SELECT COUNT(*) {_POOL}", {"owner": user}).fetchone()
    return int(row[0])


def listing(db: HubDB, shift_id: str) -> ShiftOut:
    shift = db.execute("SELECT status, created_at, size, project FROM shifts WHERE shift_id = ?",
                       [shift_id]).fetchone()
    clips = db.execute(
        "SELECT sc.clip_id, sc.position, c.ciphertext_size, c.ciphertext_sha256 FROM shift_clips sc "
        "JOIN clips c ON c.clip_id = sc.clip_id WHERE sc.shift_id = ? AND c.status = 'active' "
        "AND sc.withdrawn_at IS NULL ORDER BY sc.position",
        [shift_id],
    ).fetchall()
    return ShiftOut(
        shift_id=shift_id, status=shift[0], created_at=shift[1], size=len(clips),
        clips=[ShiftClipOut(clip_id=c[0], position=c[1], size=c[2], sha256=c[3]) for c in clips],
        taxonomy=taxonomy.get(db, shift[3]), withdrawn=_withdrawn(db, shift_id),
    )


def _withdrawn(db: HubDB, shift_id: str) -> list[str]:
    rows = db.execute("SELECT clip_id FROM shift_clips WHERE shift_id = ? AND withdrawn_at IS NOT NULL "
                      "ORDER BY position", [shift_id]).fetchall()
    return [str(r[0]) for r in rows]


@dataclass(frozen=True)
class Shift:
    shift_id: str
    user: str
    device_id: str
    project: str
    public_key: bytes
    status: str
    size: int


def owned_shift(db: HubDB, caller: Caller, shift_id: str, *, supervisors_too: bool = False) -> Shift:
    """The shift when the caller may see it; otherwise NotFound, never a hint that it exists."""
    row = db.execute("SELECT shift_id, user, device_id, project, public_key, status, size FROM shifts "
                     "WHERE shift_id = ?", [shift_id]).fetchone()
    shift = Shift(*row) if row is not None else None
    if shift is None or not (shift.user == caller.user or (supervisors_too and caller.role in SUPERVISING_ROLES)):
        raise NotFound("There is no such shift among yours.")
    return shift


def _require_open(shift: Shift) -> None:
    if shift.status != OPEN:
        raise Conflict("This shift is closed; its clips and keys are no longer handed out.",
                       hint="Start a new shift.")


def state(db: HubDB, caller: Caller, shift_id: str) -> ShiftStateOut:
    shift = owned_shift(db, caller, shift_id, supervisors_too=True)
    rows = db.execute(
        "SELECT sc.clip_id, sc.position, EXISTS (SELECT 1 FROM labels l WHERE l.shift_id = sc.shift_id "
        f"AND l.clip_id = sc.clip_id AND {DECIDED}) FROM shift_clips sc WHERE sc.shift_id = ? "
        "AND sc.withdrawn_at IS NULL ORDER BY sc.position",
        [shift_id],
    ).fetchall()
    clips = [ShiftStateClip(clip_id=r[0], position=r[1], labeled=bool(r[2])) for r in rows]
    return ShiftStateOut(shift_id=shift_id, status=shift.status, size=len(clips),  # type: ignore[arg-type]
                         labeled=sum(c.labeled for c in clips), clips=clips, withdrawn=_withdrawn(db, shift_id))


def sealed_keys(db: HubDB, master: bytes, caller: Caller, shift_id: str) -> dict[str, bytes]:
    """Each clip key of the shift, unwrapped from the master key and sealed on the fly to the current shift key."""
    shift = owned_shift(db, caller, shift_id)
    _require_open(shift)
    rows = db.execute(
        "SELECT c.clip_id, c.wrapped_key FROM shift_clips sc JOIN clips c ON c.clip_id = sc.clip_id "
        "WHERE sc.shift_id = ? AND c.status = 'active' AND sc.withdrawn_at IS NULL ORDER BY sc.position", [shift_id],
    ).fetchall()
    out: dict[str, bytes] = {}
    for clip_id, wrapped in rows:
        clip_key = masterkey.unwrap_clip_key(master, wrapped, clip_id)
        out[clip_id] = _seal(clip_key, shift, clip_id)
    handouts.record(db, caller, shift_id, out, handouts.KEYS)
    return out


def _seal(clip_key: bytes, shift: Shift, clip_id: str) -> bytes:
    try:
        return sealing.seal_clip_key(clip_key, shift.public_key, shift.shift_id, clip_id)
    except ValueError:  # a low-order key an older hub accepted
        raise Conflict("This shift's public key cannot be used to seal clip keys.",
                       hint="Start the shift again (POST /api/v1/shifts) with a fresh shift key.") from None


def _shift_clip(db: HubDB, caller: Caller, shift_id: str, clip_id: str) -> tuple[Shift, int, bytes]:
    """(shift, ciphertext size, wrapped key) of a clip the caller may fetch now: 404 when the shift or the clip
    is not theirs, 410 when the clip was disposed of, 409 when the shift is closed."""
    shift = owned_shift(db, caller, shift_id)
    row = db.execute("SELECT c.ciphertext_size, c.wrapped_key, c.status FROM shift_clips sc "
                     "JOIN clips c ON c.clip_id = sc.clip_id WHERE sc.shift_id = ? AND sc.clip_id = ?",
                     [shift_id, clip_id]).fetchone()
    if row is None:
        raise NotFound("This clip is not part of the shift.")
    if row[2] in disposals.GONE:
        raise disposals.gone(clip_id, row[2])
    _require_open(shift)
    if row[2] != "active":
        raise NotFound("This clip is not part of the shift.")
    return shift, int(row[0]), bytes(row[1])


def sealed_key(db: HubDB, master: bytes, caller: Caller, shift_id: str, clip_id: str) -> bytes:
    """One clip key of the shift, sealed to the current shift key (as in :func:`sealed_keys`)."""
    shift, _, wrapped = _shift_clip(db, caller, shift_id, clip_id)
    clip_key = masterkey.unwrap_clip_key(master, wrapped, clip_id)
    sealed = _seal(clip_key, shift, clip_id)
    handouts.record(db, caller, shift_id, [clip_id], handouts.KEY)
    return sealed


def clip_blob(db: HubDB, blob_path: Path, caller: Caller, shift_id: str, clip_id: str) -> int:
    """Check the caller may download this clip now and record the hand-out; returns its ciphertext size."""
    _, size, _ = _shift_clip(db, caller, shift_id, clip_id)
    if not blob_path.is_file():
        raise NotFound("This clip is not part of the shift.")
    handouts.record(db, caller, shift_id, [clip_id], handouts.CIPHERTEXT)
    return size


def close(db: HubDB, caller: Caller, shift_id: str) -> None:
    """Close the shift (idempotent). Its unlabeled clips go back to the pool; labels may still arrive."""
    owned_shift(db, caller, shift_id)
    with write_transaction(db):
        db.execute("UPDATE shifts SET status = 'closed', closed_at = ? WHERE shift_id = ? AND status = 'open'",
                   [now_iso(), shift_id])
        standing.release(db, shift_id)
