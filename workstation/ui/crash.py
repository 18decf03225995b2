"""Crash reports and log records that carry no clip bytes.

A crash report names the exception's type, its message and where it happened (file, line, function and
source line of each frame) — never the frames' local variables, where frames, decrypted chunks and keys
live. Any value that is binary (``bytes``, ``bytearray``, ``memoryview``, a NumPy array, anything with
the buffer protocol) is replaced by a placeholder naming only its size, and any ``b'…'`` or ``array(…)``
text inside a message is cut out too. The same rules apply to every log record through
:class:`NoClipBytes`, a filter put on the app's log handlers.

Protects against: clip content reaching a log file, the console or a crash report through an exception
message, a log argument, a repr or a traceback.

Does not protect against: content already turned into text by the code (base64, hex dumps) — write no
such code; C-level dumps (``faulthandler``, OS crash dumps) that copy process memory; a debugger.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import traceback
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

MAX_TEXT = 2000
"""A message longer than this is cut (nothing useful in a crash report is longer)."""
KEEP_REPORTS = 20
"""Older crash reports beyond this many are removed."""

_SAFE = (str, int, float, bool, type(None))
_BYTES_LITERAL = re.compile(r"""\bb(?:'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")""")
_BYTEARRAY = re.compile(r"""\bbytearray\(<bytes omitted>\)""")
_ARRAY_REPR = re.compile(r"\barray\(\[[\s\S]*?\](?:,\s*dtype=\w+)?\)")


class Omitted(str):
    """A placeholder that reads the same through ``%s`` and ``%r``."""

    def __repr__(self) -> str:
        return str(self)


def is_binary(value: object) -> bool:
    """True for bytes-like values and arrays (anything exposing a buffer)."""
    if isinstance(value, _SAFE):
        return False
    if isinstance(value, (bytes, bytearray, memoryview)):
        return True
    if hasattr(value, "__array_interface__"):
        return getattr(value, "ndim", 1) != 0  # a NumPy scalar is a number, not content
    try:
        memoryview(value).release()  # type: ignore[arg-type]
    except TypeError:
        return False
    return True


def placeholder(value: object) -> Omitted:
    """What stands in for a binary value: its kind and size, never its content."""
    shape = getattr(value, "shape", None)
    if shape is not None and hasattr(value, "dtype"):
        return Omitted(f"<array {'×'.join(str(n) for n in shape)} {getattr(value, 'dtype', '')} omitted>")
    try:
        size = len(value)  # type: ignore[arg-type]
    except TypeError:
        size = -1
    return Omitted(f"<{size} bytes omitted>" if size >= 0 else f"<{type(value).__name__} omitted>")


def holds_binary(value: object, depth: int = 2) -> bool:
    """True when ``value`` is binary or holds a binary value (containers and object attributes, ``depth`` deep)."""
    if is_binary(value):
        return True
    if depth <= 0 or isinstance(value, _SAFE):
        return False
    items: Iterable[object]
    if isinstance(value, Mapping):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = value
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        items = list(vars(value).values())
    elif hasattr(value, "__slots__"):
        items = [getattr(value, name, None) for name in getattr(value, "__slots__", ())]
    else:
        return False
    return any(holds_binary(item, depth - 1) for n, item in zip(range(200), items))


def redact(value: object) -> object:
    """``value`` itself when it holds nothing binary, else a placeholder string."""
    if is_binary(value):
        return placeholder(value)
    if holds_binary(value):
        return Omitted(f"<{type(value).__name__} holding binary data omitted>")
    return value


def redact_text(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` with bytes literals and array reprs cut out, and cut to ``limit`` characters."""
    text = _BYTES_LITERAL.sub("<bytes omitted>", text)
    text = _BYTEARRAY.sub("<bytes omitted>", text)
    text = _ARRAY_REPR.sub("<array omitted>", text)
    return text if len(text) <= limit else text[:limit] + " …(cut)"


def exception_message(exc: BaseException) -> str:
    """The exception's message with every binary argument replaced and any leaked repr cut out."""
    args = getattr(exc, "args", ())
    try:
        if any(holds_binary(a) for a in args):
            parts = [str(a) if isinstance(a, str) else str(redact(a)) for a in args]
            text = parts[0] if len(parts) == 1 else "(" + ", ".join(parts) + ")"
        else:
            text = str(exc)
    except Exception:  # a broken __str__ must not stop the report  # noqa: BLE001 - handed on, not swallowed
        text = f"<the {type(exc).__name__} message could not be shown>"
    notes = getattr(exc, "__notes__", None)
    if isinstance(notes, list):
        text += "".join(f"\n{n}" for n in notes if isinstance(n, str))
    return redact_text(text)


def format_exception(exc_type: type[BaseException], exc: BaseException | None,
                     tb: TracebackType | None) -> str:
    """A traceback like Python's, without local variables and with every message made safe."""
    chain: list[tuple[BaseException | None, type[BaseException], TracebackType | None, str]] = []
    seen: set[int] = set()
    current, kind, trace, link = exc, exc_type, tb, ""
    while True:
        chain.append((current, kind, trace, link))
        if current is None:
            break
        seen.add(id(current))
        if current.__cause__ is not None:
            nxt, link = current.__cause__, "The above exception was the direct cause of the following exception:"
        elif current.__context__ is not None and not current.__suppress_context__:
            nxt, link = current.__context__, "During handling of the above exception, another exception occurred:"
        else:
            break
        if id(nxt) in seen:
            break
        current, kind, trace = nxt, type(nxt), nxt.__traceback__
    lines: list[str] = []
    for current, kind, trace, link in reversed(chain):  # the oldest first, as Python prints them
        lines.append("Traceback (most recent call last; local variables are never recorded):")
        for frame in traceback.extract_tb(trace):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                lines.append(f"    {redact_text(frame.line.strip(), 300)}")
        message = exception_message(current) if current is not None else ""
        name = f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else kind.__qualname__
        lines.append(f"{name}: {message}" if message else name)
        if link:  # how this exception led to the next one printed
            lines += ["", link, ""]
    return "\n".join(lines)


def crash_report(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None, *,
                 thread: str | None = None) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    head = [
        "Floor annotation workstation — crash report",
        f"time: {now}",
        f"python: {sys.version.split()[0]} on {sys.platform}",
        f"thread: {thread or threading.current_thread().name}",
        f"exception: {exc_type.__qualname__}",
        "",
    ]
    return "\n".join(head) + format_exception(exc_type, exc, tb) + "\n"


class NoClipBytes(logging.Filter):
    """Put on a log handler: binary arguments, messages and exception texts are redacted, never passed on."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_text(record.msg, limit=10 * MAX_TEXT)
        else:
            record.msg = str(redact(record.msg))
        if isinstance(record.args, Mapping):
            record.args = {k: redact(v) for k, v in record.args.items()}
        elif record.args:
            record.args = tuple(redact(a) for a in record.args)
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, exc, tb = record.exc_info
            record.exc_text = format_exception(exc_type, exc, tb)
            record.exc_info = None  # the handler's formatter must not print the raw message again
        elif record.exc_text:
            record.exc_text = redact_text(record.exc_text, limit=20 * MAX_TEXT)
        return True


class CrashReporter:
    """Writes a crash report for every uncaught exception (main thread and other threads).

    Installed, it replaces ``sys.excepthook`` and ``threading.excepthook``. A hook that was there before
    and is not Python's default (a test harness, a debugger) is still called after the report is
    written; Python's default is not, so a raw message never reaches the console.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.written: list[Path] = []
        self._previous_sys: Any = None
        self._previous_thread: Any = None
        self._filter = NoClipBytes()
        self._handlers: list[logging.Handler] = []

    # -- installing --------------------------------------------------------------------------------
    def install(self, logger: logging.Logger | None = None) -> None:
        """Take over both exception hooks and put :class:`NoClipBytes` on ``logger``'s handlers (root)."""
        if self._previous_sys is None:
            self._previous_sys, sys.excepthook = sys.excepthook, self._sys_hook
            self._previous_thread, threading.excepthook = threading.excepthook, self._thread_hook
        for handler in (logger or logging.getLogger()).handlers:
            if self._filter not in handler.filters:
                handler.addFilter(self._filter)
                self._handlers.append(handler)

    def uninstall(self) -> None:
        if self._previous_sys is not None:
            if sys.excepthook == self._sys_hook:
                sys.excepthook = self._previous_sys
            if threading.excepthook == self._thread_hook:
                threading.excepthook = self._previous_thread
            self._previous_sys = self._previous_thread = None
        for handler in self._handlers:
            handler.removeFilter(self._filter)
        self._handlers.clear()

    # -- reporting ---------------------------------------------------------------------------------
    def write(self, report: str) -> Path | None:
        """Save one report (readable by this user only); None when it cannot be saved."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            path = self.directory / f"crash-{stamp}-{os.getpid()}.txt"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(report)
            self._prune()
        except OSError:
            return None
        self.written.append(path)
        return path

    def _prune(self) -> None:
        reports = sorted(self.directory.glob("crash-*.txt"))
        for old in reports[:-KEEP_REPORTS]:
            old.unlink(missing_ok=True)

    def _sys_hook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        path = self.write(crash_report(exc_type, exc, tb))
        previous = self._previous_sys
        if previous is not None and previous is not sys.__excepthook__:
            previous(exc_type, exc, tb)
        else:
            self._tell(exc_type, path)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        thread = args.thread.name if args.thread is not None else None
        path = self.write(crash_report(args.exc_type, args.exc_value, args.exc_traceback, thread=thread))
        previous = self._previous_thread
        if previous is not None and previous is not threading.__excepthook__:
            previous(args)
        else:
            self._tell(args.exc_type, path)

    @staticmethod
    def _tell(exc_type: type[BaseException], path: Path | None) -> None:
        where = f"; a report is in {path}" if path else "; the report could not be saved"
        if sys.stderr is not None:  # a windowed frozen app has no console
            print(f"The app met an unexpected error ({exc_type.__name__}){where}.", file=sys.stderr)
