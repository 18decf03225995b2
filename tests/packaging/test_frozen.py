"""The frozen one-folder app, built once by ``build_scripts/build.py`` as IT builds it, runs its IT commands.

One build per test session (a few minutes on two cores), in a temporary folder; then the FROZEN executable's
``--version``, ``self-test --json`` (against nothing, and against a frozen hub serving TLS from a floor CA),
``policy check``, ``shred``, ``hub serve`` + ``/api/v1/health``, and the demo's and the supervisor demo's
screenshots offscreen. Nothing here waits a fixed time: each step waits for the process's own answer.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.packaging import build_script
from workstation import __version__

ROOT = Path(__file__).resolve().parents[2]
bundle = build_script("bundle")

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="CI builds and runs the Linux frozen app; this is not Linux"),
    pytest.mark.timeout(1800),  # the first test also builds (a hang guard, not a timing figure)
]


@dataclass(frozen=True)
class Frozen:
    folder: Path
    exe: Path
    archive: Path
    report: str


@pytest.fixture(scope="session")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Frozen]:
    out = tmp_path_factory.mktemp("frozen")
    env = dict(os.environ, PYINSTALLER_CONFIG_DIR=str(out / "pyinstaller-config"))
    result = subprocess.run([sys.executable, str(ROOT / "build_scripts" / "build.py"), "--dist", str(out / "dist"),
                             "--work", str(out / "work")], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=1500, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    folder = out / "dist" / bundle.EXE_NAME
    archives = list((out / "dist").glob("*.tar.gz"))
    assert len(archives) == 1, archives
    yield Frozen(folder, folder / bundle.EXE_NAME, archives[0], result.stdout)
    shutil.rmtree(out, ignore_errors=True)  # about 1 GB: the app, its archive and PyInstaller's work folder


def seat_env(home: Path, **extra: str) -> dict[str, str]:
    """A frozen run with its own app-data and cache folders, offscreen Qt, and no real keyring touched."""
    env = dict(os.environ, XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_CONFIG_HOME=str(home / "config"), QT_QPA_PLATFORM="offscreen",
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    env.update(extra)
    return env


def run(frozen: Frozen, *args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # generous: only a hang fails here
    return subprocess.run([str(frozen.exe), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
                          check=False)


def test_the_build_prints_its_figures_within_the_limits(frozen: Frozen) -> None:
    report = frozen.report
    folder = re.search(r"^folder: .*: ([\d.]+) MB in (\d+) files$", report, flags=re.MULTILINE)
    archive = re.search(r"^archive: .*: ([\d.]+) MB$", report, flags=re.MULTILINE)
    assert folder and archive and re.search(r"^build time: \d+ s", report, flags=re.MULTILINE), report
    assert float(folder.group(1)) <= bundle.LIMITS_MB["folder"] and float(archive.group(1)) <= bundle.LIMITS_MB["archive"]
    assert frozen.archive.name == f"{bundle.EXE_NAME}-{__version__}-linux-{bundle.machine()}.tar.gz"
    with tarfile.open(frozen.archive) as tar:
        names = set(tar.getnames())
    assert f"{bundle.EXE_NAME}/{bundle.EXE_NAME}" in names
    assert f"{bundle.EXE_NAME}/_internal/resources/selftest/sample.clip" in names


def test_the_bundle_holds_what_it_should_and_nothing_it_dropped(frozen: Frozen) -> None:
    internal = frozen.folder / "_internal"
    files = [p.relative_to(internal).as_posix() for p in internal.rglob("*")]
    assert [f for f in files if bundle.dropped(f)] == []  # Qt's FFmpeg, its media plugins, translations, …
    dangling = [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]
    assert dangling == []
    pyside = internal / "PySide6"
    kept = {p.name.split(".")[0] for p in pyside.glob("Qt*.so")}
    assert kept == set(bundle.QT_MODULES_USED), kept
    for unused in ("libQt6Qml", "libQt6Quick", "libQt6Pdf", "libQt6WebEngineCore", "libQt6VirtualKeyboard"):
        assert not list(internal.rglob(f"{unused}.so*")), unused
    for src, dest in bundle.DATAS:
        for path in (ROOT / src).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert (internal / dest / path.relative_to(ROOT / src)).is_file(), path


def test_version(frozen: Frozen, tmp_path: Path) -> None:
    result = run(frozen, "--version", env=seat_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == f"floor-workstation {__version__}"


def test_self_test_without_a_policy_says_why_in_json(frozen: Frozen, tmp_path: Path) -> None:
    result = run(frozen, "self-test", "--json", "--policy", str(tmp_path / "none.toml"), env=seat_env(tmp_path),
                 cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    report = json.loads(result.stdout)
    checks = {c["name"]: c for c in report["checks"]}
    assert result.returncode == 1 and report["ok"] is False
    assert checks["policy"]["status"] == "fail" and "no policy file" in checks["policy"]["detail"]
    # the frozen decoder decrypts and decodes the built-in sealed sample (PyAV, OpenCV and resources/ are there)
    assert checks["decoder"]["status"] == "ok", checks["decoder"]


def test_self_test_with_the_machine_policy_answers_in_json(frozen: Frozen, tmp_path: Path) -> None:
    """As CI runs it: whatever this machine's policy, one JSON object with every check, exit 0 or 1 to match."""
    result = run(frozen, "self-test", "--json", env=seat_env(tmp_path), cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    report = json.loads(result.stdout)
    assert report["version"] == __version__ and isinstance(report["checks"], list) and report["checks"]
    assert result.returncode == (0 if report["ok"] else 1)
    assert all({"name", "status", "detail"} <= set(c) for c in report["checks"])


@dataclass(frozen=True)
class Hub:
    url: str
    ca: Path
    process: subprocess.Popen[str]


@pytest.fixture
def tls_hub(frozen: Frozen, tmp_path: Path) -> Iterator[Hub]:
    """The frozen hub serving HTTPS on a free loopback port with a floor-CA certificate (as IT runs it)."""
    import trustme

    ca = trustme.CA(organization_name="Floor CA")
    ca_file = tmp_path / "floor-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    cert_file, key_file = tmp_path / "hub.pem", tmp_path / "hub.key"
    cert_file.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    leaf.private_key_pem.write_to_path(str(key_file))
    key_file.chmod(0o600)
    process = subprocess.Popen([str(frozen.exe), "hub", "serve", "--data", str(tmp_path / "hub"), "--host", "127.0.0.1",
                                "--port", "0", "--tls-cert", str(cert_file), "--tls-key", str(key_file)],
                               cwd=tmp_path, env=seat_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # printed once the socket listens (or EOF when the hub could not start)
        found = re.search(r"listening on (https://127\.0\.0\.1:\d+)/api/v1", line)
        assert found, line + (process.stderr.read() if process.poll() is not None and process.stderr else "")
        yield Hub(found.group(1), ca_file, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_hub_serve_answers_health_over_tls(tls_hub: Hub) -> None:
    import httpx

    answer = httpx.get(f"{tls_hub.url}/api/v1/health", verify=ssl.create_default_context(cafile=str(tls_hub.ca)),
                       timeout=60)
    assert answer.status_code == 200 and answer.json() == {"status": "ok", "version": __version__}
    tls_hub.process.terminate()
    assert tls_hub.process.wait(timeout=60) == 0  # SIGTERM stops it cleanly, as systemd stops the service


def test_self_test_passes_on_a_seat_with_a_valid_policy_and_a_tls_hub(frozen: Frozen, tls_hub: Hub,
                                                                      tmp_path: Path) -> None:
    policy = tmp_path / "etc" / "policy.toml"
    policy.parent.mkdir()
    shutil.copy(tls_hub.ca, policy.parent / "floor-ca.pem")
    policy.write_text(f'hub_url = "{tls_hub.url}"\nhub_ca = "floor-ca.pem"\nkey_store = "memory"\n', encoding="utf-8")
    checked = run(frozen, "policy", "check", "--path", str(policy), env=seat_env(tmp_path), cwd=tmp_path)
    assert checked.returncode == 0 and checked.stdout.startswith(f"{policy}: valid"), checked.stdout + checked.stderr
    result = run(frozen, "self-test", "--json", "--policy", str(policy), env=seat_env(tmp_path), cwd=tmp_path)
    report = json.loads(result.stdout)
    statuses = {c["name"]: c["status"] for c in report["checks"]}
    assert result.returncode == 0 and report["ok"] is True, result.stdout
    assert statuses["hub"] == statuses["tls"] == statuses["decoder"] == statuses["policy"] == "ok", statuses


def test_policy_check_lists_each_mistake(frozen: Frozen, tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('hub_url = "http://hub.floor:8470"\nshift_sise = 3\n', encoding="utf-8")
    result = run(frozen, "policy", "check", "--path", str(policy), "--json", env=seat_env(tmp_path), cwd=tmp_path)
    data = json.loads(result.stdout)
    assert result.returncode == 1 and data["ok"] is False and len(data["problems"]) == 2, data


def test_shred_runs_and_is_idempotent(frozen: Frozen, tmp_path: Path) -> None:
    """The uninstallers' command (here without --all-users: this machine's other profiles are not the test's)."""
    cache = tmp_path / "cache" / bundle.EXE_NAME / "clips" / "some-shift"
    cache.mkdir(parents=True)
    (cache / "clip.bin").write_bytes(b"ciphertext")
    first = run(frozen, "shred", env=seat_env(tmp_path), cwd=tmp_path)
    assert first.returncode == 0 and "Traceback" not in first.stderr, first.stdout + first.stderr
    assert not cache.exists()
    again = run(frozen, "shred", env=seat_env(tmp_path), cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_demo_plays_and_saves_a_screenshot(frozen: Frozen, tmp_path: Path) -> None:
    result = run(frozen, "demo", "--clips", "2", "--fresh", "--screenshot", "shot.png", env=seat_env(tmp_path),
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "no shift window" not in result.stderr
    assert png_size(tmp_path / "shot.png")[0] >= 800


def test_the_supervisor_demo_draws_its_charts(frozen: Frozen, tmp_path: Path) -> None:
    """QtCharts in the bundle: the dashboard opens on a generated floor."""
    result = run(frozen, "demo", "--supervisor", "--screenshot", "desk.png", env=seat_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-4000:]
    assert png_size(tmp_path / "desk.png")[0] >= 800


def test_every_library_the_bundle_leaves_to_the_system_is_a_dependency_of_the_deb(frozen: Frozen) -> None:
    """What PyInstaller does not bundle (libc, GL, EGL, xcb, wayland) must come from the .deb's Depends."""
    if not (shutil.which("objdump") and shutil.which("dpkg") and shutil.which("ldconfig")):
        pytest.skip("needs objdump (binutils), dpkg and ldconfig: a Debian machine")
    present = {p.name for p in frozen.folder.rglob("*")}
    needed: set[str] = set()
    for path in frozen.folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.read_bytes()[:4] == b"\x7fELF":
            dump = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True, check=True).stdout
            needed.update(re.findall(r"^\s+NEEDED\s+(\S+)$", dump, flags=re.MULTILINE))
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    control = (ROOT / "packaging" / "linux" / "control").read_text(encoding="utf-8")
    depends_line = re.search(r"^Depends: (.*)$", control, flags=re.MULTILINE)
    assert depends_line
    depends = {re.split(r"[\s(]", d.strip())[0] for d in depends_line.group(1).split(",")}
    missing = []
    for lib in sorted(needed - present):
        found = re.search(rf"^\s+{re.escape(lib)} \(libc6,x86-64[^)]*\) => (\S+)$", cache, flags=re.MULTILINE) or \
            re.search(rf"^\s+{re.escape(lib)} \([^)]*\) => (\S+)$", cache, flags=re.MULTILINE)
        assert found, f"{lib} is needed by the bundle and is on no library path here"
        owner = subprocess.run(["dpkg", "-S", os.path.realpath(found.group(1))], capture_output=True, text=True,
                               check=False).stdout or \
            subprocess.run(["dpkg", "-S", found.group(1)], capture_output=True, text=True, check=False).stdout
        package = owner.split(":")[0].strip()
        if package and package not in depends:
            missing.append(f"{lib} ({package})")
    assert missing == [], "add to Depends in packaging/linux/control: " + ", ".join(missing)
