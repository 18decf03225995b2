"""The deterrents every OS gets, whatever its capture protection.

- **Pause and hide when nobody can be watching**: the app is not in front (Qt's application state; a
  window deactivation makes it re-read), the shift window is minimised, or the OS session locked
  (:mod:`workstation.ui.session_lock`). Playback and sound pause, the picture is replaced by a calm
  message; coming back shows the frame again but does not play on.
- **Idle lock**: after the machine policy's ``idle_lock_minutes`` without a key or the mouse, the
  lock screen (:mod:`workstation.ui.lock_screen`) covers the whole shift window until the signed-in
  annotator's password is typed again, checked locally (:mod:`workstation.session.password`).
- **No copy, save, print or drag**: :func:`is_capture_key` names the keys the shift window swallows
  (copy, cut, save, save as, print, PrintScreen); :func:`no_context_menus` turns every context menu
  off; nothing in the app puts an image on the clipboard or starts a drag.

Protects against: a clip left playing on an unattended or locked seat, a passer-by going on with
someone else's shift, frames copied out through the clipboard, a file or a printer.

Does not protect against: a photo of the screen, or a capture tool the OS lets run — that is the job
of capture protection where the OS has it, and of the visible watermark everywhere.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from workstation.session.password import Attempts, LocalPassword
from workstation.ui.domain_text import wait_words
from workstation.ui.i18n import QT_TRANSLATE_NOOP
from workstation.ui.session_lock import SessionLockWatch

if TYPE_CHECKING:
    from workstation.ui.main_window import MainWindow

log = logging.getLogger(__name__)

AWAY_REASONS = ("unfocused", "minimised", "session_locked")
"""Why the picture is hidden without a lock (the audit's ``why``)."""
_AWAY_TEXT = {
    "session_locked": QT_TRANSLATE_NOOP("ShiftGuard", "Paused — the computer is locked.\n\nPress {key} to go on."),
    "minimised": QT_TRANSLATE_NOOP("ShiftGuard", "Paused — the window is minimised.\n\nPress {key} to go on."),
    "unfocused": QT_TRANSLATE_NOOP("ShiftGuard", "Paused — the window is not in front.\n\nPress {key} to go on."),
}

_CAPTURE_KEYS = (QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.Cut, QKeySequence.StandardKey.Save,
                 QKeySequence.StandardKey.SaveAs, QKeySequence.StandardKey.Print)
_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.TabletPress, QEvent.Type.TabletMove,
})


def is_capture_key(event: QKeyEvent) -> bool:
    """Copy, cut, save, save as, print (as this OS spells them) or PrintScreen / SysRq."""
    if event.key() in (Qt.Key.Key_Print, Qt.Key.Key_SysReq):
        return True
    return any(event.matches(key) for key in _CAPTURE_KEYS)


def no_context_menus(root: QWidget) -> None:
    """``root`` and every widget inside it offer no context menu (no "Copy", "Save image as…")."""
    for widget in (root, *root.findChildren(QWidget)):
        widget.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)


def close_modal_dialogs() -> None:
    """Cancel every open modal dialog (they would keep the lock screen from getting the keyboard)."""
    for _ in range(10):
        widget = QApplication.activeModalWidget()
        if widget is None:
            return
        if isinstance(widget, QDialog):
            widget.reject()
        else:
            widget.close()


