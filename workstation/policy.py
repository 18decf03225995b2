"""Machine policy: the settings IT lays on a floor PC, in TOML, in the machine-wide place per OS.

The user cannot override it: there is no per-user policy file, no environment variable and no command
line flag that changes it. The demo builds a :class:`Policy` in code for its own loopback hub.
A policy with a mistake is refused at start with one message per mistake.

The hub's TLS trust comes from here only: an ``https://`` hub needs ``hub_ca``, a PEM file holding the
floor CA's certificate, and :func:`hub_tls_context` trusts exactly that CA (see
:mod:`workstation.sync.tls`). Plain ``http://`` is allowed only for a hub on this machine (loopback).
A relative ``hub_ca`` is read next to the policy file, never from the current folder.

Protects against: a user loosening the seat's settings (plain-HTTP hub, another CA, key store, capture
rule) — the policy's place is fixed per OS (on Windows asked of the OS, not read from ``%ProgramData%``,
which a user can set for their own processes) — and a typo silently falling back to a default.
Does not protect against: an administrator of the PC, who can edit the machine-wide file or the CA
file — their permissions are the operating system's job.
"""

from __future__ import annotations

import difflib
import socket
import ssl
import sys
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from workstation.errors import WorkstationError
from workstation.floorca import FloorCAError, floor_ca_context, read_floor_ca
from workstation.net import is_loopback_host

KEY_STORES = ("keyring", "memory")
SOURCE_LANGUAGE = "en"
PSEUDO_LANGUAGE = "pseudo"
LANGUAGES = (SOURCE_LANGUAGE, "hi", "ro", PSEUDO_LANGUAGE)
"""``language``: the languages the app speaks (English is the source; ``pseudo`` checks layouts: every text
accented and longer). "" (the default) means the system's language, or English when it is not one of these."""


class CaptureMode(StrEnum):
    """``capture_protection``: must clips be kept out of screen captures, or is that only preferred?"""

    REQUIRE = "require"
    PREFER = "prefer"


CAPTURE_MODES = tuple(m.value for m in CaptureMode)


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
        return _windows_program_data() / "FloorWorkstation" / "policy.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/FloorWorkstation/policy.toml")
    return Path("/etc/floor-workstation/policy.toml")


def _windows_program_data() -> Path:
    """``FOLDERID_ProgramData`` from the shell (set machine-wide; ``%PROGRAMDATA%`` is the user's to change)."""
    fallback = Path(r"C:\ProgramData")
    if sys.platform != "win32":
        return fallback
    import ctypes
    from ctypes import wintypes

    class _GUID(ctypes.Structure):
        _fields_ = [("Data1", wintypes.DWORD), ("Data2", wintypes.WORD), ("Data3", wintypes.WORD),
                    ("Data4", ctypes.c_ubyte * 8)]

    folder_id = _GUID(0x62AB5D82, 0xFDC1, 0x4DC3, (ctypes.c_ubyte * 8)(0xA9, 0xDD, 0x07, 0x0D, 0x1D, 0x49, 0x5D, 0x97))
    try:
        shell32, ole32 = ctypes.windll.shell32, ctypes.windll.ole32
    except (AttributeError, OSError):  # not really Windows (a test that sets sys.platform)
        return fallback
    found = ctypes.c_wchar_p()
    try:
        result = shell32.SHGetKnownFolderPath(ctypes.byref(folder_id), 0, None, ctypes.byref(found))
        return Path(found.value) if result == 0 and found.value else fallback
    except OSError:
        return fallback
    finally:
        ole32.CoTaskMemFree(found)


