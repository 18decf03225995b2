"""Sign-in throttling: a limit on password guesses, counted in hub.db so it survives a restart.

Each sign-in that reaches the password check counts against three keys: the user name as typed
(whether or not such a user exists, so the answer never tells), the device, and the client address.
When a key has used up its failures within the window (e.g. 5 per user name in 15 minutes), every
further attempt on it is answered 429 with ``Retry-After`` until the window that began with its first
failure has passed — before any password work, so a locked name costs the hub nothing.

Attempts are counted *before* the password is checked, in one write transaction (so a burst of
parallel guesses cannot slip past the count); a right password then takes its attempt back: the
user name's counter is cleared and the device's and address's are lowered by one.

What it protects against: online guessing of one account's password through the API, and one seat
or one address trying many names. What it does not: a thief who guesses slowly (5 tries per
15 minutes per name is about 480 a day: passwords still need to be good); an offline attack on a
copy of hub.db (scrypt is the defence there); a colleague locking someone out for 15 minutes by
typing wrong passwords for their name (the price of counting per name); seats behind one NAT or
proxy sharing an address counter (the hub does not trust ``X-Forwarded-For``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import sqlite_utils

from workstation.hub.errors import Throttled
from workstation.hub.storage import write_transaction


@dataclass(frozen=True)
class Key:
    """One counter: ``scope`` names it for people ("for this user name"), ``limit`` caps its failures."""

    key: str
    scope: str
    limit: int


def keys_for(username: str, device_id: str, address: str, *, per_user: int, per_device: int,
             per_address: int) -> list[Key]:
    return [Key(f"user:{username}", "for this user name", per_user),
            Key(f"device:{device_id}", "from this workstation", per_device),
            Key(f"address:{address}", "from this network address", per_address)]


def _minutes(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def admit(db: sqlite_utils.Database, keys: list[Key], window_s: int, *, now: float | None = None) -> None:
    """Count one attempt against every key, or raise :class:`Throttled` (counting nothing) when one is spent."""
    now = time.time() if now is None else now
    with write_transaction(db):
        db.execute("DELETE FROM signin_throttle WHERE window_start <= ?", [now - window_s])
        rows = {key.key: db.execute("SELECT failures, window_start FROM signin_throttle WHERE key = ?",
                                    [key.key]).fetchone() for key in keys}
        spent = [(row[1] + window_s - now, key) for key in keys
                 if (row := rows[key.key]) is not None and row[0] >= key.limit]
        if spent:
            wait, key = max(spent, key=lambda item: item[0])
            raise Throttled(f"Too many failed sign-in attempts {key.scope}; sign-in is paused for "
                            f"{_minutes(wait)}.", retry_after_s=math.ceil(wait),
                            hint="Wait, then try again; ask a supervisor if the password is forgotten.")
        for key in keys:
            if rows[key.key] is None:
                db.execute("INSERT INTO signin_throttle (key, failures, window_start) VALUES (?, 1, ?)",
                           [key.key, now])
            else:
                db.execute("UPDATE signin_throttle SET failures = failures + 1 WHERE key = ?", [key.key])


def succeeded(db: sqlite_utils.Database, keys: list[Key]) -> None:
    """A right password: the user name's counter starts over; the others get this attempt back."""
    user_key, *others = keys
    with write_transaction(db):
        db.execute("DELETE FROM signin_throttle WHERE key = ?", [user_key.key])
        for key in others:
            db.execute("UPDATE signin_throttle SET failures = max(failures - 1, 0) WHERE key = ?", [key.key])
