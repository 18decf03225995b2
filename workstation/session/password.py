"""Checking an annotator's password on the seat, without the hub. No Qt here.

Two uses of one verifier (a salted scrypt hash of the password; the password itself is never kept):

* **Idle lock** — made from the password typed at sign-in and kept in this process's memory only;
  the lock screen checks what is typed against it, so unlocking works while the hub is away.
* **Offline continuation** — made at the annotator's last *online* sign-in (the hub had just accepted
  the password) and kept in the key store next to the shift key (``offline-<shift id>``), so that after
  a crash, a closed window or a power cut only the shift's owner can go on with it while the hub is
  unreachable. It is shredded with the shift key.

Wrong passwords are throttled by :class:`Attempts`: a few free tries, then a wait that doubles with
each further wrong password (30 s, 1 min, 2 min … up to an hour) and only a right password resets.
That is about two dozen guesses a day once the waits have grown, not thousands.

Protects against: anyone else at the seat going on with the shift (idle lock, offline continuation);
guessing at the lock or sign-in screen (escalating waits; for offline continuation the count is kept in
the seat's store, so restarting the app does not reset it); the in-memory hash reaching disk (it refuses
to be pickled).

Does not protect against: someone who can read the key store of the seat's OS account, or this
process's memory — they can try passwords against the hash offline (scrypt makes each try cost about
0.2 s and 64 MiB) and they could read the shift key itself anyway; someone who can edit the seat's store
(they can reset the offline attempt count) or move the PC's clock; someone who watched the password being
typed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

SCRYPT_N = 2**16
"""CPU/memory cost: 64 MiB and about 0.2 s per check on a floor PC."""
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
_MAXMEM = 128 * 1024 * 1024  # OpenSSL's default ceiling (32 MiB) is below what N=2**16, r=8 needs

FREE_TRIES = 5
"""Wrong passwords before the first wait."""
FIRST_WAIT_S = 30.0
"""The first wait; each further wrong password doubles it."""
MAX_WAIT_S = 3600.0
"""The longest wait."""

_FORMAT = "fws-verifier-v1"


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    raw = unicodedata.normalize("NFC", password).encode("utf-8")
    return hashlib.scrypt(raw, salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=HASH_BYTES)


class LocalPassword:
    """One annotator's password as a salted scrypt hash (a verifier), never the password itself."""

    __slots__ = ("_hash", "_n", "_p", "_r", "_salt", "username")

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self._salt = os.urandom(SALT_BYTES)
        self._n, self._r, self._p = SCRYPT_N, SCRYPT_R, SCRYPT_P
        self._hash = _derive(password, self._salt, self._n, self._r, self._p)

    def verify(self, password: str) -> bool:
        """True when ``password`` is the one this verifier was made from (constant-time compare)."""
        return hmac.compare_digest(_derive(password, self._salt, self._n, self._r, self._p), self._hash)

    def to_bytes(self) -> bytes:
        """The verifier for the key store (salt, cost and hash; no password)."""
        return json.dumps({"format": _FORMAT, "user": self.username, "n": self._n, "r": self._r, "p": self._p,
                           "salt": base64.b64encode(self._salt).decode("ascii"),
                           "hash": base64.b64encode(self._hash).decode("ascii")}).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> LocalPassword:
        """A verifier read back from the key store; ``ValueError`` when it is not one."""
        try:
            data = json.loads(raw.decode("utf-8"))
            if data.get("format") != _FORMAT:
                raise ValueError("not a password verifier")
            n, r, p = int(data["n"]), int(data["r"]), int(data["p"])
            if not (2**14 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 4):
                raise ValueError("verifier cost out of range")
            salt, digest = base64.b64decode(data["salt"]), base64.b64decode(data["hash"])
            username = str(data["user"])
        except (KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"not a password verifier: {exc}") from None
        if len(salt) != SALT_BYTES or len(digest) != HASH_BYTES:
            raise ValueError("not a password verifier: wrong sizes")
        verifier = cls.__new__(cls)
        verifier.username, verifier._salt, verifier._hash = username, salt, digest
        verifier._n, verifier._r, verifier._p = n, r, p
        return verifier

    def __repr__(self) -> str:
        return f"LocalPassword(username={self.username!r})"

    def __reduce__(self) -> NoReturn:
        raise TypeError("a LocalPassword stays in memory or in the key store; it cannot be pickled")


@dataclass
class Attempts:
    """Counts wrong passwords; after ``free`` of them each further one starts a wait that doubles.

    ``clock`` is wall-clock seconds when the count is kept across restarts (:meth:`to_text`), else
    any monotonic clock. Only :meth:`succeeded` starts the count over; a wait running out does not.
    """

    clock: Callable[[], float] = time.monotonic
    free: int = FREE_TRIES
    first_wait_s: float = FIRST_WAIT_S
    max_wait_s: float = MAX_WAIT_S
    wrong: int = 0
    until: float = 0.0

    def wait_left(self) -> float:
        """Seconds until a password may be tried again (0 when it may now)."""
        return max(0.0, self.until - self.clock())

    @property
    def tries_left(self) -> int:
        """Wrong passwords still possible before the next wait."""
        return max(0, self.free - self.wrong)

    def next_wait_s(self) -> float:
        """The wait the next wrong password would start (0 while free tries are left)."""
        over = self.wrong + 1 - self.free
        return 0.0 if over < 0 else min(self.max_wait_s, self.first_wait_s * 2 ** min(over, 32))

    def failed(self) -> float:
        """Note a wrong password; returns the wait it starts in seconds (0 while free tries are left)."""
        wait = self.next_wait_s()
        self.wrong += 1
        if wait:
            self.until = self.clock() + wait
        return wait

    def succeeded(self) -> None:
        self.wrong = 0
        self.until = 0.0

    def to_text(self) -> str:
        return json.dumps({"wrong": self.wrong, "until": self.until})

    def load_text(self, text: str | None) -> None:
        """Take over a count saved by :meth:`to_text` (an unreadable one counts as the first wait)."""
        if not text:
            return
        try:
            data = json.loads(text)
            self.wrong, self.until = int(data["wrong"]), float(data["until"])
        except (KeyError, TypeError, ValueError):
            self.wrong, self.until = self.free, self.clock() + self.first_wait_s


def wait_words(seconds: float) -> str:
    """A wait as people say it: "30 seconds", "2 minutes", "1 hour"."""
    s = max(1, round(seconds))
    if s < 90:
        return f"{s} second{'s' if s != 1 else ''}"
    minutes = round(s / 60)
    if minutes < 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return f"{hours} hour{'s' if hours != 1 else ''}"
