"""The map as plain data and geometry: the base map, the projection, the sites with
coordinates, graticule lines and label placement. The Qt map (`ui/features/pictures/
map_view.py`) only draws what this module works out.

The base map is `resources/basemap/land.json` (Natural Earth land, public domain, made once
by `scripts/make_basemap.py`). The projection is an equidistant conic with standard
parallels 45° and 65° N, which keeps both Berlin and Murmansk in shape.
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from archive_browser.core.archive import ArchiveReader
from archive_browser.core.filters import HasCoordinates
from archive_browser.core.paths import resources_dir

MAX_SITES = 5000  # markers beyond this would be a blot, not a map
BASEMAP_FILE = "land.json"
EARTH_RADIUS_KM = 6371.0
DENSIFY_DEGREES = 0.5  # long straight edges in lon/lat are curves in the projection

PLACE_KINDS = {"city", "town", "village"}
AREA_KINDS = {"country", "region", "area"}
CATEGORY_ORDER = ("site", "place", "area")  # whose label is placed first

Point = tuple[float, float]


class ConicProjection:
    """Equidistant conic (Snyder, Map Projections, §16); kilometres, y growing southwards."""

    def __init__(
        self,
        centre_lon: float = 30.0,
        parallel_1: float = 45.0,
        parallel_2: float = 65.0,
        origin_lat: float = 55.0,
        radius: float = EARTH_RADIUS_KM,
    ) -> None:
        phi1, phi2 = math.radians(parallel_1), math.radians(parallel_2)
        self.centre_lon = math.radians(centre_lon)
        self.radius = radius
        self.n = (math.cos(phi1) - math.cos(phi2)) / (phi2 - phi1)
        self.g = math.cos(phi1) / self.n + phi1
        self.rho0 = radius * (self.g - math.radians(origin_lat))

    def project(self, lon: float, lat: float) -> Point:
        rho = self.radius * (self.g - math.radians(lat))
        theta = self.n * (math.radians(lon) - self.centre_lon)
        return rho * math.sin(theta), -(self.rho0 - rho * math.cos(theta))


@dataclass(frozen=True)
class Basemap:
    region: tuple[float, float, float, float]  # west, south, east, north
    rings: list[list[Point]]
    source: str

    def on_region_edge(self, a: Point, b: Point) -> bool:
        """True for an edge that the clipping to the region made, not a real coastline."""
        west, south, east, north = self.region
        return any(
            a[i] == b[i] == bound for i, bound in ((0, west), (0, east), (1, south), (1, north))
        )


def load_basemap(path: Path | None = None) -> Basemap:
    source = path or resources_dir() / "basemap" / BASEMAP_FILE
    data = json.loads(source.read_text(encoding="utf-8"))
    scale = float(data["scale"])
    rings = [
        [(flat[i] / scale, flat[i + 1] / scale) for i in range(0, len(flat) - 1, 2)]
        for flat in data["rings"]
    ]
    west, south, east, north = (float(v) for v in data["region"])
    return Basemap((west, south, east, north), rings, str(data.get("source", "")))


def densified(a: Point, b: Point, step: float = DENSIFY_DEGREES) -> Iterable[Point]:
    """Points from a (excluded) to b (included), no further apart than `step` degrees."""
    count = max(1, math.ceil(max(abs(b[0] - a[0]), abs(b[1] - a[1])) / step))
    for i in range(1, count + 1):
        t = i / count
        yield a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])


def projected_rings(
    basemap: Basemap, projection: ConicProjection
) -> list[tuple[list[Point], list[list[Point]]]]:
    """Each land ring projected and densified, with its coastlines: the ring's lines without
    the edges that the clipping to the region made."""
    result = []
    for ring in basemap.rings:
        first = projection.project(*ring[0])
        outline = [first]
        coasts: list[list[Point]] = [[first]]
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            edge = basemap.on_region_edge(a, b)
            for point in densified(a, b):
                projected = projection.project(*point)
                outline.append(projected)
                if edge:
                    coasts.append([projected])
                else:
                    coasts[-1].append(projected)
        result.append((outline, [line for line in coasts if len(line) > 1]))
    return result


def graticule_lines(
    region: tuple[float, float, float, float], projection: ConicProjection, spacing: int = 10
) -> list[list[Point]]:
    """Meridians and parallels every `spacing` degrees across the region, projected."""
    west, south, east, north = region
    lines = []
    for lon in range(math.ceil(west / spacing) * spacing, int(east) + 1, spacing):
        line = [projection.project(lon, south)]
        line += [projection.project(lon, lat) for lat in range(int(south) + 1, int(north) + 1)]
        lines.append(line)
    for lat in range(math.ceil(south / spacing) * spacing, int(north) + 1, spacing):
        line = [projection.project(west, lat)]
        line += [projection.project(lon, lat) for lon in range(int(west) + 1, int(east) + 1)]
        lines.append(line)
    return lines


# ------------------------------------------------------------------------- data


@dataclass(frozen=True)
class MapSite:
    record_id: str
    name: str
    kind: str
    lat: float
    lon: float
    period: str
    cover_name: str

    @property
    def category(self) -> str:
        """site (a place of the cooperation) | place (a town) | area (a country, a region)."""
        kind = self.kind.casefold()
        if kind in PLACE_KINDS:
            return "place"
        if kind in AREA_KINDS:
            return "area"
        return "site"

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> MapSite | None:
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (TypeError, ValueError, KeyError):
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None
        return cls(
            row["id"],
            row.get("name") or row["id"],
            row.get("kind") or "",
            lat,
            lon,
            row.get("period_display") or "",
            row.get("cover_name") or "",
        )


def load_sites(reader: ArchiveReader, cap: int = MAX_SITES) -> tuple[int, list[MapSite]]:
    """(sites with coordinates, the first `cap` of them): the worker's query."""
    rids = reader.ids("site", narrow=HasCoordinates())
    rows = reader.rows("site", rids[:cap])
    sites = [MapSite.from_row(rows[rid]) for rid in rids[:cap] if rid in rows]
    return len(rids), [s for s in sites if s is not None]