@dataclass(frozen=True)
class Policy:
    """Validated machine policy. Field defaults are the product's defaults."""

    hub_url: str
    hub_ca: Path | None = None
    key_store: str = "keyring"
    capture_protection: CaptureMode = CaptureMode.PREFER
    idle_lock_minutes: int = 10
    cache_dir: Path | None = None
    cache_quota_mb: int = 20_000
    shift_size: int = 150
    seat: str = field(default_factory=socket.gethostname)
    break_minutes: int = 50
    blur_projects: tuple[str, ...] = ()
    shift_key_hours: int = 12
    """A shift's key is shredded on this PC once it is older than this (policy expiry)."""
    min_view_ms: int = 300
    """How long a clip shows before a label key counts (a press before that is answered, not recorded)."""
    language: str = ""
    """The language of the app's screens (one of :data:`LANGUAGES`); "" = the system's."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "capture_protection", CaptureMode(self.capture_protection))


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
    "shift_key_hours": int,
    "min_view_ms": int,
    "language": str,
}


def policy_as_dict(policy: Policy) -> dict[str, Any]:
    """The policy as TOML-like plain values (paths as text, the capture rule as its word), every key."""
    out: dict[str, Any] = {}
    for key in _FIELDS:
        value = getattr(policy, key)
        if isinstance(value, Path):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, StrEnum):
            value = value.value
        out[key] = value
    return out


POLICY_KEYS: tuple[str, ...] = tuple(_FIELDS)
"""Every key a policy file may hold (docs/IT.md and the sample policy name each one)."""


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
    if isinstance(url, str) and url.startswith("https://") and "hub_ca" not in data:
        problems.append(f"'hub_url' uses https:// but {_CA_MISSING}")
    if "hub_ca" in values:
        values["hub_ca"] = ca = _ca_path(values["hub_ca"], path)
        try:
            read_floor_ca(ca)
        except FloorCAError as exc:
            problems.append(f"'hub_ca' file {exc.path} {exc.problem}")
    if values.get("key_store", "keyring") not in KEY_STORES:
        problems.append(f"'key_store' must be one of {', '.join(KEY_STORES)} (got {values['key_store']!r})")
    if values.get("capture_protection", "prefer") not in CAPTURE_MODES:
        problems.append(
            f"'capture_protection' must be one of {', '.join(CAPTURE_MODES)} "
            f"(got {values['capture_protection']!r})"
        )
    if values.get("language", "") not in ("", *LANGUAGES):
        problems.append(f"'language' must be one of {', '.join(LANGUAGES)}, or \"\" for the system's language "
                        f"(got {values['language']!r})")
    for key, low, high in (("idle_lock_minutes", 0, 240), ("shift_size", 1, 500), ("cache_quota_mb", 100, 10**7),
                           ("break_minutes", 0, 480), ("shift_key_hours", 1, 72), ("min_view_ms", 0, 10_000)):
        if key in values and not low <= values[key] <= high:
            problems.append(f"'{key}' must be between {low} and {high} (got {values[key]})")
    if problems:
        raise PolicyError(path, problems)
    if "capture_protection" in values:
        values["capture_protection"] = CaptureMode(values["capture_protection"])
    if "cache_dir" in values:
        values["cache_dir"] = Path(values["cache_dir"])
    return Policy(**values)


_CA_MISSING = "'hub_ca' is missing (the floor CA's certificate file, PEM, that the hub's certificate comes from)"


def _ca_path(value: str, policy_file: Path | None) -> Path:
    """``hub_ca`` as written, a relative one taken next to the policy file (never the current folder)."""
    ca = Path(value)
    if ca.is_absolute():
        return ca
    return (policy_file.parent if policy_file is not None else machine_policy_path().parent) / ca


def hub_tls_context(policy: Policy) -> ssl.SSLContext | None:
    """The TLS trust for the hub: exactly the floor CA in ``hub_ca``; None for a plain-HTTP loopback hub.

    Raises :class:`PolicyError` for an ``https://`` hub without ``hub_ca`` (a policy built in code) and
    for a CA file that cannot be used (changed since the policy was loaded).
    """
    if policy.hub_ca is None:
        if urlsplit(policy.hub_url).scheme == "https":
            raise PolicyError(None, [f"'hub_url' uses https:// but {_CA_MISSING}"])
        return None
    try:
        return floor_ca_context(policy.hub_ca)
    except FloorCAError as exc:
        raise PolicyError(None, [f"'hub_ca' file {exc.path} {exc.problem}"]) from None


def _is_loopback_url(url: str) -> bool:
    """True only for a URL whose host is literally a loopback address or ``localhost`` (no user info)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    if not host or "@" in parts.netloc:
        return False
    return is_loopback_host(host)


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
