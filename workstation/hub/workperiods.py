"""Work periods: when each person was signed in where, as the hub saw it.

A sign-in opens a period (its id is the session's id); it closes at sign-out (``sign_out``), when IT revokes
the seat (``device_revoked``) or disables the account (``user_disabled``), when the same person signs in on
the same seat again (``signed_in_again``: the seat restarted without signing out), or at the session's expiry
(``expired``, closed at the expiry time by :func:`close_expired`, which sign-in and the supervisor's
figures run first). Periods are never deleted: they are the history supervisors read work against.

Decisions count in the period of their author that began last at or before the time the decision counts
at (:func:`period_for`): work a seat did offline after a session ran out belongs to the period it went on
from. A shift's start and end are the shift's own ``created_at`` and ``closed_at``.

What it records: the hub's own knowledge (its clock, its sessions). What it does not: time a seat spent
without any hub session at all (offline continuation) is not a period of its own; the seat's audit chain
(``offline_continue``) says when that happened.
"""

from __future__ import annotations

from workstation.hub.db import HubDB
from workstation.hub.storage import now_iso

SIGN_OUT, DEVICE_REVOKED, USER_DISABLED = "sign_out", "device_revoked", "user_disabled"
SIGNED_IN_AGAIN, EXPIRED = "signed_in_again", "expired"


def open_period(db: HubDB, *, session_id: str, user: str, device_id: str, started_at: str,
                expires_at: str) -> None:
    """A new period for a new session (inside the sign-in's transaction); the same person's open period on the
    same seat closes."""
    db.execute("UPDATE work_periods SET ended_at = ?, end_reason = ? WHERE user = ? AND device_id = ? "
               "AND ended_at IS NULL", [started_at, SIGNED_IN_AGAIN, user, device_id])
    db.execute("INSERT INTO work_periods (period_id, user, device_id, started_at, expires_at) VALUES (?, ?, ?, ?, ?)",
               [session_id, user, device_id, started_at, expires_at])


def close(db: HubDB, reason: str, *, session_id: str | None = None, user: str | None = None,
          device_id: str | None = None, at: str | None = None) -> None:
    """Close the open periods of one session, or of a user, or of a device (at ``at``, default now)."""
    where, value = (("period_id", session_id) if session_id is not None else ("user", user) if user is not None
                    else ("device_id", device_id))
    when = at or now_iso()
    db.execute(f"UPDATE work_periods SET ended_at = CASE WHEN expires_at < ? THEN expires_at ELSE ? END, "
               f"end_reason = ? WHERE {where} = ? AND ended_at IS NULL", [when, when, reason, value])


def close_expired(db: HubDB, now: str | None = None) -> int:
    """Close every period whose session expired, at its expiry; returns how many."""
    cursor = db.execute("UPDATE work_periods SET ended_at = expires_at, end_reason = ? WHERE ended_at IS NULL "
                        "AND expires_at <= ?", [EXPIRED, now or now_iso()])
    return int(cursor.rowcount)


def period_for(db: HubDB, user: str, at: str, fallback: str) -> str:
    """The id of ``user``'s period that began last at or before ``at``; ``fallback`` when none did."""
    row = db.execute("SELECT period_id FROM work_periods WHERE user = ? AND started_at <= ? "
                     "ORDER BY started_at DESC LIMIT 1", [user, at]).fetchone()
    return str(row[0]) if row is not None else fallback
