"""The Windows protector against a fake ``user32``: exact calls, constants, argument types, errors."""

from __future__ import annotations

import ctypes
import sys
from ctypes import wintypes
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from workstation.platform.capture import Capability
from workstation.platform.windows import (
    PROTECTED_DETAIL,
    WDA_EXCLUDEFROMCAPTURE,
    WDA_MONITOR,
    WindowsProtector,
)

HWND = 0x0000_7FFE_0012_3456
"""A 64-bit window handle, as ``int(widget.winId())`` gives it."""


@dataclass
class Call:
    args: tuple[Any, ...]
    argtypes: Any
    restype: Any


class FakeFunction:
    """Records each call with the ``argtypes``/``restype`` in force at that moment."""

    def __init__(self, impl: Any) -> None:
        self.impl = impl
        self.argtypes: Any = None
        self.restype: Any = None
        self.calls: list[Call] = []

    def __call__(self, *args: Any) -> Any:
        self.calls.append(Call(args, self.argtypes, self.restype))
        return self.impl(*args)


class FakeUser32:
    """``SetWindowDisplayAffinity``/``GetWindowDisplayAffinity`` over a dict; refusals set the last error."""

    def __init__(self, *, refuse: dict[int, int] | None = None, reads: int | None = None,
                 read_fails: bool = False) -> None:
        self.refuse = refuse or {}
        self.reads = reads
        self.read_fails = read_fails
        self.affinity: dict[int, int] = {}
        self.error = 0
        self.SetWindowDisplayAffinity = FakeFunction(self._set)
        self.GetWindowDisplayAffinity = FakeFunction(self._get)

    def last_error(self) -> int:
        return self.error

    def set_values(self) -> list[int]:
        return [call.args[1].value for call in self.SetWindowDisplayAffinity.calls]

    def _set(self, hwnd: Any, affinity: Any) -> int:
        assert isinstance(hwnd, wintypes.HWND) and isinstance(affinity, wintypes.DWORD)
        if affinity.value in self.refuse:
            self.error = self.refuse[affinity.value]
            return 0
        self.affinity[hwnd.value or 0] = affinity.value
        return 1

    def _get(self, hwnd: Any, out: Any) -> int:
        assert isinstance(hwnd, wintypes.HWND)
        assert isinstance(out, ctypes.POINTER(wintypes.DWORD))
        if self.read_fails:
            return 0
        out.contents.value = self.reads if self.reads is not None else self.affinity.get(hwnd.value or 0, 0)
        return 1


def protector(user32: FakeUser32, build: int = 19045) -> WindowsProtector:
    return WindowsProtector(user32, build=build, last_error=user32.last_error)


def test_prototypes_are_declared() -> None:
    user32 = FakeUser32()
    protector(user32)
    assert user32.SetWindowDisplayAffinity.argtypes == [wintypes.HWND, wintypes.DWORD]
    assert user32.SetWindowDisplayAffinity.restype is wintypes.BOOL
    assert user32.GetWindowDisplayAffinity.argtypes == [wintypes.HWND, ctypes.POINTER(wintypes.DWORD)]
    assert user32.GetWindowDisplayAffinity.restype is wintypes.BOOL


def test_build_19041_and_later_excludes_from_capture() -> None:
    user32 = FakeUser32()
    result = protector(user32, build=19041).protect(HWND)
    (call,) = user32.SetWindowDisplayAffinity.calls
    hwnd, affinity = call.args
    assert isinstance(hwnd, wintypes.HWND) and hwnd.value == HWND
    assert isinstance(affinity, wintypes.DWORD) and affinity.value == 0x11 == WDA_EXCLUDEFROMCAPTURE
    assert call.argtypes == [wintypes.HWND, wintypes.DWORD] and call.restype is wintypes.BOOL
    (read,) = user32.GetWindowDisplayAffinity.calls
    assert read.args[0].value == HWND
    assert result.capability is Capability.PROTECTED and result.protected
    assert result.detail == PROTECTED_DETAIL
    assert result.detail == "Screen capture is blocked (Windows SetWindowDisplayAffinity WDA_EXCLUDEFROMCAPTURE)."
    assert result.mechanism == "WDA_EXCLUDEFROMCAPTURE" and result.error_code is None


