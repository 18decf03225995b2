"""The clip container: round trips, the random-access reader, and every failure it must name."""

from __future__ import annotations

import io
import os
import random
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.vault.helpers import pattern, words
from workstation.errors import WorkstationError
from workstation.vault import container
from workstation.vault.container import (
    CHUNK_SIZE,
    CT_CHUNK_SIZE,
    HEADER_SIZE,
    ContainerError,
    DecryptingReader,
    InvalidId,
    NotAContainer,
    TamperedContainer,
    TruncatedContainer,
    WrongKey,
    decrypt_bytes,
    encrypt_bytes,
    encrypt_stream,
    generate_clip_key,
)

SIZES = [0, 1, 100, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE, 3 * CHUNK_SIZE + 12345]


def write(tmp_path: Path, data: bytes, name: str = "clip.fwc") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_errors_are_workstation_errors() -> None:
    for cls in (NotAContainer, TruncatedContainer, TamperedContainer, WrongKey):
        assert issubclass(cls, ContainerError)
    assert issubclass(ContainerError, WorkstationError)
    assert issubclass(InvalidId, WorkstationError)


def test_generate_clip_key() -> None:
    keys = {generate_clip_key() for _ in range(8)}
    assert len(keys) == 8 and all(len(k) == 32 for k in keys)


