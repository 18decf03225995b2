"""Who was given and who viewed clip X: shifts, every key and ciphertext hand-out, the seats' audit events, the
decisions — through the API and ``hub audit show``."""

from __future__ import annotations

import io
import json

import pytest

from tests.hub.helpers import signed_in_seat
from tests.hub.supervision import get, timed_item
from workstation.audit import new_event
from workstation.hub import cli
from workstation.hub.server import HubServer
from workstation.vault import sealing


def test_the_clip_audit_names_every_hand_out_view_and_decision(stocked_hub: HubServer,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    ana = signed_in_seat(stocked_hub, "ana")
    sue = signed_in_seat(stocked_hub, "sue", "supervisor")
    shift = ana.client.start_shift(sealing.generate_shift_keypair()[1])
    clip = shift.clips[0]
    ana.client.shift_keys(shift.shift_id)
    assert ana.call("GET", f"/shifts/{shift.shift_id}/keys/{clip.clip_id}").status_code == 200
    ana.client.download_clip(shift.shift_id, clip.clip_id, io.BytesIO(), expected_sha256=clip.sha256)
    shown = new_event(None, kind="clip_shown", device_id=ana.device_id, user="ana", shift_id=shift.shift_id,
                      clip_id=clip.clip_id, data={"position": 0})
    elsewhere = new_event(shown, kind="clip_shown", device_id=ana.device_id, user="ana", shift_id=shift.shift_id,
                          clip_id=shift.clips[1].clip_id)
    assert ana.call("POST", "/audit/batch", json={"events": [shown, elsewhere]}).status_code == 200
    decision = timed_item(shift.shift_id, clip.clip_id, "vehicle")
    ana.client.post_labels([decision])

    found = get(sue, f"/audit/events?clip_id={clip.clip_id}")
    assert found["clip_id"] == clip.clip_id and found["clip"]["status"] == "active" and not found["clip"]["gold"]
    assert [(h["user"], h["what"], h["seat"], h["device_id"]) for h in found["handouts"]] == [
        ("ana", "keys", "seat of ana", ana.device_id), ("ana", "key", "seat of ana", ana.device_id),
        ("ana", "ciphertext", "seat of ana", ana.device_id)]
    assert [(a["user"], a["shift_id"], a["shift_status"]) for a in found["assignments"]] == [
        ("ana", shift.shift_id, "open")]
    [event] = found["events"]
    assert (event["id"], event["kind"], event["user"], event["seat"], event["delivered_by"], event["data"]) == (
        shown["id"], "clip_shown", "ana", "seat of ana", "ana", {"position": 0})
    assert [(d["id"], d["label"], d["standing"]) for d in found["decisions"]] == [(decision["id"], "vehicle", True)]

    assert ana.call("GET", f"/audit/events?clip_id={clip.clip_id}").status_code == 403
    assert sue.call("GET", "/audit/events?clip_id=XYZ").status_code == 422
    nothing = get(sue, f"/audit/events?clip_id={'e' * 32}")
    assert nothing["clip"] is None and nothing["events"] == nothing["handouts"] == nothing["decisions"] == []

    data = str(stocked_hub.service.data_dir)
    assert cli.main(["audit", "show", "--clip", clip.clip_id, "--data", data]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"clip {clip.clip_id}: active, project security")
    body = "\n".join(lines[1:])
    for text in ("given     ana on seat of ana", "handed    keys to ana", "handed    ciphertext to ana",
                 "seat      clip_shown by ana on seat of ana (delivered by ana)", "decision  label vehicle by ana"):
        assert text in body
    assert cli.main(["audit", "show", "--clip", clip.clip_id, "--json", "--data", data]) == 0
    assert json.loads(capsys.readouterr().out)["handouts"] == found["handouts"]
    assert cli.main(["audit", "show", "--clip", "nope", "--data", data]) == 2
