"""The annotator's decision keys in the shift window: label, skip, flag, undo, comment — and clips withdrawn
by a supervisor. A part of :class:`~workstation.ui.controller.ShiftController` (a mixin: it uses the
controller's window, playback and navigation).

The rules and the writing are the session layer's (:class:`~workstation.session.decisions.ShiftDecisions`):
this only asks for a reason or a comment, forwards the intent with the clip's timings, and renders the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog

from workstation.errors import WorkstationError
from workstation.labeling.store import LabelRecord
from workstation.session.decisions import Decided, ShiftDecisions
from workstation.ui.dialogs import CommentDialog, ReasonDialog
from workstation.ui.domain_text import domain_text, error_text, taxonomy_word
from workstation.ui.phase import ClipPhase

if TYPE_CHECKING:
    from workstation.labeling.shift import ShiftState
    from workstation.labeling.timings import ClipTimer
    from workstation.media.playback import Playback, Prefetcher
    from workstation.session.gate import EventClock
    from workstation.session.outbox import OutboxOwner
    from workstation.taxonomy import Taxonomy
    from workstation.ui.audio_out import AudioOutput
    from workstation.ui.main_window import MainWindow

log = logging.getLogger(__name__)

PREFETCH_AHEAD = 2
"""How many clips after the current one are prepared in the background."""


class Decisions:
    """Label, skip, flag, undo, comment and withdrawal keys, for the shift controller."""

    if TYPE_CHECKING:  # provided by ShiftController
        window: MainWindow
        decisions: ShiftDecisions
        event_clock: EventClock
        state: ShiftState
        sync: OutboxOwner | None
        taxonomy: Taxonomy
        playback: Playback
        prefetcher: Prefetcher
        audio: AudioOutput | None
        timer: ClipTimer
        index: int | None
        token: int
        shown_at: str
        comment: str | None
        phase: ClipPhase
        _covered: bool
        _bridge: Any

        def show_clip(self, index: int) -> None: ...
        def paused_for(self, run: Callable[[], int]) -> int: ...
        def shift_clock_s(self) -> float: ...
        def _complete(self) -> None: ...
        def _clip_id(self) -> str | None: ...
        def _playable(self) -> bool: ...
        def _upcoming(self, after: int, count: int) -> list[str]: ...

    def _decide(self, kind: str, label: str, reason: str | None = None) -> Decided | None:
        """Ask the session to commit a decision on the clip on screen; say why when it could not."""
        if self.index is None or self.phase is ClipPhase.SHUT:
            return None
        try:
            decided = self.decisions.decide(self.index, kind, label, reason, shown_at=self.shown_at,
                                            timings=self.timer.result(), comment=self.comment,
                                            shift_clock_s=self.shift_clock_s())
        except WorkstationError as exc:
            self.window.status.showMessage(error_text(exc), 15000)
            return None
        self.window.status.set_progress(decided.done, decided.total)
        self.window.show_toast(self._said(decided.record, self.index + 1))
        if decided.note:
            self.window.status.showMessage(domain_text(decided.note), 15000)
        if self.sync is not None:
            self.sync.kick()
        return decided

    def _said(self, record: LabelRecord, number: int) -> str:
        """What was decided, as the confirmation says it: "Clip 12 → Person · Ctrl+Z undoes"."""
        undo = self.window.keymap.key("undo")
        if record.kind == "flag":
            return QCoreApplication.translate("Decisions", "Clip {number} → flagged sensitive; it is gone from this PC"
                                              ).format(number=number)
        if record.kind == "skip":
            reason = next((taxonomy_word(r.name) for r in self.taxonomy.skip_reasons if r.code == record.reason),
                          record.reason)
            return QCoreApplication.translate("Decisions", "Clip {number} → skipped ({reason}) · {key} undoes").format(
                number=number, reason=reason, key=undo)
        name = next((taxonomy_word(lab.name) for lab in self.taxonomy.labels if lab.code == record.label), record.label)
        return QCoreApplication.translate("Decisions", "Clip {number} → {label} · {key} undoes").format(
            number=number, label=name, key=undo)

    def label_key(self, key: str) -> None:
        self.timer.note_input()
        if not self._playable() or self.window.help.isVisible():
            return
        label = self.taxonomy.by_key(key)
        if label is None:
            return
        decided = self._decide("label", label.code)
        if decided is not None:
            self._advance(decided.next_index)

    def skip_dialog(self) -> ReasonDialog:
        """The question a skip asks (not shown yet)."""
        return ReasonDialog(QCoreApplication.translate("Decisions", "Skip this clip"),
                            QCoreApplication.translate("Decisions", "Why skip this clip?"),
                            self.taxonomy.skip_reasons, self.window, gate_clock=self.event_clock)

    def flag_dialog(self) -> ReasonDialog:
        """The question a flag asks (not shown yet)."""
        return ReasonDialog(QCoreApplication.translate("Decisions", "Flag sensitive — dispose"),
                            QCoreApplication.translate("Decisions", "Why must this clip be disposed of? It is removed "
                                                       "from this PC at once and a supervisor confirms the disposal."),
                            self.taxonomy.flag_reasons, self.window, gate_clock=self.event_clock)

    def skip(self) -> None:
        if self.index is None or self.phase not in (ClipPhase.SHOWING, ClipPhase.UNPLAYABLE):
            return
        if self.phase is ClipPhase.UNPLAYABLE:
            reason = "unplayable"
        else:
            dialog = self.skip_dialog()
            if self.paused_for(dialog.exec) != QDialog.DialogCode.Accepted or dialog.choice is None:
                return
            reason = dialog.choice.code
        decided = self._decide("skip", "skip", reason)
        if decided is not None:
            self._advance(decided.next_index)

    def flag(self) -> None:
        """Sensitive clip: it closes at once; with a reason it is shredded here and a disposal request queued."""
        if self.index is None or self.phase in (ClipPhase.OPENING, ClipPhase.COMPLETE, ClipPhase.SHUT) \
                or not self.taxonomy.flags:
            return
        was_playing = self.playback.playing
        self.playback.pause()
        before = self.phase
        self.phase = ClipPhase.CLOSED  # frames already on their way must not show behind the dialog
        self.window.video.show_message(QCoreApplication.translate(
            "Decisions", "This clip is closed.\n\nChoose why it must be disposed of."))
        dialog = self.flag_dialog()
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            if self.phase is ClipPhase.CLOSED:  # (not when the window closed meanwhile)
                self.phase = before
            self.playback.redraw()
            if was_playing and not self._covered:  # cancelled by the idle lock: it stays paused
                self.playback.play()
            return
        decided = self._decide("flag", self.taxonomy.flags[0].code, dialog.choice.code)
        if decided is None:  # not saved (said in the status bar): the clip stays closed, F asks again
            return
        self.token += 1
        self.playback.unload()
        if self.audio is not None:
            self.audio.load(None)
        self.prefetcher.discard_except(set())
        self._advance(decided.next_index)

    def undo(self) -> None:
        """Take back the last decision of this shift and return to that clip."""
        if self.index is None and not self.decisions.ended:
            return
        try:
            undone = self.decisions.undo(shift_clock_s=self.shift_clock_s())
        except WorkstationError as exc:
            self.window.status.showMessage(error_text(exc), 8000)
            return
        self.window.status.set_progress(undone.done, undone.total)
        if undone.note:
            self.window.status.showMessage(domain_text(undone.note), 8000)
        if self.sync is not None:
            self.sync.kick()
        self.show_clip(undone.index)
        was = undone.taken_back
        if was.kind == "label":
            key = next((lab.key for lab in self.taxonomy.labels if lab.code == was.label), None)
            self.window.labels.mark(key)  # the choice taken back stays outlined until the next decision
            name = next((taxonomy_word(lab.name) for lab in self.taxonomy.labels if lab.code == was.label), was.label)
            self.window.show_toast(QCoreApplication.translate(
                "Decisions", "Back to clip {number} — it was “{label}”; choose again").format(
                number=undone.index + 1, label=name))
        else:
            self.window.show_toast(QCoreApplication.translate(
                "Decisions", "Back to clip {number} — it was skipped; choose again").format(number=undone.index + 1))

    def edit_comment(self) -> None:
        if self.index is None:
            return
        dialog = CommentDialog(self.comment or "", self.window)
        if self.paused_for(dialog.exec) == QDialog.DialogCode.Accepted:
            self.comment = dialog.text() or None
            clip = self.state.clips[self.index]
            self.window.set_clip(clip.clip_id[:8], self.index + 1, self.state.total, comment=bool(self.comment))

    def withdrawn_listener(self) -> Callable[[list[str]], None]:
        """For the sync thread: clips the hub disposed of (handled on the UI thread)."""
        emit: Callable[[list[str]], None] = self._bridge.withdrawn.emit
        return emit

    def withdraw(self, clip_ids: list[str]) -> None:
        """Clips a supervisor disposed of leave this shift: gone from this PC, the current one closes at once."""
        if self.phase is ClipPhase.SHUT:
            return
        withdrawn = self.decisions.withdraw(clip_ids, self.index)
        if not withdrawn.gone:
            return
        self.prefetcher.discard_except(set())
        self.window.status.set_progress(withdrawn.done, withdrawn.total)
        if withdrawn.current_gone:
            self.token += 1
            self.playback.unload()
            if self.audio is not None:
                self.audio.load(None)
            self._advance(withdrawn.index)
            self.window.show_banner(QCoreApplication.translate(
                "Decisions", "The clip you were on was withdrawn from the floor; it is gone from this PC."))
        elif withdrawn.index is not None:
            self.index = withdrawn.index
            clip = self.state.clips[self.index]
            self.window.set_clip(clip.clip_id[:8], self.index + 1, self.state.total, comment=bool(self.comment))
            for clip_id in self._upcoming(self.index, PREFETCH_AHEAD):
                self.prefetcher.prepare(clip_id)

    def _advance(self, next_index: int | None) -> None:
        if next_index is None:
            self._complete()
        else:
            self.show_clip(next_index)
