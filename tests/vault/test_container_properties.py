"""Property tests over the clip container reader (docs/clip-container.md §5–§6): every change is named, never read.

For containers of random size, key, clip id and salt, each test changes the file one way — a bit flip
anywhere, a truncation, appended bytes, chunks reordered, dropped or duplicated, chunks swapped in from
another clip under the same key or another key, a header field rewritten — and checks two things:

* the whole-file read (``decrypt_bytes``) fails with the error class §5 names for that change;
* reading the changed file chunk by chunk through ``DecryptingReader`` never returns a byte that is not
  the original plaintext's byte at that offset (a chunk either verifies where it was sealed or is refused).

A last property reads intact containers through random seek/read sequences and compares each answer with
the plaintext (``test_container.py`` has the same for one fixed file; here the sizes, keys and chunk cache
vary). The fixed cases of these rules are in ``test_container.py`` and ``test_vectors.py``.

Short form (CI): a few dozen derandomized examples per property (``tests/fuzzing.py``, profile ``ci``).
Long form: ``FUZZ_PROFILE=long python3 -m pytest tests/vault/test_container_properties.py`` (about 20× the
examples, fresh random ones every run; 20–30 minutes on a 2-core machine, no per-test timeout).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.fuzzing import LONG_RUN, fuzz_settings
from tests.vault.helpers import pattern
from workstation.vault.container import (
    APPEND_SEARCH_LIMIT,
    CHUNK_SIZE,
    CT_CHUNK_SIZE,
    HEADER_SIZE,
    TAG_SIZE,
    AppendedData,
    ContainerError,
    DecryptingReader,
    NotAContainer,
    TamperedContainer,
    TruncatedContainer,
    WrongKey,
    decrypt_bytes,
    encrypt_bytes,
)

pytestmark = LONG_RUN

# --------------------------------------------------------------------------- intact containers

_BOUNDARIES = [0, 1, 15, 16, 17, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE, 2 * CHUNK_SIZE + 16,
               3 * CHUNK_SIZE - 1]
plaintext_sizes = st.one_of(st.sampled_from(_BOUNDARIES), st.integers(min_value=0, max_value=3 * CHUNK_SIZE + 100))
keys = st.binary(min_size=32, max_size=32)
clip_ids = st.binary(min_size=16, max_size=16).map(bytes.hex)
salts = st.binary(min_size=32, max_size=32)


@dataclass(frozen=True)
class Clip:
    plaintext: bytes
    key: bytes
    clip_id: str
    data: bytes

    @property
    def chunks(self) -> list[bytes]:
        """The sealed chunks, in order (the final one may be short)."""
        body = self.data[HEADER_SIZE:]
        return [body[i : i + CT_CHUNK_SIZE] for i in range(0, len(body), CT_CHUNK_SIZE)]

    @property
    def header(self) -> bytes:
        return self.data[:HEADER_SIZE]


@st.composite
def clips(draw: st.DrawFn, *, sizes: st.SearchStrategy[int] = plaintext_sizes, key: bytes | None = None,
          clip_id: str | None = None) -> Clip:
    size = draw(sizes)
    plaintext = pattern(size, seed=str(draw(st.integers(min_value=0, max_value=2**32))))
    clip_key = draw(keys) if key is None else key
    the_id = draw(clip_ids) if clip_id is None else clip_id
    return Clip(plaintext, clip_key, the_id, encrypt_bytes(plaintext, clip_key, the_id, salt=draw(salts)))


def multi_chunk(minimum: int) -> st.SearchStrategy[int]:
    """Plaintext sizes with at least ``minimum`` sealed chunks."""
    low = (minimum - 1) * CHUNK_SIZE + 1
    return st.one_of(st.sampled_from([low, minimum * CHUNK_SIZE]), st.integers(min_value=low, max_value=low + 2 * CHUNK_SIZE))


# --------------------------------------------------------------------------- the two checks


def refused(clip: Clip, changed: bytes, expected: type[ContainerError] | tuple[type[ContainerError], ...], *,
            exact: bool = False) -> ContainerError:
    """``changed`` is refused as ``expected`` by the whole-file read, and no read returns a wrong byte."""
    assert changed != clip.data
    try:
        reader = DecryptingReader(io.BytesIO(changed), clip.key)
    except ContainerError as at_open:  # decrypt_bytes opens the same way: the same error
        error = at_open
    else:
        with reader:
            never_a_wrong_byte(clip, reader)
        with pytest.raises(ContainerError) as info:
            decrypt_bytes(changed, clip.key)
        error = info.value
    if exact:
        assert type(error) is expected, f"{type(error).__name__}: {error}"
    else:
        assert isinstance(error, expected), f"{type(error).__name__}: {error}"
    return error


def never_a_wrong_byte(clip: Clip, reader: DecryptingReader) -> None:
    """Read every chunk's span of an opened, changed file: each read fails or returns the original plaintext there."""
    refusals = 0
    for index in range(reader.chunk_count):
        offset = index * CHUNK_SIZE
        try:
            got = reader.read_at(offset, CHUNK_SIZE)
        except (TamperedContainer, TruncatedContainer):
            refusals += 1
            continue
        assert got == clip.plaintext[offset : offset + len(got)], f"chunk {index} read wrong plaintext"
        assert len(got) == len(clip.plaintext[offset : offset + CHUNK_SIZE]), f"chunk {index} has a wrong size"
    assert refusals or reader.size != len(clip.plaintext), "a changed file read as if intact"


