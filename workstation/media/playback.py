"""Frame-paced playback on a worker thread, and prefetching of the next clips. No Qt here.

``Playback`` owns one decoding thread: it reads frames from the current :class:`FrameSource`,
scales them to the view's size with OpenCV, waits for each frame's presentation time and hands the
result to ``on_frame`` (the UI adapter turns that into a queued Qt signal). The UI thread only paints.
``Prefetcher`` opens the next clips and decodes their first frame ahead of time, so a label key shows
the next clip at once.

Stepping back: the source keeps the frames it decoded lately (while playing, and on the way to a
seek's target; see :mod:`workstation.media.framecache`), so a step back is a colour conversion and a
scale, not a decode from the keyframe. While paused, and only when no command waits, the decoding
thread also asks the source to decode the stretch before the frame on screen
(``FrameSource.fill_behind``), a few frames at a time, so further steps back stay instant; then the
frames a jump of ``jump_s`` back or forward would show (``FrameSource.warm``); then it leaves spare
decoders in the middle of the long GOPs nearby (``FrameSource.park``), so a seek anywhere decodes at
most about half a GOP. Commands never wait for any of it: they set what is wanted and wake the
thread, which picks them up between two slices.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from workstation.media.decode import Frame, FrameSource, scale_to_fit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FramePacket:
    """A decoded, scaled frame ready to paint."""

    token: int
    index: int
    pts_s: float
    duration_s: float
    image: np.ndarray
    frame_count: int = 0


@dataclass
class PlaybackStats:
    shown: int = 0
    dropped: int = 0


RATES = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)
"""The speed steps of ``[`` and ``]``."""

Transform = Callable[[np.ndarray, int, int], np.ndarray]
"""(decoded BGR frame, target width, target height) → the image to paint (scaling, enhancement, blur)."""


def _fit(image: np.ndarray, width: int, height: int) -> np.ndarray:
    return scale_to_fit(image, width, height)


SWITCH_LEAD_S = 0.025
"""After a clip switch, the next frame is decoded this long before it is due (enough for 1080p), not at once."""

FILL_SLICE = 6
"""Frames decoded per slice of filling in behind the frame on screen (~5–10 ms at 1080p): a command waits at most that long."""


class Playback:
    """Plays one clip at a time; ``load`` switches clips without waiting for the old one to close.

    Commands (play, pause, step, seek, rate, replay) may come from any thread; the decoding thread
    alone touches the :class:`FrameSource`. A step or seek shows its frame even while paused.
    """

    def __init__(self, on_frame: Callable[[FramePacket], None], on_state: Callable[[str], None],
                 *, clock: Callable[[], float] = time.monotonic, transform: Transform = _fit,
                 on_error: Callable[[int, float, BaseException], None] | None = None, jump_s: float = 2.0) -> None:
        """``jump_s``: the jump the UI makes with Shift+arrow; while paused, its targets are decoded ahead."""
        self._on_frame = on_frame
        self._on_state = on_state
        self._on_error = on_error or (lambda token, pts, exc: None)
        self.jump_s = jump_s
        self._clock = clock
        self._transform = transform
        self._cond = threading.Condition()
        self._source: FrameSource | None = None
        self._pending: tuple[int, FrameSource, Frame | None] | None = None
        self._seek_to: int | None = None
        self._seek_time: float | None = None
        self._redraw = False
        self._fill = False  # paused: fill in the frames behind the one on screen while idle
        self._retire: list[FrameSource] = []
        self._token = 0
        self._playing = False
        self._ended = False
        self._rate = 1.0
        self._anchor_wall = 0.0
        self._anchor_pts = 0.0
        self._last_pts = 0.0  # the time of the frame on screen
        self._clock_s = 0.0  # where the media clock stands: the frame's time, or a jump's target past it (a gap)
        self._working = True  # the decoding thread is doing something (False while it waits for work)
        self._hold_until = 0.0  # after a clip switch: the clock time before which the next frame is not decoded
        self._last_index = -1
        self._last_image: np.ndarray | None = None
        self._target = (1280, 720)
        self._stop = False
        self.stats = PlaybackStats()
        self._thread = threading.Thread(target=self._run, name="playback", daemon=True)
        self._thread.start()

    # -- commands (any thread) ---------------------------------------------------------------------
    def load(self, token: int, source: FrameSource, first: Frame | None, *, autoplay: bool = True) -> None:
        with self._cond:
            if self._pending is not None:
                self._retire.append(self._pending[1])
            self._pending = (token, source, first)
            self._token = token
            self._last_index = first.index if first is not None else -1
            self._last_pts = self._clock_s = first.pts_s if first is not None else 0.0
            self._last_image = first.image if first is not None else None
            self._playing = autoplay
            self._ended = False
            self._seek_to = self._seek_time = None
            self._fill = not autoplay
            self._cond.notify_all()

    def play(self) -> None:
        with self._cond:
            if self._ended:
                self._seek_to, self._ended = 0, False
            self._playing = True
            self._fill = False
            self._reanchor()
            self._cond.notify_all()
        self._on_state("playing")

    def pause(self) -> None:
        with self._cond:
            self._playing = False
            self._fill = True
            self._cond.notify_all()
        self._on_state("paused")

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def step(self, frames: int) -> None:
        """Pause and show the frame ``frames`` away from the one on screen (exact, by index)."""
        with self._cond:
            self._playing = False
            if self._seek_to is not None:
                base = self._seek_to
            elif self._seek_time is not None:
                src = self._source
                index = getattr(src, "index", None) if src is not None else None
                fps = src.info.fps if src is not None else 0.0
                base = index.index_at(self._seek_time) if index is not None else round(self._seek_time * fps)
            else:
                base = self._last_index
            self._seek_to = max(0, base + frames)
            self._seek_time = None
            self._ended = False
            self._fill = True
            self._cond.notify_all()
        self._on_state("paused")

    def _pending_time(self) -> float:
        """Where the picture is about to be: a seek still waiting counts, else the frame on screen."""
        if self._seek_time is not None:
            return self._seek_time
        if self._seek_to is not None:
            src = self._source
            frames = getattr(src, "index", None) if src is not None else None
            if frames is not None:
                return float(frames.time_of(min(self._seek_to, frames.frame_count - 1)))
            fps = src.info.fps if src is not None else 0.0
            return self._seek_to / fps if fps > 0 else self._clock_s
        return self._clock_s

    def seek_by(self, seconds: float) -> None:
        """Jump by ``seconds`` of media time (keeps playing or paused as it was)."""
        with self._cond:
            self.seek_to(self._pending_time() + seconds)

    def seek_to(self, seconds: float) -> None:
        """Show the frame showing at ``seconds`` of media time (clamped to the clip; keeps playing or paused)."""
        with self._cond:
            self._seek_time = max(0.0, seconds)
            self._seek_to = None
            self._ended = False
            self._fill = not self._playing
            self._cond.notify_all()

    def replay(self) -> None:
        """From the start, playing."""
        with self._cond:
            self._seek_to, self._seek_time = 0, None
            self._playing, self._ended = True, False
            self._fill = False
            self._cond.notify_all()
        self._on_state("playing")

    def unload(self) -> None:
        """Close the current clip now (a flagged clip): nothing of it stays open."""
        with self._cond:
            self._token += 1
            if self._pending is not None:
                self._retire.append(self._pending[1])
                self._pending = None
            if self._source is not None:
                self._retire.append(self._source)
                self._source = None
            self._playing = False
            self._last_image = None
            self._redraw = True  # wakes the worker, which closes the retired sources
            self._cond.notify_all()

    def redraw(self) -> None:
        """Deliver the current frame again (after a change of size, enhancement or blur)."""
        with self._cond:
            self._redraw = True
            self._cond.notify_all()

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def rate(self) -> float:
        return self._rate

    @property
    def position_s(self) -> float:
        """Where the media clock stands: the time of the frame on screen, or of a jump's target inside a gap."""
        return self._clock_s

    @property
    def duration_s(self) -> float:
        src = self._source
        return src.info.duration_s if src is not None else 0.0

    def set_rate(self, rate: float) -> None:
        with self._cond:
            self._rate = max(RATES[0], min(RATES[-1], rate))
            self._reanchor()
            self._cond.notify_all()

    def set_transform(self, transform: Transform) -> None:
        self._transform = transform
        self.redraw()

    def set_target_size(self, width: int, height: int) -> None:
        self._target = (max(16, width), max(16, height))

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until the decoding thread has nothing left to do: no command waiting, not playing, nothing
        to fill in behind the frame on screen. True if so (within ``timeout`` seconds). For tests and the
        benchmark; the UI never calls it."""
        with self._cond:
            return self._cond.wait_for(lambda: self._stop or (not self._working and self._idle()), timeout)

    def shutdown(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        self._thread.join(5)
        if not self._thread.is_alive():
            return
        log.warning("the playback thread did not stop within 5 s")

    # -- worker ------------------------------------------------------------------------------------
    def _reanchor(self) -> None:
        self._anchor_wall = self._clock()
        self._anchor_pts = self._clock_s

    def _idle(self) -> bool:
        return (self._pending is None and self._seek_to is None and self._seek_time is None and not self._redraw
                and (self._source is None or not self._playing) and not (self._fill and self._source is not None))

    def _deliver(self, token: int, source: FrameSource, frame: Frame) -> None:
        image = self._transform(frame.image, *self._target)
        self._last_image = frame.image
        self.stats.shown += 1
        self._on_frame(FramePacket(token, frame.index, frame.pts_s, source.info.duration_s, image,
                                   source.info.frame_count))

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stop and self._idle():
                    self._working = False
                    self._cond.notify_all()  # wakes wait_idle()
                    self._cond.wait()
                self._working = True
                if self._stop:
                    break
                retire, self._retire = self._retire, []
                if self._pending is not None:
                    token, loaded, first = self._pending
                    self._pending = None
                    if self._source is not None:
                        retire.append(self._source)
                    self._source = loaded
                    self._last_pts = self._clock_s = first.pts_s if first is not None else 0.0
                    self._last_index = first.index if first is not None else -1
                    self._last_image = first.image if first is not None else None
                    self._reanchor()
                    if first is not None:
                        # the first frame was already painted from the prefetch: time the next ones from it
                        self._anchor_wall += 1.0 / max(1.0, loaded.info.fps) / self._rate
                        self._anchor_pts = first.pts_s + 1.0 / max(1.0, loaded.info.fps)
                        # decode the second frame just in time, not at once: the switch's UI work
                        # (commit, paint) then has the CPU and the GIL to itself
                        self._hold_until = self._anchor_wall - SWITCH_LEAD_S
                source = self._source
                token = self._token
                playing = self._playing
                seek_to, seek_time, self._seek_to, self._seek_time = self._seek_to, self._seek_time, None, None
                redraw, self._redraw = self._redraw, False
                fill = self._fill and not playing and seek_to is None and seek_time is None and not redraw
            if source is None:
                self._close(retire)
                continue
            try:
                if seek_to is not None or seek_time is not None:
                    self._seek(token, source, seek_to, seek_time)
                    continue
                if redraw and self._last_image is not None:
                    self._on_frame(FramePacket(token, self._last_index, self._last_pts, source.info.duration_s,
                                               self._transform(self._last_image, *self._target),
                                               source.info.frame_count))
                    if not playing:
                        continue
                if fill:
                    self._fill_slice(token, source)
                    continue
                if not playing:
                    continue
                self._play_one(token, source)
            except Exception as exc:  # noqa: BLE001 - a damaged clip mid-way: stop it, say so, keep the thread alive
                self._fail(token, source, exc)
            finally:
                # the clip switched from closes once the new one's next frame is handed over: freeing a
                # decoder holds the GIL for a moment, and the UI thread is busy with the switch until then
                self._close(retire)
        with self._cond:
            sources = [s for s in (self._source, *(p[1] for p in [self._pending] if p)) if s is not None]
        for s in sources + self._retire:
            s.close()

    @staticmethod
    def _close(sources: list[FrameSource]) -> None:
        for old in sources:
            try:
                old.close()
            except Exception:  # a source that fails to close is gone anyway
                log.warning("a clip's decoder did not close cleanly", exc_info=True)

    def _fill_slice(self, token: int, source: FrameSource) -> None:
        """Decode a few frames behind the one on screen, then towards the jump targets; stop once done."""
        fill_behind = getattr(source, "fill_behind", None)
        more = bool(fill_behind(FILL_SLICE)) if fill_behind is not None else False
        warm = getattr(source, "warm", None)
        if not more and warm is not None:
            more = bool(warm(self._jump_targets(source), FILL_SLICE))
        park = getattr(source, "park", None)
        if not more and park is not None:
            more = bool(park(FILL_SLICE))
        if not more:
            with self._cond:
                if token == self._token and self._source is source:
                    self._fill = False

    def _jump_targets(self, source: FrameSource) -> list[int]:
        """The frames a jump of ``jump_s`` forward and back would show (by the index; none without one)."""
        frames = getattr(source, "index", None)
        if frames is None or not frames.frame_count or self.jump_s <= 0:
            return []
        with self._cond:
            clock = self._clock_s
        end = source.info.duration_s
        return [frames.index_at(min(clock + self.jump_s, end)), frames.index_at(max(0.0, clock - self.jump_s))]

    def _fail(self, token: int, source: FrameSource, exc: BaseException) -> None:
        with self._cond:
            current = token == self._token and self._source is source
            if current:
                self._source = None
                self._playing = False
        with contextlib.suppress(Exception):  # the clip already failed: its close may too
            source.close()
        if current:
            self._on_error(token, self._last_pts, exc)

    def _seek(self, token: int, source: FrameSource, index: int | None, at_time: float | None) -> None:
        if index is None:
            assert at_time is not None
            frames = getattr(source, "index", None)  # a FrameIndex of true timestamps when the container has one
            index = frames.index_at(at_time) if frames is not None else round(at_time * source.info.fps)
        count = source.info.frame_count
        if count > 0:
            index = min(index, count - 1)
        source.seek(max(0, index))
        frame = source.read()
        with self._cond:
            if token != self._token or self._pending is not None:
                return
            if frame is None:
                return
            self._last_pts, self._last_index = frame.pts_s, frame.index
            # a jump into a gap between frames keeps its time: the next jump goes on from there, and
            # Play waits out the rest of the gap, as playing through it does
            target = min(at_time, source.info.duration_s) if at_time is not None else frame.pts_s
            self._clock_s = max(frame.pts_s, target)
            self._anchor_wall = self._clock()
            self._anchor_pts = max(frame.pts_s + 1.0 / max(1.0, source.info.fps), self._clock_s)
        self._deliver(token, source, frame)

    def _play_one(self, token: int, source: FrameSource) -> None:
        with self._cond:
            hold, self._hold_until = self._hold_until, 0.0
            while not self._stop and token == self._token and self._idle_while_waiting():
                wait = hold - self._clock()
                if wait <= 0:
                    break
                self._cond.wait(wait)
            if token != self._token or not self._idle_while_waiting():
                return  # a command came in meanwhile
        frame = source.read()
        if frame is None:
            if getattr(source, "ended_early", False):
                raise EOFError("the clip cannot be decoded past this point")
            with self._cond:
                if token == self._token and self._pending is None and self._seek_to is None and self._seek_time is None:
                    self._playing = False
                    self._ended = True
                    self._fill = True
                    self._on_state("ended")
            return
        image = self._transform(frame.image, *self._target)
        with self._cond:
            due = self._anchor_wall + (frame.pts_s - self._anchor_pts) / self._rate
            while not self._stop and token == self._token and self._idle_while_waiting():
                wait = due - self._clock()
                if wait <= 0:
                    break
                self._cond.wait(wait)
            if token != self._token or self._pending is not None or self._stop:
                return
            if self._seek_to is not None or self._seek_time is not None or not self._playing:
                return  # a step, seek or pause came in while this frame waited: it is not shown
            self._last_pts, self._last_index, self._last_image = frame.pts_s, frame.index, frame.image
            self._clock_s = frame.pts_s
            late = self._clock() - due
        interval = 1.0 / max(1.0, source.info.fps) / self._rate
        if late > interval:
            self.stats.dropped += 1
            return
        self.stats.shown += 1
        self._on_frame(FramePacket(token, frame.index, frame.pts_s, source.info.duration_s, image,
                                   source.info.frame_count))

    def _idle_while_waiting(self) -> bool:
        return self._pending is None and self._seek_to is None and self._seek_time is None and self._playing


@dataclass
class Prepared:
    """A clip opened ahead of time with its first frame decoded and scaled."""

    key: str
    source: FrameSource
    first: Frame
    scaled: np.ndarray


class Prefetcher:
    """Opens clips and decodes their first frame on a background thread."""

    def __init__(self, open_source: Callable[[str], FrameSource], *, workers: int = 1) -> None:
        self._open_source = open_source
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="prefetch")
        self._futures: dict[str, Future[Prepared]] = {}
        self._target = (1280, 720)
        self._lock = threading.Lock()

    def set_target_size(self, width: int, height: int) -> None:
        self._target = (max(16, width), max(16, height))

    def prepare(self, key: str) -> Future[Prepared]:
        with self._lock:
            future = self._futures.get(key)
            if future is None:
                future = self._pool.submit(self._prepare, key, self._target)
                self._futures[key] = future
            return future

    def _prepare(self, key: str, target: tuple[int, int]) -> Prepared:
        source = self._open_source(key)
        try:
            first = source.read()
            if first is None:
                raise EOFError("the clip has no frames")
            return Prepared(key, source, first, scale_to_fit(first.image, *target))
        except BaseException:
            source.close()
            raise

    def take(self, key: str, timeout: float | None = None) -> Prepared:
        """The prepared clip (waiting for it if needed); the caller now owns its source."""
        future = self.prepare(key)
        try:
            return future.result(timeout)
        finally:
            with self._lock:
                self._futures.pop(key, None)

    def discard_except(self, keep: set[str]) -> None:
        with self._lock:
            drop = [k for k in self._futures if k not in keep]
            futures = [self._futures.pop(k) for k in drop]
        for future in futures:
            future.cancel()  # not started yet: it never opens; running or done: closed when it is
            future.add_done_callback(_close_prepared)

    def shutdown(self) -> None:
        self.discard_except(set())
        self._pool.shutdown(wait=True, cancel_futures=True)


def _close_prepared(future: Future[Prepared]) -> None:
    if not future.cancelled() and future.exception() is None:
        future.result().source.close()
