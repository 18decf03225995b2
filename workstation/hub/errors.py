"""Errors the hub raises for a person: IT at the command line, or a workstation through the API.

Each class carries the HTTP status the API answers with; the message is the ``detail`` sentence.
The CLI prints the same message after ``error: ``.
"""

from __future__ import annotations

from workstation.errors import WorkstationError


class HubError(WorkstationError):
    """A request the hub refuses; ``status`` is the HTTP status the API answers with."""

    status: int = 400


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
