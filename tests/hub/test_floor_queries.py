"""On a generated floor (the benchmark's generator, small): the outliers the dashboard names are exactly the planted
fast-and-wrong annotators, and after SQLite's ANALYZE no query the hub runs for shifts, labels, figures or the clip
audit reads a big table whole (the "not retracted" subquery went quadratic that way)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hub.conftest import SMALL_SHIFTS
from tests.hub.helpers import signed_in_seat
from tests.hub.supervision import get, timed_item
from workstation.bench.metrics import Floor, FloorSpec, generate
from workstation.hub import clipaudit, dashboard, labels, shifts
from workstation.hub.auth import Caller
from workstation.hub.schema import LabelItem
from workstation.hub.server import HubServer
from workstation.hub.storage import connect
from workstation.vault import sealing

pytestmark = pytest.mark.sqlite_only  # the SQLite file itself; PostgreSQL's own: tests/hub_db

SPEC = FloorSpec(annotators=60, days=10, labels=30_000, planted=4, gold_clips=150, seed=3)
BIG = ("labels", "l", "r", "audit_events", "a", "handouts", "h", "shift_clips", "sc", "gs", "clips", "c", "shifts",
       "s", "work_periods")
_SCAN = re.compile(r"\bSCAN (\w+)(.*)")
PARTIAL = ("idx_clips_second_wanted", "idx_clips_shared", "idx_work_periods_open", "idx_clips_pool")
"""Partial indexes hold only the few rows they are for: reading one whole is the point."""


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Floor:
    return generate(tmp_path_factory.mktemp("floors"), SPEC)


@pytest.fixture
def copy(floor: Floor, tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "hub"
    shutil.copytree(floor.folder, target)
    yield target


def test_the_dashboard_names_exactly_the_planted_annotators(floor: Floor, copy: Path) -> None:
    with HubServer(copy, config=SMALL_SHIFTS) as hub:
        sue = signed_in_seat(hub, "sue", "supervisor")
        answer = get(sue, f"/metrics/annotators?from={floor.first_day}&to={floor.last_day}")
    assert sorted(o["annotator"] for o in answer["outliers"]) == floor.planted
    assert len(answer["rows"]) == SPEC.annotators and answer["floor"]["annotators"] == SPEC.annotators
    assert all("clips per active hour against the floor's" in o["why"] for o in answer["outliers"])
    assert answer["floor"]["clips"] == sum(r["clips"] for r in answer["rows"])


def _plans(db: sqlite3.Connection, statements: list[str]) -> list[tuple[str, str]]:
    """(statement, plan line) of every full read of a big table."""
    found = []
    for sql in statements:
        if not re.match(r"\s*(SELECT|UPDATE|DELETE|INSERT)", sql, re.IGNORECASE):
            continue
        for row in db.execute(f"EXPLAIN QUERY PLAN {sql}"):
            match = _SCAN.search(row[3])
            if match and match.group(1) in BIG and not any(p in match.group(2) for p in PARTIAL):
                found.append((sql[:300], row[3]))
    return found


def test_after_analyze_no_query_reads_a_big_table_whole(floor: Floor, copy: Path) -> None:
    db = connect(copy / "hub.db")
    statements: list[str] = []
    db.raw.set_trace_callback(statements.append)
    try:
        rng = dashboard.date_range(floor.first_day, floor.last_day)
        for group in dashboard.GROUPS:
            dashboard.annotators(db, rng, group)
        dashboard.hourly(db, rng)
        dashboard.hourly(db, rng, "a0001")
        dashboard.agreement_of(db, rng)
        dashboard.decisions(db, "a0001", rng)
        clipaudit.for_clip(db, floor.sample_clips[0])
        shifts.waiting_count(db, "a0001")
        fresh = [uuid.uuid4().hex for _ in range(40)]
        db.raw.executemany("INSERT INTO clips (clip_id, fingerprint, project, status, ciphertext_size, "
                            "ciphertext_sha256, duration_s, wrapped_key, created_at) VALUES (?1, ?1, 'security', "
                            "'active', 1, '', 24.0, X'00', '2025-03-01T00:00:00.000Z')", [(c,) for c in fresh])
        db.raw.commit()
        device, period = db.execute("SELECT device_id, period_id FROM work_periods WHERE user = 'a0001' "
                                    "ORDER BY started_at DESC LIMIT 1").fetchone()
        caller = Caller("a0001", "annotator", device, "-", period)
        shift, _ = shifts.start_shift(db, caller, sealing.generate_shift_keypair()[1], 30)
        shifts.state(db, caller, shift.shift_id)
        first = timed_item(shift.shift_id, shift.clips[0].clip_id, "person")
        items = [first, timed_item(shift.shift_id, shift.clips[0].clip_id, "retract", kind="retract",
                                   retracts=first["id"]),
                 *(timed_item(shift.shift_id, c.clip_id, "vehicle") for c in shift.clips)]
        outcome = labels.accept_batch(db, caller, [LabelItem.model_validate(i) for i in items])
        assert outcome.rejected == []
        shifts.start_shift(db, caller, sealing.generate_shift_keypair()[1], 30)  # the full shift closes first
    finally:
        db.raw.set_trace_callback(None)
    assert len(statements) > 50
    try:
        assert _plans(db.raw, statements) == []
    finally:
        db.close()
