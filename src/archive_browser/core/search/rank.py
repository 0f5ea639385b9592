"""One ranked search: bm25 in SQL over every match, then each term explained in Python.

Every term of the query must match somewhere in the record (see `query.word_expression`).
SQL orders all matches by bm25 with column weights (no cap: an archive's best match is
never hidden behind a window of the first matches) and returns the best `limit +
RANK_HEADROOM`; only those rows are explained, term by term, and ordered by tier:

- `exact`   a word of the title or of the Russian name (3);
- `name`    a hand-written or generated form as written, or a title/name word by prefix (2);
- `variant` only the skeleton of a name matched (1);
- `stem`    an inflected form: the stem of a name word (0.5);
- `date`    a date term overlapping one of the record's dates (0.5);
- `body`    running text only (0).

A record's score is the mean of its terms' tiers, each term weighing a little less than
the one before it (a historian types the subject first: `Triandafillov Kazan` is about
the man), +0.5 when no term matched only by prefix, +0.25 when the record's own names
agree (the person *Stalin* above an event titled "Stalin purges"), up to +0.3 for date
closeness (the share of the record's date the query's date covers), plus up to 0.24 for
bm25 relative to the best row's (so bm25 orders rows the rules above leave equal).
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from archive_browser.core.record_types import RECORD_TYPES
from archive_browser.core.schema import FTS_TABLE
from archive_browser.core.search.query import (
    COLUMN_WEIGHTS,
    CYRILLIC_LETTER,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    MATCH_TIERS,
    NAME_SEPARATOR,
    RANK_HEADROOM,
    SNIPPET_CHARS,
    STEM_NAME_MARK,
    TOKEN,
    Hit,
    QueryWord,
    WordMatch,
    fold_tokens,
    fold_word,
    marked_skeleton,
    named_condition,
    named_expression,
    parse_query,
    query_expression,
)
from archive_browser.core.text import char_fold_table

FIELD_SEPARATOR = " · "
WHOLE_WORD_MAX_CHARS = 5
_DATE_CLOSENESS = 0.3


def _match(form_tokens: Sequence[str], query_tokens: Sequence[str], prefix: bool) -> str | None:
    """ "whole" when the query tokens are consecutive words of the form, "prefix" when the
    last one only begins a word there (and `prefix` allows it), None otherwise."""
    if not query_tokens or not form_tokens:
        return None
    size = len(query_tokens)
    found = None
    for start in range(len(form_tokens) - size + 1):
        window = form_tokens[start : start + size]
        if list(window[:-1]) != list(query_tokens[:-1]):
            continue
        if window[-1] == query_tokens[-1]:
            return "whole"
        if prefix and len(query_tokens[-1]) >= 2 and window[-1].startswith(query_tokens[-1]):
            found = "prefix"
    return found


class _Row:
    """One fetched record; its stored index columns parsed only when a term needs them."""

    def __init__(
        self, title: str, skel: str, stems: str, forms_json: str, fields_json: str, body: str
    ) -> None:
        self.title = title
        self.forms: list[list[str | None]] = (
            json.loads(forms_json) if forms_json else [[title, None]]
        )
        self.skeletons = [segment.split() for segment in (skel or "").split(NAME_SEPARATOR)]
        self.stems = set((stems or "").split())
        self._fields_json = fields_json
        self._body = body

    @functools.cached_property
    def _extra(self) -> dict[str, Any]:
        return json.loads(self._fields_json) if self._fields_json else {}

    @functools.cached_property
    def body_parts(self) -> list[str]:
        return self._body.split("\n") if self._body else []

    @functools.cached_property
    def fields(self) -> list[str]:
        fields = list(self._extra.get("fields", []))
        return fields + ["text"] * (len(self.body_parts) - len(fields))

    @functools.cached_property
    def dates(self) -> list[tuple[str, str]]:
        return [(str(a), str(b)) for a, b in self._extra.get("dates", [])]

    @functools.cached_property
    def form_tokens(self) -> list[list[str]]:
        return [fold_tokens(form or "") for form, _ in self.forms]

    @functools.cached_property
    def body_tokens(self) -> list[list[str]]:
        return [fold_tokens(part) for part in self.body_parts]


def _form_field(number: int, scheme: str | None) -> str:
    if number == 0:
        return "title"
    return "name_ru" if scheme == "russian" else "alias"


def _nearest_form(
    candidates: list[tuple[int, str | None, str | None]], text: str
) -> tuple[int, str | None, str | None]:
    # The form nearest the query's spelling: "Toukhatchevsky" names the French form.
    folded = text.casefold()
    return max(candidates, key=lambda c: (fuzz.ratio(folded, (c[1] or "").casefold()), -c[0]))


def _name_match(word: QueryWord, row: _Row, prefix: bool) -> WordMatch | None:
    """The best match of one term among the record's names, or None."""
    forms = row.forms
    whole_hits: list[tuple[int, str | None, str | None]] = []
    prefix_hits: list[tuple[int, str | None, str | None]] = []
    for number, tokens in enumerate(row.form_tokens):
        found = _match(tokens, word.tokens, prefix and not word.phrase)
        if found == "whole":
            whole_hits.append((number, forms[number][0], forms[number][1]))
        elif found == "prefix":
            prefix_hits.append((number, forms[number][0], forms[number][1]))
    # The title beats the Russian name, which beats an alias; whole words beat a prefix.
    if any(number == 0 for number, _, _ in whole_hits):
        return WordMatch(word.text, "title", "exact")
    for _, form, scheme in whole_hits:
        if scheme == "russian":
            return WordMatch(word.text, "name_ru", "exact", "russian", form)
    if whole_hits:
        number, form, scheme = whole_hits[0]
        return WordMatch(word.text, "alias", "name", scheme, form)
    if prefix_hits:
        number, form, scheme = prefix_hits[0]
        if number == 0:
            return WordMatch(word.text, "title", "name", None, None, whole=False)
        return WordMatch(word.text, _form_field(number, scheme), "name", scheme, form, False)
    if word.skeleton:
        skeleton_hits = {"whole": [], "prefix": []}  # type: dict[str, list[Any]]
        for number, segment in enumerate(row.skeletons[: len(forms)]):
            found = _match(segment, word.skeleton, prefix)
            if found:
                skeleton_hits[found].append((number, forms[number][0], forms[number][1]))
        for kind in ("whole", "prefix"):
            if skeleton_hits[kind]:
                number, form, scheme = _nearest_form(skeleton_hits[kind], word.text)
                return WordMatch(
                    word.text,
                    _form_field(number, scheme),
                    "variant",
                    scheme,
                    form if number else None,
                    kind == "whole",
                )
    if word.stem is not None:
        name_words = {t for tokens in row.form_tokens for t in tokens}
        if STEM_NAME_MARK + word.stem in row.stems or word.stem in name_words:
            return WordMatch(word.text, "title", "stem")
    return None


