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


class KeymapDialog(QDialog):
    def __init__(self, keymap: KeyMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keys")
        self.result_map: KeyMap | None = None
        self._original = keymap
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Click a key field and press the new key. Labels stay on 1–9."))
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        self.edits: dict[str, QKeySequenceEdit] = {}
        for row, action in enumerate(ACTIONS):
            grid.addWidget(QLabel(action.title), row, 0)
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        defaults = QPushButton("Back to the defaults")
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
        titles = {a.name: a.title for a in ACTIONS}
        users: dict[str, list[str]] = {}
        for name, key in self.bindings().items():
            if key:
                users.setdefault(key, []).append(titles[name])
        clash = next(((key, names) for key, names in users.items() if len(names) > 1), None)
        if clash is not None:
            key, names = clash
            both = " and ".join(f"“{n}”" for n in names)
            self.error.setText(f"The key {key} is set for both {both}. Give one of them another key.")
            return
        candidate = KeyMap()
        # bind in two passes so swapping two keys does not trip over itself
        for name in self.edits:
            candidate._bindings[name] = f"\0{name}"
        try:
            for name, key in self.bindings().items():
                candidate.bind(name, key)
        except WorkstationError as exc:
            self.error.setText(exc.full_text())
            return
        self.result_map = candidate
        self.accept()
