"""The demo's window: it opens at once, says what it prepares, then runs the real app flow with the demo
annotator signed in automatically."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from workstation.errors import WorkstationError
from workstation.session.seat import Seat
from workstation.ui.app import AppFlow, application
from workstation.ui.controller import ShiftController
from workstation.ui.main_window import MainWindow
from workstation.ui.start_window import StartWindow
from workstation.ui.tasks import run_in_background

Prepare = Callable[[Callable[[str, int, int], None]], Seat]
"""prepare(report) → the seat, reporting ("clips", done, total) and ("hub", 0, 0) on the way."""


def run_demo_ui(prepare: Prepare, credentials: tuple[str, str], screenshot: str | None = None) -> int:
    app = application(sys.argv[:1])
    preparing = StartWindow("", "demo-seat")
    preparing.setWindowTitle(QCoreApplication.translate("Demo", "Floor annotation — demo"))
    title = QCoreApplication.translate("Demo", "Preparing the demo")
    preparing.download.set_status(
        title, QCoreApplication.translate("Demo", "Making the first synthetic camera clips…"), 0.0)
    preparing.stack.setCurrentWidget(preparing.download)
    preparing.resize(1200, 800)
    preparing.show()
    flows: list[AppFlow] = []

    def progress(event: tuple[str, int, int]) -> None:
        what, done, total = event
        if what == "history":
            preparing.download.set_status(title, QCoreApplication.translate(
                "Demo", "Writing three weeks of a floor's work for the supervisor's figures (once)…"), 0.0)
        elif what == "clips":
            preparing.download.set_status(title, QCoreApplication.translate(
                "Demo", "Making synthetic camera clips: {done} of {total} ready. The first ones play as soon as they "
                "are made; the rest follow while you work.").format(done=done, total=total),
                done / total if total else 0.0)
        else:
            preparing.download.set_status(title, QCoreApplication.translate(
                "Demo", "Starting the demo's floor hub and this seat…"), 1.0)

    def on_window(window: MainWindow, controller: ShiftController) -> None:
        if screenshot:
            def grab() -> None:
                window.grab().save(screenshot)
                print(f"demo: saved {screenshot}", file=sys.stderr)
                window.confirm_close = None  # the picture is taken: no "clips left" question on the way out
                QApplication.quit()
            QTimer.singleShot(2500, grab)

    def ready(seat: Seat) -> None:
        preparing.hide()
        flow = AppFlow(seat, autologin=credentials, on_shift_window=on_window)
        flows.append(flow)
        flow.start()
        if screenshot:
            def desk_shown() -> None:  # a supervisor: the dashboard, once its figures are on screen
                desk, window = flow.desk, flow.desk_window
                if desk is None or window is None or desk.loads < 1:
                    QTimer.singleShot(200, desk_shown)
                    return
                window.grab().save(screenshot)
                print(f"demo: saved {screenshot}", file=sys.stderr)
                QApplication.quit()
            QTimer.singleShot(200, desk_shown)

            def give_up() -> None:  # the shift never opened: keep a picture of what the annotator sees
                if flow.window is None and flow.desk is None:
                    flow.start_window.grab().save(screenshot)
                    print(f"demo: no shift window after 90 s; saved the start window to {screenshot}", file=sys.stderr)
                    QApplication.exit(1)
            QTimer.singleShot(90_000, give_up)

    def failed(exc: Exception) -> None:
        text = exc.full_text() if isinstance(exc, WorkstationError) else f"{type(exc).__name__}: {exc}"
        print(f"error: {text}", file=sys.stderr)
        preparing.show_problem(QCoreApplication.translate("Demo", "The demo could not start"), text)
        if screenshot:
            preparing.grab().save(screenshot)
            QApplication.exit(2)

    def work(report: Callable[[Any], None]) -> Seat:
        return prepare(lambda what, done, total: report((what, done, total)))

    run_in_background(work, on_done=ready, on_failed=failed, on_progress=progress)
    code = app.exec()
    for flow in flows:
        flow.shutdown()
    return code
