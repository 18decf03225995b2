"""Every key of the shift window, pressed on the real window + controller over a real encrypted shift:
playback keys (Space, arrows, Shift+arrows, [ ], R) and deciding keys (1–9, Ctrl+Z, S, F, C).

Night view, reveal, help, remapping, resume and damaged clips: see test_keys_view.py.
"""

from __future__ import annotations

import itertools
import re
import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt

from workstation.media.playback import RATES, FramePacket

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
FPS = 15  # every test clip is 15 fps, constant rate: frame i shows at i / 15 s

_CLOCK = re.compile(r"(\d+):(\d+)\.(\d+) / \d+:\d+\s+frame (\d+) / (\d+)")


def shown(window) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """(time, frame index) as the clip_time label shows them."""
    m = _CLOCK.match(window.clip_time.text())
    assert m, window.clip_time.text()
    return int(m[1]) * 60 + int(m[2]) + int(m[3]) / 100, int(m[4]) - 1


def assert_label_matches_frame(rig) -> None:  # type: ignore[no-untyped-def]
    t, index = shown(rig.window)
    assert index == rig.window.video.frame_index
    assert abs(t - index / FPS) <= 0.011, (t, index)  # the label shows hundredths, cut not rounded


# -- playback ------------------------------------------------------------------------------------------

def test_space_pauses_and_resumes(rig) -> None:  # type: ignore[no-untyped-def]
    rig.wait(lambda: rig.window.video.frame_index >= 2)
    rig.press(Qt.Key.Key_Space)
    assert not rig.playback.playing
    rig.wait(lambda: rig.window.play_state.text().startswith("❚❚ paused"))
    rig.settle()
    frozen, painted = rig.window.video.frame_index, rig.playback.stats.shown
    rig.qtbot.wait(600)  # many frame intervals: nothing more is decoded nor shown
    assert (rig.window.video.frame_index, rig.playback.stats.shown) == (frozen, painted)
    rig.press(Qt.Key.Key_Space)
    assert rig.playback.playing
    rig.wait(lambda: rig.window.video.frame_index > frozen)
    rig.wait(lambda: rig.window.play_state.text().startswith("▶ playing"))


def test_arrows_step_one_frame_and_back_to_the_same_pixels(rig) -> None:  # type: ignore[no-untyped-def]
    rig.wait(lambda: rig.window.video.frame_index >= 4)
    rig.pause()
    start, pixels = rig.window.video.frame_index, rig.frame()
    assert_label_matches_frame(rig)

    assert rig.step(Qt.Key.Key_Right) == start + 1
    assert not rig.playback.playing
    assert_label_matches_frame(rig)
    assert not np.array_equal(rig.frame(), pixels)  # the walker moved
    assert rig.step(Qt.Key.Key_Left) == start
    assert_label_matches_frame(rig)
    assert np.array_equal(rig.frame(), pixels)

    assert rig.step(Qt.Key.Key_Left) == start - 1
    assert_label_matches_frame(rig)
    assert rig.step(Qt.Key.Key_Right) == start
    assert np.array_equal(rig.frame(), pixels)


def test_left_at_the_first_frame_stays_there(rig) -> None:  # type: ignore[no-untyped-def]
    rig.wait(lambda: rig.window.video.frame_index >= 2)
    rig.pause()
    index = rig.window.video.frame_index
    while index > 0:
        assert rig.step(Qt.Key.Key_Left) == index - 1
        index -= 1
    first = rig.frame()
    assert rig.step(Qt.Key.Key_Left) == 0
    assert rig.window.clip_time.text().startswith("00:00.00 / 00:02")
    assert shown(rig.window)[1] == 0
    assert np.array_equal(rig.frame(), first)


