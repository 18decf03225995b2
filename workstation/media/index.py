"""A per-frame index of a clip's video stream, built by demuxing (not decoding) with PyAV. No Qt here.

:func:`build_index` reads the container through any seekable binary reader (``open(path, "rb")``,
``io.BytesIO``, the vault's ``DecryptingReader``) and lists, for every video frame in display order,
its true presentation time and whether it is a keyframe, plus the stream's display rotation, whether
the clip has sound, and its duration. Only packets are read, so variable-frame-rate clips get their
real timestamps without a frame being decoded: a 30 s 1080p H.264 clip indexes in tens of
milliseconds, most of it reading (and, through the vault, decrypting) the packet data.

Times are seconds from the first displayed frame (``time_of(0) == 0``). ``start_s`` is that first
frame's time on the stream's own clock (measured from the stream's ``start_time``, which is also what
OpenCV's ``CAP_PROP_POS_MSEC`` counts from), so a decoder's timestamp ``t`` is frame
``nearest(t - start_s)``.

Rotation (``rotation``, clockwise degrees: 0, 90, 180 or 270, the convention of the old ``rotate``
tag and of OpenCV's ``CAP_PROP_ORIENTATION_META``): PyAV 18 exposes a stream's display matrix only
on decoded frames (``VideoFrame.rotation``, counter-clockwise), not on the stream, and FFmpeg no longer
exports a ``rotate`` metadata tag. So for MP4/MOV the track header (``tkhd``) matrix is read directly
from the ``moov`` box — no decoding — and for other containers (Matroska/WebM, AVI) the first keyframe
is decoded once just to read its rotation.

A cut-off file: when the container declares more frames than its packets hold (MP4 sample tables,
AVI headers) or a longer video duration than they cover (Matroska ``DURATION`` tag), the missing
frames are appended at the typical frame spacing, ``complete`` is False and ``demuxed_frames`` says
how many frames really have data. ``frame_count`` and ``duration_s`` then describe the clip as
declared, so a player can tell that decoding stopped early.

Thread-safety: a :class:`FrameIndex` is immutable and may be shared between threads. ``build_index``
never moves a reader that has ``read_at(offset, size)`` (the vault's ``DecryptingReader``): it reads
at explicit offsets through its own position, so it is safe while another thread (OpenCV) uses that
reader. Any other reader is rewound before and after and must not be used by anyone else meanwhile.
"""

from __future__ import annotations

import bisect
import contextlib
import io
import itertools
import math
import struct
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

import av
import av.container
import av.error

from workstation.errors import WorkstationError

__all__ = ["CannotIndex", "FrameIndex", "build_index"]

_BUFFER_SIZE = 1 << 18  # bytes per PyAV read call: few Python round trips, four vault chunks at a time
_ISO_FORMATS = ("mov", "mp4", "m4a", "3gp", "3g2", "mj2")
_MAX_MOOV = 64 << 20


class CannotIndex(WorkstationError):
    """PyAV could not read the container's video packets (callers fall back to the decoder's metadata)."""


class IndexReader(Protocol):
    """A seekable binary reader (``read_at`` is optional and preferred)."""

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def seekable(self) -> bool: ...

    def tell(self) -> int: ...


