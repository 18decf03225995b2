"""A faulty TCP proxy on loopback between a seat and the hub: drops, delays, truncates, resets and black-holes.

    proxy = FaultyProxy(("127.0.0.1", hub_port), Schedule(seed=7, mix=SHIFT_MIX))
    url = proxy.start()              # give the seat this as its hub address
    ...
    proxy.faulty = False             # the network heals: everything passes from now on
    proxy.stop()

It runs an asyncio loop on its own thread. It speaks just enough HTTP/1.1 to know where one exchange
(request + response) ends on a kept-alive connection: ``Content-Length`` and chunked bodies; a connection
that does not start with an HTTP request (a TLS probe, say) is relayed as it is, without faults. Each exchange
gets a :class:`Plan` — pass, or one fault, and *when* it strikes:

* ``request`` phase — before the hub saw the request (the request is lost);
* ``response`` phase — after the hub answered in full, so it has committed whatever the request did, and
  only the answer is lost. This is the case that tests idempotency.

The faults, each as a client sees it:

* ``drop`` — the connection closes at once (FIN) without an answer: at accept for a connection's first
  exchange, or when the request arrives on a kept-alive one; in the response phase after the hub answered.
* ``delay`` — the bytes are held for ``delay_s`` (or until the hub answered some other requests, ``until``)
  and then forwarded. A delay past the client's timeout makes it give up, yet the held request still
  reaches the hub later (a stale copy), or the hub's answer arrives to nobody.
* ``truncate`` — part of the bytes (``keep``, a share) is forwarded, then the connection closes: a partial
  request the hub never acts on, or a partial answer (head or body cut).
* ``reset`` — the connection is aborted with an RST (``SO_LINGER`` 0).
* ``blackhole`` — the connection stays open and nothing ever comes back, until the client's timeout fires
  and it closes the socket.

Which plan an exchange gets is reproducible: connection ``n`` draws its plans, exchange after exchange,
from ``random.Random(f"{seed}/{n}")`` (:meth:`Schedule.plans`). Connections are numbered in the order they
are accepted; with several client threads that order can vary between runs, each connection's sequence
cannot. One-shot rules (:meth:`FaultyProxy.arm`) put a chosen fault on the next request that matches a
method and path, so a test can be sure the cases it is about happened at least once.

Every exchange is recorded (:attr:`FaultyProxy.log`): its plan, and the hub's status code when the hub
answered — a ``response``-phase fault with a 2xx status is an answer lost after the hub committed.

Nothing here is product code: it is a test instrument, loopback only.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import socket
import struct
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Self

FAULTS = ("pass", "drop", "delay", "truncate", "reset", "blackhole")
PHASES = ("request", "response")
HEAD_LIMIT = 64 * 1024
BLACKHOLE_MAX_S = 120.0
"""A black hole lets go after this long even if the client never gives up (a test must not hang)."""


@dataclass(frozen=True)
class Plan:
    """What happens to one exchange."""

    fault: str = "pass"
    phase: str = "response"
    delay_s: float = 0.0
    keep: float = 0.5
    """``truncate``: the share of the bytes forwarded before the connection closes (at least one byte is
    kept and at least one is cut)."""
    long: bool = False
    """``delay``: meant to last past the client's timeout."""
    until: tuple[str, str, int] | None = None
    """``delay``: hold the bytes until the hub has answered at least this many requests with this method and
    path (a regular expression, searched) — ``delay_s`` then only bounds the hold. Orders a stale request
    against later ones by what happened, not by the clock."""

    def __post_init__(self) -> None:
        if self.fault not in FAULTS or self.phase not in PHASES:
            raise ValueError(f"no such plan: {self.fault}/{self.phase}")

    @property
    def name(self) -> str:
        if self.fault == "pass":
            return "pass"
        return f"{self.fault}{'-long' if self.long else ''}/{self.phase}"


PASS = Plan()


@dataclass(frozen=True)
class Mix:
    """How often each fault strikes (weights; ``pass`` is the rest) and how long delays are."""

    drop: float = 0.0
    delay: float = 0.0
    truncate: float = 0.0
    reset: float = 0.0
    blackhole: float = 0.0
    response_share: float = 0.5
    """Of the faults, the share that strike after the hub answered (the rest: before it saw the request)."""
    short_delay_s: tuple[float, float] = (0.01, 0.3)
    long_delay_s: tuple[float, float] = (0.0, 0.0)
    """Delays past the client's timeout; (0, 0): none."""
    long_delay_share: float = 0.0
    """Of the delays, the share that are long."""

    def weights(self) -> list[tuple[str, float]]:
        faults = [(f, getattr(self, f)) for f in FAULTS[1:]]
        rest = 1.0 - sum(w for _, w in faults)
        if rest < 0:
            raise ValueError("fault weights add up to more than 1")
        return [("pass", rest), *faults]


