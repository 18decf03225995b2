"""Gold clips (API, CLI, audit) and what shifts mix in: 5 % gold, 10 % of clips to a second, different annotator,
never a clip twice to one annotator, and nothing in a seat's listing that tells either apart."""

from __future__ import annotations

import base64
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hub.conftest import CHEAP_PASSWORDS
from tests.hub.helpers import Seat, hub_sql, signed_in_seat
from tests.hub.supervision import get, timed_item
from workstation.hub import cli
from workstation.hub.config import HubConfig
from workstation.hub.server import HubServer
from workstation.vault import sealing

BIG_SHIFTS = HubConfig(default_shift_size=100, max_shift_size=200, max_label_batch=200,
                       test_only_password_cost=CHEAP_PASSWORDS)


def _key() -> str:
    return base64.b64encode(sealing.generate_shift_keypair()[1]).decode()


def test_gold_through_the_api_with_every_change_audited(stocked_hub: HubServer) -> None:
    sue = signed_in_seat(stocked_hub, "sue", "supervisor")
    ana = signed_in_seat(stocked_hub, "ana")
    clip_id = _some_clip(stocked_hub)
    assert sue.call("POST", "/gold", json={"clip_id": clip_id, "label": "ufo"}).status_code == 422
    assert sue.call("POST", "/gold", json={"clip_id": "f" * 32, "label": "person"}).status_code == 404
    added = sue.call("POST", "/gold", json={"clip_id": clip_id, "label": "person"})
    assert added.status_code == 200 and added.json()["label"] == "person" and added.json()["added_by"] == "sue"
    assert sue.call("POST", "/gold", json={"clip_id": clip_id, "label": "vehicle"}).json()["label"] == "vehicle"
    [listed] = get(sue, "/gold")["gold"]
    assert (listed["clip_id"], listed["label"], listed["added_by"]) == (clip_id, "vehicle", "sue")
    assert ana.call("GET", "/gold").status_code == 403
    assert sue.call("DELETE", f"/gold/{clip_id}").status_code == 204
    assert sue.call("DELETE", f"/gold/{clip_id}").status_code == 404
    audit = stocked_hub.service.hub_audit()
    assert [(e["actor"], e["action"], e["clip_id"], e["detail"]) for e in audit] == [
        ("sue", "gold_add", clip_id, {"label": "person", "previous": None}),
        ("sue", "gold_add", clip_id, {"label": "vehicle", "previous": "person"}),
        ("sue", "gold_remove", clip_id, {"label": "vehicle"})]


def _some_clip(hub: HubServer) -> str:
    with hub_sql(hub.service.data_dir) as db:
        return str(db.execute("SELECT clip_id FROM clips ORDER BY created_at LIMIT 1").fetchone()[0])


def test_gold_at_the_command_line(stocked_hub: HubServer, capsys: pytest.CaptureFixture[str]) -> None:
    clip_id, data = _some_clip(stocked_hub), str(stocked_hub.service.data_dir)
    assert cli.main(["gold", "add", clip_id, "--label", "animal", "--data", data]) == 0
    assert cli.main(["gold", "list", "--data", data]) == 0
    assert cli.main(["gold", "remove", clip_id, "--data", data]) == 0
    assert cli.main(["gold", "remove", clip_id, "--data", data]) == 2
    out, err = capsys.readouterr()
    assert f"gold clip {clip_id}: animal" in out and clip_id in out.splitlines()[1]
    assert "animal" in out.splitlines()[1] and f"clip {clip_id} is no longer gold (was animal)" in out
    assert err.strip().endswith(f"error: Clip {clip_id} is not a gold clip. 'hub gold list' shows the gold clips.")
    assert {e["actor"] for e in stocked_hub.service.hub_audit("gold_add")} == {e["actor"] for e in
                                                                              stocked_hub.service.hub_audit()}
    assert all(e["actor"].startswith("cli:") for e in stocked_hub.service.hub_audit())


