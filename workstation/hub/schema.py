"""The hub API v1 wire shapes (docs/CONTRACTS.md), as pydantic models: every body and every answer."""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)


def _decode_b64(value: object) -> bytes:
    if isinstance(value, bytes):  # an answer built in Python
        return value
    if not isinstance(value, str):
        raise ValueError("must be a base64 string")  # noqa: TRY004 - pydantic turns ValueError into a 422
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("is not valid base64") from None


B64Bytes = Annotated[
    bytes,
    PlainValidator(_decode_b64),
    PlainSerializer(lambda raw: base64.b64encode(raw).decode("ascii"), return_type=str),
    WithJsonSchema({"type": "string", "format": "base64"}),
]
HexId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
"""Clip, shift and device ids: uuid4().hex."""


class _In(BaseModel):
    """Every body the API takes: no unknown fields, and no number JSON cannot carry (Infinity, NaN: Python's
    json reads them, SQLite's JSON functions do not, so a stored one would break later requests)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ErrorOut(BaseModel):
    detail: str


class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


class DeviceEnrollIn(_In):
    public_key: B64Bytes = Field(description="Raw 32-byte Ed25519 public key, base64.")
    label: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class DeviceStatusOut(BaseModel):
    device_id: str
    status: Literal["pending", "approved", "revoked"]


class DeviceEnrollOut(DeviceStatusOut):
    enrollment_code: str


class ChallengeIn(_In):
    device_id: HexId


class ChallengeOut(BaseModel):
    nonce: B64Bytes
    expires_in: int


class SessionIn(_In):
    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(max_length=1024)]
    device_id: HexId
    nonce: B64Bytes
    signature: B64Bytes


class UserOut(BaseModel):
    name: str
    role: str


class SessionOut(BaseModel):
    token: str
    expires_at: str
    user: UserOut


class ShiftIn(_In):
    public_key: B64Bytes = Field(description="Raw 32-byte X25519 shift public key, base64.")
    size: int | None = Field(default=None, ge=1, description="How many clips; the hub caps it.")


class ShiftClipOut(BaseModel):
    clip_id: str
    position: int
    size: int = Field(description="Ciphertext bytes.")
    sha256: str = Field(description="SHA-256 of the ciphertext, hex.")


class ShiftOut(BaseModel):
    shift_id: str
    status: Literal["open", "closed"]
    created_at: str
    size: int
    clips: list[ShiftClipOut]
    taxonomy: dict[str, Any]
    withdrawn: list[str] = Field(default_factory=list,
                                 description="Clip ids disposed of since the shift began: drop them.")


class ShiftStateClip(BaseModel):
    clip_id: str
    position: int
    labeled: bool


class ShiftStateOut(BaseModel):
    shift_id: str
    status: Literal["open", "closed"]
    size: int
    labeled: int
    clips: list[ShiftStateClip]
    withdrawn: list[str] = Field(default_factory=list, description="Clip ids of this shift disposed of "
                                 "by a supervisor; no longer in clips, size or labeled.")


class ShiftKeysOut(BaseModel):
    suite: str
    keys: dict[str, B64Bytes]


class ShiftClosedOut(BaseModel):
    shift_id: str
    status: Literal["closed"] = "closed"


MAX_REPLAYS = 1_000_000
"""More replays than a shift has seconds; the bound keeps the count (and the hub's sums of it) in SQLite's integers."""


class Timings(_In):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)
    watched_s: float = Field(ge=0)
    replays: int = Field(ge=0, le=MAX_REPLAYS)
    active_s: float = Field(ge=0)


EARLIEST, LATEST = datetime(2020, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
"""Times the API takes lie in [EARLIEST, LATEST): a seat's clock far off, or garbage, is refused."""
_UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z")


def check_time(value: str) -> str:
    """``value`` when it is an ISO 8601 UTC time ending in ``Z`` (``2025-01-06T09:00:04.250Z``) within the
    bounds; ``ValueError`` with the reason otherwise (no offsets such as ``+00:00``, no naive times)."""
    if not _UTC_TIME.fullmatch(value):
        raise ValueError("must be an ISO 8601 UTC time ending in Z")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("must be an ISO 8601 UTC time ending in Z") from None
    if not EARLIEST <= moment < LATEST:
        raise ValueError(f"must lie between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}")
    return value


WireTime = Annotated[str, StringConstraints(max_length=40)]


class LabelItem(_In):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)
    id: Annotated[str, StringConstraints(max_length=36)]
    kind: Literal["label", "skip", "flag", "retract"]
    shift_id: HexId
    clip_id: HexId
    label: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    shown_at: WireTime
    decided_at: WireTime
    comment: Annotated[str, StringConstraints(max_length=2000)] | None
    timings: Timings
    reason: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    retracts: Annotated[str, StringConstraints(max_length=36)] | None = None

    @field_validator("id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        try:
            canonical = str(uuid.UUID(value))
        except ValueError:
            raise ValueError("must be a UUID string") from None
        if canonical != value:
            raise ValueError("must be a UUID in its canonical lowercase form")
        return value

    @field_validator("shown_at", "decided_at")
    @classmethod
    def _time(cls, value: str) -> str:
        return check_time(value)


class LabelBatchIn(_In):
    items: list[LabelItem]


class RejectedItemOut(BaseModel):
    id: str
    code: Literal["invalid", "not_yours", "id_taken"] = Field(
        description="id_taken: the id is stored already (by another user, or by you with another payload); "
                    "not_yours: the item's shift is not one of yours; invalid: anything else about the item.")
    reason: str = Field(description="One sentence.")


class LabelBatchOut(BaseModel):
    accepted: list[str] = Field(description="Ids stored now, in the order given.")
    duplicates: list[str] = Field(description="Ids you had stored already with exactly this payload.")
    rejected: list[RejectedItemOut] = Field(default_factory=list, description="Items refused, each with a code "
                                            "and a reason; never stored. The other items are not affected.")
    withdrawn: list[str] = Field(default_factory=list, description="Clip ids of the caller's open shifts that "
                                 "were disposed of: drop their cached copies and keys.")


class UserInfoOut(BaseModel):
    name: str
    role: str
    created_at: str
    status: Literal["active", "disabled"]
    disabled_at: str | None


class UnlockOut(BaseModel):
    name: str
    cleared: int = Field(description="Failed sign-in attempts forgotten.")
    workstations: int = Field(description="On how many workstations the user had failures.")


class UserListOut(BaseModel):
    users: list[UserInfoOut]


class DeviceOut(BaseModel):
    device_id: str
    label: str
    status: Literal["pending", "approved", "revoked"]
    enrollment_code: str
    created_at: str
    approved_at: str | None
    revoked_at: str | None
    app_version: str | None = Field(default=None, description="The app version the seat last named (its "
                                    "User-Agent); 'unknown' when another program used its session; null: never "
                                    "signed in.")
    last_seen_at: str | None = Field(default=None, description="Its last signed-in contact, to the minute; null: "
                                     "never.")


class DeviceListOut(BaseModel):
    devices: list[DeviceOut]


class DeviceApproveIn(_In):
    enrollment_code: Annotated[str, StringConstraints(min_length=1, max_length=20)]


class DisposalOut(BaseModel):
    clip_id: str
    status: Literal["pending", "confirmed", "rejected", "retracted", "erased"] = Field(
        description="erased: the clip was erased while the request was pending (its consent withdrawn, its "
                    "retention ended); decided_by is who (or hub:retention), note says why.")
    flagged_by: str
    flag: str
    reason: str
    flagged_at: str
    shift_id: str
    requested_at: str
    decided_by: str | None
    decided_at: str | None
    note: str | None


class DisposalListOut(BaseModel):
    disposals: list[DisposalOut]


class DisposalDecisionIn(_In):
    note: Annotated[str, StringConstraints(max_length=500)] | None = None


class AuditHeadOut(BaseModel):
    device_id: str
    seq: int = Field(description="The last stored event's seq; 0 when the hub holds none yet.")
    hash: str = Field(description="The last stored event's hash; 64 zeros when none.")


class AuditBatchIn(_In):
    events: list[dict[str, Any]] = Field(description="Events exactly as workstation.audit.new_event builds them, "
                                                     "in seq order.")


class AuditBatchOut(BaseModel):
    accepted: list[str]
    duplicates: list[str]
    head: AuditHeadOut


class AuditBreakOut(BaseModel):
    seq: int
    reason: str


class AuditChainOut(BaseModel):
    device_id: str
    label: str
    ok: bool
    events: int
    break_: AuditBreakOut | None = Field(alias="break", serialization_alias="break")


class AuditVerifyOut(BaseModel):
    ok: bool
    chains: list[AuditChainOut]


class ConsentWithdrawIn(_In):
    consent_ref: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="The upstream consent reference, exactly as given at ingest.")


