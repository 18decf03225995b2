"""Idle and half-open connections cannot make the hub deaf: a header deadline and a cap on open connections.

Before, 300 sockets that connected and sent nothing (or half a request) held one file descriptor each for
ever, and a hub with 256 descriptors stopped answering. Waits here are on the server closing the socket
(a blocking read returns), never a fixed sleep.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from tests.hub.conftest import SMALL_SHIFTS
from workstation.hub.server import HubServer

WAIT_FOR_CLOSE_S = 30.0
"""How long a test waits for the hub to close a socket before calling it a failure (generous: shared CPUs)."""


def _closed_by_server(sock: socket.socket) -> bool:
    """Block until the server closes the connection (read returns b"" or the connection is reset)."""
    sock.settimeout(WAIT_FOR_CLOSE_S)
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


@pytest.fixture
def guarded(data_dir: Path) -> Iterator[HubServer]:
    config = replace(SMALL_SHIFTS, http_header_timeout_s=1.0, http_keep_alive_s=1.0, http_max_connections=10)
    with HubServer(data_dir, config=config) as server:
        yield server


def _connect(server: HubServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=WAIT_FOR_CLOSE_S)


@pytest.mark.timeout(300)
def test_idle_sockets_neither_deafen_the_hub_nor_stay_open(guarded: HubServer) -> None:
    idle: list[socket.socket] = []
    try:
        for i in range(30):  # three times the cap; half of them send half a request and stop
            sock = _connect(guarded)
            if i % 2:
                sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: hub\r\n")
            idle.append(sock)
        answer = httpx.get(f"{guarded.base_url}/api/v1/health", timeout=WAIT_FOR_CLOSE_S)
        assert answer.status_code == 200  # a whole request still gets its answer
        assert all(_closed_by_server(sock) for sock in idle)  # evicted, or closed at the header deadline
    finally:
        for sock in idle:
            sock.close()
    assert httpx.get(f"{guarded.base_url}/api/v1/health", timeout=WAIT_FOR_CLOSE_S).status_code == 200


@pytest.mark.timeout(300)
def test_a_trickled_request_is_cut_off_and_a_quiet_keep_alive_connection_closes(guarded: HubServer) -> None:
    with _connect(guarded) as trickle, _connect(guarded) as kept:
        kept.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: hub\r\n\r\n")
        assert kept.recv(65536).startswith(b"HTTP/1.1 200 ")
        trickle.sendall(b"GET /api/v1/health HTTP/1.1\r\n")
        trickle.settimeout(WAIT_FOR_CLOSE_S)
        closed = False
        try:
            for _ in range(200):  # a header line now and then, never the blank line that ends them
                trickle.sendall(b"X-Slow: 1\r\n")
                trickle.settimeout(0.1)
                try:
                    if trickle.recv(1) == b"":
                        closed = True
                        break
                except TimeoutError:
                    continue
        except (ConnectionResetError, BrokenPipeError):
            closed = True
        assert closed or _closed_by_server(trickle)
        assert _closed_by_server(kept)


def test_the_limits_are_part_of_the_config() -> None:
    config = replace(SMALL_SHIFTS)
    assert (config.http_header_timeout_s, config.http_keep_alive_s, config.http_max_connections,
            config.http_backlog) == (10.0, 5.0, 200, 128)


_HUB_WITH_256_FDS = """
import resource, sys
from dataclasses import replace
resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
from tests.hub.conftest import SMALL_SHIFTS
from workstation.hub.server import HubServer
server = HubServer(sys.argv[1], config=replace(SMALL_SHIFTS, http_header_timeout_s=1.0))
server.start()
print(server.port, flush=True)
sys.stdin.read()  # until the test closes our stdin
server.stop()
"""


@pytest.mark.timeout(300)
@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_NOFILE is POSIX")
def test_a_hub_with_256_file_descriptors_still_answers_with_300_idle_sockets_open(data_dir: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", _HUB_WITH_256_FDS, str(data_dir)], cwd=root, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(root)})
    idle: list[socket.socket] = []
    try:
        assert proc.stdout is not None and proc.stdin is not None
        port = int(proc.stdout.readline())
        for _ in range(300):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=WAIT_FOR_CLOSE_S))
        answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=WAIT_FOR_CLOSE_S)
        assert answer.status_code == 200
        assert all(_closed_by_server(sock) for sock in idle)
    finally:
        for sock in idle:
            sock.close()
        if proc.stdin is not None:
            proc.stdin.close()
        proc.wait(timeout=60)


def test_answers_are_not_held_back_by_nagle(hub: HubServer) -> None:
    """uvicorn's h11 protocol writes an answer's headers and its body separately; with Nagle's algorithm on the
    hub's side the body waited for the seat's delayed ACK (40 ms on Linux) — every small answer took 40 ms more.
    Each accepted connection must have TCP_NODELAY."""
    with httpx.Client(base_url=hub.base_url) as client:  # keep-alive: the connection stays in the server's set
        assert client.get("/api/v1/health").status_code == 200
        server = hub._server
        assert server is not None
        sockets = [c.transport.get_extra_info("socket") for c in server.server_state.connections]
        assert sockets and all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in sockets)
