"""What fuzzing the hub's API found (``tests/fuzz/test_api_fuzz.py``), each pinned by a focused test.

Every answer must be one the OpenAPI schema documents for the operation, with the usual one-sentence
``{"detail": …}``, and never a 5xx.
"""

from __future__ import annotations

import httpx
import pytest

from workstation.hub.server import HubServer

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
