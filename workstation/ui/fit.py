"""Size a window to texts that wrap.

A top-level window does not ask its layout how tall it must be at a given width, so a dialog with wrapped
texts sized by a fixed ``resize`` clips them as soon as a language says more than English does. This asks.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def fit_to_text(window: QWidget, width: int, min_height: int = 0) -> None:
    """Make ``window`` ``width`` wide (wider when its content needs it) and as tall as its texts need there."""
    layout = window.layout()
    if layout is None:
        window.resize(width, max(min_height, window.sizeHint().height()))
        return
    layout.activate()
    width = max(width, layout.totalMinimumSize().width())
    height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
    height = max(height, layout.totalMinimumSize().height(), min_height)
    window.setMinimumHeight(height)  # a window manager may not shrink it below what its texts need
    window.resize(width, height)
