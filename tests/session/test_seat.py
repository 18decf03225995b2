"""Opening a seat: a damaged store is set aside for IT, its keys shredded, and the app starts clean."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.keyring_backend import InMemoryKeyring
from workstation.labeling.shift import shift_key_name
from workstation.policy import Policy
from workstation.session.enrollment import device_key
from workstation.session.localshift import build_local_shift
from workstation.session.seat import Seat
from workstation.vault.keystore import KeyringKeyStore, TrackedKeyStore

POLICY = Policy(hub_url="http://127.0.0.1:9", key_store="keyring", seat="seat-7")


def _seat_with_a_shift(folder: Path, clips: list[Path]) -> str:
    """A seat that holds a shift (its key in the key store, its clips in the cache), then closes."""
    seat = Seat.open(POLICY, data_dir=folder)
    device_key(seat.keystore)  # enrolled once
    shift = build_local_shift(folder, clips, keystore=seat.keystore, store=seat.store, cache=seat.cache)
    seat.close()
    return shift.state.shift_id


@pytest.mark.parametrize("damage", ["garbage", "missing_table", "scribbled_pages"])
def test_a_damaged_store_is_set_aside_its_keys_shredded_and_the_seat_starts_clean(
        damage: str, tmp_path: Path, keyring_backend: InMemoryKeyring, small_clips: list[Path]) -> None:
    folder = tmp_path / "ws"
    shift_id = _seat_with_a_shift(folder, small_clips[:2])
    store_file = folder / "workstation.sqlite"
    assert keyring_backend.get_password("floor-workstation", shift_key_name(shift_id)) is not None
    if damage == "garbage":
        store_file.write_bytes(b"not a database at all " * 200)
    elif damage == "missing_table":
        with sqlite3.connect(store_file) as conn:
            conn.execute("DROP TABLE labels")
    else:
        with sqlite3.connect(store_file) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw = bytearray(store_file.read_bytes())
        for page in range(2, len(raw) // 4096):
            raw[page * 4096: page * 4096 + 16] = b"\xee" * 16
        store_file.write_bytes(bytes(raw))
    damaged_bytes = store_file.read_bytes()

    seat = Seat.open(POLICY, data_dir=folder)
    try:
        assert seat.damaged is not None
        sentence = seat.damaged.sentence()
        assert sentence.endswith(".") and "\n" not in sentence and "set aside for IT" in sentence
        assert "Traceback" not in sentence and "malformed" not in sentence
        assert seat.damaged.kept_at.read_bytes() == damaged_bytes  # kept for IT, byte for byte
        assert seat.damaged.keys_shredded >= 1
        assert keyring_backend.get_password("floor-workstation", shift_key_name(shift_id)) is None
        assert keyring_backend.get_password("floor-workstation", "device-key") is not None  # the seat stays enrolled
        assert not (seat.cache.root / shift_id).exists()
        assert seat.store.shifts() == [] and seat.store.pending_count() == 0  # a clean store that works
        seat.store.set_meta("k", "v")
    finally:
        seat.close()
    again = Seat.open(POLICY, data_dir=folder)
    try:
        assert again.damaged is None  # found once; the next start is a normal one
    finally:
        again.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_seat_folder_is_made_owner_only(tmp_path: Path, keyring_backend: InMemoryKeyring) -> None:
    folder = tmp_path / "ws"
    (folder / "keys").mkdir(parents=True)
    folder.chmod(0o755)
    (folder / "keys").chmod(0o755)
    seat = Seat.open(POLICY, data_dir=folder)
    try:
        assert folder in seat.tightened and folder / "keys" in seat.tightened
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((folder / "keys").stat().st_mode) == 0o700
        assert stat.S_IMODE((folder / "workstation.sqlite").stat().st_mode) == 0o600
    finally:
        seat.close()


def test_the_key_store_knows_every_key_the_seat_made(keyring_backend: InMemoryKeyring) -> None:
    keys = TrackedKeyStore(KeyringKeyStore())
    keys.put("shift-a", b"1")
    keys.put("offline-a", b"2")
    keys.put("shift-b", b"3")
    keys.delete("shift-b")
    assert sorted(keys.names()) == ["offline-a", "shift-a"]
    assert TrackedKeyStore(KeyringKeyStore()).names() == ["offline-a", "shift-a"]  # kept in the keyring itself
