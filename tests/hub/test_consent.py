"""Provenance at ingest: source, consent reference and scope, capture time and retention deadline on every clip; a
clip without a consent basis refused (one line per file) unless the hub's settings allow it; manifests (CSV, JSON
Lines) checked whole, every problem one line with its line number, nothing ingested from a broken one."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.hub.helpers import dict_rows, hub_sql
from workstation.hub import cli
from workstation.hub import config as hub_config
from workstation.hub.config import HubConfig
from workstation.hub.provenance import Provenance, fixed
from workstation.hub.service import HubService


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def clips(data_dir: Path) -> list[dict[str, Any]]:
    if not (data_dir / "master.key").exists():
        return []
    with hub_sql(data_dir) as db:
        return dict_rows(db, "SELECT clip_id, status, source, consent_ref, consent_scope, captured_at, retain_until, "
                             "created_at FROM clips ORDER BY rowid")


def blobs(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "blobs").rglob("*.fwc")) if (data_dir / "blobs").exists() else []


def days_ago(n: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=n)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- the command line


def test_ingest_records_source_consent_scope_capture_time_and_deadline(
        capsys: pytest.CaptureFixture[str], data_dir: Path, source_clips: list[Path]) -> None:
    captured = days_ago(3).replace(microsecond=0)
    code, out, _ = run(capsys, "ingest", str(source_clips[0]), str(source_clips[1]), "--data", str(data_dir),
                       "--source", "customer", "--consent-ref", "CS-118-22", "--scope", "troubleshooting",
                       "--captured-at", stamp(captured))
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == ["ok", "ok"]
    code, _, _ = run(capsys, "ingest", str(source_clips[2]), "--data", str(data_dir), "--source", "tester",
                     "--consent-ref", "TP-7", "--retain-days", "30")
    assert code == 0
    first, second, third = clips(data_dir)
    assert {k: first[k] for k in ("status", "source", "consent_ref", "consent_scope")} == {
        "status": "active", "source": "customer", "consent_ref": "CS-118-22", "consent_scope": "troubleshooting"}
    assert first["captured_at"] == fixed(captured) == second["captured_at"]
    assert first["retain_until"] == fixed(captured + timedelta(days=90))  # from the capture time
    assert (third["source"], third["consent_scope"], third["captured_at"]) == ("tester", None, None)
    assert third["retain_until"] == fixed(datetime.fromisoformat(third["created_at"]) + timedelta(days=30))


def test_a_clip_without_consent_is_refused_one_line_per_file(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                             source_clips: list[Path]) -> None:
    code, out, err = run(capsys, "ingest", str(source_clips[0]), str(source_clips[1]), "--data", str(data_dir),
                         "--source", "customer")
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert len(lines) == 2
    for line, path in zip(lines, source_clips[:2], strict=True):
        assert line == (f"rejected  {path}: no consent reference given: this hub takes no clip without its consent "
                        "basis (pass --consent-ref, or a consent_ref in the manifest)")
    assert clips(data_dir) == [] and blobs(data_dir) == []


def test_the_hub_settings_may_allow_clips_without_consent(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                          source_clips: list[Path]) -> None:
    data_dir.mkdir()
    (data_dir / "hub.toml").write_text("allow_without_consent = true\nretain_days = 14\n")
    code, _, _ = run(capsys, "ingest", str(source_clips[0]), "--data", str(data_dir), "--source", "other")
    assert code == 0
    [clip] = clips(data_dir)
    assert (clip["source"], clip["consent_ref"]) == ("other", None)
    assert clip["retain_until"][:10] == (datetime.fromisoformat(clip["created_at"]) + timedelta(days=14)).date().isoformat()
    report = json.loads(run(capsys, "consent", "report", "--json", "--data", str(data_dir))[1])
    assert report["held"] == {"clips": 1, "without_consent": 1, "by_source": [
        {"source": "other", "scope": None, "clips": 1, "without_consent": 1}]}


@pytest.mark.parametrize(("settings", "needle"), [
    ("retain_days = 0\n", "retain_days must be a whole number of days from 1 to 3650, not 0"),
    ("allow_without_consent = 'yes'\n", "allow_without_consent must be true or false, not 'yes'"),
    ("erased_labels = \"shred\"\n", "erased_labels must be \"keep\" or \"delete\", not 'shred'"),
    ("retain_dayz = 30\n", "unknown setting 'retain_dayz'"),
    ("retain_days = \n", "is not valid TOML"),
])
def test_a_mistake_in_the_hub_settings_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                              source_clips: list[Path], settings: str,
                                                              needle: str) -> None:
    data_dir.mkdir()
    (data_dir / "hub.toml").write_text(settings)
    code, out, err = run(capsys, "ingest", str(source_clips[0]), "--data", str(data_dir), "--source", "tester",
                         "--consent-ref", "T-1")
    assert code == 2 and out == "" and err.startswith("error: The hub's settings file ")
    assert len(err.strip().splitlines()) == 1 and needle in err


def test_a_clip_past_its_deadline_and_one_under_a_withdrawn_consent_are_refused(
        capsys: pytest.CaptureFixture[str], data_dir: Path, source_clips: list[Path]) -> None:
    code, out, _ = run(capsys, "ingest", str(source_clips[0]), "--data", str(data_dir), "--source", "customer",
                       "--consent-ref", "CS-1", "--captured-at", stamp(days_ago(91)))
    assert code == 1 and "its retention deadline" in out and out.rstrip().endswith("has passed: not taken")
    assert run(capsys, "ingest", str(source_clips[0]), "--data", str(data_dir), "--source", "customer",
               "--consent-ref", "CS-1", "--captured-at", stamp(days_ago(91)), "--retain-days", "120")[0] == 0
    assert run(capsys, "consent", "withdraw", "CS-1", "--data", str(data_dir))[0] == 0
    code, out, _ = run(capsys, "ingest", str(source_clips[1]), "--data", str(data_dir), "--source", "customer",
                       "--consent-ref", "CS-1")
    assert code == 1 and f"rejected  {source_clips[1]}: consent 'CS-1' was withdrawn on " in out
    code, out, _ = run(capsys, "ingest", str(source_clips[0]), "--data", str(data_dir), "--source", "customer",
                       "--consent-ref", "CS-2")
    assert code == 1 and "was erased because its consent was withdrawn and is not taken again" in out
    assert [c["status"] for c in clips(data_dir)] == ["withdrawn"]


@pytest.mark.parametrize(("argv", "needle"), [
    (["--source", "friend", "--consent-ref", "R"], "invalid choice: 'friend'"),
    (["--source", "tester", "--consent-ref", " R"], "starts or ends with white space"),
    (["--source", "tester", "--consent-ref", "R", "--captured-at", "2025-13-01"], "is not a date"),
    (["--source", "tester", "--consent-ref", "R", "--captured-at", "2025-01-06T09:00:00"], "has no time zone"),
    (["--source", "tester", "--consent-ref", "R", "--captured-at", "2099-01-06"], "lies in the future"),
    (["--source", "tester", "--consent-ref", "R", "--retain-days", "0"], "is not a number of days"),
    (["--source", "tester", "--consent-ref", "R", "--manifest", "m.csv"], "not both"),
])
def test_ingest_usage_mistakes_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                       source_clips: list[Path], argv: list[str], needle: str) -> None:
    code, out, err = run(capsys, "ingest", str(source_clips[0]), "--data", str(data_dir), *argv)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and needle in err
    assert clips(data_dir) == []


def test_a_clip_held_before_provenance_takes_the_provenance_given_when_ingested_again(
        data_dir: Path, source_clips: list[Path]) -> None:
    service = HubService(data_dir)
    [old] = service.ingest(source_clips[:1])  # in code, without provenance (as the demo does): source unknown
    assert clips(data_dir)[0]["source"] == "unknown" and clips(data_dir)[0]["consent_ref"] is None
    [again] = service.ingest(source_clips[:1], provenance=Provenance("customer", "CS-9", "troubleshooting"))
    assert again.clip_id == old.clip_id and again.reason == "already ingested; its provenance is recorded now"
    assert (clips(data_dir)[0]["source"], clips(data_dir)[0]["consent_ref"]) == ("customer", "CS-9")
    [third] = service.ingest(source_clips[:1], provenance=Provenance("tester", "TP-1"))
    assert third.reason == "already ingested" and clips(data_dir)[0]["consent_ref"] == "CS-9"  # recorded once


# --------------------------------------------------------------------------- manifests


def _csv(folder: Path, text: str, name: str = "batch.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def batch(tmp_path: Path, source_clips: list[Path]) -> Path:
    """A folder with three of the clips, where the manifests go (relative paths are read from here)."""
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    for i, name in enumerate(("a.mp4", "b.mp4", "sub/c.mp4")):
        (folder / name).write_bytes(source_clips[i].read_bytes())
    return folder


def test_a_csv_manifest_gives_each_clip_its_own_provenance(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                           batch: Path) -> None:
    captured = stamp(days_ago(2))
    manifest = _csv(batch, "file,source,consent_ref,scope,captured_at\n"
                           f"a.mp4,customer,CS-1,troubleshooting,{captured}\n"
                           "\n"
                           f"sub/c.mp4,tester,TP-4,,\n"
                           f"{batch / 'b.mp4'},other,OT-1,\"research, internal\",{days_ago(1).date().isoformat()}\n")
    code, out, err = run(capsys, "ingest", "--manifest", str(manifest), "--data", str(data_dir))
    assert code == 0 and err == ""
    assert [line.split("  ")[2] for line in out.splitlines()] == [str(batch / "a.mp4"), str(batch / "sub/c.mp4"),
                                                                   str(batch / "b.mp4")]
    got = [(c["source"], c["consent_ref"], c["consent_scope"], c["captured_at"] is not None) for c in clips(data_dir)]
    assert got == [("customer", "CS-1", "troubleshooting", True), ("tester", "TP-4", None, False),
                   ("other", "OT-1", "research, internal", True)]


def test_a_json_lines_manifest_and_its_retain_days(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                   batch: Path) -> None:
    records = [{"file": "a.mp4", "source": "customer", "consent_ref": "CS-1"},
               {"file": "b.mp4", "source": "tester", "consent_ref": "TP-1", "scope": "beta", "captured_at": None}]
    manifest = batch / "batch.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in records))
    code, _, _ = run(capsys, "ingest", "--manifest", str(manifest), "--retain-days", "7", "--data", str(data_dir))
    assert code == 0
    for clip in clips(data_dir):
        assert clip["retain_until"][:10] == (datetime.fromisoformat(clip["created_at"]) + timedelta(days=7)).date().isoformat()
    assert [c["consent_scope"] for c in clips(data_dir)] == [None, "beta"]


def test_a_manifest_entry_without_consent_is_refused_like_a_file(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                                 batch: Path) -> None:
    manifest = _csv(batch, "file,source,consent_ref,scope,captured_at\na.mp4,customer,CS-1,,\nb.mp4,customer,,,\n")
    code, out, _ = run(capsys, "ingest", "--manifest", str(manifest), "--data", str(data_dir))
    assert code == 1
    assert [line.split()[0] for line in out.splitlines()] == ["ok", "rejected"] and "no consent reference" in out


BROKEN = {
    "missing column": ("file,source,consent_ref,captured_at\na.mp4,customer,CS-1,\n",
                       [("line 1: missing column scope (a manifest's columns are file, source, consent_ref, scope, "
                        "captured_at)")]),
    "unknown column": ("file,source,consent_ref,scope,captured_at,notes\na.mp4,customer,CS-1,,,x\n",
                       [("line 1: unknown column 'notes' (the columns are file, source, consent_ref, scope, "
                        "captured_at)")]),
    "bad date": (("file,source,consent_ref,scope,captured_at\na.mp4,customer,CS-1,,2025-02-30\n"
                 "b.mp4,customer,CS-1,,yesterday\n"),
                 ["line 2: captured_at: '2025-02-30' is not a date (YYYY-MM-DD) or an ISO 8601 time",
                  "line 3: captured_at: 'yesterday' is not a date (YYYY-MM-DD) or an ISO 8601 time"]),
    "unknown source": ("file,source,consent_ref,scope,captured_at\na.mp4,cusomter,CS-1,,\n",
                       ["line 2: the source is one of tester, customer, other, not 'cusomter'"]),
    "duplicate file": (("file,source,consent_ref,scope,captured_at\na.mp4,customer,CS-1,,\nb.mp4,customer,CS-1,,\n"
                       "./a.mp4,customer,CS-2,,\n"),
                       ["line 4: {batch}/a.mp4 is listed already on line 2"]),
    "file missing": ("file,source,consent_ref,scope,captured_at\na.mp4,customer,CS-1,,\nz.mp4,customer,CS-1,,\n",
                     ["line 3: {batch}/z.mp4 does not exist"]),
    "empty": ("file,source,consent_ref,scope,captured_at\n", ["the manifest lists no clips"]),
    "empty file": ("", ["the manifest lists no clips"]),
    "ragged row": ("file,source,consent_ref,scope,captured_at\na.mp4,customer\n",
                   ["line 2: 2 cells where the header names 5"]),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_csv_manifest_names_each_problem_with_its_line_and_ingests_nothing(
        capsys: pytest.CaptureFixture[str], data_dir: Path, batch: Path, kind: str) -> None:
    text, expected = BROKEN[kind]
    manifest = _csv(batch, text)
    code, out, err = run(capsys, "ingest", "--manifest", str(manifest), "--data", str(data_dir))
    assert code == 2 and out == ""
    lines = err.splitlines()
    problems = [e.format(batch=batch) for e in expected]
    assert lines[:-1] == [f"error: {manifest} {p}" if p.startswith("line ") else f"error: {manifest}: {p}"
                          for p in problems]
    assert lines[-1] == (f"error: nothing was ingested: fix the manifest's {len(problems)} "
                         f"problem{'s' if len(problems) > 1 else ''} and run it again")
    assert clips(data_dir) == [] and blobs(data_dir) == []


def test_a_broken_json_lines_manifest(capsys: pytest.CaptureFixture[str], data_dir: Path, batch: Path) -> None:
    manifest = batch / "batch.jsonl"
    manifest.write_text('{"file": "a.mp4", "source": "customer", "consent_ref": "CS-1"}\n'
                        '{"file": "b.mp4", "source": "customer"}\n'
                        'not json\n'
                        '{"file": "sub/c.mp4", "source": "tester", "consent_ref": "T", "captured": "2025-01-01"}\n'
                        '{"file": "a.mp4", "source": "tester", "consent_ref": 7}\n')
    code, out, err = run(capsys, "ingest", "--manifest", str(manifest), "--data", str(data_dir))
    assert code == 2 and out == ""
    assert err.splitlines()[:-1] == [
        f"error: {manifest} line 2: missing field consent_ref",
        f"error: {manifest} line 3: not a JSON object",
        (f"error: {manifest} line 4: unknown field 'captured' (the fields are file, source, consent_ref, scope, "
        "captured_at)"),
        f"error: {manifest} line 5: consent_ref must be text"]
    assert clips(data_dir) == []


def test_a_manifest_that_is_neither_csv_nor_json_lines(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                       batch: Path) -> None:
    manifest = _csv(batch, "file,source\n", name="batch.txt")
    code, _, err = run(capsys, "ingest", "--manifest", str(manifest), "--data", str(data_dir))
    assert code == 2 and err.splitlines()[0] == (f"error: {manifest}: a manifest is a .csv file or a JSON Lines file "
                                                 "(.jsonl, .ndjson)")
    code, _, err = run(capsys, "ingest", "--manifest", str(batch / "absent.csv"), "--data", str(data_dir))
    assert code == 2 and err.splitlines()[0] == f"error: {batch / 'absent.csv'}: the manifest does not exist"


def test_every_hub_setting_is_in_it_md_and_the_help_with_its_default(capsys: pytest.CaptureFixture[str]) -> None:
    it = (Path(__file__).resolve().parents[2] / "docs" / "IT.md").read_text(encoding="utf-8")
    hub_section = it[it.index("## The floor hub"):it.index("\n## ", it.index("## The floor hub") + 1)]
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| `([^`]+)` \|", hub_section, flags=re.MULTILINE))
    assert set(rows) == set(hub_config.SETTINGS)
    defaults = HubConfig()
    actual = {"retain_days": defaults.retain_days, "allow_without_consent": defaults.allow_without_consent,
              "erased_labels": defaults.erased_labels, "retention_sweep_minutes": defaults.retention_sweep_s // 60}
    assert {key: tomllib.loads(f"v = {value}")["v"] for key, value in rows.items()} == actual
    assert cli.main(["--help"]) == 0
    help_text = capsys.readouterr().out
    for key, value in actual.items():
        assert f"{key} = {json.dumps(value)}" in help_text
