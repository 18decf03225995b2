"""Every frame of a clip by its index, exactly and fast, with PyAV: variable frame rate and long gaps included. No Qt here.

:class:`ExactDecoder` decodes a clip's video stream through the same reader the index was built from
(the vault's decrypting reader in production, read at explicit offsets so its shared position never
moves). It is what :class:`~workstation.media.decode.FrameSource` uses whenever the clip has a
:class:`~workstation.media.index.FrameIndex`.

Why not OpenCV's ``CAP_PROP_POS_FRAMES``: OpenCV turns a frame number into a time as if the frame
rate were constant, clamps it to the declared frame count and counts frames from there. On a
motion-triggered camera clip (frames, a long gap with none, more frames) that lands on the wrong
frame or on none at all. Here frames are found by their true timestamps
(:class:`~workstation.media.track.Track`).

Fast, for stepping back and seeking in long GOPs (a frame can only be decoded from the keyframe
before it: 250 frames at worst on the benchmark clip):

* **Kept frames.** Decoded frames near the one on screen are kept, as copies of their own, in a
  byte-bounded :class:`~workstation.media.framecache.FrameCache`: while playing, the last frames
  played; on the way to a seek's target, the frames before it. A step back to a kept frame costs a
  colour conversion. Only the frame shown is converted; frames on the way are only decoded.
* **Several tracks.** Up to :data:`MAX_TRACKS` demuxer+decoder cursors on the clip. A frame asked
  for is decoded by the nearest one (the one that gets there decoding the fewest frames). The track
  ready to deliver the frame after the one on screen is never used for background work, so Play
  after a pause carries on without a seek.
* **Idle work**, in small slices, while the player is paused (the caller decides when):
  :meth:`ExactDecoder.fill` decodes the stretch before the frame on screen into the cache (further
  steps back), :meth:`ExactDecoder.warm` decodes the targets of likely jumps (±2 s) and pins them,
  and :meth:`ExactDecoder.park` leaves spare tracks in the middle of the longest stretches a seek
  would have to decode (from a keyframe or a track to the next), so a seek anywhere decodes less.

Memory: the cache's budget, plus each track's decoder (about 10 MB for 1080p H.264 with one thread);
the number of tracks is capped so that they take about :data:`TRACK_BYTES`.

Not thread-safe: one thread at a time (the playback worker); PyAV releases the GIL while decoding.
"""

from __future__ import annotations

import os

import av
import av.video.reformatter
import cv2
import numpy as np

from workstation.media.framecache import DEFAULT_CACHE_BYTES, FrameCache
from workstation.media.index import FrameIndex, IndexReader
from workstation.media.track import CannotDecode, Decoded, Track, frame_bytes, own_copy

__all__ = ["CannotDecode", "ExactDecoder"]

_ROTATE_CODES = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}

BIG_PICTURE = 2_300_000
"""Pixels above which (beyond 1080p) the first track decodes with frame threads: playing 4K at 2x needs
them. Up to 1080p one thread plays at several times real time, and a threaded decoder costs memory
(about 7 MB a thread at 1080p) and holds the GIL while it opens and closes (a clip switch felt it)."""

MAX_TRACKS = 3
TRACK_BYTES = 32 << 20
"""About what the tracks' decoders may take together (a track holds about three frames' worth)."""

PARK_MIN_GOP = 48
"""Stretches shorter than this many frames get no parked track (a seek in them is cheap anyway)."""


