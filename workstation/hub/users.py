"""Hub users: annotators, supervisors and admins, with scrypt password hashes."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

import sqlite_utils

from workstation.hub import passwords
from workstation.hub.errors import Conflict, Invalid
from workstation.hub.storage import now_iso

ROLES = ("annotator", "supervisor", "admin")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created_at: str


def check_new_password(password: str) -> None:
    if not password:
        raise Invalid("The password is empty.", hint="Choose a password of at least 8 characters.")
    if len(password) < passwords.MIN_LENGTH:
        raise Invalid(f"The password is shorter than {passwords.MIN_LENGTH} characters.",
                      hint=f"Choose a password of at least {passwords.MIN_LENGTH} characters.")


def add_user(db: sqlite_utils.Database, name: str, role: str, password: str) -> User:
    if not _NAME.fullmatch(name):
        raise Invalid(f"The user name {name!r} is not allowed.",
                      hint="Use 1–64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.")
    if role not in ROLES:
        raise Invalid(f"The role {role!r} is unknown.", hint=f"Use one of: {', '.join(ROLES)}.")
    check_new_password(password)
    user = User(name, role, now_iso())
    try:
        db.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                   [name, role, passwords.hash_password(password), user.created_at])
    except sqlite3.IntegrityError:
        raise Conflict(f"A user named {name!r} already exists.",
                       hint="Pick another name; each person has one account.") from None
    return user


def list_users(db: sqlite_utils.Database) -> list[User]:
    rows = db.execute("SELECT name, role, created_at FROM users ORDER BY name").fetchall()
    return [User(*row) for row in rows]


def authenticate(db: sqlite_utils.Database, name: str, password: str) -> User | None:
    """The user when the password is right; None for a wrong password and an unknown name alike.

    An unknown name is checked against a dummy hash, so both cases take the same scrypt time.
    """
    row = db.execute("SELECT name, role, created_at, password_hash FROM users WHERE name = ?", [name]).fetchone()
    encoded = row[3] if row else passwords.dummy_hash()
    ok = passwords.verify_password(password, encoded)
    return User(row[0], row[1], row[2]) if (ok and row is not None) else None
