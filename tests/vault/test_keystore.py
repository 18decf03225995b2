"""Key stores through the real ``keyring`` API (test backends plugged with keyring.set_keyring)."""

from __future__ import annotations

import base64
import os
import types
from collections.abc import Iterator
from typing import Any

import keyring
import keyring.backends.Windows as windows_backend
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from tests.keyring_backend import InMemoryKeyring, installed_keyring
from workstation.errors import WorkstationError
from workstation.vault.keystore import (
    SERVICE,
    KeyringKeyStore,
    KeyStore,
    KeyStoreError,
    MemoryKeyStore,
    NoSecureKeyring,
    open_keystore,
    secure_keyring_status,
)


class PlaintextKeyring(InMemoryKeyring):
    """Named like keyrings.alt's file backend, and claims a high priority: still refused."""

    priority = 5


class LowPriorityKeyring(InMemoryKeyring):
    priority = 0.5


class AltModuleKeyring(InMemoryKeyring):
    priority = 3


AltModuleKeyring.__module__ = "keyrings.alt.Windows"


class NotViableKeyring(InMemoryKeyring):
    """Like keyring's platform backends on the wrong platform: reading the priority raises."""


def _not_viable(cls: type) -> float:
    raise RuntimeError("Requires a desktop session")


NotViableKeyring.priority = classmethod(property(_not_viable))  # type: ignore[assignment,arg-type]


class HighPriorityKeyring(InMemoryKeyring):
    priority = 9


# --------------------------------------------------------------------------- real keyring API


def test_round_trip_through_keyring(memory_keyring: InMemoryKeyring) -> None:
    store: KeyStore = KeyringKeyStore()
    assert store.kind == "keyring"
    secret = os.urandom(32) + b"\x00\xff"
    store.put("shift:abc", secret)
    stored = memory_keyring.passwords[(SERVICE, "shift:abc")]
    assert base64.b64decode(stored) == secret  # base64 text in the keyring
    assert keyring.get_password(SERVICE, "shift:abc") == stored  # the real API sees it
    assert store.get("shift:abc") == secret
    store.put("shift:abc", b"new")
    assert store.get("shift:abc") == b"new"
    store.delete("shift:abc")
    assert store.get("shift:abc") is None
    store.delete("shift:abc")  # absent: no error
    store.delete("never-existed")


def test_custom_service(memory_keyring: InMemoryKeyring) -> None:
    KeyringKeyStore(service="other-app").put("k", b"v")
    assert ("other-app", "k") in memory_keyring.passwords


def test_damaged_entry(memory_keyring: InMemoryKeyring) -> None:
    memory_keyring.passwords[(SERVICE, "k")] = "not base64!!"
    with pytest.raises(KeyStoreError, match="damaged"):
        KeyringKeyStore().get("k")


