"""The demo a newcomer runs first: it opens, signs in, plays the first clip and exits when asked; a second run
reuses the clips it made."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _demo(home: Path, shot: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XDG_DATA_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    # generous: the demo makes its clips on first run; only a hang (the process never exits) fails here
    return subprocess.run([sys.executable, "-m", "workstation", "demo", "--clips", "3", "--screenshot", str(shot),
                           *extra], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.skipif(sys.platform != "linux", reason="offscreen Qt on Linux")
def test_the_demo_shows_a_playing_clip_and_exits(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    shot = tmp_path / "demo.png"
    first = _demo(tmp_path / "home", shot, "--fresh")
    assert first.returncode == 0, first.stderr[-3000:]
    assert "saved" in first.stderr and shot.is_file()
    image = QImage(str(shot))
    assert not image.isNull() and image.width() >= 800
    # the window is the shift's, not the start window: a clip with its frame counter was on screen
    assert "no shift window" not in first.stderr
    clips = sorted((tmp_path / "home").rglob("demo/clips/*.mp4"))
    assert len(clips) == 3
    made = {p: p.stat().st_mtime_ns for p in clips}
    shot.unlink()
    again = _demo(tmp_path / "home", shot)
    assert again.returncode == 0, again.stderr[-3000:]
    assert shot.is_file()
    assert {p: p.stat().st_mtime_ns for p in clips} == made  # made once, reused


@pytest.mark.skipif(sys.platform != "linux", reason="offscreen Qt on Linux")
def test_the_supervisor_demo_opens_the_dashboard_on_weeks_of_work(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    shot = tmp_path / "desk.png"
    result = _demo(tmp_path / "home", shot, "--supervisor")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "saved" in result.stderr and not QImage(str(shot)).isNull()
    floors = list((tmp_path / "home").rglob("supervisor/floors/floor-*/hub.db"))
    assert len(floors) == 1
    import sqlite3

    with sqlite3.connect(floors[0]) as db:
        assert db.execute("SELECT count(*) FROM labels").fetchone()[0] >= 10_000
        assert db.execute("SELECT role FROM users WHERE name = 'supervisor'").fetchone() == ("supervisor",)
