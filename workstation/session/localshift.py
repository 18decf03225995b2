"""A shift laid directly into a local store and cache (no hub): for the benchmark, the screenshots and tests.

It goes through the same code as a real shift: each clip is encrypted into the clip container, its key
sealed with HPKE to a fresh shift key held in the key store, and the shift recorded in the store.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from workstation.labeling.shift import ShiftService, ShiftState
from workstation.labeling.store import LocalStore, ShiftRecord, utc_now
from workstation.media.clipsource import ReaderFrameSource
from workstation.resources import default_taxonomy
from workstation.vault.cache import ClipCache
from workstation.vault.container import encrypt_stream, generate_clip_key
from workstation.vault.keystore import KeyStore, MemoryKeyStore
from workstation.vault.sealing import generate_shift_keypair, seal_clip_key


@dataclass
class LocalShift:
    store: LocalStore
    keystore: KeyStore
    cache: ClipCache
    state: ShiftState

    @property
    def service(self) -> ShiftService:
        return ShiftService(self.store, self.keystore, self.cache)

    def open_source(self, clip_id: str) -> ReaderFrameSource:
        clip = next(c for c in self.state.clips if c.clip_id == clip_id)
        return self.service.open_frames(self.state.shift_id, clip)


def build_local_shift(folder: Path, clip_paths: list[Path], *, keystore: KeyStore | None = None,
                      store: LocalStore | None = None, cache: ClipCache | None = None) -> LocalShift:
    """A shift of ``clip_paths`` laid into ``folder`` (or into the given store, key store and cache)."""
    folder.mkdir(parents=True, exist_ok=True)
    keystore = keystore or MemoryKeyStore()
    store = store or LocalStore(folder / "workstation.sqlite")
    cache = cache or ClipCache(folder / "cache")
    shift_id = uuid.uuid4().hex
    private, public = generate_shift_keypair()
    clips: list[tuple[str, int, int, str]] = []
    sealed: dict[str, bytes] = {}
    for position, path in enumerate(clip_paths):
        clip_id = uuid.uuid4().hex
        key = generate_clip_key()
        with open(path, "rb") as src, cache.open_writer(shift_id, clip_id) as dst:
            encrypt_stream(src, dst, key, clip_id)
        blob = cache.path_for(shift_id, clip_id)
        clips.append((clip_id, position, blob.stat().st_size, hashlib.sha256(blob.read_bytes()).hexdigest()))
        sealed[clip_id] = seal_clip_key(key, public, shift_id, clip_id)
    record = ShiftRecord(shift_id, "http://127.0.0.1:9", "bench", uuid.uuid4().hex, utc_now(), len(clips), "active",
                         json.loads(json.dumps(default_taxonomy())))
    store.save_shift(record, clips)
    store.set_sealed_keys(shift_id, sealed)
    for clip_id, *_ in clips:
        store.set_cached(shift_id, clip_id, True)
    service = ShiftService(store, keystore, cache)
    service.remember_key(shift_id, private)
    return LocalShift(store, keystore, cache, service.load(record))
