"""Benchmark: the supervisor's figures on a generated floor (DESIGN.md "Numbers to reach").

:func:`generate` writes a hub data folder whose hub.db holds a whole floor's history, made fast with bulk SQL
inserts: by default 1 M label rows from 500 annotators over 90 days (one shift and one work period per
annotator and working day, 5 % gold and 10 % second looks mixed in as the hub mixes them, a few retracts,
skips and implausible timings), 3 M seat audit events about clips (shown, decided, hidden), every key and
ciphertext hand-out, and the summaries rebuilt from the labels — then SQLite's ``ANALYZE``. Ten *planted*
annotators work far faster than the floor with low gold accuracy. The folder is kept (under the benchmark's clip
folder) and reused by the next run.

What the generated floor is not: its audit chains do not hash (ids and links are placeholders — ``hub
verify-audit`` would call them broken), its clips have no ciphertext, and its users cannot sign in (the
benchmark adds one supervisor who can).

:func:`results` measures, through the real hub on loopback and a supervisor's session:

- ``dashboard_metrics_ms`` — ``GET /api/v1/metrics/annotators`` for all annotators over the 90 days
  (``group=all``: medians and p90s, the floor, outliers), median of 5 after a warm-up;
- ``who_viewed_ms`` — ``GET /api/v1/audit/events?clip_id=…`` ("who was given and who viewed clip X") over
  the 3 M events, median over 30 clips (``who_viewed_ms_max`` the slowest);
- ``dashboard_outliers`` — whether the answer's outliers are exactly the planted annotators.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

LABELS = ("person", "vehicle", "animal", "package", "lighting", "weather", "foliage", "insect", "camera_fault")
WEIGHTS = (30, 20, 10, 5, 10, 8, 10, 4, 3)
DAY0 = datetime(2025, 1, 6, tzinfo=UTC)
SUPERVISOR, PASSWORD = "bench-supervisor", "bench-supervisor-password"
_BATCH = 20_000
GENERATOR_VERSION = 2
"""Raise it when the generated floor changes: cached floors of another version are not reused."""


@dataclass(frozen=True)
class FloorSpec:
    annotators: int = 500
    days: int = 90
    labels: int = 1_000_000
    events_per_decision: int = 3
    planted: int = 10
    gold_clips: int = 2000
    gold_rate: float = 0.05
    overlap_rate: float = 0.10
    work_share: float = 0.7
    """The share of days each annotator works."""
    seed: int = 10
    first_day: str = DAY0.date().isoformat()
    """The floor's first working day (the supervisor demo's floor ends yesterday)."""

    @property
    def day0(self) -> datetime:
        return datetime.fromisoformat(self.first_day).replace(tzinfo=UTC)

    @property
    def key(self) -> str:
        """Names the cached floor: the spec, the generator's version and the hub's schema version."""
        from workstation.hub.storage import SCHEMA_VERSION

        spec = asdict(self)
        if self.first_day == DAY0.date().isoformat():
            del spec["first_day"]  # the benchmark's floor keeps the name it had before the field existed
        made = {**spec, "generator": GENERATOR_VERSION, "schema": SCHEMA_VERSION}
        return hashlib.sha256(json.dumps(made, sort_keys=True).encode()).hexdigest()[:12]


@dataclass
class Floor:
    """What :func:`generate` made (``floor.json`` next to hub.db)."""

    folder: Path
    spec: FloorSpec
    planted: list[str]
    first_day: str
    last_day: str
    labels: int = 0
    audit_events: int = 0
    clips: int = 0
    sample_clips: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"planted": self.planted, "first_day": self.first_day, "last_day": self.last_day,
                "labels": self.labels, "audit_events": self.audit_events, "clips": self.clips,
                "sample_clips": self.sample_clips}


def _at(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class _Writer:
    """Rows for a few tables, inserted in batches with executemany."""

    SQL: ClassVar[dict[str, str]] = {
        "labels": "INSERT INTO labels (id, shift_id, clip_id, user, device_id, label, payload, received_at, kind, "
                  "reason, retracts, shown_at, decided_at, counted_at, elapsed_s, watched_s, replays, active_s, "
                  "comment, implausible, retracted_by, period_id) "
                  "VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, ?, ?, ?)",
        "audit": "INSERT INTO audit_events (device_id, seq, id, at, kind, user, shift_id, clip_id, data, prev, hash, "
                 "received_at, delivered_session, delivered_device) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?)",
        "handouts": "INSERT INTO handouts (at, what, user, device_id, session_id, shift_id, clip_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
        "shift_clips": "INSERT INTO shift_clips (shift_id, clip_id, position) VALUES (?, ?, ?)",
        "clips": "INSERT INTO clips (clip_id, fingerprint, project, status, ciphertext_size, ciphertext_sha256, width, "
                 "height, fps, frame_count, duration_s, codec, wrapped_key, created_at) "
                 "VALUES (?1, ?1, 'security', 'active', 1, '', 1280, 720, 15.0, 1, ?2, 'h264', X'', ?3)",
    }

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in self.SQL}
        self.count: dict[str, int] = dict.fromkeys(self.SQL, 0)

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        rows = self.rows[table]
        rows.append(row)
        if len(rows) >= _BATCH:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self.SQL):
            if self.rows[name]:
                self.conn.executemany(self.SQL[name], self.rows[name])
                self.count[name] += len(self.rows[name])
                self.rows[name] = []


@dataclass
class _Annotator:
    name: str
    device_id: str
    speed_s: float
    accuracy: float
    planted: bool
    seq: int = 0
    gold_seen: set[str] = field(default_factory=set)


def _pairs(spec: FloorSpec, rng: random.Random) -> list[tuple[int, int]]:
    """(annotator, day) working pairs, in time order."""
    return [(a, d) for d in range(spec.days) for a in range(spec.annotators) if rng.random() < spec.work_share]


def generate(root: Path, spec: FloorSpec | None = None, *, log: Any = None) -> Floor:
    """The generated floor's data folder under ``root``: reused when a finished one is there, else made.

    It is made in a folder of its own and renamed into place when finished, so two benchmarks running at once
    never write into, or delete, each other's floor (the one finishing second throws its copy away)."""
    spec = spec or FloorSpec()
    folder = root / f"floor-{spec.key}"
    if (folder / "floor.json").is_file():
        return Floor(folder, spec, **json.loads((folder / "floor.json").read_text()))
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".floor-{spec.key}-", dir=root))
    try:
        info = _build(work, spec, log)
        (work / "floor.json").write_text(json.dumps(info))
        if folder.exists() and not (folder / "floor.json").is_file():
            shutil.rmtree(folder, ignore_errors=True)  # left by an interrupted run of an older benchmark
        try:
            work.rename(folder)
        except OSError:
            if not (folder / "floor.json").is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Floor(folder, spec, **json.loads((folder / "floor.json").read_text()))


