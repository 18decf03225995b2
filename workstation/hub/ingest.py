"""Ingest: probe each clip file, encrypt it into a clip container, record it with its wrapped key.

Plaintext is never written anywhere by the hub: the source is read (to fingerprint, to probe, to
encrypt) and only ciphertext is written, first to a temporary file inside ``blobs/`` and then
renamed into place. Duplicates are found by a *keyed* fingerprint (HMAC-SHA256 under a subkey of
the master key), so hub.db does not carry a plain hash that could confirm whether some known video
is on the hub. What this does not cover: the source files themselves stay where IT put them.

A folder given as a path is searched (recursively) for files with a video suffix. A file whose clip
was disposed of as sensitive, or erased because its consent was withdrawn or its retention ended (its fingerprint
stays on record), is refused, so it cannot come back.

Provenance (:mod:`workstation.hub.provenance`): each clip records its source, consent reference and scope, capture
or submission time, and retention deadline — the capture time (or, when none is given, the ingest time) plus the
batch's ``retain_days`` or the hub's (``HubConfig.retain_days``, 90). Judged per file before it is read: a clip
that names no consent reference is refused unless ``HubConfig.allow_without_consent``; one under a consent
reference that was withdrawn is refused; one whose deadline has already passed is refused. A file ingested before
stays as it was recorded, except a clip of ``unknown`` source (held before provenance was recorded), which takes
the provenance given now. Callers in code that pass no provenance at all (the demo, the benchmark and tests with
generated clips) record source ``unknown`` without these checks; the command line always passes one.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from workstation.hub import disposals, provenance, taxonomy
from workstation.hub.config import HubConfig
from workstation.hub.db import HubDB
from workstation.hub.db.core import INTEGRITY_ERRORS
from workstation.hub.home import HubHome
from workstation.hub.provenance import Provenance
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


def _existing(db: HubDB, fp: str) -> str | None:
    row = db.execute("SELECT clip_id FROM clips WHERE fingerprint = ?", [fp]).fetchone()
    return str(row[0]) if row else None


_ERASED_BECAUSE = {
    disposals.DISPOSED: "was disposed of as sensitive",
    disposals.WITHDRAWN: "was erased because its consent was withdrawn",
    disposals.EXPIRED: "was erased when its retention period ended",
}


def _erased_reason(db: HubDB, clip_id: str) -> str | None:
    row = db.execute("SELECT status FROM clips WHERE clip_id = ?", [clip_id]).fetchone()
    return _ERASED_BECAUSE.get(row[0]) if row is not None else None


@dataclass(frozen=True)
class _Basis:
    """What a file is ingested under: its provenance (None: a caller in code that names none) and the rules."""

    provenance: Provenance | None
    config: HubConfig


def _withdrawn_at(db: HubDB, consent_ref: str) -> str | None:
    row = db.execute("SELECT withdrawn_at FROM consent_withdrawals WHERE consent_ref = ?", [consent_ref]).fetchone()
    return str(row[0]) if row else None


def _consent_refusal(db: HubDB, basis: _Basis) -> str | None:
    """Why the batch's provenance takes no clip (before any file is read); None when it may."""
    given = basis.provenance
    if given is None:
        return None
    if given.consent_ref is None:
        if basis.config.allow_without_consent:
            return None
        return ("no consent reference given: this hub takes no clip without its consent basis (pass --consent-ref, "
                "or a consent_ref in the manifest)")
    if (at := _withdrawn_at(db, given.consent_ref)) is not None:
        return f"consent {given.consent_ref!r} was withdrawn on {at[:10]}; no clip is taken under it again"
    return None


def _deadline(given: Provenance | None, config: HubConfig, ingested_at: str) -> tuple[str, str | None]:
    """(retention deadline, why the clip is refused — its deadline already passed — or None)."""
    days = (given.retain_days if given is not None else None) or config.retain_days
    base = (given.captured_at if given is not None else None) or ingested_at
    until = provenance.deadline(base, days)
    if until <= ingested_at:
        return until, (f"captured {base[:10]} and kept {days} days, its retention deadline {until[:10]} has passed: "
                       "not taken")
    return until, None


def _record_provenance(db: HubDB, clip_id: str, given: Provenance, until: str) -> None:
    db.execute("UPDATE clips SET source = ?, consent_ref = ?, consent_scope = ?, captured_at = ?, retain_until = ? "
               "WHERE clip_id = ? AND source = ?",
               [given.source, given.consent_ref, given.scope, given.captured_at, until, clip_id, provenance.UNKNOWN])


def _already(db: HubDB, path: Path, clip_id: str, basis: _Basis) -> IngestResult:
    """A file ingested before: as it was recorded, or with the provenance given now when it had none."""
    if (why := _erased_reason(db, clip_id)) is not None:
        return _rejected(path, f"this clip ({clip_id}) {why} and is not taken again")
    row = db.execute("SELECT source, created_at FROM clips WHERE clip_id = ?", [clip_id]).fetchone()
    if basis.provenance is None or row is None or row[0] != provenance.UNKNOWN:
        return IngestResult(str(path), "ok", clip_id, "already ingested")
    until, refused = _deadline(basis.provenance, basis.config, str(row[1]))
    _record_provenance(db, clip_id, basis.provenance, until)
    note = f"; its retention deadline {until[:10]} has passed, the next sweep erases it" if refused else ""
    return IngestResult(str(path), "ok", clip_id, f"already ingested; its provenance is recorded now{note}")


