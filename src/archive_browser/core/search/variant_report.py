"""How well the search finds Russian names under every spelling, scheme by scheme.

    python -m archive_browser.core.search.variant_report [--archive PATH] [--misses]

For every person and site with a Russian name, each Latin form the schemes generate
(`names.variants`) and each hand-written alias (aliases.csv) is searched for; the table
counts how often the record comes first and how often it is in the top three.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from archive_browser.core import names, paths, search

TOP = 3


@dataclass
class SchemeRow:
    origin: str  # "generated" | "hand-written"
    scheme: str
    tried: int = 0
    first: int = 0
    top3: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)  # (record id, form)


def _rank(conn: sqlite3.Connection, form: str, record_id: str) -> int | None:
    found = [hit.id for hit in search.search(conn, form, limit=TOP)]
    return found.index(record_id) + 1 if record_id in found else None


def _tally(row: SchemeRow, conn: sqlite3.Connection, record_id: str, form: str) -> None:
    rank = _rank(conn, form, record_id)
    row.tried += 1
    row.first += rank == 1
    row.top3 += rank is not None
    if rank is None:
        row.misses.append((record_id, form))


def collect(conn: sqlite3.Connection) -> list[SchemeRow]:
    """One row per (origin, scheme): generated schemes in their order, then hand-written."""
    generated: dict[str, SchemeRow] = {
        s: SchemeRow("generated", s) for s in names.GENERATED_SCHEMES
    }
    records = conn.execute(
        "SELECT id, name_ru FROM records WHERE name_ru IS NOT NULL AND name_ru != '' "
        "AND type IN ('person', 'site') ORDER BY id"
    ).fetchall()
    for record_id, name_ru in records:
        for form, schemes in names.variants_with_schemes(name_ru):
            for scheme in schemes:  # a form many schemes share counts for each
                _tally(generated[scheme], conn, record_id, form)
    written: dict[str, SchemeRow] = {}
    for record_id, alias, scheme in conn.execute(
        "SELECT record_id, alias, scheme FROM aliases "
        "WHERE note IS NULL OR note NOT LIKE ? || '%' ORDER BY scheme, record_id",
        (search.GENERATED_NOTE_PREFIX,),
    ).fetchall():
        row = written.setdefault(scheme, SchemeRow("hand-written", scheme))
        _tally(row, conn, record_id, alias)
    return [row for row in generated.values() if row.tried] + list(written.values())


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def format_table(rows: Sequence[SchemeRow], show_misses: bool = False) -> str:
    header = f"{'origin':<13} {'scheme':<12} {'tried':>6} {'rank 1':>7} {'top 3':>7} {'top 3 %':>8}"
    lines = [header, "-" * len(header)]
    totals = SchemeRow("all", "")
    for row in rows:
        lines.append(
            f"{row.origin:<13} {row.scheme:<12} {row.tried:>6} {row.first:>7} {row.top3:>7} "
            f"{_percent(row.top3, row.tried):>8}"
        )
        totals.tried += row.tried
        totals.first += row.first
        totals.top3 += row.top3
    lines.append("-" * len(header))
    lines.append(
        f"{'all':<13} {'':<12} {totals.tried:>6} {totals.first:>7} {totals.top3:>7} "
        f"{_percent(totals.top3, totals.tried):>8}"
    )
    if show_misses:
        for row in rows:
            for record_id, form in row.misses:
                lines.append(f"miss: {row.origin}/{row.scheme}: {form!r} -> {record_id}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--archive", type=Path, default=None, help="the archive database (default: the bundled one)"
    )
    parser.add_argument("--misses", action="store_true", help="list every form not found")
    args = parser.parse_args(argv)
    archive = args.archive or paths.default_archive_path()
    if not archive.exists():
        print(f"no archive at {archive}; build it first (archive-browser build)", file=sys.stderr)
        return 2
    conn = sqlite3.connect(archive.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        print(format_table(collect(conn), show_misses=args.misses))
    finally:
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
