"""Everything one workstation seat needs, built from the machine policy. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import httpx

from workstation.labeling.shift import ShiftService
from workstation.labeling.store import LocalStore
from workstation.media.clipsource import ReaderFrameSource
from workstation.paths import app_data_dir, default_cache_dir
from workstation.policy import Policy
from workstation.sync.client import HubClient
from workstation.vault.cache import ClipCache
from workstation.vault.keystore import KeyStore, open_keystore


@dataclass
class Seat:
    policy: Policy
    keystore: KeyStore
    store: LocalStore
    cache: ClipCache
    client: HubClient
    data_dir: Path

    @cached_property
    def service(self) -> ShiftService:
        return ShiftService(self.store, self.keystore, self.cache)

    @classmethod
    def open(cls, policy: Policy, *, data_dir: Path | None = None, keystore: KeyStore | None = None,
             transport: httpx.BaseTransport | None = None,
             event_hooks: dict[str, list[object]] | None = None) -> "Seat":
        """Open the key store (refusing an insecure one), the local store, the cache and the hub client."""
        keystore = keystore if keystore is not None else open_keystore(policy.key_store)
        data_dir = data_dir or app_data_dir()
        store = LocalStore(data_dir / "workstation.sqlite")
        cache = ClipCache(policy.cache_dir or (data_dir / "cache" if data_dir else default_cache_dir()))
        verify: bool | str = str(policy.hub_ca) if policy.hub_ca else True
        client = HubClient(policy.hub_url, transport=transport, verify=verify, event_hooks=event_hooks)
        return cls(policy, keystore, store, cache, client, data_dir)

    def open_source(self, shift_id: str, clip_id: str) -> ReaderFrameSource:
        clip = next(c for c in self.store.clips(shift_id) if c.clip_id == clip_id)
        return self.service.open_frames(shift_id, clip)

    def close(self) -> None:
        self.client.close()
        self.store.close()
