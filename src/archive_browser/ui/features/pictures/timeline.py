"""The drawn timeline of the Chronology tab: events as points, periods as bars, lanes by theme.

A standalone widget: `TimelineView(archive)` loads the events of its date range off the GUI
thread the first time it is shown, draws at most `MAX_DRAWN` of them (a label says so when
there are more), and emits `event_activated(record_id)` when one is clicked and
`range_changed(DateRange)` when the user narrows the dates. `select_record(record_id)`
highlights an event and centres the drawing on it.

How a date is drawn:
- a day: a diamond at the day;
- an interval (`1925/1933`): a solid bar from its earliest to its latest day; an open end
  (`1925/..`) runs to the edge of the axis, fading;
- any other single date (`1922`, `summer 1922`, `192X`): a hatched bar over every day it may
  mean, since the event happened at some unknown point of that span;
- approximate or uncertain dates (`~1922`, `1936?`) are drawn faded with a dashed outline.

Zoom changes the pixels per year and lays the items out again (text never stretches):
mouse wheel, `+`/`-` (or Ctrl+= / Ctrl+-), `0` to fit, or the slider; drag to pan.
Everything drawn from the data is plain text (painter.drawText); tooltips are escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSlider,
    QStyleOptionGraphicsItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from archive_browser.core.archive import Archive
from archive_browser.core.chronology import (
    DAYS_PER_YEAR,
    MAX_DRAWN,
    DateRange,
    TimelineEvent,
    TimeScale,
    axis_years,
    central_years,
    lane_themes,
    load_events,
    pack_rows,
    parse_range,
)
from archive_browser.core.dates import DateError
from archive_browser.core.text import plain_tooltip
from archive_browser.ui.features.pictures.canvas import (
    ZOOM_STEP,
    PictureView,
    zoom_factor_for_key,
)

# Medium tones, chosen to stay legible both on a white and on a dark grey background.
THEME_COLOURS = {
    "diplomacy": "#4e79a7",
    "politics": "#b07aa1",
    "war": "#e15759",
    "aviation": "#2a9d8f",
    "armour": "#9c755f",
    "chemical weapons": "#8a9a2b",
    "navy": "#f28e2b",
}
SPARE_COLOURS = ("#76b7b2", "#ff9da7", "#bab0ac", "#edc948", "#59a14f")

LANE_GUTTER = 140.0  # the strip at the left that names the lanes
LEFT_MARGIN = LANE_GUTTER + 24  # the first year starts right of the gutter
RIGHT_MARGIN = 260.0  # room for the labels of the last events
AXIS_HEIGHT = 30.0
ROW_HEIGHT = 17.0
BAR_HEIGHT = 11.0
LANE_PADDING = 4.0
POINT_SIZE = 10.0
MIN_BAR = 6.0
LABEL_GAP = 5.0
LABEL_MAX = 200.0
LABEL_ALLOWANCE = 120.0  # a fitted view leaves room for the last events' labels
MIN_PIXELS_PER_YEAR = 8.0
MAX_PIXELS_PER_YEAR = 3650.0  # ten pixels a day
SLIDER_STEPS = 1000
EXPORT_SCALE = 2.0


def lane_colour(theme: str, themes: Sequence[str] = ()) -> QColor:
    """The colour of a theme's lane; themes not in THEME_COLOURS share the spare colours."""
    if theme in THEME_COLOURS:
        return QColor(THEME_COLOURS[theme])
    extra = sorted(t for t in themes if t not in THEME_COLOURS)
    index = extra.index(theme) if theme in extra else len(theme)
    return QColor(SPARE_COLOURS[index % len(SPARE_COLOURS)])


# ------------------------------------------------------------------------- drawing


@dataclass
class Lane:
    theme: str
    colour: QColor
    top: float
    height: float


