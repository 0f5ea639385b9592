"""The map's pure parts: base map, projection, graticule, sites, label placement."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive_browser.core.archive import Archive
from archive_browser.core.geo import (
    Box,
    ConicProjection,
    LabelRequest,
    MapSite,
    graticule_lines,
    load_basemap,
    load_sites,
    place_labels,
    projected_rings,
)
from archive_browser.core.paths import resources_dir


def sites_with_coordinates(archive: Archive) -> list[dict]:
    return [r for r in archive.all_rows("site") if r["lat"] is not None and r["lon"] is not None]


def test_the_base_map_is_small_offline_and_covers_every_site(archive: Archive) -> None:
    folder = resources_dir() / "basemap"
    assert sum(p.stat().st_size for p in folder.iterdir()) < 1_000_000
    basemap = load_basemap()
    assert len(basemap.rings) > 20 and "Natural Earth" in basemap.source
    west, south, east, north = basemap.region
    for row in sites_with_coordinates(archive):
        assert west <= row["lon"] <= east and south <= row["lat"] <= north, row["id"]
    points = [p for ring in basemap.rings for p in ring]
    assert all(west <= lon <= east and south <= lat <= north for lon, lat in points)


def test_no_ring_crosses_the_map_from_edge_to_edge() -> None:
    # A ring cut at the antimeridian, clipped naively, draws a band across all of Russia.
    basemap = load_basemap()
    west, _south, east, _north = basemap.region
    for ring in basemap.rings:
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            if not basemap.on_region_edge(a, b):  # the clip's own edges run along the edge
                assert abs(a[0] - b[0]) < (east - west) / 2, (a, b)


def test_the_projection_keeps_north_up_and_distances_true() -> None:
    projection = ConicProjection()
    berlin, moscow = projection.project(13.405, 52.52), projection.project(37.62, 55.76)
    murmansk, rapallo = projection.project(33.08, 68.96), projection.project(9.23, 44.35)
    assert murmansk[1] < moscow[1] < rapallo[1]  # scene y grows southwards
    assert berlin[0] < moscow[0]
    # Equidistant along meridians, and close to the great-circle distance in between.
    distance = math.dist(berlin, moscow)
    assert distance == pytest.approx(1610, rel=0.04)


def test_coastlines_leave_out_the_clipping_edges() -> None:
    basemap = load_basemap()
    rings = projected_rings(basemap, ConicProjection())
    assert len(rings) == len(basemap.rings)
    clipped = sum(
        basemap.on_region_edge(a, b)
        for ring in basemap.rings
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True)
    )
    outline_points = sum(len(outline) for outline, _coasts in rings)
    coast_points = sum(len(line) for _outline, coasts in rings for line in coasts)
    assert clipped > 0  # the region cuts the land somewhere, e.g. in the east
    assert coast_points < outline_points


def test_the_graticule_runs_every_ten_degrees() -> None:
    projection = ConicProjection()
    lines = graticule_lines((0.0, 40.0, 30.0, 60.0), projection)
    # Meridians 0, 10, 20, 30 and parallels 40, 50, 60.
    assert len(lines) == 7
    assert lines[0][0] == projection.project(0, 40.0)


def test_the_sites_with_coordinates_are_read_and_counted(archive: Archive) -> None:
    expected = sites_with_coordinates(archive)
    total, sites = load_sites(archive)
    assert total == len(expected) and sorted(s.record_id for s in sites) == sorted(
        r["id"] for r in expected
    )
    total, sites = load_sites(archive, cap=2)
    assert total == len(expected) and len(sites) == 2


def test_a_site_with_impossible_coordinates_is_left_off() -> None:
    row = {"id": "site/x", "name": "X", "kind": "airfield", "lat": 95.0, "lon": 10.0}
    assert MapSite.from_row(row) is None
    assert MapSite.from_row({**row, "lat": "north"}) is None
    assert MapSite.from_row({**row, "lat": 52.0}).category == "site"
    assert MapSite.from_row({**row, "lat": 52.0, "kind": "Town"}).category == "place"


def label_box(request: LabelRequest, placed: dict) -> Box:
    (dx, dy), _leader = placed[request.key]
    return Box(request.centre[0] + dx, request.centre[1] + dy, request.width, request.height)


@settings(max_examples=40, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 600), st.integers(0, 400)), max_size=12, unique=True))
def test_labels_of_markers_far_apart_never_overlap(centres) -> None:
    # Markers at least 200 pixels apart leave every label its first place: no overlap.
    spread = [(x * 200.0, y * 200.0) for x, y in centres]
    requests = [
        LabelRequest(key=i, centre=c, radius=5.0, width=80.0, height=16.0, name=str(i))
        for i, c in enumerate(spread)
    ]
    placed = place_labels(requests)
    boxes = [label_box(r, placed) for r in requests]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a.overlap_area(b) == 0
    assert all(not leader for _offset, leader in placed.values())


def test_crowded_labels_move_away_with_a_leader_line() -> None:
    # Ten markers on one spot: the near places run out, later labels go further, with a line.
    requests = [
        LabelRequest(key=i, centre=(300.0, 300.0), radius=4.0, width=90.0, height=16.0)
        for i in range(10)
    ]
    placed = place_labels(requests)
    assert len({offset for offset, _leader in placed.values()}) == 10
    assert any(leader for _offset, leader in placed.values())


def test_the_selected_site_gets_the_best_place_first() -> None:
    crowd = [
        LabelRequest(key="a", centre=(100.0, 100.0), radius=4.0, width=90.0, height=16.0, name="a"),
        LabelRequest(
            key="b",
            centre=(100.0, 100.0),
            radius=4.0,
            width=90.0,
            height=16.0,
            name="b",
            selected=True,
        ),
    ]
    placed = place_labels(crowd)
    assert placed["b"] == ((7.0, -8.0), False)  # right of its marker, no leader line


def test_no_label_lies_by_another_marker() -> None:
    # The Volga sites and the Moscow cluster as a short, wide map pane draws them: the old
    # placement put "Kazan tank school" beside Tomka's dot (clear of its marker, so no
    # overlap), where it read as Tomka's name.
    crowd = {
        "kazan": ((755.0, 89.0), 6.0, 125.0, "site"),
        "samara": ((763.0, 104.0), 4.0, 58.0, "place"),
        "tomka": ((754.0, 113.0), 6.0, 215.0, "site"),
        "lipetsk": ((725.0, 116.0), 6.0, 140.0, "site"),
        "moscow": ((715.0, 97.0), 4.0, 54.0, "place"),
        "fili": ((715.5, 97.0), 6.0, 190.0, "site"),
        "podosinki": ((716.0, 97.0), 6.0, 240.0, "site"),
        "soviet-union": ((715.0, 97.5), 4.5, 90.0, "area"),
        "lithuania": ((667.0, 101.0), 4.5, 70.0, "area"),
    }
    requests = [
        LabelRequest(key=k, centre=c, radius=r, width=w, height=19.0, category=cat, name=k)
        for k, (c, r, w, cat) in crowd.items()
    ]
    placed = place_labels(requests, bounds=Box(0, 0, 1410, 220))
    boxes = {r.key: label_box(r, placed) for r in requests}
    for request in requests:
        box, (_offset, leader) = boxes[request.key], placed[request.key]
        if not leader:
            assert box.distance_to(request.centre) <= request.radius + 5, request.key
        for other in requests:
            if math.dist(other.centre, request.centre) < 6:
                continue  # one spot: no placement can tell them apart
            clearance = box.distance_to(other.centre) - other.radius
            assert clearance >= 3, (request.key, other.key, clearance)
    keys = list(boxes)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            assert boxes[a].overlap_area(boxes[b]) == 0, (a, b)
