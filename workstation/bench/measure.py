"""Headless measurements: decrypt throughput, decode ratio, label commit, sync of 150 labels."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from workstation.labeling.store import LocalStore, utc_now
from workstation.media.decode import open_capture
from workstation.vault.container import DecryptingReader, encrypt_stream, generate_clip_key


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def encrypt_file(src: Path, dst: Path) -> bytes:
    key = generate_clip_key()
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        encrypt_stream(fin, fout, key, os.urandom(16).hex())
    return key


def decrypt_gb_s(workdir: Path, megabytes: int = 256) -> float:
    plain = workdir / "random.bin"
    with open(plain, "wb") as f:
        f.writelines(os.urandom(1 << 20) for _ in range(megabytes))
    key = encrypt_file(plain, workdir / "random.fwc")
    best = float("inf")
    for _ in range(3):
        with DecryptingReader(workdir / "random.fwc", key) as reader:
            start = time.perf_counter()
            while reader.read(1 << 20):
                pass
            best = min(best, time.perf_counter() - start)
    plain.unlink()
    return megabytes * (1 << 20) / best / 1e9


def _decode_all(reader: Any) -> tuple[int, float]:
    start = time.perf_counter()
    cap = open_capture(reader)
    n = 0
    while cap.grab():
        ok, _ = cap.retrieve()
        n += ok
    cap.release()
    return n, time.perf_counter() - start


def decode_ratio(clip: Path, workdir: Path, rounds: int = 3) -> tuple[float, float, float]:
    """(fps through the encrypted cache, fps of the plain file, ratio); best of ``rounds`` each, interleaved."""
    key = encrypt_file(clip, workdir / "clip.fwc")
    plain_best = enc_best = float("inf")
    frames = 0
    n = 0
    for i in range(rounds * 2):
        if (i + i // 2) % 2 == 0:  # alternate which one runs first, so warm caches favour neither
            with open(clip, "rb") as f:
                frames, t = _decode_all(f)
            plain_best = min(plain_best, t)
        else:
            with DecryptingReader(workdir / "clip.fwc", key) as reader:
                n, t = _decode_all(reader)
            enc_best = min(enc_best, t)
    if n != frames:
        raise RuntimeError(f"encrypted decode gave {n} frames, plain {frames}")
    return frames / enc_best, frames / plain_best, plain_best / enc_best


def label_commit_ms(workdir: Path, n: int = 400) -> list[float]:
    store = LocalStore(workdir / "commit.sqlite")
    times = []
    try:
        for i in range(n):
            start = time.perf_counter()
            store.add_label("s" * 32, f"{i:032x}", "person", shown_at=utc_now())
            times.append((time.perf_counter() - start) * 1000)
    finally:
        store.close()
    return times


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def tempdir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="ws-bench-")
