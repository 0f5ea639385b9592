"""The drawn timeline: one item per event in range, shapes by date, zoom, range, click, select."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QFontMetricsF, QWheelEvent

from archive_browser.core.archive import Archive
from archive_browser.core.chronology import DateRange
from archive_browser.core.dates import parse_edtf
from archive_browser.ui.features.pictures import PicturesFeature
from archive_browser.ui.features.pictures.timeline import (
    LABEL_ALLOWANCE,
    LABEL_MAX,
    LEFT_MARGIN,
    EventItem,
    TimelineView,
)
from helpers.windows import feature_of


def event_rows(archive: Archive) -> list[dict]:
    return archive.all_rows("event")


def overlapping_ids(archive: Archive, earliest: str, latest: str) -> set[str]:
    """The events whose dates overlap the range, worked out in Python from the EDTF."""
    result = set()
    for row in event_rows(archive):
        parsed = parse_edtf(row["date"])
        if parsed.latest >= earliest and parsed.earliest <= latest:
            result.add(row["id"])
    return result


def make_timeline(qtbot, archive: Archive, **kwargs: object) -> TimelineView:
    view = TimelineView(archive, **kwargs)
    qtbot.addWidget(view)
    view.resize(1100, 600)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show()
    return view


@pytest.fixture
def timeline(qtbot, archive: Archive) -> Iterator[TimelineView]:
    view = make_timeline(qtbot, archive)
    yield view
    view.shutdown()
    view.wait()


def view_point(view: TimelineView, item: EventItem) -> QPoint:
    return view.canvas.mapFromScene(item.mark_rect.center())


# ----------------------------------------------------------------------------- drawing


def test_one_item_per_event_in_range(timeline: TimelineView, archive: Archive) -> None:
    items = timeline.event_items()
    assert sorted(i.record_id for i in items) == sorted(r["id"] for r in event_rows(archive))
    assert len(timeline.scene.items()) == len(items)  # nothing else is an item
    assert "41 events" in timeline.info_label.text() or str(len(items)) in (
        timeline.info_label.text()
    )


def test_dates_are_drawn_by_their_kind(timeline: TimelineView, archive: Archive) -> None:
    by_id = {r["id"]: parse_edtf(r["date"]) for r in event_rows(archive)}
    shapes = set()
    for item in timeline.event_items():
        parsed = by_id[item.record_id]
        expected = "bar" if parsed.is_interval else "point" if parsed.precision == "day" else "span"
        assert item.event.shape == expected, item.record_id
        assert item.event.faded == (parsed.approximate or parsed.uncertain)
        shapes.add(expected)
        if expected != "point":
            # A bar or a vague span covers every day the date may mean; an open start
            # ("by 1931", `../1931`) runs from the start of the axis.
            scene = timeline.scene
            if parsed.start_open:
                start = scene.x_of_year(scene.first_year)
            else:
                start = scene.x_of_ordinal(parsed_ordinal(parsed.earliest))
            assert item.mark_rect.left() == pytest.approx(start, abs=0.5)
    assert shapes == {"bar", "point", "span"}
    assert any(i.event.faded for i in timeline.event_items())


def parsed_ordinal(iso: str) -> int:
    from datetime import date

    return date.fromisoformat(iso).toordinal()


def test_lanes_follow_the_themes_and_items_never_overlap(
    timeline: TimelineView, archive: Archive
) -> None:
    themes = {r["theme"] for r in event_rows(archive)}
    assert {lane.theme for lane in timeline.scene.lanes} == themes
    lane_of = {lane.theme: lane for lane in timeline.scene.lanes}
    items = timeline.event_items()
    for item in items:
        lane = lane_of[item.event.theme]
        assert lane.top <= item.mark_rect.top() and item.mark_rect.bottom() <= lane.top + (
            lane.height
        )
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            assert not a.mark_rect.united(a.label_rect).intersects(
                b.mark_rect.united(b.label_rect)
            ), (a.record_id, b.record_id)


def test_narrowing_the_range_draws_only_the_overlapping_events(
    qtbot, timeline: TimelineView, archive: Archive
) -> None:
    everything = len(timeline.event_items())
    with (
        qtbot.waitSignal(timeline.range_changed) as changed,
        qtbot.waitSignal(timeline.loaded, timeout=10_000),
    ):
        assert timeline.set_range("1926", "summer 1927")
    assert changed.args[0] == DateRange("1926-01-01", "1927-08-31")
    expected = overlapping_ids(archive, "1926-01-01", "1927-08-31")
    assert {i.record_id for i in timeline.event_items()} == expected
    assert 0 < len(expected) < everything
    with qtbot.waitSignal(timeline.loaded, timeout=10_000):
        timeline.clear_range()
    assert len(timeline.event_items()) == everything


def test_an_unreadable_date_keeps_the_drawing_and_says_why(timeline: TimelineView) -> None:
    before = len(timeline.event_items())
    assert not timeline.set_range("the thirteenth of Smarch", "")
    assert "Smarch" in timeline.error_label.text()
    assert len(timeline.event_items()) == before


def test_the_date_range_zooms_the_drawing_to_it(qtbot, timeline: TimelineView) -> None:
    with qtbot.waitSignal(timeline.loaded, timeout=10_000):
        assert timeline.set_range("1926", "summer 1927")
    qtbot.wait(20)
    canvas, scene = timeline.canvas, timeline.scene

    def day_at(view_x: float) -> date:
        return date.fromordinal(round(scene.ordinal_of_x(canvas.mapToScene(int(view_x), 0).x())))

    # From 1 January 1926 at the left of the drawing (right of the lane names) to the end of
    # summer 1927 where the room kept for the last labels begins: to within a few days.
    assert abs((day_at(LEFT_MARGIN) - date(1926, 1, 1)).days) <= 3
    right = canvas.viewport().width() - LABEL_ALLOWANCE
    assert abs((day_at(right) - date(1927, 9, 1)).days) <= 3
    with qtbot.waitSignal(timeline.loaded, timeout=10_000):
        assert timeline.set_range("1939", "")  # an open end: to the last drawn event
    qtbot.wait(20)
    assert abs((day_at(LEFT_MARGIN) - date(1939, 1, 1)).days) <= 3


def test_an_unreadable_date_is_explained_in_plain_words_not_cut_off(
    qtbot, timeline: TimelineView
) -> None:
    timeline.resize(520, 600)  # a narrow pane: the message wraps rather than being cut
    assert not timeline.set_range("sumer 1922", "")
    label = timeline.error_label
    qtbot.waitUntil(label.isVisible)
    qtbot.wait(20)
    assert label.text() == (
        "Cannot read 'sumer 1922' as a date. Try 1922, summer 1922, April 1922 or 1922-04-15."
    )
    assert "EDTF" not in label.text() and "season" not in label.text()
    assert label.wordWrap() and label.heightForWidth(label.width()) <= label.height()
    assert label.width() <= timeline.width()
    with qtbot.waitSignal(timeline.loaded, timeout=10_000):
        assert timeline.set_range("summer 1922", "")
    assert not label.isVisible()


def test_labels_are_cut_only_where_the_next_item_follows(qtbot, timeline: TimelineView) -> None:
    metrics = QFontMetricsF(timeline.label_font())
    whole_long_titles = 0
    for _ in range(3):  # fitted, then closer
        rows: dict[float, list[EventItem]] = {}
        for item in timeline.event_items():
            rows.setdefault(item.mark_rect.center().y(), []).append(item)
        for row in rows.values():
            row.sort(key=lambda i: i.mark_rect.left())
            for item, following in zip(row, [*row[1:], None], strict=True):
                title = item.event.title
                if item.label == title:
                    whole_long_titles += metrics.horizontalAdvance(title) > LABEL_MAX
                    continue
                # Cut: the next item of its row starts before the whole title would end.
                whole_end = item.label_rect.left() + metrics.horizontalAdvance(title)
                assert following is not None, title
                assert following.mark_rect.left() < whole_end, title
        timeline.zoom_by(1.6)
    assert whole_long_titles > 0  # titles longer than the old fixed cut are shown whole


def test_a_cap_draws_the_first_events_and_says_so(qtbot, archive: Archive) -> None:
    view = make_timeline(qtbot, archive, max_drawn=5)
    total = archive.total("event")
    assert len(view.event_items()) == 5
    assert view.total_in_range == total
    assert f"first 5 of {total}" in view.info_label.text()
    first_five = [r["id"] for r in event_rows(archive)][:5]  # all_rows sorts by date
    assert sorted(i.record_id for i in view.event_items()) == sorted(first_five)
    view.wait()


# ----------------------------------------------------------------------------- interaction


def test_keys_wheel_and_slider_zoom(qtbot, timeline: TimelineView) -> None:
    start = timeline.pixels_per_year
    timeline.canvas.setFocus()
    qtbot.keyClick(timeline.canvas, Qt.Key.Key_Plus)
    zoomed_in = timeline.pixels_per_year
    assert zoomed_in > start
    qtbot.keyClick(timeline.canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert timeline.pixels_per_year < zoomed_in
    wheel = QWheelEvent(
        QPointF(300, 200),
        QPointF(300, 200),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    before = timeline.pixels_per_year
    timeline.canvas.wheelEvent(wheel)
    assert timeline.pixels_per_year == pytest.approx(before * 1.25**2, rel=1e-6)
    timeline.zoom_slider.setValue(timeline.zoom_slider.maximum())
    assert timeline.pixels_per_year == pytest.approx(3650.0)
    # Bars grow with the zoom; the labels' text keeps its size.
    item = max(timeline.event_items(), key=lambda i: i.event.end - i.event.start)
    assert item.mark_rect.width() > 3000


def test_wheel_zoom_keeps_the_date_under_the_mouse(timeline: TimelineView) -> None:
    canvas = timeline.canvas
    x = 500
    day = timeline.scene.ordinal_of_x(canvas.mapToScene(x, 0).x())
    timeline.zoom_by(2.0, x)
    assert timeline.scene.ordinal_of_x(canvas.mapToScene(x, 0).x()) == pytest.approx(day, abs=3)


def test_a_click_on_an_event_reports_it(qtbot, timeline: TimelineView) -> None:
    item = timeline.item_for("event/rapallo-treaty")
    assert item is not None
    timeline.centre_on(item)
    with qtbot.waitSignal(timeline.event_activated) as activated:
        qtbot.mouseClick(
            timeline.canvas.viewport(), Qt.MouseButton.LeftButton, pos=view_point(timeline, item)
        )
    assert activated.args == ["event/rapallo-treaty"]
    assert timeline.selected_id == "event/rapallo-treaty" and item.selected


def test_selecting_centres_an_event_out_of_sight(timeline: TimelineView) -> None:
    item = timeline.item_for("event/barbarossa") or max(
        timeline.event_items(), key=lambda i: i.event.start
    )
    timeline.zoom_by(8.0, 0)
    timeline.canvas.horizontalScrollBar().setValue(0)
    assert not timeline.canvas.visible_scene_rect().contains(item.mark_rect)
    assert timeline.select_record(item.record_id)
    assert timeline.canvas.visible_scene_rect().contains(item.mark_rect.center())
    assert not timeline.select_record("event/no-such-event")


def test_record_text_is_drawn_and_tipped_as_plain_text(qtbot, make_archive) -> None:
    path = make_archive(
        {
            "events.csv": [
                "id,date,title,theme,summary,seed,added,note",
                'event/markup,1922,"<b>Bold</b> & <i>claims</i>",politics,A summary.,1,,',
            ]
        }
    )
    archive = Archive.open(path)
    try:
        view = make_timeline(qtbot, archive)
        (item,) = view.event_items()
        assert item.label == "<b>Bold</b> & <i>claims</i>"  # painted with drawText
        assert "&lt;b&gt;Bold&lt;/b&gt; &amp;" in item.toolTip()
        assert "<b>" not in item.toolTip()
        view.wait()
    finally:
        archive.close()


# ----------------------------------------------------------------------------- in the window


def pictures_of(window) -> PicturesFeature:
    return feature_of(window, PicturesFeature)


def timeline_of(window) -> TimelineView:
    timeline = pictures_of(window).timeline_of(window.entity_tabs["event"])
    assert timeline is not None
    return timeline


def chronology(qtbot, window) -> tuple[object, TimelineView]:
    tab = window.entity_tabs["event"]
    window.tabs.setCurrentWidget(tab)
    timeline = timeline_of(window)
    qtbot.waitUntil(lambda: bool(timeline.event_items()), timeout=10_000)
    return tab, timeline


def test_the_timeline_is_built_only_when_chronology_is_shown(qtbot, window) -> None:
    window.select_tab("people")
    timeline = timeline_of(window)
    assert not timeline.event_items() and not timeline._requested
    chronology(qtbot, window)
    assert len(timeline.event_items()) == window.archive.total("event")


def test_a_click_on_the_timeline_selects_the_row_and_shows_the_detail(qtbot, window) -> None:
    tab, timeline = chronology(qtbot, window)
    item = timeline.item_for("event/rapallo-treaty")
    timeline.centre_on(item)
    qtbot.mouseClick(
        timeline.canvas.viewport(), Qt.MouseButton.LeftButton, pos=view_point(timeline, item)
    )
    qtbot.waitUntil(lambda: tab.current_record_id() == "event/rapallo-treaty", timeout=5000)
    assert tab.detail.record_id == "event/rapallo-treaty"
    assert window.current_record_id() == "event/rapallo-treaty"


def test_selecting_a_row_centres_the_timeline_on_it(qtbot, window) -> None:
    tab, timeline = chronology(qtbot, window)
    timeline.zoom_by(8.0, 0)
    timeline.canvas.horizontalScrollBar().setValue(0)
    row = tab.model.row_of_record("event/barbarossa")
    assert row is not None
    tab.table_view.selectRow(row)
    qtbot.waitUntil(lambda: timeline.selected_id == "event/barbarossa", timeout=5000)
    item = timeline.item_for("event/barbarossa")
    assert item.selected
    assert timeline.canvas.visible_scene_rect().contains(item.mark_rect.center())


def test_the_range_narrows_the_table_and_the_drawing(qtbot, window, archive: Archive) -> None:
    tab, timeline = chronology(qtbot, window)
    expected = overlapping_ids(archive, "1939-01-01", "1941-12-31")
    with qtbot.waitSignal(timeline.loaded, timeout=10_000):
        timeline.set_range("1939", "1941")
    qtbot.waitUntil(lambda: tab.model.rowCount() == len(expected), timeout=5000)
    rows = {tab.model.record_id_at(r) for r in range(tab.model.rowCount())}
    assert rows == expected == {i.record_id for i in timeline.event_items()}
    assert len(expected) < archive.total("event")


def test_export_writes_a_png_and_an_svg(qtbot, window, tmp_path) -> None:
    import xml.etree.ElementTree as ElementTree

    from PySide6.QtGui import QImage

    from archive_browser.ui.features.pictures import export_picture

    _tab, timeline = chronology(qtbot, window)
    assert pictures_of(window).current_picture() is timeline
    png, svg = tmp_path / "timeline.png", tmp_path / "timeline.svg"
    export_picture(timeline, png)
    export_picture(timeline, svg)
    image = QImage(str(png))
    rect = timeline.picture_rect()
    assert (image.width(), image.height()) == (round(rect.width()) * 2, round(rect.height()) * 2)
    assert len({image.pixel(x, image.height() // 3) for x in range(0, image.width(), 7)}) > 3
    root = ElementTree.parse(svg).getroot()
    assert root.tag.endswith("svg")
    texts = "".join(root.itertext())
    assert "Treaty of Rapallo" in texts  # the labels stay text
    years = range(timeline.scene.first_year, timeline.scene.last_year + 1)
    assert sum(str(year) in texts for year in years) >= 3  # and so does the axis


def test_a_new_archive_gets_a_new_timeline(qtbot, window, make_archive) -> None:
    path = make_archive(
        {
            "events.csv": [
                "id,date,title,theme,summary,seed,added,note",
                "event/only,1930,The only event,politics,A summary.,1,,",
            ]
        }
    )
    old = timeline_of(window)
    window.set_archive(Archive.open(path))
    tab = window.entity_tabs["event"]
    timeline = timeline_of(window)
    assert timeline is not old
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: bool(timeline.event_items()), timeout=10_000)
    assert [i.record_id for i in timeline.event_items()] == ["event/only"]
