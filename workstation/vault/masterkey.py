"""The floor hub's master key and the wrapping of clip keys under it.

The master key is 32 random bytes in a key file named by the hub's config. Clip keys are stored
wrapped: AES-256-GCM under ``derive_subkey(master, b"fws clip key wrap v1")`` with a random
12-byte nonce and the clip id as associated data; the wrapped form is ``nonce || ciphertext+tag``.

Protects against:
  * reading clip keys from a copy of the hub database without the key file;
  * moving a wrapped key to another clip's record (the clip id is authenticated);
  * a key file other local users can read or write (POSIX: refused with the chmod to run);
  * a half-written key file after a crash (created in a temp file, then linked into place).

Does NOT protect against:
  * anyone who can read the key file (root, the hub's service account, a backup of the file);
  * a compromised hub process (it holds the master key in memory);
  * loose ACLs on Windows: there the file mode is not checked; the hub's data folder ACL
    (service account and Administrators only) is the protection;
  * more than about 2**32 wraps under one master key (random 96-bit nonces); a hub wraps one
    key per clip, far below that.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from workstation.errors import WorkstationError
from workstation.vault.container import KEY_SIZE, WrongKey, validate_id

MASTER_KEY_SIZE: Final = 32
WRAP_PURPOSE: Final = b"fws clip key wrap v1"
WRAP_NONCE_SIZE: Final = 12
WRAPPED_SIZE: Final = WRAP_NONCE_SIZE + KEY_SIZE + 16


class MasterKeyError(WorkstationError):
    """The hub master key file is unsafe, damaged or unreadable."""


def _check_master(master: bytes) -> bytes:
    if len(master) != MASTER_KEY_SIZE:
        raise ValueError("a master key must be 32 bytes")
    return bytes(master)


def derive_subkey(master: bytes, purpose: bytes) -> bytes:
    """HKDF-SHA256(ikm=master, salt=none, info=purpose), 32 bytes: one key per purpose."""
    if not purpose:
        raise ValueError("a subkey needs a non-empty purpose")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=bytes(purpose)).derive(_check_master(master))


def wrap_clip_key(master: bytes, clip_key: bytes, clip_id: str) -> bytes:
    """``nonce (12) || AES-256-GCM(clip_key, aad=clip_id)`` under the wrap subkey (60 bytes)."""
    if len(clip_key) != KEY_SIZE:
        raise ValueError("a clip key must be 32 bytes")
    aad = validate_id(clip_id).encode("ascii")
    nonce = os.urandom(WRAP_NONCE_SIZE)
    return nonce + AESGCM(derive_subkey(master, WRAP_PURPOSE)).encrypt(nonce, bytes(clip_key), aad)


def unwrap_clip_key(master: bytes, wrapped: bytes, clip_id: str) -> bytes:
    """Inverse of :func:`wrap_clip_key`; raises :class:`WrongKey` when it does not open."""
    aad = validate_id(clip_id).encode("ascii")
    subkey = derive_subkey(master, WRAP_PURPOSE)
    if len(wrapped) == WRAPPED_SIZE:
        try:
            return AESGCM(subkey).decrypt(wrapped[:WRAP_NONCE_SIZE], wrapped[WRAP_NONCE_SIZE:], aad)
        except InvalidTag:
            pass
    raise WrongKey(
        f"The stored key of clip {clip_id[:8]} does not open with this hub's master key: "
        "the master key file is not the one it was stored with, or the record was altered.",
        hint="Check that the hub's config names the right master key file; restore it from backup if needed.",
    )


# --------------------------------------------------------------------------- key file


def _check_mode(path: Path, st: os.stat_result) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise MasterKeyError(
            f"The master key path {path} is not a regular file.",
            hint="Point the hub's config at the master key file itself.",
        )
    if os.name == "posix" and st.st_mode & 0o066:
        raise MasterKeyError(
            f"The master key file {path} can be read or written by other users "
            f"(mode {stat.S_IMODE(st.st_mode):04o}).",
            hint=f"Run: chmod 600 '{path}' (as the hub's service account) and start the hub again.",
        )


def _read_existing(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError as exc:
        raise MasterKeyError(
            f"The master key file {path} cannot be read by this account.",
            hint="Run the hub as the account that owns the key file.",
        ) from exc
    try:
        _check_mode(path, os.fstat(fd))
        data = os.read(fd, MASTER_KEY_SIZE + 1)
    finally:
        os.close(fd)
    if len(data) != MASTER_KEY_SIZE:
        length = "more than 32 bytes long" if len(data) > MASTER_KEY_SIZE else f"{len(data)} bytes long"
        raise MasterKeyError(
            f"The master key file {path} is {length} instead of 32, so it is not a master key or it is damaged.",
            hint="Restore the key file from backup; do not replace it, or every stored clip becomes unreadable.",
        )
    return data


def _create(path: Path) -> bytes:
    """Write a new key to a private temp file, then link it into place (never overwrites)."""
    key = os.urandom(MASTER_KEY_SIZE)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)  # mode 0o600
    try:
        try:
            os.write(fd, key)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return _read_existing(path)  # another process won the race: use its key
        except OSError:
            # No hard links here (some filesystems): exclusive create of the final name instead.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            try:
                os.write(fd, key)
                os.fsync(fd)
            finally:
                os.close(fd)
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
    return key


def load_or_create_master_key(path: str | os.PathLike[str]) -> bytes:
    """Read the 32-byte master key, creating it (owner-only) if the file does not exist."""
    key_path = Path(path)
    try:
        return _read_existing(key_path)
    except FileNotFoundError:
        pass
    try:
        return _create(key_path)
    except FileExistsError:
        return _read_existing(key_path)
    except OSError as exc:
        raise MasterKeyError(
            f"The master key file {key_path} could not be created: {exc.strerror or exc}.",
            hint="Check that the hub's data folder exists and is writable by the hub's account.",
        ) from exc
