"""Make a large synthetic archive through the real build code, for the benchmarks.

    .venv/bin/python benchmarks/make_large_archive.py [N] [OUT.db] [--seed S]

N records (default 1,000,000) across people, sites, events and sources, with links, aliases
and quotes. Russian names are written in Cyrillic in `name_ru` (so the build generates their
transliteration variants), German names in German; sources cite fond/opis/delo and
Bundesarchiv files in several styles; dates use every kind of partial EDTF date the archive
supports. The rows go through `validate` and `write_archive`, exactly as an import does.
The output depends only on N and the seed.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tqdm import tqdm

from archive_browser.core.importer import (
    BuildReport,
    Dataset,
    Row,
    build_code_files,
    validate,
    write_archive,
)

# The modules whose code decides what an archive holds: a change to any of them makes a
# benchmark archive built before it stale (its index no longer matches the search code).

DEFAULT_RECORDS = 1_000_000
DEFAULT_OUT = Path(__file__).resolve().parent / "out" / "archive-1000000.db"

# Shares of the records by type; the rest of the records are sources.
TYPE_SHARES = (("person", 0.40), ("site", 0.10), ("event", 0.25))

# --------------------------------------------------------------------------- name pieces

RU_FIRST = (
    "Иван",
    "Михаил",
    "Николай",
    "Александр",
    "Сергей",
    "Пётр",
    "Алексей",
    "Фёдор",
    "Василий",
    "Григорий",
    "Яков",
    "Семён",
    "Лев",
    "Борис",
    "Юрий",
    "Илья",
    "Дмитрий",
    "Константин",
    "Евгений",
    "Андрей",
    "Павел",
    "Тимофей",
    "Иероним",
)
RU_PATRONYMIC = (
    "Иванович",
    "Николаевич",
    "Петрович",
    "Семёнович",
    "Ильич",
    "Фёдорович",
    "Алексеевич",
    "Яковлевич",
    "Григорьевич",
    "Васильевич",
    "Борисович",
)
RU_ONSET = (
    "Ту",
    "Ха",
    "Бе",
    "Во",
    "Ки",
    "Ло",
    "Жу",
    "Ще",
    "Ры",
    "Мя",
    "Зо",
    "Чу",
    "Кра",
    "Сте",
    "Бры",
    "Гро",
    "Пле",
    "Да",
    "Фи",
    "Шу",
    "Ёл",
    "Ю",
    "Э",
    "Ци",
    "Ня",
    "Ко",
)
RU_MIDDLE = (
    "ха",
    "че",
    "ле",
    "ро",
    "ви",
    "ны",
    "жа",
    "ще",
    "ба",
    "до",
    "ря",
    "ми",
    "ко",
    "ту",
    "зе",
    "лья",
    "пи",
    "сё",
    "го",
    "ки",
    "",
)
RU_SUFFIX = (
    "вский",
    "ов",
    "ев",
    "ин",
    "енко",
    "ёв",
    "ский",
    "цкий",
    "ик",
    "ян",
    "швили",
    "ых",
    "ко",
)
RU_PLACE_SUFFIX = ("ск", "ово", "ино", "ка", "град", "поль", "ец", "ань", "ь", "ск-на-Волге")

DE_FIRST = (
    "Hans",
    "Werner",
    "Kurt",
    "Friedrich",
    "Heinz",
    "Walther",
    "Ernst",
    "Otto",
    "Günther",
    "Hermann",
    "Wilhelm",
    "Ludwig",
    "Oskar",
    "Ulrich",
    "Jürgen",
    "Karl",
)
DE_ONSET = ("Bl", "Sch", "H", "Br", "Kr", "M", "W", "St", "Fr", "L", "Th", "G", "Pf", "R")
DE_VOWEL = ("a", "e", "i", "o", "u", "ä", "ö", "ü", "ei", "au", "ie")
DE_CODA = ("mberg", "ckt", "lder", "nn", "rtz", "chs", "ndt", "ßler", "lk", "rn", "tz", "ch")
DE_SUFFIX = ("", "er", "mann", "feld", "hausen", "stein", "dorf", "", "")
DE_NOBLE = ("", "", "", "", "von ", "von der ")

# A simple English-press reading of Cyrillic, for the record's Latin `name`; the build then
# generates the scholarly, library, German and French forms from `name_ru` itself.
CYR_TO_LAT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}

ROLES = (
    "instructor",
    "pilot",
    "tank officer",
    "chemist",
    "engineer",
    "diplomat",
    "attaché",
    "commissar",
    "interpreter",
    "inspector",
    "liaison officer",
    "designer",
    "trainee",
)
SITE_KINDS = (
    "air base",
    "tank school",
    "chemical weapons ground",
    "factory",
    "port",
    "barracks",
    "testing range",
    "shipyard",
    "airfield",
    "depot",
)
THEMES = (
    "aviation",
    "armour",
    "chemical weapons",
    "diplomacy",
    "industry",
    "naval",
    "intelligence",
    "training",
    "politics",
    "war",
)
SOURCE_KINDS = (
    "report",
    "letter",
    "memorandum",
    "protocol",
    "telegram",
    "order",
    "diary",
    "minutes",
    "article",
    "document",
)
COVER_NAMES = ("Kama", "Wiwupal", "Tomka", "Lipezk", "Bersol", "Gefu", "Dora", "Olga", "Wega")
VERBS = (
    "Inspection of",
    "Visit to",
    "Opening of",
    "Closure of",
    "Exercise at",
    "Negotiations at",
    "Test series at",
    "Accident at",
    "Delegation to",
)

# (label, Cyrillic abbreviation, Latin abbreviation, older Cyrillic, older Latin)
RU_ARCHIVES = (
    ("Russian State Military Archive (RGVA)", "РГВА", "RGVA", "ЦГАСА", "TsGASA"),
    (
        "Russian State Archive of Socio-Political History (RGASPI)",
        "РГАСПИ",
        "RGASPI",
        "РЦХИДНИ",
        "RTsKhIDNI",
    ),
    ("State Archive of the Russian Federation (GARF)", "ГАРФ", "GARF", "ЦГАОР СССР", "TsGAOR SSSR"),
    ("Russian State Archive of the Economy (RGAE)", "РГАЭ", "RGAE", "ЦГАНХ", "TsGANKh"),
)
BARCH_SERIES = ("RH 2", "RH 12-2", "RW 19", "RM 20", "N 247", "R 43-I", "NS 19", "RW 5")


def _article(word: str) -> str:
    return "An" if word[0].lower() in "aeiou" else "A"


def _pick(rng: random.Random, items: tuple[str, ...]) -> str:
    return items[rng.randrange(len(items))]


def latin(cyrillic: str) -> str:
    out = []
    for char in cyrillic:
        lower = char.lower()
        if lower in CYR_TO_LAT:
            piece = CYR_TO_LAT[lower]
            out.append(piece.capitalize() if char != lower else piece)
        else:
            out.append(char)
    return "".join(out)


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits joined by '-' (the id rule of the build)."""
    ascii_text = latin(text).lower()
    ascii_text = ascii_text.translate(str.maketrans("äöüß", "aous"))
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in ascii_text).split()
    return "-".join(words) or "x"


