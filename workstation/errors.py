"""Errors that reach a person.

Every error the product shows to an annotator, a supervisor or IT derives from
:class:`WorkstationError`. Its ``str()`` is one clear sentence naming the cause; ``hint``
says what to do. The UI shows exactly these two strings and never a traceback.
"""

from __future__ import annotations


class WorkstationError(Exception):
    """An error whose message is fit to show a person: the cause, then what to do."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message

    def full_text(self) -> str:
        """The message and the hint, as one paragraph."""
        return f"{self.message} {self.hint}".strip()
