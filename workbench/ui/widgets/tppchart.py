"""A TPP / performance-density chart with the 3A090.a and .b regions shaded, drawn with plain QPainter.

Officers see at a glance where each item of a case sits against the thresholds; the
region bounds come from the rule data through ``services.reference``, never from here.
The data-to-pixel mapping is a pure function so tests can check geometry without painting.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from workbench.domain.case import Item
from workbench.services.reference import ThresholdBand, ThresholdRegion, advanced_computing_thresholds

PD_MAX = 25.0
TPP_MAX = 20_000.0
LOG_TPP_MIN = 100.0
"""The bottom of the log axis (the linear axis starts at 0)."""

REGION_COLOURS = {"a": QColor(176, 0, 32, 70), "b": QColor(217, 119, 6, 70)}
REGION_EDGES = {"a": QColor(176, 0, 32), "b": QColor(180, 95, 6)}


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One plotted item: its label and figures."""

    label: str
    pd: float
    tpp: float


@dataclass(frozen=True, slots=True)
class Axes:
    """The plot rectangle in pixels and how values map onto it."""

    plot: QRectF
    log_scale: bool = False
    pd_max: float = PD_MAX
    tpp_max: float = TPP_MAX

    def x(self, pd: float) -> float:
        pd = min(max(pd, 0.0), self.pd_max)
        return self.plot.left() + pd / self.pd_max * self.plot.width()

    def y(self, tpp: float) -> float:
        if self.log_scale:
            lo, hi = math.log10(LOG_TPP_MIN), math.log10(self.tpp_max)
            frac = (math.log10(min(max(tpp, LOG_TPP_MIN), self.tpp_max)) - lo) / (hi - lo)
        else:
            frac = min(max(tpp, 0.0), self.tpp_max) / self.tpp_max
        return self.plot.bottom() - frac * self.plot.height()

    def point(self, pd: float, tpp: float) -> QPointF:
        """Data (performance density, TPP) to pixels; values beyond the axes are pinned to the edge."""
        return QPointF(self.x(pd), self.y(tpp))

    def band_rect(self, band: ThresholdBand) -> QRectF:
        """The pixel rectangle of one threshold band (open bounds run to the axis ends)."""
        left = self.x(band.pd_min if band.pd_min is not None else 0.0)
        right = self.x(band.pd_below if band.pd_below is not None else self.pd_max)
        top = self.y(band.tpp_below if band.tpp_below is not None else self.tpp_max)
        bottom = self.y(band.tpp_min if band.tpp_min is not None else 0.0)
        return QRectF(QPointF(left, top), QPointF(right, bottom))


def region_paths(regions: Sequence[ThresholdRegion], axes: Axes) -> dict[str, QPainterPath]:
    """Each paragraph's area as one outline: the union of its bands, less the paragraphs before it.

    "a" takes precedence in the rules (an item meeting .a is not .b), so .b is drawn only
    where .a does not hold, and overlapping bands of one paragraph are not shaded twice.
    """
    paths: dict[str, QPainterPath] = {}
    taken = QPainterPath()
    for region in sorted(regions, key=lambda r: r.paragraph):
        path = QPainterPath()
        for band in region.bands:
            rect = QPainterPath()
            rect.addRect(axes.band_rect(band))
            path = path.united(rect)
        paths[region.paragraph] = path.subtracted(taken).simplified()
        taken = taken.united(path)
    return paths


def region_at(regions: Sequence[ThresholdRegion], pixel: QPointF, axes: Axes) -> str | None:
    """The paragraph whose shaded area holds ``pixel`` (``a`` wins over ``b``, as in the rules)."""
    hits = {r.paragraph for r in regions for band in r.bands if axes.band_rect(band).contains(pixel)}
    for paragraph in ("a", "b"):
        if paragraph in hits:
            return paragraph
    return None


def item_points(items: Sequence[Item]) -> list[ChartPoint]:
    """The items that state both TPP and performance density, labelled by position and model."""
    points = []
    for position, item in enumerate(items, start=1):
        if item.tpp is None or item.performance_density is None:
            continue
        name = item.model or item.description[:24]
        points.append(ChartPoint(f"{position}. {name}", item.performance_density, item.tpp))
    return points


