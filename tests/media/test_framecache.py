"""media.framecache: what is kept around the frame on screen, always within the byte budget."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.media.framecache import FrameCache

SIZE = 100


def test_while_playing_the_last_frames_played_are_kept() -> None:
    cache: FrameCache[str] = FrameCache(10 * SIZE)
    for i in range(50):
        cache.focus = i
        assert cache.put(i, f"frame {i}", SIZE)
    assert cache.indices() == list(range(40, 50))
    assert cache.bytes == 10 * SIZE and cache.capacity() == 10
    assert cache.get(45) == "frame 45" and cache.get(39) is None


def test_frames_ahead_go_before_frames_behind() -> None:
    cache: FrameCache[int] = FrameCache(7 * SIZE)
    cache.focus = 50
    for i in range(44, 57):
        cache.put(i, i, SIZE)
    # behind counts d, ahead 2d + 1: 50 (0), 49 (1), 48 (2), 47 and 51 (3), 46 (4), then 45 and 52 tie
    # at 5 and the frame already held stays
    assert cache.indices() == [45, 46, 47, 48, 49, 50, 51]
    assert not cache.would_keep(44) and not cache.would_keep(52)
    assert not cache.put(53, 53, SIZE) and 53 not in cache


def test_moving_the_focus_back_lets_the_frames_behind_in() -> None:
    cache: FrameCache[int] = FrameCache(6 * SIZE)
    for i in range(20, 26):
        cache.put(i, i, SIZE)
    cache.focus = 20  # stepped back to 20: frames before it are worth more than those far ahead
    assert cache.would_keep(17)
    assert cache.put(17, 17, SIZE)
    assert 25 not in cache and 17 in cache


def test_a_frame_larger_than_the_budget_is_never_kept() -> None:
    cache: FrameCache[int] = FrameCache(SIZE)
    assert not cache.put(0, 0, SIZE + 1)
    assert len(cache) == 0 and cache.bytes == 0
    assert FrameCache(0).capacity() == 0
    with pytest.raises(ValueError):
        FrameCache(-1)


def test_behind_target_is_what_the_cache_keeps_behind() -> None:
    """Filling in up to behind_target frames behind the focus never fights the eviction (it would loop)."""
    for capacity in range(1, 60):
        cache: FrameCache[int] = FrameCache(capacity * SIZE)
        cache.focus = 1000
        for i in range(1000, 1000 + capacity):  # full of frames ahead
            cache.put(i, i, SIZE)
        for i in range(1000 - cache.behind_target(), 1000):
            assert cache.would_keep(i), (capacity, i)
            assert cache.put(i, i, SIZE)
        assert all(i in cache for i in range(1000 - cache.behind_target(), 1001))


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=20),
       st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=80))
def test_the_budget_always_holds_and_put_agrees_with_would_keep(frames: int, ops: list[tuple[int, int]]) -> None:
    cache: FrameCache[int] = FrameCache(frames * SIZE)
    for focus, index in ops:
        cache.focus = focus
        if index in cache:
            continue
        expected = cache.would_keep(index, SIZE)
        assert cache.put(index, index, SIZE) == expected == (index in cache)
        assert cache.bytes <= cache.budget and cache.bytes == len(cache) * SIZE
        assert all(cache.get(i) == i for i in cache.indices())