@dataclass(frozen=True)
class FrameIndex:
    """Every video frame of a clip in display order: its time in seconds and whether it is a keyframe."""

    times: tuple[float, ...]  # seconds from the first frame, strictly increasing
    keyframes: tuple[bool, ...]
    duration_s: float  # the last frame's time plus how long it shows
    start_s: float  # the first frame's time on the stream clock (from the stream's start_time)
    rotation: int  # clockwise degrees that turn the stored picture upright
    width: int  # stored (coded) picture size, before rotation
    height: int
    codec: str
    container: str
    has_audio: bool
    audio_codec: str | None
    nominal_fps: float  # the rate the container declares (0.0 if none)
    demuxed_frames: int  # frames that have packet data (== frame_count unless the file is cut off)
    pts: tuple[int, ...] = ()  # each demuxed frame's timestamp in stream time-base ticks (display order)
    time_base: Fraction | None = None  # the video stream's time base (the unit of ``pts``)

    # -- the API ---------------------------------------------------------------------------------

    @property
    def frame_count(self) -> int:
        return len(self.times)

    @property
    def complete(self) -> bool:
        """False when the container declares frames that have no data (a cut-off file)."""
        return self.demuxed_frames == len(self.times)

    @property
    def display_size(self) -> tuple[int, int]:
        """(width, height) of the picture as displayed, after rotation."""
        return (self.height, self.width) if self.rotation in (90, 270) else (self.width, self.height)

    @property
    def is_vfr(self) -> bool:
        """True when the frame spacing varies by more than timestamp rounding (variable frame rate)."""
        gaps = self._gaps()
        if len(gaps) < 2:
            return False
        typical = sorted(gaps)[len(gaps) // 2]
        slack = max(0.0021, typical * 0.02)  # 1/1000 time bases round 15 fps to 66/67 ms
        return any(abs(g - typical) > slack for g in gaps)

    @property
    def fps(self) -> float:
        """Frames per second: the declared rate for a constant-rate clip, else the average rate."""
        n = len(self.times)
        if n == 0 or self.duration_s <= 0:
            return self.nominal_fps
        measured = n / self.duration_s
        if not self.is_vfr and self.nominal_fps > 0 and abs(self.nominal_fps - measured) <= 0.02 * measured:
            return self.nominal_fps
        return measured

    def time_of(self, i: int) -> float:
        """Presentation time of frame ``i`` in seconds (``IndexError`` outside ``0 .. frame_count - 1``)."""
        if i < 0:
            raise IndexError(f"frame index must not be negative, got {i}")
        return self.times[i]

    def index_at(self, t: float) -> int:
        """The frame showing at time ``t``: the last frame whose time is ``<= t`` (clamped to the clip)."""
        if not self.times:
            raise IndexError("the clip has no frames")
        i = bisect.bisect_right(self.times, t + 1e-9) - 1
        return min(max(i, 0), len(self.times) - 1)

    def nearest(self, t: float) -> int:
        """The frame whose time is closest to ``t``."""
        if not self.times:
            raise IndexError("the clip has no frames")
        i = bisect.bisect_left(self.times, t)
        if i <= 0:
            return 0
        if i >= len(self.times):
            return len(self.times) - 1
        return i if self.times[i] - t < t - self.times[i - 1] else i - 1

    def match(self, t: float) -> int | None:
        """The frame whose time is ``t`` up to rounding (a quarter of the spacing around it), else None."""
        if not self.times:
            return None
        i = self.nearest(t)
        gaps = [abs(self.times[j] - self.times[i]) for j in (i - 1, i + 1) if 0 <= j < len(self.times)]
        slack = max(0.0015, min(gaps) / 4) if gaps else 0.5
        return i if abs(self.times[i] - t) <= slack else None

    def keyframe_at_or_before(self, i: int) -> int:
        """The last keyframe at or before frame ``i`` (0 if none is marked)."""
        i = min(max(i, 0), len(self.times) - 1)
        while i > 0 and not self.keyframes[i]:
            i -= 1
        return i

    def _gaps(self) -> list[float]:
        limit = self.demuxed_frames
        t = self.times[:limit]
        return [b - a for a, b in itertools.pairwise(t)]


# ---------------------------------------------------------------- reading without moving the caller's reader


class _IndexingReader(io.RawIOBase):
    """What PyAV reads from: its own position, never raises into FFmpeg (the first error is kept)."""

    def __init__(self, reader: IndexReader) -> None:
        super().__init__()
        self._reader = reader
        self._read_at: Callable[[int, int], bytes] | None = getattr(reader, "read_at", None)
        self.positional = self._read_at is not None  # True: the caller's reader position is never moved
        self._pos = 0
        self.error: BaseException | None = None
        size = getattr(reader, "size", None)
        if not isinstance(size, int) or self._read_at is None:
            size = reader.seek(0, io.SEEK_END)
            reader.seek(0)
        self.size: int = size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            target = offset
        elif whence == io.SEEK_CUR:
            target = self._pos + offset
        elif whence == io.SEEK_END:
            target = self.size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        self._pos = max(0, target)
        return self._pos

    def read_at(self, offset: int, size: int) -> bytes:
        if self.error is not None or size <= 0 or offset >= self.size:
            return b""
        try:
            if self._read_at is not None:
                data = self._read_at(offset, size)
            else:
                self._reader.seek(offset)
                data = self._reader.read(size)
        except BaseException as e:  # noqa: BLE001 - must not propagate into FFmpeg
            self.error = e
            return b""
        return bytes(data) if data else b""

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.size - self._pos
        data = self.read_at(self._pos, size)
        self._pos += len(data)
        return data

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# ---------------------------------------------------------------- rotation from an MP4 track header


def _boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of the ISO-BMFF boxes in ``data[start:end]``."""
    out: list[tuple[bytes, int, int]] = []
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        head = 8
        if size == 1 and pos + 16 <= end:
            size = struct.unpack_from(">Q", data, pos + 8)[0]
            head = 16
        elif size == 0:
            size = end - pos
        if size < head or pos + size > end:
            break
        out.append((kind, pos + head, pos + size))
        pos += size
    return out


def _matrix_2x2(data: bytes, at: int) -> tuple[float, float, float, float]:
    a, b, _u, c, d = struct.unpack_from(">iiiii", data, at)
    return a / 65536, b / 65536, c / 65536, d / 65536


def _mp4_rotation(src: _IndexingReader) -> int | None:
    """Clockwise rotation from the first video track's ``tkhd`` matrix (times ``mvhd``'s), None if not found."""
    pos, moov = 0, None
    while pos + 8 <= src.size:
        head = src.read_at(pos, 16)
        if len(head) < 8:
            return None
        size, kind = struct.unpack(">I4s", head[:8])
        if size == 1 and len(head) == 16:
            size = struct.unpack(">Q", head[8:16])[0]
        elif size == 0:
            size = src.size - pos
        if size < 8:
            return None
        if kind == b"moov":
            if size > _MAX_MOOV:
                return None
            moov = src.read_at(pos, size)
            break
        pos += size
    if moov is None or len(moov) < 16:
        return None
    movie = (1.0, 0.0, 0.0, 1.0)
    for kind, lo, hi in _boxes(moov, 8, len(moov)):
        if kind == b"mvhd" and hi - lo >= 4:
            version = moov[lo]
            at = lo + (4 + 28 + 8 + 2 + 2 + 8 if version == 1 else 4 + 16 + 4 + 2 + 2 + 8)
            if at + 36 <= hi:
                movie = _matrix_2x2(moov, at)
    for kind, lo, hi in _boxes(moov, 8, len(moov)):
        if kind != b"trak":
            continue
        parts = {k: (a, b) for k, a, b in _boxes(moov, lo, hi)}
        if b"tkhd" not in parts or b"mdia" not in parts:
            continue
        mdia = {k: (a, b) for k, a, b in _boxes(moov, *parts[b"mdia"])}
        if b"hdlr" not in mdia or moov[mdia[b"hdlr"][0] + 8: mdia[b"hdlr"][0] + 12] != b"vide":
            continue
        t_lo, t_hi = parts[b"tkhd"]
        version = moov[t_lo]
        at = t_lo + 4 + (8 + 8 + 4 + 4 + 8 if version == 1 else 4 + 4 + 4 + 4 + 4) + 8 + 2 + 2 + 2 + 2
        if at + 36 > t_hi:
            return None
        a, b, c, d = _matrix_2x2(moov, at)
        ma, mb, mc, md = movie
        a, b = a * ma + b * mc, a * mb + b * md  # row vector convention: track matrix, then movie matrix
        c, d = c * ma + d * mc, c * mb + d * md
        if a == b == 0:
            return 0
        return round(math.degrees(math.atan2(b, a)) / 90) * 90 % 360
    return None


def _decoded_rotation(stream: av.VideoStream, packet: av.Packet[av.VideoStream]) -> int:
    """Clockwise rotation read from one decoded keyframe (0 if it does not decode)."""
    try:
        stream.codec_context.skip_frame = "DEFAULT"
        frames = list(stream.codec_context.decode(packet)) + list(stream.codec_context.decode(None))
    except (av.error.FFmpegError, ValueError):
        return 0
    for frame in frames:
        return (-int(getattr(frame, "rotation", 0) or 0)) % 360
    return 0


# ---------------------------------------------------------------- building


def _stream_duration_tag(stream: av.VideoStream) -> float | None:
    """Matroska's per-stream ``DURATION`` tag ('HH:MM:SS.nnnnnnnnn') in seconds."""
    tag = stream.metadata.get("DURATION") or stream.metadata.get("duration")
    if not tag:
        return None
    try:
        h, m, s = tag.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)
    except ValueError:
        return None


