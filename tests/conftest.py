"""Shared fixtures: offscreen Qt, small real clips, isolated app-data folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.hub_fixtures", "tests.seat_fixtures", "tests.pg_fixtures"]


@pytest.fixture(scope="session")
def small_clips(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Four short, real H.264 clips (320×240, 15 fps, 2 s), different scenes."""
    from workstation.media.synth import make_clip

    folder = tmp_path_factory.mktemp("clips")
    scenes = ("walker", "car", "foliage", "night_noise", "light_switch", "walker")
    return [make_clip(folder / f"clip{i}.mp4", scene=s, seed=100 + i, width=320, height=240, fps=15, seconds=2)
            for i, s in enumerate(scenes)]


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes into the real user's app-data or cache folders."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
