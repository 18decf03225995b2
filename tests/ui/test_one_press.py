"""One press is one decision, in the real window: synthesized presses whose repeats are not flagged as repeats,
presses queued before a clip showed, the first moments of a clip, banners, reason dialogs — and a real held key
on a real X server while another process keeps a core busy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.conftest import Rig

ROOT = Path(__file__).resolve().parents[2]
SHIFT_EVENTS = 5000.0
"""The synthesized events' clock runs this far ahead of the app's monotonic clock (any offset works)."""


def _now_ms() -> float:
    return time.monotonic() * 1000.0 + SHIFT_EVENTS


def _send(widget: QWidget, kind: QEvent.Type, key: Qt.Key, text: str, ts: float, repeat: bool = False) -> None:
    event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text, repeat)
    event.setTimestamp(int(ts))
    QApplication.sendEvent(widget, event)


def _press(rig: Rig, key: Qt.Key, text: str, ts: float, repeat: bool = False) -> None:
    _send(rig.window, QEvent.Type.KeyPress, key, text, ts, repeat)


def _release(rig: Rig, key: Qt.Key, text: str, ts: float, repeat: bool = False) -> None:
    _send(rig.window, QEvent.Type.KeyRelease, key, text, ts, repeat)


@pytest.fixture
def slow_rig(make_shift: Callable[..., Any], open_rig: Callable[..., Rig], small_clips: list[Path]) -> Rig:
    """Four clips, min_view_ms = 300 as the policy's default, the first clip visible for a while."""
    rig = open_rig(make_shift(small_clips[:4]), min_view_ms=300)
    rig.wait_painted()
    _release(rig, Qt.Key.Key_Shift, "", _now_ms())  # earlier input (any key) has taught the app the event clock
    rig.qtbot.wait(350)
    return rig


def test_a_held_key_whose_repeats_are_not_flagged_decides_one_clip(slow_rig: Rig) -> None:
    rig = slow_rig
    ts = _now_ms()
    _press(rig, Qt.Key.Key_3, "3", ts)
    assert len(rig.labels()) == 1
    ts += 660  # X11: the repeat delay, then a release and a press with one timestamp, ~30 a second
    for _ in range(45):
        rig.qtbot.wait(33)  # the key stays down while clips switch and show
        ts = max(ts + 33, _now_ms())
        _release(rig, Qt.Key.Key_3, "3", ts)
        _press(rig, Qt.Key.Key_3, "3", ts)
    assert len(rig.labels()) == 1
    assert rig.progress() == "1 / 4"


def test_repeats_the_platform_flags_decide_nothing(slow_rig: Rig) -> None:
    rig = slow_rig
    ts = _now_ms()
    _press(rig, Qt.Key.Key_3, "3", ts)
    for _ in range(20):
        rig.qtbot.wait(33)
        ts = _now_ms()
        _release(rig, Qt.Key.Key_3, "3", ts, repeat=True)
        _press(rig, Qt.Key.Key_3, "3", ts, repeat=True)
    assert len(rig.labels()) == 1


def test_a_press_from_before_the_clip_showed_decides_nothing(slow_rig: Rig) -> None:
    rig = slow_rig
    _press(rig, Qt.Key.Key_3, "3", _now_ms() - 2000)  # stamped before the clip showed, delivered now (busy app)
    assert rig.labels() == []


def test_a_label_in_the_first_moments_of_a_clip_is_answered_calmly(slow_rig: Rig) -> None:
    rig = slow_rig
    first = rig.controller.token
    ts = _now_ms()
    _press(rig, Qt.Key.Key_3, "3", ts)
    _release(rig, Qt.Key.Key_3, "3", _now_ms())
    rig.wait(lambda: rig.controller.token != first)  # the decision moved on (a busy machine: not at once) …
    rig.wait_painted()  # … and the next clip is on screen
    rig.wait(lambda: rig.controller.gate.shown_at is not None)
    shown = rig.controller.gate.shown_at
    assert shown is not None
    ts = shown + SHIFT_EVENTS + 1  # stamped the moment the clip showed (delivered whenever the machine gets to it)
    _press(rig, Qt.Key.Key_4, "4", ts)
    assert len(rig.labels()) == 1
    assert rig.window.toast.isVisible() and "just started" in rig.window.toast.text()
    rig.qtbot.wait(50)
    _release(rig, Qt.Key.Key_4, "4", _now_ms())
    rig.qtbot.wait(350)
    _press(rig, Qt.Key.Key_4, "4", _now_ms())
    assert len(rig.labels()) == 2


