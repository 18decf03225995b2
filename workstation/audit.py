"""The audit log's hash chain, shared by both ends (pure: no Qt, no database, no network).

Each seat (device) keeps one append-only chain of audit events. An event is a small JSON object::

    {"seq": 7, "id": "<32 hex>", "at": "2026-11-25T19:04:05.123Z", "kind": "label",
     "device_id": "<32 hex>", "user": "ana", "shift_id": "<32 hex>" | null, "clip_id": "<32 hex>" | null,
     "data": {...}, "prev": "<64 hex>", "hash": "<64 hex>"}

``hash`` is SHA-256 over ``CONTEXT`` followed by the canonical JSON (sorted keys, no spaces, UTF-8) of
every other field; ``prev`` is the hash of the event before (``GENESIS`` for ``seq`` 1). ``seq`` counts
from 1 without gaps. :func:`verify_chain` walks a chain and names the first broken link.

What it protects against: an entry changed, deleted, inserted or reordered after it was written — on the
seat (the chain no longer verifies from the first changed entry on) and on the hub (the hub checks every
batch continues the chain it holds, and ``hub verify-audit`` re-walks what it stores). Once an event has
reached the hub, the seat can no longer rewrite history without the hub noticing.

What it does not protect against: events never written (a modified app can simply not log), the
newest events cut off or re-hashed before they reached the hub (nothing follows them yet), a chain
rewritten from scratch on the seat before any of it reached the hub (there is no secret in the hash; a
keyed or signed chain would need a key the attacker on the seat does not hold), and a hub administrator
who rewrites both the stored chain and its hashes. The data carries no clip content by design: only ids,
codes, counts and times (:func:`check_data` enforces small scalar values).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

CONTEXT = b"fws-audit-v1\0"
GENESIS = "0" * 64

KINDS = frozenset({
    "sign_in", "sign_out", "shift_start", "shift_end", "clip_shown", "clip_hidden", "label", "skip", "flag",
    "retract", "focus_lost", "focus_back", "capture_capability", "lock", "unlock", "shred", "tamper_detected",
    "disposal_dropped", "offline_continue", "offline_refused",
})
"""Every event kind a seat may write; the hub refuses others."""

MAX_DATA_BYTES = 2048
"""An event's ``data`` is a handful of codes and numbers; this cap keeps anything bulky (frames!) out."""

FIELDS = ("seq", "id", "at", "kind", "device_id", "user", "shift_id", "clip_id", "data", "prev")
_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_AT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$")


class AuditDataError(ValueError):
    """An event's data is not small scalar JSON."""


