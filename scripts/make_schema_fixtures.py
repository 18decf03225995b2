"""Make the schema fixtures: a seat store and a hub database of every schema version either ever had, each
written by the code of its time (tests/migrations/test_upgrades.py opens them with today's code).

Regenerate (from the repository root; about a minute; needs the git history and the packages of
requirements.txt, which every listed commit still runs with)::

    python scripts/make_schema_fixtures.py                  # every fixture
    python scripts/make_schema_fixtures.py hub-v9 seat-v3   # only these (the manifest keeps the others)

For each fixture the script checks the commit that introduced that schema version out into a temporary
``git worktree`` under /tmp, runs *itself* there with ``--inside`` (only that commit's ``workstation``
package on ``sys.path``: nothing of today's code is imported), lets the old code write a store through its
own API, and removes the worktree. What lands in ``tests/fixtures/schemas/``:

``seat-vN.sqlite.gz``
    The seat's local store (``workstation.sqlite``) as ``LocalStore`` of that commit wrote it, gzipped
    (a real SQLite file, byte for byte; gzip because the files are mostly empty pages).
``hub-vN.sqlite.gz``
    The hub's ``hub.db`` as that commit's hub wrote it while serving real HTTP requests (``HubServer`` on
    loopback, ``HubClient`` seats), WAL checkpointed into the file, gzipped. The clips' ciphertext
    (``blobs/``) is not kept: the tests never download a clip.
``manifest.json``
    Per fixture: the schema version, the commit and its subject, the row count of every table (counted by
    the generator right after the old code wrote the store), and what a test needs to use the store again:
    the hub's master key (hex), each seat's device id and Ed25519 private key (hex), the users' roles and
    password, and decisions and audit events a seat made with the old code but had not sent yet.
    Test data only: none of it protects anything real.

What each fixture holds (as far as its version had the feature):

- seat: two annotators (ana, ben) on one shared seat. ana's shift ended: five clips, labels with a comment,
  a retract (undo) and the label that replaced it, a skip, a flag (a disposal request; v2+, before that
  plain labels), all sent, one after a failed attempt; sealed clip keys shredded at its end (v4+), the flagged
  clip withdrawn after the hub disposed of it (v5). ben's shift
  is active: a label sent, one pending after a failed send, one the hub refused for good (v3+: set aside),
  the clip to resume at. The audit log (v4+): two device chains (the seat re-enrolled between the shifts:
  ben's shift runs on the new device id), sign-in, shift start and end, clips shown, every decision, shred
  and disposal events; the older chain fully sent, the newer one partly.
- hub: sixteen ingested clips; annotators ana, ben, cho and dan, supervisor sam, admin ivy; seats 1-3
  approved, seat 4 waiting for approval, seat 5 revoked (v5+). ana: a closed shift (labels, a retract
  and its replacement, a flag) and an open shift with one decision sent and one not yet (kept in the manifest
  in the shape the seat of that time sent); ben: a wrong password first, then a closed shift with a label, a
  skip and a flag; cho: an open shift with a label and a flag (or a second
  label), one decision implausible (watched longer than the clip), never signed out; dan: a closed shift
  with a label he took back, disabled afterwards (v5+). Disposals (v5+): ana's flag confirmed (clip
  disposed, blob destroyed), ben's rejected, cho's pending. Audit chains (v5+): every seat's events sent
  but the last few (kept in the manifest as the seat's unsent events). Gold (v13+): two clips added, one
  removed, an export of the labels (the hub's own audit).

Versions without a fixture: the hub's 3 and 4 never existed in a commit (6be309d went from 2 to 5 in one
commit), nor did 10, 11 and 12 (ebe85aa went from 9 to 13); no file was ever written at those versions.
The fixture of the current version of each store is made too, so that the next schema step is covered the
moment it lands.

Every version listed below could be produced by its own code.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "schemas"
MANIFEST = FIXTURES / "manifest.json"

RELEASES: dict[str, dict[int, str]] = {
    "seat": {  # workstation/labeling/store.py, later schema.py: SCHEMA_VERSION
        1: "fbb029b",
        2: "f2d6e00",
        3: "28f17ba",
        4: "f2de37f",
        5: "659cb08",
    },
    "hub": {  # workstation/hub/storage.py: SCHEMA_VERSION
        1: "d372495",
        2: "f2d6e00",
        5: "6be309d",
        6: "caeea10",
        7: "6e76ef6",
        8: "30d8006",
        9: "2086c14",
        13: "ebe85aa",
        14: "dc60642",
        15: "a538f90",
    },
}
"""The commit that introduced each schema version (``git log -S "SCHEMA_VERSION = N"``)."""

NEVER_RELEASED: dict[str, dict[int, str]] = {
    "seat": {},
    "hub": {3: "6be309d went from 2 to 5 in one commit", 4: "6be309d went from 2 to 5 in one commit",
            10: "ebe85aa went from 9 to 13 in one commit", 11: "ebe85aa went from 9 to 13 in one commit",
            12: "ebe85aa went from 9 to 13 in one commit",
            16: "16 and 17 came in one stop; no landed version of the hub ever wrote 16"},
}
"""Versions no commit ever wrote a file at: there is nothing to upgrade from."""

PASSWORD = "correct horse"
HUB_URL = "https://hub.floor:8470"


# --------------------------------------------------------------------------------------------------------------
# Inside a worktree: only the old commit's ``workstation`` is importable.


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}
    finally:
        conn.close()


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the file (the old code closed its connections; this only moves pages)."""
    conn = sqlite3.connect(path)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise SystemExit(f"{path}: the WAL could not be checkpointed")
    finally:
        conn.close()
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        raise SystemExit(f"{wal} still holds pages")


