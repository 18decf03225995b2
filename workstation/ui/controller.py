"""Wires one shift: label store, sync, playback and prefetch on one side, the window on the other.

The deterrents (:class:`~workstation.ui.deterrents.ShiftGuard`) tell it when the picture must be hidden
(window not in front, minimised, session or idle lock): it pauses, the picture is covered, and on the
way back the frame shows again without playing on. Each step can be told to an ``audit`` callable.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog

from workstation.errors import WorkstationError
from workstation.labeling.shift import ShiftService, ShiftState
from workstation.labeling.store import utc_now
from workstation.labeling.timings import ClipTimer
from workstation.media.decode import FrameSource, Reader
from workstation.media.enhance import Enhancement, apply
from workstation.media.playback import RATES, FramePacket, Playback, Prefetcher
from workstation.session.decisions import ShiftDecisions
from workstation.session.gate import DecisionGate, EventClock
from workstation.session.outbox import OutboxOwner, SyncStatus
from workstation.session.password import LocalPassword
from workstation.ui.audio_out import AudioOutput
from workstation.ui.decisions import PREFETCH_AHEAD, Decisions
from workstation.ui.describe import describe
from workstation.ui.deterrents import ShiftGuard
from workstation.ui.domain_text import error_text
from workstation.ui.keyinput import KeyInput
from workstation.ui.main_window import MainWindow
from workstation.ui.phase import ClipPhase
from workstation.ui.session_lock import SessionLockWatch
from workstation.ui.summary import summary_text

log = logging.getLogger(__name__)
T = TypeVar("T")

PREFETCH_DELAY_MS = 150
AUDIT_FLUSH_MS = 300
"""Deferred audit events (clip shown/hidden, focus, lock) are written this long after the first of them,
well after the clip switch's first frame, unless a decision commits them sooner."""

Audit = Callable[[str, "str | None", dict[str, Any]], None]


"""``audit(kind, clip_id, data)``: one event of workstation.audit.KINDS for the current shift."""


class _Bridge(QObject):
    """Carries worker-thread callbacks to the UI thread as queued signals."""

    frame = Signal(object)
    state = Signal(str)
    sync = Signal(object)
    error = Signal(int, float, object)
    prepared = Signal(int, str)
    withdrawn = Signal(object)


