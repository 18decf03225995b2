"""The deterrents every OS gets, on the real window + controller over a real encrypted shift:
pause and hide when the window is not in front, minimised or the session locks (with the Windows
session listener driven by a fake wtsapi32 and fake native messages); no copy, save, print, drag or
context menu; the watermark always on top; the capture pill; crash reports and logs without clip bytes.
"""

from __future__ import annotations

import ctypes
import io
import logging
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QByteArray, QEvent, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QImage, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from workstation.labeling.keymap import ACTIONS
from workstation.policy import Policy
from workstation.ui.crash import CrashReporter, NoClipBytes, crash_report
from workstation.ui.session_lock import (
    MSG,
    NOTIFY_FOR_THIS_SESSION,
    WM_WTSSESSION_CHANGE,
    WTS_SESSION_LOCK,
    WTS_SESSION_UNLOCK,
    SessionLockWatch,
)

ROOT = Path(__file__).resolve().parents[2]
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
INACTIVE = Qt.ApplicationState.ApplicationInactive
ACTIVE = Qt.ApplicationState.ApplicationActive


def grab_rgb(widget: QWidget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    h, w, bpl = image.height(), image.width(), image.bytesPerLine()
    return np.frombuffer(image.constBits(), np.uint8, h * bpl).reshape(h, bpl)[:, : w * 3].reshape(h, w, 3).copy()


def frame_pixels_on_screen(rig) -> float:  # type: ignore[no-untyped-def]
    """The share of the picture area whose on-screen pixels equal the clip frame's pixels."""
    video = rig.window.video
    frame = rig.frame()[..., ::-1]  # BGR → RGB
    rect = video.picture_rect().toRect()
    shot = grab_rgb(video)[rect.top(): rect.top() + frame.shape[0], rect.left(): rect.left() + frame.shape[1]]
    assert shot.shape == frame.shape, (shot.shape, frame.shape)
    return float(np.mean(np.all(shot == frame, axis=2)))


def set_app_state(state: Qt.ApplicationState) -> None:
    QGuiApplication.instance().applicationStateChanged.emit(state)  # type: ignore[union-attr]


def playing_rig(make_shift, open_rig, small_clips, **options):  # type: ignore[no-untyped-def]
    rig = open_rig(make_shift(small_clips[:3]), **options)
    rig.wait_painted()
    rig.wait(lambda: rig.playback.playing and rig.window.video.frame_index >= 2)
    return rig


def assert_hidden_and_paused(rig, words: str) -> None:  # type: ignore[no-untyped-def]
    video = rig.window.video
    rig.wait(lambda: not rig.playback.playing)
    assert video.covered and not video.frame_visible
    assert words in video._cover and "Press Space to go on." in video._cover
    assert frame_pixels_on_screen(rig) < 0.02  # nothing of the frame is painted, only the calm message
    assert rig.window.play_state.text().startswith("❚❚ paused")


def assert_back_paused(rig) -> None:  # type: ignore[no-untyped-def]
    video = rig.window.video
    assert not video.covered and video.frame_visible
    rig.settle()
    assert frame_pixels_on_screen(rig) > 0.5  # the frame is back (the watermark covers a little of it)
    index = video.frame_index
    rig.qtbot.wait(400)
    assert not rig.playback.playing and video.frame_index == index  # it does not play on by itself
    rig.press(Qt.Key.Key_Space)
    rig.wait(lambda: video.frame_index > index)  # the annotator goes on


# -- pause and hide --------------------------------------------------------------------------------------

def test_focus_loss_pauses_and_hides_and_focus_back_shows_the_frame_paused(make_shift, open_rig,
                                                                         small_clips) -> None:  # type: ignore[no-untyped-def]
    rig = playing_rig(make_shift, open_rig, small_clips)
    set_app_state(INACTIVE)
    assert_hidden_and_paused(rig, "Paused — the window is not in front.")
    assert not rig.controller.timer._focused  # time away is not active time
    rig.press(Qt.Key.Key_1)  # a key that still arrives decides nothing while the picture is hidden
    assert rig.labels() == []
    set_app_state(ACTIVE)
    assert rig.controller.timer._focused
    assert_back_paused(rig)


def test_time_with_the_picture_hidden_is_not_active_time(make_shift, open_rig,
                                                         small_clips) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    rig = playing_rig(make_shift, open_rig, small_clips)
    set_app_state(INACTIVE)
    rig.qtbot.wait(1500)
    set_app_state(ACTIVE)
    rig.decide(Qt.Key.Key_1)
    elapsed = time.monotonic() - started
    active = rig.labels()[0].timings["active_s"]
    assert 0 < active <= elapsed - 1.4, (active, elapsed)


def test_minimise_pauses_and_hides(make_shift, open_rig, small_clips) -> None:  # type: ignore[no-untyped-def]
    rig = playing_rig(make_shift, open_rig, small_clips)
    rig.window.showMinimized()
    rig.qtbot.wait(100)  # the platform confirms the state (offscreen: a second, spontaneous event)
    assert_hidden_and_paused(rig, "Paused — the window is minimised.")
    rig.window.showNormal()
    rig.qtbot.wait(100)
    assert_back_paused(rig)


def test_a_clip_that_opens_while_hidden_starts_when_the_picture_shows(make_shift, open_rig,
                                                                      small_clips) -> None:  # type: ignore[no-untyped-def]
    rig = playing_rig(make_shift, open_rig, small_clips)
    set_app_state(INACTIVE)
    rig.controller.label_key("1")  # refused: hidden
    assert rig.labels() == []
    set_app_state(ACTIVE)
    rig.decide(Qt.Key.Key_1)
    set_app_state(INACTIVE)
    token = rig.controller.token
    rig.controller.show_clip(rig.controller.index)  # reopen while hidden: it must not start
    rig.wait(lambda: rig.window.video.token == token + 1)
    assert not rig.playback.playing and not rig.window.video.frame_visible
    set_app_state(ACTIVE)
    rig.wait(lambda: rig.playback.playing)  # never seen: it starts now (auto-play on open)


def test_sound_pauses_with_the_picture_and_stays_paused(qtbot, tmp_path: Path,
                                                        small_clips) -> None:  # type: ignore[no-untyped-def]
    from tests.media.formats import make_clip_with_audio
    from tests.ui.test_audio_out import FakeSink
    from workstation.session.localshift import build_local_shift
    from workstation.ui.audio_out import AudioOutput
    from workstation.ui.controller import ShiftController
    from workstation.ui.main_window import MainWindow
    from workstation.ui.watermark import Watermark

    sounded = make_clip_with_audio(tmp_path / "tone.mp4", seconds=2, fps=15, width=320, height=240)
    shift = build_local_shift(tmp_path / "ws", [sounded, small_clips[0]])
    clips = {c.clip_id: c for c in shift.state.clips}
    window = MainWindow(shift.state.taxonomy, Watermark("ana", "seat"), "ana", "memory")
    qtbot.addWidget(window)
    audio = AudioOutput(window, sink_factory=lambda parent: (FakeSink(), ""))
    service = shift.service
    controller = ShiftController(window, service, shift.state, None, shift.open_source, audio=audio,
                                 audio_reader=lambda cid: (lambda: service.open_reader(shift.state.shift_id, clips[cid])))
    window.show()
    controller.start()
    try:
        qtbot.waitUntil(lambda: audio.playing, timeout=10_000)
        set_app_state(INACTIVE)
        qtbot.waitUntil(lambda: not audio.playing, timeout=5_000)
        set_app_state(ACTIVE)
        qtbot.wait(300)
        assert not audio.playing and not controller.playback.playing  # no sound comes back by itself
        qtbot.keyClick(window, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: audio.playing, timeout=5_000)
    finally:
        controller.close()
        shift.store.close()


class FakeWtsApi:
    """Stands in for wtsapi32.dll: records the calls and their exact arguments."""

    def __init__(self, ok: bool = True) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.ok = ok

    def WTSRegisterSessionNotification(self, hwnd: int, flags: int) -> int:
        self.calls.append(("register", hwnd, flags))
        return 1 if self.ok else 0

    def WTSUnRegisterSessionNotification(self, hwnd: int) -> int:
        self.calls.append(("unregister", hwnd))
        return 1


def send_native(watch: SessionLockWatch, message: int, wparam: int, *, hwnd: int | None = None,
                kind: bytes = b"windows_generic_MSG") -> tuple[bool, int]:
    """What Qt's Windows event dispatcher does with a window message: hand a MSG* to the native filters."""
    msg = MSG(hwnd=watch.hwnd if hwnd is None else hwnd, message=message, wParam=wparam, lParam=1)
    assert watch.native_filter is not None
    return watch.native_filter.nativeEventFilter(QByteArray(kind), ctypes.addressof(msg))


def test_windows_session_lock_listener_with_a_fake_wtsapi32(make_shift, open_rig,
                                                            small_clips) -> None:  # type: ignore[no-untyped-def]
    api = FakeWtsApi()
    watches: list[SessionLockWatch] = []

    def watch_for(window):  # type: ignore[no-untyped-def]
        watches.append(SessionLockWatch(window, platform="win32", wtsapi32=api))
        return watches[-1]

    rig = playing_rig(make_shift, open_rig, small_clips, session_lock_for=watch_for)
    watch = watches[0]
    hwnd = int(rig.window.winId())
    assert watch.supported
    assert api.calls == [("register", hwnd, NOTIFY_FOR_THIS_SESSION)]
    assert (WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, WTS_SESSION_UNLOCK, NOTIFY_FOR_THIS_SESSION) == (0x02B1, 0x7, 0x8, 0)

    # messages that are not ours, or not a lock, change nothing and are never swallowed
    assert send_native(watch, WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, hwnd=hwnd + 1) == (False, 0)
    assert send_native(watch, 0x0200, WTS_SESSION_LOCK) == (False, 0)  # WM_MOUSEMOVE
    assert send_native(watch, WM_WTSSESSION_CHANGE, 0x5) == (False, 0)  # WTS_SESSION_LOGON
    assert send_native(watch, WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, kind=b"xcb_generic_event_t") == (False, 0)
    assert rig.playback.playing and not rig.window.video.covered

    assert send_native(watch, WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK) == (False, 0)
    assert_hidden_and_paused(rig, "Paused — the computer is locked.")
    send_native(watch, WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK)
    assert_back_paused(rig)

    QApplication.sendEvent(rig.window, QEvent(QEvent.Type.WinIdChange))  # Qt re-created the native window
    assert api.calls[-2:] == [("unregister", hwnd), ("register", hwnd, NOTIFY_FOR_THIS_SESSION)]
    rig.controller.close()
    assert api.calls[-1] == ("unregister", hwnd)  # before the window goes, as the API requires
    assert watch.native_filter is None


def test_session_lock_listener_is_a_stated_no_op_off_windows(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    api = FakeWtsApi()
    watch = SessionLockWatch(window, platform="linux", wtsapi32=api)
    watch.start()
    assert not watch.supported and "linux" in watch.status and "application state" in watch.status
    assert api.calls == [] and watch.native_filter is None
    watch.close()


def test_a_failed_registration_is_said_and_the_app_state_still_applies(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    watch = SessionLockWatch(window, platform="win32", wtsapi32=FakeWtsApi(ok=False))
    watch.start()
    assert "failed" in watch.status and watch.hwnd_registered == 0
    watch.close()


# -- no copy, save, print, drag or context menu ------------------------------------------------------------

def test_no_context_menu_anywhere_in_the_shift_window(rig) -> None:  # type: ignore[no-untyped-def]
    widgets = [rig.window, *rig.window.findChildren(QWidget)]
    assert rig.window.lock_screen in widgets and rig.window.lock_screen.password in widgets
    assert all(w.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu for w in widgets)
    for widget in (rig.window.video, rig.window.clip_title, rig.window.status, rig.window.labels):
        pos = QPoint(5, 5)
        QApplication.sendEvent(widget, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                         widget.mapToGlobal(pos)))
        QApplication.processEvents()
        assert QApplication.activePopupWidget() is None
    assert not rig.window.acceptDrops() and not rig.window.video.acceptDrops()


@pytest.mark.parametrize("key,mods", [
    (Qt.Key.Key_C, CTRL), (Qt.Key.Key_X, CTRL), (Qt.Key.Key_S, CTRL), (Qt.Key.Key_S, CTRL | SHIFT),
    (Qt.Key.Key_P, CTRL), (Qt.Key.Key_Insert, CTRL), (Qt.Key.Key_Print, Qt.KeyboardModifier.NoModifier),
])
def test_copy_save_print_keys_do_nothing(rig, key, mods) -> None:  # type: ignore[no-untyped-def]
    from workstation.labeling.keymap import KeyMap

    # even bound to actions these keys do nothing: they are swallowed before the key map is asked
    rig.window.set_keymap(KeyMap({"skip": "Ctrl+S", "comment": "Ctrl+C", "flag": "Ctrl+P", "replay": "Ctrl+X"}))
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("before")
    rig.pause()
    index = rig.window.video.frame_index
    rig.press(key, mods)
    QApplication.processEvents()
    event = QKeyEvent(QEvent.Type.KeyPress, key, mods)
    QApplication.sendEvent(rig.window, event)
    assert event.isAccepted()  # swallowed, not passed on to anything else
    assert clipboard.text() == "before" and clipboard.image().isNull()
    assert not clipboard.mimeData().hasImage()
    assert QApplication.activeModalWidget() is None  # no save or print dialog
    assert rig.labels() == []  # Ctrl+S is not S (skip)
    assert rig.window.video.frame_index == index and not rig.playback.playing


def test_nothing_in_the_app_touches_the_clipboard_drags_prints_or_writes_images() -> None:
    forbidden = re.compile(r"clipboard\(|QClipboard|QDrag\b|startDrag|QPrinter|QPrintDialog|QFileDialog|setMimeData|"
                           r"QImageWriter|imwrite|grab\(\)\.save")
    demo_screenshot = ROOT / "workstation" / "ui" / "demo_ui.py"  # `demo --screenshot`: synthetic clips only
    dashboard = ROOT / "workstation" / "ui" / "dashboard"  # a supervisor saves the figures table as CSV: no frames
    hits = []
    for path in (ROOT / "workstation").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            allowed = ((path == demo_screenshot and "grab().save(screenshot)" in line)
                       or (path.parent == dashboard and "QFileDialog" in line and "grab" not in line))
            if forbidden.search(line) and not allowed:
                hits.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert hits == []
    # the dashboard never reaches clips: nothing under it imports the media, vault or cache code
    for path in dashboard.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"workstation\.(media|vault|labeling\.cache)|QImage|QPixmap", text), path


# -- the watermark -----------------------------------------------------------------------------------------

def test_no_key_setting_or_dialog_turns_the_watermark_off() -> None:
    from workstation.ui.main_window import MainWindow
    from workstation.ui.video_view import VideoView
    from workstation.ui.watermark import Watermark

    assert not any("watermark" in (a.name + a.title).lower() for a in ACTIONS)
    assert not any("watermark" in name for name in Policy.__dataclass_fields__)
    for cls in (MainWindow, VideoView, Watermark):
        assert not [n for n in dir(cls) if re.search(r"(hide|disable|toggle|set_enabled|show).*watermark|"
                                                    r"watermark.*(off|enabled|visible)", n.lower())]


def test_the_watermark_stays_on_top_of_a_blurred_night_view(make_shift, open_rig,
                                                           small_clips) -> None:  # type: ignore[no-untyped-def]
    rig = open_rig(make_shift(small_clips[:2]), blur=True)
    rig.wait_painted()
    for key, mods in ((Qt.Key.Key_B, Qt.KeyboardModifier.NoModifier), (Qt.Key.Key_H, Qt.KeyboardModifier.NoModifier),
                      (Qt.Key.Key_Z, Qt.KeyboardModifier.NoModifier)):
        rig.press(key, mods)
    rig.pause()
    assert "blurred" in rig.window.view_info.text() and "CLAHE" in rig.window.view_info.text()
    differs = 1.0 - frame_pixels_on_screen(rig)
    assert differs > 0.01  # the watermark's text is painted over the blurred, enhanced frame

    video = rig.window.video
    video.watermark.paint = lambda *args: None  # type: ignore[method-assign]  # the control: no watermark
    assert frame_pixels_on_screen(rig) > 0.99  # so what differed was the watermark, painted last


# -- the capture pill --------------------------------------------------------------------------------------

def test_capture_pill_is_hidden_until_set_then_calm_or_amber(rig) -> None:  # type: ignore[no-untyped-def]
    pill = rig.window.status.capture
    assert not pill.isVisible()
    for capability, text, state in (("protected", "Capture: protected", "ok"),
                                    ("degraded", "Capture: degraded", "neutral"),
                                    ("unsupported", "Capture: not blocked", "neutral"),
                                    ("not blocked", "Capture: not blocked", "neutral"),
                                    ("PROTECTED", "Capture: protected", "ok")):
        rig.window.status.set_capture(capability, f"why: {capability}")
        assert pill.isVisible()
        assert (pill.text(), pill.property("state"), pill.toolTip()) == (text, state, f"why: {capability}")


# -- crash reports and logs carry no clip bytes -----------------------------------------------------------

SECRET = b"\x00\x01\x02CLIPBYTES" * 64


def _decode_chunk(payload: bytes, frame: np.ndarray) -> None:
    local_secret = "LOCAL-VARIABLE-VALUE"  # noqa: F841 — locals must never reach a report
    try:
        raise OSError(f"read failed on {payload[:12]!r}")
    except OSError as exc:
        raise ValueError("the chunk did not decrypt", payload, frame) from exc


def _assert_clean(text: str) -> None:
    assert "CLIPBYTES" not in text and "\\x00\\x01" not in text and "LOCAL-VARIABLE-VALUE" not in text
    assert "137, 137" not in text  # the frame's pixels


@pytest.fixture
def plain_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's own hooks underneath (not the test harness's), as in the real app."""
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    monkeypatch.setattr(threading, "excepthook", threading.__excepthook__)


def test_a_crash_report_has_type_message_and_traceback_but_no_bytes_or_locals(tmp_path: Path, plain_hooks,
                                                                               capsys) -> None:  # type: ignore[no-untyped-def]
    reporter = CrashReporter(tmp_path / "crash")
    reporter.install(logging.getLogger("test-crash"))
    try:
        try:
            _decode_chunk(SECRET, np.full((240, 320, 3), 137, np.uint8))
        except ValueError:
            sys.excepthook(*sys.exc_info())  # what Python does with an exception nobody caught
    finally:
        reporter.uninstall()
    assert sys.excepthook is sys.__excepthook__
    [path] = reporter.written
    text = path.read_text(encoding="utf-8")
    _assert_clean(text)
    assert "exception: ValueError" in text
    assert "ValueError: (the chunk did not decrypt, <768 bytes omitted>, <array 240×320×3 uint8 omitted>)" in text
    assert "OSError: read failed on <bytes omitted>" in text  # a repr inside a message is cut out too
    assert "The above exception was the direct cause" in text
    assert re.search(r'File ".*test_deterrents.py", line \d+, in _decode_chunk', text)
    assert "local variables are never recorded" in text
    err = capsys.readouterr().err
    assert "ValueError" in err and str(path) in err
    _assert_clean(err)


def test_a_thread_crash_is_reported_without_bytes(tmp_path: Path, plain_hooks, capsys) -> None:  # type: ignore[no-untyped-def]
    reporter = CrashReporter(tmp_path / "crash")
    reporter.install(logging.getLogger("test-crash"))
    try:
        worker = threading.Thread(target=_decode_chunk, args=(SECRET, np.full((4, 4, 3), 137, np.uint8)),
                                  name="prefetch")
        worker.start()
        worker.join()
    finally:
        reporter.uninstall()
    assert threading.excepthook is threading.__excepthook__
    [path] = reporter.written
    text = path.read_text(encoding="utf-8")
    assert "thread: prefetch" in text and "ValueError" in text
    _assert_clean(text)
    _assert_clean(capsys.readouterr().err)


def test_the_log_filter_redacts_frames_and_bytes(tmp_path: Path) -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("test-log-filter")
    logger.propagate = False
    logger.addHandler(handler)
    reporter = CrashReporter(tmp_path / "crash")
    reporter.install(logger)
    frame = np.full((240, 320, 3), 137, np.uint8)
    try:
        logger.warning("frame %s looked wrong", frame)
        logger.warning("chunk %r, view %s, more %s", SECRET, memoryview(SECRET), bytearray(SECRET))
        logger.warning("packet %s", {"image": frame, "index": 3})
        logger.warning("packets %s of %d", [frame, frame], 2)
        logger.warning(f"inline {SECRET[:20]!r} text")
        logger.warning("fine: %d clips, %s", 3, "ok")
        try:
            _decode_chunk(SECRET, frame)
        except ValueError:
            logger.exception("decode failed")
    finally:
        reporter.uninstall()
        logger.removeHandler(handler)
    text = out.getvalue()
    _assert_clean(text)
    assert "frame <array 240×320×3 uint8 omitted> looked wrong" in text
    assert "chunk <768 bytes omitted>, view <768 bytes omitted>, more <768 bytes omitted>" in text
    assert "packet {'image': <array 240×320×3 uint8 omitted>, 'index': 3}" in text
    assert "packets <list holding binary data omitted> of 2" in text
    assert "inline <bytes omitted> text" in text
    assert "fine: 3 clips, ok" in text
    assert "decode failed" in text and "Traceback" in text and "<768 bytes omitted>" in text
    assert NoClipBytes() is not None and handler.filters == []  # uninstalled


def test_crash_report_text_for_a_plain_error() -> None:
    try:
        raise RuntimeError("the hub answered 500")
    except RuntimeError as exc:
        text = crash_report(type(exc), exc, exc.__traceback__, thread="MainThread")
    assert "RuntimeError: the hub answered 500" in text and "thread: MainThread" in text


def test_the_app_installs_crash_reporting_and_removes_it(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import socket

    from workstation.session.seat import Seat
    from workstation.ui.app import AppFlow
    from workstation.vault.keystore import MemoryKeyStore

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    seat = Seat.open(Policy(hub_url=f"http://127.0.0.1:{port}", key_store="memory", seat="seat-3"),
                     data_dir=tmp_path / "ws", keystore=MemoryKeyStore())
    flow = AppFlow(seat)
    qtbot.addWidget(flow.start_window)
    before = sys.excepthook, threading.excepthook
    flow.start()
    try:
        assert sys.excepthook == flow.crash_reporter._sys_hook
        assert threading.excepthook == flow.crash_reporter._thread_hook
        assert flow.crash_reporter.directory == tmp_path / "ws" / "crash-reports"
        qtbot.waitUntil(flow.start_window.sign_in.error.isVisible, timeout=15_000)
    finally:
        flow.shutdown()
        seat.close()
    assert (sys.excepthook, threading.excepthook) == before
