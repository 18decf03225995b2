"""Save a picture of every screen an annotator meets, for a look before a change lands.

    QT_QPA_PLATFORM=offscreen python3 scripts/screens.py OUT_DIR

Builds a small real shift (synthetic clips, encrypted cache, memory key store) and walks through the
screens: sign-in (approved, pending, hub away), download, refusal, the shift window playing, night
view, blurred, the help overlay, the key map, skip/flag/comment dialogs, a clip that cannot play,
the end-of-shift summary. Pictures are 1600×1000, the floor PCs' usual window size.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from workstation.session.localshift import build_local_shift
from workstation.errors import WorkstationError
from workstation.media.synth import ensure_demo_clips
from workstation.ui.app import application
from workstation.ui.controller import ShiftController
from workstation.ui.dialogs import CommentDialog, ReasonDialog
from workstation.ui.keymap_dialog import KeymapDialog
from workstation.ui.main_window import MainWindow
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
    start.sign_in.set_device("approved", "")
    start.sign_in.show_error("The hub does not answer. Check the network cable, or continue the shift on this PC.")
    save(start, out, "03-sign-in-hub-away")
    start.download.set_progress(40_000_000, 120_000_000, 48, 150)
    start.stack.setCurrentWidget(start.download)
    save(start, out, "04-download")
    error = WorkstationError("No secure key store is available on this PC.",
                             hint="Ask IT to set up the OS key store, or set key_store = \"memory\" in the machine policy.")
    start.show_problem("Clips cannot play on this PC", error.message, error.hint or "")
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
    dialog_over(app, window, ReasonDialog("Skip this clip", "Why skip this clip?", taxonomy.skip_reasons, window),
                out, "14-skip")
    dialog_over(app, window, ReasonDialog(
        "Flag sensitive — dispose", "Why must this clip be disposed of? It is removed from this PC at once and a "
        "supervisor confirms the disposal.", taxonomy.flag_reasons, window), out, "15-flag")
    dialog_over(app, window, CommentDialog("", window), out, "16-comment")
    dialog_over(app, window, KeymapDialog(window.keymap, window), out, "17-keymap")
    controller._show_unplayable("The clip file was altered after it was cached (a chunk fails its check).")
    save(window, out, "18-unplayable")
    for _ in range(len(clips)):
        controller._unplayable = False
        token = controller.token
        controller.label_key("1")
        if controller.index is not None:
            wait_for(app, lambda: controller.token > token and window.video._image is not None)
    pump(app, 200)
    save(window, out, "19-summary")
    controller.close()
    window.close()
    shift.store.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
