"""The one owner of the outbox: each annotator's decisions go with her own session, exactly once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.hub_fixtures import PASSWORD, TEST_HUB
from tests.seat_fixtures import AtSeat
from workstation.hub.server import HubServer
from workstation.hub.service import HubService
from workstation.labeling.shift import ShiftState
from workstation.policy import Policy
from workstation.session.seat import Seat


def _hub_labels(hub_dir: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(hub_dir / "hub.db") as conn:
        return conn.execute("SELECT id, user FROM labels").fetchall()


def _decide_all(seat: Seat, state: ShiftState) -> list[str]:
    return [seat.store.add_label(state.shift_id, c.clip_id, "person", shown_at="2026-11-25T10:00:00.000Z").id
            for c in state.clips]


def test_two_annotators_share_a_seat_offline_and_every_decision_reaches_the_hub_once(
        tmp_path: Path, hub: tuple[HubService, HubServer, str], keyring_backend: object) -> None:
    service, server, url = hub
    port = server.port
    service.add_user("bea", "annotator", PASSWORD)
    seat = Seat.open(Policy(hub_url=url, key_store="keyring", seat="seat-7", shift_size=2), data_dir=tmp_path / "ws")
    here = AtSeat.open(seat)
    here.approve(service)
    try:
        # bea finishes a shift here while the hub is away: it ends on this PC, the hub has not heard of it
        bea_first = here.sign_in("bea")
        server.stop()
        bea_ids = _decide_all(seat, bea_first)
        seat.service.end(bea_first.shift_id)
        here.session.tell_hub_signed_out()  # the hub cannot be told; the session is forgotten here
        server = HubServer(service.data_dir, port=port, config=TEST_HUB)
        server.start()
        # ana takes the seat, gets her shift, and decides it offline too
        ana_state = here.sign_in("ana")
        assert _hub_labels(service.data_dir) == []  # ana's sign-in sent nothing of bea's
        server.stop()
        ana_ids = _decide_all(seat, ana_state)
        here.session.shred(ana_state.shift_id, "sign_out")
        here.session.tell_hub_signed_out()
        server = HubServer(service.data_dir, port=port, config=TEST_HUB)
        server.start()
        # bea signs in again: her ended shift is delivered and closed first; ana's decisions are not hers to send
        here.sign_in("bea")
        assert sorted(_hub_labels(service.data_dir)) == sorted((i, "bea") for i in bea_ids)
        assert seat.store.rejected_count() == 0
        assert seat.store.pending_count() == len(ana_ids)
        assert here.outbox.counts() == (0, len(ana_ids), 0)  # bea sees ana's as someone else's, waiting
        here.session.shred(seat.store.active_shift().shift_id, "sign_out")  # type: ignore[union-attr]
        here.session.tell_hub_signed_out()
        # ana signs in again: now hers go, with her session
        here.sign_in("ana")
        here.send()
        on_hub = _hub_labels(service.data_dir)
        assert sorted(on_hub) == sorted([(i, "bea") for i in bea_ids] + [(i, "ana") for i in ana_ids])
        assert len({i for i, _ in on_hub}) == len(on_hub)  # each exactly once
        assert seat.store.pending_count() == 0 and seat.store.rejected_count() == 0
    finally:
        server.stop()
        seat.close()


def test_nobody_signed_in_means_nothing_is_sent(tmp_path: Path, hub: tuple[HubService, HubServer, str],
                                               keyring_backend: object) -> None:
    service, _, url = hub
    seat = Seat.open(Policy(hub_url=url, key_store="keyring", seat="seat-7", shift_size=2), data_dir=tmp_path / "ws")
    here = AtSeat.open(seat)
    here.approve(service)
    try:
        state = here.sign_in("ana")
        seat.store.add_label(state.shift_id, state.clips[0].clip_id, "person", shown_at="2026-11-25T10:00:00.000Z")
        assert here.outbox.end_session().labels == 1  # her last words go with her session before it ends
        assert here.outbox.username is None
        # she goes on offline (no hub session): her next decision waits for her next sign-in
        seat.store.add_label(state.shift_id, state.clips[1].clip_id, "person", shown_at="2026-11-25T10:00:00.000Z")
        assert here.send().labels == 0
        assert seat.store.pending_count() == 1 and seat.store.rejected_count() == 0
    finally:
        seat.close()


def test_an_item_the_client_refuses_to_send_is_set_aside_and_the_rest_go(
        at_seat: AtSeat, seat: Seat, hub: tuple[HubService, HubServer, str]) -> None:
    """One malformed waiting item (an old store's shape, a damaged row) never blocks its author's outbox."""
    import json

    state = at_seat.sign_in()
    ids = _decide_all(seat, state)
    bad = ids[1]
    with sqlite3.connect(seat.data_dir / "workstation.sqlite") as db:
        payload = json.loads(db.execute("SELECT payload FROM outbox WHERE id = ?", [bad]).fetchone()[0])
        del payload["retracts"]  # not the LabelItem shape: the client's egress guard refuses it
        db.execute("UPDATE outbox SET payload = ? WHERE id = ?", [json.dumps(payload), bad])
    sent = at_seat.send()
    assert sent.labels == len(ids) - 1
    assert sorted(i for i, _ in _hub_labels(hub[0].data_dir)) == sorted(i for i in ids if i != bad)
    assert seat.store.rejected_count() == 1 and seat.store.pending_count() == 0  # kept, counted, not lost
    with sqlite3.connect(seat.data_dir / "workstation.sqlite") as db:
        reason = db.execute("SELECT last_error FROM outbox WHERE id = ?", [bad]).fetchone()[0]
    assert "LabelItem" in reason