def test_shift_arrows_jump_two_seconds(make_shift, open_rig, long_clip: Path,  # type: ignore[no-untyped-def]
                                       small_clips: list[Path]) -> None:
    rig = open_rig(make_shift([long_clip, small_clips[0]]))
    rig.wait_painted()
    painted = [rig.window.video.frame_index]
    rig.controller._bridge.frame.connect(lambda packet: painted.append(packet.index))
    rig.press(Qt.Key.Key_Right, SHIFT)  # while playing: it jumps and keeps playing
    assert rig.playback.playing
    rig.wait(lambda: any(b - a >= 2 * FPS - 1 for a, b in itertools.pairwise(painted)))
    rig.pause()
    while rig.window.video.frame_index > 20:
        rig.step(Qt.Key.Key_Left, SHIFT)
    start = rig.window.video.frame_index
    assert start <= 20

    assert rig.step(Qt.Key.Key_Right, SHIFT) == start + 30
    assert not rig.playback.playing  # a jump keeps the pause
    assert_label_matches_frame(rig)
    assert rig.step(Qt.Key.Key_Right, SHIFT) == start + 60
    assert_label_matches_frame(rig)
    assert rig.step(Qt.Key.Key_Right, SHIFT) == 89  # the last frame of 90: clamped
    assert rig.window.clip_time.text().endswith("frame 90 / 90")
    # jumps count in time: past the end the clock stands at the clip's end (6 s), so back 2 s is 4 s, frame 60
    assert rig.step(Qt.Key.Key_Left, SHIFT) == 60
    assert rig.window.clip_time.text().startswith("00:04.00 / 00:06")
    assert_label_matches_frame(rig)
    assert rig.step(Qt.Key.Key_Left, SHIFT) == 30
    assert rig.step(Qt.Key.Key_Left, SHIFT) == 0  # clamped at the start
    assert rig.window.clip_time.text().startswith("00:00.00 / 00:06")


def test_two_quick_jumps_add_up(make_shift, open_rig, long_clip: Path,  # type: ignore[no-untyped-def]
                                small_clips: list[Path]) -> None:
    rig = open_rig(make_shift([long_clip, small_clips[0]]))
    rig.wait_painted()
    rig.pause()
    rig.press(Qt.Key.Key_Left, SHIFT)
    rig.wait(lambda: rig.window.video.frame_index == 0)
    rig.settle()
    shown_before = rig.playback.stats.shown
    with rig.playback._cond:  # the decoding thread is busy: both presses arrive before it looks
        rig.press(Qt.Key.Key_Right, SHIFT)
        rig.press(Qt.Key.Key_Right, SHIFT)
    rig.wait(lambda: rig.playback.stats.shown > shown_before)
    rig.settle()
    assert rig.window.video.frame_index == 60


def test_arrow_right_after_a_label_steps_from_the_new_clips_start(rig) -> None:  # type: ignore[no-untyped-def]
    rig.wait(lambda: rig.window.video.frame_index >= 8)
    rig.pause()
    token = rig.controller.token
    with rig.playback._cond:  # the decoding thread is busy with the old clip for a moment
        rig.press(Qt.Key.Key_1)
        rig.press(Qt.Key.Key_Right)
    rig.wait(lambda: rig.window.video.token == token + 1 and rig.window.video.frame_index > 0)
    rig.settle()
    assert rig.window.video.frame_index == 1


def test_brackets_change_the_rate_by_steps_and_clamp(make_shift, open_rig, long_clip: Path,  # type: ignore[no-untyped-def]
                                                     small_clips: list[Path]) -> None:
    rig = open_rig(make_shift([long_clip, small_clips[0]]))
    rig.wait_painted()
    assert rig.playback.rate == 1.0
    rig.press(Qt.Key.Key_BracketRight)
    assert rig.playback.rate == 1.5
    assert rig.window.play_state.text() == "▶ playing  1.5×"
    rig.pause()
    rig.wait(lambda: rig.window.play_state.text() == "❚❚ paused  1.5×")

    up = []
    for _ in range(5):
        rig.press(Qt.Key.Key_BracketRight)
        up.append(rig.playback.rate)
    assert up == [2.0, 3.0, 4.0, 4.0, 4.0]
    assert rig.window.play_state.text() == "❚❚ paused  4×"
    down = []
    for _ in range(9):
        rig.press(Qt.Key.Key_BracketLeft)
        down.append(rig.playback.rate)
        if rig.playback.rate == 1.0:
            assert rig.window.play_state.text() == "❚❚ paused"
    assert down == [3.0, 2.0, 1.5, 1.0, 0.75, 0.5, 0.5, 0.5, 0.5]
    assert set(up + down) <= set(RATES)
    assert rig.window.play_state.text() == "❚❚ paused  0.5×"
    rig.press(Qt.Key.Key_Space)
    rig.wait(lambda: rig.window.play_state.text() == "▶ playing  0.5×")


def test_r_replays_from_the_start_and_counts_replays(rig) -> None:  # type: ignore[no-untyped-def]
    rig.wait(lambda: "end of clip" in rig.window.play_state.text())
    last = rig.window.video.frame_index
    assert last > 20  # at the end (29, unless the last frames were dropped on a busy machine)
    rig.press(Qt.Key.Key_R)
    assert rig.playback.playing
    rig.wait(lambda: rig.window.video.frame_index < last)
    rig.wait(lambda: rig.window.play_state.text().startswith("▶ playing"))
    rig.wait(lambda: rig.window.video.frame_index >= 3)  # plays on from the start
    rig.press(Qt.Key.Key_R)
    clip = rig.current().clip_id
    rig.decide(Qt.Key.Key_1)
    record = rig.labels()[-1]
    assert record.clip_id == clip
    assert record.timings["replays"] == 2
    assert record.timings["watched_s"] == 2.0  # seconds 0 and 1, each counted once


