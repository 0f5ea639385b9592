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
from typing import Any

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

    def overlap_area(self, other: Box) -> float:
        width = min(self.left + self.width, other.left + other.width) - max(self.left, other.left)
        height = min(self.top + self.height, other.top + other.height) - max(self.top, other.top)
        return width * height if width > 0 and height > 0 else 0.0

    def grown(self, dx: float, dy: float) -> Box:
        return Box(self.left - dx, self.top - dy, self.width + 2 * dx, self.height + 2 * dy)


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


def candidate_offsets(width: float, height: float, radius: float) -> list[tuple[Point, bool]]:
    """Where a label may go around its marker, best first; True where a leader line is due."""
    result: list[tuple[Point, bool]] = []
    for distance in (radius + 3, radius + 16, radius + 32):
        d = distance * 0.72
        leader = distance > radius + 3
        result += [
            ((distance, -height / 2), leader),
            ((-distance - width, -height / 2), leader),
            ((d, -d - height), leader),
            ((d, d), leader),
            ((-d - width, -d - height), leader),
            ((-d - width, d), leader),
            ((-width / 2, -distance - height), leader),
            ((-width / 2, distance), leader),
        ]
    return result


def _overlap(box: Box, others: Sequence[Box]) -> float:
    return sum(box.overlap_area(other) for other in others)


def place_labels(requests: Sequence[LabelRequest]) -> dict[Hashable, tuple[Point, bool]]:
    """Greedy placement: the selected site, then sites, places and areas by name, each label
    where it hits least (markers and labels placed before). Returns each label's offset from
    its marker's centre and whether a leader line is due."""
    order = sorted(
        requests,
        key=lambda r: (not r.selected, CATEGORY_ORDER.index(r.category), r.name),
    )
    taken = [
        Box(
            r.centre[0] - r.radius,
            r.centre[1] - r.radius,
            int(2 * r.radius),
            int(2 * r.radius),
        )
        for r in requests
    ]
    placed: dict[Hashable, tuple[Point, bool]] = {}
    for request in order:
        x, y = request.centre
        width, height = request.width, request.height
        best: tuple[float, Point, bool] | None = None
        for offset, leader in candidate_offsets(width, height, request.radius):
            cost = _overlap(Box(x + offset[0], y + offset[1], width, height), taken)
            if best is None or cost < best[0]:
                best = (cost, offset, leader)
            if cost == 0:
                break
        assert best is not None
        _cost, offset, leader = best
        placed[request.key] = (offset, leader)
        taken.append(Box(x + offset[0], y + offset[1], width, height).grown(2, 1))
    return placed
