"""One demuxer and decoder on a clip, finding frames by their timestamps, with PyAV. No Qt here.

A :class:`Track` is a cursor over a clip's decoded frames: it decodes forward, or seeks the demuxer
to a keyframe the clip's :class:`~workstation.media.index.FrameIndex` names and decodes on from
there. :class:`~workstation.media.exact.ExactDecoder` keeps a few of them on one clip.

* **Which frame came out** is read from the decoded frame's own timestamp, looked up in the index
  (every demuxed packet's pts, in display order). Nothing is counted or estimated.
* **Seeking to frame k** asks the demuxer for the keyframe the index names for ``k``
  (``keyframe_at_or_before``) by *its* timestamp, checks where the demuxer really landed (the first
  keyframe packet after the seek; if that is after ``k``, the previous keyframe is asked for, down
  to the first one), then decodes forward to ``k``. Frames before the landing keyframe (leading
  pictures of an open GOP, decoded without their references) are never delivered.

Damage: a packet the decoder refuses ends the decode there (the caller reports an early end), as a
damaged clip did with OpenCV; a later seek starts afresh. An error raised by the reader itself (the
vault's ``TamperedContainer``) is raised as itself from the call that read the bytes; any other
reader exception becomes a :class:`~workstation.media.capture.MediaError`. Each track reads through
its own position (``read_at`` on the vault's reader), so several may share one reader.

Not thread-safe: one thread at a time; PyAV releases the GIL while decoding.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator
from typing import TypeAlias

import av
import av.container
import av.error
import numpy as np

from workstation.errors import WorkstationError
from workstation.media.capture import MediaError
from workstation.media.index import FrameIndex, IndexReader, _IndexingReader

__all__ = ["CannotDecode", "Decoded", "Track", "frame_bytes", "own_copy"]

_BUFFER_SIZE = 1 << 18

Packet: TypeAlias = "av.Packet[av.VideoStream]"  # subscripted for the type checker only
Decoded = tuple[int, av.VideoFrame]
"""(index of the frame in the clip, the decoded picture)."""


class CannotDecode(MediaError):
    """PyAV cannot open or decode this clip's video stream (the caller falls back to OpenCV)."""


def raise_reader_error(err: BaseException) -> None:
    """Raise an error the reader raised, as a person-fit error (a WorkstationError as itself)."""
    if isinstance(err, WorkstationError) or not isinstance(err, Exception):
        raise err  # e.g. the vault's TamperedContainer, or KeyboardInterrupt
    raise MediaError(f"Reading the clip failed ({type(err).__name__}: {err}).",
                     hint="Check the clip file and the disk, then open the clip again.") from err


def frame_bytes(frame: av.VideoFrame) -> int:
    """Bytes a decoded frame holds (its planes' buffers)."""
    return sum(plane.buffer_size for plane in frame.planes)


_COLOUR = ("colorspace", "color_range", "color_primaries", "color_trc")


def own_copy(frame: av.VideoFrame, into: av.VideoFrame | None = None) -> av.VideoFrame:
    """``frame`` copied into memory of its own (``into``, if it has the same size and format), with its colour tags.

    A decoder hands out frames from its buffer pools, which never shrink; frames kept for long are
    copies instead (about a memcpy: 0.3 ms for 1080p 4:2:0). The copy keeps the pixels, the format and
    the colour space, range, primaries and transfer, but not what PyAV cannot set (the chroma siting a
    10-bit HEVC decoder reports, which FFmpeg's scaler honours): so every frame shown is converted
    from such a copy, and a frame shows the same pixels however it was reached.
    """
    same = (into is not None and into.width == frame.width and into.height == frame.height
            and into.format.name == frame.format.name)
    copy = into if same and into is not None else av.VideoFrame(frame.width, frame.height, frame.format.name)
    for src_plane, dst_plane in zip(frame.planes, copy.planes, strict=True):
        src, dst = _rows(src_plane), _rows(dst_plane)
        rows, width = min(src.shape[0], dst.shape[0]), min(src.shape[1], dst.shape[1])
        dst[:rows, :width] = src[:rows, :width]
    for name in _COLOUR:
        setattr(copy, name, getattr(frame, name))
    copy.pts = frame.pts
    return copy


def _rows(plane: av.video.plane.VideoPlane) -> np.ndarray:
    rows = plane.buffer_size // plane.line_size
    return np.frombuffer(memoryview(plane), np.uint8)[: rows * plane.line_size].reshape(rows, plane.line_size)


_SEEK_COST = 4
"""A demuxer seek and a decoder flush, counted in frames decoded, when choosing how to reach a frame."""


