"""The clip container (``fwclip`` v1): chunked AES-256-GCM with a key-committing header.

Spec: ``docs/clip-container.md``; test vectors: ``tests/vectors/clip_container.json``.

Layout: an 88-byte header (magic, version, chunk size, clip id, salt, key check), then the
plaintext in 64 KiB chunks, each sealed with AES-256-GCM under a payload key derived from the
clip key and the header. The nonce is the chunk counter plus a last-chunk flag; the whole
header is the associated data of every chunk.

Protects against:
  * reading a copied cache file without its clip key (confidentiality of the video);
  * undetected changes: any altered byte, reordered, dropped, duplicated or appended chunk,
    truncation (also at a chunk boundary), chunks moved between clips, a file swapped for
    another clip's file (``expected_clip_id``);
  * a wrong key being mistaken for damage: the key check names it, and makes the format
    key-committing (one file cannot decrypt validly under two keys).

Does NOT protect against:
  * anyone holding the clip key (the workstation while a shift is open, the hub);
  * plaintext in this process's memory (decrypted chunks are cached and handed to the decoder;
    Python cannot reliably wipe them) or in swap / crash dumps;
  * leaking the plaintext length (about 16 bytes per 64 KiB) or the clip id in the header;
  * telling a tampered header from a wrong key: both fail the key check, so both raise
    ``WrongKey`` (the message says so);
  * telling more than one sealed chunk (65 552 bytes) of appended data, or a cut inside the final
    chunk, from an altered final chunk: all raise ``TamperedContainer`` (up to 65 552 appended
    bytes raise its subclass ``AppendedData``);
  * rollback to an older, validly encrypted file for the same clip id and key (the hub never
    re-encrypts a clip under the same key).
"""

from __future__ import annotations

import hmac
import io
import operator
import os
import re
import struct
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from workstation.errors import WorkstationError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

MAGIC: Final = b"FWCLIP"
VERSION: Final = 1
CHUNK_LOG2: Final = 16
CHUNK_SIZE: Final = 1 << CHUNK_LOG2  # plaintext bytes per full chunk
TAG_SIZE: Final = 16
CT_CHUNK_SIZE: Final = CHUNK_SIZE + TAG_SIZE  # ciphertext bytes per full chunk
SALT_SIZE: Final = 32
KEY_SIZE: Final = 32
KEY_CHECK_SIZE: Final = 32
HEADER_SIZE: Final = 88
_BOUND_SIZE: Final = 56  # header[:56]: magic .. salt, bound into both derivations
_MAX_CHUNKS: Final = 1 << 88
INFO_KEY_CHECK: Final = b"fwclip v1 key check"
INFO_PAYLOAD: Final = b"fwclip v1 payload"
DEFAULT_CACHE_CHUNKS: Final = 4
APPEND_SEARCH_LIMIT: Final = CT_CHUNK_SIZE  # appended data up to one sealed chunk is named as such (spec §5)

_HAS_PREADV: Final = hasattr(os, "preadv")
_HEX_ID = re.compile(r"[0-9a-f]{32}")
_HINT_REFETCH = "Fetch the clip again from the floor hub; if it keeps happening, tell IT."


class InvalidId(WorkstationError, ValueError):
    """A clip or shift id that is not 32 lowercase hex characters."""


class ContainerError(WorkstationError):
    """A clip file that cannot be opened (base of all container errors)."""


class NotAContainer(ContainerError):
    """The file is not an encrypted clip (bad magic or too short)."""


class TruncatedContainer(ContainerError):
    """The file was cut short."""


class TamperedContainer(ContainerError):
    """A chunk failed authentication: the file was altered or damaged."""


class AppendedData(TamperedContainer):
    """Bytes follow a valid final chunk: the file is a whole clip with data appended.

    ``extra_bytes`` is how many bytes follow the final chunk, ``valid_length`` the length of the
    container they were appended to.
    """

    def __init__(self, message: str, *, hint: str = "", extra_bytes: int = 0, valid_length: int = 0) -> None:
        super().__init__(message, hint=hint)
        self.extra_bytes = extra_bytes
        self.valid_length = valid_length


class WrongKey(ContainerError):
    """The key does not belong to this file (or a sealed key / clip id does not match)."""


