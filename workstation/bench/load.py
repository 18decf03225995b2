"""Load benchmark: N simulated seats (asyncio + httpx) against a floor hub on loopback — ``bench load``.

Owns the simulated seat and the run. Each seat does what a real one does, through the real API and the
request shapes of :mod:`workstation.sync.client`: it enrolls a fresh Ed25519 device key (approved through
:class:`~workstation.hub.service.HubService` in waves, as IT would, since the hub lets 100 wait at once), then —
all seats together, phase by phase — signs in (challenge, device signature, password), starts a shift with a
fresh X25519 key, fetches the sealed keys (each opened, to check them) and downloads every clip's ciphertext
(length and SHA-256 checked), then labels its clips at an annotator's pace and ends: shift end, sign-out.
Labels and audit events travel as :mod:`workstation.session.outbox` sends them — one sender per seat, label
batches of at most 100 and audit batches of at most 200 in chain order, client-made ids, backoff with full
jitter and ``Retry-After`` on failures — and as often: a decision commits the label with its ``clip_hidden``
and ``label`` events and kicks the sender; the next clip's ``clip_shown`` goes 0.3 s later (the window's
audit flush). So per clip: one label POST and two audit POSTs.

Pacing: a decision every ``think_s`` × U(0.5, 1.5) seconds per seat, open loop (the sender lags, batches
grow, decisions go on — as in the app). ``saturate``: no think time and each seat waits for its sender, a
closed loop that finds how many requests a second the hub answers; :func:`run_ramp` steps the seat count
(25, 50, 100, 200) and :func:`knee` names where throughput stops growing.

Each seat speaks from its own loopback address (127.0.x.y) when the hub is on loopback, as seats on a floor
have their own addresses (the hub limits enrollments and sign-in failures per address).

The hub is started in a process of its own (:class:`~workstation.bench.loadhub.HubProcess`; the load users'
passwords have the test-only cheap cost, see there) or is given by URL (several URLs: seats round-robin);
then ``data`` must be the hub's data folder, where users are added and devices approved.
:func:`signin_real_cost` measures sign-in at the hub's real password cost on the product's ``hub serve``.

Figures: per endpoint the count, errors, throughput and p50/p99 latency; per phase the wall time and the CPU
of the hub process and of this one (both share the machine); the aggregate download rate; whether every label
and audit event arrived exactly once (read back from the hub's database). For ``bench --json``:
``hub_sync_p99_ms_200_seats`` (the label POST's p99, 200 seats, realistic pace) and ``shift_download_mb_s``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import collections
import contextlib
import hashlib
import itertools
import json
import os
import random
import ssl
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from workstation.audit import new_event
from workstation.bench.loadhub import LOAD_PASSWORD_COST, HubProcess, stock_clips
from workstation.labeling.store import LabelRecord, utc_now
from workstation.net import is_loopback_host
from workstation.session.outbox import AUDIT_BATCH, BATCH_SIZE
from workstation.sync import client as wire
from workstation.sync.retry import backoff_delay
from workstation.sync.tls import client_verify
from workstation.taxonomy import Taxonomy
from workstation.vault.sealing import generate_shift_keypair, open_clip_key

PASSWORD = "load-seat-password"
PHASES = ("sign-in", "shift", "download", "label", "end")
ARRIVING = ("arrive", "download", "label", "end")
"""The phases when seats arrive spread over a while (``arrive_s``): each signs in and starts its shift then."""
AUDIT_FLUSH_S = 0.3
"""The window writes and sends a shown clip's audit event this long after it shows (ui.controller)."""
MAX_ATTEMPTS = 8
ENROLL_WAVE = 50
"""Seats enrolled and approved at a time (the hub lets at most 100 devices wait for approval)."""
TIMEOUT_S = 10.0
"""As the app's hub client."""


class LoadFailure(Exception):
    """A seat could not go on (the hub refused it, or did not answer after every retry)."""


@dataclass(frozen=True)
class LoadSpec:
    seats: int = 200
    shift_size: int = 150
    """Clips in each seat's shift (the hub seals every one's key)."""
    clips: int = 10
    """Clips of its shift each seat labels …"""
    downloads: int | None = None
    """… and downloads first (default: those it labels; 200 whole shifts of 150 would be 60 GB to move)."""
    clip_bytes: int = 5 * 2**20
    """Clips are 20–30 s; as H.264 at 720p to 1080p that is about 5 to 30 MB."""
    think_s: float = 3.0
    """Mean seconds between one seat's decisions (each is U(0.5, 1.5) × this)."""
    saturate: bool = False
    """No think time, and each seat waits for its sync before the next decision (closed loop)."""
    urls: tuple[str, ...] = ()
    """Hubs already running (seats round-robin); empty: start ``hubs`` on a fresh data folder."""
    hubs: int = 1
    """How many hub processes to start on the one data folder and database (seats round-robin over them)."""
    data: Path | None = None
    """The hub's data folder (required with ``urls``; else a fresh temporary one) …"""
    work: Path | None = None
    """… made in this folder (default: the system's temporary folder; ``/dev/shm`` takes the disk out)."""
    ca: Path | None = None
    """The floor CA's certificate, for hubs given by ``https://`` URL."""
    profile: Path | None = None
    """Write the started hub's CPU profile here (:data:`~workstation.bench.loadhub.PROFILE_ENV`) …"""
    sample: Path | None = None
    """… and its threads' sampled stacks here (:data:`~workstation.bench.loadhub.SAMPLE_ENV`)."""
    own_addresses: bool = True
    """Each seat connects from its own loopback address (127.0.x.y), when the hub is on loopback."""
    arrive_s: float = 0.0
    """Seats sign in and start their shifts spread evenly over this many seconds (0: all at once, the worst case;
    a floor's shift change takes minutes)."""
    seed: int = 1

    @property
    def think(self) -> float:
        return 0.0 if self.saturate else self.think_s

    @property
    def phases(self) -> tuple[str, ...]:
        return ARRIVING if self.arrive_s > 0 else PHASES


# --------------------------------------------------------------------------- what is recorded


