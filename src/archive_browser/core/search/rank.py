"""One ranked search: bm25 in SQL, then each row classified and given a snippet."""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from archive_browser.core.record_types import RECORD_TYPES
from archive_browser.core.schema import FTS_TABLE
from archive_browser.core.search.query import (
    BODY_RANK_WINDOW,
    COLUMN_WEIGHTS,
    CYRILLIC_LETTER,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    MATCH_TIERS,
    MAX_QUERY_CHARS,
    NAME_RANK_WINDOW,
    NAME_SEPARATOR,
    SNIPPET_CHARS,
    TOKEN,
    Hit,
    fold_tokens,
    fold_word,
    literal_words,
    marked_skeleton,
    query_expressions,
    skeleton_words,
)
from archive_browser.core.text import char_fold_table


def _match(form_tokens: Sequence[str], query_tokens: Sequence[str]) -> str | None:
    """ "whole" when every query token is a word of the form, "prefix" when the last one
    only begins a word of it, None otherwise."""
    if not query_tokens or not form_tokens:
        return None
    words = set(form_tokens)
    if any(t not in words for t in query_tokens[:-1]):
        return None
    last = query_tokens[-1]
    if last in words:
        return "whole"
    if len(last) >= 2 and any(w.startswith(last) for w in words):
        return "prefix"
    return None


@dataclass(frozen=True)
class _Query:
    text: str
    literal: list[str]  # folded tokens
    skeletal: list[str]  # marked skeleton tokens
    body_pattern: re.Pattern[str] | None = None


@dataclass(frozen=True)
class _Explained:
    kind: str
    whole: bool  # every query word is a whole word of the form (not just a prefix)
    form: str | None  # None when it is the title
    scheme: str | None
    corroborated: bool = False  # the record's own names agree: a named entity, not a mention


def _best_literal(
    forms: list[list[str | None]], literal: list[str]
) -> tuple[bool, str | None, str | None] | None:
    hits = []
    for form, scheme in forms[1:]:
        found = _match(fold_tokens(form or ""), literal)
        if found:
            hits.append((found == "whole", form, scheme))
    # A whole-word match beats a prefix; the Russian name beats an alias.
    hits.sort(key=lambda hit: (not hit[0], hit[2] != "russian"))
    return hits[0] if hits else None


def _best_variant(
    forms: list[list[str | None]], found_in: list[str | None], query: _Query
) -> tuple[bool, str | None, str | None] | None:
    hits = []
    for number, ((form, scheme), found) in enumerate(zip(forms, found_in, strict=False)):
        if found:
            hits.append((found == "whole", number, form, scheme))
    if not hits:
        return None
    best_kind = min(not hit[0] for hit in hits)
    candidates = [hit for hit in hits if (not hit[0]) == best_kind]
    # The form nearest the query's spelling: "Toukhatchevsky" names the French form.
    folded = query.text.casefold()
    whole, number, form, scheme = max(
        candidates, key=lambda hit: (fuzz.ratio(folded, (hit[2] or "").casefold()), -hit[1])
    )
    return whole, (form if number else None), scheme


def _explain(title: str, forms: list[list[str | None]], skel: str, query: _Query) -> _Explained:
    """Which of the record's names the query matched, and how (the row's match tier)."""
    found_in = [_match(segment.split(), query.skeletal) for segment in skel.split(NAME_SEPARATOR)]
    named = "whole" in found_in[1:]
    title_match = _match(fold_tokens(title), query.literal)
    if title_match == "whole":
        return _Explained("exact", True, None, None, named)
    literal_hit = _best_literal(forms, query.literal)
    if literal_hit and literal_hit[0] and literal_hit[2] == "russian":
        return _Explained("exact", True, literal_hit[1], "russian", True)
    if literal_hit and literal_hit[0]:
        return _Explained("name", True, literal_hit[1], literal_hit[2], True)
    if title_match == "prefix":
        return _Explained("name", False, None, None)
    if literal_hit:
        return _Explained("name", False, literal_hit[1], literal_hit[2])
    variant_hit = _best_variant(forms, found_in, query)
    if variant_hit:
        return _Explained("variant", variant_hit[0], variant_hit[1], variant_hit[2], named)
    return _Explained("body", False, None, None)


