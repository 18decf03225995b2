"""Where a clip came from, on what consent, and until when it may be kept: given at ingest, checked here.

A clip's provenance is its *source* — ``tester`` (a tester programme), ``customer`` (a customer's
troubleshooting submission) or ``other`` — the *consent reference* of the upstream system that holds the consent
(an opaque id, never interpreted), the consent's *scope* (the upstream's code or words, e.g. ``troubleshooting``),
and when it was *captured or submitted*. Clips a hub held before it recorded provenance have source ``unknown``.

IT gives it on the command line for a batch of files (``hub ingest FILES --source customer --consent-ref REF``)
or in a *manifest*, one clip per record: CSV with a header line, or JSON Lines (one object a line), with the
fields ``file, source, consent_ref, scope, captured_at`` (a CSV names all five columns; empty ``scope`` and
``captured_at`` cells mean none; a JSON object may leave them out). A relative file path is read from the
manifest's folder. A manifest is checked whole before anything is ingested: every problem (a missing or unknown
column, a bad time, an unknown source, a file listed twice, a file that does not exist, no clips at all) is one
line with its line number, and a manifest with any problem ingests nothing — a batch is fixed and run again,
never half taken. Whether each clip then has a consent basis (and is not under a withdrawn consent) is judged
per file at ingest (:mod:`workstation.hub.ingest`), like any other reason a file is refused.

Times: ``YYYY-MM-DD`` (midnight UTC) or ISO 8601 with ``Z`` or an offset (``2025-01-06T09:00:00Z``,
``2025-01-06T10:00:00+01:00``); a time without a zone is refused (it would be guessed), as is one in the future.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

TESTER, CUSTOMER, OTHER, UNKNOWN = "tester", "customer", "other", "unknown"
SOURCES = (TESTER, CUSTOMER, OTHER)
"""What IT may name at ingest; ``unknown`` is only for clips held before provenance was recorded."""
FIELDS = ("file", "source", "consent_ref", "scope", "captured_at")
REQUIRED_JSON = ("file", "source", "consent_ref")
MAX_REF, MAX_SCOPE = 200, 100
EARLIEST_CAPTURE = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
"""A capture time up to a day ahead is taken (clocks and zones); later is a mistake."""


@dataclass(frozen=True)
class Provenance:
    source: str
    consent_ref: str | None = None
    scope: str | None = None
    captured_at: str | None = None
    """UTC, fixed width (``2025-01-06T09:00:00.000Z``), as the hub stores times."""
    retain_days: int | None = None
    """This batch's retention in days; None: the hub's ``retain_days``."""


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch)[0] == "C" for ch in text)


def check_source(value: str) -> str:
    """``value`` when it is one of :data:`SOURCES`; ``ValueError`` naming them otherwise."""
    if value not in SOURCES:
        raise ValueError(f"the source is one of {', '.join(SOURCES)}, not {value[:40]!r}")
    return value


def check_text(value: str | None, what: str, longest: int) -> str | None:
    """A consent reference or scope: None when empty; ``ValueError`` when too long or holding control characters."""
    if value is None or value == "":
        return None
    if value != value.strip():
        raise ValueError(f"the {what} {value[:40]!r} starts or ends with white space")
    if len(value) > longest:
        raise ValueError(f"the {what} is longer than {longest} characters")
    if _has_control(value):
        raise ValueError(f"the {what} holds a control character")
    return value


def fixed(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_time(text: str, *, now: datetime | None = None) -> str:
    """A capture or submission time as the hub stores it; ``ValueError`` with the reason for anything else."""
    value = text.strip()
    try:
        if len(value) == 10:
            moment = datetime.fromisoformat(value).replace(tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not a date (YYYY-MM-DD) or an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise ValueError(f"the time {value[:40]!r} has no time zone: end it with Z (UTC) or an offset such as +01:00")
    if moment < EARLIEST_CAPTURE:
        raise ValueError(f"the time {value[:40]!r} is before {EARLIEST_CAPTURE:%Y-%m-%d}")
    if moment > (now or datetime.now(UTC)) + FUTURE_SLACK:
        raise ValueError(f"the time {value[:40]!r} lies in the future")
    return fixed(moment)


def deadline(base: str, days: int) -> str:
    """``base`` (a stored UTC time) plus ``days``, as stored."""
    return fixed(datetime.fromisoformat(base) + timedelta(days=days))


# --------------------------------------------------------------------------- manifests


@dataclass(frozen=True)
class Entry:
    line: int
    path: Path
    provenance: Provenance


@dataclass(frozen=True)
class Problem:
    line: int
    """1 is the first line of the file (a CSV's header); 0: the manifest as a whole."""
    text: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.text}" if self.line else self.text


