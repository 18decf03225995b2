"""The window before a shift: a refusal with its reason, sign-in, then the shift download."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QStackedWidget, QVBoxLayout, QWidget)


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("title")
    return label


def _para(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class SignInPage(QWidget):
    sig_sign_in = Signal(str, str)
    """Username and password entered."""
    sig_check_device = Signal()
    """Ask the hub again whether this seat is approved."""
    sig_offline = Signal(str, str)
    """Go on without the hub with the shift already on this PC: the name and password typed (its owner's)."""

    def __init__(self, hub_url: str, seat: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addWidget(_title("Sign in to your shift"))
        layout.addWidget(_para(f"Seat {seat}  ·  hub {hub_url}", "muted"))
        form = QFormLayout()
        form.setVerticalSpacing(12)
        self.username = QLineEdit()
        self.username.setPlaceholderText("your annotator name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Name", self.username)
        form.addRow("Password", self.password)
        layout.addLayout(form)
        self.device = _para("Checking this seat with the hub…", "muted")
        layout.addWidget(self.device)
        self.error = _para("", "error")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.check = QPushButton("Check approval again")
        self.check.hide()
        self.check.clicked.connect(self.sig_check_device)
        self.submit = QPushButton("Sign in")
        self.submit.setDefault(True)
        self.submit.setEnabled(False)
        self.submit.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.offline = QPushButton("Continue my shift offline")
        self.offline.hide()
        self.offline.clicked.connect(self._offline)
        self._offline_wait = QTimer(self)
        self._offline_wait.setSingleShot(True)
        self._offline_wait.timeout.connect(lambda: self.offline.setEnabled(True))
        buttons.addWidget(self.check)
        buttons.addWidget(self.offline)
        buttons.addStretch(1)
        buttons.addWidget(self.submit)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def _submit(self) -> None:
        if not self.submit.isEnabled():
            return
        name, password = self.username.text().strip(), self.password.text()
        if not name or not password:
            self.show_error("Enter your name and password.")
            return
        self.show_error("")
        self.submit.setEnabled(False)
        self.sig_sign_in.emit(name, password)

    def _offline(self) -> None:
        name, password = self.username.text().strip(), self.password.text()
        if not name or not password:
            self.show_error("Enter your name and password to go on offline.")
            return
        self.show_error("")
        self.sig_offline.emit(name, password)

    def hold_offline(self, seconds: float) -> None:
        """Wrong passwords: going on offline is refused for ``seconds``; the button waits as long."""
        self.offline.setEnabled(False)
        self._offline_wait.start(int(seconds * 1000) + 200)

    def offer_offline(self, owner: str | None, done: int = 0, total: int = 0) -> None:
        """Offer ``owner``'s shift on this PC to go on without the hub (None: nothing to offer)."""
        if owner is None:
            self.offline.hide()
            return
        self.offline.setText(f"Continue {owner}'s shift offline ({done} / {total})")
        self.offline.setToolTip(f"Only {owner} can go on with this shift while the hub is away, with their own "
                                "password.")
        self.offline.show()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def set_device(self, status: str, code: str) -> None:
        approved = status == "approved"
        if approved:
            self.device.setText("This seat is approved.")
        elif status == "pending":
            self.device.setText(f"This seat is waiting for approval. Enrollment code: {code}\n"
                                "Ask IT to approve it on the hub: python -m workstation hub devices approve " + code
                                + " --data HUB_DATA_DIR")
        elif status == "revoked":
            self.device.setText("This seat's approval was revoked by IT; it cannot sign in.")
        else:
            self.device.setText(status)
        self.check.setText("Check approval again")
        self.check.setVisible(not approved)
        self.submit.setEnabled(approved)

    def device_unknown(self) -> None:
        """The hub could not be asked about this seat: offer to ask again."""
        self.device.setText("This seat could not be checked with the hub.")
        self.check.setText("Try again")
        self.check.show()
        self.submit.setEnabled(False)

    def ready_again(self) -> None:
        self.submit.setEnabled(True)
        self.password.clear()
        self.password.setFocus()


class DownloadPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addWidget(_title("Preparing your shift"))
        self.detail = _para("Asking the hub for clips…", "muted")
        layout.addWidget(self.detail)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        layout.addWidget(self.bar)
        layout.addWidget(_para("Clips arrive encrypted and stay encrypted on this PC.", "muted"))
        layout.addStretch(1)

    def set_progress(self, done: int, total: int, clips_done: int, clips_total: int) -> None:
        self.bar.setValue(int(1000 * done / total) if total else 0)
        self.detail.setText(f"Downloading clip {min(clips_done + 1, clips_total)} of {clips_total} "
                            f"· {done / 1e6:.1f} of {total / 1e6:.1f} MB")


class ProblemPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        self.title = _title("The shift cannot start")
        layout.addWidget(self.title)
        self.message = _para()
        layout.addWidget(self.message)
        self.hint = _para("", "muted")
        layout.addWidget(self.hint)
        layout.addStretch(1)

    def set_problem(self, title: str, message: str, hint: str) -> None:
        self.title.setText(title)
        self.message.setText(message)
        self.hint.setText(hint)


class StartWindow(QWidget):
    def __init__(self, hub_url: str, seat: str) -> None:
        super().__init__()
        self.setWindowTitle("Floor annotation — sign in")
        self.stack = QStackedWidget()
        self.sign_in = SignInPage(hub_url, seat)
        self.download = DownloadPage()
        self.problem = ProblemPage()
        for page in (self.sign_in, self.download, self.problem):
            self.stack.addWidget(page)
        # a calm column in the middle of the screen, however large the window
        self.stack.setMaximumWidth(760)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.stack, 4)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(60, 50, 60, 40)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.resize(780, 560)

    def show_problem(self, title: str, message: str, hint: str = "") -> None:
        self.problem.set_problem(title, message, hint)
        self.stack.setCurrentWidget(self.problem)
