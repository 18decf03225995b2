"""The dashboard window: what a floor supervisor reads and decides. Widgets emit intent; the controller
(:mod:`workstation.ui.dashboard.controller`) loads figures and acts."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.ui.dashboard.chart import TrendChart
from workstation.ui.dashboard.models import Column, RowsModel, SortedRows, hours, one_decimal, percent, plain, seconds
from workstation.ui.i18n import QT_TRANSLATE_NOOP

ANNOTATOR_COLUMNS = [
    Column("annotator", QT_TRANSLATE_NOOP("Dashboard", "Annotator")),
    Column("group_key", QT_TRANSLATE_NOOP("Dashboard", "Day / shift")),
    Column("clips", QT_TRANSLATE_NOOP("Dashboard", "Clips")),
    Column("active_hours", QT_TRANSLATE_NOOP("Dashboard", "Active"), hours,
           QT_TRANSLATE_NOOP("Dashboard", "Hours with the clip window in front and the annotator engaged")),
    Column("clips_per_active_hour", QT_TRANSLATE_NOOP("Dashboard", "Clips / active h"), one_decimal),
    Column("median_s", QT_TRANSLATE_NOOP("Dashboard", "Median / clip"), seconds,
           QT_TRANSLATE_NOOP("Dashboard", "Median active seconds per clip")),
    Column("p90_s", QT_TRANSLATE_NOOP("Dashboard", "p90 / clip"), seconds,
           QT_TRANSLATE_NOOP("Dashboard", "90th percentile of active seconds per clip")),
    Column("watched_fraction", QT_TRANSLATE_NOOP("Dashboard", "Watched"), percent,
           QT_TRANSLATE_NOOP("Dashboard", "Share of each clip's length actually played")),
    Column("fast_share", QT_TRANSLATE_NOOP("Dashboard", "Faster than ½ clip"), percent,
           QT_TRANSLATE_NOOP("Dashboard", "Decisions made in less than half the clip's length")),
    Column("skip_rate", QT_TRANSLATE_NOOP("Dashboard", "Skipped"), percent),
    Column("flag_rate", QT_TRANSLATE_NOOP("Dashboard", "Flagged"), percent),
    Column("gold_accuracy", QT_TRANSLATE_NOOP("Dashboard", "Gold accuracy"), percent,
           QT_TRANSLATE_NOOP("Dashboard", "Share of gold clips (known answers) decided right")),
    Column("gold_n", QT_TRANSLATE_NOOP("Dashboard", "Gold clips")),
    Column("implausible", QT_TRANSLATE_NOOP("Dashboard", "Implausible"), plain,
           QT_TRANSLATE_NOOP("Dashboard", "Decisions whose timings cannot be right; left out of the times")),
]
DECISION_COLUMNS = [
    Column("decided_at", QT_TRANSLATE_NOOP("Dashboard", "Decided (UTC)")),
    Column("clip_id", QT_TRANSLATE_NOOP("Dashboard", "Clip")),
    Column("kind", QT_TRANSLATE_NOOP("Dashboard", "Kind")),
    Column("label", QT_TRANSLATE_NOOP("Dashboard", "Label")),
    Column("reason", QT_TRANSLATE_NOOP("Dashboard", "Reason")),
    Column("active_s", QT_TRANSLATE_NOOP("Dashboard", "Active"), seconds),
    Column("watched_s", QT_TRANSLATE_NOOP("Dashboard", "Watched"), seconds),
    Column("clip_duration_s", QT_TRANSLATE_NOOP("Dashboard", "Clip length"), seconds),
    Column("replays", QT_TRANSLATE_NOOP("Dashboard", "Replays")),
    Column("gold_label", QT_TRANSLATE_NOOP("Dashboard", "Gold")),
    Column("correct", QT_TRANSLATE_NOOP("Dashboard", "Right?")),
    Column("implausible", QT_TRANSLATE_NOOP("Dashboard", "Implausible")),
    Column("comment", QT_TRANSLATE_NOOP("Dashboard", "Comment")),
]
PAIR_COLUMNS = [
    Column("a", QT_TRANSLATE_NOOP("Dashboard", "Annotator")),
    Column("b", QT_TRANSLATE_NOOP("Dashboard", "Annotator")),
    Column("n", QT_TRANSLATE_NOOP("Dashboard", "Clips both decided")),
    Column("kappa", QT_TRANSLATE_NOOP("Dashboard", "Cohen's κ"), plain),
]
DISPOSAL_COLUMNS = [
    Column("requested_at", QT_TRANSLATE_NOOP("Dashboard", "Requested")),
    Column("clip_id", QT_TRANSLATE_NOOP("Dashboard", "Clip")),
    Column("flagged_by", QT_TRANSLATE_NOOP("Dashboard", "Flagged by")),
    Column("reason", QT_TRANSLATE_NOOP("Dashboard", "Reason")),
    Column("status", QT_TRANSLATE_NOOP("Dashboard", "Status")),
    Column("decided_by", QT_TRANSLATE_NOOP("Dashboard", "Decided by")),
    Column("note", QT_TRANSLATE_NOOP("Dashboard", "Note")),
]
CONSENT_COLUMNS = [
    Column("source", QT_TRANSLATE_NOOP("Dashboard", "Source")),
    Column("scope", QT_TRANSLATE_NOOP("Dashboard", "Consent scope")),
    Column("clips", QT_TRANSLATE_NOOP("Dashboard", "Clips held")),
    Column("without_consent", QT_TRANSLATE_NOOP("Dashboard", "Without consent")),
]
CHAIN_COLUMNS = [
    Column("label", QT_TRANSLATE_NOOP("Dashboard", "Seat")),
    Column("device_id", QT_TRANSLATE_NOOP("Dashboard", "Device")),
    Column("events", QT_TRANSLATE_NOOP("Dashboard", "Events")),
    Column("state", QT_TRANSLATE_NOOP("Dashboard", "Verification")),
]
"""Column titles and tips are marked here (context "Dashboard") and translated where they are shown
(:meth:`~workstation.ui.dashboard.models.RowsModel.headerData`)."""
PERIODS = ((QT_TRANSLATE_NOOP("Dashboard", "Today"), 0), (QT_TRANSLATE_NOOP("Dashboard", "Last 7 days"), 6),
           (QT_TRANSLATE_NOOP("Dashboard", "Last 14 days"), 13), (QT_TRANSLATE_NOOP("Dashboard", "Last 30 days"), 29),
           (QT_TRANSLATE_NOOP("Dashboard", "Last 90 days"), 89))
GROUPS = ((QT_TRANSLATE_NOOP("Dashboard", "Whole period"), "all"), (QT_TRANSLATE_NOOP("Dashboard", "Per day"), "day"),
          (QT_TRANSLATE_NOOP("Dashboard", "Per shift"), "shift"),
          (QT_TRANSLATE_NOOP("Dashboard", "Per work period"), "period"))
TAB_FILES = ("annotators", "clips-of-one-annotator", "agreement", "disposals", "audit-trail")
"""The CSV file name suggested for each tab's table (the same in every language)."""


