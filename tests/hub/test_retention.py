"""Retention: ``hub serve``'s sweep (a clock the test controls, no sleeps), ``hub retention run`` for a scheduler, the
export leaving out a clip past its deadline before any sweep, and the privacy officer's report."""

from __future__ import annotations

import json
import queue
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.hub.conftest import SMALL_SHIFTS
from tests.hub.consent_floor import assert_summaries_as_a_rebuild_makes_them, export_clips, figures, make_floor, rows
from tests.hub.helpers import hub_sql, signed_in_seat
from tests.hub.supervision import get, timed_item, today
from workstation.hub import cli
from workstation.hub.erasure import Erased
from workstation.hub.provenance import Provenance, fixed
from workstation.hub.server import HubServer
from workstation.vault import sealing


class Clock:
    """What time the sweep thinks it is."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def next_sweep(outcomes: queue.Queue[Erased | Exception]) -> Erased:
    outcome = outcomes.get(timeout=120)  # waits for the sweep thread's report; no fixed sleep
    assert isinstance(outcome, Erased), outcome
    return outcome


def test_serve_sweeps_at_start_and_erases_what_its_clock_says_is_due(tmp_path: Path, source_clips: list[Path]) -> None:
    clock = Clock()
    outcomes: queue.Queue[Erased | Exception] = queue.Queue()
    server = HubServer(tmp_path / "hub", config=SMALL_SHIFTS, retention_sweep=True, sweep_clock=clock,
                       on_sweep=outcomes.put)
    short = [r.clip_id for r in server.service.ingest(source_clips[:3], provenance=Provenance(
        "customer", "CS-1", retain_days=30))]
    long = [r.clip_id for r in server.service.ingest(source_clips[3:], provenance=Provenance("tester", "TP-1"))]
    with server:
        assert next_sweep(outcomes) == Erased([], 0)  # at start: nothing is due
        ana, sue = signed_in_seat(server, "ana"), signed_in_seat(server, "sue", "supervisor")
        shift = ana.client.start_shift(sealing.generate_shift_keypair()[1])
        assert {c.clip_id for c in shift.clips} == set(short)
        ana.client.post_labels([timed_item(shift.shift_id, short[0], "person"),
                                timed_item(shift.shift_id, short[1], "vehicle")])
        assert server.sweeper is not None
        server.sweeper.poke()
        assert next_sweep(outcomes) == Erased([], 0)  # 30 days are not over yet

        clock.now += timedelta(days=30, seconds=1)
        server.sweeper.poke()
        swept = next_sweep(outcomes)
        assert sorted(swept.clip_ids) == sorted(short) and swept.labels == 2
        assert rows(server, "SELECT DISTINCT status FROM clips WHERE clip_id IN (?, ?, ?)", *short) == [("expired",)]
        assert rows(server, "SELECT count(*) FROM clips WHERE status = 'active'") == [(len(long),)]
        erased_at = fixed(clock.now)
        assert rows(server, "SELECT DISTINCT erased_at FROM clips WHERE status = 'expired'") == [(erased_at,)]
        # the seat drops them at its next sync; its shift has nothing left to decide
        answer = ana.call("POST", "/labels/batch", {"items": []}).json()
        assert sorted(answer["withdrawn"]) == sorted(short)
        assert get(ana, f"/shifts/{shift.shift_id}")["size"] == 0
        assert ana.call("GET", f"/shifts/{shift.shift_id}/keys/{short[2]}").json()["detail"].startswith(
            f"Clip {short[2][:8]} was erased because its retention period ended")
        # out of every export and figure
        assert sue.call("GET", "/exports/labels?format=jsonl").text == ""
        assert get(sue, f"/metrics/annotators?from={today()}&to={today()}")["rows"] == []
        assert_summaries_as_a_rebuild_makes_them(server)
        audit = [e for e in server.service.hub_audit() if e["action"] != "export"]
        assert {(e["actor"], e["action"]) for e in audit} == {("hub:retention", "clip_erased"),
                                                              ("hub:retention", "retention_sweep")}
        assert [e["detail"] for e in audit if e["action"] == "retention_sweep"] == [{"clips": 3, "labels": 2}]
        assert {e["detail"]["reason"] for e in audit if e["action"] == "clip_erased"} == {"retention"}
        assert all(e["at"] == erased_at for e in audit)

        server.sweeper.poke()
        assert next_sweep(outcomes) == Erased([], 0)  # idempotent: nothing more to do


def test_an_export_leaves_out_a_clip_past_its_deadline_before_the_sweep_and_retention_run_erases_it(
        capsys: pytest.CaptureFixture[str], hub: HubServer, source_clips: list[Path]) -> None:
    floor = make_floor(hub, source_clips)
    ids, data = floor.ids, str(hub.service.data_dir)
    past = fixed(datetime.now(UTC) - timedelta(minutes=1))
    with hub_sql(hub.service.data_dir) as db:
        db.execute("UPDATE clips SET retain_until = ? WHERE clip_id = ?", [past, ids[1]])
    assert ids[1] not in export_clips(floor)  # at read time, before any sweep
    drill = get(floor.sue, f"/annotators/ana/decisions?from={today()}&to={today()}")["decisions"]
    assert ids[1] not in [d["clip_id"] for d in drill]
    assert figures(floor)["ana"]["clips"] == 3  # the figures lose it when the sweep erases it

    assert cli.main(["retention", "run", "--dry-run", "--data", data]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"due  {ids[1]}  {past}  customer  CS-B",
                   "1 clip past the retention deadline; nothing erased (--dry-run)"]
    assert cli.main(["retention", "run", "--dry-run", "--json", "--data", data]) == 0
    assert json.loads(capsys.readouterr().out) == {"due": [{"clip_id": ids[1], "retain_until": past,
                                                            "source": "customer", "consent_ref": "CS-B"}]}
    assert rows(hub, "SELECT status FROM clips WHERE clip_id = ?", ids[1]) == [("active",)]

    assert cli.main(["retention", "run", "--data", data]) == 0
    assert capsys.readouterr().out.splitlines() == [f"erased  {ids[1]}  {past}  customer  CS-B",
                                                     "erased 1 clip past the retention deadline"]
    assert rows(hub, "SELECT status, length(wrapped_key) FROM clips WHERE clip_id = ?", ids[1]) == [("expired", 0)]
    assert figures(floor)["ana"]["clips"] == 2
    assert floor.ana.call("POST", "/labels/batch", {"items": []}).json()["withdrawn"] == [ids[1]]
    assert cli.main(["retention", "run", "--json", "--data", data]) == 0
    assert json.loads(capsys.readouterr().out) == {"erased": [], "labels": 0}
    [sweep] = hub.service.hub_audit("retention_sweep")
    assert sweep["actor"].startswith("cli:") and sweep["detail"] == {"clips": 1, "labels": 1}


def test_the_consent_report_by_source_scope_due_and_erased_by_reason(
        capsys: pytest.CaptureFixture[str], hub: HubServer, source_clips: list[Path]) -> None:
    floor = make_floor(hub, source_clips)  # CS-A: clips 0, 3; CS-B: 1; TP-1: 2, 4-7 — all "troubleshooting"
    ids, data = floor.ids, str(hub.service.data_dir)
    now = datetime.now(UTC)
    with hub_sql(hub.service.data_dir) as db:
        db.execute("UPDATE clips SET retain_until = ? WHERE clip_id = ?", [fixed(now + timedelta(days=3)), ids[5]])
        db.execute("UPDATE clips SET retain_until = ? WHERE clip_id = ?", [fixed(now - timedelta(hours=1)), ids[6]])
        db.execute("UPDATE clips SET source = 'unknown', consent_ref = NULL, consent_scope = NULL WHERE clip_id = ?",
                   [ids[7]])
    assert floor.sue.call("POST", f"/disposals/{ids[3]}/confirm", {}).status_code == 200  # a flag: 1
    assert floor.ada.call("POST", "/consent/withdrawals", {"consent_ref": "CS-A"}).status_code == 200  # clip 0
    with hub_sql(hub.service.data_dir) as db:
        db.execute("UPDATE clips SET retain_until = ? WHERE clip_id = ?", [fixed(now - timedelta(days=1)), ids[4]])
    hub.service.run_retention()  # clips 4 and 6 (the one an hour overdue)
    with hub_sql(hub.service.data_dir) as db:
        db.execute("UPDATE clips SET retain_until = ? WHERE clip_id = ?", [fixed(now - timedelta(minutes=5)), ids[2]])

    report = get(floor.sue, "/consent/report")
    assert report["retain_days"] == 90
    assert report["held"] == {"clips": 4, "without_consent": 1, "by_source": [
        {"source": "customer", "scope": "troubleshooting", "clips": 1, "without_consent": 0},
        {"source": "tester", "scope": "troubleshooting", "clips": 2, "without_consent": 0},
        {"source": "unknown", "scope": None, "clips": 1, "without_consent": 1}]}
    due = report["due"]
    assert (due["clips"], due["overdue"]) == (2, 1)  # clip 5 in three days, clip 2 overdue
    assert due["by_day"] == sorted([{"day": fixed(now - timedelta(minutes=5))[:10], "clips": 1},
                                    {"day": fixed(now + timedelta(days=3))[:10], "clips": 1}], key=lambda d: d["day"])
    assert report["erased"]["by_reason"] == {"flag": 1, "withdrawal": 1, "retention": 2}
    assert (report["erased"]["clips"], report["erased"]["consents_withdrawn"]) == (4, 1)
    assert report["due"]["from"] == report["generated_at"] == report["erased"]["to"]

    assert cli.main(["consent", "report", "--json", "--data", data]) == 0
    from_cli = json.loads(capsys.readouterr().out)
    assert {k: v for k, v in from_cli.items() if k not in ("generated_at", "due", "erased")} == \
        {k: v for k, v in report.items() if k not in ("generated_at", "due", "erased")}
    assert from_cli["erased"]["by_reason"] == report["erased"]["by_reason"]
    assert cli.main(["consent", "report", "--data", data]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[1] == "held: 4 clips, 1 without a consent reference"
    assert text[2].split() == ["customer", "troubleshooting", "1"]
    assert text[4].split() == ["unknown", "-", "1", "(1", "without", "consent)"]
    assert text[5].endswith(": 2 clips, 1 overdue (the next retention sweep erases them)")
    assert text[-1].endswith(": 4 clips — flag 1, withdrawal 1, retention 2 (1 consent withdrawn)")
