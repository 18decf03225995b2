"""Fills the dashboard from the hub and acts on the supervisor's intents; the hub calls run off the UI thread."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from workstation.errors import WorkstationError
from workstation.sync.supervisor import Agreement, Disposal, Figures, HourPoint, SupervisorApi
from workstation.ui.dashboard.window import DashboardWindow
from workstation.ui.tasks import run_in_background

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """Everything the dashboard shows for one period, loaded in one go."""

    since: date
    until: date
    figures: Figures
    hourly: list[HourPoint]
    agreement: Agreement
    disposals: list[Disposal]
    chains_ok: bool
    chains: list[dict[str, Any]]


def table_csv(titles: list[str], rows: list[list[str]]) -> str:
    """The table as shown, as CSV (what is on screen, in its order)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(titles)
    writer.writerows(rows)
    return out.getvalue()


class DashboardController(QObject):
    def __init__(self, window: DashboardWindow, api: SupervisorApi, *,
                 save_path: Callable[[str], str | None] | None = None) -> None:
        """``save_path(suggested)``: asks where to save a CSV (a file dialog unless given)."""
        super().__init__(window)
        self.window = window
        self.api = api
        self.snapshot: Snapshot | None = None
        self.loads = 0
        """How many loads finished (tests wait on it)."""
        self._save_path = save_path or self._ask_path
        self._outliers: set[str] = set()
        window.annotators.rows.marked = lambda row: str(row.get("annotator")) in self._outliers
        window.sig_refresh.connect(self.refresh)
        window.sig_drill.connect(self.drill)
        window.sig_dispose.connect(self.dispose)
        window.sig_export.connect(self.export)

    # -- loading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        api, (since, until), group = self.api, self.window.span(), self.window.grouping()
        self.window.say("Loading…")

        def work(report: Callable[[Any], None]) -> Snapshot:
            ok, chains = api.audit_chains()
            return Snapshot(since, until, api.figures(since, until, group), api.hourly(since, until),
                            api.agreement(since, until), api.disposals(), ok, chains)

        run_in_background(work, on_done=self._show, on_failed=self._failed)

    def _failed(self, exc: Exception) -> None:
        text = exc.full_text() if isinstance(exc, WorkstationError) else f"The figures could not be loaded " \
                                                                           f"({type(exc).__name__})."
        log.warning("dashboard: %s", text)
        self.window.say(text)
        self.loads += 1

    def _show(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        window = self.window
        figures = snapshot.figures
        self._outliers = {o.annotator for o in figures.outliers}
        why = {o.annotator: o.why for o in figures.outliers}
        window.annotators.rows.set_rows([{**r.model_dump(), "_why": why.get(r.annotator, "")} for r in figures.rows])
        if figures.outliers:
            window.outliers.setText("Look at: " + "; ".join(f"{o.annotator} — {o.why}" for o in figures.outliers))
        else:
            window.outliers.setText("Nobody stands out in this period.")
        floor = figures.floor
        if floor:
            window.floor.setText(f"The floor: {floor.get('clips', 0)} clips · "
                                 f"{_fmt(floor.get('clips_per_active_hour'), '{:.1f}')} clips per active hour · "
                                 f"median {_fmt(floor.get('median_s'), '{:.1f} s')} per clip · "
                                 f"gold accuracy {_fmt(floor.get('gold_accuracy'), '{:.0%}')}")
        window.chart.set_points("Clips decided per hour, the whole floor",
                                [(p.hour, p.clips) for p in snapshot.hourly])
        agreement = snapshot.agreement
        window.agreement.setText(f"Over {agreement.clips} clips decided by more than one annotator: Fleiss' κ "
                                 f"{_fmt(agreement.fleiss_kappa, '{:.2f}')}, Krippendorff's α "
                                 f"{_fmt(agreement.krippendorff_alpha, '{:.2f}')}.")
        window.pairs.rows.set_rows([p.model_dump() for p in agreement.pairs])
        window.disposals.rows.set_rows([d.model_dump() for d in snapshot.disposals])
        pending = sum(1 for d in snapshot.disposals if d.status == "pending")
        window.tabs.setTabText(3, f"Disposals ({pending})" if pending else "Disposals")
        rows = []
        for chain in snapshot.chains:
            broken = chain.get("break")
            rows.append({**chain, "state": "holds" if chain.get("ok") else
                         f"broken at event {broken.get('seq') if isinstance(broken, dict) else '?'}"})
        window.chains.rows.set_rows(rows)
        window.chains_state.setText("Every seat's audit chain verifies." if snapshot.chains_ok else
                                    "A seat's audit chain does not verify: its log was changed after it was written.")
        window.say(f"Figures for {snapshot.since:%d %b} – {snapshot.until:%d %b %Y}.")
        self.loads += 1

    # -- drill-down, disposal, export ----------------------------------------------------------------
    def drill(self, annotator: str) -> None:
        api, (since, until) = self.api, self.window.span()

        def work(report: Callable[[Any], None]) -> list[dict[str, Any]]:
            return [d.model_dump() for d in api.decisions(annotator, since, until)]

        def done(rows: list[dict[str, Any]]) -> None:
            self.window.clips.rows.set_rows(rows)
            self.window.clips_title.setText(f"{annotator}: {len(rows)} decisions, {since:%d %b} – {until:%d %b %Y} "
                                            "(labels and timings, never video).")
            self.window.tabs.setCurrentIndex(1)
            self.loads += 1

        run_in_background(work, on_done=done, on_failed=self._failed)

    def dispose(self, clip_id: str, confirm: bool, note: str) -> None:
        api = self.api

        def done(result: Disposal) -> None:
            self.window.say(f"Clip {clip_id[:8]}: {'disposed of' if confirm else 'returned to the pool'}.")
            self.window.note.clear()
            self.refresh()

        run_in_background(lambda report: api.decide_disposal(clip_id, confirm, note), on_done=done,
                          on_failed=self._failed)

    def export(self) -> None:
        table = self.window.current_table()
        if table is None:
            return
        titles, rows = table.sorted.shown()
        tab = self.window.tabs.tabText(self.window.tabs.currentIndex()).split(" (")[0].lower().replace(" ", "-")
        path = self._save_path(f"{tab}.csv")
        if not path:
            return
        try:
            Path(path).write_text(table_csv(titles, rows), encoding="utf-8")
        except OSError as exc:
            self.window.say(f"The CSV could not be saved ({exc.strerror or exc}).")
            return
        self.window.say(f"Saved {len(rows)} rows to {path}.")

    def _ask_path(self, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Export the table as CSV", suggested, "CSV (*.csv)")
        return path or None


def _fmt(value: Any, pattern: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return pattern.format(value)
    return "—"
