"""Did you mean: spellings of the query the archive knows."""

from __future__ import annotations

import sqlite3

from rapidfuzz import fuzz, process

from archive_browser.core import names
from archive_browser.core.schema import TERMS_TABLE
from archive_browser.core.search.query import MAX_WORDS, clean_query, fold_tokens


def _known(conn: sqlite3.Connection, token: str) -> bool:
    row = conn.execute(
        f'SELECT 1 FROM "{TERMS_TABLE}" WHERE term = ? OR skel = ? LIMIT 1',
        (token, names.skeleton(token)),
    ).fetchone()
    return row is not None


def _candidates(conn: sqlite3.Connection, token: str, limit: int) -> list[str]:
    rows = conn.execute(
        f'SELECT term, display, skel FROM "{TERMS_TABLE}" WHERE length(term) BETWEEN ? AND ?',
        (max(1, len(token) - 3), len(token) + 3),
    ).fetchall()
    if not rows:
        return []
    scores: dict[str, float] = {}
    token_skeleton = names.skeleton(token)
    for choices, needle in (([r[0] for r in rows], token), ([r[2] for r in rows], token_skeleton)):
        for _, score, index in process.extract(
            needle, choices, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=70
        ):
            display = rows[index][1]
            scores[display] = max(scores.get(display, 0.0), score)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [display for display, _ in ranked[:limit]]


def did_you_mean(conn: sqlite3.Connection, query: str, limit: int = 3) -> list[str]:
    """Spellings of the query the archive knows, for a query with a word it does not."""
    if not isinstance(query, str) or limit <= 0:
        return []
    chunks = [c for c in clean_query(query).split() if fold_tokens(c)][:MAX_WORDS]
    if not chunks:
        return []
    try:
        corrections: list[list[str]] = []
        for chunk in chunks:
            token = " ".join(fold_tokens(chunk))
            if " " in token or _known(conn, token):
                corrections.append([chunk])
            else:
                corrections.append(_candidates(conn, token, limit) or [chunk])
    except sqlite3.OperationalError:  # an archive built before the terms table existed
        return []
    if all(len(c) == 1 and c[0] == chunk for c, chunk in zip(corrections, chunks, strict=True)):
        return []
    suggestions: list[str] = []
    widest = max(range(len(corrections)), key=lambda i: len(corrections[i]))
    for choice in corrections[widest]:
        words = [c[0] for c in corrections]
        words[widest] = choice
        suggestion = " ".join(words)
        if suggestion.casefold() != query.strip().casefold() and suggestion not in suggestions:
            suggestions.append(suggestion)
    return suggestions[:limit]
