"""The audit hash chain: well-formed events chain; any change, removal, insertion or reorder is found."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.audit import GENESIS, AuditDataError, event_hash, new_event, verify_chain

DEVICE = "d" * 32


def chain(n: int) -> list[dict]:  # type: ignore[type-arg]
    events: list[dict] = []  # type: ignore[type-arg]
    for i in range(n):
        events.append(new_event(events[-1] if events else None, kind="label", device_id=DEVICE, user="ana",
                                shift_id="a" * 32, clip_id=f"{i:032x}", data={"label": "person", "watched_s": 3.5}))
    return events


def test_a_fresh_chain_holds_and_continues() -> None:
    events = chain(5)
    assert events[0]["prev"] == GENESIS and [e["seq"] for e in events] == [1, 2, 3, 4, 5]
    assert verify_chain(events) is None
    assert verify_chain(events[3:], after=events[2]) is None
    assert event_hash(events[2]) == events[2]["hash"]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 7), st.sampled_from(["edit", "delete", "swap", "insert", "rehash-edit"]))
def test_any_tampering_is_found_at_the_right_event(at: int, how: str) -> None:
    events = chain(8)
    bad = copy.deepcopy(events)
    if how == "edit":
        bad[at]["data"]["label"] = "vehicle"
    elif how == "rehash-edit":  # changed and re-hashed: the next event's 'prev' no longer matches
        bad[at]["data"]["label"] = "vehicle"
        bad[at]["hash"] = event_hash(bad[at])
    elif how == "delete":
        del bad[at]
    elif how == "swap":
        j = (at + 1) % 8
        bad[at], bad[j] = bad[j], bad[at]
    else:
        bad.insert(at, new_event(events[at - 1] if at else None, kind="label", device_id=DEVICE))
    broken = verify_chain(bad)
    if how in ("rehash-edit", "delete") and at == 7:
        assert broken is None  # the newest event re-hashed or cut off: only the hub's copy can tell
        return
    assert broken is not None
    first = min(at, (at + 1) % 8) if how == "swap" else at
    # a re-hashed edit or a well-made insertion holds itself; the event after it is where the chain breaks
    expected = first + 2 if how in ("rehash-edit", "insert") else first + 1
    assert broken.seq == expected, str(broken)


def test_bad_data_is_refused() -> None:
    with pytest.raises(AuditDataError):
        new_event(None, kind="label", device_id=DEVICE, data={"frame": b"\x00" * 10})
    with pytest.raises(AuditDataError):
        new_event(None, kind="label", device_id=DEVICE, data={"text": "x" * 5000})
    with pytest.raises(AuditDataError):
        new_event(None, kind="no_such_kind", device_id=DEVICE)


def test_malformed_event_is_named() -> None:
    events = chain(2)
    events[1]["seq"] = "2"
    broken = verify_chain(events)
    assert broken is not None and broken.seq == 2 and "seq" in broken.reason


def test_ids_hashes_and_times_with_a_trailing_newline_are_not_an_event() -> None:
    from workstation.audit import check_shape, new_event

    event = new_event(None, kind="label", device_id="a" * 32, user="ana", shift_id="b" * 32, clip_id="c" * 32,
                      data={})
    assert check_shape(event) is None
    for key in ("id", "device_id", "shift_id", "clip_id", "prev", "hash", "at"):
        bad = dict(event, **{key: event[key] + "\n"})
        assert check_shape(bad) is not None, key
