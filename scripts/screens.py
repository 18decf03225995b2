"""Save a picture of every screen an annotator meets, for a look before a change lands.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python3 scripts/screens.py OUT_DIR

Builds a small real shift (synthetic clips, encrypted cache, memory key store) and walks through the
screens: sign-in (approved, pending with IT details open, hub away), download, refusal, the shift window
playing, a decision confirmed, undo, a label too early, a break reminder, night view, blurred, the help
overlay, the key map, skip/flag/comment dialogs, closing mid-shift, a clip that cannot play, the
end-of-shift summary. Pictures are 1600×1000, the floor PCs' usual window size.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from workstation.media.synth import ensure_demo_clips
from workstation.session.localshift import build_local_shift
from workstation.ui.app import application
from workstation.ui.controller import ShiftController
from workstation.ui.dialogs import CommentDialog, ReasonDialog
from workstation.ui.keymap_dialog import KeymapDialog
from workstation.ui.main_window import MainWindow
from workstation.ui.phase import ClipPhase
from workstation.ui.start_window import StartWindow
from workstation.ui.watermark import Watermark

SIZE = (1600, 1000)


def pump(app: QApplication, ms: int) -> None:
    loop_end = QTimer()
    loop_end.setSingleShot(True)
    done = []
    loop_end.timeout.connect(lambda: done.append(1))
    loop_end.start(ms)
    while not done:
        app.processEvents()


def wait_for(app: QApplication, condition: Callable[[], bool], ms: int = 15_000) -> None:
    for _ in range(ms // 20):
        if condition():
            return
        pump(app, 20)
    raise RuntimeError("the screen never got ready")


def save(widget: QWidget, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def dialog_over(app: QApplication, window: QWidget, dialog: QDialog, out: Path, name: str) -> None:
    """The window with the dialog on top, as the annotator sees it."""
    dialog.show()
    pump(app, 150)
    picture = window.grab()
    from PySide6.QtGui import QPainter

    painter = QPainter(picture)
    painter.drawPixmap(dialog.geometry().topLeft() - window.geometry().topLeft(), dialog.grab())
    painter.end()
    picture.save(str(out / f"{name}.png"))
    print(out / f"{name}.png")
    dialog.reject()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = application([])
    work = Path(tempfile.mkdtemp(prefix="screens-"))
    clips = ensure_demo_clips(work / "clips", 3, seconds=3)

    start = StartWindow("http://127.0.0.1:8765", "seat-7")
    start.resize(*SIZE)
    start.show()
    start.sign_in.set_device("approved", "")
    save(start, out, "01-sign-in")
    start.sign_in.set_device("pending", "K7Q2-9XPM")
    save(start, out, "02-sign-in-pending")
    start.sign_in.details.toggle.click()
    save(start, out, "02b-sign-in-pending-it-details")
    start.sign_in.details.toggle.click()
    start.sign_in.set_device("approved", "")
    from workstation.sync.errors import HubUnavailable
    from workstation.ui.words import error_for_worker

    away = HubUnavailable("The floor hub at http://127.0.0.1:8765 cannot be reached.",
                          hint="Check the network, or ask IT whether the hub is running.",
                          detail="ConnectError: [Errno 111] Connection refused")
    start.sign_in.show_error(*error_for_worker(away))
    start.sign_in.offer_offline("ana", 37, 150)
    save(start, out, "03-sign-in-hub-away")
    start.sign_in.show_error("")
    start.sign_in.offer_offline(None)
    start.download.set_progress(40_000_000, 120_000_000, 48, 150)
    start.stack.setCurrentWidget(start.download)
    save(start, out, "04-download")
    from workstation.session.capture import REFUSAL_HINT, REFUSAL_TITLE
    from workstation.ui.words import CAPTURE_REFUSED

    start.show_problem(REFUSAL_TITLE, CAPTURE_REFUSED, "",
                       "Screen capture cannot be blocked on Linux: there is no OS facility for it.\n" + REFUSAL_HINT)
    save(start, out, "05-refusal")
    start.close()

    shift = build_local_shift(work / "ws", clips)
    window = MainWindow(shift.state.taxonomy, Watermark("ana", "seat-7"), "ana @ seat-7", "memory")
    window.resize(*SIZE)
    controller = ShiftController(window, shift.service, shift.state, None, shift.open_source)
    window.show()
    controller.start()
    wait_for(app, lambda: window.video._image is not None and window.video.frame_index > 10)
    save(window, out, "10-shift-playing")
    token = controller.token
    controller.label_key("1")
    wait_for(app, lambda: controller.token > token and window.video._image is not None)
    pump(app, 150)
    save(window, out, "10b-decided")
    controller.undo()
    wait_for(app, lambda: window.video._image is not None and controller.index == 0)
    pump(app, 150)
    save(window, out, "10c-undone")
    window.show_toast("The clip just started — watch it a moment, then press again.", calm=True)
    pump(app, 100)
    save(window, out, "10d-too-early")
    window.show_banner("You have worked 50 minutes without a break. Stand up, look away from the screen for a few "
                       "minutes. The clip is paused; any key goes on.", dismissable=True)
    pump(app, 100)
    save(window, out, "10e-break")
    window.show_banner("")
    controller.on_action("clahe")
    controller.on_action("brighter")
    controller.on_action("zoom_in")
    pump(app, 400)
    save(window, out, "11-night-view")
    controller.on_action("reset_view")
    controller.blur_default = True
    controller._view(controller.enhancement)
    pump(app, 400)
    save(window, out, "12-blurred")
    controller.blur_default = False
    controller._view(controller.enhancement)
    window.toggle_help()
    pump(app, 200)
    save(window, out, "13-help")
    window.toggle_help()
    taxonomy = shift.state.taxonomy
    controller.playback.pause()  # as under the real dialogs (paused_for)
    dialog_over(app, window, ReasonDialog("Skip this clip", "Why skip this clip?", taxonomy.skip_reasons, window),
                out, "14-skip")
    dialog_over(app, window, ReasonDialog(
        "Flag sensitive — dispose", "Why must this clip be disposed of? It is removed from this PC at once and a "
        "supervisor confirms the disposal.", taxonomy.flag_reasons, window), out, "15-flag")
    dialog_over(app, window, CommentDialog("", window), out, "16-comment")
    dialog_over(app, window, KeymapDialog(window.keymap, window), out, "17-keymap")
    from PySide6.QtWidgets import QMessageBox

    question = controller.close_question() or ""
    box = QMessageBox(QMessageBox.Icon.Question, "Close the shift?", question, parent=window)
    box.addButton("Close", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton("Keep working", QMessageBox.ButtonRole.RejectRole))
    dialog_over(app, window, box, out, "17b-close-question")
    controller._show_unplayable("The clip file was altered after it was cached (a chunk fails its check).")
    save(window, out, "18-unplayable")
    for _ in range(len(clips)):
        controller.phase = ClipPhase.SHOWING
        token = controller.token
        controller.label_key("1")
        if controller.index is not None:
            wait_for(app, lambda token=token: controller.token > token and window.video._image is not None)
    pump(app, 200)
    save(window, out, "19-summary")
    controller.close()
    window.close()
    shift.store.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
