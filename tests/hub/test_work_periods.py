"""Work periods: a sign-in opens one; sign-out, a new sign-in on the same seat, revocation, disabling and expiry
close it; decisions count in the period they were made in; shifts keep their start and end."""

from __future__ import annotations

from tests.hub.helpers import enroll, hub_sql, signed_in_seat
from tests.hub.supervision import get, timed_item, today
from workstation.hub.server import HubServer
from workstation.vault import sealing


def _periods(hub: HubServer) -> list[tuple[str, str, str, str | None, str | None]]:
    with hub_sql(hub.service.data_dir) as db:
        return db.execute("SELECT period_id, user, started_at, ended_at, end_reason FROM work_periods "
                          "ORDER BY started_at, period_id").fetchall()


def test_sign_in_opens_a_period_and_sign_out_closes_it(hub: HubServer) -> None:
    ana = signed_in_seat(hub, "ana")
    [(period, user, started, ended, reason)] = _periods(hub)
    assert user == "ana" and started.endswith("Z") and ended is None and reason is None
    ana.client.sign_out()
    [(same, _, _, ended, reason)] = _periods(hub)
    assert same == period and ended is not None and ended >= started and reason == "sign_out"


def test_signing_in_again_on_the_same_seat_closes_the_open_period(hub: HubServer) -> None:
    ana = signed_in_seat(hub, "ana")
    ana.sign_in("ana")  # the seat restarted without signing out
    other_seat = enroll(hub.base_url, "second seat")
    hub.service.approve_device(other_seat.enrollment_code)
    other_seat.sign_in("ana")  # ana on a second seat: a period of its own, the first seat's stays open
    first, second, third = _periods(hub)
    assert first[4] == "signed_in_again" and first[3] == second[2]
    assert second[3] is None and third[3] is None


def test_revocation_disabling_and_expiry_close_periods(hub: HubServer) -> None:
    ana = signed_in_seat(hub, "ana")
    signed_in_seat(hub, "ben")
    cai = signed_in_seat(hub, "cai")
    hub.service.revoke_device(ana.device_id)
    hub.service.disable_user("ben")
    with hub_sql(hub.service.data_dir) as db:  # cai's session ran out (as if 12 hours passed)
        db.execute("UPDATE sessions SET expires_at = '2025-01-06T21:00:00.000Z' WHERE user = 'cai'")
        db.execute("UPDATE work_periods SET expires_at = '2025-01-06T21:00:00.000Z' WHERE user = 'cai'")
    assert cai.call("GET", "/audit/head").status_code == 401
    signed_in_seat(hub, "dev")  # any sign-in closes the periods whose sessions expired
    reasons = {p[1]: (p[3], p[4]) for p in _periods(hub)}
    assert reasons["ana"][1] == "device_revoked" and reasons["ben"][1] == "user_disabled"
    assert reasons["cai"] == ("2025-01-06T21:00:00.000Z", "expired")
    assert reasons["dev"] == (None, None)


def test_decisions_count_in_their_period_and_the_shift_keeps_its_times(stocked_hub: HubServer) -> None:
    ana = signed_in_seat(stocked_hub, "ana")
    sue = signed_in_seat(stocked_hub, "sue", "supervisor")
    shift = ana.client.start_shift(sealing.generate_shift_keypair()[1])
    first, second, third = (c.clip_id for c in shift.clips)
    ana.client.post_labels([timed_item(shift.shift_id, first, ago_s=60)])
    ana.client.sign_out()
    ana.sign_in("ana")
    ana.client.post_labels([timed_item(shift.shift_id, second, ago_s=1), timed_item(shift.shift_id, third, ago_s=1)])
    periods = [p[0] for p in _periods(stocked_hub) if p[1] == "ana"]
    answer = get(sue, f"/metrics/annotators?from={today()}&to={today()}&group=period")
    mine = {row["group_key"]: row for row in answer["rows"] if row["annotator"] == "ana"}
    assert {key: row["clips"] for key, row in mine.items()} == {periods[0]: 1, periods[1]: 2}
    assert mine[periods[0]]["end"] is not None and mine[periods[1]]["end"] is None
    by_shift = get(sue, f"/metrics/annotators?from={today()}&to={today()}&group=shift")["rows"]
    assert [(r["group_key"], r["clips"], r["start"], r["end"]) for r in by_shift] == [
        (shift.shift_id, 3, shift.created_at, None)]

