"""The supervisor's figures, computed in the database from the summaries (:mod:`workstation.hub.summaries`).

Every answer reads summary rows — a few per annotator and day, hour, shift or work period — never the labels
themselves, except the drill-down into one annotator's decisions and the agreement over overlapped clips, which
read through indexes (by annotator and time; by clips decided by two people). Histograms of seconds per clip
are summed in SQL and their medians and p90s read from the sums (:mod:`workstation.metrics.histogram`, ±5 %).

Ranges are whole UTC days ``from`` … ``to`` (both included) of the time each decision counts at. A group of
``shift`` or ``period`` belongs to the range when the shift was handed out, or the period began, within it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from workstation.hub import summaries, workperiods
from workstation.hub.db import HubDB
from workstation.hub.errors import Invalid, NotFound
from workstation.hub.storage import now_iso
from workstation.metrics import agreement, outliers, throughput

GROUPS = ("day", "shift", "period", "all")
MAX_DAYS = 366
DEFAULT_DAYS = 7
_SUMS = ", ".join(f"sum({c})" for c in (*summaries.SUM_COLUMNS, *summaries.HIST_COLUMNS))
_COLUMNS = ", ".join(f"s.{c}" for c in (*summaries.SUM_COLUMNS, *summaries.HIST_COLUMNS))


@dataclass(frozen=True)
class Range:
    first: date
    last: date
    """Included."""

    @property
    def start_at(self) -> str:
        return f"{self.first.isoformat()}T00:00:00.000Z"

    @property
    def end_at(self) -> str:
        return f"{(self.last + timedelta(days=1)).isoformat()}T00:00:00.000Z"

    def pieces(self) -> dict[str, str]:
        """The range as whole weeks (Monday keys ``w1`` … ``w2``) and the days before and after them (``d1`` …
        ``d2``, ``d3`` … ``d4``); an empty piece is an empty key range."""
        monday = self.first + timedelta(days=(7 - self.first.weekday()) % 7)
        sunday = self.last - timedelta(days=(self.last.weekday() + 1) % 7)
        if monday + timedelta(days=6) > sunday:  # no whole week: days only
            return {"w1": "9", "w2": "0", "d1": self.first.isoformat(), "d2": self.last.isoformat(),
                    "d3": "9", "d4": "0"}
        return {"w1": monday.isoformat(), "w2": (sunday - timedelta(days=6)).isoformat(),
                "d1": self.first.isoformat(), "d2": (monday - timedelta(days=1)).isoformat(),
                "d3": (sunday + timedelta(days=1)).isoformat(), "d4": self.last.isoformat()}

    def hours(self) -> list[str]:
        """Every hour key of the range (``YYYY-MM-DDTHH``)."""
        start = datetime(self.first.year, self.first.month, self.first.day, tzinfo=UTC)
        count = ((self.last - self.first).days + 1) * 24
        return [(start + timedelta(hours=h)).strftime("%Y-%m-%dT%H") for h in range(count)]


def _day(text: str, what: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"'{what}' must be a day written YYYY-MM-DD, not {text[:40]!r}.") from None


EARLIEST_DAY, LATEST_DAY = date(2020, 1, 1), date(2099, 12, 31)
"""Every time the hub takes lies within these days (:data:`workstation.hub.schema.EARLIEST`, ``LATEST``)."""


def date_range(first: str | None, last: str | None, *, today: date | None = None, whole: bool = False) -> Range:
    """The days asked for. Figures (``whole`` False): ``to`` defaults to today (UTC), ``from`` to the week ending
    on ``to``, at most :data:`MAX_DAYS`. Exports (``whole``): a missing end is open — everything by default."""
    if whole:
        end = _day(last, "to") if last else LATEST_DAY
        start = _day(first, "from") if first else EARLIEST_DAY
    else:
        end = _day(last, "to") if last else (today or datetime.now(UTC).date())
        start = _day(first, "from") if first else end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise Invalid("'from' must not be after 'to'.")
    if not whole and (end - start).days + 1 > MAX_DAYS:
        raise Invalid(f"A range may span at most {MAX_DAYS} days.", hint="Ask for a shorter range.")
    return Range(start, end)


def _round(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _figures(t: throughput.Totals) -> dict[str, Any]:
    f = throughput.figures(t)
    return {
        "clips": f.clips, "active_hours": round(f.active_hours, 4),
        "clips_per_active_hour": _round(f.clips_per_active_hour, 2), "median_s": _round(f.median_s, 2),
        "p90_s": _round(f.p90_s, 2), "watched_fraction": _round(f.watched_fraction, 4),
        "fast_share": _round(f.fast_share, 4), "skip_rate": _round(f.skip_rate, 4),
        "flag_rate": _round(f.flag_rate, 4), "gold_accuracy": _round(f.gold_accuracy, 4), "gold_n": f.gold_n,
        "implausible": f.implausible,
    }


def _labels(rows: Iterable[Sequence[Any]]) -> dict[tuple[str, str], dict[str, int]]:
    """(user, key) → {label: n} from (user, key, label, n) rows."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    for user, key, label, n in rows:
        if n:
            out.setdefault((user, key), {})[label] = int(n)
    return out


