"""The annotator's decisions on her shift: label, skip, flag, undo — and clips a supervisor withdrew. No Qt.

Each call checks that the shift is the signed-in annotator's and that the decision is possible, writes it
once (decision event + outbox row + resume point + audit event in one committed transaction, before the
next clip shows) and returns what changed; the window only renders the answer (STYLE.md #13).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from workstation.errors import WorkstationError
from workstation.labeling.shift import ShiftService, ShiftState
from workstation.labeling.store import LabelRecord

log = logging.getLogger(__name__)

NO_TIMINGS: dict[str, Any] = {"watched_s": 0.0, "replays": 0, "active_s": 0.0}


class NotAllowed(WorkstationError):
    """The decision cannot be made (another annotator's shift, nothing to undo, the shift is over…)."""


@dataclass(frozen=True)
class Decided:
    """A decision was committed; ``next_index`` is the clip to show now (None: every clip is decided)."""

    record: LabelRecord
    next_index: int | None
    done: int
    total: int
    note: str = ""
    """Something to tell the annotator besides (e.g. a flagged clip could not be removed from the disk)."""


@dataclass(frozen=True)
class Undone:
    """The last undoable decision was taken back; the annotator returns to its clip."""

    retract: LabelRecord
    taken_back: LabelRecord
    index: int
    done: int
    total: int
    note: str = ""


@dataclass(frozen=True)
class Withdrawn:
    """Clips a supervisor disposed of left the shift; where the annotator is now."""

    gone: frozenset[str]
    current_gone: bool
    index: int | None
    """The clip on screen now (after the list shrank); when ``current_gone``, the next one to show (None: done)."""
    done: int
    total: int


class ShiftDecisions:
    """Decisions on one shift, made by its own annotator (``user``)."""

    def __init__(self, service: ShiftService, state: ShiftState, user: str) -> None:
        if user != state.record.username:
            raise NotAllowed(f"This shift is {state.record.username}'s; {user} cannot decide on it.")
        self.service = service
        self.state = state
        self.user = user
        self.ended = False

    @property
    def shift_id(self) -> str:
        return self.state.shift_id

    def _check(self, index: int) -> str:
        if self.ended:
            raise NotAllowed("The shift is complete; nothing more can be decided on it.")
        if self.user != self.state.record.username:
            raise NotAllowed(f"This shift is {self.state.record.username}'s.")
        if not 0 <= index < len(self.state.clips):
            raise NotAllowed("That clip is not part of this shift.")
        return self.state.clips[index].clip_id

    def next_after(self, index: int) -> int | None:
        """The next undecided clip after ``index`` (wrapping), or None when every clip is decided."""
        nxt = self.state.next_undecided(index)
        if nxt is not None and nxt == index and self.state.clips[index].clip_id in self.state.decided:
            return None
        return nxt

    # -- decisions -----------------------------------------------------------------------------------
    def decide(self, index: int, kind: str, label: str, reason: str | None = None, *, shown_at: str,
               timings: dict[str, Any], comment: str | None = None, shift_clock_s: float | None = None) -> Decided:
        """Commit a ``label``/``skip``/``flag`` on clip ``index``; raises StoreError when it was not saved."""
        clip_id = self._check(index)
        if kind not in ("label", "skip", "flag"):
            raise NotAllowed(f"{kind!r} is not a decision.")
        nxt = self.state.next_undecided(index)
        if nxt is not None and self.state.clips[nxt].clip_id == clip_id:
            nxt = None
        next_clip = self.state.clips[nxt].clip_id if nxt is not None else None
        before = self.service.take_pending_audit(self.shift_id)  # one commit for them and the decision
        try:
            record = self.service.store.add_label(
                self.shift_id, clip_id, label, shown_at=shown_at, comment=comment, timings=timings, kind=kind,
                reason=reason, next_clip=next_clip, audit_before=before, shift_clock_s=shift_clock_s)
        except WorkstationError:
            self.service.return_pending_audit(self.shift_id, before)
            raise
        self.state.decided[clip_id] = record
        note = ""
        if kind == "flag":
            try:
                self.service.drop_clip(self.shift_id, clip_id)
            except (WorkstationError, OSError) as exc:
                log.warning("a flagged clip could not be removed: %s", exc)
                note = f"The flagged clip could not be removed from this PC ({exc}); tell IT."
        nxt = self.next_after(index)
        return Decided(record, nxt, self.state.done, self.state.total, note)

    def undo(self, *, shift_clock_s: float | None = None) -> Undone:
        """Take back the last decision that can be taken back and return to its clip.

        A flagged clip was removed from this PC and never comes back: undo passes over it to the
        decision before it."""
        if self.ended:
            raise NotAllowed("The shift is complete and its clips are gone from this PC; nothing can be undone now.")
        standing = {r.id for r in self.state.decided.values()}
        last: LabelRecord | None = None
        passed_flag = False
        for record in reversed(self.service.store.labels(self.shift_id)):
            if record.id not in standing:
                continue
            if record.kind == "flag":
                passed_flag = True
                continue
            last = record
            break
        if last is None:
            raise NotAllowed("A flagged clip was removed from this PC; it cannot be reopened." if passed_flag
                             else "Nothing to undo in this shift.")
        index = self.state.index_of(last.clip_id)
        if index is None:
            raise NotAllowed("That clip is no longer part of this shift.")
        retract = self.service.store.add_label(self.shift_id, last.clip_id, "retract", shown_at=last.shown_at,
                                               kind="retract", retracts=last.id, next_clip=last.clip_id,
                                               timings=dict(NO_TIMINGS), shift_clock_s=shift_clock_s)
        self.state.decided.pop(last.clip_id, None)
        note = "The flagged clip stays closed; the decision before it was undone." if passed_flag else ""
        return Undone(retract, last, index, self.state.done, self.state.total, note)

    def end(self) -> None:
        """Every clip decided: the shift is shredded here and marked ended (the hub closes it)."""
        self.ended = True
        self.service.end(self.shift_id)

    # -- withdrawn by a supervisor ---------------------------------------------------------------------
    def withdraw(self, clip_ids: list[str], current: int | None) -> Withdrawn:
        """Clips the hub disposed of: gone from this PC and from the shift; ``current``: the clip on screen."""
        try:
            self.service.withdraw(clip_ids)
        except (WorkstationError, OSError) as exc:
            log.warning("a withdrawn clip could not be removed: %s", exc)
        gone = frozenset(clip_ids) & {c.clip_id for c in self.state.clips}
        current_id = self.state.clips[current].clip_id if current is not None else None
        if not gone:
            return Withdrawn(gone, False, current, self.state.done, self.state.total)
        self.state.clips[:] = [c for c in self.state.clips if c.clip_id not in gone]
        for clip_id in gone:
            self.state.decided.pop(clip_id, None)
        if current_id is not None and current_id in gone:
            start = (current or 0) - 1
            nxt = self.state.next_undecided(start) if self.state.clips else None
            return Withdrawn(gone, True, nxt, self.state.done, self.state.total)
        index = self.state.index_of(current_id) if current_id is not None else None
        return Withdrawn(gone, False, index, self.state.done, self.state.total)