def canonical(fields: Mapping[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def event_hash(event: Mapping[str, Any]) -> str:
    """The hash of an event (every field but ``hash`` itself)."""
    return hashlib.sha256(CONTEXT + canonical({k: event.get(k) for k in FIELDS})).hexdigest()


def check_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` as a plain dict when it holds only short keys and scalar values, within ``MAX_DATA_BYTES``."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if not isinstance(key, str) or not key or len(key) > 40:
            raise AuditDataError(f"audit data key {key!r} is not a short name")
        if value is not None and not isinstance(value, (str, int, float, bool)):
            raise AuditDataError(f"audit data '{key}' is a {type(value).__name__}; only text, numbers, "
                                 "true/false and null are allowed")
        if isinstance(value, float) and not math.isfinite(value):  # NaN and infinities are not JSON
            raise AuditDataError(f"audit data '{key}' is not a finite number")
        out[key] = value
    if len(canonical(out)) > MAX_DATA_BYTES:
        raise AuditDataError(f"audit data is larger than {MAX_DATA_BYTES} bytes")
    return out


def utc_now_ms() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def new_event(previous: Mapping[str, Any] | None, *, kind: str, device_id: str, user: str = "",
              shift_id: str | None = None, clip_id: str | None = None, data: Mapping[str, Any] | None = None,
              at: str | None = None) -> dict[str, Any]:
    """The event that follows ``previous`` (``None``: the first of the chain), hashed."""
    if kind not in KINDS:
        raise AuditDataError(f"'{kind}' is not an audit event kind")
    event: dict[str, Any] = {
        "seq": int(previous["seq"]) + 1 if previous else 1,
        "id": uuid.uuid4().hex,
        "at": at or utc_now_ms(),
        "kind": kind,
        "device_id": device_id,
        "user": user,
        "shift_id": shift_id,
        "clip_id": clip_id,
        "data": check_data(data or {}),
        "prev": str(previous["hash"]) if previous else GENESIS,
    }
    event["hash"] = event_hash(event)
    return event


@dataclass(frozen=True)
class Break:
    """The first link of a chain that does not hold."""

    seq: int
    """The ``seq`` the break was found at (the expected one when an event is missing)."""
    reason: str

    def __str__(self) -> str:
        return f"audit chain broken at event {self.seq}: {self.reason}"


def check_shape(event: Mapping[str, Any]) -> str | None:
    """Why ``event`` is not a well-formed audit event, or ``None``."""
    if set(event) != {*FIELDS, "hash"}:
        missing = sorted({*FIELDS, "hash"} - set(event))
        extra = sorted(set(event) - {*FIELDS, "hash"})
        return f"fields differ (missing {missing}, unexpected {extra})"
    if not isinstance(event["seq"], int) or isinstance(event["seq"], bool) or event["seq"] < 1:
        return "seq is not a positive whole number"
    if not isinstance(event["id"], str) or not _HEX32.fullmatch(event["id"]):
        return "id is not 32 hex characters"
    if not isinstance(event["at"], str) or not _AT.fullmatch(event["at"]):
        return "at is not an ISO 8601 UTC time"
    if event["kind"] not in KINDS:
        return f"kind {event['kind']!r} is unknown"
    if not isinstance(event["device_id"], str) or not _HEX32.fullmatch(event["device_id"]):
        return "device_id is not 32 hex characters"
    if not isinstance(event["user"], str) or len(event["user"]) > 64:
        return "user is not a short name"
    for key in ("shift_id", "clip_id"):
        if event[key] is not None and (not isinstance(event[key], str) or not _HEX32.fullmatch(event[key])):
            return f"{key} is not 32 hex characters"
    if not isinstance(event["data"], dict):
        return "data is not an object"
    try:
        check_data(event["data"])
    except AuditDataError as exc:
        return str(exc)
    for key in ("prev", "hash"):
        if not isinstance(event[key], str) or not _HEX64.fullmatch(event[key]):
            return f"{key} is not 64 hex characters"
    return None


def verify_chain(events: Iterable[Mapping[str, Any]], *, after: Mapping[str, Any] | None = None) -> Break | None:
    """The first broken link of ``events`` (in order), or ``None`` when the whole chain holds.

    ``after`` is the last event already known good (the chain continues it); without it the chain
    must start at ``seq`` 1 from ``GENESIS``.
    """
    expected_seq = int(after["seq"]) + 1 if after else 1
    expected_prev = str(after["hash"]) if after else GENESIS
    device = after["device_id"] if after else None
    for event in events:
        problem = check_shape(event)
        raw_seq = event.get("seq")
        seq = raw_seq if isinstance(raw_seq, int) else expected_seq
        if problem:
            return Break(seq, problem)
        if event["seq"] != expected_seq:
            what = "missing" if event["seq"] > expected_seq else "repeated or out of order"
            return Break(expected_seq, f"event {expected_seq} is {what} (found {event['seq']} next)")
        if device is not None and event["device_id"] != device:
            return Break(expected_seq, "the event belongs to another seat's chain")
        if event["prev"] != expected_prev:
            return Break(expected_seq, "it does not follow the event before (its 'prev' differs): an earlier "
                                       "event was changed, removed or inserted")
        if event_hash(event) != event["hash"]:
            return Break(expected_seq, "its content does not match its hash: it was changed after it was written")
        device = event["device_id"]
        expected_seq += 1
        expected_prev = event["hash"]
    return None
