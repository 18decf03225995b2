"""Wires one shift: label store, sync, playback and prefetch on one side, the window on the other."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Qt, Signal
from PySide6.QtGui import QGuiApplication

from workstation.errors import WorkstationError
from workstation.labeling.shift import ShiftService, ShiftState
from workstation.labeling.store import utc_now
from workstation.labeling.timings import ClipTimer
from workstation.media.decode import FrameSource
from workstation.media.playback import FramePacket, Playback, Prefetcher
from workstation.sync.outbox import OutboxSync, SyncStatus
from workstation.ui.main_window import MainWindow

log = logging.getLogger(__name__)

PREFETCH_AHEAD = 2


class _Bridge(QObject):
    """Carries worker-thread callbacks to the UI thread as queued signals."""

    frame = Signal(object)
    state = Signal(str)
    sync = Signal(object)


class ShiftController(QObject):
    sig_shift_complete = Signal()
    """Every clip of the shift has a label."""

    def __init__(self, window: MainWindow, service: ShiftService, state: ShiftState,
                 sync: OutboxSync | None, open_source: Callable[[str], FrameSource]) -> None:
        super().__init__(window)
        self.window = window
        self.service = service
        self.state = state
        self.sync = sync
        self.taxonomy = state.taxonomy
        self._bridge = _Bridge()
        self._bridge.frame.connect(self._on_frame)
        self._bridge.state.connect(window.set_play_state)
        self._bridge.sync.connect(window.status.set_sync)
        self.playback = Playback(self._bridge.frame.emit, self._bridge.state.emit)
        self.prefetcher = Prefetcher(open_source)
        self.index: int | None = None
        self.token = 0
        self.shown_at = ""
        self.timer = ClipTimer()
        self.skipped: set[str] = set()
        self._unplayable = False
        self._closed = False
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        window.sig_label.connect(self.label_key)
        window.sig_toggle_play.connect(self.toggle_play)
        window.sig_skip.connect(self.skip)
        window.sig_closing.connect(self.close)
        window.video.sig_resized.connect(self._on_resized)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_app_state)
        self._on_resized(*window.video.device_size())
        if sync is not None:
            sync.set_listener(self._bridge.sync.emit)  # the worker reports on its own thread
            window.status.set_sync(SyncStatus(None, service.store.pending_count()))

    # -- navigation --------------------------------------------------------------------------------
    def start(self) -> None:
        self.window.status.set_progress(self.state.done, self.state.total)
        first = self._next_index(-1)
        if first is None:
            self._complete()
        else:
            self.show_clip(first)

    def _next_index(self, after: int) -> int | None:
        n = len(self.state.clips)
        for step in range(1, n + 1):
            i = (after + step) % n
            clip_id = self.state.clips[i].clip_id
            if clip_id not in self.state.labeled and clip_id not in self.skipped:
                return i
        return None

    def _upcoming(self, after: int, count: int) -> list[str]:
        out: list[str] = []
        i = after
        for _ in range(len(self.state.clips)):
            nxt = self._next_index(i)
            if nxt is None or nxt == after or self.state.clips[nxt].clip_id in out:
                break
            out.append(self.state.clips[nxt].clip_id)
            if len(out) == count:
                break
            i = nxt
        return out

    def show_clip(self, index: int) -> None:
        clip = self.state.clips[index]
        self.index = index
        self.token += 1
        self.timer = ClipTimer()
        self.timer.set_active(self._app_active())
        self.window.set_clip(clip.clip_id[:8], index + 1, self.state.total)
        self.window.video.watermark.clip_short = clip.clip_id[:8]
        try:
            prepared = self.prefetcher.take(clip.clip_id)
        except WorkstationError as exc:
            self._show_unplayable(exc.full_text())
        except Exception as exc:  # decoder or I/O failure: say it, keep the shift going
            log.warning("clip %s cannot be opened: %s", clip.clip_id[:8], type(exc).__name__)
            self._show_unplayable(f"The clip could not be opened ({type(exc).__name__}).")
        else:
            self._unplayable = False
            self.window.labels.set_enabled_labels(True)
            self.window.video.set_frame(self.token, prepared.first.index, prepared.scaled)
            self.window.set_position(prepared.first.pts_s, prepared.source.info.duration_s)
            self.timer.note_frame(prepared.first.pts_s)
            self.playback.load(self.token, prepared.source, prepared.first, autoplay=True)
            self.window.set_play_state("playing")
        self.shown_at = utc_now()
        upcoming = self._upcoming(index, PREFETCH_AHEAD)
        for clip_id in upcoming:
            self.prefetcher.prepare(clip_id)
        self.prefetcher.discard_except(set(upcoming))

    def _show_unplayable(self, text: str) -> None:
        self._unplayable = True
        self.playback.pause()
        self.window.labels.set_enabled_labels(False)
        self.window.video.show_message(f"This clip cannot be played.\n\n{text}\n\nPress S to skip it.")
        self.window.set_play_state("")

    # -- intents -----------------------------------------------------------------------------------
    def label_key(self, key: str) -> None:
        if self.index is None or self._unplayable or self._closed:
            return
        label = self.taxonomy.by_key(key)
        if label is None:
            return
        clip = self.state.clips[self.index]
        try:
            self.service.store.add_label(self.state.shift_id, clip.clip_id, label.code,
                                         shown_at=self.shown_at, timings=self.timer.result())
        except WorkstationError as exc:
            self.window.status.showMessage(exc.full_text(), 15000)
            return
        self.state.labeled[clip.clip_id] = label.code
        self.window.status.set_progress(self.state.done, self.state.total)
        if self.sync is not None:
            self.sync.kick()
        self._advance()

    def skip(self) -> None:
        if self.index is None or not self._unplayable:
            return
        self.skipped.add(self.state.clips[self.index].clip_id)
        self._advance()

    def _advance(self) -> None:
        assert self.index is not None
        nxt = self._next_index(self.index)
        if nxt is None:
            self._complete()
        else:
            self.show_clip(nxt)

    def toggle_play(self) -> None:
        if self.index is None or self._unplayable:
            return
        self.playback.toggle()

    # -- events from workers -----------------------------------------------------------------------
    def _on_frame(self, packet: FramePacket) -> None:
        if packet.token != self.token or self._closed:
            return
        self.window.video.set_frame(packet.token, packet.index, packet.image)
        self.window.set_position(packet.pts_s, packet.duration_s)
        self.timer.note_frame(packet.pts_s)

    def _on_resized(self, width: int, height: int) -> None:
        self.playback.set_target_size(width, height)
        self.prefetcher.set_target_size(width, height)

    def _app_active(self) -> bool:
        return QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive

    def _on_app_state(self, state: Qt.ApplicationState) -> None:
        self.timer.set_active(state == Qt.ApplicationState.ApplicationActive)

    def _tick(self) -> None:
        self.window.status.tick()

    def _complete(self) -> None:
        self.index = None
        self.playback.pause()
        self.window.labels.set_enabled_labels(False)
        counts: dict[str, int] = {}
        for code in self.state.labeled.values():
            counts[code] = counts.get(code, 0) + 1
        lines = [f"{(self.taxonomy.by_code(c).name if self.taxonomy.by_code(c) else c)}: {n}"
                 for c, n in sorted(counts.items(), key=lambda kv: -kv[1])]
        pending = self.service.store.pending_count()
        sync_line = "All labels have reached the hub." if pending == 0 else \
            f"{pending} label(s) are saved here and will reach the hub when it answers."
        skipped = f"\nSkipped (unplayable): {len(self.skipped)}" if self.skipped else ""
        self.window.video.show_message(
            f"Shift complete — {self.state.done} of {self.state.total} clips labeled.\n\n"
            + "\n".join(lines) + skipped + f"\n\n{sync_line}")
        self.window.set_clip("", self.state.done, self.state.total)
        self.window.clip_title.setText("Shift complete")
        if not self.skipped:
            try:
                self.service.end(self.state.shift_id)
            except WorkstationError as exc:
                self.window.status.showMessage(exc.full_text(), 15000)
        self.sig_shift_complete.emit()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._clock.stop()
        self.playback.shutdown()
        self.prefetcher.shutdown()
