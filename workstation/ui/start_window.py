"""The window before a shift: a refusal with its reason, sign-in, then the shift download."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


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


class ItDetails(QWidget):
    """Technical detail for IT, folded away under a small "IT details" switch (an annotator can ignore it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.toggle = QToolButton()
        self.toggle.setObjectName("itDetails")
        self.toggle.setText(self.tr("IT details"))
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.toggled.connect(self._flip)
        self.text = _para("", "itText")
        self.text.hide()
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.text)
        self.hide()

    def _flip(self, shown: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.text.setVisible(shown)

    def set_text(self, text: str) -> None:
        """What IT needs to know ("" hides the switch)."""
        self.text.setText(text)
        self.setVisible(bool(text))
        if not text:
            self.toggle.setChecked(False)


class SignInPage(QWidget):
    sig_sign_in = Signal(str, str)
    """Username and password entered."""
    sig_check_device = Signal()
    """Ask the hub again whether this seat is approved."""
    sig_offline = Signal(str, str)
    """Go on without the hub with the shift already on this PC: the name and password typed (its owner's)."""

    def __init__(self, hub_url: str, seat: str) -> None:
        super().__init__()
        self.hub_url = hub_url
        self.seat = seat
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addWidget(_title(self.tr("Sign in to your shift")))
        layout.addWidget(_para(self.tr("Seat {seat}").format(seat=seat), "muted"))
        form = QFormLayout()
        form.setVerticalSpacing(12)
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("your annotator name"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        layout.addLayout(form)
        self.device = _para(self.tr("Checking this seat with the hub…"), "muted")
        layout.addWidget(self.device)
        self.code = _para("", "enrollmentCode")
        self.code.hide()
        layout.addWidget(self.code)
        self.error = _para("", "error")
        self.error.hide()
        layout.addWidget(self.error)
        self.details = ItDetails()
        layout.addWidget(self.details)
        buttons = QHBoxLayout()
        self.check = QPushButton(self.tr("Check approval again"))
        self.check.hide()
        self.check.clicked.connect(self.sig_check_device)
        self.submit = QPushButton(self.tr("Sign in"))
        self.submit.setDefault(True)
        self.submit.setEnabled(False)
        self.submit.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.offline = QPushButton(self.tr("Continue my shift offline"))
        self.offline.hide()
        self.offline_note = _para("", "muted")
        self.offline_note.hide()
        self.offline.clicked.connect(self._offline)
        self._offline_wait = QTimer(self)
        self._offline_wait.setSingleShot(True)
        self._offline_wait.timeout.connect(lambda: self.offline.setEnabled(True))
        buttons.addWidget(self.check)
        buttons.addStretch(1)
        buttons.addWidget(self.submit)
        layout.addLayout(buttons)
        layout.addWidget(self.offline_note)  # the way on without the hub: what it is, then its button
        offline_row = QHBoxLayout()
        offline_row.addWidget(self.offline)
        offline_row.addStretch(1)
        layout.addLayout(offline_row)
        layout.addStretch(1)

    def _submit(self) -> None:
        if not self.submit.isEnabled():
            return
        name, password = self.username.text().strip(), self.password.text()
        if not name or not password:
            self.show_error(self.tr("Enter your name and password."))
            return
        self.show_error("")
        self.submit.setEnabled(False)
        self.sig_sign_in.emit(name, password)

    def _offline(self) -> None:
        name, password = self.username.text().strip(), self.password.text()
        if not name or not password:
            self.show_error(self.tr("Enter your name and password to go on offline."))
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
            self.offline_note.hide()
            return
        self.offline.setText(self.tr("Continue {owner}'s shift offline ({done} / {total})")
                             .format(owner=owner, done=done, total=total))
        self.offline_note.setText(self.tr("The hub is away, but {owner}'s shift is on this PC: {owner} can go on "
                                          "with it offline by typing their own name and password, then this button.")
                                  .format(owner=owner))
        self.offline_note.show()
        self.offline.setToolTip(self.tr("Only {owner} can go on with this shift while the hub is away, with their "
                                        "own password.").format(owner=owner))
        self.offline.show()

    def show_error(self, text: str, it_details: str = "") -> None:
        """A sentence for the annotator; ``it_details`` (addresses, commands, causes) folded away for IT."""
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self._error_details = it_details
        self._show_details()

    def _show_details(self) -> None:
        parts = [p for p in (getattr(self, "_error_details", ""), getattr(self, "_device_details", "")) if p]
        where = self.tr("Floor hub: {address} · seat name: {seat}").format(address=self.hub_url, seat=self.seat)
        self.details.set_text("\n".join([*parts, where]) if parts else "")

    def set_device(self, status: str, code: str) -> None:
        approved = status == "approved"
        if approved:
            self.device.setText(self.tr("This seat is approved."))
        elif status == "pending":
            self.device.setText(self.tr("This seat is new here: IT must approve it before anyone can sign in. "
                                        "Tell IT this code:"))
        elif status == "revoked":
            self.device.setText(self.tr("IT has taken this seat's approval back: nobody can sign in here. Tell IT."))
        else:
            self.device.setText(status)
        self.code.setText(code if status == "pending" else "")
        self.code.setVisible(status == "pending")
        command = f"python -m workstation hub devices approve {code} --data HUB_DATA_DIR"
        self._device_details = (self.tr("Approve this seat on the hub: {command}").format(command=command)
                                if status == "pending" else "")
        self._show_details()
        self.check.setText(self.tr("Check approval again"))
        self.check.setVisible(not approved)
        self.submit.setEnabled(approved)

    def device_unknown(self) -> None:
        """The hub could not be asked about this seat: offer to ask again."""
        self.device.setText(self.tr("This seat could not be checked with the hub."))
        self.check.setText(self.tr("Try again"))
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
        self.title = _title(self.tr("Preparing your shift"))
        layout.addWidget(self.title)
        self.detail = _para(self.tr("Asking the hub for clips…"), "muted")
        layout.addWidget(self.detail)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        layout.addWidget(self.bar)
        layout.addWidget(_para(self.tr("Clips arrive encrypted and stay encrypted on this PC."), "muted"))
        layout.addStretch(1)

    def set_status(self, title: str, detail: str, fraction: float) -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.bar.setValue(int(1000 * max(0.0, min(1.0, fraction))))

    def set_progress(self, done: int, total: int, clips_done: int, clips_total: int) -> None:
        self.bar.setValue(int(1000 * done / total) if total else 0)
        self.detail.setText(self.tr("Downloading clip {clip} of {clips} · {done} of {size} MB").format(
            clip=min(clips_done + 1, clips_total), clips=clips_total, done=f"{done / 1e6:.1f}",
            size=f"{total / 1e6:.1f}"))


class ProblemPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        self.title = _title(self.tr("The shift cannot start"))
        layout.addWidget(self.title)
        self.message = _para()
        layout.addWidget(self.message)
        self.hint = _para("", "muted")
        layout.addWidget(self.hint)
        self.details = ItDetails()
        layout.addWidget(self.details)
        layout.addStretch(1)

    def set_problem(self, title: str, message: str, hint: str, it_details: str = "") -> None:
        self.title.setText(title)
        self.message.setText(message)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.details.set_text(it_details)


class StartWindow(QWidget):
    def __init__(self, hub_url: str, seat: str) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Floor annotation — sign in"))
        self.hub_version: Callable[[], str | None] | None = None
        """Asks the hub for its version (off the UI thread) for the About box; None: no hub to ask."""
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
        corner = QHBoxLayout()
        corner.addStretch(1)
        self.about = QPushButton(self.tr("About…"))
        self.about.setObjectName("aboutButton")
        self.about.setToolTip(self.tr("The app's version and the hub's (F1)"))
        self.about.setStyleSheet("QPushButton { background: transparent; border: none; color: #9aa0a8; "
                                 "font-size: 12pt; padding: 4px 8px; }"
                                 "QPushButton:focus, QPushButton:hover { color: #e4e6ea; text-decoration: underline; }")
        self.about.clicked.connect(self.show_about)
        corner.addWidget(self.about)
        outer.addLayout(corner)
        self.resize(960, 760)  # room for the longest page in the longest language (tests/ui/test_i18n.py)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F1 and not event.isAutoRepeat():  # wherever the focus is on this window
            self.show_about()
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            self._fit_height()
        return handled

    def _fit_height(self) -> None:
        """Grow (never shrink) to show the whole page: a long message from the hub, folded-out IT details."""
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        need = layout.totalHeightForWidth(self.width())
        screen = self.screen()
        if screen is not None:
            need = min(need, screen.availableGeometry().height())
        if need > self.height():
            self.resize(self.width(), need)

    def show_about(self) -> None:
        from workstation.ui.about import open_about

        open_about(self, self.hub_version)

    def show_problem(self, title: str, message: str, hint: str = "", it_details: str = "") -> None:
        self.problem.set_problem(title, message, hint, it_details)
        self.stack.setCurrentWidget(self.problem)
