"""Audit intake: each device's hash chain (:mod:`workstation.audit`), continued batch by batch.

A seat sends its audit events in order. The hub keeps one chain per device and accepts a batch only
when it continues the stored chain: the first event not stored yet follows the last stored one (seq
and ``prev``), every event hashes right (:func:`workstation.audit.verify_chain`). Events the hub
already holds with the same id and hash are duplicates (a retried batch) and change nothing; an event
whose seq or id the hub holds with another hash is refused with 409 naming that seq: the seat's log
was changed after it was sent. Each event must be the caller's device's; a batch holds at most
``max_audit_batch``. The chain is the seat's, not a user's: whoever is signed in next delivers what an
earlier user of the seat left unsent (so one user's absence cannot stall the chain). The ``user`` field
is the seat's own statement of who was signed in, like every other field of the event.
The hub records, with each stored event, which session (``delivered_session``: the session's id, whose
record names the user and device) and which device (``delivered_device``) delivered it — the hub's own
knowledge, next to the seat's statement.

``hub verify-audit`` (and ``GET /api/v1/audit/verify``) re-walks every stored chain from its first
event and names the first broken link.

What it protects against: a seat rewriting history that already reached the hub; a stored event
changed in hub.db without re-hashing everything after it; stored events removed or reordered (the
chain no longer links). What it does not: events a seat never writes or never sends; a seat's chain
rewritten before any of it reached the hub; the newest stored events cut off (nothing follows them —
though the seat's next batch then no longer continues, 409); someone with write access to hub.db who
re-hashes the chain from the changed event on (the chain holds no secret).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workstation.audit import GENESIS, Break, check_shape, verify_chain
from workstation.hub.auth import Caller
from workstation.hub.db import HubDB
from workstation.hub.errors import Conflict, Invalid
from workstation.hub.schema import check_time
from workstation.hub.storage import now_iso, write_transaction

_COLUMNS = "seq, id, at, kind, device_id, user, shift_id, clip_id, data, prev, hash"


def _event(row: tuple[Any, ...]) -> dict[str, Any]:
    seq, id_, at, kind, device_id, user, shift_id, clip_id, data, prev, hash_ = row
    return {"seq": seq, "id": id_, "at": at, "kind": kind, "device_id": device_id, "user": user,
            "shift_id": shift_id, "clip_id": clip_id, "data": json.loads(data), "prev": prev, "hash": hash_}


def _stored(db: HubDB, device_id: str, seq: int) -> dict[str, Any] | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM audit_events WHERE device_id = ? AND seq = ?",
                     [device_id, seq]).fetchone()
    return _event(row) if row else None


def head(db: HubDB, device_id: str) -> dict[str, Any] | None:
    """The last stored event of the device's chain, or None."""
    row = db.execute(f"SELECT {_COLUMNS} FROM audit_events WHERE device_id = ? ORDER BY seq DESC LIMIT 1",
                     [device_id]).fetchone()
    return _event(row) if row else None


def head_of(db: HubDB, device_id: str) -> tuple[int, str]:
    """(seq, hash) of the last stored event; (0, GENESIS) for a chain the hub has nothing of yet."""
    last = head(db, device_id)
    return (int(last["seq"]), str(last["hash"])) if last else (0, GENESIS)


_HEX32 = re.compile(r"[0-9a-f]{32}")


def _whole(event: Mapping[str, Any]) -> str | None:
    """What :func:`workstation.audit.check_shape` lets through with ``re.match(...$)``: a trailing newline
    after an id, and times out of bounds. Checked whole here (fullmatch), after check_shape."""
    for key in ("id", "shift_id", "clip_id"):
        value = event[key]
        if (value is not None or key == "id") and not _HEX32.fullmatch(value):
            return f"{key} is not 32 hex characters"
    try:
        check_time(event["at"])
    except ValueError as exc:
        return f"at {exc}" if "between" in str(exc) else "at is not an ISO 8601 UTC time ending in Z"
    return None