def _date_match(word: QueryWord, row: _Row) -> tuple[WordMatch, float] | None:
    if word.interval is None:
        return None
    earliest, latest = word.interval
    best = None
    for first, last in row.dates:
        if first <= latest and earliest <= last:
            closeness = _covered_share((earliest, latest), (first, last))
            best = closeness if best is None else max(best, closeness)
    if best is None:
        return None
    return WordMatch(word.text, "dates", "date"), best


def _covered_share(query: tuple[str, str], record: tuple[str, str]) -> float:
    """How much of the record's date the query's date covers, in days (1.0 = all of it)."""
    try:
        first, last = date.fromisoformat(record[0]), date.fromisoformat(record[1])
        q_first, q_last = date.fromisoformat(query[0]), date.fromisoformat(query[1])
    except ValueError:
        return 0.0
    covered = (min(last, q_last) - max(first, q_first)).days + 1
    return max(0.0, covered / ((last - first).days + 1))


def _body_match(word: QueryWord, row: _Row, prefix: bool) -> WordMatch:
    for part_tokens, field_name, part in zip(
        row.body_tokens, row.fields, row.body_parts, strict=False
    ):
        if _match(part_tokens, word.tokens, prefix and not word.phrase):
            return WordMatch(word.text, field_name, "body")
        if word.stem is not None and (
            word.stem in part_tokens
            or any(word.stem == _stem_of(t) for t in part_tokens if t.startswith(word.stem))
        ):
            return WordMatch(word.text, field_name, "body")
        if word.skeleton and CYRILLIC_LETTER.search(part):
            skeleton = marked_skeleton(" ".join(TOKEN.findall(part))).split()
            if _match(skeleton, word.skeleton, prefix):
                return WordMatch(word.text, field_name, "body")
    # The index matched it where Python does not look (a Latin spelling of a Cyrillic word,
    # a stem only the index holds): running text all the same.
    return WordMatch(word.text, row.fields[0] if row.fields else "text", "body")