def ru_surname(rng: random.Random) -> str:
    return _pick(rng, RU_ONSET) + _pick(rng, RU_MIDDLE) + _pick(rng, RU_SUFFIX)


def de_surname(rng: random.Random) -> str:
    return _pick(rng, DE_ONSET) + _pick(rng, DE_VOWEL) + _pick(rng, DE_CODA) + _pick(rng, DE_SUFFIX)


def ru_place(rng: random.Random) -> str:
    return _pick(rng, RU_ONSET) + _pick(rng, RU_MIDDLE) + _pick(rng, RU_PLACE_SUFFIX)


# --------------------------------------------------------------------------- dates


def edtf_date(rng: random.Random) -> str:
    """A date of the period in one of the partial EDTF forms the archive supports."""
    year = rng.randint(1919, 1941)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    form = rng.randrange(12)
    if form <= 2:
        return f"{year}-{month:02d}-{day:02d}"
    if form <= 4:
        return f"{year}-{month:02d}"
    if form == 5:
        return str(year)
    if form == 6:
        return f"{year}-{rng.randint(21, 24)}"  # a season
    if form == 7:
        return f"{year // 10}X"  # a decade
    if form == 8:
        end = rng.randint(year, 1941)
        return f"{year}/{end}"
    if form == 9:
        end_year = rng.randint(year + 1, 1942)
        return f"{year}-{month:02d}/{end_year}-{rng.randint(1, 12):02d}"
    return f"{year}{_pick(rng, ('~', '?', '%'))}"


