"""Starting a shift: the download's progress only ever moves forward."""

from __future__ import annotations

from pathlib import Path

from tests.seat_fixtures import AtSeat


def test_download_progress_never_goes_backwards(at_seat: AtSeat, small_clips: list[Path]) -> None:
    seen: list[tuple[int, int, int, int]] = []
    opened = at_seat.session.sign_in("ana", "correct horse battery", progress=lambda *p: seen.append(p))
    assert opened.state.total == len(small_clips)
    done = [p[0] for p in seen]
    assert done == sorted(done), f"the bytes done went backwards: {done}"
    assert all(p[1] == seen[0][1] for p in seen)  # one total throughout
    assert [p[2] for p in seen] == sorted(p[2] for p in seen)
    assert seen[-1][0] == seen[-1][1] and seen[-1][2] == seen[-1][3] == len(small_clips)
    assert len(seen) > len(small_clips) + 1  # progress within clips too, not only between them
