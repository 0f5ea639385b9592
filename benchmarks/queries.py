"""Realistic global-search queries for the benchmarks, drawn from the archive searched.

A historian types names in either script, in whatever transliteration their source used,
the start of a name (search as you type), cover names and archival references. The queries
are a fixed handful of such texts plus a seeded sample of the archive's own records: full
names, surnames, Cyrillic names, 3-5 letter prefixes, transliterations the build generated
(German, French, ISO 9 ...), hand-written aliases, site names and citations.
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Callable

FIXED_QUERIES = (
    "Tukhachevsky",
    "Tuchatschewski",
    "Тухачевский",
    "Seeckt",
    "Lipetsk",
    "Липецк",
    "Kazan tank school",
    "Kama",
    "Tomka",
    "Podosinki",
    "Junkers",
    "Rapallo",
    "Reichswehr",
    "Red Army",
    "RGVA f. 33987",
    "ф. 33987 оп. 3",
    "РГВА Ф. 33987",
    "BArch RH 2",
    "ЦГАСА",
    "TsGASA",
    "chemical weapons",
    "poison gas",
    "Ivan",
    "Иван Петрович",
    "Tuch",
    "Тух",
    "Molotov Ribbentrop",
    "1927",
    "air base",
    "Kh",
)

_WORD = re.compile(r"[^\W\d_]{3,}")

Sampler = Callable[[sqlite3.Connection, random.Random], str | None]


def _random_row(
    conn: sqlite3.Connection, rng: random.Random, sql_from: str, columns: str
) -> sqlite3.Row | tuple | None:
    """A random row of `sql_from` (a table or a filtered table), by rowid range."""
    low, high = conn.execute(f"SELECT min(rowid), max(rowid) FROM {sql_from}").fetchone()
    if low is None:
        return None
    for _ in range(20):
        row = conn.execute(
            f"SELECT {columns} FROM {sql_from} WHERE rowid >= ? LIMIT 1",
            (rng.randint(low, high),),
        ).fetchone()
        if row is not None and all(v for v in row):
            return row
    return None


def _full_name(conn: sqlite3.Connection, rng: random.Random) -> str | None:
    row = _random_row(conn, rng, '"people"', '"name"')
    return row[0] if row else None


def _russian_name(conn: sqlite3.Connection, rng: random.Random) -> str | None:
    row = _random_row(conn, rng, '"people"', '"name_ru"')
    return row[0] if row else None


def _surname(conn: sqlite3.Connection, rng: random.Random) -> str | None:
    name = _full_name(conn, rng) if rng.random() < 0.5 else _russian_name(conn, rng)
    return name.split()[-1] if name else None


def _prefix(conn: sqlite3.Connection, rng: random.Random) -> str | None:
    word = _surname(conn, rng)
    return word[: rng.randint(3, 5)] if word else None


def _first_and_prefix(conn: sqlite3.Connection, rng: random.Random) -> str | None:
    name = _full_name(conn, rng) if rng.random() < 0.5 else _russian_name(conn, rng)
    if not name or " " not in name:
        return None
    words = name.split()
    return f"{words[0]} {words[-1][: rng.randint(2, 4)]}"


def _transliteration(conn: sqlite3.Connection, rng: random.Random) -> str | None:
    row = _random_row(conn, rng, '"aliases"', '"alias"')
    return row[0] if row else None


def _site(conn: sqlite3.Connection, rng: random.Random) -> str | None:
    row = _random_row(conn, rng, '"sites"', '"name", "name_ru"')
    if not row:
        return None
    return row[0].split()[0] if rng.random() < 0.5 else row[1]


def _citation(conn: sqlite3.Connection, rng: random.Random) -> str | None:
    row = _random_row(conn, rng, '"citations"', '"text", "fond", "opis"')
    if not row:
        return None
    text, fond, opis = row
    if rng.random() < 0.5:
        return text
    return f"f. {fond} op. {opis}" if rng.random() < 0.5 else f"ф. {fond} оп. {opis}"


def _title_word(conn: sqlite3.Connection, rng: random.Random) -> str | None:
    row = _random_row(conn, rng, '"events"', '"title"')
    words = _WORD.findall(row[0]) if row else []
    return rng.choice(words) if words else None


SAMPLERS: tuple[tuple[Sampler, int], ...] = (
    (_full_name, 3),
    (_russian_name, 3),
    (_surname, 3),
    (_prefix, 4),
    (_first_and_prefix, 2),
    (_transliteration, 3),
    (_site, 2),
    (_citation, 3),
    (_title_word, 1),
)


def make_queries(conn: sqlite3.Connection, count: int = 240, seed: int = 1926) -> list[str]:
    """`count` queries (the fixed ones first), deterministic for an archive and a seed."""
    rng = random.Random(seed)
    queries = list(FIXED_QUERIES[:count])
    weighted = [sampler for sampler, weight in SAMPLERS for _ in range(weight)]
    attempts = 0
    while len(queries) < count and attempts < count * 20:
        attempts += 1
        query = rng.choice(weighted)(conn, rng)
        if query:
            queries.append(query)
    return queries


def typed_words(conn: sqlite3.Connection, count: int = 4, seed: int = 1941) -> list[str]:
    """Words a user types into a tab's filter box, one keystroke at a time."""
    rng = random.Random(seed)
    words = ["Tuch", "Иван"]
    while len(words) < count:
        word = _surname(conn, rng)
        if word:
            words.append(word[:6])
    return words[:count]
