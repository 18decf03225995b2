"""The whole path with real parts: hub on loopback → encrypted shift → decode → label → sync."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from tests.hub_fixtures import PASSWORD, TEST_HUB, RecordedRequests
from tests.seat_fixtures import AtSeat
from workstation.hub.server import HubServer
from workstation.labeling.shift import shift_key_name
from workstation.media.decode import FrameSource, probe
from workstation.policy import Policy
from workstation.session.enrollment import device_key, ensure_enrolled
from workstation.session.seat import Seat
from workstation.sync.errors import HubAuthError, HubUnavailable
from workstation.vault.keystore import NoSecureKeyring, open_keystore


def _hub_labels(hub_dir: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(hub_dir / "hub.db")
    try:
        return conn.execute("SELECT id, clip_id, label FROM labels").fetchall()
    finally:
        conn.close()


def test_shift_runs_end_to_end_with_hub_down_for_part(tmp_path: Path, hub, at_seat: AtSeat,
                                                      small_clips: list[Path]) -> None:
    service, server, url = hub
    seat = at_seat.seat
    state = at_seat.sign_in()
    assert state.total == len(small_clips)
    # every cached clip decodes through the encrypted cache to the same frames as the plain file
    plain_counts = sorted(probe(io.BytesIO(p.read_bytes())).frame_count for p in small_clips)
    counts = []
    for clip in state.clips:
        reader = seat.service.open_reader(state.shift_id, clip)
        with FrameSource(reader) as frames:
            n = 0
            while frames.read() is not None:
                n += 1
        reader.close()
        counts.append(n)
    assert sorted(counts) == plain_counts

    taxonomy = state.taxonomy
    codes = [lab.code for lab in taxonomy.labels]
    half = len(state.clips) // 2
    for i, clip in enumerate(state.clips[:half]):
        seat.store.add_label(state.shift_id, clip.clip_id, codes[i], shown_at="2026-11-25T10:00:00Z")
    assert at_seat.send().labels == half

    server.stop()  # the hub goes down mid-shift: labeling goes on from the cache
    for i, clip in enumerate(state.clips[half:], start=half):
        reader = seat.service.open_reader(state.shift_id, clip)
        with FrameSource(reader) as frames:
            assert frames.read() is not None
        reader.close()
        seat.store.add_label(state.shift_id, clip.clip_id, codes[i % len(codes)], shown_at="2026-11-25T10:05:00Z")
    with pytest.raises(HubUnavailable):
        at_seat.send()
    assert seat.store.pending_count() == len(state.clips) - half

    restarted = HubServer(service.data_dir, host="127.0.0.1", port=int(url.rsplit(":", 1)[1]), config=TEST_HUB)
    restarted.start()
    try:
        assert at_seat.send().labels == len(state.clips) - half
        # a batch retried after a lost answer changes nothing on the hub
        local = seat.store.labels(state.shift_id)
        result = seat.client.post_labels([lab.wire() for lab in local])
        assert sorted(result.duplicates) == sorted(lab.id for lab in local)
        assert seat.store.pending_count() == 0
        on_hub = _hub_labels(service.data_dir)
        assert sorted(on_hub) == sorted((lab.id, lab.clip_id, lab.label) for lab in local)
        assert len({row[0] for row in on_hub}) == len(state.clips)
    finally:
        restarted.stop()


def test_restart_with_lost_memory_key_rekeys_same_shift(tmp_path: Path, hub, small_clips: list[Path]) -> None:
    service, _, url = hub
    policy = Policy(hub_url=url, key_store="memory", seat="seat-9", shift_size=3)
    first = AtSeat.open(Seat.open(policy, data_dir=tmp_path / "ws"))
    first.approve(service)
    state = first.sign_in()
    first.seat.store.add_label(state.shift_id, state.clips[0].clip_id, "person", shown_at="2026-11-25T10:00:00Z")
    first.seat.close()  # the process ends: the memory key store is gone

    second_seat = Seat.open(policy, data_dir=tmp_path / "ws")
    assert second_seat.service.resumable() is None  # no key: cannot play without the hub
    second = AtSeat.open(second_seat)
    second.approve(service)
    again = second.sign_in()
    assert again.shift_id == state.shift_id
    assert {c: r.label for c, r in again.decided.items()} == {state.clips[0].clip_id: "person"}
    reader = second_seat.service.open_reader(again.shift_id, again.clips[1])
    assert reader.read(4)
    reader.close()
    second_seat.close()


def test_no_plaintext_anywhere(tmp_path: Path, hub, at_seat: AtSeat, small_clips: list[Path],
                               requests_log: RecordedRequests) -> None:
    service, _, _ = hub
    seat = at_seat.seat
    state = at_seat.sign_in()
    for clip in state.clips:  # play every clip through the decoder, as the app does, then decide
        with seat.open_source(state.shift_id, clip.clip_id) as frames:
            while frames.read() is not None:
                pass
        seat.service.audit(state.shift_id, "clip_shown", clip.clip_id)
        seat.store.add_label(state.shift_id, clip.clip_id, "person", shown_at="2026-11-25T10:00:00Z")
        seat.service.audit(state.shift_id, "clip_hidden", clip.clip_id, {"watched_s": 2.0, "replays": 0,
                                                                           "active_s": 2.5})
    ciphertext = _plaintext_windows([seat.cache.path_for(state.shift_id, c.clip_id) for c in state.clips])
    sent = at_seat.send()
    assert sent.labels == len(state.clips)
    assert sent.audit == 3 * len(state.clips) + 2  # and the shift start and the sign-in
    seat.service.end(state.shift_id)
    at_seat.send()
    windows = _plaintext_windows(small_clips)
    import base64

    encoded = [base64.b64encode(w[i:i + 36]) for w in windows for i in (0, 1, 2)]  # any alignment
    folders = [service.data_dir, seat.cache.root, tmp_path / "ws"]
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                leaked = [w for w in windows if w in data]
                assert not leaked, f"plaintext clip bytes found in {path}"
    assert requests_log, "the seat sent no requests?"
    for method, url, body in requests_log:
        assert not any(w in body for w in windows), f"plaintext clip bytes in {method} {url}"
        assert not any(e in body for e in encoded), f"base64 clip bytes in {method} {url}"
        assert not any(w in body for w in ciphertext), f"cached ciphertext in {method} {url}"
        assert len(body) < 64_000, f"an unexpectedly large body in {method} {url}"
    assert any(u.endswith("/api/v1/labels/batch") for _, u, _ in requests_log)
    assert any(u.endswith("/api/v1/audit/batch") for _, u, _ in requests_log)
    assert {m for m, u, _ in requests_log if "/clips/" in u} == {"GET"}  # clip bytes only ever come down


def _plaintext_windows(paths: list[Path], per_file: int = 12, size: int = 48) -> list[bytes]:
    windows = []
    for path in paths:
        data = path.read_bytes()
        step = max(1, (len(data) - size) // per_file)
        windows += [data[i:i + size] for i in range(step // 2, len(data) - size, step)][:per_file]
    return windows


def test_hub_down_at_sign_in(tmp_path: Path, keyring_backend) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    seat = Seat.open(Policy(hub_url=f"http://127.0.0.1:{port}", seat="s"), data_dir=tmp_path / "ws")
    with pytest.raises(HubUnavailable) as info:
        ensure_enrolled(seat.client, seat.keystore, seat.store, "s")
    assert f"127.0.0.1:{port}" in str(info.value)
    assert info.value.hint
    seat.close()


def test_unapproved_seat_cannot_sign_in(tmp_path: Path, hub, keyring_backend) -> None:  # type: ignore[no-untyped-def]
    _, _, url = hub
    seat = Seat.open(Policy(hub_url=url, seat="s"), data_dir=tmp_path / "ws")
    device = ensure_enrolled(seat.client, seat.keystore, seat.store, "s")
    with pytest.raises(HubAuthError):
        seat.client.sign_in("ana", PASSWORD, device.device_id, device_key(seat.keystore))
    seat.close()


def test_no_secure_keyring_refuses(tmp_path: Path) -> None:
    import keyring
    from keyring.backends import fail

    from tests.keyring_backend import installed_keyring

    with installed_keyring(fail.Keyring()):
        with pytest.raises(NoSecureKeyring) as info:
            open_keystore("keyring")
        assert "memory" in info.value.hint
        with pytest.raises(NoSecureKeyring):
            Seat.open(Policy(hub_url="http://127.0.0.1:9", key_store="keyring"), data_dir=tmp_path / "ws")
        assert open_keystore("memory").kind == "memory"
    assert keyring.get_keyring() is not None


def test_shift_key_lives_in_the_keyring(tmp_path: Path, hub, at_seat: AtSeat, keyring_backend) -> None:  # type: ignore[no-untyped-def]
    seat = at_seat.seat
    state = at_seat.sign_in()
    names = {user for (_svc, user) in keyring_backend.passwords}
    assert shift_key_name(state.shift_id) in names
    assert "device-key" in names
    seat.service.end(state.shift_id)
    assert shift_key_name(state.shift_id) not in {u for (_s, u) in keyring_backend.passwords}


def test_a_finished_shift_gives_way_to_a_new_one(tmp_path: Path, hub, small_clips: list[Path],
                                                 keyring_backend) -> None:  # type: ignore[no-untyped-def]
    service, _, url = hub
    seat = Seat.open(Policy(hub_url=url, seat="seat-7", shift_size=2), data_dir=tmp_path / "ws2")
    at_seat = AtSeat.open(seat)
    at_seat.approve(service)
    first = at_seat.sign_in()
    for clip in first.clips:  # decided here while the hub is not told (offline)
        seat.store.add_label(first.shift_id, clip.clip_id, "person", shown_at="2026-11-25T10:00:00Z")
    seat.service.end(first.shift_id)
    second = at_seat.sign_in()
    assert second.shift_id != first.shift_id
    assert not {c.clip_id for c in second.clips} & {c.clip_id for c in first.clips}
    assert seat.store.pending_count() == 0  # the first shift's decisions went out before it closed
    assert seat.store.shift(first.shift_id).status == "ended"  # type: ignore[union-attr]
    # once every clip is decided on the hub, asking again starts a new shift by itself
    for clip in second.clips:
        seat.store.add_label(second.shift_id, clip.clip_id, "vehicle", shown_at="2026-11-25T10:00:00Z")
    at_seat.send()
    third = at_seat.sign_in()
    assert third.shift_id not in (first.shift_id, second.shift_id)
    seat.close()


def test_a_refused_item_is_set_aside_and_the_rest_still_syncs(hub, at_seat: AtSeat) -> None:  # type: ignore[no-untyped-def]
    service, _, _ = hub
    seat = at_seat.seat
    state = at_seat.sign_in()
    good = [seat.store.add_label(state.shift_id, c.clip_id, "person", shown_at="2026-11-25T10:00:00Z")
            for c in state.clips[:3]]
    # a decision with a code the hub's taxonomy does not know (e.g. the project changed meanwhile)
    bad = seat.store.add_label(state.shift_id, state.clips[3].clip_id, "ufo", shown_at="2026-11-25T10:00:00Z")
    later = seat.store.add_label(state.shift_id, state.clips[4].clip_id, "vehicle", shown_at="2026-11-25T10:00:00Z")
    assert at_seat.send().labels == 4
    assert seat.store.pending_count() == 0 and seat.store.rejected_count() == 1
    on_hub = {row[0] for row in _hub_labels(service.data_dir)}
    assert on_hub == {r.id for r in good} | {later.id}
    assert bad.id in {r.id for r in seat.store.labels(state.shift_id)}  # kept locally, not deleted


def test_a_shift_resumed_on_a_new_device_key_audits_on_that_device(tmp_path: Path, hub) -> None:  # type: ignore[no-untyped-def]
    """Memory key store: a restart loses the device key, the seat enrolls anew and the hub moves the open shift
    to the new device. The shift's audit events must go on the new device's chain, which the hub accepts."""
    from workstation.vault.keystore import MemoryKeyStore

    service, _, url = hub
    policy = Policy(hub_url=url, key_store="memory", seat="seat-5", shift_size=2)
    devices = []
    for _ in range(2):
        seat = Seat.open(policy, data_dir=tmp_path / "ws", keystore=MemoryKeyStore())
        try:
            here = AtSeat.open(seat)
            device_id = here.approve(service)
            state = here.sign_in()
            assert state.record.device_id == device_id
            seat.service.audit(state.shift_id, "clip_shown", state.clips[0].clip_id)
            assert here.send().audit >= 1
            assert seat.store.unsent_audit(device_id) == []
            devices.append(device_id)
        finally:
            seat.close()
    assert devices[0] != devices[1]
