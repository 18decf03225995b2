"""``python -m workstation demo``: the whole product on one machine.

Opens the app's window at once and says what it prepares: synthetic security-camera clips are made once
(reused on later runs) — the first few first —, the floor hub starts in-process on loopback with a data
folder under the user's app-data dir, the demo annotator and seat are set up and approved, and the app
signs in on a ready shift of the first clips while the rest are made and ingested for the next shift. The key store is
the OS keyring where a secure one exists, else process memory (as the machine policy allows).
"""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workstation.errors import WorkstationError
from workstation.paths import app_data_dir
from workstation.policy import Policy
from workstation.vault.keystore import secure_keyring_status

if TYPE_CHECKING:
    from workstation.session.seat import Seat

DEMO_USER = "demo"
DEMO_PASSWORD = "demo-password"
DEMO_SEAT = "demo-seat"
DEMO_SUPERVISOR = "supervisor"
DEMO_SUPERVISOR_PASSWORD = "demo-supervisor"


def _say(text: str) -> None:
    print(f"demo: {text}", file=sys.stderr, flush=True)


FIRST_CLIPS = 4
"""A newcomer's first run makes this many clips first and starts on them; the rest follow while they play."""


@dataclass
class DemoFloor:
    """The demo's hub and seat on this machine, prepared step by step (no Qt: the demo's window reports it)."""

    base: Path
    clips: int
    fresh: bool = False
    make_history: Callable[[Path], Path] | None = None
    """``make_history(folder)`` → a hub data folder holding weeks of a floor's work (the supervisor demo)."""
    server: Any = None
    seat: Any = None
    rest: threading.Thread | None = None

    def prepare(self, report: Callable[[str, int, int], None]) -> Seat:
        """Clips (the first few), the hub with them, the seat enrolled and approved; the rest of the clips are
        made and ingested in the background while the first ones play. ``report(what, done, total)``."""
        from workstation.hub.db import own_sqlite
        from workstation.hub.service import HubService
        from workstation.media.synth import ensure_demo_clips

        clip_dir, hub_dir = self.base / "clips", self.base / "hub"
        service = HubService(hub_dir, database=own_sqlite(hub_dir))
        if self.fresh or (service.list_users() and service.waiting_clip_count(DEMO_USER) == 0):
            _say("starting over with a fresh demo hub")
            shutil.rmtree(hub_dir, ignore_errors=True)
            shutil.rmtree(self.base / "workstation", ignore_errors=True)
            service = HubService(hub_dir, database=own_sqlite(hub_dir))
        first = min(FIRST_CLIPS, self.clips)
        _say(f"synthetic clips in {clip_dir} (made once, reused later)")
        paths = ensure_demo_clips(clip_dir, first, progress=lambda done, total: report("clips", done, self.clips))
        _ingest(service, paths)
        if not any(u.name == DEMO_USER for u in service.list_users()):
            service.add_user(DEMO_USER, "annotator", DEMO_PASSWORD)
        report("hub", 0, 0)
        seat = self._serve(service, hub_dir, self.base / "workstation")
        if first < self.clips:
            self.rest = threading.Thread(target=self._make_the_rest, args=(service, clip_dir), name="demo-clips",
                                         daemon=True)
            self.rest.start()
        return seat

    def _serve(self, service: Any, hub_dir: Path, seat_dir: Path) -> Seat:
        """The hub on loopback, this seat opened on it, enrolled and approved."""
        from workstation.hub.db import own_sqlite
        from workstation.hub.server import HubServer
        from workstation.session.enrollment import ensure_enrolled
        from workstation.session.seat import Seat
        self.server = HubServer(hub_dir, host="127.0.0.1", port=0, database=own_sqlite(hub_dir))
        url = self.server.start()
        _say(f"floor hub listening on {url} (data in {hub_dir})")
        secure, backend = secure_keyring_status()
        key_store = "keyring" if secure else "memory"
        _say(f"key store: {'OS keyring (' + backend + ')' if secure else 'process memory (no secure keyring here)'}")
        policy = Policy(hub_url=url, key_store=key_store, seat=DEMO_SEAT, shift_size=150)
        self.seat = seat = Seat.open(policy, data_dir=seat_dir)
        device = ensure_enrolled(seat.client, seat.keystore, seat.store, DEMO_SEAT)
        if device.status == "pending":
            service.approve_device(device.enrollment_code)
            _say(f"seat enrolled and approved (code {device.enrollment_code})")
        return seat

    def prepare_supervisor(self, report: Callable[[str, int, int], None]) -> Seat:
        """A hub with weeks of a floor's work (made once, reused), the demo supervisor on it, this seat approved."""
        from workstation.hub.db import own_sqlite
        from workstation.hub.service import HubService

        assert self.make_history is not None
        report("history", 0, 0)
        if self.fresh:
            shutil.rmtree(self.base / "supervisor", ignore_errors=True)
        _say("a floor's weeks of work for the supervisor's figures (made once, reused later)")
        hub_dir = self.make_history(self.base / "supervisor" / "floors")
        service = HubService(hub_dir, database=own_sqlite(hub_dir))
        if not any(u.name == DEMO_SUPERVISOR for u in service.list_users()):
            service.add_user(DEMO_SUPERVISOR, "supervisor", DEMO_SUPERVISOR_PASSWORD)
        report("hub", 0, 0)
        return self._serve(service, hub_dir, self.base / "supervisor" / "workstation")

    def _make_the_rest(self, service: Any, clip_dir: Path) -> None:
        from workstation.media.synth import ensure_demo_clips

        try:
            paths = ensure_demo_clips(clip_dir, self.clips,
                                      progress=lambda done, total: _say(f"  clip {done} of {total} ready"))
            _ingest(service, paths)
            _say(f"all {self.clips} demo clips are in the hub; the next shift gets them")
        except WorkstationError as exc:
            _say(f"the remaining demo clips could not be made: {exc.full_text()}")

    def close(self) -> None:
        if self.seat is not None:
            self.seat.close()
        if self.server is not None:
            self.server.stop()


def _ingest(service: Any, paths: list[Path]) -> None:
    rejected = [r for r in service.ingest(paths) if r.status != "ok"]
    if rejected:
        raise WorkstationError(f"{len(rejected)} demo clip(s) were rejected by the hub: {rejected[0].reason}")


def run_demo(*, clips: int = 30, screenshot: str | None = None, fresh: bool = False,
             make_history: Callable[[Path], Path] | None = None) -> int:
    """The demo's window opens at once and says what it prepares; the shift starts on the first clips.

    With ``make_history`` (``demo --supervisor``) the demo supervisor signs in instead, on a hub holding weeks of
    a floor's work, and the dashboard opens."""
    from workstation.ui.demo_ui import run_demo_ui

    floor = DemoFloor(app_data_dir() / "demo", clips, fresh, make_history)
    try:
        if make_history is not None:
            return run_demo_ui(floor.prepare_supervisor, (DEMO_SUPERVISOR, DEMO_SUPERVISOR_PASSWORD), screenshot)
        return run_demo_ui(floor.prepare, (DEMO_USER, DEMO_PASSWORD), screenshot)
    finally:
        floor.close()
