"""Shared fixtures for the keyboard tests: a real window + controller on a real encrypted local shift."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from workstation.labeling.store import ClipRecord, LabelRecord
from workstation.session.localshift import LocalShift, build_local_shift
from workstation.ui.controller import ShiftController
from workstation.ui.main_window import MainWindow
from workstation.ui.watermark import Watermark

WAIT_MS = 15_000
"""Generous: the machine may be slow; nothing here measures speed."""

STUCK_MODAL_S = 30.0
"""A modal dialog nobody answers for this long is closed and the test fails (instead of hanging)."""


@pytest.fixture(autouse=True, scope="session")
def _english(qapp: QApplication) -> None:
    """The app speaks English as ``application()`` sets it up: with its English plural forms ("1 clip is left")."""
    from workstation.ui.i18n import install_language

    install_language(qapp, "en")


@pytest.fixture(autouse=True)
def _no_stuck_modal(qapp: QApplication) -> Iterator[None]:
    """A test that opens a modal dialog by mistake fails instead of hanging in ``dialog.exec()``."""
    stuck: list[str] = []
    since: dict[int, float] = {}

    def check() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            since.clear()
            return
        if time.monotonic() - since.setdefault(id(widget), time.monotonic()) > STUCK_MODAL_S:
            stuck.append(widget.windowTitle() or type(widget).__name__)
            since.clear()
            widget.reject() if isinstance(widget, QDialog) else widget.close()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(250)
    yield
    timer.stop()
    if stuck:
        pytest.fail(f"a modal dialog stayed open with nobody answering it: {stuck}")


@pytest.fixture(scope="session")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 6 s 320×240 15 fps clip (90 frames) for the ±2 s jumps."""
    from workstation.media.synth import make_clip

    return make_clip(tmp_path_factory.mktemp("long") / "walker6.mp4", scene="walker", seed=1,
                     width=320, height=240, fps=15, seconds=6)


@pytest.fixture(scope="session")
def hd_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 6 s 1280×720 clip: its container has several 64 KiB chunks, so one in the middle can be damaged."""
    from workstation.media.synth import make_clip

    return make_clip(tmp_path_factory.mktemp("hd") / "walker720.mp4", scene="walker", seed=1,
                     width=1280, height=720, fps=15, seconds=6)


@dataclass
class Modal:
    """Answers the next modal dialog from inside its ``exec()`` (see :meth:`Rig.answer_modal`)."""

    act: Callable[[QWidget], None]
    when: Callable[[], bool]
    seen: list[QWidget] = field(default_factory=list)
    stopped: bool = False

    def poll(self) -> None:
        if self.stopped:
            return
        widget = QApplication.activeModalWidget()
        if widget is None or not self.when():
            QTimer.singleShot(10, self.poll)
            return
        self.stopped = True
        self.seen.append(widget)
        self.act(widget)

    def stop(self) -> None:
        self.stopped = True

    @property
    def titles(self) -> list[str]:
        return [w.windowTitle() for w in self.seen]


@dataclass
class Rig:
    qtbot: Any
    shift: LocalShift
    window: MainWindow
    controller: ShiftController

    @property
    def sid(self) -> str:
        return self.shift.state.shift_id

    @property
    def playback(self):  # type: ignore[no-untyped-def]
        return self.controller.playback

    def current(self) -> ClipRecord:
        assert self.controller.index is not None
        return self.shift.state.clips[self.controller.index]

    def labels(self) -> list[LabelRecord]:
        return self.shift.store.labels(self.sid)

    def progress(self) -> str:
        return self.window.status.progress.text()

    def frame(self) -> np.ndarray:
        """A copy of the pixels on screen."""
        array = self.window.video._array
        assert array is not None, "no frame is shown"
        return np.array(array, copy=True)

    def press(self, key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(self.window, key, mods)

    def wait(self, condition: Callable[[], object], timeout: int = WAIT_MS) -> None:
        self.qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)

    def wait_painted(self, token: int | None = None) -> None:
        """The clip with ``token`` (default: the current one) has a frame on screen."""
        want = self.controller.token if token is None else token
        self.wait(lambda: self.window.video.token == want and self.window.video._image is not None)

    def decide(self, key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        """Press a deciding key and wait for the next clip's first frame."""
        token = self.controller.token
        self.press(key, mods)
        self.wait(lambda: self.controller.token > token)
        if self.controller.index is not None:
            self.wait_painted()

    def settle(self) -> None:
        """While paused: wait until the frame on screen is the one playback stands on."""
        assert not self.playback.playing
        self.playback.redraw()  # delivers the current frame again, after any frame still in flight
        self.wait(lambda: self.window.video.frame_index == self.playback._last_index
                  and self.window.video.token == self.controller.token)
        self.qtbot.wait(50)  # let a redraw still queued land (it carries the same frame)

    def pause(self) -> None:
        if self.playback.playing:
            self.press(Qt.Key.Key_Space)
        assert not self.playback.playing
        self.settle()

    def step(self, key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> int:
        """Press a key that moves the picture while paused; wait for the new frame; return its index."""
        shown = self.playback.stats.shown
        self.press(key, mods)
        self.wait(lambda: self.playback.stats.shown > shown)
        self.settle()
        return self.window.video.frame_index

    def answer_modal(self, act: Callable[[QWidget], None], when: Callable[[], bool] = lambda: True) -> Modal:
        """Call ``act(dialog)`` once a modal dialog is open (and ``when()`` holds); schedule before the key."""
        modal = Modal(act, when)
        QTimer.singleShot(0, modal.poll)
        return modal

    def close(self) -> None:
        self.controller.close()
        self.shift.store.close()


@pytest.fixture
def make_shift(tmp_path: Path) -> Callable[..., LocalShift]:
    count = iter(range(1000))

    def make(clips: list[Path]) -> LocalShift:
        return build_local_shift(tmp_path / f"ws{next(count)}", clips)

    return make


@pytest.fixture
def open_rig(qtbot: Any) -> Iterator[Callable[..., Rig]]:
    """``open_rig(shift, blur=False, session_lock_for=None, **controller_options)``: window + controller on
    ``shift``, shown and started; ``session_lock_for(window)`` makes the controller's session-lock watch."""
    rigs: list[Rig] = []

    def open_(shift: LocalShift, *, blur: bool = False, session_lock_for: Callable[[MainWindow], Any] | None = None,
              **options: Any) -> Rig:
        window = MainWindow(shift.state.taxonomy, Watermark("ana", "seat-7"), "ana @ seat-7", "memory")
        qtbot.addWidget(window)
        if session_lock_for is not None:
            options["session_lock"] = session_lock_for(window)
        controller = ShiftController(window, shift.service, shift.state, None, shift.open_source,  # type: ignore[arg-type]
                                      blur=blur, **options)
        window.show()
        qtbot.waitExposed(window)
        controller.start()
        rig = Rig(qtbot, shift, window, controller)
        rigs.append(rig)
        return rig

    yield open_
    for rig in rigs:
        rig.close()


@pytest.fixture
def rig(make_shift: Callable[..., LocalShift], open_rig: Callable[..., Rig],
        small_clips: list[Path]) -> Rig:
    """Four 2 s clips, the first one on screen and playing."""
    r = open_rig(make_shift(small_clips[:4]))
    r.wait_painted()
    return r
