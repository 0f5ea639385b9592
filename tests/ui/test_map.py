"""The offline map: base map, projection, one marker per site, labels, zoom, click, select."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt

from archive_browser.core.archive import Archive
from archive_browser.ui.features.pictures import PicturesFeature
from archive_browser.ui.features.pictures.map_view import (
    MapView,
    SiteMarker,
)
from archive_browser.ui.hooks import hooks_of


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
    hooks = hooks_of(window)
    feature = hooks.feature(PicturesFeature) if hooks is not None else None
    assert feature is not None
    return feature


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
    assert image.width() == 2 * map_view.canvas.viewport().width()
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
