"""Sign-in, bearer sessions and the role checks every endpoint makes.

Sign-in needs all of: an approved device; a challenge nonce the hub issued to that device, unexpired
and not used before (it is consumed by the first attempt, right or wrong); the device's Ed25519
signature over ``b"fws-signin-v1\\0" + nonce + b"\\0" + username``; an attempt the sign-in throttle
admits (:mod:`workstation.hub.throttle`: 429 with ``Retry-After`` while a user name on this device, the
device or the address waits after its free failures, before any password work); and the user's
password. An unknown user and a wrong password get the same answer after the same scrypt work; a right
password whose stored hash has an older cost is hashed again (:mod:`workstation.hub.passwords`).

Tokens are 32 random bytes (URL-safe base64); only their SHA-256 is stored, so a copy of hub.db
does not hand out sessions. Each session also has an id of its own (``session_id``), and its record is
kept after it ends (signed out, expired, revoked), so audit intake can say which session delivered an
event (:mod:`workstation.hub.auditlog`); each session is also a work period (:mod:`workstation.hub.workperiods`),
opened at sign-in and closed with it. Every bearer request re-checks, on the server: the session's expiry; that
its device is still approved (a revoked device gets 403, also with a token issued before the
revocation); that its user is not disabled (403); and the role the endpoint needs (403). Revoking a
device or disabling a user ends all of their sessions at once.

Not covered here: a stolen approved device together with a known password (revoke the device);
a token copied off a seat while its session lasts (sessions expire; sign-out and revocation end them).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from workstation.hub import devices, throttle, users, workperiods
from workstation.hub.config import HubConfig
from workstation.hub.db import HubDB
from workstation.hub.errors import Forbidden, NotFound, Unauthorized
from workstation.hub.storage import now_iso, write_transaction
from workstation.wire import signin_message

NONCE_BYTES = 32
TOKEN_BYTES = 32
BAD_CREDENTIALS = "The user name or password is not correct."


@dataclass(frozen=True)
class Caller:
    """Who is behind a bearer token."""

    user: str
    role: str
    device_id: str
    token_hash: str
    session_id: str
    """The session's own id (kept after it ends): what audit intake records as the deliverer."""
    app_version: str | None = None
    """The device's recorded app version and last contact (:func:`workstation.hub.devices.seen`)."""
    last_seen_at: str | None = None

    def require(self, roles: tuple[str, ...], what: str) -> Caller:
        """This caller when their role is one of ``roles``; otherwise :class:`Forbidden` naming ``what``."""
        if self.role not in roles:
            raise Forbidden(f"Only {' or '.join(map(_a, roles))} may {what}; you are signed in as {_a(self.role)}.",
                            hint="Ask someone with that role.")
        return self


def _a(role: str) -> str:
    return f"{'an' if role[:1] in 'aeiou' else 'a'} {role}"


@dataclass(frozen=True)
class NewSession:
    token: str
    expires_at: str
    user: users.User


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _approved_device(db: HubDB, device_id: str) -> devices.Device:
    try:
        device = devices.get(db, device_id)
    except NotFound:
        raise Forbidden("This workstation is not enrolled with the floor hub.",
                        hint="Restart the app so it enrolls, then ask IT to approve its code.") from None
    if device.status == devices.PENDING:
        raise Forbidden("This workstation is still waiting for IT to approve it.",
                        hint=f"Ask IT to approve enrollment code {device.enrollment_code}.")
    if device.status != devices.APPROVED:
        raise Forbidden("This workstation was revoked by IT and may no longer use the floor hub.",
                        hint="Ask IT why; a revoked workstation must enroll afresh.")
    return device


def issue_challenge(db: HubDB, device_id: str, ttl_s: int) -> bytes:
    _approved_device(db, device_id)
    nonce = secrets.token_bytes(NONCE_BYTES)
    with write_transaction(db):
        db.execute("DELETE FROM challenges WHERE expires_at <= ?", [now_iso()])
        db.execute("INSERT INTO challenges (nonce, device_id, expires_at) VALUES (?, ?, ?)",
                   [nonce.hex(), device_id, now_iso(ttl_s)])
    return nonce


def _consume_nonce(db: HubDB, device_id: str, nonce: bytes) -> bool:
    """True when the nonce was issued to this device and is still fresh; it is gone afterwards either way."""
    with write_transaction(db):
        row = db.execute("SELECT device_id, expires_at FROM challenges WHERE nonce = ?", [nonce.hex()]).fetchone()
        db.execute("DELETE FROM challenges WHERE nonce = ?", [nonce.hex()])
    return row is not None and row[0] == device_id and row[1] > now_iso()


