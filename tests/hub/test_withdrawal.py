"""Consent withdrawal (``POST /api/v1/consent/withdrawals``, ``hub consent withdraw``): every clip under the reference
erased as a confirmed disposal does — key, ciphertext, open shifts (the seat hears of it at its next sync) — its
labels out of every export and figure (or deleted), a pending disposal closed, gold gone; audited without content;
idempotent; an unknown reference says so."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.hub.conftest import SMALL_SHIFTS
from tests.hub.consent_floor import (
    COMMENT,
    Floor,
    assert_summaries_as_a_rebuild_makes_them,
    export_clips,
    figures,
    make_floor,
    rows,
)
from tests.hub.helpers import hub_sql
from tests.hub.supervision import get, timed_item, today
from workstation.hub import cli, dashboard
from workstation.hub.server import HubServer
from workstation.sync.errors import HubClientError


@pytest.fixture
def floor(hub: HubServer, source_clips: list[Path]) -> Floor:
    return make_floor(hub, source_clips)


def test_withdrawal_during_an_open_shift_erases_everywhere(floor: Floor) -> None:
    hub, ids, ana = floor.hub, floor.ids, floor.ana
    sid = floor.ana_shift.shift_id
    with hub_sql(hub.service.data_dir) as db:  # clip 0 decided by two people (for agreement)
        db.execute("UPDATE clips SET shared_at = '2025-01-06T09:00:00.000Z' WHERE clip_id = ?", [ids[0]])
    assert sorted(export_clips(floor)) == sorted([ids[0], ids[1], ids[2], ids[3], ids[4]])
    before = figures(floor)
    assert (before["ana"]["clips"], before["ben"]["clips"]) == (3, 2)
    blob = hub.service.data_dir / "blobs"
    assert any(ids[0] in p.name for p in blob.rglob("*.fwc"))

    answer = floor.ada.call("POST", "/consent/withdrawals", {"consent_ref": "CS-A"})
    assert answer.status_code == 200, answer.text
    done = answer.json()
    assert {k: done[k] for k in ("consent_ref", "status", "withdrawn_by", "clips", "clips_erased", "labels_erased",
                                 "erased_clip_ids")} == {
        "consent_ref": "CS-A", "status": "withdrawn", "withdrawn_by": "ada", "clips": 2, "clips_erased": 2,
        "labels_erased": 2, "erased_clip_ids": [ids[0], ids[3]]}

    # the hub: key and ciphertext gone, the clip out of the open shift, 410 for its key and download
    assert rows(hub, "SELECT status, length(wrapped_key), erased_at IS NOT NULL FROM clips WHERE clip_id IN (?, ?)",
                ids[0], ids[3]) == [("withdrawn", 0, 1)] * 2
    assert not any(c in p.name for p in blob.rglob("*") for c in (ids[0], ids[3]))
    with open(hub.service.data_dir.parent / "x", "wb") as sink, pytest.raises(HubClientError) as gone:
        ana.client.download_clip(sid, ids[0], sink, expected_sha256="0" * 64)
    assert gone.value.status == 410
    key = ana.call("GET", f"/shifts/{sid}/keys/{ids[0]}")
    assert key.status_code == 410 and "consent it was kept under was withdrawn" in key.json()["detail"]
    state = get(ana, f"/shifts/{sid}")
    assert state["withdrawn"] == [ids[0]] and state["size"] == 2 and ids[0] not in [c["clip_id"] for c in state["clips"]]
    assert set(ana.client.shift_keys(sid)) == {ids[1], ids[2]}
    # the seat hears of it at its next sync
    assert ana.call("POST", "/labels/batch", {"items": []}).json()["withdrawn"] == [ids[0]]
    assert floor.ben.call("POST", "/labels/batch", {"items": []}).json()["withdrawn"] == [ids[3]]

    # labels: marked, kept (the keep policy), out of every export and figure
    assert rows(hub, "SELECT count(*), count(erased_at), count(comment) FROM labels WHERE clip_id = ?", ids[0]) == [
        (1, 1, 1)]
    assert sorted(export_clips(floor)) == sorted([ids[1], ids[2], ids[4]])
    after = figures(floor)
    assert (after["ana"]["clips"], after["ben"]["clips"]) == (2, 1)
    assert after["ana"]["labels"] == {"vehicle": 1, "skip": 1} and after["ben"]["labels"] == {"animal": 1}
    assert after["ben"]["flag_rate"] == 0.0 and after["ana"]["gold_n"] == 0
    floor_row = get(floor.sue, f"/metrics/annotators?from={today()}&to={today()}")["floor"]
    assert floor_row["clips"] == 3 and "sensitive" not in floor_row["labels"]
    hourly = get(floor.sue, f"/metrics/hourly?from={today()}&to={today()}")["points"]
    assert sum(p["clips"] for p in hourly) == 3
    drill = get(floor.sue, f"/annotators/ana/decisions?from={today()}&to={today()}")["decisions"]
    assert sorted(d["clip_id"] for d in drill) == sorted([ids[1], ids[2]])
    db = hub_sql(hub)
    try:
        assert ids[0] not in dashboard.ratings(db, dashboard.date_range(None, None))
    finally:
        db.close()
    assert_summaries_as_a_rebuild_makes_them(hub)

    # the pending disposal request closes as erased; gold goes
    [request] = [d for d in get(floor.sue, "/disposals")["disposals"] if d["clip_id"] == ids[3]]
    assert (request["status"], request["decided_by"], request["note"]) == ("erased", "ada",
                                                                           "erased: the consent was withdrawn")
    assert get(floor.sue, "/gold")["gold"] == []
    assert floor.sue.call("POST", f"/disposals/{ids[3]}/confirm", {}).status_code == 409

    # audited without content
    audit = hub.service.hub_audit()
    withdrawn = [e for e in audit if e["action"] == "consent_withdrawn"]
    assert [(e["actor"], e["device_id"], e["detail"]) for e in withdrawn] == [
        ("ada", floor.ada.device_id, {"consent_ref": "CS-A", "clips": 2, "labels": 2, "again": False})]
    erased = [e for e in audit if e["action"] == "clip_erased"]
    assert [(e["clip_id"], e["detail"]) for e in erased] == [
        (ids[0], {"reason": "withdrawal", "labels": 1, "labels_kept": True, "key_destroyed": True}),
        (ids[3], {"reason": "withdrawal", "labels": 1, "labels_kept": True, "key_destroyed": True})]
    text = json.dumps(audit)
    assert COMMENT not in text and "person" not in json.dumps(withdrawn + erased) and "sensitive" not in text

    # a decision the seat made before it heard (offline): accepted so the seat lets go, counted nowhere
    late = timed_item(sid, ids[0], "animal")
    result = ana.client.post_labels([late])
    assert result.accepted == [late["id"]] and result.withdrawn == [ids[0]]
    assert ana.client.post_labels([late]).duplicates == [late["id"]]
    assert rows(hub, "SELECT erased_at IS NOT NULL FROM labels WHERE id = ?", late["id"]) == [(1,)]
    assert figures(floor)["ana"]["clips"] == 2 and sorted(export_clips(floor)) == sorted([ids[1], ids[2], ids[4]])
    assert_summaries_as_a_rebuild_makes_them(hub)


def test_withdrawal_is_idempotent_and_an_unknown_reference_says_so(floor: Floor) -> None:
    first = floor.ada.call("POST", "/consent/withdrawals", {"consent_ref": "CS-B"}).json()
    assert (first["status"], first["clips_erased"]) == ("withdrawn", 1)
    again = floor.ada.call("POST", "/consent/withdrawals", {"consent_ref": "CS-B"})
    assert again.status_code == 200
    assert {k: again.json()[k] for k in ("status", "withdrawn_at", "clips", "clips_erased", "labels_erased")} == {
        "status": "already_withdrawn", "withdrawn_at": first["withdrawn_at"], "clips": 1, "clips_erased": 0,
        "labels_erased": 0}
    unknown = floor.ada.call("POST", "/consent/withdrawals", {"consent_ref": "cs-b"})
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "No clip on this hub was ingested under consent 'cs-b'; nothing was withdrawn."
    assert floor.ada.call("POST", "/consent/withdrawals", {"consent_ref": ""}).status_code == 422
    audit = [e["detail"]["again"] for e in floor.hub.service.hub_audit("consent_withdrawn")]
    assert audit == [False, True]


def test_under_the_delete_policy_an_erased_clips_labels_are_deleted(tmp_path: Path, source_clips: list[Path]) -> None:
    with HubServer(tmp_path / "hub", config=replace(SMALL_SHIFTS, erased_labels="delete")) as hub:
        floor = make_floor(hub, source_clips)
        sid, clip = floor.ana_shift.shift_id, floor.ids[0]
        [label_id] = [r[0] for r in rows(hub, "SELECT id FROM labels WHERE clip_id = ?", clip)]
        assert floor.ada.call("POST", "/consent/withdrawals", {"consent_ref": "CS-A"}).json()["labels_erased"] == 2
        assert rows(hub, "SELECT count(*) FROM labels WHERE clip_id IN (?, ?)", clip, floor.ids[3]) == [(0,)]
        assert figures(floor)["ana"]["clips"] == 2
        late = timed_item(sid, clip, "animal")
        undo = timed_item(sid, clip, "retract", kind="retract", retracts=label_id)  # its target is gone with it
        result = floor.ana.client.post_labels([late, undo])
        assert result.accepted == [late["id"], undo["id"]] and result.rejected == []
        assert rows(hub, "SELECT count(*) FROM labels WHERE clip_id = ?", clip) == [(0,)]
        assert_summaries_as_a_rebuild_makes_them(hub)
        [erased] = [e for e in hub.service.hub_audit("clip_erased") if e["clip_id"] == clip]
        assert erased["detail"] == {"reason": "withdrawal", "labels": 1, "labels_kept": False, "key_destroyed": True}


def actors_of(floor: Floor) -> set[str]:
    return {e["actor"] for e in floor.hub.service.hub_audit("consent_withdrawn")}


def out_lines_with(capsys: pytest.CaptureFixture[str], floor: Floor, start: str) -> list[str]:
    """The lines of ``hub audit show`` for clip 0 that begin with ``start`` after their time."""
    assert cli.main(["audit", "show", "--clip", floor.ids[0], "--data", str(floor.hub.service.data_dir)]) == 0
    return [line.split("  ", 1)[1] for line in capsys.readouterr().out.splitlines()[1:]
            if line.split("  ", 1)[1].startswith(start)]


def test_consent_withdraw_at_the_command_line(capsys: pytest.CaptureFixture[str], floor: Floor) -> None:
    data = str(floor.hub.service.data_dir)
    assert cli.main(["consent", "withdraw", "CS-A", "--data", data]) == 0
    out = capsys.readouterr().out
    assert out == ("withdrew consent CS-A: erased 2 clips (key and ciphertext destroyed, out of open shifts; seats "
                   "drop them at their next sync) and marked 2 labels (out of every export and figure)\n")
    assert cli.main(["consent", "withdraw", "CS-A", "--data", data]) == 0
    out = capsys.readouterr().out
    assert out.startswith("consent CS-A was already withdrawn on ") and out.endswith("; nothing more to erase\n")
    assert cli.main(["consent", "withdraw", "CS-A", "--json", "--data", data]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "already_withdrawn"
    assert cli.main(["consent", "withdraw", "NO-SUCH", "--data", data]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(
        "error: No clip on this hub was ingested under consent 'NO-SUCH'; nothing was withdrawn.")
    assert len(captured.err.strip().splitlines()) == 1
    actors = {e["actor"] for e in floor.hub.service.hub_audit("consent_withdrawn")}
    assert len(actors) == 1 and actors.pop().startswith("cli:")
    assert cli.main(["audit", "show", "--clip", floor.ids[0], "--data", data]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"clip {floor.ids[0]}: withdrawn, project security, ingested ")
    assert ", gold" not in first and "; source customer, consent CS-A (troubleshooting), kept until " in first
    assert ", erased " in first
    assert out_lines_with(capsys, floor, "hub       ") == ["hub       gold_add by sue",
                                                          "hub       clip_erased by " + min(actors_of(floor))
                                                          + " (withdrawal)"]
    gold = floor.sue.call("POST", "/gold", {"clip_id": floor.ids[0], "label": "person"})
    assert gold.status_code == 409 and gold.json()["detail"].startswith(f"Clip {floor.ids[0][:8]} is withdrawn")
