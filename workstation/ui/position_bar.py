"""A thin bar under the video showing where in the clip playback is.

Unlike ``QProgressBar`` (whose ``setValue`` repaints at once, dragging a full-window repaint into the
key handler), it only schedules a repaint, so it never adds to a label key's time on the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class PositionBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._fraction = 0.0

    def value(self) -> float:
        return self._fraction

    def set_fraction(self, fraction: float) -> None:
        fraction = max(0.0, min(1.0, fraction))
        if abs(fraction - self._fraction) * max(1, self.width()) >= 0.5:
            self._fraction = fraction
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#23262b"))
        p.fillRect(QRectF(0, 0, self.width() * self._fraction, self.height()), QColor("#6b7280"))
        p.end()
