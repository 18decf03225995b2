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
    for word in ("demo", "hub", "bench", "self-test", "policy", "shred", "--version"):
        assert word in result.stdout
    assert "bench-child" not in result.stdout.split("positional arguments")[0]  # not offered to people


def test_no_child_process_runs_python_dash_m() -> None:
    """A frozen app has no ``-m``: every child is started by :func:`workstation.processes.app_command`."""
    import ast

    hits = []
    for path in sorted((ROOT / "workstation").rglob("*.py")):
        if path.name == "processes.py" and path.parent.name == "workstation":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "executable" and \
                    isinstance(node.value, ast.Name) and node.value.id == "sys":
                hits.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Constant) and node.value == "-m":
                hits.append(f"{path.relative_to(ROOT)}:{node.lineno} '-m'")
    assert hits == []


def test_the_one_version_is_the_packages() -> None:
    import tomllib

    from workstation import __version__

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project.get("version", __version__) == __version__ or "version" in project.get("dynamic", [])
