"""Benchmarks in the real shift window (offscreen ok): clip switch, UI-thread stalls, memory over a shift.

* :func:`clip_switch_ms` — label key → the next clip's first frame painted.
* :func:`ui_stalls_ms` — an event-loop lag probe on the UI thread while the window plays clips, labels
  one every ~0.4 s (so the prefetcher opens and decodes the next clips) and the real ``OutboxSync``
  sends each label to a real hub on loopback. The hub runs in its own process, as it runs on its own
  machine on the floor: in this process its request handling would compete for the GIL and be
  counted as the workstation's stalls.
* :func:`rss_over_shift` — resident memory across a long local shift; run in a fresh process by
  ``bench-child window rss …`` (see :func:`workstation.processes.app_command`) so the figure is the shift's, not the benchmark's.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from workstation.processes import app_command, child_env
from workstation.session.localshift import build_local_shift
from workstation.ui.app import application, freeze_long_lived
from workstation.ui.controller import ShiftController
from workstation.ui.main_window import MainWindow
from workstation.ui.watermark import Watermark

LABEL_KEYS = (Qt.Key.Key_1, Qt.Key.Key_5, Qt.Key.Key_2, Qt.Key.Key_9, Qt.Key.Key_3)
PASSWORD = "bench-password-1"


def _pump_until(app: QApplication, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        app.processEvents()
        if predicate():
            return True
        time.sleep(0.0005)
    return False


def _window(taxonomy: Any) -> MainWindow:
    return MainWindow(taxonomy, Watermark("bench", "seat-1"), "bench @ seat-1", "memory")


# --------------------------------------------------------------------------- clip switch


def clip_switch_ms(workdir: Path, clips: list[Path], switches: int, watch_s: float = 0.4) -> list[float]:
    """Press label keys ``switches`` times; return key-to-first-frame-painted times in ms."""
    app = application([])
    shift = build_local_shift(workdir / "switch", clips)
    window = _window(shift.state.taxonomy)
    controller = ShiftController(window, shift.service, shift.state, None, shift.open_source)
    painted: dict[int, float] = {}

    def on_painted(token: int, index: int, t: float) -> None:
        painted.setdefault(token, t)

    window.video.on_painted = on_painted
    window.show()
    controller.start()
    times: list[float] = []
    try:
        _pump_until(app, lambda: controller.token in painted)
        for _ in range(switches):
            if controller.index is None:
                break
            # the annotator watches for a while; prefetch of the next clips runs meanwhile
            _pump_until(app, lambda: False, watch_s)
            before = controller.token
            start = time.perf_counter()
            QTest.keyClick(window, Qt.Key.Key_5)
            if controller.index is None:
                break
            def switched(before: int = before) -> bool:
                return controller.token in painted and controller.token != before

            if _pump_until(app, switched):
                times.append((painted[controller.token] - start) * 1000)
    finally:
        controller.close()
        window.close()
        shift.store.close()
    return times


# --------------------------------------------------------------------------- UI-thread stalls


class LagProbe(QObject):
    """A 5 ms single-shot timer re-armed on every tick: how late each tick fires is the UI thread's stall."""

    def __init__(self, interval_ms: int = 5) -> None:
        super().__init__()
        self.interval_ms = interval_ms
        self.ticks: list[tuple[float, float]] = []  # (when it fired, lateness in ms)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._tick)
        self._armed = 0.0

    def start(self) -> None:
        self._armed = time.perf_counter()
        self._timer.start(self.interval_ms)

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.ticks.append((now, max(0.0, (now - self._armed) * 1000 - self.interval_ms)))
        self._armed = now
        self._timer.start(self.interval_ms)

    @property
    def late_ms(self) -> list[float]:
        return [late for _, late in self.ticks]


@dataclass
class StallRun:
    late_ms: list[float]
    labels: int
    synced: int
    key_ms: list[float]  # how long each label key's handling held the UI thread
    worst: list[tuple[float, float, str]] = field(default_factory=list)  # (t since start, ms, what ran)


