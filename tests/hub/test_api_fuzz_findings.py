"""What fuzzing the hub's API found (``tests/fuzz/test_api_fuzz.py``), each pinned by a focused test.

Every answer must be one the OpenAPI schema documents for the operation, with the usual one-sentence
``{"detail": …}``, and never a 5xx.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from tests.hub.helpers import device_keypair, label_item, signed_in_seat
from workstation.hub.server import HubServer
from workstation.vault.sealing import generate_shift_keypair

INVALID_JSON = "The request body is not valid JSON."


@pytest.mark.parametrize("path", ["/devices", "/sessions/challenge", "/sessions", "/labels/batch", "/audit/batch",
                                  "/shifts", "/gold", "/devices/approve"])
@pytest.mark.parametrize("body", [b"\xff\xfe{", b'{"label": "caf\xe9"}', b"\x80"], ids=["bom", "latin-1", "lone"])
def test_a_body_that_is_not_utf8_is_invalid_json(hub: HubServer, path: str, body: bytes) -> None:
    """Found: a body that is not UTF-8 got an undocumented 400 "There was an error parsing the body" (FastAPI's
    own answer); JSON is UTF-8, so it is the documented 422, like any other body that is not JSON."""
    answer = httpx.post(f"{hub.base_url}/api/v1{path}", content=body, headers={"Content-Type": "application/json"},
                        timeout=30)
    assert answer.status_code == 422, answer.text
    assert answer.json() == {"detail": INVALID_JSON}


def _declared(hub: HubServer, method: str, path: str) -> dict[str, Any]:
    spec = httpx.get(f"{hub.base_url}/openapi.json", timeout=30).json()
    responses: dict[str, Any] = spec["paths"][f"/api/v1{path}"][method]["responses"]
    return responses


def _model(responses: dict[str, Any], status: str) -> str:
    ref: str = responses[status]["content"]["application/json"]["schema"]["$ref"]
    return ref.rsplit("/", 1)[-1]


def test_enrolling_a_known_key_again_is_a_declared_200(hub: HubServer) -> None:
    """Found: ``POST /devices`` answers 200 for a key it knows (by design: the seat's retry), but the schema
    declared only 201."""
    _, public = device_keypair()
    body = {"public_key": base64.b64encode(public).decode(), "label": "seat"}
    first = httpx.post(f"{hub.base_url}/api/v1/devices", json=body, timeout=30)
    again = httpx.post(f"{hub.base_url}/api/v1/devices", json=body, timeout=30)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    responses = _declared(hub, "post", "/devices")
    assert _model(responses, "201") == _model(responses, "200") == "DeviceEnrollOut"


def test_starting_a_shift_while_one_is_open_is_a_declared_200(stocked_hub: HubServer) -> None:
    """Found: ``POST /shifts`` answers 200 when it re-keys the caller's open shift (by design), but the schema
    declared only 201."""
    seat = signed_in_seat(stocked_hub, "ana")
    first = seat.call("POST", "/shifts", json={"public_key": base64.b64encode(generate_shift_keypair()[1]).decode()})
    again = seat.call("POST", "/shifts", json={"public_key": base64.b64encode(generate_shift_keypair()[1]).decode()})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["shift_id"] == first.json()["shift_id"]
    responses = _declared(stocked_hub, "post", "/shifts")
    assert _model(responses, "201") == _model(responses, "200") == "ShiftOut"


@pytest.mark.parametrize("replays", [2**63, 26733796705036484476928])
def test_a_replay_count_sqlite_cannot_store_is_refused(stocked_hub: HubServer, replays: int) -> None:
    """Found: a label whose ``timings.replays`` is past SQLite's 64-bit integers was validated, then failed to
    store: 500. It is a 422 now (a replay count has a sane bound), and the batch stores nothing."""
    seat = signed_in_seat(stocked_hub, "ana")
    shift = seat.client.start_shift(generate_shift_keypair()[1])
    item = label_item(shift.shift_id, shift.clips[0].clip_id, timings={"watched_s": 3.5, "replays": replays,
                                                                        "active_s": 4.25})
    answer = seat.call("POST", "/labels/batch", json={"items": [item]})
    assert answer.status_code == 422, answer.text
    assert "replays" in answer.json()["detail"]
    fine = seat.call("POST", "/labels/batch", json={"items": [{**item, "timings": {**item["timings"], "replays": 3}}]})
    assert fine.status_code == 200 and fine.json()["accepted"] == [item["id"]], fine.text
