"""``python -m workstation demo``: the whole product on one machine.

Starts the floor hub in-process on loopback with a data folder under the user's app-data dir,
generates synthetic security-camera clips once (reused on later runs), ingests them, creates the demo
annotator and seat, approves the seat, and opens the app signed in on a ready shift. The key store is
the OS keyring where a secure one exists, else process memory (as the machine policy allows).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.errors import WorkstationError
from workstation.paths import app_data_dir
from workstation.policy import Policy
from workstation.vault.keystore import secure_keyring_status

if TYPE_CHECKING:
    from workstation.session.seat import Seat

DEMO_USER = "demo"
DEMO_PASSWORD = "demo-password"
DEMO_SEAT = "demo-seat"


def _say(text: str) -> None:
    print(f"demo: {text}", file=sys.stderr, flush=True)


def prepare_hub(base: Path, clips: int, *, fresh: bool) -> tuple[Path, list[Path]]:
    """Clips generated once; a hub data folder holding them with clips still waiting to be labeled."""
    from workstation.hub.service import HubService
    from workstation.media.synth import ensure_demo_clips

    clip_dir = base / "clips"
    hub_dir = base / "hub"
    _say(f"synthetic clips in {clip_dir} (made once, reused later)")
    paths = ensure_demo_clips(clip_dir, clips, progress=lambda done, total: _say(f"  clip {done} of {total} ready"))
    service = HubService(hub_dir)
    if (fresh or service.waiting_clip_count(DEMO_USER) == 0) and (service.list_users() or fresh):
        _say("every demo clip is labeled: starting over with a fresh demo hub")
        shutil.rmtree(hub_dir, ignore_errors=True)
        shutil.rmtree(base / "workstation", ignore_errors=True)
        service = HubService(hub_dir)
    results = service.ingest(paths)
    rejected = [r for r in results if r.status != "ok"]
    if rejected:
        raise WorkstationError(f"{len(rejected)} demo clip(s) were rejected by the hub: {rejected[0].reason}")
    if not any(u.name == DEMO_USER for u in service.list_users()):
        service.add_user(DEMO_USER, "annotator", DEMO_PASSWORD)
    return hub_dir, paths


def run_demo(*, clips: int = 30, screenshot: str | None = None, fresh: bool = False) -> int:
    from workstation.hub.server import HubServer
    from workstation.hub.service import HubService
    from workstation.session.enrollment import ensure_enrolled
    from workstation.session.seat import Seat

    base = app_data_dir() / "demo"
    try:
        hub_dir, _ = prepare_hub(base, clips, fresh=fresh)
    except WorkstationError as exc:
        print(f"error: {exc.full_text()}", file=sys.stderr)
        return 2
    server = HubServer(hub_dir, host="127.0.0.1", port=0)
    url = server.start()
    _say(f"floor hub listening on {url} (data in {hub_dir})")
    secure, backend = secure_keyring_status()
    key_store = "keyring" if secure else "memory"
    _say(f"key store: {'OS keyring (' + backend + ')' if secure else 'process memory (no secure keyring here)'}")
    policy = Policy(hub_url=url, key_store=key_store, seat=DEMO_SEAT, shift_size=150)
    seat = Seat.open(policy, data_dir=base / "workstation")
    try:
        device = ensure_enrolled(seat.client, seat.keystore, seat.store, DEMO_SEAT)
        if device.status == "pending":
            HubService(hub_dir).approve_device(device.enrollment_code)
            _say(f"seat enrolled and approved (code {device.enrollment_code})")
        return _run_ui(seat, screenshot)
    finally:
        seat.close()
        server.stop()


def _run_ui(seat: Seat, screenshot: str | None) -> int:
    from workstation.ui.demo_ui import run_demo_ui

    return run_demo_ui(seat, (DEMO_USER, DEMO_PASSWORD), screenshot)
