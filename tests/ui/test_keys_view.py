"""Keys of the shift window, continued: night view (and mouse zoom/pan), hold-to-reveal, the `?` overlay,
remapping, resuming after a crash, and a clip damaged in the middle. Fixtures: tests/ui/conftest.py."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeySequence, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QPushButton

from workstation.labeling.keymap import ACTIONS, KeyMap
from workstation.labeling.shift import ShiftService
from workstation.labeling.store import LocalStore
from workstation.media.enhance import Enhancement
from workstation.session.localshift import LocalShift
from workstation.ui.phase import ClipPhase
from workstation.vault.cache import ClipCache
from workstation.vault.container import CT_CHUNK_SIZE, HEADER_SIZE

SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier


def detail(image: np.ndarray) -> float:
    """Variance of the difference between neighbouring pixels: high for a sharp picture, low when blurred."""
    grey = image.astype(np.float32).mean(axis=2)
    return float(np.var(np.diff(grey, axis=1)))


def keycaps(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [label.text() for label in window.help.findChildren(QLabel)
            if label.objectName() == "keycap" and label.isVisibleTo(window.help)]


# -- night view ----------------------------------------------------------------------------------------

NIGHT_KEYS: list[tuple[Qt.Key, Qt.KeyboardModifier, dict[str, object]]] = [  # key, mods, enhancement after it
    (Qt.Key.Key_B, NONE, {"brightness": 10}),
    (Qt.Key.Key_B, NONE, {"brightness": 20}),
    (Qt.Key.Key_B, SHIFT, {"brightness": 10}),
    (Qt.Key.Key_K, NONE, {"contrast": 1.1}),
    (Qt.Key.Key_K, SHIFT, {"contrast": 1.0}),
    (Qt.Key.Key_K, SHIFT, {"contrast": 0.91}),
    (Qt.Key.Key_G, NONE, {"gamma": 0.91}),
    (Qt.Key.Key_G, SHIFT, {"gamma": 1.0}),
    (Qt.Key.Key_G, SHIFT, {"gamma": 1.1}),
    (Qt.Key.Key_H, NONE, {"clahe": True}),
    (Qt.Key.Key_Z, NONE, {"zoom": 1.25}),
    (Qt.Key.Key_Z, NONE, {"zoom": 1.5625}),
    (Qt.Key.Key_Z, SHIFT, {"zoom": 1.25}),
]


def test_night_view_keys_change_the_view_carry_over_and_reset(rig) -> None:  # type: ignore[no-untyped-def]
    rig.wait(lambda: rig.window.video.frame_index >= 2)
    rig.pause()
    plain = rig.frame()
    expected: dict[str, object] = {}
    for key, mods, change in NIGHT_KEYS:
        rig.press(key, mods)
        expected.update(change)
        assert rig.controller.enhancement == Enhancement(**expected), (key, mods)  # type: ignore[arg-type]
    info = "bright +10 · contrast 0.91 · γ 1.1 · CLAHE · zoom 1.25×"
    assert rig.window.view_info.text() == info
    rig.wait(lambda: rig.frame().shape == plain.shape and not np.array_equal(rig.frame(), plain))  # redrawn

    rig.decide(Qt.Key.Key_1)  # the view carries to the next clip
    assert rig.controller.enhancement == Enhancement(**expected)  # type: ignore[arg-type]
    assert rig.window.view_info.text() == info
    rig.press(Qt.Key.Key_0)
    assert rig.controller.enhancement == Enhancement()
    assert rig.window.view_info.text() == ""


def test_brighter_key_brightens_the_picture(rig) -> None:  # type: ignore[no-untyped-def]
    rig.pause()
    before = rig.frame().mean()
    for _ in range(3):
        rig.press(Qt.Key.Key_B)
    assert rig.window.view_info.text() == "bright +30"
    rig.wait(lambda: rig.frame().mean() > before + 10)  # +30 on every pixel that is not already white


def test_mouse_wheel_zooms_and_drag_pans(rig) -> None:  # type: ignore[no-untyped-def]
    rig.pause()
    video = rig.window.video
    centre = video.picture_rect().center()

    def wheel(at: QPointF, notches: int) -> None:
        QApplication.sendEvent(video, QWheelEvent(at, video.mapToGlobal(at), QPoint(), QPoint(0, 120 * notches),
                                                  Qt.MouseButton.NoButton, NONE, Qt.ScrollPhase.NoScrollPhase,
                                                  False))

    def mouse(kind: QEvent.Type, at: QPointF) -> None:
        button = Qt.MouseButton.LeftButton
        buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
        QApplication.sendEvent(video, QMouseEvent(kind, at, video.mapToGlobal(at), button, buttons, NONE))

    wheel(centre, 1)
    assert rig.controller.enhancement.zoom == pytest.approx(1.25)
    assert (rig.controller.enhancement.pan_x, rig.controller.enhancement.pan_y) == (0.0, 0.0)
    assert rig.window.view_info.text() == "zoom 1.25×"
    wheel(centre, 1)
    assert rig.controller.enhancement.zoom == pytest.approx(1.5625)

    mouse(QEvent.Type.MouseButtonPress, centre)
    mouse(QEvent.Type.MouseMove, centre - QPointF(80, 0))  # drag the picture left: see further right
    mouse(QEvent.Type.MouseButtonRelease, centre - QPointF(80, 0))
    assert rig.controller.enhancement.pan_x > 0
    assert rig.controller.enhancement.pan_y == 0.0
    panned = rig.controller.enhancement
    mouse(QEvent.Type.MouseMove, centre)  # no button held: no pan
    assert rig.controller.enhancement == panned

    wheel(centre, -2)
    assert rig.controller.enhancement.zoom == 1.0
    assert rig.window.view_info.text() == ""


# -- hold to reveal ------------------------------------------------------------------------------------

def test_holding_v_reveals_a_blurred_clip(make_shift, open_rig, small_clips: list[Path]) -> None:  # type: ignore[no-untyped-def]
    rig = open_rig(make_shift(small_clips[:2]), blur=True)
    rig.wait_painted()
    assert detail(rig.frame()) < 1  # even the first frame comes blurred (sharp: about 8)
    rig.wait(lambda: rig.window.video.frame_index >= 2)
    rig.pause()
    blurred = rig.frame()

    rig.qtbot.keyPress(rig.window, Qt.Key.Key_V)
    assert rig.controller.revealing
    rig.wait(lambda: not np.array_equal(rig.frame(), blurred))
    sharp = rig.frame()
    assert detail(sharp) > 4 * detail(blurred)

    rig.qtbot.keyRelease(rig.window, Qt.Key.Key_V)
    assert not rig.controller.revealing
    rig.wait(lambda: np.array_equal(rig.frame(), blurred))
    assert "hold V to reveal" in rig.window.view_info.text()
    rig.decide(Qt.Key.Key_1)  # the next clip opens blurred too
    assert detail(rig.frame()) < 1


def test_a_blurred_clip_says_how_to_reveal_it(make_shift, open_rig, small_clips: list[Path]) -> None:  # type: ignore[no-untyped-def]
    rig = open_rig(make_shift(small_clips[:2]), blur=True)
    rig.wait_painted()
    assert "to reveal" in rig.window.view_info.text()
    rig.window.set_keymap(KeyMap({"reveal": "X"}))
    rig.press(Qt.Key.Key_B)
    assert "hold X to reveal" in rig.window.view_info.text()


# -- the ? overlay -------------------------------------------------------------------------------------

def test_question_mark_lists_every_key_and_any_key_closes_it(rig) -> None:  # type: ignore[no-untyped-def]
    rig.press(Qt.Key.Key_Question, SHIFT)  # as typed on a US keyboard
    assert rig.window.help.isVisible()
    caps = keycaps(rig.window)
    for action in ACTIONS:
        assert rig.window.keymap.key(action.name) in caps, action.name
    assert {str(d) for d in range(1, 10)} <= set(caps)
    rig.press(Qt.Key.Key_A)
    assert not rig.window.help.isVisible()

    rig.press(Qt.Key.Key_Question)
    assert rig.window.help.isVisible()
    clip = rig.current().clip_id
    rig.press(Qt.Key.Key_1)  # closes the overlay; does not label
    assert not rig.window.help.isVisible()
    assert rig.labels() == [] and rig.current().clip_id == clip and rig.progress() == "0 / 4"


def test_the_overlay_lists_the_new_keys_after_a_remap(rig) -> None:  # type: ignore[no-untyped-def]
    rig.press(Qt.Key.Key_Question)
    rig.press(Qt.Key.Key_Escape)
    rig.window.set_keymap(KeyMap({"play_pause": "P"}))
    rig.qtbot.wait(50)  # let deleteLater run
    rig.press(Qt.Key.Key_Question)
    caps = keycaps(rig.window)
    assert "P" in caps
    assert "Space" not in caps
    assert len(caps) == len(ACTIONS) + 9


# -- remapping -----------------------------------------------------------------------------------------

def test_a_remapped_key_triggers_its_action_and_the_old_one_does_not(rig) -> None:  # type: ignore[no-untyped-def]
    rig.window.set_keymap(KeyMap({"play_pause": "P", "skip": "Q"}))
    assert rig.playback.playing
    rig.press(Qt.Key.Key_Space)
    assert rig.playback.playing
    rig.press(Qt.Key.Key_P)
    assert not rig.playback.playing
    rig.press(Qt.Key.Key_P)
    assert rig.playback.playing

    modal = rig.answer_modal(lambda dialog: rig.qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    rig.press(Qt.Key.Key_Q)
    assert modal.titles == ["Skip this clip"]
    assert rig.labels() == []


def test_keymap_dialog_refuses_a_duplicate_and_accepts_a_swap(rig) -> None:  # type: ignore[no-untyped-def]
    saved: list[KeyMap] = []
    rig.controller.sig_keymap_changed.connect(saved.append)
    during: dict[str, object] = {}

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        dialog.edits["skip"].setKeySequence(QKeySequence("F"))  # F is flag's
        save.click()
        during.update(error=dialog.error.text(), open=dialog.isVisible(), result=dialog.result_map)
        dialog.edits["flag"].setKeySequence(QKeySequence("S"))  # now a swap
        save.click()

    rig.press(Qt.Key.Key_Question)
    change = next(b for b in rig.window.help.findChildren(QPushButton) if b.text() == "Change keys…")
    modal = rig.answer_modal(answer)
    rig.qtbot.mouseClick(change, Qt.MouseButton.LeftButton)
    assert modal.titles == ["Keys"]
    assert "set for both “Skip with a reason” and “Flag sensitive — dispose”" in str(during["error"])
    assert during["open"] and during["result"] is None
    assert (rig.window.keymap.key("skip"), rig.window.keymap.key("flag")) == ("F", "S")
    assert len(saved) == 1 and saved[0].key("skip") == "F"
    assert not rig.window.help.isVisible()

    modal = rig.answer_modal(lambda dialog: rig.qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    rig.press(Qt.Key.Key_F)  # F skips now
    assert modal.titles == ["Skip this clip"]
    modal = rig.answer_modal(lambda dialog: rig.qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    rig.press(Qt.Key.Key_S)  # and S flags
    assert modal.titles == ["Flag sensitive — dispose"]
    assert rig.labels() == []


# -- resume after a crash ------------------------------------------------------------------------------

def _restart(shift: LocalShift) -> LocalShift | None:
    """A new process on the same folder and key store: store, cache and service anew, as resumed offline."""
    folder = shift.cache.root.parent
    store = LocalStore(folder / "workstation.sqlite")
    cache = ClipCache(folder / "cache")
    state = ShiftService(store, shift.keystore, cache).resumable()
    if state is None:
        store.close()
        return None
    return LocalShift(store, shift.keystore, cache, state)


def test_restart_after_a_crash_resumes_after_the_last_decision(make_shift, open_rig,  # type: ignore[no-untyped-def]
                                                               small_clips: list[Path]) -> None:
    shift = make_shift(small_clips[:4])
    first = open_rig(shift)
    first.wait_painted()
    first.decide(Qt.Key.Key_1)
    first.decide(Qt.Key.Key_2)
    third = shift.state.clips[2].clip_id
    assert first.current().clip_id == third
    first.close()  # the process ends here

    again = _restart(shift)
    assert again is not None
    rig = open_rig(again)
    rig.wait_painted()
    assert rig.current().clip_id == third
    assert rig.progress() == "2 / 4"
    assert rig.window.clip_title.text().startswith("Clip 3 of 4")
    rig.decide(Qt.Key.Key_3)
    assert [r.label for r in rig.labels()] == ["person", "vehicle", "animal"]
    assert rig.progress() == "3 / 4"


def test_restart_after_a_flag_resumes_too(make_shift, open_rig, small_clips: list[Path]) -> None:  # type: ignore[no-untyped-def]
    shift = make_shift(small_clips[:3])
    first = open_rig(shift)
    first.wait_painted()
    first.answer_modal(lambda dialog: first.qtbot.keyClick(dialog, Qt.Key.Key_1))
    first.decide(Qt.Key.Key_F)
    assert first.labels()[-1].kind == "flag"
    first.close()

    again = _restart(shift)
    assert again is not None, "the shift is not resumable after a flag"
    rig = open_rig(again)
    rig.wait_painted()
    assert rig.current().clip_id == shift.state.clips[1].clip_id and rig.progress() == "1 / 3"


# -- a clip damaged in the middle ----------------------------------------------------------------------

def _damage_middle_chunk(path: Path) -> int:
    data = bytearray(path.read_bytes())
    chunks = -(-(len(data) - HEADER_SIZE) // CT_CHUNK_SIZE)
    assert chunks >= 5, chunks
    middle = chunks // 2
    start = HEADER_SIZE + middle * CT_CHUNK_SIZE + 1000
    for i in range(start, start + 64):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    return middle


@pytest.fixture
def damaged(make_shift, open_rig, hd_clip: Path, small_clips: list[Path]):  # type: ignore[no-untyped-def]
    shift = make_shift([hd_clip, small_clips[0]])
    _damage_middle_chunk(shift.cache.path_for(shift.state.shift_id, shift.state.clips[0].clip_id))
    rig = open_rig(shift)
    rig.wait_painted()
    rig.wait(lambda: rig.window.banner.isVisible(), timeout=30_000)
    return rig


def test_a_clip_damaged_midway_plays_to_the_damage_then_offers_skip(damaged) -> None:  # type: ignore[no-untyped-def]
    rig = damaged
    text = rig.window.banner.text()
    m = re.search(r"cannot be played past (\d+\.\d) s", text)
    assert m, text
    stopped_at = float(m[1])
    assert 0.5 < stopped_at < 5.5  # the middle chunk: well after the start, well before the end
    assert rig.window.video.frame_index >= 8  # it played up to there
    assert "Press S to skip" in text
    assert rig.window.play_state.text() == f"stopped at {stopped_at:.1f} s"
    assert not rig.window.labels.buttons["1"].isEnabled()
    clip = rig.current().clip_id
    rig.press(Qt.Key.Key_1)  # no label on a clip that was not seen whole
    assert rig.labels() == []

    modal = rig.answer_modal(lambda dialog: dialog.reject())  # must not be needed
    rig.decide(Qt.Key.Key_S)
    modal.stop()
    assert modal.seen == []
    record = rig.labels()[-1]
    assert (record.kind, record.reason, record.clip_id) == ("skip", "unplayable", clip)
    assert rig.current().clip_id != clip
    assert rig.window.labels.buttons["1"].isEnabled()
    assert not rig.window.banner.isVisible()


def test_the_damage_banner_stays_while_the_clip_is_unplayable(damaged) -> None:  # type: ignore[no-untyped-def]
    rig = damaged
    rig.press(Qt.Key.Key_Space)
    assert rig.controller.phase is ClipPhase.UNPLAYABLE
    assert rig.window.banner.isVisible()
