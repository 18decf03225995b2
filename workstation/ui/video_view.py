"""The video surface: paints pre-scaled frames plus the watermark; nothing else runs on the UI thread.

Frames arrive already scaled to this widget's size in device pixels (OpenCV, on a worker thread), so
painting is a plain blit. The surface offers no context menu, drag, copy or save of frames.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QResizeEvent
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
        self.on_painted: Callable[[int, int, float], None] | None = None
        """Called after each paint with (token, frame index, monotonic time) — used by the benchmark."""

    def sizeHint(self) -> QSize:
        return QSize(1280, 720)

    def device_size(self) -> tuple[int, int]:
        dpr = self.devicePixelRatioF()
        return int(self.width() * dpr), int(self.height() * dpr)

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

    def clear(self) -> None:
        self.show_message("")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.sig_resized.emit(*self.device_size())

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(0, 0, 0))
        if self._image is not None:
            dpr = self.devicePixelRatioF()
            iw, ih = self._image.width() / dpr, self._image.height() / dpr
            scale = min(self.width() / iw, self.height() / ih, 1e9)
            if abs(scale - 1.0) < 0.02:
                scale = 1.0  # pre-scaled: a plain blit
            tw, th = iw * scale, ih * scale
            target = QRectF((self.width() - tw) / 2, (self.height() - th) / 2, tw, th)
            p.drawImage(target, self._image)
            self.watermark.paint(p, target, dpr)
        elif self._message:
            font = QFont(self.font())
            font.setPointSizeF(16)
            p.setFont(font)
            p.setPen(QColor("#c9ccd1"))
            p.drawText(self.rect().adjusted(40, 40, -40, -40),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._message)
        p.end()
        if self.on_painted is not None and self._image is not None:
            self.on_painted(self.token, self.frame_index, time.perf_counter())