class ShiftController(KeyInput, Decisions, QObject):
    sig_shift_complete = Signal()
    """Every clip of the shift has a decision."""
    sig_keymap_changed = Signal(object)
    """The annotator saved a new key map (a KeyMap)."""
    sig_sign_out = Signal()
    """The annotator chose "Sign out" on the lock screen: the app ends the session."""

    def __init__(self, window: MainWindow, service: ShiftService, state: ShiftState,
                 sync: OutboxOwner | None, open_source: Callable[[str], FrameSource], *,
                 blur: bool = False, break_minutes: int = 0, audio: AudioOutput | None = None,
                 audio_reader: Callable[[str], Callable[[], Reader]] | None = None,
                 audit: Audit | None = None, idle_lock_s: float = 0.0, password: LocalPassword | None = None,
                 session_lock: SessionLockWatch | None = None, user: str | None = None,
                 min_view_ms: float = 0.0) -> None:
        """``idle_lock_s``: lock after this many seconds without input (0: never); ``password``: the
        signed-in annotator's, which unlocks it; ``session_lock``: the OS session watch (default: one
        for this OS); ``user``: who is signed in (default: the shift's owner; another name may decide nothing);
        ``min_view_ms``: how long a clip shows before a label key counts (the machine policy's)."""
        super().__init__(window)
        self.window = window
        self.service = service
        self.state = state
        self.decisions = ShiftDecisions(service, state, user if user is not None else state.record.username)
        self.gate = DecisionGate(min_view_ms=min_view_ms)
        """Which key presses count: one press is one decision (see workstation.session.gate)."""
        self.event_clock = EventClock()
        self._resume_after_help = False
        self._clock_before = service.store.shift_clock_s(state.shift_id)
        """Active time of this shift before this window (carried over a restart)."""
        self._clock_done = 0.0
        """Active time on the clips this window has left."""
        self._duration_s = 0.0
        self.sync = sync
        self.taxonomy = state.taxonomy
        self.enhancement = Enhancement()
        self.blur_default = blur
        self.revealing = False
        self._bridge = _Bridge()
        self._bridge.frame.connect(self._on_frame)
        self._bridge.state.connect(self._on_play_state)
        self._bridge.sync.connect(self._on_sync)
        self._bridge.error.connect(self._on_playback_error)
        self._bridge.prepared.connect(self._on_prepared)
        self._bridge.withdrawn.connect(self.withdraw)
        self.playback = Playback(self._bridge.frame.emit, self._bridge.state.emit, transform=self._transform,
                                 on_error=self._bridge.error.emit)
        self.prefetcher = Prefetcher(open_source)
        self.audio = audio
        self._audio_reader = audio_reader
        self._has_sound = False
        self._last_resync = 0.0
        if audio is not None:
            audio.sig_volume.connect(self._on_volume)
            audio.sig_error.connect(lambda exc: log.warning("clip sound stopped: %s", type(exc).__name__))
        self.index: int | None = None
        self.token = 0
        self.shown_at = ""
        self.comment: str | None = None
        self.timer = ClipTimer()
        self.phase = ClipPhase.OPENING
        self._audit_hook = audit
        self._shown_clip: str | None = None  # the clip whose "clip_shown" was told
        self._unseen_clip: str | None = None  # presented while covered: "clip_shown" waits for the cover to go
        self._covered = False
        self._play_on_return = False  # a clip that opened while covered starts when the picture shows
        self.guard = ShiftGuard(window, idle_lock_s=idle_lock_s, password=password, session=session_lock,
                                audit=lambda kind, data: self._audit(kind, self._clip_id(), data))
        self.guard.sig_cover_changed.connect(self._sync_cover)
        self.guard.sig_sign_out.connect(self.sig_sign_out)
        self._break_s = break_minutes * 60
        self._work_since = time.monotonic()
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._audit_flush = QTimer(self)  # deferred audit events are written off the clip switch
        self._audit_flush.setSingleShot(True)
        self._audit_flush.setInterval(AUDIT_FLUSH_MS)
        self._audit_flush.timeout.connect(self._flush_audit)
        window.sig_label.connect(self.on_label_click)
        window.sig_label_key.connect(self.on_label_key)
        window.sig_action.connect(self.on_action)
        window.sig_action_key.connect(self.on_action_key)
        window.sig_key_dismissed.connect(self.on_key_dismissed)
        window.sig_key_up.connect(self.on_key_up)
        window.sig_help_shown.connect(self._on_help_shown)
        window.position_bar.sig_seek.connect(self._seek_to_fraction)
        window.sig_reveal.connect(self.reveal)
        window.sig_zoom.connect(lambda f, ax, ay: self._view(self.enhancement.zoom_by(f, anchor=(ax, ay))))
        window.sig_pan.connect(lambda dx, dy: self._view(self.enhancement.pan_by(dx, dy)))
        window.sig_closing.connect(self.close)
        window.video.sig_resized.connect(self._on_resized)
        window.help.sig_edit_keys.connect(self.edit_keys)
        window.help.sig_about.connect(self.show_about)
        self._on_resized(*window.video.device_size())
        if sync is not None:
            sync.set_listener(self._bridge.sync.emit)  # the worker reports on its own thread
            window.status.set_sync(SyncStatus(None, service.store.pending_count()))
        self._actions: dict[str, Callable[[], None]] = {
            "play_pause": self.toggle_play,
            "frame_back": lambda: self._step(-1),
            "frame_forward": lambda: self._step(1),
            "jump_back": lambda: self._seek(-2.0),
            "jump_forward": lambda: self._seek(2.0),
            "slower": lambda: self._change_rate(-1),
            "faster": lambda: self._change_rate(1),
            "replay": self.replay,
            "undo": self.undo,
            "skip": self.skip,
            "flag": self.flag,
            "comment": self.edit_comment,
            "brighter": lambda: self._view(self.enhancement.brighter(10)),
            "darker": lambda: self._view(self.enhancement.brighter(-10)),
            "more_contrast": lambda: self._view(self.enhancement.contrast_by(1.1)),
            "less_contrast": lambda: self._view(self.enhancement.contrast_by(1 / 1.1)),
            "gamma_up": lambda: self._view(self.enhancement.gamma_by(1 / 1.1)),
            "gamma_down": lambda: self._view(self.enhancement.gamma_by(1.1)),
            "clahe": lambda: self._view(self.enhancement.toggle_clahe()),
            "zoom_in": lambda: self._view(self.enhancement.zoom_by(1.25)),
            "zoom_out": lambda: self._view(self.enhancement.zoom_by(0.8)),
            "reset_view": lambda: self._view(self.enhancement.reset()),
            "help": window.toggle_help,
            "volume_down": lambda: self._sound("down"),
            "volume_up": lambda: self._sound("up"),
            "mute": lambda: self._sound("mute"),
        }

    # -- navigation --------------------------------------------------------------------------------
    def start(self) -> None:
        """Open the clip the annotator was on (after a crash too), else the first undecided one."""
        self.guard.start()
        self._sync_cover()
        self.window.status.set_progress(self.state.done, self.state.total)
        position = self.service.store.position(self.state.shift_id)
        index = self.state.index_of(position) if position else None
        if index is None or self.state.clips[index].clip_id in self.state.decided:
            index = self.state.next_undecided(-1)
        if index is None:
            self._complete()
        else:
            self.show_clip(index)

    def _upcoming(self, after: int, count: int) -> list[str]:
        out: list[str] = []
        i = after
        for _ in range(len(self.state.clips)):
            nxt = self.state.next_undecided(i)
            if nxt is None or nxt == after or self.state.clips[nxt].clip_id in out:
                break
            out.append(self.state.clips[nxt].clip_id)
            if len(out) == count:
                break
            i = nxt
        return out

    def show_clip(self, index: int) -> None:
        self._leave_clip()
        clip = self.state.clips[index]
        self.index = index
        self.token += 1
        token = self.token
        self.phase = ClipPhase.OPENING
        self.clip_not_visible()
        self.window.labels.mark(None)
        self.comment = None
        self.window.show_banner("")
        self._show_view_info()
        self._clock_done += self.timer.active_s
        self.timer = ClipTimer(focused=not self.guard.covered)
        self.window.set_clip(clip.clip_id[:8], index + 1, self.state.total)
        self.window.video.watermark.clip_short = clip.clip_id[:8]
        self.shown_at = utc_now()
        future = self.prefetcher.prepare(clip.clip_id)
        upcoming = self._upcoming(index, PREFETCH_AHEAD)
        self.prefetcher.discard_except({clip.clip_id, *upcoming})
        if future.done():  # the usual case: prefetched while the previous clip played
            self._present(token, clip.clip_id)
        else:
            # not ready (the first clip, or back to an older clip after undo): never wait on the UI thread
            self.playback.unload()
            if self.audio is not None:
                self.audio.load(None)
            self.window.labels.set_enabled_labels(False)
            self.window.set_play_state("")
            self.window.clear_position()
            self.window.video.show_message(self.tr("Opening the clip…"))
            future.add_done_callback(lambda _f: self._bridge.prepared.emit(token, clip.clip_id))
        if upcoming:
            self.prefetcher.prepare(upcoming[0])
        # the clip after next starts a little later, so its decoding does not compete for the CPU with
        # this switch (2 cores: the UI thread must get one while the new clip starts)
        QTimer.singleShot(PREFETCH_DELAY_MS, lambda: self._prefetch_rest(token, upcoming[1:]))

    def _on_prepared(self, token: int, clip_id: str) -> None:
        if token == self.token and self.phase is ClipPhase.OPENING and self.index is not None:
            self._present(token, clip_id)

    def _present(self, token: int, clip_id: str) -> None:
        """Show a prepared clip's first frame and start it playing (or say why it cannot play)."""
        try:
            prepared = self.prefetcher.take(clip_id)
        except WorkstationError as exc:
            self._show_unplayable(error_text(exc))
        except Exception as exc:  # decoder or I/O failure: say it, keep the shift going  # noqa: BLE001 - handed on, not swallowed
            log.warning("clip %s cannot be opened: %s", clip_id[:8], type(exc).__name__)
            self._show_unplayable(self.tr("The clip could not be opened ({why}).").format(why=type(exc).__name__))
        else:
            self.phase = ClipPhase.SHOWING
            self.window.labels.set_enabled_labels(True)
            image = prepared.scaled if self._identity_view() else self._transform(prepared.first.image,
                                                                                  *self.window.video.device_size())
            self.window.video.set_frame(token, prepared.first.index, image)
            self.window.set_position(prepared.first.pts_s, prepared.source.info.duration_s, prepared.first.index,
                                     prepared.source.info.frame_count)
            self._duration_s = prepared.source.info.duration_s
            play = not self.guard.covered  # nobody can watch it now: it starts when the picture shows
            self.playback.load(token, prepared.source, prepared.first, autoplay=play)
            self._load_sound(clip_id, bool(getattr(prepared.source.info, "has_audio", False)),
                             prepared.first.pts_s, play=play)
            self.timer.set_playing(play)
            self.window.set_play_state("playing" if play else "paused", self.playback.rate)
            self._play_on_return = not play
            if play:
                self._clip_seen(clip_id)
            else:
                self._unseen_clip = clip_id

    def _prefetch_rest(self, token: int, clip_ids: list[str]) -> None:
        if token == self.token and self.phase is not ClipPhase.SHUT:
            for clip_id in clip_ids:
                self.prefetcher.prepare(clip_id)

    def _load_sound(self, clip_id: str, has_audio: bool, start_s: float, *, play: bool = True) -> None:
        self._has_sound = has_audio and self.audio is not None and self._audio_reader is not None
        if self.audio is None:
            return
        if self._has_sound and self._audio_reader is not None:
            self.audio.load(self._audio_reader(clip_id))
            if play:
                self.audio.play(start_s, self.playback.rate)
        else:
            self.audio.load(None)

    def _show_unplayable(self, text: str) -> None:
        self.phase = ClipPhase.UNPLAYABLE
        if self.audio is not None:
            self.audio.load(None)
        self.playback.unload()  # nothing of this clip plays; the clip before must not either
        self.timer.set_playing(False)
        self.window.labels.set_enabled_labels(False)
        self.window.clear_position()
        skip_key = self.window.keymap.key("skip")
        self.window.video.show_message(self.tr("This clip cannot be played.\n\n{why}\n\nPress {key} to skip it "
                                               "(reason: clip does not play).").format(why=text, key=skip_key))
        self.window.set_play_state("")

    def _playable(self) -> bool:
        """A clip is on screen and plays (not opening, not broken, shift not over, not hidden)."""
        return self.phase is ClipPhase.SHOWING and self.index is not None and not self._covered

    # -- playback and view -------------------------------------------------------------------------
    def on_action(self, name: str) -> None:
        self.timer.note_input()
        if self._covered:
            return
        if self.phase is not ClipPhase.UNPLAYABLE:
            self.window.show_banner("")
        handler = self._actions.get(name)
        if handler is not None:
            handler()

    def toggle_play(self) -> None:
        if not self._playable():
            return
        self.playback.toggle()

    def replay(self) -> None:
        if not self._playable():
            return
        self.timer.note_replay()
        self.playback.replay()
        if self._has_sound and self.audio is not None:
            self.audio.play(0.0, self.playback.rate)

    def _step(self, frames: int) -> None:
        if self._playable():
            self.playback.step(frames)

    def _seek(self, seconds: float) -> None:
        if self._playable():
            self.playback.seek_by(seconds)
            if self._has_sound and self.audio is not None:
                self.audio.seek(max(0.0, self.playback.position_s + seconds))

    def _change_rate(self, direction: int) -> None:
        rates = list(RATES)
        current = min(range(len(rates)), key=lambda i: abs(rates[i] - self.playback.rate))
        rate = rates[max(0, min(len(rates) - 1, current + direction))]
        self.playback.set_rate(rate)
        if self._has_sound and self.audio is not None:
            self.audio.set_rate(rate, at_pts_s=self.playback.position_s)
        self.window.set_play_state("playing" if self.playback.playing else "paused", rate)

    def _sound(self, what: str) -> None:
        if self.audio is None or not self.audio.available:
            reason = getattr(self.audio, "unavailable_reason", "") if self.audio is not None else ""
            self.window.status.showMessage(
                self.tr("No sound on this PC: {why}.").format(why=QCoreApplication.translate("AudioOutput", reason))
                if reason else self.tr("No sound on this PC."), 4000)
            return
        if what == "mute":
            self.audio.toggle_mute()
        else:
            self.audio.step_volume(0.1 if what == "up" else -0.1)
        if not self._has_sound:
            self.window.status.showMessage(self.tr("This clip has no sound."), 3000)

    def _on_volume(self, volume: float, muted: bool) -> None:
        self.window.status.showMessage(self.tr("Sound muted") if muted else
                                       self.tr("Volume {percent} %").format(percent=round(volume * 100)), 3000)

    def _blurred(self) -> bool:
        return self.blur_default and not self.revealing

    def _identity_view(self) -> bool:
        return self.enhancement.is_identity and not self._blurred()

    def _transform(self, image: np.ndarray, width: int, height: int) -> np.ndarray:
        return apply(image, self.enhancement, width, height, blur=self._blurred())

    def _view(self, enhancement: Enhancement) -> None:
        """A new view setting; it carries to the next clips until reset."""
        self.enhancement = enhancement
        self._show_view_info()
        self.playback.redraw()

    def _show_view_info(self) -> None:
        reveal = self.window.keymap.key("reveal")
        parts = [describe(self.enhancement),
                 self.tr("blurred — hold {key} to reveal").format(key=reveal) if self._blurred() else ""]
        self.window.set_view_info("  ·  ".join(p for p in parts if p))

    def reveal(self, down: bool) -> None:
        if not self.blur_default:
            return
        self.revealing = down
        self._view(self.enhancement)

    def edit_keys(self) -> None:
        from workstation.ui.keymap_dialog import KeymapDialog

        self.window.set_help(False)
        dialog = KeymapDialog(self.window.keymap, self.window)
        if self.paused_for(dialog.exec) == QDialog.DialogCode.Accepted and dialog.result_map is not None:
            self.window.set_keymap(dialog.result_map)
            self.sig_keymap_changed.emit(dialog.result_map)
            self._show_view_info()

    def show_about(self) -> None:
        """The About box (the app's version, the hub's), over a paused clip."""
        from workstation.ui.about import AboutDialog

        self.window.set_help(False)
        dialog = AboutDialog(self.window, self.window.hub_version)
        self.paused_for(dialog.exec)
        dialog.deleteLater()

    def paused_for(self, run: Callable[[], T]) -> T:
        """Run a dialog with the clip paused (nothing plays unwatched under it); it goes on afterwards."""
        was_playing = self.playback.playing
        if was_playing:
            self.playback.pause()
        try:
            return run()
        finally:
            if was_playing and self._playable() and not self.playback.playing:
                self.playback.play()

    def _on_help_shown(self, shown: bool) -> None:
        """The key help covers the clip: it pauses, and plays on when the help closes (if it played before)."""
        if shown:
            self._resume_after_help = self.playback.playing
            if self._resume_after_help:
                self.playback.pause()
        elif self._resume_after_help:
            self._resume_after_help = False
            if self._playable():
                self.playback.play()

    # -- events from workers -----------------------------------------------------------------------
    def _on_frame(self, packet: FramePacket) -> None:
        if packet.token != self.token or self.phase in (ClipPhase.SHUT, ClipPhase.CLOSED):
            return
        self.window.video.set_frame(packet.token, packet.index, packet.image)
        self.window.set_position(packet.pts_s, packet.duration_s, packet.index, packet.frame_count)
        self._duration_s = packet.duration_s
        if self.playback.playing:
            self.timer.note_frame(packet.pts_s)
            now = time.monotonic()
            if self._has_sound and self.audio is not None and now - self._last_resync > 0.5:
                self._last_resync = now
                self.audio.resync(packet.pts_s)  # the frame is due now: its time is the video clock

    def _on_playback_error(self, token: int, pts_s: float, exc: BaseException) -> None:
        if token != self.token or self.index is None or self.phase is not ClipPhase.SHOWING:
            return
        why = error_text(exc) if isinstance(exc, WorkstationError) else str(exc) or type(exc).__name__
        log.warning("clip %s stopped at %.2f s: %s", self.state.clips[self.index].clip_id[:8], pts_s,
                    type(exc).__name__)
        self.phase = ClipPhase.UNPLAYABLE
        self.timer.set_playing(False)
        self.window.labels.set_enabled_labels(False)
        skip_key = self.window.keymap.key("skip")
        self.window.set_play_state(self.tr("stopped at {seconds} s").format(seconds=f"{pts_s:.1f}"))
        self.window.show_banner(self.tr("This clip cannot be played past {seconds} s: {why}  Press {key} to skip it "
                                        "(reason: clip does not play).").format(seconds=f"{pts_s:.1f}", why=why,
                                                                                key=skip_key))

    def _on_play_state(self, state: str) -> None:
        if self.index is None or self.phase in (ClipPhase.OPENING, ClipPhase.SHUT):
            return  # a report from the clip before, still on its way
        self.timer.set_playing(state == "playing")
        if self._has_sound and self.audio is not None:
            if state == "playing":
                self.audio.play(self.playback.position_s, self.playback.rate)
            else:
                self.audio.pause()
        self.window.set_play_state(state, self.playback.rate)

    def _on_resized(self, width: int, height: int) -> None:
        self.playback.set_target_size(width, height)
        self.prefetcher.set_target_size(width, height)

    # -- deterrents and audit ----------------------------------------------------------------------
    def _sync_cover(self) -> None:
        """Hide the picture and pause, or show the frame again (without playing on), as the guard says."""
        covered = self.guard.covered
        if covered:
            self.window.video.cover(self.guard.cover_text(self.window.keymap.key("play_pause")))
        if covered == self._covered:
            return
        self._covered = covered
        self.timer.set_focused(not covered)  # time with the picture hidden is not active time
        if covered:
            self.clip_not_visible()
            if self.playback.playing:
                self.playback.pause()  # reports "paused": the sound pauses with it
            elif self.audio is not None:
                self.audio.pause()
            if self.revealing:  # a held reveal key does not outlast the picture
                self.revealing = False
                self.playback.redraw()
            return
        self.window.video.uncover()
        if self._unseen_clip is not None and self._unseen_clip == self._clip_id():
            self._clip_seen(self._unseen_clip)
        elif self.phase is ClipPhase.SHOWING:
            self.clip_visible()  # watched again from now: a press from before the cover does not count
        self._unseen_clip = None
        if self._play_on_return and self._playable():
            self.playback.play()  # a clip that opened while hidden was never seen: it starts now
        self._play_on_return = False

    def _clip_id(self) -> str | None:
        return self.state.clips[self.index].clip_id if self.index is not None else None

    def _audit(self, kind: str, clip_id: str | None, data: dict[str, Any]) -> None:
        if self._audit_hook is None:
            return
        try:
            self._audit_hook(kind, clip_id, data)
        except Exception as exc:  # the audit must not stop the shift; the failure is logged (no content)  # noqa: BLE001 - handed on, not swallowed
            log.warning("audit event %s was not recorded: %s", kind, type(exc).__name__)
        if self.phase is not ClipPhase.SHUT and not self._audit_flush.isActive():
            self._audit_flush.start()

    def _flush_audit(self) -> None:
        self.service.flush_audit()
        if self.sync is not None:
            self.sync.kick()  # the events go to the hub now, not at the next idle poll

    def _clip_seen(self, clip_id: str) -> None:
        self.clip_visible()
        self._shown_clip = clip_id
        self._audit("clip_shown", clip_id, {})

    def _leave_clip(self) -> None:
        """The annotator leaves the clip on screen: tell its timings."""
        self._unseen_clip = None
        self._play_on_return = False
        if self._shown_clip is not None:
            clip_id, self._shown_clip = self._shown_clip, None
            self._audit("clip_hidden", clip_id, self.timer.result())

    def shift_clock_s(self) -> float:
        """Active time of the whole shift: the clips' active time (focused and engaged), across restarts."""
        current = self.timer.active_s if self.phase is not ClipPhase.COMPLETE else 0.0
        return self._clock_before + self._clock_done + current

    def _tick(self) -> None:
        self.window.status.tick(self.shift_clock_s())
        if self._break_s and time.monotonic() - self._work_since >= self._break_s and self.index is not None:
            self._work_since = time.monotonic()
            self.playback.pause()
            minutes = self._break_s // 60
            self.window.show_banner(self.tr("You have worked %n minutes without a break. Stand up, look away from "
                                            "the screen for a few minutes. The clip is paused; any key goes on.", "",
                                            minutes), dismissable=True)

    def _complete(self) -> None:
        self._leave_clip()
        self._clock_done += self.timer.active_s
        self.timer = ClipTimer(focused=False)
        self.index = None
        self.phase = ClipPhase.COMPLETE
        self.clip_not_visible()
        self.token += 1
        self.playback.unload()
        if self.audio is not None:
            self.audio.load(None)
        self.prefetcher.discard_except(set())
        self.window.labels.set_enabled_labels(False)
        self.window.set_play_state("")
        self.window.clear_position()
        self.window.set_view_info("")
        self.window.video.show_message(self.summary_text())
        self.window.clip_title.setText(self.tr("Shift complete"))
        try:
            self.decisions.end()
        except WorkstationError as exc:
            self.window.status.showMessage(error_text(exc), 15000)
        self.sig_shift_complete.emit()

    def summary_text(self) -> str:
        pending = self.sync.status.pending if self.sync is not None and self.sync.status.online is not None \
            else self.service.store.pending_count()
        return summary_text(self.state, pending)

    def _on_sync(self, status: SyncStatus) -> None:
        """The outbox reported: the status bar, and a summary on screen, say the same."""
        self.window.status.set_sync(status)
        if self.phase is ClipPhase.COMPLETE:
            self.window.video.show_message(summary_text(self.state, status.pending))

    def close_question(self) -> str | None:
        """Closing the window mid-shift asks once; None: nothing to ask (the shift is complete)."""
        if self.phase in (ClipPhase.COMPLETE, ClipPhase.SHUT):
            return None
        left = self.state.total - self.state.done
        return self.tr("%n clips are left in this shift. Close anyway? Your decisions are kept, and the shift goes "
                       "on where you left it at your next sign-in.", "", left)

    def _seek_to_fraction(self, fraction: float) -> None:
        """A click or drag on the position bar."""
        if self._playable() and self._duration_s > 0:
            self.timer.note_input()
            self.playback.seek_to(fraction * self._duration_s)
            if self._has_sound and self.audio is not None:
                self.audio.seek(fraction * self._duration_s)

    def close(self) -> None:
        if self.phase is ClipPhase.SHUT:
            return
        self._leave_clip()
        try:
            self.service.store.set_shift_clock(self.state.shift_id, self.shift_clock_s())
        except WorkstationError as exc:
            log.warning("the shift clock was not kept: %s", exc)
        self.phase = ClipPhase.SHUT
        self._clock.stop()
        self._audit_flush.stop()
        self.service.flush_audit()
        if self.sync is not None:
            self.sync.set_listener(lambda status: None)  # this window's bridge goes with it
        self.guard.close()
        if self.audio is not None:
            self.audio.close()
        self.playback.shutdown()
        self.prefetcher.shutdown()
