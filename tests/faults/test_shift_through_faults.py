"""A whole shift through a faulty network: every decision and audit event reaches the hub exactly once.

The seat and the hub are the real ones; between them a proxy (:mod:`tests.faults.proxy`) drops, delays,
truncates, resets and black-holes connections for the whole shift, by a seeded schedule, in both phases —
before the hub saw a request, and after the hub committed it but before its answer arrived. Enrollment,
sign-in, the shift start and every clip download go through it too; when one fails the annotator tries
again, as she would at the app's sign-in page. Labels and audit events go only through the seat's real
:class:`~workstation.session.outbox.OutboxOwner`, running on its own thread as in the app, and through its
last words at sign-out. Mid-shift the annotator signs out and in again (shift shredded here, re-keyed and
fetched again through the faults).

At the end the network heals and she signs out (the final sync); then the hub's database must hold each
label item and each audit event of the seat exactly once, with the content the seat made, the chains must
verify on the hub, and the seat's outbox must be empty with nothing set aside.

Nothing waits a guessed delay: every wait is for a condition, with generous bounds, so a slow machine only
makes the test slower. Time is compressed: the clients time out after 2 s and the owner backs off on that
scale (its own full-jitter function, smaller numbers). ``FAULT_SEED=n`` replays another schedule.
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from tests.faults.conftest import CLIENT_TIMEOUT_S, SEED, FaultyFloor
from tests.faults.proxy import Mix, Plan
from tests.hub_fixtures import PASSWORD
from tests.seat_fixtures import AtSeat
from workstation.labeling.shift import ShiftState
from workstation.session import outbox
from workstation.session.decisions import NotAllowed, ShiftDecisions
from workstation.session.outbox import OutboxOwner, SyncStatus
from workstation.session.signin import SeatSession
from workstation.sync.errors import HubClientError
from workstation.sync.retry import backoff_delay

CLIPS = 40
DEADLINE_S = 240.0
"""The most one step (a sign-in, the final sync) may take before the test calls the seat stuck."""

SHIFT_MIX = Mix(drop=0.05, delay=0.10, truncate=0.05, reset=0.05, blackhole=0.015, response_share=0.5,
                short_delay_s=(0.01, 0.25), long_delay_s=(CLIENT_TIMEOUT_S + 0.3, CLIENT_TIMEOUT_S + 1.2),
                long_delay_share=0.15)
"""About one exchange in four faulted; black holes and long delays (each costs a client timeout) are rare."""

T = TypeVar("T")


def _arm_the_cases_that_matter(floor: FaultyFloor) -> None:
    """On top of the random schedule: each way a request or its answer can be lost, on the calls where it
    matters, at least once (every other batch, so that the outbox also gets some through in between)."""
    arm = floor.proxy.arm
    for n, plan in enumerate((Plan("reset", "response"), Plan("truncate", "response", keep=0.5),
                              Plan("blackhole", "response"), Plan("drop", "response"),
                              Plan("delay", "request", delay_s=CLIENT_TIMEOUT_S + 0.5, long=True),
                              Plan("delay", "response", delay_s=CLIENT_TIMEOUT_S + 0.5, long=True),
                              Plan("reset", "request"))):
        arm("POST", r"/labels/batch$", plan, skip=2 * n)
    for n, plan in enumerate((Plan("truncate", "response", keep=0.9), Plan("drop", "response"),
                              Plan("reset", "response"), Plan("delay", "request", delay_s=CLIENT_TIMEOUT_S + 0.5,
                                                                long=True), Plan("blackhole", "request"))):
        arm("POST", r"/audit/batch$", plan, skip=2 * n)
    arm("POST", r"/devices$", Plan("reset", "response"))  # enrolled on the hub, the seat never heard
    arm("POST", r"/sessions/challenge$", Plan("drop", "request"))
    arm("POST", r"/sessions$", Plan("truncate", "response"))  # a session made, its token lost
    arm("POST", r"/shifts$", Plan("reset", "response"))  # a shift made, its listing lost
    arm("GET", r"/keys$", Plan("drop", "response"))
    arm("GET", r"/clips/", Plan("truncate", "response", keep=0.6))  # a download cut in the middle of the body
    arm("GET", r"/clips/", Plan("blackhole", "response"))
    arm("DELETE", r"/sessions$", Plan("reset", "response"))  # the mid-shift sign-out: ended, never confirmed
    arm("POST", r"/close$", Plan("drop", "response"))


class Annotator:
    """The annotator at her seat: tries again when the hub cannot be reached, as she would."""

    def __init__(self, here: AtSeat) -> None:
        self.here = here
        self.failures: Counter[str] = Counter()
        self.sync_rounds = 0
        self._synced = threading.Condition()
        here.outbox.set_listener(self._heard)  # as the shift window listens to the owner (on its thread)

    def _heard(self, status: SyncStatus) -> None:
        with self._synced:
            self.sync_rounds += 1
            self._synced.notify_all()

    def watch_while_it_syncs(self) -> None:
        """She watches a clip while the owner has a go at the hub: until it reports one more round."""
        with self._synced:
            seen = self.sync_rounds
            assert self._synced.wait_for(lambda: self.sync_rounds > seen, DEADLINE_S), "the outbox owner stalled"

    def until_it_works(self, what: str, step: Callable[[], T]) -> T:
        deadline = time.monotonic() + DEADLINE_S
        while True:
            try:
                return step()
            except HubClientError as exc:
                self.failures[f"{what}: {type(exc).__name__}"] += 1
                assert time.monotonic() < deadline, f"{what} did not work within {DEADLINE_S:.0f} s: {exc.full_text()}"

    def sign_in(self) -> ShiftState:
        state = self.until_it_works("sign-in", lambda: self.here.session.sign_in_to_shift("ana", PASSWORD))
        self.every_clip_opens(state)
        return state

    def every_clip_opens(self, state: ShiftState) -> None:
        """Whatever was cut or retried on the way, each clip still to decide is whole here and its sealed key
        opens with this sign-in's shift key."""
        service = self.here.seat.service
        for clip in state.clips:
            if clip.clip_id in state.decided:
                continue
            reader = service.open_reader(state.shift_id, clip)
            try:
                assert reader.read(64), f"clip {clip.clip_id[:8]} decrypts to nothing"
            finally:
                reader.close()


