"""Run the hub's HTTP server (uvicorn) in a background thread: for ``hub serve``, the demo and tests.

    with HubServer(data_dir) as server:      # port 0: the OS picks a free port
        client = HubClient(server.base_url)
        server.service.add_user(...)

The listening socket is bound here before uvicorn starts, so a busy port is a clear error at
``start()`` and port 0 is known at once. With ``tls_cert``/``tls_key`` (PEM, issued by the floor CA)
it serves HTTPS; workstations then check the hub's certificate against the floor CA.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path
from types import TracebackType

import uvicorn

from workstation.hub.app import create_app
from workstation.hub.config import HubConfig
from workstation.hub.errors import HubError
from workstation.hub.service import HubService


class HubServer:
    def __init__(self, data_dir: str | Path, host: str = "127.0.0.1", port: int = 0, *,
                 config: HubConfig | None = None, log_level: str = "warning",
                 tls_cert: str | Path | None = None, tls_key: str | Path | None = None) -> None:
        if (tls_cert is None) != (tls_key is None):
            raise HubError("TLS needs both a certificate file and its private key file.",
                           hint="Pass both --tls-cert and --tls-key, or neither.")
        self.service = HubService(data_dir)
        self.host = host
        self.port = port
        self._tls = (str(tls_cert), str(tls_key)) if tls_cert is not None and tls_key is not None else None
        self._app = create_app(self.service.data_dir, config=config)
        self._log_level = log_level
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self._tls else 'http'}://{host}:{self.port}"

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            if os.name != "nt":  # on Windows this option would let another process share the port
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
        except OSError as exc:
            sock.close()
            raise HubError(f"The hub cannot listen on {self.host}:{self.port}: {exc.strerror or exc}.",
                           hint="Pick another --port or stop whatever uses this one.") from None
        sock.set_inheritable(True)
        return sock

    def start(self) -> str:
        """Start serving; returns the base URL once the server accepts connections."""
        if self._thread is not None:
            return self.base_url
        sock = self._bind()
        self.port = sock.getsockname()[1]
        cert, key = self._tls or (None, None)
        config = uvicorn.Config(self._app, log_level=self._log_level, lifespan="off", access_log=False,
                                ssl_certfile=cert, ssl_keyfile=key)
        try:
            config.load()  # reads the TLS files now, so a bad one is a clear error here
        except (OSError, ValueError) as exc:
            sock.close()
            raise HubError(f"The hub's TLS certificate or key cannot be used: {exc}.",
                           hint="Check the --tls-cert and --tls-key files (PEM, readable by the hub).") from None
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, args=(sock,), name="floor-hub", daemon=True)
        self._thread.start()
        while not self._server.started:
            self._thread.join(0.01)
            if not self._thread.is_alive():
                self._thread = None
                raise HubError(f"The hub stopped while starting: {self._failure or 'see the log above'}.")
        return self.base_url

    def _run(self, sock: socket.socket) -> None:
        assert self._server is not None
        try:
            self._server.run(sockets=[sock])
        except BaseException as exc:  # reported by start(); a thread has nobody else to tell
            self._failure = exc
        finally:
            sock.close()

    def stop(self) -> None:
        """Ask uvicorn to finish open requests and stop; waits for the thread."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join()
        self._thread = None
        self._server = None

    def wait(self) -> None:
        """Block until the server thread ends (``serve`` in the foreground)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(0.5)

    def __enter__(self) -> "HubServer":
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
