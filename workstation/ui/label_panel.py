"""The label keys as large buttons, grouped as the taxonomy groups them. Emits intent only."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workstation.taxonomy import Taxonomy
from workstation.ui.domain_text import taxonomy_word


class LabelPanel(QWidget):
    sig_label = Signal(str)
    """The annotator chose the label with this key ("1"–"9")."""

    def __init__(self, taxonomy: Taxonomy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QPushButton] = {}
        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 10, 16, 10)
        outer.setSpacing(28)
        for group, labels in taxonomy.groups():
            column = QVBoxLayout()
            column.setSpacing(6)
            title = QLabel(taxonomy_word(group).upper())
            title.setObjectName("groupTitle")
            column.addWidget(title)
            grid = QGridLayout()
            grid.setHorizontalSpacing(8)
            grid.setVerticalSpacing(8)
            for i, label in enumerate(labels):
                button = QPushButton(f"{label.key}   {taxonomy_word(label.name)}")
                button.setObjectName("labelButton")
                button.setProperty("group", group)  # the taxonomy's own word: the style sheet keys on it
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setToolTip(self.tr("Press {key}").format(key=label.key))
                button.clicked.connect(lambda _=False, key=label.key: self.sig_label.emit(key))
                grid.addWidget(button, i // 3, i % 3)
                self.buttons[label.key] = button
            column.addLayout(grid)
            column.addStretch(1)
            outer.addLayout(column, len(labels))

    def mark(self, key: str | None) -> None:
        """Outline the label chosen before an undo (None: no mark)."""
        for k, button in self.buttons.items():
            if button.property("previous") != (k == key):
                button.setProperty("previous", k == key)
                button.style().unpolish(button)
                button.style().polish(button)

    def set_enabled_labels(self, enabled: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(enabled)
