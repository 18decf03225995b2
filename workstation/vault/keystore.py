"""Where the workstation keeps its secrets (device key, shift private key).

Two stores:

* :class:`KeyringKeyStore` — the OS keyring through the real ``keyring`` API (Windows Credential
  Manager with *local machine* persistence, macOS Keychain, Secret Service). It refuses to run
  on keyring's ``fail``/``null`` backends, on a chainer without real backends, and on file-based
  or otherwise non-recommended backends (``keyrings.alt``, ``keyrings.cryptfile``, priority < 1).
* :class:`MemoryKeyStore` — process memory only, chosen by machine policy
  (``key_store = "memory"``). Secrets are lost when the process exits, by design: a crashed
  shift re-fetches its clips; labels are kept elsewhere.

Protects against:
  * secrets landing in a plain file or in the app's own database;
  * a silent fallback to an insecure backend when no keyring exists (it refuses instead);
  * Windows credentials roaming with the user profile to other machines (local-machine
    persistence instead of the enterprise default).

Does NOT protect against:
  * malware or an administrator running as the same user: the OS keyring hands secrets to any
    process of that user once unlocked;
  * memory inspection of this process (both stores hold the secret in memory while used);
  * a misbehaving keyring backend that reports a high priority while storing in the clear.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from typing import Final, Protocol

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.backends.Windows import WinVaultKeyring  # importable everywhere; usable on Windows only

from workstation.errors import WorkstationError

SERVICE: Final = "floor-workstation"

#: Backends that keep secrets in a file (plain or self-encrypted) or that are known to be unsafe.
INSECURE_MODULE_PREFIXES: Final = ("keyrings.alt", "keyrings.cryptfile", "keyring.backends.null")
INSECURE_CLASS_NAMES: Final = frozenset(
    {"PlaintextKeyring", "EncryptedKeyring", "CryptFileKeyring", "UncryptedFileKeyring", "EnvironCredential"}
)

_FRIENDLY: Final = {
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Manager",
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.SecretService.Keyring": "Secret Service (GNOME Keyring / KeePassXC)",
    "keyring.backends.libsecret.Keyring": "Secret Service via libsecret",
    "keyring.backends.kwallet.DBusKeyring": "KDE Wallet",
    "keyring.backends.fail.Keyring": "keyring's fail backend",
    "keyring.backends.null.Keyring": "keyring's null backend",
}

_HINT_POLICY: Final = (
    'IT can set key_store = "memory" in the machine policy, or install a system keyring '
    "(Secret Service / KWallet on Linux)."
)


class KeyStoreError(WorkstationError):
    """The key store failed to store, read or delete a secret."""


class NoSecureKeyring(KeyStoreError):
    """No secure OS keyring is available; the app refuses to store keys elsewhere."""


class KeyStore(Protocol):
    """Named secrets. ``delete`` of an absent name is not an error."""

    @property
    def kind(self) -> str: ...

    def put(self, name: str, secret: bytes) -> None: ...

    def get(self, name: str) -> bytes | None: ...

    def delete(self, name: str) -> None: ...


# --------------------------------------------------------------------------- backend checks


def _qualname(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__name__}"


def _priority(backend: KeyringBackend) -> float | None:
    try:
        return float(backend.priority)
    except Exception:  # noqa: BLE001 - a non-viable backend raises from its priority
        return None


def describe_backend(backend: KeyringBackend) -> str:
    """A human description such as ``Windows Credential Manager (keyring.backends...)``."""
    name = _qualname(backend)
    if isinstance(backend, chainer.ChainerBackend):
        inner = ", ".join(describe_backend(b) for b in backend.backends) or "nothing"
        return f"a chain of {inner}"
    priority = _priority(backend)
    shown = "not usable here" if priority is None else f"priority {priority:g}"
    friendly = _FRIENDLY.get(name)
    return f"{friendly} ({name}, {shown})" if friendly else f"{name} ({shown})"


def backend_problem(backend: KeyringBackend) -> str | None:
    """Why ``backend`` is not a secure keyring, or ``None`` when it is acceptable."""
    name = _qualname(backend)
    if isinstance(backend, fail.Keyring):
        return "only keyring's fail backend is available: no system keyring is running"
    if isinstance(backend, null.Keyring):
        return "keyring is set to its null backend, which discards secrets"
    if isinstance(backend, chainer.ChainerBackend):
        inner = list(backend.backends)
        if not inner:
            return "keyring found no system keyring to chain"
        for item in inner:
            problem = backend_problem(item)
            if problem is not None:
                return f"{describe_backend(item)} is part of the keyring chain: {problem}"
        return None
    if name.startswith(INSECURE_MODULE_PREFIXES) or type(backend).__name__ in INSECURE_CLASS_NAMES:
        return f"{name} keeps secrets in a file, not in a system keyring"
    priority = _priority(backend)
    if priority is None:
        return f"{name} cannot run on this machine"
    if priority < 1:
        return f"keyring does not recommend {name} (priority {priority:g} is below 1)"
    return None


def secure_keyring_status() -> tuple[bool, str]:
    """(ok, human description of the active keyring and, if not ok, why)."""
    backend = keyring.get_keyring()
    problem = backend_problem(backend)
    description = describe_backend(backend)
    if problem is None:
        return True, description
    return False, f"{description}: {problem}"


def _prefer_local_machine(backend: KeyringBackend) -> None:
    """Windows Credential Manager: store with CRED_PERSIST_LOCAL_MACHINE, not ENTERPRISE (roaming).

    keyring's ``WinVaultKeyring.persist`` descriptor accepts ``"local machine"`` and maps it to
    ``win32cred.CRED_PERSIST_LOCAL_MACHINE``; the backend instances are cached by keyring, so
    setting it once sticks. Only runs where such a backend is active (Windows).
    """
    items = backend.backends if isinstance(backend, chainer.ChainerBackend) else [backend]
    for item in items:
        if isinstance(item, WinVaultKeyring):
            item.persist = "local machine"


# --------------------------------------------------------------------------- stores


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not name or len(name) > 200:
        raise ValueError("a secret name must be a non-empty string of at most 200 characters")
    return name


class KeyringKeyStore:
    """Secrets in the OS keyring, base64-encoded, under ``service`` with the secret's name as user."""

    kind: Final = "keyring"

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service
        self._check()
        _prefer_local_machine(keyring.get_keyring())

    @staticmethod
    def _check() -> None:
        problem = backend_problem(keyring.get_keyring())
        if problem is not None:
            raise NoSecureKeyring(
                f"There is no secure keyring on this machine ({problem}), "
                "and the app will not store keys in a plain file.",
                hint=_HINT_POLICY,
            )

    def put(self, name: str, secret: bytes) -> None:
        self._check()
        encoded = base64.b64encode(bytes(secret)).decode("ascii")
        try:
            keyring.set_password(self.service, _check_name(name), encoded)
        except keyring.errors.KeyringError as exc:
            raise KeyStoreError(
                f"The system keyring refused to store the key {name!r}: {exc or type(exc).__name__}.",
                hint="Unlock the system keyring (sign in to the desktop again) and retry; if it keeps failing, tell IT.",
            ) from exc

    def get(self, name: str) -> bytes | None:
        try:
            encoded = keyring.get_password(self.service, _check_name(name))
        except keyring.errors.KeyringError as exc:
            raise KeyStoreError(
                f"The system keyring could not be read for the key {name!r}: {exc or type(exc).__name__}.",
                hint="Unlock the system keyring (sign in to the desktop again) and retry; if it keeps failing, tell IT.",
            ) from exc
        if encoded is None:
            return None
        try:
            return base64.b64decode(encoded.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError) as exc:
            raise KeyStoreError(
                f"The key {name!r} in the system keyring is damaged (it is not valid base64).",
                hint="Sign out and start a new shift; IT can remove the damaged entry from the keyring.",
            ) from exc

    def delete(self, name: str) -> None:
        try:
            keyring.delete_password(self.service, _check_name(name))
        except keyring.errors.PasswordDeleteError:
            pass  # absent: nothing to delete (checked below)
        except keyring.errors.KeyringError as exc:
            raise KeyStoreError(
                f"The system keyring could not delete the key {name!r}: {exc or type(exc).__name__}.",
                hint="Retry; if it keeps failing, IT must remove the entry from the keyring.",
            ) from exc
        if self.get(name) is not None:
            raise KeyStoreError(
                f"The system keyring still holds the key {name!r} after deleting it.",
                hint="IT must remove the entry from the keyring by hand.",
            )


