"""Small keyboard-first dialogs: pick a reason with one key, write a comment."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workstation.session.gate import DecisionGate, EventClock, Verdict
from workstation.taxonomy import Reason
from workstation.ui.domain_text import taxonomy_word
from workstation.ui.fit import fit_to_text
from workstation.ui.keys import key_id


class ReasonDialog(QDialog):
    """Choose one reason with one key: its number picks it and closes the dialog; Esc cancels.

    Nothing is chosen beforehand, so a stray Enter records nothing. A number counts only when it was pressed
    after the dialog opened and is not a held key's repeat (the same rules as a label key, see
    :mod:`workstation.session.gate`), so a key still held from the clip before cannot pick a reason.
    """

    def __init__(self, title: str, question: str, reasons: tuple[Reason, ...], parent: QWidget | None = None, *,
                 gate_clock: EventClock | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.reasons = reasons
        self.choice: Reason | None = None
        self._clock = gate_clock or EventClock()
        self._gate = DecisionGate(min_view_ms=0)
        layout = QVBoxLayout(self)
        label = QLabel(question)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.list = QListWidget()
        for i, reason in enumerate(reasons, start=1):
            QListWidgetItem(f"{i}   {taxonomy_word(reason.name)}", self.list)
        self.list.setCurrentRow(-1)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no current row: nothing looks chosen before a key
        self.list.itemClicked.connect(lambda item: self._pick(self.list.row(item)))
        self.list.installEventFilter(self)  # its type-ahead search would eat the numbers
        layout.addWidget(self.list)
        hint = QLabel(self.tr("Press the number of the reason (1–{last}). Esc cancels.").format(last=len(reasons)))
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        rows = max(1, len(reasons))
        self.list.setMinimumHeight(self.list.sizeHintForRow(0) * rows + 2 * self.list.frameWidth() + 4)
        fit_to_text(self, 560)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._gate.shown(time.monotonic() * 1000.0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.KeyPress:
                self.keyPressEvent(event)
                return True
            if event.type() == QEvent.Type.KeyRelease:
                self.keyReleaseEvent(event)
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            at = self._clock.note(float(event.timestamp()), time.monotonic() * 1000.0)
            verdict = self._gate.press(key_id(event), at, repeat=event.isAutoRepeat())
            if verdict is Verdict.DECIDE and key - Qt.Key.Key_1 < len(self.reasons):
                self._pick(key - Qt.Key.Key_1)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # nothing is chosen until a number is pressed
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        self._gate.release(key_id(event), self._clock.note(float(event.timestamp()), time.monotonic() * 1000.0),
                           repeat=event.isAutoRepeat(), stamped=event.timestamp() > 0)
        super().keyReleaseEvent(event)

    def _pick(self, row: int) -> None:
        if 0 <= row < len(self.reasons):
            self.choice = self.reasons[row]
            self.accept()


class CommentDialog(QDialog):
    """A short free-text note on the clip; Ctrl+Enter saves, Esc cancels."""

    MAX_LEN = 2000

    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Comment on this clip"))
        layout = QVBoxLayout(self)
        note = QLabel(self.tr("Your note goes to the hub with this clip's decision."))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.edit = QPlainTextEdit(current)
        self.edit.setPlaceholderText(self.tr("What should a supervisor know about this clip?"))
        layout.addWidget(self.edit)
        # Save and Cancel are Qt's standard buttons: Qt translates them (context QPlatformTheme, see ui/i18n.py)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_text(self, 620, min_height=320)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.accept()
        else:
            super().keyPressEvent(event)

    def text(self) -> str:
        return self.edit.toPlainText().strip()[: self.MAX_LEN]
