"""The idle lock screen: covers the whole shift window and asks for the annotator's password again.

While it shows, nothing of the clip is visible and every key goes to the password field (typing) or
is swallowed. Emits intent only: the guard (:mod:`workstation.ui.deterrents`) checks the password.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.ui.domain_text import wait_words


class LockScreen(QWidget):
    sig_unlock = Signal(str)
    """The annotator entered a password to unlock (the typed text)."""
    sig_sign_out = Signal()
    """The annotator chose to sign out instead of unlocking."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.waiting = False
        self.setStyleSheet(
            "QWidget#lockScreen QLabel { background: transparent; }"
            "QLabel#lockTitle { font-size: 30pt; font-weight: 600; }"
            "QLabel#lockWho { font-size: 17pt; color: #c9ccd1; }"
            "QLabel#lockText { font-size: 16pt; color: #c9ccd1; }"
            "QLabel#lockMessage { font-size: 16pt; color: #ffb4a8; }"
            "QLabel#lockMessage[calm=\"true\"] { color: #c9ccd1; }"
            "QLineEdit { font-size: 18pt; padding: 10px 12px; }"
            "QPushButton { font-size: 16pt; padding: 10px 22px; }")
        self.title = QLabel(self.tr("Locked"))
        self.title.setObjectName("lockTitle")
        self.who = QLabel("")
        self.who.setObjectName("lockWho")
        self.text = QLabel("")
        self.text.setObjectName("lockText")
        self.text.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("your password"))
        self.password.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.password.setDragEnabled(False)
        self.password.returnPressed.connect(self._submit)
        self.message = QLabel("")
        self.message.setObjectName("lockMessage")
        self.message.setWordWrap(True)
        self.unlock = QPushButton(self.tr("Unlock"))
        self.unlock.setDefault(True)
        self.unlock.clicked.connect(self._submit)
        self.sign_out = QPushButton(self.tr("Sign out"))
        self.sign_out.clicked.connect(self.sig_sign_out)

        column = QVBoxLayout()
        column.setSpacing(18)
        column.addWidget(self.title)
        column.addWidget(self.who)
        column.addWidget(self.text)
        column.addSpacing(6)
        column.addWidget(self.password)
        column.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_out)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock)
        column.addLayout(buttons)
        box = QWidget()
        box.setObjectName("lockBox")
        box.setMaximumWidth(680)
        box.setLayout(column)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 6)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(60, 60, 60, 60)
        outer.addStretch(2)
        outer.addLayout(row)
        outer.addStretch(3)
        self.hide()

    # -- what the guard shows ----------------------------------------------------------------------
    def open(self, who: str, text: str, *, can_unlock: bool = True) -> None:
        """Show over the whole parent, focus on the password (hidden when nothing can unlock here)."""
        self.who.setText(who)
        self.text.setText(text)
        self.password.clear()
        self.password.setVisible(can_unlock)
        self.unlock.setVisible(can_unlock)
        self.set_message("")
        self.waiting = False
        self.set_waiting(0)
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()
        (self.password if can_unlock else self.sign_out).setFocus(Qt.FocusReason.OtherFocusReason)

    def close_lock(self) -> None:
        self.password.clear()
        self.hide()

    def set_message(self, text: str, *, calm: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("calm", calm)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(text))

    def wrong(self, text: str) -> None:
        self.password.clear()
        self.set_message(text)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_waiting(self, seconds: int) -> None:
        """``seconds`` > 0: no password may be tried yet and the count shows; 0: ready again."""
        waiting, was_waiting = seconds > 0, self.waiting
        self.waiting = waiting
        self.password.setEnabled(not waiting)
        self.unlock.setEnabled(not waiting)
        if waiting:
            self.password.clear()
            self.set_message(self.tr("Too many wrong passwords. Try again in {wait}.").format(wait=wait_words(seconds)))
        elif was_waiting:
            self.set_message(self.tr("You can try your password again now."), calm=True)
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _submit(self) -> None:
        if self.password.isEnabled() and self.password.isVisible() and self.password.text():
            self.sig_unlock.emit(self.password.text())

    # -- nothing behind it gets input or shows through ---------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()  # keys the password field does not use stop here

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#15171a"))
        p.end()
