"""Ingest: probe each clip file, encrypt it into a clip container, record it with its wrapped key.

Plaintext is never written anywhere by the hub: the source is read (to fingerprint, to probe, to
encrypt) and only ciphertext is written, first to a temporary file inside ``blobs/`` and then
renamed into place. Duplicates are found by a *keyed* fingerprint (HMAC-SHA256 under a subkey of
the master key), so hub.db does not carry a plain hash that could confirm whether some known video
is on the hub. What this does not cover: the source files themselves stay where IT put them.

A folder given as a path is searched (recursively) for files with a video suffix. A file whose clip
was disposed of as sensitive (its fingerprint stays on record) is refused, so it cannot come back.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import sqlite_utils

from workstation.hub import disposals, taxonomy
from workstation.hub.home import HubHome
from workstation.hub.storage import now_iso
from workstation.media import decode
from workstation.vault import container, masterkey

log = logging.getLogger(__name__)

FINGERPRINT_PURPOSE = b"fws clip fingerprint v1"
VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".ts")
_READ_CHUNK = 1024 * 1024

Progress = Callable[[int, int, "IngestResult"], None]
"""Called after each file with (done, total, result)."""


@dataclass(frozen=True)
class IngestResult:
    path: str
    status: Literal["ok", "rejected"]
    clip_id: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def _rejected(path: Path | str, reason: str) -> IngestResult:
    return IngestResult(str(path), "rejected", None, reason)


def expand_paths(paths: Iterable[str | Path]) -> list[Path | IngestResult]:
    """Files stay as given; a folder becomes its video files; what cannot be used becomes a rejection."""
    out: list[Path | IngestResult] = []
    for raw in paths:
        path = Path(raw)
        try:
            out.extend(_expand_one(path))
        except OSError as exc:  # a name too long, a folder it may not read …: this path only
            out.append(_rejected(path, f"cannot be read: {exc.strerror or exc}"))
        except ValueError as exc:  # an embedded NUL
            out.append(_rejected(path, f"is not a usable path ({exc})"))
    return out


def _expand_one(path: Path) -> list[Path | IngestResult]:
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES)
        return list(found) or [_rejected(path, f"the folder has no video files ({', '.join(VIDEO_SUFFIXES)})")]
    if not path.exists():
        return [_rejected(path, "no such file")]
    if not path.is_file():
        return [_rejected(path, "not a regular file")]
    return [path]


def fingerprint(fingerprint_key: bytes, path: Path) -> str:
    mac = hmac.new(fingerprint_key, digestmod=hashlib.sha256)
    with path.open("rb") as src:
        while chunk := src.read(_READ_CHUNK):
            mac.update(chunk)
    return mac.hexdigest()


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while chunk := src.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _existing(db: sqlite_utils.Database, fp: str) -> str | None:
    row = db.execute("SELECT clip_id FROM clips WHERE fingerprint = ?", [fp]).fetchone()
    return str(row[0]) if row else None


def _disposed(db: sqlite_utils.Database, clip_id: str) -> bool:
    row = db.execute("SELECT status FROM clips WHERE clip_id = ?", [clip_id]).fetchone()
    return row is not None and row[0] == disposals.DISPOSED


def _ingest_one(home: HubHome, db: sqlite_utils.Database, fp_key: bytes, path: Path, project: str) -> IngestResult:
    if path.stat().st_size == 0:
        return _rejected(path, "the file is empty")
    fp = fingerprint(fp_key, path)
    if (clip_id := _existing(db, fp)) is not None:
        if _disposed(db, clip_id):
            return _rejected(path, f"this clip ({clip_id}) was disposed of as sensitive and is not taken again")
        return IngestResult(str(path), "ok", clip_id, "already ingested")
    with path.open("rb") as src:
        info = decode.probe(src)
    clip_id = uuid.uuid4().hex
    clip_key = container.generate_clip_key()
    temp = home.temp_blob_path(clip_id)
    try:
        with path.open("rb") as src, home.create_temp_blob(clip_id) as dst:
            container.encrypt_stream(src, dst, clip_key, clip_id)
            dst.flush()
            os.fsync(dst.fileno())
        size, sha256 = temp.stat().st_size, _sha256_of(temp)
        final = home.commit_blob(temp, clip_id)
    finally:
        temp.unlink(missing_ok=True)
    try:
        db.execute(
            "INSERT INTO clips (clip_id, fingerprint, project, status, ciphertext_size, ciphertext_sha256, width, "
            "height, fps, frame_count, duration_s, codec, wrapped_key, created_at) "
            "VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [clip_id, fp, project, size, sha256, info.width, info.height, info.fps, info.frame_count,
             info.duration_s, info.codec, masterkey.wrap_clip_key(home.master_key, clip_key, clip_id), now_iso()],
        )
    except sqlite3.IntegrityError:  # the same file was ingested by someone else meanwhile
        final.unlink(missing_ok=True)
        return IngestResult(str(path), "ok", _existing(db, fp), "already ingested")
    return IngestResult(str(path), "ok", clip_id)


def ingest_paths(data_dir: str | Path, paths: Iterable[str | Path], progress: Progress | None = None, *,
                 project: str = taxonomy.DEFAULT_PROJECT) -> list[IngestResult]:
    """Ingest every file (folders: their video files). One result per file; never raises for a bad file.

    Raises :class:`~workstation.errors.WorkstationError` only when the hub itself cannot be used
    (data folder, master key, database, unknown project).
    """
    return ingest_into(HubHome.open(data_dir), paths, progress, project=project)


def ingest_into(home: HubHome, paths: Iterable[str | Path], progress: Progress | None = None, *,
                project: str = taxonomy.DEFAULT_PROJECT) -> list[IngestResult]:
    """:func:`ingest_paths` for a data folder that is already open."""
    db = home.connect()
    try:
        taxonomy.get(db, project)
        fp_key = masterkey.derive_subkey(home.master_key, FINGERPRINT_PURPOSE)
        work = expand_paths(paths)
        results: list[IngestResult] = []
        for done, item in enumerate(work, start=1):
            result = item if isinstance(item, IngestResult) else _ingest_guarded(home, db, fp_key, item, project)
            results.append(result)
            if progress is not None:
                progress(done, len(work), result)
        return results
    finally:
        db.close()


def _ingest_guarded(home: HubHome, db: sqlite_utils.Database, fp_key: bytes, path: Path, project: str) -> IngestResult:
    try:
        return _ingest_one(home, db, fp_key, path, project)
    except decode.MediaError as exc:
        return _rejected(path, str(exc))
    except OSError as exc:
        return _rejected(path, f"cannot be read or stored: {exc.strerror or exc}")
    except Exception as exc:  # one odd file must not stop a batch or print a traceback
        log.debug("ingest of %s failed", path, exc_info=True)
        return _rejected(path, f"unexpected error ({type(exc).__name__}: {exc})")
