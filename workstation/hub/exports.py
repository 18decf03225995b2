"""Label exports: every standing decision of a date range as CSV, JSON Lines or Label Studio import JSON.

One record per standing decision (a label, skip or flag its author did not take back; retracts and what they
took back are left out, and so is every decision on a clip erased because its consent was withdrawn or its
retention ended — or merely past its retention deadline, before the sweep came): annotator, seat, clip id, shift, kind, label, reason, comment, timings (active,
watched, replays, shown → decided) and times (shown, decided, received, counted at), the clip's length and the
plausibility reasons. Never clip bytes, keys or anything else of the footage.

- ``csv`` — a header line, then one line per decision (RFC 4180 quoting). A text cell that a spreadsheet would
  run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — comments are free
  text) is written with a leading ``'``;
- ``jsonl`` — one JSON object per line, the same fields;
- ``labelstudio`` — Label Studio's task-import JSON: a list of tasks, one per clip (``data.clip_id``; the video
  stays with the team's own storage), each decision an entry of ``annotations`` with one ``choices`` result
  (``from_name`` "label", ``to_name`` "clip", ``value.choices`` [label]); a skip is a cancelled annotation;
  who decided and the timings are in ``data.decisions``, in the order of ``annotations``.

Each export is audited on the hub (:mod:`workstation.hub.hubaudit`: who, when, format, range and how many
decisions — no content) before the first byte leaves; the rows come from one read snapshot, so the count in the
audit is exactly what was written.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from workstation.hub import hubaudit, summaries
from workstation.hub.dashboard import DECISION_COLUMNS, DECISION_FROM, Range, decision_out
from workstation.hub.db import HubDB
from workstation.hub.errors import Invalid
from workstation.hub.storage import now_iso

FORMATS = ("csv", "jsonl", "labelstudio")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
               "labelstudio": "application/json"}
SUFFIXES = {"csv": "csv", "jsonl": "jsonl", "labelstudio": "json"}
FIELDS = ("id", "annotator", "seat", "device_id", "shift_id", "period_id", "clip_id", "kind", "label", "reason",
          "comment", "shown_at", "decided_at", "received_at", "counted_at", "active_s", "watched_s", "replays",
          "elapsed_s", "clip_duration_s", "implausible")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_WHERE = f"WHERE l.counted_at >= ? AND l.counted_at < ? AND {summaries.STANDING} AND {summaries.KEPT_CLIP}"
"""Three parameters: the range's start and end, and now (a clip past its retention deadline is left out at once,
whether or not the retention sweep has erased it yet)."""


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Invalid(f"The export format is one of {', '.join(FORMATS)}, not {fmt[:40]!r}.")
    return fmt


def _record(row: Any) -> dict[str, Any]:
    full = decision_out(row)
    return {name: full[name] for name in FIELDS}


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return "" if value is None else value


def _csv(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for n, record in enumerate(records, start=1):
        writer.writerow([_cell(record[name]) for name in FIELDS])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _jsonl(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def _task(decisions: list[dict[str, Any]]) -> dict[str, Any]:
    first = decisions[0]
    return {
        "data": {"clip_id": first["clip_id"], "clip_duration_s": first["clip_duration_s"],
                 "decisions": [{k: d[k] for k in FIELDS if k not in ("clip_id", "clip_duration_s")}
                               for d in decisions]},
        "annotations": [{
            "result": [{"id": d["id"], "from_name": "label", "to_name": "clip", "type": "choices",
                        "value": {"choices": [d["label"]]}}],
            "was_cancelled": d["kind"] == "skip", "ground_truth": False, "created_at": d["decided_at"],
            "lead_time": d["active_s"],
        } for d in decisions],
    }


def _labelstudio(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield "["
    same: list[dict[str, Any]] = []
    sep = "\n"
    for record in records:
        if same and record["clip_id"] != same[0]["clip_id"]:
            yield sep + json.dumps(_task(same), ensure_ascii=False)
            sep, same = ",\n", []
        same.append(record)
    if same:
        yield sep + json.dumps(_task(same), ensure_ascii=False)
    yield "\n]\n"


_WRITERS = {"csv": _csv, "jsonl": _jsonl, "labelstudio": _labelstudio}


class Export:
    """One export: a read snapshot of the decisions, audited when opened, written by :meth:`chunks`."""

    def __init__(self, snapshot: HubDB, audit_db: HubDB, fmt: str, rng: Range, *,
                 actor: str, device_id: str | None) -> None:
        self.format = check_format(fmt)
        self._db = snapshot
        self._range = rng
        self._args = [rng.start_at, rng.end_at, now_iso()]
        try:
            snapshot.begin_snapshot()  # a read snapshot: the count and the rows see the same decisions
            self.rows = int(snapshot.execute(f"SELECT count(*) {DECISION_FROM} {_WHERE}", self._args).fetchone()[0])
            hubaudit.record(audit_db, actor=actor, device_id=device_id, action=hubaudit.EXPORT,
                            detail={"format": fmt, "from": rng.first.isoformat(), "to": rng.last.isoformat(),
                                    "rows": self.rows})
        except BaseException:
            snapshot.close()  # its snapshot would otherwise stay open (and hold back a disposal's rewrite)
            raise

    @property
    def filename(self) -> str:
        return f"labels-{self._range.first.isoformat()}-to-{self._range.last.isoformat()}.{SUFFIXES[self.format]}"

    def _records(self) -> Iterator[dict[str, Any]]:
        order = "l.clip_id, l.counted_at, l.rowid" if self.format == "labelstudio" else "l.counted_at, l.rowid"
        rows = self._db.stream(f"SELECT {DECISION_COLUMNS} {DECISION_FROM} {_WHERE} ORDER BY {order}", self._args)
        for row in rows:
            yield _record(row)

    def chunks(self) -> Iterator[str]:
        """The export's text, piece by piece; the snapshot connection is closed at the end."""
        try:
            yield from _WRITERS[self.format](self._records())
        finally:
            self._db.rollback()
            self._db.close()
