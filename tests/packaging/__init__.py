"""Tests of the frozen app and of the installer scripts (build_scripts/, packaging/)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

BUILD_SCRIPTS = Path(__file__).resolve().parents[2] / "build_scripts"


def build_script(name: str) -> ModuleType:
    """``build_scripts/<name>.py`` as a module (``bundle``, ``build``); they import each other by plain name."""
    if str(BUILD_SCRIPTS) not in sys.path:
        sys.path.insert(0, str(BUILD_SCRIPTS))
    module = importlib.import_module(name)
    assert Path(module.__file__ or "").parent == BUILD_SCRIPTS, f"another module named {name!r}: {module.__file__}"
    return module