def _ingest_one(home: HubHome, db: HubDB, fp_key: bytes, path: Path, project: str,
                basis: _Basis) -> IngestResult:
    if (refusal := _consent_refusal(db, basis)) is not None:
        return _rejected(path, refusal)
    if path.stat().st_size == 0:
        return _rejected(path, "the file is empty")
    fp = fingerprint(fp_key, path)
    if (clip_id := _existing(db, fp)) is not None:
        return _already(db, path, clip_id, basis)
    ingested_at = now_iso()
    until, refused = _deadline(basis.provenance, basis.config, ingested_at)
    if refused is not None:
        return _rejected(path, refused)
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
    given = basis.provenance or Provenance(provenance.UNKNOWN)
    try:
        db.execute(
            "INSERT INTO clips (clip_id, fingerprint, project, status, ciphertext_size, ciphertext_sha256, width, "
            "height, fps, frame_count, duration_s, codec, wrapped_key, created_at, source, consent_ref, consent_scope, "
            "captured_at, retain_until) VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [clip_id, fp, project, size, sha256, info.width, info.height, info.fps, info.frame_count,
             info.duration_s, info.codec, masterkey.wrap_clip_key(home.master_key, clip_key, clip_id), ingested_at,
             given.source, given.consent_ref, given.scope, given.captured_at, until],
        )
    except INTEGRITY_ERRORS:  # the same file was ingested by someone else meanwhile
        final.unlink(missing_ok=True)
        return IngestResult(str(path), "ok", _existing(db, fp), "already ingested")
    return IngestResult(str(path), "ok", clip_id)


def ingest_paths(data_dir: str | Path, paths: Iterable[str | Path], progress: Progress | None = None, *,
                 project: str = taxonomy.DEFAULT_PROJECT, provenance: Provenance | None = None,
                 config: HubConfig | None = None) -> list[IngestResult]:
    """Ingest every file (folders: their video files). One result per file; never raises for a bad file.

    Raises :class:`~workstation.errors.WorkstationError` only when the hub itself cannot be used
    (data folder, master key, database, unknown project).
    """
    return ingest_into(HubHome.open(data_dir), paths, progress, project=project, provenance=provenance,
                       config=config)


def ingest_into(home: HubHome, paths: Iterable[str | Path], progress: Progress | None = None, *,
                project: str = taxonomy.DEFAULT_PROJECT, provenance: Provenance | None = None,
                config: HubConfig | None = None) -> list[IngestResult]:
    """:func:`ingest_paths` for a data folder that is already open; every file under ``provenance``."""
    basis = _Basis(provenance, config or HubConfig())
    return _ingest(home, [(item, basis) for item in expand_paths(paths)], progress, project)


def ingest_entries(home: HubHome, entries: Sequence[provenance.Entry], progress: Progress | None = None, *,
                   project: str = taxonomy.DEFAULT_PROJECT, config: HubConfig | None = None) -> list[IngestResult]:
    """Ingest the clips of a manifest (:func:`workstation.hub.provenance.read_manifest`), each under its own
    provenance."""
    rules = config or HubConfig()
    return _ingest(home, [(entry.path, _Basis(entry.provenance, rules)) for entry in entries], progress, project)


def _ingest(home: HubHome, work: list[tuple[Path | IngestResult, _Basis]], progress: Progress | None,
            project: str) -> list[IngestResult]:
    db = home.connect()
    try:
        taxonomy.get(db, project)
        fp_key = masterkey.derive_subkey(home.master_key, FINGERPRINT_PURPOSE)
        results: list[IngestResult] = []
        for done, (item, basis) in enumerate(work, start=1):
            result = item if isinstance(item, IngestResult) else _ingest_guarded(home, db, fp_key, item, project,
                                                                                 basis)
            results.append(result)
            if progress is not None:
                progress(done, len(work), result)
        if db.dialect == "postgresql" and results:
            db.execute("ANALYZE clips")  # a batch ingested is a new shape of the pool: plan shifts by it at once
        return results
    finally:
        db.close()


def _ingest_guarded(home: HubHome, db: HubDB, fp_key: bytes, path: Path, project: str,
                    basis: _Basis) -> IngestResult:
    try:
        return _ingest_one(home, db, fp_key, path, project, basis)
    except decode.MediaError as exc:
        return _rejected(path, str(exc))
    except OSError as exc:
        return _rejected(path, f"cannot be read or stored: {exc.strerror or exc}")
    except Exception as exc:  # one odd file must not stop a batch or print a traceback
        log.debug("ingest of %s failed", path, exc_info=True)
        return _rejected(path, f"unexpected error ({type(exc).__name__}: {exc})")
