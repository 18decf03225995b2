"""Clip sound in the shift window: starts with the clip, follows pause, speed, mute; silent clips say so."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.media.formats import make_clip_with_audio
from tests.ui.test_audio_out import FakeSink
from workstation.session.localshift import build_local_shift
from workstation.ui.audio_out import AudioOutput
from workstation.ui.controller import ShiftController
from workstation.ui.main_window import MainWindow
from workstation.ui.watermark import Watermark


def test_sound_follows_the_clip(qtbot, tmp_path: Path, small_clips: list[Path]) -> None:  # type: ignore[no-untyped-def]
    sounded = make_clip_with_audio(tmp_path / "tone.mp4", seconds=2, fps=15, width=320, height=240)
    shift = build_local_shift(tmp_path / "ws", [sounded, small_clips[0]])
    window = MainWindow(shift.state.taxonomy, Watermark("ana", "seat"), "ana", "memory")
    qtbot.addWidget(window)
    sink = FakeSink()
    audio = AudioOutput(window, sink_factory=lambda parent: (sink, ""))
    service = shift.service
    clips = {c.clip_id: c for c in shift.state.clips}
    controller = ShiftController(window, service, shift.state, None, shift.open_source, audio=audio,
                                 audio_reader=lambda cid: (lambda: service.open_reader(shift.state.shift_id, clips[cid])))
    window.show()
    controller.start()
    try:
        qtbot.waitUntil(lambda: audio.playing, timeout=10_000)
        assert controller._has_sound
        qtbot.keyClick(window, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: not audio.playing, timeout=5_000)
        qtbot.keyClick(window, Qt.Key.Key_BracketRight)
        assert audio.rate == controller.playback.rate == 1.5
        qtbot.keyClick(window, Qt.Key.Key_M)
        assert audio.muted and "muted" in window.status.currentMessage().lower()
        qtbot.keyClick(window, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: audio.playing, timeout=5_000)
        qtbot.keyClick(window, Qt.Key.Key_1)  # next clip has no sound track
        qtbot.waitUntil(lambda: not controller._has_sound and not audio.playing, timeout=5_000)
        qtbot.keyClick(window, Qt.Key.Key_Equal)
        assert "no sound" in window.status.currentMessage().lower()
    finally:
        controller.close()
        shift.store.close()
