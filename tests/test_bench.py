"""The benchmark command runs and reports every figure (no timing thresholds here)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("decrypt_gb_s", "decode_ratio_encrypted_vs_plain", "clip_switch_ms_p50", "clip_switch_ms_p95",
        "label_commit_ms_p99", "sync_150_labels_ms", "hub_sync_p99_ms_200_seats", "shift_download_mb_s")
NEW_KEYS = ("playback_1080p_dropped_pct_1x", "playback_1080p_dropped_pct_2x", "ui_stall_ms_max", "ui_stall_ms_p99",
            "startup_s", "rss_mb_after_10_clips", "rss_mb_after_150_clips")
"""Figures that may rightly be 0 (no frame dropped): present, finite, not negative."""


def test_bench_json_reports_every_figure(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-m", "workstation", "bench", "--quick", "--json"], cwd=ROOT,
                            env=env, check=False, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout)
    for key in KEYS:
        assert isinstance(figures[key], (int, float)) and math.isfinite(figures[key]) and figures[key] > 0, key
    for key in NEW_KEYS:
        assert isinstance(figures[key], (int, float)) and math.isfinite(figures[key]) and figures[key] >= 0, key
    assert figures["startup_s"] > 0 and figures["rss_mb_after_150_clips"] > 0
    assert figures["clip_switches_measured"] >= 10