def build_index(reader: IndexReader) -> FrameIndex:
    """Demux ``reader``'s first video stream (no decoding, see the module notes) into a :class:`FrameIndex`.

    Raises :class:`CannotIndex` when PyAV cannot open the container or find video packets with
    timestamps; an error raised by the reader itself (e.g. the vault's ``TamperedContainer``)
    propagates unchanged once PyAV has stopped. A reader with ``read_at`` is never moved; any other
    reader is rewound before and after.
    """
    if not reader.seekable():
        raise ValueError("the clip reader must be seekable")
    src = _IndexingReader(reader)
    try:
        return _build(src)
    finally:
        if not src.positional:
            with contextlib.suppress(Exception):  # the reader's error (if any) is raised below instead
                reader.seek(0)
        if src.error is not None:
            err, src.error = src.error, None
            raise err


def _build(src: _IndexingReader) -> FrameIndex:
    if src.size <= 0:
        raise CannotIndex("The clip is empty.")
    try:
        # skip_frame=all: FFmpeg's stream probing (avformat_find_stream_info) would otherwise decode
        # several frames (~25 ms for 1080p H.264) only to learn things the index does not need
        container = av.open(src, mode="r", buffer_size=_BUFFER_SIZE, options={"skip_frame": "all"})
    except (av.error.FFmpegError, ValueError, OSError) as e:
        raise CannotIndex(f"PyAV cannot open the container ({e}).") from None
    assert isinstance(container, av.container.InputContainer)
    try:
        return _demux(container, src)
    finally:
        container.close()


