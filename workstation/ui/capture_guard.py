"""The Qt side of screen-capture protection: every top-level window and dialog, every time.

:class:`CaptureGuard` is an application-wide event filter. Whenever a top-level ``QWidget`` (main
window, dialog, menu, tooltip: ``isWindow()``) is shown or gets a new native window
(``WinIdChange``: Qt recreates it after ``setWindowFlags``, a screen change, …) it asks the OS
protector (``workstation.platform``) to keep that native window out of captures. It keeps each
window's result; :attr:`CaptureGuard.capability` is the worst over the windows now shown (before any
window: what this OS can give), and ``sig_changed`` announces every change for the status bar, the
audit log and the policy check. It never raises into Qt: a failure is logged and counts as not
protected. Window ids from a Qt platform other than the protector's own (``offscreen``, ``vnc``…) are
not native handles and are never passed down.

Protects against: a window or dialog opened later (or recreated by Qt) escaping the OS setting.
Does NOT protect against: anything the OS setting itself does not stop (see
``workstation.platform.capture``: phone cameras, capture cards, VM hosts, modified apps, kernel-level
tools, macOS 15 ScreenCaptureKit), nor content drawn between a window appearing and its ``Show``
event on an OS that applies the setting late. Playback should wait for :attr:`capability`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from workstation.platform.capture import (
    Capability,
    CaptureProtector,
    ProtectionResult,
    protector_for_this_os,
    worst,
)

log = logging.getLogger(__name__)

RETRY_MS: Final = 100
MAX_RETRIES: Final = 5
"""A window not ready yet (no native window, a macOS view outside its window) is retried this often."""

_WATCHED: Final = frozenset({QEvent.Type.Show, QEvent.Type.WinIdChange, QEvent.Type.Hide})


@dataclass
class _Window:
    """Bookkeeping for one top-level widget, kept by events only (no reference that could keep it alive)."""

    result: ProtectionResult
    visible: bool
    retries: int = 0


def _key(widget: QWidget) -> int:
    """The C++ address: stable for the widget's life, even when PySide hands out another wrapper."""
    return int(shiboken6.getCppPointer(widget)[0])


class CaptureGuard(QObject):
    """Applies a :class:`CaptureProtector` to every top-level window; reports the worst result."""

    sig_changed = Signal(str, str)
    """The overall result changed: (capability value ``protected``/``degraded``/``unsupported``, detail)."""

    def __init__(self, protector: CaptureProtector | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._protector = protector if protector is not None else protector_for_this_os()
        self._windows: dict[int, _Window] = {}
        self._app: QCoreApplication | None = None
        self._last: ProtectionResult | None = None

    # ------------------------------------------------------------------ public API

    def install(self, app: QCoreApplication | None = None) -> None:
        """Watch every window of ``app`` (default: the running one); protect those already shown."""
        app = app or QCoreApplication.instance()
        if app is None:
            raise RuntimeError("CaptureGuard.install needs a running QApplication")
        self.remove()
        self._app = app
        app.installEventFilter(self)
        if isinstance(app, QApplication):
            for widget in app.topLevelWidgets():
                if widget.isVisible():
                    self.apply(widget)
        self._update()

    def remove(self) -> None:
        """Stop watching (windows keep the OS setting they already have)."""
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None

    @property
    def protector(self) -> CaptureProtector:
        return self._protector

    @property
    def result(self) -> ProtectionResult:
        """The worst result over the windows shown now; before any window, what this OS can give."""
        shown = [entry.result for entry in self._windows.values() if entry.visible]
        return worst(shown) or self.expected()

    @property
    def capability(self) -> Capability:
        return self.result.capability

    @property
    def detail(self) -> str:
        return self.result.detail

    def expected(self) -> ProtectionResult:
        """What this OS can give at best, or why nothing can be given under this Qt platform."""
        return self._platform_mismatch() or self._protector.expected()

    def result_for(self, widget: QWidget) -> ProtectionResult | None:
        """The last result for ``widget``'s window, or ``None`` when it was never protected."""
        entry = self._windows.get(_key(widget))
        return entry.result if entry is not None else None

    def apply(self, widget: QWidget) -> ProtectionResult:
        """Protect ``widget``'s native window now and record the result (also done on every show)."""
        result = self._protect(int(widget.internalWinId()))
        key = _key(widget)
        entry = self._windows.setdefault(key, _Window(result, widget.isVisible()))
        entry.result, entry.visible = result, widget.isVisible()
        if not result.retry:
            entry.retries = 0
        elif entry.retries < MAX_RETRIES:
            QTimer.singleShot(RETRY_MS, self, lambda: self._retry(key))
        log.debug("capture protection for %s: %s", type(widget).__name__, result.capability.value)
        self._update()
        return result

    # ------------------------------------------------------------------ Qt

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in _WATCHED:
            return False
        try:
            if isinstance(watched, QWidget) and watched.isWindow():
                self._on_window_event(watched, event.type())
        except Exception:  # never raise into Qt's event loop
            log.exception("capture protection: handling %s failed", event.type().name)
        return False

    def _on_window_event(self, widget: QWidget, kind: QEvent.Type) -> None:
        if kind == QEvent.Type.Hide:
            entry = self._windows.get(_key(widget))
            if entry is not None:
                entry.visible = widget.isVisible()  # still True for a minimised window
            self._update()
        elif kind == QEvent.Type.WinIdChange and not widget.internalWinId():
            self._windows.pop(_key(widget), None)  # the native window is gone (closing or being recreated)
            self._update()
        else:
            self.apply(widget)

    def _retry(self, key: int) -> None:
        try:
            entry = self._windows.get(key)
            if entry is None or not entry.result.retry or not entry.visible:
                return
            entry.retries += 1
            for widget in QApplication.topLevelWidgets():
                if _key(widget) == key:
                    self.apply(widget)
        except Exception:  # a timer slot must not raise either
            log.exception("capture protection: retry failed")

    # ------------------------------------------------------------------ internals

    def _protect(self, win_id: int) -> ProtectionResult:
        mismatch = self._platform_mismatch()
        if mismatch is not None:
            return mismatch
        try:
            return self._protector.protect(win_id)
        except Exception as exc:  # a protector bug is a not-protected window, not a crash
            log.exception("capture protection: the %s protector failed", self._protector.os_name)
            return ProtectionResult(Capability.UNSUPPORTED, "Screen capture is not blocked: applying the "
                                    f"{self._protector.os_name} setting failed ({type(exc).__name__}).")

    def _platform_mismatch(self) -> ProtectionResult | None:
        wanted = self._protector.qt_platform
        running = QGuiApplication.platformName()
        if wanted is None or not running or running == wanted:
            return None
        return ProtectionResult(Capability.UNSUPPORTED, f"Screen capture is not blocked: Qt runs on its '{running}' "
                                f"platform, so windows are not native {self._protector.os_name} windows.")

    def _update(self) -> None:
        now = self.result
        before = self._last or self.expected()
        self._last = now
        if (now.capability, now.detail) == (before.capability, before.detail):
            return
        level = logging.INFO if now.protected else logging.WARNING
        log.log(level, "capture protection is now %s: %s", now.capability.value, now.detail)
        self.sig_changed.emit(now.capability.value, now.detail)