def _stem_of(token: str) -> str:
    from archive_browser.core.search.stems import stem

    return stem(token)


@dataclass
class _Explained:
    score: float
    matches: tuple[WordMatch, ...]
    kind: str
    form: str | None
    scheme: str | None


def _corroborated(words: Sequence[QueryWord], row: _Row) -> bool:
    """Two or more of the record's own names (title, Russian name, aliases) agree with a
    term (the last one, typed as you go, by its start): a named entity, not a mention."""
    for number, word in enumerate(words):
        if not word.skeleton:
            continue
        last = number == len(words) - 1 and len(word.skeleton[-1]) >= 5
        agreeing = sum(1 for s in row.skeletons if _match(s, word.skeleton, last))
        if agreeing >= 2:
            return True
    return False


def _explain(
    words: Sequence[QueryWord], row: _Row, bm25: float, best_bm25: float
) -> _Explained | None:
    matches: list[WordMatch] = []
    closeness = 0.0
    for number, word in enumerate(words):
        last = number == len(words) - 1
        date = _date_match(word, row)
        if date is not None:
            matches.append(date[0])
            closeness = max(closeness, date[1])
            continue
        found = _name_match(word, row, last) or _body_match(word, row, last)
        if found is None:
            if word.interval is not None:
                found = WordMatch(word.text, "text", "body")  # the year written in the text
            else:
                return None
        matches.append(found)
    weights = [1.0 / (1.0 + 0.1 * n) for n in range(len(matches))]
    tier = sum(w * MATCH_TIERS[m.kind] for w, m in zip(weights, matches, strict=True)) / sum(
        weights
    )
    whole = all(m.whole for m in matches)
    strength = bm25 / best_bm25 if best_bm25 < 0 else 0.0  # bm25 is negative
    score = (
        tier
        + (0.5 if whole else 0.0)
        + (0.25 if _corroborated(words, row) else 0.0)
        + _DATE_CLOSENESS * closeness
        + 0.24 * strength
    )
    weakest = min(matches, key=lambda m: MATCH_TIERS[m.kind])
    named = [m for m in matches if m.form is not None]
    best_named = max(named, key=lambda m: MATCH_TIERS[m.kind]) if named else None
    return _Explained(
        score,
        tuple(matches),
        weakest.kind,
        best_named.form if best_named else None,
        best_named.scheme if best_named else None,
    )


# ----------------------------------------------------------------------------- snippets


def _word_matches(word: str, words: Sequence[QueryWord], any_script: bool = False) -> bool:
    folded = fold_word(word)
    if not folded:
        return False
    for number, term in enumerate(words):
        last = number == len(words) - 1
        if folded[0] in term.tokens:
            return True
        if last and len(term.tokens[-1]) >= 2 and folded[0].startswith(term.tokens[-1]):
            return True
        if term.stem is not None and folded[0].startswith(term.stem):
            return True
        # In running text only Cyrillic words were matched by skeleton; in a name, any.
        if term.skeleton and (any_script or CYRILLIC_LETTER.search(word)):
            key = marked_skeleton(word)
            if key in term.skeleton or (
                last and len(term.skeleton[-1]) >= 4 and key.startswith(term.skeleton[-1])
            ):
                return True
    return False


def _marked(text: str, words: Sequence[QueryWord], any_script: bool = False) -> str:
    """The text with the words the query matched between the highlight markers."""
    return TOKEN.sub(
        lambda m: (
            HIGHLIGHT_START + m.group(0) + HIGHLIGHT_END
            if _word_matches(m.group(0), words, any_script)
            else m.group(0)
        ),
        text,
    )


_FOLD_TABLE = char_fold_table()