def _build(folder: Path, spec: FloorSpec, log: Any) -> dict[str, Any]:
    from workstation.hub import summaries
    from workstation.hub.db import own_sqlite
    from workstation.hub.home import HubHome
    home = HubHome.open(folder, own_sqlite(folder))
    db = home.connect()
    try:
        db.execute("PRAGMA journal_mode = OFF")  # a bulk load into a folder nobody else uses: no journal, no WAL
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA foreign_keys = OFF")  # rows land in batches, table by table; consistent at the end
        db.raw.execute("BEGIN")
        floor = _fill(db, folder, spec, log)
        if log:
            log(f"bench: floor: rebuilding the summaries from {floor.labels} labels …")
        summaries.rebuild(db)
        db.raw.execute("COMMIT")
        if log:
            log("bench: floor: ANALYZE …")
        db.execute("ANALYZE")
    finally:
        db.close()
    return floor.as_dict()


def _fill(db: Any, folder: Path, spec: FloorSpec, log: Any) -> Floor:
    rng = random.Random(spec.seed)
    day0 = spec.day0
    now = _at(day0)
    planted = set(rng.sample(range(spec.annotators), spec.planted))
    people: list[_Annotator] = []
    for i in range(spec.annotators):
        fast = i in planted
        person = _Annotator(f"a{i:04d}", uuid.UUID(int=rng.getrandbits(128)).hex,
                            rng.uniform(4.0, 6.0) if fast else rng.uniform(18.0, 32.0),
                            rng.uniform(0.30, 0.50) if fast else rng.uniform(0.85, 0.97), fast)
        people.append(person)
        db.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, 'annotator', '!', ?)",
                   [person.name, now])
        db.execute("INSERT INTO devices (device_id, public_key, enrollment_code, label, status, created_at, "
                   "approved_at) VALUES (?, ?, ?, ?, 'approved', ?, ?)",
                   [person.device_id, hashlib.sha256(person.device_id.encode()).digest(), f"B{i:04d}-GEN",
                    f"seat-{i:03d}", now, now])
    w = _Writer(db.raw)
    truth: dict[str, str] = {}
    gold: list[str] = []
    for _ in range(spec.gold_clips):
        clip_id = uuid.UUID(int=rng.getrandbits(128)).hex
        truth[clip_id] = rng.choices(LABELS, WEIGHTS)[0]
        gold.append(clip_id)
        w.add("clips", (clip_id, round(rng.uniform(20, 30), 2), now))
    w.flush("clips")
    db.raw.executemany("INSERT INTO gold (clip_id, label, added_by, added_at) VALUES (?, ?, 'bench', ?)",
                        [(c, truth[c], now) for c in gold])
    pairs = _pairs(spec, rng)
    per_pair, extra = divmod(spec.labels, len(pairs))
    second_wanted: deque[tuple[str, str]] = deque()
    marked: dict[str, str] = {}
    shared: dict[str, str] = {}
    durations: dict[str, float] = {}
    sample: list[str] = []
    labels_written = 0
    for index, (a, d) in enumerate(pairs):
        person = people[a]
        rows = per_pair + (1 if index < extra else 0)
        if log and index % max(1, len(pairs) // 10) == 0:
            log(f"bench: floor: generating, {100 * index // len(pairs)} % …")
        labels_written += _shift(w, rng, spec, person, d, rows, truth, gold, second_wanted, marked, shared,
                                 durations, sample)
    w.flush()
    db.raw.executemany("UPDATE clips SET overlap_at = ? WHERE clip_id = ?", [(at, c) for c, at in marked.items()])
    db.raw.executemany("UPDATE clips SET shared_at = ? WHERE clip_id = ?", [(at, c) for c, at in shared.items()])
    from workstation.hub import standing

    db.execute(f"UPDATE clips SET settled_at = ? WHERE {standing.SETTLED}", [now])
    first, last = day0.date(), (day0 + timedelta(days=spec.days - 1)).date()
    del labels_written
    return Floor(folder, spec, sorted(people[i].name for i in planted), first.isoformat(), last.isoformat(),
                 labels=w.count["labels"], audit_events=w.count["audit"], clips=w.count["clips"],
                 sample_clips=(sample[:: max(1, len(sample) // 30)][:30] or list(durations)[:30]))


def _shift(w: _Writer, rng: random.Random, spec: FloorSpec, person: _Annotator, day: int, rows: int,
           truth: dict[str, str], gold: list[str], second_wanted: deque[tuple[str, str]], marked: dict[str, str],
           shared: dict[str, str], durations: dict[str, float], sample: list[str]) -> int:
    """One annotator's shift and work period on one day with ``rows`` label rows; returns the rows written."""
    start = spec.day0 + timedelta(days=day, hours=8, minutes=rng.uniform(0, 60))
    shift_id, session_id = uuid.UUID(int=rng.getrandbits(128)).hex, uuid.UUID(int=rng.getrandbits(128)).hex
    redos = math.floor(rows * 0.01 + rng.random())  # about 1 % decided, taken back (undo) and decided again: 3 rows
    slots = max(1, rows - 2 * redos)
    n_gold = math.floor(slots * spec.gold_rate + 0.5)
    n_second = math.floor((slots - n_gold) * spec.overlap_rate / (1 + spec.overlap_rate) + 0.5)
    clips: list[str] = []
    for _ in range(n_gold):
        for _try in range(20):
            clip_id = rng.choice(gold)
            if clip_id not in person.gold_seen:
                person.gold_seen.add(clip_id)
                clips.append(clip_id)
                break
    taken: list[tuple[str, str]] = []
    for _ in range(min(n_second, len(second_wanted))):
        first_user, clip_id = second_wanted[0]
        if first_user == person.name:
            break
        second_wanted.popleft()
        taken.append((first_user, clip_id))
        clips.append(clip_id)
    at = _at(start)
    while len(clips) < slots:
        clip_id = uuid.UUID(int=rng.getrandbits(128)).hex
        truth[clip_id] = rng.choices(LABELS, WEIGHTS)[0]
        durations[clip_id] = round(rng.uniform(20, 30), 2)
        w.add("clips", (clip_id, durations[clip_id], at))
        if rng.random() < spec.overlap_rate:
            marked[clip_id] = at
            second_wanted.append((person.name, clip_id))
        clips.append(clip_id)
    rng.shuffle(clips)
    handed = _at(start + timedelta(seconds=30))
    for position, clip_id in enumerate(clips):
        w.add("shift_clips", (shift_id, clip_id, position))
        w.add("handouts", (handed, "keys", person.name, person.device_id, session_id, shift_id, clip_id))
        w.add("handouts", (handed, "ciphertext", person.name, person.device_id, session_id, shift_id, clip_id))
    t = start + timedelta(seconds=60)
    written = 0
    redone = set(rng.sample(range(len(clips)), min(redos, len(clips))))
    for index, clip_id in enumerate(clips):
        if index in redone:
            first_id, retract_id = str(uuid.UUID(int=rng.getrandbits(128))), str(uuid.UUID(int=rng.getrandbits(128)))
            t = _decide(w, rng, person, shift_id, session_id, clip_id, truth, durations, t, label_id=first_id,
                        retracted_by=retract_id)
            w.add("labels", (retract_id, shift_id, clip_id, person.name, person.device_id, "retract",
                             _at(t + timedelta(seconds=30)), "retract", None, first_id, _at(t), _at(t), _at(t), 0.0,
                             0.0, 0.0, None, None, session_id))
            t += timedelta(seconds=2)
            written += 2
        if rng.random() < 0.001:
            sample.append(clip_id)
        t = _decide(w, rng, person, shift_id, session_id, clip_id, truth, durations, t,
                    label_id=str(uuid.UUID(int=rng.getrandbits(128))))
        written += 1
        if clip_id in marked and clip_id not in shared and any(c == clip_id for _, c in taken):
            shared[clip_id] = _at(t)
    end = t + timedelta(seconds=60)
    w.conn.execute("INSERT INTO shifts (shift_id, user, device_id, project, public_key, status, size, created_at, "
                   "closed_at) VALUES (?, ?, ?, 'security', X'00', 'closed', ?, ?, ?)",
                   [shift_id, person.name, person.device_id, len(clips), _at(start), _at(end)])
    began = start - timedelta(minutes=5)
    w.conn.execute("INSERT INTO sessions (token_hash, session_id, user, device_id, created_at, expires_at, ended_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", [uuid.UUID(int=rng.getrandbits(128)).hex, session_id, person.name,
                                                   person.device_id, _at(began), _at(began + timedelta(hours=12)),
                                                   _at(end + timedelta(minutes=2))])
    w.conn.execute("INSERT INTO work_periods (period_id, user, device_id, started_at, expires_at, ended_at, "
                   "end_reason) VALUES (?, ?, ?, ?, ?, ?, 'sign_out')",
                   [session_id, person.name, person.device_id, _at(began), _at(began + timedelta(hours=12)),
                    _at(end + timedelta(minutes=2))])
    return written


def _event(w: _Writer, person: _Annotator, session_id: str, shift_id: str, clip_id: str, kind: str,
           at: datetime) -> None:
    person.seq += 1
    event_id = f"{person.device_id[:8]}{person.seq:024x}"
    w.add("audit", (person.device_id, person.seq, event_id, _at(at), kind, person.name, shift_id, clip_id,
                    "0" * 64, event_id * 2, _at(at + timedelta(seconds=30)), session_id, person.device_id))


def _decide(w: _Writer, rng: random.Random, person: _Annotator, shift_id: str, session_id: str,
            clip_id: str, truth: dict[str, str], durations: dict[str, float], t: datetime, *, label_id: str,
            retracted_by: str | None = None) -> datetime:
    """One decision's label row and audit events at ``t``; returns when the next clip shows."""
    wrong = retracted_by is not None
    duration = durations.get(clip_id, 25.0)
    active = max(0.6, rng.gauss(person.speed_s, person.speed_s * 0.25))
    elapsed = active * (1.0 if person.planted else rng.uniform(1.0, 1.25))
    shown, decided = t, t + timedelta(seconds=elapsed)
    skip = not wrong and rng.random() < 0.03
    right = truth[clip_id]
    if skip:
        kind, label, reason = "skip", "skip", "unclear"
    else:
        correct = rng.random() < person.accuracy and not wrong
        kind, reason = "label", None
        label = right if correct else rng.choice([c for c in LABELS if c != right])
    watched = min(duration, round(elapsed))
    implausible = None
    if rng.random() < 0.004:
        watched, implausible = duration + 5.0, "watched_longer_than_clip"
    _event(w, person, session_id, shift_id, clip_id, "clip_shown", shown)
    _event(w, person, session_id, shift_id, clip_id, kind, decided)
    _event(w, person, session_id, shift_id, clip_id, "clip_hidden", decided + timedelta(milliseconds=100))
    w.add("labels", (label_id, shift_id, clip_id, person.name, person.device_id, label,
                     _at(decided + timedelta(seconds=30)), kind, reason, None, _at(shown), _at(decided),
                     _at(decided), round(elapsed, 3), float(watched), round(active, 3), implausible,
                     retracted_by, session_id))
    return decided + timedelta(seconds=rng.uniform(1.0, 3.0))


def _timed(call: Any, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _iter_sample(floor: Floor, n: int) -> Iterator[str]:
    for i in range(n):
        yield floor.sample_clips[i % len(floor.sample_clips)]


def results(root: Path, quick: bool = False, *, log: Any = None) -> dict[str, Any]:
    """The figures of the module doc, on the cached floor under ``root``."""
    spec = FloorSpec(annotators=100, days=30, labels=50_000, gold_clips=300) if quick else FloorSpec()
    started = time.perf_counter()
    floor = generate(root, spec, log=log)
    return {**measure(floor), "dashboard_floor_ready_s": round(time.perf_counter() - started, 1)}


def measure(floor: Floor) -> dict[str, Any]:
    """The figures of the module doc on a generated floor, through the real hub on loopback."""
    import httpx
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from workstation.hub.errors import Conflict
    from workstation.hub.server import HubServer
    from workstation.sync.client import HubClient

    spec = floor.spec
    from workstation.hub.db import own_sqlite
    with HubServer(floor.folder, host="127.0.0.1", port=0, database=own_sqlite(floor.folder)) as server:
        service = server.service
        try:
            service.add_user(SUPERVISOR, "supervisor", PASSWORD)
        except Conflict:  # made by an earlier run on this floor
            pass
        key = Ed25519PrivateKey.generate()
        public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        private = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                    serialization.NoEncryption())
        with HubClient(server.base_url) as client:
            enrollment = client.enroll_device(public, "bench supervisor seat")
            service.approve_device(enrollment.enrollment_code)
            session = client.sign_in(SUPERVISOR, PASSWORD, enrollment.device_id, private)
        headers = {"Authorization": f"Bearer {session.token}"}
        with httpx.Client(base_url=f"{server.base_url}/api/v1", headers=headers, timeout=120) as http:
            metrics_path = f"/metrics/annotators?from={floor.first_day}&to={floor.last_day}&group=all"
            answer = http.get(metrics_path)
            answer.raise_for_status()
            body = answer.json()
            dashboard = _timed(lambda: http.get(metrics_path).raise_for_status(), 5)
            clips = list(_iter_sample(floor, 30))
            http.get(f"/audit/events?clip_id={clips[0]}").raise_for_status()
            viewed: list[float] = []
            for clip_id in clips:
                start = time.perf_counter()
                found = http.get(f"/audit/events?clip_id={clip_id}")
                viewed.append((time.perf_counter() - start) * 1000)
                found.raise_for_status()
            events_seen = len(found.json()["events"])
    named = sorted(o["annotator"] for o in body["outliers"])
    planted = sorted(floor.planted)
    return {
        "dashboard_metrics_ms": round(statistics.median(dashboard), 1),
        "dashboard_metrics_ms_max": round(max(dashboard), 1),
        "dashboard_annotators": len(body["rows"]),
        "dashboard_outliers": (f"exactly the {len(planted)} planted" if named == planted else
                               f"{len(set(named) & set(planted))} of {len(planted)} planted, "
                               f"{len(set(named) - set(planted))} others"),
        "dashboard_outliers_match": named == planted,
        "who_viewed_ms": round(statistics.median(viewed), 2),
        "who_viewed_ms_max": round(max(viewed), 2),
        "who_viewed_events_per_clip": events_seen,
        "dashboard_floor": f"{floor.labels} labels, {spec.annotators} annotators, {spec.days} days, "
                 f"{floor.audit_events} audit events, {floor.clips} clips",
    }
