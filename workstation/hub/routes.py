"""The hub API v1 endpoints a workstation uses (docs/CONTRACTS.md, "hub HTTP API v1"). Thin: each calls one
domain module. Supervisor and admin endpoints live in :mod:`workstation.hub.admin_routes`.

Every bearer endpoint resolves the caller first (:func:`workstation.hub.auth.caller_for_token`: session,
device, user), then the role it needs (:func:`role`), and only then looks at ids: so a missing or bad
token is 401, a revoked device or a wrong role 403, before anything about the resource is told.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response, status
from fastapi.responses import FileResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from workstation import __version__
from workstation.hub import auditlog, auth, devices, disposals, labels, shifts, users
from workstation.hub.config import HubConfig
from workstation.hub.db import HubDatabase, HubDB
from workstation.hub.errors import TooLarge, Unauthorized
from workstation.hub.home import HubHome
from workstation.hub.schema import (
    AuditBatchIn,
    AuditBatchOut,
    AuditHeadOut,
    ChallengeIn,
    ChallengeOut,
    DeviceEnrollIn,
    DeviceEnrollOut,
    DeviceStatusOut,
    ErrorOut,
    HealthOut,
    LabelBatchIn,
    LabelBatchOut,
    RejectedItemOut,
    SessionIn,
    SessionOut,
    ShiftClosedOut,
    ShiftIn,
    ShiftKeysOut,
    ShiftOut,
    ShiftStateOut,
    UserOut,
)

ERRORS = {code: {"model": ErrorOut} for code in (401, 403, 404, 409, 410, 413, 422, 429, 503)}
router = APIRouter(responses=ERRORS)  # type: ignore[arg-type]
_bearer = HTTPBearer(auto_error=False, description="The token from POST /api/v1/sessions.")
_ID = r"^[0-9a-f]{32}$"


# Dependencies that only read the app's state, and the connection pool's lending, are ``async``: FastAPI runs a
# plain ``def`` dependency in its thread pool, one hand-over to a worker thread and back each (a generator, two),
# which cost more CPU than these take and queued them behind every busy request under load (the load benchmark).


async def _home(request: Request) -> HubHome:
    home: HubHome = request.app.state.home
    return home


async def _config(request: Request) -> HubConfig:
    config: HubConfig = request.app.state.config
    return config


async def _db(request: Request) -> AsyncIterator[HubDB]:
    pool: HubDatabase = request.app.state.pool
    slots: asyncio.Semaphore | None = request.app.state.db_slots
    if slots is None:
        with pool.connection() as db:
            yield db
        return
    async with slots:  # PostgreSQL: at most pool.limit connections per hub process (its max_connections is shared)
        with pool.connection() as db:
            yield db


Db = Annotated[HubDB, Depends(_db, scope="function")]  # back to the pool before a body streams (a download)
Config = Annotated[HubConfig, Depends(_config)]
Home = Annotated[HubHome, Depends(_home)]
ShiftId = Annotated[str, Path(pattern=_ID)]
ClipId = Annotated[str, Path(pattern=_ID)]


def _caller(db: Db, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
            request: Request, config: Config) -> auth.Caller:
    if credentials is None:
        raise Unauthorized("This request needs a session token; sign in first.")
    caller = auth.caller_for_token(db, credentials.credentials)
    devices.seen(db, caller.device_id, request.headers.get("user-agent"), known_version=caller.app_version,
                 last_seen_at=caller.last_seen_at, every_s=config.device_seen_every_s)
    return caller


Caller = Annotated[auth.Caller, Depends(_caller)]

SHIFT_ROLES = (users.ANNOTATOR, users.SUPERVISOR)
"""Who takes shifts (watches clips): not IT's admin accounts."""
SUPERVISING = (users.SUPERVISOR, users.ADMIN)


def _address(request: Request) -> str:
    """The peer's address as the socket has it (X-Forwarded-For is not trusted)."""
    return request.client.host if request.client is not None else "unknown"


