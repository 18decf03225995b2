"""The shift window: video, clip bar, label keys and the status bar. Widgets emit intent only.

Nothing here copies, saves, prints or drags a frame: no context menu anywhere in the window, and the
copy / cut / save / print / PrintScreen keys are swallowed (see :mod:`workstation.ui.deterrents`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QMouseEvent, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPushButton, QVBoxLayout, QWidget

from workstation.labeling.keymap import KeyMap
from workstation.taxonomy import Taxonomy
from workstation.ui.deterrents import is_capture_key, no_context_menus
from workstation.ui.help_overlay import HelpOverlay
from workstation.ui.keys import key_candidates, key_id, label_key
from workstation.ui.label_panel import LabelPanel
from workstation.ui.lock_screen import LockScreen
from workstation.ui.position_bar import PositionBar
from workstation.ui.status_bar import ShiftStatusBar
from workstation.ui.video_view import VideoView
from workstation.ui.watermark import Watermark

REPEATABLE = {"frame_back", "frame_forward", "jump_back", "jump_forward", "volume_down", "volume_up", "brighter",
              "darker", "more_contrast", "less_contrast", "gamma_up", "gamma_down", "zoom_in", "zoom_out"}
"""Actions a held key repeats; deciding actions never repeat."""


def format_clock(seconds: float, *, fraction: bool = False) -> str:
    s = max(0.0, seconds)
    whole = int(s)
    text = f"{whole // 60:02d}:{whole % 60:02d}"
    return f"{text}.{int((s - whole) * 100):02d}" if fraction else text


class MainWindow(QMainWindow):
    sig_label = Signal(str)
    """A label button was clicked: its key ("1"–"9")."""
    sig_label_key = Signal(str, str, float, bool)
    """A label key went down: its label key ("1"–"9"), the physical key's id, the event's timestamp (ms on the
    events' own clock) and whether the platform flagged it as an auto-repeat."""
    sig_action = Signal(str)
    """A mapped key of an action that may repeat (a step, a jump, volume, night view) was pressed."""
    sig_action_key = Signal(str, str, float, bool)
    """A mapped key of an action that must not repeat (undo, skip, flag…) went down: action, key id, timestamp,
    auto-repeat flag."""
    sig_key_dismissed = Signal(str, float, bool)
    """A key only closed the help overlay or a banner: key id, timestamp, auto-repeat flag."""
    sig_key_up = Signal(str, float, bool)
    """A key came up: key id, timestamp, auto-repeat flag."""
    sig_help_shown = Signal(bool)
    """The key help overlay opened (True) or closed (False)."""
    sig_reveal = Signal(bool)
    """The hold-to-reveal key went down (True) or up (False)."""
    sig_zoom = Signal(float, float, float)
    """Mouse wheel over the picture: zoom factor and the anchor (−1..1 in picture coordinates)."""
    sig_pan = Signal(float, float)
    """Mouse drag over the picture: movement as fractions of the picture's width and height."""
    sig_closing = Signal()
    """The window is closing."""

    def __init__(self, taxonomy: Taxonomy, watermark: Watermark, who: str, key_store_kind: str,
                 keymap: KeyMap | None = None) -> None:
        super().__init__()
        self.keymap = keymap or KeyMap()
        self.taxonomy = taxonomy
        self.setWindowTitle(self.tr("Floor annotation"))
        self._frame_words = self.tr("frame {index} / {count}")
        """Made once: the clip time changes every frame and must not be translated every frame."""
        self.hub_version: Callable[[], str | None] | None = None
        """Asks the hub for its version (off the UI thread) for the About box; None: no hub to ask."""
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        top = QHBoxLayout()
        top.setContentsMargins(16, 8, 16, 8)
        self.clip_title = QLabel("")
        self.clip_title.setObjectName("clipTitle")
        self.view_info = QLabel("")
        self.view_info.setObjectName("viewInfo")
        self.play_state = QLabel("")
        self.play_state.setObjectName("clipTitle")
        self.clip_time = QLabel("00:00 / 00:00")
        self.clip_time.setObjectName("clipTitle")
        self.view_info.setWordWrap(True)  # night-view settings in a wordier language take a second line
        top.addWidget(self.clip_title)
        top.addSpacing(24)
        top.addWidget(self.view_info, 1)
        top.addWidget(self.play_state)
        top.addSpacing(16)
        top.addWidget(self.clip_time)
        layout.addLayout(top)

        self.banner = QLabel("")
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self._banner_dismissable = False
        layout.addWidget(self.banner)

        self.video = VideoView(watermark)
        self.video.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.video.installEventFilter(self)
        layout.addWidget(self.video, 1)
        self.position_bar = PositionBar()
        layout.addWidget(self.position_bar)

        self.labels = LabelPanel(taxonomy)
        self.labels.sig_label.connect(self.sig_label)
        layout.addWidget(self.labels)
        self.setCentralWidget(central)
        self._central = central
        self.status = ShiftStatusBar(who, key_store_kind)
        self.setStatusBar(self.status)
        self.toast = QLabel("", central)
        self.toast.setObjectName("toast")
        self.toast.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.toast.hide()
        self._toast_timer = QTimer(self)
        self._toast_timer.setSingleShot(True)
        self._toast_timer.timeout.connect(self.toast.hide)
        self.help = HelpOverlay(central)
        self.help.populate(self.keymap, taxonomy)
        self.lock_screen = LockScreen(self)
        self.confirm_close: Callable[[], str | None] | None = None
        """Asked when the window is about to close: a question to confirm first, or None to just close."""
        self._drag: QPointF | None = None
        self.setAcceptDrops(False)
        no_context_menus(self)
        self.resize(1440, 960)

    # -- what the controller shows -----------------------------------------------------------------
    def set_clip(self, short_id: str, number: int, total: int, *, comment: bool = False) -> None:
        title = self.tr("Clip {number} of {total}").format(number=number, total=total)
        note = "   ✎ " + self.tr("comment") if comment else ""
        self.clip_title.setText(f"{title}  ·  {short_id}{note}")

    def set_position(self, pts_s: float, duration_s: float, index: int = -1, count: int = 0) -> None:
        frame = "   " + self._frame_words.format(index=index + 1, count=count) if index >= 0 and count else ""
        self.clip_time.setText(f"{format_clock(pts_s, fraction=True)} / {format_clock(duration_s)}{frame}")
        if duration_s > 0:
            self.position_bar.set_fraction(pts_s / duration_s)

    def clear_position(self) -> None:
        """No clip is playing: no time, no frame number, an empty position bar."""
        self.clip_time.setText("")
        self.position_bar.set_fraction(0.0)

    def set_play_state(self, state: str, rate: float = 1.0) -> None:
        speed = "" if rate == 1.0 else f"  {rate:g}×"
        if state == "playing":
            text = "▶ " + self.tr("playing") + speed
        elif state == "paused":
            text = "❚❚ " + self.tr("paused") + speed
        elif state == "ended":
            text = "■ " + self.tr("end of clip  ({key} replays)").format(key=self.keymap.key("replay"))
        else:
            text = state  # already in words (the controller's, translated)
        self.play_state.setText(text)

    def set_view_info(self, text: str) -> None:
        self.view_info.setText(text)

    def show_toast(self, text: str, *, calm: bool = False, ms: int = 2600) -> None:
        """A short note over the bottom of the video ("Clip 12 → Person · Ctrl+Z undoes"); it goes by itself."""
        self.toast.setText(text)
        self.toast.setProperty("calm", calm)
        self.toast.style().unpolish(self.toast)
        self.toast.style().polish(self.toast)
        self.toast.adjustSize()
        self._place_toast()
        self.toast.raise_()
        self.toast.show()
        self._toast_timer.start(ms)

    def _place_toast(self) -> None:
        video = self.video.geometry()
        widest = max(360, video.width() - 80)
        self.toast.setWordWrap(False)
        natural = self.toast.sizeHint().width() + 48
        width = min(max(natural, 360), widest)
        self.toast.setWordWrap(natural > widest)  # a longer note (another language says more) takes two lines
        height = (self.toast.heightForWidth(width) if natural > widest else self.toast.sizeHint().height()) + 20
        self.toast.setGeometry(video.x() + (video.width() - width) // 2, video.bottom() - height - 28, width, height)

    def show_banner(self, text: str, *, dismissable: bool = False) -> None:
        """A line above the video; ``dismissable``: the next key only closes it (and does nothing else)."""
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self._banner_dismissable = bool(text) and dismissable

    @property
    def banner_dismissable(self) -> bool:
        return self.banner.isVisible() and self._banner_dismissable

    def set_keymap(self, keymap: KeyMap) -> None:
        self.keymap = keymap
        self.help.populate(keymap, self.taxonomy)
        no_context_menus(self.help)

    @property
    def locked(self) -> bool:
        return self.lock_screen.isVisible()

    def show_lock(self, who: str, text: str, *, can_unlock: bool = True) -> None:
        """Cover the whole window with the lock screen; nothing behind it takes input."""
        self.set_help(False)
        self._drag = None
        self._central.setEnabled(False)
        self.lock_screen.open(who, text, can_unlock=can_unlock)

    def hide_lock(self) -> None:
        self.lock_screen.close_lock()
        self._central.setEnabled(True)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def toggle_help(self) -> None:
        self.set_help(not self.help.isVisible())

    def set_help(self, shown: bool) -> None:
        if shown == self.help.isVisible():
            return
        if shown:
            self.help.setGeometry(self._central.rect())
            self.help.raise_()
            self.help.show()
        else:
            self.help.hide()
        self.sig_help_shown.emit(shown)

    # -- input -------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.locked or is_capture_key(event):
            event.accept()  # locked: only the password field types; copy/save/print: nothing to copy
            return
        kid, ts, repeat = key_id(event), float(event.timestamp()), event.isAutoRepeat()
        if self.help.isVisible():  # the first key only closes it; Enter opens "Change keys…", F1 the About box
            self.set_help(False)
            self.sig_key_dismissed.emit(kid, ts, repeat)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not repeat:
                self.help.sig_edit_keys.emit()
            elif event.key() == Qt.Key.Key_F1 and not repeat:
                self.help.sig_about.emit()
            return
        if self.banner_dismissable:  # a break reminder or a note: the first key only closes it
            self.show_banner("")
            self.sig_key_dismissed.emit(kid, ts, repeat)
            return
        digit = label_key(event)
        if digit is not None:
            self.sig_label_key.emit(digit, kid, ts, repeat)  # the controller decides whether it counts
            return
        for text in key_candidates(event):
            action = self.keymap.action_for(text)
            if action is None:
                continue
            if action == "reveal":
                if not repeat:
                    self.sig_reveal.emit(True)
            elif action in REPEATABLE:
                self.sig_action.emit(action)
            else:
                self.sig_action_key.emit(action, kid, ts, repeat)
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if self.locked:
            event.accept()
            return
        self.sig_key_up.emit(key_id(event), float(event.timestamp()), event.isAutoRepeat())
        if not event.isAutoRepeat() and any(self.keymap.action_for(t) == "reveal" for t in key_candidates(event)):
            self.sig_reveal.emit(False)
            return
        super().keyReleaseEvent(event)

    def eventFilter(self, watched: object, event: object) -> bool:
        if watched is self.video:
            if isinstance(event, QWheelEvent):
                ax, ay = self.video.picture_coords(event.position())
                steps = event.angleDelta().y() / 120
                if steps:
                    self.sig_zoom.emit(1.25 ** steps, ax, ay)
                return True
            if isinstance(event, QMouseEvent):
                return self._mouse(event)
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def _mouse(self, event: QMouseEvent) -> bool:
        kind = event.type()
        if kind == QMouseEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._drag = event.position()
            return True
        if kind == QMouseEvent.Type.MouseMove and self._drag is not None:
            w, h = self.video.picture_size()
            delta = event.position() - self._drag
            self._drag = event.position()
            if w and h:
                self.sig_pan.emit(-delta.x() / w, -delta.y() / h)
            return True
        if kind == QMouseEvent.Type.MouseButtonRelease:
            self._drag = None
            return True
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.lock_screen.setGeometry(self.rect())
        if self.toast.isVisible():
            self._place_toast()

    def closeEvent(self, event: QCloseEvent) -> None:
        question = self.confirm_close() if self.confirm_close is not None and not self.locked else None
        if question and not self._ask_close(question):
            event.ignore()
            return
        self.sig_closing.emit()
        super().closeEvent(event)

    def close_box(self, question: str) -> tuple[QMessageBox, QPushButton]:
        """The question asked before closing mid-shift (not shown yet), and its "Close" button."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Close the shift?"), question, parent=self)
        close = box.addButton(self.tr("Close"), QMessageBox.ButtonRole.AcceptRole)
        stay = box.addButton(self.tr("Keep working"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        return box, close

    def _ask_close(self, question: str) -> bool:
        box, close = self.close_box(question)
        box.exec()
        return box.clickedButton() is close
