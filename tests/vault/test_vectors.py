"""The implementation reproduces tests/vectors/clip_container.json byte for byte, and so does an
independent implementation written from docs/clip-container.md (so spec and code agree)."""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from workstation.vault import container

ROOT = Path(__file__).resolve().parents[2]
VECTORS = json.loads((ROOT / "tests" / "vectors" / "clip_container.json").read_text(encoding="utf-8"))
CASES = {case["name"]: case for case in VECTORS["cases"]}


def spec_pattern(n: int) -> bytes:
    return bytes((31 * i + 7) % 251 for i in range(n))


def spec_encrypt(plaintext: bytes, key: bytes, clip_id: str, salt: bytes) -> bytes:
    """fwclip v1, written straight from the spec (no code shared with the product)."""
    bound = b"FWCLIP" + bytes([1, 16]) + bytes.fromhex(clip_id) + salt

    def hkdf(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(key)

    header = bound + hkdf(b"fwclip v1 key check" + bound)
    aead = AESGCM(hkdf(b"fwclip v1 payload" + bound))
    n = max(1, math.ceil(len(plaintext) / 65536))
    out = [header]
    for i in range(n):
        nonce = i.to_bytes(11, "big") + (b"\x01" if i == n - 1 else b"\x00")
        out.append(aead.encrypt(nonce, plaintext[i * 65536 : (i + 1) * 65536], header))
    return b"".join(out)


def case_inputs(case: dict[str, Any]) -> tuple[bytes, bytes, str, bytes]:
    plaintext = spec_pattern(case["plaintext_length"])
    return plaintext, bytes.fromhex(case["clip_key"]), case["clip_id"], bytes.fromhex(case["salt"])


@pytest.mark.parametrize("name", list(CASES))
def test_implementation_reproduces_vector(name: str) -> None:
    case = CASES[name]
    plaintext, key, clip_id, salt = case_inputs(case)
    assert hashlib.sha256(plaintext).hexdigest() == case["plaintext_sha256"]
    data = container.encrypt_bytes(plaintext, key, clip_id, salt=salt)
    assert len(data) == case["container_length"]
    assert hashlib.sha256(data).hexdigest() == case["container_sha256"]
    assert data[:88].hex() == case["header"]
    assert container.derive_keys(key, data[:56]) == (bytes.fromhex(case["key_check"]), bytes.fromhex(case["payload_key"]))
    if "container_hex" in case:
        assert data.hex() == case["container_hex"]
        assert plaintext.hex() == case["plaintext_hex"]
    assert container.decrypt_bytes(data, key) == plaintext


@pytest.mark.parametrize("name", list(CASES))
def test_spec_reimplementation_matches_vector(name: str) -> None:
    case = CASES[name]
    plaintext, key, clip_id, salt = case_inputs(case)
    data = spec_encrypt(plaintext, key, clip_id, salt)
    assert hashlib.sha256(data).hexdigest() == case["container_sha256"]
    assert case["chunk_count"] == len(case["chunk_tags"])
    body = data[88:]
    tags = [body[min((i + 1) * 65552, len(body)) - 16 : min((i + 1) * 65552, len(body))].hex() for i in range(case["chunk_count"])]
    assert tags == case["chunk_tags"]


def test_stored_container_decrypts() -> None:
    for case in VECTORS["cases"]:
        if "container_hex" in case:
            plain = container.decrypt_bytes(bytes.fromhex(case["container_hex"]), bytes.fromhex(case["clip_key"]))
            assert plain.hex() == case["plaintext_hex"]


@pytest.mark.parametrize("item", VECTORS["invalid"], ids=lambda item: item["why"])
def test_invalid_vectors_raise_the_named_error(item: dict[str, Any]) -> None:
    case = CASES[item["case"]]
    plaintext, key, clip_id, salt = case_inputs(case)
    data = bytearray(container.encrypt_bytes(plaintext, key, clip_id, salt=salt))
    mutation = item["mutation"]
    expected_clip_id = None
    if "truncate_to" in mutation:
        del data[mutation["truncate_to"] :]
    if "flip_bit" in mutation:
        offset, bit = mutation["flip_bit"]
        data[offset] ^= 1 << bit
    if "append_hex" in mutation:
        data += bytes.fromhex(mutation["append_hex"])
    if "wrong_key_hex" in mutation:
        key = bytes.fromhex(mutation["wrong_key_hex"])
    if "expected_clip_id" in mutation:
        expected_clip_id = mutation["expected_clip_id"]
    error = getattr(container, item["error"])
    with pytest.raises(error) as info:
        container.decrypt_bytes(bytes(data), key, expected_clip_id=expected_clip_id)
    if item["error"] == "ContainerError":  # only the base class: not one of the specific ones
        assert type(info.value) is container.ContainerError


def test_generator_output_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "vectors" / "make_vectors.py"), "--check"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
