"""The annotator's decisions on the clip in front of them: label, skip, flag, undo, comment — and clips
withdrawn by a supervisor. A part of :class:`~workstation.ui.controller.ShiftController` (a mixin: it
uses the controller's state, store, window and playback).

Each decision is one committed transaction (label or skip/flag/retract event + outbox row + resume point +
audit event) before the next clip shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog

from workstation.errors import WorkstationError
from workstation.labeling.store import LabelRecord
from workstation.ui.dialogs import CommentDialog, ReasonDialog

if TYPE_CHECKING:
    from workstation.labeling.shift import ShiftService, ShiftState
    from workstation.labeling.taxonomy import Taxonomy
    from workstation.labeling.timings import ClipTimer
    from workstation.media.playback import Playback, Prefetcher
    from workstation.sync.outbox import OutboxSync
    from workstation.ui.audio_out import AudioOutput
    from workstation.ui.main_window import MainWindow

log = logging.getLogger(__name__)

PREFETCH_AHEAD = 2
"""How many clips after the current one are prepared in the background."""


class Decisions:
    """Label, skip, flag, undo, comment and withdrawal, for the shift controller."""

    if TYPE_CHECKING:  # provided by ShiftController
        window: MainWindow
        service: ShiftService
        state: ShiftState
        sync: OutboxSync | None
        taxonomy: Taxonomy
        playback: Playback
        prefetcher: Prefetcher
        audio: AudioOutput | None
        timer: ClipTimer
        index: int | None
        token: int
        shown_at: str
        comment: str | None
        _unplayable: bool
        _loading: bool
        _closed: bool
        _blank: bool
        _covered: bool
        _bridge: Any

        def show_clip(self, index: int) -> None: ...
        def _complete(self) -> None: ...
        def _clip_id(self) -> str | None: ...
        def _playable(self) -> bool: ...
        def _upcoming(self, after: int, count: int) -> list[str]: ...

    def _decide(self, kind: str, label: str, reason: str | None = None) -> LabelRecord | None:
        """Commit a decision on the current clip (label + outbox row + resume point in one transaction)."""
        if self.index is None or self._closed:
            return None
        clip = self.state.clips[self.index]
        nxt = self.state.next_undecided(self.index)
        if nxt is not None and self.state.clips[nxt].clip_id == clip.clip_id:
            nxt = None
        next_clip = self.state.clips[nxt].clip_id if nxt is not None else None
        before = self.service.take_pending_audit(self.state.shift_id)  # one commit for them and the decision
        try:
            record = self.service.store.add_label(
                self.state.shift_id, clip.clip_id, label, shown_at=self.shown_at, comment=self.comment,
                timings=self.timer.result(), kind=kind, reason=reason, next_clip=next_clip, audit_before=before)
        except WorkstationError as exc:
            self.service.return_pending_audit(self.state.shift_id, before)
            self.window.status.showMessage(exc.full_text(), 15000)
            return None
        self.state.decided[clip.clip_id] = record
        self.window.status.set_progress(self.state.done, self.state.total)
        if self.sync is not None:
            self.sync.kick()
        return record

    def label_key(self, key: str) -> None:
        self.timer.note_input()
        if not self._playable() or self._closed or self.window.help.isVisible() or self._covered:
            return
        label = self.taxonomy.by_key(key)
        if label is None:
            return
        if self._decide("label", label.code) is not None:
            self._advance()

    def skip(self) -> None:
        if self.index is None or self._loading:
            return
        if self._unplayable:
            reason = "unplayable"
        else:
            dialog = ReasonDialog("Skip this clip", "Why skip this clip?", self.taxonomy.skip_reasons, self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
                return
            reason = dialog.choice.code
        if self._decide("skip", "skip", reason) is not None:
            self._advance()

    def flag(self) -> None:
        """Sensitive clip: it closes at once; with a reason it is shredded here and a disposal request queued."""
        if self.index is None or self._loading or not self.taxonomy.flags:
            return
        was_playing = self.playback.playing
        self.playback.pause()
        self._blank = True  # frames already on their way must not show behind the dialog
        self.window.video.show_message("This clip is closed.\n\nChoose why it must be disposed of.")
        dialog = ReasonDialog("Flag sensitive — dispose",
                              "Why must this clip be disposed of? It is removed from this PC at once and a "
                              "supervisor confirms the disposal.", self.taxonomy.flag_reasons, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            self._blank = False
            self.playback.redraw()
            if was_playing and not self._covered:  # cancelled by the idle lock: it stays paused
                self.playback.play()
            return
        clip = self.state.clips[self.index]
        if self._decide("flag", self.taxonomy.flags[0].code, dialog.choice.code) is None:
            return
        self.token += 1
        self.playback.unload()
        if self.audio is not None:
            self.audio.load(None)
        self.prefetcher.discard_except(set())
        try:
            self.service.drop_clip(self.state.shift_id, clip.clip_id)
        except (WorkstationError, OSError) as exc:
            self.window.status.showMessage(f"The flagged clip could not be removed: {exc}", 15000)
        self._advance()

    def undo(self) -> None:
        """Take back the last decision of this shift and return to that clip."""
        if self.index is None:
            self.window.status.showMessage("The shift is complete and its clips are gone from this PC; "
                                           "nothing can be undone now.", 8000)
            return
        last = self._last_decision()
        if last is None:
            self.window.status.showMessage("Nothing to undo in this shift.", 5000)
            return
        if last.kind == "flag":
            self.window.status.showMessage("A flagged clip was removed from this PC; it cannot be reopened.", 8000)
            return
        try:
            self.service.store.add_label(self.state.shift_id, last.clip_id, "retract", shown_at=last.shown_at,
                                         kind="retract", retracts=last.id, next_clip=last.clip_id,
                                         timings={"watched_s": 0.0, "replays": 0, "active_s": 0.0})
        except WorkstationError as exc:
            self.window.status.showMessage(exc.full_text(), 15000)
            return
        self.state.decided.pop(last.clip_id, None)
        self.window.status.set_progress(self.state.done, self.state.total)
        if self.sync is not None:
            self.sync.kick()
        index = self.state.index_of(last.clip_id)
        if index is not None:
            self.show_clip(index)

    def _last_decision(self) -> LabelRecord | None:
        standing = {r.id for r in self.state.decided.values()}
        for record in reversed(self.service.store.labels(self.state.shift_id)):
            if record.id in standing:
                return record
        return None

    def edit_comment(self) -> None:
        if self.index is None:
            return
        dialog = CommentDialog(self.comment or "", self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.comment = dialog.text() or None
            clip = self.state.clips[self.index]
            self.window.set_clip(clip.clip_id[:8], self.index + 1, self.state.total, comment=bool(self.comment))

    def withdrawn_listener(self) -> Callable[[list[str]], None]:
        """For the sync thread: clips the hub disposed of (handled on the UI thread)."""
        emit: Callable[[list[str]], None] = self._bridge.withdrawn.emit
        return emit

    def withdraw(self, clip_ids: list[str]) -> None:
        """Clips a supervisor disposed of leave this shift: gone from this PC, the current one closes at once."""
        if self._closed:
            return
        try:
            self.service.withdraw(clip_ids)
        except (WorkstationError, OSError) as exc:
            log.warning("a withdrawn clip could not be removed: %s", exc)
        gone = set(clip_ids) & {c.clip_id for c in self.state.clips}
        if not gone:
            return
        current = self._clip_id()
        old_index = self.index
        self.state.clips[:] = [c for c in self.state.clips if c.clip_id not in gone]
        for clip_id in gone:
            self.state.decided.pop(clip_id, None)
        self.prefetcher.discard_except(set())
        self.window.status.set_progress(self.state.done, self.state.total)
        if current is not None and current in gone:
            self.token += 1
            self.playback.unload()
            if self.audio is not None:
                self.audio.load(None)
            nxt = self.state.next_undecided((old_index or 0) - 1) if self.state.clips else None
            if nxt is None:
                self._complete()
            else:
                self.show_clip(nxt)
            self.window.show_banner("A supervisor withdrew the clip you were on; it is gone from this PC.")
        elif current is not None:
            self.index = self.state.index_of(current)
            if self.index is not None:
                clip = self.state.clips[self.index]
                self.window.set_clip(clip.clip_id[:8], self.index + 1, self.state.total, comment=bool(self.comment))
                for clip_id in self._upcoming(self.index, PREFETCH_AHEAD):
                    self.prefetcher.prepare(clip_id)

    def _advance(self) -> None:
        assert self.index is not None
        nxt = self.state.next_undecided(self.index)
        if nxt is None:
            self._complete()
        else:
            self.show_clip(nxt)
