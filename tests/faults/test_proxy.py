"""The faulty proxy does what it says: each fault, in each phase, as a client and the server behind it see it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.faults.proxy import FaultyProxy, Mix, Plan, Schedule

TIMEOUT_S = 1.0
WAIT_S = 60.0
"""Generous: how long a condition may take to come true on a slow machine."""


class _Upstream(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.posts: list[bytes] = []
        self.changed = threading.Condition()

    def wait_posts(self, n: int) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: len(self.posts) >= n, WAIT_S)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Upstream

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self, body: bytes, *, chunked: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 7):
                part = body[i:i + 7]
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer(json.dumps({"path": self.path, "pad": "x" * 200}).encode(), chunked=self.path == "/chunked")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with self.server.changed:
            self.server.posts.append(body)
            self.server.changed.notify_all()
        self._answer(json.dumps({"stored": len(self.server.posts)}).encode())


@pytest.fixture
def upstream() -> Iterator[_Upstream]:
    server = _Upstream()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def proxy(upstream: _Upstream) -> Iterator[FaultyProxy]:
    with FaultyProxy(upstream.server_address[:2]) as proxy:  # type: ignore[arg-type]
        yield proxy


def _client(proxy: FaultyProxy) -> httpx.Client:
    return httpx.Client(base_url=proxy.url, timeout=TIMEOUT_S, trust_env=False)


def test_everything_passes_on_a_kept_alive_connection(proxy: FaultyProxy, upstream: _Upstream) -> None:
    with _client(proxy) as client:
        for i in range(3):
            assert client.post("/labels", json={"n": i}).json() == {"stored": i + 1}
            assert client.get("/chunked").json()["path"] == "/chunked"
    assert [e.number for e in proxy.exchanges()] == [0, 1, 2, 3, 4, 5]  # one connection, six exchanges
    assert proxy.tally() == {"pass": 6}


@pytest.mark.parametrize(("fault", "error"), [
    ("drop", httpx.RemoteProtocolError),
    ("reset", (httpx.ReadError, httpx.RemoteProtocolError)),
    ("truncate", httpx.RemoteProtocolError),
    ("blackhole", httpx.ReadTimeout),
])
@pytest.mark.parametrize("phase", ["request", "response"])
def test_each_fault_loses_the_answer_and_the_phase_says_whether_the_server_saw_the_request(
        proxy: FaultyProxy, upstream: _Upstream, fault: str, phase: str,
        error: type[Exception] | tuple[type[Exception], ...]) -> None:
    with _client(proxy) as client:
        client.get("/warm")  # a kept-alive connection exists: faults strike it as well as new ones
        proxy.arm("POST", "^/labels$", Plan(fault, phase))
        with pytest.raises(error):
            client.post("/labels", json={"n": 1})
        if phase == "response":
            assert upstream.wait_posts(1)  # it was stored; only the answer was lost
        assert client.post("/labels", json={"n": 2}).status_code == 200  # the client's retry gets through
    assert len(upstream.posts) == (2 if phase == "response" else 1)
    lost = [e for e in proxy.exchanges() if e.plan.fault == fault]
    assert len(lost) == 1 and lost[0].armed
    assert lost[0].committed_but_lost == (phase == "response")
    assert lost[0].hub_saw_it == (phase == "response")


def test_a_drop_at_accept_closes_a_new_connection_at_once(upstream: _Upstream) -> None:
    always_drop = Schedule(3, Mix(drop=1.0, response_share=0.0))
    with FaultyProxy(upstream.server_address[:2], always_drop) as proxy, _client(proxy) as client:  # type: ignore[arg-type]
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError, httpx.ConnectError)):
            client.post("/labels", json={"n": 1})
        proxy.faulty = False
        assert client.post("/labels", json={"n": 2}).status_code == 200
    assert [e.plan.name for e in proxy.exchanges()] == ["drop/request", "pass"]
    assert len(upstream.posts) == 1


def test_a_request_held_past_the_timeout_still_reaches_the_server(proxy: FaultyProxy, upstream: _Upstream) -> None:
    proxy.arm("POST", "^/labels$", Plan("delay", "request", delay_s=TIMEOUT_S * 1.5, long=True))
    with _client(proxy) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.post("/labels", json={"n": 1})
        assert client.get("/after").status_code == 200
    assert upstream.wait_posts(1)  # the stale copy arrived after the client gave up


def test_a_short_delay_only_slows_the_answer(proxy: FaultyProxy, upstream: _Upstream) -> None:
    proxy.arm("GET", "^/chunked$", Plan("delay", "response", delay_s=0.05))
    proxy.arm("POST", "^/labels$", Plan("delay", "request", delay_s=0.05))
    with _client(proxy) as client:
        assert client.get("/chunked").json()["path"] == "/chunked"
        assert client.post("/labels", json={"n": 1}).json() == {"stored": 1}


def test_the_schedule_is_the_same_for_the_same_seed_and_connection() -> None:
    mix = Mix(drop=0.1, delay=0.2, truncate=0.1, reset=0.1, blackhole=0.05, long_delay_s=(2.0, 3.0),
              long_delay_share=0.5)

    def first(schedule: Schedule, connection: int, n: int = 50) -> list[Plan]:
        plans = schedule.plans(connection)
        return [next(plans) for _ in range(n)]

    assert first(Schedule(11, mix), 4) == first(Schedule(11, mix), 4)
    assert first(Schedule(11, mix), 4) != first(Schedule(11, mix), 5)
    assert first(Schedule(11, mix), 4) != first(Schedule(12, mix), 4)
    names = {p.name for p in first(Schedule(11, mix), 0, 2000)}
    assert {"pass", "drop/request", "drop/response", "delay/request", "delay-long/response", "truncate/request",
            "truncate/response", "reset/request", "reset/response", "blackhole/request",
            "blackhole/response"} <= names


def test_bytes_that_are_not_http_are_relayed_as_they_are(proxy: FaultyProxy) -> None:
    """A TLS probe (the seat's "does the hub expect HTTPS?" check) reaches the server and gets its answer."""
    import socket

    with socket.create_connection(("127.0.0.1", proxy.port), timeout=WAIT_S) as sock:
        sock.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")
        answer = b"".join(iter(lambda: sock.recv(65536), b""))
    assert b"400" in answer, answer  # the server's own "bad request"
    assert proxy.exchanges() == []


def test_armed_rules_strike_in_turn_after_the_requests_they_let_pass(proxy: FaultyProxy, upstream: _Upstream) -> None:
    proxy.arm("POST", "^/labels$", Plan("reset", "response"), skip=1)
    proxy.arm("POST", "^/labels$", Plan("drop", "request"), skip=3)
    outcomes = []
    with _client(proxy) as client:
        for i in range(6):
            try:
                outcomes.append(client.post("/labels", json={"n": i}).status_code)
            except httpx.TransportError as exc:
                outcomes.append(type(exc).__name__)
    assert outcomes[0] == 200 and outcomes[2] == 200 and outcomes[4:] == [200, 200]
    assert [e.plan.name for e in proxy.exchanges()] == ["pass", "reset/response", "pass", "drop/request", "pass",
                                                         "pass"]


def test_a_request_held_until_others_were_answered_lands_after_them(proxy: FaultyProxy, upstream: _Upstream) -> None:
    proxy.arm("POST", "^/labels$", Plan("delay", "request", delay_s=WAIT_S, long=True, until=("GET", "^/later$", 2)))
    with _client(proxy) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.post("/labels", json={"n": "stale"})
        assert client.get("/later").status_code == 200
        assert client.post("/labels", json={"n": "retry"}).json() == {"stored": 1}
        assert client.get("/later").status_code == 200  # the second answer lets the stale copy go
    assert upstream.wait_posts(2)
    assert [json.loads(body)["n"] for body in upstream.posts] == ["retry", "stale"]
