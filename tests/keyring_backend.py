"""An in-memory keyring backend for tests, plugged in through the real ``keyring`` API.

Usage::

    with installed_keyring(InMemoryKeyring()) as backend:
        ...  # keyring.set_password / get_password / delete_password now use `backend`

``installed_keyring`` restores whatever keyring was active before. The backend class is marked
not ``viable`` so keyring's own auto-detection never picks it up in other tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class InMemoryKeyring(KeyringBackend):
    """Stores passwords in a dict; behaves like a real backend (delete of a missing entry raises)."""

    priority: float = 1  # keyring's threshold for a "recommended" backend
    viable = False  # never auto-detected: only used when a test installs it

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise PasswordDeleteError(f"{username!r} not found in {service!r}") from None


@contextmanager
def installed_keyring(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    """Make ``backend`` the active keyring for the block, then restore the previous one."""
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


class FileKeyring(KeyringBackend):
    """Test-only backend that keeps passwords in a JSON file, so a killed and restarted child process
    finds its keys again (like an OS keyring would). Never used outside tests."""

    priority = 1
    viable = False

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def _load(self) -> dict[str, str]:
        import json
        import os

        if not os.path.exists(self.path):
            return {}
        with open(self.path, encoding="utf-8") as f:
            data: dict[str, str] = json.load(f)
        return data

    def _save(self, data: dict[str, str]) -> None:
        import json
        import os

        tmp = self.path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\0{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\0{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\0{username}", None) is None:
            raise PasswordDeleteError(f"{username!r} not found in {service!r}")
        self._save(data)
