"""macOS: keep the app's windows out of screen captures with ``NSWindow.sharingType = NSWindowSharingNone``.

Qt's ``winId()`` on macOS is an ``NSView*``. Through the Objective-C runtime (``libobjc`` with ctypes,
no PyObjC) this module checks the pointer is an ``NSView``, asks for its ``window``, sends
``setSharingType: 0`` and reads ``sharingType`` back. ``objc_msgSend`` gets the exact
``restype``/``argtypes`` of each message before it is sent (required on Apple silicon, where the
variadic call convention differs). AppKit must be called on the main thread: the Qt side does.

Protects against (macOS 14 and earlier): screenshots (⇧⌘3/4/5, ``screencapture``), the legacy
CoreGraphics window-list capture, screen recording and sharing through those paths.

Does NOT protect against: macOS 15 and later, where ScreenCaptureKit — used by the system's own
recorder and by most meeting apps — ignores ``sharingType``; there the result is DEGRADED. Nor
against a phone camera, a capture card, a VM host or remote-desktop server, a modified copy of this
app, a kernel extension or any tool with enough privilege to read the frame buffer. A view not yet
in a window (``[view window]`` is nil) is reported as not protected, to be retried once shown.
"""

from __future__ import annotations

import ctypes
import platform
import sys
from ctypes import c_bool, c_char_p, c_ulong, c_void_p
from typing import Any, Final, Protocol, cast

from workstation.platform.capture import Capability, NativeFunction, ProtectionResult

LIBOBJC: Final = "/usr/lib/libobjc.A.dylib"
NS_WINDOW_SHARING_NONE: Final = 0
SCREENCAPTUREKIT_IGNORES_FROM: Final = 15
"""The first macOS major version whose ScreenCaptureKit ignores ``sharingType``."""

PROTECTED_DETAIL: Final = "Screen capture is blocked (macOS NSWindow sharingType NSWindowSharingNone)."
DEGRADED_DETAIL: Final = ("macOS 15 and later ignore the window sharing setting for ScreenCaptureKit capture; "
                          "capture is only partly blocked.")


class ObjCRuntime(Protocol):
    """The three ``libobjc`` functions used here (a ``ctypes.CDLL`` or a test's fake)."""

    @property
    def objc_getClass(self) -> NativeFunction: ...

    @property
    def sel_registerName(self) -> NativeFunction: ...

    @property
    def objc_msgSend(self) -> NativeFunction: ...


def load_objc() -> ObjCRuntime:
    """The real Objective-C runtime. macOS only."""
    if sys.platform != "darwin":
        raise OSError("the Objective-C runtime is loaded only on macOS")
    return cast(ObjCRuntime, ctypes.CDLL(LIBOBJC))


def macos_major(version: str) -> int | None:
    """``15`` for ``"15.1.1"``; ``None`` when ``version`` is empty or not a version."""
    head = version.strip().split(".", 1)[0]
    return int(head) if head.isdigit() else None


class MacProtector:
    """``sharingType = NSWindowSharingNone`` on the window of an ``NSView*``; the runtime and the
    macOS version are injectable (tests pass fakes; by default the real ones, on macOS only)."""

    os_name: Final = "macOS"
    qt_platform: Final = "cocoa"

    def __init__(self, objc: ObjCRuntime | None = None, *, version: str | None = None) -> None:
        self._objc = objc if objc is not None else load_objc()
        self.version = platform.mac_ver()[0] if version is None else version
        self._objc.objc_getClass.restype = c_void_p
        self._objc.objc_getClass.argtypes = [c_char_p]
        self._objc.sel_registerName.restype = c_void_p
        self._objc.sel_registerName.argtypes = [c_char_p]

    def expected(self) -> ProtectionResult:
        major = macos_major(self.version)
        if major is None:
            return ProtectionResult(Capability.DEGRADED, f"The macOS version is unknown ({self.version!r}); "
                                    "newer versions ignore the window sharing setting for ScreenCaptureKit capture.",
                                    "NSWindowSharingNone")
        if major >= SCREENCAPTUREKIT_IGNORES_FROM:
            return ProtectionResult(Capability.DEGRADED, DEGRADED_DETAIL, "NSWindowSharingNone")
        return ProtectionResult(Capability.PROTECTED, PROTECTED_DETAIL, "NSWindowSharingNone")

    def protect(self, win_id: int) -> ProtectionResult:
        if not win_id:
            return self._not_blocked("the window has no native view yet", retry=True)
        ns_view = self._objc.objc_getClass(b"NSView")
        if not ns_view:
            return self._not_blocked("the Objective-C runtime has no NSView class")
        if not self._send(win_id, "isKindOfClass:", c_bool, (c_void_p, ns_view)):
            return self._not_blocked("the window id is not an NSView")
        window = self._send(win_id, "window", c_void_p)
        if not window:
            return self._not_blocked("the view is not in a window yet", retry=True)
        self._send(window, "setSharingType:", None, (c_ulong, NS_WINDOW_SHARING_NONE))
        actual = int(self._send(window, "sharingType", c_ulong))
        if actual != NS_WINDOW_SHARING_NONE:
            return self._not_blocked(f"the window's sharingType reads back {actual} instead of "
                                     f"{NS_WINDOW_SHARING_NONE} (NSWindowSharingNone)")
        return self.expected()

    def _send(self, receiver: int, selector: str, restype: Any, *args: tuple[Any, Any]) -> Any:
        """``[receiver selector args…]`` with ``objc_msgSend`` typed for exactly this message."""
        sel = self._objc.sel_registerName(selector.encode("ascii"))
        send = self._objc.objc_msgSend
        send.restype = restype
        send.argtypes = [c_void_p, c_void_p, *(kind for kind, _ in args)]
        return send(c_void_p(receiver), c_void_p(sel), *(kind(value) for kind, value in args))

    def _not_blocked(self, why: str, *, retry: bool = False) -> ProtectionResult:
        return ProtectionResult(Capability.UNSUPPORTED, f"Screen capture is not blocked: {why}.", retry=retry)
