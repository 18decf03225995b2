"""Knowing that the operating system session locked (Win+L, a screen-saver lock, a remote disconnect).

Qt's application state already turns inactive when the session locks on most systems, and the shift
window treats that as "the window is not in front". On Windows this adds the explicit signal:
``WTSRegisterSessionNotification(hwnd, NOTIFY_FOR_THIS_SESSION)`` on the shift window's HWND, and a
native event filter that reads ``WM_WTSSESSION_CHANGE`` (0x02B1) with ``wParam`` ``WTS_SESSION_LOCK``
(0x7) or ``WTS_SESSION_UNLOCK`` (0x8). The registration follows the window when Qt re-creates its
native handle (``WinIdChange``) and is undone before the window goes.

On macOS and Linux there is no such listener here: :attr:`SessionLockWatch.supported` is False and
:attr:`SessionLockWatch.status` says so; the application state covers those systems.

Protects against: frames staying painted (and sound playing) behind a locked session. Does not
protect against anything the operating system's lock itself does not — it only pauses and hides.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from typing import Any

from PySide6.QtCore import (
    QAbstractNativeEventFilter,
    QCoreApplication,
    QEvent,
    QObject,
    Signal,
)
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
WTS_SESSION_UNLOCK = 0x8
NOTIFY_FOR_THIS_SESSION = 0
NATIVE_EVENT_TYPES = (b"windows_generic_MSG", b"windows_dispatcher_MSG")


class MSG(ctypes.Structure):
    """The Win32 ``MSG`` structure (winuser.h), spelled with portable ctypes so it is testable anywhere."""

    _fields_ = [
        ("hwnd", ctypes.c_void_p),     # HWND
        ("message", ctypes.c_uint),    # UINT
        ("wParam", ctypes.c_size_t),   # WPARAM (UINT_PTR)
        ("lParam", ctypes.c_ssize_t),  # LPARAM (LONG_PTR)
        ("time", ctypes.c_uint32),     # DWORD
        ("pt_x", ctypes.c_int32),      # POINT.x (LONG)
        ("pt_y", ctypes.c_int32),      # POINT.y (LONG)
    ]


def load_wtsapi32() -> Any:
    """``wtsapi32.dll`` with the two calls typed (Windows only)."""
    dll = ctypes.WinDLL("wtsapi32", use_last_error=True)  # type: ignore[attr-defined]
    dll.WTSRegisterSessionNotification.argtypes = [ctypes.c_void_p, ctypes.c_uint32]  # HWND, DWORD
    dll.WTSRegisterSessionNotification.restype = ctypes.c_int  # BOOL
    dll.WTSUnRegisterSessionNotification.argtypes = [ctypes.c_void_p]  # HWND
    dll.WTSUnRegisterSessionNotification.restype = ctypes.c_int  # BOOL
    return dll


class _SessionFilter(QAbstractNativeEventFilter):
    """Reads WM_WTSSESSION_CHANGE for one window; lets every message through."""

    def __init__(self, watch: SessionLockWatch) -> None:
        super().__init__()
        self._watch = watch

    def nativeEventFilter(self, eventType: Any, message: Any) -> tuple[bool, int]:
        if bytes(eventType) in NATIVE_EVENT_TYPES and message:
            msg = MSG.from_address(int(message))
            if msg.message == WM_WTSSESSION_CHANGE and (msg.hwnd or 0) == self._watch.hwnd:
                self._watch.on_session_change(int(msg.wParam))
        return False, 0


class SessionLockWatch(QObject):
    """Emits when the OS session of ``window`` locks and unlocks (Windows); a stated no-op elsewhere."""

    sig_locked = Signal()
    """The session locked."""
    sig_unlocked = Signal()
    """The session unlocked."""

    def __init__(self, window: QWidget, *, platform: str = sys.platform, wtsapi32: Any = None) -> None:
        super().__init__(window)
        self.window = window
        self.platform = platform
        self.hwnd = 0
        """The shift window's native handle (0 until :meth:`start` on Windows)."""
        self.hwnd_registered = 0
        """The handle notifications were granted for (0: none), unregistered on close."""
        self.locked = False
        self._wts = wtsapi32
        self.native_filter: _SessionFilter | None = None
        """Installed on the application while registered (Windows); Qt hands it every native message."""
        self.supported = platform == "win32"
        self.status = ("Windows session lock notifications (WTSRegisterSessionNotification)" if self.supported else
                       f"No session-lock listener on {platform}: the window's application state covers a locked "
                       "screen there.")

    def start(self) -> None:
        """Register for notifications (Windows); elsewhere only say that nothing is registered."""
        if not self.supported:
            log.info("%s", self.status)
            return
        try:
            if self._wts is None:
                self._wts = load_wtsapi32()
        except (OSError, AttributeError) as exc:
            self.supported = False
            self.status = f"Session lock notifications are not available ({exc})."
            log.warning("%s", self.status)
            return
        self._register()
        self.native_filter = _SessionFilter(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.installNativeEventFilter(self.native_filter)
        self.window.installEventFilter(self)

    def _register(self) -> None:
        self.hwnd = int(self.window.winId())
        if not self._wts.WTSRegisterSessionNotification(self.hwnd, NOTIFY_FOR_THIS_SESSION):
            error = ctypes.get_last_error() if hasattr(ctypes, "get_last_error") else 0
            self.status = f"WTSRegisterSessionNotification failed (error {error}); the application state still applies."
            log.warning("%s", self.status)
            self.hwnd_registered = 0
        else:
            self.hwnd_registered = self.hwnd

    def _unregister(self) -> None:
        if self.hwnd_registered and self._wts is not None:
            self._wts.WTSUnRegisterSessionNotification(self.hwnd_registered)
        self.hwnd_registered = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.WinIdChange and self.native_filter is not None:
            self._unregister()  # the old handle is going; the new one must be registered again
            self._register()
        return False

    def on_session_change(self, code: int) -> None:
        """One WM_WTSSESSION_CHANGE for this window, ``code`` being its ``wParam``."""
        if code == WTS_SESSION_LOCK and not self.locked:
            self.locked = True
            self.sig_locked.emit()
        elif code == WTS_SESSION_UNLOCK and self.locked:
            self.locked = False
            self.sig_unlocked.emit()

    def close(self) -> None:
        if self.native_filter is None:
            return
        app = QCoreApplication.instance()
        if app is not None:
            app.removeNativeEventFilter(self.native_filter)
        self.window.removeEventFilter(self)
        self._unregister()
        self.native_filter = None
