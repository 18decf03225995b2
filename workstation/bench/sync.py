"""Benchmark: 150 labels from the local outbox to a real hub on loopback."""

from __future__ import annotations

import time
from pathlib import Path

from workstation.policy import Policy
from workstation.vault.keystore import MemoryKeyStore

PASSWORD = "bench-password-1"


def _tiny_clips(folder: Path, n: int) -> list[Path]:
    from workstation.media.synth import make_clip

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"tiny_{i:03d}_96x64_1s.mp4"
        if not path.exists():
            make_clip(path, scene=("walker", "car", "foliage")[i % 3], seed=5000 + i, width=96, height=64,
                      fps=10, seconds=1)
        paths.append(path)
    return paths


def sync_150_labels_ms(work: Path, clips_dir: Path, n: int = 150) -> float:
    from workstation.hub.db import own_sqlite
    from workstation.hub.server import HubServer
    from workstation.hub.service import HubService
    from workstation.session.outbox import OutboxOwner
    from workstation.session.seat import Seat
    from workstation.session.signin import SeatSession
    service = HubService(work / "hub", database=own_sqlite(work / "hub"))
    results = service.ingest(_tiny_clips(clips_dir / "tiny", n))
    if any(r.status != "ok" for r in results):
        raise RuntimeError("bench clips were rejected by the hub")
    service.add_user("bench", "annotator", PASSWORD)
    with HubServer(work / "hub", host="127.0.0.1", port=0, database=own_sqlite(work / "hub")) as server:
        policy = Policy(hub_url=server.base_url, key_store="memory", seat="bench-seat")
        seat = Seat.open(policy, data_dir=work / "ws", keystore=MemoryKeyStore())
        try:
            outbox = OutboxOwner(seat.store, seat.make_client())
            session = SeatSession(seat, outbox)
            service.approve_device(session.check_device().enrollment_code)
            state = session.sign_in_to_shift("bench", PASSWORD)
            for clip in state.clips:
                seat.store.add_label(state.shift_id, clip.clip_id, "person", shown_at="2026-11-25T10:00:00Z")
            start = time.perf_counter()
            sent = outbox.send_now().labels
            elapsed = (time.perf_counter() - start) * 1000
            if sent != len(state.clips):
                raise RuntimeError(f"only {sent} of {len(state.clips)} labels synced")
            return elapsed
        finally:
            seat.close()
