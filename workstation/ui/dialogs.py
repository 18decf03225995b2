"""Small keyboard-first dialogs: pick a reason (by number), write a comment."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit,
                               QVBoxLayout, QWidget)

from workstation.taxonomy import Reason


class ReasonDialog(QDialog):
    """Choose one reason: its number key, or arrows and Enter; Esc cancels."""

    def __init__(self, title: str, question: str, reasons: tuple[Reason, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.reasons = reasons
        self.choice: Reason | None = None
        layout = QVBoxLayout(self)
        label = QLabel(question)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.list = QListWidget()
        for i, reason in enumerate(reasons, start=1):
            QListWidgetItem(f"{i}   {reason.name}", self.list)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda item: self._pick(self.list.row(item)))
        layout.addWidget(self.list)
        hint = QLabel("Press a number, or Enter for the highlighted reason. Esc cancels.")
        hint.setObjectName("muted")
        layout.addWidget(hint)
        self.resize(560, 120 + 52 * len(reasons))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and key - Qt.Key.Key_1 < len(self.reasons):
            self._pick(key - Qt.Key.Key_1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._pick(self.list.currentRow())
        else:
            super().keyPressEvent(event)

    def _pick(self, row: int) -> None:
        if 0 <= row < len(self.reasons):
            self.choice = self.reasons[row]
            self.accept()


class CommentDialog(QDialog):
    """A short free-text note on the clip; Ctrl+Enter saves, Esc cancels."""

    MAX_LEN = 2000

    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Comment on this clip")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Your note goes to the hub with this clip's decision."))
        self.edit = QPlainTextEdit(current)
        self.edit.setPlaceholderText("What should a supervisor know about this clip?")
        layout.addWidget(self.edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 320)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.accept()
        else:
            super().keyPressEvent(event)

    def text(self) -> str:
        return self.edit.toPlainText().strip()[: self.MAX_LEN]
