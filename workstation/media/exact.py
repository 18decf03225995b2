"""Every frame of a clip by its index, exactly, with PyAV: variable frame rate and long gaps included. No Qt here.

:class:`ExactDecoder` decodes a clip's video stream through the same reader the index was built from
(the vault's decrypting reader in production, read at explicit offsets so its shared position never
moves). It is what :class:`~workstation.media.decode.FrameSource` uses whenever the clip has a
:class:`~workstation.media.index.FrameIndex`.

Why not OpenCV's ``CAP_PROP_POS_FRAMES``: OpenCV turns a frame number into a time as if the frame
rate were constant, clamps it to the declared frame count and counts frames from there. On a
motion-triggered camera clip (frames, a long gap with none, more frames) that lands on the wrong
frame or on none at all. Here a frame is found by its true timestamp instead:

* **Which frame came out** is read from the decoded frame's own timestamp, looked up in the index
  (every demuxed packet's pts, in display order). Nothing is counted or estimated.
* **Seeking to frame k** asks the demuxer for the keyframe the index names for ``k``
  (``keyframe_at_or_before``) by *its* timestamp, checks where the demuxer really landed (the first
  keyframe packet after the seek; if that is after ``k``, the previous keyframe is asked for, down
  to the first one), then decodes forward to ``k``. Frames before the landing keyframe (leading
  pictures of an open GOP, decoded without their references) are never shown or kept. A target
  ahead of the decoder in the same GOP is reached by decoding on from where the decoder is.
* **Only the target is converted**: frames on the way are decoded, not turned into BGR.

Decoded frames are also kept in a :class:`~workstation.media.framecache.FrameCache` (the decoder's
own YUV pictures, bounded by bytes), so showing a frame that was decoded lately — stepping back, a
short jump back — costs one colour conversion, and :meth:`ExactDecoder.fill` decodes, in small
slices, the stretch *before* the frame on screen while the player is idle, so stepping back further
stays instant.

Damage: a packet the decoder refuses ends the decode there (the caller reports an early end), as a
damaged clip did with OpenCV; a later seek starts afresh. An error raised by the reader itself (the
vault's ``TamperedContainer``) is raised as itself from the call that read the bytes; any other
reader exception becomes a :class:`~workstation.media.capture.MediaError`.

Not thread-safe: one thread at a time (the playback worker); PyAV releases the GIL while decoding.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator
from typing import TypeAlias

import av
import av.container
import av.error
import av.video.reformatter
import cv2
import numpy as np

from workstation.errors import WorkstationError
from workstation.media.capture import MediaError
from workstation.media.framecache import DEFAULT_CACHE_BYTES, FrameCache
from workstation.media.index import FrameIndex, IndexReader, _IndexingReader

__all__ = ["CannotDecode", "ExactDecoder"]

_BUFFER_SIZE = 1 << 18
_ROTATE_CODES = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}

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


class ExactDecoder:
    """Frames of one clip by index (see the module notes), read through ``reader``.

    ``index`` must be the clip's :class:`FrameIndex` with its packet timestamps (``index.pts``).
    ``cache_bytes`` bounds the decoded frames kept for stepping back (0: keep none).
    Raises :class:`CannotDecode` when PyAV cannot open the stream for decoding.
    """

    def __init__(self, reader: IndexReader, index: FrameIndex, *, cache_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        if not index.pts or index.time_base is None or not index.width or not index.height:
            raise CannotDecode("The clip's index has no packet timestamps to decode by.")
        self._index = index
        self._src = _IndexingReader(reader)
        try:
            # skip_frame=all: stream probing would otherwise decode frames only to learn what the index knows
            container = av.open(self._src, mode="r", buffer_size=_BUFFER_SIZE, options={"skip_frame": "all"})
        except (av.error.FFmpegError, ValueError, OSError) as e:
            self._check_reader()
            raise CannotDecode(f"PyAV cannot open the clip for decoding ({e}).") from None
        assert isinstance(container, av.container.InputContainer)
        self._container: av.container.InputContainer | None = container
        videos = [s for s in container.streams.video if not (s.disposition & av.stream.Disposition.attached_pic)]
        if not videos:
            container.close()
            raise CannotDecode("The container has no video stream to decode.")
        self._stream = videos[0]
        cc = self._stream.codec_context
        cc.skip_frame = "DEFAULT"
        cc.thread_type = "AUTO"  # frame threads: about 1.6x on two cores for 1080p H.264
        cc.thread_count = 0
        self.codec_name: str = cc.name or ""
        self.codec_tag: str = str(cc.codec_tag or "").strip("\x00 ")
        self._by_pts = {p: i for i, p in enumerate(index.pts)}
        self._reformatter = av.video.reformatter.VideoReformatter()
        self._rotate = _ROTATE_CODES.get(index.rotation)
        self.cache: FrameCache[av.VideoFrame] = FrameCache(cache_bytes)
        self._queue: deque[Decoded] = deque()
        self._packets: Iterator[Packet] | None = container.demux(self._stream)
        self._floor = 0  # frames before this index came from before the keyframe decoding started at
        self._cursor: int | None = 0  # the index the decoder delivers next (None: it must seek first)
        self._eof = False
        self.decoded = 0  # frames decoded so far (seeks and background filling included)
        self.seeks = 0  # demuxer seeks so far

    # -- the API -----------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._container is None

    def frame(self, k: int) -> Decoded | None:
        """Frame ``k`` (or, if ``k`` itself cannot be decoded, the first one after it that can); None past the end.

        Served from the cache when it is there; otherwise the decoder goes on from where it is or
        seeks to the keyframe before ``k`` (see the module notes).
        """
        self.cache.focus = k
        hit = self.cache.get(k)
        if hit is not None:
            return k, hit
        if not self._position(k):
            return None
        while (got := self._pull()) is not None:
            if got[0] >= k:
                return got
        return None

    def fill(self, focus: int, max_frames: int = 8) -> bool:
        """Decode at most ``max_frames`` frames towards holding the stretch just before ``focus``; True if more is to do.

        ``focus`` is the frame on screen. The stretch is as many frames as the cache keeps behind
        its focus (:meth:`FrameCache.behind_target`); frames already held are not decoded again.
        Call it in slices while nothing else is asked of the decoder.
        """
        if self._container is None or max_frames < 1:
            return False
        self.cache.focus = focus
        missing = self._missing_behind(focus)
        if not missing:
            return False
        first, last = missing[0], missing[-1]
        if not self._position(first):
            return False
        for _ in range(max_frames):
            got = self._pull()
            if got is None:
                return False
            if got[0] >= last:
                break
        return bool(self._missing_behind(focus))

    def image(self, frame: av.VideoFrame) -> np.ndarray:
        """``frame`` as an upright, C-contiguous, writable BGR uint8 array (the same pixels for the same frame)."""
        bgr = self._reformatter.reformat(frame, format="bgr24", threads=1)
        image: np.ndarray = bgr.to_ndarray()
        if self._rotate is not None:
            return cv2.rotate(image, self._rotate)
        if not image.flags.c_contiguous or not image.flags.writeable:
            image = np.array(image, order="C", copy=True)
        return image

    def close(self) -> None:
        """Let go of the decoder, its frames and the cache; safe to call twice."""
        self.cache.clear()
        self._queue.clear()
        self._packets = None
        container, self._container = self._container, None
        if container is not None:
            container.close()

    # -- positioning -------------------------------------------------------------------------------

    def _missing_behind(self, focus: int) -> list[int]:
        top = min(focus, self._index.demuxed_frames - 1)
        low = max(0, top - self.cache.behind_target())
        return [i for i in range(low, top + 1) if i not in self.cache and self.cache.would_keep(i)]

    def _position(self, k: int) -> bool:
        """Make the next frames the decoder delivers lead to frame ``k``: go on, or seek."""
        if self._container is None:
            raise ValueError("the decoder is closed")
        key = self._index.keyframe_at_or_before(k)
        c = self._cursor
        if self._packets is not None and c is not None and key <= c <= k:
            return True  # the decoder is in the same stretch before k: decoding on is never dearer
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
                self._check_reader()
                continue
            self._check_reader()
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
            self._check_reader()
        return None

    def _reset(self) -> None:
        self._queue.clear()
        self._packets = None
        self._cursor = None
        self._eof = False

    # -- decoding ----------------------------------------------------------------------------------

    def _pull(self) -> Decoded | None:
        """The next frame the decoder delivers (kept in the cache as it goes), or None at the end or on damage."""
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
                self._check_reader()
                self._reset()  # damaged data: stop here; a seek starts afresh
                return None
            self._check_reader()
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
        self.cache.put(got[0], got[1], frame_bytes(got[1]))
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

    def _check_reader(self) -> None:
        err, self._src.error = self._src.error, None
        if err is not None:
            raise_reader_error(err)
