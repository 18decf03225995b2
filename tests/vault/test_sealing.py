"""Sealing clip keys to the shift key pair (HPKE)."""

from __future__ import annotations

import os

import pytest

from workstation.vault.container import InvalidId, WrongKey
from workstation.vault.sealing import (
    SEALED_SIZE,
    clip_key_info,
    generate_shift_keypair,
    open_clip_key,
    seal_clip_key,
)

SHIFT = "a" * 32
CLIP = "b" * 32


def test_keypair_shapes() -> None:
    private, public = generate_shift_keypair()
    assert len(private) == 32 and len(public) == 32
    assert generate_shift_keypair() != (private, public)


def test_info_layout() -> None:
    assert clip_key_info(SHIFT, CLIP) == b"fws clip key v1\0" + SHIFT.encode() + b"\0" + CLIP.encode()
    with pytest.raises(InvalidId):
        clip_key_info("x", CLIP)
    with pytest.raises(InvalidId):
        clip_key_info(SHIFT, CLIP + "\0")


def test_round_trip() -> None:
    private, public = generate_shift_keypair()
    key = os.urandom(32)
    sealed = seal_clip_key(key, public, SHIFT, CLIP)
    assert len(sealed) == SEALED_SIZE == 80
    assert key not in sealed
    assert open_clip_key(sealed, private, SHIFT, CLIP) == key
    assert seal_clip_key(key, public, SHIFT, CLIP) != sealed  # fresh ephemeral key each time


def test_fails_with_wrong_shift_clip_or_key() -> None:
    private, public = generate_shift_keypair()
    other_private, _ = generate_shift_keypair()
    sealed = seal_clip_key(os.urandom(32), public, SHIFT, CLIP)
    with pytest.raises(WrongKey, match="another shift, another clip"):
        open_clip_key(sealed, private, "c" * 32, CLIP)
    with pytest.raises(WrongKey):
        open_clip_key(sealed, private, SHIFT, "d" * 32)
    with pytest.raises(WrongKey):
        open_clip_key(sealed, other_private, SHIFT, CLIP)
    for offset in (0, 31, 32, 60, 79):  # enc, ciphertext, tag
        changed = bytearray(sealed)
        changed[offset] ^= 0x40
        with pytest.raises(WrongKey):
            open_clip_key(bytes(changed), private, SHIFT, CLIP)
    with pytest.raises(WrongKey, match="malformed"):
        open_clip_key(sealed[:-1], private, SHIFT, CLIP)
    with pytest.raises(WrongKey):
        open_clip_key(b"", private, SHIFT, CLIP)


def test_bad_inputs() -> None:
    private, public = generate_shift_keypair()
    with pytest.raises(ValueError):
        seal_clip_key(b"short", public, SHIFT, CLIP)
    with pytest.raises(ValueError):
        seal_clip_key(os.urandom(32), public[:31], SHIFT, CLIP)
    with pytest.raises(ValueError, match="not usable"):
        seal_clip_key(os.urandom(32), bytes(32), SHIFT, CLIP)  # low-order point
    with pytest.raises(ValueError):
        open_clip_key(bytes(80), private[:5], SHIFT, CLIP)
