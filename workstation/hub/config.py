"""Tunable limits and settings of the hub. The defaults are the product's; tests and the demo may shrink them.

IT sets the privacy settings of a floor in ``hub.toml`` in the hub's data folder (optional; read by every hub
command and by ``hub serve`` at start, see :func:`load`)::

    retain_days = 90                 # a clip may be kept this many days after it was captured (or submitted)
    allow_without_consent = false    # true: ingest takes clips that name no consent reference
    erased_labels = "keep"           # "keep": an erased clip's labels stay, marked, out of exports and figures;
                                     # "delete": they are deleted with it
    retention_sweep_minutes = 60     # how often ``hub serve`` erases clips past their deadline

A :class:`HubConfig` given in code (tests, the demo, the benchmark) replaces the file.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from workstation.hub import passwords, throttle
from workstation.hub.errors import HubError

SETTINGS_NAME = "hub.toml"
DEFAULT_RETAIN_DAYS = 90
"""The retention of a clip when neither ``hub.toml`` nor ``--retain-days`` says otherwise (and of the clips a hub
held before it recorded deadlines: their ingest time + this)."""
MAX_RETAIN_DAYS = 3650
ERASED_LABELS = ("keep", "delete")


@dataclass(frozen=True)
class HubConfig:
    session_ttl_s: int = 12 * 3600
    challenge_ttl_s: int = 60
    default_shift_size: int = 150
    max_shift_size: int = 500
    max_label_batch: int = 500
    max_body_bytes: int = 1024 * 1024
    """Every request body is JSON and small; this cap means nobody can push clip bytes to the hub."""
    download_chunk_bytes: int = 1024 * 1024
    http_header_timeout_s: float = 10.0
    """Connection limits (:mod:`workstation.hub.server`): a connection that has not sent a whole request's
    headers this long after it opened (or after its last answer) is closed …"""
    http_keep_alive_s: float = 5.0
    """… one that sends nothing after an answer is closed after this …"""
    http_max_connections: int = 200
    """… at most this many connections are open (never more than half the process's file descriptors); a new
    one past it pushes out the one that has waited longest for its request headers …"""
    http_backlog: int = 128
    """… and at most this many wait in the kernel's queue to be accepted."""
    enroll_per_address: int = 10
    """Enrollment (public ``POST /devices``): at most this many new workstations per client address …"""
    enroll_window_s: int = 3600
    """… within this window (429 with Retry-After past it; a known key is always answered) …"""
    max_pending_devices: int = 100
    """… and at most this many waiting for approval at once (503 with Retry-After past it)."""
    test_only_password_cost: passwords.Cost | None = None
    """For tests only: hash new passwords (and rehash old ones) with this cheaper scrypt cost, so a test can
    make many users. None — always, outside tests — is :data:`workstation.hub.passwords.DEFAULT_COST`."""
    api_docs: bool = False
    """Serve the interactive API pages (/docs, /redoc); off unless asked for (``hub serve --docs``). The
    OpenAPI schema itself is always at /openapi.json."""
    max_audit_batch: int = 500
    gold_rate: float = 0.05
    """The share of a new shift's clips that are gold clips (known labels, mixed in blindly; rounded per shift) …"""
    overlap_rate: float = 0.10
    """… and the share of clips handed out that go to a second, different annotator (for agreement)."""
    signin_free_failures_per_user_device: int = 5
    """Sign-in throttling (:mod:`workstation.hub.throttle`): failures that cost no wait per user name on one
    workstation (whether or not the user exists) …"""
    signin_free_failures_per_device: int = 20
    """… per workstation, whatever the name (one seat trying many names) …"""
    signin_free_failures_per_address: int = 50
    """… and per client address (several seats may share one behind NAT, hence the most)."""
    signin_first_wait_s: int = 30
    """The wait after a key's free tries are used up; it doubles with each further failure …"""
    signin_max_wait_s: int = 3600
    """… up to this."""
    signin_forget_after_s: int = 24 * 3600
    """A key with no failure for this long is forgotten (its free tries are back)."""
    retain_days: int = DEFAULT_RETAIN_DAYS
    """Consent and retention (:mod:`workstation.hub.erasure`): a clip's retention deadline is its capture (or
    submission) time plus this many days, unless ingest is given ``--retain-days`` …"""
    allow_without_consent: bool = False
    """… a clip that names no consent reference is refused at ingest unless this is true …"""
    erased_labels: Literal["keep", "delete"] = "keep"
    """… an erased clip's labels (consent withdrawn, deadline passed) are kept marked (out of every export and
    figure) or deleted …"""
    retention_sweep_s: int = 3600
    """… and ``hub serve`` erases clips past their deadline at start and then this often."""
    device_seen_every_s: int = 60
    """A seat's last contact and app version are written at most this often per seat (and at every sign-in)."""

    def __post_init__(self) -> None:
        for name in ("gold_rate", "overlap_rate"):
            if not 0.0 <= getattr(self, name) < 1.0:
                raise ValueError(f"HubConfig.{name} is a share from 0 up to (not including) 1")
        if not 1 <= self.retain_days <= MAX_RETAIN_DAYS:
            raise ValueError(f"HubConfig.retain_days is a number of days from 1 to {MAX_RETAIN_DAYS}")
        if self.erased_labels not in ERASED_LABELS:
            raise ValueError(f"HubConfig.erased_labels is one of {', '.join(ERASED_LABELS)}")
        if self.retention_sweep_s < 1:
            raise ValueError("HubConfig.retention_sweep_s is at least 1 second")

    @property
    def password_cost(self) -> passwords.Cost:
        return self.test_only_password_cost or passwords.DEFAULT_COST

    def signin_policy(self) -> throttle.Policy:
        return throttle.Policy(first_wait_s=self.signin_first_wait_s, max_wait_s=self.signin_max_wait_s,
                               forget_after_s=self.signin_forget_after_s)


SETTINGS: dict[str, tuple[type, str]] = {
    "retain_days": (int, f"a whole number of days from 1 to {MAX_RETAIN_DAYS}"),
    "allow_without_consent": (bool, "true or false"),
    "erased_labels": (str, '"keep" or "delete"'),
    "retention_sweep_minutes": (int, "a whole number of minutes from 1 to 1440"),
}


def _setting_problem(name: str, value: Any) -> str | None:
    kind, wanted = SETTINGS[name]
    wrong = f"{name} must be {wanted}, not {value!r}"
    if kind is bool:
        return None if isinstance(value, bool) else wrong
    if kind is str:
        return None if isinstance(value, str) and value in ERASED_LABELS else wrong
    if isinstance(value, bool) or not isinstance(value, int):  # true is an int to Python, not a number of days here
        return wrong
    highest = MAX_RETAIN_DAYS if name == "retain_days" else 1440
    return None if 1 <= value <= highest else wrong


def load(data_dir: str | Path, base: HubConfig | None = None) -> HubConfig:
    """``base`` (default: the product's defaults) with the settings of ``DIR/hub.toml`` when that file exists.

    Every mistake in the file is named in one :class:`HubError` (unknown keys, wrong types, values out of range);
    a hub never starts on settings it would have to guess at.
    """
    base = base or HubConfig()
    path = Path(data_dir) / SETTINGS_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return base
    except (OSError, UnicodeDecodeError) as exc:
        raise HubError(f"The hub's settings file {path} cannot be read ({getattr(exc, 'strerror', None) or exc}).",
                       hint="Make it a UTF-8 text file the hub's account can read, or remove it.") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise HubError(f"The hub's settings file {path} is not valid TOML ({exc}).",
                       hint="Fix the line named, or remove the file to use the defaults.") from None
    problems = [f"unknown setting {name!r} (known: {', '.join(SETTINGS)})" for name in raw if name not in SETTINGS]
    problems += [p for name, value in raw.items() if name in SETTINGS
                 for p in [_setting_problem(name, value)] if p is not None]
    if problems:
        raise HubError(f"The hub's settings file {path} has {len(problems)} mistake{'s' if len(problems) > 1 else ''}: "
                       + "; ".join(problems) + ".", hint="Fix them, or remove the file to use the defaults.")
    changes: dict[str, Any] = {k: v for k, v in raw.items() if k in ("retain_days", "allow_without_consent",
                                                                       "erased_labels")}
    if "retention_sweep_minutes" in raw:
        changes["retention_sweep_s"] = raw["retention_sweep_minutes"] * 60
    return dataclasses.replace(base, **changes)
