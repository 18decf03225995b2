"""Keys into the shift: which presses count (:mod:`workstation.session.gate`), and the short notes that answer
them. A part of :class:`~workstation.ui.controller.ShiftController` (a mixin, like its decisions).

The window reports every key with its timestamp; this feeds the gate (key down, key up, the moment the clip
became visible) and forwards only the presses that count: a held key decides one clip, a press queued
during a clip switch decides nothing, and a label pressed in the first ``min_view_ms`` of a clip gets a
calm "the clip just started" instead of a decision.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from workstation.session.gate import DecisionGate, EventClock, Verdict
from workstation.ui.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from workstation.labeling.timings import ClipTimer
    from workstation.ui.main_window import MainWindow

TOO_EARLY_TEXT = QT_TRANSLATE_NOOP("KeyInput", "The clip just started — watch it a moment, then press again.")


def _monotonic_ms() -> float:
    return time.monotonic() * 1000.0


class KeyInput:
    """Gate the window's key presses for the shift controller."""

    if TYPE_CHECKING:  # provided by ShiftController
        window: MainWindow
        timer: ClipTimer
        gate: DecisionGate
        event_clock: EventClock

        def label_key(self, key: str) -> None: ...
        def on_action(self, name: str) -> None: ...

    def _event_time(self, timestamp: float) -> float:
        return self.event_clock.note(timestamp, _monotonic_ms())

    def clip_visible(self) -> None:
        """The clip on screen can be watched from now on: label presses are measured from here."""
        self.gate.shown(_monotonic_ms())

    def clip_not_visible(self) -> None:
        self.gate.hidden()

    def on_label_key(self, key: str, key_id: str, timestamp: float, repeat: bool) -> None:
        at = self._event_time(timestamp)
        self.timer.note_input()
        verdict = self.gate.press(key_id, at, repeat=repeat)
        if verdict is Verdict.DECIDE:
            self.gate.used(key_id)
            self.label_key(key)
        elif verdict is Verdict.TOO_EARLY:
            self.window.show_toast(QCoreApplication.translate("KeyInput", TOO_EARLY_TEXT), calm=True)

    def on_label_click(self, key: str) -> None:
        """A label button was clicked: no key to hold, but the clip must have been watched a moment too."""
        self.timer.note_input()
        shown = self.gate.shown_at
        if shown is None:
            return
        if _monotonic_ms() - shown < self.gate.min_view_ms:
            self.window.show_toast(QCoreApplication.translate("KeyInput", TOO_EARLY_TEXT), calm=True)
            return
        self.label_key(key)

    def on_action_key(self, action: str, key_id: str, timestamp: float, repeat: bool) -> None:
        if self.gate.action_press(key_id, self._event_time(timestamp), repeat=repeat):
            self.gate.used(key_id)
            self.on_action(action)

    def on_key_dismissed(self, key_id: str, timestamp: float, repeat: bool) -> None:
        """The key only closed an overlay or a banner: it must come up before it does anything else."""
        self.timer.note_input()
        self.gate.action_press(key_id, self._event_time(timestamp), repeat=repeat)
        self.gate.used(key_id)

    def on_key_up(self, key_id: str, timestamp: float, repeat: bool) -> None:
        self.gate.release(key_id, self._event_time(timestamp), repeat=repeat, stamped=timestamp > 0)
