"""Child processes of this app (the benchmark's probes, its hub): how to start them and their environment.

A child is this app again with a command of its own: ``python -m workstation …`` from source, the executable
itself when frozen (PyInstaller's has no ``-m``). Nothing else in the app builds a child's command line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def frozen() -> bool:
    """True in the packaged (PyInstaller) app."""
    return bool(getattr(sys, "frozen", False))


def app_command(*args: str) -> list[str]:
    """The command line that runs this app with ``args``."""
    if frozen():
        return [sys.executable, *args]
    return [sys.executable, "-m", "workstation", *args]


def app_name() -> str:
    """How a person starts this app, for help texts: the executable's name when frozen."""
    return Path(sys.executable).name if frozen() else "python -m workstation"


def child_env() -> dict[str, str]:
    """The environment for a child process: offscreen Qt, this copy of the package importable."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not frozen():
        root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env
