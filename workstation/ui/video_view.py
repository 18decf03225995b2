"""The video surface: paints pre-scaled frames plus the watermark; nothing else runs on the UI thread.

Frames arrive already scaled to this widget's size in device pixels (OpenCV, on a worker thread), so
painting is a plain blit. The surface offers no context menu, drag, copy or save of frames. While it
is covered (:meth:`VideoView.cover`: the window is not in front, minimised, locked) it paints only a
calm message — no frame, whatever arrives — and the watermark is painted over every frame it shows.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from workstation.ui.watermark import Watermark


def to_qimage(image: np.ndarray) -> QImage:
    """Wrap a BGR uint8 array as a QImage without copying (the caller keeps the array alive)."""
    if not image.flags["C_CONTIGUOUS"]:
        image = np.ascontiguousarray(image)
    h, w = image.shape[:2]
    return QImage(image.data, w, h, image.strides[0], QImage.Format.Format_BGR888)


class VideoView(QWidget):
    """Shows the current frame letterboxed on black, with the watermark over the picture."""

    sig_resized = Signal(int, int)
    """The surface's new size in device pixels (frames should be scaled to it)."""

    def __init__(self, watermark: Watermark, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.watermark = watermark
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAcceptDrops(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self._array: np.ndarray | None = None
        self._image: QImage | None = None
        self.token = -1
        self.frame_index = -1
        self._message = ""
        self._cover = ""
        self._covered = False
        self.on_painted: Callable[[int, int, float], None] | None = None
        """Called after each paint with (token, frame index, monotonic time) — used by the benchmark."""

    def sizeHint(self) -> QSize:
        return QSize(1280, 720)

    def device_size(self) -> tuple[int, int]:
        dpr = self.devicePixelRatioF()
        return int(self.width() * dpr), int(self.height() * dpr)

    def picture_rect(self) -> QRectF:
        """Where the picture is painted (letterboxed), in widget coordinates."""
        if self._image is None:
            return QRectF(self.rect())
        dpr = self.devicePixelRatioF()
        iw, ih = self._image.width() / dpr, self._image.height() / dpr
        scale = min(self.width() / iw, self.height() / ih)
        if abs(scale - 1.0) < 0.02:
            scale = 1.0
        tw, th = iw * scale, ih * scale
        return QRectF((self.width() - tw) / 2, (self.height() - th) / 2, tw, th)

    def picture_size(self) -> tuple[float, float]:
        rect = self.picture_rect()
        return rect.width(), rect.height()

    def picture_coords(self, point: QPointF) -> tuple[float, float]:
        """A widget point as −1..1 coordinates of the painted picture (clamped)."""
        rect = self.picture_rect()
        if rect.width() <= 0 or rect.height() <= 0:
            return 0.0, 0.0
        x = (point.x() - rect.center().x()) / (rect.width() / 2)
        y = (point.y() - rect.center().y()) / (rect.height() / 2)
        return max(-1.0, min(1.0, x)), max(-1.0, min(1.0, y))

    def set_frame(self, token: int, index: int, image: np.ndarray) -> None:
        self._array = image
        self._image = to_qimage(image)
        self._image.setDevicePixelRatio(self.devicePixelRatioF())
        self.token = token
        self.frame_index = index
        self._message = ""
        self.update()

    def show_message(self, text: str) -> None:
        self._array = None
        self._image = None
        self._message = text
        self.update()

    def message_text(self) -> str:
        """The message shown instead of a picture ("" while a frame shows)."""
        return self._message

    def clear(self) -> None:
        self.show_message("")

    def cover(self, text: str) -> None:
        """Show only ``text`` until :meth:`uncover`: no frame is painted, the one held comes back after."""
        self._covered = True
        self._cover = text
        self.update()

    def uncover(self) -> None:
        self._covered = False
        self._cover = ""
        self.update()

    @property
    def covered(self) -> bool:
        return self._covered

    @property
    def frame_visible(self) -> bool:
        """A frame of the clip is on screen now."""
        return self._image is not None and not self._covered

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.sig_resized.emit(*self.device_size())

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(0, 0, 0))
        if self._covered:
            self._paint_text(p, self._cover, 18)
        elif self._image is not None:
            target = self.picture_rect()  # frames arrive pre-scaled: usually a plain blit
            p.drawImage(target, self._image)
            self.watermark.paint(p, target, self.devicePixelRatioF())  # always last: over any view setting
        elif self._message:
            self._paint_text(p, self._message, 16)
        p.end()
        if self.on_painted is not None and self._image is not None and not self._covered:
            self.on_painted(self.token, self.frame_index, time.perf_counter())

    _TEXT_FLAGS = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap

    def _text_place(self, points: float) -> tuple[QFont, QRect]:
        font = QFont(self.font())
        font.setPointSizeF(points)
        return font, self.rect().adjusted(40, 40, -40, -40)

    def text_fits(self) -> bool:
        """The message or cover text shown instead of a picture fits the surface (nothing cut off)."""
        text, points = (self._cover, 18) if self._covered else (self._message, 16)
        if not text:
            return True
        font, place = self._text_place(points)
        needed = QFontMetrics(font).boundingRect(place, int(self._TEXT_FLAGS), text)
        return place.contains(needed)

    def _paint_text(self, p: QPainter, text: str, points: float) -> None:
        font, place = self._text_place(points)
        p.setFont(font)
        p.setPen(QColor("#c9ccd1"))
        p.drawText(place, self._TEXT_FLAGS, text)
