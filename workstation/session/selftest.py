"""``self-test``: can this seat work? Each part a floor PC needs, checked the way the app uses it.

The checks, in order: the machine policy; the key store (a probe secret written, read back and deleted);
screen-capture protection against the policy's rule; the decoder (the built-in sealed sample in
``resources/selftest`` decrypted and decoded, its frames compared); cache space (the cache folder writable,
room for a shift); audio outputs; and with a valid policy the hub (reachable, health answered), the TLS trust
(the hub's certificate checked against the policy's floor CA only) and the clock (this PC's against the hub's).

Each check ends ``ok``, ``warn`` (the seat works; IT may want to know) or ``fail`` (the seat cannot work); the
command exits 0 without a failure and 1 with one, each failure with its reason and what to do. Nothing here
changes the seat: the probe secret is deleted, the probe file removed, no shift is opened, no sign-in made.

Protects against: a seat handed to an annotator that cannot play, store keys or reach the hub, found only when
a shift fails. Does not prove: that the OS honours its capture setting for every tool (see
:mod:`workstation.platform.capture`), or that the hub will accept this seat (approval is the hub's).
"""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Literal

import httpx

from workstation import __version__
from workstation.errors import WorkstationError
from workstation.media.clipsource import ReaderFrameSource
from workstation.media.decode import FrameSource
from workstation.metrics.plausibility import CLOCK_TOLERANCE_S
from workstation.paths import app_data_dir
from workstation.platform.capture import Capability, CaptureProtector, protector_for_this_os
from workstation.policy import CaptureMode, Policy, PolicyError, hub_tls_context, load_policy, machine_policy_path
from workstation.resources import resources_dir
from workstation.sync.client import HubClient
from workstation.sync.errors import HubClientError, HubUntrusted
from workstation.vault.container import DecryptingReader
from workstation.vault.keystore import KeyStore, open_keystore

Status = Literal["ok", "warn", "fail"]

SAMPLE_CLIP_ID = "5e1f7e57000000000000000000000001"
"""The clip id the built-in sample is sealed under (``resources/selftest/sample.clip``)."""
SAMPLE_CELL_TOLERANCE = 6
"""How far a cell of a decoded frame may be from the recorded brightness (colour conversion differs a little)."""
CLOCK_WARN_S = 30.0
"""A clock this far off the hub's is worth fixing; past :data:`CLOCK_TOLERANCE_S` the hub marks decisions."""
MB_PER_CLIP = 10
"""Cache room one clip of a shift needs at most (a 20 s 1080p camera clip is 4–8 MB)."""


@dataclass(frozen=True)
class Check:
    """One part of the seat: ``name`` is a stable code (for scripts), ``title`` and ``detail`` are for IT."""

    name: str
    title: str
    status: Status
    detail: str
    fix: str = ""


@dataclass
class Report:
    """Every check, in order; the seat can work when none failed."""

    version: str
    policy_path: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.status != "fail" for c in self.checks)

    def to_json(self) -> str:
        return json.dumps({"ok": self.ok, "version": self.version, "policy": self.policy_path,
                           "checks": [asdict(c) for c in self.checks]}, indent=2)

    def to_text(self) -> str:
        width = max((len(c.title) for c in self.checks), default=0)
        lines = [f"Floor workstation {self.version}: self-test (policy {self.policy_path})"]
        for c in self.checks:
            lines.append(f"  {c.status.upper():4}  {c.title:<{width}}  {c.detail}")
            if c.fix and c.status != "ok":
                lines.append(f"        {'':<{width}}  → {c.fix}")
        failed = [c for c in self.checks if c.status == "fail"]
        lines.append("Result: this seat can work." if not failed else
                     f"Result: this seat cannot work ({len(failed)} problem{'s' if len(failed) != 1 else ''}: "
                     f"{', '.join(c.title.lower() for c in failed)}).")
        return "\n".join(lines)


@dataclass
class Probes:
    """What the self-test reaches outside itself; tests put their own in, the command the real ones."""

    keystore: Callable[[str], KeyStore] = open_keystore
    protector: Callable[[], CaptureProtector] = protector_for_this_os
    audio_outputs: Callable[[], list[str]] | None = None
    """Names of the audio outputs (Qt's, given by the entry point); None: not asked."""
    transport: httpx.BaseTransport | None = None
    now: Callable[[], float] = time.time
    data_dir: Callable[[], Path] = app_data_dir


