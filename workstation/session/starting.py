"""Starting a shift with the hub: a fresh shift key, the clip list, the sealed clip keys, the ciphertexts.

The hub hands out a new shift, or the annotator's open one re-keyed to this seat's new shift key. The
private key goes into the key store before any sealed key is stored; the cache receives the hub's
ciphertext unchanged (checked against the listing's size and SHA-256). Flagged clips never come back.

On a faulty network a start is tried again and again (the annotator signs in once more), so what it
records must not depend on which attempt's answer arrived: the seat's audit chain says ``shift_start``
once, when this seat first keeps the shift — also when the hub made the shift for an attempt whose answer
was lost, and the retry hears "your open shift" — and the sealed keys kept are checked to open with this
attempt's key: a shift request of an earlier attempt, held up in the network, can reach the hub after this
one and re-key the shift to a key this seat already threw away; the seat then re-keys it once more.
"""

from __future__ import annotations

from collections.abc import Callable

from workstation.errors import WorkstationError
from workstation.labeling.shift import ShiftService, ShiftState
from workstation.labeling.store import ShiftRecord
from workstation.sync.client import HubClient, ShiftInfo
from workstation.taxonomy import Taxonomy
from workstation.vault.container import WrongKey
from workstation.vault.sealing import generate_shift_keypair, open_clip_key

Progress = Callable[[int, int, int, int], None]
"""progress(bytes_done, bytes_total, clips_done, clips_total)"""


def start_shift(service: ShiftService, client: HubClient, *, username: str, device_id: str, size: int | None,
                deliver: Callable[[], object], progress: Progress | None = None) -> ShiftState:
    """Ask the hub for a shift (or re-key the open one), fetch its keys and ciphertexts.

    ``deliver()`` sends the signed-in annotator's decisions (the outbox owner's): a shift that ended on
    this PC but not yet on the hub is delivered and closed before a new one is asked for.
    """
    private, public = generate_shift_keypair()
    info = client.start_shift(public, size)
    local = service.store.shift(info.shift_id)
    if local is not None and local.status == "ended":
        deliver()
        client.close_shift(info.shift_id)
        info = client.start_shift(public, size)
    Taxonomy.from_dict(info.taxonomy)  # refuse an unusable taxonomy before anything is kept
    service.remember_key(info.shift_id, private)
    record = ShiftRecord(info.shift_id, client.base_url, username, device_id, info.created_at,
                         len(info.clips), "active", info.taxonomy)
    store = service.store
    first_here = store.shift(info.shift_id) is None
    store.save_shift(record, [(c.clip_id, c.position, c.size, c.sha256) for c in info.clips])
    if first_here:  # not "the hub made it now": that answer may have been lost, and a retry hears "resumed"
        service.audit(info.shift_id, "shift_start", None, {"clips": len(info.clips)})
    listed = {c.clip_id for c in info.clips}
    gone = [c.clip_id for c in store.clips(info.shift_id) if c.clip_id not in listed and not c.withdrawn]
    if gone:  # disposed of on the hub since this PC last had the shift
        service.withdraw(gone)
    flagged = {cid for cid, r in store.decisions(info.shift_id).items() if r.kind == "flag"}
    store.set_sealed_keys(info.shift_id, _sealed_keys(client, info, private, public, size, skip=flagged))
    download(service, client, record, progress)
    return service.load(record)


class ShiftKeysChanged(WorkstationError):
    """The hub keeps sealing this shift's clip keys to another key than this sign-in's (re-keyed meanwhile)."""


def _sealed_keys(client: HubClient, info: ShiftInfo, private: bytes, public: bytes, size: int | None, *,
                 skip: set[str]) -> dict[str, bytes]:
    """The shift's sealed clip keys (but ``skip``), checked to open with this attempt's shift key.

    The hub seals one answer's keys to one shift key, so one key that opens vouches for all of them. If it
    does not open, the shift was re-keyed after this attempt's request — by a stale request of an earlier
    attempt: it is re-keyed to this attempt's key once more, then the keys are asked for again."""
    for again in (False, True):
        if again:
            rekeyed = client.start_shift(public, size)
            if rekeyed.shift_id != info.shift_id:
                break
        keys = {cid: key for cid, key in client.shift_keys(info.shift_id).items() if cid not in skip}
        probe = next(iter(keys.items()), None)
        try:
            if probe is not None:
                open_clip_key(probe[1], private, info.shift_id, probe[0])
        except WrongKey:
            continue
        return keys
    raise ShiftKeysChanged("The floor hub handed this shift to another sign-in while it was being fetched here.",
                           hint="Sign in again; if it keeps happening, make sure you are signed in on one seat only.")


def download(service: ShiftService, client: HubClient, record: ShiftRecord, progress: Progress | None = None) -> None:
    """Fetch every clip of the shift not yet whole in the cache (flagged ones never come back)."""
    store, cache = service.store, service.cache
    clips = [c for c in store.clips(record.shift_id) if not c.withdrawn]
    flagged = {cid for cid, r in store.decisions(record.shift_id).items() if r.kind == "flag"}
    total = sum(c.size for c in clips if c.clip_id not in flagged)
    wanted = [c for c in clips if c.clip_id not in flagged]
    done = sum(c.size for c in wanted if service.cached_ok(c))
    count = sum(1 for c in wanted if service.cached_ok(c))
    if progress:
        progress(done, total, count, len(wanted))
    cache.ensure_room(sum(c.size for c in wanted if not service.cached_ok(c)))
    for clip in wanted:
        if service.cached_ok(clip):
            continue
        base = done

        def on_bytes(n: int, _total: int, base: int = base, count: int = count) -> None:
            if progress:
                progress(base + n, total, count, len(wanted))

        with cache.open_writer(record.shift_id, clip.clip_id) as out:
            client.download_clip(record.shift_id, clip.clip_id, out, expected_sha256=clip.sha256, progress=on_bytes)
        store.set_cached(record.shift_id, clip.clip_id, True)
        done += clip.size
        count += 1
        if progress:
            progress(done, total, count, len(wanted))