class InvalidClipId(ContainerError, InvalidId):
    """A clip id handed to the writer or reader that is not in its hex form (32 lowercase hex characters).

    Also an :class:`InvalidId` (and so a ``ValueError``), as before this class existed.
    """


class InvalidClipKey(ContainerError, ValueError):
    """A clip key handed to the writer or reader that is not 32 bytes (also a ``ValueError``, as before)."""


_HINT_BUG = "This points to a bug or a bad answer from the floor hub; tell IT."


def _id_message(value: object, what: str) -> str:
    shown = repr(value)
    if len(shown) > 48:
        shown = shown[:45] + "..."
    return f"{shown} is not a valid {what}: it must be 32 lowercase hexadecimal characters."


def validate_id(value: object, what: str = "clip id") -> str:
    """Return ``value`` if it is a 32-lowercase-hex id, else raise :class:`InvalidId`."""
    if isinstance(value, str) and _HEX_ID.fullmatch(value):
        return value
    raise InvalidId(_id_message(value, what), hint=_HINT_BUG)


def check_clip_id(value: object) -> str:
    """Return ``value`` if it is a clip id in hex form (``uuid4().hex``), else raise :class:`InvalidClipId`.

    Only the form is checked (32 lowercase hex characters: no dashes, braces or capitals), not the
    UUID version bits; see docs/clip-container.md §1.
    """
    if isinstance(value, str) and _HEX_ID.fullmatch(value):
        return value
    raise InvalidClipId(_id_message(value, "clip id"), hint=_HINT_BUG)


def generate_clip_key() -> bytes:
    """A fresh random 256-bit clip key."""
    return os.urandom(KEY_SIZE)


def _check_key(clip_key: object) -> bytes:
    """The key as bytes if it is a 32-byte bytes-like object, else raise :class:`InvalidClipKey`."""
    if isinstance(clip_key, (bytes, bytearray, memoryview)):
        key = bytes(clip_key)
        if len(key) == KEY_SIZE:
            return key
        got = f"{len(key)} bytes"
    else:
        got = f"a {type(clip_key).__name__}"
    raise InvalidClipKey(f"A clip key must be 32 bytes, not {got}.", hint=_HINT_BUG)


