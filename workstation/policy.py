"""Machine policy: the settings IT lays on a floor PC, in TOML, in the machine-wide place per OS.

The user cannot override it: there is no per-user policy file, no environment variable and no command
line flag that changes it. The demo builds a :class:`Policy` in code for its own loopback hub.
A policy with a mistake is refused at start with one message per mistake.

Protects against: a user loosening the seat's settings (plain-HTTP hub, key store, capture rule), and
a typo silently falling back to a default. Does not protect against: an administrator of the PC, who
can edit the machine-wide file — the file's own permissions are the operating system's job.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import socket
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from workstation.errors import WorkstationError

KEY_STORES = ("keyring", "memory")
CAPTURE_MODES = ("require", "prefer")


class PolicyError(WorkstationError):
    """The machine policy is missing or has mistakes; ``problems`` lists each one."""

    def __init__(self, path: Path | None, problems: list[str]) -> None:
        where = f" in {path}" if path else ""
        lines = "; ".join(problems)
        super().__init__(
            f"The machine policy{where} is not valid: {lines}.",
            hint="Ask IT to correct the policy file; the app does not start without a valid one.",
        )
        self.path = path
        self.problems = problems


def machine_policy_path() -> Path:
    """Where the machine-wide policy lives on this OS."""
    if sys.platform == "win32":
        base = Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData"))
        return base / "FloorWorkstation" / "policy.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/FloorWorkstation/policy.toml")
    return Path("/etc/floor-workstation/policy.toml")


@dataclass(frozen=True)
class Policy:
    """Validated machine policy. Field defaults are the product's defaults."""

    hub_url: str
    hub_ca: Path | None = None
    key_store: str = "keyring"
    capture_protection: str = "prefer"
    idle_lock_minutes: int = 10
    cache_dir: Path | None = None
    cache_quota_mb: int = 20_000
    shift_size: int = 150
    seat: str = field(default_factory=socket.gethostname)
    break_minutes: int = 50
    blur_projects: tuple[str, ...] = ()


_FIELDS: dict[str, type] = {
    "hub_url": str,
    "hub_ca": str,
    "key_store": str,
    "capture_protection": str,
    "idle_lock_minutes": int,
    "cache_dir": str,
    "cache_quota_mb": int,
    "shift_size": int,
    "seat": str,
    "break_minutes": int,
    "blur_projects": list,
}


def parse_policy(data: dict[str, Any], path: Path | None = None) -> Policy:
    """Validate a parsed TOML table; raise :class:`PolicyError` listing every mistake."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _FIELDS:
            close = difflib.get_close_matches(key, list(_FIELDS), n=1)
            suggestion = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(f"unknown setting '{key}'{suggestion}")
            continue
        expected = _FIELDS[key]
        if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append(f"'{key}' must be a whole number, not {value!r}")
            continue
        if expected is str and not isinstance(value, str):
            problems.append(f"'{key}' must be text in quotes, not {value!r}")
            continue
        if expected is list:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"'{key}' must be a list of texts in quotes, e.g. [\"security\"], not {value!r}")
                continue
            value = tuple(value)
        values[key] = value
    if "hub_url" not in data:
        problems.append("'hub_url' is missing (the floor hub's address, e.g. \"https://hub.floor:8470\")")
    url = values.get("hub_url")
    if isinstance(url, str) and not url.startswith(("https://", "http://")):
        problems.append(f"'hub_url' must start with https:// (got {url!r})")
    if isinstance(url, str) and url.startswith("http://") and not _is_loopback_url(url):
        problems.append("'hub_url' must use https:// unless the hub is on this machine (loopback)")
    if values.get("key_store", "keyring") not in KEY_STORES:
        problems.append(f"'key_store' must be one of {', '.join(KEY_STORES)} (got {values['key_store']!r})")
    if values.get("capture_protection", "prefer") not in CAPTURE_MODES:
        problems.append(
            f"'capture_protection' must be one of {', '.join(CAPTURE_MODES)} "
            f"(got {values['capture_protection']!r})"
        )
    for key, low, high in (("idle_lock_minutes", 1, 240), ("shift_size", 1, 500), ("cache_quota_mb", 100, 10**7),
                           ("break_minutes", 0, 480)):
        if key in values and not low <= values[key] <= high:
            problems.append(f"'{key}' must be between {low} and {high} (got {values[key]})")
    if "hub_ca" in values and path is not None and not Path(values["hub_ca"]).is_file():
        problems.append(f"'hub_ca' names {values['hub_ca']}, which does not exist")
    if problems:
        raise PolicyError(path, problems)
    for key in ("hub_ca", "cache_dir"):
        if key in values:
            values[key] = Path(values[key])
    return Policy(**values)


def _is_loopback_url(url: str) -> bool:
    """True only for a URL whose host is literally a loopback address or ``localhost`` (no user info)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    if not host or "@" in parts.netloc:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate the machine policy (the machine-wide file unless a test passes a path)."""
    path = path or machine_policy_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PolicyError(path, [f"there is no policy file at {path}"]) from None
    except OSError as exc:
        raise PolicyError(path, [f"the file cannot be read ({exc.strerror})"]) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(path, [f"it is not valid TOML ({exc})"]) from None
    return parse_policy(data, path)
