"""Per-user folders of the workstation app (app data: the label store; cache: ciphertext clips)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from workstation import APP_NAME


def app_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "clips"
