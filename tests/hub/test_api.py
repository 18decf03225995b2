"""The HTTP surface itself: OpenAPI, health, error bodies."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx

from tests.hub.conftest import SMALL_SHIFTS
from workstation import __version__
from workstation.hub.cli import build_parser
from workstation.hub.server import HubServer

PATHS = {
    "/api/v1/health", "/api/v1/devices", "/api/v1/devices/{device_id}", "/api/v1/sessions/challenge",
    "/api/v1/sessions", "/api/v1/shifts", "/api/v1/shifts/{shift_id}", "/api/v1/shifts/{shift_id}/keys",
    "/api/v1/shifts/{shift_id}/clips/{clip_id}", "/api/v1/shifts/{shift_id}/close", "/api/v1/labels/batch",
    "/api/v1/shifts/{shift_id}/keys/{clip_id}", "/api/v1/audit/head", "/api/v1/audit/batch", "/api/v1/audit/verify",
    "/api/v1/users", "/api/v1/users/{name}/disable", "/api/v1/users/{name}/enable", "/api/v1/users/{name}/unlock",
    "/api/v1/devices/approve",
    "/api/v1/devices/{device_id}/revoke", "/api/v1/disposals", "/api/v1/disposals/{clip_id}/confirm",
    "/api/v1/disposals/{clip_id}/reject", "/api/v1/metrics/annotators", "/api/v1/metrics/hourly",
    "/api/v1/metrics/agreement", "/api/v1/annotators/{name}/decisions", "/api/v1/audit/events", "/api/v1/gold",
    "/api/v1/gold/{clip_id}", "/api/v1/exports/labels", "/api/v1/consent/withdrawals", "/api/v1/consent/report",
}


def test_openapi_lists_exactly_the_contract(hub: HubServer) -> None:
    schema = httpx.get(f"{hub.base_url}/openapi.json").json()
    assert set(schema["paths"]) == PATHS
    assert "LabelItem" in schema["components"]["schemas"]


def test_health(hub: HubServer) -> None:
    assert httpx.get(f"{hub.base_url}/api/v1/health").json() == {"status": "ok", "version": __version__}


def test_errors_are_one_detail_sentence(hub: HubServer) -> None:
    api = f"{hub.base_url}/api/v1"
    answers = [
        httpx.get(f"{api}/nowhere"),
        httpx.put(f"{api}/health"),
        httpx.post(f"{api}/devices", content=b"{not json", headers={"Content-Type": "application/json"}),
        httpx.post(f"{api}/devices", json={"public_key": "***", "label": "x"}),
        httpx.post(f"{api}/devices", json={"public_key": "AAAA", "label": "x"}),
        httpx.get(f"{api}/devices/{'a' * 32}"),
        httpx.post(f"{api}/sessions/challenge", json={"device_id": "b" * 32}),
    ]
    assert [a.status_code for a in answers] == [404, 405, 422, 422, 422, 404, 403]
    for answer in answers:
        body = answer.json()
        assert set(body) == {"detail"} and isinstance(body["detail"], str) and body["detail"].endswith(".")
    assert answers[2].json()["detail"] == "The request body is not valid JSON."
    assert "base64" in answers[3].json()["detail"]
    assert "Ed25519" in answers[4].json()["detail"]


def test_docs_pages_are_off_and_no_server_header(hub: HubServer) -> None:
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        answer = httpx.get(f"{hub.base_url}{path}")
        assert answer.status_code == 404, path
        assert "server" not in answer.headers
    schema = httpx.get(f"{hub.base_url}/openapi.json")
    assert schema.status_code == 200 and "server" not in schema.headers
    assert "server" not in httpx.get(f"{hub.base_url}/api/v1/health").headers


def test_docs_pages_on_request(data_dir: Path) -> None:
    with HubServer(data_dir, config=replace(SMALL_SHIFTS, api_docs=True)) as server:
        assert httpx.get(f"{server.base_url}/docs").status_code == 200
        assert httpx.get(f"{server.base_url}/redoc").status_code == 200
    args = build_parser().parse_args(["serve", "--data", str(data_dir), "--docs"])
    assert args.docs is True
    assert build_parser().parse_args(["serve", "--data", str(data_dir)]).docs is False
