"""Label taxonomies per project, stored in the hub database as JSON.

A fresh hub gets the default security taxonomy from ``resources/``. Every taxonomy is checked with
the app's own reader (:class:`workstation.taxonomy.Taxonomy`) before it is stored, so the hub
never hands a workstation one it cannot use.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workstation.hub.db import HubDB
from workstation.hub.errors import Invalid, NotFound
from workstation.hub.storage import now_iso
from workstation.resources import resources_dir
from workstation.taxonomy import Taxonomy, TaxonomyError

DEFAULT_PROJECT = "security"


def default_taxonomy_path() -> Path:
    """Where the bundled default lives: under the app's resources (also in the frozen app)."""
    return resources_dir() / "taxonomy" / "security_default.json"


def load_default() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    return data


def validate(project: str, data: dict[str, Any]) -> dict[str, Any]:
    """The taxonomy as it will be stored and served, or :class:`Invalid` saying what is wrong."""
    try:
        parsed = Taxonomy.from_dict({**data, "project": project})
    except TaxonomyError as exc:
        raise Invalid(f"The taxonomy for project {project!r} cannot be used: {exc}") from None
    return parsed.to_dict()


def codes(data: dict[str, Any], kind: str = "label") -> set[str]:
    """The codes an item of ``kind`` may carry: labels; flags; or the skip / flag reasons."""
    key = {"label": "labels", "flag": "flags", "skip_reason": "skip_reasons", "flag_reason": "flag_reasons"}[kind]
    return {str(item["code"]) for item in data.get(key, [])}


def get(db: HubDB, project: str) -> dict[str, Any]:
    row = db.execute("SELECT taxonomy FROM taxonomies WHERE project = ?", [project]).fetchone()
    if row is None:
        raise NotFound(f"The hub has no label taxonomy for project {project!r}.",
                       hint="Set one with the hub service's set_taxonomy first.")
    data: dict[str, Any] = json.loads(row[0])
    return data


def put(db: HubDB, project: str, data: dict[str, Any]) -> dict[str, Any]:
    checked = validate(project, data)
    db.execute(
        "INSERT INTO taxonomies (project, taxonomy, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(project) DO UPDATE SET taxonomy = excluded.taxonomy, updated_at = excluded.updated_at",
        [project, json.dumps(checked), now_iso()],
    )
    return checked


def ensure_default(db: HubDB) -> None:
    """Store the bundled default when the default project has none yet."""
    if db.execute("SELECT 1 FROM taxonomies WHERE project = ?", [DEFAULT_PROJECT]).fetchone() is None:
        put(db, DEFAULT_PROJECT, load_default())
