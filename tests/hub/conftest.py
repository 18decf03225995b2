from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hub.helpers import make_clips
from workstation.hub import passwords
from workstation.hub.config import HubConfig
from workstation.hub.db.core import ENV as DATABASE_ENV
from workstation.hub.server import HubServer

HUB_DATABASES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every hub test runs on both databases (``[sqlite]``, ``[postgresql]``); ``sqlite_only`` ones on SQLite."""
    if "hub_database" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("hub_database", HUB_DATABASES[:1] if only_sqlite else HUB_DATABASES, indirect=True)


@pytest.fixture(autouse=True)
def hub_database(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The hub's database for this test: the SQLite file in its data folder, or a fresh PostgreSQL database of the
    session's throwaway cluster — named by ``FLOOR_HUB_DATABASE_URL``, as an admin would, so hubs opened in the
    test, its servers and the ``hub`` commands it runs in child processes all use it."""
    kind = getattr(request, "param", "sqlite")
    if kind == "postgresql":
        monkeypatch.setenv(DATABASE_ENV, request.getfixturevalue("pg_database_url"))
    else:
        monkeypatch.delenv(DATABASE_ENV, raising=False)
    return str(kind)

CHEAP_PASSWORDS = passwords.Cost(n=2**10, r=8, p=1)
"""For tests only: users hashed cheaply so a test can make many (the hub's default is N=2**17)."""
SMALL_SHIFTS = HubConfig(default_shift_size=3, max_shift_size=5, max_label_batch=20,
                         test_only_password_cost=CHEAP_PASSWORDS)


@pytest.fixture(scope="session")
def source_clips(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Eight distinct real clips, made once per test session."""
    return make_clips(tmp_path_factory.mktemp("clips"), 8)


@pytest.fixture
def bad_files(tmp_path: Path, source_clips: list[Path]) -> dict[str, Path]:
    folder = tmp_path / "bad"
    folder.mkdir()
    text = folder / "notes.mp4"
    text.write_text("this is a shopping list, not a video\n" * 20)
    empty = folder / "empty.mp4"
    empty.write_bytes(b"")
    truncated = folder / "truncated.mp4"
    data = source_clips[0].read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    return {"not_a_video": text, "empty": empty, "truncated": truncated}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "hubdata"


@pytest.fixture
def hub(data_dir: Path) -> Iterator[HubServer]:
    """A real hub on loopback (port 0) with small shifts, no clips yet."""
    with HubServer(data_dir, config=SMALL_SHIFTS) as server:
        yield server


@pytest.fixture
def stocked_hub(hub: HubServer, source_clips: list[Path]) -> HubServer:
    """The hub with the eight clips ingested (oldest first in the order given)."""
    results = hub.service.ingest(source_clips)
    assert [r.status for r in results] == ["ok"] * len(source_clips)
    return hub
