"""The implementation reproduces tests/vectors/clip_container.json byte for byte, and so do an
independent encoder and an independent decoder written from docs/clip-container.md alone (so spec,
vectors and code agree). Every vector is checked from the JSON's own bytes, as an implementer
without this code base would check it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from workstation.vault import container

ROOT = Path(__file__).resolve().parents[2]
VECTORS = json.loads((ROOT / "tests" / "vectors" / "clip_container.json").read_text(encoding="utf-8"))
SPEC = (ROOT / "docs" / "clip-container.md").read_text(encoding="utf-8")
CASES = {case["name"]: case for case in VECTORS["cases"]}
CT = 65552  # sealed size of a full chunk


# --------------------------------------------------------------------------- from the spec alone


def spec_pattern(n: int) -> bytes:
    return bytes((31 * i + 7) % 251 for i in range(n))


def spec_keys(key: bytes, bound: bytes) -> tuple[bytes, bytes]:
    salt = bound[24:56]

    def hkdf(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(key)

    return hkdf(b"fwclip v1 key check" + bound), hkdf(b"fwclip v1 payload" + bound)


def spec_encrypt(plaintext: bytes, key: bytes, clip_id: str, salt: bytes) -> bytes:
    """fwclip v1, written straight from the spec (no code shared with the product)."""
    bound = b"FWCLIP" + bytes([1, 16]) + bytes.fromhex(clip_id) + salt
    key_check, payload_key = spec_keys(key, bound)
    header = bound + key_check
    aead = AESGCM(payload_key)
    n = max(1, math.ceil(len(plaintext) / 65536))
    out = [header]
    for i in range(n):
        nonce = i.to_bytes(11, "big") + (b"\x01" if i == n - 1 else b"\x00")
        out.append(aead.encrypt(nonce, plaintext[i * 65536 : (i + 1) * 65536], header))
    return b"".join(out)


class SpecError(Exception):
    """The error class name the spec says a reader raises (and, for AppendedData, k)."""

    def __init__(self, name: str, extra: int | None = None) -> None:
        super().__init__(name)
        self.name, self.extra = name, extra


def spec_decrypt(data: bytes, key: bytes, expected_clip_id: str | None = None) -> bytes:
    """A reader following §5 step by step: checks 0-9 at open, then every other chunk."""
    if len(key) != 32:
        raise SpecError("InvalidClipKey")
    if expected_clip_id is not None and not re.fullmatch("[0-9a-f]{32}", expected_clip_id):
        raise SpecError("InvalidClipId")
    if len(data) < 6 or data[:6] != b"FWCLIP":
        raise SpecError("NotAContainer")
    if len(data) < 88:
        raise SpecError("TruncatedContainer")
    if data[6] != 1 or data[7] != 16:
        raise SpecError("ContainerError")
    if expected_clip_id is not None and data[8:24].hex() != expected_clip_id:
        raise SpecError("WrongKey")
    header, view = data[:88], memoryview(data)
    key_check, payload_key = spec_keys(key, data[:56])
    if not hmac.compare_digest(key_check, data[56:88]):
        raise SpecError("WrongKey")
    aead = AESGCM(payload_key)

    def opens(i: int, last: int, sealed: memoryview) -> bytes | None:
        try:
            return aead.decrypt(i.to_bytes(11, "big") + bytes([last]), sealed, header)
        except InvalidTag:
            return None

    def layout(body: int) -> tuple[int, int]:
        n = max(1, math.ceil(body / CT))
        return n, body - (n - 1) * CT

    body = len(data) - 88
    if body < 16:
        raise SpecError("TruncatedContainer")
    n, final_size = layout(body)
    tail = view[len(data) - final_size :]
    final = opens(n - 1, 1, tail) if final_size >= 16 else None
    if final is None:
        if final_size >= 16 and opens(n - 1, 0, tail) is not None:
            raise SpecError("TruncatedContainer")
        middle = n >= 2 and opens(n - 2, 0, view[88 + (n - 2) * CT : 88 + (n - 1) * CT]) is not None
        if final_size < 16 and middle:
            raise SpecError("TruncatedContainer")
        for k in range(1, (final_size - 16 if middle else min(CT, body - 16)) + 1):
            n_k, size_k = layout(body - k)
            start = 88 + (n_k - 1) * CT
            if size_k >= 16 and opens(n_k - 1, 1, view[start : start + size_k]) is not None:
                raise SpecError("AppendedData", k)
        raise SpecError("TamperedContainer")
    if n > 1 and not final:
        raise SpecError("ContainerError")
    chunks = []
    for i in range(n - 1):
        plain = opens(i, 0, view[88 + i * CT : 88 + (i + 1) * CT])
        if plain is None:
            raise SpecError("TamperedContainer")
        chunks.append(plain)
    return b"".join(chunks) + final


def stored_bytes(case: dict[str, Any]) -> bytes:
    data = base64.b64decode(case["container_base64"], validate=True)
    assert hashlib.sha256(data).hexdigest() == case["container_sha256"]
    return data


def given_bytes(item: dict[str, Any]) -> bytes:
    """What a reader is handed for an invalid vector, built from the JSON alone (its 'mutations' text)."""
    if "container_base64" in item:
        data = base64.b64decode(item["container_base64"], validate=True)
    else:
        original = stored_bytes(CASES[item["case"]])
        out, mutation = bytearray(original), item["mutation"]
        if "truncate_to" in mutation:
            del out[mutation["truncate_to"] :]
        if "flip_bit" in mutation:
            offset, bit = mutation["flip_bit"]
            out[offset] ^= 1 << bit  # bit 0 = least significant
        if "append_hex" in mutation:
            out += bytes.fromhex(mutation["append_hex"])
        if "append_zeros" in mutation:
            out += bytes(mutation["append_zeros"])
        if "duplicate_tail" in mutation:
            out += original[-mutation["duplicate_tail"] :]
        if "swap_chunks" in mutation:
            i, j = mutation["swap_chunks"]
            out[88 + i * CT : 88 + (i + 1) * CT] = original[88 + j * CT : 88 + (j + 1) * CT]
            out[88 + j * CT : 88 + (j + 1) * CT] = original[88 + i * CT : 88 + (i + 1) * CT]
        data = bytes(out)
    assert hashlib.sha256(data).hexdigest() == item["container_sha256"]
    return data


def open_args(item: dict[str, Any]) -> tuple[bytes, str | None]:
    mutation = item["mutation"]
    key = bytes.fromhex(mutation.get("wrong_key_hex", CASES[item["case"]]["clip_key"]))
    return key, mutation.get("expected_clip_id")


# --------------------------------------------------------------------------- valid cases


def case_inputs(case: dict[str, Any]) -> tuple[bytes, bytes, str, bytes]:
    plaintext = spec_pattern(case["plaintext_length"])
    return plaintext, bytes.fromhex(case["clip_key"]), case["clip_id"], bytes.fromhex(case["salt"])


def test_the_cases_issue_9_asked_for() -> None:
    lengths = {case["plaintext_length"] for case in VECTORS["cases"]}
    assert {0, 1, 65536, 65537, 2 * 65536} <= lengths
    assert all("container_base64" in case for case in VECTORS["cases"])  # full bytes, also for >= 64 KiB


@pytest.mark.parametrize("name", list(CASES))
def test_implementation_reproduces_vector(name: str) -> None:
    case = CASES[name]
    plaintext, key, clip_id, salt = case_inputs(case)
    assert hashlib.sha256(plaintext).hexdigest() == case["plaintext_sha256"]
    data = container.encrypt_bytes(plaintext, key, clip_id, salt=salt)
    assert len(data) == case["container_length"]
    assert hashlib.sha256(data).hexdigest() == case["container_sha256"]
    assert data == stored_bytes(case)
    assert data[:88].hex() == case["header"]
    assert container.derive_keys(key, data[:56]) == (bytes.fromhex(case["key_check"]), bytes.fromhex(case["payload_key"]))
    if "container_hex" in case:
        assert data.hex() == case["container_hex"]
        assert plaintext.hex() == case["plaintext_hex"]
    assert container.decrypt_bytes(data, key, expected_clip_id=clip_id) == plaintext


@pytest.mark.parametrize("name", list(CASES))
def test_spec_reimplementation_matches_vector(name: str) -> None:
    case = CASES[name]
    plaintext, key, clip_id, salt = case_inputs(case)
    data = spec_encrypt(plaintext, key, clip_id, salt)
    assert data == stored_bytes(case)
    assert case["chunk_count"] == len(case["chunk_tags"])
    body = data[88:]
    tags = [body[min((i + 1) * CT, len(body)) - 16 : min((i + 1) * CT, len(body))].hex() for i in range(case["chunk_count"])]
    assert tags == case["chunk_tags"]


@pytest.mark.parametrize("name", list(CASES))
def test_stored_container_decrypts(name: str) -> None:
    """A decoder needs only the JSON: every case's full bytes decrypt to the pattern."""
    case = CASES[name]
    data, key = stored_bytes(case), bytes.fromhex(case["clip_key"])
    for plain in (container.decrypt_bytes(data, key, expected_clip_id=case["clip_id"]),
                  spec_decrypt(data, key, case["clip_id"])):
        assert len(plain) == case["plaintext_length"]
        assert hashlib.sha256(plain).hexdigest() == case["plaintext_sha256"]
        assert plain == spec_pattern(case["plaintext_length"])
    if "container_hex" in case:
        assert bytes.fromhex(case["container_hex"]) == data


