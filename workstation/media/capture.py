"""OpenCV's capture on a Python reader, made safe: the reader kept alive, its errors raised, not crashes.

Every clip is decoded from a Python ``io.BufferedIOBase`` (in production the vault's decrypting reader,
in tests ``open(path, "rb")`` or ``io.BytesIO``) handed to ``cv2.VideoCapture(reader, cv2.CAP_FFMPEG, [])``;
no plaintext file path is ever needed. Two facts about OpenCV's stream backend, checked with OpenCV 5.0,
shape this module:

* The capture does not keep the reader object alive. If the reader is garbage-collected while the
  capture is open, the next ``grab()`` reads freed memory and the process crashes. ``open_capture``
  therefore returns a :class:`Capture` wrapper that holds both (subclassing ``cv2.VideoCapture``
  is no way out: a subclass instance crashes the interpreter when it is freed).
* An exception raised inside the reader's ``read``/``seek`` (e.g. the vault's ``TamperedContainer``)
  crashes the process too. The reader is therefore wrapped in a guard that turns an exception into
  end-of-file for OpenCV, remembers it, and re-raises it from the Python call that triggered it.

When FFmpeg refuses the data, :func:`open_capture` says why in words (not a video, an MP4 cut short…).
"""

from __future__ import annotations

import io
import os
import struct
import threading
from typing import Protocol

import numpy as np

from workstation.errors import WorkstationError

# FFmpeg inside OpenCV prints decoder complaints ("Invalid NAL unit size", "moov atom not found") to
# stderr; the errors below already say what is wrong. Read once, when OpenCV first opens FFmpeg.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET

import cv2

__all__ = [
    "HINT_NOT_VIDEO",
    "HINT_TRUNCATED",
    "Capture",
    "MediaError",
    "NotAVideo",
    "Reader",
    "TruncatedVideo",
    "mp4_top_level_boxes",
    "open_capture",
    "size_of",
]

class Reader(Protocol):
    """What the decoder reads from: a seekable binary file-like object (``io.BufferedIOBase`` and kin)."""

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def seekable(self) -> bool: ...

    def tell(self) -> int: ...

    def close(self) -> None: ...


class MediaError(WorkstationError):
    """A clip cannot be decoded or read."""


class NotAVideo(MediaError):
    """The data is not a video OpenCV can decode."""


class TruncatedVideo(MediaError):
    """The clip is cut short: its index or some of its frames are missing."""


HINT_NOT_VIDEO = "Check that this is a video clip (e.g. an MP4 from the camera export) and try another file."
HINT_TRUNCATED = "The file was cut short or damaged, e.g. by an interrupted copy or download; get a fresh copy."


