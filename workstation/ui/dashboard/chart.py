"""The hourly trend: clips decided per hour over the chosen days (the floor, or one annotator)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget


def _ms(hour: str) -> int:
    moment = datetime.fromisoformat(hour)
    return int(moment.timestamp() * 1000)


class TrendChart(QChartView):
    """A line of clips per hour; empty hours between points are drawn as zero."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setBackgroundBrush(QColor("#15171a"))
        chart.setPlotAreaBackgroundVisible(False)
        chart.legend().hide()
        chart.setMargins(QMargins(6, 6, 6, 6))
        chart.setTitleBrush(QColor("#c9ccd1"))
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.series = QLineSeries()
        self.series.setPen(QPen(QColor("#5b9bea"), 2))
        chart.addSeries(self.series)
        self.x_axis = QDateTimeAxis()
        self.x_axis.setFormat("dd MMM")
        self.y_axis = QValueAxis()
        self.y_axis.setLabelFormat("%d")
        for axis, side in ((self.x_axis, Qt.AlignmentFlag.AlignBottom), (self.y_axis, Qt.AlignmentFlag.AlignLeft)):
            axis.setLabelsColor(QColor("#9aa0a8"))
            axis.setGridLineColor(QColor("#2a2e34"))
            chart.addAxis(axis, side)
            self.series.attachAxis(axis)

    def set_points(self, title: str, points: list[tuple[str, int]]) -> None:
        """``points``: (hour as ISO time, clips decided in it), in time order."""
        self.chart().setTitle(title)
        self.series.clear()
        if not points:
            return
        hour_ms = 3600 * 1000
        previous: int | None = None
        for hour, clips in points:
            at = _ms(hour)
            if previous is not None and at - previous > hour_ms:  # quiet hours read as zero, not a slope
                self.series.append(previous + hour_ms, 0)
                self.series.append(at - hour_ms, 0)
            self.series.append(at, clips)
            previous = at
        first, last = _ms(points[0][0]), _ms(points[-1][0]) + hour_ms
        self.x_axis.setRange(QDateTime.fromMSecsSinceEpoch(first), QDateTime.fromMSecsSinceEpoch(last))
        self.x_axis.setFormat("HH:mm" if last - first <= 2 * 24 * hour_ms else "dd MMM")
        self.y_axis.setRange(0, max(1, max(c for _, c in points)) * 1.1)
