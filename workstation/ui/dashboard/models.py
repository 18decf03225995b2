"""One table model for every dashboard table: plain rows (dicts) shown through declared columns.

Numbers sort as numbers (``SORT_ROLE``), undefined figures show as "—" and sort last, and rows the
supervisor should look at (outliers) are marked. Checked with Qt's model tester in the tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
    return None


def plain(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def percent(value: Any) -> str:
    number = _number(value)
    return "—" if number is None else f"{number * 100:.0f} %"


def seconds(value: Any) -> str:
    number = _number(value)
    return "—" if number is None else f"{number:.1f} s"


def hours(value: Any) -> str:
    number = _number(value)
    return "—" if number is None else f"{number:.1f} h"


def one_decimal(value: Any) -> str:
    number = _number(value)
    return "—" if number is None else f"{number:.1f}"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    show: Callable[[Any], str] = plain
    tip: str = ""


class RowsModel(QAbstractTableModel):
    """Rows (dicts) through ``columns``; ``marked(row)`` rows are highlighted (e.g. outliers)."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[dict[str, Any]] = []
        self.marked: Callable[[dict[str, Any]], bool] = lambda row: False

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = [dict(r) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) or not 0 <= index.column() < len(self.columns):
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        value = row.get(column.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return column.show(value)
        if role == SORT_ROLE:
            number = _number(value)
            if number is not None:
                return number
            return "" if value is None else str(value)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            aligned = Qt.AlignmentFlag.AlignVCenter
            return int(aligned | (Qt.AlignmentFlag.AlignRight if _number(value) is not None
                                  else Qt.AlignmentFlag.AlignLeft))
        if role == Qt.ItemDataRole.BackgroundRole and self.marked(row):
            return QBrush(QColor("#4a3520"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.get("_why") or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("Dashboard", self.columns[section].title)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self.columns[section].tip
            return QCoreApplication.translate("Dashboard", tip) if tip else None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class SortedRows(QSortFilterProxyModel):
    """Sorted by the numbers underneath (not the shown text); undefined figures last either way."""

    def __init__(self, source: RowsModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left: _Index, right: _Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        a_blank, b_blank = a in (None, ""), b in (None, "")
        if a_blank or b_blank:
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return (not a_blank and b_blank) if ascending else (a_blank and not b_blank)
        if isinstance(a, float) and isinstance(b, float):
            return a < b
        return str(a).casefold() < str(b).casefold()

    def row_at(self, proxy_row: int) -> dict[str, Any]:
        row: dict[str, Any] = self.index(proxy_row, 0).data(ROW_ROLE)
        return row

    def shown(self) -> tuple[list[str], list[list[str]]]:
        """The table as it is on screen: the column titles and every row's shown texts, in the shown order."""
        source = self.sourceModel()
        titles = [str(source.headerData(c, Qt.Orientation.Horizontal)) for c in range(source.columnCount())]
        rows = [[str(self.index(r, c).data()) for c in range(self.columnCount())] for r in range(self.rowCount())]
        return titles, rows
