"""The app's look: Fusion style, a dark palette and the style sheet in resources/style."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from workstation.resources import resources_dir

STYLE_SHEET = resources_dir() / "style" / "dark.qss"


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#15171a"), (QPalette.ColorRole.WindowText, "#e4e6ea"),
        (QPalette.ColorRole.Base, "#23262b"), (QPalette.ColorRole.AlternateBase, "#1e2126"),
        (QPalette.ColorRole.Text, "#e4e6ea"), (QPalette.ColorRole.Button, "#2a2e34"),
        (QPalette.ColorRole.ButtonText, "#e4e6ea"), (QPalette.ColorRole.Highlight, "#3a6fb0"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"), (QPalette.ColorRole.ToolTipBase, "#23262b"),
        (QPalette.ColorRole.ToolTipText, "#e4e6ea"), (QPalette.ColorRole.PlaceholderText, "#7a8088"),
    ):
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    if STYLE_SHEET.is_file():
        app.setStyleSheet(STYLE_SHEET.read_text(encoding="utf-8"))
