"""Small helpers shared by the vault tests."""

from __future__ import annotations

import hashlib


def pattern(n: int, seed: str = "p") -> bytes:
    """Deterministic bytes of length ``n`` (a SHA-256 counter stream)."""
    out = bytearray()
    counter = 0
    while len(out) < n:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:n])


def words(n_words: int) -> bytes:
    """Big-endian 4-byte words whose value is their own index: any aligned slice names its offset."""
    return b"".join(i.to_bytes(4, "big") for i in range(n_words))