def test_the_decision_is_confirmed_and_undo_shows_what_it_was(rig: Rig) -> None:
    rig.decide(Qt.Key.Key_1)
    first = rig.labels()[0]
    name = next(lab.name for lab in rig.shift.state.taxonomy.labels if lab.code == first.label)
    assert rig.window.toast.isVisible()
    assert rig.window.toast.text() == f"Clip 1 → {name} · Ctrl+Z undoes"
    token = rig.controller.token
    rig.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    rig.wait(lambda: rig.controller.token > token)
    assert rig.controller.index == 0
    assert rig.window.toast.text() == f"Back to clip 1 — it was “{name}”; choose again"
    marked = [k for k, b in rig.window.labels.buttons.items() if b.property("previous")]
    assert marked == ["1"]
    rig.wait_painted()
    rig.decide(Qt.Key.Key_2)
    assert not any(b.property("previous") for b in rig.window.labels.buttons.values())


def test_the_first_key_after_a_break_banner_only_closes_it(rig: Rig) -> None:
    rig.controller._break_s = 1
    rig.controller._work_since = 0.0
    rig.controller._tick()
    assert rig.window.banner.isVisible() and "any key goes on" in rig.window.banner.text()
    rig.press(Qt.Key.Key_3)
    assert not rig.window.banner.isVisible()
    assert rig.labels() == []  # the digit only closed the banner
    rig.decide(Qt.Key.Key_3)
    assert len(rig.labels()) == 1


def test_a_reason_is_one_key_and_nothing_is_chosen_before(rig: Rig) -> None:
    seen: dict[str, Any] = {}

    def act(dialog: QWidget) -> None:
        seen["selected"] = dialog.list.currentRow()  # type: ignore[attr-defined]
        rig.qtbot.keyClick(dialog.list, Qt.Key.Key_Return)  # type: ignore[attr-defined]
        seen["open_after_enter"] = dialog.isVisible()
        rig.qtbot.keyClick(dialog.list, Qt.Key.Key_2)  # type: ignore[attr-defined]

    token = rig.controller.token
    modal = rig.answer_modal(act)
    rig.press(Qt.Key.Key_S)
    rig.wait(lambda: rig.controller.token > token)
    assert modal.titles == ["Skip this clip"]
    assert seen == {"selected": -1, "open_after_enter": True}
    record = rig.labels()[0]
    assert record.kind == "skip" and record.reason == rig.shift.state.taxonomy.skip_reasons[1].code


def test_a_digit_held_from_before_the_dialog_picks_no_reason(rig: Rig) -> None:
    def act(dialog: QWidget) -> None:
        held = _now_ms()
        _send(dialog.list, QEvent.Type.KeyRelease, Qt.Key.Key_3, "3", held)  # type: ignore[attr-defined]
        _send(dialog.list, QEvent.Type.KeyPress, Qt.Key.Key_3, "3", held)  # type: ignore[attr-defined]
        _send(dialog.list, QEvent.Type.KeyPress, Qt.Key.Key_1, "1", held - 3000)  # type: ignore[attr-defined]
        assert dialog.isVisible()  # neither a repeat nor an old press chose anything
        rig.qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)  # type: ignore[attr-defined]

    modal = rig.answer_modal(act)
    rig.press(Qt.Key.Key_S)
    assert modal.titles == ["Skip this clip"]
    assert rig.labels() == []


