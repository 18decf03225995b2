"""Sign-in throttling: growing waits for password guesses, counted in hub.db so they survive a restart.

Each sign-in that reaches the password check counts against three keys:

- the user name as typed *on this workstation* (whether or not such a user exists, so the answer never
  tells) — a few free tries (``signin_free_failures_per_user_device``, 5);
- the workstation (device), whatever the name — one seat spraying many names (20);
- the client address, whatever the seat — many seats, or a script, on one address (50).

Once a key has used up its free tries, each further failure doubles the wait before the next attempt on
it (30 s, 1 min, 2 min … capped at 1 h); every attempt inside the wait is answered 429 with
``Retry-After`` — before any password work, so a locked key costs the hub nothing. A key is forgotten
after a quiet period with no failure (24 h). A right password clears the (user name, workstation)
counter and gives its attempt back to the workstation's and the address's counters; IT clears a user's
counters with ``hub user unlock NAME`` or ``POST /api/v1/users/{name}/unlock``.

Attempts are counted *before* the password is checked, in one write transaction, so a burst of
parallel guesses cannot slip past the count.

What it protects against: online guessing of one account's password through the API from a seat or
an address (after the free tries, about 12 more guesses in the first day per seat and name, and the
per-seat and per-address keys bound how many names one seat or address can try); one colleague
locking someone out everywhere — a wrong password typed at seat A pauses only that name *on seat A*,
so the right password on any other approved seat still gets in.

What it does not protect against, and what it costs:

- a slow, distributed guesser: someone with many approved seats (and addresses) gets the free tries
  and the growing waits on each (user, seat) pair, so N seats give about N × 17 guesses per name a day.
  Seats must be approved by IT, which is the real bound; passwords still need to be good, and IT should
  look at many failures in the hub's counters (``signin_failures``);
- seats behind one NAT or proxy share the per-address counter (the hub does not trust
  ``X-Forwarded-For``): 50 failures among them pause sign-in for all of them (30 s, doubling), and a
  person at one of them can provoke that for the floor. Raise ``signin_free_failures_per_address``
  for such floors;
- one seat's device counter is shared by everyone who signs in there: someone spraying names at a
  shared seat pauses that seat for everybody (not other seats);
- an offline attack on a copy of hub.db (scrypt is the defence there).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from workstation.hub.db import HubDB
from workstation.hub.errors import Throttled
from workstation.hub.storage import write_transaction


@dataclass(frozen=True)
class Policy:
    """How long attempts wait once a key's free tries are used up, and when a key is forgotten."""

    first_wait_s: float = 30.0
    max_wait_s: float = 3600.0
    forget_after_s: float = 24 * 3600.0


@dataclass(frozen=True)
class Key:
    """One counter: ``scope`` names it for people ("from this workstation"), ``free`` failures cost no wait.

    ``user`` is set on the (user name, workstation) key, so ``unlock`` finds a user's counters."""

    key: str
    scope: str
    free: int
    user: str | None = None


@dataclass(frozen=True)
class Attempt:
    """An attempt :func:`admit` counted: what :func:`succeeded` needs to give it back."""

    keys: tuple[Key, ...]
    locks: dict[str, tuple[float, float]]
    """Per key: (the lock this attempt set, the lock before it)."""


def keys_for(username: str, device_id: str, address: str, *, free_user_device: int, free_device: int,
             free_address: int) -> list[Key]:
    """The three counters of a sign-in: (user name, workstation) first, then workstation, then address."""
    return [Key(f"user-device:{device_id}:{username}", "for this user name on this workstation", free_user_device,
                username),
            Key(f"device:{device_id}", "from this workstation", free_device),
            Key(f"address:{address}", "from this network address", free_address)]


def wait_after(failures: int, free: int, policy: Policy) -> float:
    """Seconds the next attempt waits after ``failures``: none before the free tries are used up, then
    ``first_wait_s`` doubling with each further failure, at most ``max_wait_s``."""
    if failures < free:
        return 0.0
    doublings = failures - free
    if doublings >= 60:  # far past the cap; keeps the power small
        return policy.max_wait_s
    return float(min(policy.first_wait_s * 2**doublings, policy.max_wait_s))


def _duration(seconds: float) -> str:
    if seconds < 60:
        whole = max(1, math.ceil(seconds))
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def admit(db: HubDB, keys: list[Key], policy: Policy, *, now: float | None = None) -> Attempt:
    """Count one attempt against every key, or raise :class:`Throttled` (counting nothing) when one must wait."""
    now = time.time() if now is None else now
    with write_transaction(db):
        db.execute("DELETE FROM signin_failures WHERE last_failure <= ?", [now - policy.forget_after_s])
        rows = {key.key: db.execute("SELECT failures, locked_until FROM signin_failures WHERE key = ?",
                                    [key.key]).fetchone() for key in keys}
        waiting = [(float(row[1]) - now, key) for key in keys if (row := rows[key.key]) is not None and row[1] > now]
        if waiting:
            wait, key = max(waiting, key=lambda item: item[0])
            raise Throttled(f"Too many failed sign-in attempts {key.scope}; sign-in is paused for "
                            f"{_duration(wait)}.", retry_after_s=math.ceil(wait),
                            hint="Wait, then try again; ask a supervisor if the password is forgotten.")
        locks: dict[str, tuple[float, float]] = {}
        for key in keys:
            row = rows[key.key]
            failures = (int(row[0]) if row is not None else 0) + 1
            wait = wait_after(failures, key.free, policy)
            lock = now + wait if wait else 0.0
            locks[key.key] = (lock, float(row[1]) if row is not None else 0.0)
            db.execute("INSERT INTO signin_failures (key, user, failures, last_failure, locked_until) "
                       "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
                       "last_failure = excluded.last_failure, locked_until = excluded.locked_until",
                       [key.key, key.user, failures, now, lock])
    return Attempt(tuple(keys), locks)


def succeeded(db: HubDB, attempt: Attempt) -> None:
    """A right password: the (user name, workstation) counter is cleared; the others get this attempt back."""
    user_key, *others = attempt.keys
    with write_transaction(db):
        db.execute("DELETE FROM signin_failures WHERE key = ?", [user_key.key])
        for key in others:
            ours, before = attempt.locks[key.key]
            db.execute("UPDATE signin_failures SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END, locked_until = CASE "
                       "WHEN locked_until = ? THEN ? ELSE locked_until END WHERE key = ?", [ours, before, key.key])


@dataclass(frozen=True)
class Cleared:
    failures: int
    workstations: int


def unlock_user(db: HubDB, username: str) -> Cleared:
    """Forget every (user name, workstation) counter of ``username``; returns what was cleared."""
    with write_transaction(db):
        row = db.execute("SELECT coalesce(sum(failures), 0), count(*) FROM signin_failures WHERE user = ?",
                         [username]).fetchone()
        db.execute("DELETE FROM signin_failures WHERE user = ?", [username])
    return Cleared(int(row[0]), int(row[1]))
