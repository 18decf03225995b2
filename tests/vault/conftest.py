"""Shared fixtures for the vault tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.keyring_backend import InMemoryKeyring, installed_keyring


@pytest.fixture
def memory_keyring() -> Iterator[InMemoryKeyring]:
    """The real keyring API, backed by a dict; the previous keyring is restored afterwards."""
    backend = InMemoryKeyring()
    with installed_keyring(backend):
        yield backend


@pytest.fixture
def clip_key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def clip_id() -> str:
    return os.urandom(16).hex()

