"""``shred [--all-users]``: every shift key and clip cache folder of the app leaves the PC; the device key, the
labels and audit events not yet at the hub stay; a second run finds nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.hub_fixtures import PASSWORD
from tests.keyring_backend import InMemoryKeyring
from tests.seat_fixtures import AtSeat
from workstation.hub.service import HubService
from workstation.labeling.shift import shift_key_name, verifier_key_name
from workstation.policy import Policy
from workstation.session.enrollment import DEVICE_KEY_NAME
from workstation.session.seat import Seat
from workstation.session.shredding import (
    account_cache_dirs,
    open_account_keystore,
    shred_all_accounts,
    shred_this_account,
)
from workstation.vault.keystore import KeyringKeyStore

ROOT = Path(__file__).resolve().parents[2]


def key_names(backend: InMemoryKeyring) -> set[str]:
    return {name for (_service, name) in backend.passwords}


def test_shred_removes_the_shift_keys_and_the_cache_and_keeps_pending_labels(
        at_seat: AtSeat, seat: Seat, hub: tuple[HubService, object, str], keyring_backend: InMemoryKeyring) -> None:
    state = at_seat.sign_in("ana", PASSWORD)
    shift_id = state.record.shift_id
    clip = state.clips[0]
    seat.store.add_label(shift_id, clip.clip_id, "person", shown_at="2026-12-04T10:00:00.000Z",
                         decided_at="2026-12-04T10:00:03.000Z")
    assert {shift_key_name(shift_id), verifier_key_name(shift_id), DEVICE_KEY_NAME} <= key_names(keyring_backend)
    assert (seat.cache.root / shift_id).is_dir()
    data_dir = seat.data_dir
    policy = seat.policy
    seat.close()

    report = shred_this_account(policy, KeyringKeyStore(), data_dir)
    assert report.shifts == 1 and report.keys == 0  # the shift's keys went with the shift
    assert shift_key_name(shift_id) not in key_names(keyring_backend)
    assert verifier_key_name(shift_id) not in key_names(keyring_backend)
    assert DEVICE_KEY_NAME in key_names(keyring_backend)  # the PC stays enrolled
    assert not (data_dir / "cache").exists() and report.folders == [data_dir / "cache"]
    assert report.pending_labels == 1 and any("not yet at the hub" in line for line in report.lines())

    again = Seat.open(policy, data_dir=data_dir)
    try:
        assert again.store.pending_count() == 1  # the label waits for its author
        kinds = [e["kind"] for device in again.store.verify_audit() for e in again.store.audit_events(device)]
        assert "shred" in kinds and not again.audit_breaks
    finally:
        again.close()

    second = shred_this_account(policy, KeyringKeyStore(), data_dir)
    assert (second.shifts, second.keys, second.folders) == (0, 0, [])
    assert "nothing to shred" in "\n".join(second.lines())


def test_listed_keys_of_an_unreadable_store_are_removed_too(tmp_path: Path, keyring_backend: InMemoryKeyring) -> None:
    from workstation.vault.keystore import TrackedKeyStore

    tracked = TrackedKeyStore(KeyringKeyStore())
    tracked.put(shift_key_name("a" * 32), b"k" * 32)
    tracked.put(DEVICE_KEY_NAME, b"d" * 32)
    data_dir = tmp_path / "ws"
    data_dir.mkdir()
    (data_dir / "workstation.sqlite").write_bytes(b"this is not a database" * 100)
    report = shred_this_account(Policy(hub_url="http://127.0.0.1:1"), KeyringKeyStore(), data_dir)
    assert report.keys == 1 and any("damaged" in line for line in report.not_reached)
    assert key_names(keyring_backend) >= {DEVICE_KEY_NAME} and shift_key_name("a" * 32) not in key_names(keyring_backend)


def test_all_users_removes_every_profiles_cache(tmp_path: Path) -> None:
    homes = [tmp_path / "home" / "ana", tmp_path / "home" / "ben", tmp_path / "home" / "empty"]
    made = []
    for home, platform in ((homes[0], "linux"), (homes[1], "linux")):
        for folder in account_cache_dirs(home, platform):
            (folder / ("c" * 32)).mkdir(parents=True)
            (folder / ("c" * 32) / "clip.enc").write_bytes(b"ciphertext")
            made.append(folder)
    homes[2].mkdir(parents=True)
    shared = tmp_path / "shared-cache"
    (shared / "x").mkdir(parents=True)
    from workstation.session.shredding import ShredReport

    report = shred_all_accounts(Policy(hub_url="http://127.0.0.1:1", cache_dir=shared), ShredReport(), homes, "linux")
    assert sorted(report.folders) == sorted([*made, shared])
    assert not any(folder.exists() for folder in made) and not shared.exists()
    assert any("keyrings" in why for why in report.not_reached) and not report.failed
    again = shred_all_accounts(None, ShredReport(), homes, "linux")
    assert again.folders == []


def test_profile_cache_places_per_os(tmp_path: Path) -> None:
    win = account_cache_dirs(Path("C:/Users/ana"), "win32")
    assert Path("C:/Users/ana/AppData/Local/floor-workstation/cache") in win
    mac = account_cache_dirs(Path("/Users/ana"), "darwin")
    assert Path("/Users/ana/Library/Caches/floor-workstation") in mac


def test_no_keyring_is_said_not_hidden(tmp_path: Path) -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    from tests.keyring_backend import installed_keyring

    with installed_keyring(FailKeyring()):
        assert open_account_keystore(None) is None
    assert open_account_keystore(Policy(hub_url="http://127.0.0.1:1", key_store="memory")) is None
    report = shred_this_account(None, None, tmp_path / "ws")
    assert report.not_reached and "keyring" in report.not_reached[0]


def test_the_command_is_idempotent(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    cache = tmp_path / "data" / "floor-workstation" / "cache" / ("d" * 32)
    cache.mkdir(parents=True)
    (cache / "clip").write_bytes(b"ciphertext")

    def shred() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "workstation", "shred"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120, check=False)

    first = shred()
    assert first.returncode == 0, first.stderr
    assert "cache folders removed: 1" in first.stdout and not cache.parent.exists()
    assert "Traceback" not in first.stderr
    second = shred()
    assert second.returncode == 0 and "nothing to shred" in second.stdout
