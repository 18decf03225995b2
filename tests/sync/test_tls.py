"""TLS between workstation and hub: the hub serves a floor-CA certificate, the workstation trusts only the
floor CA named in its policy, and every TLS failure is one clear sentence. Real hubs on loopback, trustme
certificates in tmp_path; no system CA, no network."""

from __future__ import annotations

import os
import socket
import ssl
import threading
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import trustme

from tests.hub.helpers import PASSWORD, device_keypair
from workstation.floorca import floor_ca_context
from workstation.hub import cli
from workstation.hub.errors import HubError
from workstation.hub.server import HubServer
from workstation.policy import Policy
from workstation.session.seat import Seat
from workstation.sync.client import HubClient
from workstation.sync.errors import HubUntrusted

LOOPBACK = "127.0.0.1"


def hub_files(folder: Path, cert: trustme.LeafCert, name: str = "hub") -> tuple[Path, Path]:
    """The hub's certificate chain and its owner-only key, as IT lays them out."""
    folder.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = folder / f"{name}.pem", folder / f"{name}.key"
    cert_file.write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))
    cert.private_key_pem.write_to_path(str(key_file))
    key_file.chmod(0o600)
    return cert_file, key_file


@pytest.fixture
def floor_ca(tmp_path: Path) -> tuple[trustme.CA, Path]:
    """The floor CA and the file the machine policy names as ``hub_ca``."""
    ca = trustme.CA(organization_name="Floor CA")
    path = tmp_path / "floor-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return ca, path


@pytest.fixture
def tls_hub(tmp_path: Path, floor_ca: tuple[trustme.CA, Path]) -> Iterator[HubServer]:
    """A real hub on loopback serving HTTPS with a floor-CA certificate for 127.0.0.1 and localhost."""
    cert_file, key_file = hub_files(tmp_path / "tls", floor_ca[0].issue_cert(LOOPBACK, "localhost"))
    with HubServer(tmp_path / "hub", tls_cert=cert_file, tls_key=key_file) as server:
        yield server


def assert_one_clear_sentence(exc: BaseException) -> None:
    text = str(exc)
    assert text.endswith(".") and "\n" not in text
    assert "_ssl.c" not in text and "SSL:" not in text and "Traceback" not in text


# --------------------------------------------------------------------------- the right CA works


def test_the_floor_ca_named_in_the_policy_works_end_to_end(tmp_path: Path, tls_hub: HubServer,
                                                           floor_ca: tuple[trustme.CA, Path]) -> None:
    assert tls_hub.base_url.startswith("https://")
    tls_hub.service.add_user("ana", "annotator", PASSWORD)
    policy = Policy(hub_url=tls_hub.base_url, hub_ca=floor_ca[1], key_store="memory", seat="seat-1")
    seat = Seat.open(policy, data_dir=tmp_path / "ws")
    try:
        assert seat.client.health()["status"] == "ok"
        private, public = device_keypair()
        enrollment = seat.client.enroll_device(public, "seat-1")
        tls_hub.service.approve_device(enrollment.enrollment_code)
        session = seat.client.sign_in("ana", PASSWORD, enrollment.device_id, private)
        assert session.user == "ana"
        seat.client.sign_out()
    finally:
        seat.close()


def test_the_ca_file_path_works_as_verify_too(tls_hub: HubServer, floor_ca: tuple[trustme.CA, Path]) -> None:
    with HubClient(tls_hub.base_url, verify=floor_ca[1]) as client:
        assert client.health()["status"] == "ok"
    with HubClient(tls_hub.base_url, verify=str(floor_ca[1])) as client:
        assert client.health()["status"] == "ok"


def test_the_context_trusts_exactly_the_floor_ca(floor_ca: tuple[trustme.CA, Path]) -> None:
    context = floor_ca_context(floor_ca[1])
    assert context.cert_store_stats() == {"x509": 1, "crl": 0, "x509_ca": 1}  # no system CA loaded
    [only] = context.get_ca_certs()
    assert ("organizationName", "Floor CA") in [pair for rdn in only["subject"] for pair in rdn]
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2


