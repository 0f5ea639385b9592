"""The offline map: base map, projection, one marker per site, labels, zoom, click, select."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt

from archive_browser.core.archive import Archive
from archive_browser.ui.features.pictures import PicturesFeature
from archive_browser.ui.features.pictures.map_view import (
    MapView,
    SiteMarker,
)
from helpers.windows import feature_of


def sites_with_coordinates(archive: Archive) -> list[dict]:
    return [r for r in archive.all_rows("site") if r["lat"] is not None and r["lon"] is not None]


@pytest.fixture
def map_view(qtbot, archive: Archive) -> Iterator[MapView]:
    view = MapView(archive)
    qtbot.addWidget(view)
    view.resize(1000, 640)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show()
    yield view
    view.shutdown()
    view.wait()


def label_rect(view: MapView, marker: SiteMarker) -> QRectF:
    """Where a marker's label is on screen, in view pixels."""
    centre = QPointF(view.canvas.mapFromScene(marker.scenePos()))
    size = marker.label.size
    return QRectF(centre + marker.label.pos(), QRectF(0, 0, size.width(), size.height()).size())


# ----------------------------------------------------------------------------- geography


def test_a_place_is_in_the_land_and_the_sea_is_not(map_view: MapView) -> None:
    land_item = map_view._land_items[0]
    projection = map_view.projection
    assert land_item.path().contains(QPointF(*projection.project(37.62, 55.76)))  # Moscow
    assert land_item.path().contains(QPointF(*projection.project(2.35, 48.86)))  # Paris
    assert not land_item.path().contains(QPointF(*projection.project(15.5, 43.0)))  # the Adriatic
    assert not land_item.path().contains(QPointF(*projection.project(50.0, 42.0)))  # the Caspian
    assert not land_item.path().contains(QPointF(*projection.project(20.0, 58.0)))  # the Baltic


# ----------------------------------------------------------------------------- markers


def test_one_marker_per_site_with_coordinates(map_view: MapView, archive: Archive) -> None:
    expected = sites_with_coordinates(archive)
    assert sorted(m.record_id for m in map_view.markers()) == sorted(r["id"] for r in expected)
    for marker in map_view.markers():
        site = marker.site
        assert marker.pos() == QPointF(*map_view.projection.project(site.lon, site.lat))
        assert marker.label.text == site.name
    assert f"{len(expected)} sites on the map" in map_view.info_label.text()


def test_markers_and_labels_are_inside_the_fitted_view(map_view: MapView) -> None:
    viewport = QRectF(map_view.canvas.viewport().rect())
    for marker in map_view.markers():
        assert viewport.contains(QPointF(map_view.canvas.mapFromScene(marker.scenePos())))


def test_labels_do_not_overlap_each_other(map_view: MapView) -> None:
    for zoom in (1.0, 2.0):
        map_view.zoom_by(zoom)
        map_view.relabel()
        rects = [(m.record_id, label_rect(map_view, m)) for m in map_view.markers()]
        for i, (a_id, a) in enumerate(rects):
            for b_id, b in rects[i + 1 :]:
                assert not a.intersects(b), (a_id, b_id, zoom)


SAME_SPOT = 6.0  # dots closer than this cannot be told apart by where a label is


def view_dot(view: MapView, marker: SiteMarker) -> QPointF:
    return view.canvas.viewportTransform().map(marker.scenePos())


def label_on_screen(view: MapView, marker: SiteMarker) -> tuple[QRectF, QLineF | None]:
    """The label's rectangle and its leader line (if drawn) in view pixels, mapped from the
    scene through the label item's own transform."""
    label = marker.label
    to_view = label.deviceTransform(view.canvas.viewportTransform())
    rect = to_view.mapRect(QRectF(0, 0, label.size.width(), label.size.height()))
    return rect, to_view.map(label.leader_line()) if label.leader else None