@pytest.mark.parametrize("name", list(CASES))
def test_clip_ids_are_uuid4_in_hex_form(name: str) -> None:
    clip_id = CASES[name]["clip_id"]
    parsed = uuid.UUID(hex=clip_id)
    assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
    assert parsed.hex == clip_id  # 32 lowercase hex characters, no dashes
    assert bytes.fromhex(CASES[name]["header"])[8:24] == parsed.bytes


# --------------------------------------------------------------------------- invalid vectors


def vector_id(item: dict[str, Any]) -> str:
    return f"{item['case']}:{item['why']}"


@pytest.mark.parametrize("item", VECTORS["invalid"], ids=vector_id)
def test_invalid_vectors_raise_the_named_error(item: dict[str, Any]) -> None:
    data = given_bytes(item)
    key, expected_clip_id = open_args(item)
    with pytest.raises(container.ContainerError) as info:
        container.decrypt_bytes(data, key, expected_clip_id=expected_clip_id)
    assert type(info.value).__name__ == item["error"], str(info.value)  # the most specific class, exactly
    if item["error"] == "AppendedData":
        assert isinstance(info.value, container.AppendedData)
        assert info.value.extra_bytes == item["extra_bytes"]
        assert info.value.valid_length == len(data) - item["extra_bytes"]