def test_the_system_ca_settings_are_never_consulted(tmp_path: Path, floor_ca: tuple[trustme.CA, Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """SSL_CERT_FILE names another CA (as a user could): it does not make that CA's hub trusted."""
    other = trustme.CA()
    other_file = tmp_path / "other-ca.pem"
    other.cert_pem.write_to_path(str(other_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(other_file))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    cert_file, key_file = hub_files(tmp_path / "tls", other.issue_cert(LOOPBACK))
    with HubServer(tmp_path / "hub", tls_cert=cert_file, tls_key=key_file) as server, pytest.raises(HubUntrusted) as info:
        HubClient(server.base_url, verify=floor_ca_context(floor_ca[1])).health()
    assert info.value.reason == "unknown_ca"


def test_an_https_hub_is_never_trusted_through_the_system_store(tls_hub: HubServer) -> None:
    for verify in (True, False):
        with pytest.raises(ValueError, match="floor CA"):
            HubClient(tls_hub.base_url, verify=verify)
    with pytest.raises(ValueError, match="require a certificate"):
        loose = ssl.create_default_context()
        loose.check_hostname = False
        HubClient(tls_hub.base_url, verify=loose)


# --------------------------------------------------------------------------- refusals, each one clear sentence


def test_a_hub_certificate_from_another_ca_is_refused(tmp_path: Path, floor_ca: tuple[trustme.CA, Path]) -> None:
    cert_file, key_file = hub_files(tmp_path / "tls", trustme.CA().issue_cert(LOOPBACK))
    with HubServer(tmp_path / "hub", tls_cert=cert_file, tls_key=key_file) as server, pytest.raises(HubUntrusted) as info:
        HubClient(server.base_url, verify=floor_ca[1]).health()
    assert str(info.value) == (f"The floor hub at {server.base_url} is not trusted: its certificate was not issued by "
                               "the floor CA named in this workstation's machine policy.")
    assert info.value.reason == "unknown_ca"
    assert "Do not sign in" in info.value.hint and "kept" in info.value.hint
    assert "issuer" in info.value.detail  # the technical cause stays available for the log
    assert_one_clear_sentence(info.value)


def test_a_certificate_for_another_address_is_refused(tmp_path: Path, floor_ca: tuple[trustme.CA, Path]) -> None:
    cert_file, key_file = hub_files(tmp_path / "tls", floor_ca[0].issue_cert("hub.elsewhere.example"))
    with HubServer(tmp_path / "hub", tls_cert=cert_file, tls_key=key_file) as server, pytest.raises(HubUntrusted) as info:
        HubClient(server.base_url, verify=floor_ca[1]).health()
    assert str(info.value) == (f"The floor hub at {server.base_url} is not trusted: its certificate is not for "
                               f"the address {LOOPBACK}.")
    assert info.value.reason == "wrong_name"
    assert_one_clear_sentence(info.value)


def test_a_host_name_the_certificate_does_not_name_is_refused(tmp_path: Path,
                                                              floor_ca: tuple[trustme.CA, Path]) -> None:
    cert_file, key_file = hub_files(tmp_path / "tls", floor_ca[0].issue_cert(LOOPBACK))  # no "localhost"
    with HubServer(tmp_path / "hub", tls_cert=cert_file, tls_key=key_file) as server, pytest.raises(HubUntrusted) as info:
        HubClient(f"https://localhost:{server.port}", verify=floor_ca[1]).health()
    assert info.value.reason == "wrong_name" and "the address localhost" in str(info.value)


def test_an_expired_hub_certificate_is_refused(tmp_path: Path, floor_ca: tuple[trustme.CA, Path]) -> None:
    past = datetime.now(UTC) - timedelta(days=30)
    expired = floor_ca[0].issue_cert(LOOPBACK, not_before=past - timedelta(days=365), not_after=past)
    cert_file, key_file = hub_files(tmp_path / "tls", expired)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    with socket.create_server((LOOPBACK, 0)) as listener:
        port = listener.getsockname()[1]

        listener.settimeout(30)  # a hang guard only

        def serve_one() -> None:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            try:
                with context.wrap_socket(conn, server_side=True):
                    pass
            except OSError:  # the client refuses the handshake, as it should
                pass
            finally:
                conn.close()

        thread = threading.Thread(target=serve_one, daemon=True)
        thread.start()
        url = f"https://{LOOPBACK}:{port}"
        with pytest.raises(HubUntrusted) as info:
            HubClient(url, verify=floor_ca[1]).health()
        thread.join()
    assert str(info.value) == f"The floor hub at {url} is not trusted: its certificate has expired."
    assert info.value.reason == "expired" and "renew" in info.value.hint
    assert_one_clear_sentence(info.value)


def test_a_plain_http_client_talking_to_an_https_hub(tls_hub: HubServer) -> None:
    url = f"http://{LOOPBACK}:{tls_hub.port}"
    with pytest.raises(HubUntrusted) as info:
        HubClient(url).health()
    assert str(info.value) == (f"The floor hub at {url} expects HTTPS, but the machine policy's 'hub_url' "
                               "says http://.")
    assert info.value.reason == "expects_https" and "https://" in info.value.hint


def test_an_https_client_talking_to_a_plain_http_hub(tmp_path: Path, floor_ca: tuple[trustme.CA, Path]) -> None:
    with HubServer(tmp_path / "hub") as server:
        url = f"https://{LOOPBACK}:{server.port}"
        with pytest.raises(HubUntrusted) as info:
            HubClient(url, verify=floor_ca[1]).health()
    assert str(info.value) == f"The floor hub at {url} answers in plain HTTP, not HTTPS."
    assert info.value.reason == "plain_http" and "--tls-cert" in info.value.hint


# --------------------------------------------------------------------------- the hub's side


def test_the_hub_serves_tls_1_2_or_later_only(tls_hub: HubServer) -> None:
    assert tls_hub.tls_context is not None
    assert tls_hub.tls_context.minimum_version == ssl.TLSVersion.TLSv1_2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0/1.1 constants are deprecated
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.check_hostname, old.verify_mode = False, ssl.CERT_NONE  # only the version is under test
        old.minimum_version, old.maximum_version = ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1
        old.set_ciphers("DEFAULT:@SECLEVEL=0")
    with socket.create_connection((LOOPBACK, tls_hub.port)) as sock, pytest.raises(ssl.SSLError):
        old.wrap_socket(sock)
    modern = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    modern.check_hostname, modern.verify_mode = False, ssl.CERT_NONE
    with socket.create_connection((LOOPBACK, tls_hub.port)) as sock, modern.wrap_socket(sock) as tls:
        assert tls.version() in ("TLSv1.2", "TLSv1.3")


@pytest.fixture
def good_files(tmp_path: Path, floor_ca: tuple[trustme.CA, Path]) -> tuple[Path, Path]:
    return hub_files(tmp_path / "tls", floor_ca[0].issue_cert(LOOPBACK))


def _refused(tmp_path: Path, cert: Path, key: Path) -> str:
    with pytest.raises(HubError) as info:
        HubServer(tmp_path / "hub", tls_cert=cert, tls_key=key)
    assert not (tmp_path / "hub").exists()  # refused before the data folder is set up
    text = str(info.value)
    assert text.endswith(".") and "\n" not in text and "_ssl.c" not in text and info.value.hint
    return text


def test_a_missing_certificate_or_key_file(tmp_path: Path, good_files: tuple[Path, Path]) -> None:
    cert, key = good_files
    missing = tmp_path / "nope.pem"
    assert _refused(tmp_path, missing, key) == f"The hub's TLS certificate file {missing} does not exist."
    assert _refused(tmp_path, cert, missing) == f"The hub's TLS key file {missing} does not exist."
    with pytest.raises(HubError, match="both"):
        HubServer(tmp_path / "hub", tls_cert=cert)


def test_files_that_are_not_pem(tmp_path: Path, good_files: tuple[Path, Path]) -> None:
    cert, key = good_files
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    junk.chmod(0o600)
    assert _refused(tmp_path, junk, key) == f"The hub's TLS certificate file {junk} holds no PEM certificate."
    assert _refused(tmp_path, cert, junk) == f"The hub's TLS key file {junk} holds no PEM private key."


def test_a_key_of_another_certificate(tmp_path: Path, floor_ca: tuple[trustme.CA, Path],
                                      good_files: tuple[Path, Path]) -> None:
    cert, _ = good_files
    _, other_key = hub_files(tmp_path / "other", floor_ca[0].issue_cert(LOOPBACK), name="other")
    assert _refused(tmp_path, cert, other_key) == (f"The private key in {other_key} does not belong to the "
                                                   f"certificate in {cert}.")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_key_others_can_read(tmp_path: Path, good_files: tuple[Path, Path]) -> None:
    cert, key = good_files
    key.chmod(0o644)
    assert "can be read or changed by other users (mode 0644)" in _refused(tmp_path, cert, key)
    key.chmod(0o640)  # a group (ssl-cert) may read it
    HubServer(tmp_path / "hub", tls_cert=cert, tls_key=key)


@pytest.mark.skipif(os.name == "posix" and os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_key(tmp_path: Path, good_files: tuple[Path, Path]) -> None:
    cert, key = good_files
    key.chmod(0o000)
    try:
        assert _refused(tmp_path, cert, key) == f"The hub's TLS key file {key} cannot be read by this account."
    finally:
        key.chmod(0o600)


def test_certificates_no_workstation_would_accept(tmp_path: Path, floor_ca: tuple[trustme.CA, Path],
                                                  good_files: tuple[Path, Path]) -> None:
    ca, ca_file = floor_ca
    past = datetime.now(UTC) - timedelta(days=1)
    cert, key = hub_files(tmp_path / "x", ca.issue_cert(LOOPBACK, not_before=past - timedelta(days=90),
                                                        not_after=past), name="expired")
    assert "expired on" in _refused(tmp_path, cert, key)
    cert, key = hub_files(tmp_path / "x", ca.issue_cert(common_name="hub"), name="nameless")
    assert "names no address" in _refused(tmp_path, cert, key)
    ca_key = tmp_path / "x" / "ca.key"
    ca.private_key_pem.write_to_path(str(ca_key))
    ca_key.chmod(0o600)
    assert "is a CA certificate" in _refused(tmp_path, ca_file, ca_key)


def test_a_key_with_a_passphrase(tmp_path: Path, good_files: tuple[Path, Path]) -> None:
    from cryptography.hazmat.primitives import serialization

    cert, key = good_files
    loaded = serialization.load_pem_private_key(key.read_bytes(), None)
    locked = tmp_path / "locked.key"
    locked.write_bytes(loaded.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.BestAvailableEncryption(b"secret")))
    locked.chmod(0o600)
    assert _refused(tmp_path, cert, locked) == f"The hub's TLS key file {locked} is protected by a passphrase."


def test_serve_refuses_plain_http_off_loopback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = cli.main(["serve", "--data", str(tmp_path / "hub"), "--host", "0.0.0.0", "--port", "0"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE and err.count("\n") == 1
    assert err.startswith("error: serving plain HTTP on 0.0.0.0") and "--tls-cert" in err


def test_serve_names_a_bad_tls_file_in_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                good_files: tuple[Path, Path]) -> None:
    cert, _ = good_files
    missing = tmp_path / "hub.key"
    code = cli.main(["serve", "--data", str(tmp_path / "hub"), "--port", "0", "--tls-cert", str(cert),
                     "--tls-key", str(missing)])
    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE and err.count("\n") == 1
    assert err.startswith(f"error: The hub's TLS key file {missing} does not exist.")
