"""The annotator's shift on this PC, without Qt and without the network: its state, clip opening,
withdrawal, crypto-shredding and its audit events. Talking to the hub (enrollment, starting and
downloading a shift) is the session layer's (:mod:`workstation.session`).

Keys: each shift's X25519 private key lives in the key store (OS keyring, or process memory where the
machine policy says ``key_store = "memory"``), next to the owner's offline password verifier. The cache
holds the hub's ciphertext unchanged; the local store holds clip keys only sealed to the shift key.
Opening a clip unseals its key in memory and hands a decrypting reader to the decoder: no plaintext file.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from workstation.audit import utc_now_ms
from workstation.errors import WorkstationError
from workstation.labeling.store import ClipRecord, LabelRecord, LocalStore, PendingAudit, ShiftRecord, utc_now
from workstation.media.clipsource import ReaderFrameSource
from workstation.taxonomy import Taxonomy
from workstation.vault.cache import ClipCache
from workstation.vault.container import DecryptingReader
from workstation.vault.keystore import KeyStore
from workstation.vault.sealing import open_clip_key

_KEY_AT = "shiftkey-made:"
log = logging.getLogger(__name__)


class ShiftUnavailable(WorkstationError):
    """The shift cannot be resumed or started."""


def shift_key_name(shift_id: str) -> str:
    return f"shift-{shift_id}"


def verifier_key_name(shift_id: str) -> str:
    """The shift owner's offline password verifier, kept next to the shift key (see session.password)."""
    return f"offline-{shift_id}"


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
    """One seat's shifts on this PC: resume, open clips, withdraw, shred, audit (no network)."""

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

    def cached_ok(self, clip: ClipRecord) -> bool:
        """The clip's ciphertext is in the cache, whole."""
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
            return ReaderFrameSource(reader)
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
        self.keystore.delete(verifier_key_name(shift_id))
        self.store.forget_shift_keys(shift_id)
        self.store.set_meta(_KEY_AT + shift_id, "")
        self.cache.remove_shift(shift_id)
        self.audit(shift_id, "shred", data={"why": why})
        log.info("shift %s shredded on this PC (%s)", shift_id[:8], why)

    def end(self, shift_id: str) -> None:
        """Every clip decided: shred the shift here and mark it ended (the hub closes it)."""
        self.audit(shift_id, "shift_end", None, {"decided": len(self.store.decisions(shift_id))})
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
        return (datetime.now(UTC) - datetime.fromisoformat(made)).total_seconds()

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

