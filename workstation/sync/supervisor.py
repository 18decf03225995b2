"""What a supervisor asks the hub for: per-annotator figures, the hourly trend, agreement, one annotator's
decisions, the disposal queue, the audit chains and exports. Read-only but for disposal decisions; no clip
bytes travel either way (the hub has no endpoint that gives or takes them here).

Every answer is checked against its shape (pydantic) and comes back as plain values; a hub that answers
something else is a :class:`~workstation.sync.errors.HubProtocolError`, as for the rest of the client.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from workstation.sync.client import HubClient


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class AnnotatorRow(_Loose):
    annotator: str
    group_key: str | None = None
    start: str | None = None
    end: str | None = None
    clips: int = 0
    active_hours: float | None = None
    clips_per_active_hour: float | None = None
    median_s: float | None = None
    p90_s: float | None = None
    watched_fraction: float | None = None
    fast_share: float | None = None
    skip_rate: float | None = None
    flag_rate: float | None = None
    gold_accuracy: float | None = None
    gold_n: int | None = None
    implausible: int | None = None
    labels: dict[str, int] = {}


class Outlier(_Loose):
    annotator: str
    why: str


class _Annotators(_Loose):
    rows: list[AnnotatorRow]
    floor: AnnotatorRow | dict[str, Any] | None = None
    outliers: list[Outlier] = []


class HourPoint(_Loose):
    hour: str
    clips: int
    active_hours: float | None = None


class _Hourly(_Loose):
    points: list[HourPoint]


class PairKappa(_Loose):
    a: str
    b: str
    n: int
    kappa: float | None = None


class Agreement(_Loose):
    clips: int = 0
    pairs: list[PairKappa] = []
    fleiss_kappa: float | None = None
    krippendorff_alpha: float | None = None


class DecisionRow(_Loose):
    clip_id: str
    shift_id: str | None = None
    kind: str
    label: str
    reason: str | None = None
    comment: str | None = None
    shown_at: str | None = None
    decided_at: str | None = None
    active_s: float | None = None
    watched_s: float | None = None
    replays: int | None = None
    clip_duration_s: float | None = None
    gold_label: str | None = None
    correct: bool | None = None
    implausible: str | None = None


class _Decisions(_Loose):
    decisions: list[DecisionRow]


class Disposal(_Loose):
    clip_id: str
    status: str
    flagged_by: str
    flag: str
    reason: str
    flagged_at: str
    shift_id: str
    requested_at: str
    decided_by: str | None = None
    decided_at: str | None = None
    note: str | None = None


class _Disposals(_Loose):
    disposals: list[Disposal]


class ConsentSource(_Loose):
    source: str
    scope: str | None = None
    clips: int = 0
    without_consent: int = 0


class _Held(_Loose):
    clips: int = 0
    without_consent: int = 0
    by_source: list[ConsentSource] = []


class _Due(_Loose):
    clips: int = 0
    overdue: int = 0


class _Erased(_Loose):
    clips: int = 0
    by_reason: dict[str, int] = {}
    consents_withdrawn: int = 0


class ConsentReport(_Loose):
    """What a privacy officer sees (``GET /consent/report``): counts only, never clip ids or content."""

    retain_days: int | None = None
    held: _Held = _Held()
    due: _Due = _Due()
    erased: _Erased = _Erased()


class _Verify(_Loose):
    ok: bool
    chains: list[dict[str, Any]]


@dataclass(frozen=True)
class Figures:
    """The per-annotator table, the floor's own figures and the outliers the hub found."""

    rows: list[AnnotatorRow]
    floor: dict[str, Any]
    outliers: list[Outlier]


class SupervisorApi:
    """The supervisor's calls, over a signed-in :class:`HubClient` (its session must be a supervisor's)."""

    def __init__(self, client: HubClient) -> None:
        self.client = client

    def _get(self, path: str, model: type[Any], what: str, params: dict[str, str] | None = None) -> Any:
        return self.client._answer(self.client._call("GET", path, what, params=params), model, what)

    @staticmethod
    def _span(since: date, until: date) -> dict[str, str]:
        return {"from": since.isoformat(), "to": until.isoformat()}

    def figures(self, since: date, until: date, group: str = "all") -> Figures:
        answer = self._get("/metrics/annotators", _Annotators, "the annotators' figures",
                           {**self._span(since, until), "group": group})
        floor = answer.floor.model_dump() if isinstance(answer.floor, BaseModel) else dict(answer.floor or {})
        return Figures(answer.rows, floor, answer.outliers)

    def hourly(self, since: date, until: date, annotator: str | None = None) -> list[HourPoint]:
        params = self._span(since, until) | ({"annotator": annotator} if annotator else {})
        return list(self._get("/metrics/hourly", _Hourly, "the hourly trend", params).points)

    def agreement(self, since: date, until: date) -> Agreement:
        answer: Agreement = self._get("/metrics/agreement", Agreement, "the agreement figures",
                                      self._span(since, until))
        return answer

    def decisions(self, annotator: str, since: date, until: date) -> list[DecisionRow]:
        return list(self._get(f"/annotators/{annotator}/decisions", _Decisions, "the annotator's decisions",
                              self._span(since, until)).decisions)

    def disposals(self) -> list[Disposal]:
        return list(self._get("/disposals", _Disposals, "the disposal queue").disposals)

    def decide_disposal(self, clip_id: str, confirm: bool, note: str) -> Disposal:
        what = "the disposal decision"
        action = "confirm" if confirm else "reject"
        response = self.client._call("POST", f"/disposals/{clip_id}/{action}", what, body={"note": note or None})
        answer: Disposal = self.client._answer(response, Disposal, what)
        return answer

    def consent_report(self) -> ConsentReport:
        report: ConsentReport = self._get("/consent/report", ConsentReport, "the consent report")
        return report

    def audit_chains(self) -> tuple[bool, list[dict[str, Any]]]:
        answer = self._get("/audit/verify", _Verify, "the audit chains")
        return bool(answer.ok), list(answer.chains)
