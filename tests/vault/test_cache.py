"""The ciphertext-only clip cache."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from tests.vault.helpers import pattern
from workstation.vault.cache import CacheError, ClipCache
from workstation.vault.container import DecryptingReader, InvalidId, encrypt_bytes, encrypt_stream

SHIFT = "5" * 32
CLIP = "6" * 32


def container_bytes(key: bytes, clip: str = CLIP, size: int = 70000) -> bytes:
    return encrypt_bytes(pattern(size), key, clip)


def test_layout_and_round_trip(tmp_path: Path, clip_key: bytes) -> None:
    cache = ClipCache(tmp_path / "cache")
    path = cache.path_for(SHIFT, CLIP)
    assert path == tmp_path / "cache" / SHIFT / f"{CLIP}.fwc"
    plaintext = pattern(200000)
    with cache.open_writer(SHIFT, CLIP) as out:
        encrypt_stream(io.BytesIO(plaintext), out, clip_key, CLIP)
    assert path.is_file() and cache.has_clip(SHIFT, CLIP)
    assert cache.clips(SHIFT) == [CLIP]
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    with DecryptingReader(path, clip_key, expected_clip_id=CLIP) as reader:
        assert reader.read() == plaintext
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_exception_inside_writer_leaves_nothing(tmp_path: Path, clip_key: bytes) -> None:
    cache = ClipCache(tmp_path)
    with pytest.raises(RuntimeError), cache.open_writer(SHIFT, CLIP) as out:
        out.write(container_bytes(clip_key)[:1000])
        raise RuntimeError("download broke")
    assert not cache.path_for(SHIFT, CLIP).exists()
    assert list((tmp_path / SHIFT).iterdir()) == []


def test_failed_rewrite_keeps_the_old_file(tmp_path: Path, clip_key: bytes) -> None:
    cache = ClipCache(tmp_path)
    good = container_bytes(clip_key)
    with cache.open_writer(SHIFT, CLIP) as out:
        out.write(good)
    with pytest.raises(KeyboardInterrupt), cache.open_writer(SHIFT, CLIP) as out:
        out.write(b"partial")
        raise KeyboardInterrupt
    assert cache.path_for(SHIFT, CLIP).read_bytes() == good
    assert len(list((tmp_path / SHIFT).iterdir())) == 1


def test_os_error_inside_writer_becomes_cache_error(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    with pytest.raises(CacheError, match="could not be written to the cache: No space left"), \
            cache.open_writer(SHIFT, CLIP):
        raise OSError(28, "No space left on device")
    assert list((tmp_path / SHIFT).iterdir()) == []


def test_refuses_plaintext(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    with pytest.raises(CacheError, match="not an encrypted clip container"), cache.open_writer(SHIFT, CLIP) as out:
        out.write(b"\x00\x00\x00\x18ftypmp42 plain video")
    assert list((tmp_path / SHIFT).iterdir()) == []


@pytest.mark.parametrize(
    "bad",
    ["..", "../" + "a" * 29, "a" * 31, "a" * 33, "A" * 32, "g" * 32, "a" * 30 + "/.", "C:" + "a" * 30,
     "a" * 31 + "\0", "", " " + "a" * 31],
)
def test_id_validation(tmp_path: Path, bad: str) -> None:
    cache = ClipCache(tmp_path)
    with pytest.raises(InvalidId):
        cache.path_for(bad, CLIP)
    with pytest.raises(InvalidId):
        cache.path_for(SHIFT, bad)
    with pytest.raises(InvalidId), cache.open_writer(SHIFT, bad):
        pass  # pragma: no cover
    with pytest.raises(InvalidId):
        cache.remove_shift(bad)
    assert list(tmp_path.iterdir()) == []


def test_remove_and_list(tmp_path: Path, clip_key: bytes) -> None:
    cache = ClipCache(tmp_path / "cache")
    assert cache.shifts() == []
    cache.remove_clip(SHIFT, CLIP)  # absent: fine
    cache.remove_shift(SHIFT)  # absent: fine
    other_shift, other_clip = "7" * 32, "8" * 32
    for shift, clip in ((SHIFT, CLIP), (SHIFT, other_clip), (other_shift, CLIP)):
        with cache.open_writer(shift, clip) as out:
            out.write(container_bytes(clip_key, clip))
    (tmp_path / "cache" / "not-a-shift").mkdir()
    (tmp_path / "cache" / SHIFT / f".{CLIP}.abc.part").write_bytes(b"leftover")
    assert cache.shifts() == sorted([SHIFT, other_shift])
    assert cache.clips(SHIFT) == sorted([CLIP, other_clip])
    cache.remove_clip(SHIFT, CLIP)
    assert cache.clips(SHIFT) == [other_clip]
    assert sorted(p.name for p in (tmp_path / "cache" / SHIFT).iterdir()) == [f"{other_clip}.fwc"]
    cache.remove_shift(SHIFT)
    assert cache.shifts() == [other_shift] and cache.clips(SHIFT) == []
    cache.remove_shift(SHIFT)