class EventItem(QGraphicsItem):
    """One event: its mark (point, bar or hatched span) and its title, as plain text."""

    def __init__(self, event: TimelineEvent, colour: QColor, font: QFont) -> None:
        super().__init__()
        self.event = event
        self.colour = colour
        self.font = font
        self.selected = False
        self.label = ""
        self.label_rect = QRectF()
        self.mark_rect = QRectF()
        self._bounds = QRectF()
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(
            plain_tooltip(
                event.title, f"{event.display} · {event.theme}", "Click to show it in the table"
            )
        )

    @property
    def record_id(self) -> str:
        return self.event.record_id

    def place(self, mark: QRectF, label: str, label_rect: QRectF) -> None:
        self.prepareGeometryChange()
        self.mark_rect, self.label, self.label_rect = mark, label, label_rect
        self._bounds = mark.united(label_rect).adjusted(-3, -3, 3, 3)

    def set_selected(self, selected: bool) -> None:
        self.selected = selected
        self.setZValue(2 if selected else 1)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._bounds)
        return path

    def paint(
        self, painter: QPainter, _option: QStyleOptionGraphicsItem, _widget: QWidget | None = None
    ) -> None:
        palette = self.scene().palette() if self.scene() else QPalette()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.selected:
            glow = QColor(palette.color(QPalette.ColorRole.Highlight))
            glow.setAlpha(90)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(glow)
            painter.drawRoundedRect(self._bounds, 4, 4)
        painter.setOpacity(0.6 if self.event.faded else 1.0)
        self._paint_mark(painter)
        painter.setOpacity(1.0)
        painter.setFont(self.font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(
            self.label_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, self.label
        )

    def _paint_mark(self, painter: QPainter) -> None:
        outline = QPen(self.colour, 2.0 if self.selected else 1.3)
        if self.event.faded:
            outline.setStyle(Qt.PenStyle.DashLine)
        rect = self.mark_rect
        if self.event.shape == "point":
            centre = rect.center()
            half = rect.height() / 2
            diamond = QPolygonF(
                [
                    QPointF(centre.x(), centre.y() - half),
                    QPointF(centre.x() + half, centre.y()),
                    QPointF(centre.x(), centre.y() + half),
                    QPointF(centre.x() - half, centre.y()),
                ]
            )
            painter.setPen(outline)
            painter.setBrush(self.colour)
            painter.drawPolygon(diamond)
            return
        fill = QColor(self.colour)
        fill.setAlpha(70 if self.event.shape == "bar" else 35)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 3, 3)
        if self.event.shape == "span":
            hatch = QBrush(self.colour, Qt.BrushStyle.BDiagPattern)
            painter.setBrush(hatch)
            painter.drawRoundedRect(rect, 3, 3)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(outline)
        painter.drawRoundedRect(rect, 3, 3)
        if self.event.open_end or self.event.open_start:
            self._paint_open_end(painter, rect)

    def _paint_open_end(self, painter: QPainter, rect: QRectF) -> None:
        # An arrowhead at the open side: the period runs on beyond what is drawn.
        painter.setBrush(self.colour)
        painter.setPen(Qt.PenStyle.NoPen)
        y, half = rect.center().y(), rect.height() / 2
        if self.event.open_end:
            x = rect.right()
            painter.drawPolygon(
                QPolygonF([QPointF(x, y - half), QPointF(x + 8, y), QPointF(x, y + half)])
            )
        if self.event.open_start:
            x = rect.left()
            painter.drawPolygon(
                QPolygonF([QPointF(x, y - half), QPointF(x - 8, y), QPointF(x, y + half)])
            )


