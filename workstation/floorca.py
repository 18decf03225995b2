"""The floor CA: the one certificate authority a seat trusts for the hub (read from the machine policy's ``hub_ca``).

A base module (no network, no Qt): the policy checks the file with it when it loads, and the hub
client builds its TLS context with it (:mod:`workstation.sync.tls` says what that trust protects
against and what not).
"""

from __future__ import annotations

import ssl
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from workstation.errors import WorkstationError

MIN_TLS = ssl.TLSVersion.TLSv1_2


class FloorCAError(WorkstationError):
    """The floor CA file cannot be used; ``problem`` is the cause as a phrase after the file's name."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"The floor CA certificate file {path} {problem}.",
                         hint="Ask IT to correct 'hub_ca' in the machine policy.")
        self.path = path
        self.problem = problem


# --------------------------------------------------------------------------- the floor CA


def read_floor_ca(path: Path, *, now: datetime | None = None) -> list[x509.Certificate]:
    """The CA certificates in ``path`` (PEM); :class:`FloorCAError` unless it holds at least one usable one."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FloorCAError(path, "does not exist") from None
    except IsADirectoryError:
        raise FloorCAError(path, "is a folder, not a certificate file") from None
    except PermissionError:
        raise FloorCAError(path, "cannot be read by this account") from None
    except OSError as exc:
        raise FloorCAError(path, f"cannot be read ({exc.strerror or exc})") from None
    if b"PRIVATE KEY-----" in data:
        raise FloorCAError(path, "also holds a private key, which must never be on a workstation "
                                 "(keep only the floor CA's certificate and treat that key as exposed)")
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise FloorCAError(path, "is not a PEM certificate file (one starting with "
                                 "'-----BEGIN CERTIFICATE-----')") from None
    authorities = [c for c in certificates if _is_ca(c)]
    if not authorities:
        raise FloorCAError(path, f"holds no CA certificate, only one for {_subject(certificates[0])} "
                                 "(it needs the floor CA's own certificate, not the hub's)")
    now = now or datetime.now(UTC)
    if all(c.not_valid_after_utc < now for c in authorities):
        until = max(c.not_valid_after_utc for c in authorities)
        raise FloorCAError(path, f"holds only an expired floor CA certificate (valid until {until:%Y-%m-%d})")
    return authorities


def floor_ca_context(path: Path) -> ssl.SSLContext:
    """A client context that trusts exactly the CA certificates in ``path``; hostname checked, TLS ≥ 1.2.

    The certificates checked by :func:`read_floor_ca` are the ones loaded (``cadata``), so a file
    changed in between, or a hub certificate left in the file, can never become a trust anchor.
    ``create_default_context`` with ``cadata`` does not load the system's CAs.
    """
    pem = "".join(c.public_bytes(Encoding.PEM).decode("ascii") for c in read_floor_ca(path))
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cadata=pem)
    return _harden(context)


def no_trust_context() -> ssl.SSLContext:
    """A client context with no CA at all: every TLS server is refused (for a plain-HTTP loopback hub)."""
    return _harden(ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))


def _harden(context: ssl.SSLContext) -> ssl.SSLContext:
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    context.minimum_version = max(context.minimum_version, MIN_TLS)
    return context


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _subject(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return f"'{names[0].value!s}'" if names else certificate.subject.rfc4514_string() or "an unnamed subject"