@pytest.mark.parametrize("key", [Qt.Key.Key_S, Qt.Key.Key_C])
def test_the_clip_pauses_under_a_dialog_and_plays_on_after(rig: Rig, key: Qt.Key) -> None:
    rig.wait(lambda: rig.playback.playing)
    state: dict[str, bool] = {}

    def act(dialog: QWidget) -> None:
        state["playing_under"] = rig.playback.playing
        dialog.reject()  # type: ignore[attr-defined]

    modal = rig.answer_modal(act)
    rig.press(key)
    assert modal.titles and state == {"playing_under": False}
    rig.wait(lambda: rig.playback.playing)


def test_the_help_pauses_and_enter_opens_change_keys(rig: Rig) -> None:
    rig.wait(lambda: rig.playback.playing)
    rig.press(Qt.Key.Key_Question)
    assert rig.window.help.isVisible() and not rig.playback.playing
    rig.press(Qt.Key.Key_X)  # any other key closes it, does nothing else, and the clip plays on
    assert not rig.window.help.isVisible()
    rig.wait(lambda: rig.playback.playing)
    rig.press(Qt.Key.Key_Question)
    modal = rig.answer_modal(lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    rig.press(Qt.Key.Key_Return)
    assert modal.titles == ["Keys"]
    rig.wait(lambda: rig.playback.playing)


def test_the_end_of_clip_line_names_the_replay_key_in_use(rig: Rig) -> None:
    from workstation.labeling.keymap import KeyMap

    rig.window.set_keymap(KeyMap({"replay": "Y"}))
    rig.window.set_play_state("ended")
    assert rig.window.play_state.text() == "■ end of clip  (Y replays)"


def test_a_key_conflict_names_both_actions(qtbot: Any) -> None:
    from PySide6.QtGui import QKeySequence

    from workstation.labeling.keymap import KeyMap
    from workstation.ui.keymap_dialog import KeymapDialog

    dialog = KeymapDialog(KeyMap())
    qtbot.addWidget(dialog)
    dialog.edits["replay"].setKeySequence(QKeySequence("S"))
    dialog._save()
    assert dialog.result_map is None
    text = dialog.error.text()
    assert "Replay from the start" in text and "Skip with a reason" in text


# -- a real held key on a real X server ------------------------------------------------------------------

def _free_display() -> int:
    for n in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    pytest.skip("no free X display number")


def _wait_for(what: str, check: Callable[[], bool], timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {timeout_s:.0f} s")
        time.sleep(0.05)


@pytest.fixture
def xserver() -> Iterator[dict[str, str]]:
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.skip("Xvfb and xdotool are installed by scripts/setup.sh")
    display = f":{_free_display()}"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    try:
        _wait_for("the X server", lambda: subprocess.run(["xdotool", "getdisplaygeometry"], env=env,
                                                         check=False, capture_output=True).returncode == 0)
        yield env
    finally:
        server.terminate()
        server.wait(30)


def test_a_real_held_key_on_a_busy_x_seat_decides_one_clip(tmp_path: Path, small_clips: list[Path],
                                                           xserver: dict[str, str]) -> None:
    env = {**xserver, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "tests.ui.held_key_child", str(tmp_path / "ws"),
                              *map(str, small_clips[:5])], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])  # the other core is taken
    try:
        assert child.stdout is not None and child.stdin is not None
        line = child.stdout.readline()
        assert line.strip() == "ready", child.stderr.read() if child.stderr else ""
        subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "Floor annotation",
                        "windowfocus", "--sync"], env=env, check=True, capture_output=True, timeout=60)
        time.sleep(0.5)  # the annotator watches the first clip before pressing (past min_view_ms)
        subprocess.run(["xdotool", "keydown", "3"], env=env, check=True)
        time.sleep(2.0)  # the key is held down: X repeats it after 660 ms, 25 times a second
        subprocess.run(["xdotool", "keyup", "3"], env=env, check=True)
        time.sleep(0.3)
        child.stdin.write("count\n")
        child.stdin.flush()
        answer = child.stdout.readline().split()
    finally:
        busy.kill()
        child.wait(60)
    presses, decisions = int(answer[1]), int(answer[3])
    assert presses >= 10, f"the key did not repeat ({presses} presses): the test proved nothing"
    assert decisions == 1, f"a held key decided {decisions} clips from {presses} presses"
