"""Start the real app: machine policy → language → seat → sign-in flow; every refusal is a clear window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication

from workstation.errors import WorkstationError
from workstation.policy import PolicyError, load_policy
from workstation.session.seat import Seat
from workstation.ui.app import AppFlow, application, show_refusal
from workstation.ui.words import NO_KEY_STORE, POLICY_INVALID, said
from workstation.vault.keystore import NoSecureKeyring


def run_app() -> int:
    try:
        policy = load_policy()
    except PolicyError as exc:
        app = application(sys.argv[:1], language="")  # no policy to say the language: the system's
        _refusal = show_refusal(app, QCoreApplication.translate("run_app", "This PC is not ready for the floor"), exc,
                                worker=said(POLICY_INVALID))
        return app.exec() or 2
    app = application(sys.argv[:1], language=policy.language)
    try:
        seat = Seat.open(policy)
    except NoSecureKeyring as exc:
        _refusal = show_refusal(app, QCoreApplication.translate("run_app", "Clips cannot play on this PC"), exc,
                                policy.hub_url, policy.seat, worker=said(NO_KEY_STORE))
        return app.exec() or 2
    except WorkstationError as exc:
        _refusal = show_refusal(app, QCoreApplication.translate("run_app", "The app cannot start"), exc,
                                policy.hub_url, policy.seat)
        return app.exec() or 2
    flow = AppFlow(seat)
    flow.start()
    code = app.exec()
    flow.shutdown()
    seat.close()
    return code
