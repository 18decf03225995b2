"""The load benchmark's hub: a floor stocked with clips, the hub in a process of its own, and a profiler for it.

- :func:`stock_clips` puts ``count`` clips into a hub's data folder in one transaction, without ingesting
  video: ``distinct`` real clip containers (random bytes encrypted under fresh clip keys) and every other clip a
  hard link to one of them, its row with its own id and the container's key wrapped for that id. The hub hands
  them out, seals their keys and serves their ciphertext like any clip; what they are not is decodable video,
  and their fingerprints are placeholders (``load:<clip id>``). Few distinct files means the ciphertext is
  served from the page cache, as a hub's recent clips are.
- :class:`HubProcess` runs a hub in a child process (this app again: :func:`workstation.processes.app_command`),
  either ``bench-child hub`` (:func:`child_main`: the server ``hub serve`` builds, plus the test-only cheap
  password cost, so 200 load users sign in without 200 × 0.45 s of scrypt) or the product's ``hub serve``
  itself (the real cost, for the sign-in figure). It reports the child's CPU time through psutil.
- With :data:`PROFILE_ENV` set to a file name, the ``bench-child hub`` process profiles the CPU time of every
  thread (:class:`ThreadProfiles`: one cProfile per thread, timed by the thread's own CPU clock, merged) and writes
  the costliest functions there when it stops; with :data:`SAMPLE_ENV`, it samples every thread's Python stack
  on the wall clock (:class:`StackSampler`: where threads wait, e.g. for the database's write lock). A single
  cProfile sees only the thread it runs in, and the hub's work runs in uvicorn's event loop and a pool of
  worker threads.

BENCHMARK-ONLY: :data:`LOAD_PASSWORD_COST` is far cheaper than the hub's default and is used only for
benchmark users on benchmark hubs; the product never lowers its cost.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import hashlib
import io
import os
import pstats
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from types import FrameType
from typing import Any, Self

from workstation.hub.passwords import Cost

LOAD_PASSWORD_COST = Cost(n=2**10, r=8, p=1)
"""BENCHMARK-ONLY scrypt cost of load users (the hub's real one, N=2**17, takes ~0.45 s a hash)."""
PROFILE_ENV = "FLOOR_HUB_PROFILE"
"""Set to a file name: ``bench-child hub`` writes the CPU profile of all its threads there."""
SAMPLE_ENV = "FLOOR_HUB_SAMPLE"
"""Set to a file name: ``bench-child hub`` samples its threads' stacks (wall clock) and writes them there."""


# --------------------------------------------------------------------------- the floor


def stock_clips(data_dir: Path, count: int, clip_bytes: int, *, distinct: int = 4,
                project: str | None = None) -> list[str]:
    """Add ``count`` clips of ``clip_bytes`` ciphertext bytes to the hub in ``data_dir``; returns their ids."""
    from workstation.hub import taxonomy
    from workstation.hub.home import HubHome
    from workstation.hub.storage import now_iso, write_transaction
    from workstation.vault import container, masterkey

    home = HubHome.open(data_dir)
    sources: list[tuple[str, bytes, int, str]] = []  # (clip id, clip key, size, sha256)
    for _ in range(min(distinct, count)):
        clip_id, key = uuid.uuid4().hex, container.generate_clip_key()
        data = container.encrypt_bytes(os.urandom(clip_bytes), key, clip_id)
        temp = home.temp_blob_path(clip_id)
        with home.create_temp_blob(clip_id) as out:
            out.write(data)
        home.commit_blob(temp, clip_id)
        sources.append((clip_id, key, len(data), hashlib.sha256(data).hexdigest()))
    rows = []
    created = now_iso()
    for i in range(count):
        source_id, key, size, sha = sources[i % len(sources)]
        clip_id = source_id if i < len(sources) else uuid.uuid4().hex
        if clip_id != source_id:
            target = home.blob_path(clip_id)
            target.parent.mkdir(mode=0o700, exist_ok=True)
            os.link(home.blob_path(source_id), target)
        rows.append((clip_id, f"load:{clip_id}", project or taxonomy.DEFAULT_PROJECT, size, sha,
                     masterkey.wrap_clip_key(home.master_key, key, clip_id), created))
    db = home.connect()
    try:
        with write_transaction(db):
            db.executemany(
                "INSERT INTO clips (clip_id, fingerprint, project, status, ciphertext_size, ciphertext_sha256, "
                "width, height, fps, frame_count, duration_s, codec, wrapped_key, created_at) "
                "VALUES (?, ?, ?, 'active', ?, ?, 1280, 720, 15.0, 375, 25.0, 'h264', ?, ?)", rows)
    finally:
        db.close()
    return [row[0] for row in rows]


# --------------------------------------------------------------------------- the hub process


class HubProcess:
    """A hub in a child process on 127.0.0.1, port picked by the OS; stopped by its own pid."""

    def __init__(self, data_dir: Path, *, product: bool = False, profile: Path | None = None,
                 sample: Path | None = None, timeout_s: float = 60.0) -> None:
        """``product``: the product's ``hub serve`` (real password cost); else ``bench-child hub`` (cheap cost)."""
        import psutil

        from workstation.processes import app_command, child_env

        args = (app_command("hub", "serve", "--data", str(data_dir), "--port", "0") if product
                else app_command("bench-child", "hub", "--data", str(data_dir)))
        env = child_env()
        if profile is not None:
            env[PROFILE_ENV] = str(profile)
        if sample is not None:
            env[SAMPLE_ENV] = str(sample)
        self._log = tempfile.TemporaryFile(prefix="ws-load-hub-")  # noqa: SIM115 - closed by stop()
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._log, text=True, env=env)
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout_s
        line = ""
        while time.monotonic() < deadline and self.proc.poll() is None:
            line = self.proc.stdout.readline()
            if "listening on" in line:
                break
        found = re.search(r"(https?://[^\s/]+)/api/v1", line)
        if found is None:
            self.stop()
            raise RuntimeError(f"the load benchmark's hub did not start: {line!r}\n{self.log_tail()}")
        self.base_url = found.group(1)
        self.ps = psutil.Process(self.proc.pid)

    def cpu_s(self) -> float:
        """CPU seconds the hub process has used so far (user + system, all its threads)."""
        times = self.ps.cpu_times()
        return float(times.user + times.system)

    def rss_mb(self) -> float:
        return float(self.ps.memory_info().rss) / 2**20

    def log_tail(self, chars: int = 3000) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-chars:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._log.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --------------------------------------------------------------------------- the profiler


