"""Per-OS pieces (capture protection, idle detection) behind one small interface.

Capture protection: :mod:`.capture` holds the vocabulary (:class:`Capability`,
:class:`ProtectionResult`, the :class:`CaptureProtector` protocol) and
:func:`protector_for_this_os`; :mod:`.windows`, :mod:`.macos` and :mod:`.other` hold one protector
each. Nothing in this package imports Qt; ``workstation.ui.capture_guard`` applies a protector to
every window.
"""

from workstation.platform.capture import (
    Capability,
    CaptureProtector,
    ProtectionResult,
    protector_for_this_os,
    worst,
)

__all__ = ["Capability", "CaptureProtector", "ProtectionResult", "protector_for_this_os", "worst"]
