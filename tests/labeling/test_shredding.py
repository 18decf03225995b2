"""Crypto-shredding: after end of shift, sign-out, expiry or a stale start-up, a copy of the cache is noise."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from workstation.labeling.shift import ShiftUnavailable, shift_key_name
from workstation.session.localshift import build_local_shift
from workstation.vault.cache import CacheFull, ClipCache
from workstation.vault.container import MAGIC, DecryptingReader, WrongKey
from workstation.vault.sealing import open_clip_key


def _copy_everything(shift, to: Path) -> tuple[Path, dict[str, bytes]]:  # type: ignore[no-untyped-def]
    """What a thief copies before shredding: the cache folder and the sealed keys from the store file."""
    shutil.copytree(shift.cache.root, to / "cache")
    with sqlite3.connect(shift.store.path) as live, sqlite3.connect(to / "store.sqlite") as copy:
        live.backup(copy)  # a consistent copy of the store, write-ahead log included
        sealed = dict(copy.execute("SELECT clip_id, sealed_key FROM clips").fetchall())
    return to / "cache", sealed


@pytest.mark.parametrize("how", ["end", "sign_out", "expired", "stale"])
def test_a_copy_taken_before_shredding_cannot_be_decrypted_after(how: str, tmp_path: Path,
                                                                  small_clips: list[Path]) -> None:
    shift = build_local_shift(tmp_path / "ws", small_clips[:2])
    sid = shift.state.shift_id
    service = shift.service
    clip = shift.state.clips[0]
    private_before = shift.keystore.get(shift_key_name(sid))
    assert private_before is not None
    copy_cache, sealed = _copy_everything(shift, tmp_path / "thief")
    copied_blob = copy_cache / shift.cache.path_for(sid, clip.clip_id).relative_to(shift.cache.root)
    # before shredding the copy is readable with the key from the key store: the control
    key = open_clip_key(sealed[clip.clip_id], private_before, sid, clip.clip_id)
    with DecryptingReader(copied_blob, key, expected_clip_id=clip.clip_id) as reader:
        assert reader.read(12)[4:8] == b"ftyp"
    assert b"ftyp" not in copied_blob.read_bytes()[:4096]  # the copy itself is ciphertext

    if how == "end":
        service.end(sid)
    elif how == "sign_out":
        service.sign_out(sid)
    elif how == "expired":
        made = (datetime.now(UTC) - timedelta(hours=13)).isoformat().replace("+00:00", "Z")
        shift.store.set_meta("shiftkey-made:" + sid, made)
        assert service.shred_stale(max_key_age_s=12 * 3600) == [(sid, "expired")]
    else:
        shift.store.set_shift_status(sid, "ended")  # ended, but a crash left its key and files behind
        assert service.shred_stale(max_key_age_s=12 * 3600) == [(sid, "ended")]

    assert shift.keystore.get(shift_key_name(sid)) is None
    assert not (shift.cache.root / sid).exists()
    assert all(c.sealed_key is None for c in shift.store.clips(sid))
    with pytest.raises(ShiftUnavailable):
        service.open_reader(sid, clip)
    # the thief's copy: the sealed key opens only with the shredded private key; nothing on this PC opens it
    assert private_before not in [shift.keystore.get(name) for name in (shift_key_name(sid), "device-key")]
    with pytest.raises(WrongKey):
        open_clip_key(sealed[clip.clip_id], bytes(32), sid, clip.clip_id)
    events = [e for e in shift.store.audit_events(shift.state.record.device_id) if e["kind"] == "shred"]
    assert [e["data"]["why"] for e in events] == [{"end": "shift_end", "sign_out": "sign_out", "expired": "expired",
                                                  "stale": "ended"}[how]]


def test_labels_survive_shredding_and_a_fresh_active_shift_is_left_alone(tmp_path: Path,
                                                                         small_clips: list[Path]) -> None:
    shift = build_local_shift(tmp_path / "ws", small_clips[:2])
    sid = shift.state.shift_id
    shift.store.add_label(sid, shift.state.clips[0].clip_id, "person", shown_at="2026-11-25T10:00:00.000Z")
    assert shift.service.shred_stale(max_key_age_s=12 * 3600) == []  # fresh and active: resume after a crash
    assert shift.service.resumable() is not None
    shift.service.sign_out(sid)
    assert shift.service.resumable() is None
    assert [r.label for r in shift.store.labels(sid)] == ["person"]
    assert shift.store.pending_count() == 1


def test_unknown_cache_folders_are_removed_at_start_up(tmp_path: Path, small_clips: list[Path]) -> None:
    shift = build_local_shift(tmp_path / "ws", small_clips[:1])
    orphan = shift.cache.root / ("ab" * 16)
    orphan.mkdir()
    (orphan / ("cd" * 16)).write_bytes(b"x" * 100)
    assert shift.service.shred_stale(max_key_age_s=3600) == [("ab" * 16, "unknown")]
    assert not orphan.exists() and (shift.cache.root / shift.state.shift_id).exists()


def test_cache_quota_refuses_a_download_before_writing(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "cache", quota_bytes=1_000_000)
    cache.ensure_room(900_000)
    with cache.open_writer("ab" * 16, "cd" * 16) as out:
        out.write(MAGIC + b"x" * (600_000 - len(MAGIC)))
    with pytest.raises(CacheFull) as err:
        cache.ensure_room(500_000)
    assert "machine policy" in str(err.value) and "cache_quota_mb" in err.value.hint
    assert ClipCache(tmp_path / "cache").used_bytes() == 600_000


def test_a_withdrawn_clip_leaves_the_shift_and_this_pc(tmp_path: Path, small_clips: list[Path]) -> None:
    shift = build_local_shift(tmp_path / "ws", small_clips[:3])
    sid = shift.state.shift_id
    gone = shift.state.clips[1]
    shift.store.add_label(sid, shift.state.clips[0].clip_id, "person", shown_at="2026-11-25T10:00:00.000Z")
    assert shift.service.withdraw([gone.clip_id, "f" * 32]) == [(sid, gone.clip_id)]
    assert shift.service.withdraw([gone.clip_id]) == []  # once
    assert not shift.cache.path_for(sid, gone.clip_id).exists()
    state = shift.service.resumable()
    assert state is not None and [c.clip_id for c in state.clips] == [c.clip_id for c in shift.state.clips
                                                                     if c.clip_id != gone.clip_id]
    assert (state.done, state.total) == (1, 2)
    kinds = [(e["kind"], e["clip_id"]) for e in shift.store.audit_events(shift.state.record.device_id)]
    assert kinds[-1] == ("disposal_dropped", gone.clip_id)
