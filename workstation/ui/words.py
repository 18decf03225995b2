"""Plain words for the annotator, and the technical detail for IT behind an "IT details" switch.

Errors carry one clear sentence for whoever reads them (IT reads the same text in the log and on the
command line). On a worker's screen, problems the annotator cannot fix themselves — the hub's address,
certificates, policy settings, files — become a plain sentence saying what it means for their work and
whom to tell; the original text goes under "IT details".

The sentences are marked here (context ``Words``) and said in the screen's language by :func:`said`; an
error's own sentence is translated when :mod:`workstation.ui.domain_text` knows it. On a screen that does
not speak English, an error it does not know becomes a plain sentence too, with the English under "IT details".
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from workstation.errors import WorkstationError
from workstation.policy import SOURCE_LANGUAGE
from workstation.sync.errors import HubProtocolError, HubRateLimited, HubUnavailable, HubUntrusted
from workstation.ui.domain_text import error_is_known, error_text, wait_words
from workstation.ui.i18n import QT_TRANSLATE_NOOP, current_language

HUB_AWAY = QT_TRANSLATE_NOOP("Words", "The floor hub does not answer. Your decisions are kept on this PC; try again "
                                      "in a moment, or tell IT if it stays like this.")
HUB_UNTRUSTED = QT_TRANSLATE_NOOP("Words", "This PC cannot check that it is talking to the real floor hub, so it "
                                           "sends nothing. Tell IT; your decisions are kept on this PC.")
HUB_BROKEN = QT_TRANSLATE_NOOP("Words", "The floor hub gave an answer this app cannot use. Tell IT; your decisions "
                                        "are kept on this PC.")
SOMETHING_WRONG = QT_TRANSLATE_NOOP("Words", "Something went wrong while starting the shift. Try again; if it "
                                             "repeats, tell IT.")
NOT_HERE = QT_TRANSLATE_NOOP("Words", "Something on this PC or the hub stops the shift. Tell IT; the details are "
                                      "under “IT details”.")
CAPTURE_REFUSED = QT_TRANSLATE_NOOP("Words", "This PC cannot keep clips out of screen recordings, and this floor "
                                             "requires that. Tell IT; they can give you a seat that can.")
POLICY_INVALID = QT_TRANSLATE_NOOP("Words", "This PC is not set up for the floor yet. Tell IT.")
NO_KEY_STORE = QT_TRANSLATE_NOOP("Words", "This PC has no safe place for a shift's keys, so clips cannot play here. "
                                          "Tell IT.")


def said(text: str) -> str:
    """One of this module's sentences in the screen's language."""
    return QCoreApplication.translate("Words", text)


def error_for_worker(exc: BaseException) -> tuple[str, str]:
    """(a sentence for the annotator, the detail for IT) for an error on a sign-in or start screen."""
    if isinstance(exc, WorkstationError):
        detail = "\n".join(p for p in (exc.full_text(), str(getattr(exc, "detail", "") or "")) if p)
        if isinstance(exc, HubUnavailable):
            return said(HUB_AWAY), detail
        if isinstance(exc, HubUntrusted):
            return said(HUB_UNTRUSTED), detail
        if isinstance(exc, HubProtocolError):
            return said(HUB_BROKEN), detail
        own_detail = str(getattr(exc, "detail", "") or "")
        if error_is_known(exc):
            return error_text(exc), own_detail
        if current_language() == SOURCE_LANGUAGE:
            return exc.full_text(), own_detail
        if isinstance(exc, HubRateLimited) and exc.retry_after:
            return QCoreApplication.translate(
                "Words", "Too many tries: sign-in is paused for {wait}. Ask a supervisor if you have forgotten the "
                "password.").format(wait=wait_words(exc.retry_after)), detail
        return said(NOT_HERE), detail
    return said(SOMETHING_WRONG), f"{type(exc).__name__}: {exc}"
