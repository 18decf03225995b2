"""Plain words for the annotator, and the technical detail for IT behind an "IT details" switch.

Errors carry one clear sentence for whoever reads them (IT reads the same text in the log and on the
command line). On a worker's screen, problems the annotator cannot fix themselves — the hub's address,
certificates, policy settings, files — become a plain sentence saying what it means for their work and
whom to tell; the original text goes under "IT details".
"""

from __future__ import annotations

from workstation.errors import WorkstationError
from workstation.sync.errors import HubProtocolError, HubUnavailable, HubUntrusted

HUB_AWAY = ("The floor hub does not answer. Your decisions are kept on this PC; try again in a moment, or tell IT "
            "if it stays like this.")
HUB_UNTRUSTED = ("This PC cannot check that it is talking to the real floor hub, so it sends nothing. Tell IT; "
                 "your decisions are kept on this PC.")
HUB_BROKEN = "The floor hub gave an answer this app cannot use. Tell IT; your decisions are kept on this PC."


def error_for_worker(exc: BaseException) -> tuple[str, str]:
    """(a sentence for the annotator, the detail for IT) for an error on a sign-in or start screen."""
    if isinstance(exc, WorkstationError):
        detail = "\n".join(p for p in (exc.full_text(), str(getattr(exc, "detail", "") or "")) if p)
        if isinstance(exc, HubUnavailable):
            return HUB_AWAY, detail
        if isinstance(exc, HubUntrusted):
            return HUB_UNTRUSTED, detail
        if isinstance(exc, HubProtocolError):
            return HUB_BROKEN, detail
        return exc.full_text(), str(getattr(exc, "detail", "") or "")
    return ("Something went wrong while starting the shift. Try again; if it repeats, tell IT.",
            f"{type(exc).__name__}: {exc}")


CAPTURE_REFUSED = ("This PC cannot keep clips out of screen recordings, and this floor requires that. Tell IT; "
                   "they can give you a seat that can.")
POLICY_INVALID = "This PC is not set up for the floor yet. Tell IT."
NO_KEY_STORE = "This PC has no safe place for a shift's keys, so clips cannot play here. Tell IT."