def life_dates(rng: random.Random) -> tuple[str, str]:
    born = rng.randint(1860, 1905)
    died = rng.randint(born + 25, born + 80)
    born_text = f"{born}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    died_text = str(died) + _pick(rng, ("", "", "~", "?"))
    return (born_text if rng.random() < 0.6 else str(born)), died_text


# --------------------------------------------------------------------------- citations


def citation(rng: random.Random) -> tuple[str, str]:
    """(archive label, archival reference) in one of several citation styles."""
    style = rng.randrange(6)
    if style == 5:
        series = _pick(rng, BARCH_SERIES)
        return (
            "Federal Archives, Military Archive (BArch)",
            f"BArch, {series}/{rng.randint(1, 9999)}, Bl. {rng.randint(1, 300)}.",
        )
    label, cyr, lat, old_cyr, old_lat = RU_ARCHIVES[rng.randrange(len(RU_ARCHIVES))]
    fond, opis, delo = rng.randint(1, 40000), rng.randint(1, 20), rng.randint(1, 3000)
    first = rng.randint(1, 400)
    if style == 0:
        return label, f"{cyr}. Ф. {fond}. Оп. {opis}. Д. {delo}. Л. {first}–{first + 4}."
    if style == 1:
        return label, f"{lat}, f. {fond}, op. {opis}, d. {delo}, ll. {first}-{first + 3}."
    if style == 2:
        return label, f"{old_cyr}. Ф. {fond}. Оп. {opis}. Д. {delo}. Л. {first} об."
    if style == 3:
        return label, f"{old_lat}, f. {fond}, op. {opis}, d. {delo}, l. {first}."
    return label, f"{cyr}, ф. {fond}, оп. {opis}, д. {delo}, л. {first}."


# --------------------------------------------------------------------------- records


