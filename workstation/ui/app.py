"""The app's flow: refuse with a reason, or enroll → sign in → download → shift window → sign out."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from workstation.errors import WorkstationError
from workstation.labeling.keymap import KeyMap
from workstation.labeling.shift import DeviceState, ShiftState, device_key, ensure_enrolled
from workstation.platform.capture import Capability
from workstation.seat import Seat
from workstation.sync.errors import HubUnavailable, HubUntrusted
from workstation.sync.outbox import OutboxSync, drain_audit, drain_once
from workstation.ui.audio_out import AudioOutput
from workstation.ui.capture_guard import CaptureGuard
from workstation.ui.controller import Audit, ShiftController
from workstation.ui.crash import CrashReporter
from workstation.ui.main_window import MainWindow
from workstation.ui.reauth import LocalPassword
from workstation.ui.start_window import StartWindow
from workstation.ui.tasks import run_in_background
from workstation.ui.theme import apply_theme
from workstation.ui.watermark import Watermark

log = logging.getLogger(__name__)


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName("Floor annotation")
        app.setOrganizationName("floor-workstation")
    apply_theme(app)
    return app


def freeze_long_lived() -> None:
    """Move everything alive when a shift starts (Qt wrappers, modules, the taxonomy…) out of the collector.

    A full collection walks every tracked object; with PySide6 and NumPy loaded that took ~17 ms on
    the UI thread at random moments. Objects made during the shift are still collected as usual.
    """
    gc.collect()
    gc.freeze()


class AppFlow(QObject):
    """Drives the start window, then hands over to the shift window."""

    sig_access_ended = Signal(str)
    """The hub refuses this seat or user for good (revoked, disabled); emitted from the sync thread."""

    def __init__(self, seat: Seat, *, autologin: tuple[str, str] | None = None,
                 on_shift_window: Callable[[MainWindow, ShiftController], None] | None = None) -> None:
        super().__init__()
        self.seat = seat
        self.autologin = autologin
        self.on_shift_window = on_shift_window
        self.start_window = StartWindow(seat.policy.hub_url, seat.policy.seat)
        self.start_window.sign_in.sig_sign_in.connect(self._sign_in)
        self.start_window.sign_in.sig_check_device.connect(self._check_device)
        self.start_window.sign_in.sig_offline.connect(self._continue_offline)
        self.device: DeviceState | None = None
        self.username = ""
        self.window: MainWindow | None = None
        self.controller: ShiftController | None = None
        self.sync: OutboxSync | None = None
        self.crash_reporter = CrashReporter(seat.data_dir / "crash-reports")
        self._typed: LocalPassword | None = None  # the last sign-in's password, hashed (memory only)
        self._password: LocalPassword | None = None  # what unlocks the idle lock of the open shift
        self.capture = CaptureGuard(parent=self)
        """Screen-capture protection of every window and dialog; its state is shown, audited and enforced."""
        self.capture.sig_changed.connect(self._on_capture_changed)
        self.sig_access_ended.connect(self._access_ended)
        self._expiry = QTimer(self)
        self._expiry.setInterval(60_000)
        self._expiry.timeout.connect(self._check_expiry)

    def start(self) -> None:
        self.crash_reporter.install()  # crash reports and log records carry no clip bytes
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.capture.install(app)  # before the first window shows
        self.start_window.show()
        if self._capture_refused():
            self.start_window.show_problem(
                "Clips cannot play on this seat", self.capture.detail,
                'The machine policy requires screen-capture protection (capture_protection = "require") and this '
                "seat cannot provide it. Ask IT for a protected seat, or to change the policy.")
        self._check_device()

    def _capture_refused(self) -> bool:
        """The policy requires capture protection and this seat does not have it."""
        return (self.seat.policy.capture_protection == "require"
                and self.capture.capability is not Capability.PROTECTED)

    def _on_capture_changed(self, capability: str, detail: str) -> None:
        if self.window is None or self.controller is None:
            return
        self.window.status.set_capture(capability, detail)
        self._audit_capture(self.controller.state.shift_id)
        refused = self._capture_refused()
        self.controller.guard.refuse_capture(
            f"Screen capture can no longer be blocked on this seat, and the machine policy requires it.\n\n"
            f"{detail}\n\nThe clip stays hidden until protection is back; tell IT." if refused else None)

    def _audit_capture(self, shift_id: str | None, *, refused: bool = False) -> None:
        data = {**self.capture.result.audit_data(), "policy": self.seat.policy.capture_protection}
        if refused:
            data["refused"] = True
        try:
            if shift_id is not None:
                self.seat.service.audit(shift_id, "capture_capability", None, data)
            elif self.device is not None:
                self.seat.store.audit("capture_capability", device_id=self.device.device_id, data=data)
        except WorkstationError as exc:
            log.warning("capture capability not audited: %s", exc)

    # -- enrollment and sign-in --------------------------------------------------------------------
    def _check_device(self) -> None:
        seat = self.seat
        run_in_background(lambda report: ensure_enrolled(seat.client, seat.keystore, seat.store, seat.policy.seat),
                          on_done=self._device_known, on_failed=self._sign_in_failed)

    def _device_known(self, device: DeviceState) -> None:
        self.device = device
        if self._capture_refused():  # no sign-in on this seat: the refusal stays, and is on record
            self._audit_capture(None, refused=True)
            return
        page = self.start_window.sign_in
        page.set_device(device.status, device.enrollment_code)
        if device.status == "approved" and self.autologin:
            name, password = self.autologin
            self.autologin = None
            page.username.setText(name)
            page.password.setText(password)
            QTimer.singleShot(0, page._submit)

    def _sign_in(self, username: str, password: str) -> None:
        assert self.device is not None
        seat, device_id = self.seat, self.device.device_id
        self.username = username

        def work(report: Callable[[Any], None]) -> ShiftState:
            report(("password", LocalPassword(username, password)))  # scrypt, off the UI thread
            seat.client.sign_in(username, password, device_id, device_key(seat.keystore))
            report(("signed-in",))
            return seat.service.start(seat.client, username=username, device_id=device_id,
                                      size=seat.policy.shift_size,
                                      progress=lambda *p: report(("progress", *p)))

        run_in_background(work, on_done=self._signed_in, on_failed=self._sign_in_failed,
                          on_progress=self._progress)

    def _progress(self, event: tuple[Any, ...]) -> None:
        if event[0] == "password":
            self._typed = event[1]
        elif event[0] == "signed-in":
            self.start_window.stack.setCurrentWidget(self.start_window.download)
        elif event[0] == "progress":
            self.start_window.download.set_progress(*event[1:])

    def _sign_in_failed(self, exc: Exception) -> None:
        if self._capture_refused():  # this seat plays nothing: the refusal stays whatever the hub says
            log.info("hub check on a refused seat failed: %s", type(exc).__name__)
            return
        page = self.start_window.sign_in
        self.start_window.stack.setCurrentWidget(page)
        if isinstance(exc, WorkstationError):
            detail = getattr(exc, "detail", "")
            if detail:
                log.warning("%s (%s)", exc, detail)
            page.show_error(exc.full_text())
        else:
            log.error("sign-in failed: %s", type(exc).__name__, exc_info=exc)
            page.show_error(f"Something went wrong while starting the shift ({type(exc).__name__}). "
                            "Try again; if it repeats, tell IT.")
        if self.device is not None:
            page.set_device(self.device.status, self.device.enrollment_code)
            page.ready_again()
        else:
            page.device_unknown()
        if isinstance(exc, (HubUnavailable, HubUntrusted)):
            self._offer_offline()

    def _offer_offline(self) -> None:
        """A shift whose clips and key are all on this PC can go on without the hub; decisions wait."""
        try:
            state = self.seat.service.resumable()
        except WorkstationError:
            state = None
        self._offline_state = state
        page = self.start_window.sign_in
        if state is not None:
            page.offline.setText(f"Continue {state.record.username}'s shift offline ({state.done} / {state.total})")
        page.offline.setVisible(state is not None)

    def _continue_offline(self) -> None:
        state = getattr(self, "_offline_state", None)
        if state is None:
            return
        self.username = state.record.username
        typed = self._typed
        # the hub could not check this password; it still binds the idle lock to whoever typed it here
        self._shift_ready(state, password=typed if typed is not None and typed.username == self.username else None)

    # -- the shift ---------------------------------------------------------------------------------
    def _signed_in(self, state: ShiftState) -> None:
        self._shift_ready(state, password=self._typed)

    def _shift_ready(self, state: ShiftState, *, password: LocalPassword | None = None) -> None:
        seat = self.seat
        self._typed = None
        self._password = password
        self.start_window.sign_in.password.clear()  # the typed password does not stay in a hidden field
        watermark = Watermark(self.username, seat.policy.seat)
        self.window = MainWindow(state.taxonomy, watermark, f"{self.username} @ {seat.policy.seat}",
                                 seat.keystore.kind, self._load_keymap())
        self.sync = OutboxSync(seat.store, seat.client, username=self.username, device_id=state.record.device_id)
        shift_id = state.shift_id
        service = seat.service

        def audio_reader(clip_id: str) -> Callable[[], Any]:
            clip = next(c for c in state.clips if c.clip_id == clip_id)
            return lambda: service.open_reader(shift_id, clip)  # a second decrypting reader, for the sound

        self.controller = ShiftController(self.window, service, state, self.sync,
                                          lambda clip_id: seat.open_source(shift_id, clip_id),
                                          blur=state.taxonomy.project in seat.policy.blur_projects,
                                          break_minutes=seat.policy.break_minutes,
                                          audio=AudioOutput(self.window), audio_reader=audio_reader,
                                          audit=self._audit_hook(shift_id),
                                          idle_lock_s=seat.policy.idle_lock_minutes * 60, password=password)
        self.controller.sig_keymap_changed.connect(self._save_keymap)
        self.controller.sig_shift_complete.connect(lambda: self._close_on_hub(shift_id))
        self.controller.sig_sign_out.connect(lambda: self.sign_out(shift_id))
        self.sync.set_withdrawn_listener(self.controller.withdrawn_listener())
        self.sync.set_access_ended_listener(lambda exc: self.sig_access_ended.emit(exc.full_text()))
        self.window.sig_closing.connect(self._close_shift_window)
        self.sync.start()
        self.start_window.hide()
        self.window.showMaximized()
        self.window.activateWindow()
        self.window.setFocus()
        self._on_capture_changed(self.capture.capability.value, self.capture.detail)  # shown, audited, enforced
        if seat.audit_breaks:
            first = min(b.seq for b in seat.audit_breaks.values())
            self.window.status.showMessage(f"This seat's audit log was altered after it was written (event {first}). "
                                           "That is on record; tell IT.")
        self._expiry.start()
        freeze_long_lived()
        self.controller.start()
        if self.on_shift_window:
            self.on_shift_window(self.window, self.controller)

    def _audit_hook(self, shift_id: str) -> Audit:
        """The seat's audit chain for this shift; the controller's events are written with its next commit."""
        service = self.seat.service
        return lambda kind, clip_id, data: service.audit(shift_id, kind, clip_id, data, defer=True)

    def _check_expiry(self) -> None:
        """Policy expiry: a shift key older than ``shift_key_hours`` is shredded, even mid-shift."""
        if self.controller is None:
            return
        shift_id = self.controller.state.shift_id
        age = self.seat.service.key_age_s(shift_id)
        hours = self.seat.policy.shift_key_hours
        if age is not None and age > hours * 3600:
            self.sign_out(shift_id, why="expired")
            self.start_window.sign_in.show_error(
                f"This shift ran longer than the machine policy allows ({hours} h), so its clips were removed from "
                "this PC. Your decisions are kept; sign in again to go on with a fresh key.")

    def _access_ended(self, text: str) -> None:
        """Revoked seat or disabled account: end the session here and shred the shift, saying why."""
        if self.controller is None:
            return
        self.sign_out(self.controller.state.shift_id)
        self.start_window.sign_in.show_error(text)

    def sign_out(self, shift_id: str, *, why: str = "sign_out") -> None:
        """End the session: close the shift window, tell the hub (if it answers), back to sign-in."""
        self._close_shift_window()
        if self.window is not None:
            window, self.window = self.window, None
            window.sig_closing.disconnect(self._close_shift_window)
            window.hide()
            window.deleteLater()
        self.controller = None
        self._password = None
        # CRYPTO-SHREDDING: the shift key leaves the key store and the cached ciphertext is removed (DESIGN.md,
        # data flow step 7); the shift stays open on the hub and the labels stay in the outbox until they sync.
        try:
            if why == "sign_out":
                self.seat.service.sign_out(shift_id)
            else:
                self.seat.service.shred(shift_id, why)
        except (WorkstationError, OSError) as exc:
            log.warning("sign-out: the shift could not be shredded on this PC: %s", exc)
        page = self.start_window.sign_in
        self.start_window.stack.setCurrentWidget(page)
        page.username.clear()
        page.password.clear()
        page.show_error("")
        if self.device is not None:
            page.set_device(self.device.status, self.device.enrollment_code)
        page.submit.setEnabled(False)  # until the hub was told (a new session must not cross the old one's end)
        self.start_window.show()
        self.start_window.activateWindow()
        client = self.seat.client

        store, username = self.seat.store, self.username
        record = store.shift(shift_id)
        device_id = record.device_id if record is not None else None

        def tell_hub(report: Callable[[Any], None]) -> None:
            try:  # what this session made goes first, while its token still works
                drain_once(store, client, username=username)
                if device_id is not None:
                    drain_audit(store, client, device_id)
            except WorkstationError as exc:
                log.info("sign-out: not everything was sent (%s); it goes with the next session", exc)
            client.sign_out()  # DELETE /sessions; the token is forgotten here even when the hub is away

        def failed(exc: Exception) -> None:
            log.info("the hub was not told of the sign-out: %s", type(exc).__name__)
            page.ready_again()

        run_in_background(tell_hub, on_done=lambda _: page.ready_again(), on_failed=failed)

    def _close_on_hub(self, shift_id: str) -> None:
        """Deliver the last decisions and close the shift on the hub; if the hub is away, the next
        shift start does it (ShiftService.start)."""
        seat = self.seat

        def work(report: Callable[[Any], None]) -> None:
            drain_once(seat.store, seat.client, username=self.username)
            seat.client.close_shift(shift_id)

        run_in_background(work, on_failed=lambda exc: log.info("shift close deferred: %s", exc))

    def _keymap_path(self) -> Path:
        return self.seat.data_dir / "keys" / f"{self.username}.json"

    def _load_keymap(self) -> KeyMap:
        try:
            return KeyMap.load(self._keymap_path())
        except WorkstationError as exc:
            log.warning("%s", exc)
            return KeyMap()

    def _save_keymap(self, keymap: KeyMap) -> None:
        try:
            keymap.save(self._keymap_path())
        except OSError as exc:
            if self.window is not None:
                self.window.status.showMessage(f"The new keys work now but could not be saved ({exc.strerror}).", 10000)

    def _close_shift_window(self) -> None:
        """Stop the shift: playback, prefetch, sound, deterrents and sync (the window itself stays)."""
        self._expiry.stop()
        if self.controller is not None:
            self.controller.close()
        if self.sync is not None:
            self.sync.stop()
            self.sync = None

    def shutdown(self) -> None:
        self._close_shift_window()
        self.crash_reporter.uninstall()


def show_refusal(app: QApplication, title: str, error: WorkstationError, hub_url: str = "", seat: str = "") -> StartWindow:
    """A start window that only explains why the app will not play (no traceback, no sign-in)."""
    window = StartWindow(hub_url or "(unknown)", seat or "(unknown)")
    window.show_problem(title, str(error), error.hint)
    window.show()
    return window