class TimelineScene(QGraphicsScene):
    """The scene: lane bands and year lines behind the items; the axis and lane names on top.

    The axis and the lane names are drawn by `draw_overlay` pinned to a given rectangle (the
    view's visible part, or the whole picture when exporting), so they stay in sight while
    the user pans.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lanes: list[Lane] = []
        self.scale = TimeScale(left=LEFT_MARGIN)
        self.lane_font = QFont()
        self.lane_font.setBold(True)
        self.axis_font = QFont()

    @property
    def first_year(self) -> int:
        return self.scale.first_year

    @property
    def last_year(self) -> int:
        return self.scale.last_year

    @property
    def pixels_per_year(self) -> float:
        return self.scale.pixels_per_year

    @pixels_per_year.setter
    def pixels_per_year(self, value: float) -> None:
        self.scale.pixels_per_year = value

    def x_of_ordinal(self, ordinal: float) -> float:
        return self.scale.x_of_ordinal(ordinal)

    def ordinal_of_x(self, x: float) -> float:
        return self.scale.ordinal_of_x(x)

    def x_of_year(self, year: int) -> float:
        return self.scale.x_of_year(year)

    def drawBackground(self, painter: QPainter, exposed: QRectF | QRect) -> None:
        rect = QRectF(exposed)
        palette = self.palette()
        painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
        alternate = palette.color(QPalette.ColorRole.AlternateBase)
        for i, lane in enumerate(self.lanes):
            if i % 2:
                painter.fillRect(
                    QRectF(rect.left(), lane.top, rect.width(), lane.height), alternate
                )
        grid = QColor(palette.color(QPalette.ColorRole.Text))
        grid.setAlpha(28)
        painter.setPen(QPen(grid, 0))
        bottom = max(rect.bottom(), self.sceneRect().bottom())
        for year in self.scale.labelled_years():
            x = self.x_of_year(year)
            if rect.left() - 1 <= x <= rect.right() + 1:
                painter.drawLine(QPointF(x, AXIS_HEIGHT), QPointF(x, bottom))

    def draw_overlay(self, painter: QPainter, visible: QRectF) -> None:
        """The axis along the top of `visible` and the lane names along its left side."""
        self._draw_axis(painter, visible)
        self._draw_lane_names(painter, visible)

    def _draw_axis(self, painter: QPainter, visible: QRectF) -> None:
        palette = self.palette()
        top = visible.top()
        band = QRectF(visible.left(), top, visible.width(), AXIS_HEIGHT)
        painter.fillRect(band, palette.color(QPalette.ColorRole.Window))
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        painter.setPen(QPen(text_colour, 0))
        painter.drawLine(QPointF(band.left(), band.bottom()), QPointF(band.right(), band.bottom()))
        painter.setFont(self.axis_font)
        left, right = visible.left() + LANE_GUTTER, visible.right() + 60
        for year in self.scale.labelled_years():
            x = self.x_of_year(year)
            if not left <= x <= right:
                continue  # nothing over the lane names' gutter
            painter.drawLine(QPointF(x, band.bottom() - 8), QPointF(x, band.bottom()))
            if x - 12 >= left:
                painter.drawText(
                    QRectF(x - 30, top + 2, 60, AXIS_HEIGHT - 12),
                    Qt.AlignmentFlag.AlignCenter,
                    str(year),
                )
        for year in self.scale.minor_years():
            x = self.x_of_year(year)
            if left <= x <= right:
                painter.drawLine(QPointF(x, band.bottom() - 4), QPointF(x, band.bottom()))
        if self.pixels_per_year >= 240:
            self._draw_month_ticks(painter, visible, band.bottom())

    def _draw_month_ticks(self, painter: QPainter, visible: QRectF, bottom: float) -> None:
        for year in range(self.first_year, self.last_year + 1):
            for month in range(2, 13):
                x = self.x_of_ordinal(date(year, month, 1).toordinal())
                if visible.left() <= x <= visible.right():
                    painter.drawLine(QPointF(x, bottom - 3), QPointF(x, bottom))

    def _draw_lane_names(self, painter: QPainter, visible: QRectF) -> None:
        # A gutter like a Gantt chart's: the names stay at the left while the years scroll.
        palette = self.palette()
        gutter = QRectF(
            visible.left(), visible.top() + AXIS_HEIGHT, LANE_GUTTER, visible.height() - AXIS_HEIGHT
        )
        painter.fillRect(gutter, palette.color(QPalette.ColorRole.Window))
        painter.setFont(self.lane_font)
        metrics = QFontMetricsF(self.lane_font)
        painter.setClipRect(gutter)
        for lane in self.lanes:
            band = QRectF(gutter.left(), lane.top, LANE_GUTTER, lane.height)
            painter.fillRect(QRectF(band.left(), band.top() + 1, 5, band.height() - 2), lane.colour)
            name = metrics.elidedText(
                lane.theme.capitalize() or "No theme", Qt.TextElideMode.ElideRight, LANE_GUTTER - 16
            )
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(
                QRectF(band.left() + 11, band.top() + LANE_PADDING, LANE_GUTTER - 14, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            painter.setPen(QPen(QColor(127, 127, 127, 60), 0))
            painter.drawLine(
                QPointF(gutter.left(), band.bottom()), QPointF(visible.right(), band.bottom())
            )
        painter.setClipping(False)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 0))
        painter.drawLine(
            QPointF(gutter.right(), gutter.top()), QPointF(gutter.right(), gutter.bottom())
        )


class TimelineCanvas(QGraphicsView):
    """The view: wheel and keys zoom, dragging pans, a click on an event reports it."""

    item_clicked = QtSignal(str)
    zoom_requested = QtSignal(float, float)  # factor, the view x to keep still
    fit_requested = QtSignal()
    resized = QtSignal()

    def __init__(self, scene: TimelineScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.timeline_scene = scene
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # The axis and lane names are pinned to the visible area: scrolled pixels cannot be
        # reused, so repaint the whole viewport.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def drawForeground(self, painter: QPainter, _rect: QRectF | QRect) -> None:
        self.timeline_scene.draw_overlay(painter, self.visible_scene_rect())

    def event_item_at(self, position: QPointF) -> EventItem | None:
        for item in self.items(position.toPoint()):
            if isinstance(item, EventItem):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        item = self.event_item_at(event.position())
        if item is not None and event.button() == Qt.MouseButton.LeftButton:
            self.item_clicked.emit(item.record_id)
            event.accept()
            return
        super().mousePressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)  # Shift+wheel scrolls the lanes
            return
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_requested.emit(ZOOM_STEP**steps, event.position().x())
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()  # also when a scroll bar comes or goes

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        centre = self.viewport().width() / 2
        if (factor := zoom_factor_for_key(key)) is not None:
            self.zoom_requested.emit(factor, centre)
        elif key == Qt.Key.Key_0:
            self.fit_requested.emit()
        else:
            super().keyPressEvent(event)


# ------------------------------------------------------------------------- the widget


class TimelineView(PictureView[EventItem]):
    """The drawn chronology with its date-range fields, zoom slider and lane legend."""

    event_activated = QtSignal(str)
    range_changed = QtSignal(object)  # DateRange
    loaded = QtSignal(int, int)  # events drawn, events in range

    def __init__(
        self, archive: Archive, parent: QWidget | None = None, max_drawn: int = MAX_DRAWN
    ) -> None:
        super().__init__(archive, parent)
        self.max_drawn = max_drawn
        self.date_range = DateRange()
        self.events: list[TimelineEvent] = []
        self.total_in_range = 0
        self._fitted = False
        self._showing_range = False  # the drawing is zoomed to the date range, as chosen
        self._range_widths: set[float] = set()  # the widths fitted to it: no back and forth
        self._build()

    # ---------------------------------------------------------------- building

    def _build(self) -> None:
        self.scene = TimelineScene(self)
        self.scene.setPalette(self.palette())
        self.canvas = TimelineCanvas(self.scene, self)
        self.canvas.item_clicked.connect(self._on_item_clicked)
        self.canvas.zoom_requested.connect(self.zoom_by)
        self.canvas.fit_requested.connect(self.fit)
        self.canvas.resized.connect(self._on_canvas_resized)
        self.from_edit = self._date_edit(
            "From",
            "The earliest date to show: 1922, summer 1922, "
            "April 1922 or 22 June 1941. Empty: no limit.",
        )
        self.to_edit = self._date_edit(
            "To", "The latest date to show (same forms as From). Empty: no limit."
        )
        clear = QToolButton(self)
        clear.setText("All dates")
        clear.setToolTip("Show every date again")
        clear.clicked.connect(self.clear_range)
        self.zoom_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.zoom_slider.setRange(0, SLIDER_STEPS)
        self.zoom_slider.setToolTip("Zoom (also the mouse wheel, + and -, 0 to fit)")
        self.zoom_slider.setMaximumWidth(160)
        self.zoom_slider.valueChanged.connect(self._on_slider)
        self.info_label = QLabel(self)
        self.info_label.setTextFormat(Qt.TextFormat.PlainText)
        self.info_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (
            QLabel("From", self),
            self.from_edit,
            QLabel("to", self),
            self.to_edit,
            clear,
        ):
            bar.addWidget(widget)
        bar.addSpacing(12)
        bar.addWidget(self.info_label, 1)
        bar.addWidget(QLabel("Zoom", self))
        bar.addWidget(self.zoom_slider)
        # A date that cannot be read is explained on a line of its own, wrapped, never cut.
        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setForegroundRole(QPalette.ColorRole.Link)
        self.error_label.hide()
        self.legend = QHBoxLayout()
        self.legend.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.error_label)
        layout.addLayout(self.legend)
        layout.addWidget(self.canvas, 1)
        self.info_label.setText("The timeline is drawn when first shown.")
        # An explicit minimum: otherwise every new legend or label text recomputes it, and a
        # platform without size hints (offscreen) warns each time.
        self.setMinimumSize(320, 200)

    def _date_edit(self, name: str, tip: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setPlaceholderText("any date")
        edit.setToolTip(tip)
        edit.setAccessibleName(f"{name} date")
        edit.setClearButtonEnabled(True)
        edit.setMaximumWidth(130)
        edit.editingFinished.connect(self._on_range_edited)
        return edit

    def sizeHint(self) -> QSize:
        return QSize(900, 420)

    # ---------------------------------------------------------------- loading

    def reload(self) -> None:
        """Query the events of the current range (off the GUI thread) and draw them."""
        date_range, cap = self.date_range, self.max_drawn
        self.info_label.setText("Loading the chronology…")
        self._load(lambda reader: load_events(reader, date_range, cap))

    def _on_loaded(self, _generation: int, result: object) -> None:
        # The worker's result crosses the Qt signal as `object`: it is what load_events returned.
        total, events = cast(tuple[int, list[TimelineEvent]], result)
        self.total_in_range = total
        self.events = list(events)
        self._rebuild_items()
        self._update_info()
        self.loaded.emit(len(self.events), total)

    def _on_failed(self, _generation: int, message: str) -> None:
        self.info_label.setText(f"The chronology could not be read: {message}")

    def _update_info(self) -> None:
        drawn, total = len(self.events), self.total_in_range
        if drawn < total:
            text = (
                f"Drawing the first {drawn:,} of {total:,} events in range; "
                "narrow the dates to see the rest."
            )
        else:
            text = f"{total:,} event{'s' if total != 1 else ''}"
            if not self.date_range.is_open:
                text += f", {self.date_range.describe()}"
        self.info_label.setText(text)

    # ---------------------------------------------------------------- range

    def set_range(self, from_text: str, to_text: str) -> bool:
        """Narrow to these dates (as typed); False, with a message, if one cannot be read."""
        self.from_edit.setText(from_text)
        self.to_edit.setText(to_text)
        return self._on_range_edited()

    def clear_range(self) -> None:
        self.set_range("", "")

    def _on_range_edited(self) -> bool:
        try:
            date_range = parse_range(self.from_edit.text(), self.to_edit.text())
        except DateError as error:
            self.error_label.setText(str(error))
            self.error_label.show()
            return False
        self.error_label.hide()
        if date_range != self.date_range:
            self.date_range = date_range
            self._fitted = False
            self._range_widths.clear()
            self.range_changed.emit(date_range)
            self.reload()
        return True

    # ---------------------------------------------------------------- layout

    def _rebuild_items(self) -> None:
        self.scene.clear()
        self.record_items.clear()
        themes = lane_themes(self.events)
        font = self.label_font()
        for event in self.events:
            item = EventItem(event, lane_colour(event.theme, themes), font)
            self.record_items[event.record_id] = item
            self.scene.addItem(item)
        self._themes = themes
        self._set_axis_years()
        self._rebuild_legend(themes)
        if not self._fitted:
            self._fitted = True
            if self.date_range.is_open:
                self.fit(central=True)
            else:
                self.fit_range()
        else:
            self._layout()
        self.record_items.highlight_selected()

    def label_font(self) -> QFont:
        """The events' labels: a little smaller than the window's text, to fit more rows."""
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(max(font.pointSizeF() * 0.88, 7.0))
        return font

    def _set_axis_years(self) -> None:
        self.scene.scale.first_year, self.scene.scale.last_year = axis_years(self.events)

    def _rebuild_legend(self, themes: Sequence[str]) -> None:
        while (item := self.legend.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        for theme in themes:
            self.legend.addWidget(_swatch(lane_colour(theme, themes), self))
            label = QLabel(theme.capitalize() or "No theme", self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            self.legend.addWidget(label)
            self.legend.addSpacing(8)
        if themes:
            key = QLabel(
                "◆ a day   ▬ a period   ▨ a vague date (year, season)   "
                "faded: approximate or uncertain",
                self,
            )
            key.setTextFormat(Qt.TextFormat.PlainText)
            key.setEnabled(False)
            self.legend.addSpacing(12)
            self.legend.addWidget(key)
        self.legend.addStretch(1)

    def _layout(self) -> None:
        """Place every item at the current zoom: lanes by theme, rows so nothing overlaps."""
        scene = self.scene
        metrics = QFontMetricsF(self.label_font())
        scene.lanes = []
        top = AXIS_HEIGHT + 4
        right = 0.0
        by_theme: dict[str, list[EventItem]] = {t: [] for t in self._themes}
        for item in self.record_items.values():
            by_theme[item.event.theme].append(item)
        for theme in self._themes:
            items = sorted(by_theme[theme], key=lambda i: (i.event.start, -i.event.end))
            placed = [self._geometry(item, metrics) for item in items]
            rows = pack_rows([(mark.left(), extent) for mark, _label, _rect, extent in placed])
            room = _room_in_rows([mark.left() for mark, *_rest in placed], rows)
            for item, (mark, label, rect, _extent), row, room_end in zip(
                items, placed, rows, room, strict=True
            ):
                label, rect = _widened_label(item.event.title, label, rect, room_end, metrics)
                right = max(right, rect.right())
                y = top + LANE_PADDING + row * ROW_HEIGHT
                item.place(mark.translated(0, y), label, rect.translated(0, y))
            height = (max(rows, default=0) + 1) * ROW_HEIGHT + 2 * LANE_PADDING
            # Leave room for the lane name above a lane's first row.
            scene.lanes.append(Lane(theme, lane_colour(theme, self._themes), top, height))
            top += height
        width = max(scene.x_of_year(scene.last_year + 1) + RIGHT_MARGIN, right + LABEL_GAP)
        scene.setSceneRect(QRectF(0, 0, width, top + 4))
        scene.update()

    def _geometry(
        self, item: EventItem, metrics: QFontMetricsF
    ) -> tuple[QRectF, str, QRectF, float]:
        """(mark, label text, label rect, right end incl. gap), at y = 0 of its row."""
        scene, event = self.scene, item.event
        bar_top = (ROW_HEIGHT - BAR_HEIGHT) / 2
        if event.shape == "point":
            x = scene.x_of_ordinal(event.start + 0.5)
            mark = QRectF(x - POINT_SIZE / 2, (ROW_HEIGHT - POINT_SIZE) / 2, POINT_SIZE, POINT_SIZE)
        else:
            left, right = scene.scale.mark_span(event)
            mark = QRectF(left, bar_top, max(right - left, MIN_BAR), BAR_HEIGHT)
        full_width = metrics.horizontalAdvance(event.title) + 2
        if event.shape != "point" and mark.width() >= full_width + 2 * LABEL_GAP:
            # A long bar holds its whole title.
            rect = QRectF(mark.left() + LABEL_GAP, 0, full_width, ROW_HEIGHT)
            return mark, event.title, rect, mark.right() + LABEL_GAP
        label = metrics.elidedText(event.title, Qt.TextElideMode.ElideRight, LABEL_MAX)
        text_width = metrics.horizontalAdvance(label) + 2
        if event.shape != "point" and mark.width() >= text_width + 2 * LABEL_GAP:
            rect = QRectF(mark.left() + LABEL_GAP, 0, text_width, ROW_HEIGHT)
            extent = mark.right() + LABEL_GAP
        else:
            start = mark.right() + LABEL_GAP + (8 if event.open_end else 0)
            rect = QRectF(start, 0, text_width, ROW_HEIGHT)
            extent = rect.right() + 2 * LABEL_GAP
        return mark, label, rect, extent

    # ---------------------------------------------------------------- zoom

    @property
    def pixels_per_year(self) -> float:
        return self.scene.pixels_per_year

    def _available_width(self) -> float:
        width = self.canvas.viewport().width()
        return max((width if width > 50 else 800) - LEFT_MARGIN - LABEL_ALLOWANCE, 120)

    def _min_pixels_per_year(self) -> float:
        years = self.scene.last_year - self.scene.first_year + 1
        return max(MIN_PIXELS_PER_YEAR, min(self._available_width() / years, 60.0))

    def set_pixels_per_year(self, value: float, anchor_x: float | None = None) -> None:
        """Zoom to `value` pixels a year, keeping the date under view x `anchor_x` still."""
        value = min(max(value, self._min_pixels_per_year()), MAX_PIXELS_PER_YEAR)
        self._showing_range = False
        if anchor_x is None:
            anchor_x = self.canvas.viewport().width() / 2
        anchor_day = self.scene.ordinal_of_x(self.canvas.mapToScene(int(anchor_x), 0).x())
        self.scene.pixels_per_year = value
        self._layout()
        target = self.scene.x_of_ordinal(anchor_day)
        self.canvas.horizontalScrollBar().setValue(round(target - anchor_x))
        self._sync_slider()

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        self.set_pixels_per_year(self.pixels_per_year * factor, anchor_x)

    def fit(self, central: bool = False) -> None:
        """Show every drawn year; with `central`, the years where most events lie."""
        self._showing_range = False
        first, last = (
            self._central_years() if central else (self.scene.first_year, self.scene.last_year)
        )
        years = last - first + 1
        self.scene.pixels_per_year = min(
            max(self._available_width() / years, self._min_pixels_per_year()), MAX_PIXELS_PER_YEAR
        )
        self._layout()
        self.canvas.horizontalScrollBar().setValue(round(self.scene.x_of_year(first) - LEFT_MARGIN))
        self._sync_slider()

    def fit_range(self) -> None:
        """Zoom so that the chosen date range fills the view (an open end: the drawn events'
        first or last day)."""
        axis_start = date(self.scene.first_year, 1, 1).toordinal()
        axis_end = date(self.scene.last_year, 12, 31).toordinal()
        first, last = self.date_range.days()
        first = max(first if first is not None else axis_start, axis_start)
        last = min(last if last is not None else axis_end, axis_end)
        if last < first:
            self.fit()
            return
        years = (last + 1 - first) / DAYS_PER_YEAR
        self.scene.pixels_per_year = min(
            max(self._available_width() / years, self._min_pixels_per_year()), MAX_PIXELS_PER_YEAR
        )
        self._layout()
        self._showing_range = True
        self._range_widths.add(self._available_width())
        self.canvas.horizontalScrollBar().setValue(
            round(self.scene.x_of_ordinal(first) - LEFT_MARGIN)
        )
        self._sync_slider()

    def _on_canvas_resized(self) -> None:
        # Until the user zooms, the range keeps filling the view, whatever its new width.
        # A scroll bar that comes and goes with the width is left alone after one refit.
        if (
            self._showing_range
            and self.record_items
            and self._available_width() not in self._range_widths
        ):
            QTimer.singleShot(0, self.fit_range)

    def _central_years(self) -> tuple[int, int]:
        return central_years(self.events) or (self.scene.first_year, self.scene.last_year)

    def _sync_slider(self) -> None:
        low, high = math.log(self._min_pixels_per_year()), math.log(MAX_PIXELS_PER_YEAR)
        fraction = (math.log(self.pixels_per_year) - low) / max(high - low, 1e-9)
        self.zoom_slider.blockSignals(True)
        self.zoom_slider.setValue(round(min(max(fraction, 0), 1) * SLIDER_STEPS))
        self.zoom_slider.blockSignals(False)

    def _on_slider(self, value: int) -> None:
        low, high = math.log(self._min_pixels_per_year()), math.log(MAX_PIXELS_PER_YEAR)
        self.set_pixels_per_year(math.exp(low + (high - low) * value / SLIDER_STEPS))

    # ---------------------------------------------------------------- selection

    def event_items(self) -> list[EventItem]:
        return list(self.record_items.values())

    def select_record(self, record_id: str | None, centre: bool = True) -> bool:
        """Highlight `record_id` and centre on it; False if it is not drawn."""
        item = self.record_items.select(record_id)
        if item is None:
            return False
        if centre:
            self.centre_on(item)
        return True

    def centre_on(self, item: EventItem) -> None:
        rect = item.mark_rect
        visible = self.canvas.visible_scene_rect()
        if not visible.adjusted(LANE_GUTTER, AXIS_HEIGHT, 0, 0).contains(rect):
            half = self.canvas.viewport().width() / 2
            self.canvas.horizontalScrollBar().setValue(round(rect.center().x() - half))
            self.canvas.ensureVisible(rect, 20, int(AXIS_HEIGHT) + 20)

    def _on_item_clicked(self, record_id: str) -> None:
        self.select_record(record_id, centre=False)
        self.event_activated.emit(record_id)

    # ---------------------------------------------------------------- export

    def picture_rect(self) -> QRectF:
        return self.scene.sceneRect()

    def export_scale(self) -> float:
        """The whole timeline at twice the screen's pixels: sharp on a projector."""
        return EXPORT_SCALE

    def render_picture(self, painter: QPainter, target: QRectF) -> None:
        """Draw the whole timeline (axis and lane names included) into `target`."""
        source = self.picture_rect()
        self.scene.render(painter, target, source)
        painter.save()
        painter.translate(target.topLeft())
        painter.scale(target.width() / source.width(), target.height() / source.height())
        painter.translate(-source.topLeft())
        self.scene.draw_overlay(painter, source)
        painter.restore()

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self.scene.setPalette(self.palette())  # follow a switch to dark mode
            self.scene.update()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.record_items and self.pixels_per_year < self._min_pixels_per_year():
            QTimer.singleShot(0, lambda: self.set_pixels_per_year(self.pixels_per_year))