# --------------------------------------------------------------------------- bit flips


def expected_for_flip(offset: int) -> tuple[type[ContainerError], bool]:
    """(error class, whether exactly that class) for one flipped bit at ``offset`` (spec §5, §7)."""
    if offset < 6:
        return NotAContainer, True  # magic
    if offset < 8:
        return ContainerError, True  # version, chunk size: unsupported
    if offset < HEADER_SIZE:
        return WrongKey, True  # clip id, salt, key check: all under the key check
    return TamperedContainer, True  # a chunk: never AppendedData, never a cut


@fuzz_settings(60)
@given(clip=clips(), where=st.floats(min_value=0, max_value=1, exclude_max=True), bit=st.integers(0, 7),
       header=st.booleans())
def test_any_bit_flip_is_refused_with_its_class(clip: Clip, where: float, bit: int, header: bool) -> None:
    span = HEADER_SIZE if header else len(clip.data)  # half the flips in the header: it is small but dense
    offset = int(where * span)
    changed = bytearray(clip.data)
    changed[offset] ^= 1 << bit
    error_class, exact = expected_for_flip(offset)
    refused(clip, bytes(changed), error_class, exact=exact)


@fuzz_settings(25)
@given(clip=clips(sizes=multi_chunk(2)), flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 7)),
                                                         min_size=2, max_size=6))
def test_several_flips_in_the_body_are_refused(clip: Clip, flips: list[tuple[int, int]]) -> None:
    changed = bytearray(clip.data)
    body = len(clip.data) - HEADER_SIZE
    for position, bit in flips:
        changed[HEADER_SIZE + position % body] ^= 1 << bit
    if bytes(changed) == clip.data:  # two flips of one bit cancelled out
        return
    refused(clip, bytes(changed), TamperedContainer, exact=True)


# --------------------------------------------------------------------------- truncation