def _taxonomy() -> dict[str, Any]:
    import workstation

    path = Path(workstation.__file__).resolve().parents[1] / "resources" / "taxonomy" / "security_default.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def make_seat(version: int, out: Path) -> dict[str, Any]:
    """A seat store of ``version`` written through the old ``LocalStore``, as the old app drove it."""
    from workstation.labeling import store as seat_store

    path = out / "workstation.sqlite"
    store = seat_store.LocalStore(path)
    taxonomy = _taxonomy()
    has = store.__class__.__dict__
    first_device, second_device = uuid.uuid4().hex, uuid.uuid4().hex
    store.set_meta(f"device:{HUB_URL}", f"{first_device}:K7QM-2XPD")  # as ensure_enrolled kept it
    day = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)

    def audit(kind: str, device_id: str, user: str, shift_id: str | None = None, clip_id: str | None = None,
              data: dict[str, Any] | None = None) -> None:
        if version >= 4:
            store.audit(kind, device_id=device_id, user=user, shift_id=shift_id, clip_id=clip_id, data=data)

    def decide(shift_id: str, clip_id: str, label: str, shown: datetime, *, kind: str = "label",
               reason: str | None = None, retracts: str | None = None, comment: str | None = None,
               next_clip: str | None = None, watched: float = 0.9, active: float = 3.5) -> Any:
        timings = {"watched_s": watched, "replays": 1 if comment else 0, "active_s": active}
        args: dict[str, Any] = {"shown_at": _stamp(shown), "decided_at": _stamp(shown + timedelta(seconds=4.25)),
                                "comment": comment, "timings": timings}
        if version >= 2:
            args.update(kind=kind, reason=reason, retracts=retracts, next_clip=next_clip)
        return store.add_label(shift_id, clip_id, label, **args)

    def save_shift(shift_id: str, user: str, device_id: str, created: datetime, clips: list[str]) -> None:
        record = seat_store.ShiftRecord(shift_id, HUB_URL, user, device_id, _stamp(created), len(clips), "active",
                                        taxonomy)
        store.save_shift(record, [(c, i, 9000 + 37 * i, uuid.uuid4().hex + uuid.uuid4().hex)
                                  for i, c in enumerate(clips)])
        store.set_sealed_keys(shift_id, {c: os.urandom(92) for c in clips})
        for clip_id in clips[:2]:
            store.set_cached(shift_id, clip_id, True)

    # ana's shift: ended, everything sent
    ana_shift, ana_clips = uuid.uuid4().hex, [uuid.uuid4().hex for _ in range(5)]
    start = day.replace(hour=8, minute=2)
    save_shift(ana_shift, "ana", first_device, start, ana_clips)
    audit("sign_in", first_device, "ana")
    audit("shift_start", first_device, "ana", ana_shift, data={"clips": 5})
    audit("clip_shown", first_device, "ana", ana_shift, ana_clips[0])
    ids = [decide(ana_shift, ana_clips[0], "person", start + timedelta(seconds=20), comment="two people at the gate",
                  next_clip=ana_clips[1]).id]
    wrong = decide(ana_shift, ana_clips[1], "vehicle", start + timedelta(seconds=30), next_clip=ana_clips[2])
    ids.append(wrong.id)
    if version >= 2:
        ids.append(decide(ana_shift, ana_clips[1], "retract", start + timedelta(seconds=30), kind="retract",
                          retracts=wrong.id, next_clip=ana_clips[1], watched=0.0, active=0.0).id)
        ids.append(decide(ana_shift, ana_clips[1], "animal", start + timedelta(seconds=36), next_clip=ana_clips[2]).id)
        ids.append(decide(ana_shift, ana_clips[2], "skip", start + timedelta(seconds=44), kind="skip", reason="unclear",
                          next_clip=ana_clips[3]).id)
        ids.append(decide(ana_shift, ana_clips[3], "sensitive", start + timedelta(seconds=52), kind="flag",
                          reason="minor", next_clip=ana_clips[4]).id)
    else:
        ids.append(decide(ana_shift, ana_clips[2], "foliage", start + timedelta(seconds=44)).id)
        ids.append(decide(ana_shift, ana_clips[3], "weather", start + timedelta(seconds=52)).id)
    audit("focus_lost", first_device, "ana", ana_shift)
    audit("focus_back", first_device, "ana", ana_shift, data={"away_s": 12.5})
    ids.append(decide(ana_shift, ana_clips[4], "package", start + timedelta(seconds=70)).id)
    store.mark_failed(ids[-1:], "The hub cannot be reached (connection refused).")
    store.mark_sent(ids)
    audit("shift_end", first_device, "ana", ana_shift, data={"decided": 5})
    if "forget_shift_keys" in has:
        store.forget_shift_keys(ana_shift)
        audit("shred", first_device, "ana", ana_shift, data={"why": "ended"})
    elif "forget_clip_key" in has:
        for clip_id in ana_clips:
            store.forget_clip_key(ana_shift, clip_id)
    store.set_shift_status(ana_shift, "ended")
    audit("sign_out", first_device, "ana")
    if version >= 5:
        store.withdraw_clips(ana_shift, [ana_clips[3]])
        audit("disposal_dropped", first_device, "ana", ana_shift, ana_clips[3])
    if version >= 4:
        store.mark_audit_sent([e["id"] for e in store.unsent_audit(first_device, 1000)])

    # ben's shift: active, on the re-enrolled seat (a new device id from v4 on: its own audit chain)
    ben_device = second_device if version >= 4 else first_device
    if version >= 4:
        store.set_meta(f"device:{HUB_URL}", f"{second_device}:W4NB-8RTC")
    ben_shift, ben_clips = uuid.uuid4().hex, [uuid.uuid4().hex for _ in range(4)]
    start = day.replace(hour=13, minute=30)
    save_shift(ben_shift, "ben", ben_device, start, ben_clips)
    audit("sign_in", ben_device, "ben")
    audit("shift_start", ben_device, "ben", ben_shift, data={"clips": 4})
    sent = decide(ben_shift, ben_clips[0], "person", start + timedelta(seconds=15), next_clip=ben_clips[1])
    store.mark_sent([sent.id])
    if version >= 4:
        store.mark_audit_sent([e["id"] for e in store.unsent_audit(ben_device, 1000)])
    audit("clip_shown", ben_device, "ben", ben_shift, ben_clips[1])
    late = decide(ben_shift, ben_clips[1], "vehicle", start + timedelta(seconds=24), next_clip=ben_clips[2])
    store.mark_failed([late.id], "The hub cannot be reached (timed out).")
    refused = decide(ben_shift, ben_clips[2], "camera_fault", start + timedelta(seconds=33), next_clip=ben_clips[3],
                     comment="lens covered")
    if "mark_rejected" in has:
        store.mark_rejected(refused.id, "The hub refused the item: clip is not part of the shift.")
    audit("lock", ben_device, "ben", ben_shift)
    store.close()
    _checkpoint(path)
    return {"file": path.name, "tables": _counts(path),
            "devices": sorted({first_device, ben_device}), "shifts": {"ana": ana_shift, "ben": ben_shift}}


