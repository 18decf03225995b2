"""Who was given, and who viewed, clip X: everything the hub knows about one clip's travels, from its indexes.

For one clip id, its record (status, project, length, ingest time, gold, and its provenance: source, consent
reference and scope, capture time, retention deadline, erasure time), then, in time order:

- ``assignments`` — the shifts that listed the clip (user, seat, when; withdrawn when disposed of);
- ``handouts`` — each key and ciphertext the hub handed out for it (:mod:`workstation.hub.handouts`);
- ``events`` — the seats' audit events about it (``clip_shown``, ``clip_hidden``, decisions, …) with the seat
  and user each names, and the user whose session delivered it (the hub's own knowledge);
- ``decisions`` — the label events it received, standing or taken back;
- ``hub_actions`` — what supervisors, admins and the hub did with it (gold marks, its erasure for consent or
  retention), from the hub's own audit (:mod:`workstation.hub.hubaudit`).

Each list is read through an index on the clip id, so the answer costs the same on a floor of millions of
events. Never any content: ids, names, codes and times.
"""

from __future__ import annotations

import json
from typing import Any

from workstation.hub.db import HubDB

_EVENTS = (
    "SELECT a.seq, a.id, a.at, a.kind, a.device_id, coalesce(d.label, ''), a.user, a.shift_id, a.clip_id, a.data, "
    "a.received_at, s.user, a.delivered_device FROM audit_events a "
    "LEFT JOIN devices d ON d.device_id = a.device_id LEFT JOIN sessions s ON s.session_id = a.delivered_session "
    "WHERE a.clip_id = ? ORDER BY a.at, a.device_id, a.seq"
)
_HANDOUTS = (
    "SELECT h.user, h.device_id, coalesce(d.label, ''), h.at, h.what, h.shift_id FROM handouts h "
    "LEFT JOIN devices d ON d.device_id = h.device_id WHERE h.clip_id = ? ORDER BY h.at, h.id"
)
_ASSIGNMENTS = (
    "SELECT sc.shift_id, s.user, s.device_id, coalesce(d.label, ''), sc.position, s.created_at, sc.withdrawn_at, "
    "s.status FROM shift_clips sc JOIN shifts s ON s.shift_id = sc.shift_id "
    "LEFT JOIN devices d ON d.device_id = s.device_id WHERE sc.clip_id = ? ORDER BY s.created_at, s.rowid"
)
_HUB_ACTIONS = "SELECT at, actor, device_id, action, detail FROM hub_audit WHERE clip_id = ? ORDER BY id"
_DECISIONS = (
    "SELECT l.id, l.user, l.device_id, coalesce(d.label, ''), l.shift_id, l.kind, l.label, l.reason, "
    "l.decided_at, l.received_at, l.retracted_by, l.implausible FROM labels l "
    "LEFT JOIN devices d ON d.device_id = l.device_id WHERE l.clip_id = ? ORDER BY l.received_at, l.rowid"
)


def for_clip(db: HubDB, clip_id: str) -> dict[str, Any]:
    """The answer of ``GET /api/v1/audit/events?clip_id=…`` (docs/CONTRACTS.md)."""
    clip = db.execute("SELECT c.status, c.project, c.duration_s, c.created_at, g.label IS NOT NULL, c.source, "
                      "c.consent_ref, c.consent_scope, c.captured_at, c.retain_until, c.erased_at FROM clips c "
                      "LEFT JOIN gold g ON g.clip_id = c.clip_id WHERE c.clip_id = ?", [clip_id]).fetchone()
    events = [
        {"seq": r[0], "id": r[1], "at": r[2], "kind": r[3], "device_id": r[4], "seat": r[5], "user": r[6],
         "shift_id": r[7], "clip_id": r[8], "data": json.loads(r[9]), "received_at": r[10], "delivered_by": r[11],
         "delivered_device": r[12]}
        for r in db.execute(_EVENTS, [clip_id])
    ]
    handouts = [{"user": r[0], "device_id": r[1], "seat": r[2], "at": r[3], "what": r[4], "shift_id": r[5]}
                for r in db.execute(_HANDOUTS, [clip_id])]
    assignments = [{"shift_id": r[0], "user": r[1], "device_id": r[2], "seat": r[3], "position": r[4],
                    "assigned_at": r[5], "withdrawn_at": r[6], "shift_status": r[7]}
                   for r in db.execute(_ASSIGNMENTS, [clip_id])]
    decisions = [{"id": r[0], "user": r[1], "device_id": r[2], "seat": r[3], "shift_id": r[4], "kind": r[5],
                  "label": r[6], "reason": r[7], "decided_at": r[8], "received_at": r[9],
                  "standing": r[5] != "retract" and r[10] is None, "implausible": r[11]}
                 for r in db.execute(_DECISIONS, [clip_id])]
    return {
        "clip_id": clip_id,
        "clip": None if clip is None else {"status": clip[0], "project": clip[1], "duration_s": clip[2],
                                           "ingested_at": clip[3], "gold": bool(clip[4]), "source": clip[5],
                                           "consent_ref": clip[6], "consent_scope": clip[7], "captured_at": clip[8],
                                           "retain_until": clip[9], "erased_at": clip[10]},
        "events": events, "handouts": handouts, "assignments": assignments, "decisions": decisions,
        "hub_actions": [{"at": r[0], "actor": r[1], "device_id": r[2], "action": r[3], "detail": json.loads(r[4])}
                        for r in db.execute(_HUB_ACTIONS, [clip_id])],
    }