class Schedule:
    """The seeded plans: connection ``n``'s ``k``-th exchange always gets the same plan for one seed."""

    def __init__(self, seed: int, mix: Mix) -> None:
        self.seed = seed
        self.mix = mix
        self._weights = mix.weights()

    def plans(self, connection: int) -> Iterator[Plan]:
        rng = random.Random(f"{self.seed}/{connection}")
        names = [name for name, _ in self._weights]
        weights = [w for _, w in self._weights]
        while True:
            fault = rng.choices(names, weights)[0]
            phase = "response" if rng.random() < self.mix.response_share else "request"
            long = fault == "delay" and rng.random() < self.mix.long_delay_share
            low, high = self.mix.long_delay_s if long else self.mix.short_delay_s
            delay = rng.uniform(low, high) if fault == "delay" else 0.0
            keep = rng.uniform(0.05, 0.95)
            yield PASS if fault == "pass" else Plan(fault, phase, delay, keep, long)


@dataclass
class Rule:
    """A one-shot fault for the next request whose method and path match."""

    method: str
    path: re.Pattern[str]
    plan: Plan
    times: int = 1
    skip: int = 0
    """Matching requests to let pass (counted from when it was armed) before it strikes."""


@dataclass(frozen=True)
class Exchange:
    """One request seen by the proxy and what was done to it."""

    connection: int
    number: int
    method: str
    path: str
    plan: Plan
    armed: bool
    """The plan came from a one-shot rule, not the schedule."""
    status: int | None
    """The hub's status code when it answered (None: the request never reached it whole, or it did not answer)."""

    @property
    def committed_but_lost(self) -> bool:
        """The hub acted on the request (2xx) and the client never got the answer whole and in time."""
        lost = self.plan.fault in ("drop", "truncate", "reset", "blackhole") or (self.plan.fault == "delay"
                                                                                 and self.plan.long)
        return lost and self.status is not None and 200 <= self.status < 300

    @property
    def hub_saw_it(self) -> bool:
        return self.status is not None


@dataclass
class _Message:
    head: bytes
    body: bytes

    @property
    def raw(self) -> bytes:
        return self.head + self.body


class _Closed(Exception):
    """The other side closed before a whole message arrived."""


# --------------------------------------------------------------------------- HTTP/1.1 framing


def _headers(head: bytes) -> tuple[str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    fields: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip().lower()] = value.strip()
    return lines[0], fields


async def _read_head(reader: asyncio.StreamReader) -> bytes | None:
    """The head up to its blank line; None when the connection ended cleanly before a new message."""
    try:
        return await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            return None
        raise _Closed() from None
    except asyncio.LimitOverrunError:
        raise _Closed() from None


async def _read_body(reader: asyncio.StreamReader, fields: dict[str, str], *, until_eof: bool) -> bytes:
    try:
        if "chunked" in fields.get("transfer-encoding", "").lower():
            parts = []
            while True:
                size_line = await reader.readuntil(b"\r\n")
                parts.append(size_line)
                size = int(size_line.split(b";")[0].strip(), 16)
                if size == 0:
                    while True:  # trailers up to the blank line
                        line = await reader.readuntil(b"\r\n")
                        parts.append(line)
                        if line == b"\r\n":
                            return b"".join(parts)
                parts.append(await reader.readexactly(size + 2))
        if "content-length" in fields:
            return await reader.readexactly(int(fields["content-length"]))
        return await reader.read() if until_eof else b""
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
        raise _Closed() from None


async def _read_request(reader: asyncio.StreamReader, first: bytes) -> _Message:
    head = first + (await _read_head(reader) or b"")
    if not head.endswith(b"\r\n\r\n"):
        raise _Closed()
    _, fields = _headers(head)
    return _Message(head, await _read_body(reader, fields, until_eof=False))


async def _read_response(reader: asyncio.StreamReader, method: str) -> tuple[_Message, int, bool]:
    """(the response, its status, whether the connection ends after it)."""
    head = await _read_head(reader)
    if head is None:
        raise _Closed()
    status_line, fields = _headers(head)
    status = int(status_line.split()[1])
    no_body = method == "HEAD" or status in (204, 304) or 100 <= status < 200
    body = b"" if no_body else await _read_body(reader, fields, until_eof=True)
    framed = no_body or "content-length" in fields or "chunked" in fields.get("transfer-encoding", "").lower()
    closes = fields.get("connection", "").lower() == "close" or not framed
    return _Message(head, body), status, closes


