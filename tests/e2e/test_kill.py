"""Kill the seat or the hub with SIGKILL at chosen moments: no decision is lost or doubled, locally or on the hub.

Both run as child processes and report what they do (``tests/e2e/kill_child.py``, ``tests/e2e/hub_child.py``).
Each round picks a moment by the seat's own reports — right after a decision was committed, or while a sync is
under way — and kills the seat or the hub there; nothing waits a guessed delay, so a slow machine only makes
the test slower. A killed seat starts again and resumes; a killed hub starts again on the same port and data.
The test counts the kills that landed after a commit and during a sync, and fails if too few did.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.hub_fixtures import CHEAP_PASSWORDS, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
EVENT_TIMEOUT_S = 180.0
"""How long to wait for one reported event before calling the child stuck (generous: slow machines pass)."""
ROUNDS = 32


class Child:
    """A child process whose stdout lines arrive on a queue as they are printed."""

    def __init__(self, args: list[str]) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self.err: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.err.append(line)

    def events(self) -> Iterator[str]:
        """Each reported line as it comes; ends when the child's output ends."""
        while True:
            try:
                line = self.lines.get(timeout=EVENT_TIMEOUT_S)
            except queue.Empty:
                pytest.fail(f"a child reported nothing for {EVENT_TIMEOUT_S:.0f} s; its last words: "
                            f"{self.seen[-5:]} {''.join(self.err)[-2000:]}")
            if line is None:
                return
            self.seen.append(line)
            yield line

    def go_on(self) -> None:
        """Let a seat that reported a commit go on (it waits for this, so it never runs ahead of the parent)."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write("go\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # it died on its own; its output says why

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(60)

    def rest(self) -> list[str]:
        """After the child ended: every line it printed that was not read yet."""
        self.proc.wait(60)
        return list(self.events())


@dataclass
class Tally:
    kills: int = 0
    seat_kills: int = 0
    hub_kills: int = 0
    after_commit: int = 0
    during_sync: int = 0
    committed: set[str] = field(default_factory=set)


def _start_hub(data: Path, port: int = 0) -> tuple[Child, int]:
    hub = Child(["tests.e2e.hub_child", "--data", str(data), "--port", str(port)])
    for line in hub.events():
        if line.startswith("listening "):
            return hub, int(line.split()[1])
    pytest.fail(f"the hub did not start: {''.join(hub.err)[-2000:]}")


def _start_seat(url: str, data: Path, seed: int) -> Child:
    return Child(["tests.e2e.kill_child", "--hub", url, "--data", str(data), "--password", PASSWORD,
                  "--seed", str(seed)])


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_kills_of_seat_and_hub_at_chosen_moments_lose_and_double_nothing(tmp_path: Path) -> None:
    from workstation.hub.service import HubService
    from workstation.media.synth import make_clip

    (tmp_path / "clips").mkdir()
    clips = [make_clip(tmp_path / "clips" / f"k{i}.mp4", scene=("walker", "car", "foliage")[i % 3], seed=900 + i,
                       width=96, height=64, fps=10, seconds=1) for i in range(150)]
    service = HubService(tmp_path / "hub", test_only_password_cost=CHEAP_PASSWORDS)
    assert all(r.status == "ok" for r in service.ingest(clips))
    service.add_user("ana", "annotator", PASSWORD)
    hub, port = _start_hub(tmp_path / "hub")
    url = f"http://127.0.0.1:{port}"
    data = tmp_path / "child"
    data.mkdir()
    try:
        first = _start_seat(url, data, 0)
        code = next(line.split()[1] for line in first.events() if line.startswith("pending "))
        first.rest()
        service.approve_device(code)
        tally, hub = _run_rounds(url, data, hub, port)
    finally:
        hub.kill()
    print(f"kill test: {tally.kills} kills ({tally.seat_kills} of the seat, {tally.hub_kills} of the hub), "
          f"{tally.after_commit} right after a commit, {tally.during_sync} during a sync; "
          f"{len(tally.committed)} decisions reported durable")
    assert tally.seat_kills >= ROUNDS // 2 and tally.hub_kills >= ROUNDS // 8
    assert tally.after_commit >= 5, "too few kills landed right after a commit: the test proved little"
    assert tally.during_sync >= 3, "too few kills landed during a sync: the test proved little"
    _check_nothing_lost_or_doubled(data, service, tally)


def _run_rounds(url: str, data: Path, hub: Child, port: int) -> tuple[Tally, Child]:
    rng = random.Random(1234)
    tally = Tally()
    seat = _start_seat(url, data, 1)
    hub_killed_in_sync = False  # did the sync the hub died in fail (the kill landed inside it)?
    for round_ in range(ROUNDS + 1):
        target = "seat" if round_ % 4 else "hub"
        moment = "sync" if rng.random() < 0.5 else "commit"
        skip = rng.randrange(0, 2)  # how many such moments pass before the kill
        killed = False
        for line in seat.events():
            if line.startswith("committed "):
                tally.committed.add(line.split()[1])
            if hub_killed_in_sync and line.startswith(("sent ", "send-failed")):
                hub_killed_in_sync = False
                tally.during_sync += line == "send-failed"
            hit = (moment == "commit" and line.startswith("committed ")) or (moment == "sync" and line == "sending")
            pass_on = line == "done" or round_ >= ROUNDS or not hit  # after enough kills the seat just finishes
            if not pass_on and skip:
                skip -= 1
                pass_on = True
            if pass_on:
                if line.startswith("committed "):
                    seat.go_on()  # not this one: the seat decides on (it waits for the word, however slow we are)
                continue
            if target == "seat":
                seat.kill()
                tally.seat_kills += 1
            else:
                hub.kill()
                hub, _ = _start_hub(data.parent / "hub", port)
                tally.hub_kills += 1
                if line.startswith("committed "):
                    seat.go_on()  # the seat lives on and decides without its hub
            tally.kills += 1
            killed = True
            break
        if not killed:  # the seat finished the shift
            assert "done" in seat.seen, f"the seat stopped without finishing: {''.join(seat.err)[-2000:]}"
            return tally, hub
        if target == "seat":
            rest = seat.rest()  # what it printed before the kill landed
            tally.committed |= {x.split()[1] for x in rest if x.startswith("committed ")}
            if moment == "commit" and not any(x.startswith(("committed ", "sending")) for x in rest):
                tally.after_commit += 1  # nothing happened after that commit: the kill landed right after it
            if moment == "sync" and not any(x.startswith(("sent ", "send-failed")) for x in rest):
                tally.during_sync += 1  # the sync never reported its end: the kill landed inside it
            seat = _start_seat(url, data, round_ + 2)
        else:
            hub_killed_in_sync = moment == "sync"  # told by how that sync ends (the seat retries)
    pytest.fail("the seat never finished the shift")


def _check_nothing_lost_or_doubled(data: Path, service, tally: Tally) -> None:  # type: ignore[no-untyped-def]
    from workstation.labeling.store import LocalStore

    local = sqlite3.connect(data / "ws" / "workstation.sqlite")
    rows = local.execute("SELECT id, clip_id FROM labels").fetchall()
    outbox_pending = local.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0]
    rejected = local.execute("SELECT count(*) FROM outbox WHERE rejected_at IS NOT NULL").fetchone()[0]
    audited = local.execute("SELECT json_extract(data, '$.event_id') FROM audit WHERE kind = 'label'").fetchall()
    local_audit = local.execute("SELECT id FROM audit").fetchall()
    local.close()
    store = LocalStore(data / "ws" / "workstation.sqlite")
    try:
        assert all(b is None for b in store.verify_audit().values()), "the audit chain broke under the kills"
    finally:
        store.close()
    assert sorted(r[0] for r in audited) == sorted(r[0] for r in rows), "a label without its audit event, or back"
    ids = [r[0] for r in rows]
    clips = [r[1] for r in rows]
    assert tally.committed <= set(ids), "a decision reported durable is gone"
    assert len(clips) == len(set(clips)), "a clip was decided twice"
    assert outbox_pending == 0 and rejected == 0
    hub_db = sqlite3.connect(service.data_dir / "hub.db")
    on_hub = [r[0] for r in hub_db.execute("SELECT id FROM labels").fetchall()]
    hub_audit = {r[0] for r in hub_db.execute("SELECT id FROM audit_events").fetchall()}
    hub_db.close()
    assert sorted(on_hub) == sorted(ids), "hub and seat disagree: a decision lost or doubled on the way"
    assert hub_audit == {r[0] for r in local_audit}, "an audit event lost on the way"
    assert all(chain.ok for chain in service.verify_audit()), "the hub's copy of the chain does not verify"
