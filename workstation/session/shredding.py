"""``shred [--all-users]``: remove every shift key and clip cache folder of the app from this PC.

For the account that runs it: each shift the local store knows is crypto-shredded the way sign-out does it
(its private key and offline verifier leave the key store, its sealed clip keys leave the store, its cache
folder is deleted, an audit ``shred`` event is written), then every other key the seat listed in its key
index (except the seat's device key, which keeps the PC enrolled) and every cache folder of the app. Labels
and audit events not yet at the hub are kept: they are counted and said, never deleted.

``--all-users`` (IT, as administrator; the uninstaller runs it) also deletes the clip cache folders under
every user profile of this PC and the policy's ``cache_dir``. Other accounts' OS keyrings cannot be opened
from here: their shift keys stay until they expire (``shift_key_hours``) or that user signs in again, and
they open nothing once the ciphertext is gone. Idempotent: a second run finds nothing and says so.

Protects against: clips staying readable on a PC that leaves the floor or loses the app. Does not protect
against: copies made before (the container is encrypted; only a leaked key would matter) or a backup of the
disk taken while a shift was open.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from workstation import APP_NAME
from workstation.labeling.shift import ShiftService
from workstation.labeling.store import DamagedStore, LocalStore
from workstation.policy import Policy
from workstation.session.enrollment import DEVICE_KEY_NAME
from workstation.session.seat import STORE_NAME
from workstation.vault.cache import ClipCache
from workstation.vault.keystore import INDEX_NAME, KeyStore, KeyStoreError, TrackedKeyStore


@dataclass
class ShredReport:
    """What a shred removed, what it could not reach, and what it kept on purpose."""

    shifts: int = 0
    keys: int = 0
    folders: list[Path] = field(default_factory=list)
    not_reached: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """Folders that exist but could not be deleted (the command then exits 1)."""
    pending_labels: int = 0
    pending_audit: int = 0

    def lines(self) -> list[str]:
        out = [f"shifts shredded: {self.shifts}", f"keys removed: {self.keys}",
               f"cache folders removed: {len(self.folders)}"]
        out += [f"  {folder}" for folder in self.folders]
        if not (self.shifts or self.keys or self.folders):
            out.append("nothing to shred: no shift key or cache folder of the app was found")
        if self.pending_labels or self.pending_audit:
            out.append(f"kept: {self.pending_labels} label(s) and {self.pending_audit} audit event(s) not yet at the "
                       "hub; they sync when this account signs in again")
        out += [f"not reached: {why}" for why in self.not_reached]
        out += [f"COULD NOT DELETE {what}" for what in self.failed]
        return out


def shred_this_account(policy: Policy | None, keystore: KeyStore | None, data_dir: Path,
                       cache_dirs: Iterable[Path] = ()) -> ShredReport:
    """Shred every shift of this account's seat store, every listed key but the device key, and the cache folders.

    ``keystore`` None: no OS keyring is reachable (nothing of this account's keys can be removed; said so).
    """
    report = ShredReport()
    tracked = TrackedKeyStore(keystore) if keystore is not None else None
    cache_root = (policy.cache_dir if policy is not None and policy.cache_dir else None) or data_dir / "cache"
    store_path = data_dir / STORE_NAME
    if store_path.exists() and tracked is not None:
        try:
            store = LocalStore(store_path)
        except DamagedStore as exc:
            report.not_reached.append(f"the local store {store_path} is damaged ({exc.why}); its listed keys are "
                                      "removed below")
        else:
            try:
                cache = ClipCache(cache_root)
                cached = set(cache.shifts())
                service = ShiftService(store, tracked, cache)
                for record in store.shifts():
                    if record.shift_id not in cached and not _has_key(tracked, record.shift_id):
                        continue  # shredded before: nothing of it is left here
                    service.shred(record.shift_id, "shred_command")
                    report.shifts += 1
                report.pending_labels = store.pending_count()
                report.pending_audit = store.unsent_audit_count()
            finally:
                store.close()
    if tracked is not None:
        for name in tracked.names():
            if name in (DEVICE_KEY_NAME, INDEX_NAME):
                continue
            tracked.delete(name)
            report.keys += 1
    elif keystore is None:
        report.not_reached.append("this account has no OS keyring in use (or none can be opened): no stored key "
                                  "to remove here")
    for folder in dict.fromkeys([cache_root, *cache_dirs]):
        _remove(folder, report)
    return report


def _has_key(store: TrackedKeyStore, shift_id: str) -> bool:
    from workstation.labeling.shift import shift_key_name

    return store.get(shift_key_name(shift_id)) is not None


def _remove(folder: Path, report: ShredReport) -> None:
    if not folder.exists():
        return
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        report.failed.append(f"{folder}: {exc.strerror or exc}")
        return
    report.folders.append(folder)


def account_cache_dirs(home: Path, platform: str = sys.platform) -> list[Path]:
    """Where the app keeps clip caches under one user profile ``home`` (the OS's per-user folder conventions)."""
    if platform == "win32":
        local = home / "AppData" / "Local" / APP_NAME
        return [local / "cache", local / "Cache"]
    if platform == "darwin":
        return [home / "Library" / "Application Support" / APP_NAME / "cache", home / "Library" / "Caches" / APP_NAME]
    return [home / ".local" / "share" / APP_NAME / "cache", home / ".cache" / APP_NAME]


def this_account_cache_dirs() -> list[Path]:
    """This account's cache folders where platformdirs puts them (honours ``XDG_*`` on Linux)."""
    data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return [data / "cache", Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))]


def profile_homes(platform: str = sys.platform) -> list[Path]:
    """Every user profile folder of this PC (those the running account may list)."""
    roots = {"win32": [Path("C:/Users")], "darwin": [Path("/Users")]}.get(platform, [Path("/home")])
    homes = [p for root in roots if root.is_dir() for p in sorted(root.iterdir()) if p.is_dir()]
    if platform not in ("win32", "darwin") and Path("/root").is_dir():
        homes.append(Path("/root"))
    return homes


def shred_all_accounts(policy: Policy | None, report: ShredReport, homes: Iterable[Path],
                       platform: str = sys.platform) -> ShredReport:
    """Add to ``report``: every profile's cache folders and the policy's ``cache_dir`` deleted."""
    for home in homes:
        for folder in account_cache_dirs(home, platform):
            _remove(folder, report)
    if policy is not None and policy.cache_dir is not None:
        _remove(policy.cache_dir, report)
    report.not_reached.append("other accounts' OS keyrings cannot be opened from here: their shift keys expire "
                              "on their own and open nothing without the deleted cache")
    return report


def open_account_keystore(policy: Policy | None) -> KeyStore | None:
    """This account's key store as the policy names it; None when there is no secure one (or only memory)."""
    from workstation.vault.keystore import open_keystore

    mode = policy.key_store if policy is not None else "keyring"
    if mode == "memory":
        return None
    try:
        store = open_keystore(mode)
        store.get(INDEX_NAME)  # a keyring refusing access shows here
    except KeyStoreError:
        return None
    return store
