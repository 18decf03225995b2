"""The Qt guard: every top-level window and dialog is protected on show and on a new native window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow
from pytestqt.qtbot import QtBot

from workstation.platform.capture import Capability, ProtectionResult
from workstation.ui.capture_guard import CaptureGuard

OK = ProtectionResult(Capability.PROTECTED, "Screen capture is blocked (fake).", "fake")
FAIL = ProtectionResult(Capability.UNSUPPORTED, "Screen capture is not blocked: fake error 5.", "none", 5)


class FakeProtector:
    """Answers ``results[win_id]`` (default ``OK``) and records every window id it was asked about."""

    os_name = "FakeOS"

    def __init__(self, *, expected: ProtectionResult = OK, qt_platform: str | None = None) -> None:
        self._expected = expected
        self.qt_platform = qt_platform
        self.results: dict[int, ProtectionResult | list[ProtectionResult]] = {}
        self.raises = False
        self.calls: list[int] = []

    def expected(self) -> ProtectionResult:
        return self._expected

    def protect(self, win_id: int) -> ProtectionResult:
        self.calls.append(win_id)
        if self.raises:
            raise OSError("boom")
        answer = self.results.get(win_id, OK)
        return answer.pop(0) if isinstance(answer, list) else answer


@pytest.fixture
def protector() -> FakeProtector:
    return FakeProtector()


@pytest.fixture
def guard(qapp: QApplication, protector: FakeProtector) -> Iterator[CaptureGuard]:
    guard = CaptureGuard(protector)
    guard.install(qapp)
    yield guard
    guard.remove()


@pytest.fixture
def main(qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    window.setWindowTitle("Floor workstation")
    qtbot.addWidget(window)
    return window


def show(qtbot: QtBot, widget: QMainWindow | QDialog) -> int:
    widget.show()
    qtbot.waitExposed(widget)
    return int(widget.winId())


def test_before_any_window_the_os_expectation_holds() -> None:
    degraded = ProtectionResult(Capability.DEGRADED, "partly")
    guard = CaptureGuard(FakeProtector(expected=degraded))
    assert guard.capability is Capability.DEGRADED and guard.detail == "partly"


def test_main_window_and_dialog_are_both_protected(qtbot: QtBot, guard: CaptureGuard, protector: FakeProtector,
                                                  main: QMainWindow) -> None:
    main_id = show(qtbot, main)
    dialog = QDialog(main)
    dialog_id = show(qtbot, dialog)
    assert main_id != dialog_id
    assert main_id in protector.calls and dialog_id in protector.calls
    assert guard.result_for(main) == OK and guard.result_for(dialog) == OK
    assert guard.capability is Capability.PROTECTED and guard.detail == OK.detail


def test_win_id_change_reapplies(qtbot: QtBot, guard: CaptureGuard, protector: FakeProtector,
                                 main: QMainWindow) -> None:
    main_id = show(qtbot, main)
    before = protector.calls.count(main_id)
    QCoreApplication.sendEvent(main, QEvent(QEvent.Type.WinIdChange))
    assert protector.calls.count(main_id) == before + 1
    calls = len(protector.calls)
    main.setWindowFlags(main.windowFlags() | Qt.WindowType.WindowStaysOnTopHint)  # Qt recreates the window
    new_id = show(qtbot, main)
    assert len(protector.calls) > calls and protector.calls[-1] == new_id
    assert guard.capability is Capability.PROTECTED


def test_a_failing_window_makes_the_whole_seat_worse(qtbot: QtBot, guard: CaptureGuard, protector: FakeProtector,
                                                     main: QMainWindow) -> None:
    show(qtbot, main)
    dialog = QDialog(main)
    protector.results[int(dialog.winId())] = FAIL
    with qtbot.waitSignal(guard.sig_changed, timeout=2000) as worse:
        dialog.show()
    assert worse.args == ["unsupported", FAIL.detail]
    assert guard.capability is Capability.UNSUPPORTED and guard.result_for(main) == OK
    with qtbot.waitSignal(guard.sig_changed, timeout=2000) as better:
        dialog.close()
    assert better.args == ["protected", OK.detail]


def test_a_deleted_failing_window_no_longer_counts(qtbot: QtBot, guard: CaptureGuard, protector: FakeProtector,
                                                   main: QMainWindow) -> None:
    show(qtbot, main)
    dialog = QDialog(main)
    protector.results[int(dialog.winId())] = FAIL
    show(qtbot, dialog)
    assert guard.capability is Capability.UNSUPPORTED
    dialog.deleteLater()
    qtbot.waitUntil(lambda: guard.capability is Capability.PROTECTED, timeout=2000)


def test_hidden_windows_do_not_count(qtbot: QtBot, guard: CaptureGuard, protector: FakeProtector,
                                     main: QMainWindow) -> None:
    protector.results[int(main.winId())] = FAIL
    show(qtbot, main)
    assert guard.capability is Capability.UNSUPPORTED
    main.hide()
    assert guard.result.capability is Capability.PROTECTED  # back to the OS expectation


def test_a_protector_error_is_logged_not_raised(qtbot: QtBot, guard: CaptureGuard, protector: FakeProtector,
                                                main: QMainWindow, caplog: pytest.LogCaptureFixture) -> None:
    protector.raises = True
    with caplog.at_level(logging.ERROR, logger="workstation.ui.capture_guard"):
        show(qtbot, main)
    assert guard.capability is Capability.UNSUPPORTED
    assert "OSError" in guard.detail
    assert any("protector failed" in record.getMessage() for record in caplog.records)


def test_a_window_not_ready_is_retried(qtbot: QtBot, guard: CaptureGuard, protector: FakeProtector,
                                       main: QMainWindow) -> None:
    not_yet = ProtectionResult(Capability.UNSUPPORTED, "not in a window yet", retry=True)
    protector.results[int(main.winId())] = [not_yet, not_yet, OK]  # WinIdChange was before: the next calls
    show(qtbot, main)
    qtbot.waitUntil(lambda: guard.capability is Capability.PROTECTED, timeout=3000)
    assert guard.result_for(main) == OK
    assert protector.calls.count(int(main.winId())) >= 3


def test_non_native_window_ids_are_never_passed_down(qtbot: QtBot, qapp: QApplication, main: QMainWindow) -> None:
    windows_only = FakeProtector(qt_platform="windows")
    guard = CaptureGuard(windows_only)
    guard.install(qapp)
    try:
        show(qtbot, main)
        assert windows_only.calls == []
        assert guard.capability is Capability.UNSUPPORTED
        assert f"'{qapp.platformName()}' platform" in guard.detail
    finally:
        guard.remove()


def test_install_protects_windows_already_shown(qtbot: QtBot, qapp: QApplication, main: QMainWindow) -> None:
    main_id = show(qtbot, main)
    protector = FakeProtector()
    guard = CaptureGuard(protector)
    guard.install(qapp)
    try:
        assert main_id in protector.calls
    finally:
        guard.remove()
    main.hide()
    main.show()
    assert protector.calls.count(main_id) == 1  # removed: no longer watching


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="this machine's answer is Linux's")
def test_on_this_linux_machine_the_guard_reports_unsupported(qtbot: QtBot, qapp: QApplication,
                                                             main: QMainWindow) -> None:
    guard = CaptureGuard()
    guard.install(qapp)
    try:
        show(qtbot, main)
        assert guard.capability is Capability.UNSUPPORTED
        assert guard.detail == "Screen capture cannot be blocked on Linux: there is no OS facility for it."
    finally:
        guard.remove()
