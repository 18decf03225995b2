"""TLS to the floor hub: trust only the floor CA that the machine policy names, and say clearly why not.

The workstation builds its :class:`ssl.SSLContext` from the CA certificates in the policy's ``hub_ca``
file and nothing else: no system store, no ``certifi`` bundle, no ``SSL_CERT_FILE``; the hub's name is
checked against its certificate; TLS 1.2 or later. A plain-HTTP hub URL (allowed by the policy on
loopback only) gets a context that trusts nothing, so it can never be redirected into TLS with the
system's CAs either.

Protects against:
  * a network eavesdropper on the floor: passwords, session tokens, labels, sealed clip keys and the
    clip ciphertext travel encrypted;
  * a rogue hub or a man in the middle without a certificate from the floor CA for the hub's address:
    an unknown CA, a certificate for another name, an expired one are refused before any request is sent;
  * a CA that a user or malware adds to the PC's or the user's certificate store, and any public CA:
    none of them is consulted.

Does not protect against:
  * theft of the floor CA's private key: whoever holds it can issue a hub certificate that workstations
    accept (keep the CA key offline, never on the hub or a workstation);
  * the hub host itself: anyone with control of the hub (or its TLS key) sees what the hub sees;
  * an administrator of the PC, who can replace the CA file or the policy;
  * a stolen hub certificate before it expires: no CRL or OCSP is checked, so keep hub certificates short-lived
    and reissue (or rotate the floor CA) when a hub key may have leaked.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from workstation.floorca import MIN_TLS, floor_ca_context, no_trust_context
from workstation.net import is_loopback_host
from workstation.sync.errors import HubUntrusted

# OpenSSL X509_V_ERR_* codes, grouped by what the annotator is told.
_UNKNOWN_CA = frozenset({2, 18, 19, 20, 21})  # no issuer in the trust store, self-signed, unverifiable leaf
_WRONG_NAME = frozenset({62, 63, 64})          # host name, e-mail, IP address mismatch
_EXPIRED, _NOT_YET_VALID = 10, 9
# ssl.SSLError reasons when a TLS client gets plain HTTP back (OpenSSL 1.1/3.0, then 3.2+).
_PLAIN_REPLY = frozenset({"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG",
                          "HTTPS_PROXY_REQUEST", "HTTP_REQUEST"})
_OLD_TLS = frozenset({"UNSUPPORTED_PROTOCOL", "TLSV1_ALERT_PROTOCOL_VERSION", "NO_PROTOCOLS_AVAILABLE",
                      "VERSION_TOO_LOW"})


def client_verify(base_url: str, verify: ssl.SSLContext | str | Path | bool) -> ssl.SSLContext:
    """The TLS context a hub client uses; an ``https://`` hub is trusted only through a floor CA.

    ``verify`` is the floor CA file (``str``/``Path``) or a context built for it; ``True``/``False``
    (httpx's "system CAs" / "no checks") are refused for an ``https://`` hub as a programming error.
    """
    if isinstance(verify, ssl.SSLContext):
        weak = verify.verify_mode != ssl.CERT_REQUIRED or not verify.check_hostname
        if weak or verify.minimum_version < MIN_TLS:
            raise ValueError("the hub's TLS context must require a certificate, check the host name, use TLS ≥ 1.2")
        return verify
    if isinstance(verify, (str, Path)):
        return floor_ca_context(Path(verify))
    if urlsplit(base_url).scheme == "https":
        raise ValueError("an https:// floor hub is trusted only through the floor CA: pass verify= the CA file "
                         "or floor_ca_context(it)")
    return no_trust_context()


# --------------------------------------------------------------------------- failures, for the annotator


@dataclass(frozen=True)
class _Failure:
    reason: str
    detail: str


def _classify(exc: BaseException) -> _Failure | None:
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ssl.SSLCertVerificationError):
            code = cause.verify_code
            reason = ("unknown_ca" if code in _UNKNOWN_CA else "wrong_name" if code in _WRONG_NAME
                      else "expired" if code == _EXPIRED else "not_yet_valid" if code == _NOT_YET_VALID
                      else "bad_certificate")
            return _Failure(reason, f"{cause.verify_message} (X509 error {code})")
        if isinstance(cause, ssl.SSLError):
            kind = cause.reason or ""
            reason = "plain_http" if kind in _PLAIN_REPLY else "old_tls" if kind in _OLD_TLS else "handshake"
            return _Failure(reason, str(cause))
        cause = cause.__cause__ or cause.__context__
    return None


_KEPT = "Labels already made are kept and sync once it is fixed."
_MESSAGES: dict[str, tuple[str, str]] = {  # reason: (message, hint), formatted with url and host
    "unknown_ca": (("The floor hub at {url} is not trusted: its certificate was not issued by the floor CA named "
                    "in this workstation's machine policy."),
                   ("Do not sign in; tell IT (the hub certificate and the policy's 'hub_ca' must come from the same "
                    "floor CA, or something on the network pretends to be the hub).")),
    "wrong_name": ("The floor hub at {url} is not trusted: its certificate is not for the address {host}.",
                   "Tell IT: the hub's certificate must name the address in the policy's 'hub_url'."),
    "expired": ("The floor hub at {url} is not trusted: its certificate has expired.",
                "Tell IT to renew the hub's certificate from the floor CA; check this PC's clock too."),
    "not_yet_valid": ("The floor hub at {url} is not trusted: its certificate is not valid yet.",
                      "Check this PC's date and time, then tell IT."),
    "bad_certificate": ("The floor hub at {url} is not trusted: its certificate failed the check against the floor CA.",
                        "Tell IT; the log has the exact cause."),
    "plain_http": ("The floor hub at {url} answers in plain HTTP, not HTTPS.",
                   "Tell IT: start the hub with --tls-cert and --tls-key, or correct 'hub_url' in the policy."),
    "expects_https": ("The floor hub at {url} expects HTTPS, but the machine policy's 'hub_url' says http://.",
                      "Tell IT to write https:// in 'hub_url' and name the floor CA in 'hub_ca'."),
    "old_tls": ("The floor hub at {url} does not offer TLS 1.2 or later, which this workstation requires.",
                "Tell IT to update the hub."),
    "handshake": ("The secure connection to the floor hub at {url} failed.",
                  "Tell IT if it persists; the log has the exact cause."),
}


def untrusted(url: str, reason: str, detail: str = "") -> HubUntrusted:
    """The annotator's error for ``reason`` (a key of the table above; unknown ones read as a failed handshake)."""
    message, hint = _MESSAGES.get(reason, _MESSAGES["handshake"])
    host = urlsplit(url).hostname or url
    return HubUntrusted(message.format(url=url, host=host), hint=f"{hint} {_KEPT}", detail=detail,
                        reason=reason if reason in _MESSAGES else "handshake")


def hub_tls_error(base_url: str, exc: BaseException) -> HubUntrusted | None:
    """The clear error for a TLS failure behind ``exc`` (an httpx error), or None when it is not one.

    A plain-HTTP client whose loopback hub closes the connection without an answer probes once
    whether the hub speaks TLS, to say "expects HTTPS" instead of "answered garbage".
    """
    failure = _classify(exc)
    if failure is not None:
        return untrusted(base_url, failure.reason, failure.detail)
    parts = urlsplit(base_url)
    if parts.scheme == "http" and isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)) \
            and parts.hostname and is_loopback_host(parts.hostname) and speaks_tls(parts.hostname, parts.port or 80):
        return untrusted(base_url, "expects_https", f"{type(exc).__name__}: {exc}")
    return None


def speaks_tls(host: str, port: int, timeout: float = 2.0) -> bool:
    """True when a TLS handshake with ``host:port`` completes.

    A diagnosis only: no byte of application data is sent and the peer's certificate is not trusted
    for anything (hence no verification here).
    """
    probe = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    probe.check_hostname = False
    probe.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock, probe.wrap_socket(sock):
            return True
    except OSError:  # ssl.SSLError included
        return False