def run_self_test(policy_path: Path | None = None, probes: Probes | None = None) -> Report:
    """Run every check; never raises for a problem of the seat (each is a failed check)."""
    probes = probes or Probes()
    path = policy_path or machine_policy_path()
    report = Report(__version__, str(path))
    policy: Policy | None = None
    try:
        policy = load_policy(path)
        report.checks.append(Check("policy", "Machine policy", "ok", f"{path} is valid"))
    except PolicyError as exc:
        report.checks.append(Check("policy", "Machine policy", "fail", "; ".join(exc.problems),
                                   "Lay a valid policy (docs/IT.md lists every key); `policy check` shows each mistake."))
    report.checks.append(_guarded("key_store", "Key store", lambda: _key_store(policy, probes)))
    report.checks.append(_guarded("capture", "Capture protection", lambda: _capture(policy, probes)))
    report.checks.append(_guarded("decoder", "Clip decoder", _decoder))
    report.checks.append(_guarded("cache", "Cache space", lambda: _cache(policy, probes)))
    report.checks.append(_guarded("audio", "Audio output", lambda: _audio(probes)))
    report.checks.extend(_hub(policy, probes))
    return report


def _guarded(name: str, title: str, check: Callable[[], tuple[Status, str, str]]) -> Check:
    try:
        status, detail, fix = check()
    except WorkstationError as exc:
        status, detail, fix = "fail", exc.message, exc.hint
    except (OSError, ValueError, RuntimeError) as exc:  # a check's own failure is a failed check, not a traceback
        status, detail, fix = "fail", f"{type(exc).__name__}: {exc}", "Tell the app's developers; this is unexpected."
    return Check(name, title, status, detail, fix)


def _key_store(policy: Policy | None, probes: Probes) -> tuple[Status, str, str]:
    mode = policy.key_store if policy is not None else "keyring"
    store = probes.keystore(mode)
    name = f"selftest-{secrets.token_hex(8)}"
    secret = secrets.token_bytes(32)
    try:
        store.put(name, secret)
        back = store.get(name)
    finally:
        store.delete(name)
    if back != secret:
        return "fail", f"the {store.kind} key store did not return what was stored", \
            "Check the OS keyring of this account (unlocked, not full)."
    if store.get(name) is not None:
        return "fail", f"the {store.kind} key store did not delete a secret", "Check the OS keyring of this account."
    if mode == "memory":
        return "warn", "process memory (policy key_store = \"memory\"): shift keys do not survive a restart", ""
    return "ok", f"{store.kind}: a secret was stored, read back and deleted", ""


def _capture(policy: Policy | None, probes: Probes) -> tuple[Status, str, str]:
    expected = probes.protector().expected()
    rule = policy.capture_protection if policy is not None else CaptureMode.PREFER
    if expected.capability is Capability.PROTECTED:
        return "ok", expected.detail, ""
    if rule is CaptureMode.REQUIRE:
        return "fail", f"{expected.detail} The policy requires it (capture_protection = \"require\").", \
            "Use an OS that can block capture, or set capture_protection = \"prefer\" if the floor accepts that."
    return "warn", f"{expected.detail} The policy prefers it, so clips play with the watermark only.", ""


def _sample() -> tuple[Path, dict[str, object]]:
    folder = resources_dir() / "selftest"
    return folder / "sample.clip", json.loads((folder / "sample.json").read_text(encoding="utf-8"))


def frames_digest(source: FrameSource) -> tuple[int, list[list[int]]]:
    """How many frames ``source`` gives and each one's picture in brief: 8×6 cells of mean brightness."""
    import cv2

    digest: list[list[int]] = []
    while (frame := source.read()) is not None:
        grey = cv2.cvtColor(frame.image, cv2.COLOR_BGR2GRAY)
        digest.append([int(v) for v in cv2.resize(grey, (8, 6), interpolation=cv2.INTER_AREA).ravel()])
    return len(digest), digest


def _decoder() -> tuple[Status, str, str]:
    path, meta = _sample()
    key = bytes.fromhex(str(meta["key"]))
    fix = "Reinstall the app: its decoder or the sample in resources/selftest is damaged."
    with ReaderFrameSource(DecryptingReader(path, key, expected_clip_id=SAMPLE_CLIP_ID)) as source:
        exact = source.exact
        count, means = frames_digest(source)
    expected = meta["digest"]
    assert isinstance(expected, list)
    if count != meta["frames"] or len(expected) != count:
        return "fail", f"the sample decoded to {count} frames, not {meta['frames']}", fix
    off = max((abs(a - b) for got, want in zip(means, expected, strict=True) for a, b in zip(got, want, strict=True)),
              default=0)
    if off > SAMPLE_CELL_TOLERANCE:
        return "fail", f"the sample's pictures came out wrong (a cell's brightness off by {off})", fix
    how = "exact timestamps" if exact else "OpenCV fallback (no exact stepping)"
    return ("ok" if exact else "warn"), f"the sealed sample decrypted and decoded: {count} frames, {how}", ""


