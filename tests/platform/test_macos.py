"""The macOS protector against a fake Objective-C runtime: selectors, message order, types, read-back."""

from __future__ import annotations

import sys
from ctypes import c_bool, c_char_p, c_ulong, c_void_p
from dataclasses import dataclass
from typing import Any

import pytest

from workstation.platform.capture import Capability
from workstation.platform.macos import DEGRADED_DETAIL, PROTECTED_DETAIL, MacProtector, macos_major

VIEW = 0x6000_0123_4560
WINDOW = 0x6000_0ABC_DEF0
NSVIEW_CLASS = 0x1_F000_0000


@dataclass
class Message:
    receiver: int
    selector: str
    args: tuple[Any, ...]
    argtypes: list[Any]
    restype: Any


class FakeFunction:
    def __init__(self, impl: Any) -> None:
        self.impl = impl
        self.argtypes: Any = None
        self.restype: Any = None
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any) -> Any:
        self.calls.append(args)
        return self.impl(*args)


class FakeObjC:
    """A runtime with one NSView in one NSWindow (sharingType starts at 1, NSWindowSharingReadOnly)."""

    def __init__(self, *, window: int | None = WINDOW, is_view: bool = True, ignores_set: bool = False) -> None:
        self.window = window
        self.is_view = is_view
        self.ignores_set = ignores_set
        self.sharing: dict[int, int] = {WINDOW: 1}
        self.selectors: dict[int, str] = {}
        self.messages: list[Message] = []
        self.objc_getClass = FakeFunction(lambda name: NSVIEW_CLASS if name == b"NSView" else None)
        self.sel_registerName = FakeFunction(self._sel)
        self.objc_msgSend = FakeFunction(self._send)

    def _sel(self, name: bytes) -> int:
        assert isinstance(name, bytes)
        sel = 0x7000 + len(self.selectors) * 8
        self.selectors[sel] = name.decode()
        return sel

    def _send(self, receiver: Any, sel: Any, *args: Any) -> Any:
        assert isinstance(receiver, c_void_p) and isinstance(sel, c_void_p)
        send = self.objc_msgSend
        name = self.selectors[sel.value or 0]
        self.messages.append(Message(receiver.value or 0, name, args, list(send.argtypes), send.restype))
        if name == "isKindOfClass:":
            return self.is_view and receiver.value == VIEW and args[0].value == NSVIEW_CLASS
        if name == "window":
            return self.window
        if name == "setSharingType:":
            if not self.ignores_set:
                self.sharing[receiver.value or 0] = args[0].value
            return None
        if name == "sharingType":
            return self.sharing[receiver.value or 0]
        raise AssertionError(f"unexpected selector {name}")


def test_sets_sharing_none_on_the_views_window_and_reads_it_back() -> None:
    objc = FakeObjC()
    result = MacProtector(objc, version="14.6.1").protect(VIEW)
    assert [m.selector for m in objc.messages] == ["isKindOfClass:", "window", "setSharingType:", "sharingType"]
    assert [m.receiver for m in objc.messages] == [VIEW, VIEW, WINDOW, WINDOW]
    kind, window, set_sharing, sharing = objc.messages
    assert kind.argtypes == [c_void_p, c_void_p, c_void_p] and kind.restype is c_bool
    assert kind.args[0].value == NSVIEW_CLASS
    assert window.argtypes == [c_void_p, c_void_p] and window.restype is c_void_p and window.args == ()
    assert set_sharing.argtypes == [c_void_p, c_void_p, c_ulong] and set_sharing.restype is None
    (value,) = set_sharing.args
    assert isinstance(value, c_ulong) and value.value == 0
    assert sharing.argtypes == [c_void_p, c_void_p] and sharing.restype is c_ulong
    assert objc.sharing[WINDOW] == 0
    assert objc.objc_getClass.calls == [(b"NSView",)]
    assert objc.objc_getClass.argtypes == [c_char_p] and objc.objc_getClass.restype is c_void_p
    assert objc.sel_registerName.argtypes == [c_char_p] and objc.sel_registerName.restype is c_void_p
    assert result.capability is Capability.PROTECTED
    assert result.detail == PROTECTED_DETAIL and result.mechanism == "NSWindowSharingNone"


@pytest.mark.parametrize("version", ["15.0", "15.3.1", "26.1"])
def test_macos_15_and_later_is_degraded(version: str) -> None:
    objc = FakeObjC()
    mac = MacProtector(objc, version=version)
    result = mac.protect(VIEW)
    assert objc.sharing[WINDOW] == 0  # still set: it blocks the older capture paths
    assert result.capability is Capability.DEGRADED
    assert result.detail == DEGRADED_DETAIL == ("macOS 15 and later ignore the window sharing setting for "
                                                "ScreenCaptureKit capture; capture is only partly blocked.")
    assert mac.expected().capability is Capability.DEGRADED


@pytest.mark.parametrize(("version", "capability"), [("10.16", Capability.PROTECTED), ("14.7", Capability.PROTECTED),
                                                     ("", Capability.DEGRADED), ("x", Capability.DEGRADED)])
def test_expected_by_version(version: str, capability: Capability) -> None:
    assert MacProtector(FakeObjC(), version=version).expected().capability is capability


def test_read_back_mismatch_is_not_protected() -> None:
    result = MacProtector(FakeObjC(ignores_set=True), version="14.0").protect(VIEW)
    assert result.capability is Capability.UNSUPPORTED
    assert "reads back 1" in result.detail


def test_a_view_outside_a_window_is_retried_later() -> None:
    objc = FakeObjC(window=None)
    result = MacProtector(objc, version="14.0").protect(VIEW)
    assert [m.selector for m in objc.messages] == ["isKindOfClass:", "window"]
    assert result.capability is Capability.UNSUPPORTED and result.retry


def test_a_pointer_that_is_not_a_view_gets_no_further_message() -> None:
    objc = FakeObjC(is_view=False)
    result = MacProtector(objc, version="14.0").protect(VIEW)
    assert [m.selector for m in objc.messages] == ["isKindOfClass:"]
    assert result.capability is Capability.UNSUPPORTED and not result.retry


def test_no_native_view_sends_nothing() -> None:
    objc = FakeObjC()
    assert MacProtector(objc, version="14.0").protect(0).retry
    assert objc.messages == []


def test_version_parsing() -> None:
    assert macos_major("15.1.1") == 15 and macos_major("10.16") == 10 and macos_major("") is None


@pytest.mark.skipif(sys.platform == "darwin", reason="the real library exists here")
def test_the_real_runtime_is_never_loaded_off_macos() -> None:
    with pytest.raises(OSError):
        MacProtector(version="14.0")
