"""The hub on PostgreSQL: several ``hub serve`` processes on one database, disposal that leaves no key bytes in the
table files, and a data folder refused with a database that is not its own."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.hub.helpers import PASSWORD, device_keypair, label_item
from tests.pg_fixtures import pg_cluster, pg_database_url  # noqa: F401
from workstation import processes
from workstation.hub.db.cluster import ThrowawayCluster
from workstation.hub.errors import HubError
from workstation.hub.home import HubHome
from workstation.hub.provenance import Provenance
from workstation.hub.service import HubService
from workstation.sync.client import HubClient
from workstation.vault import sealing


def _serve(data: Path, database: str) -> tuple[subprocess.Popen[str], str]:
    """A real ``hub serve`` process on a port of its own; its base URL once it listens."""
    env = {k: v for k, v in os.environ.items() if k != "FLOOR_HUB_DATABASE_URL"}
    child = subprocess.Popen(processes.app_command("hub", "serve", "--data", str(data), "--database", database,
                                                   "--port", "0"),
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                             start_new_session=True)
    assert child.stdout is not None
    for line in child.stdout:  # waits on the process's own words, not on a clock
        found = re.search(r"listening on (http://127\.0\.0\.1:\d+)/api/v1", line)
        if found:
            return child, found.group(1)
    raise AssertionError(f"hub serve ended without listening (exit {child.wait()})")


class Alternating(httpx.HTTPTransport):
    """Each request to the other hub process in turn, as a load balancer without affinity would."""

    def __init__(self, ports: list[int]) -> None:
        super().__init__()
        self.ports = ports
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(port=self.ports[self.sent % len(self.ports)])
        self.sent += 1
        return super().handle_request(request)


@pytest.fixture
def two_hubs(tmp_path: Path, pg_database_url: str, small_clips: list[Path]) -> Iterator[tuple[HubService, list[str]]]:  # noqa: F811
    data = tmp_path / "shared"  # one folder (master key, blobs) as on a shared mount
    service = HubService(data, database=pg_database_url)
    assert all(r.status == "ok" for r in service.ingest(small_clips[:4]))
    service.add_user("ana", "annotator", PASSWORD)
    children = [_serve(data, pg_database_url) for _ in range(2)]
    try:
        yield service, [url for _, url in children]
    finally:
        for child, _ in children:
            os.killpg(child.pid, signal.SIGTERM)
            child.wait(timeout=60)


def test_two_hub_processes_on_one_database_answer_alike_request_by_request(
        two_hubs: tuple[HubService, list[str]]) -> None:
    """Enrollment, the sign-in challenge, the session, the shift, its clips and keys, labels and sign-out: each
    request goes to the other process, so nothing may live in one process's memory."""
    service, urls = two_hubs
    transport = Alternating([int(u.rsplit(":", 1)[1]) for u in urls])
    client = HubClient(urls[0], transport=transport)
    private, public = device_keypair()
    enrollment = client.enroll_device(public, "seat 7")
    service.approve_device(enrollment.enrollment_code)
    client.sign_in("ana", PASSWORD, enrollment.device_id, private)  # challenge on one, session on the other
    shift = client.start_shift(sealing.generate_shift_keypair()[1], size=3)
    assert len(shift.clips) == 3
    for clip in shift.clips:
        sink = _Sink()
        client.download_clip(shift.shift_id, clip.clip_id, sink, expected_sha256=clip.sha256)  # type: ignore[arg-type]
        assert sink.size == clip.size
    items = [label_item(shift.shift_id, c.clip_id) for c in shift.clips]
    first = client.post_labels(items)
    again = client.post_labels(items)  # the retry lands on the other process: already there, exactly once
    assert sorted(first.accepted) == sorted(i["id"] for i in items)
    assert sorted(again.duplicates) == sorted(i["id"] for i in items)
    token = client.session.token if client.session else ""
    client.sign_out()
    for url in urls:  # the ended session is refused by both
        answer = httpx.post(f"{url}/api/v1/shifts", json={"public_key": "AAAA"},
                            headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert answer.status_code == 401, answer.text
    assert transport.sent >= 10  # enroll, challenge, session, shift, 3 clips, 2 batches, sign-out: both processes


class _Sink:
    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


def _files_holding(folder: Path, needle: bytes) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and needle in path.read_bytes():
            found.append(path)
    return found


def _checkpoint(url: str) -> None:
    """Write every changed page out to the table files (the throwaway cluster's role may)."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute("CHECKPOINT")


def test_a_withdrawn_clips_wrapped_key_is_gone_from_the_table_files(
        tmp_path: Path, pg_cluster: ThrowawayCluster, small_clips: list[Path]) -> None:  # noqa: F811
    url = pg_cluster.create_database()
    service = HubService(tmp_path / "hub", database=url)
    service.ingest(small_clips[:2], provenance=Provenance("customer", "consent-17"))
    with service.home.connect() as db:
        keys = [bytes(r[0]) for r in db.execute("SELECT wrapped_key FROM clips ORDER BY rowid").fetchall()]
        # the hub's own work on clips writes new row versions, each with a copy of the key (as shifts do)
        db.execute("UPDATE clips SET overlap_at = ?", ["2026-01-01T00:00:00.000Z"])
    base = pg_cluster.data_dir / "base"
    _checkpoint(url)
    assert all(_files_holding(base, key) for key in keys)  # the test sees keys where they are

    service.withdraw_consent("consent-17")
    _checkpoint(url)
    assert [_files_holding(base, key) for key in keys] == [[], []]


def test_without_the_rewrite_a_deleted_key_stays_in_the_table_file(
        tmp_path: Path, pg_cluster: ThrowawayCluster, small_clips: list[Path]) -> None:  # noqa: F811
    """Why disposal rewrites the table: overwriting the key leaves the old row version, key and all, in the file
    (until a VACUUM happens to come by, and then its bytes may still sit in the page's free space)."""
    url = pg_cluster.create_database()
    service = HubService(tmp_path / "hub", database=url)
    service.ingest(small_clips[:1])
    with service.home.connect() as db:
        key = bytes(db.scalar("SELECT wrapped_key FROM clips"))
        db.execute("UPDATE clips SET wrapped_key = ?", [b""])
    _checkpoint(url)
    assert _files_holding(pg_cluster.data_dir / "base", key)


def test_a_data_folder_is_refused_with_another_folders_database(tmp_path: Path, pg_database_url: str) -> None:  # noqa: F811
    HubHome.open(tmp_path / "first", pg_database_url)
    with pytest.raises(HubError, match="belongs to another hub data folder"):
        HubHome.open(tmp_path / "second", pg_database_url)


def test_an_unreachable_database_is_one_sentence_without_the_password(tmp_path: Path) -> None:
    with pytest.raises(HubError) as caught:
        HubHome.open(tmp_path / "hub", "postgresql://floor:s3cret@127.0.0.1:1/hub")
    message = str(caught.value)
    assert "cannot be" in message and "s3cret" not in message and "***" in message
    assert "\n" not in message


@pytest.mark.parametrize(("url", "words"), [
    ("mysql://u:p@h/db", "cannot keep its data in 'mysql'"),
    ("postgresql://u:p@h", "names no database"),
    ("sqlite://", "must be a file"),
    ("not a url", "is not a database URL"),
    ("postgresql+asyncpg://u:p@h/db", "not one this hub ships"),
])
def test_a_wrong_database_url_is_one_clear_sentence(tmp_path: Path, url: str, words: str) -> None:
    with pytest.raises(HubError, match=re.escape(words)):
        HubHome.open(tmp_path / "hub", url)


def test_a_hub_without_the_postgresql_driver_says_so_in_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    """The packaged app ships no psycopg (build_scripts/bundle.py): its hub refuses a PostgreSQL URL plainly."""
    from workstation.hub.db import core

    monkeypatch.setattr(core, "psycopg", None)
    with pytest.raises(HubError, match="no PostgreSQL driver") as caught:
        core.DatabaseTarget.parse("postgresql://floor:pw@db.floor/floorhub")
    assert "\n" not in str(caught.value) and "pw" not in str(caught.value)