def body_pattern(words: Sequence[QueryWord]) -> re.Pattern[str] | None:
    tokens = [t for w in words for t in w.tokens]
    if not tokens:
        return None
    alternatives = [rf"\b{re.escape(t)}\b" for t in tokens]
    last = words[-1].tokens[-1] if words[-1].tokens else ""
    if len(last) >= 2 and not words[-1].phrase:
        alternatives.append(rf"\b{re.escape(last)}\w*")
    alternatives += [rf"\b{re.escape(w.stem)}\w*" for w in words if w.stem]
    # \b (letters, digits and _) is near enough to the tokenizer's words for marking.
    return re.compile("|".join(alternatives))


def _window(text: str, pattern: re.Pattern[str] | None) -> str:
    """Some words of the text around its first match, matches marked (or its opening)."""
    if not text:
        return ""
    folded = text.translate(_FOLD_TABLE).lower()
    if len(folded) != len(text):  # a rare letter whose lower case is longer: no marks
        folded, pattern = text, None
    first = pattern.search(folded) if pattern else None
    start = 0 if first is None else max(0, first.start() - SNIPPET_CHARS // 4)
    if start and first is not None:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces, position = [], start
    for match in pattern.finditer(folded, start, end) if pattern else ():
        pieces += [
            text[position : match.start()],
            HIGHLIGHT_START,
            text[match.start() : match.end()],
            HIGHLIGHT_END,
        ]
        position = match.end()
    pieces.append(text[position:end])
    shown = " ".join("".join(pieces).split())
    return ("…" if start > 0 else "") + shown + ("…" if end < len(text) else "")


def _labelled(field_name: str, text: str) -> str:
    # The summary speaks for itself; any other field says what it is ("role: …").
    return text if field_name == "summary" else f"{field_name.replace('_', ' ')}: {text}"


def _body_snippet(row: _Row, pattern: re.Pattern[str] | None) -> str:
    """The fields that hold a match (else the first), each labelled, joined by ` · `."""
    if not row.body_parts:
        return ""
    chosen = []
    if pattern is not None:
        for part, field_name in zip(row.body_parts, row.fields, strict=False):
            if pattern.search(part.translate(_FOLD_TABLE).lower()):
                chosen.append(_labelled(field_name, part))
    if not chosen:
        chosen = [_labelled(row.fields[0], row.body_parts[0])]
    return _window(FIELD_SEPARATOR.join(chosen), pattern)


def _snippet(
    row: _Row, explained: _Explained, words: Sequence[QueryWord], pattern: re.Pattern[str] | None
) -> str:
    body_snippet = _body_snippet(row, pattern)
    if all(m.kind in ("body", "date") for m in explained.matches):
        return body_snippet
    if explained.form is None and HIGHLIGHT_START in body_snippet:
        return body_snippet  # the title is on show anyway: the body says more
    marked = _marked(explained.form or row.title, words, any_script=True)
    if HIGHLIGHT_START not in marked:
        marked = HIGHLIGHT_START + marked + HIGHLIGHT_END
    return f"{marked} — {body_snippet}" if body_snippet else marked


# ----------------------------------------------------------------------------- search


def _ranked_rows(
    conn: sqlite3.Connection, expression: str, type_names: Sequence[str], fetch: int
) -> list[tuple[int, float]]:
    """The best `fetch` rows of every match by bm25 (`fetch` < 0: all of them).

    A type filter joins the records in the same query, the full-text match driving it
    (CROSS JOIN fixes that order): a plan that walked the records of a type and probed
    the index once for each took 19 s at 100,000 records.
    """
    weights = ", ".join(str(w) for w in COLUMN_WEIGHTS)
    table = f'"{FTS_TABLE}"'
    select = f"SELECT {table}.rowid, bm25({table}, {weights}) AS score FROM {table} "
    if type_names:
        sql = (
            f"{select}CROSS JOIN records AS r ON r.rid = {table}.rowid "
            f"WHERE {table} MATCH ? AND r.type IN ({', '.join('?' * len(type_names))}) "
            "ORDER BY score LIMIT ?"
        )
    else:
        sql = f"{select}WHERE {table} MATCH ? ORDER BY score LIMIT ?"
    return conn.execute(sql, [expression, *type_names, fetch]).fetchall()


def _details(conn: sqlite3.Connection, rids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    details: dict[int, tuple[Any, ...]] = {}
    for start in range(0, len(rids), 500):
        chunk = list(rids[start : start + 500])
        placeholders = ", ".join("?" * len(chunk))
        sql = (
            "SELECT r.rid, r.id, r.type, r.title, f.skel, f.stems, f.forms, f.fields, f.body "
            f'FROM records AS r JOIN "{FTS_TABLE}" AS f ON f.rowid = r.rid '
            f"WHERE r.rid IN ({placeholders})"
        )
        details.update({row[0]: row[1:] for row in conn.execute(sql, chunk)})
    return details


def search(
    conn: sqlite3.Connection,
    query: str,
    types: Sequence[str] | None = None,
    limit: int = 50,
    exhaustive: bool = False,
) -> list[Hit]:
    """Records matching `query`, best first; never raises on anything a user can type.

    `exhaustive` explains every match instead of the best `limit + RANK_HEADROOM` by bm25
    (and as many whole-word matches): the uncapped ranking the benchmark compares with.
    """
    words = parse_query(query) if isinstance(query, str) else []
    expression = query_expression(words)
    if expression is None or limit <= 0:
        return []
    type_names = [t for t in (types or ()) if t in RECORD_TYPES]
    if types and not type_names:
        return []
    fetch = -1 if exhaustive else limit + RANK_HEADROOM
    ranked = _ranked_rows(conn, expression, type_names, fetch)
    if len(ranked) == fetch:
        # bm25 cannot tell a whole word from a prefix ("test" from "testing"), the ranking
        # can: the best whole-word matches join the candidates.
        # Only for a short last word: a long one begins few other words, and the second
        # query over a common long word's postings would double the search's cost.
        whole = query_expression(words, prefix_last=False)
        short = bool(words[-1].tokens) and len(words[-1].tokens[-1]) <= WHOLE_WORD_MAX_CHARS
        if short and whole is not None and whole != expression:
            known = {rid for rid, _ in ranked}
            more = [rid for rid, _ in _ranked_rows(conn, whole, type_names, fetch)]
            # Not among the query's best rows, so its bm25 for the query is no better than
            # the last of them: it gets that one's (its exact bm25 would take a probe of the
            # index per row, seconds for a common prefix at a million records).
            last_bm25 = ranked[-1][1]
            ranked += [(rid, last_bm25) for rid in more if rid not in known]
        # Nor can it see a record's own names agreeing (+0.25): the place *Zomi barracks*
        # (Зоми) can sit below hundreds of events "Accident at Zomi". Those join too.
        named = named_expression(words, expression)
        condition = named_condition(words)
        if (
            named is not None
            and condition is not None
            and conn.execute(
                f'SELECT 1 FROM "{FTS_TABLE}" WHERE "{FTS_TABLE}" MATCH ? LIMIT 1', (condition,)
            ).fetchone()
        ):
            # `named` weighs 0 in bm25: these rows get the query's own bm25, exactly.
            known = {rid for rid, _ in ranked}
            more_rows = _ranked_rows(conn, named, type_names, fetch)
            ranked += [row for row in more_rows if row[0] not in known]
    if not ranked:
        return []
    details = _details(conn, [rid for rid, _ in ranked])
    explained_rows: list[tuple[float, int, _Explained, _Row]] = []
    seen: set[str] = set()
    for rid, bm25 in ranked:
        if rid not in details:
            continue
        record_id, _, title, skel, stems, forms_json, fields_json, body = details[rid]
        if record_id in seen:  # one record, one line
            continue
        seen.add(record_id)
        row = _Row(title, skel, stems, forms_json, fields_json, body or "")
        explained = _explain(words, row, bm25, ranked[0][1])
        if explained is not None:
            explained_rows.append((explained.score, rid, explained, row))
    explained_rows.sort(key=lambda item: (-item[0], item[1]))
    pattern = body_pattern(words)
    hits = []
    # Snippets only for the rows shown: they are the slow part of the post-processing.
    for score, rid, explained, row in explained_rows[:limit]:
        record_id, type_name, title = details[rid][:3]
        hits.append(
            Hit(
                id=record_id,
                type=type_name,
                title=title,
                snippet=_snippet(row, explained, words, pattern),
                score=score,
                match_kind=explained.kind,
                matched_form=explained.form,
                scheme=explained.scheme,
                matches=explained.matches,
            )
        )
    return hits