@pytest.mark.parametrize("size", SIZES)
def test_round_trip_bytes(size: int, clip_key: bytes, clip_id: str) -> None:
    plaintext = pattern(size)
    data = encrypt_bytes(plaintext, clip_key, clip_id)
    n_chunks = max(1, -(-size // CHUNK_SIZE))
    assert len(data) == HEADER_SIZE + size + 16 * n_chunks
    assert decrypt_bytes(data, clip_key) == plaintext
    if size >= 64:
        assert plaintext[:64] not in data


@pytest.mark.parametrize("size", SIZES)
def test_encrypt_stream_matches_bytes_and_reports_progress(size: int, clip_key: bytes, clip_id: str) -> None:
    plaintext = pattern(size)
    out = io.BytesIO()
    seen: list[int] = []
    written = encrypt_stream(io.BytesIO(plaintext), out, clip_key, clip_id, progress=seen.append)
    assert written == len(out.getvalue())
    assert decrypt_bytes(out.getvalue(), clip_key) == plaintext
    assert seen == [min(size, (i + 1) * CHUNK_SIZE) for i in range(max(1, -(-size // CHUNK_SIZE)))]


class Trickle(io.RawIOBase):
    """A raw stream that returns at most 1000 bytes per read (like a pipe)."""

    def __init__(self, data: bytes) -> None:
        self._src = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self._src.read(min(len(buffer), 1000))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_encrypt_stream_handles_short_reads(clip_key: bytes, clip_id: str) -> None:
    plaintext = pattern(2 * CHUNK_SIZE + 5)
    out = io.BytesIO()
    encrypt_stream(Trickle(plaintext), out, clip_key, clip_id)  # type: ignore[arg-type]
    assert decrypt_bytes(out.getvalue(), clip_key) == plaintext
    assert len(out.getvalue()) == HEADER_SIZE + len(plaintext) + 3 * 16


def test_fresh_salt_every_time(clip_key: bytes, clip_id: str) -> None:
    assert encrypt_bytes(b"same", clip_key, clip_id) != encrypt_bytes(b"same", clip_key, clip_id)


def test_bad_arguments(clip_key: bytes, clip_id: str) -> None:
    with pytest.raises(ValueError):
        encrypt_bytes(b"x", b"short", clip_id)
    with pytest.raises(InvalidId):
        encrypt_bytes(b"x", clip_key, "../../etc/passwd")
    with pytest.raises(InvalidId):
        encrypt_bytes(b"x", clip_key, clip_id.upper())
    with pytest.raises(ValueError):
        encrypt_bytes(b"x", clip_key, clip_id, salt=b"short")


# --------------------------------------------------------------------------- reader basics


def test_reader_from_path_file_and_bytesio(tmp_path: Path, clip_key: bytes, clip_id: str) -> None:
    plaintext = pattern(3 * CHUNK_SIZE + 7)
    data = encrypt_bytes(plaintext, clip_key, clip_id)
    path = write(tmp_path, data)
    with DecryptingReader(path, clip_key, expected_clip_id=clip_id) as reader:
        assert reader.size == len(plaintext)
        assert reader.clip_id == clip_id
        assert reader.readable() and reader.seekable() and not reader.writable()
        assert reader.read() == plaintext
        assert reader.read() == b""
    assert reader.closed
    with open(path, "rb") as handle:
        reader = DecryptingReader(handle, clip_key)
        assert reader.read() == plaintext
        reader.close()
        assert not handle.closed  # not ours to close
    with DecryptingReader(str(path), clip_key) as reader:
        assert reader.read() == plaintext
    with DecryptingReader(io.BytesIO(data), clip_key) as reader:
        assert reader.read() == plaintext


def test_reader_without_pread(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, clip_key: bytes, clip_id: str) -> None:
    """The Windows code path: no os.pread, seek + read under the lock."""
    monkeypatch.delattr(os, "pread")
    plaintext = pattern(2 * CHUNK_SIZE + 99)
    path = write(tmp_path, encrypt_bytes(plaintext, clip_key, clip_id))
    with DecryptingReader(path, clip_key) as reader:
        assert reader._fd is None
        reader.seek(CHUNK_SIZE - 3)
        assert reader.read(10) == plaintext[CHUNK_SIZE - 3 : CHUNK_SIZE + 7]
        reader.seek(0)
        assert reader.read() == plaintext


def test_reader_api_details(clip_key: bytes, clip_id: str) -> None:
    plaintext = pattern(2 * CHUNK_SIZE + 10)
    reader = DecryptingReader(io.BytesIO(encrypt_bytes(plaintext, clip_key, clip_id)), clip_key)
    assert reader.seek(-5, io.SEEK_END) == len(plaintext) - 5
    assert reader.read(100) == plaintext[-5:]
    assert reader.seek(10) == 10
    assert reader.seek(5, io.SEEK_CUR) == 15
    assert reader.tell() == 15
    assert reader.read1() == plaintext[15:CHUNK_SIZE]  # to the end of the current chunk
    assert reader.read1(7) == plaintext[CHUNK_SIZE : CHUNK_SIZE + 7]
    buf = bytearray(CHUNK_SIZE + 20)
    reader.seek(CHUNK_SIZE - 10)
    assert reader.readinto(buf) == CHUNK_SIZE + 20
    assert bytes(buf) == plaintext[CHUNK_SIZE - 10 : 2 * CHUNK_SIZE + 10]
    assert reader.readinto(buf) == 0
    assert reader.read_at(3, 4) == plaintext[3:7]
    assert reader.tell() == len(plaintext)  # read_at does not move the position
    reader.seek(len(plaintext) + 100)  # beyond the end is allowed; reads are empty
    assert reader.read(10) == b"" and reader.read1(10) == b""
    reader.seek(0)
    assert reader.read(0) == b""
    assert reader.read(None) == plaintext
    with pytest.raises(ValueError):
        reader.seek(-1)
    with pytest.raises(ValueError):
        reader.seek(0, 7)
    with pytest.raises(io.UnsupportedOperation):
        reader.fileno()
    with pytest.raises(OSError):
        reader.write(b"x")
    reader.close()
    reader.close()  # idempotent
    with pytest.raises(ValueError):
        reader.read()
    with pytest.raises(ValueError):
        reader.seek(0)


def test_whole_chunk_reads_do_not_copy(clip_key: bytes, clip_id: str) -> None:
    plaintext = pattern(3 * CHUNK_SIZE)
    reader = DecryptingReader(io.BytesIO(encrypt_bytes(plaintext, clip_key, clip_id)), clip_key)
    first = reader.read(CHUNK_SIZE)
    reader.seek(0)
    assert reader.read(CHUNK_SIZE) is first  # the cached chunk object itself


def test_reader_works_with_readline_and_iteration(clip_key: bytes, clip_id: str) -> None:
    plaintext = b"line one\nline two\n" * 5000
    reader = DecryptingReader(io.BytesIO(encrypt_bytes(plaintext, clip_key, clip_id)), clip_key)
    assert reader.readline() == b"line one\n"
    assert b"".join([b"line one\n", *reader]) == plaintext


def test_reader_writes_nothing(tmp_path: Path, clip_key: bytes, clip_id: str) -> None:
    plaintext = pattern(2 * CHUNK_SIZE)
    path = write(tmp_path, encrypt_bytes(plaintext, clip_key, clip_id))
    before = sorted(p.name for p in tmp_path.iterdir())
    stat_before = path.stat()
    with DecryptingReader(path, clip_key) as reader:
        assert reader.read() == plaintext
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert path.stat().st_mtime_ns == stat_before.st_mtime_ns


# --------------------------------------------------------------------------- random access (property)

PLAIN = pattern(4 * CHUNK_SIZE + 4321, seed="hypothesis")
KEY = bytes(range(32))
CLIP = "0123456789abcdef0123456789abcdef"
DATA = encrypt_bytes(PLAIN, KEY, CLIP)

positions = st.integers(min_value=-len(PLAIN) - 10, max_value=len(PLAIN) + 10)
sizes = st.one_of(st.integers(min_value=-1, max_value=3 * CHUNK_SIZE), st.sampled_from([CHUNK_SIZE, CHUNK_SIZE + 1, 16]))
operations = st.lists(
    st.one_of(
        st.tuples(st.just("seek"), positions, st.sampled_from([io.SEEK_SET, io.SEEK_CUR, io.SEEK_END])),
        st.tuples(st.just("read"), sizes),
        st.tuples(st.just("read1"), sizes),
        st.tuples(st.just("readinto"), st.integers(min_value=0, max_value=2 * CHUNK_SIZE)),
        st.tuples(st.just("read_at"), st.integers(min_value=0, max_value=len(PLAIN) + 10), sizes.map(abs)),
        st.tuples(st.just("tell")),
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations, cache_chunks=st.sampled_from([1, 2, 4]))
def test_random_access_equals_plaintext_slices(ops: list[tuple[object, ...]], cache_chunks: int) -> None:
    model = io.BytesIO(PLAIN)
    reader = DecryptingReader(io.BytesIO(DATA), KEY, cache_chunks=cache_chunks)
    for op in ops:
        kind = op[0]
        if kind == "seek":
            offset, whence = int(op[1]), int(op[2])  # type: ignore[call-overload]
            base = {io.SEEK_SET: 0, io.SEEK_CUR: model.tell(), io.SEEK_END: len(PLAIN)}[whence]
            if base + offset < 0:
                with pytest.raises(ValueError):
                    reader.seek(offset, whence)
                continue
            assert reader.seek(offset, whence) == model.seek(offset, whence)
        elif kind == "read":
            size = int(op[1])  # type: ignore[call-overload]
            assert reader.read(size) == model.read(size)
        elif kind == "read1":
            size = int(op[1])  # type: ignore[call-overload]
            got = reader.read1(size)
            assert got == model.read(len(got))
            if model.tell() < len(PLAIN) and size != 0:
                assert got  # read1 makes progress before EOF
        elif kind == "readinto":
            buf = bytearray(int(op[1]))  # type: ignore[call-overload]
            n = reader.readinto(buf)
            assert bytes(buf[:n]) == model.read(len(buf))
        elif kind == "read_at":
            offset, size = int(op[1]), int(op[2])  # type: ignore[call-overload]
            assert reader.read_at(offset, size) == PLAIN[offset : offset + size]
        assert reader.tell() == model.tell()
    reader.close()


def test_concurrent_reads_with_seeks(tmp_path: Path, clip_key: bytes, clip_id: str) -> None:
    plaintext = words((5 * CHUNK_SIZE + 1000) // 4)
    path = write(tmp_path, encrypt_bytes(plaintext, clip_key, clip_id))
    reader = DecryptingReader(path, clip_key, cache_chunks=2)
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        start.wait()
        try:
            for _ in range(300):
                offset = rng.randrange(0, len(plaintext) // 4) * 4
                size = rng.choice([4, 400, 4 * 4096, CHUNK_SIZE, CHUNK_SIZE + 4, 3 * CHUNK_SIZE])
                if rng.random() < 0.5:
                    assert reader.read_at(offset, size) == plaintext[offset : offset + size]
                else:
                    # Another thread may move the shared position between seek and read, but every
                    # read is atomic: it is an exact, word-aligned slice starting somewhere.
                    reader.seek(offset)
                    got = reader.read(size)
                    if got:
                        at = int.from_bytes(got[:4], "big") * 4
                        assert got == plaintext[at : at + len(got)]
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reader.close()
    assert not errors, errors[0]


# --------------------------------------------------------------------------- failures


def test_not_a_container(tmp_path: Path, clip_key: bytes) -> None:
    for data in (b"", b"FWC", b"\x00\x00\x00\x18ftypisom" + bytes(200)):
        with pytest.raises(NotAContainer) as info:
            decrypt_bytes(data, clip_key)
        assert "not an encrypted clip" in str(info.value)
        assert info.value.hint


def test_missing_file_is_a_clear_error(tmp_path: Path, clip_key: bytes) -> None:
    with pytest.raises(ContainerError, match="could not be opened"):
        DecryptingReader(tmp_path / "nope.fwc", clip_key)


@pytest.mark.parametrize("chunks", [2, 3])
def test_truncation_at_chunk_boundary(tmp_path: Path, chunks: int, clip_key: bytes, clip_id: str) -> None:
    data = encrypt_bytes(pattern(chunks * CHUNK_SIZE - 5), clip_key, clip_id)
    for keep in range(1, chunks):
        cut = data[: HEADER_SIZE + keep * CT_CHUNK_SIZE]
        with pytest.raises(TruncatedContainer, match="cut short"):
            DecryptingReader(write(tmp_path, cut), clip_key)  # found at open, before playback
        with pytest.raises(TruncatedContainer):
            decrypt_bytes(cut, clip_key)


def test_truncation_mid_chunk(tmp_path: Path, clip_key: bytes, clip_id: str) -> None:
    data = encrypt_bytes(pattern(3 * CHUNK_SIZE), clip_key, clip_id)
    for cut_at in (HEADER_SIZE, HEADER_SIZE + 1, HEADER_SIZE + 15, HEADER_SIZE + CT_CHUNK_SIZE + 15, 60):
        with pytest.raises(TruncatedContainer):
            DecryptingReader(write(tmp_path, data[:cut_at]), clip_key)


def test_truncation_deep_inside_a_chunk_is_refused(tmp_path: Path, clip_key: bytes, clip_id: str) -> None:
    """A cut that leaves 16+ bytes of a chunk cannot be told from an altered final chunk
    (neither verifies): it is refused as TamperedContainer, and the message names both causes."""
    data = encrypt_bytes(pattern(3 * CHUNK_SIZE), clip_key, clip_id)
    cut = data[: HEADER_SIZE + CT_CHUNK_SIZE + 5000]
    with pytest.raises(TamperedContainer, match="cut off inside a chunk"):
        DecryptingReader(write(tmp_path, cut), clip_key)


def flip(data: bytes, offset: int, bit: int = 0) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= 1 << bit
    return bytes(changed)


def test_flipped_bits(clip_key: bytes, clip_id: str) -> None:
    plaintext = pattern(2 * CHUNK_SIZE + 100)
    data = encrypt_bytes(plaintext, clip_key, clip_id)
    body = HEADER_SIZE
    final_start = HEADER_SIZE + 2 * CT_CHUNK_SIZE
    cases: list[tuple[int, type[ContainerError]]] = [
        (0, NotAContainer),  # magic
        (5, NotAContainer),
        (6, ContainerError),  # version
        (7, ContainerError),  # chunk size
        (10, WrongKey),  # clip id: the key check covers it
        (30, WrongKey),  # salt
        (60, WrongKey),  # key check
        (body, TamperedContainer),  # first ciphertext byte of chunk 0
        (body + CT_CHUNK_SIZE - 1, TamperedContainer),  # tag of chunk 0
        (body + CT_CHUNK_SIZE + 500, TamperedContainer),  # chunk 1
        (final_start + 3, TamperedContainer),  # final chunk body
        (len(data) - 1, TamperedContainer),  # final tag
    ]
    for offset, error in cases:
        with pytest.raises(error) as info:
            decrypt_bytes(flip(data, offset), clip_key)
        assert isinstance(info.value, error), (offset, info.value)
    with pytest.raises(WrongKey, match="header was altered"):
        decrypt_bytes(flip(data, 30), clip_key)


def test_tampered_middle_chunk_found_on_read_not_before(clip_key: bytes, clip_id: str) -> None:
    plaintext = pattern(3 * CHUNK_SIZE)
    data = flip(encrypt_bytes(plaintext, clip_key, clip_id), HEADER_SIZE + CT_CHUNK_SIZE + 10)
    reader = DecryptingReader(io.BytesIO(data), clip_key)
    assert reader.read(CHUNK_SIZE) == plaintext[:CHUNK_SIZE]  # chunk 0 is fine
    with pytest.raises(TamperedContainer, match="chunk 2 of 3"):
        reader.read(10)
    reader.seek(2 * CHUNK_SIZE)
    assert reader.read() == plaintext[2 * CHUNK_SIZE :]


def test_appended_and_reordered_and_dropped_chunks(clip_key: bytes, clip_id: str) -> None:
    data = encrypt_bytes(pattern(3 * CHUNK_SIZE + 10), clip_key, clip_id)
    header, body = data[:HEADER_SIZE], data[HEADER_SIZE:]
    chunks = [body[i : i + CT_CHUNK_SIZE] for i in range(0, len(body), CT_CHUNK_SIZE)]
    assert len(chunks) == 4
    with pytest.raises(TamperedContainer):
        decrypt_bytes(header + chunks[1] + chunks[0] + chunks[2] + chunks[3], clip_key)
    with pytest.raises(TamperedContainer):
        decrypt_bytes(header + chunks[0] + chunks[2] + chunks[3], clip_key)  # dropped middle
    with pytest.raises(container.AppendedData):
        decrypt_bytes(data + chunks[3], clip_key)  # final chunk duplicated at the end
    with pytest.raises(container.AppendedData):
        decrypt_bytes(data + b"\x00" * 40, clip_key)


def test_swapped_chunks_between_clips_fail(clip_key: bytes) -> None:
    """Same key and even the same clip id: a chunk from another file never verifies."""
    a_id, b_id = os.urandom(16).hex(), os.urandom(16).hex()
    a = encrypt_bytes(pattern(2 * CHUNK_SIZE, "a"), clip_key, a_id)
    b = encrypt_bytes(pattern(2 * CHUNK_SIZE, "b"), clip_key, b_id)
    a_again = encrypt_bytes(pattern(2 * CHUNK_SIZE, "a"), clip_key, a_id)  # re-encryption: new salt
    for other in (b, a_again):
        mixed = a[: HEADER_SIZE] + other[HEADER_SIZE : HEADER_SIZE + CT_CHUNK_SIZE] + a[HEADER_SIZE + CT_CHUNK_SIZE :]
        reader = DecryptingReader(io.BytesIO(mixed), clip_key)  # the final chunk is a's own
        with pytest.raises(TamperedContainer):
            reader.read()
        whole_header_swap = other[:HEADER_SIZE] + a[HEADER_SIZE:]
        with pytest.raises(TamperedContainer):
            decrypt_bytes(whole_header_swap, clip_key)


def test_wrong_key(clip_key: bytes, clip_id: str) -> None:
    data = encrypt_bytes(b"secret video", clip_key, clip_id)
    with pytest.raises(WrongKey) as info:
        decrypt_bytes(data, os.urandom(32))
    assert "wrong key" in str(info.value)
    assert clip_id[:8] in str(info.value)


def test_expected_clip_id_mismatch(tmp_path: Path, clip_key: bytes, clip_id: str) -> None:
    other = os.urandom(16).hex()
    path = write(tmp_path, encrypt_bytes(b"video", clip_key, clip_id))
    with pytest.raises(WrongKey, match="belongs to another clip"):
        DecryptingReader(path, clip_key, expected_clip_id=other)
    with pytest.raises(InvalidId):
        DecryptingReader(path, clip_key, expected_clip_id="not-an-id")
    with DecryptingReader(path, clip_key, expected_clip_id=clip_id) as reader:
        assert reader.read() == b"video"


def test_unsupported_version_message(clip_key: bytes, clip_id: str) -> None:
    data = bytearray(encrypt_bytes(b"x", clip_key, clip_id))
    data[6] = 2
    with pytest.raises(ContainerError, match="version 2"):
        decrypt_bytes(bytes(data), clip_key)


def test_empty_final_chunk_after_full_one_is_rejected(clip_key: bytes, clip_id: str) -> None:
    """Non-canonical: a writer must make a full final chunk, not full + empty."""
    header, payload_key = container.build_header(clip_key, clip_id, os.urandom(32))
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(payload_key)
    data = (
        header
        + aead.encrypt(container.chunk_nonce(0, False), bytes(CHUNK_SIZE), header)
        + aead.encrypt(container.chunk_nonce(1, True), b"", header)
    )
    with pytest.raises(ContainerError, match="empty chunk"):
        decrypt_bytes(data, clip_key)


def test_file_shrinking_after_open(tmp_path: Path, clip_key: bytes, clip_id: str) -> None:
    plaintext = pattern(3 * CHUNK_SIZE)
    path = write(tmp_path, encrypt_bytes(plaintext, clip_key, clip_id))
    with DecryptingReader(path, clip_key, cache_chunks=1) as reader:
        with open(path, "r+b") as handle:
            handle.truncate(HEADER_SIZE + CT_CHUNK_SIZE + 10)
        with pytest.raises(TruncatedContainer, match="shorter"):
            reader.read_at(CHUNK_SIZE + 5, 10)


def test_no_qt_in_vault() -> None:
    folder = Path(container.__file__).parent
    for source in folder.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "PySide" not in text and "PyQt" not in text, source


@pytest.mark.parametrize("module", ["container", "sealing", "keystore", "masterkey", "cache"])
def test_security_docstrings_name_protections_and_non_goals(module: str) -> None:
    import importlib

    doc = importlib.import_module(f"workstation.vault.{module}").__doc__ or ""
    assert "Protects against" in doc and "Does NOT protect against" in doc


# --------------------------------------------------------------------------- argument errors (issue 9)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "0123456789ABCDEF0123456789ABCDEF",
                                 "01234567-89ab-4def-8123-456789abcdef", "{0123456789abcdef0123456789abcdef}",
                                 "0123456789abcdef", "", 12345, b"0123456789abcdef0123456789abcdef"])
def test_wrong_id_format_is_a_container_error(bad: object, clip_key: bytes) -> None:
    """A clip id not in its hex form is a documented container error, for the writer and the reader alike;
    it is still an InvalidId (and a ValueError), so older except clauses keep working."""
    data = encrypt_bytes(b"video", clip_key, "0123456789abcdef4123856789abcdef")
    for call in (
        lambda: encrypt_bytes(b"x", clip_key, bad),  # type: ignore[arg-type]
        lambda: encrypt_stream(io.BytesIO(b"x"), io.BytesIO(), clip_key, bad),  # type: ignore[arg-type]
        lambda: decrypt_bytes(data, clip_key, expected_clip_id=bad),  # type: ignore[arg-type]
    ):
        with pytest.raises(container.InvalidClipId) as info:
            call()
        assert isinstance(info.value, ContainerError)
        assert isinstance(info.value, InvalidId) and isinstance(info.value, ValueError)
        assert "not a valid clip id" in str(info.value) and "32 lowercase hexadecimal" in str(info.value)
        assert info.value.hint


def test_writer_needs_a_clip_id(clip_key: bytes) -> None:
    with pytest.raises(container.InvalidClipId):
        encrypt_bytes(b"x", clip_key, None)  # type: ignore[arg-type]


def test_expected_id_form_is_checked_before_the_file(tmp_path: Path, clip_key: bytes) -> None:
    with pytest.raises(container.InvalidClipId):
        DecryptingReader(tmp_path / "missing.fwc", clip_key, expected_clip_id="not-an-id")
    with pytest.raises(container.InvalidClipId):
        DecryptingReader(io.BytesIO(b"not a clip"), clip_key, expected_clip_id="not-an-id")


@pytest.mark.parametrize("bad", [b"", b"short", bytes(31), bytes(33), "k" * 32, None, 32])
def test_wrong_key_length_is_a_container_error(bad: object, clip_key: bytes, clip_id: str) -> None:
    data = encrypt_bytes(b"video", clip_key, clip_id)
    for call in (
        lambda: encrypt_bytes(b"x", bad, clip_id),  # type: ignore[arg-type]
        lambda: encrypt_stream(io.BytesIO(b"x"), io.BytesIO(), bad, clip_id),  # type: ignore[arg-type]
        lambda: decrypt_bytes(data, bad),  # type: ignore[arg-type]
    ):
        with pytest.raises(container.InvalidClipKey) as info:
            call()
        assert isinstance(info.value, ContainerError) and isinstance(info.value, ValueError)
        assert "clip key must be 32 bytes" in str(info.value)
        assert info.value.hint


def test_key_length_is_checked_before_the_file(tmp_path: Path) -> None:
    with pytest.raises(container.InvalidClipKey):
        DecryptingReader(tmp_path / "missing.fwc", bytes(16))


def test_key_may_be_any_bytes_like(clip_key: bytes, clip_id: str) -> None:
    data = encrypt_bytes(b"video", bytearray(clip_key), clip_id)  # type: ignore[arg-type]
    assert decrypt_bytes(data, memoryview(clip_key)) == b"video"  # type: ignore[arg-type]


# --------------------------------------------------------------------------- appended data (issue 9)


@pytest.mark.parametrize("size", [0, 1, 100, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE, 3 * CHUNK_SIZE + 10])
@pytest.mark.parametrize("extra", [1, 15, 16, 17, 1000])
def test_appended_bytes_are_reported_as_appended(size: int, extra: int, clip_key: bytes, clip_id: str) -> None:
    """Bytes after a valid final chunk are appended data, never 'cut short', whatever chunk boundary they cross."""
    data = encrypt_bytes(pattern(size), clip_key, clip_id)
    with pytest.raises(container.AppendedData) as info:
        decrypt_bytes(data + b"\x00" * extra, clip_key)
    assert isinstance(info.value, TamperedContainer)  # callers' except clauses still catch it
    assert info.value.extra_bytes == extra
    assert info.value.valid_length == len(data)
    text = str(info.value)
    assert f"{extra} byte" in text and "after its final chunk" in text
    assert "cut" not in text


def test_appended_copy_of_the_final_chunk(clip_key: bytes, clip_id: str) -> None:
    """Up to one sealed chunk (65 552 bytes) of appended data is recognised as such."""
    data = encrypt_bytes(pattern(2 * CHUNK_SIZE), clip_key, clip_id)
    with pytest.raises(container.AppendedData) as info:
        decrypt_bytes(data + data[-CT_CHUNK_SIZE:], clip_key)
    assert info.value.extra_bytes == CT_CHUNK_SIZE


def test_more_than_a_chunk_appended_is_tampering(clip_key: bytes, clip_id: str) -> None:
    """Beyond the search window the reader cannot find the true end: it refuses the file as altered,
    naming appended data among the causes, and never says 'cut short'."""
    data = encrypt_bytes(pattern(2 * CHUNK_SIZE), clip_key, clip_id)
    with pytest.raises(TamperedContainer) as info:
        decrypt_bytes(data + b"\x00" * (CT_CHUNK_SIZE + 1), clip_key)
    assert type(info.value) is TamperedContainer
    assert "appended" in str(info.value) and "cut short" not in str(info.value)


def test_cut_inside_the_final_chunk_is_still_truncation(clip_key: bytes, clip_id: str) -> None:
    """Fewer than 16 bytes of the final chunk left after an intact middle chunk: truncation."""
    data = encrypt_bytes(pattern(2 * CHUNK_SIZE + 100), clip_key, clip_id)
    for keep in (1, 15):
        with pytest.raises(TruncatedContainer, match="cut short"):
            decrypt_bytes(data[: HEADER_SIZE + 2 * CT_CHUNK_SIZE + keep], clip_key)


def test_spec_documents_every_container_error() -> None:
    """docs/clip-container.md §5 lists every container error class with its parent."""
    spec = (Path(__file__).resolve().parents[2] / "docs" / "clip-container.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip().strip("`"): line.split("|")[2] for line in spec.splitlines()
            if line.startswith("| `") and line.count("|") >= 5}
    classes = [obj for obj in vars(container).values()
               if isinstance(obj, type) and issubclass(obj, ContainerError)]
    assert len(classes) >= 8
    for cls in classes:
        assert cls.__name__ in rows, cls.__name__
        for base in cls.__bases__:
            if base is not WorkstationError or cls is ContainerError:
                assert f"`{base.__name__}`" in rows[cls.__name__], (cls.__name__, base.__name__)


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 12345])
def test_encrypt_stream_returns_the_container_length(size: int, clip_key: bytes, clip_id: str) -> None:
    out = io.BytesIO()
    written = encrypt_stream(io.BytesIO(pattern(size)), out, clip_key, clip_id)
    assert isinstance(written, int)
    assert written == HEADER_SIZE + size + 16 * max(1, -(-size // CHUNK_SIZE)) == len(out.getvalue())
