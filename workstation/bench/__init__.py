"""``python -m workstation bench``: the figures of DESIGN.md "Numbers to reach", measured in one run."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from workstation.bench import measure
from workstation.paths import app_data_dir

TARGETS = {
    "decrypt_gb_s": ("decrypt throughput (GB/s)", "info: AES-256-GCM 5–9 GB/s here"),
    "decode_ratio_encrypted_vs_plain": ("decode through encrypted cache ÷ plain file", "≥ 0.95"),
    "clip_switch_ms_p50": ("label key → next clip's first frame, p50 (ms)", "info"),
    "clip_switch_ms_p95": ("label key → next clip's first frame, p95 (ms)", "≤ 16"),
    "label_commit_ms_p99": ("label durable (committed), p99 (ms)", "≤ 10"),
    "sync_150_labels_ms": ("sync of 150 labels to a hub on loopback (ms)", "≤ 200"),
}


def _clip_folder() -> Path:
    return app_data_dir() / "bench-clips"


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def collect(quick: bool = False) -> dict[str, Any]:
    from workstation.media.synth import make_clip

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    clips_dir = _clip_folder()
    clips_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    with measure.tempdir() as tmp:
        work = Path(tmp)
        _log("bench: decrypt throughput …")
        results["decrypt_gb_s"] = round(measure.decrypt_gb_s(work, 64 if quick else 256), 2)

        _log("bench: 1080p30 decode, encrypted vs plain …")
        hd = clips_dir / ("hd_walker_1080p30_4s.mp4" if quick else "hd_walker_1080p30_10s.mp4")
        if not hd.exists():
            make_clip(hd, scene="walker", seed=1080, width=1920, height=1080, fps=30, seconds=4 if quick else 10)
        enc_fps, plain_fps, ratio = measure.decode_ratio(hd, work, rounds=2 if quick else 3)
        results["decode_fps_encrypted"] = round(enc_fps, 1)
        results["decode_fps_plain"] = round(plain_fps, 1)
        results["decode_ratio_encrypted_vs_plain"] = round(ratio, 3)

        _log("bench: clip switch in the shift window (offscreen) …")
        sources = []
        for i, scene in enumerate(("walker", "car", "foliage", "night_noise", "light_switch")):
            path = clips_dir / f"sw_{scene}_720p15_6s.mp4"
            if not path.exists():
                make_clip(path, scene=scene, seed=700 + i, width=1280, height=720, fps=15, seconds=6)
            sources.append(path)
        switches = 12 if quick else 40
        from workstation.ui.bench_switch import clip_switch_ms

        times = clip_switch_ms(work, [sources[i % len(sources)] for i in range(switches + 1)], switches)
        results["clip_switch_ms_p50"] = round(measure.percentile(times, 0.5), 2)
        results["clip_switch_ms_p95"] = round(measure.percentile(times, 0.95), 2)
        results["clip_switches_measured"] = len(times)

        _log("bench: label commit …")
        commits = measure.label_commit_ms(work, 100 if quick else 400)
        results["label_commit_ms_p50"] = round(measure.percentile(commits, 0.5), 2)
        results["label_commit_ms_p99"] = round(measure.percentile(commits, 0.99), 2)

        _log("bench: sync of 150 labels to a hub on loopback …")
        from workstation.bench.sync import sync_150_labels_ms

        results["sync_150_labels_ms"] = round(sync_150_labels_ms(work, clips_dir), 1)
    return results


def run_bench(*, as_json: bool = False, quick: bool = False) -> int:
    results = collect(quick)
    if as_json:
        print(json.dumps(results))
        return 0
    print(f"{'figure':52} {'value':>10}  target")
    for key, value in results.items():
        title, target = TARGETS.get(key, (key, ""))
        print(f"{title:52} {value:>10}  {target}")
    return 0
