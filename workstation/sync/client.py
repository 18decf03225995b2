"""The workstation's HTTP client for the floor hub (API v1, docs/CONTRACTS.md). Synchronous, httpx.

Egress guard — what may leave the workstation:
  * The client has no method that uploads clip bytes, frames or files. Its only bodies are small
    JSON documents: enrollment (device public key, label), sign-in (user name, password, device
    signature), a shift request (shift public key), label batches and audit event batches.
  * :meth:`HubClient.post_labels` checks every item against the ``LabelItem`` shape before anything
    is sent: exactly its keys, their types (``bytes`` and other objects refused), capped string
    lengths, and a ``timings`` object with exactly its three numbers. Anything else is a programming
    error and raises ``ValueError``; nothing of that batch is sent.
  * :meth:`HubClient.post_audit` checks every event against :func:`workstation.audit.check_shape`:
    exactly the audit fields, ids and hashes as hex, and ``data`` of short keys with scalar values
    under 2 KB (no bytes, no arrays).

What it does not protect against: a person who types footage details into a comment (up to 2000
characters), a modified app or another program on the PC that talks to the network itself, and a
camera pointed at the screen. The hub also refuses request bodies over 1 MB.

Errors are :mod:`workstation.sync.errors` classes: ``HubUnavailable`` (cannot connect, timeout),
``HubAuthError`` (401/403), ``HubRateLimited`` (429/503 with ``retry_after``), ``HubRejected`` (other
4xx), ``HubProtocolError`` (5xx, or an answer that is not the API) and ``HubUntrusted`` (TLS: the hub's
certificate is not from the floor CA, not for its address, expired; HTTP/HTTPS mixed up).

TLS: an ``https://`` hub is trusted only through the floor CA (``verify`` = the policy's ``hub_ca`` file
or a context from :func:`workstation.floorca.floor_ca_context`); see :mod:`workstation.sync.tls` for
what that protects against and what not.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import hashlib
import math
import re
import ssl
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Self, TypeVar

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import BaseModel, ValidationError

from workstation import __version__
from workstation.audit import check_shape
from workstation.sync.errors import (
    HubAuthError,
    HubClientError,
    HubProtocolError,
    HubRateLimited,
    HubRejected,
    HubUnavailable,
)
from workstation.sync.tls import client_verify, hub_tls_error
from workstation.vault.sealing import SUITE_NAME
from workstation.wire import signin_message

API_PREFIX = "/api/v1"
DOWNLOAD_CHUNK = 1024 * 1024

Progress = Callable[[int, int], None]
"""Called during a download with (bytes done, bytes total)."""


# --------------------------------------------------------------------------- public results


@dataclass(frozen=True)
class Enrollment:
    device_id: str
    enrollment_code: str
    status: str


@dataclass(frozen=True)
class Session:
    token: str = field(repr=False)
    expires_at: str
    user: str
    role: str


@dataclass(frozen=True)
class ShiftClip:
    clip_id: str
    position: int
    size: int
    sha256: str


@dataclass(frozen=True)
class ShiftInfo:
    shift_id: str
    status: str
    created_at: str
    size: int
    clips: list[ShiftClip]
    taxonomy: dict[str, Any]
    resumed: bool = False
    """True when the hub handed back this device's open shift (re-keyed) instead of a new one."""


@dataclass(frozen=True)
class RejectedItem:
    """An item the hub refused on its own (the others of its batch still count)."""

    id: str
    code: str
    """``invalid`` (not valid for its shift or taxonomy), ``not_yours`` (the shift is not the sender's),
    ``id_taken`` (the id is another author's, or the same id came with other content)."""
    reason: str


@dataclass(frozen=True)
class BatchResult:
    accepted: list[str]
    duplicates: list[str]
    withdrawn: list[str] = field(default_factory=list)
    """Clips of the caller's unfinished shifts the hub disposed of: drop them here."""
    rejected: list[RejectedItem] = field(default_factory=list)


# --------------------------------------------------------------------------- wire answers


class _Health(BaseModel):
    status: str
    version: str


class _Enrolled(BaseModel):
    device_id: str
    enrollment_code: str
    status: str


class _DeviceStatus(BaseModel):
    device_id: str
    status: str


class _Challenge(BaseModel):
    nonce: str
    expires_in: int


class _User(BaseModel):
    name: str
    role: str


class _Session(BaseModel):
    token: str
    expires_at: str
    user: _User