class Track:
    """One demuxer and decoder on a clip (see the module notes), with ``threads`` decoder threads.

    ``by_pts`` maps each packet timestamp of the index to its frame index. Raises
    :class:`CannotDecode` when PyAV cannot open the stream for decoding.
    """

    def __init__(self, reader: IndexReader, index: FrameIndex, by_pts: dict[int, int], threads: int) -> None:
        self._index = index
        self._by_pts = by_pts
        self._src = _IndexingReader(reader)
        try:
            # skip_frame=all: stream probing would otherwise decode frames only to learn what the index knows
            container = av.open(self._src, mode="r", buffer_size=_BUFFER_SIZE, options={"skip_frame": "all"})
        except (av.error.FFmpegError, ValueError, OSError) as e:
            self.check_reader()
            raise CannotDecode(f"PyAV cannot open the clip for decoding ({e}).") from None
        assert isinstance(container, av.container.InputContainer)
        videos = [s for s in container.streams.video if not (s.disposition & av.stream.Disposition.attached_pic)]
        if not videos:
            container.close()
            raise CannotDecode("The container has no video stream to decode.")
        self._container: av.container.InputContainer | None = container
        self._stream = videos[0]
        cc = self._stream.codec_context
        cc.skip_frame = "DEFAULT"
        cc.thread_type = "AUTO"
        cc.thread_count = threads
        self.codec_name: str = cc.name or ""
        self.codec_tag: str = str(cc.codec_tag or "").strip("\x00 ")
        self._queue: deque[Decoded] = deque()
        self._packets: Iterator[Packet] | None = container.demux(self._stream)
        self._floor = 0  # frames before this index came from before the keyframe decoding started at
        self._cursor: int | None = 0  # the index this track delivers next (None: it must seek first)
        self._eof = False
        self.decoded = 0  # frames decoded
        self.seeks = 0  # demuxer seeks

    @property
    def closed(self) -> bool:
        return self._container is None

    def close(self) -> None:
        self._queue.clear()
        self._packets = None
        container, self._container = self._container, None
        if container is not None:
            container.close()

    @property
    def cursor(self) -> int | None:
        """The index this track delivers next, or None when it must seek before delivering anything."""
        return self._cursor if self._packets is not None else None

    def cost(self, k: int) -> int:
        """About how many frames this track decodes to deliver frame ``k``."""
        key = self._index.keyframe_at_or_before(k)
        c = self._cursor
        if self._packets is not None and c is not None and key <= c <= k:
            return k - c  # on from where it is: never dearer than from the keyframe
        return k - key + _SEEK_COST

    def near(self, k: int, before: int, after: int = 0) -> bool:
        """True if the next frame this track delivers is at most ``before`` frames before ``k`` (in ``k``'s GOP)
        or at most ``after`` frames after it."""
        c = self._cursor
        return (self._packets is not None and c is not None
                and max(self._index.keyframe_at_or_before(k), k - before) <= c <= k + after)

    def position(self, k: int) -> bool:
        """Make the next frames this track delivers lead to frame ``k``: go on, or seek."""
        if self._container is None:
            raise ValueError("the decoder is closed")
        key = self._index.keyframe_at_or_before(k)
        c = self._cursor
        if self._packets is not None and c is not None and key <= c <= k:
            return True
        return self._seek(key, k)

    def _seek(self, key: int, k: int) -> bool:
        """Seek the demuxer to keyframe ``key`` (or an earlier one if it lands after ``k``); False if nothing works."""
        assert self._container is not None
        keys = (i for i in range(key, -1, -1) if i == 0 or self._index.keyframes[i])
        for candidate in keys:
            self._reset()
            self.seeks += 1
            try:
                self._container.seek(self._index.pts[candidate], stream=self._stream, backward=True)
            except av.error.FFmpegError:
                self.check_reader()
                continue
            self.check_reader()
            packets = self._container.demux(self._stream)
            landed = self._first_keyframe(packets, candidate)
            if landed is None:
                continue
            start, packet = landed
            if start > k:
                continue  # the demuxer landed after the frame wanted: ask for an earlier keyframe
            self._packets = itertools.chain((packet,), packets)
            self._floor = self._cursor = start
            return True
        self._reset()
        return False

    def _first_keyframe(self, packets: Iterator[Packet], asked: int) -> tuple[int, Packet] | None:
        """The first keyframe packet after a seek and the frame it starts (packets before it are skipped).

        A keyframe whose timestamp the index does not know is taken to be the one ``asked`` for.
        """
        try:
            for packet in packets:
                if packet.size == 0:
                    return None
                if not packet.is_keyframe:
                    continue
                ts = packet.pts if packet.pts is not None else packet.dts
                start = self._index_of_ts(ts)
                return (start if start is not None else asked), packet
        except av.error.FFmpegError:
            pass
        finally:
            self.check_reader()
        return None

    def _reset(self) -> None:
        self._queue.clear()
        self._packets = None
        self._cursor = None
        self._eof = False

    def pull(self) -> Decoded | None:
        """The next frame this track delivers (as the decoder gave it), or None at the end or on damage."""
        packets = self._packets
        if packets is None:
            return None
        cc = self._stream.codec_context
        while not self._queue:
            if self._eof:
                return None
            try:
                packet = next(packets, None)
                if packet is None or packet.size == 0:
                    self._eof = True
                    frames = cc.decode(None)
                else:
                    frames = cc.decode(packet)
            except av.error.FFmpegError:
                self.check_reader()
                self._reset()  # damaged data: stop here; a seek starts afresh
                return None
            self.check_reader()
            for frame in frames:
                self.decoded += 1
                i = self._index_of(frame)
                floor = self._floor if self._cursor is None else max(self._floor, self._cursor)
                if self._queue:
                    floor = max(floor, self._queue[-1][0] + 1)
                if i is None or i < floor:
                    continue  # a leading picture from before the keyframe, or a repeated timestamp
                self._queue.append((i, frame))
        got = self._queue.popleft()
        self._cursor = got[0] + 1
        return got

    def _index_of(self, frame: av.VideoFrame) -> int | None:
        ts = frame.pts if frame.pts is not None else frame.dts
        found = self._index_of_ts(ts)
        if found is None and ts is None:  # no timestamp at all: the next frame in order
            found = self._queue[-1][0] + 1 if self._queue else self._cursor
        return found

    def _index_of_ts(self, ts: int | None) -> int | None:
        if ts is None:
            return None
        found = self._by_pts.get(ts)
        if found is None and self._index.time_base is not None:
            found = self._index.match(float((ts - self._index.pts[0]) * self._index.time_base))
        return found

    def check_reader(self) -> None:
        err, self._src.error = self._src.error, None
        if err is not None:
            raise_reader_error(err)