def role(roles: tuple[str, ...], what: str) -> Any:
    """A dependency: the caller, when their role is one of ``roles`` (403 otherwise)."""

    async def _check(caller: Caller) -> auth.Caller:
        return caller.require(roles, what)

    return Depends(_check)


@router.get("/health", response_model=HealthOut)
def health() -> HealthOut:
    return HealthOut(version=__version__)


@router.post("/devices", response_model=DeviceEnrollOut, status_code=status.HTTP_201_CREATED,
             responses={200: {"model": DeviceEnrollOut, "description": "The key was enrolled before: its device."}})
def enroll_device(body: DeviceEnrollIn, db: Db, response: Response, config: Config,
                  request: Request) -> DeviceEnrollOut:
    """Enroll a workstation's device key; IT approves it by its enrollment code. A known key answers 200.

    New keys are limited per address (429) and while too many wait for approval (503), both with Retry-After."""
    limits = devices.EnrollLimits(per_address=config.enroll_per_address, window_s=config.enroll_window_s,
                                  max_pending=config.max_pending_devices)
    device, created = devices.enroll(db, body.public_key, body.label, address=_address(request), limits=limits)
    if not created:
        response.status_code = status.HTTP_200_OK
    return DeviceEnrollOut(device_id=device.device_id, enrollment_code=device.enrollment_code,
                           status=device.status)  # type: ignore[arg-type]


@router.get("/devices/{device_id}", response_model=DeviceStatusOut)
def device_status(device_id: Annotated[str, Path(pattern=_ID)], db: Db) -> DeviceStatusOut:
    device = devices.get(db, device_id)
    return DeviceStatusOut(device_id=device.device_id, status=device.status)  # type: ignore[arg-type]


@router.post("/sessions/challenge", response_model=ChallengeOut)
def challenge(body: ChallengeIn, db: Db, config: Config) -> ChallengeOut:
    nonce = auth.issue_challenge(db, body.device_id, config.challenge_ttl_s)
    return ChallengeOut(nonce=nonce, expires_in=config.challenge_ttl_s)


@router.post("/sessions", response_model=SessionOut)
def sign_in(body: SessionIn, db: Db, config: Config, request: Request) -> SessionOut:
    """Sign in; failures are throttled per user name, device and address (429 with Retry-After)."""
    address = _address(request)
    session = auth.sign_in(db, username=body.username, password=body.password, device_id=body.device_id,
                           nonce=body.nonce, signature=body.signature, address=address, config=config)
    devices.seen(db, body.device_id, request.headers.get("user-agent"), known_version=None, last_seen_at=None,
                 every_s=config.device_seen_every_s, force=True)
    return SessionOut(token=session.token, expires_at=session.expires_at,
                      user=UserOut(name=session.user.name, role=session.user.role))


@router.delete("/sessions", status_code=status.HTTP_204_NO_CONTENT)
def sign_out(db: Db, caller: Caller) -> Response:
    auth.sign_out(db, caller)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/shifts", response_model=ShiftOut, status_code=status.HTTP_201_CREATED,
             responses={200: {"model": ShiftOut, "description": "The caller's open shift, re-keyed to this device."}})
def start_shift(body: ShiftIn, db: Db, caller: Annotated[auth.Caller, role(SHIFT_ROLES, "take a shift")],
                config: Config, response: Response) -> ShiftOut:
    """A new shift (201), or the caller's open shift re-keyed and moved to this device (200)."""
    size = min(body.size or config.default_shift_size, config.max_shift_size)
    shift, created = shifts.start_shift(db, caller, body.public_key, size,
                                        shifts.Mix(gold_rate=config.gold_rate, overlap_rate=config.overlap_rate))
    if not created:
        response.status_code = status.HTTP_200_OK
    return shift


@router.get("/shifts/{shift_id}", response_model=ShiftStateOut)
def shift_state(shift_id: ShiftId, db: Db, caller: Caller) -> ShiftStateOut:
    return shifts.state(db, caller, shift_id)


