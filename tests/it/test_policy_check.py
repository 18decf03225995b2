"""``policy check [--path FILE] [--json]``: installers validate a policy without a window; one line per mistake."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workstation.policy import POLICY_KEYS, Policy, load_policy, policy_as_dict

ROOT = Path(__file__).resolve().parents[2]


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workstation", "policy", "check", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def test_a_valid_policy_passes_and_shows_every_key(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('hub_url = "http://127.0.0.1:8470"\nshift_size = 120\n', encoding="utf-8")
    result = check("--path", str(path))
    assert result.returncode == 0 and result.stdout.startswith(f"{path}: valid")
    assert "shift_size = 120" in result.stdout
    data = json.loads(check("--path", str(path), "--json").stdout)
    assert data["ok"] is True and data["problems"] == [] and set(data["policy"]) == set(POLICY_KEYS)


@pytest.mark.parametrize("text,expected", [
    ("", "'hub_url' is missing"),
    ('hub_url = "https://hub.floor:8470"\n', "'hub_ca' is missing"),
    ('hub_url = "http://hub.floor:8470"\n', "must use https://"),
    ('hub_url = "http://127.0.0.1:1"\nshift_sise = 3\n', "did you mean 'shift_size'"),
    ('hub_url = "http://127.0.0.1:1"\nshift_size = "many"\n', "must be a whole number"),
    ('hub_url = "http://127.0.0.1:1"\nkey_store = "file"\n', "'key_store' must be one of"),
    ('hub_url = "http://127.0.0.1:1"\nmin_view_ms = 99999\n', "between 0 and 10000"),
    ('hub_url = "http://127.0.0.1:1\n', "not valid TOML"),
    ('hub_url = "http://127.0.0.1:1"\nhub_ca = "missing.pem"\n', "'hub_ca' file"),
])
def test_each_mistake_is_one_line_and_exit_1(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    result = check("--path", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert any(expected in line for line in result.stderr.splitlines()), result.stderr
    data = json.loads(check("--path", str(path), "--json").stdout)
    assert data["ok"] is False and any(expected in p for p in data["problems"])


def test_a_missing_or_binary_file_is_one_clear_line(tmp_path: Path) -> None:
    missing = check("--path", str(tmp_path / "nope.toml"))
    assert missing.returncode == 1 and "there is no policy file" in missing.stderr
    binary = tmp_path / "policy.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = check("--path", str(binary))
    assert result.returncode == 1 and "not valid TOML" in result.stderr and "Traceback" not in result.stderr


def test_policy_as_dict_round_trips_through_the_loader(tmp_path: Path) -> None:
    policy = Policy(hub_url="http://127.0.0.1:8470", blur_projects=("security",), cache_dir=tmp_path / "c",
                    seat="seat-1")
    lines = []
    for key, value in policy_as_dict(policy).items():
        if value is None:
            continue
        lines.append(f"{key} = {json.dumps(value)}")
    path = tmp_path / "policy.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert load_policy(path) == policy