def _device_keypair() -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return private, public


class _HubSeat:
    """One workstation at the old hub: its device key, client and audit chain (events sent in order)."""

    def __init__(self, base_url: str, label: str, version: int) -> None:
        from workstation.sync.client import HubClient

        self.label, self.version = label, version
        self.private, public = _device_keypair()
        self.client = HubClient(base_url)
        enrollment = self.client.enroll_device(public, label)
        self.device_id, self.code = enrollment.device_id, enrollment.enrollment_code
        self.events: list[dict[str, Any]] = []
        self.sent = 0
        self.user = ""

    def note(self, kind: str, shift_id: str | None = None, clip_id: str | None = None,
             data: dict[str, Any] | None = None) -> None:
        if self.version < 5:
            return
        from workstation import audit

        self.events.append(audit.new_event(self.events[-1] if self.events else None, kind=kind,
                                           device_id=self.device_id, user=self.user, shift_id=shift_id,
                                           clip_id=clip_id, data=data))

    def send_audit(self, keep: int = 0) -> None:
        """Send the unsent events but the last ``keep``."""
        upto = len(self.events) - keep
        if self.version >= 5 and upto > self.sent:
            result = self.client.post_audit(self.events[self.sent:upto])
            assert len(result.accepted) == upto - self.sent, result
            self.sent = upto

    def sign_in(self, user: str) -> None:
        self.client.sign_in(user, PASSWORD, self.device_id, self.private)
        self.user = user
        self.note("sign_in")

    def sign_out(self) -> None:
        self.note("sign_out")
        self.send_audit()
        self.client.sign_out()
        self.user = ""


