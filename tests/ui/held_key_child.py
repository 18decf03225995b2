"""Child process of the held-key test: the real shift window on a real X server (Xvfb), on a local shift.

Prints ``ready`` once the first clip's frame is on screen; counts every press of a label key the window
receives; on ``count`` from stdin prints ``presses <n> decisions <m>`` and exits.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from workstation.session.localshift import build_local_shift
from workstation.ui.app import application
from workstation.ui.controller import ShiftController
from workstation.ui.main_window import MainWindow
from workstation.ui.watermark import Watermark


class _Stdin(QObject):
    line = Signal(str)


def main() -> int:
    folder, clips = Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
    app = application(sys.argv[:1])
    shift = build_local_shift(folder, clips)
    window = MainWindow(shift.state.taxonomy, Watermark("ana", "seat-x"), "ana @ seat-x", "memory")
    controller = ShiftController(window, shift.service, shift.state, None, shift.open_source, min_view_ms=300)
    presses = [0]
    original = window.keyPressEvent

    def counting(event: QKeyEvent) -> None:
        if event.text() == "3":
            presses[0] += 1
        original(event)

    window.keyPressEvent = counting  # type: ignore[method-assign]
    window.showMaximized()
    controller.start()

    def check_ready() -> None:
        if window.video._image is not None:
            print("ready", flush=True)
        else:
            QTimer.singleShot(50, check_ready)

    QTimer.singleShot(50, check_ready)
    stdin = _Stdin()

    def answer(line: str) -> None:
        decided = len(shift.store.decisions(shift.state.shift_id))
        print(f"presses {presses[0]} decisions {decided}", flush=True)
        controller.close()
        QApplication.quit()

    stdin.line.connect(answer)
    threading.Thread(target=lambda: stdin.line.emit(sys.stdin.readline()), daemon=True).start()
    code = app.exec()
    shift.store.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
