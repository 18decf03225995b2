"""Background drain of the local outbox to the hub.

Labels are committed locally first; this worker sends them in batches. Every item carries a
client-made UUID and the hub upserts by it, so a batch retried after a lost answer changes nothing.
Failures back off exponentially with full jitter; a ``Retry-After`` from the hub is honoured.
The worker never blocks labeling: the UI only reads its status.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from workstation.labeling.store import LocalStore, OutboxItem
from workstation.sync.errors import HubAuthError, HubRateLimited, HubRejected, HubUnavailable, HubUntrusted
from workstation.errors import WorkstationError

log = logging.getLogger(__name__)

BATCH_SIZE = 100


AUDIT_BATCH = 200


class LabelPoster(Protocol):
    def post_labels(self, items: list[dict[str, object]]) -> object: ...


class AuditPoster(Protocol):
    def post_audit(self, events: list[dict[str, Any]]) -> Any: ...


class AuditRefused(WorkstationError):
    """The hub refused the seat's audit events: the chain does not continue what the hub holds."""


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows: ``online`` is None until the first attempt."""

    online: bool | None
    pending: int
    message: str = ""
    rejected: int = 0


def backoff_delay(attempt: int, *, base: float = 0.5, cap: float = 30.0,
                  rng: Callable[[float, float], float] = random.uniform) -> float:
    """Full-jitter exponential backoff: uniform(0, min(cap, base·2^attempt)), at least 50 ms."""
    return max(0.05, rng(0.0, min(cap, base * (2 ** min(attempt, 16)))))


def drain_once(store: LocalStore, client: LabelPoster, *, batch_size: int = BATCH_SIZE,
               username: str | None = None, on_withdrawn: Callable[[list[str]], None] | None = None) -> int:
    """Send pending outbox items until none are left; returns how many were acknowledged.

    A batch the hub refuses as invalid is split and sent item by item; an item refused on its own is
    set aside in the store (kept, counted, never resent), so one bad item cannot block the others.
    Transport errors (HubUnavailable, HubRateLimited, …) are raised on the first failing batch; its
    items stay pending.
    """
    sent = 0
    while True:
        items = store.pending_outbox(batch_size, username=username)
        if not items:
            return sent
        try:
            result = client.post_labels([item.payload for item in items])
        except HubRejected as exc:
            if len(items) > 1:
                sent += _one_by_one(store, client, items)
                continue
            store.mark_rejected(items[0].id, str(exc))
            log.warning("the hub refused outbox item %s for good: %s", items[0].id, exc)
            continue
        acknowledged = set(getattr(result, "accepted", [])) | set(getattr(result, "duplicates", []))
        withdrawn = list(getattr(result, "withdrawn", []) or [])
        if withdrawn and on_withdrawn is not None:
            on_withdrawn(withdrawn)
        ids = [item.id for item in items if item.id in acknowledged]
        store.mark_sent(ids)
        sent += len(ids)
        if len(ids) < len(items):
            missing = [item.id for item in items if item.id not in acknowledged]
            store.mark_failed(missing, "the hub did not acknowledge these items")
            raise WorkstationError(f"The hub did not acknowledge {len(missing)} decision(s); they stay queued.")


def drain_audit(store: LocalStore, client: AuditPoster, device_id: str, *, batch_size: int = AUDIT_BATCH) -> int:
    """Send this seat's unsent audit events in chain order; returns how many the hub acknowledged.

    The hub checks that each batch continues the chain it holds; a refusal (a changed or missing
    event) raises :class:`AuditRefused` and nothing is marked sent, so the break stays visible.
    """
    sent = 0
    while True:
        events = store.unsent_audit(device_id, batch_size)
        if not events:
            return sent
        try:
            result = client.post_audit(events)
        except HubRejected as exc:
            raise AuditRefused(f"The hub refused this seat's audit log: {exc}",
                               hint="Tell IT: the local audit log no longer continues what the hub holds.") from exc
        acknowledged = set(result.accepted) | set(result.duplicates)
        ids = [e["id"] for e in events if e["id"] in acknowledged]
        store.mark_audit_sent(ids)
        sent += len(ids)
        if len(ids) < len(events):
            raise WorkstationError(f"The hub did not acknowledge {len(events) - len(ids)} audit event(s); "
                                   "they stay queued.")


def _one_by_one(store: LocalStore, client: LabelPoster, items: list[OutboxItem]) -> int:
    sent = 0
    for item in items:
        try:
            client.post_labels([item.payload])
        except HubRejected as exc:
            store.mark_rejected(item.id, str(exc))
            log.warning("the hub refused outbox item %s for good: %s", item.id, exc)
            continue
        store.mark_sent([item.id])
        sent += 1
    return sent


class OutboxSync:
    """A daemon thread that drains the outbox whenever kicked, and retries with backoff."""

    def __init__(self, store: LocalStore, client: LabelPoster,
                 on_status: Callable[[SyncStatus], None] | None = None, *, idle_poll_s: float = 15.0,
                 username: str | None = None, device_id: str | None = None) -> None:
        self._username = username
        self._device_id = device_id
        self._on_withdrawn: Callable[[list[str]], None] | None = None
        self._on_access_ended: Callable[[HubAuthError], None] | None = None
        self._audit_refused: str | None = None
        self._store = store
        self._client = client
        self._on_status = on_status or (lambda status: None)
        self._idle_poll_s = idle_poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._attempt = 0
        self.status = SyncStatus(None, 0)

    def set_listener(self, on_status: Callable[[SyncStatus], None]) -> None:
        """Who hears status changes (called on the sync thread)."""
        self._on_status = on_status

    def set_withdrawn_listener(self, on_withdrawn: Callable[[list[str]], None]) -> None:
        """Who hears of clips the hub disposed of (called on the sync thread with their ids)."""
        self._on_withdrawn = on_withdrawn

    def set_access_ended_listener(self, on_access_ended: Callable[[HubAuthError], None]) -> None:
        """Who hears that the hub refuses this seat or user for good (403; called on the sync thread)."""
        self._on_access_ended = on_access_ended

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="outbox-sync", daemon=True)
            self._thread.start()

    def kick(self) -> None:
        """Ask for a drain now (after a label was committed)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _publish(self, online: bool | None, message: str = "") -> None:
        try:
            pending, rejected = self._store.pending_count(), self._store.rejected_count()
        except WorkstationError:
            pending, rejected = -1, 0
        self.status = SyncStatus(online, pending, message, rejected)
        self._on_status(self.status)

    def _run(self) -> None:
        while not self._stop.is_set():
            delay = self._idle_poll_s
            try:
                drain_once(self._store, self._client, username=self._username, on_withdrawn=self._on_withdrawn)
                if self._device_id is not None and self._audit_refused is None and hasattr(self._client, "post_audit"):
                    try:
                        drain_audit(self._store, self._client, self._device_id)  # type: ignore[arg-type]
                    except AuditRefused as exc:  # for good: labels go on, the audit log waits for IT
                        self._audit_refused = str(exc)
                        log.error("%s", exc)
                self._attempt = 0
                self._publish(True, self._audit_refused or "")
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
                self._stop.wait(delay)  # backing off: new labels do not cut the wait short
            else:
                self._wake.wait(delay)
            self._wake.clear()
