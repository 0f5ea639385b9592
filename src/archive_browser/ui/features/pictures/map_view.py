"""The offline map of the Sites tab: bundled coastlines, one labelled marker per site.

The base map, the projection, the sites and the label placement are plain Python in
`core/geo.py`; this module draws them. Nothing is downloaded. Modern borders are not drawn:
they would be anachronistic for 1919-1941.

`MapView(archive)` loads the sites with coordinates off the GUI thread when first shown and
emits `site_activated(record_id)` when a marker is clicked; `select_record(record_id)`
highlights one. Zoom with the wheel, `+`/`-` (or Ctrl+= / Ctrl+-), `0` to fit; drag to pan.
Markers and labels keep their size on screen; labels are placed again after each zoom so
that they do not overlap (a short leader line joins a label pushed away from its marker).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar, cast

from PySide6.QtCore import QLineF, QMarginsF, QPointF, QRectF, QSize, Qt, QTimer
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
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from archive_browser.core.archive import Archive
from archive_browser.core.geo import (
    Basemap,
    Box,
    ConicProjection,
    LabelRequest,
    MapSite,
    Point,
    graticule_lines,
    load_basemap,
    load_sites,
    projected_rings,
)
from archive_browser.core.geo import place_labels as placed_labels
from archive_browser.core.text import plain_tooltip
from archive_browser.ui.features.pictures.canvas import (
    ZOOM_STEP,
    PictureView,
    zoom_factor_for_key,
)
from archive_browser.ui.widgets.timers import single_shot_timer

MIN_SCALE_FACTOR = 0.5  # zoom out at most to half the fitted scale
MAX_PIXELS_PER_KM = 12.0
# Fitted, the sites keep this far (pixels) from the edges: room for their labels, which go
# to the right of their markers first.
FIT_MARGINS = QMarginsF(50, 24, 170, 24)

SITE_COLOUR = "#d1495b"  # the cooperation sites: a red that reads on light and dark land


# ------------------------------------------------------------------------- geography


def scene_point(projection: ConicProjection, lon: float, lat: float) -> QPointF:
    """Where a longitude and latitude lie in the scene (kilometres, y growing southwards)."""
    return QPointF(*projection.project(lon, lat))


def _add_polyline(path: QPainterPath, points: Sequence[Point]) -> None:
    path.moveTo(QPointF(*points[0]))
    for point in points[1:]:
        path.lineTo(QPointF(*point))


def land_paths(basemap: Basemap, projection: ConicProjection) -> tuple[QPainterPath, QPainterPath]:
    """(the land to fill, the coastlines to stroke, without the region's clipping edges)."""
    land = QPainterPath()
    land.setFillRule(Qt.FillRule.OddEvenFill)  # lakes and inland seas are holes
    coast = QPainterPath()
    for outline, coasts in projected_rings(basemap, projection):
        _add_polyline(land, outline)
        land.closeSubpath()
        for line in coasts:
            _add_polyline(coast, line)
    return land, coast


def graticule_path(
    region: tuple[float, float, float, float], projection: ConicProjection, spacing: int = 10
) -> QPainterPath:
    path = QPainterPath()
    for line in graticule_lines(region, projection, spacing):
        _add_polyline(path, line)
    return path


# ------------------------------------------------------------------------- data


def mixed(a: QColor, b: QColor, amount: float) -> QColor:
    """`a` moved `amount` (0..1) of the way to `b`: tints that follow light and dark palettes."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


# ------------------------------------------------------------------------- items


class SiteLabel(QGraphicsItem):
    """A site's name as plain text on a soft backdrop, with a leader line when pushed away."""

    def __init__(self, marker: SiteMarker) -> None:
        super().__init__(marker)
        self.marker = marker
        self.font = QFont()
        if marker.site.category == "site":
            self.font.setBold(True)
        elif marker.site.category == "area":
            self.font.setItalic(True)
        self.text = marker.site.name
        metrics = QFontMetricsF(self.font)
        self.size = QSize(
            math.ceil(metrics.horizontalAdvance(self.text)) + 6, math.ceil(metrics.height()) + 2
        )
        self.leader = False

    def boundingRect(self) -> QRectF:
        rect = QRectF(0, 0, self.size.width(), self.size.height())
        if self.leader:
            rect = rect.united(QRectF(-self.pos(), QSize(1, 1)))
        return rect

    def shape(self) -> QPainterPath:
        # Only the label itself takes clicks: its leader line may pass over other markers.
        path = QPainterPath()
        path.addRect(QRectF(0, 0, self.size.width(), self.size.height()))
        return path

    def set_offset(self, offset: QPointF, leader: bool) -> None:
        self.prepareGeometryChange()
        self.leader = leader
        self.setPos(offset)

    def paint(
        self, painter: QPainter, _option: QStyleOptionGraphicsItem, _widget: QWidget | None = None
    ) -> None:
        palette = self.scene().palette()
        rect = QRectF(0, 0, self.size.width(), self.size.height())
        selected = self.marker.selected
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.leader:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), 1.0))
            painter.drawLine(self.leader_line())
        backdrop = QColor(
            palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base)
        )
        backdrop.setAlpha(235 if selected else 190)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(backdrop)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setFont(self.font)
        painter.setPen(
            palette.color(
                QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            )
        )
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.text)

    def leader_line(self) -> QLineF:
        """From the marker's centre to the nearest point of the label (label coordinates)."""
        rect = QRectF(0, 0, self.size.width(), self.size.height())
        centre = -self.pos()
        return QLineF(
            centre,
            QPointF(
                min(max(centre.x(), rect.left()), rect.right()),
                min(max(centre.y(), rect.top()), rect.bottom()),
            ),
        )


