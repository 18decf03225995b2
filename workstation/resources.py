"""Where the product's resource files are (one place, so packaging can move them)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[1] / "resources"


def default_taxonomy() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((resources_dir() / "taxonomy" / "security_default.json").read_text("utf-8"))
    return data
