"""The capture rule of the machine policy, decided in one place: may clips play on this seat now?

``capture_protection = "require"`` lets clips play only while the seat is PROTECTED (screen capture
blocked by the OS); ``"prefer"`` lets them play whatever the seat can do, with the capability shown and
audited. The UI asks :func:`decide` and renders the answer; nothing else compares the policy's words.
"""

from __future__ import annotations

from enum import Enum

from workstation.platform.capture import Capability
from workstation.policy import CaptureMode


class CaptureDecision(Enum):
    """What the seat may do with clips, given the policy and what the OS gives."""

    PLAY = "play"
    """Clips may play (protected, or the policy only prefers protection)."""
    REFUSE = "refuse"
    """No clip may show: the policy requires protection and this seat does not have it."""


def decide(mode: CaptureMode, capability: Capability) -> CaptureDecision:
    if mode is CaptureMode.REQUIRE and capability is not Capability.PROTECTED:
        return CaptureDecision.REFUSE
    return CaptureDecision.PLAY


REFUSAL_TITLE = "Clips cannot play on this seat"
REFUSAL_HINT = ('The machine policy requires screen-capture protection (capture_protection = "require") and this '
                "seat cannot provide it. Ask IT for a protected seat, or to change the policy.")