class _Clip(BaseModel):
    clip_id: str
    position: int
    size: int
    sha256: str


class _Shift(BaseModel):
    shift_id: str
    status: str
    created_at: str
    size: int
    clips: list[_Clip]
    taxonomy: dict[str, Any]


class _StateClip(BaseModel):
    clip_id: str
    position: int
    labeled: bool


class _State(BaseModel):
    shift_id: str
    status: str
    size: int
    labeled: int
    clips: list[_StateClip]


class _Keys(BaseModel):
    suite: str
    keys: dict[str, str]


class _Closed(BaseModel):
    shift_id: str
    status: str


class _Rejected(BaseModel):
    id: str
    code: str
    reason: str


class _Batch(BaseModel):
    accepted: list[str]
    duplicates: list[str]
    withdrawn: list[str] = []
    rejected: list[_Rejected] = []


_M = TypeVar("_M", bound=BaseModel)


# --------------------------------------------------------------------------- egress guard

LABEL_KEYS = frozenset({"id", "kind", "shift_id", "clip_id", "label", "shown_at", "decided_at", "comment", "timings",
                        "reason", "retracts"})
LABEL_KINDS = frozenset({"label", "skip", "flag", "retract"})
TIMING_KEYS = frozenset({"watched_s", "replays", "active_s"})
_HEX_ID = re.compile(r"[0-9a-f]{32}")
MAX_LABEL_LEN, MAX_TIME_LEN, MAX_COMMENT_LEN = 64, 40, 2000


def _text(item: Mapping[str, Any], key: str, max_len: int, *, min_len: int = 1) -> str:
    value = item[key]
    if type(value) is not str:
        raise ValueError(f"label item {key!r} must be a str, not {type(value).__name__}")
    if not min_len <= len(value) <= max_len:
        raise ValueError(f"label item {key!r} must be {min_len}–{max_len} characters long")
    return value


def _number(timings: Mapping[str, Any], key: str, kinds: tuple[type, ...]) -> None:
    value = timings[key]
    if type(value) not in kinds or not math.isfinite(value) or value < 0:
        raise ValueError(f"label timing {key!r} must be a finite, non-negative {' or '.join(k.__name__ for k in kinds)}")


def check_label_item(item: object) -> None:
    """Raise ValueError unless ``item`` is exactly a CONTRACTS.md ``LabelItem``."""
    if type(item) is not dict:
        raise ValueError(f"a label item must be a dict, not {type(item).__name__}")
    if set(item) != LABEL_KEYS:
        extra, missing = sorted(map(str, set(item) - LABEL_KEYS)), sorted(LABEL_KEYS - set(item))
        raise ValueError(f"label item keys differ from LabelItem (extra: {extra}, missing: {missing})")
    item_id = _text(item, "id", 36)
    try:
        canonical = str(uuid.UUID(item_id))
    except ValueError:
        canonical = ""
    if canonical != item_id:
        raise ValueError("label item 'id' must be a canonical lowercase UUID string")
    if item["kind"] not in LABEL_KINDS:
        raise ValueError(f"label item 'kind' must be one of {sorted(LABEL_KINDS)}")
    if item["reason"] is not None:
        _text(item, "reason", MAX_LABEL_LEN)
    if item["retracts"] is not None:
        _text(item, "retracts", 36)
    for key in ("shift_id", "clip_id"):
        if not _HEX_ID.fullmatch(_text(item, key, 32)):
            raise ValueError(f"label item {key!r} must be 32 lowercase hex characters")
    _text(item, "label", MAX_LABEL_LEN)
    _text(item, "shown_at", MAX_TIME_LEN)
    _text(item, "decided_at", MAX_TIME_LEN)
    if item["comment"] is not None:
        _text(item, "comment", MAX_COMMENT_LEN, min_len=0)
    timings = item["timings"]
    if type(timings) is not dict or set(timings) != TIMING_KEYS:
        raise ValueError(f"label item 'timings' must be a dict with exactly the keys {sorted(TIMING_KEYS)}")
    _number(timings, "watched_s", (float, int))
    _number(timings, "replays", (int,))
    _number(timings, "active_s", (float, int))


def check_audit_event(event: object) -> None:
    """Raise ValueError unless ``event`` is exactly an audit event of :mod:`workstation.audit` (small scalars)."""
    if type(event) is not dict:
        raise ValueError(f"an audit event must be a dict, not {type(event).__name__}")
    problem = check_shape(event)
    if problem:
        raise ValueError(f"not an audit event: {problem}")


