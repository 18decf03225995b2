"""The common vocabulary, the choice of protector, and this (Linux) machine's honest answer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workstation.platform import Capability, ProtectionResult, protector_for_this_os, worst
from workstation.platform.capture import os_display_name
from workstation.platform.other import UnsupportedProtector

ROOT = Path(__file__).resolve().parents[2]


def test_capability_values_and_order() -> None:
    assert [c.value for c in Capability] == ["protected", "degraded", "unsupported"]
    assert Capability("degraded") is Capability.DEGRADED
    assert Capability.PROTECTED.rank < Capability.DEGRADED.rank < Capability.UNSUPPORTED.rank


def test_worst_picks_the_worse_result() -> None:
    ok = ProtectionResult(Capability.PROTECTED, "ok")
    partly = ProtectionResult(Capability.DEGRADED, "partly")
    none = ProtectionResult(Capability.UNSUPPORTED, "none")
    assert worst([ok, partly]) is partly
    assert worst([partly, ok, none, ok]) is none
    assert worst([]) is None


def test_audit_data_is_small_scalars() -> None:
    from workstation.audit import check_data

    data = ProtectionResult(Capability.DEGRADED, "x" * 1000, "WDA_MONITOR", 87).audit_data()
    assert check_data(data) == data
    assert data["capability"] == "degraded" and data["error_code"] == 87


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="this machine's answer is Linux's")
def test_this_linux_machine_is_unsupported() -> None:
    protector = protector_for_this_os()
    assert isinstance(protector, UnsupportedProtector)
    assert protector.qt_platform is None
    for result in (protector.expected(), protector.protect(12345)):
        assert result.capability is Capability.UNSUPPORTED
        assert result.detail == "Screen capture cannot be blocked on Linux: there is no OS facility for it."


def test_os_names() -> None:
    assert [os_display_name(p) for p in ("win32", "darwin", "linux", "freebsd14")] == [
        "Windows", "macOS", "Linux", "freebsd"]


def test_the_platform_package_imports_without_qt() -> None:
    code = ("import sys; import workstation.platform.capture, workstation.platform.windows, "
            "workstation.platform.macos, workstation.platform.other; "
            "assert not any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules), 'Qt was imported'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
