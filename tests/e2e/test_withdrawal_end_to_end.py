"""Consent withdrawn and retention ended, end to end: a real seat (session layer, store, cache, outbox) on a shift
from the real hub on loopback; the hub erases a clip of the open shift, and the seat drops it at its next sync."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.seat_fixtures import AtSeat
from workstation.hub.provenance import Provenance
from workstation.hub.service import HubService
from workstation.sync.errors import HubClientError


def _cached(at_seat: AtSeat, shift_id: str, clip_id: str) -> bool:
    return at_seat.seat.cache.path_for(shift_id, clip_id).exists()


def _exported_clips(service: HubService) -> list[str]:
    return [json.loads(line)["clip_id"] for line in "".join(service.export_labels("jsonl").chunks()).splitlines()]


def test_withdrawal_during_an_open_shift_reaches_the_seat(tmp_path: Path, hub, at_seat: AtSeat,  # type: ignore[no-untyped-def]
                                                          small_clips: list[Path]) -> None:
    service, _, _ = hub
    [recorded] = service.ingest(small_clips[:1], provenance=Provenance("customer", "CS-77", "troubleshooting"))
    withdrawn_clip = recorded.clip_id
    assert recorded.reason == "already ingested; its provenance is recorded now"
    seat = at_seat.seat
    state = at_seat.sign_in()
    sid = state.shift_id
    ids = [c.clip_id for c in state.clips]
    assert withdrawn_clip in ids
    other = next(c for c in ids if c != withdrawn_clip)
    later = next(c for c in ids if c not in (withdrawn_clip, other))
    seat.store.add_label(sid, withdrawn_clip, "person", shown_at="2026-11-25T10:00:00.000Z", comment="kitchen")
    seat.store.add_label(sid, other, "vehicle", shown_at="2026-11-25T10:00:05.000Z")
    assert at_seat.send().labels == 2
    assert sorted(_exported_clips(service)) == sorted([withdrawn_clip, other])
    assert _cached(at_seat, sid, withdrawn_clip)

    done = service.withdraw_consent("CS-77", actor="privacy-officer")
    assert done.erased.clip_ids == [withdrawn_clip] and done.erased.labels == 1
    assert not any(withdrawn_clip in p.name for p in (service.data_dir / "blobs").rglob("*"))
    with open(tmp_path / "x", "wb") as sink, pytest.raises(HubClientError) as gone:
        seat.client.download_clip(sid, withdrawn_clip, sink, expected_sha256="0" * 64)
    assert gone.value.status == 410
    assert _exported_clips(service) == [other]  # its label left the export at once

    withdrawn: list[str] = []
    at_seat.outbox.set_withdrawn_listener(withdrawn.extend)
    seat.store.add_label(sid, later, "animal", shown_at="2026-11-25T10:00:09.000Z")
    at_seat.send()
    assert withdrawn == [withdrawn_clip]  # the seat hears of it at its next sync
    seat.service.withdraw(withdrawn)  # as the app does with what the listener hears
    assert not _cached(at_seat, sid, withdrawn_clip)
    [stored] = [c for c in seat.store.clips(sid) if c.clip_id == withdrawn_clip]
    assert stored.withdrawn
    resumed = seat.service.resumable()
    assert resumed is not None and withdrawn_clip not in [c.clip_id for c in resumed.clips]
    assert resumed.total == state.total - 1
    assert at_seat.send().audit > 0
    kinds = [e["kind"] for e in seat.store.audit_events(state.record.device_id)]
    assert "disposal_dropped" in kinds
    assert sorted(_exported_clips(service)) == sorted([other, later])

    again = service.withdraw_consent("CS-77")
    assert again.again and again.erased.clip_ids == []


def test_a_clip_past_its_deadline_reaches_the_seat_after_the_sweep(hub, at_seat: AtSeat) -> None:  # type: ignore[no-untyped-def]
    service, _, _ = hub
    seat = at_seat.seat
    state = at_seat.sign_in()
    sid = state.shift_id
    ids = [c.clip_id for c in state.clips]
    seat.store.add_label(sid, ids[0], "person", shown_at="2026-11-25T10:00:00.000Z")
    assert at_seat.send().labels == 1

    swept = service.run_retention(now=datetime.now(UTC) + timedelta(days=91))  # every clip is past its 90 days
    assert sorted(swept.clip_ids) == sorted(ids) and swept.labels == 1
    assert _exported_clips(service) == []

    withdrawn: list[str] = []
    at_seat.outbox.set_withdrawn_listener(withdrawn.extend)
    seat.store.add_label(sid, ids[1], "vehicle", shown_at="2026-11-25T10:00:05.000Z")
    at_seat.send()
    assert sorted(withdrawn) == sorted(ids)
    seat.service.withdraw(withdrawn)
    assert not any(_cached(at_seat, sid, c) for c in ids)
    assert _exported_clips(service) == []  # the decision that came late is kept out too
