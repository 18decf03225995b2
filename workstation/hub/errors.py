"""Errors the hub raises for a person: IT at the command line, or a workstation through the API.

Each class carries the HTTP status the API answers with; the message is the ``detail`` sentence.
The CLI prints the same message after ``error: ``.
"""

from __future__ import annotations

from workstation.errors import WorkstationError


class HubError(WorkstationError):
    """A request the hub refuses; ``status`` is the HTTP status the API answers with."""

    status: int = 400

    def headers(self) -> dict[str, str] | None:
        """Extra HTTP headers of the answer (e.g. ``Retry-After``)."""
        return None


class NotFound(HubError):
    status = 404


class Conflict(HubError):
    status = 409


class Unauthorized(HubError):
    """The caller is not who it claims to be (bad credentials, stale token)."""

    status = 401


class Forbidden(HubError):
    """The caller is known but may not do this (device pending or revoked)."""

    status = 403


class Invalid(HubError):
    """Well-formed JSON whose content the hub cannot accept."""

    status = 422


class TooLarge(HubError):
    status = 413


class Gone(HubError):
    """The thing existed and was destroyed on purpose (a disposed clip)."""

    status = 410


class Throttled(HubError):
    """Too many attempts; ``retry_after_s`` says when to try again (the ``Retry-After`` header)."""

    status = 429

    def __init__(self, message: str, *, retry_after_s: int, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.retry_after_s = max(1, int(retry_after_s))

    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": str(self.retry_after_s)}


class Busy(Throttled):
    """The hub cannot take this now, whoever asks (a full list); ``Retry-After`` says when to ask again."""

    status = 503