class ConsentWithdrawalOut(BaseModel):
    consent_ref: str
    status: Literal["withdrawn", "already_withdrawn"]
    withdrawn_at: str = Field(description="When the reference was first withdrawn.")
    withdrawn_by: str
    clips: int = Field(description="Clips ever ingested under the reference.")
    clips_erased: int = Field(description="Clips erased by this call (0 when it was withdrawn before).")
    labels_erased: int = Field(description="Labels marked erased (or deleted, per the hub's policy) by this call.")
    erased_clip_ids: list[str]


class HeldRow(BaseModel):
    source: str = Field(description="tester, customer, other, or unknown (held before provenance was recorded).")
    scope: str | None
    clips: int
    without_consent: int = Field(description="Of them, clips that name no consent reference.")


class HeldOut(BaseModel):
    clips: int
    without_consent: int
    by_source: list[HeldRow]


class DueDay(BaseModel):
    day: str
    clips: int


class DueOut(BaseModel):
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    clips: int = Field(description="Held clips whose deadline comes before 'to' (the overdue ones included).")
    overdue: int = Field(description="Of them, past their deadline already (the next sweep erases them).")
    by_day: list[DueDay]


class ErasedReasons(BaseModel):
    flag: int
    withdrawal: int
    retention: int


class ErasedOut(BaseModel):
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    clips: int
    by_reason: ErasedReasons
    consents_withdrawn: int


class ConsentReportOut(BaseModel):
    generated_at: str
    retain_days: int
    held: HeldOut
    due: DueOut
    erased: ErasedOut
