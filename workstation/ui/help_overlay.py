"""The `?` overlay: every key of the map, grouped, over the video. Any key closes it; Enter opens "Change keys…",
F1 the About box."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workstation.labeling.keymap import ACTIONS, KeyMap
from workstation.taxonomy import Taxonomy
from workstation.ui.domain_text import key_word, taxonomy_word


class HelpOverlay(QWidget):
    sig_edit_keys = Signal()
    """The annotator asked to change the keys."""
    sig_about = Signal()
    """The annotator asked for the About box (the app's and the hub's version)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet(
            "QLabel { background: transparent; font-size: 13pt; }"
            "QLabel#keycap { background: #2a2e34; border: 1px solid #4a505a; border-radius: 5px;"
            " padding: 2px 8px; font-family: monospace; font-size: 12pt; min-height: 22px; }"
            "QLabel#groupTitle { font-size: 11pt; color: #9aa0a8; font-weight: 600; }"
            "QLabel#title { font-size: 18pt; font-weight: 600; }")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(60, 40, 60, 40)
        self.hide()

    def populate(self, keymap: KeyMap, taxonomy: Taxonomy) -> None:
        for child in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            child.hide()
            child.deleteLater()
        while self._layout.count():
            self._layout.takeAt(0)
        title = QLabel(self.tr("Keys"))
        title.setObjectName("title")
        self._layout.addWidget(title)
        columns = QHBoxLayout()
        columns.setSpacing(48)
        groups: dict[str, list[tuple[str, str]]] = {
            "Decide": [(lab.key, taxonomy_word(lab.name)) for lab in taxonomy.labels]}
        for action in ACTIONS:
            groups.setdefault(action.group, []).append((keymap.key(action.name), key_word(action.title)))
        order = ["Decide", "Playback", "Sound", "Night view", "Help"]
        for chunk in (order[:1], order[1:3], order[3:]):
            col = QVBoxLayout()
            for group in chunk:
                head = QLabel(key_word(group).upper())
                head.setObjectName("groupTitle")
                col.addWidget(head)
                grid = QGridLayout()
                grid.setHorizontalSpacing(14)
                grid.setVerticalSpacing(5)
                for row, (key, text) in enumerate(groups.get(group, [])):
                    k = QLabel(key)
                    k.setObjectName("keycap")
                    grid.addWidget(k, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    words = QLabel(text)
                    words.setWordWrap(True)
                    grid.addWidget(words, row, 1, Qt.AlignmentFlag.AlignVCenter)
                grid.setColumnStretch(1, 1)
                col.addLayout(grid)
                col.addSpacing(14)
            col.addStretch(1)
            columns.addLayout(col, 1)
        self._layout.addLayout(columns)
        self._layout.addStretch(1)
        bottom = QHBoxLayout()
        hint = QLabel(self.tr("Any key closes this. Enter: change keys. F1: about this app."))
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        about = QPushButton(self.tr("About…"))
        about.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        about.clicked.connect(self.sig_about)
        edit = QPushButton(self.tr("Change keys…"))
        edit.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        edit.clicked.connect(self.sig_edit_keys)
        bottom.addWidget(hint, 1)
        bottom.addSpacing(24)
        bottom.addWidget(about)
        bottom.addWidget(edit)
        self._layout.addLayout(bottom)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(12, 13, 15, 232))
        p.end()