def _score(explained: _Explained, bm25: float) -> float:
    # bm25 is negative, lower is better; squash it into [0, 0.24) under the tier.
    strength = max(0.0, -bm25)
    return (
        MATCH_TIERS[explained.kind]
        + (0.5 if explained.whole else 0.0)
        + (0.25 if explained.corroborated else 0.0)
        + 0.24 * (strength / (1.0 + strength))
    )


def _word_matches(word: str, query: _Query, any_script: bool = False) -> bool:
    folded = fold_word(word)
    if not folded:
        return False
    literal, last = query.literal, query.literal[-1] if query.literal else ""
    if folded[0] in literal or (len(last) >= 2 and folded[0].startswith(last)):
        return True
    # In running text only Cyrillic words were matched by skeleton (bskel); in a name, any.
    if not query.skeletal or not (any_script or CYRILLIC_LETTER.search(word)):
        return False
    key = marked_skeleton(word)
    last_key = query.skeletal[-1]
    return key in query.skeletal or (len(last_key) >= 2 and key.startswith(last_key))


def _marked(text: str, query: _Query, any_script: bool = False) -> str:
    """The text with the words the query matched between the highlight markers."""
    return TOKEN.sub(
        lambda m: (
            HIGHLIGHT_START + m.group(0) + HIGHLIGHT_END
            if _word_matches(m.group(0), query, any_script)
            else m.group(0)
        ),
        text,
    )


_FOLD_TABLE = char_fold_table()


def _body_pattern(query: _Query) -> re.Pattern[str] | None:
    if not query.literal:
        return None
    whole = "|".join(re.escape(t) for t in query.literal)
    # \b (letters, digits and _) is near enough to the tokenizer's words for marking.
    pattern = rf"\b(?:{whole})\b"
    last = query.literal[-1]
    if len(last) >= 2:
        pattern += rf"|\b{re.escape(last)}\w*"
    return re.compile(pattern)


