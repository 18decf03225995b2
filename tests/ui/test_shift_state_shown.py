"""What the shift window tells about the shift: a live summary, an active-time clock that survives a restart,
a question before closing mid-shift, and a position bar that seeks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt

from tests.ui.conftest import Rig
from workstation.session.outbox import SyncStatus
from workstation.ui.phase import ClipPhase


def test_the_summary_follows_the_sync(make_shift: Callable[..., Any], open_rig: Callable[..., Rig],
                                      small_clips: list[Path]) -> None:
    rig = open_rig(make_shift(small_clips[:2]))
    for _ in range(2):
        rig.wait_painted()
        rig.decide(Qt.Key.Key_1)
    assert rig.controller.phase is ClipPhase.COMPLETE
    rig.controller._bridge.sync.emit(SyncStatus(False, 2))
    rig.wait(lambda: "2 decisions are saved here" in rig.window.video.message_text())
    rig.controller._bridge.sync.emit(SyncStatus(True, 0))
    rig.wait(lambda: "All decisions have reached the hub." in rig.window.video.message_text())
    assert rig.window.status.pending.text() == "all synced"


def test_the_shift_clock_counts_active_time_and_goes_on_after_a_restart(
        make_shift: Callable[..., Any], open_rig: Callable[..., Rig], small_clips: list[Path]) -> None:
    shift = make_shift(small_clips[:3])
    rig = open_rig(shift)
    rig.wait_painted()
    rig.wait(lambda: rig.controller.timer.active_s > 0.6)  # the clip plays: active time
    rig.decide(Qt.Key.Key_1)
    kept = shift.store.shift_clock_s(shift.state.shift_id)
    assert kept > 0.6  # written with the decision
    rig.controller.close()  # the window goes (a crash or a restart)
    again = open_rig(shift)
    again.wait_painted()
    assert again.controller.shift_clock_s() >= kept
    again.controller._tick()
    seconds = int(kept)
    assert again.window.status.clock.text() >= f"Shift 0:00:{seconds:02d}"


def test_closing_mid_shift_asks_once(rig: Rig) -> None:
    rig.window.confirm_close = rig.controller.close_question  # as the app wires it
    asked: list[str] = []

    def keep(box: Any) -> None:
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == "Keep working").click()

    modal = rig.answer_modal(keep)
    rig.window.close()
    assert modal.titles == ["Close the shift?"] and "4 clips are left in this shift" in asked[0]
    assert rig.window.isVisible() and rig.controller.phase is not ClipPhase.SHUT

    modal = rig.answer_modal(lambda box: next(b for b in box.buttons() if b.text() == "Close").click())
    rig.window.close()
    assert modal.titles == ["Close the shift?"]
    assert not rig.window.isVisible() and rig.controller.phase is ClipPhase.SHUT


def test_a_click_on_the_position_bar_seeks(make_shift: Callable[..., Any], open_rig: Callable[..., Rig],
                                           long_clip: Path) -> None:
    rig = open_rig(make_shift([long_clip]))
    rig.wait_painted()
    rig.pause()
    bar = rig.window.position_bar
    assert bar.height() >= 12  # tall enough to see and to hit
    shown = rig.playback.stats.shown
    rig.qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(bar.width() * 3 // 4, bar.height() // 2))
    rig.wait(lambda: rig.playback.stats.shown > shown)
    rig.settle()
    assert 60 <= rig.window.video.frame_index <= 75  # 3/4 of 90 frames, paused where it landed
