"""The hub API v1 endpoints of the supervisor's dashboard (docs/CONTRACTS.md): metrics, agreement, one
annotator's decisions, gold clips, who was given and who viewed a clip, and label exports.

Supervisors and admins only (annotators get 403). Thin: each calls one domain module — the figures come from the
summaries in the database (:mod:`workstation.hub.dashboard`), never from video.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from fastapi.responses import StreamingResponse

from workstation.hub import clipaudit, dashboard, exports, gold
from workstation.hub.admin_routes import Supervisor, UserName
from workstation.hub.routes import ERRORS, Db, Home
from workstation.hub.supervisor_schema import (
    AgreementOut,
    AnnotatorMetricsOut,
    ClipAuditOut,
    DecisionsOut,
    GoldIn,
    GoldListOut,
    GoldOut,
    HourlyOut,
)

router = APIRouter(responses=ERRORS)  # type: ignore[arg-type]
_HEX = r"^[0-9a-f]{32}$"
From = Annotated[str | None, Query(alias="from", description="First day, YYYY-MM-DD (UTC); default: 6 days before 'to'.")]
To = Annotated[str | None, Query(description="Last day, YYYY-MM-DD (UTC), included; default: today.")]


@router.get("/metrics/annotators", response_model=AnnotatorMetricsOut, response_model_by_alias=True)
def annotator_metrics(db: Db, caller: Supervisor, from_: From = None, to: To = None,
                      group: Annotated[str, Query(description="day, shift, period or all")] = "all") -> dict[str, object]:
    """Per annotator and day, shift, work period, or the whole range: clips, active hours, clips per active hour,
    median and p90 seconds per clip, watched fraction, fast share, skip and flag rates, gold accuracy, label
    counts; the same over the whole floor; and the outliers with the reason."""
    return dashboard.annotators(db, dashboard.date_range(from_, to), group)


@router.get("/metrics/hourly", response_model=HourlyOut, response_model_by_alias=True)
def hourly_metrics(db: Db, caller: Supervisor, from_: From = None, to: To = None,
                   annotator: Annotated[str | None, Query(max_length=64)] = None) -> dict[str, object]:
    """Clips and active hours for every hour of the range (UTC), the floor's or one annotator's."""
    return dashboard.hourly(db, dashboard.date_range(from_, to), annotator)


@router.get("/metrics/agreement", response_model=AgreementOut, response_model_by_alias=True)
def agreement_metrics(db: Db, caller: Supervisor, from_: From = None, to: To = None,
                      min_n: Annotated[int, Query(ge=1, description="Leave out pairs with fewer clips in common.")] = 1,
                      ) -> dict[str, object]:
    """Cohen's kappa per pair of annotators over the clips both labelled, each annotator against her peers,
    Fleiss' kappa and Krippendorff's alpha (nominal) over the overlapped clips."""
    return dashboard.agreement_of(db, dashboard.date_range(from_, to), min_n)


@router.get("/annotators/{name}/decisions", response_model=DecisionsOut, response_model_by_alias=True)
def annotator_decisions(name: UserName, db: Db, caller: Supervisor, from_: From = None,
                        to: To = None) -> dict[str, object]:
    """One annotator's standing decisions in the range, with their timings and gold — labels and times, never
    video."""
    return dashboard.decisions(db, name, dashboard.date_range(from_, to))


@router.get("/audit/events", response_model=ClipAuditOut)
def clip_audit(db: Db, caller: Supervisor,
               clip_id: Annotated[str, Query(pattern=_HEX, description="The clip's id.")]) -> dict[str, object]:
    """Who was given and who viewed the clip: the shifts that listed it, every key and download handed out,
    the seats' audit events about it, and its decisions."""
    return clipaudit.for_clip(db, clip_id)


@router.get("/gold", response_model=GoldListOut)
def list_gold(db: Db, caller: Supervisor) -> GoldListOut:
    """Every gold clip with its label (never shown to annotators)."""
    return GoldListOut(gold=[GoldOut(**g.as_dict()) for g in gold.list_gold(db)])


@router.post("/gold", response_model=GoldOut)
def add_gold(body: GoldIn, db: Db, caller: Supervisor) -> GoldOut:
    """Mark a clip gold with its right label (or change the label); shifts mix gold clips in blindly."""
    return GoldOut(**gold.add(db, body.clip_id, body.label, actor=caller.user, device_id=caller.device_id).as_dict())


@router.delete("/gold/{clip_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_gold(clip_id: Annotated[str, Path(pattern=_HEX)], db: Db, caller: Supervisor) -> Response:
    """The clip is no longer gold; decisions already made on it are no longer judged against it."""
    gold.remove(db, clip_id, actor=caller.user, device_id=caller.device_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/exports/labels", response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}, "application/json": {}},
                             "description": "The standing decisions of the range; never clip bytes."}})
def export_labels(db: Db, home: Home, caller: Supervisor, from_: From = None, to: To = None,
                  format: Annotated[str, Query(description="csv, jsonl or labelstudio")] = "csv",
                  ) -> StreamingResponse:
    """Every standing decision of the range (annotator, seat, clip id, label, reason, comment, timings, times)
    as CSV, JSON Lines or Label Studio import JSON; without 'from' and 'to', every one. The export is audited on
    the hub (who, when, format, rows)."""
    rng, fmt = dashboard.date_range(from_, to, whole=True), exports.check_format(format)
    export = exports.Export(home.connect(), db, fmt, rng, actor=caller.user, device_id=caller.device_id)
    return StreamingResponse(export.chunks(), media_type=exports.MEDIA_TYPES[export.format],
                             headers={"Content-Disposition": f'attachment; filename="{export.filename}"',
                                      "X-Export-Rows": str(export.rows)})
