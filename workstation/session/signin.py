"""Who may work at this seat: sign-in, offline continuation, sign-out and expiry. No Qt here.

Rules (each a method of :class:`SeatSession`, called by the UI off its thread where it is slow):

* **Online sign-in** — the hub checks the device and the password. The annotator's decisions left on
  this seat start to go with her new session; any other annotator's unfinished shift here is shredded
  (only one shift is readable on a seat; its owner's next sign-in re-keys it, anywhere); the hub hands
  out her shift; an offline password verifier is made from the password the hub just accepted and kept
  in the key store next to the shift key.
* **Offline continuation** — when the hub cannot be reached and a shift's clips and key are all on this
  PC, only that shift's owner may go on with it, with her own password checked against that verifier.
  Wrong passwords wait longer and longer (kept in the store across restarts); every attempt is audited
  (``offline_continue`` / ``offline_refused``). Her decisions wait in the outbox for her next online
  sign-in on this seat.
* **Sign-out** — the shift is shredded here at once (key, verifier, sealed keys, cache); her decisions
  and the seat's audit chain go to the hub while her session still works, then the session ends.
* **Expiry** — a shift key older than the policy's ``shift_key_hours`` is shredded, also mid-shift.

Protects against: anyone at a shared seat going on with another annotator's shift, or having their
decisions attributed to her, while the hub is away. Does not protect against what
:mod:`workstation.session.password` says it does not (a copy of the OS account's key store).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from workstation.errors import WorkstationError
from workstation.labeling.shift import ShiftState, verifier_key_name
from workstation.session.enrollment import DeviceState, device_key, ensure_enrolled
from workstation.session.outbox import OutboxOwner
from workstation.session.password import Attempts, LocalPassword, wait_words
from workstation.session.seat import Seat
from workstation.session.starting import Progress, start_shift
from workstation.sync.client import Session

log = logging.getLogger(__name__)

_ATTEMPTS = "offline-attempts:"
SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class Opened:
    """A shift ready to work on: its state, the verifier that unlocks the idle lock, and how it opened."""

    state: ShiftState
    password: LocalPassword
    offline: bool


@dataclass(frozen=True)
class DeskOpened:
    """A supervisor signed in: the dashboard opens; taking a shift is optional (:meth:`SeatSession.take_shift`)."""

    user: str
    password: LocalPassword


@dataclass(frozen=True)
class OfflineOffer:
    """A shift on this PC that its owner can go on with while the hub is away."""

    shift_id: str
    owner: str
    done: int
    total: int


class OfflineRefused(WorkstationError):
    """Offline continuation was refused; ``wait_s`` > 0 while wrong passwords make it wait."""

    def __init__(self, message: str, *, hint: str = "", wait_s: float = 0.0) -> None:
        super().__init__(message, hint=hint)
        self.wait_s = wait_s


class SeatSession:
    """The seat's sign-in, offline continuation, sign-out and expiry rules, over one :class:`Seat`."""

    def __init__(self, seat: Seat, outbox: OutboxOwner, *, clock: Callable[[], float] = time.time) -> None:
        self.seat = seat
        self.outbox = outbox
        self.clock = clock
        self.device: DeviceState | None = None
        self.role = ""
        """The signed-in user's role, as the hub said at sign-in ("" before)."""

    # -- the device --------------------------------------------------------------------------------
    def check_device(self) -> DeviceState:
        """Enroll this seat if the hub does not know it yet; its approval state (network)."""
        seat = self.seat
        self.device = ensure_enrolled(seat.client, seat.keystore, seat.store, seat.policy.seat)
        return self.device

    # -- online --------------------------------------------------------------------------------------
    def sign_in(self, username: str, password: str, *, progress: Progress | None = None,
                on_signed_in: Callable[[], None] | None = None) -> Opened | DeskOpened:
        """Sign in with the hub and open the annotator's shift — or, for a supervisor, the dashboard (network;
        slow: run off the UI thread).

        ``on_signed_in()`` is called once the hub accepted the password, before the shift downloads."""
        seat = self.seat
        if self.device is None:
            self.check_device()
        assert self.device is not None
        device_id = self.device.device_id
        session: Session = seat.client.sign_in(username, password, device_id, device_key(seat.keystore))
        user = session.user  # the hub's spelling of the name, which every record uses
        self.outbox.signed_in(session, device_id)
        if on_signed_in is not None:
            on_signed_in()
        for record in seat.store.shifts():
            if record.status != "ended" and record.username != user:
                seat.service.shred(record.shift_id, "other_user")  # only one readable shift on a seat
        verifier = LocalPassword(user, password)  # slow (scrypt): made once, for idle lock and offline continuation
        self.role = session.role
        if session.role == SUPERVISOR:
            seat.store.audit("sign_in", device_id=device_id, user=user, data={"offline": False, "role": session.role})
            return DeskOpened(user, verifier)
        return self._open_shift(user, device_id, verifier, progress)

    def sign_in_to_shift(self, username: str, password: str, *, progress: Progress | None = None) -> ShiftState:
        """Sign in and open a shift, for an annotator (the benchmark and scripted seats); a supervisor also
        takes one at once."""
        opened = self.sign_in(username, password, progress=progress)
        if isinstance(opened, DeskOpened):
            opened = self.take_shift(opened.password, progress=progress)
        return opened.state

    def take_shift(self, verifier: LocalPassword, *, progress: Progress | None = None) -> Opened:
        """A signed-in supervisor takes a shift after all (network; slow)."""
        if self.device is None or self.outbox.username is None:
            raise OfflineRefused("Sign in again to take a shift.")
        return self._open_shift(self.outbox.username, self.device.device_id, verifier, progress)

    def _open_shift(self, user: str, device_id: str, verifier: LocalPassword, progress: Progress | None) -> Opened:
        seat = self.seat
        state = start_shift(seat.service, seat.client, username=user, device_id=device_id,
                            size=seat.policy.shift_size, deliver=self.outbox.send_now, progress=progress)
        seat.keystore.put(verifier_key_name(state.shift_id), verifier.to_bytes())
        seat.store.set_meta(_ATTEMPTS + state.shift_id, "")
        seat.service.audit(state.shift_id, "sign_in", None, {"offline": False, "role": self.role})
        return Opened(state, verifier, offline=False)

    # -- offline -------------------------------------------------------------------------------------
    def offline_offer(self) -> OfflineOffer | None:
        """The shift on this PC that can go on without the hub (all its clips and key here), else None."""
        try:
            state = self.seat.service.resumable()
        except WorkstationError:
            return None
        if state is None:
            return None
        return OfflineOffer(state.shift_id, state.record.username, state.done, state.total)

    def continue_offline(self, username: str, password: str) -> Opened:
        """Go on with the shift on this PC without the hub: only its owner, with her own password (slow)."""
        seat = self.seat
        state = seat.service.resumable()
        if state is None:
            raise OfflineRefused("There is no shift on this PC that can go on without the hub.",
                                 hint="Sign in once the hub answers again.")
        owner, shift_id = state.record.username, state.shift_id
        if username != owner:
            raise OfflineRefused(f"This PC holds {owner}'s shift: only {owner} can go on with it offline, "
                                 "with their own password.", hint="Sign in once the hub answers again.")
        attempts = self._attempts(shift_id)
        left = attempts.wait_left()
        if left > 0:
            raise OfflineRefused(f"Too many wrong passwords: try again in {wait_words(left)}.", wait_s=left)
        raw = seat.keystore.get(verifier_key_name(shift_id))
        try:
            verifier = LocalPassword.from_bytes(raw) if raw is not None else None
        except ValueError:
            verifier = None
        if verifier is None or verifier.username != owner:
            raise OfflineRefused("This shift cannot go on offline: this PC has no way to check the password.",
                                 hint="Sign in once the hub answers again.")
        if not verifier.verify(password):
            wait = attempts.failed()
            seat.store.set_meta(_ATTEMPTS + shift_id, attempts.to_text())
            seat.service.audit(shift_id, "offline_refused", None, {"wrong": attempts.wrong})
            if wait:
                raise OfflineRefused(f"That is not {owner}'s password. Try again in {wait_words(wait)}.", wait_s=wait)
            n = attempts.tries_left
            raise OfflineRefused(f"That is not {owner}'s password ({n} more {'try' if n == 1 else 'tries'} "
                                 "before a wait).")
        attempts.succeeded()
        seat.store.set_meta(_ATTEMPTS + shift_id, "")
        seat.service.audit(shift_id, "offline_continue", None, {})
        return Opened(state, verifier, offline=True)

    def _attempts(self, shift_id: str) -> Attempts:
        attempts = Attempts(clock=self.clock)
        attempts.load_text(self.seat.store.get_meta(_ATTEMPTS + shift_id))
        return attempts

    # -- the end ---------------------------------------------------------------------------------------
    def shred(self, shift_id: str, why: str) -> None:
        """The shift's clips leave this PC now (sign-out, expiry, access ended); decisions are kept."""
        service = self.seat.service
        service.audit(shift_id, "sign_out", None, {"why": why})
        if why == "sign_out":
            service.sign_out(shift_id)
        else:
            service.shred(shift_id, why)

    def tell_hub_signed_out(self) -> None:
        """Send her decisions and the audit chain with her session, then end it (network; never raises)."""
        self.outbox.end_session()
        self.seat.client.session = None

    def key_expired(self, shift_id: str) -> bool:
        """The shift's key is older than the machine policy allows (``shift_key_hours``)."""
        age = self.seat.service.key_age_s(shift_id)
        return age is not None and age > self.seat.policy.shift_key_hours * 3600

    def close_on_hub(self, shift_id: str) -> None:
        """Every clip decided: deliver the last decisions and close the shift on the hub (network). When the
        hub is away the next shift start does it."""
        if self.outbox.username is None or self.seat.client.session is None:
            return
        self.outbox.send_now()
        self.seat.client.close_shift(shift_id)
