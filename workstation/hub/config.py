"""Tunable limits of the hub. The defaults are the product's; tests and the demo may shrink them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HubConfig:
    session_ttl_s: int = 12 * 3600
    challenge_ttl_s: int = 60
    default_shift_size: int = 150
    max_shift_size: int = 500
    max_label_batch: int = 500
    max_body_bytes: int = 1024 * 1024
    """Every request body is JSON and small; this cap means nobody can push clip bytes to the hub."""
    download_chunk_bytes: int = 1024 * 1024