class ManifestError(Exception):
    """A manifest that cannot be used as a whole: every problem, each with its line."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        super().__init__(f"{path}: {len(problems)} problem(s)")
        self.path = path
        self.problems = problems


def read_manifest(path: str | Path, *, retain_days: int | None = None, now: datetime | None = None) -> list[Entry]:
    """Every clip the manifest lists, each with its provenance; :class:`ManifestError` with every problem when any
    (then nothing is to be ingested). CSV when the name ends ``.csv``, JSON Lines for ``.jsonl``/``.ndjson``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".ndjson"):
        raise ManifestError(path, [Problem(0, "a manifest is a .csv file or a JSON Lines file (.jsonl, .ndjson)")])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ManifestError(path, [Problem(0, "the manifest does not exist")]) from None
    except UnicodeDecodeError:
        raise ManifestError(path, [Problem(0, "the manifest is not UTF-8 text")]) from None
    except OSError as exc:
        raise ManifestError(path, [Problem(0, f"the manifest cannot be read ({exc.strerror or exc})")]) from None
    problems: list[Problem] = []
    records = _csv_records(text, problems) if suffix == ".csv" else _jsonl_records(text, problems)
    entries: list[Entry] = []
    seen: dict[Path, int] = {}
    for line, record in records:
        entry = _entry(path.parent, line, record, problems, retain_days=retain_days, now=now)
        if entry is None:
            continue
        key = _identity(entry.path)
        if key in seen:
            problems.append(Problem(line, f"{entry.path} is listed already on line {seen[key]}"))
            continue
        seen[key] = line
        entries.append(entry)
    if not records and not problems:
        problems.append(Problem(0, "the manifest lists no clips"))
    if problems:
        raise ManifestError(path, sorted(problems, key=lambda p: p.line))
    return entries


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _csv_records(text: str, problems: list[Problem]) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return []
    except csv.Error as exc:
        problems.append(Problem(1, f"the header is not valid CSV ({exc})"))
        return []
    names = [h.strip() for h in header]
    missing = [f for f in FIELDS if f not in names]
    unknown = [n for n in names if n not in FIELDS]
    doubled = sorted({n for n in names if names.count(n) > 1})
    if missing:
        problems.append(Problem(1, f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                                   f"(a manifest's columns are {', '.join(FIELDS)})"))
    if unknown:
        problems.append(Problem(1, f"unknown column{'s' if len(unknown) > 1 else ''} "
                                   f"{', '.join(repr(u[:40]) for u in unknown)} (the columns are {', '.join(FIELDS)})"))
    if doubled:
        problems.append(Problem(1, f"column {', '.join(doubled)} appears twice"))
    if missing or unknown or doubled:
        return []
    out: list[tuple[int, dict[str, Any]]] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # a blank line
            if len(row) != len(names):
                problems.append(Problem(line, f"{len(row)} cells where the header names {len(names)}"))
                continue
            out.append((line, dict(zip(names, row, strict=True))))
    except csv.Error as exc:
        problems.append(Problem(reader.line_num, f"not valid CSV ({exc})"))
    return out


def _jsonl_records(text: str, problems: list[Problem]) -> list[tuple[int, dict[str, Any]]]:
    out: list[tuple[int, dict[str, Any]]] = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except ValueError:
            problems.append(Problem(line, "not a JSON object"))
            continue
        if not isinstance(record, dict):
            problems.append(Problem(line, "not a JSON object"))
            continue
        missing = [f for f in REQUIRED_JSON if f not in record]
        unknown = [k for k in record if k not in FIELDS]
        if missing:
            problems.append(Problem(line, f"missing field{'s' if len(missing) > 1 else ''} {', '.join(missing)}"))
        if unknown:
            problems.append(Problem(line, f"unknown field{'s' if len(unknown) > 1 else ''} "
                                          f"{', '.join(repr(str(u)[:40]) for u in unknown)} "
                                          f"(the fields are {', '.join(FIELDS)})"))
        if missing or unknown:
            continue
        wrong = [k for k, v in record.items() if not (isinstance(v, str) or (v is None and k not in ("file", "source")))]
        if wrong:
            problems.append(Problem(line, f"{', '.join(wrong)} must be text"))
            continue
        out.append((line, record))
    return out


def _entry(folder: Path, line: int, record: dict[str, Any], problems: list[Problem], *, retain_days: int | None,
           now: datetime | None) -> Entry | None:
    found: list[str] = []
    file_text = (record.get("file") or "").strip()
    path = None
    if not file_text:
        found.append("no file named")
    elif _has_control(file_text):
        found.append("the file name holds a control character")
    else:
        path = Path(file_text)
        path = path if path.is_absolute() else folder / path
        try:
            if not path.exists():
                found.append(f"{path} does not exist")
            elif not path.is_file():
                found.append(f"{path} is not a file")
        except OSError as exc:
            found.append(f"{path} cannot be read ({exc.strerror or exc})")
    source = (record.get("source") or "").strip()
    try:
        check_source(source)
    except ValueError as exc:
        found.append(str(exc))
    values: dict[str, str | None] = {}
    for name, what, longest in (("consent_ref", "consent reference", MAX_REF), ("scope", "consent scope", MAX_SCOPE)):
        try:
            values[name] = check_text(record.get(name), what, longest)
        except ValueError as exc:
            found.append(str(exc))
    captured = (record.get("captured_at") or "").strip()
    captured_at = None
    if captured:
        try:
            captured_at = parse_time(captured, now=now)
        except ValueError as exc:
            found.append(f"captured_at: {exc}")
    problems.extend(Problem(line, text) for text in found)
    if found or path is None:
        return None
    return Entry(line, path, Provenance(source, values["consent_ref"], values["scope"], captured_at, retain_days))