def _item(version: int, shift_id: str, clip_id: str, label: str, shown: datetime, *, kind: str = "label",
          reason: str | None = None, retracts: str | None = None, comment: str | None = None,
          watched: float = 0.9, active: float = 3.5) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": str(uuid.uuid4()), "kind": kind, "shift_id": shift_id, "clip_id": clip_id, "label": label,
        "shown_at": _stamp(shown), "decided_at": _stamp(shown + timedelta(seconds=4.25)), "comment": comment,
        "timings": {"watched_s": watched, "replays": 0, "active_s": active},
    }
    if version >= 2:
        item.update(reason=reason, retracts=retracts)
    return item


def _decision_data(item: dict[str, Any]) -> dict[str, Any]:
    """What the seat's audit event of a decision carries (the seat app's rule at v5)."""
    data = {"event_id": item["id"], "label": item["label"], "watched_s": item["timings"]["watched_s"],
            "replays": item["timings"]["replays"], "active_s": item["timings"]["active_s"]}
    for key in ("reason", "retracts"):
        if item.get(key) is not None:
            data[key] = item[key]
    if item["comment"]:
        data["commented"] = True
    return data


def make_hub(version: int, out: Path) -> dict[str, Any]:
    """A hub of ``version``: clips ingested, users, seats, shifts and decisions through the old HTTP API."""
    from workstation.hub.config import HubConfig
    from workstation.hub.server import HubServer
    from workstation.media.synth import SCENE_NAMES, make_clip
    from workstation.vault import sealing

    (out / "clips").mkdir()
    clips = [make_clip(out / "clips" / f"clip{i:02d}.mp4", scene=SCENE_NAMES[i % len(SCENE_NAMES)], seed=i,
                       width=160, height=120, seconds=1) for i in range(16)]
    data = out / "hub"
    pending: dict[str, dict[str, list[dict[str, Any]]]] = {}
    with HubServer(data, config=HubConfig(default_shift_size=3, max_shift_size=5)) as server:
        service = server.service
        assert [r.status for r in service.ingest(clips)] == ["ok"] * len(clips)
        roles = {"ana": "annotator", "ben": "annotator", "cho": "annotator", "dan": "annotator",
                 "sam": "supervisor", "ivy": "admin"}
        for name, role in roles.items():
            service.add_user(name, role, PASSWORD)
        seats = {label: _HubSeat(server.base_url, label, version) for label in
                 ("seat-1", "seat-2", "seat-3", "seat-4", "seat-5")}
        for label in ("seat-1", "seat-2", "seat-3", "seat-5"):
            service.approve_device(seats[label].code)

        def post(seat: _HubSeat, items: list[dict[str, Any]], shift_id: str) -> None:
            for item in items:
                seat.note("clip_shown", shift_id, item["clip_id"])
                seat.note(item["kind"], shift_id, item["clip_id"], _decision_data(item))
            result = seat.client.post_labels(items)
            assert sorted(result.accepted) == sorted(i["id"] for i in items), result

        now = datetime.now(UTC)
        # ana at seat 1: a closed shift (label, retract and its replacement, flag), then an open one
        ana = seats["seat-1"]
        ana.sign_in("ana")
        shift = ana.client.start_shift(sealing.generate_shift_keypair()[1], size=3)
        ana.client.shift_keys(shift.shift_id)
        ana.note("shift_start", shift.shift_id, data={"clips": len(shift.clips)})
        c = [x.clip_id for x in shift.clips]
        first = _item(version, shift.shift_id, c[0], "person", now, comment="two people at the gate")
        wrong = _item(version, shift.shift_id, c[1], "vehicle", now + timedelta(seconds=8))
        post(ana, [first, wrong], shift.shift_id)
        if version >= 2:
            post(ana, [_item(version, shift.shift_id, c[1], "retract", now + timedelta(seconds=13), kind="retract",
                             retracts=wrong["id"], watched=0.0, active=0.0),
                       _item(version, shift.shift_id, c[1], "animal", now + timedelta(seconds=14)),
                       _item(version, shift.shift_id, c[2], "sensitive", now + timedelta(seconds=20), kind="flag",
                             reason="minor")], shift.shift_id)
            flagged = {"ana": c[2]}
        else:
            post(ana, [_item(version, shift.shift_id, c[2], "foliage", now + timedelta(seconds=20))], shift.shift_id)
            flagged = {}
        ana.client.close_shift(shift.shift_id)
        ana.note("shift_end", shift.shift_id, data={"decided": 3})
        ana.send_audit()
        shift = ana.client.start_shift(sealing.generate_shift_keypair()[1], size=3)
        ana.client.shift_keys(shift.shift_id)
        ana.note("shift_start", shift.shift_id, data={"clips": len(shift.clips)})
        c = [x.clip_id for x in shift.clips]
        post(ana, [_item(version, shift.shift_id, c[0], "package", now + timedelta(seconds=40))], shift.shift_id)
        later = _item(version, shift.shift_id, c[1], "lighting", now + timedelta(seconds=48))
        ana.note("clip_shown", shift.shift_id, c[1])
        ana.note("label", shift.shift_id, c[1], _decision_data(later))
        pending["seat-1"] = {"labels": [later]}  # decided, not sent yet when the hub was upgraded
        ana.sign_out()

        # ben at seat 2: a wrong password first, then a closed shift with a label, a skip and a flag
        ben = seats["seat-2"]
        try:
            ben.client.sign_in("ben", "correct horse battery", ben.device_id, ben.private)
        except Exception as exc:  # noqa: BLE001 (the old client's refusal, whatever its class was then)
            assert "password" in str(exc).lower() or "sign" in str(exc).lower(), exc
        else:
            raise AssertionError("a wrong password signed in")
        ben.sign_in("ben")
        shift = ben.client.start_shift(sealing.generate_shift_keypair()[1], size=3)
        ben.client.shift_keys(shift.shift_id)
        ben.note("shift_start", shift.shift_id, data={"clips": len(shift.clips)})
        c = [x.clip_id for x in shift.clips]
        if version >= 2:
            items = [_item(version, shift.shift_id, c[0], "person", now + timedelta(seconds=5)),
                     _item(version, shift.shift_id, c[1], "skip", now + timedelta(seconds=12), kind="skip",
                           reason="unclear", watched=1.0),
                     _item(version, shift.shift_id, c[2], "sensitive", now + timedelta(seconds=19), kind="flag",
                           reason="private_space")]
            flagged["ben"] = c[2]
        else:
            items = [_item(version, shift.shift_id, x, lab, now + timedelta(seconds=5 + 7 * i))
                     for i, (x, lab) in enumerate(zip(c, ("person", "animal", "vehicle"), strict=True))]
        post(ben, items, shift.shift_id)
        ben.client.close_shift(shift.shift_id)
        ben.note("shift_end", shift.shift_id, data={"decided": 3})
        ben.sign_out()

        # cho at seat 3: an open shift, one decision implausible, never signed out
        cho = seats["seat-3"]
        cho.sign_in("cho")
        shift = cho.client.start_shift(sealing.generate_shift_keypair()[1], size=2)
        cho.client.shift_keys(shift.shift_id)
        cho.note("shift_start", shift.shift_id, data={"clips": len(shift.clips)})
        c = [x.clip_id for x in shift.clips]
        second = (_item(version, shift.shift_id, c[1], "sensitive", now + timedelta(seconds=31), kind="flag",
                        reason="violence") if version >= 2 else
                  _item(version, shift.shift_id, c[1], "insect", now + timedelta(seconds=31)))
        post(cho, [_item(version, shift.shift_id, c[0], "weather", now + timedelta(seconds=22), watched=9.0),
                   second], shift.shift_id)
        if version >= 2:
            flagged["cho"] = c[1]
        cho.note("focus_lost", shift.shift_id)
        cho.send_audit(keep=1)

        # dan at seat 1 after ana: a label he takes back, then signs out; disabled afterwards
        ana.sign_in("dan")
        shift = ana.client.start_shift(sealing.generate_shift_keypair()[1], size=2)
        ana.client.shift_keys(shift.shift_id)
        ana.note("shift_start", shift.shift_id, data={"clips": len(shift.clips)})
        c = [x.clip_id for x in shift.clips]
        taken = _item(version, shift.shift_id, c[0], "vehicle", now + timedelta(seconds=60))
        post(ana, [taken], shift.shift_id)
        if version >= 2:
            post(ana, [_item(version, shift.shift_id, c[0], "retract", now + timedelta(seconds=66), kind="retract",
                             retracts=taken["id"], watched=0.0, active=0.0)], shift.shift_id)
        ana.client.close_shift(shift.shift_id)
        ana.note("shift_end", shift.shift_id, data={"decided": 0})
        ana.sign_out()
        ana.note("lock")
        ana.note("unlock")
        ana.send_audit(keep=2)

        if version >= 5:
            service.disable_user("dan")
            service.revoke_device(seats["seat-5"].device_id)
            service.confirm_disposal(flagged["ana"], "sam", "a child in view")
            service.reject_disposal(flagged["ben"], "sam", "a garden, nothing private")
        if version >= 13:
            conn = sqlite3.connect(data / "hub.db")
            waiting = [r[0] for r in conn.execute(
                "SELECT clip_id FROM clips WHERE clip_id NOT IN (SELECT clip_id FROM shift_clips) ORDER BY clip_id")]
            conn.close()
            service.add_gold(waiting[0], "person", actor="sam")
            service.add_gold(waiting[1], "vehicle", actor="sam")
            service.remove_gold(waiting[1], actor="sam")
            export = service.export_labels("csv", actor="sam")
            "".join(export.chunks())
        for label, seat in seats.items():
            if seat.events[seat.sent:]:
                pending.setdefault(label, {})["audit"] = seat.events[seat.sent:]
            seat.client.close()
    _checkpoint(data / "hub.db")
    conn = sqlite3.connect(data / "hub.db")
    try:
        status = dict(conn.execute("SELECT device_id, status FROM devices").fetchall())
        disabled = {r[0] for r in conn.execute("SELECT name FROM users WHERE disabled_at IS NOT NULL")} \
            if version >= 5 else set()
    finally:
        conn.close()
    return {"file": "hub.db", "tables": _counts(data / "hub.db"),
            "master_key": (data / "master.key").read_bytes().hex(),
            "seats": {label: {"device_id": s.device_id, "private_key": s.private.hex(), "status": status[s.device_id]}
                      for label, s in seats.items()},
            "users": {name: {"role": role, "password": PASSWORD, "disabled": name in disabled}
                      for name, role in roles.items()},
            "unsent": {label: kept for label, kept in pending.items() if any(kept.values())}}


