"""Linux (X11 and Wayland) and every other OS: screen capture cannot be blocked, and we say so.

There is no OS facility on these systems: on X11 any client may read any window; on Wayland the
compositor and its screencast portal decide, and offer applications no "exclude me" setting. This
protector makes no native call and always reports UNSUPPORTED, so the machine policy
(``capture_protection = "require"``) can refuse playback honestly instead of pretending.

Protects against: nothing by itself. Does NOT protect against: any screenshot, recorder, screen
share, phone camera or capture card. The visible watermark and the audit log remain the deterrents.
"""

from __future__ import annotations

from workstation.platform.capture import Capability, ProtectionResult


class UnsupportedProtector:
    """The honest answer where no OS facility exists: UNSUPPORTED, no native call."""

    qt_platform: str | None = None

    def __init__(self, os_name: str = "Linux") -> None:
        self.os_name = os_name
        self._result = ProtectionResult(
            Capability.UNSUPPORTED, f"Screen capture cannot be blocked on {os_name}: there is no OS facility for it.")

    def expected(self) -> ProtectionResult:
        return self._result

    def protect(self, win_id: int) -> ProtectionResult:
        return self._result
