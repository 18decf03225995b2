"""Hub users: annotators, supervisors and admins, with scrypt password hashes.

Roles: an *annotator* takes shifts and labels; a *supervisor* may also take shifts, and sees every
shift's state, the user list, the disposal queue and the audit trail; an *admin* (IT) manages
devices and accounts and sees what a supervisor sees, but takes no shifts (watches no clips).
A disabled user cannot sign in, and every session they hold ends at once (their tokens get 403).
Not covered: password changes or resets (disable the account and add a new one), and anything an
admin does with direct access to hub.db.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workstation.hub import passwords, standing, workperiods
from workstation.hub.db import HubDB
from workstation.hub.db.core import INTEGRITY_ERRORS
from workstation.hub.errors import Conflict, Invalid, NotFound
from workstation.hub.storage import now_iso, write_transaction

ROLES = ("annotator", "supervisor", "admin")
ANNOTATOR, SUPERVISOR, ADMIN = ROLES
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created_at: str
    disabled_at: str | None = None


def check_new_password(password: str) -> None:
    if not password:
        raise Invalid("The password is empty.", hint="Choose a password of at least 8 characters.")
    if len(password) < passwords.MIN_LENGTH:
        raise Invalid(f"The password is shorter than {passwords.MIN_LENGTH} characters.",
                      hint=f"Choose a password of at least {passwords.MIN_LENGTH} characters.")


def add_user(db: HubDB, name: str, role: str, password: str,
             cost: passwords.Cost = passwords.DEFAULT_COST) -> User:
    if not _NAME.fullmatch(name):
        raise Invalid(f"The user name {name!r} is not allowed.",
                      hint="Use 1–64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.")
    if role not in ROLES:
        raise Invalid(f"The role {role!r} is unknown.", hint=f"Use one of: {', '.join(ROLES)}.")
    check_new_password(password)
    user = User(name, role, now_iso())
    try:
        db.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                   [name, role, passwords.hash_password(password, cost), user.created_at])
    except INTEGRITY_ERRORS:
        raise Conflict(f"A user named {name!r} already exists.",
                       hint="Pick another name; each person has one account.") from None
    return user


def list_users(db: HubDB) -> list[User]:
    rows = db.execute("SELECT name, role, created_at, disabled_at FROM users ORDER BY name").fetchall()
    return [User(*row) for row in rows]


def get(db: HubDB, name: str) -> User:
    row = db.execute("SELECT name, role, created_at, disabled_at FROM users WHERE name = ?", [name]).fetchone()
    if row is None:
        raise NotFound(f"There is no user named {name!r}.", hint="'user list' shows the hub's users.")
    return User(*row)


def disable(db: HubDB, name: str) -> User:
    """Disable an account: no more sign-ins, every session ends, an open shift closes (its clips go back)."""
    with write_transaction(db):
        get(db, name)
        now = now_iso()
        db.execute("UPDATE users SET disabled_at = coalesce(disabled_at, ?) WHERE name = ?", [now, name])
        db.execute("UPDATE sessions SET ended_at = coalesce(ended_at, ?) WHERE user = ?", [now, name])
        workperiods.close(db, workperiods.USER_DISABLED, user=name, at=now)
        for (shift_id,) in db.execute("SELECT shift_id FROM shifts WHERE user = ? AND status = 'open'", [name]).fetchall():
            standing.release(db, shift_id)
        db.execute("UPDATE shifts SET status = 'closed', closed_at = ? WHERE user = ? AND status = 'open'", [now, name])
    return get(db, name)


def enable(db: HubDB, name: str) -> User:
    """Let a disabled account sign in again (sessions ended by the disabling stay ended)."""
    get(db, name)
    db.execute("UPDATE users SET disabled_at = NULL WHERE name = ?", [name])
    return get(db, name)


def authenticate(db: HubDB, name: str, password: str,
                 cost: passwords.Cost = passwords.DEFAULT_COST) -> User | None:
    """The user when the password is right; None for a wrong password and an unknown name alike.

    An unknown name is checked against a dummy hash of ``cost``, so both cases take the same scrypt time.
    A right password whose stored hash was made with another cost (an older hub's) is hashed again with
    ``cost`` and stored. A disabled user is returned too (with ``disabled_at``): the caller refuses them.
    """
    row = db.execute("SELECT name, role, created_at, disabled_at, password_hash FROM users WHERE name = ?",
                     [name]).fetchone()
    encoded = row[4] if row else passwords.dummy_hash(cost)
    ok = passwords.verify_password(password, encoded)
    if not ok or row is None:
        return None
    if passwords.needs_rehash(encoded, cost):
        db.execute("UPDATE users SET password_hash = ? WHERE name = ? AND password_hash = ?",
                   [passwords.hash_password(password, cost), name, encoded])
    return User(row[0], row[1], row[2], row[3])