def test_gold_accuracy_follows_gold_changes(stocked_hub: HubServer) -> None:
    ana = signed_in_seat(stocked_hub, "ana")
    sue = signed_in_seat(stocked_hub, "sue", "supervisor")
    shift = ana.client.start_shift(sealing.generate_shift_keypair()[1])
    a, b, _ = (c.clip_id for c in shift.clips)
    ana.client.post_labels([timed_item(shift.shift_id, a, "person"), timed_item(shift.shift_id, b, "vehicle")])
    today = get(sue, "/metrics/annotators")["to"]
    metrics = f"/metrics/annotators?from={today}&to={today}"
    assert get(sue, metrics)["rows"][0]["gold_accuracy"] is None
    sue.call("POST", "/gold", json={"clip_id": a, "label": "person"})
    sue.call("POST", "/gold", json={"clip_id": b, "label": "animal"})
    row = get(sue, metrics)["rows"][0]
    assert (row["gold_n"], row["gold_accuracy"]) == (2, 0.5)
    drill = {d["clip_id"]: d for d in get(sue, f"/annotators/ana/decisions?from={today}&to={today}")["decisions"]}
    assert (drill[a]["gold_label"], drill[a]["correct"], drill[b]["correct"]) == ("person", True, False)
    sue.call("POST", "/gold", json={"clip_id": b, "label": "vehicle"})
    assert get(sue, metrics)["rows"][0]["gold_accuracy"] == 1.0
    sue.call("DELETE", f"/gold/{a}")
    assert (get(sue, metrics)["rows"][0]["gold_n"], get(sue, metrics)["floor"]["gold_n"]) == (1, 1)


def _fake_clips(folder: Path, n: int) -> list[str]:
    """``n`` clip rows straight into hub.db (listing a shift needs no ciphertext), oldest first."""
    ids = [uuid.uuid4().hex for _ in range(n)]
    with hub_sql(folder) as db:
        db.executemany("INSERT INTO clips (clip_id, fingerprint, project, status, ciphertext_size, ciphertext_sha256, "
                       "duration_s, wrapped_key, created_at) VALUES (?, ?, 'security', 'active', 1000, ?, 24.0, "
                       "?, ?)", [(c, c, "0" * 64, b"\0", f"2025-01-01T00:00:{i // 1000:02d}.{i % 1000:03d}Z")
                                      for i, c in enumerate(ids)])
    return ids


@pytest.fixture
def big_hub(data_dir: Path) -> Iterator[HubServer]:
    with HubServer(data_dir, config=BIG_SHIFTS) as server:
        yield server


def test_a_hundred_shifts_mix_in_five_percent_gold_and_ten_percent_second_looks(big_hub: HubServer) -> None:
    gold = set(_fake_clips(big_hub.service.data_dir, 60))
    _fake_clips(big_hub.service.data_dir, 9500)
    for clip_id in gold:
        big_hub.service.add_gold(clip_id, "person", actor="test")
    seats: list[Seat] = [signed_in_seat(big_hub, f"a{i}") for i in range(8)]
    given: list[tuple[str, str]] = []
    slots = gold_slots = 0
    for n in range(100):
        seat = seats[n % len(seats)]
        answer = seat.call("POST", "/shifts", json={"public_key": _key(), "size": 100})
        assert answer.status_code == 201, answer.text
        shift = answer.json()
        assert [c["position"] for c in shift["clips"]] == list(range(len(shift["clips"])))
        assert all(set(c) == {"clip_id", "position", "size", "sha256"} for c in shift["clips"])
        ids = [c["clip_id"] for c in shift["clips"]]
        slots += len(ids)
        gold_slots += len(gold.intersection(ids))
        user = seat.client.session.user if seat.client.session else ""
        given += [(user, c) for c in ids]
        done = seat.call("POST", "/labels/batch", json={"items": [timed_item(shift["shift_id"], c) for c in ids]})
        assert len(done.json()["accepted"]) == len(ids)
    assert slots == 100 * 100
    assert len(set(given)) == len(given), "a clip was given twice to one annotator"
    assert 0.04 <= gold_slots / slots <= 0.06, gold_slots / slots
    annotators: defaultdict[str, set[str]] = defaultdict(set)
    for user, clip_id in given:
        if clip_id not in gold:
            annotators[clip_id].add(user)
    twice = Counter(len(users) for users in annotators.values())
    assert set(twice) <= {1, 2}
    share = twice[2] / len(annotators)
    assert 0.085 <= share <= 0.115, f"{share:.3f} of {len(annotators)} clips went to two annotators"
