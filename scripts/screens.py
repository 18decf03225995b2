"""Save a picture of every screen an annotator meets, for a look before a change lands.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python3 scripts/screens.py OUT_DIR [LANGUAGE]

LANGUAGE is a machine-policy language (en, ro, hi, or pseudo: every text accented and 40 % longer, to see
clipping); the default is the system's. For every language at once:

    for l in en ro hi pseudo; do QT_QPA_PLATFORM=offscreen PYTHONPATH=. python3 scripts/screens.py /tmp/shots-i18n/$l $l; done

Builds a small real shift (synthetic clips, encrypted cache, memory key store) and walks through the
screens: sign-in (approved, pending with IT details open, hub away, a wrong password), download, refusal,
the About box, the shift window playing, a decision confirmed, undo, a label too early, a break reminder,
night view, blurred, the help overlay and its About box, the key map, skip/flag/comment dialogs, closing
mid-shift, a clip that cannot play, the idle lock (and a wrong password on it), the end-of-shift summary. Pictures are 1600×1000, the floor PCs' usual window size.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from workstation.media.synth import ensure_demo_clips
from workstation.session.localshift import build_local_shift
from workstation.ui.about import AboutDialog
from workstation.ui.app import application
from workstation.ui.controller import ShiftController
from workstation.ui.dialogs import CommentDialog, ReasonDialog
from workstation.ui.keyinput import TOO_EARLY_TEXT
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
    painter = QPainter(picture)
    at = dialog.geometry().topLeft() - window.geometry().topLeft()
    painter.drawPixmap(at, dialog.grab())
    painter.setPen(QColor("#5b6270"))  # where a window manager would draw the dialog's frame
    painter.drawRect(at.x() - 1, at.y() - 1, dialog.width() + 1, dialog.height() + 1)
    painter.end()
    picture.save(str(out / f"{name}.png"))
    print(out / f"{name}.png")
    dialog.reject()


def tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def main(out: Path, language: str | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = application([], language=language or "")
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
    from workstation.sync.errors import HubAuthError, HubUnavailable
    from workstation.ui.words import CAPTURE_REFUSED, error_for_worker, said

    away = HubUnavailable("The floor hub at http://127.0.0.1:8765 cannot be reached.",
                          hint="Check the network, or ask IT whether the hub is running.",
                          detail="ConnectError: [Errno 111] Connection refused")
    start.sign_in.show_error(*error_for_worker(away))
    start.sign_in.offer_offline("ana", 37, 150)
    save(start, out, "03-sign-in-hub-away")
    start.sign_in.offer_offline(None)
    start.sign_in.show_error(*error_for_worker(HubAuthError("The user name or password is not correct.",
                                                            hint="Sign in again.", status=401)))
    save(start, out, "03b-sign-in-wrong-password")
    start.sign_in.show_error("")
    start.download.set_progress(40_000_000, 120_000_000, 48, 150)
    start.stack.setCurrentWidget(start.download)
    save(start, out, "04-download")
    from workstation.session.capture import REFUSAL_HINT, REFUSAL_TITLE
    from workstation.ui.domain_text import domain_text

    start.show_problem(domain_text(REFUSAL_TITLE), said(CAPTURE_REFUSED), "",
                       "Screen capture cannot be blocked on Linux: there is no OS facility for it.\n" + REFUSAL_HINT)
    save(start, out, "05-refusal")
    dialog_over(app, start, AboutDialog(start, lambda: "0.1.0"), out, "06-about")
    start.close()

    shift = build_local_shift(work / "ws", clips)
    window = MainWindow(shift.state.taxonomy, Watermark("ana", "seat-7"), "ana @ seat-7", "memory")
    window.resize(*SIZE)
    from workstation.session.password import LocalPassword

    controller = ShiftController(window, shift.service, shift.state, None, shift.open_source, idle_lock_s=600,
                                 password=LocalPassword("ana", "ana-password"))
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
    window.show_toast(tr("KeyInput", TOO_EARLY_TEXT), calm=True)
    pump(app, 100)
    save(window, out, "10d-too-early")
    controller._break_s, controller._work_since = 50 * 60, 0.0  # as if 50 minutes went by without a break
    controller._tick()
    pump(app, 100)
    save(window, out, "10e-break")
    window.show_banner("")
    controller.playback.play()
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
    dialog_over(app, window, AboutDialog(window, lambda: "0.1.0"), out, "13b-about")
    taxonomy = shift.state.taxonomy
    controller.playback.pause()  # as under the real dialogs (paused_for)
    dialog_over(app, window, ReasonDialog(tr("Decisions", "Skip this clip"), tr("Decisions", "Why skip this clip?"),
                                          taxonomy.skip_reasons, window), out, "14-skip")
    dialog_over(app, window, ReasonDialog(
        tr("Decisions", "Flag sensitive — dispose"),
        tr("Decisions", "Why must this clip be disposed of? It is removed from this PC at once and a supervisor "
                        "confirms the disposal."), taxonomy.flag_reasons, window), out, "15-flag")
    dialog_over(app, window, CommentDialog("", window), out, "16-comment")
    dialog_over(app, window, KeymapDialog(window.keymap, window), out, "17-keymap")
    question = controller.close_question() or ""
    box = QMessageBox(QMessageBox.Icon.Question, tr("MainWindow", "Close the shift?"), question, parent=window)
    box.addButton(tr("MainWindow", "Close"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton(tr("MainWindow", "Keep working"), QMessageBox.ButtonRole.RejectRole))
    dialog_over(app, window, box, out, "17b-close-question")
    controller.guard.lock("idle")
    pump(app, 150)
    save(window, out, "18a-locked")
    controller.guard.try_unlock("not-her-password")
    pump(app, 100)
    save(window, out, "18b-locked-wrong-password")
    controller.guard.try_unlock("ana-password")
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
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) == 3 else None)
