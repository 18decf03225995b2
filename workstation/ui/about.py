"""The About box: the product, its one version (``workstation.__version__``), the hub's when known, the language.

Reached from the start window (its "About…" button, or F1) and from the shift window's key help (F1 there).
The hub's version is asked off the UI thread when the box opens (its health answer carries it); the box
shows at once and fills the line in when the answer comes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workstation import __version__
from workstation.ui.fit import fit_to_text
from workstation.ui.i18n import NATIVE_NAMES, current_language
from workstation.ui.tasks import run_in_background

log = logging.getLogger(__name__)

HubVersion = Callable[[], "str | None"]
"""Asks the hub for its version (network: called off the UI thread); None when it does not say."""


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, hub_version: HubVersion | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about")
        product = self.tr("Floor annotation workstation")
        self.setWindowTitle(self.tr("About {product}").format(product=product))
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.setContentsMargins(28, 24, 28, 20)
        name = QLabel(product)
        name.setObjectName("title")
        name.setWordWrap(True)
        layout.addWidget(name)
        self.version = QLabel(self.tr("Version {version}").format(version=__version__))
        layout.addWidget(self.version)
        self.hub = QLabel(self.tr("Floor hub: asking for its version…") if hub_version is not None
                          else self.tr("Floor hub: not connected"))
        self.hub.setObjectName("muted")
        self.hub.setWordWrap(True)
        layout.addWidget(self.hub)
        language = current_language()
        layout.addWidget(QLabel(self.tr("Language: {language}").format(language=NATIVE_NAMES.get(language, language))))
        note = QLabel(self.tr("Clips play only from this PC's encrypted cache; only labels travel to the floor hub."))
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout.addWidget(note)
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        fit_to_text(self, 560)
        if hub_version is not None:
            run_in_background(lambda report: hub_version(), on_done=self._hub_known, on_failed=self._hub_unknown)

    def _hub_known(self, version: str | None) -> None:
        if not shiboken6.isValid(self):
            return
        self.hub.setText(self.tr("Floor hub: version {version}").format(version=version) if version
                         else self.tr("Floor hub: its version is not known"))

    def _hub_unknown(self, exc: Exception) -> None:
        log.info("the hub's version could not be asked: %s", type(exc).__name__)
        if shiboken6.isValid(self):
            self.hub.setText(self.tr("Floor hub: not reachable now"))


def open_about(parent: QWidget, hub_version: HubVersion | None = None) -> int:
    """Show the About box over ``parent`` until it is closed."""
    dialog = AboutDialog(parent, hub_version)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog.exec()
