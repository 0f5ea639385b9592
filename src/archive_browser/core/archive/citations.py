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
    Concordance,
    Match,
    compare,
    format_key,
    key_levels,
    load_concordance,
    strip_number,
)
from archive_browser.core.citations.keys import _file_key
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
    # "copy of PA AA, R 28223" / "original of NARA, T-120, roll 2345": the concordance's
    # rows whose one side is exactly this file or collection ...
    copy_links: tuple[str, ...] = ()
    # ... and the tree prefix of each other side, in the same order
    copy_prefixes: tuple[tuple[str, ...], ...] = ()


def node_key(key_prefix: tuple[str, ...], system: str) -> str:
    """The (partial) file key a tree node stands for: `("PA AA", "", "", "R 1")` ->
    `PA AA||R 1`, `("NARA", "T120")` -> `NARA|T120||`."""
    archive, fond, opis, delo = (*key_prefix, "", "", "", "")[:4]
    _, partial = _file_key(system, archive or None, fond or None, opis or None, delo or None, {})
    return partial


def key_prefix_of(key: str) -> tuple[str, ...]:
    """The tree prefix of a key: `NARA|T120||` -> `("NARA", "T120")`,
    `PA AA||R 1` -> `("PA AA", "", "", "R 1")`."""
    levels = list(key_levels(key))
    while levels and not levels[-1]:
        levels.pop()
    return tuple(levels)


def copy_links_of(
    key: str, concordance: Concordance
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """What the concordance says of the file or collection `key`, in words, and the tree
    prefix of each other side."""
    texts: list[str] = []
    prefixes: list[tuple[str, ...]] = []
    for link in concordance.node_links(key):
        text = f"{link.role} {format_key(link.key)}"
        if text not in texts:
            texts.append(text)
            prefixes.append(key_prefix_of(link.key))
    return tuple(texts), tuple(prefixes)


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


def citation_tree(
    conn: sqlite3.Connection, concordance: Concordance | None = None
) -> list[TreeNode]:
    """Archive > fond > opis > delo; each count = distinct records citing at or below it.
    Every level is in natural order (`natural_key`): d. 295 before d. 1075.

    A node that is a copy or an original in the concordance carries `copy_links`.
    """
    concordance = concordance if concordance is not None else load_concordance()
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
            if concordance.entries:
                node.copy_links, node.copy_prefixes = copy_links_of(
                    node_key(prefix, system), concordance
                )
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


# Keys and archive ids are compared without regard to case (the spelling rule of
# `core.citations.keys`); the indexes are built NOCASE for these look-ups.
SQL_BY_KEY = f'SELECT {_ROW_COLS} FROM "citations" WHERE "key" = ? COLLATE NOCASE'


def find_citing(
    conn: sqlite3.Connection, citation: Citation, concordance: Concordance | None = None
) -> list[tuple[str, Match, Citation]]:
    """Records citing the same file: SAME first, then PROBABLE, COPY, CANDIDATE.

    COPY: the record cites the file's original or a copy of it (a microfilm in another
    archive), by a file-level row of the concordance (R8).
    """
    rows: list[tuple[Any, ...]] = []
    if citation.key:
        rows += conn.execute(SQL_BY_KEY, (citation.key,)).fetchall()
    if citation.fond:
        variants = _fond_variants(citation.fond)
        marks = ", ".join("?" * len(variants))
        if citation.archive:
            sql = (
                f'SELECT {_ROW_COLS} FROM "citations" WHERE "archive" = ? COLLATE NOCASE AND '
                f'"fond" IN ({marks}) UNION ALL SELECT {_ROW_COLS} FROM "citations" WHERE '
                f'"archive" IS NULL AND "fond" IN ({marks})'
            )
            rows += conn.execute(sql, (citation.archive, *variants, *variants)).fetchall()
        else:
            sql = f'SELECT {_ROW_COLS} FROM "citations" WHERE "fond" IN ({marks})'
            rows += conn.execute(sql, variants).fetchall()
    best: dict[str, tuple[Match, Citation]] = {}

    def keep(record_id: str, match: Match, other: Citation) -> None:
        if record_id not in best or MATCH_RANK[match] < MATCH_RANK[best[record_id][0]]:
            best[record_id] = (match, other)

    for row in rows:
        other = _row_citation(row)
        match = compare(citation, other)
        if match is not Match.DIFFERENT:
            keep(row[0], match, other)
    if citation.key:
        concordance = concordance if concordance is not None else load_concordance()
        for link in concordance.same_file_keys(citation.key):
            for row in conn.execute(SQL_BY_KEY, (link.key,)).fetchall():
                keep(row[0], Match.COPY, _row_citation(row))
    ordered = sorted(best.items(), key=lambda kv: (MATCH_RANK[kv[1][0]], kv[0]))
    return [(rid, m, c) for rid, (m, c) in ordered]
