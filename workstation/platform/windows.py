"""Windows: keep the app's windows out of screen captures with ``SetWindowDisplayAffinity``.

Windows 10 version 2004 (build 19041) and later: ``WDA_EXCLUDEFROMCAPTURE`` (0x11) — the window
is left out of captures entirely (PROTECTED). Older builds: ``WDA_MONITOR`` (0x01) — captures show
the window as a black box (DEGRADED); on those builds Windows itself treats 0x11 as 0x01. The call's
return value is checked, the OS error is read with ``GetLastError`` (through ``use_last_error``),
and the setting is read back with ``GetWindowDisplayAffinity``. A refused 0x11 falls back to 0x01.
Called for every top-level window and dialog, again whenever Qt recreates its native window.

Protects against: the public Windows capture paths — PrintScreen and the Snipping Tool,
``BitBlt``/``PrintWindow`` of the desktop, Desktop Duplication and Windows.Graphics.Capture
recorders, screen sharing in meeting apps, Xbox Game Bar.

Does NOT protect against: a phone camera, a capture card, a VM host or a remote-desktop server
rendering the session, a modified copy of this app that skips the call, a kernel-level or driver-level
tool, code injected into this process or into DWM. It works only while the Desktop Window Manager
composes the desktop (always on Windows 8 and later; Windows 7 with the basic theme gets nothing).
Microsoft says plainly it is not DRM. The build comes from ``sys.getwindowsversion().build``: a
launcher without a Windows 10 manifest sees an older build and gets the DEGRADED setting, which is
safe but not the best.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from ctypes import wintypes
from typing import Final, Protocol, cast

from workstation.platform.capture import Capability, NativeFunction, ProtectionResult

WDA_NONE: Final = 0x00
WDA_MONITOR: Final = 0x01
WDA_EXCLUDEFROMCAPTURE: Final = 0x11
MIN_BUILD_EXCLUDE: Final = 19041
"""Windows 10 version 2004, the first build that honours ``WDA_EXCLUDEFROMCAPTURE``."""

_ERRORS: Final = {5: "ERROR_ACCESS_DENIED", 6: "ERROR_INVALID_HANDLE", 87: "ERROR_INVALID_PARAMETER",
                  1400: "ERROR_INVALID_WINDOW_HANDLE"}
_NAMES: Final = {WDA_NONE: "WDA_NONE", WDA_MONITOR: "WDA_MONITOR", WDA_EXCLUDEFROMCAPTURE: "WDA_EXCLUDEFROMCAPTURE"}

PROTECTED_DETAIL: Final = "Screen capture is blocked (Windows SetWindowDisplayAffinity WDA_EXCLUDEFROMCAPTURE)."


class User32(Protocol):
    """The two ``user32.dll`` functions used here (a ``ctypes.WinDLL`` or a test's fake)."""

    @property
    def SetWindowDisplayAffinity(self) -> NativeFunction: ...

    @property
    def GetWindowDisplayAffinity(self) -> NativeFunction: ...


def load_user32() -> tuple[User32, Callable[[], int]]:
    """The real ``user32.dll`` with ``use_last_error`` and its error reader. Windows only."""
    if sys.platform != "win32":
        raise OSError("user32.dll exists only on Windows")
    return cast(User32, ctypes.WinDLL("user32", use_last_error=True)), ctypes.get_last_error


def windows_build() -> int:
    """The running Windows build number (e.g. 19045). Windows only."""
    if sys.platform != "win32":
        raise OSError("not running on Windows")
    return int(sys.getwindowsversion().build)


def _error_text(code: int) -> str:
    name = _ERRORS.get(code)
    return f"error {code} ({name})" if name else f"error {code}"


class WindowsProtector:
    """``SetWindowDisplayAffinity`` on a native window; ``user32``, the build and the error reader are
    injectable (tests pass fakes; by default the real DLL and build are used, on Windows only)."""

    os_name: Final = "Windows"
    qt_platform: Final = "windows"

    def __init__(self, user32: User32 | None = None, *, build: int | None = None,
                 last_error: Callable[[], int] | None = None) -> None:
        if user32 is None:
            user32, real_last_error = load_user32()
            last_error = last_error or real_last_error
        self._user32 = user32
        self._last_error: Callable[[], int] = last_error or (lambda: 0)
        self.build = windows_build() if build is None else build
        user32.SetWindowDisplayAffinity.argtypes = [wintypes.HWND, wintypes.DWORD]
        user32.SetWindowDisplayAffinity.restype = wintypes.BOOL
        user32.GetWindowDisplayAffinity.argtypes = [wintypes.HWND, ctypes.POINTER(wintypes.DWORD)]
        user32.GetWindowDisplayAffinity.restype = wintypes.BOOL

    @property
    def affinity(self) -> int:
        """The setting this build gets: ``WDA_EXCLUDEFROMCAPTURE``, or ``WDA_MONITOR`` before 19041."""
        return WDA_EXCLUDEFROMCAPTURE if self.build >= MIN_BUILD_EXCLUDE else WDA_MONITOR

    def expected(self) -> ProtectionResult:
        if self.affinity == WDA_EXCLUDEFROMCAPTURE:
            return ProtectionResult(Capability.PROTECTED, PROTECTED_DETAIL, "WDA_EXCLUDEFROMCAPTURE")
        return ProtectionResult(Capability.DEGRADED, self._old_build_detail(), "WDA_MONITOR")

    def protect(self, win_id: int) -> ProtectionResult:
        if not win_id:
            return ProtectionResult(Capability.UNSUPPORTED, "Screen capture is not blocked yet: the window "
                                    "has no native window handle.", retry=True)
        wanted = self.affinity
        error = self._set(win_id, wanted)
        if error is None:
            return self._confirm(win_id, wanted, self.expected())
        if wanted == WDA_MONITOR:
            return self._failed(f"SetWindowDisplayAffinity(WDA_MONITOR) failed with {_error_text(error)}", error)
        fallback_error = self._set(win_id, WDA_MONITOR)
        if fallback_error is not None:
            return self._failed(f"SetWindowDisplayAffinity failed with {_error_text(error)} for "
                                f"WDA_EXCLUDEFROMCAPTURE and {_error_text(fallback_error)} for WDA_MONITOR", error)
        degraded = ProtectionResult(
            Capability.DEGRADED, f"SetWindowDisplayAffinity(WDA_EXCLUDEFROMCAPTURE) failed with {_error_text(error)}; "
            "captures show the window as a black box (WDA_MONITOR) instead of leaving it out.", "WDA_MONITOR", error)
        return self._confirm(win_id, WDA_MONITOR, degraded)

    # ------------------------------------------------------------------ native calls

    def _set(self, win_id: int, affinity: int) -> int | None:
        """``None`` on success, else the OS error code of the failed call."""
        ok = self._user32.SetWindowDisplayAffinity(wintypes.HWND(win_id), wintypes.DWORD(affinity))
        return None if ok else int(self._last_error())

    def _read(self, win_id: int) -> int | None:
        """The window's affinity as Windows reports it, or ``None`` when the read itself fails."""
        value = wintypes.DWORD(0xFFFFFFFF)
        ok = self._user32.GetWindowDisplayAffinity(wintypes.HWND(win_id), ctypes.pointer(value))
        return int(value.value) if ok else None

    def _confirm(self, win_id: int, wanted: int, success: ProtectionResult) -> ProtectionResult:
        actual = self._read(win_id)
        if actual is None or actual == wanted:
            return success  # a failed read-back leaves the checked SetWindowDisplayAffinity result standing
        shown = _NAMES.get(actual, hex(actual))
        text = (f"SetWindowDisplayAffinity reported success but the window reads back {shown} "
                f"instead of {_NAMES[wanted]}")
        if actual == WDA_MONITOR:
            return ProtectionResult(Capability.DEGRADED, f"{text}: captures show the window as a black box.",
                                    "WDA_MONITOR")
        return self._failed(text, None)

    def _failed(self, text: str, error: int | None) -> ProtectionResult:
        return ProtectionResult(Capability.UNSUPPORTED, f"Screen capture is not blocked: {text}.", "none", error)

    def _old_build_detail(self) -> str:
        return (f"Windows build {self.build} is older than {MIN_BUILD_EXCLUDE} (version 2004): captures show "
                "the window as a black box (WDA_MONITOR) instead of leaving it out.")