def test_older_build_gets_monitor_and_is_degraded() -> None:
    user32 = FakeUser32()
    windows = protector(user32, build=18363)
    assert windows.expected().capability is Capability.DEGRADED
    result = windows.protect(HWND)
    assert user32.set_values() == [0x01] == [WDA_MONITOR]
    assert result.capability is Capability.DEGRADED
    assert result.mechanism == "WDA_MONITOR"
    assert "18363" in result.detail and "black box" in result.detail


def test_refused_exclude_falls_back_to_monitor_with_the_error_code() -> None:
    user32 = FakeUser32(refuse={WDA_EXCLUDEFROMCAPTURE: 87})
    result = protector(user32).protect(HWND)
    assert user32.set_values() == [0x11, 0x01]
    assert result.capability is Capability.DEGRADED
    assert result.error_code == 87
    assert "error 87 (ERROR_INVALID_PARAMETER)" in result.detail
    assert user32.affinity[HWND] == WDA_MONITOR


def test_a_zero_return_is_not_protected_and_names_the_error() -> None:
    user32 = FakeUser32(refuse={WDA_EXCLUDEFROMCAPTURE: 5, WDA_MONITOR: 5})
    result = protector(user32).protect(HWND)
    assert user32.set_values() == [0x11, 0x01]
    assert result.capability is Capability.UNSUPPORTED and not result.protected
    assert result.error_code == 5
    assert "error 5 (ERROR_ACCESS_DENIED)" in result.detail
    assert user32.GetWindowDisplayAffinity.calls == []


def test_older_build_refused_monitor_is_unsupported() -> None:
    user32 = FakeUser32(refuse={WDA_MONITOR: 1400})
    result = protector(user32, build=17763).protect(HWND)
    assert user32.set_values() == [0x01]
    assert result.capability is Capability.UNSUPPORTED
    assert result.error_code == 1400 and "error 1400" in result.detail


@pytest.mark.parametrize(("reads", "capability"), [(0x00, Capability.UNSUPPORTED), (0x01, Capability.DEGRADED)])
def test_read_back_mismatch_is_not_protected(reads: int, capability: Capability) -> None:
    result = protector(FakeUser32(reads=reads)).protect(HWND)
    assert result.capability is capability
    assert "reads back" in result.detail and "WDA_EXCLUDEFROMCAPTURE" in result.detail


def test_a_failed_read_back_leaves_the_checked_result() -> None:
    result = protector(FakeUser32(read_fails=True)).protect(HWND)
    assert result.capability is Capability.PROTECTED


def test_no_native_window_makes_no_call_and_asks_for_a_retry() -> None:
    user32 = FakeUser32()
    result = protector(user32).protect(0)
    assert user32.SetWindowDisplayAffinity.calls == []
    assert result.capability is Capability.UNSUPPORTED and result.retry


def test_values_survive_real_ctypes_marshalling() -> None:
    """Real ctypes function pointers (Python callbacks) with the prototypes the module sets."""
    seen: list[tuple[int, int]] = []

    def set_affinity(hwnd: int, affinity: int) -> int:
        seen.append((hwnd, affinity))
        return 1

    def get_affinity(hwnd: int, out: Any) -> int:
        out[0] = seen[-1][1]
        return 1

    user32 = SimpleNamespace(
        SetWindowDisplayAffinity=ctypes.CFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.DWORD)(set_affinity),
        GetWindowDisplayAffinity=ctypes.CFUNCTYPE(wintypes.BOOL, wintypes.HWND,
                                                  ctypes.POINTER(wintypes.DWORD))(get_affinity),
    )
    result = WindowsProtector(user32, build=22631, last_error=lambda: 0).protect(HWND)
    assert seen == [(HWND, 0x11)]
    assert result.capability is Capability.PROTECTED


@pytest.mark.skipif(sys.platform == "win32", reason="the real library exists here")
def test_the_real_dll_is_never_loaded_off_windows() -> None:
    with pytest.raises(OSError):
        WindowsProtector()