class Presence(QObject):
    """Why nobody can be watching the shift window now: a set of :data:`AWAY_REASONS`."""

    sig_away = Signal(str)
    """A reason to hide the picture began ("unfocused", "minimised" or "session_locked")."""
    sig_back = Signal(str)
    """That reason ended."""

    def __init__(self, window: QWidget, session: SessionLockWatch) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self._reasons: set[str] = set()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self.on_app_state)
        window.installEventFilter(self)
        session.sig_locked.connect(lambda: self.set_reason("session_locked", True))
        session.sig_unlocked.connect(lambda: self.set_reason("session_locked", False))

    def start(self) -> None:
        """Take the state as it is now (the window is shown): away from the start is told like any other."""
        self.on_app_state(QGuiApplication.applicationState())
        self.set_reason("minimised", self.window.isMinimized())

    @property
    def reasons(self) -> frozenset[str]:
        return frozenset(self._reasons)

    def set_reason(self, reason: str, on: bool) -> None:
        if on and reason not in self._reasons:
            self._reasons.add(reason)
            self.sig_away.emit(reason)
        elif not on and reason in self._reasons:
            self._reasons.discard(reason)
            self.sig_back.emit(reason)

    def on_app_state(self, state: Qt.ApplicationState) -> None:
        self.set_reason("unfocused", state != Qt.ApplicationState.ApplicationActive)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            kind = event.type()
            if kind == QEvent.Type.WindowStateChange:
                self.set_reason("minimised", self.window.isMinimized())
            elif kind in (QEvent.Type.WindowDeactivate, QEvent.Type.WindowActivate):
                QTimer.singleShot(0, self, self._recheck_state)  # the app state settles after the event
        return False

    def _recheck_state(self) -> None:
        self.on_app_state(QGuiApplication.applicationState())

    def close(self) -> None:
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            try:
                app.applicationStateChanged.disconnect(self.on_app_state)
            except (RuntimeError, TypeError):
                pass
        self.window.removeEventFilter(self)