# ------------------------------------------------------------------------- label placement


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in view pixels."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def overlap_area(self, other: Box) -> float:
        width = min(self.right, other.right) - max(self.left, other.left)
        height = min(self.bottom, other.bottom) - max(self.top, other.top)
        return width * height if width > 0 and height > 0 else 0.0

    def grown(self, dx: float, dy: float) -> Box:
        return Box(self.left - dx, self.top - dy, self.width + 2 * dx, self.height + 2 * dy)

    def distance_to(self, point: Point) -> float:
        """How far `point` lies from the rectangle (0 inside it)."""
        dx = max(self.left - point[0], 0.0, point[0] - self.right)
        dy = max(self.top - point[1], 0.0, point[1] - self.bottom)
        return math.hypot(dx, dy)

    def nearest_point(self, point: Point) -> Point:
        """The point of the rectangle nearest `point`: where a leader line meets the label."""
        return (
            min(max(point[0], self.left), self.right),
            min(max(point[1], self.top), self.bottom),
        )


@dataclass(frozen=True)
class LabelRequest:
    """A marker whose label needs a place: its centre (view pixels), radius, label size."""

    key: Hashable
    centre: Point
    radius: float
    width: float
    height: float
    category: str = "site"
    name: str = ""
    selected: bool = False


LABEL_GAP = 3.0  # pixels between a marker and a label beside it
BESIDE_PLACES = 8  # the first candidate places: beside the marker, without a leader line
LEADER_DISTANCES = (
    18.0,
    30.0,
    46.0,
    66.0,
    90.0,
    120.0,
)  # how far a label may be pushed, nearest first
LEADER_DIRECTIONS = 16
SAME_SPOT = 6.0  # markers closer than this (pixels) cannot be told apart by where a label is
CLEARANCE = 5.0  # pixels a label keeps from any other marker (beyond that marker's edge)
LINE_CLEARANCE = 2.0  # pixels a leader line keeps from other markers' edges
GRID_CELL = 32.0
MAX_LABELS = 150  # labels placed at most: a crowd beyond this is labelled at a closer zoom
CROWD_FACTOR = 3
OBSTACLE_REACH = 150.0  # pixels beyond the view whose markers a label still keeps clear of


