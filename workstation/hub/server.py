"""Run the hub's HTTP server (uvicorn) in a background thread: for ``hub serve``, the demo and tests.

    with HubServer(data_dir) as server:      # port 0: the OS picks a free port
        client = HubClient(server.base_url)
        server.service.add_user(...)

The listening socket is bound here before uvicorn starts, so a busy port is a clear error at
``start()`` and port 0 is known at once. With ``tls_cert``/``tls_key`` (PEM, issued by the floor CA)
it serves HTTPS, TLS 1.2 or later; workstations then check the hub's certificate against the floor CA
named in their machine policy (:mod:`workstation.sync.tls`).

The TLS files are checked when the server is made, each mistake one sentence: a file missing or
unreadable, no PEM certificate or key, a key that is not the certificate's, a key protected by a
passphrase or readable by every user on the host, a certificate that expired, names no address
(``subjectAltName``) or is a CA certificate.

Protects against (with TLS): eavesdroppers and impostors between workstations and the hub, as far as
the floor CA is kept safe. Does not protect against: anyone who can read the hub's TLS key file or
controls the hub host; plain HTTP (no ``tls_cert``) protects nothing and is for loopback only.

Connection limits (:class:`HubConfig` ``http_*``): a connection must send a whole request's headers
within ``http_header_timeout_s`` (10 s) of opening or of its last answer, a silent keep-alive connection
closes after ``http_keep_alive_s`` (5 s), at most ``http_max_connections`` (200, never more than half the
file-descriptor limit) are open — a new one pushes out the one that has waited longest for its headers —
and ``http_backlog`` (128) wait to be accepted. Connections have TCP_NODELAY (an answer's body does not wait
for the client's delayed ACK). The server sends no ``Server`` header and does not trust
``X-Forwarded-For`` (the sign-in throttle counts the real peer address).
Protects against: idle or half-open sockets (slowloris) holding every file descriptor so the hub stops
answering. Does not protect against: a flood of new connections faster than a seat's own request can send
its headers (it may be pushed out and must retry — the seats back off and retry); a body sent slowly once
its headers are in; TLS handshakes that stall (asyncio closes them after 60 s; they do not count against
the cap); floods that fill the network link itself.
"""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
import stat
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import h11
import uvicorn
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from uvicorn.protocols.http.h11_impl import H11Protocol

from workstation.hub import erasure
from workstation.hub.app import create_app
from workstation.hub.config import HubConfig
from workstation.hub.errors import HubError
from workstation.hub.service import HubService

MIN_TLS = ssl.TLSVersion.TLSv1_2
_TLS_HINT = "Check the --tls-cert and --tls-key files (PEM, issued by the floor CA, readable by the hub)."


def _tls_error(message: str, hint: str = _TLS_HINT) -> HubError:
    return HubError(message, hint=hint)


def _read_tls_file(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise _tls_error(f"The hub's TLS {what} file {path} does not exist.") from None
    except IsADirectoryError:
        raise _tls_error(f"The hub's TLS {what} path {path} is a folder, not a file.") from None
    except PermissionError:
        raise _tls_error(f"The hub's TLS {what} file {path} cannot be read by this account.",
                         hint="Run the hub as the account that owns the file, or let that account read it.") from None
    except OSError as exc:
        raise _tls_error(f"The hub's TLS {what} file {path} cannot be read ({exc.strerror or exc}).") from None


def _check_certificate(cert_file: Path, data: bytes, now: datetime) -> x509.Certificate:
    try:
        leaf = x509.load_pem_x509_certificates(data)[0]
    except ValueError:
        raise _tls_error(f"The hub's TLS certificate file {cert_file} holds no PEM certificate.") from None
    try:
        is_ca = leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    renew = "Issue the hub a new certificate from the floor CA."
    if is_ca:
        raise _tls_error(f"The certificate in {cert_file} is a CA certificate, not the hub's own.",
                         hint="Give the hub a certificate issued by the floor CA for its address; the floor CA's "
                              "key does not belong on the hub.")
    if leaf.not_valid_after_utc < now:
        raise _tls_error(f"The hub's TLS certificate in {cert_file} expired on "
                         f"{leaf.not_valid_after_utc:%Y-%m-%d %H:%M} UTC.", hint=renew)
    if leaf.not_valid_before_utc > now:
        raise _tls_error(f"The hub's TLS certificate in {cert_file} is not valid before "
                         f"{leaf.not_valid_before_utc:%Y-%m-%d %H:%M} UTC.", hint="Check the hub's clock. " + renew)
    try:
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        names = None
    if not names or not (names.get_values_for_type(x509.DNSName) or names.get_values_for_type(x509.IPAddress)):
        raise _tls_error(f"The hub's TLS certificate in {cert_file} names no address (no subjectAltName), "
                         "so no workstation would accept it.",
                         hint="Issue it with the hub's DNS name or IP address, as in the policies' hub_url.")
    return leaf


def _check_key(key_file: Path, data: bytes, leaf: x509.Certificate, cert_file: Path) -> None:
    if os.name == "posix" and key_file.stat().st_mode & 0o026:
        mode = stat.S_IMODE(key_file.stat().st_mode)
        raise _tls_error(f"The hub's TLS key file {key_file} can be read or changed by other users (mode {mode:04o}).",
                         hint=f"Run: chmod 600 '{key_file}' (as the hub's service account) and start the hub again.")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise _tls_error(f"The hub's TLS key file {key_file} is protected by a passphrase.",
                         hint="Store the key without a passphrase, readable only by the hub's account.") from None
    except (ValueError, UnsupportedAlgorithm):
        raise _tls_error(f"The hub's TLS key file {key_file} holds no PEM private key.") from None
    public = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*public) != leaf.public_key().public_bytes(*public):
        raise _tls_error(f"The private key in {key_file} does not belong to the certificate in {cert_file}.",
                         hint="Pass the key that was made together with this certificate.")