class IdleWatch(QObject):
    """Emits ``sig_idle`` once after ``timeout_s`` without keyboard or mouse input anywhere in the app."""

    sig_idle = Signal()
    """No input for the whole timeout."""

    def __init__(self, timeout_s: float, parent: QObject | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._clock = clock
        self._last = clock()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        self._app = QCoreApplication.instance()
        self.timeout_s = timeout_s
        self._timer.setInterval(self._interval_ms())

    def _interval_ms(self) -> int:
        return max(50, min(1000, int(self.timeout_s * 250)))  # a lock is at most 1 s late

    def set_timeout(self, timeout_s: float) -> None:
        """A new timeout, counted from now."""
        self.timeout_s = timeout_s
        self._timer.setInterval(self._interval_ms())
        self.restart()

    def start(self) -> None:
        if self._app is not None:
            self._app.installEventFilter(self)
        self.restart()

    def restart(self) -> None:
        self._last = self._clock()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def idle_for(self) -> float:
        return self._clock() - self._last

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _INPUT_EVENTS and (kind != QEvent.Type.MouseMove or event.spontaneous()):
            self._last = self._clock()
        return False

    def _check(self) -> None:
        if self.idle_for() >= self.timeout_s:
            self._timer.stop()
            self.sig_idle.emit()

    def close(self) -> None:
        self._timer.stop()
        if self._app is not None:
            self._app.removeEventFilter(self)


class ShiftGuard(QObject):
    """Decides when the shift window's picture must be hidden, and runs the idle lock.

    ``audit(kind, data)`` is told "focus_lost" / "focus_back" ({"why": reason}) and "lock" ({"why":
    "idle"}) / "unlock" ({"how": "password"}).
    """

    sig_cover_changed = Signal()
    """The picture must now be hidden, or may show again, or the reason shown changed (see ``covered``)."""
    sig_sign_out = Signal()
    """The annotator chose "Sign out" on the lock screen."""

    def __init__(self, window: MainWindow, *, idle_lock_s: float = 0.0, password: LocalPassword | None = None,
                 session: SessionLockWatch | None = None,
                 audit: Callable[[str, dict[str, Any]], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self.window = window
        self.password = password
        self.idle_lock_s = idle_lock_s
        self.locked = False
        self.capture_refusal: str | None = None
        self._audit = audit or (lambda kind, data: None)
        self.session = session if session is not None else SessionLockWatch(window)
        self.presence = Presence(window, self.session)
        self.presence.sig_away.connect(self._on_away)
        self.presence.sig_back.connect(self._on_back)
        self.attempts = Attempts(clock)
        self.idle: IdleWatch | None = None
        if idle_lock_s > 0:
            self.idle = IdleWatch(idle_lock_s, self, clock)
            self.idle.sig_idle.connect(lambda: self.lock("idle"))
        self._wait = QTimer(self)
        self._wait.setInterval(250)
        self._wait.timeout.connect(self._tick_wait)
        window.lock_screen.sig_unlock.connect(self.try_unlock)
        window.lock_screen.sig_sign_out.connect(self.sig_sign_out)

    def start(self) -> None:
        """Begin watching (call once the window is shown)."""
        self.presence.start()
        self.session.start()
        if self.idle is not None:
            self.idle.start()

    @property
    def covered(self) -> bool:
        """Nothing of the clip may be visible now."""
        return self.locked or bool(self.presence.reasons) or bool(self.capture_refusal)

    def refuse_capture(self, text: str | None) -> None:
        """The machine policy requires capture protection and this seat lost it (``text`` says why), or has it again."""
        if (text or None) != self.capture_refusal:
            self.capture_refusal = text or None
            self.sig_cover_changed.emit()

    def cover_text(self, play_key: str) -> str:
        if self.locked:
            return self.tr("Locked.")
        if self.capture_refusal:
            return self.capture_refusal
        reasons = self.presence.reasons
        why = next((_AWAY_TEXT[r] for r in ("session_locked", "minimised", "unfocused") if r in reasons), "")
        return self.tr(why).format(key=play_key) if why else ""

    # -- away and back -----------------------------------------------------------------------------
    def _on_away(self, reason: str) -> None:
        self._audit("focus_lost", {"why": reason})
        self.sig_cover_changed.emit()

    def _on_back(self, reason: str) -> None:
        self._audit("focus_back", {"why": reason})
        self.sig_cover_changed.emit()

    # -- the idle lock -----------------------------------------------------------------------------
    def lock(self, why: str = "idle") -> None:
        """Cover the whole window until the password is typed again (or the annotator signs out)."""
        if self.locked:
            return
        self.locked = True
        if self.idle is not None:
            self.idle.stop()
        self.sig_cover_changed.emit()  # the controller pauses before any dialog returns to its caller
        close_modal_dialogs()
        minutes = round(self.idle_lock_s / 60)
        locked = self.tr("The shift locked after %n minutes without input.", "", minutes) if minutes >= 1 \
            else self.tr("The shift locked after a while without input.")
        if self.password is not None:
            name = self.password.username
            who = self.tr("Signed in as {name}").format(name=name)
            text = locked + " " + self.tr("Type {name}'s password to go on.").format(name=name)
        else:
            who = ""
            text = locked + " " + self.tr("This shift went on offline without a password check, so it cannot be "
                                          "unlocked here: sign out, then sign in again.")
        self.window.show_lock(who, text, can_unlock=self.password is not None)
        left = self.attempts.wait_left()
        if left > 0:
            self.window.lock_screen.set_waiting(math.ceil(left))
            self._wait.start()
        self._audit("lock", {"why": why})

    def try_unlock(self, typed: str) -> None:
        if not self.locked or self.password is None:
            return
        left = self.attempts.wait_left()
        if left > 0:
            self.window.lock_screen.set_waiting(math.ceil(left))
            return
        if self.password.verify(typed):
            self.attempts.succeeded()
            self.unlock()
            return
        wait = self.attempts.failed()
        if wait:
            self.window.lock_screen.set_waiting(math.ceil(wait))
            self._wait.start()
        else:
            self.window.lock_screen.wrong(
                self.tr("That is not {name}'s password — %n more tries before a wait of {wait}.", "",
                        self.attempts.tries_left).format(name=self.password.username,
                                                         wait=wait_words(self.attempts.first_wait_s)))

    def unlock(self) -> None:
        self.locked = False
        self._wait.stop()
        self.window.hide_lock()
        if self.idle is not None:
            self.idle.restart()
        self._audit("unlock", {"how": "password"})
        self.sig_cover_changed.emit()

    def _tick_wait(self) -> None:
        left = self.attempts.wait_left()
        self.window.lock_screen.set_waiting(math.ceil(left))
        if left <= 0:
            self._wait.stop()

    def close(self) -> None:
        self._wait.stop()
        if self.idle is not None:
            self.idle.close()
        self.presence.close()
        self.session.close()