def gap(rect: QRectF, point: QPointF) -> float:
    dx = max(rect.left() - point.x(), 0.0, point.x() - rect.right())
    dy = max(rect.top() - point.y(), 0.0, point.y() - rect.bottom())
    return math.hypot(dx, dy)


def assert_labels_at_their_own_dots(view: MapView, context: str) -> None:
    markers = view.markers()
    dots = {m.record_id: view_dot(view, m) for m in markers}
    viewport = QRectF(view.canvas.viewport().rect())
    for marker in markers:
        # Every site in sight is labelled; a label out of sight waits for a pan.
        in_sight = viewport.contains(dots[marker.record_id])
        assert marker.label.isVisible() == in_sight, (marker.record_id, context)
        if not in_sight:
            continue
        rect, leader = label_on_screen(view, marker)
        dot = dots[marker.record_id]
        where = f"{marker.record_id} {context}"
        if leader is None:
            # Beside its dot: a few pixels from the dot's edge...
            assert gap(rect, dot) <= marker.radius + 5, where
        else:
            # ...or joined to it by a line from the dot to the label's edge.
            assert QLineF(leader.p1(), dot).length() < 1.5, where
            assert gap(rect, leader.p2()) < 1.0, where
        own = gap(rect, dot)
        for other in markers:
            other_dot = dots[other.record_id]
            if other is marker or QLineF(dot, other_dot).length() < SAME_SPOT:
                continue
            # No label lies by another dot, where it would read as that dot's name.
            clearance = gap(rect, other_dot) - other.radius
            assert clearance >= 3, (where, other.record_id, clearance)
            if leader is None:
                assert gap(rect, other_dot) > own, (where, other.record_id)


@pytest.mark.parametrize("size", [(1000, 640), (1400, 300), (700, 420)])
def test_every_label_sits_at_its_own_dot_at_three_zoom_levels(
    qtbot, archive: Archive, size: tuple[int, int]
) -> None:
    view = MapView(archive)
    qtbot.addWidget(view)
    view.resize(*size)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show()
    assert len(view.markers()) == len(sites_with_coordinates(archive))
    moscow = view.marker_for("site/moscow")
    assert moscow is not None
    in_sight = []
    for zoom in (1.0, 2.5, 2.5):  # fitted, then closer and closer around Moscow
        view.zoom_by(zoom, view_dot(view, moscow))
        view.relabel()
        assert_labels_at_their_own_dots(view, f"at {view.canvas.current_scale:.3f} px/km")
        in_sight.append(sum(m.label.isVisible() for m in view.markers()))
    assert in_sight[0] == len(view.markers()) and in_sight[2] >= 3  # Moscow, Fili, Podosinki
    view.shutdown()
    view.wait()


def test_the_wheel_zooms_at_the_pointer_without_ctrl(qtbot, map_view: MapView) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    canvas = map_view.canvas
    kazan = map_view.marker_for("site/kazan")
    pointer = view_dot(map_view, kazan)
    start = canvas.current_scale
    event = QWheelEvent(
        pointer,
        QPointF(canvas.viewport().mapToGlobal(pointer.toPoint())),
        QPoint(0, 0),
        QPoint(0, 240),  # two notches away from the user: zoom in
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas.viewport(), event)
    assert canvas.current_scale == pytest.approx(start * 1.25**2)
    # Kazan stays under the pointer (to the pixel: scrolling moves in whole pixels).
    assert QLineF(view_dot(map_view, kazan), pointer).length() <= 1.0
    assert canvas.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def test_the_map_fills_its_pane(qtbot, map_view: MapView) -> None:
    canvas = map_view.canvas
    assert canvas.viewport().width() == canvas.width() - 2 * canvas.frameWidth()
    map_view.resize(1300, 500)
    qtbot.waitUntil(lambda: canvas.viewport().width() > 1200)
    qtbot.wait(50)  # the fit after a resize runs from the event loop
    # Every site is in sight, and the sites span most of the pane's width or height.
    dots = [view_dot(map_view, m) for m in map_view.markers()]
    xs, ys = [p.x() for p in dots], [p.y() for p in dots]
    viewport = QRectF(canvas.viewport().rect())
    assert all(viewport.contains(p) for p in dots)
    assert (max(xs) - min(xs)) / viewport.width() > 0.5 or (
        max(ys) - min(ys)
    ) / viewport.height() > 0.5


