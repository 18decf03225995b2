"""The hub's record of what it handed to whom: each clip key and each ciphertext download.

Every answer that gives a seat something that opens or carries a clip writes one row per clip, in the same
request, before the answer leaves: ``keys`` (a shift's sealed keys, ``GET /shifts/{id}/keys``: one row per
clip in it), ``key`` (one clip's sealed key) and ``ciphertext`` (a clip's download). A row names the user,
the device (seat), the session and the shift. Together with the seats' audit events (``clip_shown``…) and
the shift's clip list this answers "who was given, and who viewed, clip X" (:mod:`workstation.hub.clipaudit`).

What it records: what the hub gave out, on the hub's clock. What it does not: whether the seat used it (a
download cut off midway is recorded as given), nor copies a seat made afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable

from workstation.hub.auth import Caller
from workstation.hub.db import HubDB
from workstation.hub.storage import now_iso, write_transaction

KEYS, KEY, CIPHERTEXT = "keys", "key", "ciphertext"


def record(db: HubDB, caller: Caller, shift_id: str, clip_ids: Iterable[str], what: str) -> None:
    """One row per clip handed to the caller (its own transaction)."""
    at = now_iso()
    with write_transaction(db):
        db.executemany(
            "INSERT INTO handouts (at, what, user, device_id, session_id, shift_id, clip_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(at, what, caller.user, caller.device_id, caller.session_id, shift_id, clip_id) for clip_id in clip_ids])