def inside(store: str, version: int, out: Path) -> None:
    import workstation

    here = Path(workstation.__file__).resolve().parents[1]
    assert here != ROOT, "--inside runs against an old worktree, not this checkout"
    made = make_seat(version, out) if store == "seat" else make_hub(version, out)
    (out / "made.json").write_text(json.dumps(made, indent=1, sort_keys=True), encoding="utf-8")


# --------------------------------------------------------------------------------------------------------------
# Outside: one worktree per fixture.


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def make_fixture(store: str, version: int, scratch: Path) -> dict[str, Any]:
    short = RELEASES[store][version]
    commit = _git("rev-parse", f"{short}^{{commit}}")
    subject = _git("log", "-1", "--format=%s", commit)[:120]
    tree, out = scratch / f"{store}-v{version}-tree", scratch / f"{store}-v{version}"
    out.mkdir()
    _git("worktree", "add", "--detach", str(tree), commit)
    try:
        env = {**os.environ, "PYTHONPATH": str(tree), "QT_QPA_PLATFORM": "offscreen",
               "XDG_DATA_HOME": str(scratch / "xdg-data"), "XDG_CACHE_HOME": str(scratch / "xdg-cache")}
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--inside", store, str(version), str(out)],
                       cwd=tree, env=env, check=True)
    finally:
        _git("worktree", "remove", "--force", str(tree))
    made = json.loads((out / "made.json").read_text(encoding="utf-8"))
    source = (out / "hub" if store == "hub" else out) / made.pop("file")
    name = f"{store}-v{version}.sqlite.gz"
    with source.open("rb") as src, gzip.GzipFile(FIXTURES / name, "wb", mtime=0) as dst:
        shutil.copyfileobj(src, dst)
    return {"store": store, "version": version, "commit": commit, "subject": subject, "file": name, **made}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("only", nargs="*", help="fixtures to make (seat-v3, hub-v9, …); default: all")
    parser.add_argument("--inside", nargs=3, metavar=("STORE", "VERSION", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inside:
        inside(args.inside[0], int(args.inside[1]), Path(args.inside[2]))
        return 0
    wanted = [(store, version) for store, versions in RELEASES.items() for version in versions
              if not args.only or f"{store}-v{version}" in args.only]
    unknown = set(args.only) - {f"{s}-v{v}" for s, v in wanted}
    if unknown:
        parser.error(f"no such fixture: {', '.join(sorted(unknown))}")
    FIXTURES.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {}
    manifest.setdefault("fixtures", {})
    with tempfile.TemporaryDirectory(prefix="schema-fixtures-", dir="/tmp") as scratch:
        for store, version in wanted:
            print(f"{store}-v{version}: {RELEASES[store][version]}", flush=True)
            manifest["fixtures"][f"{store}-v{version}"] = make_fixture(store, version, Path(scratch))
    manifest["never_released"] = {store: {str(v): why for v, why in versions.items()}
                                  for store, versions in NEVER_RELEASED.items()}
    manifest["fixtures"] = dict(sorted(manifest["fixtures"].items(),
                                       key=lambda kv: (kv[1]["store"], kv[1]["version"])))
    MANIFEST.write_text(json.dumps(manifest, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