class MemoryKeyStore:
    """Secrets in a dict in process memory: lost when the process exits, by design."""

    kind: Final = "memory"

    def __init__(self) -> None:
        self._secrets: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def put(self, name: str, secret: bytes) -> None:
        with self._lock:
            self._secrets[_check_name(name)] = bytes(secret)

    def get(self, name: str) -> bytes | None:
        with self._lock:
            return self._secrets.get(_check_name(name))

    def delete(self, name: str) -> None:
        with self._lock:
            self._secrets.pop(_check_name(name), None)


def open_keystore(mode: str) -> KeyStore:
    """The store the machine policy names: ``"keyring"`` (may raise NoSecureKeyring) or ``"memory"``."""
    if mode == "keyring":
        return KeyringKeyStore()
    if mode == "memory":
        return MemoryKeyStore()
    raise ValueError(f"unknown key store {mode!r}: use 'keyring' or 'memory'")


INDEX_NAME: Final = "seat-key-index"
"""The key store entry that lists the names a :class:`TrackedKeyStore` holds."""


class TrackedKeyStore:
    """A key store that also keeps the list of its secrets' names (in one more entry of the same store).

    OS keyrings cannot list what an app put in them. The seat needs that list when its local store is
    found damaged: every shift key it made must then be shredded although the store that named them
    cannot be read. Protects against shift keys outliving an unreadable store; nothing else.
    """

    def __init__(self, inner: KeyStore) -> None:
        self.inner = inner
        self._lock = threading.Lock()

    @property
    def kind(self) -> str:
        return self.inner.kind

    def names(self) -> list[str]:
        raw = self.inner.get(INDEX_NAME)
        if not raw:
            return []
        try:
            names = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return []
        return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []

    def _set_names(self, names: list[str]) -> None:
        self.inner.put(INDEX_NAME, json.dumps(sorted(set(names))).encode("utf-8"))

    def put(self, name: str, secret: bytes) -> None:
        with self._lock:
            names = self.names()
            if name not in names:
                self._set_names([*names, name])  # listed first: a crash in between leaves a name, never a secret
            self.inner.put(name, secret)

    def get(self, name: str) -> bytes | None:
        return self.inner.get(name)

    def delete(self, name: str) -> None:
        with self._lock:
            self.inner.delete(name)
            names = self.names()
            if name in names:
                self._set_names([n for n in names if n != name])