def _room_in_rows(starts: Sequence[float], rows: Sequence[int]) -> list[float]:
    """For each item (in start order), where the next item of its row starts, less a gap;
    infinity for the last one of a row."""
    room = [math.inf] * len(starts)
    last_in_row: dict[int, int] = {}
    for index, row in enumerate(rows):
        if row in last_in_row:
            room[last_in_row[row]] = starts[index] - LABEL_GAP
        last_in_row[row] = index
    return room


def _widened_label(
    title: str, label: str, rect: QRectF, room_end: float, metrics: QFontMetricsF
) -> tuple[str, QRectF]:
    """A label cut to fit the rows as `_geometry` packed them, given back whatever room the
    row has: the whole title when the next item starts after it would end, otherwise as
    much as fits. Never narrower than it was."""
    if label == title:
        return label, rect
    width = metrics.horizontalAdvance(title) + 2
    if rect.left() + width > room_end:
        room = room_end - rect.left()
        if room <= rect.width():
            return label, rect
        title = metrics.elidedText(title, Qt.TextElideMode.ElideRight, room - 2)
        width = metrics.horizontalAdvance(title) + 2
    return title, QRectF(rect.left(), rect.top(), width, rect.height())


def _swatch(colour: QColor, parent: QWidget) -> QLabel:
    pixmap = QPixmap(12, 12)
    pixmap.fill(colour)
    label = QLabel(parent)
    label.setPixmap(pixmap)
    return label