@dataclass
class Recorder:
    samples: list[tuple[str, str, float, float, int, int]] = field(default_factory=list)
    """(endpoint, phase, start, end, HTTP status or 0 for no answer, bytes received)."""

    def add(self, endpoint: str, phase: str, start: float, status: int, nbytes: int = 0) -> None:
        self.samples.append((endpoint, phase, start, time.perf_counter(), status, nbytes))


def percentile(values: Sequence[float], q: float) -> float:
    from workstation.bench.measure import percentile as p

    return p(list(values), q)


@dataclass(frozen=True)
class EndpointStats:
    endpoint: str
    count: int
    """Answers with a 2xx status."""
    errors: int
    """Answers with another status, or none (each retried)."""
    per_s: float
    """Answers a second over the time the endpoint was in use."""
    p50_ms: float
    p99_ms: float
    max_ms: float
    mb: float
    error_kinds: str = ""
    """The errors by HTTP status (0: no answer, e.g. a timeout or a refused connection): ``"0×3 503×1"``."""


@dataclass(frozen=True)
class PhaseStats:
    phase: str
    wall_s: float
    hub_cpu_pct: float
    """Of one core (200 % = both cores of this machine); summed over the hub processes."""
    load_cpu_pct: float
    """This process's, the simulated seats'."""
    requests: int
    per_s: float
    hub_cpu_ms_per_request: float


def endpoint_stats(samples: Sequence[tuple[str, str, float, float, int, int]],
                   phase: str | None = None) -> list[EndpointStats]:
    by: dict[str, list[tuple[str, str, float, float, int, int]]] = {}
    for sample in samples:
        if phase is None or sample[1] == phase:
            by.setdefault(sample[0], []).append(sample)
    out = []
    for endpoint, rows in by.items():
        ok = [r for r in rows if 200 <= r[4] < 300]
        ms = [(r[3] - r[2]) * 1000 for r in ok]
        span = max(r[3] for r in rows) - min(r[2] for r in rows)
        kinds = collections.Counter(r[4] for r in rows if not 200 <= r[4] < 300)
        out.append(EndpointStats(endpoint, len(ok), len(rows) - len(ok), len(ok) / span if span > 0 else 0.0,
                                 round(percentile(ms, 0.5), 2) if ms else float("nan"),
                                 round(percentile(ms, 0.99), 2) if ms else float("nan"),
                                 round(max(ms), 2) if ms else float("nan"), sum(r[5] for r in ok) / 1e6,
                                 " ".join(f"{code}×{n}" for code, n in sorted(kinds.items()))))
    return sorted(out, key=lambda s: ENDPOINT_ORDER.get(s.endpoint, 99))


ENDPOINT_ORDER = {name: i for i, name in enumerate((
    "POST /devices", "GET /devices/{id}", "POST /sessions/challenge", "POST /sessions", "POST /shifts",
    "GET /shifts/{id}/keys", "GET /shifts/{id}/clips/{id}", "POST /labels/batch", "POST /audit/batch",
    "GET /audit/head", "GET /shifts/{id}", "POST /shifts/{id}/close", "DELETE /sessions"))}
SEAT_ENDPOINTS = tuple(ENDPOINT_ORDER)
"""Every endpoint a simulated seat uses (a report of a whole run has each)."""


# --------------------------------------------------------------------------- one simulated seat


