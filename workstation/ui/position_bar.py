"""A bar under the video showing where in the clip playback is; a click or a drag on it seeks.

Unlike ``QProgressBar`` (whose ``setValue`` repaints at once, dragging a full-window repaint into the
key handler), it only schedules a repaint, so it never adds to a label key's time on the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class PositionBar(QWidget):
    sig_seek = Signal(float)
    """The annotator clicked or dragged on the bar: where to go, as a fraction of the clip (0–1)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(16)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._dragging = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._fraction = 0.0

    def value(self) -> float:
        return self._fraction

    def set_fraction(self, fraction: float) -> None:
        fraction = max(0.0, min(1.0, fraction))
        if abs(fraction - self._fraction) * max(1, self.width()) >= 0.5:
            self._fraction = fraction
            self.update()

    def _seek(self, event: QMouseEvent) -> None:
        fraction = max(0.0, min(1.0, event.position().x() / max(1, self.width())))
        self.sig_seek.emit(fraction)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._dragging = True
            self._seek(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging:
            self._seek(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._dragging = False

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#23262b"))
        bar = QRectF(0, 4, self.width(), self.height() - 8)
        p.fillRect(bar, QColor("#2f333a"))
        p.fillRect(QRectF(0, 4, self.width() * self._fraction, self.height() - 8), QColor("#8a93a3"))
        p.end()
