from __future__ import annotations

from pathlib import Path

import pytest

from workstation.labeling.timings import ClipTimer
from workstation.policy import Policy, PolicyError, load_policy
from workstation.resources import default_taxonomy
from workstation.taxonomy import Taxonomy, TaxonomyError


def test_policy_valid(tmp_path: Path) -> None:
    trustme = pytest.importorskip("trustme")
    ca = tmp_path / "floor-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(ca))
    path = tmp_path / "policy.toml"
    path.write_text(f'hub_url = "https://hub.floor:8470"\nhub_ca = "{ca}"\nkey_store = "memory"\nshift_size = 120\n'
                    'shift_key_hours = 8\n')
    policy = load_policy(path)
    assert policy == Policy(hub_url="https://hub.floor:8470", hub_ca=ca, key_store="memory", shift_size=120,
                            seat=policy.seat, shift_key_hours=8)


def test_policy_lists_every_mistake(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('hub_ulr = "https://x"\nkey_store = "file"\nshift_size = "150"\nidle_lock_minutes = -1\n')
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    problems = info.value.problems
    assert "unknown setting 'hub_ulr' (did you mean 'hub_url'?)" in problems
    assert any("'hub_url' is missing" in p for p in problems)
    assert any("'key_store' must be one of keyring, memory" in p for p in problems)
    assert any("'shift_size' must be a whole number" in p for p in problems)
    assert any("'idle_lock_minutes' must be between" in p for p in problems)
    assert str(path) in str(info.value)


def test_policy_not_toml_and_missing(tmp_path: Path) -> None:
    bad = tmp_path / "p.toml"
    bad.write_text("hub_url = \n")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy(bad)
    with pytest.raises(PolicyError, match="there is no policy file"):
        load_policy(tmp_path / "absent.toml")


def test_policy_plain_http_only_on_loopback(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('hub_url = "http://hub.floor:8470"\n')
    with pytest.raises(PolicyError, match="https"):
        load_policy(path)
    path.write_text('hub_url = "http://127.0.0.1:8470"\n')
    assert load_policy(path).hub_url == "http://127.0.0.1:8470"


def test_default_taxonomy() -> None:
    tax = Taxonomy.from_dict(default_taxonomy())
    assert [lab.key for lab in tax.labels] == [str(i) for i in range(1, 10)]
    assert tax.by_key("1").code == "person"  # type: ignore[union-attr]
    assert [g for g, _ in tax.groups()] == ["Real event", "False alarm"]
    assert Taxonomy.from_dict(tax.to_dict()) == tax


def test_taxonomy_refuses_bad_keys() -> None:
    data = default_taxonomy()
    data["labels"][1]["key"] = "1"
    with pytest.raises(TaxonomyError):
        Taxonomy.from_dict(data)
    with pytest.raises(TaxonomyError):
        Taxonomy.from_dict({"labels": [{"key": "1"}]})


def test_clip_timer_counts_distinct_seconds() -> None:
    timer = ClipTimer(clock=lambda: 0.0)
    for pts in (0.0, 0.5, 0.9, 1.2, 1.2, 3.0):
        timer.note_frame(pts)
    assert timer.watched_s == 3.0
    timer.note_replay()
    assert timer.result()["replays"] == 1


def test_active_time_excludes_unfocused_and_idle_periods() -> None:
    now = [0.0]
    timer = ClipTimer(clock=lambda: now[0], idle_after_s=30)
    timer.set_playing(True)
    now[0] = 20.0                      # 20 s watching
    timer.set_focused(False)
    now[0] = 50.0                      # 30 s on another window: not counted
    timer.set_focused(True)
    now[0] = 60.0                      # 10 s more watching
    timer.set_playing(False)
    now[0] = 200.0                     # paused and idle: only the first 30 s after the pause count
    assert timer.active_s == 60.0
    timer.note_input()
    now[0] = 205.0                     # input again: engaged
    assert timer.active_s == 65.0


def test_policy_lists_and_break(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('hub_url = "http://127.0.0.1:8470"\nblur_projects = ["indoor", "baby"]\nbreak_minutes = 0\n')
    policy = load_policy(path)
    assert policy.blur_projects == ("indoor", "baby") and policy.break_minutes == 0
    path.write_text('hub_url = "http://127.0.0.1:8470"\nblur_projects = "indoor"\n')
    with pytest.raises(PolicyError, match="list of texts"):
        load_policy(path)


@pytest.mark.parametrize("url", ["http://127.0.0.1@evil.example:8470", "http://127.evil.example",
                                 "http://localhost.evil.example", "http://[::2]:80"])
def test_plain_http_look_alikes_of_loopback_are_refused(tmp_path: Path, url: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(f'hub_url = "{url}"\n')
    with pytest.raises(PolicyError, match="https"):
        load_policy(path)


def test_plain_http_on_real_loopback_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    for url in ("http://127.0.0.2:9", "http://[::1]:8470", "http://localhost:1"):
        path.write_text(f'hub_url = "{url}"\n')
        assert load_policy(path).hub_url == url
