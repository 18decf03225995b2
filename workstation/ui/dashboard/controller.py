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
from workstation.sync.errors import HubRejected
from workstation.sync.supervisor import Agreement, ConsentReport, Disposal, Figures, HourPoint, SupervisorApi
from workstation.ui.dashboard.window import TAB_FILES, DashboardWindow
from workstation.ui.domain_text import error_text
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
    consent: ConsentReport | None = None
    """None: the hub gives no consent report (an older hub)."""


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
        self.window.say(self.tr("Loading…"))

        def work(report: Callable[[Any], None]) -> Snapshot:
            ok, chains = api.audit_chains()
            try:
                consent: ConsentReport | None = api.consent_report()
            except HubRejected:  # an older hub without the report: the rest still shows
                consent = None
            return Snapshot(since, until, api.figures(since, until, group), api.hourly(since, until),
                            api.agreement(since, until), api.disposals(), ok, chains, consent)

        run_in_background(work, on_done=self._show, on_failed=self._failed)

    def _failed(self, exc: Exception) -> None:
        text = error_text(exc) if isinstance(exc, WorkstationError) else \
            self.tr("The figures could not be loaded ({why}).").format(why=type(exc).__name__)
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
            window.outliers.setText(self.tr("Look at: {who}").format(
                who="; ".join(f"{o.annotator} — {o.why.rstrip('. ')}" for o in figures.outliers) + "."))
        else:
            window.outliers.setText(self.tr("Nobody stands out in this period."))
        floor = figures.floor
        if floor:
            window.floor.setText(self.tr("The floor: {clips} clips · {rate} clips per active hour · median {median} "
                                         "per clip · gold accuracy {gold}").format(
                clips=floor.get("clips", 0), rate=_fmt(floor.get("clips_per_active_hour"), "{:.1f}"),
                median=_fmt(floor.get("median_s"), "{:.1f} s"), gold=_fmt(floor.get("gold_accuracy"), "{:.0%}")))
        window.chart.set_points(self.tr("Clips decided per hour, the whole floor"),
                                [(p.hour, p.clips) for p in snapshot.hourly])
        agreement = snapshot.agreement
        window.agreement.setText(self.tr("Over {clips} clips decided by more than one annotator: Fleiss' κ {fleiss}, "
                                         "Krippendorff's α {alpha}.").format(
            clips=agreement.clips, fleiss=_fmt(agreement.fleiss_kappa, "{:.2f}"),
            alpha=_fmt(agreement.krippendorff_alpha, "{:.2f}")))
        window.pairs.rows.set_rows([p.model_dump() for p in agreement.pairs])
        window.disposals.rows.set_rows([d.model_dump() for d in snapshot.disposals])
        pending = sum(1 for d in snapshot.disposals if d.status == "pending")
        window.tabs.setTabText(3, self.tr("Disposals ({count})").format(count=pending) if pending
                               else self.tr("Disposals"))
        rows = []
        for chain in snapshot.chains:
            broken = chain.get("break")
            rows.append({**chain, "state": self.tr("holds") if chain.get("ok") else
                         self.tr("broken at event {event}").format(
                             event=broken.get("seq") if isinstance(broken, dict) else "?")})
        window.chains.rows.set_rows(rows)
        window.chains_state.setText(self.tr("Every seat's audit chain verifies.") if snapshot.chains_ok else
                                    self.tr("A seat's audit chain does not verify: its log was changed after it was "
                                            "written."))
        self._show_consent(snapshot.consent)
        window.say(self.tr("Figures for {since} – {until}.").format(since=f"{snapshot.since:%d %b}",
                                                                     until=f"{snapshot.until:%d %b %Y}"))
        self.loads += 1

    def _show_consent(self, report: ConsentReport | None) -> None:
        window = self.window
        if report is None:
            window.consent_state.setText(self.tr("This hub keeps no consent record."))
            window.consent.rows.set_rows([])
            return
        reasons = report.erased.by_reason
        window.consent_state.setText(self.tr(
            "{held} clips held, {without} naming no consent. Due for erasure in the next 7 days: {due} "
            "({overdue} already past their deadline). Erased in the last 7 days: {flag} flagged, {withdrawal} by "
            "withdrawn consent, {retention} at the end of retention; {refs} consents withdrawn.").format(
            held=report.held.clips, without=report.held.without_consent, due=report.due.clips,
            overdue=report.due.overdue, flag=reasons.get("flag", 0), withdrawal=reasons.get("withdrawal", 0),
            retention=reasons.get("retention", 0), refs=report.erased.consents_withdrawn))
        window.consent.rows.set_rows([{**row.model_dump(), "scope": row.scope or "—"}
                                      for row in report.held.by_source])

    # -- drill-down, disposal, export ----------------------------------------------------------------
    def drill(self, annotator: str) -> None:
        api, (since, until) = self.api, self.window.span()

        def work(report: Callable[[Any], None]) -> list[dict[str, Any]]:
            return [d.model_dump() for d in api.decisions(annotator, since, until)]

        def done(rows: list[dict[str, Any]]) -> None:
            self.window.clips.rows.set_rows(rows)
            self.window.clips_title.setText(self.tr("{who}: %n decisions, {since} – {until} (labels and timings, "
                                                    "never video).", "", len(rows)).format(
                who=annotator, since=f"{since:%d %b}", until=f"{until:%d %b %Y}"))
            self.window.tabs.setCurrentIndex(1)
            self.loads += 1

        run_in_background(work, on_done=done, on_failed=self._failed)

    def dispose(self, clip_id: str, confirm: bool, note: str) -> None:
        api = self.api

        def done(result: Disposal) -> None:
            self.window.say(self.tr("Clip {clip}: disposed of.").format(clip=clip_id[:8]) if confirm
                            else self.tr("Clip {clip}: returned to the pool.").format(clip=clip_id[:8]))
            self.window.note.clear()
            self.refresh()

        run_in_background(lambda report: api.decide_disposal(clip_id, confirm, note), on_done=done,
                          on_failed=self._failed)

    def export(self) -> None:
        table = self.window.current_table()
        if table is None:
            return
        titles, rows = table.sorted.shown()
        path = self._save_path(f"{TAB_FILES[self.window.tabs.currentIndex()]}.csv")
        if not path:
            return
        try:
            Path(path).write_text(table_csv(titles, rows), encoding="utf-8")
        except OSError as exc:
            self.window.say(self.tr("The CSV could not be saved ({why}).").format(why=exc.strerror or exc))
            return
        self.window.say(self.tr("Saved %n rows to {path}.", "", len(rows)).format(path=path))

    def _ask_path(self, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Export the table as CSV"), suggested,
                                              self.tr("CSV files (*.csv)"))
        return path or None


def _fmt(value: Any, pattern: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return pattern.format(value)
    return "—"
