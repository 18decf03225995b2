"""Synthetic security-camera clips for the demo and the benchmark. No Qt here.

Clips are drawn with numpy/OpenCV (see :mod:`workstation.media.scenes`) and encoded with a real
encoder: PyAV libx264, yuv420p, MP4 with ``movflags=faststart``. Preset ``ultrafast`` (measured about
twice as fast as ``veryfast`` here) but with CABAC and the deblocking filter switched back on, a fixed
GOP (two seconds unless ``gop`` says otherwise: the seek benchmark uses 250 frames) and no B-frames: a Main-profile-like stream such as many cameras send, which costs
the decoder about what camera footage costs (plain ``ultrafast`` output decodes ~1.5x faster and
would flatter the playback benchmark). One encoder thread per clip: the demo set is made by one
worker process per core.

A clip is written to a temporary file next to its destination and renamed into place, so a file
with the final name is always complete.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import zlib
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
import cv2
import numpy as np
import numpy.typing as npt

from workstation.media.decode import MediaError
from workstation.media.scenes import SCENES, Scene

SCENE_NAMES: tuple[str, ...] = tuple(SCENES)  # walker, car, foliage, night_noise, light_switch
SYNTH_VERSION = 1  # part of demo file names: bump when the pictures change so old files are not reused
PRESET = "ultrafast"
X264_PARAMS = "keyint={gop}:min-keyint={gop}:scenecut=0:bframes=0:cabac=1:deblock=0,0"
DEMO_SEED_BASE = 101
DEMO_SIZE = (1280, 720, 15)

Progress = Callable[[int, int], None]


def clip_seconds(scene: str, seed: int) -> float:
    """The duration (20–30 s, 0.1 s steps) that ``make_clip`` uses when ``seconds`` is None."""
    rng = np.random.default_rng([seed, zlib.crc32(scene.encode()), 0])
    return round(float(rng.uniform(20.0, 30.0)), 1)


def make_clip(path: str | os.PathLike[str], *, scene: str, seed: int, width: int = 1280, height: int = 720,
              fps: int = 15, seconds: float | None = None, gop: int | None = None) -> Path:
    """Write a synthetic ``scene`` clip (H.264 MP4) to ``path`` atomically and return the path.

    ``seed`` varies colours, layout, speeds, timing and (when ``seconds`` is None) the duration.
    ``gop`` is the keyframe interval in frames (default: two seconds' worth).
    Width and height must be even (yuv420p). Raises ``ValueError`` for an unknown scene or bad size.
    """
    if scene not in SCENES:
        raise ValueError(f"unknown scene {scene!r}; choose one of {', '.join(SCENE_NAMES)}")
    if width < 64 or height < 64 or width % 2 or height % 2:
        raise ValueError(f"width and height must be even and at least 64, got {width}x{height}")
    if fps <= 0:
        raise ValueError(f"fps must be positive, got {fps}")
    if gop is not None and gop < 1:
        raise ValueError(f"gop must be at least 1 frame, got {gop}")
    path = Path(path)
    secs = clip_seconds(scene, seed) if seconds is None else float(seconds)
    n_frames = max(1, round(secs * fps))
    rng = np.random.default_rng([seed, zlib.crc32(scene.encode()), 1])
    painter = SCENES[scene](rng, width, height, fps, n_frames / fps)
    start = _camera_clock(rng, painter.night)

    tmp = path.with_name(f".{path.stem}.{os.getpid()}.partial{path.suffix or '.mp4'}")
    try:
        _encode(tmp, painter, width, height, fps, n_frames, start, scene, seed, gop or max(1, round(fps * 2)))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _camera_clock(rng: np.random.Generator, night: bool) -> dt.datetime:
    """The wall-clock time shown in the first frame's timestamp overlay."""
    day = dt.datetime(2024, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
    hour = int(rng.choice([21, 22, 23, 0, 1, 2, 3, 4])) if night else int(rng.integers(7, 19))
    return day + dt.timedelta(hours=hour, minutes=int(rng.integers(60)), seconds=int(rng.integers(60)))


def _encode(tmp: Path, painter: Scene, width: int, height: int, fps: int, n_frames: int, start: dt.datetime,
            scene: str, seed: int, gop: int) -> None:
    noise = _noise_planes(np.random.default_rng(seed), height, width, painter.noise, painter.px(painter.grain))
    buf = np.empty((height, width, 3), np.uint8)
    with av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"}) as out:
        out.metadata["comment"] = f"synthetic {scene} clip, seed {seed}"
        stream = out.add_stream("libx264", rate=Fraction(fps).limit_denominator(1001), options={
            "preset": PRESET, "crf": str(painter.crf), "x264-params": X264_PARAMS.format(gop=gop),
        })
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.codec_context.thread_count = 1
        last_second = -1
        stamp = ""
        for i in range(n_frames):
            t = i / fps
            np.copyto(buf, painter.base(t))
            painter.draw(buf, t)
            if int(t) != last_second:
                last_second = int(t)
                stamp = (start + dt.timedelta(seconds=last_second)).strftime("%Y-%m-%d %H:%M:%S")
            _overlay(buf, stamp, painter.camera, painter.s)
            yuv = cast("npt.NDArray[np.uint8]", cv2.cvtColor(buf, cv2.COLOR_BGR2YUV_I420))
            luma = yuv[:height]
            if noise:
                up, down = noise[i % len(noise)]
                cv2.add(luma, up, dst=luma)
                cv2.subtract(luma, down, dst=luma)
            if painter.is_mono(t):
                yuv[height:] = 128
            frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def _noise_planes(rng: np.random.Generator, h: int, w: int, amp: int, cell: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """A few precomputed (add, subtract) luma noise pairs with specks of ``cell`` px.

    Cycling them costs two saturating adds a frame instead of fresh random numbers.
    """
    if amp <= 0:
        return []

    def plane() -> np.ndarray:
        if cell <= 1:
            return rng.integers(0, amp + 1, (h, w), dtype=np.uint8)
        small = rng.integers(0, amp + 1, (h // cell + 1, w // cell + 1), dtype=np.uint8)
        return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)

    return [(plane(), plane()) for _ in range(6)]


def _overlay(img: np.ndarray, stamp: str, camera: str, scale: float) -> None:
    """Camera OSD: timestamp top-left, camera name bottom-right, white with a dark outline."""
    font, size = cv2.FONT_HERSHEY_SIMPLEX, max(0.35, 0.75 * scale)
    thick = max(1, round(2 * scale))
    margin = max(4, int(18 * scale))
    (tw, th), _ = cv2.getTextSize(camera, font, size, thick)
    h, w = img.shape[:2]
    for text, org in ((stamp, (margin, margin + th)), (camera, (w - tw - margin, h - margin))):
        cv2.putText(img, text, org, font, size, (20, 20, 20), thick + 2 * max(1, thick // 2), cv2.LINE_AA)
        cv2.putText(img, text, org, font, size, (235, 235, 235), thick, cv2.LINE_AA)


# ---------------------------------------------------------------- demo clips


def demo_clip_name(scene: str, seed: int, width: int, height: int, fps: int, seconds: float | None = None) -> str:
    """File name of a demo clip; it encodes everything that determines the clip's content."""
    length = "" if seconds is None else f"-{seconds:g}s"
    return f"{scene}-s{seed}-{width}x{height}-{fps}fps{length}-v{SYNTH_VERSION}.mp4"


def demo_specs(n: int) -> list[tuple[str, int]]:
    """(scene, seed) of the first ``n`` demo clips: scenes in turn, distinct seeds."""
    return [(SCENE_NAMES[i % len(SCENE_NAMES)], DEMO_SEED_BASE + i) for i in range(n)]


def _make_demo(path: str, scene: str, seed: int, width: int, height: int, fps: int, seconds: float | None) -> str:
    return str(make_clip(path, scene=scene, seed=seed, width=width, height=height, fps=fps, seconds=seconds))


def ensure_demo_clips(folder: str | os.PathLike[str], n: int, *, progress: Progress | None = None,
                      width: int = DEMO_SIZE[0], height: int = DEMO_SIZE[1], fps: int = DEMO_SIZE[2],
                      seconds: float | None = None) -> list[Path]:
    """Return ``n`` demo clips in ``folder`` (by default 720p15, 20–30 s), generating only missing ones.

    Clip ``i`` shows scene ``i mod 5`` with seed ``101 + i``; the file name encodes scene, seed, size,
    frame rate, length and generator version, so a later call finds and reuses the same files.
    Missing clips are generated in parallel worker processes (spawned, so it is safe to call from a
    process that runs threads, e.g. a Qt app). ``progress(done, total)`` is called once at the start
    (``done`` counts clips already present) and after each generated clip, from the calling thread.
    Raises ``MediaError`` when the clips cannot be written (e.g. a full disk).
    """
    folder = Path(folder)
    specs = demo_specs(n)
    paths = [folder / demo_clip_name(scene, seed, width, height, fps, seconds) for scene, seed in specs]
    missing = [(p, scene, seed) for p, (scene, seed) in zip(paths, specs) if not _present(p)]
    done = n - len(missing)
    if progress:
        progress(done, n)
    if not missing:
        return paths
    try:
        folder.mkdir(parents=True, exist_ok=True)
        workers = min(len(missing), os.cpu_count() or 1)
        if workers == 1:
            for p, scene, seed in missing:
                _make_demo(str(p), scene, seed, width, height, fps, seconds)
                done += 1
                if progress:
                    progress(done, n)
            return paths
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        try:
            pending: set[Future[str]] = {
                pool.submit(_make_demo, str(p), scene, seed, width, height, fps, seconds) for p, scene, seed in missing
            }
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    fut.result()  # re-raises a worker's error
                    done += 1
                    if progress:
                        progress(done, n)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    except OSError as e:
        reason = e.strerror or str(e)
        raise MediaError(f"The demo clips could not be written to {folder} ({reason}).",
                         hint="Free some disk space or check that the folder is writable, then try again.") from e
    except BrokenProcessPool as e:
        raise MediaError("A worker process generating the demo clips stopped unexpectedly.",
                         hint="Try again; if it keeps failing, check free memory and report it with the log.") from e
    return paths


def _present(p: Path) -> bool:
    try:
        return p.stat().st_size > 0
    except OSError:
        return False
