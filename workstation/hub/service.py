"""The hub's administration without HTTP: what the CLI, the demo and the tests call.

    service = HubService(data_dir)           # sets up a fresh folder
    service.add_user("ana", "annotator", "correct horse")
    service.ingest(["clips/"])
    service.approve_device("K7QM-2XPD")       # the code the workstation shows
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from workstation.hub import (
    auditlog,
    clipaudit,
    config,
    dashboard,
    devices,
    disposals,
    erasure,
    exports,
    gold,
    hubaudit,
    ingest,
    passwords,
    provenance,
    shifts,
    taxonomy,
    throttle,
    users,
)
from workstation.hub.config import HubConfig
from workstation.hub.db import HubDB
from workstation.hub.home import HubHome
from workstation.hub.ingest import IngestResult, Progress


class HubService:
    def __init__(self, data_dir: str | Path, *, config: HubConfig | None = None,
                 test_only_password_cost: passwords.Cost | None = None, database: str | None = None) -> None:
        """``config``: the hub's settings (default: the defaults with ``DIR/hub.toml``);
        ``test_only_password_cost``: tests only, to make users cheaply (default: the hub's real cost)."""
        self.home = HubHome.open(data_dir, database)
        self.config = config if config is not None else _settings(self.home.root)
        self.password_cost = test_only_password_cost or passwords.DEFAULT_COST

    @property
    def data_dir(self) -> Path:
        return self.home.root

    @contextmanager
    def _db(self) -> Iterator[HubDB]:
        db = self.home.connect()
        try:
            yield db
        finally:
            db.close()

    def ingest(self, paths: Sequence[str | Path], progress: ingest.Progress | None = None, *,
               project: str = taxonomy.DEFAULT_PROJECT,
               provenance: provenance.Provenance | None = None) -> list[ingest.IngestResult]:
        """Every file under ``provenance`` (None: generated clips in code — source ``unknown``, not checked)."""
        return ingest.ingest_into(self.home, paths, progress, project=project, provenance=provenance,
                                  config=self.config)

    def ingest_manifest(self, entries: Sequence[provenance.Entry], progress: Progress | None = None, *,
                        project: str = taxonomy.DEFAULT_PROJECT) -> list[IngestResult]:
        """The clips of a manifest read with :func:`workstation.hub.provenance.read_manifest`."""
        return ingest.ingest_entries(self.home, entries, progress, project=project, config=self.config)

    def withdraw_consent(self, consent_ref: str, actor: str | None = None) -> erasure.Withdrawal:
        """Erase every clip under the consent reference (NotFound for one no clip was ingested under)."""
        with self._db() as db:
            return erasure.withdraw(db, self.home, consent_ref, actor=actor or hubaudit.cli_actor(),
                                    erased_labels=self.config.erased_labels)

    def retention_due(self, now: datetime | None = None) -> list[erasure.Due]:
        with self._db() as db:
            return erasure.due(db, now or erasure.utc_now())

    def run_retention(self, now: datetime | None = None, actor: str | None = None) -> erasure.Erased:
        """Erase every clip past its retention deadline (``hub retention run``)."""
        with self._db() as db:
            return erasure.sweep(db, self.home, now=now or erasure.utc_now(), actor=actor or hubaudit.cli_actor(),
                                 erased_labels=self.config.erased_labels)

    def consent_report(self, now: datetime | None = None) -> dict[str, Any]:
        with self._db() as db:
            return erasure.report(db, now=now, retain_days=self.config.retain_days)

    def add_user(self, name: str, role: str, password: str) -> users.User:
        with self._db() as db:
            return users.add_user(db, name, role, password, self.password_cost)

    def list_users(self) -> list[users.User]:
        with self._db() as db:
            return users.list_users(db)

    def disable_user(self, name: str) -> users.User:
        with self._db() as db:
            return users.disable(db, name)

    def enable_user(self, name: str) -> users.User:
        with self._db() as db:
            return users.enable(db, name)

    def unlock_user(self, name: str) -> throttle.Cleared:
        """Clear the user's sign-in failure counters on every workstation (NotFound for an unknown user)."""
        with self._db() as db:
            users.get(db, name)
            return throttle.unlock_user(db, name)

    def approve_device(self, code: str) -> devices.Device:
        with self._db() as db:
            return devices.approve(db, code)

    def revoke_device(self, device_id: str) -> devices.Device:
        with self._db() as db:
            return devices.revoke(db, device_id)

    def list_devices(self) -> list[devices.Device]:
        with self._db() as db:
            return devices.list_devices(db)

    def waiting_clip_count(self, user: str | None = None) -> int:
        """Clips not labeled yet and not held by someone else's open shift (``user``'s own count)."""
        with self._db() as db:
            return shifts.waiting_count(db, user)

    def disposal_queue(self) -> list[disposals.Disposal]:
        with self._db() as db:
            return disposals.queue(db)

    def confirm_disposal(self, clip_id: str, decided_by: str, note: str | None = None) -> disposals.Disposal:
        with self._db() as db:
            return disposals.confirm(db, self.home, decided_by, clip_id, note)

    def reject_disposal(self, clip_id: str, decided_by: str, note: str | None = None) -> disposals.Disposal:
        with self._db() as db:
            return disposals.reject(db, decided_by, clip_id, note)

    def verify_audit(self) -> list[auditlog.ChainReport]:
        """Every stored audit chain re-walked (``hub verify-audit``)."""
        with self._db() as db:
            return auditlog.verify_all(db)

    def add_gold(self, clip_id: str, label: str, actor: str | None = None) -> gold.GoldClip:
        """Mark a clip gold (``actor``: who, default the command line's account)."""
        with self._db() as db:
            return gold.add(db, clip_id, label, actor=actor or hubaudit.cli_actor())

    def remove_gold(self, clip_id: str, actor: str | None = None) -> gold.GoldClip:
        with self._db() as db:
            return gold.remove(db, clip_id, actor=actor or hubaudit.cli_actor())

    def list_gold(self) -> list[gold.GoldClip]:
        with self._db() as db:
            return gold.list_gold(db)

    def clip_audit(self, clip_id: str) -> dict[str, Any]:
        """Who was given and who viewed the clip (``hub audit show --clip``)."""
        with self._db() as db:
            return clipaudit.for_clip(db, clip_id)

    def export_labels(self, fmt: str, first: str | None = None, last: str | None = None,
                      actor: str | None = None) -> exports.Export:
        """An export of the standing decisions, audited now; write it with ``chunks()``."""
        rng = dashboard.date_range(first, last, whole=True)
        with self._db() as db:
            return exports.Export(self.home.connect(), db, exports.check_format(fmt), rng,
                                  actor=actor or hubaudit.cli_actor(), device_id=None)

    def hub_audit(self, action: str | None = None) -> list[dict[str, Any]]:
        """The hub's own audit of exports, gold changes, withdrawals and erasures."""
        with self._db() as db:
            return hubaudit.entries(db, action)

    def set_taxonomy(self, project: str, data: dict[str, Any]) -> dict[str, Any]:
        with self._db() as db:
            return taxonomy.put(db, project, data)

    def get_taxonomy(self, project: str = taxonomy.DEFAULT_PROJECT) -> dict[str, Any]:
        with self._db() as db:
            return taxonomy.get(db, project)


def _settings(root: Path) -> HubConfig:
    return config.load(root)
