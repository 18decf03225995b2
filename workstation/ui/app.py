"""The app's flow: refuse with a reason, or enroll → sign in → download → shift window → sign out."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from workstation.errors import WorkstationError
from workstation.labeling.keymap import KeyMap
from workstation.session.capture import REFUSAL_HINT, REFUSAL_TITLE, CaptureDecision, decide
from workstation.session.enrollment import DeviceState
from workstation.session.outbox import OutboxOwner
from workstation.session.seat import Seat
from workstation.session.signin import DeskOpened, OfflineOffer, OfflineRefused, Opened, SeatSession
from workstation.sync.errors import HubUnavailable, HubUntrusted
from workstation.ui.audio_out import AudioOutput
from workstation.ui.capture_guard import CaptureGuard
from workstation.ui.controller import Audit, ShiftController
from workstation.ui.crash import CrashReporter
from workstation.ui.dashboard.controller import DashboardController
from workstation.ui.dashboard.window import DashboardWindow
from workstation.ui.domain_text import domain_text, error_text
from workstation.ui.i18n import install_language
from workstation.ui.main_window import MainWindow
from workstation.ui.start_window import StartWindow
from workstation.ui.tasks import run_in_background, wait_for_background
from workstation.ui.theme import apply_theme
from workstation.ui.watermark import Watermark
from workstation.ui.words import CAPTURE_REFUSED, error_for_worker, said

log = logging.getLogger(__name__)


def application(argv: list[str] | None = None, language: str | None = None) -> QApplication:
    """The app's QApplication, themed and speaking ``language`` (the machine policy's: "" = the system's).

    ``language`` None keeps the language of an app already made (a new one speaks the system's)."""
    app = QApplication.instance()
    made = not isinstance(app, QApplication)
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName("Floor annotation")
        app.setOrganizationName("floor-workstation")
    if language is not None or made:
        spoken = install_language(app, language or "")
        log.info("the app speaks %s", spoken)
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
    """Drives the start window, then hands over to the shift window. The rules are the session layer's
    (:class:`~workstation.session.signin.SeatSession`); this renders them and runs the slow ones off the UI thread."""

    sig_access_ended = Signal(str)
    """The hub refuses this seat or user for good (revoked, disabled); emitted from the sync thread."""

    def __init__(self, seat: Seat, *, autologin: tuple[str, str] | None = None,
                 on_shift_window: Callable[[MainWindow, ShiftController], None] | None = None) -> None:
        super().__init__()
        self.seat = seat
        self.autologin = autologin
        self.on_shift_window = on_shift_window
        self.outbox = OutboxOwner(seat.store, seat.make_client())
        """The one sender of this seat's decisions and audit chain (each annotator's with her own session)."""
        self.session = SeatSession(seat, self.outbox)
        self.start_window = StartWindow(seat.policy.hub_url, seat.policy.seat)
        self.start_window.hub_version = self._hub_version
        self.start_window.sign_in.sig_sign_in.connect(self._sign_in)
        self.start_window.sign_in.sig_check_device.connect(self._check_device)
        self.start_window.sign_in.sig_offline.connect(self._continue_offline)
        self.username = ""
        self.window: MainWindow | None = None
        self.controller: ShiftController | None = None
        self.desk_window: DashboardWindow | None = None
        self.desk: DashboardController | None = None
        self.crash_reporter = CrashReporter(seat.data_dir / "crash-reports")
        self.capture = CaptureGuard(parent=self)
        """Screen-capture protection of every window and dialog; its state is shown, audited and enforced."""
        self.capture.sig_changed.connect(self._on_capture_changed)
        self.sig_access_ended.connect(self._access_ended)
        self._shut_down = False
        self._expiry = QTimer(self)
        self._expiry.setInterval(60_000)
        self._expiry.timeout.connect(self._check_expiry)

    @property
    def device(self) -> DeviceState | None:
        return self.session.device

    def start(self) -> None:
        self.crash_reporter.install()  # crash reports and log records carry no clip bytes
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.capture.install(app)  # before the first window shows
        self.outbox.start()
        self.start_window.show()
        if self.seat.damaged is not None:
            self.start_window.sign_in.show_error(domain_text(self.seat.damaged.sentence()))
        if self._capture_refused():
            self.start_window.show_problem(domain_text(REFUSAL_TITLE), said(CAPTURE_REFUSED), "",
                                           f"{self.capture.detail}\n{REFUSAL_HINT}")
        self._check_device()

    def _capture_refused(self) -> bool:
        """The policy requires capture protection and this seat does not have it."""
        return decide(self.seat.policy.capture_protection, self.capture.capability) is CaptureDecision.REFUSE

    def _on_capture_changed(self, capability: str, detail: str) -> None:
        if self.window is None or self.controller is None:
            return
        self.window.status.set_capture(capability, detail)
        self._audit_capture(self.controller.state.shift_id)
        refused = self._capture_refused()
        self.controller.guard.refuse_capture(
            self.tr("Screen capture can no longer be blocked on this seat, and the machine policy requires it.\n\n"
                    "{detail}\n\nThe clip stays hidden until protection is back; tell IT.").format(detail=detail)
            if refused else None)

    def _hub_version(self) -> str | None:
        """The hub's version as its health answer says (network: called off the UI thread, for the About box)."""
        client = self.seat.make_client()
        try:
            version = client.health().get("version")
        finally:
            client.close()
        return str(version) if version else None

    def _audit_capture(self, shift_id: str | None, *, refused: bool = False) -> None:
        data = {**self.capture.result.audit_data(), "policy": self.seat.policy.capture_protection.value}
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
        session = self.session
        run_in_background(lambda report: session.check_device(), on_done=self._device_known,
                          on_failed=self._sign_in_failed)

    def _device_known(self, device: DeviceState) -> None:
        if self._shut_down:  # the app closed while this was on its way
            return
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
        session = self.session

        def work(report: Callable[[Any], None]) -> Opened | DeskOpened:
            return session.sign_in(username, password, progress=lambda *p: report(("progress", *p)),
                                   on_signed_in=lambda: report(("signed-in",)))

        run_in_background(work, on_done=self._opened, on_failed=self._sign_in_failed,
                          on_progress=self._progress)

    def _progress(self, event: tuple[Any, ...]) -> None:
        if self._shut_down:  # the app closed while this was on its way
            return
        if event[0] == "signed-in":
            self.start_window.stack.setCurrentWidget(self.start_window.download)
        elif event[0] == "progress":
            self.start_window.download.set_progress(*event[1:])

    def _sign_in_failed(self, exc: Exception) -> None:
        if self._shut_down:  # the app closed while this was on its way
            return
        if self._capture_refused():  # this seat plays nothing: the refusal stays whatever the hub says
            log.info("hub check on a refused seat failed: %s", type(exc).__name__)
            return
        page = self.start_window.sign_in
        self.start_window.stack.setCurrentWidget(page)
        if isinstance(exc, WorkstationError):
            detail = getattr(exc, "detail", "")
            if detail:
                log.warning("%s (%s)", exc, detail)
        else:
            log.error("sign-in failed: %s", type(exc).__name__, exc_info=exc)
        page.show_error(*error_for_worker(exc))
        if self.device is not None:
            page.set_device(self.device.status, self.device.enrollment_code)
            page.ready_again()
        else:
            page.device_unknown()
        if isinstance(exc, (HubUnavailable, HubUntrusted)):
            self._offer_offline(self.session.offline_offer())

    def _offer_offline(self, offer: OfflineOffer | None) -> None:
        """A shift whose clips and key are all on this PC can go on without the hub, by its owner only."""
        self.start_window.sign_in.offer_offline(offer.owner, offer.done, offer.total) if offer is not None \
            else self.start_window.sign_in.offer_offline(None)

    def _continue_offline(self, username: str, password: str) -> None:
        session = self.session
        self.start_window.sign_in.offline.setEnabled(False)

        def failed(exc: Exception) -> None:
            if self._shut_down:
                return
            page = self.start_window.sign_in
            page.offline.setEnabled(True)
            page.password.clear()
            page.show_error(*error_for_worker(exc))
            if isinstance(exc, OfflineRefused) and exc.wait_s > 0:
                page.hold_offline(exc.wait_s)

        run_in_background(lambda report: session.continue_offline(username, password),
                          on_done=self._shift_ready, on_failed=failed)

    def _opened(self, opened: Opened | DeskOpened) -> None:
        if isinstance(opened, DeskOpened):
            self._desk_ready(opened)
        else:
            self._shift_ready(opened)

    # -- the supervisor's dashboard ----------------------------------------------------------------
    def _desk_ready(self, desk: DeskOpened) -> None:
        """A supervisor signed in: the dashboard opens (taking a shift is one button away)."""
        if self._shut_down:
            return
        from workstation.sync.supervisor import SupervisorApi

        self.username = desk.user
        page = self.start_window.sign_in
        page.password.clear()
        page.offer_offline(None)
        self.desk_window = DashboardWindow(f"{desk.user} @ {self.seat.policy.seat}")
        self.desk = DashboardController(self.desk_window, SupervisorApi(self.seat.client))
        self.desk_window.sig_sign_out.connect(self._desk_sign_out)
        self.desk_window.sig_take_shift.connect(lambda: self._take_shift(desk))
        self.start_window.hide()
        self.desk_window.showMaximized()
        self.desk.refresh()

    def _close_desk(self) -> None:
        window, self.desk_window, self.desk = self.desk_window, None, None
        if window is not None:
            window.hide()
            window.deleteLater()

    def _take_shift(self, desk: DeskOpened) -> None:
        session = self.session
        assert self.desk_window is not None
        self.desk_window.take_shift.setEnabled(False)
        self.desk_window.say(self.tr("Preparing your shift…"))

        def done(opened: Opened) -> None:
            self._close_desk()
            self._shift_ready(opened)

        def failed(exc: Exception) -> None:
            if self.desk_window is not None:
                self.desk_window.take_shift.setEnabled(True)
                self.desk_window.say(error_for_worker(exc)[0])

        run_in_background(lambda report: session.take_shift(desk.password), on_done=done, on_failed=failed)

    def _desk_sign_out(self) -> None:
        self._close_desk()
        page = self.start_window.sign_in
        self.start_window.stack.setCurrentWidget(page)
        page.username.clear()
        page.password.clear()
        page.show_error("")
        page.submit.setEnabled(False)
        self.start_window.show()
        session = self.session
        run_in_background(lambda report: session.tell_hub_signed_out(), on_done=self._hub_told,
                          on_failed=self._hub_told)

    # -- the shift ---------------------------------------------------------------------------------
    def _shift_ready(self, opened: Opened) -> None:
        if self._shut_down:  # the app closed while this was on its way
            return
        seat, state = self.seat, opened.state
        self.username = state.record.username
        page = self.start_window.sign_in
        page.password.clear()  # the typed password does not stay in a hidden field
        page.offline.setEnabled(True)
        page.offer_offline(None)
        watermark = Watermark(self.username, seat.policy.seat)
        self.window = MainWindow(state.taxonomy, watermark, f"{self.username} @ {seat.policy.seat}",
                                 seat.keystore.kind, self._load_keymap())
        shift_id = state.shift_id
        service = seat.service

        def audio_reader(clip_id: str) -> Callable[[], Any]:
            clip = next(c for c in state.clips if c.clip_id == clip_id)
            return lambda: service.open_reader(shift_id, clip)  # a second decrypting reader, for the sound

        self.controller = ShiftController(self.window, service, state, self.outbox,
                                          lambda clip_id: seat.open_source(shift_id, clip_id),
                                          blur=state.taxonomy.project in seat.policy.blur_projects,
                                          break_minutes=seat.policy.break_minutes,
                                          audio=AudioOutput(self.window), audio_reader=audio_reader,
                                          audit=self._audit_hook(shift_id),
                                          idle_lock_s=seat.policy.idle_lock_minutes * 60, password=opened.password,
                                          user=self.username, min_view_ms=seat.policy.min_view_ms)
        self.controller.sig_keymap_changed.connect(self._save_keymap)
        self.controller.sig_shift_complete.connect(lambda: self._close_on_hub(shift_id))
        self.controller.sig_sign_out.connect(lambda: self.sign_out(shift_id))
        self.outbox.set_withdrawn_listener(self.controller.withdrawn_listener())
        self.outbox.set_access_ended_listener(lambda exc: self.sig_access_ended.emit(error_text(exc)))
        self.window.hub_version = self._hub_version
        self.window.sig_closing.connect(self._close_shift_window)
        self.window.confirm_close = self.controller.close_question  # closing mid-shift asks once
        self.outbox.kick()
        self.start_window.hide()
        self.window.showMaximized()
        self.window.activateWindow()
        self.window.setFocus()
        self._on_capture_changed(self.capture.capability.value, self.capture.detail)  # shown, audited, enforced
        if opened.offline:
            self.window.status.showMessage(self.tr("The hub cannot be reached: you go on offline. Your decisions are "
                                                   "kept here and reach the hub after your next sign-in with it."),
                                           15000)
        if seat.audit_breaks:
            first = min(b.seq for b in seat.audit_breaks.values())
            self.window.status.showMessage(self.tr("This seat's audit log was altered after it was written (event "
                                                   "{event}). That is on record; tell IT.").format(event=first))
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
        if self.session.key_expired(shift_id):
            hours = self.seat.policy.shift_key_hours
            self.sign_out(shift_id, why="expired")
            self.start_window.sign_in.show_error(
                self.tr("This shift ran longer than the machine policy allows ({hours} h), so its clips were removed "
                        "from this PC. Your decisions are kept; sign in again to go on with a fresh key.")
                .format(hours=hours))

    def _access_ended(self, text: str) -> None:
        """Revoked seat or disabled account: end the session here and shred the shift, saying why."""
        if self.controller is None:
            return
        self.sign_out(self.controller.state.shift_id, why="access_ended")
        self.start_window.sign_in.show_error(text)

    def sign_out(self, shift_id: str, *, why: str = "sign_out") -> None:
        """End the session: close the shift window, shred the shift here, tell the hub (if it answers)."""
        self._close_shift_window()
        if self.window is not None:
            window, self.window = self.window, None
            window.sig_closing.disconnect(self._close_shift_window)
            window.hide()
            window.deleteLater()
        self.controller = None
        # CRYPTO-SHREDDING: the shift key leaves the key store and the cached ciphertext is removed (DESIGN.md,
        # data flow step 7); the shift stays open on the hub and the decisions stay in the outbox until they sync.
        try:
            self.session.shred(shift_id, why)
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
        session = self.session
        run_in_background(lambda report: session.tell_hub_signed_out(), on_done=self._hub_told,
                          on_failed=self._hub_told)

    def _hub_told(self, _result: object = None) -> None:
        """The sign-out reached the hub, or could not: the next annotator may sign in."""
        if not self._shut_down:
            self.start_window.sign_in.ready_again()

    def _close_on_hub(self, shift_id: str) -> None:
        """Deliver the last decisions and close the shift on the hub; if the hub is away, the next
        shift start does it."""
        session = self.session
        run_in_background(lambda report: session.close_on_hub(shift_id),
                          on_failed=lambda exc: log.info("shift close deferred: %s", exc))

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
                self.window.status.showMessage(self.tr("The new keys work now but could not be saved ({why}).")
                                               .format(why=exc.strerror), 10000)

    def _close_shift_window(self) -> None:
        """Stop the shift: playback, prefetch, sound and deterrents (the window itself stays)."""
        self._expiry.stop()
        if self.controller is not None:
            self.controller.close()
        self.outbox.set_withdrawn_listener(None)
        self.outbox.set_access_ended_listener(None)

    def shutdown(self) -> None:
        self._shut_down = True
        self._close_shift_window()
        self._close_desk()
        self.outbox.stop()
        # the store closes after this: nothing in the background may still be reading it (a hub that does not
        # answer holds an operation at most the client's timeout)
        if not wait_for_background(30.0):
            log.warning("a background operation still ran at shutdown")
        self.crash_reporter.uninstall()


def show_refusal(app: QApplication, title: str, error: WorkstationError, hub_url: str = "", seat: str = "", *,
                 worker: str | None = None) -> StartWindow:
    """A start window that only explains why the app will not play (no traceback, no sign-in).

    ``worker``: a plain sentence for the annotator; the error's own text then goes under "IT details"."""
    unknown = QCoreApplication.translate("AppFlow", "(unknown)")
    window = StartWindow(hub_url or unknown, seat or unknown)
    if worker is not None:
        window.show_problem(title, worker, "", error.full_text())
    else:
        window.show_problem(title, domain_text(error.message), domain_text(error.hint))
    window.show()
    return window