def test_backend_errors_become_clear_errors(memory_keyring: InMemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    store = KeyringKeyStore()

    def locked(*args: Any) -> None:
        raise keyring.errors.KeyringLocked("the keychain is locked")

    monkeypatch.setattr(memory_keyring, "set_password", locked)
    monkeypatch.setattr(memory_keyring, "get_password", locked)
    with pytest.raises(KeyStoreError, match="refused to store"):
        store.put("k", b"v")
    with pytest.raises(KeyStoreError, match="could not be read"):
        store.get("k")


def test_delete_that_does_not_delete_is_reported(memory_keyring: InMemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    store = KeyringKeyStore()
    store.put("k", b"v")
    monkeypatch.setattr(memory_keyring, "delete_password", lambda service, user: None)
    with pytest.raises(KeyStoreError, match="still holds"):
        store.delete("k")


def test_status_ok(memory_keyring: InMemoryKeyring) -> None:
    ok, description = secure_keyring_status()
    assert ok and "InMemoryKeyring" in description and "priority 1" in description


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "backend, reason",
    [
        (fail.Keyring(), "fail backend"),  # type: ignore[no-untyped-call]
        (null.Keyring(), "null backend"),  # type: ignore[no-untyped-call]
        (PlaintextKeyring(), "keeps secrets in a file"),
        (AltModuleKeyring(), "keeps secrets in a file"),
        (LowPriorityKeyring(), "priority 0.5 is below 1"),
        (NotViableKeyring(), "cannot run on this machine"),
    ],
    ids=["fail", "null", "plaintext-name", "keyrings.alt", "priority<1", "not-viable"],
)
def test_insecure_backends_are_refused(backend: KeyringBackend, reason: str) -> None:
    with installed_keyring(backend):
        ok, description = secure_keyring_status()
        assert not ok and reason in description
        with pytest.raises(NoSecureKeyring) as info:
            KeyringKeyStore()
        with pytest.raises(NoSecureKeyring):
            open_keystore("keyring")
    error = info.value
    assert isinstance(error, WorkstationError)
    assert str(error).startswith("There is no secure keyring on this machine (")
    assert str(error).endswith("and the app will not store keys in a plain file.")
    assert reason in str(error)
    assert 'key_store = "memory"' in error.hint


@pytest.fixture
def chained(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[KeyringBackend]]:
    items: list[KeyringBackend] = []
    monkeypatch.setattr(chainer.ChainerBackend, "backends", items)
    with installed_keyring(chainer.ChainerBackend()):  # type: ignore[no-untyped-call]
        yield items


def test_chainer_without_backends_is_refused(chained: list[KeyringBackend]) -> None:
    with pytest.raises(NoSecureKeyring, match="no system keyring to chain"):
        KeyringKeyStore()


def test_chainer_of_secure_backends_is_accepted(chained: list[KeyringBackend]) -> None:
    chained += [HighPriorityKeyring(), InMemoryKeyring()]
    ok, description = secure_keyring_status()
    assert ok and description.startswith("a chain of")
    KeyringKeyStore().put("k", b"v")
    assert KeyringKeyStore().get("k") == b"v"


def test_chainer_with_a_plaintext_fallback_is_refused(chained: list[KeyringBackend]) -> None:
    chained += [HighPriorityKeyring(), PlaintextKeyring()]
    with pytest.raises(NoSecureKeyring, match="part of the keyring chain"):
        KeyringKeyStore()


def test_check_repeated_on_put(memory_keyring: InMemoryKeyring) -> None:
    store = KeyringKeyStore()
    with installed_keyring(fail.Keyring()), pytest.raises(NoSecureKeyring):  # type: ignore[no-untyped-call]
        store.put("k", b"v")


# --------------------------------------------------------------------------- Windows persistence


class FakeWin32Cred:
    """Just enough of pywin32's win32cred for keyring's WinVaultKeyring."""

    CRED_TYPE_GENERIC = 1
    CRED_PERSIST_SESSION = 1
    CRED_PERSIST_LOCAL_MACHINE = 2
    CRED_PERSIST_ENTERPRISE = 3

    def __init__(self, error: type[Exception]) -> None:
        self.error = error
        self.store: dict[str, dict[str, Any]] = {}

    def CredWrite(self, credential: dict[str, Any], flags: int) -> None:
        self.store[credential["TargetName"]] = dict(credential)

    def CredRead(self, Type: int, TargetName: str) -> dict[str, Any]:
        if TargetName not in self.store:
            raise self.error(1168, "CredRead", "Element not found.")
        cred = self.store[TargetName]
        return {"UserName": cred["UserName"], "CredentialBlob": cred["CredentialBlob"].encode("utf-16-le")}

    def CredDelete(self, Type: int, TargetName: str) -> None:
        if self.store.pop(TargetName, None) is None:
            raise self.error(1168, "CredDelete", "Element not found.")


class FakePyWinError(Exception):
    def __init__(self, winerror: int, funcname: str, strerror: str) -> None:
        super().__init__(winerror, funcname, strerror)
        self.winerror, self.funcname, self.strerror = winerror, funcname, strerror


@pytest.fixture
def fake_windows(monkeypatch: pytest.MonkeyPatch) -> FakeWin32Cred:
    cred = FakeWin32Cred(FakePyWinError)
    monkeypatch.setattr(windows_backend, "win32cred", cred, raising=False)
    monkeypatch.setattr(windows_backend, "pywintypes", types.SimpleNamespace(error=FakePyWinError), raising=False)
    monkeypatch.setattr(windows_backend, "missing_deps", False)
    return cred


def test_windows_credentials_use_local_machine_persistence(fake_windows: FakeWin32Cred) -> None:
    backend = windows_backend.WinVaultKeyring()  # type: ignore[no-untyped-call]
    assert backend.persist == FakeWin32Cred.CRED_PERSIST_ENTERPRISE  # keyring's roaming default
    with installed_keyring(backend):
        ok, description = secure_keyring_status()
        assert ok and description.startswith("Windows Credential Manager")
        store = KeyringKeyStore()
        assert backend.persist == FakeWin32Cred.CRED_PERSIST_LOCAL_MACHINE
        store.put("device", b"\x01\x02")
        assert fake_windows.store[SERVICE]["Persist"] == FakeWin32Cred.CRED_PERSIST_LOCAL_MACHINE
        assert store.get("device") == b"\x01\x02"
        store.delete("device")
        assert store.get("device") is None and fake_windows.store == {}
        store.delete("device")  # absent: no error


def test_windows_persistence_inside_a_chain(fake_windows: FakeWin32Cred, chained: list[KeyringBackend]) -> None:
    backend = windows_backend.WinVaultKeyring()  # type: ignore[no-untyped-call]
    chained.append(backend)
    KeyringKeyStore().put("k", b"v")
    assert fake_windows.store[SERVICE]["Persist"] == FakeWin32Cred.CRED_PERSIST_LOCAL_MACHINE


# --------------------------------------------------------------------------- memory store and factory


def test_memory_store() -> None:
    store: KeyStore = MemoryKeyStore()
    assert store.kind == "memory"
    assert store.get("k") is None
    store.put("k", b"secret")
    assert store.get("k") == b"secret"
    store.delete("k")
    store.delete("k")
    assert store.get("k") is None
    assert MemoryKeyStore().get("k") is None  # nothing shared, nothing persisted


def test_open_keystore(memory_keyring: InMemoryKeyring) -> None:
    assert isinstance(open_keystore("memory"), MemoryKeyStore)
    assert isinstance(open_keystore("keyring"), KeyringKeyStore)
    with pytest.raises(ValueError):
        open_keystore("file")  # type: ignore[arg-type]


def test_names_are_checked() -> None:
    with pytest.raises(ValueError):
        MemoryKeyStore().put("", b"x")


def test_previous_keyring_is_restored() -> None:
    before = keyring.get_keyring()
    with installed_keyring(InMemoryKeyring()):
        assert keyring.get_keyring() is not before
    assert keyring.get_keyring() is before