class SiteMarker(QGraphicsItem):
    """A site's marker; keeps its size on screen whatever the zoom."""

    RADIUS: ClassVar[dict[str, float]] = {"site": 6.0, "place": 4.0, "area": 4.5}

    def __init__(self, site: MapSite, position: QPointF) -> None:
        super().__init__()
        self.site = site
        self.selected = False
        self.setPos(position)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(10 if site.category == "site" else 5)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        details = [
            site.kind,
            site.period,
            f"cover name {site.cover_name}" if site.cover_name else "",
            f"{site.lat:.2f}° N, {site.lon:.2f}° E",
        ]
        self.setToolTip(
            plain_tooltip(site.name, " · ".join(d for d in details if d), "Click to open it")
        )
        self.label = SiteLabel(self)

    @property
    def record_id(self) -> str:
        return self.site.record_id

    @property
    def radius(self) -> float:
        return self.RADIUS[self.site.category]

    def set_selected(self, selected: bool) -> None:
        self.selected = selected
        self.setZValue(20 if selected else (10 if self.site.category == "site" else 5))
        self.update()
        self.label.update()

    def boundingRect(self) -> QRectF:
        r = self.radius + 6
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(
        self, painter: QPainter, _option: QStyleOptionGraphicsItem, _widget: QWidget | None = None
    ) -> None:
        palette = self.scene().palette()
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.radius
        if self.selected:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), r + 4, r + 4)
        category = self.site.category
        if category == "site":
            painter.setPen(QPen(base, 1.5))
            painter.setBrush(QColor(SITE_COLOUR))
            painter.drawEllipse(QPointF(0, 0), r, r)
        elif category == "place":
            painter.setPen(QPen(base, 1.2))
            painter.setBrush(text)
            painter.drawEllipse(QPointF(0, 0), r, r)
        else:
            painter.setPen(QPen(text, 1.5))
            painter.setBrush(QBrush(base))
            painter.drawRect(QRectF(-r + 1, -r + 1, 2 * r - 2, 2 * r - 2))


# ------------------------------------------------------------------------- label placement


def place_labels(
    markers: Sequence[SiteMarker],
    to_view: Callable[[QPointF], QPointF],
    view_rect: QRectF | None = None,
) -> None:
    """Place every marker's label beside its own marker (`core.geo.place_labels`), in view
    pixels: `to_view(scene_point) -> QPointF` maps a marker's position to the view, and
    labels stay inside `view_rect` where they can."""
    requests = []
    for marker in markers:
        centre = to_view(marker.scenePos())
        requests.append(
            LabelRequest(
                key=id(marker),
                centre=(centre.x(), centre.y()),
                radius=marker.radius,
                width=marker.label.size.width(),
                height=marker.label.size.height(),
                category=marker.site.category,
                name=marker.site.name,
                selected=marker.selected,
            )
        )
    bounds = (
        Box(view_rect.left(), view_rect.top(), view_rect.width(), view_rect.height())
        if view_rect is not None
        else None
    )
    placed = placed_labels(requests, bounds)
    for marker in markers:
        place = placed.get(id(marker))
        # Out of sight, or crowded out: such a label waits for a pan or a closer zoom.
        marker.label.setVisible(place is not None)
        if place is not None:
            (dx, dy), leader = place
            marker.label.set_offset(QPointF(dx, dy), leader)