def _work(seat: Annotator, state: ShiftState, rng: random.Random, budget: int) -> tuple[ShiftDecisions, int]:
    """Decide up to ``budget`` times on the shift as the shift window would (labels, skips, flags, undos), with the
    window's audit events; returns the decisions and how many were made."""
    service = seat.here.seat.service
    decisions = ShiftDecisions(service, state, "ana")
    codes = [label.code for label in state.taxonomy.labels]
    skips = [reason.code for reason in state.taxonomy.skip_reasons]
    flag_reasons = [reason.code for reason in state.taxonomy.flag_reasons]
    index = state.next_undecided(-1) if state.clips else None
    made = 0
    while index is not None and made < budget:
        clip = state.clips[index]
        service.audit(state.shift_id, "clip_shown", clip.clip_id, {}, defer=True)
        timings = {"watched_s": round(rng.uniform(0.5, 2.0), 2), "replays": rng.randrange(2),
                   "active_s": round(rng.uniform(0.5, 3.0), 2)}
        roll = rng.random()
        shown_at = "2026-11-25T10:00:00.000Z"
        if roll < 0.08 and state.taxonomy.flags:
            decided = decisions.decide(index, "flag", state.taxonomy.flags[0].code, rng.choice(flag_reasons),
                                       shown_at=shown_at, timings=timings)
        elif roll < 0.25:
            decided = decisions.decide(index, "skip", "skip", rng.choice(skips), shown_at=shown_at, timings=timings)
        else:
            decided = decisions.decide(index, "label", rng.choice(codes), shown_at=shown_at, timings=timings,
                                       comment="dim" if roll > 0.95 else None)
        service.audit(state.shift_id, "clip_hidden", clip.clip_id, timings, defer=True)
        made += 1
        index = decided.next_index
        if rng.random() < 0.12:  # Ctrl+Z: back to the last decision that can be taken back
            try:
                index = decisions.undo().index
                made += 1
            except NotAllowed:
                pass
        service.flush_audit()  # the window's audit flush timer
        seat.here.outbox.kick()  # as the window does after each decision
        if made % 3 == 0:
            seat.watch_while_it_syncs()
    return decisions, made


def _quick_backoff(attempt: int) -> float:
    """The owner's own backoff (full jitter, doubling), on the scale of the shortened client timeout."""
    return backoff_delay(attempt, base=0.05, cap=CLIENT_TIMEOUT_S / 2)


