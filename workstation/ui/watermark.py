"""The visible watermark: annotator · seat · UTC time · clip short id, tiled and drifting over video.

It deters and traces: a photo or capture of the screen shows who watched which clip, where and
when. It does not stop a photo being taken. The user has no setting to turn it off.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPixmap


class Watermark:
    """Renders the watermark tile once per text change and paints it tiled with a slow drift."""

    DRIFT_PX_PER_S = 9.0

    def __init__(self, annotator: str, seat: str) -> None:
        self.annotator = annotator
        self.seat = seat
        self.clip_short = ""
        self._text = ""
        self._tile: QPixmap | None = None

    def text(self, now: datetime | None = None) -> str:
        now = now or datetime.now(UTC)
        stamp = now.strftime("%Y-%m-%d %H:%M:%SZ")
        return f"{self.annotator} · {self.seat} · {stamp} · {self.clip_short}"

    def tile(self, dpr: float = 1.0) -> QPixmap:
        text = self.text()
        if self._tile is None or text != self._text:
            self._text = text
            self._tile = _render_tile(text, dpr)
        return self._tile

    def paint(self, painter: QPainter, rect: QRectF, dpr: float = 1.0) -> None:
        tile = self.tile(dpr)
        t = time.monotonic()
        w = tile.width() / tile.devicePixelRatio()
        h = tile.height() / tile.devicePixelRatio()
        offset = QPointF((t * self.DRIFT_PX_PER_S) % w, (t * self.DRIFT_PX_PER_S * 0.6) % h)
        painter.save()
        painter.setClipRect(rect)
        painter.drawTiledPixmap(rect, tile, offset)
        painter.restore()


def _render_tile(text: str, dpr: float) -> QPixmap:
    font = QFont()
    font.setPointSizeF(13)
    font.setBold(True)
    metrics = QFontMetrics(font)
    text_w = metrics.horizontalAdvance(text)
    w, h = text_w + 160, metrics.height() * 9
    image = QImage(int(w * dpr), int(h * dpr), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(dpr)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.setFont(font)
    for row, x in ((2, 20), (6.5, 20 + (text_w + 160) / 2)):
        y = metrics.ascent() + metrics.height() * (row - 1) + 8
        for dx, dy, colour in ((1, 1, QColor(0, 0, 0, 70)), (0, 0, QColor(255, 255, 255, 52))):
            p.setPen(colour)
            p.drawText(QPointF(x + dx, y + dy), text)
            p.drawText(QPointF(x - w + dx, y + dy), text)
    p.end()
    return QPixmap.fromImage(image)
