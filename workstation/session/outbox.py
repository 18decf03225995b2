"""The one owner of the seat's outbox: labels and audit events on their way to the hub. No Qt here.

Decisions are committed locally first (label + outbox row + audit event in one transaction); only
:class:`OutboxOwner` sends them, on its own thread, or — for a session's last words before it ends —
on the caller's thread under the same lock, so no two sends ever run at once.

Whose items go: every decision belongs to the annotator who made it, and goes only with **her own**
hub session. While annotator A is signed in, the owner sends A's items; items another annotator left on
this seat (made offline, or not yet sent when she signed out) wait in the outbox, untouched and not
counted as refused, until she signs in here again. The seat's audit chain belongs to the seat (the
device), and goes with whoever is signed in.

Every item carries a client-made UUID and the hub stores it idempotently, so a batch retried after a
lost answer changes nothing. The hub answers per item: accepted, duplicate (already stored, same
author and content) or rejected with a reason; a rejected item is set aside here (kept and counted,
never resent), so it cannot block the others. Failures back off exponentially with full jitter and a
``Retry-After`` from the hub is honoured. The UI only reads :attr:`OutboxOwner.status`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from workstation.errors import WorkstationError
from workstation.labeling.store import LocalStore, OutboxItem
from workstation.sync.client import HubClient, Session, check_label_item
from workstation.sync.errors import HubAuthError, HubRateLimited, HubRejected, HubUnavailable, HubUntrusted
from workstation.sync.retry import backoff_delay

log = logging.getLogger(__name__)

BATCH_SIZE = 100
AUDIT_BATCH = 200


class AuditRefused(WorkstationError):
    """The hub refused the seat's audit events: the chain does not continue what the hub holds."""


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows: ``online`` is None until the first attempt.

    ``pending``: the signed-in annotator's decisions not yet on the hub; ``others``: decisions other
    annotators made on this seat, waiting for them to sign in here; ``rejected``: set aside for good."""

    online: bool | None
    pending: int
    message: str = ""
    rejected: int = 0
    others: int = 0


@dataclass(frozen=True)
class Sent:
    labels: int = 0
    audit: int = 0


class OutboxOwner:
    """Sends the signed-in annotator's decisions and the seat's audit chain; one thread, one lock."""

    def __init__(self, store: LocalStore, client: HubClient, *, on_status: Callable[[SyncStatus], None] | None = None,
                 idle_poll_s: float = 15.0, batch_size: int = BATCH_SIZE, audit_batch: int = AUDIT_BATCH) -> None:
        """``client``: a hub client of the owner's own (its session is set by :meth:`signed_in`)."""
        self._store = store
        self._client = client
        self._on_status = on_status or (lambda status: None)
        self._on_withdrawn: Callable[[list[str]], None] | None = None
        self._on_access_ended: Callable[[HubAuthError], None] | None = None
        self._idle_poll_s = idle_poll_s
        self._batch = batch_size
        self._audit_batch = audit_batch
        self._send_lock = threading.Lock()
        self._username: str | None = None
        self._device_id: str | None = None
        self._audit_refused: str | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._attempt = 0
        self.status = SyncStatus(None, 0)

    # -- who is signed in ----------------------------------------------------------------------------
    @property
    def username(self) -> str | None:
        """The annotator whose decisions go now (None: nobody is signed in with the hub)."""
        return self._username

    def signed_in(self, session: Session, device_id: str) -> None:
        """``session`` (the hub's answer to a sign-in on this seat) is now the one decisions go with."""
        with self._send_lock:
            self._client.session = session
            self._username = session.user
            self._device_id = device_id
            self._audit_refused = None
            self._attempt = 0
        self.kick()

    def end_session(self) -> Sent:
        """The annotator signs out: send what she made and the audit chain while her session still works,
        then end the session on the hub. The session is forgotten here even when the hub is away; what
        could not be sent waits for her next sign-in (labels) or the next one of anybody (audit)."""
        sent = Sent()
        with self._send_lock:
            try:
                if self._username is not None:
                    sent = self._send()
            except WorkstationError as exc:
                log.info("sign-out: not everything was sent (%s); it goes with the next session", exc)
            try:
                self._client.sign_out()  # DELETE /sessions; forgets the token even when it fails
            except WorkstationError as exc:
                log.info("the hub was not told of the sign-out: %s", type(exc).__name__)
            self._username = None
            self._device_id = None
        self._publish(None)
        return sent

    # -- sending ---------------------------------------------------------------------------------------
    def send_now(self) -> Sent:
        """Send the signed-in annotator's decisions and the audit chain now, on this thread (transport
        errors are raised; what was not sent stays queued)."""
        with self._send_lock:
            if self._username is None:
                return Sent()
            return self._send()

    def _send(self) -> Sent:
        assert self._username is not None
        labels = self._send_labels(self._username)
        audit = 0
        if self._device_id is not None and self._audit_refused is None:
            try:
                audit = self._send_audit(self._device_id)
            except AuditRefused as exc:  # for good: labels go on, the audit log waits for IT
                self._audit_refused = str(exc)
                log.error("%s", exc)
        return Sent(labels, audit)

    def _send_labels(self, username: str) -> int:
        sent = 0
        while True:
            items = self._store.pending_outbox(self._batch, username=username)
            if not items:
                return sent
            items = self._sendable(items)
            if not items:
                continue
            try:
                result = self._client.post_labels([item.payload for item in items])
            except HubRejected as exc:  # the body as a whole was refused: find the item, set only it aside
                if len(items) > 1:
                    sent += self._one_by_one(items)
                    continue
                self._set_aside(items[0], str(exc))
                continue
            if result.withdrawn and self._on_withdrawn is not None:
                self._on_withdrawn(list(result.withdrawn))
            acknowledged = set(result.accepted) | set(result.duplicates)
            ids = [item.id for item in items if item.id in acknowledged]
            self._store.mark_sent(ids)
            sent += len(ids)
            refused = {r.id: r for r in result.rejected}
            for item in items:
                if item.id in refused:
                    self._set_aside(item, refused[item.id].reason)
            missing = [item.id for item in items if item.id not in acknowledged and item.id not in refused]
            if missing:
                self._store.mark_failed(missing, "the hub did not acknowledge these items")
                raise WorkstationError(f"The hub did not acknowledge {len(missing)} decision(s); they stay queued.")

    def _one_by_one(self, items: list[OutboxItem]) -> int:
        sent = 0
        for item in items:
            try:
                result = self._client.post_labels([item.payload])
            except HubRejected as exc:
                self._set_aside(item, str(exc))
                continue
            if item.id in set(result.accepted) | set(result.duplicates):
                self._store.mark_sent([item.id])
                sent += 1
            else:
                reason = next((r.reason for r in result.rejected if r.id == item.id), "not acknowledged")
                self._set_aside(item, reason)
        return sent

    def _sendable(self, items: list[OutboxItem]) -> list[OutboxItem]:
        """The items in the shape the hub takes; any other is set aside (kept, counted) so it cannot block the
        rest of its author's outbox — an old store's leftover or a damaged row is never sent, never lost."""
        good = []
        for item in items:
            try:
                check_label_item(item.payload)
            except ValueError as exc:
                self._set_aside(item, f"not sent: {exc}")
                continue
            good.append(item)
        return good

    def _set_aside(self, item: OutboxItem, reason: str) -> None:
        self._store.mark_rejected(item.id, reason)
        log.warning("outbox item %s set aside for good (kept, not sent): %s", item.id, reason)

    def _send_audit(self, device_id: str) -> int:
        """This seat's unsent audit events in chain order; the hub checks each batch continues its chain."""
        sent = 0
        while True:
            events = self._store.unsent_audit(device_id, self._audit_batch)
            if not events:
                return sent
            try:
                result = self._client.post_audit(events)
            except HubRejected as exc:
                raise AuditRefused(f"The hub refused this seat's audit log: {exc}",
                                   hint="Tell IT: the local audit log no longer continues what the hub holds.") \
                    from exc
            acknowledged = set(result.accepted) | set(result.duplicates)
            ids = [e["id"] for e in events if e["id"] in acknowledged]
            self._store.mark_audit_sent(ids)
            sent += len(ids)
            if len(ids) < len(events):
                raise WorkstationError(f"The hub did not acknowledge {len(events) - len(ids)} audit event(s); "
                                       "they stay queued.")

    # -- the background thread -------------------------------------------------------------------------
    def set_listener(self, on_status: Callable[[SyncStatus], None]) -> None:
        """Who hears status changes (called on the sync thread)."""
        self._on_status = on_status

    def set_withdrawn_listener(self, on_withdrawn: Callable[[list[str]], None] | None) -> None:
        """Who hears of clips the hub disposed of (called on the sync thread with their ids)."""
        self._on_withdrawn = on_withdrawn

    def set_access_ended_listener(self, on_access_ended: Callable[[HubAuthError], None] | None) -> None:
        """Who hears that the hub refuses this seat or user for good (403; called on the sync thread)."""
        self._on_access_ended = on_access_ended

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="outbox-sync", daemon=True)
            self._thread.start()

    def kick(self) -> None:
        """Ask for a send now (after a decision was committed)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def counts(self) -> tuple[int, int, int]:
        """(the signed-in annotator's pending decisions, other annotators' waiting ones, set aside)."""
        mine = self._store.pending_count(username=self._username) if self._username is not None else 0
        return mine, self._store.pending_count() - mine, self._store.rejected_count()

    def _publish(self, online: bool | None, message: str = "") -> None:
        try:
            mine, others, rejected = self.counts()
        except WorkstationError:
            mine, others, rejected = -1, 0, 0
        self.status = SyncStatus(online, mine, message, rejected, others)
        self._on_status(self.status)

    def _run(self) -> None:
        while not self._stop.is_set():
            delay = self._idle_poll_s
            try:
                if self._username is not None:
                    self.send_now()
                    self._attempt = 0
                    self._publish(True, self._audit_refused or "")
                else:  # offline continuation, or nobody signed in: decisions wait for their author's sign-in
                    self._publish(False, "Not signed in with the hub: decisions are kept here and go after the "
                                         "next sign-in.")
            except HubRateLimited as exc:
                self._attempt += 1
                delay = max(exc.retry_after or 0.0, backoff_delay(self._attempt))
                self._publish(True, f"hub busy, retrying in {delay:.0f} s")
            except HubUntrusted as exc:  # IT must fix the certificate or policy: look again now and then
                self._attempt += 1
                delay = max(300.0, backoff_delay(self._attempt))
                self._publish(False, str(exc))
            except HubUnavailable as exc:
                self._attempt += 1
                delay = backoff_delay(self._attempt)
                self._publish(False, str(exc))
            except HubAuthError as exc:
                self._attempt += 1
                delay = max(10.0, backoff_delay(self._attempt))
                self._publish(True, str(exc))
                if exc.status == 403 and self._on_access_ended is not None:
                    self._on_access_ended(exc)  # revoked seat or disabled account: the app ends the session
            except WorkstationError as exc:
                self._attempt += 1
                delay = backoff_delay(self._attempt)
                self._publish(None, str(exc))
            except Exception:  # a bug must not kill the sync thread silently
                log.exception("outbox sync failed")
                self._attempt += 1
                delay = backoff_delay(self._attempt)
                self._publish(None, "sync error (see log)")
            if self._attempt:
                self._stop.wait(delay)  # backing off: new decisions do not cut the wait short
            else:
                self._wake.wait(delay)
            self._wake.clear()
