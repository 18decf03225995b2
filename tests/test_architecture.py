"""The layering of STYLE.md, checked mechanically."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    result = subprocess.run([sys.executable, "-c", ("from importlinter.cli import lint_imports_command; "
                             "lint_imports_command()")], cwd=ROOT, check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout, result.stdout


def test_domain_modules_import_without_qt() -> None:
    code = ("import sys; import workstation.vault.container, workstation.labeling.store, workstation.session.outbox, workstation.session.signin, "
            "workstation.hub.app, workstation.media.playback, workstation.session.seat; "
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_cli_help() -> None:
    result = subprocess.run([sys.executable, "-m", "workstation", "--help"], cwd=ROOT, check=False, capture_output=True, text=True)
    assert result.returncode == 0
    for word in ("demo", "hub", "bench"):
        assert word in result.stdout
