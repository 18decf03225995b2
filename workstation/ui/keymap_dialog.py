"""Settings: remap the keys. Conflicts are refused with the reason, nothing is half-applied."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workstation.errors import WorkstationError
from workstation.labeling.keymap import ACTIONS, KeyMap
from workstation.ui.domain_text import error_text, key_word


class KeymapDialog(QDialog):
    def __init__(self, keymap: KeyMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keys"))
        self.result_map: KeyMap | None = None
        self._original = keymap
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Click a key field and press the new key. Labels stay on 1–9."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        self.edits: dict[str, QKeySequenceEdit] = {}
        for row, action in enumerate(ACTIONS):
            title = QLabel(key_word(action.title))
            title.setWordWrap(True)
            grid.addWidget(title, row, 0)
            edit = QKeySequenceEdit(QKeySequence(keymap.key(action.name)))
            edit.setMaximumSequenceLength(1)
            grid.addWidget(edit, row, 1)
            self.edits[action.name] = edit
        scroll = QScrollArea()
        scroll.setWidget(grid_host)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll, 1)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        # Save and Cancel are Qt's standard buttons: Qt translates them (context QPlatformTheme, see ui/i18n.py)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        defaults = QPushButton(self.tr("Back to the defaults"))
        buttons.addButton(defaults, QDialogButtonBox.ButtonRole.ResetRole)
        defaults.clicked.connect(self._defaults)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 720)

    def _defaults(self) -> None:
        for action in ACTIONS:
            self.edits[action.name].setKeySequence(QKeySequence(action.default))

    def bindings(self) -> dict[str, str]:
        return {name: edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
                for name, edit in self.edits.items()}

    def _save(self) -> None:
        titles = {a.name: key_word(a.title) for a in ACTIONS}
        users: dict[str, list[str]] = {}
        for name, key in self.bindings().items():
            if key:
                users.setdefault(key, []).append(titles[name])
        clash = next(((key, names) for key, names in users.items() if len(names) > 1), None)
        if clash is not None:
            key, names = clash
            self.error.setText(self.tr("The key {key} is set for both “{first}” and “{second}”. Give one of them "
                                       "another key.").format(key=key, first=names[0], second=names[1]))
            return
        candidate = KeyMap()
        # bind in two passes so swapping two keys does not trip over itself
        for name in self.edits:
            candidate._bindings[name] = f"\0{name}"
        try:
            for name, key in self.bindings().items():
                candidate.bind(name, key)
        except WorkstationError as exc:
            self.error.setText(error_text(exc))
            return
        self.result_map = candidate
        self.accept()