class Generator:
    """Deterministic rows for N records; ids stay unique by a running number."""

    def __init__(self, records: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.counts = self._counts(records)
        self.ids: dict[str, list[str]] = {t: [] for t in self.counts}
        self.dataset = Dataset()

    @staticmethod
    def _counts(records: int) -> dict[str, int]:
        counts = {name: int(records * share) for name, share in TYPE_SHARES}
        counts["source"] = records - sum(counts.values())
        return counts

    def person(self, number: int) -> dict[str, str]:
        rng = self.rng
        born, died = life_dates(rng)
        base = {
            "kind": "person",
            "role": _pick(rng, ROLES),
            "born": born,
            "died": died,
            "seed": "",
            "added": "",
            "note": "",
        }
        if rng.random() < 0.55:
            surname = ru_surname(rng)
            first = _pick(rng, RU_FIRST)
            name_ru = (
                f"{first} {_pick(rng, RU_PATRONYMIC)} {surname}"
                if rng.random() < 0.3
                else f"{first} {surname}"
            )
            name = latin(name_ru)
            base.update(
                nationality="Soviet",
                name_ru=name_ru,
                summary=f"{name} served as {base['role']} at {ru_place(rng)}; "
                f"named in the files as {surname}.",
            )
        else:
            name = f"{_pick(rng, DE_FIRST)} {_pick(rng, DE_NOBLE)}{de_surname(rng)}"
            base.update(
                nationality="German",
                name_ru="",
                summary=f"{name}, a German {base['role']} sent to the Soviet Union "
                f"under the Reichswehr's cover programme.",
            )
        base.update(id=f"person/{slug(name)}-{number}", name=name)
        return base

    def site(self, number: int) -> dict[str, str]:
        rng = self.rng
        name_ru = ru_place(rng)
        kind = _pick(rng, SITE_KINDS)
        name = f"{latin(name_ru)} {kind}"
        start = rng.randint(1920, 1935)
        return {
            "id": f"site/{slug(name)}-{number}",
            "name": name,
            "name_ru": name_ru,
            "kind": kind,
            "cover_name": _pick(rng, COVER_NAMES) if rng.random() < 0.2 else "",
            "lat": f"{rng.uniform(44, 62):.2f}",
            "lon": f"{rng.uniform(28, 60):.2f}",
            "period": f"{start}/{rng.randint(start, 1941)}",
            "distance": f"{rng.randint(20, 1500)} kilometres from Moscow",
            "summary": f"{_article(kind)} {kind} near {latin(ru_place(rng))}, used by both armies.",
            "seed": "",
            "added": "",
            "note": "",
        }

    def event(self, number: int) -> dict[str, str]:
        rng = self.rng
        place = latin(ru_place(rng))
        title = f"{_pick(rng, VERBS)} {place}"
        return {
            "id": f"event/{slug(title)}-{number}",
            "date": edtf_date(rng),
            "title": title,
            "theme": _pick(rng, THEMES),
            "summary": f"{title}, attended by {de_surname(rng)} and {latin(ru_surname(rng))}.",
            "seed": "",
            "added": "",
            "note": "",
        }

    def source(self, number: int) -> dict[str, str]:
        rng = self.rng
        kind = _pick(rng, SOURCE_KINDS)
        archive, reference = citation(rng)
        subject = latin(ru_place(rng)) if rng.random() < 0.5 else de_surname(rng)
        title = f"{kind.capitalize()} on {subject}"
        return {
            "id": f"source/{slug(title)}-{number}",
            "title": title,
            "kind": kind,
            "archive": archive,
            "citation": reference if rng.random() < 0.9 else "",
            "date": edtf_date(rng),
            "author": f"{_pick(rng, DE_FIRST)} {de_surname(rng)}",
            "summary": f"{_article(kind)} {kind} about {subject}, kept in {archive}.",
            "seed": "",
            "added": "",
            "note": "",
        }

    def rows(self, type_name: str) -> Iterator[Row]:
        make: Callable[[int], dict[str, str]] = getattr(self, type_name)
        file = {
            "person": "people.csv",
            "site": "sites.csv",
            "event": "events.csv",
            "source": "sources.csv",
        }[type_name]
        for number in range(1, self.counts[type_name] + 1):
            values = make(number)
            self.ids[type_name].append(values["id"])
            yield Row(file, number + 1, values)

    def links_and_aliases(self) -> None:
        """About one link per two records, an alias for one person in eight, a few quotes."""
        rng = self.rng
        people, sites = self.ids["person"], self.ids["site"]
        events, sources = self.ids["event"], self.ids["source"]
        roles = (
            ("person", "site", "served at"),
            ("event", "site", "took place at"),
            ("source", "person", "mentions"),
            ("source", "event", "describes"),
            ("person", "person", "colleague of"),
        )
        pools = {"person": people, "site": sites, "event": events, "source": sources}
        total = sum(self.counts.values()) // 2
        for number in range(total):
            source_type, target_type, role = roles[number % len(roles)]
            if not pools[source_type] or not pools[target_type]:
                continue
            values = {
                "from": rng.choice(pools[source_type]),
                "to": rng.choice(pools[target_type]),
                "role": role,
                "seed": "",
                "added": "",
            }
            self.dataset.links.append(Row("links.csv", number + 2, values))
        for number, record_id in enumerate(people[::8]):
            alias = f"{_pick(rng, DE_FIRST)[0]}. {de_surname(rng)}"
            self.dataset.aliases.append(
                Row(
                    "aliases.csv",
                    number + 2,
                    {"record": record_id, "alias": alias, "scheme": "other", "note": ""},
                )
            )
        for number, record_id in enumerate(sources[::50]):
            self.dataset.quotes.append(
                Row(
                    "quotes.csv",
                    number + 2,
                    {
                        "id": f"quote/q-{number}",
                        "record": record_id,
                        "speaker": rng.choice(people) if people else "",
                        "text": f"The work at {latin(ru_place(rng))} has been of great interest.",
                        "reconstructed": "no",
                        "seed": "",
                        "note": "",
                    },
                )
            )


def build_code_hash() -> str:
    digest = hashlib.sha256()
    for name, path in build_code_files():
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def expected_source_hash(records: int, seed: int = 1922) -> str:
    """What `archive_meta.source_hash` holds in an archive made by this code and seed."""
    return f"benchmark-{records}-{seed}-{build_code_hash()}"


def is_current(path: Path, records: int, seed: int = 1922) -> bool:
    """True when `path` was made by this generator from the build code as it is now."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            row = conn.execute(
                "SELECT value FROM archive_meta WHERE key = 'source_hash'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == expected_source_hash(records, seed)


def make_dataset(records: int, seed: int = 1922, show_progress: bool = True) -> Dataset:
    generator = Generator(records, seed)
    with tqdm(
        total=records, desc="generate", unit="rec", disable=not show_progress, mininterval=1.0
    ) as bar:
        for type_name in generator.counts:
            rows = generator.dataset.records[type_name]
            for row in generator.rows(type_name):
                rows.append(row)
                bar.update()
    generator.links_and_aliases()
    generator.dataset.meta = {
        "archive_id": f"bench-{records}",
        "title": f"Benchmark archive of {records:,} records",
    }
    generator.dataset.source_hash = expected_source_hash(records, seed)
    return generator.dataset


class _BuildBar:
    """Progress of `write_archive` (stage, done, total) shown as tqdm bars, one per stage."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: tqdm | None = None
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=stage, unit="rec", mininterval=1.0)
        assert self.bar is not None
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def build_large_archive(
    records: int, out: Path, seed: int = 1922, show_progress: bool = True
) -> tuple[BuildReport, float]:
    """Generate, validate and write; returns the build report and the validation seconds."""
    dataset = make_dataset(records, seed, show_progress)
    if show_progress:
        print(f"validate: {records:,} records (no progress bar)", file=sys.stderr, flush=True)
    started = time.perf_counter()
    problems = validate(dataset)
    validate_seconds = time.perf_counter() - started
    errors = [p for p in problems if not p.warning]
    if errors:
        raise SystemExit("the generated data is invalid:\n" + "\n".join(map(str, errors[:20])))
    bar = _BuildBar(show_progress)
    try:
        report = write_archive(dataset, out, progress=bar, warnings=problems)
    finally:
        bar.close()
    return report, validate_seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", nargs="?", type=int, default=DEFAULT_RECORDS)
    parser.add_argument("out", nargs="?", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=1922)
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    out = args.out or DEFAULT_OUT.with_name(f"archive-{args.records}.db")
    report, validate_seconds = build_large_archive(
        args.records, out, args.seed, show_progress=not args.quiet
    )
    print(
        f"{out}: {report.records:,} records, {report.links:,} links, "
        f"{report.citations:,} citations, {report.aliases:,} aliases; "
        f"validate {validate_seconds:.1f} s, write {report.seconds:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
