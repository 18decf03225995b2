"""The wire shapes of the supervisor's endpoints (docs/CONTRACTS.md, "hub HTTP API v1"): metrics, agreement,
drill-down, gold, the clip audit and exports. Numbers that are undefined are null."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from workstation.hub.schema import HexId, _In


class Figures(BaseModel):
    clips: int
    active_hours: float
    clips_per_active_hour: float | None
    median_s: float | None = Field(description="Seconds per clip (active), nearest rank, within 5 %.")
    p90_s: float | None
    watched_fraction: float | None
    fast_share: float | None = Field(description="Share decided less than half the clip's length after shown.")
    skip_rate: float | None
    flag_rate: float | None
    gold_accuracy: float | None
    gold_n: int
    implausible: int = Field(description="Decisions with implausible timings: counted, but in no time figure.")
    labels: dict[str, int] = Field(description="Decisions per label code (skip and flag codes included).")


class MetricsRow(Figures):
    annotator: str
    group_key: str = Field(description="The day (YYYY-MM-DD), shift id, work period id, or 'all'.")
    start: str | None
    end: str | None = Field(description="None while a shift or work period is still open.")


class FloorRow(Figures):
    annotator: None = None
    group_key: str = "floor"
    start: str
    end: str
    annotators: int


class OutlierOut(BaseModel):
    annotator: str
    why: str


class AnnotatorMetricsOut(BaseModel):
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    group: str
    rows: list[MetricsRow]
    floor: FloorRow
    outliers: list[OutlierOut]


class HourPoint(BaseModel):
    hour: str
    clips: int
    active_hours: float
    annotators: int


class HourlyOut(BaseModel):
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    annotator: str | None
    points: list[HourPoint]


class PairOut(BaseModel):
    a: str
    b: str
    n: int
    kappa: float | None


class PeerOut(BaseModel):
    annotator: str
    n: int = Field(description="(clip, peer) pairs.")
    kappa: float | None = Field(description="Cohen's kappa against all peers pooled.")


class AgreementOut(BaseModel):
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    clips: int = Field(description="Clips two or more annotators labelled in the range.")
    pairs: list[PairOut]
    fleiss_kappa: float | None
    krippendorff_alpha: float | None
    annotators: list[PeerOut]


class DecisionOut(BaseModel):
    id: str
    annotator: str
    clip_id: str
    shift_id: str
    period_id: str | None
    kind: str
    label: str
    reason: str | None
    comment: str | None
    shown_at: str | None
    decided_at: str | None
    counted_at: str | None
    received_at: str
    active_s: float | None
    watched_s: float | None
    replays: int | None
    elapsed_s: float | None
    clip_duration_s: float | None
    gold_label: str | None
    correct: bool | None
    implausible: str | None
    device_id: str
    seat: str


class DecisionsOut(BaseModel):
    annotator: str
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    decisions: list[DecisionOut]


class GoldIn(_In):
    clip_id: HexId
    label: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class GoldOut(BaseModel):
    clip_id: str
    label: str
    added_by: str
    added_at: str


class GoldListOut(BaseModel):
    gold: list[GoldOut]


class ClipEventOut(BaseModel):
    seq: int
    id: str
    at: str
    kind: str
    device_id: str
    seat: str
    user: str
    shift_id: str | None
    clip_id: str | None
    data: dict[str, Any]
    received_at: str
    delivered_by: str | None = Field(description="The user whose session delivered the event (the hub's knowledge).")
    delivered_device: str | None


class HandoutOut(BaseModel):
    user: str
    device_id: str
    seat: str
    at: str
    what: str = Field(description="keys (the shift's sealed keys), key (this clip's key) or ciphertext (download).")
    shift_id: str


class AssignmentOut(BaseModel):
    shift_id: str
    user: str
    device_id: str
    seat: str
    position: int
    assigned_at: str
    withdrawn_at: str | None
    shift_status: str


class ClipDecisionOut(BaseModel):
    id: str
    user: str
    device_id: str
    seat: str
    shift_id: str
    kind: str
    label: str
    reason: str | None
    decided_at: str | None
    received_at: str
    standing: bool
    implausible: str | None


class ClipInfoOut(BaseModel):
    status: str = Field(description="active, disposed (a confirmed flag), withdrawn (its consent), expired (its "
                                    "retention deadline).")
    project: str
    duration_s: float | None
    ingested_at: str
    gold: bool
    source: str = Field(default="unknown", description="tester, customer, other, or unknown.")
    consent_ref: str | None = None
    consent_scope: str | None = None
    captured_at: str | None = None
    retain_until: str | None = None
    erased_at: str | None = None


class HubActionOut(BaseModel):
    at: str
    actor: str = Field(description="A user name, cli:<account> at the hub's command line, or hub:retention.")
    device_id: str | None
    action: str = Field(description="gold_add, gold_remove, clip_erased, …")
    detail: dict[str, Any] = Field(description="Codes and counts, never content.")


class ClipAuditOut(BaseModel):
    clip_id: str
    clip: ClipInfoOut | None
    events: list[ClipEventOut]
    handouts: list[HandoutOut]
    assignments: list[AssignmentOut]
    decisions: list[ClipDecisionOut]
    hub_actions: list[HubActionOut] = Field(default_factory=list, description="What supervisors, admins and the hub "
                                            "itself did with the clip (gold marks, its erasure), from the hub's audit.")
