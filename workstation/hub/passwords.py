"""Password hashing for hub users: scrypt with a per-user salt, parameters stored with the hash.

Encoded as ``scrypt$n=131072,r=8,p=1$<salt b64>$<hash b64>``. The default cost (:data:`DEFAULT_COST`,
N=2**17, r=8: about 128 MiB and a few tenths of a second per hash) is what every new hash gets; a
stored hash with other parameters (an older hub's N=2**14) is replaced with the default at the user's
next right password (:func:`needs_rehash`, :func:`workstation.hub.users.authenticate`). Verification
compares in constant time, and an unknown user name is checked against a dummy hash of the same cost.

At most :data:`HASH_SLOTS` (the number of CPUs) hashes run at once; the others wait their turn, so a
burst of parallel sign-ins costs time, not 128 MiB each (40 at once would take 5 GB).

What it protects against: an offline attack on a copy of hub.db (each guess costs the attacker the
same scrypt work), and parallel sign-ins exhausting the hub's memory. What it does not: weak
passwords (only ``MIN_LENGTH`` is enforced); online guessing by itself (the sign-in also needs an
approved device's signature over a single-use nonce, and failures are throttled:
:mod:`workstation.hub.throttle`); a queue of sign-ins waiting for a slot under a burst (they wait, the
hub stays up).

Tests may hash with a cheaper :class:`Cost` only through the explicit ``test_only_password_cost`` of
:class:`workstation.hub.config.HubConfig` / :class:`workstation.hub.service.HubService`; the default is
never lowered.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
from dataclasses import dataclass
from functools import cache

SCHEME = "scrypt"
SALT_BYTES = 16
DKLEN = 32
MIN_LENGTH = 8


@dataclass(frozen=True)
class Cost:
    """scrypt parameters: ``n`` (a power of two), ``r``, ``p``; memory is about 128 × r × n bytes."""

    n: int
    r: int
    p: int

    def __post_init__(self) -> None:
        if self.n < 2 or self.n & (self.n - 1) or self.r < 1 or self.p < 1:
            raise ValueError("scrypt needs n a power of two above 1, and r and p at least 1")

    def maxmem(self) -> int:
        """What hashlib must be allowed to use: scrypt's V (128·r·n) and B (128·r·p) blocks, with room."""
        return 128 * self.r * (self.n + self.p + 2) + 16 * 1024 * 1024


DEFAULT_COST = Cost(n=2**17, r=8, p=1)
HASH_SLOTS = threading.BoundedSemaphore(os.cpu_count() or 1)
"""How many hashes may run at once (one per CPU); the others wait for a slot."""
_MAX_VERIFY_N = 2**20
"""A stored hash asking for more than this is not computed (it would take GBs): it verifies nothing."""
_scrypt = hashlib.scrypt


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, cost: Cost) -> bytes:
    with HASH_SLOTS:
        return _scrypt(password.encode("utf-8"), salt=salt, n=cost.n, r=cost.r, p=cost.p, dklen=DKLEN,
                       maxmem=cost.maxmem())


def hash_password(password: str, cost: Cost = DEFAULT_COST) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _derive(password, salt, cost)
    return f"{SCHEME}$n={cost.n},r={cost.r},p={cost.p}${_b64(salt)}${_b64(digest)}"


def _parse(encoded: str) -> tuple[Cost, bytes, bytes]:
    scheme, params, salt, digest = encoded.split("$")
    if scheme != SCHEME:
        raise ValueError(f"unknown password scheme {scheme!r}")
    values = dict(item.split("=", 1) for item in params.split(","))
    cost = Cost(int(values["n"]), int(values["r"]), int(values["p"]))
    return cost, base64.b64decode(salt), base64.b64decode(digest)


def verify_password(password: str, encoded: str) -> bool:
    try:
        cost, salt, expected = _parse(encoded)
    except (ValueError, KeyError):
        return False
    if cost.n > _MAX_VERIFY_N or cost.r * cost.p > 64:
        return False
    return hmac.compare_digest(_derive(password, salt, cost), expected)


def needs_rehash(encoded: str, cost: Cost = DEFAULT_COST) -> bool:
    """True when ``encoded`` was not made with ``cost`` (or cannot be read)."""
    try:
        stored, _, _ = _parse(encoded)
    except (ValueError, KeyError):
        return True
    return stored != cost


@cache
def dummy_hash(cost: Cost = DEFAULT_COST) -> str:
    """Checked against when the user name is unknown, so that case costs what a wrong password costs."""
    return hash_password(secrets.token_urlsafe(16), cost)