def test_a_whole_shift_through_a_faulty_network_reaches_the_hub_exactly_once(
        tmp_path: Path, keyring_backend: object, faulty_floor: Callable[[int, Mix], FaultyFloor],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbox, "backoff_delay", _quick_backoff)
    floor = faulty_floor(CLIPS, SHIFT_MIX)
    _arm_the_cases_that_matter(floor)
    store_seat = floor.seat(tmp_path / "ws", key_store="keyring", seat="seat-f", shift_size=CLIPS, min_view_ms=0)
    # small batches, as a seat with a long queue sends several in one round: more of them to lose
    sender = OutboxOwner(store_seat.store, store_seat.make_client(), batch_size=4, audit_batch=8)
    here = AtSeat(store_seat, sender, SeatSession(store_seat, sender))
    seat = Annotator(here)
    rng = random.Random(SEED)
    here.outbox.start()  # as the app: the owner runs from start-up and sends once someone signs in
    try:
        device = seat.until_it_works("enrollment", here.session.check_device)
        if device.status != "approved":
            floor.service.approve_device(device.enrollment_code)
        assert seat.until_it_works("device check", here.session.check_device).status == "approved"

        state = seat.sign_in()
        assert len(state.clips) == CLIPS
        _, made = _work(seat, state, rng, budget=CLIPS // 2)

        # mid-shift she signs out (the shift is shredded here) and in again: re-keyed, fetched again
        here.session.shred(state.shift_id, "sign_out")
        here.session.tell_hub_signed_out()
        again = seat.sign_in()
        assert again.shift_id == state.shift_id
        decisions, more = _work(seat, again, rng, budget=10 * CLIPS)
        made += more
        assert again.done == again.total
        decisions.end()
        try:
            here.session.close_on_hub(state.shift_id)  # as the app when the last clip is decided
        except HubClientError:
            seat.failures["closing the shift (deferred to the next shift start)"] += 1

        # the network heals; she signs out: her decisions and the audit chain go with her session
        floor.proxy.faulty = False
        here.session.tell_hub_signed_out()
    finally:
        here.outbox.stop(timeout=CLIENT_TIMEOUT_S * 3)
    seat_store = store_seat.store
    try:
        report = _report(floor, seat, made)
        print(report)
        assert seat_store.pending_count() == 0, f"decisions left in the outbox\n{report}"
        assert seat_store.rejected_count() == 0, f"decisions set aside as refused\n{report}"
        assert seat_store.unsent_audit_count() == 0, f"audit events not sent\n{report}"
        _assert_exactly_once(floor, store_seat, device.device_id, report)
        _assert_the_faults_struck(floor, report)
    finally:
        store_seat.close()


def _hub_rows(floor: FaultyFloor, sql: str, args: list[object]) -> list[tuple[object, ...]]:
    with sqlite3.connect(floor.service.data_dir / "hub.db") as conn:
        return conn.execute(sql, args).fetchall()


def _assert_exactly_once(floor: FaultyFloor, seat, device_id: str, report: str) -> None:  # type: ignore[no-untyped-def]
    local = {}
    for record in seat.store.shifts():
        for label in seat.store.labels(record.shift_id):
            local[label.id] = label.wire()
    on_hub = _hub_rows(floor, "SELECT id, payload FROM labels WHERE user = 'ana'", [])
    ids = [row[0] for row in on_hub]
    doubled = [i for i, n in Counter(ids).items() if n > 1]
    assert not doubled, f"label items doubled on the hub: {doubled}\n{report}"
    missing = set(local) - set(ids)
    assert not missing, f"label items never reached the hub: {sorted(missing)}\n{report}"
    extra = set(ids) - set(local)
    assert not extra, f"label items on the hub the seat never made: {sorted(extra)}\n{report}"
    for item_id, payload in on_hub:
        assert json.loads(str(payload)) == local[str(item_id)], f"item {item_id} arrived changed\n{report}"
    kinds = Counter(p["kind"] for p in local.values())
    assert kinds["label"] and kinds["skip"] and kinds["retract"], f"the shift lacked a kind of decision: {kinds}"

    events = seat.store.audit_events(device_id)
    hub_events = _hub_rows(floor, "SELECT seq, id, hash FROM audit_events WHERE device_id = ? ORDER BY seq",
                           [device_id])
    assert [str(row[1]) for row in hub_events] == [e["id"] for e in events], \
        f"the hub's audit chain is not the seat's, event for event\n{report}"
    assert [(int(str(row[0])), str(row[2])) for row in hub_events] == [(e["seq"], e["hash"]) for e in events]
    chains = floor.service.verify_audit()
    assert chains and all(chain.ok for chain in chains), [chain.line() for chain in chains]
    started = [e for e in events if e["kind"] == "shift_start"]
    assert len(started) == 1, f"the shift began {len(started)} times on this seat's audit chain\n{report}"


def _assert_the_faults_struck(floor: FaultyFloor, report: str) -> None:
    """The test proved something only if answers were lost after the hub committed, for both kinds of items."""
    log = floor.proxy.exchanges()
    for path in ("/labels/batch", "/audit/batch"):
        lost = sum(1 for e in log if e.path.endswith(path) and e.committed_but_lost)
        assert lost >= 3, f"only {lost} answer(s) to {path} were lost after the hub committed\n{report}"
        before = sum(1 for e in log if e.path.endswith(path) and e.plan.phase == "request" and e.plan.fault != "pass")
        assert before >= 2, f"only {before} request(s) to {path} were lost before the hub saw them\n{report}"
    struck = {e.plan.name for e in log}
    for name in ("drop/request", "drop/response", "truncate/response", "reset/request", "reset/response",
                 "blackhole/request", "blackhole/response", "delay/request", "delay-long/request"):
        assert name in struck, f"no {name} during the shift\n{report}"


def _report(floor: FaultyFloor, seat: Annotator, made: int) -> str:
    log = floor.proxy.exchanges()
    faults = Counter(e.plan.name for e in log if e.plan.fault != "pass")
    committed = Counter(f"{e.method} {_route(e.path)}" for e in log if e.committed_but_lost)
    head = (f"seed {SEED}: {made} decisions, {len(log)} exchanges through the proxy, "
            f"{sum(faults.values())} faulted ({sum(1 for e in log if e.armed)} armed one-shot)")
    routes = Counter(f"{e.method} {_route(e.path)}" for e in log)
    lines = [head, "exchanges: " + ", ".join(f"{k} {v}" for k, v in sorted(routes.items())),
             "faults: " + ", ".join(f"{k} {v}" for k, v in sorted(faults.items())),
             "answers lost after the hub committed: " + ", ".join(f"{k} {v}" for k, v in sorted(committed.items())),
             "the seat's failed attempts: " + ", ".join(f"{k} {v}" for k, v in sorted(seat.failures.items()))]
    return "\n".join(lines)


def _route(path: str) -> str:
    """The route of a request path, ids left out."""
    return "/".join("{id}" if len(part) == 32 else part for part in path.split("?")[0].split("/"))


def test_a_stale_shift_request_landing_after_the_retry_leaves_no_clip_key_this_seat_cannot_open(
        tmp_path: Path, keyring_backend: object, faulty_floor: Callable[[int, Mix], FaultyFloor]) -> None:
    """The first shift request is held in the network past the client's timeout; the annotator signs in again
    and the retry re-keys the shift to a new shift key — then the stale request lands and re-keys it back to
    the first key, whose private half this seat threw away, just before the retry fetches the sealed keys."""
    floor = faulty_floor(4, Mix())
    floor.proxy.arm("POST", r"/shifts$", Plan("delay", "request", delay_s=DEADLINE_S, long=True,
                                              until=("POST", r"/shifts$", 1)))  # lands after the retry's
    floor.proxy.arm("GET", r"/keys$", Plan("delay", "request", delay_s=DEADLINE_S,
                                           until=("POST", r"/shifts$", 2)))  # asked for after the stale one landed
    seat = floor.seat(tmp_path / "ws", key_store="keyring", seat="seat-r", shift_size=4)
    here = AtSeat.open(seat)
    annotator = Annotator(here)
    try:
        here.approve(floor.service)
        state = annotator.sign_in()  # every clip opens with this sign-in's key (checked there)
        assert annotator.failures == {"sign-in: HubUnavailable": 1}
        shifts = [e for e in floor.proxy.exchanges() if e.method == "POST" and e.path.endswith("/shifts")]
        assert [e.status for e in shifts[:2]] == [201, 200] or [e.status for e in shifts[:2]] == [200, 201]
        assert len(state.clips) == 4
    finally:
        seat.close()
