"""Benchmark: process start → a usable shift window (its first video frame painted).

``bench-child startup DIR`` (this app run again, see :mod:`workstation.processes`) opens the local shift the parent laid into ``DIR`` (with
:func:`~workstation.bench.fixtures.build_local_shift`) the way the app resumes a shift: the real
imports, the key store, the store, the cache, the shift window with its controller and sound output,
then the first clip through the prefetcher. It prints one JSON line of seconds since the process was
created (``psutil.Process().create_time()``, see :func:`_since_boot`): ``main`` (interpreter up, this
module running), ``imports``, ``window`` (shown, controller started), ``first_frame`` (first clip opened and decoded),
``painted`` (first frame on screen = the figure).

The shift's private key lives in the parent's in-memory key store. BENCHMARK-ONLY PLUMBING: the
parent hands it to this child as one hex line on stdin (a pipe, never a file); the app itself never
moves a shift key between processes.

Only the standard library is imported before the clock starts counting the app's own imports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def _now() -> float:
    """Seconds on the clock process start times are kept in (since boot on Linux, else the wall clock)."""
    return time.clock_gettime(time.CLOCK_BOOTTIME) if sys.platform.startswith("linux") else time.time()


_T_MAIN = _now()


def _since_boot(created: float) -> float:
    """The process's creation on the :func:`_now` clock.

    psutil's ``create_time()`` on Linux is the boot time from ``/proc/stat`` (whole seconds) plus the
    process's start in clock ticks since boot, so it can be up to 1 s off the wall clock (0.58 s on
    the bench machine). Taking psutil's own boot time back out leaves the exact ticks since boot,
    which :func:`_now` (``CLOCK_BOOTTIME``) can be compared with, to the 10 ms of a clock tick.
    """
    import psutil

    return created - psutil.boot_time() if sys.platform.startswith("linux") else created


def _child(folder: Path) -> int:
    # BENCHMARK-ONLY: the shift private key arrives on stdin from the parent process (see the docstring)
    key = bytes.fromhex(sys.stdin.readline().strip())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    marks: dict[str, float] = {"main": _T_MAIN}

    # the modules the app imports to run a shift (workstation.ui.app pulls the whole UI)
    from workstation.labeling.shift import ShiftService, shift_key_name
    from workstation.labeling.store import LocalStore
    from workstation.media.clipsource import ReaderFrameSource
    from workstation.ui.app import application
    from workstation.ui.audio_out import AudioOutput
    from workstation.ui.controller import ShiftController
    from workstation.ui.main_window import MainWindow
    from workstation.ui.watermark import Watermark
    from workstation.vault.cache import ClipCache
    from workstation.vault.keystore import MemoryKeyStore

    marks["imports"] = _now()
    app = application([sys.argv[0]])
    keystore = MemoryKeyStore()
    store = LocalStore(folder / "workstation.sqlite")
    service = ShiftService(store, keystore, ClipCache(folder / "cache"))
    record = store.active_shift()
    if record is None:
        raise SystemExit("no active shift in " + str(folder))
    keystore.put(shift_key_name(record.shift_id), key)
    state = service.resumable()
    if state is None:
        raise SystemExit("the shift cannot be resumed")
    clips = {c.clip_id: c for c in state.clips}

    def open_source(clip_id: str) -> ReaderFrameSource:
        return service.open_frames(state.shift_id, clips[clip_id])

    def audio_reader(clip_id: str):  # type: ignore[no-untyped-def]
        return lambda: service.open_reader(state.shift_id, clips[clip_id])

    # as AppFlow._shift_ready builds it (no hub here, so no outbox sync)
    window = MainWindow(state.taxonomy, Watermark(record.username, "bench-seat"), f"{record.username} @ bench-seat",
                        keystore.kind)
    controller = ShiftController(window, service, state, None, open_source, audio=AudioOutput(window),
                                 audio_reader=audio_reader)
    painted: list[float] = []

    def on_painted(token: int, index: int, t: float) -> None:
        if not painted:
            painted.append(_now())
            app.quit()

    window.video.on_painted = on_painted
    window.showMaximized()
    window.activateWindow()
    window.setFocus()
    marks["window"] = _now()
    controller.start()  # waits for the first clip's prefetch: open, index, decode the first frame
    marks["first_frame"] = _now()
    if not painted:
        app.exec()
    marks["painted"] = painted[0]
    controller.close()
    window.close()
    store.close()

    import psutil  # after the clock: not part of the app's start-up

    created = _since_boot(psutil.Process().create_time())
    print(json.dumps({name: round(t - created, 4) for name, t in marks.items()}), flush=True)
    return 0


def measure(folder: Path, key: bytes, timeout: float = 60.0) -> dict[str, float]:
    """Run the child once on the shift in ``folder``; its marks in seconds since it was created."""
    from workstation.processes import app_command, child_env

    # BENCHMARK-ONLY: the shift key goes to the child through its stdin pipe, never through a file
    result = subprocess.run(app_command("bench-child", "startup", str(folder)), input=key.hex() + "\n",
                            check=False, capture_output=True, text=True, timeout=timeout, env=child_env())
    if result.returncode != 0:
        raise RuntimeError(f"the start-up benchmark failed:\n{result.stderr[-3000:]}")
    return {k: float(v) for k, v in json.loads(result.stdout.strip().splitlines()[-1]).items()}


def startup_runs(workdir: Path, clips: list[Path], runs: int = 3) -> list[dict[str, float]]:
    """Lay a local shift of ``clips`` into ``workdir`` and start the window on it ``runs`` times."""
    from workstation.labeling.shift import shift_key_name
    from workstation.session.localshift import build_local_shift
    from workstation.vault.keystore import MemoryKeyStore

    keystore = MemoryKeyStore()
    folder = workdir / "startup"
    shift = build_local_shift(folder, clips, keystore=keystore)
    key = keystore.get(shift_key_name(shift.state.shift_id))
    shift.store.close()
    if key is None:
        raise RuntimeError("the shift key is missing from the key store")
    return [measure(folder, key) for _ in range(runs)]


def child_main(argv: list[str]) -> int:
    """``bench-child startup DIR`` (the shift key as hex on stdin)."""
    if len(argv) != 1:
        print("usage: bench-child startup DIR   (the shift key as hex on stdin)", file=sys.stderr)
        return 2
    return _child(Path(argv[0]))
