"""``python -m workstation bench``: the figures of DESIGN.md "Numbers to reach", measured in one run."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from workstation.paths import app_data_dir

# measure (SQLite, OpenCV) is imported inside collect(): the ``bench-child startup`` process runs
# this package's __init__ first and must start with nothing heavy loaded

TARGETS = {
    "decrypt_gb_s": ("decrypt throughput (GB/s)", "info: AES-256-GCM 5–9 GB/s here"),
    "decode_ratio_encrypted_vs_plain": ("decode through encrypted cache ÷ plain file", "≥ 0.95"),
    "clip_switch_ms_p50": ("label key → next clip's first frame, p50 (ms)", "info"),
    "clip_switch_ms_p95": ("label key → next clip's first frame, p95 (ms)", "≤ 16"),
    "label_commit_ms_p99": ("label durable (committed), p99 (ms)", "≤ 10"),
    "sync_150_labels_ms": ("sync of 150 labels to a hub on loopback (ms)", "≤ 200"),
    "hub_sync_p99_ms_200_seats": ("200 seats, a floor's pace (~25 s a clip): label sync p99 (ms)", "≤ 100"),
    "hub_sync_p50_ms_200_seats": ("… label POST p50 (ms)", "info"),
    "hub_audit_p99_ms_200_seats": ("… audit POST p99 (ms)", "info"),
    "hub_sync_requests_per_s_200_seats": ("… label and audit POSTs a second", "info"),
    "hub_cpu_pct_200_seats": ("… the hub process's CPU meanwhile (% of one core)", "info"),
    "hub_load_exactly_once": ("… every label and audit event on the hub exactly once", "yes"),
    "hub_load_failed_seats": ("… seats that gave up (the hub refused or never answered)", "0"),
    "hub_commit_ms_p99": ("… a WAL commit (fsync) on the hub's disk just before, p99 (ms)", "info"),
    "hub_load_average": ("… the machine's load average before (other work on these 2 cores)", "info"),
    "shift_download_mb_s": ("shift download on loopback, 200 seats at once (MB/s)", "≥ 200"),
    "hub_load_clips": ("… clips each of the 200 seats downloaded and labeled", "info"),
    "hub_sync_p99_ms_200_seats_8x": ("the same floor 8× as fast (~3 s a clip): label sync p99 (ms)", "info"),
    "hub_sync_p50_ms_200_seats_8x": ("… label POST p50 (ms)", "info"),
    "hub_audit_p99_ms_200_seats_8x": ("… audit POST p99 (ms)", "info"),
    "hub_sync_requests_per_s_200_seats_8x": ("… label and audit POSTs a second", "info"),
    "hub_cpu_pct_200_seats_8x": ("… the hub process's CPU meanwhile (% of one core)", "info"),
    "hub_load_exactly_once_8x": ("… every label and audit event on the hub exactly once", "yes"),
    "hub_load_failed_seats_8x": ("… seats that gave up", "0"),
    "hub_signins_per_s_real_cost": ("sign-ins a second at the hub's real password cost (scrypt)", "info"),
    "playback_1080p_dropped_pct_1x": ("1080p30 playback at 1×, frames dropped (%)", "0"),
    "playback_1080p_dropped_pct_2x": ("1080p30 playback at 2×, frames dropped (%)", "≤ 1"),
    "playback_1080p_late_ms_max_1x": ("1080p30 at 1×, latest delivery after due (ms)", "info"),
    "playback_1080p_frames_1x": ("1080p30 at 1×, frames delivered / in the clip", "info"),
    "playback_1080p_late_ms_max_2x": ("1080p30 at 2×, latest delivery after due (ms)", "info"),
    "playback_1080p_frames_2x": ("1080p30 at 2×, frames delivered / in the clip", "info"),
    "step_back_ms_p95": ("1080p frame step back, 250-frame GOP, p95 (ms)", "≤ 50"),
    "step_back_ms_p50": ("… step back p50 (ms)", "info"),
    "step_back_presses": ("… presses: 30 after playing, 30 after a seek, each run", "info"),
    "seek_ms_p95": ("1080p any seek (±2 s, position bar), 250-frame GOP, p95 (ms)", "≤ 300"),
    "seek_ms_p50": ("… seek p50 (ms)", "info"),
    "seek_ms_max": ("… seek, slowest (ms)", "info"),
    "seek_jump_ms_p95": ("… ±2 s jumps (Shift+arrow), p95 (ms)", "info"),
    "seek_bar_ms_p95": ("… jumps to a random time (position bar), p95 (ms)", "info"),
    "seeks_measured": ("… seeks measured, half of each kind", "info"),
    "seek_cache_mb_max": ("decoded frames kept for stepping back, most (MB)", "info: ≤ 64"),
    "seek_rss_mb_added": ("memory the step/seek runs added to the process (MB)", "info"),
    "ui_stall_ms_max": ("longest UI-thread stall: play, prefetch, sync (ms)", "≤ 20"),
    "ui_stall_ms_p99": ("UI-thread stall p99 (5 ms probe) (ms)", "info"),
    "ui_stall_labels_synced": ("labels made and synced during the stall probe", "info"),
    "startup_s": ("start to a usable window (first frame), median (s)", "≤ 1.5"),
    "startup_imports_s": ("… of which interpreter + imports done (s)", "info"),
    "startup_window_s": ("… window built and shown (s)", "info"),
    "startup_first_frame_s": ("… first clip opened and decoded (s)", "info"),
    "startup_runs_s": ("start to a usable window, each run (s)", "info"),
    "rss_mb_after_10_clips": ("memory (RSS) at clip 10 of the shift (MB)", "info: flat"),
    "rss_mb_after_150_clips": ("memory (RSS) at the shift's last clip (MB)", "≤ 500 and flat"),
    "rss_clips_measured": ("clips in that shift", "150 (--quick: 40)"),
    "rss_mb_by_clip": ("memory (RSS) by clip number (MB)", "info"),
    "dashboard_metrics_ms": ("dashboard metrics, all annotators, 90 days, after ANALYZE (ms)", "≤ 500"),
    "dashboard_outliers": ("… its outliers against the planted fast annotators", "exactly the 10"),
    "who_viewed_ms": ("who was given and who viewed clip X, 3 M audit events (ms)", "≤ 50"),
    "dashboard_floor": ("… on a generated floor (bench/metrics.py; --quick: smaller)", "info"),
}


def _clip_folder() -> Path:
    return app_data_dir() / "bench-clips"


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def collect(quick: bool = False) -> dict[str, Any]:
    from workstation.bench import measure
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
        from workstation.ui.bench_window import clip_switch_ms

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

        _log("bench: 1080p30 playback at 1× and 2× through the encrypted cache …")
        results.update(_playback(hd, work))

        _log("bench: 1080p frame step back and seeks, 250-frame GOP, through the encrypted cache …")
        from workstation.bench import seek

        results.update(seek.results(clips_dir, work, quick))

        _log("bench: UI-thread stalls while playing, prefetching and syncing to a hub (fresh process) …")
        results.update(_stalls(work, clips_dir, 6.0 if quick else 20.0))

        _log("bench: start-up to the first frame painted (3 fresh processes) …")
        results.update(_startup(work, sources))

        n = 40 if quick else 150
        _log(f"bench: memory across a {n}-clip shift (fresh process) …")
        from workstation.ui.bench_window import rss_in_fresh_process

        rss = rss_in_fresh_process(work, sources, n)
        results["rss_mb_after_10_clips"] = round(rss[10], 1)
        results["rss_mb_after_150_clips"] = round(rss[n], 1)  # --quick: after clip 40, see rss_clips_measured
        results["rss_clips_measured"] = n
        results["rss_mb_by_clip"] = " ".join(f"{k}:{v:.0f}" for k, v in sorted(rss.items()))

    _log("bench: 200 simulated seats against a hub in its own process (bench/load.py) …")
    from workstation.bench import load

    results.update(load.bench_figures(quick, log=_log))

    _log("bench: supervisor's figures on a generated floor (made once, then reused) …")
    from workstation.bench import metrics

    results.update(metrics.results(_clip_folder() / "floors", quick, log=_log))
    return results


def _playback(hd: Path, work: Path) -> dict[str, Any]:
    from workstation.bench.playback import play_through

    out: dict[str, Any] = {}
    for run in play_through(hd, work, (1.0, 2.0)):
        tag = f"{run.rate:g}x"
        out[f"playback_1080p_dropped_pct_{tag}"] = round(run.dropped_pct, 2)
        out[f"playback_1080p_late_ms_max_{tag}"] = round(run.late_ms_max, 1)
        out[f"playback_1080p_frames_{tag}"] = f"{run.shown}/{run.frame_count}"
        for note in run.notes:
            _log(f"bench: playback at {tag}: {note}")
    return out


def _stalls(work: Path, clips_dir: Path, seconds: float) -> dict[str, Any]:
    from workstation.bench import measure
    from workstation.media.synth import ensure_demo_clips
    from workstation.ui.bench_window import stalls_in_fresh_process

    # one distinct 2 s 720p15 clip per label (the hub stores a file once), generated once and kept
    clips = ensure_demo_clips(_clip_folder() / "stall", int(seconds / 0.4) + 4, width=1280, height=720, fps=15,
                              seconds=2)
    run = stalls_in_fresh_process(work, clips, seconds)  # the app's own process: nothing else of the bench
    for when, late, what in run.worst[:3]:
        _log(f"bench: stall of {late:.1f} ms at {when:.2f} s ({what})")
    return {
        "ui_stall_ms_max": round(max(run.late_ms), 2),
        "ui_stall_ms_p99": round(measure.percentile(run.late_ms, 0.99), 2),
        "ui_stall_labels_synced": f"{run.synced}/{run.labels}",
    }


def _startup(work: Path, sources: list[Path]) -> dict[str, Any]:
    from workstation.bench import measure
    from workstation.bench.startup import startup_runs

    runs = startup_runs(work, sources, 3)
    median = {key: measure.median([r[key] for r in runs]) for key in runs[0]}
    return {
        "startup_s": round(median["painted"], 3),
        "startup_imports_s": round(median["imports"], 3),
        "startup_window_s": round(median["window"], 3),
        "startup_first_frame_s": round(median["first_frame"], 3),
        "startup_runs_s": [round(r["painted"], 3) for r in runs],
    }


def run_bench(*, as_json: bool = False, quick: bool = False) -> int:
    results = collect(quick)
    if as_json:
        print(json.dumps(results))
        return 0
    print(f"{'figure':52} {'value':>10}  target")
    for key, value in results.items():
        title, target = TARGETS.get(key, (key, ""))
        shown = value if isinstance(value, (int, float, str)) else " ".join(map(str, value))
        print(f"{title:52} {shown:>10}  {target}")
    return 0
