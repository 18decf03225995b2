"""Benchmark: label key → next clip's first frame on screen, in the real shift window (offscreen ok)."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from workstation.bench.fixtures import build_local_shift
from workstation.ui.app import application
from workstation.ui.controller import ShiftController
from workstation.ui.main_window import MainWindow
from workstation.ui.watermark import Watermark


def _pump_until(app: object, predicate: object, timeout: float = 10.0) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        app.processEvents()  # type: ignore[attr-defined]
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.0005)
    return False


def clip_switch_ms(workdir: Path, clips: list[Path], switches: int, watch_s: float = 0.4) -> list[float]:
    """Press label keys ``switches`` times; return key-to-first-frame-painted times in ms."""
    app = application([])
    shift = build_local_shift(workdir / "switch", clips)
    window = MainWindow(shift.state.taxonomy, Watermark("bench", "seat-1"), "bench @ seat-1", "memory")
    controller = ShiftController(window, shift.service, shift.state, None, shift.open_source)
    painted: dict[int, float] = {}
    window.video.on_painted = lambda token, index, t: painted.setdefault(token, t)
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
            if _pump_until(app, lambda: controller.token in painted and controller.token != before):
                times.append((painted[controller.token] - start) * 1000)
    finally:
        controller.close()
        window.close()
        shift.store.close()
    return times
