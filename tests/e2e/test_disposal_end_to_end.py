"""Disposal end to end: a seat flags a clip, a supervisor confirms on the hub, the clip is gone everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.seat_fixtures import AtSeat
from workstation.sync.errors import HubClientError


def test_flag_confirm_and_every_trace_goes(tmp_path: Path, hub, at_seat: AtSeat) -> None:  # type: ignore[no-untyped-def]
    service, _, _ = hub
    seat = at_seat.seat
    state = at_seat.sign_in()
    sid = state.shift_id
    flagged, labeled, later = (c.clip_id for c in state.clips[:3])
    # the annotator flags a clip (as the flag key does): decision + shredding of the local copy
    seat.store.add_label(sid, flagged, "sensitive", shown_at="2026-11-25T10:00:00.000Z", kind="flag",
                         reason="private_space")
    seat.service.drop_clip(sid, flagged)
    seat.store.add_label(sid, labeled, "person", shown_at="2026-11-25T10:00:05.000Z")
    assert at_seat.send().labels == 2
    queue = service.disposal_queue()
    assert [(d.clip_id, d.status, d.flagged_by, d.reason) for d in queue] == [(flagged, "pending", "ana",
                                                                              "private_space")]
    blob = service.data_dir / "blobs"
    assert any(flagged in p.name for p in blob.rglob("*"))

    record = service.confirm_disposal(flagged, "sue", "face of a child")
    assert record.status == "confirmed" and record.decided_by == "sue"
    assert not any(flagged in p.name for p in blob.rglob("*"))  # ciphertext destroyed on the hub
    with open(tmp_path / "x", "wb") as sink, pytest.raises(HubClientError) as gone:
        seat.client.download_clip(sid, flagged, sink, expected_sha256="0" * 64)
    assert gone.value.status == 410

    withdrawn: list[str] = []
    at_seat.outbox.set_withdrawn_listener(withdrawn.extend)
    seat.store.add_label(sid, later, "vehicle", shown_at="2026-11-25T10:00:09.000Z")
    at_seat.send()
    assert withdrawn == [flagged]  # the seat hears of it at its next sync
    seat.service.withdraw(withdrawn)
    resumed = seat.service.resumable()
    assert resumed is not None and flagged not in [c.clip_id for c in resumed.clips]
    assert resumed.total == state.total - 1
    assert at_seat.send().audit > 0
    kinds = [e["kind"] for e in seat.store.audit_events(state.record.device_id)]
    assert kinds[:4] == ["shift_start", "sign_in", "flag", "label"] and "disposal_dropped" in kinds