def _hkdf(clip_key: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(clip_key)


def derive_keys(clip_key: bytes, bound_header: bytes) -> tuple[bytes, bytes]:
    """(key check, payload key) for a header's first 56 bytes (magic .. salt)."""
    salt = bound_header[24:_BOUND_SIZE]
    key_check = _hkdf(clip_key, salt, INFO_KEY_CHECK + bound_header)
    payload_key = _hkdf(clip_key, salt, INFO_PAYLOAD + bound_header)
    return key_check, payload_key


def _layout(body: int) -> tuple[int, int]:
    """(chunk count, sealed size of the final chunk) for ``body`` bytes after the header (spec §2)."""
    n = max(1, -(-body // CT_CHUNK_SIZE))  # integer ceil
    return n, body - (n - 1) * CT_CHUNK_SIZE


def chunk_nonce(index: int, last: bool) -> bytes:
    """12-byte nonce: chunk index as 11-byte big-endian, then 0x01 for the final chunk else 0x00."""
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def build_header(clip_key: bytes, clip_id: str, salt: bytes) -> tuple[bytes, bytes]:
    """(88-byte header, payload key)."""
    bound = MAGIC + struct.pack("BB", VERSION, CHUNK_LOG2) + bytes.fromhex(clip_id) + salt
    key_check, payload_key = derive_keys(clip_key, bound)
    return bound + key_check, payload_key


# --------------------------------------------------------------------------- writing


def _read_full(src: BinaryIO, n: int) -> bytes:
    """Read exactly ``n`` bytes, fewer only at end of stream."""
    first = src.read(n)
    if len(first) == n or not first:
        return bytes(first)
    buf = bytearray(first)
    while len(buf) < n:
        more = src.read(n - len(buf))
        if not more:
            break
        buf += more
    return bytes(buf)


def _write_all(dst: BinaryIO, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = dst.write(view)
        if written is None or written >= len(view):
            return
        view = view[written:]


def _encrypt(
    src: BinaryIO,
    dst: BinaryIO,
    clip_key: bytes,
    clip_id: str,
    salt: bytes,
    progress: Callable[[int], object] | None,
) -> int:
    key = _check_key(clip_key)
    check_clip_id(clip_id)
    if len(salt) != SALT_SIZE:
        raise ValueError("the salt must be 32 bytes")
    header, payload_key = build_header(key, clip_id, bytes(salt))
    aead = AESGCM(payload_key)
    _write_all(dst, header)
    written = HEADER_SIZE
    done = 0
    index = 0
    current = _read_full(src, CHUNK_SIZE)
    while True:
        upcoming = _read_full(src, CHUNK_SIZE) if len(current) == CHUNK_SIZE else b""
        last = not upcoming
        if index >= _MAX_CHUNKS:  # pragma: no cover - 2**88 chunks
            raise ValueError("the clip is too long for the container format")
        sealed = aead.encrypt(chunk_nonce(index, last), current, header)
        _write_all(dst, sealed)
        written += len(sealed)
        done += len(current)
        if progress is not None:
            progress(done)
        if last:
            return written
        current = upcoming
        index += 1


def encrypt_stream(
    src: BinaryIO,
    dst: BinaryIO,
    clip_key: bytes,
    clip_id: str,
    *,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Encrypt ``src`` (read to its end) into ``dst``; return the number of bytes written to ``dst``.

    That number is the whole container's length, ``88 + plaintext_bytes + 16 * chunks`` with
    ``chunks = max(1, ceil(plaintext_bytes / 65536))`` (spec §2); ``dst`` is neither flushed nor
    closed. Streams in 64 KiB chunks with one chunk of lookahead; ``progress(plaintext_bytes_done)``
    is called after each chunk. A fresh random salt is used. Raises :class:`InvalidClipKey` for a
    key that is not 32 bytes and :class:`InvalidClipId` for a clip id not in hex form, before
    anything is read or written.
    """
    return _encrypt(src, dst, clip_key, clip_id, os.urandom(SALT_SIZE), progress)


def encrypt_bytes(plaintext: bytes, clip_key: bytes, clip_id: str, *, salt: bytes | None = None) -> bytes:
    """Encrypt small data in memory. Pass ``salt`` only to make test vectors."""
    out = io.BytesIO()
    _encrypt(
        io.BytesIO(plaintext), out, clip_key, clip_id,
        os.urandom(SALT_SIZE) if salt is None else salt, None,
    )
    return out.getvalue()


def decrypt_bytes(data: bytes, clip_key: bytes, *, expected_clip_id: str | None = None) -> bytes:
    """Decrypt and verify a whole container held in memory."""
    with DecryptingReader(io.BytesIO(data), clip_key, expected_clip_id=expected_clip_id) as reader:
        return reader.read()


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class HeaderInfo:
    """The parsed, not yet verified, header."""

    version: int
    chunk_log2: int
    clip_id: str
    salt: bytes
    key_check: bytes
    raw: bytes


def parse_header(raw: bytes) -> HeaderInfo:
    """Parse an 88-byte header; raises NotAContainer / TruncatedContainer / ContainerError."""
    if len(raw) < len(MAGIC) or raw[: len(MAGIC)] != MAGIC:
        raise NotAContainer(
            "The file is not an encrypted clip: it does not start with the clip container signature.",
            hint=_HINT_REFETCH,
        )
    if len(raw) < HEADER_SIZE:
        raise TruncatedContainer(
            "The clip file is cut short: it ends inside its 88-byte header.", hint=_HINT_REFETCH
        )
    version, log2 = raw[6], raw[7]
    if version != VERSION:
        raise ContainerError(
            f"The clip file uses container version {version}, which this app does not support.",
            hint="Update the workstation app, or ask IT which version the floor hub writes.",
        )
    if log2 != CHUNK_LOG2:
        raise ContainerError(
            f"The clip file declares a chunk size of 2^{log2} bytes, which version 1 does not allow.",
            hint=_HINT_REFETCH,
        )
    return HeaderInfo(version, log2, raw[8:24].hex(), raw[24:56], raw[56:88], bytes(raw[:HEADER_SIZE]))


class DecryptingReader(io.BufferedIOBase):
    """A read-only, seekable, thread-safe view of a container's plaintext.

    Checks its arguments first (:class:`InvalidClipKey`, :class:`InvalidClipId`), then verifies
    the header, the key check and the final chunk when opened, so a truncated, extended, foreign
    or wrongly keyed file fails before playback starts. Every other chunk is verified when first
    read. Decrypted chunks live only in memory (a small LRU); nothing is written. ``source`` is a
    path (opened here, closed by :meth:`close`) or an open binary file (left open; its position
    may move when it has no usable file descriptor).
    """

    def __init__(
        self,
        source: str | os.PathLike[str] | BinaryIO,
        clip_key: bytes,
        *,
        expected_clip_id: str | None = None,
        cache_chunks: int = DEFAULT_CACHE_CHUNKS,
    ) -> None:
        super().__init__()
        key = _check_key(clip_key)
        expected = None if expected_clip_id is None else check_clip_id(expected_clip_id)
        self._lock = threading.Lock()
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._cache_max = max(1, cache_chunks)
        self._pos = 0
        self._ct_buf = bytearray(CT_CHUNK_SIZE)
        self._owned: BinaryIO | None = None
        if isinstance(source, (str, os.PathLike)):
            self.name: str = os.fspath(source)
            try:
                self._file: BinaryIO = open(source, "rb", buffering=0)  # noqa: SIM115
            except OSError as exc:
                raise ContainerError(
                    f"The clip file {Path(self.name).name} could not be opened: {exc.strerror or exc}.",
                    hint=_HINT_REFETCH,
                ) from exc
            self._owned = self._file
        else:
            self._file = source
            self.name = str(getattr(source, "name", "<stream>"))
        try:
            self._fd = self._pread_fd(self._file)
            self._open(key, expected)
        except BaseException:
            self._release()
            raise

    @staticmethod
    def _pread_fd(f: BinaryIO) -> int | None:
        if not hasattr(os, "pread"):
            return None  # Windows: seek + readinto under the lock
        try:
            return f.fileno()
        except (OSError, AttributeError, ValueError):  # io.UnsupportedOperation is an OSError
            return None

    def _file_size(self) -> int:
        if self._fd is not None:
            return os.fstat(self._fd).st_size
        return self._file.seek(0, io.SEEK_END)

    def _read_at(self, offset: int, n: int) -> bytes:
        buf = bytearray(n)
        got = self._read_into(offset, memoryview(buf))
        return bytes(buf[:got])

    def _read_into(self, offset: int, view: memoryview) -> int:
        """Fill ``view`` from ``offset``; returns the bytes read (fewer only at end of file)."""
        got, want = 0, len(view)
        while got < want:
            if self._fd is not None and _HAS_PREADV:
                n = os.preadv(self._fd, [view[got:]], offset + got)
            elif self._fd is not None:
                data = os.pread(self._fd, want - got, offset + got)
                n = len(data)
                view[got : got + n] = data
            else:
                if got == 0:
                    self._file.seek(offset)
                readinto = getattr(self._file, "readinto", None)
                if readinto is not None:
                    n = readinto(view[got:]) or 0
                else:
                    data = self._file.read(want - got)
                    n = len(data)
                    view[got : got + n] = data
            if n <= 0:
                break
            got += n
        return got

    def _open(self, clip_key: bytes, expected_clip_id: str | None) -> None:
        header = parse_header(self._read_at(0, HEADER_SIZE))
        self.clip_id: str = header.clip_id
        if expected_clip_id is not None and expected_clip_id != header.clip_id:
            raise WrongKey(
                f"The clip file belongs to another clip ({header.clip_id[:8]}), "
                f"not to clip {expected_clip_id[:8]}.",
                hint=_HINT_REFETCH,
            )
        key_check, payload_key = derive_keys(clip_key, header.raw[:_BOUND_SIZE])
        if not hmac.compare_digest(key_check, header.key_check):
            raise WrongKey(
                f"The key does not open clip {header.clip_id[:8]}: it is the wrong key, "
                "or the file's header was altered.",
                hint="Fetch the shift's keys and the clip again from the floor hub; "
                "if it keeps happening, tell IT.",
            )
        self._header = header.raw
        self._aead = AESGCM(payload_key)
        body = self._file_size() - HEADER_SIZE
        if body < TAG_SIZE:
            where = "it has no encrypted data after its header" if body <= 0 else "it ends inside its first chunk"
            raise TruncatedContainer(f"Clip {header.clip_id[:8]} is cut short: {where}.", hint=_HINT_REFETCH)
        self._n_chunks, self._last_ct = _layout(body)
        self._size = body - TAG_SIZE * self._n_chunks
        final = self._open_final(body)
        if not final and self._n_chunks > 1:
            raise ContainerError(
                f"Clip {header.clip_id[:8]} is malformed: it ends with an empty chunk after a full one.",
                hint=_HINT_REFETCH,
            )

    def _try_open(self, index: int, last: bool, sealed: memoryview | bytes) -> bytes | None:
        try:
            return self._aead.decrypt(chunk_nonce(index, last), sealed, self._header)
        except InvalidTag:
            return None

    def _region(self, index: int, size: int) -> bytes:
        """The ``size`` sealed bytes at chunk ``index``'s place (fewer only if the file shrank)."""
        return self._read_at(HEADER_SIZE + index * CT_CHUNK_SIZE, size)

    def _open_final(self, body: int) -> bytes:
        """Open the final chunk (spec §5, checks 7-8) and cache it; raise the error that names its failure."""
        n, size, short = self._n_chunks, self._last_ct, self.clip_id[:8]
        last = n - 1
        if size >= TAG_SIZE:
            sealed = self._region(last, size)
            plain = self._try_open(last, True, sealed)
            if plain is not None:
                self._cache[last] = plain
                return plain
            if self._try_open(last, False, sealed) is not None:
                raise TruncatedContainer(
                    f"Clip {short} is cut short: it ends after chunk {n}, before its final chunk.",
                    hint=_HINT_REFETCH,
                )
        middle_before = n >= 2 and self._try_open(last - 1, False, self._region(last - 1, CT_CHUNK_SIZE)) is not None
        if size < TAG_SIZE and middle_before:
            raise TruncatedContainer(
                f"Clip {short} is cut short: it ends partway through a chunk.", hint=_HINT_REFETCH
            )
        # Appended data: the file minus its last k bytes is a container whose final chunk opens.
        # An intact chunk before the final one means the appended bytes start in the final chunk.
        limit = size - TAG_SIZE if middle_before else min(APPEND_SEARCH_LIMIT, body - TAG_SIZE)
        regions: dict[int, bytes] = {}
        for extra in range(1, limit + 1):
            n_k, size_k = _layout(body - extra)
            if size_k < TAG_SIZE:
                continue
            index = n_k - 1
            if index not in regions:
                regions[index] = self._region(index, CT_CHUNK_SIZE)
            if self._try_open(index, True, memoryview(regions[index])[:size_k]) is not None:
                raise AppendedData(
                    f"Clip {short} was altered: it has {extra} byte{'s' if extra != 1 else ''} "
                    "appended after its final chunk.",
                    hint=_HINT_REFETCH,
                    extra_bytes=extra,
                    valid_length=HEADER_SIZE + body - extra,
                )
        raise TamperedContainer(
            f"Clip {short} is damaged: its final chunk does not verify (the file was altered, "
            f"cut off inside a chunk, or has more than {APPEND_SEARCH_LIMIT} bytes appended).",
            hint=_HINT_REFETCH,
        )

    # -- chunk access (caller holds the lock, or is __init__)

    def _chunk(self, index: int) -> bytes:
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        last = index == self._n_chunks - 1
        want = self._last_ct if last else CT_CHUNK_SIZE
        sealed = memoryview(self._ct_buf)[:want]  # one reused buffer: no allocation per chunk
        if self._read_into(HEADER_SIZE + index * CT_CHUNK_SIZE, sealed) != want:
            raise TruncatedContainer(
                f"Clip {self.clip_id[:8]} became shorter while it was being read.", hint=_HINT_REFETCH
            )
        try:
            plain = self._aead.decrypt(chunk_nonce(index, last), sealed, self._header)
        except InvalidTag:  # the final chunk verified at open: failing now means it changed since
            raise TamperedContainer(
                f"Clip {self.clip_id[:8]} was altered or damaged: "
                f"chunk {index + 1} of {self._n_chunks} does not verify.",
                hint=_HINT_REFETCH,
            ) from None
        self._cache[index] = plain
        if len(self._cache) > self._cache_max:
            self._cache.popitem(last=False)
        return plain

    def _gather(self, start: int, end: int) -> bytes:
        first, final = start >> CHUNK_LOG2, (end - 1) >> CHUNK_LOG2
        if first == final:
            chunk = self._chunk(first)
            offset = start - (first << CHUNK_LOG2)
            if offset == 0 and end - start == len(chunk):
                return chunk  # a whole chunk: no copy
            return chunk[offset : offset + end - start]
        parts: list[memoryview] = []
        for index in range(first, final + 1):
            base = index << CHUNK_LOG2
            view = memoryview(self._chunk(index))
            parts.append(view[max(start, base) - base : min(end, base + CHUNK_SIZE) - base])
        return b"".join(parts)

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed file.")

    # -- io.BufferedIOBase

    @property
    def size(self) -> int:
        """Plaintext length in bytes."""
        return self._size

    @property
    def chunk_count(self) -> int:
        return self._n_chunks

    def readable(self) -> bool:
        self._check_open()
        return True

    def seekable(self) -> bool:
        self._check_open()
        return True

    def writable(self) -> bool:
        self._check_open()
        return False

    def tell(self) -> int:
        with self._lock:
            self._check_open()
            return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        offset = operator.index(offset)
        with self._lock:
            self._check_open()
            if whence == io.SEEK_SET:
                target = offset
            elif whence == io.SEEK_CUR:
                target = self._pos + offset
            elif whence == io.SEEK_END:
                target = self._size + offset
            else:
                raise ValueError(f"invalid whence ({whence}, should be 0, 1 or 2)")
            if target < 0:
                raise ValueError(f"negative seek position {target}")
            self._pos = target
            return target

    def read(self, size: int | None = -1) -> bytes:
        with self._lock:
            self._check_open()
            start = self._pos
            end = self._size if size is None or size < 0 else min(self._size, start + size)
            if end <= start:
                return b""
            data = self._gather(start, end)
            self._pos = end
            return data

    def read1(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            with self._lock:
                self._check_open()
                size = CHUNK_SIZE - (self._pos & (CHUNK_SIZE - 1))
        return self.read(size)

    def read_at(self, offset: int, size: int) -> bytes:
        """Read up to ``size`` bytes at ``offset`` without moving the shared position."""
        if offset < 0 or size < 0:
            raise ValueError("offset and size must not be negative")
        with self._lock:
            self._check_open()
            end = min(self._size, offset + size)
            return self._gather(offset, end) if end > offset else b""

    def readinto(self, buffer: WriteableBuffer) -> int:
        target = memoryview(buffer).cast("B")
        with self._lock:
            self._check_open()
            start = self._pos
            end = min(self._size, start + len(target))
            done = 0
            while start + done < end:
                here = start + done
                index = here >> CHUNK_LOG2
                chunk = self._chunk(index)
                offset = here - (index << CHUNK_LOG2)
                take = min(len(chunk) - offset, end - here)
                target[done : done + take] = memoryview(chunk)[offset : offset + take]
                done += take
            self._pos = start + done
            return done

    def readinto1(self, buffer: WriteableBuffer) -> int:
        return self.readinto(buffer)

    def detach(self) -> BinaryIO:  # type: ignore[override]
        raise io.UnsupportedOperation("a decrypting reader cannot be detached")

    def _release(self) -> None:
        self._cache.clear()
        owned, self._owned = self._owned, None
        if owned is not None:
            owned.close()

    def close(self) -> None:
        lock = getattr(self, "_lock", None)
        if lock is None:  # __init__ never ran
            super().close()
            return
        with lock:
            if not self.closed:
                self._release()
                super().close()

    def __repr__(self) -> str:
        clip = getattr(self, "clip_id", "?")
        return f"<DecryptingReader clip={clip[:8]} size={getattr(self, '_size', '?')}>"

