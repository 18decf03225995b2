"""Summaries kept up to date as decisions arrive, so a supervisor's figures never scan the labels.

Two tables, one row per annotator and *group*:

- ``annotator_stats`` — for each scope ``day`` (key ``YYYY-MM-DD``), ``week`` (its Monday, ``YYYY-MM-DD``), ``hour``
  (``YYYY-MM-DDTHH``), ``shift`` (the shift id) and ``period`` (the work period id): the additive sums of :mod:`workstation.metrics.throughput`
  (clips, labels, skips, flags, implausible, timed, active/watched seconds …, gold) and the fixed-bucket
  histogram of seconds per clip (:mod:`workstation.metrics.histogram`, columns ``h00`` … ``h78``), so that
  any range or merge of rows gives medians and p90s by adding counts;
- ``annotator_labels`` — for the scopes ``day``, ``week``, ``shift`` and ``period``: how many decisions carry each
  label.

Weeks exist for speed: a range of days reads its whole weeks from week rows and only the days at its ends from
day rows (90 days: 12 week rows and a few day rows per annotator instead of 90).

Days and hours are UTC, of the time a decision counts at (``labels.counted_at``). Each standing decision
(label, skip or flag that was not taken back, on a clip not erased for consent or retention) is in exactly one row
per scope; erasing a clip subtracts its decisions (:mod:`workstation.hub.erasure`). The label intake adds a new
decision (:func:`apply` with +1) and subtracts one its author takes back (−1), in the same transaction;
marking or unmarking a gold clip re-applies that clip's standing decisions with the new gold label
(:mod:`workstation.hub.gold`). :func:`rebuild` recomputes everything from the labels (the migration that
introduced the tables, and the benchmark's generated floor, use it); a test checks that it agrees with what
the intake kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from workstation.hub.db import HubDB
from workstation.metrics import histogram, throughput

STATS_SCOPES = ("day", "week", "hour", "shift", "period")
LABEL_SCOPES = ("day", "week", "shift", "period")
HIST_COLUMNS = tuple(f"h{k:02d}" for k in range(histogram.BUCKETS))
SUM_COLUMNS = throughput.SUMS
NO_PERIOD = ""
"""The period key of a decision the hub holds no work period for (labels older than work periods)."""

CREATE_STATS = (
    "CREATE TABLE annotator_stats (scope TEXT NOT NULL, user TEXT NOT NULL, key TEXT NOT NULL, "
    + ", ".join(f"{c} {'REAL' if c in throughput.FLOAT_SUMS else 'INTEGER'} NOT NULL DEFAULT 0" for c in SUM_COLUMNS)
    + ", " + ", ".join(f"{c} INTEGER NOT NULL DEFAULT 0" for c in HIST_COLUMNS)
    + ", PRIMARY KEY (scope, key, user)) WITHOUT ROWID"
)
CREATE_LABELS = ("CREATE TABLE annotator_labels (scope TEXT NOT NULL, user TEXT NOT NULL, key TEXT NOT NULL, "
                 "label TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (scope, key, user, label)) WITHOUT ROWID")
INDEXES = ("CREATE INDEX idx_annotator_stats_user ON annotator_stats (scope, user, key)",)
"""Rows sit in key order (a range of days or weeks is one stretch of the table); one annotator's are found by
this index (her hourly series)."""

ROW_SQL = (
    "SELECT l.user, l.kind, l.label, l.counted_at, l.shift_id, l.period_id, l.elapsed_s, l.active_s, l.watched_s, "
    "c.duration_s, l.implausible, g.label FROM labels l JOIN clips c ON c.clip_id = l.clip_id "
    "LEFT JOIN gold g ON g.clip_id = l.clip_id"
)
"""A stored decision as summaries read it (:class:`Row`)."""
STANDING = "l.kind IN ('label', 'skip', 'flag') AND l.retracted_by IS NULL AND l.erased_at IS NULL"
"""SQL condition on ``labels l``: a decision that stands (its author did not take it back, and its clip was not
erased for consent or retention: :mod:`workstation.hub.erasure`)."""
KEPT_CLIP = "c.status NOT IN ('withdrawn', 'expired') AND (c.retain_until IS NULL OR c.retain_until > ?)"
"""SQL condition on ``clips c``, with one parameter (now, as stored): a clip whose decisions may still leave the hub
— not erased for consent or retention and not past its retention deadline, even before the sweep erased it (the
export and the drill-down read through it, the summaries do not: they lose a clip's decisions when it is erased)."""


@dataclass(frozen=True)
class Row:
    user: str
    kind: str
    label: str
    counted_at: str
    shift_id: str
    period_id: str | None
    elapsed_s: float | None
    active_s: float | None
    watched_s: float | None
    duration_s: float | None
    implausible: str | None
    gold_label: str | None

    def keys(self) -> dict[str, str]:
        return {"day": self.counted_at[:10], "week": week_of(self.counted_at[:10]), "hour": self.counted_at[:13],
                "shift": self.shift_id, "period": self.period_id or NO_PERIOD}

    def decision(self) -> throughput.Decision:
        """As :mod:`workstation.metrics.throughput` sees it (a decision without timings is not timed)."""
        return throughput.Decision(
            kind=self.kind, label=self.label, elapsed_s=self.elapsed_s or 0.0, active_s=self.active_s or 0.0,
            watched_s=self.watched_s or 0.0, duration_s=self.duration_s,
            implausible=self.implausible is not None or self.active_s is None, gold_label=self.gold_label)


def rows(db: HubDB, where: str, args: Sequence[Any] = ()) -> list[Row]:
    return [Row(*r) for r in db.execute(f"{ROW_SQL} WHERE {where}", list(args))]


def week_of(day: str) -> str:
    """The Monday of the week of ``day`` (both ``YYYY-MM-DD``)."""
    moment = date.fromisoformat(day)
    return (moment - timedelta(days=moment.weekday())).isoformat()


_UPSERTS: dict[int | None, str] = {}


def _upsert_sql(bucket: int | None) -> str:
    if bucket not in _UPSERTS:
        columns = [*SUM_COLUMNS, *([HIST_COLUMNS[bucket]] if bucket is not None else [])]
        _UPSERTS[bucket] = (
            f"INSERT INTO annotator_stats (scope, user, key, {', '.join(columns)}) "
            f"VALUES ({', '.join('?' * (3 + len(columns)))}) ON CONFLICT (scope, key, user) DO UPDATE SET "
            + ", ".join(f"{c} = annotator_stats.{c} + excluded.{c}" for c in columns))
    return _UPSERTS[bucket]


def apply(db: HubDB, row: Row, sign: int) -> None:
    """Add (``sign`` +1) or subtract (−1) one standing decision in every scope (inside the caller's transaction)."""
    part = throughput.contribution(row.decision())
    values = [sign * v for v in part.sums()] + ([sign] if part.bucket is not None else [])
    keys = row.keys()
    sql = _upsert_sql(part.bucket)
    db.executemany(sql, [(scope, row.user, keys[scope], *values) for scope in STATS_SCOPES])
    db.executemany(
        "INSERT INTO annotator_labels (scope, user, key, label, n) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (scope, key, user, label) DO UPDATE SET n = annotator_labels.n + excluded.n",
        [(scope, row.user, keys[scope], row.label, sign) for scope in LABEL_SCOPES])


def apply_label(db: HubDB, label_id: str, sign: int) -> None:
    """:func:`apply` for the stored decision ``label_id`` (a label, skip or flag); nothing for one marked erased
    (it is in no summary)."""
    for row in rows(db, "l.id = ? AND l.erased_at IS NULL", [label_id]):
        apply(db, row, sign)


def rebuild(db: HubDB, standing: str = STANDING) -> int:
    """Recompute both tables from the standing decisions (inside the caller's transaction); returns how many.

    ``standing``: the SQL condition on ``labels l`` of a standing decision (a migration passes the one of its
    schema version)."""
    db.execute("DELETE FROM annotator_stats")
    db.execute("DELETE FROM annotator_labels")
    width = len(SUM_COLUMNS)
    stats: dict[tuple[str, str, str], list[float]] = {}
    labels: dict[tuple[str, str, str, str], int] = {}
    count = 0
    cursor = db.execute(f"{ROW_SQL} WHERE {standing}")
    while batch := cursor.fetchmany(10_000):
        for raw in batch:
            row = Row(*raw)
            part = throughput.contribution(row.decision())
            sums = part.sums()
            for scope, key in row.keys().items():
                acc = stats.get((scope, row.user, key))
                if acc is None:
                    acc = stats[scope, row.user, key] = [0.0] * (width + histogram.BUCKETS)
                for i in range(width):
                    acc[i] += sums[i]
                if part.bucket is not None:
                    acc[width + part.bucket] += 1
                if scope in LABEL_SCOPES:
                    labels[scope, row.user, key, row.label] = labels.get((scope, row.user, key, row.label), 0) + 1
            count += 1
    columns = [*SUM_COLUMNS, *HIST_COLUMNS]
    db.executemany(
        f"INSERT INTO annotator_stats (scope, user, key, {', '.join(columns)}) VALUES ({', '.join('?' * (3 + len(columns)))})",
        (_stored(key, acc) for key, acc in stats.items()))
    db.executemany("INSERT INTO annotator_labels (scope, user, key, label, n) VALUES (?, ?, ?, ?, ?)",
                        ((*key, n) for key, n in labels.items()))
    return count


def _stored(key: tuple[str, str, str], acc: list[float]) -> tuple[Any, ...]:
    width = len(SUM_COLUMNS)
    sums = [v if c in throughput.FLOAT_SUMS else int(v) for c, v in zip(SUM_COLUMNS, acc[:width], strict=True)]
    return (*key, *sums, *(int(n) for n in acc[width:]))


def totals(values: Iterable[Any]) -> throughput.Totals:
    """A stored (or summed) row's :data:`SUM_COLUMNS` then :data:`HIST_COLUMNS` as totals."""
    seq = list(values)
    return throughput.Totals.from_sums(seq[:len(SUM_COLUMNS)], seq[len(SUM_COLUMNS):])