_IDLE_FILES = ("threading.py", "selectors.py", "queue.py")
"""A thread whose innermost Python frame is in one of these is waiting for work, not working."""


def _where(frame: FrameType) -> str:
    code = frame.f_code
    parts = Path(code.co_filename).parts
    short = "/".join(parts[-2:]) if len(parts) > 1 else code.co_filename
    return f"{short}:{code.co_name}"


class StackSampler(threading.Thread):
    """Samples every other thread's Python stack every ``interval_s``; counts where busy threads are.

    ``self``: the innermost frame of a busy thread; ``inclusive``: every function on its stack (once per
    sample). A sample lands only when this thread holds the GIL, so time in C code that releases it (SQLite's
    fsync, socket sends) shows up under the Python function that called it.
    """

    def __init__(self, out: Path, interval_s: float = 0.002) -> None:
        super().__init__(name="hub-profiler", daemon=True)
        self.out = out
        self.interval_s = interval_s
        self.samples = 0
        self.busy = 0
        self.own: collections.Counter[str] = collections.Counter()
        self.inclusive: collections.Counter[str] = collections.Counter()
        self._halt = threading.Event()

    def run(self) -> None:
        me = threading.get_ident()
        while not self._halt.wait(self.interval_s):
            self.samples += 1
            for ident, frame in sys._current_frames().items():
                if ident == me or Path(frame.f_code.co_filename).name in _IDLE_FILES:
                    continue
                self.busy += 1
                self.own[_where(frame)] += 1
                seen: set[str] = set()
                walk: FrameType | None = frame
                while walk is not None:
                    seen.add(_where(walk))
                    walk = walk.f_back
                self.inclusive.update(seen)

    def stop_and_write(self, top: int = 60) -> None:
        self._halt.set()
        self.join(5)
        lines = [(f"# {self.samples} sampling rounds, {self.busy} busy thread samples "
                 f"(every {self.interval_s * 1000:g} ms)"), "", "## inclusive (on the stack)"]
        lines += [f"{n:8d} {100 * n / max(1, self.busy):6.1f}%  {where}" for where, n in self.inclusive.most_common(top)]
        lines += ["", "## own (innermost frame)"]
        lines += [f"{n:8d} {100 * n / max(1, self.busy):6.1f}%  {where}" for where, n in self.own.most_common(top)]
        self.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


class ThreadProfiles:
    """One :class:`cProfile.Profile` per thread started after :meth:`install`, timed by that thread's CPU clock
    (``time.thread_time``: waiting for a lock or a socket costs nothing), merged by :meth:`write`."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.profiles: list[cProfile.Profile] = []
        self._lock = threading.Lock()

    def install(self) -> None:
        threading.setprofile(self._start)

    def _start(self, frame: FrameType, event: str, arg: Any) -> None:
        """The first profile event of a new thread: give it its own profiler (which replaces this hook)."""
        profile = cProfile.Profile(time.thread_time)
        with self._lock:
            self.profiles.append(profile)
        profile.enable()

    def write(self, top: int = 45) -> None:
        threading.setprofile(None)
        with self._lock:
            profiles = list(self.profiles)
        if not profiles:
            return
        text = io.StringIO()
        stats = pstats.Stats(profiles[0], stream=text)
        for profile in profiles[1:]:
            stats.add(profile)
        text.write(f"CPU time of {len(profiles)} threads (each thread's own clock)\n")
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)
        self.out.write_text(text.getvalue(), encoding="utf-8")


# --------------------------------------------------------------------------- bench-child hub


def child_main(argv: list[str]) -> int:
    """``bench-child hub --data DIR [--port N]``: the hub as ``hub serve`` runs it, load users' cheap password cost."""
    from workstation.hub.config import HubConfig
    from workstation.hub.server import HubServer

    parser = argparse.ArgumentParser(prog="bench-child hub")
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    server = HubServer(args.data, host="127.0.0.1", port=args.port, log_level="warning",
                       config=HubConfig(test_only_password_cost=LOAD_PASSWORD_COST))
    profile, sample = os.environ.get(PROFILE_ENV), os.environ.get(SAMPLE_ENV)
    profiles = ThreadProfiles(Path(profile)) if profile else None
    sampler = StackSampler(Path(sample)) if sample else None
    if profiles is not None:
        profiles.install()  # before the server's threads start

    def _terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    try:
        url = server.start()
        if sampler is not None:
            sampler.start()
        print(f"Floor hub (load benchmark) listening on {url}/api/v1", flush=True)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if sampler is not None:
            sampler.stop_and_write()
        if profiles is not None:
            profiles.write()
    return 0
