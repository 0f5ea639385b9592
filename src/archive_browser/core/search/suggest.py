"""Did you mean: spellings of the query the archive knows; the search that corrects itself."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from archive_browser.core import names
from archive_browser.core.schema import TERMS_TABLE
from archive_browser.core.search.query import (
    CYRILLIC_LETTER,
    MAX_WORDS,
    Hit,
    clean_query,
    fold_tokens,
)

# "Clearly best": the first suggestion is at least this similar to what was typed (100 x
# the normalised Damerau-Levenshtein similarity: two letters swapped count as one edit) and
# this many points ahead of the second (a word with one suggestion only needs the first).
CLEAR_MIN_SCORE = 80.0
CLEAR_LEAD = 8.0


def _known(conn: sqlite3.Connection, token: str) -> bool:
    row = conn.execute(
        f'SELECT 1 FROM "{TERMS_TABLE}" WHERE term = ? OR skel = ? LIMIT 1',
        (token, names.skeleton(token)),
    ).fetchone()
    return row is not None


def _candidates(conn: sqlite3.Connection, token: str, limit: int) -> list[tuple[str, float]]:
    rows = conn.execute(
        f'SELECT term, display, skel FROM "{TERMS_TABLE}" WHERE length(term) BETWEEN ? AND ?',
        (max(1, len(token) - 3), len(token) + 3),
    ).fetchall()
    # A Cyrillic query is answered in Cyrillic when the archive knows such a word.
    if CYRILLIC_LETTER.search(token):
        cyrillic = [r for r in rows if CYRILLIC_LETTER.search(r[1])]
        rows = cyrillic or rows
    if not rows:
        return []
    scores: dict[str, float] = {}
    token_skeleton = names.skeleton(token)
    for choices, needle in (([r[0] for r in rows], token), ([r[2] for r in rows], token_skeleton)):
        for _, similarity, index in process.extract(
            needle,
            choices,
            scorer=DamerauLevenshtein.normalized_similarity,
            limit=limit * 3,
            score_cutoff=0.7,
        ):
            score = 100.0 * similarity
            display = rows[index][1]
            scores[display] = max(scores.get(display, 0.0), score)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    # Spellings of one name (one skeleton) are one suggestion: its best-scored spelling.
    skeletons: set[str] = set()
    distinct = []
    for display, score in ranked:
        key = names.skeleton(display)
        if key not in skeletons:
            skeletons.add(key)
            distinct.append((display, score))
    return distinct[:limit]


def _corrections(conn: sqlite3.Connection, query: str, limit: int) -> list[list[tuple[str, float]]]:
    """For each word of the query, its known spellings with their similarity (the word
    itself, scored 100, when the archive knows it)."""
    chunks = [c for c in clean_query(query).split() if fold_tokens(c)][:MAX_WORDS]
    corrections: list[list[tuple[str, float]]] = []
    for chunk in chunks:
        token = " ".join(fold_tokens(chunk))
        if " " in token or token.isdigit() or _known(conn, token):
            corrections.append([(chunk, 100.0)])
        else:
            corrections.append(_candidates(conn, token, limit) or [(chunk, 100.0)])
    return corrections


def did_you_mean(conn: sqlite3.Connection, query: str, limit: int = 3) -> list[str]:
    """Spellings of the query the archive knows, for a query with a word it does not."""
    if not isinstance(query, str) or limit <= 0:
        return []
    try:
        corrections = _corrections(conn, query, limit)
    except sqlite3.OperationalError:  # an archive built before the terms table existed
        return []
    chunks = [c for c in clean_query(query).split() if fold_tokens(c)][:MAX_WORDS]
    if not corrections or all(
        len(c) == 1 and c[0][0] == chunk for c, chunk in zip(corrections, chunks, strict=True)
    ):
        return []
    suggestions: list[str] = []
    widest = max(range(len(corrections)), key=lambda i: len(corrections[i]))
    for choice, _ in corrections[widest]:
        words = [c[0][0] for c in corrections]
        words[widest] = choice
        suggestion = " ".join(words)
        if suggestion.casefold() != query.strip().casefold() and suggestion not in suggestions:
            suggestions.append(suggestion)
    return suggestions[:limit]


def clear_correction(conn: sqlite3.Connection, query: str) -> str | None:
    """The one spelling clearly meant (see CLEAR_MIN_SCORE, CLEAR_LEAD), or None."""
    if not isinstance(query, str):
        return None
    try:
        corrections = _corrections(conn, query, 3)
    except sqlite3.OperationalError:
        return None
    words = []
    changed = False
    for chunk, options in zip(
        [c for c in clean_query(query).split() if fold_tokens(c)], corrections, strict=False
    ):
        best, score = options[0]
        if best == chunk:
            words.append(chunk)
            continue
        runner_up = options[1][1] if len(options) > 1 else 0.0
        if score < CLEAR_MIN_SCORE or score - runner_up < CLEAR_LEAD:
            return None
        words.append(best)
        changed = True
    return " ".join(words) if changed else None


def search_corrected(
    conn: sqlite3.Connection,
    query: str,
    types: Sequence[str] | None = None,
    limit: int = 50,
) -> tuple[list[Hit], str | None]:
    """The search's hits; when nothing matches and one spelling is clearly meant, the hits
    of that spelling and the spelling (else None)."""
    from archive_browser.core.search.rank import search

    hits = search(conn, query, types=types, limit=limit)
    if hits:
        return hits, None
    corrected = clear_correction(conn, query)
    if corrected is None:
        return [], None
    corrected_hits = search(conn, corrected, types=types, limit=limit)
    return (corrected_hits, corrected) if corrected_hits else ([], None)
