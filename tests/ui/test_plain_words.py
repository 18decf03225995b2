"""A worker's screens speak plainly; commands, addresses and policy keys wait under "IT details"."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from workstation.ui.start_window import StartWindow


def _visible_text(widget: Any) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget))


def test_the_sign_in_page_names_the_seat_not_the_hub(qtbot: Any) -> None:
    window = StartWindow("https://hub.floor:8470", "seat-7")
    qtbot.addWidget(window)
    window.show()
    window.sign_in.set_device("approved", "")
    text = _visible_text(window.sign_in)
    assert "seat-7" in text and "hub.floor" not in text and "8470" not in text
    assert not window.sign_in.details.isVisibleTo(window.sign_in)


def test_a_seat_waiting_for_approval_gives_the_code_and_keeps_the_command_for_it(qtbot: Any) -> None:
    window = StartWindow("https://hub.floor:8470", "seat-7")
    qtbot.addWidget(window)
    window.show()
    page = window.sign_in
    page.set_device("pending", "K7Q2-9XPM")
    text = _visible_text(page)
    assert "K7Q2-9XPM" in text and "Tell IT" in text
    assert "python" not in text and "--data" not in text and "hub devices" not in text
    assert page.details.isVisibleTo(page) and not page.details.text.isVisibleTo(page)  # folded
    page.details.toggle.click()
    assert page.details.text.isVisibleTo(page)
    assert "hub devices approve K7Q2-9XPM" in page.details.text.text() and "hub.floor:8470" in page.details.text.text()
    page.set_device("approved", "")
    assert not page.details.isVisibleTo(page)  # nothing left for IT to do


def test_it_only_states_in_the_status_bar_are_neutral(qtbot: Any) -> None:
    from workstation.ui.status_bar import ShiftStatusBar

    bar = ShiftStatusBar("ana @ seat-7", "memory")
    qtbot.addWidget(bar)
    bar.set_capture("unsupported", "Screen capture cannot be blocked on Linux.")
    assert (bar.capture.property("state"), bar.keys.property("state")) == ("neutral", "neutral")
    assert "Linux" in bar.capture.toolTip() and "memory" in bar.keys.toolTip()