class Table(QTableView):
    """A sortable, read-only table over a :class:`RowsModel`."""

    def __init__(self, columns: list[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = RowsModel(columns, self)
        self.sorted = SortedRows(self.rows, self)
        self.setModel(self.sorted)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def selected_row(self) -> dict[str, object] | None:
        picked = self.selectionModel().selectedRows()
        return self.sorted.row_at(picked[0].row()) if picked else None


class DashboardWindow(QMainWindow):
    sig_refresh = Signal()
    """The period or grouping changed, or Refresh was pressed: load the figures again."""
    sig_drill = Signal(str)
    """Open one annotator's clips (their name)."""
    sig_dispose = Signal(str, bool, str)
    """Decide a disposal request: clip id, True to confirm (destroy the clip) or False to return it, the note."""
    sig_export = Signal()
    """Save the table on screen as CSV."""
    sig_take_shift = Signal()
    """The supervisor takes a shift after all."""
    sig_sign_out = Signal()
    """Sign out."""

    def __init__(self, who: str, today: date | None = None) -> None:
        super().__init__()
        self.today = today or date.today()
        self.setWindowTitle(self.tr("Floor dashboard"))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(16, 12, 16, 8)
        top = QHBoxLayout()
        title = QLabel(self.tr("Floor dashboard") + f"  ·  {who}")
        title.setObjectName("title")
        top.addWidget(title)
        top.addStretch(1)
        self.take_shift = QPushButton(self.tr("Take a shift"))
        self.take_shift.clicked.connect(self.sig_take_shift)
        self.sign_out = QPushButton(self.tr("Sign out"))
        self.sign_out.clicked.connect(self.sig_sign_out)
        top.addWidget(self.take_shift)
        top.addWidget(self.sign_out)
        layout.addLayout(top)

        filters = QHBoxLayout()
        self.period = QComboBox()
        for text, _days in PERIODS:
            self.period.addItem(QCoreApplication.translate("Dashboard", text))
        self.period.setCurrentIndex(2)
        self.since = QDateEdit()
        self.until = QDateEdit()
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        self.group = QComboBox()
        for text, _key in GROUPS:
            self.group.addItem(QCoreApplication.translate("Dashboard", text))
        self.refresh = QPushButton(self.tr("Refresh"))
        self.export = QPushButton(self.tr("Export CSV…"))
        for text, widget in ((self.tr("Period"), self.period), (self.tr("from"), self.since),
                             (self.tr("to"), self.until), ("", self.group)):
            if text:
                filters.addWidget(QLabel(text))
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.refresh)
        filters.addWidget(self.export)
        layout.addLayout(filters)
        self._set_period(2)
        self.period.currentIndexChanged.connect(self._period_chosen)
        self.since.dateChanged.connect(self.sig_refresh)
        self.until.dateChanged.connect(self.sig_refresh)
        self.group.currentIndexChanged.connect(self.sig_refresh)
        self.refresh.clicked.connect(self.sig_refresh)
        self.export.clicked.connect(self.sig_export)

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.annotators = Table(ANNOTATOR_COLUMNS)
        self.annotators.doubleClicked.connect(self._drill)
        self.outliers = QLabel("")
        self.outliers.setObjectName("outliers")
        self.outliers.setWordWrap(True)
        self.floor = QLabel("")
        self.floor.setObjectName("muted")
        self.chart = TrendChart()
        split = QSplitter(Qt.Orientation.Vertical)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.outliers)
        upper_layout.addWidget(self.annotators, 1)
        upper_layout.addWidget(self.floor)
        split.addWidget(upper)
        split.addWidget(self.chart)
        split.setSizes([560, 240])
        self.tabs.addTab(split, self.tr("Annotators"))

        self.clips = Table(DECISION_COLUMNS)
        self.clips_title = QLabel(self.tr("Double-click an annotator to see their clips (labels and timings, never "
                                          "video)."))
        self.clips_title.setObjectName("muted")
        clips_page = QWidget()
        clips_layout = QVBoxLayout(clips_page)
        clips_layout.addWidget(self.clips_title)
        clips_layout.addWidget(self.clips, 1)
        self.tabs.addTab(clips_page, self.tr("Clips of one annotator"))

        self.agreement = QLabel("")
        self.pairs = Table(PAIR_COLUMNS)
        agree_page = QWidget()
        agree_layout = QVBoxLayout(agree_page)
        agree_layout.addWidget(self.agreement)
        agree_layout.addWidget(self.pairs, 1)
        self.tabs.addTab(agree_page, self.tr("Agreement"))

        self.disposals = Table(DISPOSAL_COLUMNS)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Why (kept with the decision, no clip content)"))
        self.confirm = QPushButton(self.tr("Confirm disposal"))
        self.reject = QPushButton(self.tr("Return to the pool"))
        self.confirm.clicked.connect(lambda: self._dispose(True))
        self.reject.clicked.connect(lambda: self._dispose(False))
        dispose_page = QWidget()
        dispose_layout = QVBoxLayout(dispose_page)
        dispose_layout.addWidget(QLabel(self.tr("Clips annotators flagged as sensitive. Confirming destroys the clip "
                                                "on the hub for good; returning puts it back in the pool.")))
        dispose_layout.addWidget(self.disposals, 1)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.reject)
        row.addWidget(self.confirm)
        dispose_layout.addLayout(row)
        self.tabs.addTab(dispose_page, self.tr("Disposals"))

        self.chains_state = QLabel("")
        self.chains = Table(CHAIN_COLUMNS)
        audit_page = QWidget()
        audit_layout = QVBoxLayout(audit_page)
        audit_layout.addWidget(self.chains_state)
        audit_layout.addWidget(self.chains, 1)
        self.tabs.addTab(audit_page, self.tr("Audit trail"))

        self.consent_state = QLabel("")
        self.consent_state.setWordWrap(True)
        self.consent = Table(CONSENT_COLUMNS)
        consent_page = QWidget()
        consent_layout = QVBoxLayout(consent_page)
        consent_layout.addWidget(self.consent_state)
        consent_layout.addWidget(self.consent, 1)
        self.tabs.addTab(consent_page, self.tr("Consent"))

        self.setCentralWidget(central)
        self.statusBar().showMessage("")
        self.resize(1500, 950)

    # -- what the controller asks -------------------------------------------------------------------
    def span(self) -> tuple[date, date]:
        since, until = self.since.date().toPython(), self.until.date().toPython()
        assert isinstance(since, date) and isinstance(until, date)
        return (since, until) if since <= until else (until, since)

    def grouping(self) -> str:
        return GROUPS[self.group.currentIndex()][1]

    def current_table(self) -> Table | None:
        page = self.tabs.currentIndex()
        tables = [self.annotators, self.clips, self.pairs, self.disposals, self.chains, self.consent]
        return tables[page] if 0 <= page < len(tables) else None

    def say(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)

    # -- intents -----------------------------------------------------------------------------------
    def _set_period(self, choice: int) -> None:
        days = PERIODS[choice][1]
        for edit in (self.since, self.until):
            edit.blockSignals(True)
        since = self.today - timedelta(days=days)
        self.since.setDate(QDate(since.year, since.month, since.day))
        self.until.setDate(QDate(self.today.year, self.today.month, self.today.day))
        for edit in (self.since, self.until):
            edit.blockSignals(False)

    def _period_chosen(self, choice: int) -> None:
        self._set_period(choice)
        self.sig_refresh.emit()

    def _drill(self) -> None:
        row = self.annotators.selected_row()
        if row is not None:
            self.sig_drill.emit(str(row["annotator"]))

    def _dispose(self, confirm: bool) -> None:
        row = self.disposals.selected_row()
        if row is None or row.get("status") != "pending":
            self.say(self.tr("Choose a request that is still pending first."))
            return
        self.sig_dispose.emit(str(row["clip_id"]), confirm, self.note.text().strip())
