"""The shift status bar: progress, shift clock, sync state, capture protection, key store, who is signed in."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from workstation.session.outbox import SyncStatus

_CAPTURE = {
    "protected": ("Capture: protected", "ok"),
    "degraded": ("Capture: degraded", "neutral"),
    "unsupported": ("Capture: not blocked", "neutral"),
    "not blocked": ("Capture: not blocked", "neutral"),
    "not_blocked": ("Capture: not blocked", "neutral"),
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
        for widget in (self.progress, self.clock, self.online, self.pending):
            self.addWidget(widget)
        self.addPermanentWidget(self.capture)
        self.addPermanentWidget(self.keys)
        self.addPermanentWidget(self.who)
        if key_store_kind == "memory":
            self._set(self.keys, "Keys: memory only", "neutral",
                      "Machine policy: shift keys live in process memory only; after a crash the shift is fetched again.")
        else:
            self._set(self.keys, "Keys: OS keyring", "ok", "Shift keys are held by the operating system's keyring.")
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
        text, state = _CAPTURE.get(capability.strip().lower(), (f"Capture: {capability}", "neutral"))
        self._set(self.capture, text, state, detail)
        self.capture.show()

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setText(f"{done} / {total}")

    def tick(self, active_s: float | None = None) -> None:
        """The shift clock: active time (``active_s``), or time since the window opened when not given."""
        elapsed = int(active_s if active_s is not None else time.monotonic() - self.started)
        self.clock.setText(f"Shift {elapsed // 3600:d}:{elapsed // 60 % 60:02d}:{elapsed % 60:02d}")

    def set_sync(self, status: SyncStatus) -> None:
        if status.online is None:
            self._set(self.online, "● connecting", "warn", status.message)
        elif status.online:
            self._set(self.online, "● online", "ok", status.message)
        else:
            self._set(self.online, "● offline", "bad", status.message or "The hub cannot be reached; labels are kept and sent later.")
        if status.rejected:
            self._set(self.pending, f"{status.rejected} refused by the hub", "bad",
                      "The hub refused these decisions; they are kept on this PC. Tell a supervisor.")
        elif status.pending > 0:
            self._set(self.pending, f"{status.pending} to sync", "warn", "Labels saved here, waiting for the hub.")
        else:
            self._set(self.pending, "all synced", "ok", "Every decision of yours has reached the hub.")
        if status.others:
            self.pending.setToolTip(f"{self.pending.toolTip()} {status.others} decision(s) of other annotators on "
                                    "this seat wait for them to sign in here again.")
