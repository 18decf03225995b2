"""The demo's window: the real app flow with the demo annotator signed in automatically."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workstation.session.seat import Seat
from workstation.ui.app import AppFlow, application
from workstation.ui.controller import ShiftController
from workstation.ui.main_window import MainWindow


def run_demo_ui(seat: Seat, credentials: tuple[str, str], screenshot: str | None = None) -> int:
    app = application(sys.argv[:1])

    def on_window(window: MainWindow, controller: ShiftController) -> None:
        if screenshot:
            def grab() -> None:
                window.grab().save(screenshot)
                print(f"demo: saved {screenshot}", file=sys.stderr)
                QApplication.quit()
            QTimer.singleShot(2500, grab)

    flow = AppFlow(seat, autologin=credentials, on_shift_window=on_window)
    flow.start()
    if screenshot:
        def give_up() -> None:  # the shift never opened: keep a picture of what the annotator sees
            if flow.window is None:
                flow.start_window.grab().save(screenshot)
                print(f"demo: no shift window after 90 s; saved the start window to {screenshot}", file=sys.stderr)
                QApplication.exit(1)
        QTimer.singleShot(90_000, give_up)
    code = app.exec()
    flow.shutdown()
    return code
