"""Screen-capture protection: the common vocabulary and the choice of the module for this OS.

Every OS module offers a :class:`CaptureProtector`: ``expected()`` says what this OS can give
before any window exists, ``protect(win_id)`` asks the OS to keep one native top-level window
out of screen captures and says honestly what it got (a :class:`ProtectionResult`). Native
failures come back as results, never as exceptions. Nothing here imports Qt; the Qt side
(applying it to every window and dialog) is ``workstation.ui.capture_guard``.

Protects against: the ordinary software ways of copying what the window shows on the OS that
allows blocking them — screenshot keys and tools, screen recorders, screen sharing in meeting
apps — as far as the OS honours its own setting (see each OS module).

Does NOT protect against, on any OS: a phone camera pointed at the screen, a capture card or
KVM recorder on the video cable, the host of a virtual machine or a remote-desktop server that
renders the session, a modified copy of this app, a kernel-level or driver-level capture tool,
or an administrator who hooks the OS compositor. The visible watermark and the audit log are
what deter and trace those. On Linux (X11 and Wayland) there is no OS facility at all.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol


class Capability(StrEnum):
    """How well this seat keeps its windows out of screen captures (worst last)."""

    PROTECTED = "protected"
    DEGRADED = "degraded"
    UNSUPPORTED = "unsupported"

    @property
    def rank(self) -> int:
        """0 for PROTECTED, 1 for DEGRADED, 2 for UNSUPPORTED: a higher rank is worse."""
        return _RANK[self]


_RANK = {Capability.PROTECTED: 0, Capability.DEGRADED: 1, Capability.UNSUPPORTED: 2}


@dataclass(frozen=True)
class ProtectionResult:
    """What the OS gave for one window (or, from ``expected()``, what it can give at best).

    ``detail`` is one sentence for a person (status bar, audit, hub). ``mechanism`` names the OS
    setting in force (``WDA_EXCLUDEFROMCAPTURE``, ``WDA_MONITOR``, ``NSWindowSharingNone``) or
    ``none``. ``error_code`` is the OS error of a failed call. ``retry`` means the window was not
    ready (no native window yet): applying again once it is shown may succeed.
    """

    capability: Capability
    detail: str
    mechanism: str = "none"
    error_code: int | None = None
    retry: bool = False

    @property
    def protected(self) -> bool:
        return self.capability is Capability.PROTECTED

    def audit_data(self) -> dict[str, str | int | None]:
        """Small scalar fields for an audit event's ``data`` (no window content, no titles)."""
        return {"capability": self.capability.value, "mechanism": self.mechanism,
                "error_code": self.error_code, "detail": self.detail[:300]}


class NativeFunction(Protocol):
    """A ctypes foreign function (or a test's fake of one): typed by setting ``argtypes``/``restype``."""

    argtypes: Any
    restype: Any

    def __call__(self, *args: Any) -> Any: ...


class CaptureProtector(Protocol):
    """One OS's way of keeping a native top-level window out of screen captures."""

    @property
    def os_name(self) -> str:
        """A person's name for the OS: ``Windows``, ``macOS``, ``Linux``…"""
        ...

    @property
    def qt_platform(self) -> str | None:
        """The Qt platform plugin whose ``winId()`` this protector understands (``windows``, ``cocoa``).

        ``None`` when it makes no native call. The Qt side must not pass a window id from any other
        plugin (``offscreen``, ``minimal``, a VNC plugin): it is not a native handle.
        """
        ...

    def expected(self) -> ProtectionResult:
        """The best this OS can give, known before any window exists."""
        ...

    def protect(self, win_id: int) -> ProtectionResult:
        """Ask the OS to keep the window ``win_id`` out of captures; report what it did. Never raises
        for a native failure. Call it on the GUI thread (macOS AppKit requires it)."""
        ...


def worst(results: Iterable[ProtectionResult]) -> ProtectionResult | None:
    """The worst of ``results`` (the first of equals), or ``None`` when there are none."""
    found: ProtectionResult | None = None
    for result in results:
        if found is None or result.capability.rank > found.capability.rank:
            found = result
    return found


def os_display_name(sys_platform: str) -> str:
    """``Windows``, ``macOS``, ``Linux`` or the platform's own name for anything else."""
    names = {"win32": "Windows", "cygwin": "Windows", "darwin": "macOS"}
    if sys_platform in names:
        return names[sys_platform]
    if sys_platform.startswith("linux"):
        return "Linux"
    return sys_platform.rstrip("0123456789") or "this OS"


def protector_for_this_os() -> CaptureProtector:
    """The protector for the running OS: Windows and macOS make native calls, anything else cannot."""
    if sys.platform == "win32":
        from workstation.platform.windows import WindowsProtector

        return WindowsProtector()
    if sys.platform == "darwin":
        from workstation.platform.macos import MacProtector

        return MacProtector()
    from workstation.platform.other import UnsupportedProtector

    return UnsupportedProtector(os_display_name(sys.platform))
