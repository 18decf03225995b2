"""Helpers for the supervisor-side tests: decisions timed around now, a supervisor's calls, a hub's database."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.hub.helpers import Seat, hub_sql
from workstation.hub.server import HubServer


def at(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def timed_item(shift_id: str, clip_id: str, label: str = "person", *, kind: str = "label", reason: str | None = None,
               ago_s: float = 5.0, elapsed_s: float = 8.0, active_s: float = 7.0, watched_s: float = 1.0,
               replays: int = 0, comment: str | None = None, retracts: str | None = None) -> dict[str, Any]:
    """A label item decided ``ago_s`` before now, shown ``elapsed_s`` before that (the seat's clock = the hub's)."""
    decided = datetime.now(UTC) - timedelta(seconds=ago_s)
    return {"id": str(uuid.uuid4()), "kind": kind, "shift_id": shift_id, "clip_id": clip_id, "label": label,
            "shown_at": at(decided - timedelta(seconds=elapsed_s)), "decided_at": at(decided), "comment": comment,
            "timings": {"watched_s": watched_s, "replays": replays, "active_s": active_s}, "reason": reason,
            "retracts": retracts}


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def get(seat: Seat, path: str) -> Any:
    """GET as the seat; the answer must be 200 JSON."""
    answer = seat.call("GET", path)
    assert answer.status_code == 200, answer.text
    return answer.json()


def db(hub: HubServer) -> sqlite3.Connection:
    return hub_sql(hub.service.data_dir)


def rows(path: Path, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """``path``: the hub's data folder, or its hub.db file."""
    with hub_sql(path.parent if path.name == "hub.db" else path) as conn:
        return list(conn.execute(sql, args).fetchall())