def _cache(policy: Policy | None, probes: Probes) -> tuple[Status, str, str]:
    folder = (policy.cache_dir if policy is not None and policy.cache_dir else None) or probes.data_dir() / "cache"
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    free_mb = shutil.disk_usage(existing).free // (1024 * 1024)
    probe_dir = folder if folder.exists() else existing
    probe = probe_dir / f".selftest-{secrets.token_hex(6)}"
    try:
        probe.write_bytes(b"0" * 4096)
        probe.unlink()
    except OSError as exc:
        with contextlib.suppress(OSError):
            probe.unlink(missing_ok=True)
        return "fail", f"{probe_dir} cannot be written ({exc.strerror})", "Give the seat's users write access there."
    shift_size = policy.shift_size if policy is not None else 150
    quota = policy.cache_quota_mb if policy is not None else 20_000
    need = min(quota, shift_size * MB_PER_CLIP)
    if free_mb < need:
        return "fail", f"{free_mb} MB free under {folder}; a shift of {shift_size} clips needs up to {need} MB", \
            "Free disk space, or set cache_dir to a larger disk."
    if free_mb < quota:
        return "warn", f"{free_mb} MB free under {folder}: enough for a shift, less than cache_quota_mb ({quota})", ""
    return "ok", f"{folder}: writable, {free_mb} MB free", ""


def _audio(probes: Probes) -> tuple[Status, str, str]:
    if probes.audio_outputs is None:
        return "warn", "not checked here", ""
    outputs = probes.audio_outputs()
    if not outputs:
        return "warn", "no audio output: clips play without sound", "Connect headphones if the floor labels sound."
    return "ok", f"{len(outputs)} output(s): {', '.join(outputs[:3])}", ""


def _hub(policy: Policy | None, probes: Probes) -> Iterable[Check]:
    titles = {"hub": "Floor hub", "tls": "TLS trust", "clock": "Clock"}
    if policy is None:
        for name, title in titles.items():
            yield Check(name, title, "fail", "not checked: the machine policy is not valid", "Fix the policy first.")
        return
    try:
        context = hub_tls_context(policy)
    except PolicyError as exc:
        yield Check("hub", titles["hub"], "fail", "; ".join(exc.problems), "Lay the floor CA file the policy names.")
        return
    client = HubClient(policy.hub_url, transport=probes.transport, verify=context if context is not None else True,
                       timeout=10.0)
    try:
        sent = probes.now()
        health, date = client.health_and_date()
        received = probes.now()
    except HubUntrusted as exc:
        yield Check("hub", titles["hub"], "fail", f"{policy.hub_url} answered, but its certificate is not trusted",
                    "See the TLS trust line.")
        yield Check("tls", titles["tls"], "fail", exc.message, exc.hint)
        return
    except HubClientError as exc:
        yield Check("hub", titles["hub"], "fail", exc.message, exc.hint)
        yield Check("tls", titles["tls"], "fail", "not checked: the hub did not answer", "")
        return
    finally:
        client.close()
    version = health.get("version", "?")
    yield Check("hub", titles["hub"], "ok", f"{policy.hub_url} answered (hub version {version}, this app {__version__})")
    if policy.hub_ca is not None:
        yield Check("tls", titles["tls"], "ok", f"the hub's certificate is signed by the floor CA in {policy.hub_ca}")
    else:
        yield Check("tls", titles["tls"], "ok", "plain HTTP to a hub on this machine (loopback only)")
    yield _clock(date, sent, received)


def _clock(date: str | None, sent: float, received: float) -> Check:
    if not date:
        return Check("clock", "Clock", "warn", "the hub's answer carried no time to compare with", "")
    try:
        hub_time = parsedate_to_datetime(date).timestamp()
    except (TypeError, ValueError):
        return Check("clock", "Clock", "warn", f"the hub's time {date!r} cannot be read", "")
    # the Date header has whole seconds: anything within the round trip plus one second is "same time"
    middle = (sent + received) / 2
    slack = (received - sent) / 2 + 1.0
    skew = middle - hub_time
    off = max(0.0, abs(skew) - slack)
    ahead = "ahead of" if skew > 0 else "behind"
    fix = "Set this PC to take its time from the network (NTP), like the hub."
    if off > CLOCK_TOLERANCE_S:
        return Check("clock", "Clock", "fail", f"this PC's clock is {abs(skew):.0f} s {ahead} the hub's; "
                     f"decisions would be marked as made at the wrong time", fix)
    if off > CLOCK_WARN_S:
        return Check("clock", "Clock", "warn", f"this PC's clock is {abs(skew):.0f} s {ahead} the hub's", fix)
    return Check("clock", "Clock", "ok", "this PC's clock agrees with the hub's")
