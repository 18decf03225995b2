"""HubClient: the egress guard, and its error classes for hubs that are down, broken or busy."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.hub.helpers import label_item, make_clips, signed_in_seat
from workstation.hub.config import HubConfig
from workstation.hub.server import HubServer
from workstation.sync.client import HubClient, check_label_item, parse_retry_after
from workstation.sync.errors import HubAuthError, HubProtocolError, HubRateLimited, HubRejected, HubUnavailable
from workstation.vault import sealing

SHIFT = "a" * 32
CLIP = "b" * 32


# --------------------------------------------------------------------------- egress guard


@pytest.mark.parametrize("change", [
    {"comment": b"bytes are never sent"},
    {"frame": "extra key"},
    {"timings": {"watched_s": 1.0, "replays": 0, "active_s": 1.0, "frames": []}},
    {"timings": {"watched_s": 1.0, "replays": True, "active_s": 1.0}},
    {"timings": {"watched_s": float("nan"), "replays": 0, "active_s": 1.0}},
    {"label": "x" * 65},
    {"comment": "y" * 2001},
    {"shift_id": "../../etc"},
    {"id": "not-a-uuid"},
    {"kind": "clip"},
    {"label": bytearray(b"person")},
])
def test_egress_guard_refuses_anything_but_a_label_item(change: dict[str, Any]) -> None:
    item = {**label_item(SHIFT, CLIP), **change}
    with pytest.raises(ValueError):
        check_label_item(item)
    client = HubClient("http://127.0.0.1:9")  # never contacted: the guard runs first
    with pytest.raises(ValueError):
        client.post_labels([label_item(SHIFT, CLIP), item])


def test_egress_guard_accepts_the_contract_shape() -> None:
    check_label_item(label_item(SHIFT, CLIP))
    check_label_item(label_item(SHIFT, CLIP, comment="blurry at night",
                                timings={"watched_s": 0, "replays": 2, "active_s": 0.5}))
    item = label_item(SHIFT, CLIP)
    del item["comment"]
    with pytest.raises(ValueError, match="missing"):
        check_label_item(item)


def test_the_client_has_no_upload_method() -> None:
    public = {name for name in dir(HubClient) if not name.startswith("_")}
    assert public == {"health", "health_and_date", "enroll_device", "device_status", "sign_in", "sign_out", "start_shift",
                      "shift_keys", "download_clip", "post_labels", "post_audit", "shift_state", "close_shift",
                      "close"}


@pytest.mark.parametrize("change", [
    {"data": {"frame": b"\x00\x00\x01"}},           # bytes
    {"data": {"pixels": [1, 2, 3]}},                 # a list (an array would look like this)
    {"data": {"text": "x" * 3000}},                  # bulky
    {"extra": "field"},
    {"hash": "not-a-hash"},
    {"kind": "upload"},
])
def test_the_audit_egress_guard_refuses_anything_but_small_audit_events(change: dict) -> None:  # type: ignore[type-arg]
    from workstation.audit import new_event

    event = new_event(None, kind="label", device_id="d" * 32, data={"label": "person"})
    bad = {**event, **change}
    client = HubClient("http://127.0.0.1:9")  # nothing listens: a refusal must come before any request
    with pytest.raises(ValueError):
        client.post_audit([event, bad])


# --------------------------------------------------------------------------- unreachable / broken hubs


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_hub_that_is_down_is_unavailable() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    client = HubClient(url)
    with pytest.raises(HubUnavailable) as info:
        client.health()
    assert str(info.value) == f"The floor hub at {url} cannot be reached."
    assert "kept" in info.value.hint
    assert "Connect" in info.value.detail  # the technical cause stays available for the log


@pytest.fixture
def garbage_socket() -> Iterator[str]:
    """A loopback server that answers every connection with bytes that are not HTTP."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.05)  # lets the loop notice stop; not a test threshold
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                conn.sendall(b"\x00\x01 hello, this is not HTTP at all\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    server.close()


def test_hub_answering_garbage_bytes_is_a_protocol_error(garbage_socket: str) -> None:
    with pytest.raises(HubProtocolError) as info:
        HubClient(garbage_socket).health()
    assert str(info.value).startswith("The floor hub answered with something that is not valid")


def _http_server(respond: Callable[[BaseHTTPRequestHandler], None]) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            respond(self)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            respond(self)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _reply(status: int, body: bytes, content_type: str = "application/json",
           headers: dict[str, str] | None = None) -> Callable[[BaseHTTPRequestHandler], None]:
    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)
    return respond


