"""Unlocking the idle lock without the hub: the sign-in password, checked locally. No Qt here.

At sign-in the password the annotator typed is turned into a salted scrypt hash (a fresh random salt
per sign-in) and kept in this process's memory only; the password itself is not kept. The lock screen
checks what is typed against that hash with a constant-time compare, so unlocking works while the hub
is away. Five wrong passwords in a row start a 30-second wait.

Protects against: someone else at an unattended seat going on with the shift; guessing at the lock
screen (five tries, then a wait); the hash reaching disk (it refuses to be pickled and is never
written; the shift's own data never holds it).

Does not protect against: someone who can read this process's memory (they can try passwords against
the hash offline — scrypt makes each try cost about 0.1 s and 32 MiB); someone who watched the
password being typed. After a continue-offline start the hub never checked the password: the lock
then only proves that the person at the seat is the one who typed it at the start.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
import unicodedata
from collections.abc import Callable
from typing import NoReturn

SCRYPT_N = 2**15
"""CPU/memory cost: 32 MiB and about 0.1 s per check on a floor PC."""
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
_MAXMEM = 64 * 1024 * 1024  # OpenSSL's default ceiling (32 MiB) is just under what N=2**15, r=8 needs

MAX_WRONG = 5
"""Wrong passwords in a row before a wait."""
WAIT_S = 30.0
"""The wait after ``MAX_WRONG`` wrong passwords."""


def _derive(password: str, salt: bytes) -> bytes:
    raw = unicodedata.normalize("NFC", password).encode("utf-8")
    return hashlib.scrypt(raw, salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=_MAXMEM, dklen=HASH_BYTES)


class LocalPassword:
    """The signed-in annotator's password as a salted scrypt hash, in memory only."""

    __slots__ = ("_hash", "_salt", "username")

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self._salt = os.urandom(SALT_BYTES)
        self._hash = _derive(password, self._salt)

    def verify(self, password: str) -> bool:
        """True when ``password`` is the one typed at sign-in (constant-time compare)."""
        return hmac.compare_digest(_derive(password, self._salt), self._hash)

    def __repr__(self) -> str:
        return f"LocalPassword(username={self.username!r})"

    def __reduce__(self) -> NoReturn:
        raise TypeError("a LocalPassword stays in memory; it cannot be pickled or saved")


class Attempts:
    """Counts wrong passwords; after ``MAX_WRONG`` in a row, no check is made for ``WAIT_S`` seconds."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, *, max_wrong: int = MAX_WRONG,
                 wait_s: float = WAIT_S) -> None:
        self._clock = clock
        self.max_wrong = max_wrong
        self.wait_s = wait_s
        self.wrong = 0
        self._until = 0.0

    def wait_left(self) -> float:
        """Seconds until a password may be tried again (0 when it may now)."""
        left = self._until - self._clock()
        if left <= 0 and self._until:
            self._until = 0.0
            self.wrong = 0  # the wait is over: a fresh set of tries
        return max(0.0, left)

    @property
    def tries_left(self) -> int:
        return self.max_wrong - self.wrong

    def failed(self) -> float:
        """Note a wrong password; the wait it starts in seconds (0 when there are tries left)."""
        self.wrong += 1
        if self.wrong >= self.max_wrong:
            self._until = self._clock() + self.wait_s
            return self.wait_s
        return 0.0

    def succeeded(self) -> None:
        self.wrong = 0
        self._until = 0.0
