"""The annotator's shift, without Qt: device identity, shift start/resume, download, clip opening.

Keys: the device's Ed25519 key and each shift's X25519 private key live in the key store (OS keyring,
or process memory where the machine policy says ``key_store = "memory"``). The cache holds the
hub's ciphertext unchanged; the local store holds clip keys only sealed to the shift key. Opening a
clip unseals its key in memory and hands a decrypting reader to the decoder: no plaintext file.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from workstation.audit import utc_now_ms
from workstation.errors import WorkstationError
from workstation.labeling.store import ClipRecord, LabelRecord, LocalStore, PendingAudit, ShiftRecord, utc_now
from workstation.labeling.taxonomy import Taxonomy
from workstation.media.clipsource import ReaderFrameSource
from workstation.media.decode import FrameSource
from workstation.vault.cache import ClipCache
from workstation.vault.container import DecryptingReader
from workstation.vault.keystore import KeyStore
from workstation.vault.sealing import generate_shift_keypair, open_clip_key

if TYPE_CHECKING:
    from workstation.sync.client import HubClient

DEVICE_KEY_NAME = "device-key"
_KEY_AT = "shiftkey-made:"
log = logging.getLogger(__name__)

Progress = Callable[[int, int, int, int], None]
"""progress(bytes_done, bytes_total, clips_done, clips_total)"""


class ShiftUnavailable(WorkstationError):
    """The shift cannot be resumed or started."""


@dataclass
class DeviceState:
    device_id: str
    status: str
    enrollment_code: str = ""


def device_key(keystore: KeyStore) -> bytes:
    """This seat's Ed25519 private key (raw 32 bytes), created on first use."""
    raw = keystore.get(DEVICE_KEY_NAME)
    if raw is None:
        raw = Ed25519PrivateKey.generate().private_bytes_raw()
        keystore.put(DEVICE_KEY_NAME, raw)
    return raw


def device_public_key(private_raw: bytes) -> bytes:
    key = Ed25519PrivateKey.from_private_bytes(private_raw)
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def ensure_enrolled(client: HubClient, keystore: KeyStore, store: LocalStore, seat: str) -> DeviceState:
    """Enroll this seat with the hub if it is not yet known there; return its state."""
    from workstation.sync.errors import HubRejected

    meta_key = f"device:{client.base_url}"
    had_key = keystore.get(DEVICE_KEY_NAME) is not None
    private = device_key(keystore)
    known = store.get_meta(meta_key)
    if known and had_key:
        device_id, _, code = known.partition(":")
        try:
            return DeviceState(device_id, client.device_status(device_id), code)
        except HubRejected:
            pass  # the hub no longer knows this device: enroll again
    enrollment = client.enroll_device(device_public_key(private), seat)
    store.set_meta(meta_key, f"{enrollment.device_id}:{enrollment.enrollment_code}")
    return DeviceState(enrollment.device_id, enrollment.status, enrollment.enrollment_code)


def shift_key_name(shift_id: str) -> str:
    return f"shift-{shift_id}"


@dataclass
class ShiftState:
    """Order and progress of one shift; the pure model the UI adapts."""

    record: ShiftRecord
    clips: list[ClipRecord]
    decided: dict[str, LabelRecord] = field(default_factory=dict)
    """The standing decision (label, skip or flag) per clip id."""

    @property
    def shift_id(self) -> str:
        return self.record.shift_id

    @property
    def taxonomy(self) -> Taxonomy:
        return Taxonomy.from_dict(self.record.taxonomy)

    @property
    def total(self) -> int:
        return len(self.clips)

    @property
    def done(self) -> int:
        return len(self.decided)

    def next_undecided(self, after: int = -1) -> int | None:
        """Index of the first undecided clip after ``after`` (wrapping once), or None when all are done."""
        n = len(self.clips)
        for step in range(1, n + 1):
            index = (after + step) % n
            if self.clips[index].clip_id not in self.decided:
                return index
        return None

    def index_of(self, clip_id: str) -> int | None:
        for i, clip in enumerate(self.clips):
            if clip.clip_id == clip_id:
                return i
        return None