def test_zoom_keeps_markers_their_size_and_is_bounded(qtbot, map_view: MapView) -> None:
    canvas = map_view.canvas
    start = canvas.current_scale
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.current_scale == pytest.approx(start * 1.25)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert canvas.current_scale == pytest.approx(start)
    for _ in range(40):
        map_view.zoom_by(0.5)
    assert canvas.current_scale == pytest.approx(canvas.min_scale)
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert canvas.current_scale == pytest.approx(start)
    marker = map_view.markers()[0]
    assert marker.flags() & marker.GraphicsItemFlag.ItemIgnoresTransformations


def test_clicking_lipetsk_reports_lipetsk(qtbot, map_view: MapView) -> None:
    marker = map_view.marker_for("site/lipetsk")
    assert marker is not None
    position = map_view.canvas.mapFromScene(marker.scenePos())
    with qtbot.waitSignal(map_view.site_activated) as activated:
        qtbot.mouseClick(map_view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=position)
    assert activated.args == ["site/lipetsk"]
    assert marker.selected and map_view.selected_id == "site/lipetsk"


def test_selecting_highlights_one_marker_and_brings_it_into_view(map_view: MapView) -> None:
    map_view.zoom_by(6.0)
    map_view.canvas.centerOn(QPointF(*map_view.projection.project(2.0, 48.0)))  # far west
    assert map_view.select_record("site/kazan")
    visible = map_view.canvas.mapToScene(map_view.canvas.viewport().rect()).boundingRect()
    assert visible.contains(map_view.marker_for("site/kazan").pos())
    assert map_view.select_record("site/lipetsk")
    assert [m.record_id for m in map_view.markers() if m.selected] == ["site/lipetsk"]
    assert not map_view.select_record("site/atlantis")
    assert not any(m.selected for m in map_view.markers())


def test_a_site_without_coordinates_is_left_off_and_counted(qtbot, make_archive) -> None:
    path = make_archive(
        {
            "sites.csv": [
                "id,name,name_ru,kind,cover_name,lat,lon,period,distance,summary,seed,added,note",
                'site/a,"<i>Alpha</i>",,city,,55.0,37.0,,,A summary.,1,,',
                "site/b,Nowhere,,city,,,,,,A summary.,1,,",
            ]
        }
    )
    archive = Archive.open(path)
    try:
        view = MapView(archive)
        qtbot.addWidget(view)
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            view.show()
        assert [m.record_id for m in view.markers()] == ["site/a"]
        assert "1 without coordinates" in view.info_label.text()
        marker = view.markers()[0]
        assert marker.label.text == "<i>Alpha</i>"  # painted as plain text
        assert "&lt;i&gt;Alpha" in marker.toolTip() and "<i>" not in marker.toolTip()
        view.wait()
    finally:
        archive.close()


# ----------------------------------------------------------------------------- in the window


def pictures_of(window) -> PicturesFeature:
    return feature_of(window, PicturesFeature)


def sites_tab(qtbot, window):
    tab = window.entity_tabs["site"]
    window.tabs.setCurrentWidget(tab)
    map_view = pictures_of(window).map_of(tab)
    assert map_view is not None
    qtbot.waitUntil(lambda: bool(map_view.markers()), timeout=10_000)
    return tab, map_view