def candidate_offsets(width: float, height: float, radius: float) -> list[tuple[Point, bool]]:
    """Where a label may go around its marker, best first; True where a leader line is due.

    First the eight places beside the marker, then places further out in every direction,
    each with its nearest corner or edge at that distance, so the label grows away from it."""
    near = radius + LABEL_GAP
    d = near * 0.72
    result: list[tuple[Point, bool]] = [
        ((near, -height / 2), False),
        ((-near - width, -height / 2), False),
        ((d, -d - height), False),
        ((d, d), False),
        ((-d - width, -d - height), False),
        ((-d - width, d), False),
        ((-width / 2, -near - height), False),
        ((-width / 2, near), False),
    ]
    for distance in LEADER_DISTANCES:
        for step in range(LEADER_DIRECTIONS):
            angle = 2 * math.pi * step / LEADER_DIRECTIONS
            x, y = distance * math.cos(angle), distance * math.sin(angle)
            left = x if x > 0.3 * distance else x - width if x < -0.3 * distance else x - width / 2
            top = y if y > 0.3 * distance else y - height if y < -0.3 * distance else y - height / 2
            result.append(((left, top), True))
    return result


class _Grid:
    """Boxes by the grid cells they cover, so that a label meets only its neighbours."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.items: list[tuple[Box, Hashable]] = []

    def _cells(self, box: Box) -> Iterable[tuple[int, int]]:
        for gx in range(math.floor(box.left / GRID_CELL), math.floor(box.right / GRID_CELL) + 1):
            for gy in range(
                math.floor(box.top / GRID_CELL), math.floor(box.bottom / GRID_CELL) + 1
            ):
                yield gx, gy

    def add(self, box: Box, owner: Hashable) -> None:
        self.items.append((box, owner))
        for cell in self._cells(box):
            self.cells.setdefault(cell, []).append(len(self.items) - 1)

    def near(self, box: Box) -> list[tuple[Box, Hashable]]:
        found = {i for cell in self._cells(box) for i in self.cells.get(cell, ())}
        return [self.items[i] for i in found]


def _segment_distance(a: Point, b: Point, point: Point) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    length = dx * dx + dy * dy
    t = (
        0.0
        if length == 0
        else max(0.0, min(1.0, ((point[0] - ax) * dx + (point[1] - ay) * dy) / length))
    )
    return math.hypot(point[0] - ax - t * dx, point[1] - ay - t * dy)


def _conflict(
    request: LabelRequest,
    box: Box,
    leader: bool,
    labels: _Grid,
    markers: _Grid,
    lines: _Grid,
    by_key: dict[Hashable, LabelRequest],
    bounds: Box | None,
    enough: float = math.inf,
) -> float:
    """How badly a label at `box` reads: 0 when it covers nothing (no marker, label or leader
    line placed before), stays inside `bounds`, and lies (and its leader line runs) clear of
    every marker but its own and of every other label. Counting stops at `enough`."""
    cost = 0.0
    for taken, _owner in labels.near(box):
        cost += 10 * box.overlap_area(taken)
        if cost >= enough:
            return cost
    if bounds is not None:
        cost += box.width * box.height - box.overlap_area(bounds)  # cut off at the edge
    for _reach, segment in lines.near(box):
        if _segment_crosses(*cast(tuple[Point, Point], segment), box):
            cost += 300  # over another label's leader line
    if cost >= enough:
        return cost
    centre = request.centre
    own_gap = box.distance_to(centre)
    line_end = box.nearest_point(centre)
    for _marker_box, key in markers.near(box.grown(CLEARANCE + 8, CLEARANCE + 8)):
        other = by_key[key]
        if key == request.key or math.dist(other.centre, centre) < SAME_SPOT:
            continue
        gap = box.distance_to(other.centre) - other.radius
        wanted = CLEARANCE if leader else max(CLEARANCE, own_gap - request.radius + 3)
        if gap < wanted:
            cost += 200 + 40 * (wanted - gap) + (500 if gap < 0 else 0)
            if cost >= enough:
                return cost
    if leader:
        reach = Box(
            min(centre[0], line_end[0]),
            min(centre[1], line_end[1]),
            abs(centre[0] - line_end[0]),
            abs(centre[1] - line_end[1]),
        ).grown(12, 12)
        for _marker_box, key in markers.near(reach):
            other = by_key[key]
            if key == request.key or math.dist(other.centre, centre) < SAME_SPOT:
                continue
            miss = _segment_distance(centre, line_end, other.centre) - other.radius
            if miss < LINE_CLEARANCE:
                cost += 50 * (LINE_CLEARANCE - miss) + 200
        for taken, owner in labels.near(reach):
            kind, _key = cast(tuple[str, Hashable], owner)
            if kind == "label" and _segment_crosses(centre, line_end, taken):
                cost += 300  # a line through another label reads as pointing at it
    return cost


def _segment_crosses(a: Point, b: Point, box: Box) -> bool:
    """Whether the segment a-b passes through the inside of `box` (Liang-Barsky clipping)."""
    low, high = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in (
        (-dx, a[0] - box.left),
        (dx, box.right - a[0]),
        (-dy, a[1] - box.top),
        (dy, box.bottom - a[1]),
    ):
        if p == 0:
            if q <= 0:
                return False
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
    return high - low > 1e-6


def place_labels(
    requests: Sequence[LabelRequest], bounds: Box | None = None, limit: int = MAX_LABELS
) -> dict[Hashable, tuple[Point, bool]]:
    """Greedy placement: the selected site, then sites, places and areas by name, each label
    at the first of its candidate places (`candidate_offsets`) that covers no marker or
    label placed before, stays inside `bounds` (the view, when given) and keeps clear of
    every other marker, so that it cannot be read as another marker's label; failing that,
    where it conflicts least. Returns each label's offset from its marker's centre and
    whether a leader line is due.

    Only markers inside `bounds` get a label, and at most `limit` of them (in that order);
    in a crowd, only those that fit beside their markers. The others are left out of the
    result, to be labelled at a closer zoom."""
    labelled = list(requests)
    if bounds is not None:
        labelled = [r for r in requests if bounds.distance_to(r.centre) == 0]
        around = bounds.grown(OBSTACLE_REACH, OBSTACLE_REACH)
        requests = [r for r in requests if around.distance_to(r.centre) == 0]
    order = sorted(
        labelled,
        key=lambda r: (not r.selected, CATEGORY_ORDER.index(r.category), r.name),
    )[:limit]
    # In a crowd (far more markers in view than labels) a label goes only where it fits
    # beside its marker, or is left out: searching every leader place would take seconds.
    crowded = len(labelled) > CROWD_FACTOR * limit
    by_key = {r.key: r for r in requests}
    markers = _Grid()
    labels = _Grid()
    lines = _Grid()
    for r in requests:
        markers.add(
            Box(r.centre[0] - r.radius, r.centre[1] - r.radius, 2 * r.radius, 2 * r.radius), r.key
        )
        labels.add(markers.items[-1][0].grown(1, 1), ("marker", r.key))  # no label covers one
    placed: dict[Hashable, tuple[Point, bool]] = {}
    for request in order:
        x, y = request.centre
        best: tuple[float, Point, bool] | None = None
        candidates = candidate_offsets(request.width, request.height, request.radius)
        for rank, (offset, leader) in enumerate(
            candidates[:BESIDE_PLACES] if crowded else candidates
        ):
            box = Box(x + offset[0], y + offset[1], request.width, request.height)
            # Of two equal conflicts, the nearer place: a leader line costs as much as some
            # ambiguity, and every pixel of it a little more.
            distance = 30 + 1.5 * box.distance_to((x, y)) if leader else 2 * rank
            if best is not None and distance >= best[0]:
                continue  # cannot beat the best place so far even without any conflict
            enough = math.inf if best is None else best[0] - distance
            conflict = _conflict(
                request, box, leader, labels, markers, lines, by_key, bounds, enough
            )
            if conflict == 0:
                best = (0.0, offset, leader)
                break
            cost = conflict + distance
            if best is None or cost < best[0]:
                best = (cost, offset, leader)
        assert best is not None
        _cost, offset, leader = best
        if crowded and best[0] > 0:
            continue
        placed[request.key] = (offset, leader)
        box = Box(x + offset[0], y + offset[1], request.width, request.height)
        labels.add(box.grown(2, 1), ("label", request.key))
        if leader:
            end = box.nearest_point((x, y))
            reach = Box(min(x, end[0]), min(y, end[1]), abs(x - end[0]), abs(y - end[1]))
            lines.add(reach, ((x, y), end))
    return placed
