"""The hub master key file and clip-key wrapping."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from workstation.vault.container import InvalidId, WrongKey
from workstation.vault.masterkey import (
    WRAPPED_SIZE,
    MasterKeyError,
    derive_subkey,
    load_or_create_master_key,
    unwrap_clip_key,
    wrap_clip_key,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
CLIP = "c" * 32


def test_create_then_load(tmp_path: Path) -> None:
    path = tmp_path / "hub" / "master.key"
    key = load_or_create_master_key(path)
    assert len(key) == 32 and path.read_bytes() == key
    assert load_or_create_master_key(path) == key
    assert load_or_create_master_key(str(path)) == key
    assert sorted(p.name for p in path.parent.iterdir()) == ["master.key"]  # no temp files left
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_concurrent_creation_agrees(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    results: list[bytes] = []
    gate = threading.Barrier(8)

    def create() -> None:
        gate.wait()
        results.append(load_or_create_master_key(path))

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and len(set(results)) == 1 and results[0] == path.read_bytes()


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o602, 0o666])
def test_refuses_readable_or_writable_by_others(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "master.key"
    path.write_bytes(os.urandom(32))
    path.chmod(mode)
    with pytest.raises(MasterKeyError) as info:
        load_or_create_master_key(path)
    assert str(path) in str(info.value)
    assert f"chmod 600 '{path}'" in info.value.hint


@posix_only
@pytest.mark.parametrize("mode", [0o600, 0o400])
def test_accepts_owner_only(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "master.key"
    key = os.urandom(32)
    path.write_bytes(key)
    path.chmod(mode)
    assert load_or_create_master_key(path) == key


@pytest.mark.parametrize("length", [0, 16, 31, 33, 64])
def test_refuses_wrong_length(tmp_path: Path, length: int) -> None:
    path = tmp_path / "master.key"
    path.write_bytes(os.urandom(length))
    path.chmod(0o600)
    with pytest.raises(MasterKeyError, match="instead of 32"):
        load_or_create_master_key(path)
    assert path.stat().st_size == length  # never replaced


def test_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(MasterKeyError):
        load_or_create_master_key(tmp_path)


def test_wrap_unwrap() -> None:
    master, clip_key = os.urandom(32), os.urandom(32)
    wrapped = wrap_clip_key(master, clip_key, CLIP)
    assert len(wrapped) == WRAPPED_SIZE == 60 and clip_key not in wrapped
    assert unwrap_clip_key(master, wrapped, CLIP) == clip_key
    assert wrap_clip_key(master, clip_key, CLIP) != wrapped  # random nonce
    with pytest.raises(WrongKey, match="master key"):
        unwrap_clip_key(os.urandom(32), wrapped, CLIP)
    with pytest.raises(WrongKey):
        unwrap_clip_key(master, wrapped, "d" * 32)  # moved to another clip's record
    with pytest.raises(WrongKey):
        unwrap_clip_key(master, wrapped[:-1], CLIP)
    changed = bytearray(wrapped)
    changed[20] ^= 1
    with pytest.raises(WrongKey):
        unwrap_clip_key(master, bytes(changed), CLIP)
    with pytest.raises(InvalidId):
        wrap_clip_key(master, clip_key, "../x")


def test_derive_subkey() -> None:
    master = os.urandom(32)
    a = derive_subkey(master, b"purpose a")
    assert len(a) == 32 and a == derive_subkey(master, b"purpose a")
    assert a != derive_subkey(master, b"purpose b") and a != master
    with pytest.raises(ValueError):
        derive_subkey(master, b"")
    with pytest.raises(ValueError):
        derive_subkey(b"short", b"x")