def sign_in(db: HubDB, *, username: str, password: str, device_id: str, nonce: bytes,
            signature: bytes, address: str, config: HubConfig) -> NewSession:
    device = _approved_device(db, device_id)
    if not _consume_nonce(db, device_id, nonce):
        raise Unauthorized("The sign-in challenge is unknown, already used or expired.",
                           hint="Sign in again; the app asks for a fresh challenge.")
    try:
        Ed25519PublicKey.from_public_bytes(device.public_key).verify(signature, signin_message(nonce, username))
    except (InvalidSignature, ValueError):
        raise Unauthorized("The sign-in was not signed with this workstation's device key.",
                           hint="If the workstation was reinstalled, it must enroll again.") from None
    keys = throttle.keys_for(username, device_id, address,
                             free_user_device=config.signin_free_failures_per_user_device,
                             free_device=config.signin_free_failures_per_device,
                             free_address=config.signin_free_failures_per_address)
    attempt = throttle.admit(db, keys, config.signin_policy())
    user = users.authenticate(db, username, password, config.password_cost)
    if user is None:
        raise Unauthorized(BAD_CREDENTIALS, hint="Check the user name and password, or ask a supervisor.")
    throttle.succeeded(db, attempt)
    if user.disabled_at is not None:
        raise Forbidden("This account is disabled.", hint="Ask a supervisor or IT to enable it again.")
    token = base64.urlsafe_b64encode(secrets.token_bytes(TOKEN_BYTES)).rstrip(b"=").decode("ascii")
    created, expires = now_iso(), now_iso(config.session_ttl_s)
    session_id = uuid.uuid4().hex
    with write_transaction(db):
        # Sessions are kept after they end (their ids name who delivered audit events); each opens a work period.
        db.execute("INSERT INTO sessions (token_hash, session_id, user, device_id, created_at, expires_at) "
                   "VALUES (?, ?, ?, ?, ?, ?)", [token_hash(token), session_id, user.name, device_id, created,
                                                 expires])
        workperiods.close_expired(db, created)
        workperiods.open_period(db, session_id=session_id, user=user.name, device_id=device_id, started_at=created,
                                expires_at=expires)
    return NewSession(token, expires, user)


def caller_for_token(db: HubDB, token: str) -> Caller:
    hashed = token_hash(token)
    row = db.execute(
        "SELECT s.user, u.role, s.device_id, s.expires_at, s.ended_at, d.status, u.disabled_at, s.session_id, "
        "d.app_version, d.last_seen_at FROM sessions s "
        "JOIN users u ON u.name = s.user JOIN devices d ON d.device_id = s.device_id WHERE s.token_hash = ?",
        [hashed],
    ).fetchone()
    if row is None:
        raise Unauthorized("This session is unknown or has ended.", hint="Sign in again.")
    user, role, device_id, expires_at, ended_at, device_status, disabled_at, session_id, version, seen_at = row
    # The device first: a revoked (or never approved) device gets 403 whatever its token looks like.
    if device_status == devices.REVOKED:
        raise Forbidden("This workstation was revoked by IT and may no longer use the floor hub.",
                        hint="Ask IT why; a revoked workstation must enroll afresh.")
    if device_status != devices.APPROVED:
        raise Forbidden("This workstation is not approved to use the floor hub.",
                        hint="Ask IT to approve its enrollment code.")
    if disabled_at is not None:
        raise Forbidden("This account is disabled.", hint="Ask a supervisor or IT to enable it again.")
    if ended_at is not None:
        raise Unauthorized("This session is unknown or has ended.", hint="Sign in again.")
    if expires_at <= now_iso():
        raise Unauthorized("This session has expired.", hint="Sign in again.")
    return Caller(user, role, device_id, hashed, session_id, version, seen_at)


def sign_out(db: HubDB, caller: Caller) -> None:
    """End the session and its work period; its record (who, which device, when) stays, so its id keeps naming it."""
    now = now_iso()
    with write_transaction(db):
        db.execute("UPDATE sessions SET ended_at = coalesce(ended_at, ?) WHERE token_hash = ?", [now, caller.token_hash])
        workperiods.close(db, workperiods.SIGN_OUT, session_id=caller.session_id, at=now)