class _HubProcess:
    """``python -m workstation hub serve`` on loopback, port picked by the OS; stopped by its own pid."""

    def __init__(self, data_dir: Path) -> None:
        self.proc = subprocess.Popen(app_command("hub", "serve", "--data", str(data_dir), "--port", "0"), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                     env=child_env())
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        found = re.search(r"(https?://[^\s/]+)/api/v1", line)
        if found is None:
            self.stop()
            raise RuntimeError(f"the bench hub did not start: {line!r}")
        self.base_url = found.group(1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def ui_stalls_ms(work: Path, clips: list[Path], seconds: float, label_every_s: float = 0.4) -> StallRun:
    """Play, label every ``label_every_s`` and sync to a hub on loopback for ``seconds``; probe the UI thread."""
    from workstation.hub.service import HubService
    from workstation.policy import Policy
    from workstation.session.outbox import OutboxOwner
    from workstation.session.seat import Seat
    from workstation.session.signin import SeatSession
    from workstation.vault.keystore import MemoryKeyStore

    app = application([])
    hub_dir = work / "stall-hub"
    from workstation.hub.db import own_sqlite
    hub = HubService(hub_dir, database=own_sqlite(hub_dir))
    if any(r.status != "ok" for r in hub.ingest(clips)):
        raise RuntimeError("bench clips were rejected by the hub")
    hub.add_user("bench", "annotator", PASSWORD)
    server = _HubProcess(hub_dir)
    seat = None
    try:
        policy = Policy(hub_url=server.base_url, key_store="memory", seat="bench-stall")
        seat = Seat.open(policy, data_dir=work / "stall-ws", keystore=MemoryKeyStore())
        outbox = OutboxOwner(seat.store, seat.make_client())
        session = SeatSession(seat, outbox)
        hub.approve_device(session.check_device().enrollment_code)
        state = session.sign_in_to_shift("bench", PASSWORD)
        return _stall_run(app, seat, state, outbox, seconds, label_every_s)
    finally:
        if seat is not None:
            seat.close()
        server.stop()


def _stall_run(app: QApplication, seat: Any, state: Any, sync: Any, seconds: float, label_every_s: float) -> StallRun:
    shift_id = state.shift_id
    window = _window(state.taxonomy)
    # wired as AppFlow._shift_ready wires it (no sound: the bench clips have none)
    controller = ShiftController(window, seat.service, state, sync, lambda clip_id: seat.open_source(shift_id, clip_id))
    painted: dict[int, float] = {}

    def on_painted(token: int, index: int, t: float) -> None:
        painted.setdefault(token, t)

    window.video.on_painted = on_painted
    sync.start()
    window.show()
    freeze_long_lived()
    controller.start()
    probe = LagProbe()
    key_spans: list[tuple[float, float]] = []
    labels = 0

    def press() -> None:
        nonlocal labels
        if controller.index is None:
            return
        start = time.perf_counter()
        QTest.keyClick(window, LABEL_KEYS[labels % len(LABEL_KEYS)])
        key_spans.append((start, time.perf_counter()))
        labels += 1

    keys = QTimer()
    keys.timeout.connect(press)
    loop = QEventLoop()
    try:
        if not _pump_until(app, lambda: controller.token in painted):
            raise RuntimeError("the first clip was never painted")
        _pump_until(app, lambda: False, 0.5)  # the first clips' prefetch settles
        begin = time.perf_counter()
        probe.start()
        keys.start(round(label_every_s * 1000))
        QTimer.singleShot(round(seconds * 1000), loop.quit)
        loop.exec()
        probe.stop()
        keys.stop()
        _pump_until(app, lambda: seat.store.pending_count() == 0, 15.0)  # every label reached the hub
        synced = labels - seat.store.pending_count()
    finally:
        controller.close()
        sync.stop()
        window.close()
    worst = []
    for t, late in sorted(probe.ticks, key=lambda tl: -tl[1])[:5]:
        started = t - (late + probe.interval_ms) / 1000  # the stall lies between the arming and the tick
        in_key = any(a < t and b > started for a, b in key_spans)
        worst.append((round(t - begin, 3), round(late, 2), "label key handling" if in_key else "other"))
    return StallRun(probe.late_ms, labels, synced, [(b - a) * 1000 for a, b in key_spans], worst)


# --------------------------------------------------------------------------- memory over a shift


def rss_over_shift(workdir: Path, clips: list[Path], n: int, frames: int = 3,
                   samples: tuple[int, ...] = (10, 150)) -> dict[int, float]:
    """Label ``n`` clips one by one after ``frames`` frames each; RSS in MB when clip k of ``samples`` plays."""
    import psutil

    app = application([])
    shift = build_local_shift(workdir / "rss", [clips[i % len(clips)] for i in range(n)])
    window = _window(shift.state.taxonomy)
    controller = ShiftController(window, shift.service, shift.state, None, shift.open_source)
    latest: dict[str, int] = {"token": -1, "index": -1}

    def on_painted(token: int, index: int, t: float) -> None:
        latest["token"], latest["index"] = token, index

    window.video.on_painted = on_painted
    window.show()
    controller.start()
    process = psutil.Process()
    rss: dict[int, float] = {}
    try:
        for number in range(1, n + 1):
            first = -1

            def played(token: int = controller.token) -> bool:
                nonlocal first
                if latest["token"] != token:
                    return False
                if first < 0:
                    first = latest["index"]
                return latest["index"] >= first + frames

            if not _pump_until(app, played, 15.0):
                raise RuntimeError(f"clip {number} did not play")
            if number in samples:
                rss[number] = process.memory_info().rss / 1e6
            QTest.keyClick(window, LABEL_KEYS[number % len(LABEL_KEYS)])
    finally:
        controller.close()
        window.close()
        shift.store.close()
    return rss


def rss_in_fresh_process(workdir: Path, clips: list[Path], n: int) -> dict[int, float]:
    """:func:`rss_over_shift` in a new interpreter (only the shift window's memory is counted)."""
    args = app_command("bench-child", "window", "rss", str(workdir), str(n), *map(str, clips))
    result = subprocess.run(args, check=False, capture_output=True, text=True, timeout=600, env=child_env())
    if result.returncode != 0:
        raise RuntimeError(f"the memory benchmark failed:\n{result.stderr[-3000:]}")
    return {int(k): v for k, v in json.loads(result.stdout.strip().splitlines()[-1]).items()}


def stalls_in_fresh_process(workdir: Path, clips: list[Path], seconds: float) -> StallRun:
    """:func:`ui_stalls_ms` in a new interpreter: only what the app itself runs shares the process."""
    args = app_command("bench-child", "window", "stalls", str(workdir), str(seconds), *map(str, clips))
    result = subprocess.run(args, check=False, capture_output=True, text=True, timeout=600, env=child_env())
    if result.returncode != 0:
        raise RuntimeError(f"the UI stall benchmark failed:\n{result.stderr[-3000:]}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return StallRun(data["late_ms"], data["labels"], data["synced"], data["key_ms"],
                    [tuple(w) for w in data["worst"]])


def main(argv: list[str]) -> int:
    if len(argv) >= 4 and argv[0] == "stalls":
        run = ui_stalls_ms(Path(argv[1]), [Path(p) for p in argv[3:]], float(argv[2]))
        print(json.dumps(dataclasses.asdict(run)), flush=True)
        return 0
    if len(argv) >= 4 and argv[0] == "rss":
        workdir, n, clips = Path(argv[1]), int(argv[2]), [Path(p) for p in argv[3:]]
        samples = tuple(sorted({10, n // 3, 2 * n // 3, n}))
        print(json.dumps(rss_over_shift(workdir, clips, n, samples=samples)), flush=True)
        return 0
    print("usage: bench-child window rss WORKDIR N CLIP... | stalls WORKDIR SECONDS CLIP...",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main(sys.argv[1:]))