def server_tls_context(cert_file: str | Path, key_file: str | Path, *, now: datetime | None = None) -> ssl.SSLContext:
    """The hub's TLS server context (TLS ≥ 1.2, no client certificates); a bad file is a clear :class:`HubError`.

    ``cert_file`` holds the hub's certificate first, then any intermediate CA certificates (PEM).
    """
    cert_file, key_file = Path(cert_file), Path(key_file)
    leaf = _check_certificate(cert_file, _read_tls_file(cert_file, "certificate"), now or datetime.now(UTC))
    _check_key(key_file, _read_tls_file(key_file, "key"), leaf, cert_file)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = MIN_TLS
    context.options |= ssl.OP_NO_COMPRESSION
    try:
        context.load_cert_chain(cert_file, key_file)
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        raise _tls_error(f"The hub's TLS certificate or key cannot be used ({getattr(exc, 'reason', None) or exc}).") \
            from None
    return context


class _GuardedH11(H11Protocol):
    """uvicorn's h11 protocol with a deadline for request headers and a cap on open connections.

    uvicorn 0.54 has neither: a connection that never sends a whole request stays open for ever, each
    holding a file descriptor, and its ``limit_concurrency`` counts idle connections too, so enough of
    them make it answer 503 to everybody. Here a connection must have sent a whole request's headers
    ``header_timeout_s`` after it opened or after its last answer, or it is closed; and when
    ``max_connections`` are open, a new one pushes out the connection that has waited longest for its
    headers (when every open one is busy with a request, the new one is closed at once).
    """

    header_timeout_s: float = 10.0
    max_connections: int = 200

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_since = 0.0
        self._refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= self.max_connections and not self._make_room():
            self._refused = True
            transport.close()
            return
        _no_delay(transport)
        super().connection_made(transport)
        self._arm()

    def _make_room(self) -> bool:
        waiting = [c for c in self.connections if isinstance(c, _GuardedH11) and c._deadline is not None]
        if not waiting:
            return False
        min(waiting, key=lambda c: c._waiting_since)._drop()
        return True

    def _arm(self) -> None:
        self._disarm()
        self._waiting_since = self.loop.time()
        self._deadline = self.loop.call_later(self.header_timeout_s, self._drop)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _drop(self) -> None:
        """Close a connection still waiting for its request headers (the deadline passed, or room is needed)."""
        self._disarm()
        self.connections.discard(self)  # room at once; connection_lost follows
        if not self.transport.is_closing():
            self.transport.close()

    def handle_events(self) -> None:
        super().handle_events()
        if self._deadline is not None and self.conn.their_state in (h11.SEND_BODY, h11.DONE):
            self._disarm()  # the request's headers are in

    def on_response_complete(self) -> None:
        if not self.transport.is_closing():
            self._arm()  # the next request's headers are due (a pipelined one disarms it at once)
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self._refused:
            return
        super().connection_lost(exc)


def _no_delay(transport: asyncio.Transport) -> None:
    """TCP_NODELAY on the connection: h11 writes an answer's headers and body separately, and with Nagle's
    algorithm the body waited for the client's delayed ACK (40 ms on Linux) — every small answer took 40 ms more."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # the peer is already gone: nothing to speed up
            pass


def guarded_protocol(header_timeout_s: float, max_connections: int) -> type[H11Protocol]:
    """The protocol class uvicorn runs, with these limits."""
    return type("GuardedH11", (_GuardedH11,), {"header_timeout_s": header_timeout_s,
                                               "max_connections": max_connections})


def effective_max_connections(configured: int) -> int:
    """``configured``, but never more than half of this process's file-descriptor limit (POSIX): the other
    half stays for the database, blobs being sent and the listening socket."""
    try:
        import resource
    except ImportError:  # Windows
        return configured
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return configured
    return max(8, min(configured, soft // 2))


def _serving(context: ssl.SSLContext) -> Callable[[uvicorn.Config, Callable[[], ssl.SSLContext]], ssl.SSLContext]:
    """uvicorn's hook for a ready-made context (instead of it loading the files itself)."""
    return lambda config, default_factory: context