# --------------------------------------------------------------------------- the proxy


class FaultyProxy:
    """Listens on a loopback port and forwards to ``upstream`` with the :class:`Schedule`'s faults."""

    def __init__(self, upstream: tuple[str, int], schedule: Schedule | None = None, *,
                 host: str = "127.0.0.1") -> None:
        self.upstream = upstream
        self.schedule = schedule or Schedule(0, Mix())
        """Assign a new one to change the faults from the next exchange on."""
        self.host = host
        self.port = 0
        self.faulty = True
        """False: every exchange passes (armed rules too wait)."""
        self.log: list[Exchange] = []
        self._rules: list[Rule] = []
        self._lock = threading.Lock()
        self._connections = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._answered: asyncio.Condition | None = None
        self._startup_error: BaseException | None = None

    # -- control (any thread) ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> str:
        self._thread = threading.Thread(target=self._run, name="faulty-proxy", daemon=True)
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("the faulty proxy did not start")
        if self._startup_error is not None:
            raise RuntimeError(f"the faulty proxy did not start: {self._startup_error}")
        return self.url

    def stop(self) -> None:
        loop = self._loop
        if loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(30)
        self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def arm(self, method: str, path: str, plan: Plan, times: int = 1, *, skip: int = 0) -> Rule:
        """Put ``plan`` on the next ``times`` requests whose method is ``method`` and whose path matches the
        regular expression ``path`` (searched), after ``skip`` such requests went by. The first rule armed
        strikes first when several are due. Returns the rule; ``rule.times`` is 0 once used up."""
        rule = Rule(method.upper(), re.compile(path), plan, times, skip)
        with self._lock:
            self._rules.append(rule)
        return rule

    def exchanges(self) -> list[Exchange]:
        with self._lock:
            return list(self.log)

    def tally(self) -> Counter[str]:
        """How many exchanges got each plan (``pass`` included)."""
        return Counter(e.plan.name for e in self.exchanges())

    # -- the loop thread -----------------------------------------------------------------------------
    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._answered = asyncio.Condition()
        try:
            self._server = loop.run_until_complete(
                asyncio.start_server(self._serve, self.host, 0, limit=HEAD_LIMIT))
            self.port = self._server.sockets[0].getsockname()[1]
        except OSError as exc:
            self._startup_error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    def _plan_for(self, message: _Message, scheduled: Plan) -> tuple[Plan, bool]:
        if not self.faulty:
            return PASS, False
        request_line, _ = _headers(message.head)
        method, _, rest = request_line.partition(" ")
        path = rest.rpartition(" ")[0]
        chosen: Rule | None = None
        with self._lock:
            for rule in self._rules:
                if rule.times <= 0 or rule.method != method or not rule.path.search(path):
                    continue
                if rule.skip > 0:
                    rule.skip -= 1
                elif chosen is None:
                    chosen = rule
            if chosen is not None:
                chosen.times -= 1
                return chosen.plan, True
        return scheduled, False

    def _record(self, connection: int, number: int, message: _Message, plan: Plan, armed: bool,
                status: int | None) -> None:
        request_line, _ = _headers(message.head)
        method, _, rest = request_line.partition(" ")
        with self._lock:
            self.log.append(Exchange(connection, number, method, rest.rpartition(" ")[0], plan, armed, status))
        if status is not None and self._loop is not None and self._answered is not None:
            self._loop.create_task(self._tell_answered())

    async def _tell_answered(self) -> None:
        assert self._answered is not None
        async with self._answered:
            self._answered.notify_all()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        with self._lock:
            connection = self._connections
            self._connections += 1
        schedule = self.schedule
        plans = schedule.plans(connection)
        try:
            number = 0
            while True:
                if schedule is not self.schedule:  # a new schedule from now on, for kept-alive connections too
                    schedule = self.schedule
                    plans = schedule.plans(connection)
                scheduled = next(plans)
                if number == 0 and self.faulty and scheduled.fault == "drop" and scheduled.phase == "request":
                    # accept, then close at once: the request (if already sent) was never read
                    await self._fin(reader, writer)
                    with self._lock:
                        self.log.append(Exchange(connection, 0, "?", "?", scheduled, False, None))
                    return
                first = await reader.read(1)
                if not first:
                    return
                if not first.isalpha():  # not HTTP (a TLS probe, say): a plain TCP relay, no faults
                    await self._relay(first, reader, writer)
                    return
                request = await _read_request(reader, first)
                plan, armed = self._plan_for(request, scheduled)
                keep_open = await self._exchange(connection, number, request, plan, armed, reader, writer)
                if not keep_open:
                    return
                number += 1
        except (_Closed, ConnectionError, OSError):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            self._tasks.discard(task)
            if not writer.is_closing():
                writer.transport.abort()

    async def _exchange(self, connection: int, number: int, request: _Message, plan: Plan, armed: bool,
                        reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Carry one exchange out under ``plan``; whether the client connection stays open."""
        fault = plan.fault if plan.phase == "request" else "pass"
        if fault in ("drop", "truncate", "reset", "blackhole"):
            if fault == "truncate":  # part of the request reaches the hub, which never acts on half a request
                await self._forward_part(request.raw, plan.keep)
            self._record(connection, number, request, plan, armed, None)
            await self._strike(fault, reader, writer)
            return False
        if fault == "delay":
            await self._hold_for(plan)  # held in flight; it goes on even if the client gave up meanwhile
        method = _headers(request.head)[0].partition(" ")[0]
        try:
            response, status, closes = await self._upstream(request, method)
        except (_Closed, ConnectionError, OSError):
            self._record(connection, number, request, plan, armed, None)
            await self._strike("reset", reader, writer)  # the hub went away: so does the connection
            return False
        self._record(connection, number, request, plan, armed, status)
        fault = plan.fault if plan.phase == "response" else "pass"
        if fault == "delay":
            await self._hold_for(plan)
        elif fault == "truncate":
            raw = response.raw
            cut = min(len(raw) - 1, max(1, int(len(raw) * plan.keep)))
            writer.write(raw[:cut])
            await writer.drain()
            await self._strike("drop", reader, writer)
            return False
        elif fault in ("drop", "reset", "blackhole"):
            await self._strike(fault, reader, writer)
            return False
        if writer.is_closing():
            return False
        writer.write(response.raw)
        await writer.drain()
        if closes:
            await self._fin(reader, writer)
            return False
        return True

    async def _hold_for(self, plan: Plan) -> None:
        if plan.until is None:
            await asyncio.sleep(plan.delay_s)
            return
        method, path, count = plan.until
        pattern = re.compile(path)

        def answered() -> bool:
            with self._lock:
                return sum(1 for e in self.log if e.method == method and pattern.search(e.path)
                           and e.status is not None) >= count

        assert self._answered is not None
        with contextlib.suppress(asyncio.TimeoutError):
            async with asyncio.timeout(plan.delay_s), self._answered:
                await self._answered.wait_for(answered)

    async def _upstream(self, request: _Message, method: str) -> tuple[_Message, int, bool]:
        """One exchange on a fresh connection to the hub (closed after it)."""
        up_reader, up_writer = await asyncio.open_connection(*self.upstream, limit=HEAD_LIMIT)
        try:
            up_writer.write(request.raw)
            await up_writer.drain()
            return await _read_response(up_reader, method)
        finally:
            up_writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await up_writer.wait_closed()

    async def _relay(self, first: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            with contextlib.suppress(ConnectionError, OSError, RuntimeError):
                if sink.can_write_eof():
                    sink.write_eof()

        up_writer.write(first)
        try:
            await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))
        finally:
            up_writer.close()
            writer.close()

    async def _forward_part(self, raw: bytes, keep: float) -> None:
        cut = min(len(raw) - 1, max(1, int(len(raw) * keep)))
        try:
            _, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            return
        try:
            up_writer.write(raw[:cut])
            await up_writer.drain()
        finally:
            up_writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await up_writer.wait_closed()

    async def _strike(self, fault: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if fault == "reset":
            self._reset(writer)
        elif fault == "blackhole":
            await self._hold(reader)
            writer.transport.abort()
        else:  # drop
            await self._fin(reader, writer)

    @staticmethod
    def _reset(writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()  # close() with linger 0: an RST, not a FIN

    @staticmethod
    async def _hold(reader: asyncio.StreamReader) -> None:
        """Read and discard whatever comes until the client closes (or the black hole's cap)."""
        with contextlib.suppress(asyncio.TimeoutError, ConnectionError, OSError):
            async with asyncio.timeout(BLACKHOLE_MAX_S):
                while await reader.read(65536):
                    pass

    async def _fin(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Close our side with a FIN, let the client see it, then let go once it closes too."""
        with contextlib.suppress(ConnectionError, OSError, RuntimeError):
            if writer.can_write_eof():
                writer.write_eof()
        await self._hold(reader)
        writer.close()