def _group_rows(db: HubDB, group: str, rng: Range) -> list[dict[str, Any]]:
    """One row per annotator and day, shift or period of the range."""
    days = {"from": rng.first.isoformat(), "to": rng.last.isoformat(), "start": rng.start_at, "end": rng.end_at,
            "now": now_iso()}
    if group == "day":
        where, span = "s.scope = 'day' AND s.key >= :from AND s.key <= :to", "NULL, NULL"
        join = ""
    elif group == "shift":
        join = "JOIN shifts g ON g.shift_id = s.key"
        where, span = "s.scope = 'shift' AND g.created_at >= :start AND g.created_at < :end", "g.created_at, g.closed_at"
    else:
        join = "JOIN work_periods g ON g.period_id = s.key"
        where = "s.scope = 'period' AND g.started_at >= :start AND g.started_at < :end"
        span = ("g.started_at, coalesce(g.ended_at, CASE WHEN g.expires_at <= :now "
                "THEN g.expires_at END)")
    stats = db.execute(f"SELECT s.user, s.key, {span}, {_COLUMNS} FROM annotator_stats s {join} WHERE {where} "
                       "AND s.clips > 0 ORDER BY s.user, 3, s.key", days).fetchall()
    label_scope = where.replace("s.scope", "a.scope").replace("s.key", "a.key")
    labels = _labels(db.execute(f"SELECT a.user, a.key, a.label, a.n FROM annotator_labels a "
                                f"{join.replace('s.key', 'a.key')} WHERE {label_scope}", days))
    out = []
    for user, key, start, end, *values in stats:
        if group == "day":
            start = f"{key}T00:00:00.000Z"
            end = f"{(date.fromisoformat(key) + timedelta(days=1)).isoformat()}T00:00:00.000Z"
        out.append({"annotator": user, "group_key": key, "start": start, "end": end,
                    **_figures(summaries.totals(values)), "labels": labels.get((user, key), {})})
    return out


_RANGE_ROWS = ("(scope = 'week' AND key >= :w1 AND key <= :w2) OR (scope = 'day' AND key >= :d1 AND key <= :d2) "
               "OR (scope = 'day' AND key >= :d3 AND key <= :d4)")
"""The summary rows of a range: its whole weeks, and the days at its ends (:meth:`Range.pieces`)."""


def _per_annotator(db: HubDB, rng: Range) -> dict[str, tuple[throughput.Totals, dict[str, int]]]:
    """Each annotator's totals and label counts over the whole range (week rows and the days at the ends)."""
    pieces = rng.pieces()
    stats = db.execute(f"SELECT user, {_SUMS} FROM annotator_stats WHERE {_RANGE_ROWS} GROUP BY user "
                       "HAVING sum(clips) > 0 ORDER BY user", pieces).fetchall()
    labels: dict[str, dict[str, int]] = {}
    for user, label, n in db.execute(f"SELECT user, label, sum(n) FROM annotator_labels WHERE {_RANGE_ROWS} "
                                     "GROUP BY user, label", pieces):
        if n:
            labels.setdefault(user, {})[label] = int(n)
    return {row[0]: (summaries.totals(row[1:]), labels.get(row[0], {})) for row in stats}


def annotators(db: HubDB, rng: Range, group: str) -> dict[str, Any]:
    """The answer of ``GET /api/v1/metrics/annotators`` (docs/CONTRACTS.md)."""
    if group not in GROUPS:
        raise Invalid(f"'group' is one of {', '.join(GROUPS)}, not {group[:40]!r}.")
    workperiods.close_expired(db)
    whole = _per_annotator(db, rng)
    if group == "all":
        rows = [{"annotator": user, "group_key": "all", "start": rng.start_at, "end": rng.end_at,
                 **_figures(t), "labels": labels} for user, (t, labels) in whole.items()]
    else:
        rows = _group_rows(db, group, rng)
    floor = throughput.Totals()
    for t, _ in whole.values():
        floor.merge(t)
    found = outliers.find([outliers.Annotator(user, t.timed, f.clips_per_active_hour, t.gold_n, f.gold_accuracy)
                           for user, (t, _) in whole.items() for f in [throughput.figures(t)]])
    return {
        "from": rng.first.isoformat(), "to": rng.last.isoformat(), "group": group, "rows": rows,
        "floor": {"annotator": None, "group_key": "floor", "start": rng.start_at, "end": rng.end_at,
                  **_figures(floor), "labels": throughput.merge_label_counts(labels for _, labels in whole.values()),
                  "annotators": len(whole)},
        "outliers": [{"annotator": o.annotator, "why": o.why} for o in found],
    }


