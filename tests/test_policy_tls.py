"""The machine policy's hub rules: https needs the floor CA, the CA file must hold one, http only on loopback,
and nothing the user controls (environment, current folder) changes what is trusted."""

from __future__ import annotations

import os
import ssl
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from workstation.policy import Policy, PolicyError, hub_tls_context, load_policy, machine_policy_path
from workstation.session.seat import Seat


def write_policy(folder: Path, text: str) -> Path:
    path = folder / "policy.toml"
    path.write_text(text)
    return path


@pytest.fixture
def ca_file(tmp_path: Path) -> Path:
    path = tmp_path / "floor-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(path))
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert str(info.value).startswith(f"The machine policy in {path} is not valid: ")
    assert "\n" not in str(info.value)
    return info.value.problems


def test_https_with_the_floor_ca_is_valid(tmp_path: Path, ca_file: Path) -> None:
    policy = load_policy(write_policy(tmp_path, f'hub_url = "https://hub.floor:8470"\nhub_ca = "{ca_file}"\n'))
    assert policy.hub_ca == ca_file
    context = hub_tls_context(policy)
    assert context is not None and context.cert_store_stats()["x509_ca"] == 1
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED


def test_https_needs_hub_ca(tmp_path: Path) -> None:
    problems = problems_of(write_policy(tmp_path, 'hub_url = "https://hub.floor:8470"\n'))
    assert problems == [("'hub_url' uses https:// but 'hub_ca' is missing (the floor CA's certificate file, PEM, "
                        "that the hub's certificate comes from)")]


def test_hub_ca_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pem"
    problems = problems_of(write_policy(tmp_path, f'hub_url = "https://hub.floor"\nhub_ca = "{missing}"\n'))
    assert problems == [f"'hub_ca' file {missing} does not exist"]


def test_hub_ca_that_is_a_folder(tmp_path: Path) -> None:
    problems = problems_of(write_policy(tmp_path, f'hub_url = "https://hub.floor"\nhub_ca = "{tmp_path}"\n'))
    assert problems == [f"'hub_ca' file {tmp_path} is a folder, not a certificate file"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX modes and a non-root user")
def test_hub_ca_that_cannot_be_read(tmp_path: Path, ca_file: Path) -> None:
    ca_file.chmod(0o000)
    try:
        problems = problems_of(write_policy(tmp_path, f'hub_url = "https://hub.floor"\nhub_ca = "{ca_file}"\n'))
    finally:
        ca_file.chmod(0o644)
    assert problems == [f"'hub_ca' file {ca_file} cannot be read by this account"]


@pytest.mark.parametrize("content", [b"this is not a certificate\n", b"",
                                     b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                                     bytes(range(256))])
def test_hub_ca_that_is_not_pem(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_bytes(content)
    problems = problems_of(write_policy(tmp_path, f'hub_url = "https://hub.floor"\nhub_ca = "{bad}"\n'))
    assert problems == [(f"'hub_ca' file {bad} is not a PEM certificate file (one starting with "
                        "'-----BEGIN CERTIFICATE-----')")]


def test_hub_ca_holding_the_hubs_certificate_instead_of_the_cas(tmp_path: Path) -> None:
    leaf = tmp_path / "hub.pem"
    trustme.CA().issue_cert("hub.floor", common_name="hub.floor").cert_chain_pems[0].write_to_path(str(leaf))
    problems = problems_of(write_policy(tmp_path, f'hub_url = "https://hub.floor"\nhub_ca = "{leaf}"\n'))
    assert problems == [(f"'hub_ca' file {leaf} holds no CA certificate, only one for 'hub.floor' "
                        "(it needs the floor CA's own certificate, not the hub's)")]


def test_hub_ca_holding_a_private_key(tmp_path: Path) -> None:
    ca = trustme.CA()
    both = tmp_path / "ca-and-key.pem"
    both.write_bytes(ca.cert_pem.bytes() + ca.private_key_pem.bytes())
    [problem] = problems_of(write_policy(tmp_path, f'hub_url = "https://hub.floor"\nhub_ca = "{both}"\n'))
    assert problem.startswith(f"'hub_ca' file {both} also holds a private key")


def test_hub_ca_that_expired(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Old floor CA")])
    end = datetime(2020, 1, 1, tzinfo=UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(end - timedelta(days=365)).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    old = tmp_path / "old-ca.pem"
    old.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    problems = problems_of(write_policy(tmp_path, f'hub_url = "https://hub.floor"\nhub_ca = "{old}"\n'))
    assert problems == [f"'hub_ca' file {old} holds only an expired floor CA certificate (valid until 2020-01-01)"]


def test_plain_http_off_loopback_is_refused_even_with_a_ca(tmp_path: Path, ca_file: Path) -> None:
    problems = problems_of(write_policy(tmp_path, f'hub_url = "http://hub.floor:8470"\nhub_ca = "{ca_file}"\n'))
    assert problems == ["'hub_url' must use https:// unless the hub is on this machine (loopback)"]


def test_plain_http_on_loopback_needs_no_ca(tmp_path: Path) -> None:
    policy = load_policy(write_policy(tmp_path, 'hub_url = "http://127.0.0.1:8470"\n'))
    assert policy.hub_ca is None and hub_tls_context(policy) is None


def test_a_relative_hub_ca_is_read_next_to_the_policy_not_from_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    machine, user = tmp_path / "machine", tmp_path / "user"
    machine.mkdir()
    user.mkdir()
    trustme.CA().cert_pem.write_to_path(str(machine / "floor-ca.pem"))
    trustme.CA().cert_pem.write_to_path(str(user / "floor-ca.pem"))  # a user's own CA, same name
    monkeypatch.chdir(user)
    policy = load_policy(write_policy(machine, 'hub_url = "https://hub.floor"\nhub_ca = "floor-ca.pem"\n'))
    assert policy.hub_ca == machine / "floor-ca.pem"


def test_the_policy_place_is_not_taken_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    monkeypatch.setenv("PROGRAMDATA", str(tmp_path))
    monkeypatch.setenv("ALLUSERSPROFILE", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "win32")
    assert machine_policy_path() == Path(r"C:\ProgramData") / "FloorWorkstation" / "policy.toml"
    monkeypatch.setattr(sys, "platform", "linux")
    assert machine_policy_path() == Path("/etc/floor-workstation/policy.toml")


def test_a_seat_refuses_an_https_policy_without_a_ca(tmp_path: Path) -> None:
    """A policy built in code (not from a file) gets the same rule when the seat opens."""
    with pytest.raises(PolicyError, match="'hub_ca' is missing"):
        Seat.open(Policy(hub_url="https://hub.floor:8470", key_store="memory"), data_dir=tmp_path / "ws")
    assert not (tmp_path / "ws").exists()  # refused before anything is set up


def test_a_seat_refuses_a_ca_file_broken_since_the_policy_loaded(tmp_path: Path, ca_file: Path) -> None:
    policy = load_policy(write_policy(tmp_path, f'hub_url = "https://hub.floor"\nhub_ca = "{ca_file}"\n'))
    ca_file.write_text("garbage\n")
    with pytest.raises(PolicyError, match="is not a PEM certificate file"):
        Seat.open(policy, data_dir=tmp_path / "ws")