def expected_for_cut(length: int) -> tuple[type[ContainerError], bool]:
    """The class §5 names for a container cut to ``length`` bytes (shorter than it was)."""
    if length < 6:
        return NotAContainer, True  # not even the signature is left
    if length < HEADER_SIZE:
        return TruncatedContainer, True  # inside the header
    body = length - HEADER_SIZE
    n = max(1, -(-body // CT_CHUNK_SIZE))
    final = body - (n - 1) * CT_CHUNK_SIZE
    if body < TAG_SIZE or final < TAG_SIZE or final == CT_CHUNK_SIZE:
        return TruncatedContainer, True  # inside the first chunk, just past a chunk, or at a chunk boundary
    return TamperedContainer, True  # 16+ bytes into a chunk: cannot be told from an altered final chunk


@fuzz_settings(60)
@given(clip=clips(), where=st.floats(min_value=0, max_value=1, exclude_max=True), at_edge=st.booleans(),
       delta=st.sampled_from([0, 0, 0, -1, 1, 15, 16, 17, -15, -16, -17]))
def test_any_truncation_is_refused_with_its_class(clip: Clip, where: float, at_edge: bool, delta: int) -> None:
    if at_edge:  # at, or a few bytes around, the end of the header or of a chunk
        edges = [HEADER_SIZE + i * CT_CHUNK_SIZE for i in range(len(clip.chunks))]
        length = min(len(clip.data) - 1, max(0, edges[int(where * len(edges))] + delta))
    else:
        length = int(where * len(clip.data))
    error_class, exact = expected_for_cut(length)
    refused(clip, clip.data[:length], error_class, exact=exact)


# --------------------------------------------------------------------------- appended data


appended_lengths = st.one_of(st.integers(min_value=1, max_value=64),
                             st.sampled_from([TAG_SIZE - 1, TAG_SIZE, TAG_SIZE + 1, CT_CHUNK_SIZE - 1, CT_CHUNK_SIZE,
                                              CT_CHUNK_SIZE + 1]),
                             st.integers(min_value=65, max_value=CT_CHUNK_SIZE + 100))


@fuzz_settings(15, 300)
@given(clip=clips(), extra=appended_lengths, fill=st.sampled_from(["zeros", "random", "own tail", "own head"]),
       seed=st.integers(0, 2**32))
def test_appended_data_is_named_with_its_length(clip: Clip, extra: int, fill: str, seed: int) -> None:
    """Up to one sealed chunk appended: ``AppendedData`` with the exact count; more: ``TamperedContainer``."""
    tail = {"zeros": bytes(extra), "random": pattern(extra, seed=str(seed)),
            "own tail": (clip.data * (1 + extra // len(clip.data)))[-extra:],
            "own head": (clip.data[HEADER_SIZE:] * (1 + extra // (len(clip.data) - HEADER_SIZE)))[:extra]}[fill]
    if extra <= APPEND_SEARCH_LIMIT:
        error = refused(clip, clip.data + tail, AppendedData, exact=True)
        assert isinstance(error, AppendedData)
        assert (error.extra_bytes, error.valid_length) == (extra, len(clip.data))
    else:
        refused(clip, clip.data + tail, TamperedContainer, exact=True)


# --------------------------------------------------------------------------- chunks moved within one clip


def chunk_orders(n: int) -> st.SearchStrategy[list[int]]:
    """New sequences of a clip's ``n`` chunk indices: one chunk dropped, the tail dropped (a cut at a chunk
    boundary), a chunk duplicated in place or at the end, a chunk moved, two exchanged, all reversed, or any list."""
    index = st.integers(0, n - 1)
    whole = list(range(n))

    def without(i: int) -> list[int]:
        return whole[:i] + whole[i + 1 :]

    return st.one_of(
        index.map(without),
        st.integers(1, n - 1).map(lambda k: whole[:k]),
        index.map(lambda i: whole[: i + 1] + whole[i:]),
        index.map(lambda i: [*whole, i]),
        st.tuples(index, index).map(lambda ij: without(ij[0])[: ij[1]] + [ij[0]] + without(ij[0])[ij[1] :]),
        st.tuples(index, index).map(lambda ij: [ij[1] if k == ij[0] else ij[0] if k == ij[1] else k for k in whole]),
        st.just(whole[::-1]),
        st.lists(index, min_size=1, max_size=n + 1),
    )


@fuzz_settings(24, 300)
@given(clip=clips(sizes=multi_chunk(2)), data=st.data())
def test_reordered_dropped_or_duplicated_chunks_are_refused(clip: Clip, data: st.DataObject) -> None:
    chunks = clip.chunks
    order = data.draw(chunk_orders(len(chunks)), label="chunk order")
    if order == list(range(len(chunks))):
        return
    changed = clip.header + b"".join(chunks[i] for i in order)
    error = refused(clip, changed, (TamperedContainer, TruncatedContainer))
    if isinstance(error, AppendedData):
        # Spec §5 step 4 looks only at the final chunk: the clip's true final chunk at its true place, with bytes
        # after it. The chunks before it are checked when read (chunk 0 of [1, 1, 1] is chunk 1), never trusted.
        assert error.valid_length == len(clip.data)
        assert changed[error.valid_length - len(chunks[-1]) : error.valid_length] == chunks[-1]


@fuzz_settings(15, 300)
@given(clip=clips(sizes=multi_chunk(3)), data=st.data())
def test_two_swapped_chunks_are_refused(clip: Clip, data: st.DataObject) -> None:
    """Spec §8's ``swap_chunks``: exchange two sealed chunks of one file (full ones, so the layout stays)."""
    full = len(clip.chunks) if len(clip.chunks[-1]) == CT_CHUNK_SIZE else len(clip.chunks) - 1
    if full < 2:
        return
    i, j = data.draw(st.lists(st.integers(0, full - 1), min_size=2, max_size=2, unique=True), label="i, j")
    chunks = clip.chunks
    chunks[i], chunks[j] = chunks[j], chunks[i]
    refused(clip, clip.header + b"".join(chunks), TamperedContainer, exact=True)


# --------------------------------------------------------------------------- chunks from another clip


@st.composite
def clip_pairs(draw: st.DrawFn) -> tuple[Clip, Clip, str]:
    """Two clips: the same key and clip id (a re-encryption), the same key, or different keys."""
    kinds = ["same key, same clip id", "same key, other clip", "other key"]
    kind = draw(st.sampled_from(kinds), label="kind")
    first = draw(clips(sizes=multi_chunk(1)))
    if kind == kinds[0]:
        second = draw(clips(sizes=multi_chunk(1), key=first.key, clip_id=first.clip_id))
    elif kind == kinds[1]:
        second = draw(clips(sizes=multi_chunk(1), key=first.key))
    else:
        second = draw(clips(sizes=multi_chunk(1)))
    assume(second.header != first.header)  # derandomized draws may repeat a salt; real files never do
    return first, second, kind


@fuzz_settings(20, 400)
@given(pair=clip_pairs(), data=st.data())
def test_chunks_swapped_in_from_another_clip_are_refused(pair: tuple[Clip, Clip, str], data: st.DataObject) -> None:
    """A's chunk i replaced by B's chunk j (any i, j: the same position too), or several of them."""
    a, b, _ = pair
    chunks = a.chunks
    swaps = data.draw(st.lists(st.tuples(st.integers(0, len(chunks) - 1), st.integers(0, len(b.chunks) - 1)),
                               min_size=1, max_size=3), label="(A index, B index)")
    for i, j in swaps:
        chunks[i] = b.chunks[j]
    changed = a.header + b"".join(chunks)
    if changed == a.data:  # B's chunk equal to A's: only when both were made alike (never in practice)
        return
    error = refused(a, changed, (TamperedContainer, TruncatedContainer))
    assert not isinstance(error, AppendedData)


@fuzz_settings(15, 300)
@given(pair=clip_pairs())
def test_a_header_from_another_clip_is_refused(pair: tuple[Clip, Clip, str]) -> None:
    """B's header on A's chunks: under A's key the key check fails unless B has A's key; then no chunk verifies."""
    a, b, _ = pair
    changed = b.header + a.data[HEADER_SIZE:]
    if b.key == a.key:
        refused(a, changed, TamperedContainer, exact=True)
    else:
        refused(a, changed, WrongKey, exact=True)


# --------------------------------------------------------------------------- header fields rewritten

_FIELDS = {"magic": (0, 6, NotAContainer), "version": (6, 7, ContainerError), "chunk size": (7, 8, ContainerError),
           "clip id": (8, 24, WrongKey), "salt": (24, 56, WrongKey), "key check": (56, 88, WrongKey)}


@fuzz_settings(40)
@given(clip=clips(sizes=st.sampled_from([0, 1, CHUNK_SIZE, 2 * CHUNK_SIZE + 5])), field=st.sampled_from(sorted(_FIELDS)),
       data=st.data())
def test_any_header_field_edit_is_refused(clip: Clip, field: str, data: st.DataObject) -> None:
    start, end, error_class = _FIELDS[field]
    value = data.draw(st.binary(min_size=end - start, max_size=end - start).filter(
        lambda v: v != clip.data[start:end]), label=field)
    refused(clip, clip.data[:start] + value + clip.data[end:], error_class, exact=True)


# --------------------------------------------------------------------------- intact containers: random access

_WHENCES = [io.SEEK_SET, io.SEEK_CUR, io.SEEK_END]


@st.composite
def access_plans(draw: st.DrawFn, size: int) -> list[tuple[str, int, int]]:
    spots = st.one_of(st.integers(min_value=0, max_value=size + 20),
                      st.sampled_from([0, max(0, size - 1), size, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1]))
    lengths = st.one_of(st.integers(min_value=0, max_value=2 * CHUNK_SIZE + 20),
                        st.sampled_from([1, 16, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1]))
    step = st.one_of(
        st.tuples(st.just("seek"), st.integers(min_value=-size - 20, max_value=size + 20), st.sampled_from(_WHENCES)),
        st.tuples(st.just("seek"), spots, st.just(io.SEEK_SET)),
        st.tuples(st.sampled_from(["read", "read1", "readinto"]), lengths, st.just(0)),
        st.tuples(st.just("read"), st.just(-1), st.just(0)),
        st.tuples(st.just("read_at"), spots, lengths),
    )
    return draw(st.lists(step, max_size=30))


@fuzz_settings(60)
@given(clip=clips(), cache_chunks=st.sampled_from([1, 2, 4]), from_path=st.booleans(), data=st.data())
def test_random_seeks_and_reads_return_exactly_the_plaintext(tmp_path_factory: pytest.TempPathFactory, clip: Clip,
                                                             cache_chunks: int, from_path: bool,
                                                             data: st.DataObject) -> None:
    plaintext = clip.plaintext
    plan = data.draw(access_plans(len(plaintext)), label="plan")
    if from_path:  # os.pread on a real file
        path = Path(tmp_path_factory.mktemp("clip")) / "clip.fwc"
        path.write_bytes(clip.data)
        reader = DecryptingReader(path, clip.key, expected_clip_id=clip.clip_id, cache_chunks=cache_chunks)
    else:
        reader = DecryptingReader(io.BytesIO(clip.data), clip.key, expected_clip_id=clip.clip_id,
                                  cache_chunks=cache_chunks)
    model = io.BytesIO(plaintext)
    with reader:
        assert reader.size == len(plaintext)
        for kind, a, b in plan:
            if kind == "seek":
                base = {io.SEEK_SET: 0, io.SEEK_CUR: model.tell(), io.SEEK_END: len(plaintext)}[b]
                if base + a < 0:
                    with pytest.raises(ValueError):
                        reader.seek(a, b)
                    continue
                assert reader.seek(a, b) == model.seek(a, b)
            elif kind == "read":
                assert reader.read(a) == model.read(a)
            elif kind == "read1":
                got = reader.read1(a)
                assert got == model.read(len(got))
                assert got or a == 0 or model.tell() >= len(plaintext)  # progress before the end
            elif kind == "readinto":
                buffer = bytearray(a)
                n = reader.readinto(buffer)
                assert bytes(buffer[:n]) == model.read(a)
            else:
                assert reader.read_at(a, b) == plaintext[a : a + b]
            assert reader.tell() == model.tell()
        reader.seek(0)
        assert reader.read() == plaintext
