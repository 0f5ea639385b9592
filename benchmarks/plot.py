"""A small hand-written SVG of search latency and tab memory against archive size.

No plotting library: two panels with a log-scaled x axis (records), the program's line
solid and the raw baseline's dashed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 760, 300
PANEL_W, PANEL_H = 300, 200
LEFT, TOP = 60, 40
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")

Series = tuple[str, str, list[tuple[float, float]], bool]  # label, colour, points, dashed


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _panel(
    x0: float, title: str, unit: str, sizes: Sequence[int], series: list[Series]
) -> list[str]:
    top = _nice_top(max((y for *_, pts, _d in series for _x, y in pts), default=1.0) * 1.05)
    low, high = math.log10(min(sizes)), math.log10(max(sizes))
    span = (high - low) or 1.0

    def px(x: float) -> float:
        return x0 + (math.log10(x) - low) / span * PANEL_W

    def py(y: float) -> float:
        return TOP + PANEL_H - y / top * PANEL_H

    out = [
        f'<text x="{x0 + PANEL_W / 2}" y="{TOP - 14}" text-anchor="middle" '
        f'font-weight="bold">{escape(title)}</text>',
        f'<rect x="{x0}" y="{TOP}" width="{PANEL_W}" height="{PANEL_H}" fill="none" '
        'stroke="#999"/>',
    ]
    for step in range(5):
        value = top * step / 4
        y = py(value)
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + PANEL_W}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
    for size in sizes:
        x = px(size)
        label = f"{size // 1000:,}k" if size < 1_000_000 else f"{size / 1e6:g}M"
        out.append(
            f'<text x="{x:.1f}" y="{TOP + PANEL_H + 16}" text-anchor="middle">{label}</text>'
        )
    out.append(
        f'<text x="{x0 - 44}" y="{TOP + PANEL_H / 2}" text-anchor="middle" '
        f'transform="rotate(-90 {x0 - 44} {TOP + PANEL_H / 2})">{escape(unit)}</text>'
    )
    for number, (label, colour, points, dashed) in enumerate(series):
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
        dash = ' stroke-dasharray="5,4"' if dashed else ""
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        for x, y in points:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
        ly = TOP + PANEL_H + 34 + 14 * (number // 2)
        lx = x0 + (number % 2) * 150
        out.append(
            f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 20}" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
        )
        out.append(f'<text x="{lx + 25}" y="{ly}">{escape(label)}</text>')
    return out


def _series(
    results: dict[str, dict[str, dict[str, Any]]], name: str, label: str, colour: str
) -> list[Series]:
    points = [(float(size), figs[name]["value"]) for size, figs in results.items() if name in figs]
    base = [(float(size), figs[name]["baseline"]) for size, figs in results.items() if name in figs]
    return [(label, colour, points, False), (f"{label} (raw)", colour, base, True)]


def write_plot(results: dict[str, dict[str, dict[str, Any]]], out: Path) -> None:
    """`results`: {size: figures of run.py}; draws search p50/p95 and people-tab memory."""
    sizes = [int(s) for s in results]
    search = _series(results, "search_p50", "p50", COLOURS[0]) + _series(
        results, "search_p95", "p95", COLOURS[1]
    )
    memory = _series(results, "tab_memory_person", "People tab", COLOURS[2]) + _series(
        results, "tab_memory_source", "Sources tab", COLOURS[3]
    )
    body = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT + 40}" '
        'font-family="sans-serif" font-size="11">',
        f'<rect width="{WIDTH}" height="{HEIGHT + 40}" fill="white"/>',
        *_panel(LEFT, "Global search latency", "ms", sizes, search),
        *_panel(LEFT + PANEL_W + 90, "Tab memory growth (RSS)", "MB", sizes, memory),
        f'<text x="{WIDTH / 2}" y="{HEIGHT + 32}" text-anchor="middle" fill="#555">'
        "records in the archive (log scale); dashed: the raw SQLite baseline</text>",
        "</svg>",
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(body) + "\n", encoding="utf-8")
