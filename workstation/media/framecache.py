"""Decoded frames kept around the frame on screen, bounded by bytes, so stepping back costs no decode. No Qt here.

A :class:`FrameCache` holds frames as the decoder produced them (PyAV ``VideoFrame`` objects: the
decoder's own YUV buffers, referenced, never copied or converted), keyed by their index in the clip.
Converting a cached frame gives exactly the pixels a fresh decode of that frame gives, because it is
the same decoded picture through the same conversion: a step back served from here is exact.

What stays when the bytes run out is decided by distance from the *focus* (the frame on screen or
about to be): a frame ``d`` frames behind the focus scores ``d``, one ``d`` frames ahead scores
``2·d + 1`` (going forward again is cheap — the decoder carries on from where it is — going back
means decoding from a keyframe). The frame with the highest score goes first; a new frame that would
score highest of all is not kept. So while playing, the cache holds the last frames played; after a
seek it holds the frames decoded just before the target; and when there is room on both sides about
two thirds of it lies behind the focus (:meth:`FrameCache.behind_target`). A few *pinned* frames (the
targets of likely jumps, :meth:`FrameCache.pin`) score below everything and stay, within the same budget.

Not thread-safe: it belongs to one decoder, used from one thread at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["DEFAULT_CACHE_BYTES", "FrameCache"]

DEFAULT_CACHE_BYTES = 64 << 20
"""64 MiB: about 21 decoded 1080p frames (YUV 4:2:0, 3.1 MB each), 48 at 720p. Stepping back further
is served by filling in behind the frame on screen while the player is idle."""


T = TypeVar("T")


class FrameCache(Generic[T]):
    """Frames by index, at most ``budget`` bytes in all (see the module notes for what is kept).

    ``on_evict`` is given each frame the cache lets go of to make room (so its memory can be reused).
    """

    def __init__(self, budget: int = DEFAULT_CACHE_BYTES, on_evict: Callable[[T], None] | None = None) -> None:
        if budget < 0:
            raise ValueError(f"the cache budget must not be negative, got {budget}")
        self.budget = budget
        self._on_evict = on_evict
        self.focus = 0
        self.pinned: frozenset[int] = frozenset()
        self._frames: dict[int, tuple[T, int]] = {}
        self._bytes = 0
        self.frame_bytes = 0  # the size of the last frame put (every frame of a clip has the same size)

    def __len__(self) -> int:
        return len(self._frames)

    def __contains__(self, index: object) -> bool:
        return index in self._frames

    @property
    def bytes(self) -> int:
        return self._bytes

    def indices(self) -> list[int]:
        return sorted(self._frames)

    def get(self, index: int) -> T | None:
        entry = self._frames.get(index)
        return entry[0] if entry is not None else None

    def pin(self, indices: list[int]) -> None:
        """Keep these frames before any other (the pins of the previous call become ordinary frames)."""
        self.pinned = frozenset(indices)

    def score(self, index: int) -> int:
        """How readily frame ``index`` is let go (higher goes first)."""
        if index in self.pinned:
            return -1
        d = index - self.focus
        return -d if d <= 0 else 2 * d + 1

    def capacity(self) -> int:
        """How many frames fit, judged by the last frame's size (0 before any frame was put)."""
        return self.budget // self.frame_bytes if self.frame_bytes else 0

    def behind_capacity(self) -> int:
        """How many frames before the focus the cache could hold at most (the rest of it is the focus and the pins)."""
        return max(0, self.capacity() - len(self.pinned) - 1)

    def behind_target(self) -> int:
        """How many frames behind the focus the cache keeps when there are frames ahead of it as well."""
        c = self.capacity() - len(self.pinned)
        return max(0, (2 * (c - 1)) // 3)

    def would_keep(self, index: int, size: int | None = None) -> bool:
        """True if putting frame ``index`` now would keep it."""
        if index in self._frames:
            return True
        size = self.frame_bytes if size is None else size
        if size > self.budget:
            return False
        if self._bytes + size <= self.budget:
            return True
        return self.score(index) < max(self.score(i) for i in self._frames)

    def put(self, index: int, frame: T, size: int) -> bool:
        """Keep ``frame`` as frame ``index`` if it is worth its ``size`` in bytes; True if kept."""
        self.frame_bytes = size
        old = self._frames.pop(index, None)
        if old is not None:
            self._bytes -= old[1]
        if size > self.budget:
            return False
        mine = self.score(index)
        while self._bytes + size > self.budget:
            worst = max(self._frames, key=self.score)
            if self.score(worst) <= mine:
                return False  # everything held is worth more than this frame
            evicted, size_out = self._frames.pop(worst)
            self._bytes -= size_out
            if self._on_evict is not None:
                self._on_evict(evicted)
        self._frames[index] = (frame, size)
        self._bytes += size
        return True

    def clear(self) -> None:
        self._frames.clear()
        self._bytes = 0
