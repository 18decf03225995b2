"""Background operations: a plain function runs on a worker thread; results come back as signals.

In the style of Anki's ``CollectionOp``: the function takes a ``report(value)`` callable for progress
and knows nothing of Qt, so it is testable on its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

_running: set[_Task] = set()


class _Signals(QObject):
    progress = Signal(object)
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[Callable[[Any], None]], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit)
        except BaseException as exc:  # delivered to the UI as a value, shown as a clear message
            if not isinstance(exc, Exception):
                raise
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


def run_in_background(fn: Callable[[Callable[[Any], None]], Any], *,
                      on_done: Callable[[Any], None] | None = None,
                      on_failed: Callable[[Exception], None] | None = None,
                      on_progress: Callable[[Any], None] | None = None) -> None:
    task = _Task(fn)
    _running.add(task)

    def finish(_: object = None) -> None:
        _running.discard(task)

    if on_progress:
        task.signals.progress.connect(on_progress)
    if on_done:
        task.signals.done.connect(on_done)
    if on_failed:
        task.signals.failed.connect(on_failed)
    task.signals.done.connect(finish)
    task.signals.failed.connect(finish)
    QThreadPool.globalInstance().start(task)


def wait_for_background(timeout_s: float) -> bool:
    """Wait until every background operation has returned (True), or ``timeout_s`` passed (False).

    Called before the seat's store closes: an operation still reading it (telling the hub of a sign-out, say)
    must not have its connection closed under it — SQLite would read freed memory."""
    return bool(QThreadPool.globalInstance().waitForDone(int(timeout_s * 1000)))