def _body_snippet(body: str, query: _Query) -> str:
    """Some words of the body around its first match, matches marked (or its opening)."""
    if not body:
        return ""
    folded = body.translate(_FOLD_TABLE).lower()
    if len(folded) != len(body):  # a rare letter whose lower case is longer: no marks
        folded, pattern = body, None
    else:
        pattern = query.body_pattern
    first = pattern.search(folded) if pattern else None
    start = 0 if first is None else max(0, first.start() - SNIPPET_CHARS // 4)
    if start and first is not None:
        space = body.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else start
    end = min(len(body), start + SNIPPET_CHARS)
    if end < len(body):
        space = body.rfind(" ", start, end)
        end = space if space > start else end
    pieces, position = [], start
    for match in pattern.finditer(folded, start, end) if pattern else ():
        pieces += [
            body[position : match.start()],
            HIGHLIGHT_START,
            body[match.start() : match.end()],
            HIGHLIGHT_END,
        ]
        position = match.end()
    pieces.append(body[position:end])
    text = " ".join("".join(pieces).split())
    return ("…" if start > 0 else "") + text + ("…" if end < len(body) else "")


def _snippet(body: str, explained: _Explained, title: str, query: _Query) -> str:
    body_snippet = _body_snippet(body, query)
    if explained.kind == "body":
        return body_snippet
    if explained.form is None and HIGHLIGHT_START in body_snippet:
        return body_snippet  # the title is on show anyway: the body says more
    marked = _marked(explained.form or title, query, any_script=True)
    if HIGHLIGHT_START not in marked:
        marked = HIGHLIGHT_START + marked + HIGHLIGHT_END
    return f"{marked} — {body_snippet}" if body_snippet else marked


def _type_filter(type_names: Sequence[str]) -> str:
    return f" AND r.type IN ({', '.join('?' * len(type_names))})" if type_names else ""


def _windowed_rows(
    conn: sqlite3.Connection,
    expression: str,
    type_names: Sequence[str],
    fetch: int,
    window: int,
) -> list[tuple[int, float]]:
    """The best `fetch` rows by bm25 among the first `window` matches.

    A common word can be in a large share of a big archive: ranking every match would cost
    time in proportion to the archive. A window keeps a query's cost bounded; an archive
    smaller than the window is ranked in full. Records are numbered people and sites first,
    so a window favours named entities over mentions.
    """
    weights = ", ".join(str(w) for w in COLUMN_WEIGHTS)
    sql = (
        f'SELECT "{FTS_TABLE}".rowid, bm25("{FTS_TABLE}", {weights}) FROM "{FTS_TABLE}" '
        f'JOIN records AS r ON r.rid = "{FTS_TABLE}".rowid '
        f'WHERE "{FTS_TABLE}" MATCH ?{_type_filter(type_names)} LIMIT ?'
    )
    rows = conn.execute(sql, [expression, *type_names, window]).fetchall()
    rows.sort(key=lambda row: row[1])
    return rows[:fetch]


def _details(conn: sqlite3.Connection, rids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    placeholders = ", ".join("?" * len(rids))
    sql = (
        f"SELECT r.rid, r.id, r.type, r.title, f.skel, f.forms, f.body FROM records AS r "
        f'JOIN "{FTS_TABLE}" AS f ON f.rowid = r.rid WHERE r.rid IN ({placeholders})'
    )
    return {row[0]: row[1:] for row in conn.execute(sql, list(rids))}


def search(
    conn: sqlite3.Connection, query: str, types: Sequence[str] | None = None, limit: int = 50
) -> list[Hit]:
    """Records matching `query`, best first; never raises on anything a user can type."""
    expressions = query_expressions(query) if isinstance(query, str) else None
    if expressions is None or limit <= 0:
        return []
    type_names = [t for t in (types or ()) if t in RECORD_TYPES]
    if types and not type_names:
        return []
    # A little headroom, so a row bm25 put just below the cut can still rise by its tier.
    fetch = limit + min(limit, 20)
    ranked = _windowed_rows(conn, expressions.names, type_names, fetch, NAME_RANK_WINDOW)
    if len(ranked) < fetch:
        seen = {rid for rid, _ in ranked}
        more = _windowed_rows(
            conn, expressions.body, type_names, fetch + len(seen), BODY_RANK_WINDOW
        )
        ranked.extend(row for row in more if row[0] not in seen)
        ranked = ranked[:fetch]
    if not ranked:
        return []
    details = _details(conn, [rid for rid, _ in ranked])
    parsed = _Query(
        text=query[:MAX_QUERY_CHARS],
        literal=[t for word in literal_words(query) for t in fold_tokens(" ".join(word))],
        skeletal=[t for word in skeleton_words(query) for t in word],
    )
    parsed = dataclasses.replace(parsed, body_pattern=_body_pattern(parsed))
    explained_rows = []
    for rid, bm25 in ranked:
        if rid not in details:
            continue
        title, skel, forms_json = details[rid][2], details[rid][3], details[rid][4]
        forms = json.loads(forms_json) if forms_json else [[title, None]]
        explained = _explain(title, forms, skel or "", parsed)
        explained_rows.append((_score(explained, bm25), rid, explained))
    explained_rows.sort(key=lambda row: -row[0])
    hits = []
    # Snippets only for the rows shown: they are the slow part of the post-processing.
    for score, rid, explained in explained_rows[:limit]:
        record_id, type_name, title, _, _, body = details[rid]
        hits.append(
            Hit(
                id=record_id,
                type=type_name,
                title=title,
                snippet=_snippet(body or "", explained, title, parsed),
                score=score,
                match_kind=explained.kind,
                matched_form=explained.form,
                scheme=explained.scheme,
            )
        )
    return hits