class ShiftService:
    """Starts, resumes and downloads shifts; opens clips for playback."""

    def __init__(self, store: LocalStore, keystore: KeyStore, cache: ClipCache) -> None:
        self.store = store
        self.keystore = keystore
        self.cache = cache
        self._pending: dict[str, list[PendingAudit]] = {}
        self._pending_lock = threading.Lock()

    # -- start / resume ----------------------------------------------------------------------------
    def resumable(self) -> ShiftState | None:
        """The active shift when it can go on offline (its key still in the key store), else None."""
        record = self.store.active_shift()
        if record is None or self.keystore.get(shift_key_name(record.shift_id)) is None:
            return None
        state = self.load(record)
        flagged = {cid for cid, r in state.decided.items() if r.kind == "flag"}
        if not all(c.cached and c.sealed_key for c in state.clips if c.clip_id not in flagged):
            return None
        return state

    def load(self, record: ShiftRecord) -> ShiftState:
        clips = [c for c in self.store.clips(record.shift_id) if not c.withdrawn]
        listed = {c.clip_id for c in clips}
        decided = {k: v for k, v in self.store.decisions(record.shift_id).items() if k in listed}
        return ShiftState(record, clips, decided)

    def start(self, client: HubClient, *, username: str, device_id: str, size: int | None,
              progress: Progress | None = None) -> ShiftState:
        """Ask the hub for a shift (or re-key the open one), fetch its keys and ciphertexts."""
        private, public = generate_shift_keypair()
        info = client.start_shift(public, size)
        local = self.store.shift(info.shift_id)
        if local is not None and local.status == "ended":
            # finished here, but the hub has not heard every decision yet: deliver them, close, ask again
            from workstation.sync.outbox import drain_once

            drain_once(self.store, client)
            client.close_shift(info.shift_id)
            info = client.start_shift(public, size)
        self.remember_key(info.shift_id, private)
        record = ShiftRecord(info.shift_id, client.base_url, username, device_id, info.created_at,
                             len(info.clips), "active", info.taxonomy)
        Taxonomy.from_dict(info.taxonomy)  # refuse an unusable taxonomy before anything is cached
        self.store.save_shift(record, [(c.clip_id, c.position, c.size, c.sha256) for c in info.clips])
        listed = {c.clip_id for c in info.clips}
        gone = [c.clip_id for c in self.store.clips(info.shift_id) if c.clip_id not in listed and not c.withdrawn]
        if gone:  # disposed of on the hub since this PC last had the shift
            self.withdraw(gone)
        flagged = {cid for cid, r in self.store.decisions(info.shift_id).items() if r.kind == "flag"}
        self.store.set_sealed_keys(info.shift_id, {cid: key for cid, key in client.shift_keys(info.shift_id).items()
                                                   if cid not in flagged})
        self.download(client, record, progress)
        return self.load(record)

    def download(self, client: HubClient, record: ShiftRecord, progress: Progress | None = None) -> None:
        clips = [c for c in self.store.clips(record.shift_id) if not c.withdrawn]
        total = sum(c.size for c in clips)
        done = sum(c.size for c in clips if self._cached_ok(c))
        count = sum(1 for c in clips if self._cached_ok(c))
        if progress:
            progress(done, total, count, len(clips))
        flagged = {cid for cid, r in self.store.decisions(record.shift_id).items() if r.kind == "flag"}
        missing = sum(c.size for c in clips if not self._cached_ok(c) and c.clip_id not in flagged)
        self.cache.ensure_room(missing)
        for clip in clips:
            if self._cached_ok(clip) or clip.clip_id in flagged:  # a flagged clip never comes back
                continue
            base = done

            def on_bytes(n: int, base: int = base) -> None:
                if progress:
                    progress(base + n, total, count, len(clips))

            with self.cache.open_writer(record.shift_id, clip.clip_id) as out:
                client.download_clip(record.shift_id, clip.clip_id, out, expected_sha256=clip.sha256,
                                     progress=on_bytes)
            self.store.set_cached(record.shift_id, clip.clip_id, True)
            done += clip.size
            count += 1
            if progress:
                progress(done, total, count, len(clips))

    def _cached_ok(self, clip: ClipRecord) -> bool:
        path = self.cache.path_for(clip.shift_id, clip.clip_id)
        return clip.cached and path.is_file() and path.stat().st_size == clip.size

    # -- playback ----------------------------------------------------------------------------------
    def open_reader(self, shift_id: str, clip: ClipRecord) -> DecryptingReader:
        """Unseal the clip key in memory and open a decrypting reader on the cached ciphertext."""
        private = self.keystore.get(shift_key_name(shift_id))
        if private is None:
            raise ShiftUnavailable("This shift's key is gone from the key store, so its clips cannot be opened.",
                                   hint="Sign in again to fetch the shift anew; your labels are kept.")
        if clip.sealed_key is None:
            raise ShiftUnavailable(f"Clip {clip.clip_id[:8]} has no key yet.", hint="Sign in again.")
        clip_key = open_clip_key(clip.sealed_key, private, shift_id, clip.clip_id)
        return DecryptingReader(self.cache.path_for(shift_id, clip.clip_id), clip_key,
                                expected_clip_id=clip.clip_id)

    def open_frames(self, shift_id: str, clip: ClipRecord) -> ReaderFrameSource:
        """The clip's frames through a decrypting reader; closing the source closes the reader."""
        reader = self.open_reader(shift_id, clip)
        try:
            return ReaderFrameSource(reader, FrameSource(reader))
        except BaseException:
            reader.close()
            raise

    def drop_clip(self, shift_id: str, clip_id: str) -> None:
        """A flagged clip: remove its ciphertext and its sealed key from this PC at once."""
        self.cache.remove_clip(shift_id, clip_id)
        self.store.forget_clip_key(shift_id, clip_id)

    def withdraw(self, clip_ids: list[str]) -> list[tuple[str, str]]:
        """Clips the hub disposed of: drop them from every unfinished shift here; ``(shift_id, clip_id)`` each."""
        dropped: list[tuple[str, str]] = []
        wanted = set(clip_ids)
        for record in self.store.shifts():
            if record.status == "ended":
                continue
            here = [c.clip_id for c in self.store.clips(record.shift_id) if c.clip_id in wanted and not c.withdrawn]
            if not here:
                continue
            self.store.withdraw_clips(record.shift_id, here)
            for clip_id in here:
                self.cache.remove_clip(record.shift_id, clip_id)
                self.audit(record.shift_id, "disposal_dropped", clip_id)
                dropped.append((record.shift_id, clip_id))
        return dropped

    # -- crypto-shredding -----------------------------------------------------------------------------
    def shred(self, shift_id: str, why: str) -> None:
        """Crypto-shred a shift on this PC: its private key first (any copy of its cache is noise from
        then on), then the sealed clip keys and the cache files. Labels and the outbox are kept."""
        self.keystore.delete(shift_key_name(shift_id))
        self.store.forget_shift_keys(shift_id)
        self.store.set_meta(_KEY_AT + shift_id, "")
        self.cache.remove_shift(shift_id)
        self.audit(shift_id, "shred", data={"why": why})
        log.info("shift %s shredded on this PC (%s)", shift_id[:8], why)

    def end(self, shift_id: str) -> None:
        """Every clip decided: shred the shift here and mark it ended (the hub closes it)."""
        self.shred(shift_id, "shift_end")
        self.store.set_shift_status(shift_id, "ended")

    def sign_out(self, shift_id: str) -> None:
        """The annotator signs out mid-shift: shred it here. The shift stays open on the hub; the next
        sign-in re-keys it and fetches the clips still undecided. No label is lost."""
        self.shred(shift_id, "sign_out")

    def remember_key(self, shift_id: str, private: bytes) -> None:
        """Put the shift's private key in the key store and note when (its age decides expiry)."""
        self.keystore.put(shift_key_name(shift_id), private)
        self.store.set_meta(_KEY_AT + shift_id, utc_now())

    def key_age_s(self, shift_id: str) -> float | None:
        """Seconds since this shift's key was made on this PC (None when it has no key here)."""
        made = self.store.get_meta(_KEY_AT + shift_id)
        if not made:
            return None
        return (datetime.now(UTC) - datetime.fromisoformat(made.replace("Z", "+00:00"))).total_seconds()

    def shred_stale(self, max_key_age_s: float) -> list[tuple[str, str]]:
        """At start-up: shred every shift that must not be readable here any more; ``(shift_id, why)`` each.

        Stale are: ended shifts with anything left, shifts other than the one active shift, the active
        shift when its key is older than ``max_key_age_s`` (policy expiry), and cache folders of
        shifts this PC does not know (e.g. left by a crash in the middle of a first download).
        """
        active = self.store.active_shift()
        done: list[tuple[str, str]] = []
        for record in self.store.shifts():
            why = ""
            if active is None or record.shift_id != active.shift_id:
                why = "stale" if record.status != "ended" else "ended"
            else:
                age = self.key_age_s(record.shift_id)
                if age is not None and age > max_key_age_s:
                    why = "expired"
            if why and self._holds_anything(record.shift_id):
                self.shred(record.shift_id, why)
                done.append((record.shift_id, why))
        known = {r.shift_id for r in self.store.shifts()}
        for shift_id in self.cache.shifts():
            if shift_id not in known:
                self.cache.remove_shift(shift_id)
                done.append((shift_id, "unknown"))
        return done

    def _holds_anything(self, shift_id: str) -> bool:
        return (self.keystore.get(shift_key_name(shift_id)) is not None or self.cache.shift_dir(shift_id).exists()
                or any(c.sealed_key for c in self.store.clips(shift_id)))

    def audit(self, shift_id: str, kind: str, clip_id: str | None = None, data: dict[str, Any] | None = None,
              *, defer: bool = False) -> None:
        """An audit event on the shift's device chain (annotator and device from the shift).

        ``defer``: stamp it now but write it with the next commit (the next decision, or
        :meth:`flush_audit`), so a clip switch costs one commit, not three.
        """
        event = PendingAudit(kind, clip_id, dict(data or {}), utc_now_ms())
        with self._pending_lock:
            self._pending.setdefault(shift_id, []).append(event)
        if not defer:
            self.flush_audit()

    def take_pending_audit(self, shift_id: str) -> list[PendingAudit]:
        """The shift's deferred audit events, handed to the caller to write (e.g. with a decision)."""
        with self._pending_lock:
            return self._pending.pop(shift_id, [])

    def return_pending_audit(self, shift_id: str, events: list[PendingAudit]) -> None:
        """Events taken but not written (the commit failed): they wait again, in front."""
        if events:
            with self._pending_lock:
                self._pending[shift_id] = events + self._pending.get(shift_id, [])

    def flush_audit(self) -> None:
        """Write every deferred audit event, one transaction per shift."""
        with self._pending_lock:
            pending, self._pending = self._pending, {}
        for shift_id, events in pending.items():
            try:
                self.store.audit_many(shift_id, events)
            except WorkstationError as exc:  # the disk: the label path reports it; never stop the shift here
                log.warning("%d audit event(s) not written yet: %s", len(events), exc)
                self.return_pending_audit(shift_id, events)