# ------------------------------------------------------------------------- the view


class MapCanvas(QGraphicsView):
    """Wheel and keys zoom, dragging pans, a click on a marker (or its label) reports it."""

    site_clicked = QtSignal(str)
    zoomed = QtSignal()
    fit_requested = QtSignal()

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        # Zooming keeps a chosen point still itself (`zoom_by`); the map fills its pane, and
        # dragging pans it, so scroll bars would only take room from it.
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.min_scale = 0.01
        self.max_scale = MAX_PIXELS_PER_KM

    def marker_at(self, position: QPointF) -> SiteMarker | None:
        """The marker under `position`. Where dots overlap (a small map: Moscow, Fili and
        Podosinki), the one whose centre is nearest wins, not whichever is drawn on top."""
        items = self.items(position.toPoint())
        markers = [item for item in items if isinstance(item, SiteMarker)]
        if markers:

            def distance(marker: SiteMarker) -> float:
                centre = self.mapFromScene(marker.scenePos())
                return (centre.x() - position.x()) ** 2 + (centre.y() - position.y()) ** 2

            return min(markers, key=distance)
        for item in items:
            if isinstance(item, SiteLabel):
                return item.marker
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        marker = self.marker_at(event.position())
        if marker is not None and event.button() == Qt.MouseButton.LeftButton:
            self.site_clicked.emit(marker.record_id)
            event.accept()
            return
        super().mousePressEvent(event)

    @property
    def current_scale(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float, at: QPointF | None = None) -> None:
        """Zoom by `factor`, keeping the place under view point `at` (default: the centre)
        where it is."""
        target = min(max(self.current_scale * factor, self.min_scale), self.max_scale)
        factor = target / self.current_scale
        if abs(factor - 1) <= 1e-6:
            return
        if at is None:
            at = QPointF(self.viewport().rect().center())
        still = self.viewportTransform().inverted()[0].map(at)
        self.scale(factor, factor)
        moved = self.viewportTransform().map(still) - at
        horizontal, vertical = self.horizontalScrollBar(), self.verticalScrollBar()
        horizontal.setValue(horizontal.value() + round(moved.x()))
        vertical.setValue(vertical.value() + round(moved.y()))
        self.zoomed.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        # The wheel zooms at the pointer, with or without Ctrl; dragging pans.
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP**steps, event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if (factor := zoom_factor_for_key(key)) is not None:
            self.zoom_by(factor)
        elif key == Qt.Key.Key_0:
            self.fit_requested.emit()
        else:
            super().keyPressEvent(event)