def hourly(db: HubDB, rng: Range, annotator: str | None = None) -> dict[str, Any]:
    """The answer of ``GET /api/v1/metrics/hourly``: every hour of the range, zero where nobody worked."""
    hours = rng.hours()
    args: dict[str, Any] = {"first": hours[0], "last": hours[-1], "user": annotator}
    who = "AND user = :user" if annotator is not None else ""
    found = {key: (int(clips), float(active), int(people)) for key, clips, active, people in db.execute(
        "SELECT key, sum(clips), sum(active_s), sum(CASE WHEN clips > 0 THEN 1 ELSE 0 END) FROM annotator_stats WHERE scope = 'hour' "
        f"AND key >= :first AND key <= :last {who} GROUP BY key", args)}
    return {"from": rng.first.isoformat(), "to": rng.last.isoformat(), "annotator": annotator, "points": [
        {"hour": f"{key}:00:00Z", "clips": found.get(key, (0, 0.0, 0))[0],
         "active_hours": round(found.get(key, (0, 0.0, 0))[1] / 3600.0, 4), "annotators": found.get(key, (0, 0.0, 0))[2]}
        for key in hours]}


def ratings(db: HubDB, rng: Range) -> dict[str, dict[str, str]]:
    """clip → annotator → label of her latest standing label or flag, over clips two annotators decided."""
    out: dict[str, dict[str, str]] = {}
    for clip_id, user, label in db.execute(
            "SELECT l.clip_id, l.user, l.label FROM clips c JOIN labels l ON l.clip_id = c.clip_id "
            "WHERE c.shared_at IS NOT NULL AND l.kind IN ('label', 'flag') AND l.retracted_by IS NULL "
            f"AND l.erased_at IS NULL AND {summaries.KEPT_CLIP} "
            "AND l.counted_at >= ? AND l.counted_at < ? ORDER BY l.clip_id, l.counted_at, l.rowid",
            [now_iso(), rng.start_at, rng.end_at]):
        out.setdefault(clip_id, {})[user] = label
    return out


def agreement_of(db: HubDB, rng: Range, min_n: int = 1) -> dict[str, Any]:
    """The answer of ``GET /api/v1/metrics/agreement``."""
    rated = agreement.overlapped(ratings(db, rng))
    items = agreement.items_of(rated)

    def _k(value: float | None) -> float | None:
        return _round(value, 4)

    return {
        "from": rng.first.isoformat(), "to": rng.last.isoformat(), "clips": len(rated),
        "pairs": [{"a": p.a, "b": p.b, "n": p.n, "kappa": _k(p.kappa)} for p in agreement.pairwise(rated)
                  if p.n >= min_n],
        "fleiss_kappa": _k(agreement.fleiss_kappa(items)), "krippendorff_alpha": _k(agreement.krippendorff_alpha(items)),
        "annotators": [{"annotator": p.annotator, "n": p.n, "kappa": _k(p.kappa)}
                       for p in agreement.per_annotator(rated)],
    }


DECISION_COLUMNS = (
    "l.id, l.clip_id, l.shift_id, l.kind, l.label, l.reason, l.comment, l.shown_at, l.decided_at, l.counted_at, "
    "l.received_at, l.active_s, l.watched_s, l.replays, l.elapsed_s, c.duration_s, g.label, l.implausible, "
    "l.device_id, coalesce(d.label, ''), l.period_id, l.user"
)
DECISION_FROM = ("FROM labels l JOIN clips c ON c.clip_id = l.clip_id LEFT JOIN gold g ON g.clip_id = l.clip_id "
                 "LEFT JOIN devices d ON d.device_id = l.device_id")


def decision_out(row: Sequence[Any]) -> dict[str, Any]:
    (id_, clip_id, shift_id, kind, label, reason, comment, shown_at, decided_at, counted_at, received_at, active_s,
     watched_s, replays, elapsed_s, duration_s, gold_label, implausible, device_id, seat, period_id, user) = row
    return {
        "id": id_, "annotator": user, "clip_id": clip_id, "shift_id": shift_id, "period_id": period_id or None,
        "kind": kind, "label": label, "reason": reason, "comment": comment, "shown_at": shown_at,
        "decided_at": decided_at, "counted_at": counted_at, "received_at": received_at, "active_s": active_s,
        "watched_s": watched_s, "replays": replays, "elapsed_s": _round(elapsed_s, 3), "clip_duration_s": duration_s,
        "gold_label": gold_label, "correct": (label == gold_label) if kind == "label" and gold_label else None,
        "implausible": implausible, "device_id": device_id, "seat": seat,
    }


def decisions(db: HubDB, name: str, rng: Range) -> dict[str, Any]:
    """The answer of ``GET /api/v1/annotators/{name}/decisions``: her standing decisions, labels and timings."""
    if db.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone() is None:
        raise NotFound(f"There is no user named {name!r}.")
    rows = db.execute(f"SELECT {DECISION_COLUMNS} {DECISION_FROM} WHERE l.user = ? AND l.counted_at >= ? "
                      f"AND l.counted_at < ? AND {summaries.STANDING} AND {summaries.KEPT_CLIP} "
                      "ORDER BY l.counted_at, l.rowid", [name, rng.start_at, rng.end_at, now_iso()]).fetchall()
    return {"annotator": name, "from": rng.first.isoformat(), "to": rng.last.isoformat(),
            "decisions": [decision_out(r) for r in rows]}
