"""The shift status bar: progress, shift clock, sync state, capture protection, key store, who is signed in."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from workstation.session.outbox import SyncStatus
from workstation.ui.domain_text import domain_text
from workstation.ui.i18n import QT_TRANSLATE_NOOP

_NOT_BLOCKED = QT_TRANSLATE_NOOP("ShiftStatusBar", "Capture: not blocked")
_CAPTURE = {
    "protected": (QT_TRANSLATE_NOOP("ShiftStatusBar", "Capture: protected"), "ok"),
    "degraded": (QT_TRANSLATE_NOOP("ShiftStatusBar", "Capture: degraded"), "neutral"),
    "unsupported": (_NOT_BLOCKED, "neutral"),
    "not blocked": (_NOT_BLOCKED, "neutral"),
    "not_blocked": (_NOT_BLOCKED, "neutral"),
}
"""Capability (as the platform layer names it) → what the pill says and its colour. An annotator can do
nothing about these: IT-only states are neutral, with the detail in the tooltip."""


def _pill(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("pill")
    return label


class ShiftStatusBar(QStatusBar):
    def __init__(self, who: str, key_store_kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.progress = _pill()
        self.clock = _pill()
        self.online = _pill()
        self.pending = _pill()
        self.capture = _pill()
        self.capture.hide()  # nothing is shown until the capture protection result is known
        self.keys = _pill()
        self.who = _pill(who)
        self.started = time.monotonic()
        self._clock_words = self.tr("Shift {time}")
        """Made once: the clock changes every second and is not translated every second."""
        for widget in (self.progress, self.clock, self.online, self.pending):
            self.addWidget(widget)
        self.addPermanentWidget(self.capture)
        self.addPermanentWidget(self.keys)
        self.addPermanentWidget(self.who)
        if key_store_kind == "memory":
            self._set(self.keys, self.tr("Keys: memory only"), "neutral",
                      self.tr("Machine policy: shift keys live in process memory only; after a crash the shift is "
                              "fetched again."))
        else:
            self._set(self.keys, self.tr("Keys: OS keyring"), "ok",
                      self.tr("Shift keys are held by the operating system's keyring."))
        self.set_sync(SyncStatus(None, 0))
        self.tick()

    @staticmethod
    def _set(label: QLabel, text: str, state: str, tip: str = "") -> None:
        label.setText(text)
        label.setProperty("state", state)
        label.setToolTip(tip)
        label.style().unpolish(label)
        label.style().polish(label)

    def set_capture(self, capability: str, detail: str) -> None:
        """Show what screen-capture protection this seat has ("protected", "degraded", "unsupported" /
        "not blocked"); ``detail`` (what was called, what it means) is the tooltip."""
        known = _CAPTURE.get(capability.strip().lower())
        text, state = (self.tr(known[0]), known[1]) if known is not None else \
            (self.tr("Capture: {state}").format(state=capability), "neutral")
        self._set(self.capture, text, state, detail)
        self.capture.show()

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setText(f"{done} / {total}")

    def tick(self, active_s: float | None = None) -> None:
        """The shift clock: active time (``active_s``), or time since the window opened when not given."""
        elapsed = int(active_s if active_s is not None else time.monotonic() - self.started)
        clock = f"{elapsed // 3600:d}:{elapsed // 60 % 60:02d}:{elapsed % 60:02d}"
        self.clock.setText(self._clock_words.format(time=clock))

    def set_sync(self, status: SyncStatus) -> None:
        message = domain_text(status.message)
        if status.online is None:
            self._set(self.online, "● " + self.tr("connecting"), "warn", message)
        elif status.online:
            self._set(self.online, "● " + self.tr("online"), "ok", message)
        else:
            self._set(self.online, "● " + self.tr("offline"), "bad",
                      message or self.tr("The hub cannot be reached; labels are kept and sent later."))
        if status.rejected:
            self._set(self.pending, self.tr("%n refused by the hub", "", status.rejected), "bad",
                      self.tr("The hub refused these decisions; they are kept on this PC. Tell a supervisor."))
        elif status.pending > 0:
            self._set(self.pending, self.tr("%n to sync", "", status.pending), "warn",
                      self.tr("Labels saved here, waiting for the hub."))
        else:
            self._set(self.pending, self.tr("all synced"), "ok",
                      self.tr("Every decision of yours has reached the hub."))
        if status.others:
            others = self.tr("%n decisions of other annotators on this seat wait for them to sign in here again.", "",
                             status.others)
            self.pending.setToolTip(f"{self.pending.toolTip()} {others}")
