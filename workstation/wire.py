"""Byte strings both ends of the hub protocol must agree on, defined once."""

from __future__ import annotations

SIGNIN_CONTEXT = b"fws-signin-v1\0"


def signin_message(nonce: bytes, username: str) -> bytes:
    """What a seat signs with its device key to sign in (CONTRACTS.md)."""
    return SIGNIN_CONTEXT + nonce + b"\0" + username.encode("utf-8")
