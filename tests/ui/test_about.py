"""The About box: one version (``workstation.__version__``), the hub's when it says, reached by keyboard from the
start window and from the shift window's key help."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from workstation import __version__
from workstation.ui.about import AboutDialog
from workstation.ui.start_window import StartWindow


def _when_modal(ready: Callable[[QWidget], bool], check: Callable[[QWidget], None]) -> list[QWidget]:
    """Once a modal dialog is open and ``ready(dialog)``, run ``check(dialog)`` and close it (waits on events
    from inside its exec(), without a nested wait)."""
    seen: list[QWidget] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not ready(dialog):
            QTimer.singleShot(10, poll)
            return
        seen.append(dialog)
        try:
            check(dialog)
        finally:
            dialog.close()

    QTimer.singleShot(0, poll)
    return seen


def test_about_shows_the_apps_version_and_the_hubs(qtbot: Any) -> None:
    dialog = AboutDialog(None, lambda: "7.8.9")
    qtbot.addWidget(dialog)
    assert __version__ in dialog.version.text()
    qtbot.waitUntil(lambda: "7.8.9" in dialog.hub.text(), timeout=10_000)
    assert dialog.close_button.isDefault()


def test_about_says_when_the_hub_does_not_answer_or_is_not_known(qtbot: Any) -> None:
    def away() -> str | None:
        raise OSError("no route to the hub")

    unreachable = AboutDialog(None, away)
    qtbot.addWidget(unreachable)
    qtbot.waitUntil(lambda: unreachable.hub.text() == "Floor hub: not reachable now", timeout=10_000)
    silent = AboutDialog(None, lambda: None)
    qtbot.addWidget(silent)
    qtbot.waitUntil(lambda: silent.hub.text() == "Floor hub: its version is not known", timeout=10_000)
    alone = AboutDialog(None, None)
    qtbot.addWidget(alone)
    assert alone.hub.text() == "Floor hub: not connected"


def test_f1_on_the_start_window_opens_about(qtbot: Any) -> None:
    window = StartWindow("http://127.0.0.1:1", "seat-7")
    qtbot.addWidget(window)
    window.hub_version = lambda: "1.2.3"
    window.show()
    qtbot.waitExposed(window)
    assert window.about.focusPolicy() & Qt.FocusPolicy.TabFocus  # reachable with Tab too
    texts: list[str] = []

    def check(dialog: QWidget) -> None:
        assert isinstance(dialog, AboutDialog)
        texts.append(dialog.version.text())

    seen = _when_modal(lambda dialog: "1.2.3" in getattr(dialog, "hub", dialog).text(), check)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(seen) and QApplication.activeModalWidget() is None, timeout=10_000)
    assert texts == [f"Version {__version__}"]


def test_f1_in_the_key_help_opens_about_over_a_paused_clip(rig: Any) -> None:
    rig.window.hub_version = lambda: "4.5.6"
    rig.press(Qt.Key.Key_Question)
    assert rig.window.help.isVisible() and not rig.playback.playing
    versions: list[str] = []

    def check(dialog: QWidget) -> None:
        assert isinstance(dialog, AboutDialog)
        assert not rig.playback.playing  # nothing plays unwatched under it
        versions.append(dialog.hub.text())

    seen = _when_modal(lambda dialog: "4.5.6" in getattr(dialog, "hub", dialog).text(), check)
    rig.press(Qt.Key.Key_F1)
    rig.wait(lambda: bool(seen) and QApplication.activeModalWidget() is None)
    assert versions == ["Floor hub: version 4.5.6"] and not rig.window.help.isVisible()
    rig.wait(lambda: rig.playback.playing)  # it plays on afterwards, as before the help
