"""The shift window: video, clip bar, label keys and the status bar. Widgets emit intent only."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QProgressBar, QVBoxLayout, QWidget

from workstation.labeling.taxonomy import Taxonomy
from workstation.ui.label_panel import LabelPanel
from workstation.ui.status_bar import ShiftStatusBar
from workstation.ui.video_view import VideoView
from workstation.ui.watermark import Watermark


def format_clock(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 60:02d}:{s % 60:02d}"


class MainWindow(QMainWindow):
    sig_label = Signal(str)
    """A label key ("1"–"9") was pressed or clicked."""
    sig_toggle_play = Signal()
    """Space: play or pause."""
    sig_skip = Signal()
    """S: skip the current clip (only offered when it cannot be played)."""
    sig_closing = Signal()
    """The window is closing."""

    def __init__(self, taxonomy: Taxonomy, watermark: Watermark, who: str, key_store_kind: str) -> None:
        super().__init__()
        self.setWindowTitle("Floor annotation")
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
        self.play_state = QLabel("")
        self.play_state.setObjectName("clipTitle")
        self.clip_time = QLabel("00:00 / 00:00")
        self.clip_time.setObjectName("clipTitle")
        top.addWidget(self.clip_title)
        top.addStretch(1)
        top.addWidget(self.play_state)
        top.addSpacing(16)
        top.addWidget(self.clip_time)
        layout.addLayout(top)

        self.video = VideoView(watermark)
        self.video.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.video, 1)
        self.position_bar = QProgressBar()
        self.position_bar.setObjectName("clipPosition")
        self.position_bar.setTextVisible(False)
        self.position_bar.setRange(0, 1000)
        self.position_bar.setFixedHeight(6)
        layout.addWidget(self.position_bar)

        self.labels = LabelPanel(taxonomy)
        self.labels.sig_label.connect(self.sig_label)
        layout.addWidget(self.labels)
        self.setCentralWidget(central)
        self.status = ShiftStatusBar(who, key_store_kind)
        self.setStatusBar(self.status)
        self.resize(1440, 960)

    def set_clip(self, short_id: str, number: int, total: int) -> None:
        self.clip_title.setText(f"Clip {number} of {total}  ·  {short_id}")

    def set_position(self, pts_s: float, duration_s: float) -> None:
        self.clip_time.setText(f"{format_clock(pts_s)} / {format_clock(duration_s)}")
        if duration_s > 0:
            self.position_bar.setValue(int(1000 * min(1.0, pts_s / duration_s)))

    def set_play_state(self, state: str) -> None:
        self.play_state.setText({"playing": "▶ playing", "paused": "❚❚ paused  (Space)",
                                 "ended": "■ end of clip  (Space replays)"}.get(state, state))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            super().keyPressEvent(event)
            return
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self.sig_label.emit(chr(key))
        elif key == Qt.Key.Key_Space:
            self.sig_toggle_play.emit()
        elif key == Qt.Key.Key_S:
            self.sig_skip.emit()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sig_closing.emit()
        super().closeEvent(event)