class Seat:
    """One workstation: its device key, session, shift, outbox and audit chain."""

    def __init__(self, index: int, user: str, http: httpx.AsyncClient, rec: Recorder, spec: LoadSpec) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        self.index = index
        self.user = user
        self.http = http
        self.rec = rec
        self.spec = spec
        self.rng = random.Random(spec.seed * 100_003 + index)
        key = Ed25519PrivateKey.generate()
        raw = serialization.Encoding.Raw
        self.device_private = key.private_bytes(raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
        self.device_public = key.public_key().public_bytes(raw, serialization.PublicFormat.Raw)
        self.device_id = ""
        self.code = ""
        self.phase = "enroll"
        self.token: str | None = None
        self.shift_id = ""
        self.clips: list[dict[str, Any]] = []
        self.shift_clips = 0
        self.fetch: list[dict[str, Any]] = []
        self.labels: tuple[str, ...] = ()
        self.last_event: dict[str, Any] | None = None
        self.pending_labels: list[dict[str, Any]] = []
        self.unsent_audit: list[dict[str, Any]] = []
        self.made_labels: list[str] = []
        self.made_audit: list[str] = []
        self.duplicates = 0
        self.rejected = 0
        self.downloaded = 0
        self.failure: str | None = None
        self.send_failure = ""
        self.sender: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._settled = asyncio.Event()

    # -- requests

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def call(self, endpoint: str, method: str, path: str, *, body: Any = None, auth: bool = True,
                   retry_4xx: bool = False) -> httpx.Response:
        """One request, retried as the app retries (no answer, 429/503 with Retry-After, 5xx); a refusal raises."""
        attempt = 0
        while True:
            start = time.perf_counter()
            try:
                response = await self.http.request(method, path, json=body, headers=self._auth() if auth else None)
            except httpx.TransportError as exc:
                self.rec.add(endpoint, self.phase, start, 0)
                why = f"{type(exc).__name__}: {exc}"
            else:
                self.rec.add(endpoint, self.phase, start, response.status_code, len(response.content))
                code = response.status_code
                if 200 <= code < 300:
                    return response
                why = f"{code} {response.text[:200]}"
                if 400 <= code < 500 and code not in (429, 503) and not retry_4xx:
                    raise LoadFailure(f"seat {self.index}: {endpoint} refused: {why}")
                wait = wire.parse_retry_after(response.headers.get("Retry-After"))
                if wait is not None:
                    await asyncio.sleep(min(wait, 30.0))
            attempt += 1
            if attempt >= MAX_ATTEMPTS:
                raise LoadFailure(f"seat {self.index}: {endpoint} failed {attempt} times, last: {why}")
            await asyncio.sleep(backoff_delay(attempt))

    # -- enrollment, sign-in, shift, download

    async def enroll(self) -> None:
        body = wire.enroll_body(self.device_public, f"load seat {self.index}")
        answer = (await self.call("POST /devices", "POST", "/devices", body=body, auth=False)).json()
        self.device_id, self.code = answer["device_id"], answer["enrollment_code"]

    async def check_approved(self) -> None:
        answer = (await self.call("GET /devices/{id}", "GET", f"/devices/{self.device_id}", auth=False)).json()
        if answer["status"] != "approved":
            raise LoadFailure(f"seat {self.index}: device still {answer['status']}")

    async def sign_in(self) -> None:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            challenge = (await self.call("POST /sessions/challenge", "POST", "/sessions/challenge",
                                         body={"device_id": self.device_id}, auth=False)).json()
            nonce = base64.b64decode(challenge["nonce"])
            body = wire.signin_body(self.user, PASSWORD, self.device_id, nonce, self.device_private)
            try:  # a 401 after a lost answer: the nonce was used; a fresh challenge, as the app's sign-in retry
                answer = (await self.call("POST /sessions", "POST", "/sessions", body=body, auth=False)).json()
            except LoadFailure:
                if attempt == MAX_ATTEMPTS:
                    raise
                await asyncio.sleep(backoff_delay(attempt))
                continue
            self.token = answer["token"]
            self.audit("sign_in", data={"offline": False, "role": answer["user"]["role"]})
            return

    async def start_shift(self) -> None:
        private, public = generate_shift_keypair()
        answer = (await self.call("POST /shifts", "POST", "/shifts",
                                  body=wire.shift_body(public, self.spec.shift_size))).json()
        self.shift_id = answer["shift_id"]
        self.shift_clips = len(answer["clips"])
        self.clips = answer["clips"][:self.spec.clips]
        self.fetch = answer["clips"][:self.spec.clips if self.spec.downloads is None else self.spec.downloads]
        self.labels = tuple(label.code for label in Taxonomy.from_dict(answer["taxonomy"]).labels)
        keys = (await self.call("GET /shifts/{id}/keys", "GET", wire.shift_path(self.shift_id, "keys"))).json()
        for clip in self.fetch:  # the seat keeps them sealed; opening those it downloads checks them
            open_clip_key(base64.b64decode(keys["keys"][clip["clip_id"]]), private, self.shift_id, clip["clip_id"])
        self.audit("shift_start", data={"clips": self.shift_clips})

    async def download(self) -> None:
        for clip in self.fetch:
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    self.downloaded += await self._download_one(clip)
                    break
                except (httpx.TransportError, LoadFailure) as exc:
                    if attempt == MAX_ATTEMPTS:
                        raise LoadFailure(f"seat {self.index}: clip download failed: {exc}") from None
                    await asyncio.sleep(backoff_delay(attempt))

    async def _download_one(self, clip: dict[str, Any]) -> int:
        endpoint = "GET /shifts/{id}/clips/{id}"
        start = time.perf_counter()
        digest, done = hashlib.sha256(), 0
        try:
            async with self.http.stream("GET", wire.clip_path(self.shift_id, clip["clip_id"]),
                                        headers=self._auth()) as response:
                if response.status_code != 200:
                    await response.aread()
                    self.rec.add(endpoint, self.phase, start, response.status_code)
                    raise LoadFailure(f"{response.status_code} {response.text[:200]}")
                async for chunk in response.aiter_raw(wire.DOWNLOAD_CHUNK):
                    digest.update(chunk)
                    done += len(chunk)
        except httpx.TransportError:
            self.rec.add(endpoint, self.phase, start, 0, done)
            raise
        if done != clip["size"] or digest.hexdigest() != clip["sha256"]:
            self.rec.add(endpoint, self.phase, start, 0, done)
            raise LoadFailure(f"clip {clip['clip_id'][:8]}: {done} bytes or SHA-256 differ from the listing")
        self.rec.add(endpoint, self.phase, start, 200, done)
        return done

    # -- labeling and the outbox

    def audit(self, kind: str, clip_id: str | None = None, data: dict[str, Any] | None = None) -> None:
        event = new_event(self.last_event, kind=kind, device_id=self.device_id, user=self.user,
                          shift_id=self.shift_id or None, clip_id=clip_id, data=data)
        self.last_event = event
        self.unsent_audit.append(event)
        self.made_audit.append(event["id"])

    def decide(self, clip_id: str, shown_at: str, watched: float) -> None:
        """A label committed with its clip's ``clip_hidden`` and ``label`` events (one local transaction)."""
        timings = {"watched_s": round(watched, 2), "replays": 0, "active_s": round(watched, 2)}
        record = LabelRecord(id=str(uuid.uuid4()), shift_id=self.shift_id, clip_id=clip_id,
                             label=self.rng.choice(self.labels), shown_at=shown_at, decided_at=utc_now(),
                             comment=None, timings=timings)
        self.pending_labels.append(record.wire())
        self.made_labels.append(record.id)
        self.audit("clip_hidden", clip_id, dict(timings))
        self.audit("label", clip_id, {"event_id": record.id, "label": record.label, **timings})

    def kick(self) -> None:
        self._settled.clear()
        self._wake.set()

    async def drain(self) -> None:
        """Until the sender has sent everything made so far."""
        while self.pending_labels or self.unsent_audit:
            if self.sender is None or self.sender.done():
                raise LoadFailure(f"seat {self.index}: its sender gave up: {self.send_failure}")
            self.kick()
            await self._settled.wait()

    async def _sender(self) -> None:
        """The outbox owner: on each kick, every pending label (batches of 100), then the audit chain (200).

        A send that fails (after its own retries) is tried again after a backoff, three times in all."""
        attempt = 0
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self._send()
                attempt = 0
            except LoadFailure as exc:
                self.send_failure = str(exc)
                attempt += 1
                if attempt >= 3:
                    self._settled.set()
                    return
                await asyncio.sleep(backoff_delay(attempt))
                self._wake.set()
                continue
            if not self._wake.is_set():
                self._settled.set()

    async def _send(self) -> None:
        while self.pending_labels:
            batch = self.pending_labels[:BATCH_SIZE]
            answer = (await self.call("POST /labels/batch", "POST", "/labels/batch",
                                      body=wire.label_batch_body(batch))).json()
            done = set(answer["accepted"]) | set(answer["duplicates"])
            self.duplicates += len(answer["duplicates"])
            self.rejected += len(answer.get("rejected", []))
            refused = {r["id"] for r in answer.get("rejected", [])}
            self.pending_labels = [item for item in self.pending_labels if item["id"] not in done | refused]
        while self.unsent_audit:
            batch = self.unsent_audit[:AUDIT_BATCH]
            answer = (await self.call("POST /audit/batch", "POST", "/audit/batch",
                                      body=wire.audit_batch_body(batch))).json()
            done = set(answer["accepted"]) | set(answer["duplicates"])
            self.duplicates += len(answer["duplicates"])
            if not done:
                raise LoadFailure(f"seat {self.index}: the hub acknowledged none of {len(batch)} audit events")
            self.unsent_audit = [e for e in self.unsent_audit if e["id"] not in done]

    async def label(self) -> None:
        self.sender = asyncio.create_task(self._sender())
        think = self.spec.think
        await asyncio.sleep(self.rng.uniform(0, think))  # seats do not start their clips in step
        for clip in self.clips:
            clip_id = clip["clip_id"]
            shown, shown_at = time.monotonic(), utc_now()
            self.audit("clip_shown", clip_id)
            wait = think * self.rng.uniform(0.5, 1.5)
            await asyncio.sleep(min(AUDIT_FLUSH_S, wait))
            self.kick()
            if not think:
                await self.drain()
            await asyncio.sleep(max(0.0, wait - AUDIT_FLUSH_S))
            self.decide(clip_id, shown_at, time.monotonic() - shown)
            self.kick()
            if not think:
                await self.drain()

    async def end(self) -> None:
        """Shift end and sign-out, as the app: events and labels sent with the session, the hub checked, closed."""
        self.audit("shift_end", data={"decided": len(self.made_labels)})
        self.audit("sign_out", data={"why": "shift_end"})
        await self.drain()
        if self.sender is not None:
            self.sender.cancel()
        head = (await self.call("GET /audit/head", "GET", "/audit/head")).json()
        assert self.last_event is not None
        if (head["seq"], head["hash"]) != (self.last_event["seq"], self.last_event["hash"]):
            raise LoadFailure(f"seat {self.index}: the hub's audit head is {head['seq']}, the seat's "
                              f"{self.last_event['seq']}")
        state = (await self.call("GET /shifts/{id}", "GET", wire.shift_path(self.shift_id))).json()
        if state["labeled"] != len(self.made_labels):
            raise LoadFailure(f"seat {self.index}: the hub counts {state['labeled']} of {len(self.clips)} labeled")
        await self.call("POST /shifts/{id}/close", "POST", wire.shift_path(self.shift_id, "close"))
        await self.call("DELETE /sessions", "DELETE", "/sessions")
        self.token = None

    async def arrive(self) -> None:
        """At its time within ``arrive_s``: sign in, then start the shift."""
        await asyncio.sleep(self.spec.arrive_s * self.index / max(1, self.spec.seats))
        await self.sign_in()
        await self.start_shift()

    async def run(self, barrier: asyncio.Barrier) -> None:
        steps = {"sign-in": self.sign_in, "shift": self.start_shift, "arrive": self.arrive, "download": self.download,
                 "label": self.label, "end": self.end}
        for phase in self.spec.phases:
            await barrier.wait()
            self.phase = phase
            if self.failure is None:
                try:
                    await steps[phase]()
                except LoadFailure as exc:
                    self.failure = str(exc)
                except Exception as exc:  # a bug or an odd answer: this seat stops, the others go on  # noqa: BLE001
                    self.failure = f"seat {self.index}: {phase}: {type(exc).__name__}: {exc}"
        if self.sender is not None:
            self.sender.cancel()
        await barrier.wait()


# --------------------------------------------------------------------------- a run


@dataclass
class LoadReport:
    seats: int
    shift_size: int
    clips: int
    clip_mb: float
    think_s: float
    saturate: bool
    arrive_s: float
    hubs: int
    endpoints: list[EndpointStats]
    phases: list[PhaseStats]
    download_mb_s: float
    labels_made: int
    """By the seats that finished (one that gave up keeps what it did not send, as the app would) …"""
    labels_on_hub: int | None
    """Of the labels made, how many the hub's database holds (each id once: it is the key; None: not read) …"""
    labels_by_seats: int | None
    """… and how many rows the hub holds of these seats' users at all (more: something arrived twice)."""
    audit_made: int
    audit_on_hub: int | None
    audit_by_seats: int | None
    duplicates: int
    """Items the hub answered as already held (a retry after a lost answer): stored once all the same."""
    rejected: int
    failed_seats: list[str]
    hub_rss_mb: float | None
    disk_commit_ms: tuple[float, float] = (float("nan"), float("nan"))
    """A WAL commit's (p50, p99) in the hub's folder just before the run (:func:`commit_probe`)."""
    load_average: tuple[float, float] = (float("nan"), float("nan"))
    """The machine's 1-minute load average before and after the run (other work on the same cores)."""
    downloads: int = 0
    notes: list[str] = field(default_factory=list)
    label_phase: list[EndpointStats] = field(default_factory=list)

    def endpoint(self, name: str, label_phase: bool = False) -> EndpointStats | None:
        return next((e for e in (self.label_phase if label_phase else self.endpoints) if e.endpoint == name), None)

    @property
    def sync_p99_ms(self) -> float:
        stats = self.endpoint("POST /labels/batch", label_phase=True)
        return stats.p99_ms if stats else float("nan")

    @property
    def exactly_once(self) -> bool:
        """Every label and audit event made is on the hub, once, and nothing else of these seats is."""
        return (self.labels_on_hub == self.labels_by_seats == self.labels_made
                and self.audit_on_hub == self.audit_by_seats == self.audit_made)

    def phase(self, name: str) -> PhaseStats | None:
        return next((p for p in self.phases if p.phase == name), None)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["sync_p99_ms"] = self.sync_p99_ms
        out["exactly_once"] = self.exactly_once
        return out

    def text(self) -> str:
        pace = "saturate (no think time, closed loop)" if self.saturate else f"a decision every ~{self.think_s:g} s"
        if self.arrive_s:
            pace += f", arriving over {self.arrive_s:g} s"
        lines = [(f"{self.seats} seats, shifts of {self.shift_size} clips, {self.downloads} of them downloaded "
                  f"({self.clip_mb:g} MB each) and {self.clips} labeled, {pace}, {self.hubs} hub process(es)"),
                 "", (f"{'endpoint':28} {'count':>7} {'errors':>6} {'per s':>8} {'p50 ms':>8} {'p99 ms':>8} "
                 f"{'max ms':>8}")]
        for title, rows in (("whole run", self.endpoints), ("label phase only", self.label_phase)):
            lines.append(f"-- {title}")
            lines += [f"{e.endpoint:28} {e.count:7d} {e.errors:6d} {e.per_s:8.1f} {e.p50_ms:8.1f} {e.p99_ms:8.1f} "
                      f"{e.max_ms:8.1f}{'  errors: ' + e.error_kinds if e.error_kinds else ''}" for e in rows]
        lines += ["", (f"{'phase':10} {'wall s':>8} {'requests':>9} {'per s':>8} {'hub CPU %':>10} "
                      f"{'ms/request':>11} {'seats CPU %':>12}")]
        lines += [f"{p.phase:10} {p.wall_s:8.2f} {p.requests:9d} {p.per_s:8.1f} {p.hub_cpu_pct:10.0f} "
                  f"{p.hub_cpu_ms_per_request:11.2f} {p.load_cpu_pct:12.0f}" for p in self.phases]
        def on_hub(n: int | None) -> str:
            return "?" if n is None else str(n)

        lines += ["", f"download: {self.download_mb_s:.0f} MB/s aggregate (ciphertext, all seats at once)",
                  (f"disk: a WAL commit (synchronous=FULL) in the hub's folder before the run: p50 "
                   f"{self.disk_commit_ms[0]:.2f} ms, p99 {self.disk_commit_ms[1]:.2f} ms; machine load average "
                   f"{self.load_average[0]:g} before, {self.load_average[1]:g} after (2 cores)"),
                  (f"labels: {self.labels_made} made, {on_hub(self.labels_on_hub)} of them on the hub, "
                   f"{on_hub(self.labels_by_seats)} rows of these seats there; audit events: {self.audit_made} made, "
                   f"{on_hub(self.audit_on_hub)} on the hub, {on_hub(self.audit_by_seats)} rows; "
                   f"{'exactly once' if self.exactly_once else 'NOT exactly once'}; answered as duplicates "
                   f"(retries): {self.duplicates}; rejected: {self.rejected}")]
        if self.hub_rss_mb is not None:
            lines.append(f"hub memory (RSS) at the end: {self.hub_rss_mb:.0f} MB")
        lines += [f"FAILED seat: {f}" for f in self.failed_seats[:10]]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def _local_address(index: int) -> str:
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


def _verify(urls: Sequence[str], ca: Path | None) -> dict[str, ssl.SSLContext]:
    """One TLS context per hub, shared by its seats (each seat's own would read the CA file again: 24 ms each), made
    as the app makes it (an ``https://`` hub needs ``ca``, the floor CA)."""
    return {url: client_verify(url, ca if ca is not None else True) for url in set(urls)}


def _client(url: str, index: int, spec: LoadSpec, verify: ssl.SSLContext) -> httpx.AsyncClient:
    host = urlsplit(url).hostname or ""
    own = spec.own_addresses and is_loopback_host(host) and sys.platform.startswith("linux")
    transport = httpx.AsyncHTTPTransport(verify=verify, local_address=_local_address(index) if own else None,
                                         retries=0)
    return httpx.AsyncClient(base_url=url.rstrip("/") + wire.API_PREFIX, transport=transport, timeout=TIMEOUT_S,
                             follow_redirects=False, trust_env=False, headers={"User-Agent": "floor-load-seat"})


SEAT_READ_BYTES = 2**20


@contextmanager
def _seat_reads(size: int = SEAT_READ_BYTES) -> Iterator[None]:
    """The simulated seats read the hub's answers ``size`` bytes at a time (httpcore reads 64 KiB). 200 seats share
    this one process where a floor has 200 machines, and at 64 KiB a read this process, not the hub, limited the
    aggregate download (139 MB/s; 209 MB/s at 1 MiB, the hub unchanged). What goes over the wire is the same."""
    from httpcore._async.http11 import AsyncHTTP11Connection

    before = AsyncHTTP11Connection.READ_NUM_BYTES
    AsyncHTTP11Connection.READ_NUM_BYTES = size
    try:
        yield
    finally:
        AsyncHTTP11Connection.READ_NUM_BYTES = before


def _loadavg() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:  # not on this system
        return float("nan")


def _cpu_s() -> float:
    times = os.times()
    return times.user + times.system


async def _drive(seats: list[Seat], approve: Any, cpu: Any) -> list[tuple[str, float, float, float]]:
    """Enroll in waves, then run the phases; returns (phase, wall s, hub CPU s, own CPU s) per phase."""
    for first in range(0, len(seats), ENROLL_WAVE):
        wave = seats[first:first + ENROLL_WAVE]
        await asyncio.gather(*(seat.enroll() for seat in wave))
        approve([seat.code for seat in wave])
        await asyncio.gather(*(seat.check_approved() for seat in wave))
    barrier = asyncio.Barrier(len(seats) + 1)
    runs = [asyncio.create_task(seat.run(barrier)) for seat in seats]
    marks = []
    for phase in seats[0].spec.phases:
        await barrier.wait()
        marks.append((phase, time.perf_counter(), cpu(), _cpu_s()))
    await barrier.wait()
    marks.append(("", time.perf_counter(), cpu(), _cpu_s()))
    await asyncio.gather(*runs)
    return [(a[0], b[1] - a[1], b[2] - a[2], b[3] - a[3]) for a, b in itertools.pairwise(marks)]


def run_load(spec: LoadSpec, *, log: Any = None) -> LoadReport:
    """One run: a hub (started, or ``spec.urls``), its users and clips, the seats through every phase."""
    say = log or (lambda msg: None)
    with tempfile.TemporaryDirectory(prefix="ws-load-", dir=spec.work) as tmp:
        data = spec.data or Path(tmp) / "hub"
        if spec.urls and spec.data is None:
            raise ValueError("a hub given by URL needs its data folder (data), to add users and approve seats")
        from workstation.hub.service import HubService

        service = HubService(data, test_only_password_cost=LOAD_PASSWORD_COST)
        tag = uuid.uuid4().hex[:6]
        users = [f"load-{tag}-{i:03d}" for i in range(spec.seats)]
        say(f"load: {spec.seats} users, {spec.seats * spec.shift_size} clips of {spec.clip_bytes / 1e6:g} MB …")
        for user in users:
            service.add_user(user, "annotator", PASSWORD)
        stock_clips(data, spec.seats * spec.shift_size, spec.clip_bytes)
        hub = None if spec.urls else _Hubs([HubProcess(data, profile=spec.profile if n == 0 else None,
                                                       sample=spec.sample if n == 0 else None)
                                            for n in range(max(1, spec.hubs))])
        try:
            urls = list(spec.urls) or hub.base_urls  # type: ignore[union-attr]
            notes = [] if hub is not None else [("users were made with the test-only cheap password cost; a hub that "
                                                "does not share it hashes each again at its real cost on the first "
                                                "sign-in")]
            say(f"load: {spec.seats} seats against {', '.join(urls)} …")
            with _seat_reads():
                report = asyncio.run(_run(spec, users, urls, service, hub, notes))
            if report.failed_seats and hub is not None:  # what the hubs said about it, for whoever reads the run
                for n, process in enumerate(hub.processes):
                    say(f"load: the end of hub process {n}'s log:\n{process.log_tail(6000)}")
            return report
        finally:
            if hub is not None:
                hub.stop()


class _Hubs:
    """The hub processes a run started: their CPU and memory summed."""

    def __init__(self, processes: list[HubProcess]) -> None:
        self.processes = processes
        self.base_urls = [p.base_url for p in processes]

    def cpu_s(self) -> float:
        return sum(p.cpu_s() for p in self.processes)

    def rss_mb(self) -> float:
        return sum(p.rss_mb() for p in self.processes)

    def stop(self) -> None:
        for p in self.processes:
            p.stop()


async def _run(spec: LoadSpec, users: list[str], urls: list[str], service: Any, hub: _Hubs | None,
               notes: list[str]) -> LoadReport:
    rec = Recorder()
    verify = _verify(urls, spec.ca)
    clients = [_client(urls[i % len(urls)], i, spec, verify[urls[i % len(urls)]]) for i in range(spec.seats)]
    seats = [Seat(i, user, clients[i], rec, spec) for i, user in enumerate(users)]

    def approve(codes: list[str]) -> None:
        for code in codes:
            service.approve_device(code)

    def hub_cpu() -> float:
        return hub.cpu_s() if hub is not None else 0.0

    loadavg = _loadavg()
    try:
        disk = commit_probe(Path(service.data_dir).parent)  # beside the hub's folder, on its disk
    except OSError:
        disk = (float("nan"), float("nan"))
    try:
        marks = await _drive(seats, approve, hub_cpu)
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    phases = []
    for name, wall, hub_s, own_s in marks:
        requests = sum(1 for s in rec.samples if s[1] == name)
        phases.append(PhaseStats(name, round(wall, 3), round(100 * hub_s / wall, 1) if hub else float("nan"),
                                 round(100 * own_s / wall, 1), requests, round(requests / wall, 1),
                                 round(1000 * hub_s / requests, 2) if hub and requests else float("nan")))
    download = next(p for p in phases if p.phase == "download")
    done = [s for s in seats if s.failure is None]  # a seat that gave up keeps what it did not send (the app would)
    labels = [i for s in done for i in s.made_labels]
    audit = [i for s in done for i in s.made_audit]
    on_hub = _held(service, labels, audit, [s.user for s in done], [s.device_id for s in done])
    if hub is None:
        notes.append("hub CPU is not measured for a hub given by URL")
    return LoadReport(
        seats=spec.seats, shift_size=spec.shift_size, clips=spec.clips, clip_mb=round(spec.clip_bytes / 1e6, 3), think_s=spec.think,
        saturate=spec.saturate, arrive_s=spec.arrive_s, hubs=len(urls), endpoints=endpoint_stats(rec.samples),
        phases=phases, download_mb_s=round(sum(s.downloaded for s in seats) / 1e6 / download.wall_s, 1),
        labels_made=len(labels), labels_on_hub=on_hub[0], labels_by_seats=on_hub[1], audit_made=len(audit),
        audit_on_hub=on_hub[2], audit_by_seats=on_hub[3], disk_commit_ms=disk,
        load_average=(loadavg, _loadavg()), downloads=len(seats[0].fetch) if seats else 0,
        duplicates=sum(s.duplicates for s in seats), rejected=sum(s.rejected for s in seats),
        failed_seats=[s.failure for s in seats if s.failure], hub_rss_mb=round(hub.rss_mb(), 1) if hub else None,
        notes=notes, label_phase=endpoint_stats(rec.samples, "label"))


def _held(service: Any, labels: list[str], audit: list[str], users: list[str],
          devices: list[str]) -> tuple[int, int, int, int]:
    """(labels made that the hub holds, its label rows of these users, audit events made that it holds, its audit
    rows of these devices), read from the hub's database."""
    db = service.home.connect()

    def count(table: str, column: str, values: list[str]) -> int:
        n = 0
        for first in range(0, len(values), 500):
            chunk = values[first:first + 500]
            n += db.execute(f"SELECT count(*) FROM {table} WHERE {column} IN ({', '.join('?' * len(chunk))})",
                            chunk).fetchone()[0]
        return n

    try:
        return (count("labels", "id", labels), count("labels", "user", users), count("audit_events", "id", audit),
                count("audit_events", "device_id", devices))
    finally:
        db.close()


def commit_probe(folder: Path, n: int = 200) -> tuple[float, float]:
    """(p50, p99) ms of a one-row WAL commit with ``synchronous=FULL`` in ``folder``: what the disk's fsync costs
    now (the hub's writers take turns, each commit one fsync; on a shared machine it varies a lot)."""
    import sqlite3

    with tempfile.TemporaryDirectory(prefix="ws-commit-", dir=folder) as tmp:
        conn = sqlite3.connect(Path(tmp) / "probe.db", isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("CREATE TABLE t (a)")
            times = []
            for i in range(n):
                start = time.perf_counter()
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO t VALUES (?)", [i])
                conn.execute("COMMIT")
                times.append((time.perf_counter() - start) * 1000)
        finally:
            conn.close()
    return round(percentile(times, 0.5), 2), round(percentile(times, 0.99), 2)


# --------------------------------------------------------------------------- the ramp and its knee


def run_ramp(spec: LoadSpec, seat_counts: Sequence[int], *, log: Any = None) -> list[LoadReport]:
    """One run per seat count, each on a fresh hub (or the given ones, with new users)."""
    reports = []
    for n in seat_counts:
        report = run_load(replace(spec, seats=n), log=log)
        if log:
            log(f"load: {n} seats: label phase {_label_rate(report):.0f} sync requests/s, label POST p99 "
                f"{report.sync_p99_ms:.1f} ms")
        reports.append(report)
    return reports


def _label_rate(report: LoadReport) -> float:
    phase = report.phase("label")
    return phase.per_s if phase else float("nan")


def knee(reports: Sequence[LoadReport], *, growth: float = 1.15) -> str:
    """Where throughput stops growing with more seats: the first step that adds less than 15 %."""
    rows = [(r.seats, _label_rate(r), r.sync_p99_ms) for r in reports]
    for (n0, t0, p0), (n1, t1, p1) in itertools.pairwise(rows):
        if t1 < t0 * growth:
            return (f"saturates between {n0} and {n1} seats: {t0:.0f} → {t1:.0f} sync requests/s while the label "
                    f"POST p99 goes {p0:.0f} → {p1:.0f} ms")
    last = rows[-1]
    return f"no knee up to {last[0]} seats ({last[1]:.0f} sync requests/s, label POST p99 {last[2]:.0f} ms)"


# --------------------------------------------------------------------------- sign-in at the real cost


def signin_real_cost(seats: int = 16, *, log: Any = None) -> dict[str, float]:
    """``seats`` sign in at once on the product's ``hub serve`` with users hashed at the real cost."""
    from concurrent.futures import ThreadPoolExecutor

    from workstation.hub.service import HubService

    say = log or (lambda msg: None)
    with tempfile.TemporaryDirectory(prefix="ws-load-signin-") as tmp:
        data = Path(tmp) / "hub"
        service = HubService(data)  # the real cost
        users = [f"signin-{i:03d}" for i in range(seats)]
        say(f"load: {seats} users at the real password cost …")
        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            list(pool.map(lambda u: service.add_user(u, "annotator", PASSWORD), users))
        with HubProcess(data, product=True) as hub:
            return asyncio.run(_signins(service, hub, users))


async def _signins(service: Any, hub: HubProcess, users: list[str]) -> dict[str, float]:
    rec = Recorder()
    spec = LoadSpec(seats=len(users))
    verify = _verify([hub.base_url], None)[hub.base_url]
    clients = [_client(hub.base_url, i, spec, verify) for i in range(len(users))]
    seats = [Seat(i, user, clients[i], rec, spec) for i, user in enumerate(users)]
    try:
        await asyncio.gather(*(s.enroll() for s in seats))
        for s in seats:
            service.approve_device(s.code)
        for s in seats:
            s.phase = "sign-in"
        cpu0, start = hub.cpu_s(), time.perf_counter()
        await asyncio.gather(*(s.sign_in() for s in seats))
        wall, cpu = time.perf_counter() - start, hub.cpu_s() - cpu0
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    stats = {e.endpoint: e for e in endpoint_stats(rec.samples, "sign-in")}["POST /sessions"]
    return {"signins": float(len(users)), "per_s": round(len(users) / wall, 2), "p50_ms": stats.p50_ms,
            "p99_ms": stats.p99_ms, "hub_cpu_pct": round(100 * cpu / wall, 1),
            "seconds_for_200": round(200 / (len(users) / wall), 1)}


# --------------------------------------------------------------------------- bench figures and the command


FLOOR_THINK_S = 25.0
"""A decision every ~25 s a seat: the floor of bench/metrics.py (18–32 s a clip and 1–3 s between clips)."""


def bench_figures(quick: bool, *, log: Any = None) -> dict[str, Any]:
    """``bench``'s figures, each run against a hub in its own process with 200 seats arriving over a minute:

    - at a floor's pace (:data:`FLOOR_THINK_S`), each seat downloading 4 clips of 5 MiB (at once with the others)
      and labeling 4 of its 150: ``hub_sync_p99_ms_200_seats``, ``shift_download_mb_s`` and their context;
    - the same floor eight times as fast (a decision every ~3 s, 10 labels a seat): ``…_8x``, info;
    - sign-ins a second at the real password cost.

    ``--quick``: arriving over 10 s, shifts of 20, 2 labels and 2 downloads of 1 MiB a seat, no 8× run.
    """
    if quick:
        spec = LoadSpec(seats=200, shift_size=20, clips=2, downloads=2, clip_bytes=2**20, think_s=FLOOR_THINK_S,
                        arrive_s=10.0)
    else:
        spec = LoadSpec(seats=200, shift_size=150, clips=4, downloads=4, clip_bytes=5 * 2**20,
                        think_s=FLOOR_THINK_S, arrive_s=60.0)
    report = run_load(spec, log=log)
    if log is not None:
        log(report.text())
    out = _figures(report, "")
    out.update({
        "hub_commit_ms_p99": report.disk_commit_ms[1],
        "shift_download_mb_s": report.download_mb_s,
        "hub_load_clips": (f"{spec.downloads} × {spec.clip_bytes / 2**20:g} MiB downloaded, {spec.clips} labeled, of "
                           f"{spec.shift_size} a seat"),
        "hub_load_average": report.load_average[0],
    })
    if not quick:
        fast = run_load(replace(spec, think_s=3.0, clips=10, downloads=1), log=log)
        if log is not None:
            log(fast.text())
        out.update(_figures(fast, "_8x"))
    out["hub_signins_per_s_real_cost"] = signin_real_cost(6 if quick else 16, log=log)["per_s"]
    return out


def _figures(report: LoadReport, suffix: str) -> dict[str, Any]:
    nan = float("nan")
    audit = report.endpoint("POST /audit/batch", label_phase=True)
    label = report.endpoint("POST /labels/batch", label_phase=True)
    phase = report.phase("label")
    return {
        f"hub_sync_p99_ms_200_seats{suffix}": report.sync_p99_ms,
        f"hub_sync_p50_ms_200_seats{suffix}": label.p50_ms if label else nan,
        f"hub_audit_p99_ms_200_seats{suffix}": audit.p99_ms if audit else nan,
        f"hub_sync_requests_per_s_200_seats{suffix}": phase.per_s if phase else nan,
        f"hub_cpu_pct_200_seats{suffix}": phase.hub_cpu_pct if phase else nan,
        f"hub_load_exactly_once{suffix}": "yes" if report.exactly_once else "NO (see the log)",
        f"hub_load_failed_seats{suffix}": len(report.failed_seats),
    }


def _parser() -> argparse.ArgumentParser:
    from workstation.processes import app_name

    p = argparse.ArgumentParser(prog=f"{app_name()} bench load",
                                description="Simulated seats sign in, start shifts, download clips and sync labels "
                                            "and audit events against a floor hub; figures per endpoint and phase.")
    p.add_argument("--seats", type=int, default=200, help="simulated seats (default 200)")
    p.add_argument("--ramp", metavar="N,N,…", help="one run per seat count (e.g. 25,50,100,200) and where it saturates")
    p.add_argument("--shift-size", type=int, default=150, help="clips in each seat's shift (default 150)")
    p.add_argument("--clips", type=int, default=10, help="clips of it each seat labels (default 10)")
    p.add_argument("--downloads", type=int, help="clips of it each seat downloads (default: --clips)")
    p.add_argument("--clip-mb", type=float, default=5.0, help="ciphertext MiB per clip (default 5)")
    p.add_argument("--think", type=float, default=3.0, help="mean seconds between a seat's decisions (default 3)")
    p.add_argument("--saturate", action="store_true", help="no think time, each seat waits for its sync (closed loop)")
    p.add_argument("--arrive", type=float, default=0.0, metavar="S",
                   help="seats sign in and start shifts spread over S seconds (default 0: all at once)")
    p.add_argument("--url", action="append", default=[], help="a running hub (repeat: seats round-robin); needs --data")
    p.add_argument("--data", type=Path, help="the running hub's data folder (users are added, seats approved there)")
    p.add_argument("--ca", type=Path, help="the floor CA's certificate, for a hub given by an https:// URL")
    p.add_argument("--work", type=Path, help="make the started hub's folder here (e.g. /dev/shm: no disk)")
    p.add_argument("--profile", type=Path, help="write the started hub's CPU profile (all threads) to this file")
    p.add_argument("--sample", type=Path, help="write the started hub's sampled stacks (where threads wait) here")
    p.add_argument("--signin-real-cost", type=int, metavar="N", default=0,
                   help="also: N seats sign in at once on `hub serve` with the real password cost")
    p.add_argument("--shared-address", action="store_true", help="every seat connects from 127.0.0.1")
    p.add_argument("--hubs", type=int, default=1, help="hub processes to start on one folder and database "
                   "(default 1; seats round-robin over them)")
    p.add_argument("--postgres", action="store_true", help="keep the started hubs' tables in PostgreSQL: a throwaway "
                   "cluster on loopback (fsync on), made and removed by the run")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def main(argv: list[str]) -> int:
    """``bench load …``; the figures on stdout, progress on stderr."""
    args = _parser().parse_args(argv)
    if args.url and args.data is None:
        print("error: --url needs --data (the hub's data folder)", file=sys.stderr)
        return 2
    spec = LoadSpec(seats=args.seats, shift_size=args.shift_size, clips=args.clips, downloads=args.downloads,
                    work=args.work, arrive_s=args.arrive, ca=args.ca,
                    clip_bytes=int(args.clip_mb * 2**20), think_s=args.think,
                    saturate=args.saturate, urls=tuple(args.url), data=args.data, profile=args.profile, sample=args.sample,
                    own_addresses=not args.shared_address, hubs=args.hubs)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    with contextlib.ExitStack() as stack:
        if args.postgres:
            stack.enter_context(_postgres_for_the_run(args.work, log))
        return _main(args, spec, log)


@contextlib.contextmanager
def _postgres_for_the_run(work: Path | None, log: Any) -> Iterator[None]:
    """A throwaway PostgreSQL cluster named by ``FLOOR_HUB_DATABASE_URL`` for this run's hub processes and service."""
    from workstation.hub.db.cluster import ThrowawayCluster
    from workstation.hub.db.core import ENV

    with tempfile.TemporaryDirectory(prefix="ws-load-pg-", dir=work) as folder:
        cluster = ThrowawayCluster(Path(folder), fast=False)
        cluster.start()
        before = os.environ.get(ENV)
        try:
            os.environ[ENV] = cluster.create_database()
            log(f"load: the hubs keep their tables in PostgreSQL ({cluster.data_dir})")
            yield
        finally:
            if before is None:
                os.environ.pop(ENV, None)
            else:
                os.environ[ENV] = before
            cluster.stop(remove=True)


def _main(args: argparse.Namespace, spec: LoadSpec, log: Any) -> int:
    out: dict[str, Any] = {}
    if args.ramp:
        reports = run_ramp(spec, [int(n) for n in args.ramp.split(",")], log=log)
        out["runs"] = [r.as_dict() for r in reports]
        out["knee"] = knee(reports)
        text = "\n\n".join(r.text() for r in reports) + "\n\n" + out["knee"]
    else:
        report = run_load(spec, log=log)
        out = report.as_dict()
        text = report.text()
    if args.signin_real_cost:
        out["signin_real_cost"] = signin_real_cost(args.signin_real_cost, log=log)
        s = out["signin_real_cost"]
        text += (f"\n\nsign-in at the real password cost (`hub serve`), {args.signin_real_cost} at once: "
                 f"{s['per_s']} per s, p50 {s['p50_ms']:.0f} ms, p99 {s['p99_ms']:.0f} ms, hub CPU "
                 f"{s['hub_cpu_pct']:.0f} %; 200 seats would need ~{s['seconds_for_200']:.0f} s")
    print(json.dumps(out) if args.json else text)
    return 0