class ExactDecoder:
    """Frames of one clip by index (see the module notes), read through ``reader``.

    ``index`` must be the clip's :class:`FrameIndex` with its packet timestamps (``index.pts``).
    ``cache_bytes`` bounds the decoded frames kept for stepping back (0: keep none).
    Raises :class:`CannotDecode` when PyAV cannot open the stream for decoding.
    """

    def __init__(self, reader: IndexReader, index: FrameIndex, *, cache_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        if not index.pts or index.time_base is None or not index.width or not index.height:
            raise CannotDecode("The clip's index has no packet timestamps to decode by.")
        self._reader = reader
        self._index = index
        self._by_pts = {p: i for i, p in enumerate(index.pts)}
        self.cache: FrameCache[av.VideoFrame] = FrameCache(cache_bytes, on_evict=self._recycle)
        self._spares: list[av.VideoFrame] = []  # let go by the cache: the next copies go into them
        self._copy_fails = False
        threads = max(1, min(4, os.cpu_count() or 1)) if index.width * index.height > BIG_PICTURE else 1
        first = Track(reader, index, self._by_pts, threads)
        self._tracks: list[Track] = [first]  # the first one served the last frame asked for
        self._cannot_open = False
        self.codec_name = first.codec_name
        self.codec_tag = first.codec_tag
        self._reformatter = av.video.reformatter.VideoReformatter()
        self._rotate = _ROTATE_CODES.get(index.rotation)
        self._keys = [i for i, key in enumerate(index.keyframes[: index.demuxed_frames]) if key or i == 0]

    # -- the API -----------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return not self._tracks

    @property
    def tracks(self) -> int:
        """How many tracks are open."""
        return len(self._tracks)

    @property
    def decoded(self) -> int:
        """Frames decoded so far, by every track (seeks and idle work included)."""
        return sum(t.decoded for t in self._tracks)

    @property
    def seeks(self) -> int:
        """Demuxer seeks so far, by every track."""
        return sum(t.seeks for t in self._tracks)

    def frame(self, k: int) -> Decoded | None:
        """Frame ``k`` (or, if ``k`` itself cannot be decoded, the first one after it that can); None past the end.

        Served from the cache when it is there; otherwise the nearest track goes on from where it is
        or seeks to the keyframe before ``k`` (see :mod:`workstation.media.track`). The frame
        returned is valid until the next call.
        """
        self._alive()
        self.cache.focus = k
        hit = self.cache.get(k)
        if hit is not None:
            return k, hit
        track = min(self._tracks, key=lambda t: t.cost(k))
        self._tracks.remove(track)
        self._tracks.insert(0, track)
        if not track.position(k):
            return None
        while (got := self._pull(track, k - self.cache.behind_capacity())) is not None:
            index, frame = got
            if index >= k:
                return index, frame if self.cache.get(index) is frame else self._copy(frame)
        return None

    def fill(self, focus: int, max_frames: int = 8) -> bool:
        """Decode at most ``max_frames`` frames towards holding the stretch just before ``focus``; True if more is to do.

        ``focus`` is the frame on screen. The stretch is as many frames as the cache keeps behind
        its focus (:meth:`FrameCache.behind_target`); frames already held are not decoded again.
        """
        self._alive()
        self.cache.focus = focus
        missing = self._missing_behind(focus)
        if not missing:
            return False
        first, last = missing[0], missing[-1]
        return self._work(first, last, max_frames, keep_from=first) and bool(self._missing_behind(focus))

    def warm(self, targets: list[int], max_frames: int = 8) -> bool:
        """Decode at most ``max_frames`` frames towards holding ``targets`` (likely jumps); True if more is to do.

        The targets are pinned in the cache until the next call (kept whatever their distance from
        the focus).
        """
        self._alive()
        wanted = sorted({t for t in targets if 0 <= t < self._index.demuxed_frames})
        self.cache.pin(wanted)
        missing = [t for t in wanted if t not in self.cache and self.cache.would_keep(t)]
        for t in missing:
            return self._work(t, t, max_frames, keep_from=t) and any(
                u not in self.cache and self.cache.would_keep(u) for u in missing)
        return False

    def park(self, focus: int, max_frames: int = 8) -> bool:
        """Decode at most ``max_frames`` frames towards leaving spare tracks where seeks cost most; True if more is to do.

        Seen from the frame after ``focus`` (where the track that plays on stays), a seek to frame
        ``t`` decodes from the nearest keyframe or track position at or before ``t`` in its GOP; each
        spare track goes to the middle of the longest such stretch, halving it.
        """
        self._alive()
        self.cache.focus = focus
        ready = self._ready(focus)
        spare = [t for t in self._tracks if t is not ready]
        for mid, length in self._park_targets(ready.cursor):
            covering = [t for t in self._tracks if t.near(mid, 2, length // 8)]
            if covering:
                spare = [t for t in spare if t not in covering[:1]]
                continue
            if spare:
                worker = min(spare, key=lambda t: t.cost(mid))
            else:
                opened = self._open_track()
                if opened is None:
                    return False
                worker = opened
            if not worker.position(mid):
                return False
            for _ in range(max(1, max_frames)):
                got = self._pull(worker, mid + 1)  # nothing on the way is kept
                if got is None:
                    return False
                if got[0] >= mid - 1:
                    break
            return True
        return False

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
        """Let go of the tracks, their frames and the cache; safe to call twice."""
        self.cache.clear()
        self._spares.clear()
        tracks, self._tracks = self._tracks, []
        for track in tracks:
            track.close()

    # -- tracks ------------------------------------------------------------------------------------

    def _alive(self) -> None:
        if not self._tracks:
            raise ValueError("the decoder is closed")

    def _max_tracks(self) -> int:
        per_track = 3 * (self.cache.frame_bytes or 1)
        return max(2, min(MAX_TRACKS, TRACK_BYTES // per_track))

    def _open_track(self) -> Track | None:
        if self._cannot_open or len(self._tracks) >= self._max_tracks():
            return None
        try:
            track = Track(self._reader, self._index, self._by_pts, 1)
        except CannotDecode:
            self._cannot_open = True  # it opened once; if it will not again, idle work stops
            return None
        self._tracks.append(track)
        return track

    def _ready(self, focus: int) -> Track:
        """The track that delivers the frame after ``focus`` soonest: idle work leaves it where it is."""
        return min(self._tracks, key=lambda t: t.cost(focus + 1))

    def _work(self, first: int, last: int, max_frames: int, *, keep_from: int) -> bool:
        """Idle work: up to ``max_frames`` frames from ``first`` on, stopping at ``last``; False if it cannot go on."""
        ready = self._ready(self.cache.focus)
        others = [t for t in self._tracks if t is not ready]
        worker = min(others, key=lambda t: t.cost(first)) if others else None
        if worker is None or not worker.near(first, first):
            worker = self._open_track() or worker  # a seek either way: rather a fresh track than a parked one
        if worker is None or not worker.position(first):
            return False
        for _ in range(max(1, max_frames)):
            got = self._pull(worker, keep_from)
            if got is None:
                return False
            if got[0] >= last:
                break
        return True

    def _park_targets(self, fixed: int | None) -> list[tuple[int, int]]:
        """(middle, length) of the stretches that make seeks dearest, as many as spare tracks allow.

        A stretch runs from a keyframe, or from ``fixed`` (where the track that plays on stands), to
        the next of either; the longest is halved by a parked track, then the longest again, and so on.
        """
        ends = self._keys[1:] + [self._index.demuxed_frames]
        stretches = []
        for key, end in zip(self._keys, ends, strict=True):
            if fixed is not None and key < fixed < end:
                stretches += [(key, fixed - key), (fixed, end - fixed)]
            else:
                stretches.append((key, end - key))
        targets: list[tuple[int, int]] = []
        for _ in range(self._max_tracks() - 1):
            start, length = max(stretches, key=lambda s: s[1])
            if length < PARK_MIN_GOP:
                break
            half = length // 2
            targets.append((start + half, length))
            stretches.remove((start, length))
            stretches += [(start, half), (start + half, length - half)]
        return targets

    # -- frames ------------------------------------------------------------------------------------

    def _pull(self, track: Track, keep_from: int) -> Decoded | None:
        """The track's next frame; from ``keep_from`` on, a copy of it is kept if the cache will (and returned)."""
        got = track.pull()
        if got is None:
            return None
        index, frame = got
        cache = self.cache
        size = frame_bytes(frame)
        cache.frame_bytes = cache.frame_bytes or size
        if index >= keep_from and index not in cache and cache.would_keep(index, size):
            copy = self._copy(frame)
            cache.put(index, copy, size)
            return index, copy
        return got

    def _copy(self, frame: av.VideoFrame) -> av.VideoFrame:
        if self._copy_fails:
            return frame
        try:
            return own_copy(frame, self._spares.pop() if self._spares else None)
        except (ValueError, TypeError, AttributeError):  # a format PyAV cannot allocate or describe
            self._copy_fails = True  # keep the decoder's frames themselves (consistent, if not as lean)
            return frame

    def _recycle(self, frame: av.VideoFrame) -> None:
        if len(self._spares) < 2 and not self._copy_fails:
            self._spares.append(frame)

    def _missing_behind(self, focus: int) -> list[int]:
        top = min(focus, self._index.demuxed_frames - 1)
        low = max(0, top - self.cache.behind_target())
        return [i for i in range(low, top + 1) if i not in self.cache and self.cache.would_keep(i)]
