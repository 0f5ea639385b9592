"""Citations in the archive database: tree, prefix lookups, same-file search."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from archive_browser.core.citations import (
    LEVELS,
    MATCH_RANK,
    RU,
    Citation,
    Match,
    compare,
    strip_number,
)
from archive_browser.core.schema import CITATION_INDEXES


def create_citation_indexes(conn: sqlite3.Connection) -> None:
    """The indexes `find_citing` relies on (the build calls this after filling the table)."""
    for sql in CITATION_INDEXES:
        conn.execute(sql)


@dataclass
class TreeNode:
    label: str
    level: str
    key_prefix: tuple[str, ...]
    count: int
    children: list[TreeNode] = field(default_factory=list)


_LEVEL_LABEL = {"fond": "f.", "opis": "op.", "delo": "d."}


def _node_label(level: str, value: str, system: str) -> str:
    if level == "archive":
        return value or "(no archive)"
    if system == RU:
        return f"{_LEVEL_LABEL[level]} {value}"
    return value


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """A sort key reading runs of digits as numbers: f. 4 < f. 500K < f. 33987 < f. R-7087.

    Numbers sort before letters at the same position; letters ignore case; the text itself
    is the last word, so "07" and "7" still have one fixed order."""
    parts = tuple(
        (0, int(part), "") if part.isdecimal() else (1, 0, part.casefold())
        for part in _DIGITS.split(text)
        if part
    )
    return (*parts, (-1, 0, text))


def _sorted_tree(nodes: list[TreeNode]) -> list[TreeNode]:
    for node in nodes:
        node.children = _sorted_tree(node.children)
    return sorted(nodes, key=lambda n: (n.key_prefix == ("",), natural_key(n.key_prefix[-1])))


def citation_tree(conn: sqlite3.Connection) -> list[TreeNode]:
    """Archive > fond > opis > delo; each count = distinct records citing at or below it.
    Every level is in natural order (`natural_key`): d. 295 before d. 1075."""
    roots: dict[tuple[str, ...], TreeNode] = {}
    nodes: dict[tuple[str, ...], TreeNode] = {}
    for depth, level in enumerate(LEVELS, start=1):
        cols = ", ".join(f"COALESCE(\"{c}\", '')" for c in LEVELS[:depth])
        sql = (
            f'SELECT {cols}, MIN(COALESCE("system", \'\')), COUNT(DISTINCT "record_id") '
            f'FROM "citations" GROUP BY {cols} ORDER BY {cols}'
        )
        for row in conn.execute(sql):
            prefix = tuple(row[:depth])
            system, count = row[depth], row[depth + 1]
            value = prefix[-1]
            if depth > 1 and not value:
                nodes[prefix] = nodes[prefix[:-1]]  # a missing level (BArch opis) is skipped
                continue
            node = TreeNode(_node_label(level, value, system), level, prefix, count, [])
            nodes[prefix] = node
            if depth == 1:
                roots[prefix] = node
            else:
                nodes[prefix[:-1]].children.append(node)
    return _sorted_tree(list(roots.values()))


def records_citing_prefix(conn: sqlite3.Connection, key_prefix: tuple[str, ...]) -> list[str]:
    """Record ids citing anything under `key_prefix` (archive, fond, opis, delo; '' = none)."""
    clauses, params = [], []
    for col, value in zip(LEVELS, key_prefix, strict=False):
        if value:
            clauses.append(f'"{col}" = ?')
            params.append(value)
        else:
            clauses.append(f"COALESCE(\"{col}\", '') = ''")
    where = " AND ".join(clauses) or "1"
    sql = f'SELECT DISTINCT "record_id" FROM "citations" WHERE {where} ORDER BY "record_id"'
    return [r[0] for r in conn.execute(sql, params)]


def _fond_variants(fond: str) -> list[str]:
    base = strip_number(fond)
    if not base[:1].isdigit():
        return [fond]
    out = {fond}
    for prefix in ("", "R-", "A-", "P-", "M-"):
        for zeros in range(4):
            out.add(prefix + "0" * zeros + base)
    return sorted(out)


def _row_citation(row: sqlite3.Row | tuple[Any, ...]) -> Citation:
    (_, text, system, archive, fond, opis, delo, folios, key, partial, extra) = row
    try:
        extra_d = json.loads(extra) if extra else {}
    except (TypeError, ValueError):
        extra_d = {}
    return Citation(
        text=text or "",
        system=system or "",
        archive=archive,
        fond=fond or None,
        opis=opis or None,
        delo=delo or None,
        folios=folios,
        key=key or None,
        partial_key=partial,
        extra=extra_d if isinstance(extra_d, dict) else {},
    )


_ROW_COLS = (
    '"record_id", "text", "system", "archive", "fond", "opis", "delo", "folios", '
    '"key", "partial_key", "extra"'
)


def find_citing(conn: sqlite3.Connection, citation: Citation) -> list[tuple[str, Match, Citation]]:
    """Records citing the same file: SAME first, then PROBABLE, then CANDIDATE."""
    rows: list[tuple[Any, ...]] = []
    if citation.key:
        rows += conn.execute(
            f'SELECT {_ROW_COLS} FROM "citations" WHERE "key" = ?', (citation.key,)
        ).fetchall()
    if citation.fond:
        variants = _fond_variants(citation.fond)
        marks = ", ".join("?" * len(variants))
        if citation.archive:
            sql = (
                f'SELECT {_ROW_COLS} FROM "citations" WHERE "archive" = ? AND "fond" IN '
                f'({marks}) UNION ALL SELECT {_ROW_COLS} FROM "citations" WHERE '
                f'"archive" IS NULL AND "fond" IN ({marks})'
            )
            rows += conn.execute(sql, (citation.archive, *variants, *variants)).fetchall()
        else:
            sql = f'SELECT {_ROW_COLS} FROM "citations" WHERE "fond" IN ({marks})'
            rows += conn.execute(sql, variants).fetchall()
    best: dict[str, tuple[Match, Citation]] = {}
    for row in rows:
        other = _row_citation(row)
        match = compare(citation, other)
        if match is Match.DIFFERENT:
            continue
        record_id = row[0]
        if record_id not in best or MATCH_RANK[match] < MATCH_RANK[best[record_id][0]]:
            best[record_id] = (match, other)
    ordered = sorted(best.items(), key=lambda kv: (MATCH_RANK[kv[1][0]], kv[0]))
    return [(rid, m, c) for rid, (m, c) in ordered]
