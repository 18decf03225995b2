"""What can go wrong talking to the floor hub, as errors fit to show a person.

The outbox and the UI tell these apart: ``HubUnavailable`` means work on offline; ``HubRateLimited``
means wait (``retry_after``); ``HubAuthError`` means sign in again or ask IT about this seat;
``HubRejected`` means the hub refused this request for good; ``HubProtocolError`` means the hub (or
something in between) answered with something that is not the API; ``HubUntrusted`` means the hub did not
prove it is the floor hub (TLS), which waiting does not fix: IT must.
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


class HubUntrusted(HubClientError):
    """The hub did not prove it is the floor hub, or does not speak the protocol the policy names.

    Its TLS certificate is not from the floor CA named in the machine policy, is for another address,
    or has expired; or HTTP and HTTPS are mixed up between the policy and the hub. Not transient:
    retrying soon does not help (IT must fix the hub's certificate or the policy), and nothing is sent
    to such a hub. ``reason`` names the case: ``unknown_ca``, ``wrong_name``, ``expired``,
    ``not_yet_valid``, ``bad_certificate``, ``plain_http``, ``expects_https``, ``old_tls``, ``handshake``.
    """

    def __init__(self, message: str, *, hint: str = "", detail: str = "", reason: str = "handshake") -> None:
        super().__init__(message, hint=hint, detail=detail)
        self.reason = reason


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
