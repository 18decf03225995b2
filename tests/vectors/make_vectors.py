"""Regenerate tests/vectors/clip_container.json deterministically.

    python3 tests/vectors/make_vectors.py           # rewrite the file
    python3 tests/vectors/make_vectors.py --check   # exit 1 if the file differs

Every input is derived from a case name with SHA-256, so the output only changes when the
format or the implementation changes. The spec is docs/clip-container.md (§8 describes this file).
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from workstation.vault import container

OUT = Path(__file__).with_name("clip_container.json")
FULL_HEX_LIMIT = 1024  # containers up to this many bytes are also stored as hex (every one is stored as base64)
HEADER, CT = 88, 65552  # header size, sealed size of a full chunk

CASES = [
    ("empty", 0),
    ("one-byte", 1),
    ("one-full-chunk", 65536),
    ("full-chunk-plus-one", 65537),
    ("two-full-chunks", 131072),
    ("three-chunks", 150000),
]

#: What each mutation does to a case's container (or to how it is opened). Copied into the JSON.
MUTATIONS = {
    "truncate_to": "keep only the first N bytes of the file",
    "flip_bit": "[offset, bit]: XOR the byte at that offset from the start of the file (offset 0 is the first "
                "magic byte) with 1 << bit; bit 0 is the least significant bit, bit 7 the most significant",
    "append_hex": "append these bytes (hex) to the file",
    "append_zeros": "append N zero bytes to the file",
    "duplicate_tail": "append a copy of the file's last N bytes to the file",
    "swap_chunks": "[i, j]: exchange sealed chunks i and j (each 65552 bytes, chunk i at offset 88 + i * 65552)",
    "seal_empty_final": "not a change of the case's bytes: the case's plaintext (a multiple of 65536 bytes) sealed "
                        "with the case's inputs, every chunk as a middle chunk (last = 0), followed by an empty "
                        "final chunk (index n, last = 1); the result is given in full as container_base64",
    "wrong_key_hex": "open the unchanged file with this key (hex; a length other than 32 bytes is an argument error)",
    "expected_clip_id": "open the unchanged file naming this string as the clip it must be",
}

#: Mutations of a valid case and the error a reader must raise (class names from the spec, most specific).
INVALID: list[dict[str, Any]] = [
    {"case": "full-chunk-plus-one", "mutation": {"truncate_to": HEADER + CT}, "error": "TruncatedContainer",
     "why": "cut at a chunk boundary: the now-last chunk was sealed with last flag 0"},
    {"case": "full-chunk-plus-one", "mutation": {"truncate_to": HEADER + CT + 10}, "error": "TruncatedContainer",
     "why": "final chunk shorter than a tag after an intact middle chunk"},
    {"case": "three-chunks", "mutation": {"truncate_to": HEADER + 2 * CT + 5000}, "error": "TamperedContainer",
     "why": "cut inside the final chunk leaving 5000 bytes of it: cannot be told from an altered final chunk"},
    {"case": "full-chunk-plus-one", "mutation": {"truncate_to": HEADER + 10}, "error": "TruncatedContainer",
     "why": "less than a tag after the header"},
    {"case": "full-chunk-plus-one", "mutation": {"truncate_to": HEADER}, "error": "TruncatedContainer",
     "why": "header only"},
    {"case": "full-chunk-plus-one", "mutation": {"truncate_to": 50}, "error": "TruncatedContainer",
     "why": "cut inside the header (magic intact)"},
    {"case": "full-chunk-plus-one", "mutation": {"truncate_to": 3}, "error": "NotAContainer",
     "why": "shorter than the magic"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [0, 0]}, "error": "NotAContainer",
     "why": "bad magic: 'F' (0x46) becomes 'G' (0x47)"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [6, 1]}, "error": "ContainerError",
     "why": "unsupported version: 1 becomes 3"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [7, 0]}, "error": "ContainerError",
     "why": "unsupported chunk size: 16 becomes 17"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [13, 4]}, "error": "WrongKey",
     "why": "altered clip id: the key check fails (indistinguishable from a wrong key)"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [40, 3]}, "error": "WrongKey",
     "why": "altered salt: the key check fails (indistinguishable from a wrong key)"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [87, 7]}, "error": "WrongKey",
     "why": "altered key check (most significant bit of the header's last byte)"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [1000, 2]}, "error": "TamperedContainer",
     "why": "altered ciphertext in chunk 0 (found when chunk 0 is read, not at open)"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [HEADER + CT + 16, 0]}, "error": "TamperedContainer",
     "why": "altered last byte (in the tag) of the final chunk"},
    {"case": "three-chunks", "mutation": {"swap_chunks": [0, 1]}, "error": "TamperedContainer",
     "why": "two middle chunks swapped (the final chunk is intact: found when chunk 0 is read)"},
    {"case": "two-full-chunks", "mutation": {"swap_chunks": [0, 1]}, "error": "TamperedContainer",
     "why": "the middle chunk and the full final chunk swapped"},
    {"case": "one-full-chunk", "mutation": {"seal_empty_final": True}, "error": "ContainerError",
     "why": "non-canonical: a full middle chunk then an empty final chunk, instead of one full final chunk"},
    {"case": "empty", "mutation": {"append_hex": "00"}, "error": "AppendedData", "extra_bytes": 1,
     "why": "one byte appended after the empty final chunk"},
    {"case": "one-full-chunk", "mutation": {"append_hex": "00"}, "error": "AppendedData", "extra_bytes": 1,
     "why": "one byte appended after a full final chunk (it spills into a chunk position of its own)"},
    {"case": "full-chunk-plus-one", "mutation": {"append_hex": "00" * 16}, "error": "AppendedData",
     "extra_bytes": 16, "why": "16 bytes appended after a short final chunk"},
    {"case": "two-full-chunks", "mutation": {"duplicate_tail": CT}, "error": "AppendedData", "extra_bytes": CT,
     "why": "the final chunk appended again: 65552 bytes, the most a reader names as appended"},
    {"case": "two-full-chunks", "mutation": {"append_zeros": CT + 1}, "error": "TamperedContainer",
     "why": "65553 bytes appended: beyond the reader's search, refused as an altered final chunk"},
    {"case": "full-chunk-plus-one", "mutation": {"wrong_key_hex": "11" * 32}, "error": "WrongKey",
     "why": "wrong clip key"},
    {"case": "full-chunk-plus-one", "mutation": {"wrong_key_hex": "11" * 31}, "error": "InvalidClipKey",
     "why": "a 31-byte key"},
    {"case": "one-byte", "mutation": {"wrong_key_hex": "11" * 33}, "error": "InvalidClipKey",
     "why": "a 33-byte key"},
    {"case": "one-byte", "mutation": {"expected_clip_id": "3f1c2b7a9d5e4f60a1b2c3d4e5f60718"}, "error": "WrongKey",
     "why": "the file belongs to another clip"},
    {"case": "one-byte", "mutation": {"expected_clip_id": "<dashed>"}, "error": "InvalidClipId",
     "why": "the file's own clip id in the dashed UUID form"},
    {"case": "one-byte", "mutation": {"expected_clip_id": "<upper>"}, "error": "InvalidClipId",
     "why": "the file's own clip id in capitals"},
]


def derive(label: str, name: str, n: int = 32) -> bytes:
    return hashlib.sha256(f"fwclip v1 test vector {label}: {name}".encode()).digest()[:n]


def uuid4_id(name: str) -> str:
    """The case's clip id: 16 derived bytes made a UUID version 4 (RFC 9562), in hex form."""
    raw = bytearray(derive("clip id", name, 16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # variant 10xx
    return raw.hex()


def pattern(n: int) -> bytes:
    """Byte i of the plaintext is (31 * i + 7) mod 251."""
    return bytes((31 * i + 7) % 251 for i in range(n))


def inputs(name: str) -> tuple[bytes, str, bytes]:
    return derive("key", name), uuid4_id(name), derive("salt", name)


def seal_empty_final(plaintext: bytes, key: bytes, clip_id: str, salt: bytes) -> bytes:
    """A non-canonical container: every chunk of ``plaintext`` sealed as a middle chunk, then an empty final one."""
    header, payload_key = container.build_header(key, clip_id, salt)
    aead = AESGCM(payload_key)
    chunks = [plaintext[i : i + 65536] for i in range(0, len(plaintext), 65536)]
    sealed = [aead.encrypt(container.chunk_nonce(i, False), chunk, header) for i, chunk in enumerate(chunks)]
    return header + b"".join(sealed) + aead.encrypt(container.chunk_nonce(len(chunks), True), b"", header)


def make_case(name: str, length: int) -> tuple[dict[str, Any], bytes]:
    key, clip_id, salt = inputs(name)
    plaintext = pattern(length)
    data = container.encrypt_bytes(plaintext, key, clip_id, salt=salt)
    header = data[: container.HEADER_SIZE]
    key_check, payload_key = container.derive_keys(key, header[:56])
    n_chunks = max(1, -(-length // container.CHUNK_SIZE))
    tags = []
    for i in range(n_chunks):
        end = min(container.HEADER_SIZE + (i + 1) * container.CT_CHUNK_SIZE, len(data))
        tags.append(data[end - container.TAG_SIZE : end].hex())
    case: dict[str, Any] = {
        "name": name,
        "clip_key": key.hex(),
        "clip_id": clip_id,
        "salt": salt.hex(),
        "plaintext_length": length,
        "plaintext_sha256": hashlib.sha256(plaintext).hexdigest(),
        "header": header.hex(),
        "key_check": key_check.hex(),
        "payload_key": payload_key.hex(),
        "chunk_count": n_chunks,
        "chunk_tags": tags,
        "container_length": len(data),
        "container_sha256": hashlib.sha256(data).hexdigest(),
    }
    if len(data) <= FULL_HEX_LIMIT:
        case["plaintext_hex"] = plaintext.hex()
        case["container_hex"] = data.hex()
    case["container_base64"] = base64.b64encode(data).decode("ascii")
    return case, data


def mutate(data: bytes, mutation: dict[str, Any]) -> bytes:
    """The bytes a reader is given for ``mutation`` of a case's container ``data`` (MUTATIONS says how)."""
    out = bytearray(data)
    if "truncate_to" in mutation:
        del out[mutation["truncate_to"] :]
    if "flip_bit" in mutation:
        offset, bit = mutation["flip_bit"]
        out[offset] ^= 1 << bit
    if "append_hex" in mutation:
        out += bytes.fromhex(mutation["append_hex"])
    if "append_zeros" in mutation:
        out += bytes(mutation["append_zeros"])
    if "duplicate_tail" in mutation:
        out += data[-mutation["duplicate_tail"] :]
    if "swap_chunks" in mutation:
        i, j = sorted(mutation["swap_chunks"])
        a, b = HEADER + i * CT, HEADER + j * CT
        out[a : a + CT], out[b : b + CT] = data[b : b + CT], data[a : a + CT]
    return bytes(out)


def make_invalid(item: dict[str, Any], cases: dict[str, tuple[dict[str, Any], bytes]]) -> dict[str, Any]:
    case, data = cases[item["case"]]
    entry = {key: value for key, value in item.items() if key != "why"}
    mutation = dict(item["mutation"])
    if mutation.get("expected_clip_id") == "<dashed>":
        raw = case["clip_id"]
        mutation["expected_clip_id"] = f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
    elif mutation.get("expected_clip_id") == "<upper>":
        mutation["expected_clip_id"] = case["clip_id"].upper()
    entry["mutation"] = mutation
    entry["why"] = item["why"]
    if mutation.get("seal_empty_final"):
        key, clip_id, salt = inputs(case["name"])
        given = seal_empty_final(pattern(case["plaintext_length"]), key, clip_id, salt)
        entry["container_sha256"] = hashlib.sha256(given).hexdigest()
        entry["container_base64"] = base64.b64encode(given).decode("ascii")
    else:
        entry["container_sha256"] = hashlib.sha256(mutate(data, mutation)).hexdigest()
    return entry


def build() -> str:
    cases = {name: make_case(name, length) for name, length in CASES}
    doc = {
        "format": "fwclip",
        "version": 1,
        "spec": "docs/clip-container.md",
        "generator": "tests/vectors/make_vectors.py",
        "plaintext_pattern": "byte i = (31 * i + 7) mod 251",
        "clip_id_form": "a UUID version 4 in hex form: 32 lowercase hex characters, no dashes (uuid4().hex)",
        "mutations": MUTATIONS,
        "cases": [case for case, _ in cases.values()],
        "invalid": [make_invalid(item, cases) for item in INVALID],
    }
    return json.dumps(doc, indent=2) + "\n"


def main(argv: list[str]) -> int:
    text = build()
    if "--check" in argv:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("vectors up to date" if same else f"{OUT} differs from the generator output")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
