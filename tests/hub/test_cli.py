"""``python -m workstation hub …`` through ``cli.main``: results, exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from workstation.hub import cli
from workstation.hub.service import HubService

ROOT = Path(__file__).resolve().parents[2]
CONSENT = ("--source", "tester", "--consent-ref", "TP-2025-0001")
"""A batch's provenance (the hub takes no clip without a consent reference)."""


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None,
        monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_ingest_reports_each_file_and_exit_code(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                source_clips: list[Path], bad_files: dict[str, Path]) -> None:
    code, out, _err = run(capsys, "ingest", *CONSENT, str(source_clips[0]), str(source_clips[1]), "--data", str(data_dir))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2 and all(line.startswith("ok  ") for line in lines)
    first_id = lines[0].split()[1]
    assert len(first_id) == 32 and lines[0].split()[2] == str(source_clips[0])

    code, out, _err = run(capsys, "ingest", *CONSENT, str(source_clips[0]), *map(str, bad_files.values()), "--data", str(data_dir))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"ok  {first_id}  {source_clips[0]}") and "already ingested" in lines[0]
    for line, path in zip(lines[1:], bad_files.values()):
        assert line.startswith(f"rejected  {path}: ") and len(line) > len(f"rejected  {path}: ") + 5


def test_ingest_json_statuses(capsys: pytest.CaptureFixture[str], data_dir: Path, source_clips: list[Path],
                              bad_files: dict[str, Path], tmp_path: Path) -> None:
    missing = tmp_path / "missing.mp4"
    paths = [source_clips[2], source_clips[2], bad_files["not_a_video"], bad_files["empty"], bad_files["truncated"],
             missing]
    code, out, _err = run(capsys, "ingest", *CONSENT, *map(str, paths), "--data", str(data_dir), "--json")
    assert code == 1
    results = json.loads(out)
    assert [set(r) for r in results] == [{"path", "status", "clip_id", "reason"}] * len(paths)
    assert [r["status"] for r in results] == ["ok", "ok", "rejected", "rejected", "rejected", "rejected"]
    assert results[0]["clip_id"] == results[1]["clip_id"] and results[1]["reason"] == "already ingested"
    assert results[0]["reason"] is None
    reasons = {Path(r["path"]).name: r["reason"] for r in results[2:]}
    assert "not a video" in reasons["notes.mp4"].lower()
    assert "empty" in reasons["empty.mp4"]
    assert reasons["truncated.mp4"]
    assert reasons["missing.mp4"] == "no such file"
    assert all(r["clip_id"] is None for r in results[2:])


def test_ingest_folder_takes_its_video_files(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                             source_clips: list[Path], tmp_path: Path) -> None:
    empty_folder = tmp_path / "nothing here"
    empty_folder.mkdir()
    code, out, _err = run(capsys, "ingest", *CONSENT, str(source_clips[0].parent), "--data", str(data_dir), "--json")
    assert code == 0 and len(json.loads(out)) == len(source_clips)
    code, out, _err = run(capsys, "ingest", *CONSENT, str(empty_folder), "--data", str(data_dir), "--json")
    assert code == 1 and "no video files" in json.loads(out)[0]["reason"]


def test_ingest_in_a_subprocess_prints_no_traceback_and_no_progress_bar(data_dir: Path, source_clips: list[Path],
                                                                        bad_files: dict[str, Path]) -> None:
    argv = [sys.executable, "-c", "import sys; from workstation.hub.cli import main; sys.exit(main(sys.argv[1:]))",
            "ingest", *CONSENT, str(source_clips[3]), *map(str, bad_files.values()), "--data", str(data_dir)]
    proc = subprocess.run(argv, check=False, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stderr == ""  # stderr is not a TTY: no progress bar
    assert [line.split()[0] for line in proc.stdout.splitlines()] == ["ok", "rejected", "rejected", "rejected"]


def test_master_key_is_owner_only_and_a_loose_one_is_refused(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                             source_clips: list[Path]) -> None:
    assert run(capsys, "user", "list", "--data", str(data_dir))[0] == 0
    key = data_dir / "master.key"
    assert stat.S_IMODE(key.stat().st_mode) & 0o077 == 0
    assert len(key.read_bytes()) == 32
    key.chmod(0o644)
    code, out, err = run(capsys, "ingest", *CONSENT, str(source_clips[0]), "--data", str(data_dir))
    assert code == 2 and out == ""
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1 and "master key" in err


def test_data_path_that_is_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    code, _out, err = run(capsys, "user", "list", "--data", str(afile))
    assert code == 2 and err.startswith("error: ") and "is a file" in err


def test_user_add_and_list(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                           data_dir: Path) -> None:
    code, out, _err = run(capsys, "user", "add", "ana", "--role", "annotator", "--password-stdin", "--data",
                         str(data_dir), stdin="long enough pw\n", monkeypatch=monkeypatch)
    assert code == 0 and "ana" in out
    code, out, _err = run(capsys, "user", "add", "sam", "--role", "supervisor", "--data", str(data_dir),
                         stdin="another long pw\n", monkeypatch=monkeypatch)
    assert code == 0
    code, out, _err = run(capsys, "user", "list", "--data", str(data_dir))
    assert [line.split()[:2] for line in out.splitlines()] == [["ana", "annotator"], ["sam", "supervisor"]]
    assert "long enough" not in out and "scrypt" not in out


@pytest.mark.parametrize(("argv", "stdin", "needle"), [
    (["user", "add", "ana", "--role", "annotator", "--password-stdin"], "short\n", "shorter than 8"),
    (["user", "add", "ana", "--role", "annotator", "--password-stdin"], "\n", "empty"),
    (["user", "add", "ana", "--role", "boss", "--password-stdin"], "long enough pw\n", "invalid choice"),
    (["user", "add", "bad name!", "--role", "admin", "--password-stdin"], "long enough pw\n", "not allowed"),
    (["user", "frobnicate"], None, "invalid choice"),
    (["devices", "approve", "ZZZZ-ZZZZ"], None, "No device is waiting"),
    (["devices", "revoke", "0" * 32], None, "No device with this id"),
    (["ingest", "--data", "x"], None, "--manifest"),
    (["ingest", "clip.mp4", "--consent-ref", "R-1"], None, "--source is required"),
])
def test_user_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                              data_dir: Path, argv: list[str], stdin: str | None, needle: str) -> None:
    if "--data" not in argv:
        argv = [*argv, "--data", str(data_dir)]
    code, _out, err = run(capsys, *argv, stdin=stdin if stdin is not None else "", monkeypatch=monkeypatch)
    assert code == 2
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert needle in err


