"""Shifts end to end: sizes, re-keying, sealed keys, ciphertext download and decryption, ownership."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.hub.helpers import enroll, label_item, signed_in_seat
from workstation.hub.server import HubServer
from workstation.sync.errors import HubProtocolError, HubRejected
from workstation.vault import sealing
from workstation.vault.container import DecryptingReader, WrongKey


def test_shift_sizes_default_fewer_and_none_left(stocked_hub: HubServer) -> None:
    hub = stocked_hub  # 8 clips; default shift size 3, cap 5
    a, b, c, d = (signed_in_seat(hub, name) for name in ("ana", "ben", "cai", "dev"))
    first = a.client.start_shift(sealing.generate_shift_keypair()[1])
    assert first.size == 3 and [clip.position for clip in first.clips] == [0, 1, 2] and not first.resumed
    assert first.status == "open" and first.created_at.endswith("Z")
    assert {label["code"] for label in first.taxonomy["labels"]} >= {"person", "vehicle", "camera_fault"}
    capped = b.client.start_shift(sealing.generate_shift_keypair()[1], size=100)
    assert capped.size == 5
    assert not {x.clip_id for x in first.clips} & {x.clip_id for x in capped.clips}
    with pytest.raises(HubRejected) as info:
        c.client.start_shift(sealing.generate_shift_keypair()[1])
    assert info.value.status == 409 and str(info.value) == "No clips are waiting to be labeled."

    b.client.close_shift(capped.shift_id)  # its unlabeled clips go back to the pool
    fewer = c.client.start_shift(sealing.generate_shift_keypair()[1], size=5)
    assert fewer.size == 5 and {x.clip_id for x in fewer.clips} == {x.clip_id for x in capped.clips}
    with pytest.raises(HubRejected):
        d.client.start_shift(sealing.generate_shift_keypair()[1])


def test_fewer_clips_than_asked_when_few_are_left(hub: HubServer, source_clips: list[Path]) -> None:
    hub.service.ingest(source_clips[:2])
    seat = signed_in_seat(hub, "ana")
    shift = seat.client.start_shift(sealing.generate_shift_keypair()[1])
    assert shift.size == 2 and len(shift.clips) == 2


def test_keys_open_and_ciphertext_decrypts_to_the_source(stocked_hub: HubServer, source_clips: list[Path]) -> None:
    hub = stocked_hub
    by_id = {r.clip_id: Path(r.path) for r in hub.service.ingest(source_clips)}  # duplicates: same ids
    seat = signed_in_seat(hub, "ana")
    private, public = sealing.generate_shift_keypair()
    shift = seat.client.start_shift(public)
    keys = seat.client.shift_keys(shift.shift_id)
    assert set(keys) == {clip.clip_id for clip in shift.clips}
    for clip in shift.clips:
        buffer = io.BytesIO()
        done = seat.client.download_clip(shift.shift_id, clip.clip_id, buffer, expected_sha256=clip.sha256,
                                          expected_size=clip.size)
        assert done == clip.size == len(buffer.getvalue())
        clip_key = sealing.open_clip_key(keys[clip.clip_id], private, shift.shift_id, clip.clip_id)
        buffer.seek(0)
        with DecryptingReader(buffer, clip_key, expected_clip_id=clip.clip_id) as reader:
            assert reader.read() == by_id[clip.clip_id].read_bytes()


def test_second_request_rekeys_the_open_shift(stocked_hub: HubServer) -> None:
    seat = signed_in_seat(stocked_hub, "ana")
    old_private, old_public = sealing.generate_shift_keypair()
    first = seat.client.start_shift(old_public)
    new_private, new_public = sealing.generate_shift_keypair()
    again = seat.client.start_shift(new_public)
    assert again.resumed and again.shift_id == first.shift_id and again.clips == first.clips
    clip_id = first.clips[0].clip_id
    sealed = seat.client.shift_keys(first.shift_id)[clip_id]
    assert len(sealing.open_clip_key(sealed, new_private, first.shift_id, clip_id)) == 32
    with pytest.raises(WrongKey):
        sealing.open_clip_key(sealed, old_private, first.shift_id, clip_id)


def test_another_annotator_gets_404_for_someone_elses_shift(stocked_hub: HubServer) -> None:
    ana = signed_in_seat(stocked_hub, "ana")
    ben = signed_in_seat(stocked_hub, "ben")
    shift = ana.client.start_shift(sealing.generate_shift_keypair()[1])
    clip = shift.clips[0]
    calls = [
        lambda: ben.client.shift_state(shift.shift_id),
        lambda: ben.client.shift_keys(shift.shift_id),
        lambda: ben.client.download_clip(shift.shift_id, clip.clip_id, io.BytesIO(), expected_sha256=clip.sha256),
        lambda: ben.client.close_shift(shift.shift_id),
    ]
    for call in calls:
        with pytest.raises(HubRejected) as info:
            call()
        assert info.value.status == 404
    assert ana.client.shift_state(shift.shift_id)["status"] == "open"

    supervisor = signed_in_seat(stocked_hub, "sue", role="supervisor")
    assert supervisor.client.shift_state(shift.shift_id)["size"] == 3
    with pytest.raises(HubRejected) as info:
        supervisor.client.shift_keys(shift.shift_id)
    assert info.value.status == 404


def test_clip_outside_the_shift_and_closed_shift(stocked_hub: HubServer) -> None:
    ana = signed_in_seat(stocked_hub, "ana")
    ben = signed_in_seat(stocked_hub, "ben")
    mine = ana.client.start_shift(sealing.generate_shift_keypair()[1])
    theirs = ben.client.start_shift(sealing.generate_shift_keypair()[1])
    with pytest.raises(HubRejected) as info:
        ana.client.download_clip(mine.shift_id, theirs.clips[0].clip_id, io.BytesIO(),
                                 expected_sha256=theirs.clips[0].sha256)
    assert info.value.status == 404
    ana.client.close_shift(mine.shift_id)
    ana.client.close_shift(mine.shift_id)  # idempotent
    assert ana.client.shift_state(mine.shift_id)["status"] == "closed"
    with pytest.raises(HubRejected) as info:
        ana.client.shift_keys(mine.shift_id)
    assert info.value.status == 409


def test_download_checks_the_listed_sha256(stocked_hub: HubServer) -> None:
    seat = signed_in_seat(stocked_hub, "ana")
    shift = seat.client.start_shift(sealing.generate_shift_keypair()[1])
    with pytest.raises(HubProtocolError) as info:
        seat.client.download_clip(shift.shift_id, shift.clips[0].clip_id, io.BytesIO(), expected_sha256="0" * 64)
    assert "SHA-256" in str(info.value)


def test_shift_state_counts_labels(stocked_hub: HubServer) -> None:
    seat = signed_in_seat(stocked_hub, "ana")
    shift = seat.client.start_shift(sealing.generate_shift_keypair()[1])
    seat.client.post_labels([label_item(shift.shift_id, shift.clips[1].clip_id, "weather")])
    state = seat.client.shift_state(shift.shift_id)
    assert state["labeled"] == 1 and [c["labeled"] for c in state["clips"]] == [False, True, False]


def test_waiting_clip_count(stocked_hub: HubServer) -> None:
    service = stocked_hub.service
    assert service.waiting_clip_count() == 8
    seat = signed_in_seat(stocked_hub, "ana")
    shift = seat.client.start_shift(sealing.generate_shift_keypair()[1])
    assert service.waiting_clip_count() == 5 and service.waiting_clip_count("ana") == 8
    seat.client.post_labels([label_item(shift.shift_id, shift.clips[0].clip_id)])
    assert service.waiting_clip_count("ana") == 7 and service.waiting_clip_count("ben") == 5


def test_open_shift_moves_to_the_users_new_device(stocked_hub: HubServer) -> None:
    first_seat = signed_in_seat(stocked_hub, "ana")
    shift = first_seat.client.start_shift(sealing.generate_shift_keypair()[1])
    new_seat = enroll(stocked_hub.base_url, "re-enrolled seat")  # e.g. the device key was lost with memory keys
    stocked_hub.service.approve_device(new_seat.enrollment_code)
    new_seat.sign_in("ana")
    private, public = sealing.generate_shift_keypair()
    moved = new_seat.client.start_shift(public)
    assert moved.resumed and moved.shift_id == shift.shift_id and moved.clips == shift.clips
    clip_id = moved.clips[0].clip_id
    sealed = new_seat.client.shift_keys(moved.shift_id)[clip_id]
    assert len(sealing.open_clip_key(sealed, private, moved.shift_id, clip_id)) == 32
    assert stocked_hub.service.waiting_clip_count() == 5  # still one shift holding three clips


def _held(hub: HubServer) -> dict[str, str | None]:
    from tests.hub.helpers import hub_sql

    with hub_sql(hub) as db:
        return {str(c): h for c, h in db.execute("SELECT clip_id, held_by FROM clips").fetchall()}


def test_each_clip_names_the_open_shift_holding_it_until_that_shift_closes(stocked_hub: HubServer) -> None:
    """The pool's index of free clips (schema 17) is only right while held_by is: set when a shift takes its clips,
    cleared when it closes — by its owner, or by disabling its owner."""
    hub = stocked_hub
    ana, ben = signed_in_seat(hub, "ana"), signed_in_seat(hub, "ben")
    first = ana.client.start_shift(sealing.generate_shift_keypair()[1], size=3)
    second = ben.client.start_shift(sealing.generate_shift_keypair()[1], size=3)
    held = _held(hub)
    assert {c.clip_id for c in first.clips} == {c for c, h in held.items() if h == first.shift_id}
    assert {c.clip_id for c in second.clips} == {c for c, h in held.items() if h == second.shift_id}
    assert sum(h is None for h in held.values()) == 2  # 8 clips, 6 held

    ana.client.close_shift(first.shift_id)
    assert {c for c, h in _held(hub).items() if h is None} >= {c.clip_id for c in first.clips}
    hub.service.disable_user("ben")
    assert set(_held(hub).values()) == {None}
    cai = signed_in_seat(hub, "cai")
    assert len(cai.client.start_shift(sealing.generate_shift_keypair()[1], size=5).clips) == 5  # all back
