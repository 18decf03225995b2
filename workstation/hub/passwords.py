"""Password hashing for hub users: scrypt with a per-user salt, parameters stored with the hash.

Encoded as ``scrypt$n=16384,r=8,p=1$<salt b64>$<hash b64>`` so stronger parameters can be
introduced later (:func:`needs_rehash` tells when a stored hash uses older ones).
Verification compares in constant time. It does not slow down online guessing by itself; the
sign-in also needs an approved device's signature over a single-use nonce, and failed attempts are
throttled (:mod:`workstation.hub.throttle`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1
SALT_BYTES = 16
DKLEN = 32
MIN_LENGTH = 8


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=DKLEN,
                          maxmem=256 * 1024 * 1024)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _derive(password, salt, N, R, P)
    return f"{SCHEME}$n={N},r={R},p={P}${_b64(salt)}${_b64(digest)}"


def _parse(encoded: str) -> tuple[int, int, int, bytes, bytes]:
    scheme, params, salt, digest = encoded.split("$")
    if scheme != SCHEME:
        raise ValueError(f"unknown password scheme {scheme!r}")
    values = dict(item.split("=", 1) for item in params.split(","))
    return int(values["n"]), int(values["r"]), int(values["p"]), base64.b64decode(salt), base64.b64decode(digest)


def verify_password(password: str, encoded: str) -> bool:
    try:
        n, r, p, salt, expected = _parse(encoded)
    except (ValueError, KeyError):
        return False
    return hmac.compare_digest(_derive(password, salt, n, r, p), expected)


def needs_rehash(encoded: str) -> bool:
    try:
        n, r, p, _, _ = _parse(encoded)
    except (ValueError, KeyError):
        return True
    return (n, r, p) != (N, R, P)


@cache
def dummy_hash() -> str:
    """Checked against when the user name is unknown, so that case costs what a wrong password costs."""
    return hash_password(secrets.token_urlsafe(16))
