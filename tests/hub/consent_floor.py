"""A floor for the consent and retention tests: clips under three consent references, two annotators' open shifts
with decisions, a pending disposal request and a gold clip; and what the tests read back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tests.hub.helpers import Seat, hub_sql, signed_in_seat
from tests.hub.supervision import get, timed_item, today
from workstation.hub import summaries
from workstation.hub.provenance import Provenance
from workstation.hub.server import HubServer
from workstation.hub.storage import write_transaction
from workstation.sync.client import ShiftInfo
from workstation.vault import sealing

COMMENT = "woman at the kitchen table"
"""Free text an annotator typed about the footage: it must never reach the hub's audit."""


def ingest_under_consents(hub: HubServer, source_clips: list[Path]) -> list[str]:
    """Clip 0 and 3 under CS-A (customer), 1 under CS-B, the rest under TP-1 (tester), oldest first in that order."""
    refs = ["CS-A", "CS-B", "TP-1", "CS-A", "TP-1", "TP-1", "TP-1", "TP-1"]
    ids = []
    for path, ref in zip(source_clips, refs, strict=True):
        source = "tester" if ref.startswith("TP") else "customer"
        [result] = hub.service.ingest([path], provenance=Provenance(source, ref, "troubleshooting"))
        assert result.status == "ok" and result.clip_id is not None
        ids.append(result.clip_id)
    return ids


@dataclass
class Floor:
    hub: HubServer
    ids: list[str]
    ana: Seat
    ana_shift: ShiftInfo
    ben: Seat
    ben_shift: ShiftInfo
    sue: Seat
    ada: Seat


def make_floor(hub: HubServer, source_clips: list[Path]) -> Floor:
    """ana's open shift holds clips 0-2 (0 under CS-A), ben's 3-5 (3 under CS-A); both decided everything; ben
    flagged clip 3 (a pending disposal request); clip 0 is gold."""
    ids = ingest_under_consents(hub, source_clips)
    ana, ben = signed_in_seat(hub, "ana"), signed_in_seat(hub, "ben")
    sue, ada = signed_in_seat(hub, "sue", "supervisor"), signed_in_seat(hub, "ada", "admin")
    ana_shift = ana.client.start_shift(sealing.generate_shift_keypair()[1])
    ben_shift = ben.client.start_shift(sealing.generate_shift_keypair()[1])
    assert {c.clip_id for c in ana_shift.clips} == set(ids[:3]) and {c.clip_id for c in ben_shift.clips} == set(ids[3:6])
    ana.client.post_labels([timed_item(ana_shift.shift_id, ids[0], "person", comment=COMMENT),
                            timed_item(ana_shift.shift_id, ids[1], "vehicle"),
                            timed_item(ana_shift.shift_id, ids[2], "skip", kind="skip", reason="unclear")])
    ben.client.post_labels([timed_item(ben_shift.shift_id, ids[3], "sensitive", kind="flag", reason="minor"),
                            timed_item(ben_shift.shift_id, ids[4], "animal")])
    assert sue.call("POST", "/gold", {"clip_id": ids[0], "label": "person"}).status_code == 200
    return Floor(hub, ids, ana, ana_shift, ben, ben_shift, sue, ada)


def export_clips(floor: Floor) -> list[str]:
    answer = floor.sue.call("GET", "/exports/labels?format=jsonl")
    assert answer.status_code == 200
    return [json.loads(line)["clip_id"] for line in answer.text.splitlines()]


def figures(floor: Floor) -> dict[str, dict[str, object]]:
    rows = get(floor.sue, f"/metrics/annotators?from={today()}&to={today()}")["rows"]
    return {r["annotator"]: r for r in rows}


def kept_summaries(hub: HubServer) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with hub_sql(hub.service.data_dir) as db:
        stats = db.execute("SELECT * FROM annotator_stats WHERE clips != 0 OR timed != 0 ORDER BY 1, 2, 3").fetchall()
        labels = db.execute("SELECT * FROM annotator_labels WHERE n != 0 ORDER BY 1, 2, 3, 4").fetchall()
    return [tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in stats], labels


def assert_summaries_as_a_rebuild_makes_them(hub: HubServer) -> None:
    kept = kept_summaries(hub)
    db = hub_sql(hub)
    try:
        with write_transaction(db):
            summaries.rebuild(db)
    finally:
        db.close()
    assert kept_summaries(hub) == kept


def rows(hub: HubServer, sql: str, *args: object) -> list[tuple[object, ...]]:
    with hub_sql(hub.service.data_dir) as db:
        return db.execute(sql, args).fetchall()
