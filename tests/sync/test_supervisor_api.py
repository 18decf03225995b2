"""The dashboard's client against a real hub on loopback: every answer it reads parses, with real figures."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from tests.hub_fixtures import PASSWORD
from tests.seat_fixtures import AtSeat
from workstation.hub.server import HubServer
from workstation.hub.service import HubService
from workstation.session.seat import Seat
from workstation.session.signin import DeskOpened
from workstation.sync.supervisor import SupervisorApi


def test_a_supervisor_reads_every_figure_the_dashboard_shows(
        at_seat: AtSeat, seat: Seat, hub: tuple[HubService, HubServer, str]) -> None:
    service = hub[0]
    state = at_seat.sign_in("ana", PASSWORD)  # ana decides her shift: there is something to count
    for clip in state.clips:
        seat.store.add_label(state.shift_id, clip.clip_id, "person", shown_at="2026-12-04T10:00:00.000Z")
    at_seat.send()
    at_seat.session.shred(state.shift_id, "sign_out")
    at_seat.session.tell_hub_signed_out()
    service.add_user("sue", "supervisor", PASSWORD)
    opened = at_seat.session.sign_in("sue", PASSWORD)
    assert isinstance(opened, DeskOpened)
    api = SupervisorApi(seat.client)
    today = datetime.now(UTC).date()
    since = today - timedelta(days=13)
    figures = api.figures(since, today)
    assert [r.annotator for r in figures.rows] == ["ana"] and figures.rows[0].clips == len(state.clips)
    assert sum(p.clips for p in api.hourly(since, today)) == len(state.clips)
    assert api.agreement(since, today).clips == 0
    assert len(api.decisions("ana", since, today)) == len(state.clips)
    assert api.disposals() == []
    ok, chains = api.audit_chains()
    assert ok and chains
    report = api.consent_report()
    with sqlite3.connect(service.data_dir / "hub.db") as db:
        held = db.execute("SELECT count(*) FROM clips WHERE status = 'active'").fetchone()[0]
    assert held > 0 and report.held.clips == held and sum(s.clips for s in report.held.by_source) == held
    assert report.erased.clips == 0 and report.due.clips >= 0
