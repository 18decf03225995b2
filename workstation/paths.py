"""Per-user folders of the workstation app (app data: the label store; cache: ciphertext clips)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from workstation import APP_NAME


def app_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "clips"


def owner_only(folder: Path, *, files: bool = True) -> list[Path]:
    """Make ``folder`` (created when missing) 0700 and, with ``files``, every file directly in it 0600.

    Returns what was looser before and was tightened (nothing on Windows, whose folders under the
    user's profile are already private to the user). Protects the seat's files from other accounts on
    the same PC; it does nothing against the user's own account or an administrator.
    """
    import os
    import stat

    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name != "posix":
        return []
    tightened: list[Path] = []
    entries = [(folder, 0o700)] + ([(p, 0o600) for p in sorted(folder.iterdir()) if p.is_file()] if files else [])
    for path, mode in entries:
        current = stat.S_IMODE(path.stat().st_mode)
        if current & ~mode:
            os.chmod(path, current & mode)
            tightened.append(path)
    return tightened
