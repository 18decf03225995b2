"""What can go wrong talking to the floor hub, as errors fit to show a person.

The outbox and the UI tell these apart: ``HubUnavailable`` means work on offline; ``HubRateLimited``
means wait (``retry_after``); ``HubAuthError`` means sign in again or ask IT about this seat;
``HubRejected`` means the hub refused this request for good; ``HubProtocolError`` means the hub (or
something in between) answered with something that is not the API.
"""

from __future__ import annotations

from workstation.errors import WorkstationError


class HubClientError(WorkstationError):
    """Any failure talking to the floor hub."""

    def __init__(self, message: str, *, hint: str = "", status: int | None = None, detail: str = "") -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.detail = detail
        """The technical cause, for the log and IT; not shown in the annotator's message."""


class HubUnavailable(HubClientError):
    """The hub cannot be reached: connection refused, name lookup failed, timeout, connection dropped."""


class HubAuthError(HubClientError):
    """The hub refused who we are (401) or what this seat may do (403)."""


class HubRateLimited(HubClientError):
    """The hub is busy (429/503); try again after ``retry_after`` seconds when it says so."""

    def __init__(self, message: str, *, hint: str = "", status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message, hint=hint, status=status)
        self.retry_after = retry_after


class HubRejected(HubClientError):
    """The hub refused the request (a 4xx other than 401/403/429) and said why."""


class HubProtocolError(HubClientError):
    """The hub failed (5xx) or answered with something that is not valid for the API."""
