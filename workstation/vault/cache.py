"""The workstation's clip cache: ciphertext containers only, one folder per shift.

Layout: ``root/<shift_id>/<clip_id>.fwc``; folders are created owner-only (0o700). Files are
written to a temp file in the same folder, fsynced and renamed into place, so a crash or an
error never leaves a half-written clip under its final name.

Protects against:
  * plaintext in the cache: a file is only committed if it starts with the clip container
    signature (a writer that hands over plain video is refused and its temp file deleted);
  * path tricks from bad ids (``..``, separators, drive letters): ids must be 32 lowercase hex;
  * torn files after a crash, power loss or a full disk (atomic rename, temp file removed).

Does NOT protect against:
  * recovery of deleted ciphertext from the disk (it stays encrypted; deleting the shift key
    is what makes it unreadable);
  * other processes of the same user reading or deleting cache files;
  * verifying the container's contents (the reader does that when a clip is opened).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Final

from workstation.errors import WorkstationError
from workstation.vault.container import MAGIC, validate_id

SUFFIX: Final = ".fwc"
_TEMP_SUFFIX: Final = ".part"


class CacheError(WorkstationError):
    """The clip cache could not be written or cleaned."""


class CacheFull(CacheError):
    """A download would take the cache past the machine policy's quota."""


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a directory for fsync; NTFS journals the rename
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ClipCache:
    """Encrypted clip files under ``root``; see the module docstring for the layout."""

    def __init__(self, root: str | os.PathLike[str], *, quota_bytes: int | None = None) -> None:
        self.root = Path(root)
        self.quota_bytes = quota_bytes
        """The most the cache may hold (the machine policy's ``cache_quota_mb``); None: no limit."""

    def used_bytes(self) -> int:
        """Bytes of every file under the cache root (partial downloads included)."""
        if not self.root.is_dir():
            return 0
        total = 0
        for path in self.root.rglob("*"):
            try:
                if path.is_file():
                    total += path.stat().st_size
            except OSError:
                continue
        return total

    def ensure_room(self, needed_bytes: int) -> None:
        """Raise :class:`CacheFull` unless ``needed_bytes`` more fit within the quota."""
        if self.quota_bytes is None or needed_bytes <= 0:
            return
        used = self.used_bytes()
        if used + needed_bytes > self.quota_bytes:
            mb = 1024 * 1024
            raise CacheFull(
                f"This shift needs {needed_bytes / mb:.0f} MB of clip cache, but only "
                f"{max(0, self.quota_bytes - used) / mb:.0f} MB of the {self.quota_bytes / mb:.0f} MB the machine "
                "policy allows are free.",
                hint="Ask for a smaller shift, or ask IT to raise cache_quota_mb in the machine policy.",
            )

    def _mkdir(self, path: Path) -> None:
        try:
            # mkdir(parents=True) ignores ``mode`` for the parents: create the root explicitly.
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise CacheError(
                f"The clip cache folder {path} could not be created: {exc.strerror or exc}.",
                hint="Check the cache_dir in the machine policy and that the disk is writable; tell IT.",
            ) from exc

    def shift_dir(self, shift_id: str) -> Path:
        return self.root / validate_id(shift_id, "shift id")

    def path_for(self, shift_id: str, clip_id: str) -> Path:
        """``root/shift_id/clip_id.fwc`` (ids validated; the file may not exist)."""
        return self.shift_dir(shift_id) / (validate_id(clip_id, "clip id") + SUFFIX)

    def has_clip(self, shift_id: str, clip_id: str) -> bool:
        return self.path_for(shift_id, clip_id).is_file()

    def clips(self, shift_id: str) -> list[str]:
        """Clip ids cached for a shift, sorted."""
        folder = self.shift_dir(shift_id)
        if not folder.is_dir():
            return []
        return sorted(
            p.name[: -len(SUFFIX)] for p in folder.iterdir()
            if p.name.endswith(SUFFIX) and _is_id(p.name[: -len(SUFFIX)])
        )

    @contextmanager
    def open_writer(self, shift_id: str, clip_id: str) -> Iterator[BinaryIO]:
        """Yield a binary file; on success it is fsynced and renamed to :meth:`path_for`.

        If the block raises, or what was written is not a clip container, the temp file is
        deleted and nothing appears under the final name (an existing file is left as it was).
        """
        final = self.path_for(shift_id, clip_id)
        self._mkdir(final.parent)
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{clip_id}.", suffix=_TEMP_SUFFIX, dir=final.parent)
        except OSError as exc:
            raise CacheError(
                f"Clip {clip_id[:8]} could not be written to the cache: {exc.strerror or exc}.",
                hint="Free disk space or check the cache folder's permissions, then retry.",
            ) from exc
        tmp = Path(tmp_name)
        file = os.fdopen(fd, "wb")
        try:
            try:
                yield file
                file.flush()
                os.fsync(file.fileno())
            finally:
                file.close()
            with open(tmp, "rb") as check:
                if check.read(len(MAGIC)) != MAGIC:
                    raise CacheError(
                        f"Refused to cache clip {clip_id[:8]}: the data is not an encrypted clip container.",
                        hint="This points to a bug or a bad answer from the floor hub; tell IT.",
                    )
            os.replace(tmp, final)
            _fsync_dir(final.parent)
        except OSError as exc:
            _unlink_quietly(tmp)
            raise CacheError(
                f"Clip {clip_id[:8]} could not be written to the cache: {exc.strerror or exc}.",
                hint="Free disk space or check the cache folder's permissions, then retry.",
            ) from exc
        except BaseException:
            _unlink_quietly(tmp)
            raise

    def remove_clip(self, shift_id: str, clip_id: str) -> None:
        """Delete a cached clip and any leftover temp files of it; absent is fine."""
        final = self.path_for(shift_id, clip_id)
        try:
            final.unlink(missing_ok=True)
            if final.parent.is_dir():
                for leftover in final.parent.glob(f".{clip_id}.*{_TEMP_SUFFIX}"):
                    leftover.unlink(missing_ok=True)
        except OSError as exc:
            raise CacheError(
                f"Clip {clip_id[:8]} could not be removed from the cache: {exc.strerror or exc}.",
                hint="Close anything that has the clip open and retry; the file is encrypted either way.",
            ) from exc

    def remove_shift(self, shift_id: str) -> None:
        """Delete a shift's folder and everything in it; absent is fine."""
        folder = self.shift_dir(shift_id)
        try:
            shutil.rmtree(folder)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise CacheError(
                f"The cached clips of shift {shift_id[:8]} could not all be removed: {exc.strerror or exc}.",
                hint="Close anything that has a clip open and retry; the files are encrypted either way.",
            ) from exc

    def shifts(self) -> list[str]:
        """Shift ids that have a folder in the cache, sorted."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and _is_id(p.name))


def _is_id(name: str) -> bool:
    try:
        validate_id(name)
    except ValueError:
        return False
    return True


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