# --------------------------------------------------------------------------- helpers


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _detail(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    detail = body.get("detail") if isinstance(body, dict) else None
    return detail if isinstance(detail, str) and detail else None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _id(value: str, what: str) -> str:
    """Ids go into URL paths: only the 32-hex form passes (a programming error otherwise)."""
    if type(value) is not str or not _HEX_ID.fullmatch(value):
        raise ValueError(f"{what} must be 32 lowercase hex characters")
    return value


# --------------------------------------------------------------------------- request shapes
# One definition of each request the client sends, also used by the load benchmark's simulated seats
# (workstation.bench.load), so both speak exactly this API.


def enroll_body(public_key: bytes, label: str) -> dict[str, Any]:
    """``POST /devices``: the device's raw Ed25519 public key and a label for IT."""
    return {"public_key": _b64(bytes(public_key)), "label": label}


def signin_body(username: str, password: str, device_id: str, nonce: bytes, device_private_key: bytes) -> dict[str, Any]:
    """``POST /sessions``: the credentials and the device key's signature over the challenge (CONTRACTS.md)."""
    signer = Ed25519PrivateKey.from_private_bytes(bytes(device_private_key))
    signature = signer.sign(signin_message(nonce, username))
    return {"username": username, "password": password, "device_id": device_id, "nonce": _b64(nonce),
            "signature": _b64(signature)}


def shift_body(shift_public_key: bytes, size: int | None = None) -> dict[str, Any]:
    """``POST /shifts``: the fresh shift public key (X25519, raw) and, optionally, how many clips."""
    if size is not None and (type(size) is not int or size < 1):
        raise ValueError("shift size must be a positive int")
    body: dict[str, Any] = {"public_key": _b64(bytes(shift_public_key))}
    if size is not None:
        body["size"] = size
    return body


def label_batch_body(items: list[dict[str, Any]]) -> dict[str, Any]:
    """``POST /labels/batch``; every item is checked to be exactly a LabelItem first (the egress guard)."""
    for item in items:
        check_label_item(item)
    return {"items": items}


def audit_batch_body(events: list[dict[str, Any]]) -> dict[str, Any]:
    """``POST /audit/batch``; every event is checked to be exactly an audit event first (the egress guard)."""
    for event in events:
        check_audit_event(event)
    return {"events": events}


def shift_path(shift_id: str, *rest: str) -> str:
    """``/shifts/{id}`` and below (``keys``, ``close``; ``clips/{clip id}`` through :func:`clip_path`)."""
    return "/".join((f"/shifts/{_id(shift_id, 'shift id')}", *rest))


def clip_path(shift_id: str, clip_id: str) -> str:
    return shift_path(shift_id, "clips", _id(clip_id, "clip id"))


# --------------------------------------------------------------------------- the client


class HubClient:
    """One floor hub, one workstation. Not thread-safe: give each thread its own client."""

    def __init__(self, base_url: str, *, transport: httpx.BaseTransport | None = None,
                 verify: ssl.SSLContext | str | Path | bool = True, timeout: float = 10.0,
                 event_hooks: Mapping[str, list[Callable[..., Any]]] | None = None) -> None:
        """``verify``: for an ``https://`` hub the floor CA file or its context (never the system CAs)."""
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX, transport=transport, verify=client_verify(self.base_url, verify),
            timeout=timeout, event_hooks=dict(event_hooks or {}), follow_redirects=False, trust_env=False,
            headers={"User-Agent": f"floor-workstation/{__version__}"},
        )
        self.session: Session | None = None

    # -- plumbing

    def _unavailable(self, exc: Exception) -> HubClientError:
        untrusted = hub_tls_error(self.base_url, exc)
        if untrusted is not None:
            return untrusted
        return HubUnavailable(
            f"The floor hub at {self.base_url} cannot be reached.",
            hint="Check the network, or ask IT whether the hub is running. Labels already made are kept "
                 "and sync when it answers.",
            detail=f"{type(exc).__name__}: {exc}",
        )

    def _not_valid(self, what: str, why: str = "") -> HubProtocolError:
        return HubProtocolError(
            f"The floor hub answered with something that is not valid for {what}{f' ({why})' if why else ''}.",
            hint="Check that the hub address points at the floor hub and that hub and app versions match; "
                 "tell IT if it persists.",
        )

    def _headers(self, auth: bool) -> dict[str, str]:
        if not auth:
            return {}
        if self.session is None:
            raise HubAuthError("This workstation is not signed in to the floor hub.", hint="Sign in first.")
        return {"Authorization": f"Bearer {self.session.token}"}

    def _raise_for_status(self, response: httpx.Response, what: str) -> None:
        code = response.status_code
        if 200 <= code < 300:
            return
        detail = _detail(response)
        if code in (401, 403):
            hint = "Sign in again." if code == 401 else "Ask IT about this workstation's access to the floor hub."
            raise HubAuthError(detail or f"The floor hub refused {what} ({code}).", hint=hint, status=code)
        if code in (429, 503):
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            hint = ("Wait, then sign in again; ask a supervisor if you have forgotten the password."
                    if what == "the sign-in" else "It is retried automatically; labeling goes on meanwhile.")
            raise HubRateLimited(detail or f"The floor hub is busy and asked to retry {what} later.",
                                 hint=hint, status=code, retry_after=retry_after)
        if 400 <= code < 500:
            raise HubRejected(detail or f"The floor hub refused {what} ({code}).", status=code,
                              hint="Tell IT or a supervisor if this keeps happening.")
        if code >= 500:
            raise HubProtocolError(f"The floor hub failed while handling {what} ({code}).", status=code,
                                   hint="Tell IT; the hub's log has the details. Labels wait and sync later.")
        raise self._not_valid(what, f"HTTP {code}")

    def _call(self, method: str, path: str, what: str, *, auth: bool = True, body: Any = None,
              params: Mapping[str, str] | None = None) -> httpx.Response:
        headers = self._headers(auth)
        try:
            response = self._http.request(method, path, json=body, headers=headers, params=params)
        except httpx.ProtocolError as exc:  # garbage instead of HTTP (or TLS where HTTP was expected)
            raise hub_tls_error(self.base_url, exc) or self._not_valid(what, str(exc)) from None
        except (httpx.TransportError, httpx.InvalidURL) as exc:
            raise self._unavailable(exc) from None
        self._raise_for_status(response, what)
        return response

    def _answer(self, response: httpx.Response, model: type[_M], what: str) -> _M:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            not_json = any(error["type"] == "json_invalid" for error in exc.errors())
            why = "not JSON" if not_json else f"{exc.error_count()} field problem(s)"
            raise self._not_valid(what, why) from None

    def _decode(self, value: str, what: str) -> bytes:
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise self._not_valid(what, "bad base64") from None

    # -- unauthenticated

    def health(self) -> dict[str, str]:
        return self.health_and_date()[0]

    def health_and_date(self) -> tuple[dict[str, str], str | None]:
        """The health answer and the hub's clock as its HTTP ``Date`` header says (None when absent)."""
        response = self._call("GET", "/health", "the health check", auth=False)
        return self._answer(response, _Health, "the health check").model_dump(), response.headers.get("date")

    def enroll_device(self, public_key: bytes, label: str) -> Enrollment:
        response = self._call("POST", "/devices", "the device enrollment", auth=False,
                              body=enroll_body(public_key, label))
        answer = self._answer(response, _Enrolled, "the device enrollment")
        return Enrollment(answer.device_id, answer.enrollment_code, answer.status)

    def device_status(self, device_id: str) -> str:
        response = self._call("GET", f"/devices/{_id(device_id, 'device id')}", "the device status", auth=False)
        return self._answer(response, _DeviceStatus, "the device status").status

    def sign_in(self, username: str, password: str, device_id: str, device_private_key: bytes) -> Session:
        """Challenge, sign with the device key, send the credentials; keeps the token for later calls."""
        what = "the sign-in"
        challenge = self._answer(self._call("POST", "/sessions/challenge", what, auth=False,
                                            body={"device_id": device_id}), _Challenge, what)
        nonce = self._decode(challenge.nonce, what)
        body = signin_body(username, password, device_id, nonce, device_private_key)
        answer = self._answer(self._call("POST", "/sessions", what, auth=False, body=body), _Session, what)
        self.session = Session(answer.token, answer.expires_at, answer.user.name, answer.user.role)
        return self.session

    # -- signed in

    def sign_out(self) -> None:
        """End the session on the hub; the token is forgotten here even when the hub cannot be told."""
        if self.session is None:
            return
        try:
            self._call("DELETE", "/sessions", "the sign-out")
        finally:
            self.session = None

    def start_shift(self, shift_public_key: bytes, size: int | None = None) -> ShiftInfo:
        response = self._call("POST", "/shifts", "the shift request", body=shift_body(shift_public_key, size))
        a = self._answer(response, _Shift, "the shift request")
        clips = [ShiftClip(c.clip_id, c.position, c.size, c.sha256) for c in a.clips]
        return ShiftInfo(a.shift_id, a.status, a.created_at, a.size, clips, a.taxonomy,
                         resumed=response.status_code == 200)

    def shift_keys(self, shift_id: str) -> dict[str, bytes]:
        """The shift's clip keys, each sealed to the shift public key (open with ``vault.sealing.open_clip_key``)."""
        what = "the shift's clip keys"
        answer = self._answer(self._call("GET", shift_path(shift_id, "keys"), what), _Keys, what)
        if answer.suite != SUITE_NAME:
            raise self._not_valid(what, f"unknown sealing suite {answer.suite!r}")
        return {clip_id: self._decode(sealed, what) for clip_id, sealed in answer.keys.items()}

    def download_clip(self, shift_id: str, clip_id: str, dst: BinaryIO, progress: Progress | None = None, *,
                      expected_sha256: str, expected_size: int | None = None) -> int:
        """Stream the clip's ciphertext into ``dst``; returns bytes written.

        Checks the length against Content-Length (and ``expected_size`` when given) and the SHA-256
        against the shift listing. On any error ``dst`` holds a partial file: discard it (the cache's
        ``open_writer`` does so).
        """
        what = f"clip {clip_id[:8]}"
        try:
            with self._http.stream("GET", clip_path(shift_id, clip_id), headers=self._headers(True)) as resp:
                if not 200 <= resp.status_code < 300:
                    resp.read()
                    self._raise_for_status(resp, what)
                try:
                    total = int(resp.headers["Content-Length"])
                except (KeyError, ValueError):
                    raise self._not_valid(what, "no Content-Length") from None
                if expected_size is not None and total != expected_size:
                    raise self._not_valid(what, f"{total} bytes where the shift listing says {expected_size}")
                digest, done = hashlib.sha256(), 0
                for chunk in resp.iter_raw(DOWNLOAD_CHUNK):
                    done += len(chunk)
                    if done > total:
                        raise self._not_valid(what, "more bytes than Content-Length")
                    digest.update(chunk)
                    dst.write(chunk)
                    if progress is not None:
                        progress(done, total)
        except httpx.ProtocolError as exc:
            raise hub_tls_error(self.base_url, exc) or self._not_valid(what, str(exc)) from None
        except httpx.TransportError as exc:
            raise self._unavailable(exc) from None
        if done != total:
            raise self._not_valid(what, f"{done} of {total} bytes arrived")
        if digest.hexdigest() != expected_sha256.lower():
            raise self._not_valid(what, "its SHA-256 differs from the shift listing")
        return done

    def post_labels(self, items: list[dict[str, Any]]) -> BatchResult:
        """Send labels (idempotent by item id). Every item must be exactly a LabelItem (see module doc)."""
        body = label_batch_body(items)
        if not items:
            return BatchResult([], [])
        what = "the label batch"
        answer = self._answer(self._call("POST", "/labels/batch", what, body=body), _Batch, what)
        return BatchResult(answer.accepted, answer.duplicates, answer.withdrawn,
                           [RejectedItem(r.id, r.code, r.reason) for r in answer.rejected])

    def post_audit(self, events: list[dict[str, Any]]) -> BatchResult:
        """Send audit events in chain order (idempotent by id). Each must be exactly an audit event."""
        body = audit_batch_body(events)
        if not events:
            return BatchResult([], [])
        what = "the audit events"
        answer = self._answer(self._call("POST", "/audit/batch", what, body=body), _Batch, what)
        return BatchResult(answer.accepted, answer.duplicates)

    def shift_state(self, shift_id: str) -> dict[str, Any]:
        what = "the shift state"
        return self._answer(self._call("GET", shift_path(shift_id), what), _State, what).model_dump()

    def close_shift(self, shift_id: str) -> None:
        what = "closing the shift"
        self._answer(self._call("POST", shift_path(shift_id, "close"), what), _Closed, what)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