# -- decisions -----------------------------------------------------------------------------------------

def test_keys_1_to_9_store_their_label_and_advance(make_shift, open_rig,  # type: ignore[no-untyped-def]
                                                   small_clips: list[Path]) -> None:
    rig = open_rig(make_shift(small_clips + small_clips[:4]))  # ten clips
    rig.wait_painted()
    taxonomy = rig.shift.state.taxonomy
    decided = []
    for digit in range(1, 10):
        decided.append(rig.current().clip_id)
        rig.decide(getattr(Qt.Key, f"Key_{digit}"))
        assert rig.progress() == f"{digit} / 10"
    labels = rig.labels()
    assert [r.label for r in labels] == [taxonomy.by_key(str(d)).code for d in range(1, 10)]
    assert [r.clip_id for r in labels] == decided
    assert {r.kind for r in labels} == {"label"}
    assert len(set(decided)) == 9
    assert rig.window.clip_title.text().startswith("Clip 10 of 10")


def test_ctrl_z_undoes_the_last_decision_and_returns_to_its_clip(rig) -> None:  # type: ignore[no-untyped-def]
    first = rig.current().clip_id
    rig.decide(Qt.Key.Key_1)
    assert rig.current().clip_id != first
    assert rig.progress() == "1 / 4"
    label = rig.labels()[-1]

    token = rig.controller.token
    rig.press(Qt.Key.Key_Z, CTRL)
    rig.wait_painted(token + 1)
    assert rig.current().clip_id == first
    retract = rig.labels()[-1]
    assert (retract.kind, retract.retracts, retract.clip_id) == ("retract", label.id, first)
    assert rig.progress() == "0 / 4"
    assert rig.shift.store.decisions(rig.sid) == {}
    assert rig.shift.store.position(rig.sid) == first

    rig.decide(Qt.Key.Key_2)  # labeling again works
    assert rig.shift.store.decisions(rig.sid)[first].label == "vehicle"
    assert rig.progress() == "1 / 4"
    assert len(rig.labels()) == 3


def test_ctrl_z_with_nothing_to_undo_says_so(rig) -> None:  # type: ignore[no-untyped-def]
    clip = rig.current().clip_id
    rig.press(Qt.Key.Key_Z, CTRL)
    assert rig.window.status.currentMessage() == "Nothing to undo in this shift."
    assert rig.labels() == [] and rig.current().clip_id == clip


def test_ctrl_z_after_the_last_clip_keeps_the_shift_consistent(make_shift, open_rig,  # type: ignore[no-untyped-def]
                                                               small_clips: list[Path]) -> None:
    rig = open_rig(make_shift(small_clips[:2]))
    rig.wait_painted()
    rig.decide(Qt.Key.Key_1)
    rig.decide(Qt.Key.Key_2)
    assert rig.controller.index is None and rig.window.clip_title.text() == "Shift complete"
    rig.press(Qt.Key.Key_Z, CTRL)
    retracted = [r for r in rig.labels() if r.kind == "retract"]
    # either the undo is refused (the shift is over), or the clip comes back playable
    if retracted:
        rig.wait(lambda: rig.window.video._image is not None or "cannot be played" in rig.window.video._message)
        assert rig.window.video._image is not None, rig.window.video._message
    else:
        assert rig.window.status.currentMessage()


def test_s_skips_with_the_reason_picked_by_number(rig) -> None:  # type: ignore[no-untyped-def]
    clip = rig.current().clip_id
    modal = rig.answer_modal(lambda dialog: rig.qtbot.keyClick(dialog, Qt.Key.Key_2))
    rig.decide(Qt.Key.Key_S)
    assert modal.titles == ["Skip this clip"]
    record = rig.labels()[-1]
    assert (record.kind, record.label, record.reason, record.clip_id) == ("skip", "skip", "unclear", clip)
    assert rig.current().clip_id != clip
    assert rig.progress() == "1 / 4"


