"""The label intake stores timings in columns, judges each decision's plausibility (an implausible one is kept,
marked, counted and left out of the time figures), marks what a retract took back, and keeps the summaries as a
rebuild from the labels would make them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.hub.helpers import Seat, dict_rows, hub_sql, signed_in_seat
from tests.hub.supervision import at, get, timed_item, today
from workstation.hub import summaries
from workstation.hub.server import HubServer
from workstation.hub.storage import write_transaction
from workstation.sync.client import ShiftInfo
from workstation.vault import sealing


@pytest.fixture
def shift(stocked_hub: HubServer) -> tuple[Seat, ShiftInfo, Seat]:
    ana = signed_in_seat(stocked_hub, "ana")
    sue = signed_in_seat(stocked_hub, "sue", "supervisor")
    return ana, ana.client.start_shift(sealing.generate_shift_keypair()[1], size=5), sue


def _stored(hub: HubServer, label_id: str) -> dict[str, object]:
    with hub_sql(hub.service.data_dir) as db:
        (row,) = dict_rows(db, "SELECT * FROM labels WHERE id = ?", [label_id])
        return row


def _summaries(hub: HubServer) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with hub_sql(hub.service.data_dir) as db:
        stats = db.execute("SELECT * FROM annotator_stats WHERE clips != 0 OR timed != 0 ORDER BY 1, 2, 3").fetchall()
        labels = db.execute("SELECT * FROM annotator_labels WHERE n != 0 ORDER BY 1, 2, 3, 4").fetchall()
    return [tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in stats], labels


def test_timings_are_columns_and_implausible_decisions_are_kept_marked_and_left_out_of_time_figures(
        stocked_hub: HubServer, shift: tuple[Seat, ShiftInfo, Seat]) -> None:
    ana, info, sue = shift
    clips = [c.clip_id for c in info.clips]  # each 1 s long
    future = at(datetime.now(UTC) + timedelta(minutes=20))
    items = [
        timed_item(info.shift_id, clips[0], elapsed_s=8.0, active_s=7.0, watched_s=1.0, replays=2, comment="ok"),
        timed_item(info.shift_id, clips[1], watched_s=3.0),                          # watched 3 s of a 1 s clip
        timed_item(info.shift_id, clips[2], elapsed_s=-2.0, active_s=0.0),           # decided before shown
        timed_item(info.shift_id, clips[3], elapsed_s=5.0, active_s=60.0),           # active longer than shown
        {**timed_item(info.shift_id, clips[4], "vehicle"), "decided_at": future},    # the seat's clock runs ahead
    ]
    result = ana.client.post_labels(items)
    assert result.accepted == [i["id"] for i in items] and result.rejected == []
    first = _stored(stocked_hub, items[0]["id"])
    assert (first["shown_at"], first["decided_at"], first["counted_at"]) == (
        items[0]["shown_at"], items[0]["decided_at"], items[0]["decided_at"])
    assert (first["watched_s"], first["replays"], first["active_s"], first["elapsed_s"], first["comment"],
            first["implausible"], first["retracted_by"]) == (1.0, 2, 7.0, 8.0, "ok", None, None)
    assert [_stored(stocked_hub, i["id"])["implausible"] for i in items[1:]] == [
        "watched_longer_than_clip", "decided_before_shown", "active_longer_than_shown", "clock_ahead"]
    ahead = _stored(stocked_hub, items[4]["id"])
    assert ahead["counted_at"] == ahead["received_at"]  # a clock that is off counts at the hub's time

    row = get(sue, f"/metrics/annotators?from={today()}&to={today()}")["rows"][0]
    assert (row["annotator"], row["clips"], row["implausible"]) == ("ana", 5, 4)
    assert row["active_hours"] == round(7.0 / 3600, 4) and row["clips_per_active_hour"] == round(3600 / 7.0, 2)
    assert row["watched_fraction"] == 1.0 and row["labels"] == {"person": 4, "vehicle": 1}
    assert row["median_s"] is not None and abs(row["median_s"] - 7.0) <= 0.35
    drill = get(sue, f"/annotators/ana/decisions?from={today()}&to={today()}")["decisions"]
    assert [d["implausible"] for d in drill].count(None) == 1 and len(drill) == 5


def test_a_retract_marks_its_target_and_leaves_the_summaries_as_a_rebuild_makes_them(
        stocked_hub: HubServer, shift: tuple[Seat, ShiftInfo, Seat]) -> None:
    ana, info, sue = shift
    clips = [c.clip_id for c in info.clips]
    first = timed_item(info.shift_id, clips[0], "animal")
    undo = timed_item(info.shift_id, clips[0], "retract", kind="retract", retracts=first["id"])
    again = timed_item(info.shift_id, clips[0], "person")
    skip = timed_item(info.shift_id, clips[1], "skip", kind="skip", reason="unclear")
    flag = timed_item(info.shift_id, clips[2], "sensitive", kind="flag", reason="minor")
    ana.client.post_labels([first, undo, again, skip, flag])
    assert _stored(stocked_hub, first["id"])["retracted_by"] == undo["id"]
    assert _stored(stocked_hub, again["id"])["retracted_by"] is None
    row = get(sue, f"/metrics/annotators?from={today()}&to={today()}")["rows"][0]
    assert row["clips"] == 3 and row["labels"] == {"person": 1, "skip": 1, "sensitive": 1}
    assert row["skip_rate"] == round(1 / 3, 4) and row["flag_rate"] == round(1 / 3, 4)
    kept = _summaries(stocked_hub)
    db = hub_sql(stocked_hub)
    try:
        with write_transaction(db):
            assert summaries.rebuild(db) == 3
    finally:
        db.close()
    assert _summaries(stocked_hub) == kept


def test_shift_state_and_the_pool_read_the_standing_flag(stocked_hub: HubServer,
                                                        shift: tuple[Seat, ShiftInfo, Seat]) -> None:
    ana, info, _ = shift
    first = timed_item(info.shift_id, info.clips[0].clip_id)
    ana.client.post_labels([first])
    assert ana.client.shift_state(info.shift_id)["labeled"] == 1
    ana.client.post_labels([timed_item(info.shift_id, info.clips[0].clip_id, "retract", kind="retract",
                                       retracts=first["id"])])
    assert ana.client.shift_state(info.shift_id)["labeled"] == 0
