"""The shift window driven with the keyboard, on a real encrypted local shift."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from workstation.session.localshift import build_local_shift
from workstation.ui.controller import ShiftController
from workstation.ui.main_window import MainWindow
from workstation.ui.watermark import Watermark


@pytest.fixture
def shift_window(qtbot, tmp_path: Path, small_clips: list[Path]):  # type: ignore[no-untyped-def]
    shift = build_local_shift(tmp_path / "ws", small_clips[:4])
    window = MainWindow(shift.state.taxonomy, Watermark("ana", "seat-7"), "ana @ seat-7", "memory")
    qtbot.addWidget(window)
    controller = ShiftController(window, shift.service, shift.state, None, shift.open_source)
    window.show()
    controller.start()
    yield shift, window, controller
    controller.close()
    shift.store.close()


def _wait_painted(qtbot, window: MainWindow, token: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.video.token == token and window.video._image is not None, timeout=10_000)


def test_label_three_clips_with_keyboard(qtbot, shift_window) -> None:  # type: ignore[no-untyped-def]
    shift, window, controller = shift_window
    _wait_painted(qtbot, window, controller.token)
    assert window.status.progress.text() == "0 / 4"
    qtbot.waitUntil(lambda: window.video.frame_index >= 17, timeout=10_000)  # over a second watched
    seen = [shift.state.clips[controller.index].clip_id]
    for key, expected in ((Qt.Key.Key_1, "person"), (Qt.Key.Key_5, "lighting"), (Qt.Key.Key_9, "camera_fault")):
        before = controller.token
        qtbot.keyClick(window, key)
        _wait_painted(qtbot, window, before + 1)
        seen.append(shift.state.clips[controller.index].clip_id)
        assert shift.store.labels(shift.state.shift_id)[-1].label == expected
    labels = shift.store.labels(shift.state.shift_id)
    assert [lab.clip_id for lab in labels] == seen[:3]
    assert len(set(seen)) == 4
    assert window.status.progress.text() == "3 / 4"
    assert shift.store.pending_count() == 3
    assert window.clip_title.text().startswith("Clip 4 of 4")
    assert labels[0].timings["watched_s"] >= 2.0  # seconds 0 and 1 were played
    assert labels[1].timings["watched_s"] <= 1.0  # decided at once: nothing (or one second) played


def test_frames_advance_and_space_pauses(qtbot, shift_window) -> None:  # type: ignore[no-untyped-def]
    _shift, window, controller = shift_window
    _wait_painted(qtbot, window, controller.token)
    qtbot.waitUntil(lambda: window.video.frame_index >= 3, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not controller.playback.playing, timeout=2_000)
    qtbot.wait(300)
    frozen = window.video.frame_index
    qtbot.wait(400)
    assert window.video.frame_index == frozen
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.video.frame_index > frozen, timeout=5_000)


def test_unknown_keys_do_nothing(qtbot, shift_window) -> None:  # type: ignore[no-untyped-def]
    shift, window, controller = shift_window
    _wait_painted(qtbot, window, controller.token)
    for key in (Qt.Key.Key_0, Qt.Key.Key_A, Qt.Key.Key_Q):
        qtbot.keyClick(window, key)
    assert shift.store.labels(shift.state.shift_id) == []


def test_shift_complete_summary_and_shred(qtbot, tmp_path: Path, small_clips: list[Path]) -> None:  # type: ignore[no-untyped-def]
    shift = build_local_shift(tmp_path / "ws", small_clips[:2])
    window = MainWindow(shift.state.taxonomy, Watermark("ana", "seat-7"), "ana", "memory")
    qtbot.addWidget(window)
    controller = ShiftController(window, shift.service, shift.state, None, shift.open_source)
    window.show()
    controller.start()
    try:
        for key in (Qt.Key.Key_2, Qt.Key.Key_2):
            token = controller.token
            _wait_painted(qtbot, window, token)
            qtbot.keyClick(window, key)
        assert controller.index is None
        assert "Shift complete" in window.video._message
        assert "Vehicle: 2" in window.video._message
        assert not (shift.cache.root / shift.state.shift_id).exists()
        assert shift.keystore.get(f"shift-{shift.state.shift_id}") is None
        assert len(shift.store.labels(shift.state.shift_id)) == 2
    finally:
        controller.close()
        shift.store.close()


def test_tampered_clip_is_explained_and_skippable(qtbot, tmp_path: Path, small_clips: list[Path]) -> None:  # type: ignore[no-untyped-def]
    shift = build_local_shift(tmp_path / "ws", small_clips[:2])
    first = shift.state.clips[0]
    path = shift.cache.path_for(shift.state.shift_id, first.clip_id)
    data = bytearray(path.read_bytes())
    data[200] ^= 0x01  # one flipped bit inside the first chunk
    path.write_bytes(bytes(data))
    window = MainWindow(shift.state.taxonomy, Watermark("ana", "seat-7"), "ana", "memory")
    qtbot.addWidget(window)
    controller = ShiftController(window, shift.service, shift.state, None, shift.open_source)
    window.show()
    controller.start()
    try:
        qtbot.waitUntil(lambda: "cannot be played" in window.video._message, timeout=10_000)
        assert "altered" in window.video._message
        assert not window.labels.buttons["1"].isEnabled()
        qtbot.keyClick(window, Qt.Key.Key_1)  # labels are refused on an unplayable clip
        assert shift.store.labels(shift.state.shift_id) == []
        qtbot.keyClick(window, Qt.Key.Key_S)
        _wait_painted(qtbot, window, controller.token)
        assert shift.state.clips[controller.index].clip_id != first.clip_id
        assert window.labels.buttons["1"].isEnabled()
    finally:
        controller.close()
        shift.store.close()


def test_watermark_names_annotator_seat_time_and_clip(qtbot, shift_window) -> None:  # type: ignore[no-untyped-def]
    shift, window, controller = shift_window
    _wait_painted(qtbot, window, controller.token)
    text = window.video.watermark.text()
    clip_short = shift.state.clips[controller.index].clip_id[:8]
    assert text.startswith("ana · seat-7 · ")
    assert text.endswith(f"Z · {clip_short}")
    assert window.video.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


def test_a_held_label_key_decides_one_clip(qtbot, shift_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    shift, window, controller = shift_window
    _wait_painted(qtbot, window, controller.token)
    for repeat in (False, True, True, True):
        QApplication.sendEvent(window, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier,
                                                 "1", repeat))
    assert len(shift.store.labels(shift.state.shift_id)) == 1


def test_a_clip_not_ready_never_blocks_the_window(qtbot, tmp_path: Path, small_clips: list[Path]) -> None:  # type: ignore[no-untyped-def]
    """The first clip opens slowly: the window says so, answers at once, and refuses labels until it shows."""
    shift = build_local_shift(tmp_path / "ws", small_clips[:2])
    gate = threading.Event()

    def slow_open(clip_id: str):  # type: ignore[no-untyped-def]
        gate.wait(10)
        return shift.open_source(clip_id)

    window = MainWindow(shift.state.taxonomy, Watermark("ana", "seat-7"), "ana", "memory")
    qtbot.addWidget(window)
    controller = ShiftController(window, shift.service, shift.state, None, slow_open)
    window.show()
    started = time.monotonic()
    controller.start()
    try:
        assert time.monotonic() - started < 5  # start() did not wait for the clip
        assert window.video._message == "Opening the clip…"
        assert not window.labels.buttons["1"].isEnabled()
        qtbot.keyClick(window, Qt.Key.Key_1)
        qtbot.keyClick(window, Qt.Key.Key_Space)
        assert shift.store.labels(shift.state.shift_id) == []
        gate.set()
        _wait_painted(qtbot, window, controller.token)
        assert window.labels.buttons["1"].isEnabled()
        qtbot.waitUntil(lambda: controller.playback.playing, timeout=5_000)
        qtbot.keyClick(window, Qt.Key.Key_1)
        assert [r.label for r in shift.store.labels(shift.state.shift_id)] == ["person"]
    finally:
        gate.set()
        controller.close()
        shift.store.close()


def test_a_clip_withdrawn_by_a_supervisor_leaves_the_shift(open_rig, make_shift, small_clips: list[Path]) -> None:  # type: ignore[no-untyped-def]
    shift = make_shift(small_clips[:4])
    rig = open_rig(shift)
    rig.wait_painted()
    clips = [c.clip_id for c in shift.state.clips]
    current = clips[rig.controller.index]
    later = next(c for c in clips if c != current)
    rig.controller.withdraw([later])  # a clip still ahead: the shift shrinks, the current clip plays on
    assert rig.progress() == "0 / 3" and rig.controller._clip_id() == current
    assert not shift.cache.path_for(shift.state.shift_id, later).exists()
    token = rig.controller.token
    rig.controller.withdrawn_listener()([current])  # from the sync thread's side: queued to the UI thread
    rig.wait(lambda: rig.controller.token > token)
    rig.wait_painted()
    assert rig.controller._clip_id() not in (current, later) and rig.progress() == "0 / 2"
    assert "withdrawn from the floor" in rig.window.banner.text()
    for _ in range(2):
        rig.decide(Qt.Key.Key_1)
    assert rig.controller.index is None and "2 of 2 clips decided" in rig.window.video._message