def _check_items(caller: Caller, events: Sequence[Mapping[str, Any]]) -> None:
    for index, event in enumerate(events):
        seq = event.get("seq")
        where = f"Audit event {seq}" if isinstance(seq, int) else f"Audit event at position {index}"
        try:
            problem = check_shape(event) or _whole(event)
        except ValueError:  # a number canonical JSON cannot carry (infinity)
            problem = "its data holds a number JSON cannot carry"
        if problem:
            raise Invalid(f"{where} is not a well-formed audit event: {problem}.")
        if event["device_id"] != caller.device_id:
            raise Invalid(f"{where} belongs to another workstation's chain; a seat sends only its own events.")
        if index and seq != int(events[0]["seq"]) + index:
            raise Invalid(f"{where} does not follow the event before it in the batch; send events in order, "
                          "without gaps.")


def accept_batch(db: HubDB, caller: Caller,
                 events: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[str], tuple[int, str]]:
    """Store the events that continue the caller's device chain; returns (accepted ids, duplicate ids, head)."""
    _check_items(caller, events)
    accepted: list[str] = []
    duplicates: list[str] = []
    with write_transaction(db):
        last_seq, _ = head_of(db, caller.device_id)
        if not events:
            return accepted, duplicates, head_of(db, caller.device_id)
        first = int(events[0]["seq"])
        if first > last_seq + 1:
            raise Conflict(f"The hub holds this workstation's audit events up to {last_seq}; the batch starts at "
                           f"{first}, so event {last_seq + 1} is missing.",
                           hint="Send the events from the one after the hub's head on (GET /api/v1/audit/head).")
        for event in events:
            seq = int(event["seq"])
            if seq > last_seq:
                taken = db.execute("SELECT seq FROM audit_events WHERE id = ?", [event["id"]]).fetchone()
                if taken is not None:
                    raise Conflict(f"Audit event {seq} carries the id of event {taken[0]} the hub already holds: "
                                   "the workstation's audit log was changed after it was sent (tampering).")
                continue
            stored = _stored(db, caller.device_id, seq)
            if stored is None or stored["hash"] != event["hash"] or stored["id"] != event["id"]:
                raise Conflict(f"Audit event {seq} differs from the one the hub already holds for this workstation: "
                               "the workstation's audit log was changed after it was sent (tampering).",
                               hint="Tell IT; the seat's audit log needs looking at.")
            duplicates.append(str(event["id"]))
        anchor = _stored(db, caller.device_id, first - 1) if first > 1 else None
        broken = verify_chain(events, after=anchor)
        if broken is not None:
            raise Conflict(f"The audit batch does not continue this workstation's chain: {broken}.",
                           hint="Tell IT; the seat's audit log needs looking at.")
        received_at = now_iso()
        for event in events:
            if int(event["seq"]) > last_seq:
                db.execute(
                    f"INSERT INTO audit_events ({_COLUMNS}, received_at, delivered_session, delivered_device) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [event["seq"], event["id"], event["at"], event["kind"], event["device_id"], event["user"],
                     event["shift_id"], event["clip_id"], json.dumps(event["data"], sort_keys=True), event["prev"],
                     event["hash"], received_at, caller.session_id, caller.device_id],
                )
                accepted.append(str(event["id"]))
        return accepted, duplicates, head_of(db, caller.device_id)


@dataclass(frozen=True)
class ChainReport:
    """One device's stored chain, walked from its first event."""

    device_id: str
    label: str
    events: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None

    def as_dict(self) -> dict[str, Any]:
        return {"device_id": self.device_id, "label": self.label, "ok": self.ok, "events": self.events,
                "break": None if self.broken is None else {"seq": self.broken.seq, "reason": self.broken.reason}}

    def line(self) -> str:
        if self.broken is None:
            return f"ok, {self.events} events"
        return f"{self.broken} ({self.events} events stored)"


def _walk(db: HubDB, device_id: str) -> Iterator[dict[str, Any]]:
    cursor = db.execute(f"SELECT {_COLUMNS} FROM audit_events WHERE device_id = ? ORDER BY seq", [device_id])
    for row in cursor:
        yield _event(row)


def verify_all(db: HubDB) -> list[ChainReport]:
    """Every stored chain re-walked with :func:`workstation.audit.verify_chain`, in device enrollment order."""
    rows = db.execute(
        "SELECT a.device_id, coalesce(d.label, ''), count(*) FROM audit_events a "
        "LEFT JOIN devices d ON d.device_id = a.device_id GROUP BY a.device_id, d.label ORDER BY min(d.created_at), a.device_id"
    ).fetchall()
    return [ChainReport(device_id, label, int(count), verify_chain(_walk(db, device_id)))
            for device_id, label, count in rows]