class MapView(PictureView[SiteMarker]):
    """The map with its legend and a line saying what it shows."""

    site_activated = QtSignal(str)
    loaded = QtSignal(int, int)  # markers drawn, sites with coordinates

    def __init__(
        self, archive: Archive, parent: QWidget | None = None, basemap_path: Path | None = None
    ) -> None:
        super().__init__(archive, parent)
        self.basemap_path = basemap_path
        self.projection = ConicProjection()
        self.sites: list[MapSite] = []
        self.total_with_coordinates = 0
        self.all_sites = 0
        self._region = (-12.0, 33.0, 75.0, 73.0)
        self._relabel_timer = single_shot_timer(self, 30, self.relabel)
        self._build()

    def _build(self) -> None:
        self.scene = QGraphicsScene(self)
        self.scene.setPalette(self.palette())
        self.canvas = MapCanvas(self.scene, self)
        self.canvas.site_clicked.connect(self._on_marker_clicked)
        self.canvas.zoomed.connect(self._relabel_timer.start)
        # Labels keep inside the visible area: a pan places them again.
        for bar in (self.canvas.horizontalScrollBar(), self.canvas.verticalScrollBar()):
            bar.valueChanged.connect(self._relabel_soon)
        self.canvas.fit_requested.connect(self.fit)
        self.info_label = QLabel("The map is drawn when first shown.", self)
        self.info_label.setTextFormat(Qt.TextFormat.PlainText)
        self.info_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        legend = QHBoxLayout()
        legend.setContentsMargins(0, 0, 0, 0)
        for category, text in (
            ("site", "place of the cooperation"),
            ("place", "town"),
            ("area", "country or region"),
        ):
            legend.addWidget(_legend_swatch(category, self))
            label = QLabel(text, self)
            legend.addWidget(label)
            legend.addSpacing(10)
        legend.addWidget(self.info_label, 1)
        self.info_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(legend)
        # An explicit minimum: otherwise every new legend or label text recomputes it, and a
        # platform without size hints (offscreen) warns each time.
        self.setMinimumSize(320, 200)

    def sizeHint(self) -> QSize:
        return QSize(640, 520)

    # ---------------------------------------------------------------- loading

    def reload(self) -> None:
        if not self.scene.items():
            self._draw_basemap()
        self._load(lambda reader: (*load_sites(reader), reader.total("site")))

    def _draw_basemap(self) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self.canvas.setBackgroundBrush(mixed(base, QColor("#5b9bd5"), 0.25))
        try:
            basemap = load_basemap(self.basemap_path)
        except (OSError, ValueError, KeyError) as error:
            self.info_label.setText(f"The base map could not be read ({error}).")
            return
        self._region = basemap.region
        land, coast = land_paths(basemap, self.projection)
        land_item = QGraphicsPathItem(land)
        land_item.setBrush(mixed(base, QColor("#c9b98f"), 0.35))
        land_item.setPen(Qt.PenStyle.NoPen)
        coast_item = QGraphicsPathItem(coast)
        coast_item.setPen(QPen(mixed(base, text, 0.45), 0))  # cosmetic: one pixel at any zoom
        grid = QColor(text)
        grid.setAlpha(40)
        graticule = QGraphicsPathItem(graticule_path(basemap.region, self.projection))
        graticule.setPen(QPen(grid, 0, Qt.PenStyle.DotLine))
        for z, item in enumerate((land_item, graticule, coast_item)):
            item.setZValue(z)
            self.scene.addItem(item)
        self._add_graticule_labels(basemap.region, grid)
        self._land_items = (land_item, coast_item, graticule)
        margin = 400.0
        self.scene.setSceneRect(land.boundingRect().adjusted(-margin, -margin, margin, margin))

    def _add_graticule_labels(
        self, region: tuple[float, float, float, float], colour: QColor
    ) -> None:
        west, south, east, north = region
        font = QFont()
        font.setPointSizeF(max(font.pointSizeF() * 0.8, 6))
        solid = QColor(colour)
        solid.setAlpha(150)
        for lat in range(40, int(north) + 1, 10):
            self._grid_label(f"{lat}° N", self._at(west + 0.3, lat), font, solid)
        for lon in range(0, int(east) + 1, 10):
            self._grid_label(f"{lon}° E", self._at(lon, south + 0.3), font, solid)

    def _at(self, lon: float, lat: float) -> QPointF:
        return scene_point(self.projection, lon, lat)

    def _grid_label(self, text: str, position: QPointF, font: QFont, colour: QColor) -> None:
        item = QGraphicsSimpleTextItem(text)
        item.setFont(font)
        item.setBrush(colour)
        item.setPos(position)
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        item.setZValue(3)
        self.scene.addItem(item)

    def _on_loaded(self, _generation: int, result: object) -> None:
        # The worker's result crosses the Qt signal as `object`: load_sites' pair and a count.
        total, sites, self.all_sites = cast(tuple[int, list[MapSite], int], result)
        self.total_with_coordinates = total
        self.sites = list(sites)
        for marker in self.record_items.values():
            self.scene.removeItem(marker)
        self.record_items.clear()
        for site in self.sites:
            marker = SiteMarker(site, self._at(site.lon, site.lat))
            self.record_items[site.record_id] = marker
            self.scene.addItem(marker)
        self.record_items.highlight_selected()
        self.fit()
        self._update_info()
        self.loaded.emit(len(self.sites), total)

    def _on_failed(self, _generation: int, message: str) -> None:
        self.info_label.setText(f"The sites could not be read: {message}")

    def _update_info(self) -> None:
        all_sites = self.all_sites
        shown, total = len(self.sites), self.total_with_coordinates
        text = f"{shown:,} site{'s' if shown != 1 else ''} on the map"
        if shown < total:
            text = f"The first {shown:,} of {total:,} sites with coordinates"
        if all_sites > total:
            text += f"; {all_sites - total:,} without coordinates"
        self.info_label.setText(text + ". Coastlines: Natural Earth; no modern borders.")

    # ---------------------------------------------------------------- zoom and labels

    def fit(self) -> None:
        """Zoom to show every site (or the whole region when there are none)."""
        margins = QMarginsF(0, 0, 0, 0)
        if self.record_items:
            rect = QRectF()
            for marker in self.record_items.values():
                rect = rect.united(QRectF(marker.pos(), QSize(1, 1)))
            margins = FIT_MARGINS
        else:
            west, south, east, north = self._region
            corners = [self._at(x, y) for x in (west, east) for y in (south, north)]
            rect = QRectF(corners[0], corners[3]).normalized()
        room = QRectF(self.canvas.viewport().rect()).marginsRemoved(margins)
        scale = min(
            max(room.width(), 40) / max(rect.width(), 1.0),
            max(room.height(), 40) / max(rect.height(), 1.0),
            self.canvas.max_scale,
        )
        self.canvas.resetTransform()
        self.canvas.scale(scale, scale)
        # The sites' centre at the centre of the room left by the margins.
        shift = QPointF(margins.left() - margins.right(), margins.top() - margins.bottom()) / 2
        self.canvas.centerOn(rect.center() - shift / scale)
        self.canvas.min_scale = scale * MIN_SCALE_FACTOR
        self.relabel()

    def zoom_by(self, factor: float, at: QPointF | None = None) -> None:
        self.canvas.zoom_by(factor, at)

    def _relabel_soon(self, *_args: object) -> None:
        self._relabel_timer.start()

    def relabel(self) -> None:
        markers = list(self.record_items.values())
        canvas = self.canvas
        place_labels(
            markers,
            canvas.viewportTransform().map,
            QRectF(canvas.viewport().rect()),
        )
        self.scene.update()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.record_items:
            QTimer.singleShot(0, self.fit)

    # ---------------------------------------------------------------- selection

    def markers(self) -> list[SiteMarker]:
        return list(self.record_items.values())

    def marker_for(self, record_id: str) -> SiteMarker | None:
        return self.record_items.get(record_id)

    def select_record(self, record_id: str | None, centre: bool = True) -> bool:
        """Highlight `record_id` (and bring it into view); False if it has no marker."""
        marker = self.record_items.select(record_id)
        if marker is None:
            return False
        visible = self.canvas.mapToScene(self.canvas.viewport().rect()).boundingRect()
        if centre and not visible.contains(marker.pos()):
            self.canvas.centerOn(marker)
        self.relabel()
        return True

    def _on_marker_clicked(self, record_id: str) -> None:
        self.select_record(record_id, centre=False)
        self.site_activated.emit(record_id)

    # ---------------------------------------------------------------- export

    def picture_rect(self) -> QRectF:
        return QRectF(self.canvas.viewport().rect())

    def export_scale(self) -> float:
        """The visible area is exported at the screen's resolution, labels as placed now."""
        return self.canvas.devicePixelRatioF()

    def render_picture(self, painter: QPainter, target: QRectF) -> None:
        """Draw the map as the user sees it now into `target`."""
        self.canvas.render(painter, target, self.canvas.viewport().rect())

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and self._requested:
            self.scene.setPalette(self.palette())
            for item in list(self.scene.items()):
                if not isinstance(item, SiteMarker | SiteLabel):
                    self.scene.removeItem(item)
            self._draw_basemap()


def _legend_swatch(category: str, parent: QWidget) -> QLabel:
    """A marker as the map draws it, for the legend."""
    scene = QGraphicsScene()
    scene.setPalette(parent.palette())
    marker = SiteMarker(
        MapSite(
            "", "", {"site": "base", "place": "city", "area": "country"}[category], 0, 0, "", ""
        ),
        QPointF(0, 0),
    )
    marker.label.setVisible(False)
    scene.addItem(marker)
    pixmap = QPixmap(18, 18)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    scene.render(painter, QRectF(0, 0, 18, 18), QRectF(-9, -9, 18, 18))
    painter.end()
    scene.removeItem(marker)
    label = QLabel(parent)
    label.setPixmap(pixmap)
    return label