def test_esc_in_the_skip_dialog_stores_nothing(rig) -> None:  # type: ignore[no-untyped-def]
    clip, token = rig.current().clip_id, rig.controller.token
    modal = rig.answer_modal(lambda dialog: rig.qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    rig.press(Qt.Key.Key_S)
    assert modal.titles == ["Skip this clip"]
    assert rig.labels() == []
    assert (rig.current().clip_id, rig.controller.token, rig.progress()) == (clip, token, "0 / 4")


def test_f_blanks_at_once_then_disposes_of_the_clip(rig) -> None:  # type: ignore[no-untyped-def]
    clip = rig.current().clip_id
    blob = rig.shift.cache.path_for(rig.sid, clip)
    assert blob.exists()
    during: dict[str, object] = {}

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        during.update(image=rig.window.video._image, message=rig.window.video._message,
                      playing=rig.playback.playing)
        rig.qtbot.keyClick(dialog, Qt.Key.Key_1)

    modal = rig.answer_modal(answer)
    rig.decide(Qt.Key.Key_F)
    assert modal.titles == ["Flag sensitive — dispose"]
    assert during["image"] is None and "This clip is closed" in str(during["message"])
    assert during["playing"] is False
    record = rig.labels()[-1]
    assert (record.kind, record.label, record.reason, record.clip_id) == ("flag", "sensitive", "nudity", clip)
    assert not blob.exists()
    assert next(c for c in rig.shift.store.clips(rig.sid) if c.clip_id == clip).sealed_key is None
    assert rig.current().clip_id != clip
    assert rig.progress() == "1 / 4"

    events, now_on = len(rig.labels()), rig.current().clip_id
    rig.press(Qt.Key.Key_Z, CTRL)  # a flagged clip is gone: no undo
    assert "cannot be reopened" in rig.window.status.currentMessage()
    assert len(rig.labels()) == events and rig.current().clip_id == now_on and rig.progress() == "1 / 4"


def test_esc_in_the_flag_dialog_restores_the_clip(rig) -> None:  # type: ignore[no-untyped-def]
    clip, token = rig.current().clip_id, rig.controller.token
    during: dict[str, object] = {}

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        during.update(image=rig.window.video._image)
        rig.qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    modal = rig.answer_modal(answer)
    rig.press(Qt.Key.Key_F)
    assert modal.titles == ["Flag sensitive — dispose"] and during["image"] is None
    rig.wait(lambda: rig.window.video._image is not None)  # the picture comes back
    assert rig.playback.playing  # it was playing before F
    assert rig.labels() == []
    assert (rig.current().clip_id, rig.controller.token) == (clip, token)
    assert rig.shift.cache.path_for(rig.sid, clip).exists()
    assert next(c for c in rig.shift.store.clips(rig.sid) if c.clip_id == clip).sealed_key is not None


def test_a_frame_in_flight_does_not_reappear_behind_the_flag_dialog(rig) -> None:  # type: ignore[no-untyped-def]
    delivered: list[int] = []
    rig.controller._bridge.frame.connect(lambda p: delivered.append(p.index))  # after the controller's slot
    packet = FramePacket(rig.controller.token, 7, 7 / FPS, 2.0, rig.frame(), 30)
    sender = threading.Thread(target=rig.controller._bridge.frame.emit, args=(packet,))
    sender.start()  # as the playback thread does: queued to the UI thread
    sender.join()
    during: dict[str, object] = {}

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        during.update(image=rig.window.video._image, message=rig.window.video._message)
        rig.qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    rig.answer_modal(answer, when=lambda: 7 in delivered)
    rig.press(Qt.Key.Key_F)
    assert during["image"] is None and "This clip is closed" in str(during["message"])


def test_c_comment_is_stored_with_the_next_decision_and_shown(rig) -> None:  # type: ignore[no-untyped-def]
    clip = rig.current().clip_id
    assert "comment" not in rig.window.clip_title.text()

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        rig.qtbot.keyClicks(dialog.edit, "dog behind the fence ")
        rig.qtbot.keyClick(dialog.edit, Qt.Key.Key_Return, CTRL)  # typed where the cursor is

    modal = rig.answer_modal(answer)
    rig.press(Qt.Key.Key_C)
    assert modal.titles == ["Comment on this clip"]
    assert rig.window.clip_title.text().endswith("✎ comment")
    assert rig.labels() == []  # a comment alone is not a decision

    rig.decide(Qt.Key.Key_3)
    record = rig.labels()[-1]
    assert (record.clip_id, record.label, record.comment) == (clip, "animal", "dog behind the fence")
    assert "comment" not in rig.window.clip_title.text()  # the next clip starts without one
    rig.decide(Qt.Key.Key_4)
    assert rig.labels()[-1].comment is None
