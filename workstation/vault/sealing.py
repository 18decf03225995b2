"""Sealing clip keys to a shift key pair with HPKE (RFC 9180, base mode).

Suite: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM, through
``cryptography.hazmat.primitives.hpke``. The sealed form is ``enc (32) || ciphertext (32 + 16)``.
``info`` binds the shift id and the clip id, so a sealed key only opens for that shift and clip.

Protects against:
  * anyone without the shift private key reading clip keys in transit or in the local database
    (the hub sends only sealed keys; the private key stays in the OS keyring or in memory);
  * a sealed key being replayed for another clip or another shift (the ids are bound in ``info``);
  * undetected modification of a sealed key (AEAD).

Does NOT protect against:
  * a compromised hub (it holds every clip key) or a compromised workstation during a shift;
  * a sender that is not the hub: base mode does not authenticate the sender, so anyone with the
    shift public key can seal a key of their choosing (with a matching container of their own).
    That the keys and clips come from the hub is guaranteed by the TLS channel to the hub
    (floor CA), not by this module;
  * copies of the shift private key taken before it is deleted at the end of the shift.
"""

from __future__ import annotations

from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from workstation.vault.container import KEY_SIZE, WrongKey, validate_id

SUITE: Final = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
#: The suite's name as the hub announces it (``GET /api/v1/shifts/{id}/keys`` → ``suite``).
SUITE_NAME: Final = "HPKE-Base-X25519-HKDF-SHA256-AES-256-GCM"
INFO_PREFIX: Final = b"fws clip key v1\0"
SEALED_SIZE: Final = 32 + KEY_SIZE + 16


def clip_key_info(shift_id: str, clip_id: str) -> bytes:
    """``b"fws clip key v1\\0" + shift_id + b"\\0" + clip_id`` (ids validated, ASCII)."""
    shift = validate_id(shift_id, "shift id")
    clip = validate_id(clip_id, "clip id")
    return INFO_PREFIX + shift.encode("ascii") + b"\0" + clip.encode("ascii")


def generate_shift_keypair() -> tuple[bytes, bytes]:
    """A fresh X25519 key pair as (raw private 32 bytes, raw public 32 bytes)."""
    private = X25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    raw_public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw_private, raw_public


def seal_clip_key(clip_key: bytes, shift_public_key: bytes, shift_id: str, clip_id: str) -> bytes:
    """Seal a 32-byte clip key to a shift's raw X25519 public key (hub side)."""
    if len(clip_key) != KEY_SIZE:
        raise ValueError("a clip key must be 32 bytes")
    if len(shift_public_key) != 32:
        raise ValueError("a shift public key must be 32 raw X25519 bytes")
    info = clip_key_info(shift_id, clip_id)
    public = X25519PublicKey.from_public_bytes(bytes(shift_public_key))
    try:
        return SUITE.encrypt(bytes(clip_key), public, info=info)
    except ValueError as exc:  # e.g. a low-order point gives an all-zero shared secret
        raise ValueError(f"the shift public key is not usable: {exc}") from exc


def open_clip_key(sealed: bytes, shift_private_key: bytes, shift_id: str, clip_id: str) -> bytes:
    """Open a sealed clip key (workstation side); raises :class:`WrongKey` if it does not open."""
    if len(shift_private_key) != 32:
        raise ValueError("a shift private key must be 32 raw X25519 bytes")
    info = clip_key_info(shift_id, clip_id)
    short = clip_id[:8]
    if len(sealed) != SEALED_SIZE:
        raise WrongKey(
            f"The sealed key for clip {short} is malformed ({len(sealed)} bytes, expected {SEALED_SIZE}).",
            hint="Fetch the shift's keys again from the floor hub; if it keeps happening, tell IT.",
        )
    private = X25519PrivateKey.from_private_bytes(bytes(shift_private_key))
    try:
        clip_key = SUITE.decrypt(bytes(sealed), private, info=info)
    except (InvalidTag, ValueError):
        raise WrongKey(
            f"The sealed key for clip {short} does not open with this shift's key: "
            "it was sealed for another shift, another clip, or altered.",
            hint="Sign out and start a new shift so the floor hub seals the keys again.",
        ) from None
    if len(clip_key) != KEY_SIZE:
        raise WrongKey(
            f"The sealed key for clip {short} does not hold a 32-byte clip key.",
            hint="Fetch the shift's keys again from the floor hub; if it keeps happening, tell IT.",
        )
    return clip_key
