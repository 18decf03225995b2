"""docs/IT.md and the sample policy name every policy key, with the product's defaults."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from workstation.policy import POLICY_KEYS, Policy, policy_as_dict

ROOT = Path(__file__).resolve().parents[2]
IT = (ROOT / "docs" / "IT.md").read_text(encoding="utf-8")
SAMPLE = (ROOT / "resources" / "policy.sample.toml").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = IT.index(f"## {title}")
    end = IT.find("\n## ", start + 1)
    return IT[start:end if end > 0 else None]


def policy_table() -> dict[str, str]:
    rows = re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", section("The machine policy"), flags=re.MULTILINE)
    return {key: default.strip() for key, default in rows}


def test_every_policy_key_is_in_it_md_with_its_default() -> None:
    table = policy_table()
    assert set(POLICY_KEYS) - set(table) == set(), "keys missing from docs/IT.md"
    assert set(table) - set(POLICY_KEYS) == set(), "docs/IT.md names keys the app does not read"
    defaults = policy_as_dict(Policy(hub_url="http://127.0.0.1:1"))
    for key in POLICY_KEYS:
        written = table[key]
        if written.startswith("("):
            continue  # required, or a default that depends on the machine (host name, user folder)
        assert json.loads(written.strip("`")) == defaults[key], f"{key}: docs say {written}, the app {defaults[key]}"


def test_every_policy_key_is_in_the_sample_policy_and_it_parses() -> None:
    for key in POLICY_KEYS:
        assert re.search(rf"^#? ?{key} = ", SAMPLE, flags=re.MULTILINE), f"{key} missing from the sample policy"
    data = tomllib.loads(SAMPLE)
    assert set(data) <= set(POLICY_KEYS)


def test_every_self_test_check_is_explained() -> None:
    from workstation.session.selftest import Probes, run_self_test

    names = [c.name for c in run_self_test(ROOT / "no-such-policy.toml", Probes(audio_outputs=list)).checks]
    for name in names:
        assert re.search(rf"^\| `{name}` \|", section("Check a seat"), flags=re.MULTILINE), \
            f"self-test check {name} not in docs/IT.md"
