"""Make the map's offline base map once, from Natural Earth, as the package data file
`src/archive_browser/resources/basemap/land.json`.

The input is Natural Earth's 1:50m land polygons (public domain) as TopoJSON, from the npm
package `world-atlas` 2.0.2 (ISC licence; Natural Earth 4.1.0). Get it with

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/make_basemap.py package/land-50m.json

The program never downloads anything: this script's output is committed. It keeps the
region of the archive (Europe and western Russia), simplifies the outlines with
Douglas-Peucker at a tolerance that keeps coastlines readable at country scale, drops
islands too small to see, clips every ring to the region and stores coordinates as integer
hundredths of a degree. No borders: modern ones would be anachronistic for 1919-1941.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from pathlib import Path

Point = tuple[float, float]
Ring = list[Point]

REGION = (-12.0, 33.0, 75.0, 73.0)  # west, south, east, north in degrees
TOLERANCE = 0.03  # degrees, about 3 km: the 1:50m data's own detail at country scale
MIN_AREA = 0.02  # square degrees: smaller islands are invisible at the map's scale
SCALE = 100  # stored coordinates are integer hundredths of a degree
OUT = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "archive_browser"
    / "resources"
    / "basemap"
    / "land.json"
)


def decode_arcs(topology: dict) -> list[list[Point]]:
    """TopoJSON's quantized, delta-encoded arcs as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_from_arcs(indices: list[int], arcs: list[list[Point]]) -> Ring:
    ring: Ring = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)  # consecutive arcs share their end point
    return ring


def land_rings(topology: dict) -> list[Ring]:
    arcs = decode_arcs(topology)
    rings = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            rings.extend(ring_from_arcs(ring, arcs) for ring in polygon)
    return rings


def unwrapped(ring: Ring) -> Ring:
    """The ring with no jump across the antimeridian: Eurasia's ring crosses it at Chukotka,
    and a clip of its (180, 69) -> (-180, 69) edge would draw a band across the whole map."""
    result = [ring[0]]
    offset = 0.0
    for (lon0, _), (lon1, lat1) in itertools.pairwise(ring):
        if lon1 - lon0 > 180:
            offset -= 360
        elif lon0 - lon1 > 180:
            offset += 360
        result.append((lon1 + offset, lat1))
    return result


def _distance_to_segment(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def simplify_line(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, iterative (a coastline of 10,000 points would overflow recursion)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, worst = -1, tolerance
        for i in range(first + 1, last):
            distance = _distance_to_segment(points[i], points[first], points[last])
            if distance > worst:
                farthest, worst = i, distance
        if farthest >= 0:
            keep[farthest] = True
            stack.extend(((first, farthest), (farthest, last)))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    # A closed ring's two ends coincide, so split it at the point farthest from its start.
    start = ring[0]
    split = max(range(len(ring)), key=lambda i: math.dist(start, ring[i]))
    return simplify_line(ring[: split + 1], tolerance)[:-1] + simplify_line(ring[split:], tolerance)


def clip_ring(ring: Ring, region: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman against the region's rectangle (a convex clip: exact for fills)."""
    west, south, east, north = region
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    )
    output = list(ring)
    for inside, crossing in edges:
        if not output:
            break
        points, output = output, []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    output.append(crossing(previous, point))
                output.append(point)
            elif inside(previous):
                output.append(crossing(previous, point))
            previous = point
    return output


def _cross_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def area(ring: Ring) -> float:
    return (
        abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1], strict=True)))
        / 2
    )


def quantize(ring: Ring) -> list[int]:
    flat: list[int] = []
    for lon, lat in ring:
        x, y = round(lon * SCALE), round(lat * SCALE)
        if len(flat) >= 2 and flat[-2:] == [x, y]:
            continue  # two points that round to one
        flat.extend((x, y))
    return flat


def make_basemap(topology: dict) -> dict:
    rings = []
    for ring in land_rings(topology):
        whole = unwrapped(ring)
        for shift in (-360.0, 0.0, 360.0):  # an unwrapped ring may lie a turn east or west
            clipped = clip_ring([(lon + shift, lat) for lon, lat in whole], REGION)
            if len(clipped) < 3 or area(clipped) < MIN_AREA:
                continue
            flat = quantize(simplify_ring(clipped, TOLERANCE))
            if len(flat) >= 6:
                rings.append(flat)
    return {
        "source": "Natural Earth 1:50m land 4.1.0 (public domain), via npm world-atlas 2.0.2",
        "made_by": "scripts/make_basemap.py",
        "scale": SCALE,
        "region": list(REGION),
        "rings": rings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="land-50m.json of npm world-atlas 2.0.2")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    basemap = make_basemap(json.loads(args.topojson.read_text(encoding="utf-8")))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(basemap, separators=(",", ":")) + "\n", encoding="utf-8")
    points = sum(len(r) // 2 for r in basemap["rings"])
    print(
        f"{args.out}: {len(basemap['rings'])} rings, {points} points, "
        f"{args.out.stat().st_size // 1024} KB"
    )


if __name__ == "__main__":
    main()
