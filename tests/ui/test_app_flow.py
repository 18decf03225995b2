"""The real app flow on the offscreen platform against a real hub on loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tests.hub_fixtures import PASSWORD
from workstation.policy import Policy
from workstation.session.seat import Seat
from workstation.ui.app import AppFlow, application, show_refusal
from workstation.vault.keystore import MemoryKeyStore, NoSecureKeyring


def _seat(tmp_path: Path, url: str) -> Seat:
    # min_view_ms=0: these tests press labels as soon as a clip shows (tests/ui/test_one_press.py covers the wait)
    return Seat.open(Policy(hub_url=url, key_store="memory", seat="seat-3", min_view_ms=0), data_dir=tmp_path / "ws",
                     keystore=MemoryKeyStore())


@contextmanager
def _on_a_shift(qtbot, tmp_path: Path, hub) -> Iterator[tuple[Any, Seat, AppFlow]]:  # type: ignore[no-untyped-def]
    """The app on a real shift: seat enrolled and approved, ana signed in by autologin, shift window shown."""
    service, _, url = hub
    seat = _seat(tmp_path, url)
    flow = AppFlow(seat, autologin=("ana", PASSWORD))
    qtbot.addWidget(flow.start_window)
    flow.start()
    try:
        qtbot.waitUntil(lambda: flow.device is not None, timeout=10_000)
        service.approve_device(flow.device.enrollment_code)  # type: ignore[union-attr]
        flow._check_device()
        qtbot.waitUntil(lambda: flow.window is not None and flow.window.isVisible(), timeout=30_000)
        yield service, seat, flow
    finally:
        flow.shutdown()
        seat.close()


def test_enroll_sign_in_download_label_sync(qtbot, tmp_path: Path, hub) -> None:  # type: ignore[no-untyped-def]
    service, _, url = hub
    seat = _seat(tmp_path, url)
    flow = AppFlow(seat)
    qtbot.addWidget(flow.start_window)
    flow.start()
    page = flow.start_window.sign_in
    qtbot.waitUntil(lambda: flow.device is not None, timeout=10_000)
    assert flow.device.status == "pending"  # type: ignore[union-attr]
    assert page.code.text() == flow.device.enrollment_code  # type: ignore[union-attr]
    assert not page.submit.isEnabled()
    service.approve_device(flow.device.enrollment_code)  # type: ignore[union-attr]
    qtbot.mouseClick(page.check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.submit.isEnabled, timeout=10_000)

    page.username.setText("ana")
    page.password.setText("not the password")
    qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.error.isVisible, timeout=10_000)
    assert "password" in page.error.text().lower()

    page.password.setText(PASSWORD)
    qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.window is not None and flow.window.isVisible(), timeout=30_000)
    window, controller = flow.window, flow.controller
    assert window is not None and controller is not None
    try:
        assert window.status.progress.text() == "0 / 6"
        assert window.status.keys.text() == "Keys: memory only"
        for _ in range(3):
            token = controller.token
            qtbot.waitUntil(lambda token=token: window.video.token == token and window.video._image is not None,
                            timeout=10_000)
            qtbot.keyClick(window, Qt.Key.Key_3)
        qtbot.waitUntil(lambda: seat.store.pending_count() == 0, timeout=15_000)
        qtbot.waitUntil(lambda: window.status.online.text() == "● online", timeout=5_000)
        qtbot.waitUntil(lambda: window.status.pending.text() == "all synced", timeout=15_000)
        assert window.status.progress.text() == "3 / 6"
    finally:
        window.confirm_close = None  # cleaning up, not an annotator closing mid-shift
        window.close()
        flow.shutdown()
        seat.close()


def test_hub_down_at_sign_in_is_explained(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    seat = _seat(tmp_path, f"http://127.0.0.1:{port}")
    flow = AppFlow(seat)
    qtbot.addWidget(flow.start_window)
    flow.start()
    page = flow.start_window.sign_in
    qtbot.waitUntil(page.error.isVisible, timeout=15_000)
    assert "The floor hub does not answer" in page.error.text()
    assert "127.0.0.1" not in page.error.text() and "Traceback" not in page.error.text()
    assert f"127.0.0.1:{port}" in page.details.text.text() and "cannot be reached" in page.details.text.text()
    assert not page.submit.isEnabled()
    flow.shutdown()
    seat.close()


def test_no_secure_keyring_refusal_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    app = application([])
    error = NoSecureKeyring("This PC has no secure keyring.", hint="IT can set key_store = \"memory\".")
    window = show_refusal(app, "Clips cannot play on this PC", error, "https://hub:8470", "seat-1")
    qtbot.addWidget(window)
    assert window.stack.currentWidget() is window.problem
    assert window.problem.message.text() == "This PC has no secure keyring."
    assert "memory" in window.problem.hint.text()


def _shift_left_on_the_seat(tmp_path: Path, hub, policy: Policy) -> str:  # type: ignore[no-untyped-def]
    """ana signs in online, decides one clip, and the app ends without signing out (crash, closed window)."""
    from tests.seat_fixtures import AtSeat

    service, _, _ = hub
    first = AtSeat.open(Seat.open(policy, data_dir=tmp_path / "ws"))
    first.approve(service)
    state = first.sign_in()
    first.seat.store.add_label(state.shift_id, state.clips[0].clip_id, "person", shown_at="2026-11-25T10:00:00Z",
                               next_clip=state.clips[1].clip_id)
    first.seat.close()
    return state.shift_id


def _restart_with_hub_away(qtbot, tmp_path: Path, policy: Policy) -> tuple[Seat, AppFlow]:  # type: ignore[no-untyped-def]
    seat = Seat.open(policy, data_dir=tmp_path / "ws")
    flow = AppFlow(seat)
    qtbot.addWidget(flow.start_window)
    flow.start()
    qtbot.waitUntil(flow.start_window.sign_in.offline.isVisible, timeout=15_000)
    return seat, flow


def _try_offline(qtbot, flow: AppFlow, name: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page = flow.start_window.sign_in
    page.username.setText(name)
    page.password.setText(password)
    page.error.setText("")
    qtbot.mouseClick(page.offline, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.window is not None or bool(page.error.text()), timeout=15_000)


def test_hub_down_after_a_restart_offers_the_shift_offline_to_its_owner_only(qtbot, tmp_path: Path, hub) -> None:  # type: ignore[no-untyped-def]
    from tests.keyring_backend import InMemoryKeyring, installed_keyring

    _service, server, url = hub
    with installed_keyring(InMemoryKeyring()):
        policy = Policy(hub_url=url, key_store="keyring", seat="seat-3", shift_size=3, min_view_ms=0)
        shift_id = _shift_left_on_the_seat(tmp_path, hub, policy)
        server.stop()  # the PC restarts while the hub is away
        seat, flow = _restart_with_hub_away(qtbot, tmp_path, policy)
        page = flow.start_window.sign_in
        try:
            assert page.offline.text() == "Continue ana's shift offline (1 / 3)"
            _try_offline(qtbot, flow, "mallory", "anything at all")  # someone else at the seat
            assert flow.window is None and "only ana can go on with it offline" in page.error.text()
            _try_offline(qtbot, flow, "ana", "not her password")  # or guessing ana's password
            assert flow.window is None and "not ana's password" in page.error.text()
            assert page.password.text() == ""
            _try_offline(qtbot, flow, "ana", PASSWORD)
            assert flow.window is not None
            qtbot.waitUntil(lambda: flow.window is not None and flow.window.isVisible(), timeout=10_000)
            assert flow.controller is not None
            assert flow.controller.index == 1  # the clip the annotator was on
            token = flow.controller.token
            qtbot.waitUntil(lambda: flow.window.video.token == token and flow.window.video._image is not None,
                            timeout=10_000)
            qtbot.keyClick(flow.window, Qt.Key.Key_2)
            assert seat.store.pending_count() == 2  # kept until the hub answers
            seat.service.flush_audit()
            device = seat.store.shift(shift_id).device_id  # type: ignore[union-attr]
            kinds = [e["kind"] for e in seat.store.audit_events(device)]
            assert kinds.count("offline_refused") == 1 and kinds.count("offline_continue") == 1
            flow.window.confirm_close = None
            flow.window.close()
        finally:
            flow.shutdown()
            seat.close()


def test_wrong_offline_passwords_wait_longer_and_longer_across_restarts(qtbot, tmp_path: Path, hub) -> None:  # type: ignore[no-untyped-def]
    from tests.keyring_backend import InMemoryKeyring, installed_keyring

    _service, server, url = hub
    with installed_keyring(InMemoryKeyring()):
        policy = Policy(hub_url=url, key_store="keyring", seat="seat-3", shift_size=3, min_view_ms=0)
        _shift_left_on_the_seat(tmp_path, hub, policy)
        server.stop()
        seat, flow = _restart_with_hub_away(qtbot, tmp_path, policy)
        try:
            for _ in range(5):
                _try_offline(qtbot, flow, "ana", "a guess")
            page = flow.start_window.sign_in
            assert "Try again in 30 seconds" in page.error.text() and not page.offline.isEnabled()
        finally:
            flow.shutdown()
            seat.close()
        # a restart does not start the count over: even her right password waits
        seat, flow = _restart_with_hub_away(qtbot, tmp_path, policy)
        try:
            _try_offline(qtbot, flow, "ana", PASSWORD)
            assert flow.window is None and "Too many wrong passwords" in flow.start_window.sign_in.error.text()
        finally:
            flow.shutdown()
            seat.close()


def test_require_capture_protection_refuses_on_this_linux_seat(qtbot, tmp_path: Path, hub) -> None:  # type: ignore[no-untyped-def]
    """Linux has no way to block screen capture: under capture_protection = "require" nothing plays, with the reason."""
    _, _, url = hub
    seat = Seat.open(Policy(hub_url=url, key_store="memory", seat="seat-3", capture_protection="require"),
                     data_dir=tmp_path / "ws", keystore=MemoryKeyStore())
    flow = AppFlow(seat)
    qtbot.addWidget(flow.start_window)
    flow.start()
    try:
        window = flow.start_window
        assert window.stack.currentWidget() is window.problem
        qtbot.waitUntil(lambda: flow.device is not None, timeout=10_000)
        assert window.stack.currentWidget() is window.problem  # the device check does not bring sign-in back
        worker = " ".join(w.text() for w in (window.problem.title, window.problem.message, window.problem.hint))
        assert "Clips cannot play on this seat" in worker and "screen recordings" in worker
        assert "capture_protection" not in worker and "Linux" not in worker  # IT's words, folded away
        it = window.problem.details.text.text()
        assert window.problem.details.isVisibleTo(window) and "Linux" in it and 'capture_protection = "require"' in it
        events = seat.store.audit_events(flow.device.device_id)  # type: ignore[union-attr]
        assert [(e["kind"], e["data"]["capability"], e["data"].get("refused")) for e in events] == [
            ("capture_capability", "unsupported", True)]
        window.resize(1200, 800)
        window.grab().save(str(tmp_path / "require.png"))
    finally:
        flow.shutdown()
        seat.close()


def test_require_refusal_stays_when_the_hub_is_away(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    seat = Seat.open(Policy(hub_url=f"http://127.0.0.1:{port}", key_store="memory", seat="seat-3",
                            capture_protection="require"), data_dir=tmp_path / "ws", keystore=MemoryKeyStore())
    flow = AppFlow(seat)
    qtbot.addWidget(flow.start_window)
    flow.start()
    try:
        qtbot.wait(1500)  # the device check fails meanwhile
        assert flow.start_window.stack.currentWidget() is flow.start_window.problem
    finally:
        flow.shutdown()
        seat.close()


def test_a_revoked_seat_ends_the_session_and_shreds(qtbot, tmp_path: Path, hub) -> None:  # type: ignore[no-untyped-def]
    """IT revokes the seat mid-shift: at the next sync the app signs out, shreds the shift, and says why."""
    with _on_a_shift(qtbot, tmp_path, hub) as (service, seat, flow):
        window, controller = flow.window, flow.controller
        assert window is not None and controller is not None
        shift_id = controller.state.shift_id
        qtbot.waitUntil(lambda: window.video._image is not None, timeout=10_000)
        qtbot.keyClick(window, Qt.Key.Key_1)
        qtbot.waitUntil(lambda: seat.store.pending_count() == 0 and seat.store.unsent_audit_count() == 0,
                        timeout=15_000)  # labels and the audit chain reached the hub
        service.revoke_device(flow.device.device_id)  # type: ignore[union-attr]
        qtbot.keyClick(window, Qt.Key.Key_2)  # the next sync meets the revocation
        qtbot.waitUntil(lambda: flow.window is None, timeout=20_000)
        page = flow.start_window.sign_in
        assert flow.start_window.stack.currentWidget() is page and "revoked" in page.error.text()
        assert seat.keystore.get(f"shift-{shift_id}") is None
        assert not (seat.cache.root / shift_id).exists()
        assert len(seat.store.labels(shift_id)) == 2  # kept, to sync if the seat is ever allowed again


def test_a_shift_past_the_policy_key_age_is_shredded_mid_shift(qtbot, tmp_path: Path, hub) -> None:  # type: ignore[no-untyped-def]
    with _on_a_shift(qtbot, tmp_path, hub) as (_service, seat, flow):
        assert flow.controller is not None
        shift_id = flow.controller.state.shift_id
        flow._check_expiry()
        assert flow.window is not None  # a fresh key: nothing happens
        seat.store.set_meta("shiftkey-made:" + shift_id, "2026-01-01T00:00:00.000Z")
        flow._check_expiry()
        assert flow.window is None and seat.keystore.get(f"shift-{shift_id}") is None
        assert "longer than the machine policy allows (12 h)" in flow.start_window.sign_in.error.text()
        kinds = [e["kind"] for e in seat.store.audit_events(flow.device.device_id)]  # type: ignore[union-attr]
        assert "shred" in kinds