class _GuardedReader(io.BufferedIOBase):
    """What OpenCV actually reads from: never raises; the first error is kept in ``error``."""

    def __init__(self, inner: Reader) -> None:
        super().__init__()
        self._inner = inner
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if self.error is not None:
            return b""
        try:
            data = self._inner.read(-1 if size is None else size)
        except BaseException as e:  # noqa: BLE001 - must not propagate into OpenCV (it would crash)
            self.error = e
            return b""
        if data is None:
            return b""
        return data if isinstance(data, bytes) else bytes(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if self.error is not None:
            return -1
        try:
            return self._inner.seek(offset, whence)
        except BaseException as e:  # noqa: BLE001 - must not propagate into OpenCV (it would crash)
            self.error = e
            return -1

    def tell(self) -> int:
        return self._inner.tell()

    def raise_error(self) -> None:
        """Re-raise a reader error seen during the last OpenCV call, once, as a person-fit error."""
        err, self.error = self.error, None
        if err is None:
            return
        if isinstance(err, WorkstationError) or not isinstance(err, Exception):
            raise err  # e.g. the vault's TamperedContainer, or KeyboardInterrupt
        raise MediaError(f"Reading the clip failed ({type(err).__name__}: {err}).",
                         hint="Check the clip file and the disk, then open the clip again.") from err


class Capture:
    """A ``cv2.VideoCapture`` on a reader, plus the reader itself, which OpenCV does not keep alive.

    Behaves like ``cv2.VideoCapture`` (``grab``, ``retrieve``, ``read``, ``get``, ``set``,
    ``isOpened``, ``release``; anything else is passed through to ``.capture``), and re-raises an
    error the reader raised during a call instead of reporting a silent end of file. It is a wrapper,
    not a subclass: subclassing ``cv2.VideoCapture`` crashes the interpreter at exit (OpenCV 5.0).
    """

    def __init__(self) -> None:
        self.capture = cv2.VideoCapture()
        self.reader: _GuardedReader | None = None

    def _check(self) -> None:
        if self.reader is not None:
            self.reader.raise_error()

    def open(self, reader: _GuardedReader) -> bool:
        self.reader = reader
        try:
            return bool(self.capture.open(reader, cv2.CAP_FFMPEG, []))  # type: ignore[call-overload]
        finally:
            self._check()

    def grab(self) -> bool:
        ok = self.capture.grab()
        self._check()
        return bool(ok)

    def retrieve(self, image: np.ndarray | None = None, flag: int = 0) -> tuple[bool, np.ndarray | None]:
        result = self.capture.retrieve(image, flag)
        self._check()
        return result

    def read(self, image: np.ndarray | None = None) -> tuple[bool, np.ndarray | None]:
        result = self.capture.read(image)
        self._check()
        return result

    def get(self, prop: int) -> float:
        return float(self.capture.get(prop))

    def set(self, prop: int, value: float) -> bool:
        ok = self.capture.set(prop, value)
        self._check()
        return bool(ok)

    def isOpened(self) -> bool:
        return bool(self.capture.isOpened())

    def release(self) -> None:
        """Release the decoder first, then let go of the reader (never the other way round)."""
        self.capture.release()
        self.reader = None

    def __getattr__(self, name: str) -> object:
        return getattr(self.__dict__["capture"], name)

    def __del__(self) -> None:
        capture = self.__dict__.get("capture")
        if capture is not None:
            capture.release()


_log_lock = threading.Lock()


def _open_quietly(cap: Capture, reader: _GuardedReader) -> bool:
    """``cap.open(reader)`` without OpenCV's '[ WARN ] ... can't be used to capture' lines on bad input."""
    with _log_lock:
        level = cv2.utils.logging.getLogLevel()
        quieter = level > cv2.utils.logging.LOG_LEVEL_ERROR
        if quieter:
            cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
        try:
            return cap.open(reader)
        finally:
            if quieter:
                cv2.utils.logging.setLogLevel(level)


def size_of(reader: Reader) -> int:
    if not reader.seekable():
        raise ValueError("the clip reader must be seekable")
    size = reader.seek(0, io.SEEK_END)
    reader.seek(0)
    return size


def open_capture(reader: Reader) -> Capture:
    """Rewind ``reader`` and open an OpenCV capture on it; raise ``NotAVideo``/``TruncatedVideo`` if it won't open.

    The result is a :class:`Capture`: it behaves like ``cv2.VideoCapture`` and keeps the reader alive
    until ``release()``. Errors raised by the reader itself (e.g. a tampered container) propagate
    unchanged, from this call or from the capture's ``grab``/``read``/``set``.
    """
    size = size_of(reader)
    if size == 0:
        raise NotAVideo("This file is not a video: the file is empty.", hint=HINT_NOT_VIDEO)
    guard = _GuardedReader(reader)
    cap = Capture()
    try:
        opened = _open_quietly(cap, guard)
    except BaseException:
        cap.release()
        raise
    if not opened or not cap.isOpened():
        cap.release()
        raise _why_not_open(reader, size)
    if cap.get(cv2.CAP_PROP_FRAME_WIDTH) <= 0 or cap.get(cv2.CAP_PROP_FRAME_HEIGHT) <= 0:
        cap.release()
        raise NotAVideo("This file has no picture OpenCV can decode (the video stream reports no frame size).",
                        hint=HINT_NOT_VIDEO)
    return cap


def _why_not_open(reader: Reader, size: int) -> MediaError:
    """Explain why FFmpeg could not open the data, honestly, from the container's top-level layout."""
    boxes, cut = mp4_top_level_boxes(reader, size)
    reader.seek(0)
    if boxes and boxes[0] == b"ftyp":
        if cut is not None or b"moov" not in boxes:
            if cut == b"moov":
                detail = "its index (moov box) is cut off"
            elif b"moov" not in boxes:
                detail = "its index (moov box) is missing"
                if cut is not None:
                    detail = f"the file ends inside its '{cut.decode('latin-1')}' box and {detail}"
            else:
                detail = f"the file ends inside its '{cut.decode('latin-1')}' box"  # type: ignore[union-attr]
            return TruncatedVideo(f"The clip file is incomplete: it starts like an MP4 but {detail}.",
                                  hint=HINT_TRUNCATED)
        return NotAVideo("This MP4 file has no video stream OpenCV can decode.", hint=HINT_NOT_VIDEO)
    return NotAVideo("This file is not a video OpenCV can decode (no video stream found).", hint=HINT_NOT_VIDEO)


def mp4_top_level_boxes(reader: Reader, size: int) -> tuple[list[bytes], bytes | None]:
    """Types of the top-level ISO-BMFF boxes, and the type of a box cut off by end of file (if any).

    Returns ``([], None)`` when the data does not look like ISO-BMFF at all.
    """
    known = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"meta", b"moof", b"mfra",
             b"styp", b"sidx", b"pdin"}
    types: list[bytes] = []
    pos = 0
    try:
        while pos + 8 <= size and len(types) < 10_000:
            reader.seek(pos)
            head = reader.read(16)
            if len(head) < 8:
                break
            box_size, kind = struct.unpack(">I4s", head[:8])
            if kind not in known:
                return ([], None) if not types else (types, None)
            types.append(kind)
            if box_size == 1:
                if len(head) < 16:
                    return types, kind
                box_size = struct.unpack(">Q", head[8:16])[0]
            elif box_size == 0:  # runs to the end of the file
                return types, None
            if box_size < 8:
                return types, None
            if pos + box_size > size:
                return types, kind
            pos += box_size
    except (OSError, ValueError, struct.error):
        return types, None
    return types, None
