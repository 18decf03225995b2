"""Everything one workstation seat needs, built from the machine policy. No Qt here."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import httpx

from workstation.audit import Break
from workstation.labeling.shift import ShiftService
from workstation.labeling.store import LocalStore
from workstation.media.clipsource import ReaderFrameSource
from workstation.paths import app_data_dir, default_cache_dir
from workstation.policy import Policy, hub_tls_context
from workstation.sync.client import HubClient
from workstation.vault.cache import ClipCache
from workstation.vault.keystore import KeyStore, open_keystore

log = logging.getLogger(__name__)


@dataclass
class Seat:
    policy: Policy
    keystore: KeyStore
    store: LocalStore
    cache: ClipCache
    client: HubClient
    data_dir: Path
    shredded: list[tuple[str, str]] = field(default_factory=list)
    """Shifts shredded at start-up, ``(shift_id, why)`` (stale, ended, expired, unknown)."""
    audit_breaks: dict[str, Break] = field(default_factory=dict)
    """Device audit chains found altered at start-up (device id → first broken link)."""

    @cached_property
    def service(self) -> ShiftService:
        return ShiftService(self.store, self.keystore, self.cache)

    @classmethod
    def open(cls, policy: Policy, *, data_dir: Path | None = None, keystore: KeyStore | None = None,
             transport: httpx.BaseTransport | None = None,
             event_hooks: dict[str, list[object]] | None = None) -> "Seat":
        """Open the key store (refusing an insecure one), the local store, the cache and the hub client."""
        floor_ca = hub_tls_context(policy)  # only the policy's floor CA; a PolicyError for an https hub without one
        keystore = keystore if keystore is not None else open_keystore(policy.key_store)
        data_dir = data_dir or app_data_dir()
        store = LocalStore(data_dir / "workstation.sqlite")
        cache = ClipCache(policy.cache_dir or (data_dir / "cache" if data_dir else default_cache_dir()),
                          quota_bytes=policy.cache_quota_mb * 1024 * 1024)
        client = HubClient(policy.hub_url, transport=transport, verify=floor_ca if floor_ca is not None else True,
                           event_hooks=event_hooks)
        seat = cls(policy, keystore, store, cache, client, data_dir)
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