def _demux(container: av.container.InputContainer, src: _IndexingReader) -> FrameIndex:
    videos = [s for s in container.streams.video if not (s.disposition & av.stream.Disposition.attached_pic)]
    if not videos:
        raise CannotIndex("The container has no video stream.")
    stream = videos[0]
    tb = stream.time_base or Fraction(1, 1000)
    fmt = container.format.name or ""
    iso = any(name in _ISO_FORMATS for name in fmt.split(","))
    rotation = _mp4_rotation(src) if iso else None
    # read before demuxing: FFmpeg revises a Matroska stream's start_time while packets are read
    # (seen: 5.067 s on a clip whose frames start at 0, after a gap), but OpenCV's clock starts here
    declared_start = stream.start_time
    entries: list[tuple[int, bool, int]] = []  # (pts, keyframe, duration) in time-base ticks
    try:
        for packet in container.demux(stream):
            if packet.size == 0 or packet.is_discard:
                continue  # the end-of-stream marker, or a frame an edit list hides
            ts = packet.pts if packet.pts is not None else packet.dts
            if ts is None:
                continue
            if rotation is None and packet.is_keyframe:
                rotation = _decoded_rotation(stream, packet)
            entries.append((ts, bool(packet.is_keyframe), int(packet.duration or 0)))
    except (av.error.FFmpegError, ValueError, OSError):
        pass  # a damaged or cut-off container: keep what was read (the declared counts tell the rest)
    if src.error is not None:
        raise CannotIndex("The reader failed while the clip was being indexed.")
    if not entries:
        raise CannotIndex("The video stream has no packets with timestamps.")
    entries.sort(key=lambda e: e[0])
    unique: list[tuple[int, bool, int]] = []
    for e in entries:  # a repeated timestamp is one picture on screen: keep the first
        if unique and e[0] == unique[-1][0]:
            continue
        unique.append(e)
    origin = unique[0][0]
    ticks = [e[0] - origin for e in unique]
    num, den = tb.numerator, tb.denominator
    times = [t * num / den for t in ticks]  # one correctly rounded division: == float(Fraction(t) * tb)
    keyframes = [e[1] for e in unique]
    gaps = sorted(b - a for a, b in itertools.pairwise(ticks))
    typical = gaps[len(gaps) // 2] if gaps else 0
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    if not typical and rate:  # a single frame: the declared rate gives the spacing
        typical = max(1, round(1 / (rate * tb)))
    last_dur = unique[-1][2] or typical
    if typical and typical - 2 <= last_dur < typical:
        last_dur = typical  # Matroska rounds 66.67 ms down to 66: the spacing says how long a frame shows
    demuxed = len(times)

    # a cut-off file: the container declares frames (or a video duration) its packets do not cover;
    # the missing frames are placed at the average spacing of the frames that are there
    declared = int(stream.frames or 0)
    end_ticks: Fraction | int = ticks[-1] + last_dur
    declared_end = _stream_duration_tag(stream)
    spacing = Fraction(ticks[-1], demuxed - 1) if demuxed > 1 else Fraction(typical)
    missing = 0
    if declared > demuxed:
        missing = declared - demuxed
    elif declared_end is not None and spacing > 0 and Fraction(declared_end) / tb - max(origin, 0) > end_ticks + 2 * spacing:
        # FFmpeg's Matroska muxer writes the track's end time (from the stream's zero), not its length: a
        # clip whose first frame is at 3 s is not missing 3 s of frames (mkvmerge's length is never larger)
        missing = max(0, round((Fraction(declared_end) / tb - max(origin, 0) - ticks[-1]) / spacing) - 1)
    if missing and spacing > 0:
        times.extend(float((ticks[-1] + k * spacing) * tb) for k in range(1, missing + 1))
        keyframes.extend([False] * missing)
        end_ticks = ticks[-1] + (missing + 1) * spacing
    start = declared_start if declared_start is not None else origin
    audio = container.streams.audio[0] if container.streams.audio else None
    cc = stream.codec_context
    return FrameIndex(
        times=tuple(times), keyframes=tuple(keyframes), duration_s=float(end_ticks * tb),
        start_s=float((origin - start) * tb), rotation=rotation or 0, width=int(cc.width or 0),
        height=int(cc.height or 0), codec=cc.name or "", container=fmt, has_audio=audio is not None,
        audio_codec=(audio.codec_context.name if audio is not None else None),
        nominal_fps=float(rate) if rate else 0.0, demuxed_frames=demuxed,
        pts=tuple(e[0] for e in unique), time_base=tb,
    )
