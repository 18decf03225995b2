"""``hub devices`` at the command line: what a seat sent at enrollment is printed safely."""

from __future__ import annotations

import pytest

from tests.hub.helpers import enroll
from workstation.hub import cli
from workstation.hub.server import HubServer


def test_devices_list_prints_an_enrolled_label_safely(hub: HubServer, capsys: pytest.CaptureFixture[str]) -> None:
    """Enrollment is public: a label can carry a newline or a terminal escape, and IT's terminal must not run it."""
    enroll(hub.base_url, "seat\x1b]0;owned\x07\nfake-device  approved")
    assert cli.main(["devices", "list", "--data", str(hub.service.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and len(out.splitlines()) == 1
    assert out.rstrip("\n").endswith("seat\\x1b]0;owned\\x07\\nfake-device  approved")
