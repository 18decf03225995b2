"""A floor with a faulty network: a real hub on loopback with a shift's worth of clips, a faulty proxy in front."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.faults.proxy import FaultyProxy, Mix, Schedule
from tests.hub_fixtures import CHEAP_PASSWORDS, PASSWORD, TEST_HUB
from workstation.hub.server import HubServer
from workstation.hub.service import HubService
from workstation.policy import Policy
from workstation.session.seat import Seat
from workstation.sync.client import HubClient

ROOT = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("FAULT_SEED", "20261125"))
"""The fault schedule's seed; ``FAULT_SEED=n pytest tests/faults`` replays another one."""

CLIENT_TIMEOUT_S = 2.0
"""The seats' hub clients wait this long for the hub (the app's default is 10 s: shorter here, so that every
black hole and long delay costs the test little; it is a setting, not a behaviour)."""


@dataclass
class FaultyFloor:
    service: HubService
    server: HubServer
    proxy: FaultyProxy

    def seat(self, data_dir: Path, **policy: object) -> Seat:
        """A seat whose hub address is the proxy's, its clients with :data:`CLIENT_TIMEOUT_S`."""
        seat = Seat.open(Policy(hub_url=self.proxy.url, **policy), data_dir=data_dir)  # type: ignore[arg-type]

        def make_client() -> HubClient:
            return HubClient(self.proxy.url, timeout=CLIENT_TIMEOUT_S)

        seat.client.close()
        seat.client = make_client()
        seat.make_client = make_client
        return seat


def floor_clips(folder: Path, n: int, *, width: int = 96, height: int = 64, fps: int = 10,
                seconds: float = 1) -> list[Path]:
    """``n`` distinct, real H.264 clips, tiny by default (the hub stores each file once)."""
    from workstation.media.synth import make_clip

    folder.mkdir(parents=True, exist_ok=True)
    scenes = ("walker", "car", "foliage", "night_noise", "light_switch")
    return [make_clip(folder / f"f{i}.mp4", scene=scenes[i % len(scenes)], seed=500 + i, width=width, height=height,
                      fps=fps, seconds=seconds) for i in range(n)]


@pytest.fixture
def faulty_floor(tmp_path: Path) -> Iterator[Callable[[int, Mix], FaultyFloor]]:
    """``faulty_floor(clips, mix)``: a hub with ``clips`` clips and the user ana, behind a proxy faulting by ``mix``."""
    opened: list[FaultyFloor] = []

    def open_floor(clips: int, mix: Mix) -> FaultyFloor:
        folder = tmp_path / f"floor{len(opened)}"
        service = HubService(folder / "hub", test_only_password_cost=CHEAP_PASSWORDS)
        results = service.ingest(floor_clips(folder / "clips", clips))
        assert all(r.status == "ok" for r in results), results
        service.add_user("ana", "annotator", PASSWORD)
        server = HubServer(folder / "hub", host="127.0.0.1", port=0, config=TEST_HUB)
        server.start()
        proxy = FaultyProxy(("127.0.0.1", server.port), Schedule(SEED, mix))
        opened.append(FaultyFloor(service, server, proxy))
        proxy.start()
        return opened[-1]

    yield open_floor
    for floor in opened:
        floor.proxy.stop()
        floor.server.stop()


class HubChild:
    """The hub in a process of its own (``tests/e2e/hub_child.py``), as on the floor: its request handling
    does not compete with the seat's UI thread for the interpreter lock."""

    def __init__(self, data: Path, log: Path) -> None:
        self._log = log.open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.e2e.hub_child", "--data", str(data)], cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=self._log, text=True, env=dict(os.environ))
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # "listening <port>" once it accepts connections (EOF if it died)
        if not line.startswith("listening "):
            self.stop()
            pytest.fail(f"the hub child did not start: {log.read_text()[-2000:]}")
        self.port = int(line.split()[1])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(30)
        self._log.close()