class HubServer:
    def __init__(self, data_dir: str | Path, host: str = "127.0.0.1", port: int = 0, *,
                 config: HubConfig | None = None, log_level: str = "warning",
                 tls_cert: str | Path | None = None, tls_key: str | Path | None = None,
                 retention_sweep: bool = False,
                 sweep_clock: Callable[[], datetime] | None = None,
                 on_sweep: Callable[[erasure.Erased | Exception], None] | None = None,
                 database: str | None = None) -> None:
        """``database``: the hub's database URL (None: ``FLOOR_HUB_DATABASE_URL``, else ``DIR/hub.db``).
        ``config``: the hub's settings (default: the defaults with ``DIR/hub.toml``). ``retention_sweep``: erase
        clips past their retention deadline at start and every ``config.retention_sweep_s`` while serving (``hub
        serve``); ``sweep_clock`` and ``on_sweep`` are for tests (:class:`workstation.hub.erasure.Sweeper`)."""
        if (tls_cert is None) != (tls_key is None):
            raise HubError("TLS needs both a certificate file and its private key file.",
                           hint="Pass both --tls-cert and --tls-key, or neither.")
        self.tls_context: ssl.SSLContext | None = None
        """The server's TLS context (None: plain HTTP); checked before anything else is set up."""
        if tls_cert is not None and tls_key is not None:
            self.tls_context = server_tls_context(tls_cert, tls_key)
        self.service = HubService(data_dir, config=config, database=database,
                                  test_only_password_cost=config.test_only_password_cost if config else None)
        self._limits = self.service.config
        self.sweeper = (erasure.Sweeper(self.service.home, self._limits, clock=sweep_clock or erasure.utc_now,
                                        on_sweep=on_sweep) if retention_sweep else None)
        """The retention sweep while serving (None: not swept here)."""
        self.host = host
        self.port = port
        self._app = create_app(self.service.data_dir, config=self._limits,
                               database=self.service.home.database.target.url)
        self._log_level = log_level
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls_context else 'http'}://{host}:{self.port}"

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
        except OverflowError:
            sock.close()
            raise HubError(f"The hub cannot listen on port {self.port}: a port number is 0 to 65535.",
                           hint="Pick another --port.") from None
        sock.set_inheritable(True)
        return sock

    def start(self) -> str:
        """Start serving; returns the base URL once the server accepts connections."""
        if self._thread is not None:
            return self.base_url
        sock = self._bind()
        self.port = sock.getsockname()[1]
        tls = self.tls_context
        limits = self._limits
        max_connections = effective_max_connections(limits.http_max_connections)
        config = uvicorn.Config(self._app, log_level=self._log_level, lifespan="off", access_log=False,
                                ssl_context_factory=_serving(tls) if tls is not None else None,
                                server_header=False, proxy_headers=False,
                                timeout_keep_alive=limits.http_keep_alive_s,  # type: ignore[arg-type]
                                backlog=limits.http_backlog,
                                # a backstop: the guard keeps connections at max_connections, so uvicorn's
                                # 503 ("too many connections or requests") never answers a request the guard let in
                                limit_concurrency=max_connections + 1,
                                http=guarded_protocol(limits.http_header_timeout_s, max_connections))
        try:
            config.load()
        except (OSError, ValueError) as exc:
            sock.close()
            raise HubError(f"The hub cannot start its HTTP server: {exc}.") from None
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, args=(sock,), name="floor-hub", daemon=True)
        self._thread.start()
        while not self._server.started:
            self._thread.join(0.01)
            if not self._thread.is_alive():
                self._thread = None
                raise HubError(f"The hub stopped while starting: {self._failure or 'see the log above'}.")
        if self.sweeper is not None:
            self.sweeper.start()
        return self.base_url

    def _run(self, sock: socket.socket) -> None:
        assert self._server is not None
        try:
            self._server.run(sockets=[sock])
        except BaseException as exc:  # reported by start(); a thread has nobody else to tell  # noqa: BLE001 - handed on, not swallowed
            self._failure = exc
        finally:
            sock.close()

    def stop(self) -> None:
        """Ask uvicorn to finish open requests and stop; waits for the thread (and the retention sweep)."""
        if self.sweeper is not None:
            self.sweeper.stop()
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join()
            self._app.state.pool.close()
        self._thread = None
        self._server = None

    def wait(self) -> None:
        """Block until the server thread ends (``serve`` in the foreground)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(0.5)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
