"""The one thread that writes the seat's local store.

Every write of :class:`~workstation.labeling.store.LocalStore` runs here, one transaction at a time, on
this thread's own connection; every other thread reads through its own read-only connection. So no
two threads ever write the SQLite file (STYLE.md: "several threads writing one SQLite file" is to
avoid), and the order of commits is the order in which callers asked. The caller waits for its commit
(a label is durable before the next clip shows); a write asked for from inside another write runs at
once, inside it.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import sqlite_utils

log = logging.getLogger(__name__)

T = TypeVar("T")

_Job = tuple[Callable[[sqlite_utils.Database], Any], "Future[Any]"]


class WriterClosed(RuntimeError):
    """The store was closed: nothing more is written."""


class StoreWriter:
    """Runs write functions ``fn(db)`` in order on one thread; :meth:`call` waits for the result."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], *, name: str = "store-writer") -> None:
        self._connect = connect
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._db: sqlite_utils.Database | None = None
        self._closed = False
        self._lock = threading.Lock()
        self.on_write: Callable[[], None] | None = None
        """Called on the writer thread before each write (tests use it to see which thread writes)."""
        ready: Future[None] = Future()
        self._thread = threading.Thread(target=self._run, args=(ready,), name=name, daemon=True)
        self._thread.start()
        ready.result()  # the connection opened (or its error is raised here)

    @property
    def thread_id(self) -> int | None:
        return self._thread.ident

    def call(self, fn: Callable[[sqlite_utils.Database], T]) -> T:
        """Run ``fn(db)`` on the writer thread and return its result (its exception is raised here)."""
        if threading.get_ident() == self._thread.ident:
            assert self._db is not None
            return fn(self._db)  # a write inside a write: already on the writer, inside its transaction
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise WriterClosed("the local store is closed")
            self._queue.put((fn, future))
        return future.result()

    def _run(self, ready: Future[None]) -> None:
        try:
            conn = self._connect()
        except BaseException as exc:  # noqa: BLE001 - handed on, not swallowed
            ready.set_exception(exc)
            return
        self._db = sqlite_utils.Database(conn)
        ready.set_result(None)
        try:
            while True:
                job = self._queue.get()
                if job is None:
                    return
                fn, future = job
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    if self.on_write is not None:
                        self.on_write()
                    future.set_result(fn(self._db))
                except BaseException as exc:  # handed to the caller, who raises it  # noqa: BLE001 - handed on, not swallowed
                    future.set_exception(exc)
        finally:
            try:
                conn.close()
            except sqlite3.Error as exc:  # closing at exit: nothing left to tell
                log.debug("store writer connection did not close cleanly: %s", exc)

    def close(self) -> None:
        """Write what was asked for, then stop the thread (later calls raise :class:`WriterClosed`)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(None)
        if threading.get_ident() != self._thread.ident:
            self._thread.join()
