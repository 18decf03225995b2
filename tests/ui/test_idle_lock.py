"""The idle lock on the real window + controller: it covers the whole window after a (short, injected)
timeout without input, takes only the signed-in password (checked locally), makes the annotator wait
after five wrong ones, offers sign-out; and every step reaches the audit hook, in order.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from workstation.audit import KINDS, check_data
from workstation.session.password import Attempts, LocalPassword

PASSWORD = "correct horse"
IDLE_S = 0.6
INACTIVE = Qt.ApplicationState.ApplicationInactive
ACTIVE = Qt.ApplicationState.ApplicationActive


class Recorder(list[tuple[str, "str | None", dict[str, Any]]]):
    """The audit hook of these tests: every (kind, clip_id, data), in order."""

    def __call__(self, kind: str, clip_id: str | None, data: dict[str, Any]) -> None:
        assert kind in KINDS, kind
        check_data(data)  # small scalar values only, as the audit log requires
        self.append((kind, clip_id, dict(data)))

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self]


@pytest.fixture(scope="module")
def password() -> LocalPassword:
    return LocalPassword("ana", PASSWORD)


@pytest.fixture
def locking(make_shift, open_rig, small_clips, password):  # type: ignore[no-untyped-def]
    """Three clips, the first playing, an idle lock after IDLE_S (counted from its first frame) and an
    audit recorder."""
    audit = Recorder()
    rig = open_rig(make_shift(small_clips[:3]), idle_lock_s=60, password=password, audit=audit)
    rig.wait_painted()
    assert not rig.window.locked
    rig.controller.guard.idle.set_timeout(IDLE_S)  # opening the first clip may take longer than IDLE_S
    rig.audit = audit
    return rig


def grab_rgb(widget) -> np.ndarray:  # type: ignore[no-untyped-def]
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    h, w, bpl = image.height(), image.width(), image.bytesPerLine()
    return np.frombuffer(image.constBits(), np.uint8, h * bpl).reshape(h, bpl)[:, : w * 3].reshape(h, w, 3).copy()


def wait_locked(rig) -> None:  # type: ignore[no-untyped-def]
    rig.wait(lambda: rig.window.locked, timeout=5_000)


def type_password(rig, text: str) -> None:  # type: ignore[no-untyped-def]
    field = rig.window.lock_screen.password
    rig.qtbot.keyClicks(field, text)
    rig.qtbot.keyClick(field, Qt.Key.Key_Return)


# -- the lock ----------------------------------------------------------------------------------------------

def test_idle_lock_covers_the_whole_window_and_the_password_unlocks(locking) -> None:  # type: ignore[no-untyped-def]
    rig = locking
    window, lock = rig.window, rig.window.lock_screen
    wait_locked(rig)
    assert lock.geometry() == window.rect() and lock.isVisible()
    assert not window.video.frame_visible and not rig.playback.playing
    assert not window.centralWidget().isEnabled()  # label buttons, video: no input behind the lock
    assert lock.who.text() == "Signed in as ana"
    assert lock.text.text() == "The shift locked after 1 minute without input. Type ana's password to go on."
    assert QApplication.focusWidget() in (lock.password, None)  # offscreen may give no focus at all
    shot = grab_rgb(window)
    assert float(np.mean(np.all(shot == shot[5, 5], axis=2))) > 0.8  # one calm colour, no frame anywhere
    QGuiApplication.clipboard().clear()

    rig.press(Qt.Key.Key_1)  # keys reaching the window decide nothing
    rig.press(Qt.Key.Key_Space)
    rig.press(Qt.Key.Key_Question)
    assert rig.labels() == [] and not rig.playback.playing and not window.help.isVisible()

    type_password(rig, "wrong one")
    assert window.locked
    assert lock.message.text() == "That is not ana's password — 4 more tries before a wait of 30 seconds."
    assert lock.password.text() == ""

    type_password(rig, PASSWORD)
    assert not window.locked and not lock.isVisible() and window.centralWidget().isEnabled()
    rig.wait(lambda: window.video.frame_visible)
    # no auto-resume: once the decoder is idle (a frame already in flight at the lock may still land), nothing
    # more comes — waited on the decoder's own state, not a guessed delay
    assert rig.playback.wait_idle(30) and not rig.playback.playing
    QApplication.processEvents()
    index = window.video.frame_index
    assert rig.playback.wait_idle(30) and not rig.playback.playing
    QApplication.processEvents()
    assert window.video.frame_index == index
    rig.press(Qt.Key.Key_Space)
    rig.wait(lambda: window.video.frame_index > index)
    assert [k for k in rig.audit.kinds() if k in ("lock", "unlock")] == ["lock", "unlock"]


def test_input_keeps_the_lock_away(locking) -> None:  # type: ignore[no-untyped-def]
    rig = locking
    for _ in range(8):  # 1.6 s of typing, more than twice the timeout
        rig.press(Qt.Key.Key_Right)
        rig.qtbot.wait(200)
        assert not rig.window.locked
    wait_locked(rig)  # and without input it locks


def test_five_wrong_passwords_mean_a_wait_shown_on_screen_and_it_grows(locking, password) -> None:  # type: ignore[no-untyped-def]
    rig = locking
    now = [1000.0]
    rig.controller.guard.attempts = Attempts(lambda: now[0])
    wait_locked(rig)
    lock = rig.window.lock_screen
    for n in (4, 3, 2, 1):
        type_password(rig, f"guess {n}")
        assert lock.message.text().startswith(f"That is not ana's password — {n} more tr")
    assert "1 more try before" in lock.message.text()
    type_password(rig, "guess 5")
    assert lock.message.text() == "Too many wrong passwords. Try again in 30 seconds."
    assert not lock.password.isEnabled() and not lock.unlock.isEnabled()
    rig.controller.guard.try_unlock(PASSWORD)  # even the right one is not checked during the wait
    assert rig.window.locked
    now[0] += 12
    rig.wait(lambda: lock.message.text() == "Too many wrong passwords. Try again in 18 seconds.")
    now[0] += 19
    rig.wait(lambda: lock.password.isEnabled())
    assert lock.message.text() == "You can try your password again now."
    type_password(rig, "guess 6")  # the wait is over, but the count is not: each further guess waits twice as long
    assert lock.message.text() == "Too many wrong passwords. Try again in 60 seconds."
    now[0] += 61
    rig.wait(lambda: lock.password.isEnabled())
    type_password(rig, "guess 7")
    assert lock.message.text() == "Too many wrong passwords. Try again in 2 minutes."
    now[0] += 121
    rig.wait(lambda: lock.password.isEnabled())
    type_password(rig, PASSWORD)
    assert not rig.window.locked


def test_a_dialog_open_at_the_lock_is_cancelled_and_nothing_plays_behind(locking) -> None:  # type: ignore[no-untyped-def]
    rig = locking
    rig.controller.guard.idle.stop()  # the lock comes from inside the dialog here
    rig.wait(lambda: rig.playback.playing)
    modal = rig.answer_modal(lambda dialog: rig.controller.guard.lock())
    rig.press(Qt.Key.Key_F)  # the flag dialog (it pauses); cancelled by the lock
    assert modal.titles == ["Flag sensitive — dispose"]
    assert QApplication.activeModalWidget() is None
    assert rig.window.locked and not rig.playback.playing
    assert rig.labels() == []
    rig.qtbot.wait(300)
    assert not rig.playback.playing


def test_lock_screen_offers_sign_out(locking) -> None:  # type: ignore[no-untyped-def]
    rig = locking
    wait_locked(rig)
    with rig.qtbot.waitSignal(rig.controller.sig_sign_out, timeout=2_000):
        rig.qtbot.mouseClick(rig.window.lock_screen.sign_out, Qt.MouseButton.LeftButton)


def test_without_a_password_the_lock_only_offers_sign_out(make_shift, open_rig, small_clips) -> None:  # type: ignore[no-untyped-def]
    rig = open_rig(make_shift(small_clips[:2]), idle_lock_s=IDLE_S)  # the timeout as the constructor takes it
    wait_locked(rig)
    lock = rig.window.lock_screen
    assert not lock.password.isVisible() and lock.sign_out.isVisible()
    assert "sign out" in lock.text.text()
    rig.controller.guard.try_unlock("anything")
    assert rig.window.locked


def test_no_idle_lock_when_the_timeout_is_zero(rig) -> None:  # type: ignore[no-untyped-def]
    assert rig.controller.guard.idle is None
    rig.qtbot.wait(300)
    assert not rig.window.locked


def test_the_password_is_a_salted_scrypt_hash_in_memory_only(password) -> None:  # type: ignore[no-untyped-def]
    other = LocalPassword("ana", PASSWORD)
    assert password.verify(PASSWORD) and not password.verify(PASSWORD + " ") and not password.verify("")
    assert password._salt != other._salt and password._hash != other._hash  # a fresh salt each sign-in
    assert PASSWORD not in repr(password) and not hasattr(password, "__dict__")
    with pytest.raises(TypeError):
        pickle.dumps(password)


# -- audit -------------------------------------------------------------------------------------------------

def test_audit_calls_in_order(locking) -> None:  # type: ignore[no-untyped-def]
    rig = locking
    audit = rig.audit
    first = rig.current().clip_id
    rig.controller.guard.idle.stop()  # the idle lock comes after the focus changes
    app = QGuiApplication.instance()
    app.applicationStateChanged.emit(INACTIVE)  # type: ignore[union-attr]
    app.applicationStateChanged.emit(ACTIVE)  # type: ignore[union-attr]
    rig.window.showMinimized()
    rig.qtbot.wait(100)  # the platform confirms the state (offscreen: a second, spontaneous event)
    assert rig.window.video.covered
    rig.window.showNormal()
    rig.qtbot.wait(100)
    assert not rig.window.video.covered
    rig.controller.guard.idle.restart()
    wait_locked(rig)
    type_password(rig, PASSWORD)
    rig.decide(Qt.Key.Key_1)
    second = rig.current().clip_id
    rig.controller.close()
    if audit[0][0] == "focus_lost":  # the window was not active yet when the shift started (offscreen)
        assert [(k, d) for k, _, d in audit[:2]] == [("focus_lost", {"why": "unfocused"}),
                                                     ("focus_back", {"why": "unfocused"})]
        del audit[:2]
    assert [(k, c) for k, c, _ in audit] == [
        ("clip_shown", first),
        ("focus_lost", first), ("focus_back", first),
        ("focus_lost", first), ("focus_back", first),
        ("lock", first), ("unlock", first),
        ("clip_hidden", first), ("clip_shown", second),
        ("clip_hidden", second),
    ]
    data = [d for _, _, d in audit]
    assert data[1:7] == [{"why": "unfocused"}, {"why": "unfocused"}, {"why": "minimised"}, {"why": "minimised"},
                         {"why": "idle"}, {"how": "password"}]
    hidden = data[7]
    assert set(hidden) == {"watched_s", "replays", "active_s"}
    assert hidden == rig.labels()[0].timings | {"active_s": hidden["active_s"]}
    assert hidden["active_s"] >= rig.labels()[0].timings["active_s"]


# -- the app: password at sign-in, sign-out back to the sign-in page ----------------------------------------

def test_sign_out_from_the_lock_ends_the_session(qtbot, tmp_path: Path, hub, requests_log) -> None:  # type: ignore[no-untyped-def]
    from tests.hub_fixtures import PASSWORD as HUB_PASSWORD
    from workstation.policy import Policy
    from workstation.session.seat import Seat
    from workstation.ui.app import AppFlow
    from workstation.vault.keystore import MemoryKeyStore

    service, _, url = hub
    seat = Seat.open(Policy(hub_url=url, key_store="memory", seat="seat-3", idle_lock_minutes=10),
                     data_dir=tmp_path / "ws", keystore=MemoryKeyStore(),
                     event_hooks={"request": [requests_log.hook]})
    shredded: list[str] = []
    audited = Recorder()
    seat.service.sign_out = shredded.append  # type: ignore[attr-defined]  # as the crypto-shredding will be
    seat.service.audit = lambda shift_id, kind, clip_id, data, **_: audited(kind, clip_id, data | {"shift": shift_id})  # type: ignore[attr-defined]
    flow = AppFlow(seat)
    qtbot.addWidget(flow.start_window)
    flow.start()
    try:
        qtbot.waitUntil(lambda: flow.device is not None, timeout=10_000)
        service.approve_device(flow.device.enrollment_code)  # type: ignore[union-attr]
        page = flow.start_window.sign_in
        qtbot.mouseClick(page.check, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(page.submit.isEnabled, timeout=10_000)
        page.username.setText("ana")
        page.password.setText(HUB_PASSWORD)
        qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: flow.window is not None and flow.window.isVisible(), timeout=30_000)
        window, controller = flow.window, flow.controller
        assert window is not None and controller is not None
        shift_id = controller.state.shift_id
        assert controller.guard.idle is not None and controller.guard.idle.timeout_s == 600
        assert controller.guard.password is not None and controller.guard.password.verify(HUB_PASSWORD)
        assert page.password.text() == ""  # the typed password does not linger in the hidden page
        qtbot.waitUntil(lambda: window.video._image is not None, timeout=10_000)
        assert [a[0] for a in audited[:3]] == ["shift_start", "sign_in", "capture_capability"]
        assert audited[2][2]["capability"] == "unsupported"
        shown = [a for a in audited if a[0] == "clip_shown"]
        assert shown and shown[0][2]["shift"] == shift_id

        controller.guard.lock()
        qtbot.mouseClick(window.lock_screen.sign_out, Qt.MouseButton.LeftButton)
        assert flow.window is None and flow.controller is None and not window.isVisible()
        assert shredded == [shift_id]
        assert flow.start_window.isVisible() and flow.start_window.stack.currentWidget() is page
        assert page.username.text() == "" and page.password.text() == ""
        qtbot.waitUntil(lambda: any(m == "DELETE" and u.endswith("/sessions") for m, u, _ in requests_log),
                        timeout=10_000)
        qtbot.waitUntil(page.submit.isEnabled, timeout=10_000)  # ready for the next sign-in once the hub knows
        assert seat.client.session is None
        assert [k for k, _, _ in audited][-3:] == ["lock", "clip_hidden", "sign_out"]
    finally:
        flow.shutdown()
        seat.close()
