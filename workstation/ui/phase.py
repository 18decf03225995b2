"""The phases of the shift window's clip area, named (instead of a handful of flags)."""

from __future__ import annotations

from enum import Enum


class ClipPhase(Enum):
    """Where the clip area of the shift window stands; the names replace a handful of flags."""

    OPENING = "opening"
    """The clip is being prepared in the background: keys and labels wait until it shows."""
    SHOWING = "showing"
    """A clip plays or stands on screen: every key works."""
    UNPLAYABLE = "unplayable"
    """This clip cannot be played (at opening or part-way): only a skip decides it."""
    CLOSED = "closed"
    """Closed for a flag: nothing of it shows while the reason is asked."""
    COMPLETE = "complete"
    """Every clip is decided: the summary shows."""
    SHUT = "shut"
    """The shift window is closing: nothing more happens."""
