"""Everything one workstation seat needs, built from the machine policy. No Qt here.

Opening a seat: the key store (refusing an insecure one), the local store, the cache and the hub
client; then, before anything can play, shifts that must not stay readable are shredded and the
seat's audit chains are walked. A damaged local store is set aside for IT (never deleted: labels not
yet synced may be inside), every shift key the seat made is shredded (the store that named them cannot
be read), the cache is emptied, and the seat starts on a clean store; :attr:`Seat.damaged` says so.
The seat's data folder and files are the user's alone (0700 / 0600 on POSIX).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import httpx

from workstation.audit import Break
from workstation.labeling.shift import ShiftService
from workstation.labeling.store import DamagedStore, LocalStore
from workstation.media.clipsource import ReaderFrameSource
from workstation.paths import app_data_dir, default_cache_dir, owner_only
from workstation.policy import Policy, hub_tls_context
from workstation.session.enrollment import DEVICE_KEY_NAME
from workstation.sync.client import HubClient
from workstation.vault.cache import ClipCache
from workstation.vault.keystore import KeyStore, TrackedKeyStore, open_keystore

log = logging.getLogger(__name__)

STORE_NAME = "workstation.sqlite"
DAMAGED_DIR = "damaged"


@dataclass(frozen=True)
class DamagedStoreReport:
    """A damaged local store found at start-up and what was done about it."""

    kept_at: Path
    why: str
    keys_shredded: int

    def sentence(self) -> str:
        return (f"This PC's label store was damaged, so it was set aside for IT ({self.kept_at.name}) and the app "
                "started with a clean one; decisions that had not reached the hub may be in it, so tell IT.")


@dataclass
class Seat:
    policy: Policy
    keystore: TrackedKeyStore
    store: LocalStore
    cache: ClipCache
    client: HubClient
    data_dir: Path
    make_client: Callable[[], HubClient] = field(repr=False)
    """A new hub client like :attr:`client` (the outbox owner has its own)."""
    shredded: list[tuple[str, str]] = field(default_factory=list)
    """Shifts shredded at start-up, ``(shift_id, why)`` (stale, ended, expired, unknown)."""
    audit_breaks: dict[str, Break] = field(default_factory=dict)
    """Device audit chains found altered at start-up (device id → first broken link)."""
    damaged: DamagedStoreReport | None = None
    """The local store was found damaged at start-up and set aside (None: it was fine)."""
    tightened: list[Path] = field(default_factory=list)
    """Files and folders of the seat that others could read, made owner-only at start-up."""

    @cached_property
    def service(self) -> ShiftService:
        return ShiftService(self.store, self.keystore, self.cache)

    @classmethod
    def open(cls, policy: Policy, *, data_dir: Path | None = None, keystore: KeyStore | None = None,
             transport: httpx.BaseTransport | None = None,
             event_hooks: dict[str, list[Callable[..., Any]]] | None = None) -> Seat:
        """Open the key store (refusing an insecure one), the local store, the cache and the hub client."""
        floor_ca = hub_tls_context(policy)  # only the policy's floor CA; a PolicyError for an https hub without one
        tracked = TrackedKeyStore(keystore if keystore is not None else open_keystore(policy.key_store))
        data_dir = data_dir or app_data_dir()
        tightened = owner_only(data_dir)
        for sub in sorted(p for p in data_dir.iterdir() if p.is_dir()):
            tightened += owner_only(sub, files=False)
        cache = ClipCache(policy.cache_dir or (data_dir / "cache" if data_dir else default_cache_dir()),
                          quota_bytes=policy.cache_quota_mb * 1024 * 1024)
        damaged: DamagedStoreReport | None = None
        try:
            store = LocalStore(data_dir / STORE_NAME)
        except DamagedStore as exc:
            damaged = _set_aside(exc, data_dir, tracked, cache)
            store = LocalStore(data_dir / STORE_NAME)
        tightened += store.tightened

        def make_client() -> HubClient:
            return HubClient(policy.hub_url, transport=transport, verify=floor_ca if floor_ca is not None else True,
                             event_hooks=event_hooks)

        seat = cls(policy, tracked, store, cache, make_client(), data_dir, make_client, damaged=damaged,
                   tightened=tightened)
        if tightened:
            log.warning("made owner-only (others could read them): %s", ", ".join(str(p) for p in tightened))
        seat.shredded = seat.service.shred_stale(policy.shift_key_hours * 3600)  # before anything can play
        seat.audit_breaks = seat.check_audit()
        return seat

    def check_audit(self) -> dict[str, Break]:
        """Walk this seat's audit chains; a broken one is logged and recorded (``tamper_detected``) on itself."""
        breaks = {device: broken for device, broken in self.store.verify_audit().items() if broken is not None}
        for device_id, broken in breaks.items():
            log.error("the local audit log of device %s was altered: %s", device_id[:8], broken)
            last = self.store.audit_events(device_id)[-1:]
            if last and last[0]["kind"] == "tamper_detected" and last[0]["data"].get("seq") == broken.seq:
                continue  # already on record
            self.store.audit("tamper_detected", device_id=device_id, data={"seq": broken.seq,
                                                                           "reason": broken.reason[:300]})
        return breaks

    def open_source(self, shift_id: str, clip_id: str) -> ReaderFrameSource:
        clip = next(c for c in self.store.clips(shift_id) if c.clip_id == clip_id)
        return self.service.open_frames(shift_id, clip)

    def close(self) -> None:
        self.client.close()
        self.store.close()


def _set_aside(exc: DamagedStore, data_dir: Path, keystore: TrackedKeyStore, cache: ClipCache) -> DamagedStoreReport:
    """Move the damaged store (and its -wal/-shm) into ``damaged/`` for IT, shred every shift key, empty the cache."""
    folder = data_dir / DAMAGED_DIR
    owner_only(folder)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = folder / f"workstation-{stamp}.sqlite"
    n = 1
    while kept.exists():
        n += 1
        kept = folder / f"workstation-{stamp}-{n}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        source = exc.path.with_name(exc.path.name + suffix)
        if source.exists():
            os.replace(source, kept.with_name(kept.name + suffix))
    shredded = 0
    for name in keystore.names():
        if name != DEVICE_KEY_NAME:
            keystore.delete(name)
            shredded += 1
    for shift_id in cache.shifts():
        cache.remove_shift(shift_id)
    log.error("the local store was damaged (%s); kept at %s, %d key(s) shredded", exc.why, kept, shredded)
    return DamagedStoreReport(kept, exc.why, shredded)
