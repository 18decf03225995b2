"""The step-back and seek benchmark (workstation/bench/seek.py) runs and reports its figures (no timing thresholds).

It runs here on a small clip of the same shape (30 fps, 20 s, keyframes every 250 frames) so it is
quick; ``python -m workstation bench`` runs it on the 1080p one. Every press and seek it times is
checked by the benchmark itself to show the right frame (it waits for that frame index).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from workstation.bench import TARGETS, seek
from workstation.media.synth import make_clip


@pytest.fixture(scope="module")
def small_gop250(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench-seek")
    return make_clip(folder / "seek_small.mp4", scene="walker", seed=250, width=320, height=240, fps=seek.CLIP_FPS,
                     seconds=seek.CLIP_SECONDS, gop=seek.CLIP_GOP)


def test_the_seek_benchmark_reports_every_figure(small_gop250: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seek, "make_seek_clip", lambda path: small_gop250)
    figures = seek.results(tmp_path / "clips", tmp_path / "work", quick=True)
    for key in ("step_back_ms_p95", "step_back_ms_p50", "seek_ms_p95", "seek_ms_p50", "seek_ms_max",
                "seek_jump_ms_p95", "seek_bar_ms_p95"):
        assert isinstance(figures[key], float) and math.isfinite(figures[key]) and figures[key] > 0, key
    assert figures["step_back_presses"] == 2 * seek.PRESSES  # after playing, after a seek
    assert figures["seeks_measured"] == 12
    assert 0 < figures["seek_cache_mb_max"] <= 96
    assert math.isfinite(figures["seek_rss_mb_added"])
    for key in figures:
        assert key in TARGETS, f"{key} has no row in the bench table"
    assert TARGETS["step_back_ms_p95"][1] == "≤ 50" and TARGETS["seek_ms_p95"][1] == "≤ 300"