def test_clicking_lipetsk_on_the_map_opens_lipetsk(qtbot, window, archive: Archive) -> None:
    tab, map_view = sites_tab(qtbot, window)
    marker = map_view.marker_for("site/lipetsk")
    qtbot.mouseClick(
        map_view.canvas.viewport(),
        Qt.MouseButton.LeftButton,
        pos=map_view.canvas.mapFromScene(marker.scenePos()),
    )
    qtbot.waitUntil(lambda: tab.detail.record_id == "site/lipetsk", timeout=5000)
    assert tab.current_record_id() == "site/lipetsk"
    # The events at Lipetsk are listed (as links) in its detail.
    linked_events = {link.id for link in archive.links("site/lipetsk") if link.type == "event"}
    assert linked_events and linked_events <= set(tab.detail.link_targets())


def test_opening_a_site_highlights_its_marker(qtbot, window) -> None:
    _tab, map_view = sites_tab(qtbot, window)
    assert window.open_record("site/kazan")
    assert map_view.selected_id == "site/kazan" and map_view.marker_for("site/kazan").selected


def test_the_map_exports_as_png_and_svg(qtbot, window, tmp_path) -> None:
    import xml.etree.ElementTree as ElementTree

    from PySide6.QtGui import QImage

    from archive_browser.ui.features.pictures import export_picture

    _tab, map_view = sites_tab(qtbot, window)
    assert pictures_of(window).current_picture() is map_view
    png, svg = tmp_path / "map.png", tmp_path / "map.svg"
    export_picture(map_view, png)
    export_picture(map_view, svg)
    image = QImage(str(png))
    # The visible area at the screen's resolution: what is shown, not a strip of the scene.
    ratio = map_view.canvas.devicePixelRatioF()
    viewport = map_view.canvas.viewport()
    assert (image.width(), image.height()) == (
        round(viewport.width() * ratio),
        round(viewport.height() * ratio),
    )
    labels = [label_on_screen(map_view, m)[0] for m in map_view.markers() if m.label.isVisible()]
    assert len(labels) == len(map_view.markers())
    for i, a in enumerate(labels):
        assert not any(a.intersects(b) for b in labels[i + 1 :])
    assert (
        len(
            {
                image.pixel(x, y)
                for x in range(0, image.width(), 37)
                for y in range(0, image.height(), 37)
            }
        )
        > 3
    )
    root = ElementTree.parse(svg).getroot()
    assert root.tag.endswith("svg") and "Lipetsk flight school" in "".join(root.itertext())


def test_the_map_follows_a_switch_to_a_dark_palette(map_view: MapView) -> None:
    from PySide6.QtGui import QColor, QPalette

    light_sea = map_view.canvas.backgroundBrush().color().lightness()
    dark = QPalette(map_view.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e0e0e0"))
    map_view.setPalette(dark)
    assert map_view.canvas.backgroundBrush().color().lightness() < light_sea - 80
    land = map_view._land_items[0].brush().color()
    assert land.lightness() < 128  # the land is tinted from the dark base, not left light
    assert len(map_view.markers()) == len(
        [i for i in map_view.scene.items() if isinstance(i, SiteMarker)]
    )


def test_the_picture_splitter_is_remembered(qtbot, window, archive: Archive) -> None:
    from archive_browser.ui.app import create_window

    tab, _map_view = sites_tab(qtbot, window)
    splitter = pictures_of(window).splitter_of(tab)
    assert splitter is not None
    total = sum(splitter.sizes())
    splitter.moveSplitter(total // 4, 1)  # as a drag does: emits splitterMoved
    wanted = splitter.sizes()
    again = create_window(archive, window.settings)
    qtbot.addWidget(again)
    again.resize(window.size())
    again.show()
    again.tabs.setCurrentWidget(again.entity_tabs["site"])
    restored = pictures_of(again).splitter_of(again.entity_tabs["site"])
    assert restored is not None
    qtbot.waitUntil(lambda: sum(restored.sizes()) == total, timeout=5000)
    assert restored.sizes() == wanted
    again.close()