@pytest.mark.parametrize("item", VECTORS["invalid"], ids=vector_id)
def test_spec_decoder_raises_the_named_error(item: dict[str, Any]) -> None:
    data = given_bytes(item)
    key, expected_clip_id = open_args(item)
    with pytest.raises(SpecError) as info:
        spec_decrypt(data, key, expected_clip_id)
    assert info.value.name == item["error"]
    if item["error"] == "AppendedData":
        assert info.value.extra == item["extra_bytes"]


def test_invalid_vectors_cover_issue_9() -> None:
    mutations = [item["mutation"] for item in VECTORS["invalid"]]
    errors = {item["error"] for item in VECTORS["invalid"]}
    assert {"InvalidClipId", "InvalidClipKey", "AppendedData"} <= errors
    assert any("swap_chunks" in m for m in mutations)
    assert any(m.get("seal_empty_final") for m in mutations)
    assert all(set(m) <= set(VECTORS["mutations"]) for m in mutations)  # every mutation is described


def test_non_canonical_vector_is_what_it_says() -> None:
    """The empty-final-chunk vector: a full middle chunk sealed with last = 0, then a bare tag with last = 1."""
    item = next(i for i in VECTORS["invalid"] if i["mutation"].get("seal_empty_final"))
    case, data = CASES[item["case"]], given_bytes(item)
    assert len(data) == 88 + case["plaintext_length"] + 16 * (case["chunk_count"] + 1)
    assert data[:88] == stored_bytes(case)[:88]
    aead = AESGCM(bytes.fromhex(case["payload_key"]))
    assert aead.decrypt(bytes(11) + b"\x00", data[88 : 88 + CT], data[:88]) == spec_pattern(65536)
    assert aead.decrypt((1).to_bytes(11, "big") + b"\x01", data[88 + CT :], data[:88]) == b""


# --------------------------------------------------------------------------- the file and the spec agree


def test_spec_describes_the_vector_file() -> None:
    section = SPEC[SPEC.index("## 8. Test vectors") :]
    for name in CASES:
        assert f"`{name}`" in section, name
    for mutation in VECTORS["mutations"]:
        assert f"`{mutation}:" in section, mutation
    for key in ("container_base64", "container_sha256", "extra_bytes", "bit 0"):
        assert key in section, key


def test_generator_output_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "vectors" / "make_vectors.py"), "--check"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