@pytest.mark.parametrize(("status", "body", "content_type"), [
    (200, b"<html><body>Welcome to the captive portal</body></html>", "text/html"),
    (200, b'{"status": "ok"}', "application/json"),  # JSON, but not the API's shape
    (200, b"[1, 2, 3]", "application/json"),
])
def test_hub_answering_non_api_content_is_a_protocol_error(status: int, body: bytes, content_type: str) -> None:
    for url in _http_server(_reply(status, body, content_type)):
        with pytest.raises(HubProtocolError) as info:
            HubClient(url).health()
        assert "not valid for the health check" in str(info.value)


def test_server_errors_are_protocol_errors() -> None:
    for url in _http_server(_reply(500, b"Internal Server Error", "text/plain")):
        with pytest.raises(HubProtocolError) as info:
            HubClient(url).health()
        assert info.value.status == 500


@pytest.mark.parametrize(("status", "headers", "expected"), [
    (429, {"Retry-After": "7"}, 7.0),
    (503, {"Retry-After": "0.5"}, 0.5),
    (429, {}, None),
    (429, {"Retry-After": "soon"}, None),
])
def test_busy_hub_is_rate_limited_with_retry_after(status: int, headers: dict[str, str],
                                                   expected: float | None) -> None:
    body = b'{"detail": "The floor hub is busy; try again shortly."}'
    for url in _http_server(_reply(status, body, headers=headers)):
        with pytest.raises(HubRateLimited) as info:
            HubClient(url).health()
        assert info.value.retry_after == expected and info.value.status == status
        assert str(info.value) == "The floor hub is busy; try again shortly."


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2025, 1, 6, 9, 0, 0, tzinfo=UTC)
    later = format_datetime(datetime(2025, 1, 6, 9, 0, 30, tzinfo=UTC), usegmt=True)
    assert parse_retry_after(later, now=now) == 30.0
    earlier = format_datetime(datetime(2025, 1, 6, 8, 0, 0, tzinfo=UTC), usegmt=True)
    assert parse_retry_after(earlier, now=now) == 0.0
    assert parse_retry_after(None) is None and parse_retry_after("-3") == 0.0


def test_http_date_retry_after_from_a_server() -> None:
    when = format_datetime(datetime(2999, 1, 1, tzinfo=UTC), usegmt=True)
    for url in _http_server(_reply(429, b"{}", headers={"Retry-After": when})):
        with pytest.raises(HubRateLimited) as info:
            HubClient(url).health()
        assert info.value.retry_after is not None and info.value.retry_after > 0


# --------------------------------------------------------------------------- against a real hub


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return make_clips(tmp_path_factory.mktemp("client-clips"), 2)


@pytest.fixture
def real_hub(tmp_path: Path, clips: list[Path]) -> Iterator[HubServer]:
    with HubServer(tmp_path / "hub", config=HubConfig(default_shift_size=2)) as server:
        server.service.ingest(clips)
        yield server


def test_full_round_trip_and_error_classes(real_hub: HubServer) -> None:
    seat = signed_in_seat(real_hub, "ana")
    client = seat.client
    assert client.health()["status"] == "ok"
    shift = client.start_shift(sealing.generate_shift_keypair()[1])
    assert len(shift.clips) == 2 and all(len(c.sha256) == 64 for c in shift.clips)
    assert set(client.shift_keys(shift.shift_id)) == {c.clip_id for c in shift.clips}
    result = client.post_labels([label_item(shift.shift_id, shift.clips[0].clip_id)])
    assert len(result.accepted) == 1
    with pytest.raises(HubRejected) as info:
        client.shift_state("f" * 32)
    assert info.value.status == 404 and str(info.value) == "There is no such shift among yours."
    client.sign_out()
    with pytest.raises(HubAuthError, match="not signed in"):
        client.shift_state(shift.shift_id)
    with pytest.raises(ValueError):
        client.device_status("../../secrets")


def test_a_stopped_hub_becomes_unavailable(real_hub: HubServer) -> None:
    seat = signed_in_seat(real_hub, "ana")
    real_hub.stop()
    with pytest.raises(HubUnavailable):
        seat.client.start_shift(sealing.generate_shift_keypair()[1])
