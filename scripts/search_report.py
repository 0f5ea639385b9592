"""How well search finds what a historian types: inflected forms, several words, dates, typos.

    python scripts/search_report.py [--archive data/archive.db] [--misses]

The queries are written by this script from the archive's own records (so nothing is
chosen by hand to pass), plus a short hand-written list. Each query expects one record;
the report counts how often it comes first and in the top three:

- `russian-case`   the Russian name's last word in the genitive, dative, instrumental and
                   prepositional (`Тухачевского`, `Тухачевскому`, `Тухачевским`, `Тухачевском`);
- `ukrainian-case` the same name in Ukrainian spelling and endings (`Тухачевського`,
                   `Липецьком`, `Сталіним`);
- `german-genitive` a person's surname with the German genitive -s (`Guderians`);
- `multi-word`     a name word with a capitalised word of the record's summary that is not
                   in its title (`Triandafillov Kazan`);
- `name-and-year`  a name word of a dated record with a year its date covers (`Kazan 1929`);
- `typo`           a surname with two neighbouring letters swapped (`Guderain`), searched
                   as the window and the CLI search it (a clear correction is followed);
- `hand-written`   HAND_WRITTEN below.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from archive_browser.core.search import search_corrected

HAND_WRITTEN = (
    ("Тухачевским", "person/tukhachevsky"),
    ("Липецкой", "site/lipetsk"),
    ("Guderians", "person/guderian"),
    ("Троцким", "person/trotsky"),
    ("Сталиным", "person/stalin"),
    ("Triandafillov Kazan", "person/triandafillov"),
    ("Kazan 1929", "site/kazan"),
    ("Guderain", "person/guderian"),
    ("Lipetsk", "site/lipetsk"),
    ("Treaty of Rapallo", "event/rapallo-treaty"),
    ('"Treaty of Rapallo"', "event/rapallo-treaty"),
    ("Seeckts", "person/seeckt"),
    ("Tuchatschewskis", "person/tukhachevsky"),
    ("Kazan tank", "site/kazan"),
    ("Rapallo 1922", "event/rapallo-treaty"),
    ("Lenin", "person/lenin"),
    ("Ленина", "person/lenin"),
    ("Ленином", "person/lenin"),
    ("Троцкого", "person/trotsky"),
    ("Ворошилову", "person/voroshilov"),
    ("Казани", "site/kazan"),
    ("Москве", "site/moscow"),
    ("Севастополе", "site/sevastopol"),
    ("Stalin Molotov", "person/stalin"),
    ("Tukhachevsky Kazan", "person/tukhachevsky"),
)

_RUSSIAN_ADJECTIVE = re.compile(r"(ий|ый|ой)$")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Query:
    category: str
    text: str
    expected: str


def russian_cases(word: str) -> list[str]:
    """Oblique cases of a Russian name word (the forms a historian copies out of a text)."""
    lowered = word.lower()
    if _RUSSIAN_ADJECTIVE.search(lowered):
        base = word[:-2]
        return [base + "ого", base + "ому", base + "им", base + "ом"]
    if lowered.endswith("ь"):
        return [word[:-1] + "и", word[:-1] + "ью"]
    if lowered.endswith("а"):
        return [word[:-1] + "ы", word[:-1] + "е", word[:-1] + "у", word[:-1] + "ой"]
    if lowered[-1:] in "бвгджзклмнпрстфхцчшщ":
        return [word + "а", word + "у", word + "ом", word + "е"]
    return []


def ukrainian_cases(word: str) -> list[str]:
    """The same in Ukrainian: -ський -> -ського/-ським, consonant stems -ові/-ом, и -> і."""
    lowered = word.lower()
    if lowered.endswith("ский"):
        base = word[:-4] + "ськ"
        return [base + "ого", base + "им"]
    if lowered.endswith("цк"):
        return [word[:-1] + "ьком", word[:-1] + "ьку"]
    if lowered[-1:] in "бвгджзклмнпрстфхчшщ":
        ukrainian = word[:-2] + word[-2:].replace("и", "і")
        return [ukrainian + "ові", ukrainian + "ом"]
    return []


def _surname(title: str) -> str | None:
    words = [w for w in _WORD.findall(title) if w[0].isupper() and len(w) >= 4]
    return words[-1] if words else None


def generated_queries(conn: sqlite3.Connection) -> Iterator[Query]:
    records = conn.execute(
        "SELECT r.id, r.type, r.title, r.name_ru FROM records AS r ORDER BY r.id"
    ).fetchall()
    # A name word that several titles share ("German", "Soviet", "Lipetsk") names none of
    # them: queries are built only from words at most two titles hold.
    titles_holding: dict[str, int] = defaultdict(int)
    for _, _, title, _ in records:
        for word in {w.lower() for w in _WORD.findall(title)}:
            titles_holding[word] += 1

    def distinctive(word: str | None) -> str | None:
        return word if word and titles_holding[word.lower()] <= 2 else None

    summaries = dict(
        conn.execute(
            "SELECT id, summary FROM people UNION ALL SELECT id, summary FROM sites "
            "UNION ALL SELECT id, summary FROM events"
        ).fetchall()
    )
    dated: dict[str, tuple[str, str]] = {}
    for table, column in (("events", "date"), ("sites", "period")):
        for record_id, earliest, latest in conn.execute(
            f'SELECT id, "{column}_earliest", "{column}_latest" FROM "{table}" '
            f'WHERE "{column}_earliest" IS NOT NULL'
        ):
            dated[record_id] = (earliest, latest)
    for record_id, type_name, title, name_ru in records:
        if name_ru and type_name in ("person", "site") and " " not in name_ru.strip():
            word = name_ru.strip()
        elif name_ru and type_name == "person":
            word = name_ru.split()[-1]
        else:
            word = None
        if word and not word.isupper():  # acronyms (РККА, СССР) do not decline so
            for form in russian_cases(word):
                yield Query("russian-case", form, record_id)
            for form in ukrainian_cases(word):
                yield Query("ukrainian-case", form, record_id)
        surname = distinctive(_surname(title)) if type_name == "person" else None
        if surname and not surname.endswith(("s", "z", "x", "ß")):
            yield Query("german-genitive", surname + "s", record_id)
        if surname and len(surname) >= 6:
            middle = len(surname) // 2
            typo = surname[:middle] + surname[middle + 1] + surname[middle] + surname[middle + 2 :]
            if typo.lower() != surname.lower():
                yield Query("typo", typo, record_id)
        summary = summaries.get(record_id) or ""
        name_word = surname or distinctive(_surname(title))
        if name_word:
            title_words = {w.lower() for w in _WORD.findall(title)}
            others = [
                w
                for w in _WORD.findall(summary)[1:]
                if w[0].isupper() and len(w) >= 5 and w.lower() not in title_words
            ]
            if others:
                yield Query("multi-word", f"{name_word} {others[0]}", record_id)
        if record_id in dated and name_word:
            earliest, latest = dated[record_id]
            first, last = int(earliest[:4]), int(latest[:4])
            if last - first <= 10:
                yield Query("name-and-year", f"{name_word} {first}", record_id)


def all_queries(conn: sqlite3.Connection) -> list[Query]:
    queries = list(generated_queries(conn))
    queries += [Query("hand-written", text, expected) for text, expected in HAND_WRITTEN]
    return queries


@dataclass
class Row:
    category: str
    tried: int = 0
    first: int = 0
    top3: int = 0


def evaluate(conn: sqlite3.Connection, queries: list[Query]) -> tuple[list[Row], list[str]]:
    rows: dict[str, Row] = defaultdict(lambda: Row(""))
    misses = []
    for query in queries:
        row = rows[query.category]
        row.category = query.category
        hits, _ = search_corrected(conn, query.text, limit=3)
        found = [hit.id for hit in hits]
        row.tried += 1
        row.first += found[:1] == [query.expected]
        row.top3 += query.expected in found
        if query.expected not in found:
            misses.append(
                f"{query.category:<16} {query.text!r} -> {found} (wanted {query.expected})"
            )
    return list(rows.values()), misses


def table(rows: list[Row]) -> str:
    total = Row(
        "all", sum(r.tried for r in rows), sum(r.first for r in rows), sum(r.top3 for r in rows)
    )
    lines = [
        "| queries | tried | rank 1 | top 3 | rank 1 % | top 3 % |",
        "|---|---|---|---|---|---|",
    ]
    for row in [*rows, total]:
        lines.append(
            f"| {row.category} | {row.tried} | {row.first} | {row.top3} | "
            f"{100 * row.first / row.tried:.1f}% | {100 * row.top3 / row.tried:.1f}% |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=Path("data/archive.db"))
    parser.add_argument("--misses", action="store_true", help="list the queries not in the top 3")
    args = parser.parse_args(argv)
    if not args.archive.is_file():
        print(f"There is no archive at {args.archive}; build it first.", file=sys.stderr)
        return 1
    conn = sqlite3.connect(f"file:{args.archive}?mode=ro", uri=True)
    rows, misses = evaluate(conn, all_queries(conn))
    print(table(rows))
    if args.misses:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