@router.get("/shifts/{shift_id}/keys", response_model=ShiftKeysOut)
def shift_keys(shift_id: ShiftId, db: Db, caller: Caller, home: Home) -> ShiftKeysOut:
    return ShiftKeysOut(suite=shifts.SUITE, keys=shifts.sealed_keys(db, home.master_key, caller, shift_id))


@router.get("/shifts/{shift_id}/keys/{clip_id}", response_model=ShiftKeysOut)
def shift_key(shift_id: ShiftId, clip_id: ClipId, db: Db, caller: Caller, home: Home) -> ShiftKeysOut:
    """One clip's key, sealed like the shift's keys; 410 once the clip was disposed of."""
    return ShiftKeysOut(suite=shifts.SUITE, keys={clip_id: shifts.sealed_key(db, home.master_key, caller, shift_id,
                                                                             clip_id)})


@router.get("/shifts/{shift_id}/clips/{clip_id}", response_class=FileResponse,
            responses={200: {"content": {"application/octet-stream": {}}, "description": "The clip container."}})
def download_clip(shift_id: ShiftId, clip_id: ClipId, db: Db, caller: Caller, home: Home,
                  config: Config) -> FileResponse:
    """The clip's ciphertext, unchanged (the clip container format); 410 once the clip was disposed of."""
    path = home.blob_path(clip_id)
    shifts.clip_blob(db, path, caller, shift_id, clip_id)
    response = FileResponse(path, media_type="application/octet-stream")
    response.chunk_size = config.download_chunk_bytes
    return response


@router.post("/shifts/{shift_id}/close", response_model=ShiftClosedOut)
def close_shift(shift_id: ShiftId, db: Db, caller: Caller) -> ShiftClosedOut:
    shifts.close(db, caller, shift_id)
    return ShiftClosedOut(shift_id=shift_id)


@router.post("/labels/batch", response_model=LabelBatchOut)
def post_labels(body: LabelBatchIn, db: Db, caller: Caller, config: Config) -> LabelBatchOut:
    """Judge and store labels item by item: accepted, duplicates (a retry: nothing changes) or rejected
    (with a code and a reason; the others are not affected). An item id belongs to its author.

    A flag asks for the clip's disposal. ``withdrawn`` names clips of the caller's open shifts that were
    disposed of: the seat drops them."""
    if len(body.items) > config.max_label_batch:
        raise TooLarge(f"A batch may hold at most {config.max_label_batch} labels; this one has {len(body.items)}.",
                       hint="Send the labels in smaller batches.")
    outcome = labels.accept_batch(db, caller, body.items, erased_labels=config.erased_labels)
    return LabelBatchOut(accepted=outcome.accepted, duplicates=outcome.duplicates,
                         rejected=[RejectedItemOut(id=r.id, code=r.code, reason=r.reason) for r in outcome.rejected],
                         withdrawn=disposals.withdrawn_for(db, caller.user))


@router.get("/audit/head", response_model=AuditHeadOut)
def audit_head(db: Db, caller: Caller) -> AuditHeadOut:
    """The last audit event the hub holds of the caller's device (seq 0 when none)."""
    seq, hash_ = auditlog.head_of(db, caller.device_id)
    return AuditHeadOut(device_id=caller.device_id, seq=seq, hash=hash_)


@router.post("/audit/batch", response_model=AuditBatchOut)
def post_audit(body: AuditBatchIn, db: Db, caller: Caller, config: Config) -> AuditBatchOut:
    """Continue the caller's device chain; duplicates are idempotent, a changed event is 409 (tampering)."""
    if len(body.events) > config.max_audit_batch:
        raise TooLarge(f"A batch may hold at most {config.max_audit_batch} audit events; this one has "
                       f"{len(body.events)}.", hint="Send the events in smaller batches.")
    accepted, duplicates, (seq, hash_) = auditlog.accept_batch(db, caller, body.events)
    return AuditBatchOut(accepted=accepted, duplicates=duplicates,
                         head=AuditHeadOut(device_id=caller.device_id, seq=seq, hash=hash_))
