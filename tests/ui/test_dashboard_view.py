"""The dashboard's tables and window, on rows as the hub sends them (the hub itself: test_dashboard_hub.py)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from workstation.sync.supervisor import (
    Agreement,
    AnnotatorRow,
    ConsentReport,
    Disposal,
    Figures,
    HourPoint,
    Outlier,
    PairKappa,
    SupervisorApi,
)
from workstation.ui.dashboard.controller import DashboardController, Snapshot, table_csv
from workstation.ui.dashboard.models import SORT_ROLE
from workstation.ui.dashboard.window import ANNOTATOR_COLUMNS, DashboardWindow

ROWS = [
    AnnotatorRow(annotator="ana", clips=120, active_hours=4.0, clips_per_active_hour=30.0, median_s=18.5, p90_s=40.2,
                 watched_fraction=0.93, fast_share=0.04, skip_rate=0.02, flag_rate=0.01, gold_accuracy=0.95, gold_n=6),
    AnnotatorRow(annotator="bob", clips=400, active_hours=2.0, clips_per_active_hour=200.0, median_s=2.1, p90_s=3.0,
                 watched_fraction=0.2, fast_share=0.9, skip_rate=0.0, flag_rate=0.0, gold_accuracy=0.5, gold_n=20),
    AnnotatorRow(annotator="cem", clips=3, active_hours=0.1, clips_per_active_hour=30.0, median_s=None, p90_s=None,
                 gold_accuracy=None, gold_n=0),
]


def _snapshot() -> Snapshot:
    figures = Figures(ROWS, {"clips": 523, "clips_per_active_hour": 85.4, "median_s": 9.0, "gold_accuracy": 0.69},
                      [Outlier(annotator="bob", why="6.7× the floor's clips per active hour, gold accuracy 50 %.")])
    disposal = Disposal(clip_id="c" * 32, status="pending", flagged_by="ana", flag="sensitive", reason="nudity",
                        flagged_at="2026-12-01T10:00:00.000Z", shift_id="s" * 32, requested_at="2026-12-01T10:00:01.000Z")
    return Snapshot(date(2026, 11, 21), date(2026, 12, 4), figures,
                    [HourPoint(hour="2026-12-01T09:00:00Z", clips=40), HourPoint(hour="2026-12-01T11:00:00Z", clips=55)],
                    Agreement(clips=30, pairs=[PairKappa(a="ana", b="bob", n=12, kappa=0.41)], fleiss_kappa=0.38,
                              krippendorff_alpha=0.39),
                    [disposal], False, [{"device_id": "d" * 32, "label": "seat-7", "ok": False, "events": 90,
                                         "break": {"seq": 17, "reason": "hash"}}],
                    ConsentReport.model_validate({
                        "retain_days": 90,
                        "held": {"clips": 40, "without_consent": 2, "by_source": [
                            {"source": "customer", "scope": "troubleshooting", "clips": 30, "without_consent": 0},
                            {"source": "unknown", "scope": None, "clips": 10, "without_consent": 2}]},
                        "due": {"clips": 5, "overdue": 1},
                        "erased": {"clips": 7, "by_reason": {"flag": 1, "withdrawal": 4, "retention": 2},
                                   "consents_withdrawn": 3}}))


class _NoHub(SupervisorApi):
    def __init__(self) -> None:
        pass


def _dashboard(qtbot: Any, tmp_path: Path) -> tuple[DashboardWindow, DashboardController]:
    window = DashboardWindow("sue @ seat-1", today=date(2026, 12, 4))
    qtbot.addWidget(window)
    controller = DashboardController(window, _NoHub(), save_path=lambda name: str(tmp_path / name))
    controller._show(_snapshot())
    return window, controller


def test_every_table_model_passes_qts_model_tester(qtbot: Any, qtmodeltester: Any, tmp_path: Path) -> None:
    window, _ = _dashboard(qtbot, tmp_path)
    for table in (window.annotators, window.clips, window.pairs, window.disposals, window.chains):
        qtmodeltester.check(table.rows)
        qtmodeltester.check(table.sorted)


def test_annotators_sort_by_number_with_undefined_last_and_outliers_marked(qtbot: Any, tmp_path: Path) -> None:
    window, _ = _dashboard(qtbot, tmp_path)
    table = window.annotators
    column = next(i for i, c in enumerate(ANNOTATOR_COLUMNS) if c.key == "median_s")
    table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    assert [table.sorted.row_at(r)["annotator"] for r in range(3)] == ["bob", "ana", "cem"]
    table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    assert [table.sorted.row_at(r)["annotator"] for r in range(3)] == ["ana", "bob", "cem"]  # "—" stays last
    clips = next(i for i, c in enumerate(ANNOTATOR_COLUMNS) if c.key == "clips")
    table.sortByColumn(clips, Qt.SortOrder.DescendingOrder)
    assert [table.sorted.index(r, clips).data(SORT_ROLE) for r in range(3)] == [400.0, 120.0, 3.0]
    marked = [table.sorted.row_at(r)["annotator"] for r in range(3)
              if table.sorted.index(r, 0).data(Qt.ItemDataRole.BackgroundRole) is not None]
    assert marked == ["bob"]
    assert "bob" in window.outliers.text() and "gold accuracy 50 %" in window.outliers.text()
    assert ".;" not in window.outliers.text() and ".." not in window.outliers.text()


def test_the_other_tabs_say_what_they_hold(qtbot: Any, tmp_path: Path) -> None:
    window, _ = _dashboard(qtbot, tmp_path)
    assert "Fleiss' κ 0.38" in window.agreement.text() and "Krippendorff's α 0.39" in window.agreement.text()
    assert window.tabs.tabText(3) == "Disposals (1)"
    assert "does not verify" in window.chains_state.text()
    assert window.chains.sorted.index(0, 3).data() == "broken at event 17"


def test_csv_export_is_the_table_on_screen(qtbot: Any, tmp_path: Path) -> None:
    window, controller = _dashboard(qtbot, tmp_path)
    table = window.annotators
    table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # clips, most first
    controller.export()
    rows = list(csv.reader(io.StringIO((tmp_path / "annotators.csv").read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["Annotator", "Day / shift", "Clips"]
    assert [r[0] for r in rows[1:]] == ["bob", "ana", "cem"]
    assert rows[2][ANNOTATOR_COLUMNS.index(next(c for c in ANNOTATOR_COLUMNS if c.key == "median_s"))] == "18.5 s"
    assert table_csv(["a"], [["x,y"]]) == 'a\r\n"x,y"\r\n'


def test_a_disposal_needs_a_pending_request_chosen(qtbot: Any, tmp_path: Path) -> None:
    window, _ = _dashboard(qtbot, tmp_path)
    asked: list[tuple[str, bool, str]] = []
    window.sig_dispose.connect(lambda *a: asked.append(a))
    window.confirm.click()
    assert asked == [] and "Choose a request" in window.statusBar().currentMessage()
    window.disposals.selectRow(0)
    window.note.setText("child's face")
    window.confirm.click()
    assert asked == [("c" * 32, True, "child's face")]


def test_the_consent_tab_shows_the_privacy_report(qtbot: Any, tmp_path: Path) -> None:
    window, controller = _dashboard(qtbot, tmp_path)
    text = window.consent_state.text()
    assert "40 clips held, 2 naming no consent" in text and "next 7 days: 5 (1 already past" in text
    assert "1 flagged, 4 by withdrawn consent, 2 at the end of retention; 3 consents withdrawn" in text
    rows = {window.consent.sorted.row_at(r)["source"]: window.consent.sorted.row_at(r) for r in range(2)}
    assert set(rows) == {"customer", "unknown"} and rows["unknown"]["scope"] == "—"
    assert rows["customer"]["clips"] == 30
    window.tabs.setCurrentIndex(5)
    assert window.current_table() is window.consent
    import dataclasses

    controller._show(dataclasses.replace(_snapshot(), consent=None))  # an older hub: the rest shows, the tab says so
    assert "no consent record" in window.consent_state.text() and window.consent.rows.rowCount() == 0
