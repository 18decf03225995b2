"""``self-test``: each check against the real part it names (a real loopback hub, the keyring API with a test
backend, the built-in sealed sample), each failure one reason and what to do, never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.hub_fixtures import CHEAP_PASSWORDS, TEST_HUB
from tests.keyring_backend import InMemoryKeyring, installed_keyring
from tests.sync.test_tls import hub_files
from workstation.hub.server import HubServer
from workstation.hub.service import HubService
from workstation.platform.capture import Capability, ProtectionResult
from workstation.session import selftest
from workstation.session.selftest import Probes, Report, run_self_test

ROOT = Path(__file__).resolve().parents[2]
ORDER = ["policy", "key_store", "capture", "decoder", "cache", "audio", "hub", "tls", "clock"]


@pytest.fixture
def plain_hub(tmp_path: Path) -> Iterator[str]:
    HubService(tmp_path / "hub", test_only_password_cost=CHEAP_PASSWORDS)
    server = HubServer(tmp_path / "hub", config=TEST_HUB)
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture
def keyring_backend() -> Iterator[InMemoryKeyring]:
    with installed_keyring(InMemoryKeyring()) as backend:
        yield backend  # type: ignore[misc]


def write_policy(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


class Protected:
    def expected(self) -> ProtectionResult:
        return ProtectionResult(Capability.PROTECTED, "Windows keeps the window out of captures.",
                                "WDA_EXCLUDEFROMCAPTURE")

    def protect(self, win_id: int) -> ProtectionResult:
        return self.expected()


def probes(tmp_path: Path, **kw: object) -> Probes:
    base: dict[str, object] = {"audio_outputs": lambda: ["Headphones"], "data_dir": lambda: tmp_path / "data"}
    base.update(kw)
    return Probes(**base)  # type: ignore[arg-type]


def by_name(report: Report) -> dict[str, selftest.Check]:
    return {c.name: c for c in report.checks}


def test_a_working_seat_passes_every_check(tmp_path: Path, plain_hub: str, keyring_backend: InMemoryKeyring) -> None:
    policy = write_policy(tmp_path / "etc", f'hub_url = "{plain_hub}"\n')
    report = run_self_test(policy, probes(tmp_path, protector=Protected))
    checks = by_name(report)
    assert [c.name for c in report.checks] == ORDER
    assert report.ok and all(c.status == "ok" for c in report.checks), report.to_text()
    assert "15 frames" in checks["decoder"].detail and "exact" in checks["decoder"].detail
    assert "hub version" in checks["hub"].detail and "loopback" in checks["tls"].detail
    assert keyring_backend.passwords == {}  # the probe secret was deleted again
    assert not list((tmp_path / "data").glob(".selftest*")) if (tmp_path / "data").exists() else True
    data = json.loads(report.to_json())
    assert data["ok"] is True and [c["name"] for c in data["checks"]] == ORDER
    assert report.to_text().splitlines()[-1] == "Result: this seat can work."


def test_linux_capture_is_a_warning_under_prefer_and_a_failure_under_require(
        tmp_path: Path, plain_hub: str, keyring_backend: InMemoryKeyring) -> None:
    prefer = run_self_test(write_policy(tmp_path / "a", f'hub_url = "{plain_hub}"\n'), probes(tmp_path))
    assert by_name(prefer)["capture"].status == "warn" and prefer.ok
    require = run_self_test(write_policy(tmp_path / "b", f'hub_url = "{plain_hub}"\ncapture_protection = "require"\n'),
                            probes(tmp_path))
    capture = by_name(require)["capture"]
    assert capture.status == "fail" and "requires" in capture.detail and capture.fix
    assert not require.ok and "capture protection" in require.to_text().splitlines()[-1]


def test_without_a_policy_the_local_parts_are_still_checked(tmp_path: Path, keyring_backend: InMemoryKeyring) -> None:
    report = run_self_test(tmp_path / "nowhere" / "policy.toml", probes(tmp_path))
    checks = by_name(report)
    assert checks["policy"].status == "fail" and "no policy file" in checks["policy"].detail
    assert checks["decoder"].status == "ok" and checks["key_store"].status == "ok"
    assert all(checks[n].status == "fail" and "not checked" in checks[n].detail for n in ("hub", "tls", "clock"))
    assert not report.ok


def test_no_secure_keyring_fails_the_key_store(tmp_path: Path, plain_hub: str) -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    with installed_keyring(FailKeyring()):
        report = run_self_test(write_policy(tmp_path, f'hub_url = "{plain_hub}"\n'), probes(tmp_path))
    check = by_name(report)["key_store"]
    assert check.status == "fail" and "keyring" in (check.detail + check.fix).lower() and not report.ok


def test_the_memory_key_store_is_a_warning(tmp_path: Path, plain_hub: str) -> None:
    report = run_self_test(write_policy(tmp_path, f'hub_url = "{plain_hub}"\nkey_store = "memory"\n'), probes(tmp_path))
    assert by_name(report)["key_store"].status == "warn" and report.ok


def test_an_unreachable_hub_fails_with_the_reason(tmp_path: Path, keyring_backend: InMemoryKeyring) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    report = run_self_test(write_policy(tmp_path, f'hub_url = "http://127.0.0.1:{port}"\n'), probes(tmp_path))
    checks = by_name(report)
    assert checks["hub"].status == "fail" and "cannot be reached" in checks["hub"].detail and checks["hub"].fix
    assert checks["tls"].status == "fail" and not report.ok
    assert "Traceback" not in report.to_text()


def test_tls_trust_comes_from_the_policy_ca_only(tmp_path: Path, keyring_backend: InMemoryKeyring) -> None:
    floor_ca, other_ca = trustme.CA(organization_name="Floor CA"), trustme.CA(organization_name="Other CA")
    cert, key = hub_files(tmp_path / "tls", floor_ca.issue_cert("127.0.0.1", "localhost"))
    floor_ca.cert_pem.write_to_path(str(tmp_path / "floor-ca.pem"))
    other_ca.cert_pem.write_to_path(str(tmp_path / "other-ca.pem"))
    HubService(tmp_path / "hub", test_only_password_cost=CHEAP_PASSWORDS)
    with HubServer(tmp_path / "hub", tls_cert=cert, tls_key=key, config=TEST_HUB) as server:
        url = server.base_url
        good = run_self_test(write_policy(tmp_path / "good", f'hub_url = "{url}"\nhub_ca = "{tmp_path}/floor-ca.pem"\n'),
                             probes(tmp_path))
        bad = run_self_test(write_policy(tmp_path / "bad", f'hub_url = "{url}"\nhub_ca = "{tmp_path}/other-ca.pem"\n'),
                            probes(tmp_path))
    assert by_name(good)["tls"].status == "ok" and "floor-ca.pem" in by_name(good)["tls"].detail
    assert by_name(bad)["hub"].status == "fail" and "not trusted" in by_name(bad)["hub"].detail
    assert by_name(bad)["tls"].status == "fail" and not bad.ok


@pytest.mark.parametrize("offset,status", [(0.0, "ok"), (90.0, "warn"), (-90.0, "warn"), (900.0, "fail"),
                                           (-900.0, "fail")])
def test_the_clock_is_compared_with_the_hubs(tmp_path: Path, plain_hub: str, keyring_backend: InMemoryKeyring,
                                             offset: float, status: str) -> None:
    report = run_self_test(write_policy(tmp_path, f'hub_url = "{plain_hub}"\n'),
                           probes(tmp_path, now=lambda: time.time() + offset))
    clock = by_name(report)["clock"]
    assert clock.status == status, clock
    if offset:
        assert ("ahead of" if offset > 0 else "behind") in clock.detail


def test_a_damaged_decoder_sample_fails_the_decoder_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          keyring_backend: InMemoryKeyring) -> None:
    from workstation.resources import resources_dir

    copy = tmp_path / "resources"
    shutil.copytree(resources_dir() / "selftest", copy / "selftest")
    data = bytearray((copy / "selftest" / "sample.clip").read_bytes())
    data[len(data) // 2] ^= 0x40
    (copy / "selftest" / "sample.clip").write_bytes(bytes(data))
    monkeypatch.setattr(selftest, "resources_dir", lambda: copy)
    check = by_name(run_self_test(tmp_path / "none.toml", probes(tmp_path)))["decoder"]
    assert check.status == "fail" and check.fix and "Traceback" not in check.detail


def test_wrong_pictures_from_the_decoder_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              keyring_backend: InMemoryKeyring) -> None:
    from workstation.resources import resources_dir

    copy = tmp_path / "resources" / "selftest"
    shutil.copytree(resources_dir() / "selftest", copy)
    meta = json.loads((copy / "sample.json").read_text())
    meta["digest"][3] = [min(255, v + 40) for v in meta["digest"][3]]
    (copy / "sample.json").write_text(json.dumps(meta))
    monkeypatch.setattr(selftest, "resources_dir", lambda: copy.parent)
    check = by_name(run_self_test(tmp_path / "none.toml", probes(tmp_path)))["decoder"]
    assert check.status == "fail" and "came out wrong" in check.detail


def test_a_cache_folder_that_cannot_be_written_fails(tmp_path: Path, plain_hub: str,
                                                     keyring_backend: InMemoryKeyring) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    policy = write_policy(tmp_path, f'hub_url = "{plain_hub}"\ncache_dir = "{blocker}/cache"\n')
    check = by_name(run_self_test(policy, probes(tmp_path)))["cache"]
    assert check.status == "fail" and "cannot be written" in check.detail and check.fix


def test_no_audio_output_is_a_warning(tmp_path: Path, plain_hub: str, keyring_backend: InMemoryKeyring) -> None:
    report = run_self_test(write_policy(tmp_path, f'hub_url = "{plain_hub}"\n'),
                           probes(tmp_path, audio_outputs=list))
    assert by_name(report)["audio"].status == "warn" and "without sound" in by_name(report)["audio"].detail


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CACHE_HOME": str(home / "cache"), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "workstation", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300, check=False)


def test_the_command_exits_0_or_1_with_reasons_never_a_traceback(tmp_path: Path, plain_hub: str) -> None:
    good = write_policy(tmp_path / "good", f'hub_url = "{plain_hub}"\nkey_store = "memory"\n')
    ok = run_cli("self-test", "--policy", str(good), "--json", home=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    data = json.loads(ok.stdout)
    assert data["ok"] and [c["name"] for c in data["checks"]] == ORDER
    missing = run_cli("self-test", "--policy", str(tmp_path / "missing.toml"), home=tmp_path)
    assert missing.returncode == 1 and "Traceback" not in missing.stdout + missing.stderr
    assert "FAIL" in missing.stdout and "cannot work" in missing.stdout.splitlines()[-1]


def test_version_is_the_packages(tmp_path: Path) -> None:
    from workstation import __version__

    result = run_cli("--version", home=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == f"floor-workstation {__version__}"