def test_duplicate_user_is_refused_clearly(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                           data_dir: Path) -> None:
    argv = ["user", "add", "ana", "--role", "annotator", "--password-stdin", "--data", str(data_dir)]
    assert run(capsys, *argv, stdin="long enough pw\n", monkeypatch=monkeypatch)[0] == 0
    code, _out, err = run(capsys, *argv, stdin="long enough pw\n", monkeypatch=monkeypatch)
    assert code == 2 and err.startswith("error: A user named 'ana' already exists.")


def test_help_mentions_folders_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "ingest", "--help")
    assert code == 0 and "folder" in out


def test_serve_prints_its_url_and_stops_cleanly_on_sigterm(data_dir: Path) -> None:
    import signal

    import httpx

    argv = [sys.executable, "-c", "import sys; from workstation.hub.cli import main; sys.exit(main(sys.argv[1:]))",
            "serve", "--data", str(data_dir), "--port", "0"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("Floor hub listening on http://127.0.0.1:")
        url = line.split()[4].removesuffix("/api/v1")
        assert httpx.get(f"{url}/api/v1/health").json()["status"] == "ok"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert "Traceback" not in out + err


def test_serve_on_a_busy_port_is_a_clear_error(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        code, _out, err = run(capsys, "serve", "--data", str(data_dir), "--port", str(busy.getsockname()[1]))
    assert code == 2 and err.startswith("error: The hub cannot listen on 127.0.0.1:")


@pytest.mark.parametrize("port", ["99999", "65536", "-1"])
def test_serve_on_an_impossible_port_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                            port: str) -> None:
    code, out, err = run(capsys, "serve", "--data", str(data_dir), "--port", port)
    assert code == 2 and out == ""
    assert err == (f"error: argument --port: {port} is not a port number (0 to 65535) "
                   "(see 'python -m workstation hub serve --help')\n")


def test_ingest_reports_every_path_safely_and_goes_on_past_one_it_cannot_use(
        capsys: pytest.CaptureFixture[str], data_dir: Path, source_clips: list[Path], tmp_path: Path) -> None:
    odd = tmp_path / "odd"
    odd.mkdir()
    newline = odd / "line\nbreak.mp4"
    newline.write_bytes(source_clips[4].read_bytes())
    escape = odd / "red\x1b[31mtext.mp4"
    escape.write_bytes(source_clips[5].read_bytes())
    too_long = str(tmp_path / ("x" * 5000 + ".mp4"))
    code, out, err = run(capsys, "ingest", *CONSENT, str(source_clips[3]), too_long, str(newline), str(escape),
                         "--data", str(data_dir))
    assert code == 1 and err == ""
    lines = out.split("\n")
    assert lines[-1] == "" and len(lines) == 5  # one line per path, nothing raw
    assert lines[0].startswith("ok  ") and lines[0].endswith(f"  {source_clips[3]}")
    assert lines[1].startswith(f"rejected  {tmp_path}/xxx")
    assert lines[1].endswith(": cannot be read: File name too long")
    assert lines[2].startswith("ok  ") and lines[2].endswith(f"  {odd}/line\\nbreak.mp4")
    assert lines[3].startswith("ok  ") and lines[3].endswith(f"  {odd}/red\\x1b[31mtext.mp4")
    assert "\x1b" not in out
    assert len(HubService(data_dir).list_users()) == 0 and HubService(data_dir).waiting_clip_count() == 3

    code, out, err = run(capsys, "ingest", *CONSENT, too_long, str(newline), "--data", str(data_dir), "--json")
    assert code == 1
    results = json.loads(out)
    assert [r["status"] for r in results] == ["rejected", "ok"] and results[1]["path"] == str(newline)


def test_a_hub_server_on_an_impossible_port_is_a_clear_error(data_dir: Path) -> None:
    from workstation.hub.errors import HubError
    from workstation.hub.server import HubServer

    with pytest.raises(HubError) as info:
        HubServer(data_dir, port=99999).start()
    assert str(info.value) == "The hub cannot listen on port 99999: a port number is 0 to 65535."
