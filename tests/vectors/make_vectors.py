"""Regenerate tests/vectors/clip_container.json deterministically.

    python3 tests/vectors/make_vectors.py           # rewrite the file
    python3 tests/vectors/make_vectors.py --check   # exit 1 if the file differs

Every input is derived from a case name with SHA-256, so the output only changes when the
format or the implementation changes. The spec is docs/clip-container.md.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from workstation.vault import container  # noqa: E402

OUT = Path(__file__).with_name("clip_container.json")
FULL_HEX_LIMIT = 1024  # containers up to this many bytes are stored in full

CASES = [
    ("empty", 0),
    ("one-byte", 1),
    ("one-full-chunk", 65536),
    ("full-chunk-plus-one", 65537),
    ("three-chunks", 150000),
]

#: Mutations of a valid case and the error a reader must raise (class names from the spec).
INVALID: list[dict[str, Any]] = [
    {"case": "full-chunk-plus-one", "mutation": {"truncate_to": 88 + 65552}, "error": "TruncatedContainer",
     "why": "cut at a chunk boundary: the now-last chunk was sealed with last flag 0"},
    {"case": "full-chunk-plus-one", "mutation": {"truncate_to": 88 + 65552 + 10}, "error": "TruncatedContainer",
     "why": "final chunk shorter than a tag"},
    {"case": "full-chunk-plus-one", "mutation": {"truncate_to": 88}, "error": "TruncatedContainer",
     "why": "header only"},
    {"case": "full-chunk-plus-one", "mutation": {"truncate_to": 50}, "error": "TruncatedContainer",
     "why": "cut inside the header (magic intact)"},
    {"case": "full-chunk-plus-one", "mutation": {"truncate_to": 3}, "error": "NotAContainer",
     "why": "shorter than the magic"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [0, 0]}, "error": "NotAContainer",
     "why": "bad magic"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [6, 1]}, "error": "ContainerError",
     "why": "unsupported version"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [7, 0]}, "error": "ContainerError",
     "why": "unsupported chunk size"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [40, 3]}, "error": "WrongKey",
     "why": "altered salt: the key check fails (indistinguishable from a wrong key)"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [87, 7]}, "error": "WrongKey",
     "why": "altered key check"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [1000, 2]}, "error": "TamperedContainer",
     "why": "altered ciphertext in chunk 0 (found when chunk 0 is read)"},
    {"case": "full-chunk-plus-one", "mutation": {"flip_bit": [88 + 65552 + 16, 0]}, "error": "TamperedContainer",
     "why": "altered last byte (in the tag) of the final chunk"},
    {"case": "full-chunk-plus-one", "mutation": {"append_hex": "00" * 16}, "error": "TamperedContainer",
     "why": "data appended after the final chunk"},
    {"case": "full-chunk-plus-one", "mutation": {"wrong_key_hex": "11" * 32}, "error": "WrongKey",
     "why": "wrong clip key"},
    {"case": "one-byte", "mutation": {"expected_clip_id": "0" * 32}, "error": "WrongKey",
     "why": "file belongs to another clip"},
]


def derive(label: str, name: str, n: int = 32) -> bytes:
    return hashlib.sha256(f"fwclip v1 test vector {label}: {name}".encode()).digest()[:n]


def pattern(n: int) -> bytes:
    """Byte i of the plaintext is (31 * i + 7) mod 251."""
    return bytes((31 * i + 7) % 251 for i in range(n))


def make_case(name: str, length: int) -> dict[str, Any]:
    key, clip_id, salt = derive("key", name), derive("clip id", name, 16).hex(), derive("salt", name)
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
    return case


def build() -> str:
    doc = {
        "format": "fwclip",
        "version": 1,
        "spec": "docs/clip-container.md",
        "generator": "tests/vectors/make_vectors.py",
        "plaintext_pattern": "byte i = (31 * i + 7) mod 251",
        "cases": [make_case(name, length) for name, length in CASES],
        "invalid": INVALID,
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
