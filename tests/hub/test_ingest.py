"""Ingest: no plaintext anywhere in the data folder, keyed fingerprints, no double storage."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest

from tests.hub.helpers import hub_sql
from workstation.hub.errors import HubError
from workstation.hub.ingest import FINGERPRINT_PURPOSE, ingest_paths
from workstation.hub.service import HubService
from workstation.vault import masterkey


def _windows(data: bytes, count: int = 6, width: int = 64) -> list[bytes]:
    step = max(1, (len(data) - width) // count)
    return [data[offset:offset + width] for offset in range(width, len(data) - width, step)][:count]


def test_no_plaintext_anywhere_in_the_data_folder(data_dir: Path, source_clips: list[Path]) -> None:
    results = ingest_paths(data_dir, source_clips)
    assert all(r.status == "ok" for r in results)
    stored = [p.read_bytes() for p in data_dir.rglob("*") if p.is_file()]
    assert len(list((data_dir / "blobs").rglob("*.fwc"))) == len(source_clips)
    for clip in source_clips:
        for window in _windows(clip.read_bytes()):
            assert len(window) == 64
            assert not any(window in blob for blob in stored)


def test_fingerprint_is_keyed_and_duplicates_are_stored_once(data_dir: Path, source_clips: list[Path]) -> None:
    first = ingest_paths(data_dir, source_clips[:2])
    again = ingest_paths(data_dir, [source_clips[1], source_clips[0]])
    assert [r.clip_id for r in again] == [first[1].clip_id, first[0].clip_id]
    assert {r.reason for r in again} == {"already ingested"}
    assert len(list((data_dir / "blobs").rglob("*.fwc"))) == 2
    assert not list((data_dir / "blobs").glob(".*"))  # no temporary files left

    master = (data_dir / "master.key").read_bytes()
    key = masterkey.derive_subkey(master, FINGERPRINT_PURPOSE)
    with hub_sql(data_dir) as db:
        stored = dict(db.execute("SELECT clip_id, fingerprint FROM clips").fetchall())
        row = db.execute("SELECT width, height, frame_count, status, project, ciphertext_size FROM clips "
                         "WHERE clip_id = ?", [first[0].clip_id]).fetchone()
    data = source_clips[0].read_bytes()
    assert stored[first[0].clip_id] == hmac.new(key, data, hashlib.sha256).hexdigest()
    assert hashlib.sha256(data).hexdigest() not in stored.values()
    assert row[:5] == (320, 240, 15, "active", "security") and row[5] > len(data)


def test_unknown_project_is_a_hub_error(data_dir: Path, source_clips: list[Path]) -> None:
    service = HubService(data_dir)
    with pytest.raises(HubError, match="no label taxonomy for project 'wildlife'"):
        service.ingest(source_clips[:1], project="wildlife")
    service.set_taxonomy("wildlife", {"labels": [{"key": "1", "code": "deer", "name": "Deer"}]})
    assert service.ingest(source_clips[:1], project="wildlife")[0].status == "ok"
    assert service.get_taxonomy("wildlife")["project"] == "wildlife"
