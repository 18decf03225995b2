"""Label exports (API and ``hub export labels``): one record per standing decision, CSV / JSON Lines / Label Studio
import JSON, never clip bytes, each export audited with its size."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest

from tests.hub.helpers import Seat, signed_in_seat
from tests.hub.supervision import timed_item, today
from workstation.hub import cli
from workstation.hub.server import HubServer
from workstation.sync.client import ShiftInfo
from workstation.vault import sealing

FIELDS = ["id", "annotator", "seat", "device_id", "shift_id", "period_id", "clip_id", "kind", "label", "reason",
          "comment", "shown_at", "decided_at", "received_at", "counted_at", "active_s", "watched_s", "replays",
          "elapsed_s", "clip_duration_s", "implausible"]


@pytest.fixture
def decided(stocked_hub: HubServer) -> tuple[Seat, ShiftInfo, list[dict[str, object]]]:
    ana = signed_in_seat(stocked_hub, "ana")
    ben = signed_in_seat(stocked_hub, "ben")
    shift = ana.client.start_shift(sealing.generate_shift_keypair()[1])
    bens = ben.client.start_shift(sealing.generate_shift_keypair()[1])
    a, b, c = (x.clip_id for x in shift.clips)
    undone = timed_item(shift.shift_id, a, "animal")
    items = [undone, timed_item(shift.shift_id, a, "retract", kind="retract", retracts=undone["id"]),
             timed_item(shift.shift_id, a, "person", comment='=HYPERLINK("http://x")'),
             timed_item(shift.shift_id, b, "skip", kind="skip", reason="unclear", comment="dark, \"blurry\"\nsecond line"),
             timed_item(shift.shift_id, c, "vehicle")]
    ana.client.post_labels(items)
    ben.client.post_labels([timed_item(bens.shift_id, bens.clips[0].clip_id, "weather")])
    return signed_in_seat(stocked_hub, "sue", "supervisor"), shift, [items[2], items[3], items[4]]


def test_csv_has_one_line_per_standing_decision_and_defuses_formulas(
        stocked_hub: HubServer, decided: tuple[Seat, ShiftInfo, list[dict[str, object]]]) -> None:
    sue, shift, standing = decided
    answer = sue.call("GET", f"/exports/labels?format=csv&from={today()}&to={today()}")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"] and answer.headers["x-export-rows"] == "4"
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert list(rows[0]) == FIELDS and len(rows) == 4
    mine = {r["id"]: r for r in rows if r["annotator"] == "ana"}
    assert set(mine) == {str(i["id"]) for i in standing}  # the retracted decision and the retract are left out
    person = mine[str(standing[0]["id"])]
    assert person["comment"] == "'=HYPERLINK(\"http://x\")" and person["seat"] == "seat of ana"
    assert person["clip_id"] == shift.clips[0].clip_id and person["label"] == "person"
    assert (person["active_s"], person["watched_s"], person["clip_duration_s"]) == ("7.0", "1.0", "1.0")
    skip = mine[str(standing[1]["id"])]
    assert (skip["kind"], skip["reason"], skip["comment"]) == ("skip", "unclear", 'dark, "blurry"\nsecond line')
    audit = stocked_hub.service.hub_audit("export")
    assert [(e["actor"], e["device_id"], e["detail"]) for e in audit] == [
        ("sue", sue.device_id, {"format": "csv", "from": today(), "to": today(), "rows": 4})]


def test_jsonl_and_label_studio(decided: tuple[Seat, ShiftInfo, list[dict[str, object]]]) -> None:
    sue, shift, standing = decided
    lines = sue.call("GET", "/exports/labels?format=jsonl").text.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 4 and all(list(r) == FIELDS for r in records)
    tasks = sue.call("GET", "/exports/labels?format=labelstudio").json()
    assert isinstance(tasks, list) and len(tasks) == 4  # one task per clip
    by_clip = {t["data"]["clip_id"]: t for t in tasks}
    task = by_clip[shift.clips[1].clip_id]
    [annotation] = task["annotations"]
    assert annotation["result"] == [{"id": standing[1]["id"], "from_name": "label", "to_name": "clip",
                                     "type": "choices", "value": {"choices": ["skip"]}}]
    assert annotation["was_cancelled"] is True and annotation["lead_time"] == 7.0
    assert task["data"]["decisions"][0]["annotator"] == "ana" and task["data"]["decisions"][0]["reason"] == "unclear"
    person = by_clip[shift.clips[0].clip_id]["annotations"]
    assert [a["result"][0]["value"]["choices"] for a in person] == [["person"]]
    assert sue.call("GET", "/exports/labels?format=xml").status_code == 422
    assert sue.call("GET", "/exports/labels?format=csv&from=2025-02-01&to=2025-01-01").status_code == 422
    empty = sue.call("GET", "/exports/labels?format=labelstudio&from=2021-01-01&to=2021-01-02")
    assert empty.json() == [] and empty.headers["x-export-rows"] == "0"


def test_an_annotator_cannot_export(decided: tuple[Seat, ShiftInfo, list[dict[str, object]]],
                                    stocked_hub: HubServer) -> None:
    ana = signed_in_seat(stocked_hub, "eve")
    assert ana.call("GET", "/exports/labels?format=csv").status_code == 403
    assert stocked_hub.service.hub_audit("export") == []


def test_export_at_the_command_line(stocked_hub: HubServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    decided: tuple[Seat, ShiftInfo, list[dict[str, object]]]) -> None:
    data = str(stocked_hub.service.data_dir)
    assert cli.main(["export", "labels", "--format", "jsonl", "--data", data]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4
    out = tmp_path / "labels.csv"
    assert cli.main(["export", "labels", "--format", "csv", "--from", today(), "--to", today(), "--out", str(out),
                     "--data", data]) == 0
    assert "exported 4 decisions to" in capsys.readouterr().err
    assert len(list(csv.DictReader(out.open(encoding="utf-8", newline="")))) == 4
    if os.name == "posix":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert cli.main(["export", "labels", "--format", "csv", "--out", str(out), "--data", data]) == 2  # never over
    assert "exists" in capsys.readouterr().err
    assert cli.main(["export", "labels", "--format", "csv", "--from", "yesterday", "--out", str(tmp_path / "x.csv"),
                     "--data", data]) == 2
    assert not (tmp_path / "x.csv").exists()
    actors = [(e["actor"], e["detail"]["format"], e["detail"]["rows"]) for e in stocked_hub.service.hub_audit("export")]
    assert [a[1:] for a in actors] == [("jsonl", 4), ("csv", 4)] and all(a[0].startswith("cli:") for a in actors)