class TppChart(QWidget):
    """The chart widget; call ``set_points`` when the case's items change."""

    MARGINS = (56.0, 12.0, 130.0, 36.0)
    """Left, top, right (legend), bottom."""

    def __init__(self, parent: QWidget | None = None, *, log_scale: bool = False) -> None:
        super().__init__(parent)
        self.log_scale = log_scale
        self.points: list[ChartPoint] = []
        try:
            self.regions: tuple[ThresholdRegion, ...] = advanced_computing_thresholds()
        except Exception:  # the chart is an aid: without rule data it still plots the items
            self.regions = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(360, 240)

    def sizeHint(self) -> QSize:
        return QSize(560, 360)

    def set_points(self, points: Sequence[ChartPoint]) -> None:
        self.points = list(points)
        self.setToolTip("\n".join(f"{p.label}: TPP {p.tpp:,.0f}, PD {p.pd:g}" for p in self.points))
        self.update()

    def set_log_scale(self, on: bool) -> None:
        self.log_scale = on
        self.update()

    def axes(self) -> Axes:
        left, top, right, bottom = self.MARGINS
        plot = QRectF(left, top, max(10.0, self.width() - left - right), max(10.0, self.height() - top - bottom))
        return Axes(plot, self.log_scale)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        axes = self.axes()
        plot = axes.plot
        painter.fillRect(plot, self.palette().base())
        for paragraph, path in region_paths(self.regions, axes).items():
            painter.setBrush(REGION_COLOURS.get(paragraph, QColor(100, 100, 100, 60)))
            painter.setPen(QPen(REGION_EDGES.get(paragraph, QColor(80, 80, 80)), 1))
            painter.drawPath(path)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        self._draw_axes(painter, axes)
        self._draw_points(painter, axes)
        self._draw_legend(painter, plot)
        painter.end()

    def _draw_axes(self, painter: QPainter, axes: Axes) -> None:
        plot = axes.plot
        text = self.palette().text().color()
        grid = QColor(text)
        grid.setAlpha(40)
        metrics = painter.fontMetrics()
        for pd in range(0, int(PD_MAX) + 1, 5):
            x = axes.x(pd)
            painter.setPen(QPen(grid))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(text)
            label = str(pd)
            painter.drawText(QPointF(x - metrics.horizontalAdvance(label) / 2, plot.bottom() + metrics.height()), label)
        ticks = (100, 1000, 1600, 4800, 10_000, 20_000) if axes.log_scale else range(0, int(TPP_MAX) + 1, 4000)
        for tpp in ticks:
            y = axes.y(tpp)
            painter.setPen(QPen(grid))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            label = f"{tpp:,}"
            painter.drawText(
                QPointF(plot.left() - metrics.horizontalAdvance(label) - 4, y + metrics.ascent() / 2), label
            )
        painter.setPen(text)
        painter.drawRect(plot)
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + metrics.height(), plot.width(), metrics.height() + 4),
            Qt.AlignmentFlag.AlignCenter,
            "Performance density",
        )
        painter.save()
        painter.translate(12, plot.center().y())
        painter.rotate(-90)
        painter.drawText(
            QRectF(-60, -8, 120, 16), Qt.AlignmentFlag.AlignCenter, "TPP" + (" (log)" if axes.log_scale else "")
        )
        painter.restore()

    def _draw_points(self, painter: QPainter, axes: Axes) -> None:
        painter.setPen(QPen(self.palette().text().color(), 1.5))
        painter.setBrush(QColor(29, 78, 216))
        metrics = painter.fontMetrics()
        for point in self.points:
            centre = axes.point(point.pd, point.tpp)
            painter.drawEllipse(centre, 4.5, 4.5)
            width = metrics.horizontalAdvance(point.label)
            # Labels near the right edge go to the left of their point, so they stay inside the plot.
            offset = QPointF(7, -6) if centre.x() + 7 + width <= axes.plot.right() else QPointF(-7 - width, -6)
            painter.drawText(centre + offset, point.label)

    def _draw_legend(self, painter: QPainter, plot: QRectF) -> None:
        x = plot.right() + 12
        y = plot.top() + 4
        painter.setPen(self.palette().text().color())
        for region in sorted(self.regions, key=lambda r: r.paragraph):
            painter.setBrush(REGION_COLOURS.get(region.paragraph, QColor(100, 100, 100, 60)))
            painter.setPen(REGION_EDGES.get(region.paragraph, QColor(80, 80, 80)))
            painter.drawRect(QRectF(x, y, 14, 14))
            painter.setPen(self.palette().text().color())
            painter.drawText(QPointF(x + 20, y + 12), f"3A090.{region.paragraph}")
            y += 22
        painter.setBrush(QColor(29, 78, 216))
        painter.drawEllipse(QPointF(x + 7, y + 7), 4.5, 4.5)
        painter.drawText(QPointF(x + 20, y + 12), "item")
