"""This seat's identity with the hub: its Ed25519 device key (in the key store) and its enrollment."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from workstation.labeling.store import LocalStore
from workstation.sync.client import HubClient
from workstation.sync.errors import HubRejected
from workstation.vault.keystore import KeyStore

DEVICE_KEY_NAME = "device-key"


@dataclass(frozen=True)
class DeviceState:
    device_id: str
    status: str
    enrollment_code: str = ""


def device_key(keystore: KeyStore) -> bytes:
    """This seat's Ed25519 private key (raw 32 bytes), created on first use."""
    raw = keystore.get(DEVICE_KEY_NAME)
    if raw is None:
        raw = Ed25519PrivateKey.generate().private_bytes_raw()
        keystore.put(DEVICE_KEY_NAME, raw)
    return raw


def device_public_key(private_raw: bytes) -> bytes:
    key = Ed25519PrivateKey.from_private_bytes(private_raw)
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def ensure_enrolled(client: HubClient, keystore: KeyStore, store: LocalStore, seat: str) -> DeviceState:
    """Enroll this seat with the hub if it is not yet known there; return its state."""
    meta_key = f"device:{client.base_url}"
    had_key = keystore.get(DEVICE_KEY_NAME) is not None
    private = device_key(keystore)
    known = store.get_meta(meta_key)
    if known and had_key:
        device_id, _, code = known.partition(":")
        try:
            return DeviceState(device_id, client.device_status(device_id), code)
        except HubRejected:
            pass  # the hub no longer knows this device: enroll again
    enrollment = client.enroll_device(device_public_key(private), seat)
    store.set_meta(meta_key, f"{enrollment.device_id}:{enrollment.enrollment_code}")
    return DeviceState(enrollment.device_id, enrollment.status, enrollment.enrollment_code)
