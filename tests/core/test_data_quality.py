"""Quality checks on the curated CSV files in data/, read directly (no archive build).

The CSV files are the truth of the bundled archive, so these tests guard the curation
contract of docs/data-format.md: exact headers, stable ids, provenance on every record,
nothing garbled or spam from the seed copy, Russian names and hand-written variants.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from functools import cache
from math import asin, cos, radians, sin, sqrt
from pathlib import Path

import pytest

from archive_browser.core.importer.format import source_citations

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
# The seed paragraphs the quotes cite, copied verbatim (tests read nothing outside the checkout).
SEED_QUOTE_PARAGRAPHS = Path(__file__).parents[1] / "data" / "seed_quote_paragraphs.txt"
# The first words of every seed paragraph: the numbering the seed columns cite.
SEED_PARAGRAPH_STARTS = Path(__file__).parents[1] / "data" / "seed_paragraph_starts.txt"

RECORD_FILES = {"person": "people", "site": "sites", "event": "events", "source": "sources"}
PROVENANCE = ("seed", "added", "note")
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # file stem: (all columns, required columns)
    "people": (
        (
            "id",
            "name",
            "name_ru",
            "sort_name",
            "sort_name_ru",
            "kind",
            "role",
            "nationality",
            "born",
            "died",
            "summary",
            *PROVENANCE,
        ),
        ("id", "name", "kind", "summary"),
    ),
    "sites": (
        (
            "id",
            "name",
            "name_ru",
            "kind",
            "cover_name",
            "lat",
            "lon",
            "period",
            "distance",
            "summary",
            *PROVENANCE,
        ),
        ("id", "name", "kind", "summary"),
    ),
    "events": (
        ("id", "date", "title", "theme", "summary", *PROVENANCE),
        ("id", "date", "title", "theme", "summary"),
    ),
    "sources": (
        (
            "id",
            "title",
            "kind",
            "archive",
            "place",
            "citation",
            "date",
            "author",
            "summary",
            *PROVENANCE,
        ),
        ("id", "title", "kind", "summary"),
    ),
    "quotes": (
        ("id", "record", "speaker", "text", "reconstructed", "seed", "note"),
        ("id", "record", "text", "reconstructed"),
    ),
    "links": (("from", "to", "role", "seed", "added"), ("from", "to", "role")),
    "aliases": (("record", "alias", "scheme", "note"), ("record", "alias", "scheme")),
}
DATE_COLUMNS = {
    "people": ("born", "died"),
    "sites": ("period",),
    "events": ("date",),
    "sources": ("date",),
}
# Columns of English prose: the garbling of the seed copy must not survive in them.
PROSE_COLUMNS = ("summary", "role", "title", "note", "text", "distance")

# The seed article (kept outside the repository: it is not ours to copy) has 24 non-empty
# lines; 12 and 23 are social-media spam.
SEED_PARAGRAPHS = 24
SPAM_PARAGRAPHS = {12, 23}
SPAM_PHRASES = (
    "facebook",
    "konto",
    "gesperrt",
    "kreuzworträtsel",
    "chelsea",
    "pizza",
    "mehr sehen",
    "stadtteil",
    "vorübergehend",
)
# Tokens the machine garbling put in place of English words (and the German words read in the
# seed). Matched as whole words, case-insensitively.
GARBLED_WORDS = (
    "die",
    "ns",
    "des",
    "bei",
    "weist",
    "punkt",
    "zu",
    "und",
    "ist",
    "ich",
    "zum",
    "oase",
    "neu",
    "castle",
    "pflicht",
    "pläne",
    "rückseitig",
    "echt",
    "tun können",
    "zustand",
    "gewächs",
    "notfall",
    "ehrenvoll",
    "frankreich",
    "entwurf",
    "fliegen",
    "prüfung",
    "offiziere",
    "ungesetzlich",
    "vereinigt",
    "bolzen",
    "weil das",
    "hinweisen",
    "deshalb",
    "produziert",
    "stärke",
    "anhielt",
    "lernen",
    "welt",
    "unternehmen",
    "gewerkschaftler",
    "gewerkschaftern",
    "kommen sie",
    "zu sein",
    "top top",
)
GARBLED_PHRASES = (
    "über ",
    "save on computer",
    "brothers shipping",
    "business raiders",
    "chemical tools",
    "air pressure",
    "wait field",
    "waiting force",
    "soviet unionist",
    "~ above",
    "hans by",
)
THEMES = {"diplomacy", "aviation", "armour", "chemical weapons", "navy", "politics", "war"}
ALIAS_SCHEMES = {"german", "french", "english-old", "polish", "cover-name", "short", "other"}
ID = re.compile(r"(person|site|event|source|quote)/[a-z0-9]+(?:-[a-z0-9]+)*")
CYRILLIC_NAME = re.compile(r"[\u0400-\u04FF]+(?:[ -][\u0400-\u04FF]+)*")

# EDTF level 0-2 subset of docs/data-format.md: a date, a season, a decade or century with
# X, optional ~ prefix and ?/~/% suffix, and intervals with an open end.
_EDTF_POINT = (
    r"~?(?:\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?|-2[1-4])?"
    r"|\d{3}X|\d{2}XX)[?~%]?"
)
EDTF = re.compile(rf"{_EDTF_POINT}(?:/(?:{_EDTF_POINT}|\.\.))?|\.\./{_EDTF_POINT}")

REQUIRED_PEOPLE = (
    "Hans von Seeckt",
    "Enver Pasha",
    "Leon Trotsky",
    "Vladimir Lenin",
    "Hugo Junkers",
    "Heinz Guderian",
    "Oswald Lutz",
    "Ernst Volckheim",
    "Mikhail Tukhachevsky",
    "Vladimir Triandafillov",
    "Yakov Fishman",
    "Joseph Stalin",
    "Adolf Hitler",
    "Vyacheslav Molotov",
    "Joachim von Ribbentrop",
    "Ian Johnson",
    "Reichswehr",
    "Red Army",
    "Soviet Air Force",
    "Junkers",
    "Krupp",
    "Daimler-Benz",
    "M.A.N.",
    "Reichstag",
    "Inter-Allied Commission of Control",
    "Luftwaffe",
)
REQUIRED_SITE_IDS = (
    "site/lipetsk",
    "site/kazan",
    "site/podosinki",
    "site/tomka",
    "site/fili",
    "site/basis-nord",
    "site/rapallo",
    "site/moscow",
    "site/berlin",
    "site/leningrad",
    "site/sevastopol",
    "site/versailles",
    "site/lithuania",
    "site/murmansk",
    "site/samara",
)
RUSSIAN_SITE_IDS = (
    "site/lipetsk",
    "site/kazan",
    "site/podosinki",
    "site/tomka",
    "site/fili",
    "site/basis-nord",
    "site/moscow",
    "site/leningrad",
    "site/sevastopol",
    "site/murmansk",
    "site/samara",
)
REQUIRED_EVENTS = {
    # id: the date the seed gives (completed from reference knowledge only where noted)
    "event/versailles-treaty": "1919-06-28",
    "event/enver-mission-1919": "1919",
    "event/enver-letter": "1920-08-26",
    "event/rapallo-treaty": "1922-04-16",
    "event/secret-summits-1922": "1922-22",
    "event/lipetsk-invitation": "1924",
    "event/lipetsk-transfer": "1925",
    "event/junkers-scandal": "1926-12",
    "event/manchester-guardian-disclosure": "1926-12-03",
    "event/imcc-final-report": "1927-01",
    "event/lipetsk-expansion": "1927",
    "event/chemical-program-1931": "../1931",
    "event/end-of-cooperation": "1933",
    "event/luftwaffe-reemerges": "1935",
    "event/stalin-naval-construction": "1936",
    "event/molotov-ribbentrop-pact": "1939-08-23",
    "event/submarine-supply": "1939-23",
    "event/barbarossa": "1941-06-22",
    "event/johnson-phd": "2016",
}
REQUIRED_SOURCE_IDS = (
    "source/article",
    "source/johnson-dissertation",
    "source/rgva",
    "source/krupp-archive",
    "source/man-archive",
    "source/daimler-benz-archive",
    "source/nara-foreign-records-seized",
    "source/yale-russian-archive-project",
    "source/galo-photo",
    "source/enver-letter",
    "source/manchester-guardian-1926",
    "source/teko-report",
    "source/imcc-report-1927",
)
GALO_PHOTO_CITATION = "State Archive of Lipetsk Oblast, Fond 2176/Opis 1/Delo 1"

# The spinner's regular substitutions (docs/curation.md, "How the garbling was read"): a clean
# word of a quote outside brackets is either in the paragraph the quote cites or the documented
# reading of a token that paragraph has. Every other word the editor supplies is in brackets.
SYSTEMATIC_READINGS: dict[str, tuple[str, ...]] = {
    "the": ("die", "ns", "des"),
    "of": ("des", "ns", "von"),
    "to": ("kommen sie", "zu"),
    "on": ("top top", "~ above"),
    "in": ("bei", "an"),
    "at": ("weist", "punkt"),
    "and": ("und",),
    "by": ("über", "von"),
    "for": ("zum", "weil das"),
    "also": ("so",),
}


# ----------------------------------------------------------------------------- reading


@cache
def read_rows(stem: str) -> tuple[tuple[str, ...], tuple[dict[str, str], ...]]:
    """The header and rows of data/STEM.csv, read as the importer reads it."""
    text = (DATA / f"{stem}.csv").read_text(encoding="utf-8-sig")
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = tuple(h.strip() for h in next(reader))
    rows = tuple(
        dict(zip(header, (c.strip() for c in cells), strict=True))
        for cells in reader
        if any(c.strip() for c in cells)
    )
    return header, rows


def rows(stem: str) -> tuple[dict[str, str], ...]:
    return read_rows(stem)[1]


def records() -> list[dict[str, str]]:
    return [row for stem in RECORD_FILES.values() for row in rows(stem)]


def record_ids() -> set[str]:
    return {row["id"] for row in records()}


def by_id(stem: str) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in rows(stem)}


def aliases_of(record_id: str) -> list[dict[str, str]]:
    return [row for row in rows("aliases") if row["record"] == record_id]


def seed_numbers(seed: str) -> list[int]:
    return [int(part) for part in seed.split(";")]


def all_cells() -> list[tuple[str, str, str, str]]:
    """(file, row label, column, value) for every non-empty cell of every file."""
    cells = []
    for stem in COLUMNS:
        for number, row in enumerate(rows(stem), 2):
            label = row.get("id") or f"line {number}"
            cells.extend((stem, label, column, value) for column, value in row.items() if value)
    return cells


def prose_cells() -> list[tuple[str, str, str, str]]:
    return [cell for cell in all_cells() if cell[2] in PROSE_COLUMNS]


def von_surnames() -> set[str]:
    """Surnames that follow "von" in a person's name: the only places "von" is German."""
    return {
        m.group(1)
        for row in rows("people")
        for m in re.finditer(r"\bvon ([A-Z][a-z]+)", row["name"])
    }


# ----------------------------------------------------------------------------- format


@pytest.mark.parametrize("stem", list(COLUMNS))
def test_header_is_exactly_the_documented_columns(stem: str) -> None:
    header, _ = read_rows(stem)
    allowed, required = COLUMNS[stem]
    assert len(set(header)) == len(header), f"{stem}.csv repeats a column"
    assert set(header) <= set(allowed), f"unknown columns {set(header) - set(allowed)}"
    assert set(required) <= set(header), f"missing columns {set(required) - set(header)}"


@pytest.mark.parametrize("stem", list(COLUMNS))
def test_required_cells_are_filled(stem: str) -> None:
    _, required = COLUMNS[stem]
    empty = [(row.get("id", row), c) for row in rows(stem) for c in required if not row[c]]
    assert not empty


def test_ids_are_unique_and_typed_by_their_file() -> None:
    ids: list[str] = []
    for prefix, stem in {**RECORD_FILES, "quote": "quotes"}.items():
        for row in rows(stem):
            assert ID.fullmatch(row["id"]), row["id"]
            assert row["id"].split("/")[0] == prefix, f"{row['id']} in {stem}.csv"
            ids.append(row["id"])
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates


def test_links_and_quotes_point_at_existing_records() -> None:
    known = record_ids()
    dangling = [
        (row["from"], row["to"])
        for row in rows("links")
        if row["from"] not in known or row["to"] not in known
    ]
    dangling += [(q["id"], q["record"]) for q in rows("quotes") if q["record"] not in known]
    dangling += [
        (q["id"], q["speaker"])
        for q in rows("quotes")
        if q["speaker"] and q["speaker"] not in known
    ]
    dangling += [(a["record"], a["alias"]) for a in rows("aliases") if a["record"] not in known]
    assert not dangling


def test_quote_speakers_are_people() -> None:
    speakers = [q["speaker"] for q in rows("quotes") if q["speaker"]]
    assert all(s.startswith("person/") for s in speakers)


def test_no_link_is_given_twice_or_points_at_itself() -> None:
    triples = [(r["from"], r["to"], r["role"]) for r in rows("links")]
    assert not [t for t, n in Counter(triples).items() if n > 1]
    assert not [t for t in triples if t[0] == t[1]]


# ----------------------------------------------------------------------------- provenance


def wholly_added(row: dict[str, str]) -> bool:
    """A record the article does not give at all: its `added` says so and names the source."""
    return row.get("added", "").startswith("The whole record")


def test_every_record_and_quote_cites_content_paragraphs() -> None:
    bad = []
    for row in [*records(), *rows("quotes")]:
        if not row["seed"] and wholly_added(row):
            continue
        if not re.fullmatch(r"\d+(?:;\d+)*", row["seed"]):
            bad.append((row["id"], row["seed"]))
            continue
        numbers = seed_numbers(row["seed"])
        if any(n < 1 or n > SEED_PARAGRAPHS or n in SPAM_PARAGRAPHS for n in numbers):
            bad.append((row["id"], row["seed"]))
    assert not bad


def test_link_seeds_cite_content_paragraphs() -> None:
    bad = []
    for row in rows("links"):
        if not row["seed"]:
            continue
        numbers = seed_numbers(row["seed"])
        if any(n < 1 or n > SEED_PARAGRAPHS or n in SPAM_PARAGRAPHS for n in numbers):
            bad.append((row["from"], row["to"], row["seed"]))
    assert not bad


def test_seed_paragraph_numbering_matches_the_article() -> None:
    """The numbers the seed columns cite: as many paragraphs as the article has, the spam
    ones where the article has them, and the verbatim quote copies at their own numbers."""
    starts = seed_paragraph_starts()
    assert sorted(starts) == list(range(1, SEED_PARAGRAPHS + 1))
    spam = {n for n, text in starts.items() if any(p in text.lower() for p in SPAM_PHRASES)}
    assert spam == SPAM_PARAGRAPHS
    misplaced = [n for n, text in seed_quote_paragraphs().items() if not text.startswith(starts[n])]
    assert not misplaced
    for number in SPAM_PARAGRAPHS:
        assert starts[number].startswith("Mehr sehen")


def test_reference_facts_are_declared_as_added() -> None:
    undeclared = []
    for row in rows("people"):
        if wholly_added(row):
            continue
        if (row["born"] or row["died"]) and "life dates" not in row["added"].lower():
            undeclared.append((row["id"], "life dates"))
    for row in [*rows("people"), *rows("sites")]:
        if wholly_added(row):
            continue
        if row["name_ru"] and "russian spelling" not in row["added"].lower():
            undeclared.append((row["id"], "Russian spelling"))
    for row in rows("sites"):
        if row["lat"] and "coordinates" not in row["added"].lower():
            undeclared.append((row["id"], "coordinates"))
    assert not undeclared


def test_every_record_has_a_link() -> None:
    linked = {row["from"] for row in rows("links")} | {row["to"] for row in rows("links")}
    assert not sorted(record_ids() - linked)


def test_the_archive_is_richly_linked() -> None:
    assert len(rows("links")) >= 200
    # Beyond "the article supports it", most records have a relation of their own.
    specific = Counter()
    for row in rows("links"):
        if row["from"] != "source/article":
            specific.update((row["from"], row["to"]))
    unlinked = [i for i in record_ids() if specific[i] == 0 and i != "source/article"]
    assert not unlinked


# ----------------------------------------------------------------------------- clean text


def _spam_in(text: str) -> list[str]:
    # Whole words: "Wirtschaftskontor" (WIKO) is not the spam line's "Konto".
    lowered = text.lower()
    return [p for p in SPAM_PHRASES if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", lowered)]


def test_spam_check_matches_whole_words() -> None:
    assert _spam_in("Facebook Konto Vorübergehend Gesperrt") == [
        "facebook",
        "konto",
        "gesperrt",
        "vorübergehend",
    ]
    assert _spam_in("WIKO (Wirtschaftskontor)") == []


def test_no_spam_reaches_any_file() -> None:
    spam = [cell for cell in all_cells() if _spam_in(cell[3])]
    assert not spam


def _garbled_in(text: str, allowed_after_von: set[str]) -> list[str]:
    lowered = text.lower()
    found = [w for w in GARBLED_WORDS if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", lowered)]
    found += [p for p in GARBLED_PHRASES if p in lowered]
    for match in re.finditer(r"(?<!\w)von(?!\w)(\s+(\w+))?", text, flags=re.IGNORECASE):
        if match.group(2) not in allowed_after_von:
            found.append(match.group(0))
    return found


def test_marker_check_catches_garbling_and_spares_german_names() -> None:
    names = {"Seeckt", "Ribbentrop"}
    assert _garbled_in("Die Treaty von Versailles", names) == ["die", "von Versailles"]
    assert _garbled_in("chemical tools plants", names) == ["chemical tools"]
    assert _garbled_in("his return kommen sie Berlin", names) == ["kommen sie"]
    assert _garbled_in("Hans von Seeckt met Joachim von Ribbentrop.", names) == []
    assert _garbled_in("Versailles von 1919", names) == ["von 1919"]
    assert _garbled_in("Studies in Ohio; diesel engines", names) == []


def test_no_garbled_seed_words_in_prose() -> None:
    allowed = von_surnames()
    garbled = [
        (stem, label, column, _garbled_in(value, allowed))
        for stem, label, column, value in prose_cells()
        if _garbled_in(value, allowed)
    ]
    assert not garbled


def numbered_paragraphs(path: Path) -> dict[int, str]:
    """Paragraph number -> text, from a tab-separated copy in tests/data ("#" lines aside)."""
    paragraphs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            number, text = line.split("\t", 1)
            paragraphs[int(number)] = text
    return paragraphs


@cache
def seed_quote_paragraphs() -> dict[int, str]:
    """Paragraph number -> text, from the verbatim copy in tests/data."""
    return numbered_paragraphs(SEED_QUOTE_PARAGRAPHS)


@cache
def seed_paragraph_starts() -> dict[int, str]:
    """Paragraph number -> its first words, for every paragraph of the seed article."""
    return numbered_paragraphs(SEED_PARAGRAPH_STARTS)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


def unsupported_quote_words(quote_text: str, seed_text: str) -> list[str]:
    """Words of a quote outside [brackets] that the cited seed text does not support."""
    seed_words = set(_words(seed_text))
    lowered = f" {seed_text.lower()} "
    unsupported = []
    for word in _words(re.sub(r"\[[^\]]*\]", " ", quote_text)):
        if word in seed_words:
            continue
        tokens = SYSTEMATIC_READINGS.get(word, ())
        if not any(re.search(rf"(?<!\w){re.escape(tok)}(?!\w)", lowered) for tok in tokens):
            unsupported.append(word)
    return unsupported


def test_quote_check_catches_an_unbracketed_guess() -> None:
    seed = "mystery Plan bolzen Reichswehr Officers und Soviet"
    assert unsupported_quote_words("[Secret] Plan [of?] Reichswehr Officers and Soviet", seed) == []
    assert unsupported_quote_words("Secret Plan of Reichswehr Officers and Soviet", seed) == [
        "secret",
        "of",
    ]


def test_reconstructed_quote_words_are_in_the_seed_or_bracketed() -> None:
    """Every word outside [brackets] is in the quote's seed paragraphs (or a documented reading)."""
    paragraphs = seed_quote_paragraphs()
    unsupported = []
    for quote in rows("quotes"):
        numbers = seed_numbers(quote["seed"])
        assert set(numbers) <= set(paragraphs), (quote["id"], "seed paragraph not copied")
        seed_text = " ".join(paragraphs[n] for n in numbers)
        unsupported += [(quote["id"], w) for w in unsupported_quote_words(quote["text"], seed_text)]
    assert not unsupported


def test_conjectures_are_bracketed_and_insertions_removed() -> None:
    quotes = by_id("quotes")
    assert "Plan [of?] Reichswehr" in quotes["quote/manchester-guardian-headline"]["text"]
    assert quotes["quote/teko-report"]["text"].startswith("a [lot?] of interesting things")
    enver = quotes["quote/enver-on-trotsky"]["text"]
    assert "[splinter?] party" in enver
    assert "it also includes" not in enver
    assert "and also includes" in enver
    for quote in quotes.values():
        if "[" in quote["text"]:
            assert "square brackets" in quote["note"].lower(), quote["id"]
    curation = (REPO / "docs" / "curation.md").read_text(encoding="utf-8")
    assert "No word is added" not in curation
    assert "[of?]" in curation
    imcc = quotes["quote/imcc-report"]
    assert "had never disarmed" in imcc["note"]


def test_quotes_are_marked_reconstructed() -> None:
    for quote in rows("quotes"):
        assert quote["reconstructed"] == "yes", quote["id"]
        assert "reconstructed" in quote["note"].lower() and "garbled" in quote["note"].lower()


def test_the_required_quotes_are_present() -> None:
    texts = " ".join(q["text"] for q in rows("quotes"))
    for phrase in (
        "bridge between Germany and us, or a barrier",
        "pillar of Versailles",
        "Cargoes of Munitions from Russia to Germany",
        "the work of TEKO",
        "Germany has never disarmed",
        "I spoke with … Trotsky",
    ):
        assert phrase in texts


# ----------------------------------------------------------------------------- content


def test_every_named_person_and_organisation_is_present() -> None:
    names = {row["name"] for row in rows("people")}
    assert not [n for n in REQUIRED_PEOPLE if n not in names]


def test_people_kinds_and_organisation_names() -> None:
    people = rows("people")
    assert {row["kind"] for row in people} == {"person", "organisation"}
    assert by_id("people")["person/red-army"]["name_ru"] == "Красная армия"
    assert by_id("people")["person/reichswehr"]["kind"] == "organisation"


def test_required_sites_events_and_sources_are_present() -> None:
    assert not [i for i in REQUIRED_SITE_IDS if i not in by_id("sites")]
    assert not [i for i in REQUIRED_SOURCE_IDS if i not in by_id("sources")]
    events = by_id("events")
    wrong = {
        i: events.get(i, {}).get("date")
        for i, d in REQUIRED_EVENTS.items()
        if events.get(i, {}).get("date") != d
    }
    assert not wrong
    assert 30 <= len(events) <= 70


def test_events_have_a_timeline_theme() -> None:
    assert {row["theme"] for row in rows("events")} == THEMES


def test_bases_carry_cover_names_distances_and_periods() -> None:
    sites = by_id("sites")
    assert sites["site/kazan"]["cover_name"] == "Kama"
    assert sites["site/tomka"]["cover_name"] == "Tomka"
    assert sites["site/basis-nord"]["cover_name"] == "Basis Nord"
    assert "500 kilometres southeast of Moscow" in sites["site/lipetsk"]["distance"]
    assert "800 kilometres east of Moscow" in sites["site/kazan"]["distance"]
    for base in ("site/lipetsk", "site/kazan", "site/podosinki", "site/tomka"):
        assert "/" in sites[base]["period"], base


def test_russian_sites_have_plausible_coordinates() -> None:
    # A box around European Russia and the Crimea: catches swapped or mistyped lat/lon.
    sites = by_id("sites")
    for site_id in RUSSIAN_SITE_IDS:
        lat, lon = float(sites[site_id]["lat"]), float(sites[site_id]["lon"])
        assert 44 <= lat <= 70 and 30 <= lon <= 51, site_id
    for row in rows("sites"):
        if not row["lat"] and "Not placed on the map" in row["note"]:
            continue  # the United States: off the bundled (European) base map, and it says so
        assert row["lat"] and row["lon"], row["id"]
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180


def haversine_km(a: str, b: str) -> float:
    """Great-circle distance between two sites, from their coordinates (mean Earth radius)."""
    sites = by_id("sites")
    lat1, lon1, lat2, lon2 = map(
        radians,
        (
            float(sites[a]["lat"]),
            float(sites[a]["lon"]),
            float(sites[b]["lat"]),
            float(sites[b]["lon"]),
        ),
    )
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * asin(sqrt(h))


# (site, from, the article's figure in km or None, the straight line the record states, km)
# The tolerance is 3 %: the coordinates are those of the city or of the ground, rounded to
# two decimals (about 1 km), and the stated figure is rounded to the nearest 5 or 10 km.
STRAIGHT_LINES = (
    ("site/lipetsk", "site/moscow", 500, 372),
    ("site/kazan", "site/moscow", 800, 720),
    ("site/tomka", "site/samara", None, 230),
)
DISTANCE_TOLERANCE = 0.03


@pytest.mark.parametrize(("site", "origin", "article_km", "stated_km"), STRAIGHT_LINES)
def test_straight_line_distances_agree_with_coordinates_and_the_article(
    site: str, origin: str, article_km: int | None, stated_km: int
) -> None:
    """The record states the straight line; the article's larger figure is a travel distance."""
    computed = haversine_km(site, origin)
    assert abs(computed - stated_km) <= DISTANCE_TOLERANCE * stated_km, computed
    row = by_id("sites")[site]
    assert f"{stated_km} km in a straight line" in row["distance"]
    if article_km is not None:
        assert f"{article_km} kilometres" in row["distance"]  # the article's figure is kept
        assert "travel distance" in row["distance"]
        # A road or rail route is longer than the straight line, but not absurdly so.
        assert computed < article_km < 1.5 * computed


# Archival references found printed verbatim in a published page (issue 21): the source id, the
# reference as the record writes it, and the page that prints it. No reference is constructed.
VERBATIM_REFERENCES = {
    "source/galo-photo": (GALO_PHOTO_CITATION, "seed article"),
    "source/barch-lipetsk-fokker-winter": (
        "Bundesarchiv, RH 2/2292, 71",
        "http://www.spiegel.de/fotostrecke/deutsche-fliegerschule-fotostrecke-107523.html",
    ),
    "source/paaa-boundary-treaty-film": (
        "Politisches Archiv des Auswärtigen Amtes, RAM-Film 2, 313, 330, 314, 319, 310, 329, 309,"
        " 326, 325, 316, 315, 322, 331.",
        "https://www.1000dokumente.de/index.html?c=dokument_ru&dokument=0027_gre&object=translation&l=de",
    ),
    "source/aa-boundary-treaty-map": (
        "BILAT R SOW 56",
        "https://150.diplo.de/150-jahre-de/zeitleiste/-/2278770",
    ),
    "source/barch-gessler-weapons-letter-1923": (
        "R 43 I /689 , Bl. 207–208",
        "http://www.bundesarchiv.de/aktenreichskanzlei/1919-1933/00a/str/str1p/kap1_2/para2_69.html",
    ),
    "source/barch-spd-reichswehr-demands": (
        "R 43 I /686 , Bl. 183",
        "http://www.bundesarchiv.de/aktenreichskanzlei/1919-1933/0000/ma3/ma31p/kap1_2/kap2_158/para3_1.html",
    ),
    "source/paaa-heye-report-1927": (
        "Pol. Arch. des AA, Büro Staatssekretär, Landesschutz, 4565/E 164073–83",
        "http://www.bundesarchiv.de/aktenreichskanzlei/1919-1933/0000/ma3/ma31p/kap1_2/kap2_190/index.html",
    ),
    "source/rgva-lipetsk-accidents-1933": (
        "ЦГАСА. Ф. 33987 Оп. 3. Д. 504 Л. 47-48.",
        "https://hello.chitka.online/b/fashistskii-mech-kovalsia-v-sssr/p/66",
    ),
    "source/rgva-levichev-letter-poland": (
        "ЦГАСА. Ф. 33987. Оп. 3. Д. 497. Л. 136-140.",
        "https://www.readania.com/fashistskij-mech-kovalsya-v-sssr-yurij-dyakov-id256228/read/55",
    ),
    "source/rgva-berzin-voroshilov-1927": (
        "RGVA, f. 33987, op. 3, d. 128, l. 26",
        "https://bookreadfree.com/398935/9810585",
    ),
    "source/tna-cabinet-minutes-1926-12-15": (
        "CAB 23/53, Cabinet Office Papers, National Archive, London",
        "https://100-vampirenovels.net/pdf-novels/a-sense-of-the-enemy-the-high-stakes-history-of-"
        "reading-your-rivals-mind-by-zachary-shore-free/37-page",
    ),
    "source/tna-newton-1937-06-21": (
        "PRO, FO 371/21104, N 3287/461/38",
        "https://hello.chitka.online/b/stalin-7/p/767",
    ),
}


def test_galo_photograph_source() -> None:
    photo = by_id("sources")["source/galo-photo"]
    assert photo["citation"] == GALO_PHOTO_CITATION
    assert photo["archive"] == "State Archive of Lipetsk Oblast (GALO)"
    assert photo["kind"] == "photograph"


def test_every_archival_reference_was_printed_somewhere() -> None:
    """Only references found verbatim in a named publication; each says where it was printed."""
    cited = {row["id"]: row for row in rows("sources") if row["citation"]}
    assert set(cited) == set(VERBATIM_REFERENCES)
    for source_id, (citation, printed_in) in VERBATIM_REFERENCES.items():
        row = cited[source_id]
        assert row["citation"] == citation
        assert row["archive"], source_id
        if printed_in != "seed article":
            assert printed_in in row["added"], source_id
            assert "verbatim" in row["added"], source_id


def test_the_archive_tree_shows_three_archives_with_several_files() -> None:
    """Issue 21: the references the importer keys fill at least three archives with two files
    or more each, and every keyed reference is one printed verbatim somewhere."""
    files: dict[str, set[str]] = {}
    for row in rows("sources"):
        for citation in source_citations(row):
            if citation.key and citation.archive:
                assert row["id"] in VERBATIM_REFERENCES, row["id"]
                files.setdefault(citation.archive, set()).add(citation.key)
    several = sorted(archive for archive, keys in files.items() if len(keys) >= 2)
    assert len(several) >= 3, files


def test_dissertation_source() -> None:
    dissertation = by_id("sources")["source/johnson-dissertation"]
    assert dissertation["title"] == (
        "The Faustian Pact: Secret Soviet-German Military Cooperation in the Interwar Period"
    )
    assert dissertation["date"] == "2016"


def _russian_records() -> list[dict[str, str]]:
    soviet_people = [
        row for row in rows("people") if row["kind"] == "person" and row["nationality"] == "Soviet"
    ]
    return [*soviet_people, *(by_id("sites")[i] for i in RUSSIAN_SITE_IDS)]


def test_russian_people_and_sites_have_cyrillic_names() -> None:
    records = _russian_records()
    assert len(records) >= 7 + len(RUSSIAN_SITE_IDS)
    assert not [r["id"] for r in records if not CYRILLIC_NAME.fullmatch(r["name_ru"])]
    for row in [*rows("people"), *rows("sites")]:
        if row["name_ru"]:
            assert re.search(r"[\u0400-\u04FF]", row["name_ru"]), row["id"]


def test_russian_people_and_sites_have_three_hand_written_aliases() -> None:
    short = []
    for row in _russian_records():
        forms = {a["alias"] for a in aliases_of(row["id"])} - {row["name"]}
        if len(forms) < 3:
            short.append((row["id"], sorted(forms)))
    assert not short


def test_aliases_are_well_formed() -> None:
    assert {a["scheme"] for a in rows("aliases")} <= ALIAS_SCHEMES
    pairs = [(a["record"], a["alias"]) for a in rows("aliases")]
    assert not [p for p, n in Counter(pairs).items() if n > 1]
    names = {row["id"]: row.get("name") or row.get("title") for row in records()}
    assert not [p for p in pairs if p[1] == names[p[0]]]


def test_cover_names_and_short_forms_are_aliases() -> None:
    pairs = {(a["record"], a["alias"], a["scheme"]) for a in rows("aliases")}
    for expected in (
        ("site/kazan", "Kama", "cover-name"),
        ("site/kazan", "TEKO", "other"),
        ("site/basis-nord", "Basis Nord", "cover-name"),
        ("person/enver-pasha", "Enver", "short"),
        ("person/seeckt", "Seeckt", "short"),
        ("person/tukhachevsky", "Tuchatschewski", "german"),
        ("person/trotsky", "Trotzki", "german"),
    ):
        assert expected in pairs


# ----------------------------------------------------------------------------- dates


def _dates() -> list[tuple[str, str, str]]:
    return [
        (row["id"], column, row[column])
        for stem, columns in DATE_COLUMNS.items()
        for row in rows(stem)
        for column in columns
        if row[column]
    ]


def test_edtf_pattern_accepts_and_rejects() -> None:
    for good in (
        "1941-06-22",
        "1922-04",
        "1922",
        "1922-22",
        "192X",
        "1925/1933",
        "1925/..",
        "~1919",
        "1936?",
        "1926-12-03?",
        "1939-11-30/1940-03-13",
    ):
        assert EDTF.fullmatch(good), good
    for bad in ("22 June 1941", "1922-13", "1922-25", "1920s", "1925-1933", "c. 1919", ""):
        assert not EDTF.fullmatch(bad), bad


def test_dates_look_like_edtf() -> None:
    assert not [d for d in _dates() if not EDTF.fullmatch(d[2])]


def test_intervals_run_forwards() -> None:
    backwards = []
    for record_id, column, value in _dates():
        if "/" in value and ".." not in value:
            start, end = (part.strip("~?%") for part in value.split("/"))
            if start.replace("X", "0") > end.replace("X", "9"):
                backwards.append((record_id, column, value))
    for row in rows("people"):
        if row["born"] and row["died"] and row["born"][:4] >= row["died"][:4]:
            backwards.append((row["id"], "born/died", row["born"]))
    assert not backwards


def test_dates_parse_with_the_edtf_parser() -> None:
    from archive_browser.core import dates

    failures = []
    for record_id, column, value in _dates():
        try:
            dates.parse_edtf(value)
        except dates.DateError as exc:
            failures.append((record_id, column, value, str(exc)))
    assert not failures


# ----------------------------------------------------------------------------- issue 21

# The works the `added` column may name, besides a Wikipedia article by title or a page URL.
REFERENCE_BOOKS = (
    "Carr, German-Soviet Relations between the Two World Wars (1951)",
    "Wheeler-Bennett, The Nemesis of Power (1953)",
    "Zeidler, Reichswehr und Rote Armee 1920-1933 (1993)",
)
# A distance computed from the records' own coordinates names its method instead of a work.
NAMED_SOURCE = re.compile(
    r"Wikipedia \((?:English|German|Russian)\), '[^']+'|https?://\S+|"
    r"haversine from the coordinates|computed from the coordinates|"
    + "|".join(re.escape(book) for book in REFERENCE_BOOKS)
)
SENTENCE_END = re.compile(r"(?<=\.)\s+(?=[A-Z\u0400-\u04FF])")


def _unsourced_sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text) if s.strip() and not NAMED_SOURCE.search(s)]


def test_source_check_wants_every_sentence_sourced() -> None:
    assert _unsourced_sentences("Life dates: Wikipedia (English), 'Wilhelm Heye'.") == []
    assert _unsourced_sentences("Life dates added from reference knowledge.") == [
        "Life dates added from reference knowledge."
    ]
    assert _unsourced_sentences(
        "The day: https://example.org/page. The month added from reference knowledge."
    ) == ["The month added from reference knowledge."]


def test_every_added_fact_names_where_it_comes_from() -> None:
    """Each sentence of every `added` cell (records and links) names a work, article or page."""
    unsourced = [
        (row.get("id") or f"{row['from']} -> {row['to']}", sentence)
        for row in [*records(), *rows("links")]
        for sentence in _unsourced_sentences(row["added"])
    ]
    assert not unsourced


def test_reference_books_are_listed_in_curation_md() -> None:
    curation = (REPO / "docs" / "curation.md").read_text(encoding="utf-8")
    for book in REFERENCE_BOOKS:
        assert book in curation, book


def test_no_fact_is_marked_as_reference_knowledge_only_in_a_note() -> None:
    noted = [
        row.get("id") or (row["from"], row["to"])
        for row in [*records(), *rows("links"), *rows("quotes")]
        if re.search(r"reference (knowledge|works)", row.get("note", ""), re.IGNORECASE)
    ]
    assert not noted


def test_every_addition_to_the_archive_is_listed_in_curation_md() -> None:
    curation = (REPO / "docs" / "curation.md").read_text(encoding="utf-8")
    added = [row["id"] for row in records() if wholly_added(row)]
    missing = [record_id for record_id in added if f"`{record_id}`" not in curation]
    assert not missing


def _link(frm: str, to: str) -> list[dict[str, str]]:
    return [row for row in rows("links") if row["from"] == frm and row["to"] == to]


def test_enver_spoke_with_sklyansky_not_trotsky() -> None:
    people, events, sources = by_id("people"), by_id("events"), by_id("sources")
    texts = [
        people["person/enver-pasha"]["summary"],
        people["person/trotsky"]["summary"],
        events["event/enver-second-mission"]["summary"],
        events["event/enver-letter"]["summary"],
        sources["source/enver-letter"]["title"],
        sources["source/enver-letter"]["summary"],
    ]
    for text in texts:
        assert not re.search(r"(spoke|spoken|talked|met) with (him|Trotsky)", text), text
        assert "talk with Trotsky" not in text, text
    assert "Seeckt" in sources["source/enver-letter"]["title"]
    for record in (people["person/enver-pasha"], events["event/enver-letter"]):
        assert "Sklyansky" in record["added"]
        assert "Carr" in record["added"] and "Wheeler-Bennett" in record["added"]
    (trotsky_link,) = _link("person/trotsky", "event/enver-second-mission")
    assert trotsky_link["role"] != "participant"
    assert "Sklyansky" in trotsky_link["added"]
    assert _link("person/sklyansky", "event/enver-second-mission")
    assert events["event/enver-letter"]["date"] == "1920-08-26"


def test_lipetsk_cover_name_is_wivupal() -> None:
    lipetsk = by_id("sites")["site/lipetsk"]
    assert lipetsk["cover_name"] == "WIVUPAL"
    assert "Wissenschaftliche Versuchs- und Personalausbildungsstation" in lipetsk["added"]
    assert ("site/lipetsk", "WIVUPAL", "cover-name") in {
        (a["record"], a["alias"], a["scheme"]) for a in rows("aliases")
    }
    for path in [*DATA.glob("*.csv"), REPO / "docs" / "curation.md"]:
        assert "wiwupal" not in path.read_text(encoding="utf-8").lower(), path.name


def test_roles_and_links_corrected() -> None:
    people = by_id("people")
    marx = people["person/wilhelm-marx"]["role"]
    assert "1923-1925" in marx and "1926-1928" in marx
    assert "1930-1941" in people["person/molotov"]["role"]
    (molotov_link,) = _link("person/molotov", "person/soviet-government")
    assert molotov_link["role"].startswith("head")
    assert "May 1941" in people["person/stalin"]["role"]
    (stalin_link,) = _link("person/stalin", "person/soviet-government")
    assert stalin_link["role"] != "head" and "May 1941" in stalin_link["role"]
    # The Luftwaffe's future personnel trained at Lipetsk; the Wehrmacht succeeded the Reichswehr.
    assert [r["role"] for r in _link("person/luftwaffe", "site/lipetsk")] == [
        "future personnel trained at"
    ]
    assert not _link("person/luftwaffe", "person/reichswehr")
    assert [r["role"] for r in _link("person/luftwaffe", "person/wehrmacht")] == ["branch"]
    assert [r["role"] for r in _link("person/wehrmacht", "person/reichswehr")] == ["successor"]
    # Junkers was concessionaire of Fili, not its owner.
    for frm in ("person/junkers", "person/junkers-company"):
        for link in [*_link(frm, "site/fili"), *_link(frm, "event/junkers-plant")]:
            assert "concessionaire" in link["role"], link
    assert _link("person/junkers-company", "event/concession-system")
    # The Western Front before Warsaw was Tukhachevsky's.
    assert [r["role"] for r in _link("person/tukhachevsky", "event/polish-soviet-war")] == [
        "commander of the Western Front"
    ]
    assert all(r["role"] != "commander" for r in _link("person/trotsky", "event/polish-soviet-war"))
    # The wartime OHL is not another name of the Reichswehr.
    assert not [a for a in aliases_of("person/reichswehr") if "High Command" in a["alias"]]
    rapallo = by_id("events")["event/rapallo-treaty"]
    assert "RSFSR" in rapallo["summary"] and "anachronism" in rapallo["note"]
    for government in ("person/german-government", "person/soviet-government"):
        assert [r["role"] for r in _link(government, "event/molotov-ribbentrop-pact")] == [
            "signatory"
        ]


def test_tomka_is_placed_far_from_samara_with_the_bersol_note() -> None:
    tomka = by_id("sites")["site/tomka"]
    assert "Bersol" in tomka["note"] and "230 km" in tomka["note"]
    assert "Bersol" in tomka["added"]
    (link,) = _link("site/tomka", "site/samara")
    assert link["role"] != "near"


def test_open_and_widened_dates() -> None:
    events = by_id("events")
    assert events["event/chemical-program-1931"]["date"] == "../1931"
    assert events["event/red-army-largest"]["date"] == "../1939"
    assert events["event/fishman-hires-germans"]["date"] == "1926/1933"
    crash = events["event/enver-crash-lithuania"]
    assert crash["date"] == "1919-10"
    assert "15 October 1919" in crash["added"]


def test_links_carry_provenance_for_reference_facts() -> None:
    for frm, to in (
        ("person/seeckt", "event/enver-letter"),
        ("person/enver-pasha", "site/moscow"),
        ("event/enver-second-mission", "site/moscow"),
        ("event/junkers-scandal", "site/berlin"),
    ):
        (link,) = _link(frm, to)
        assert link["added"], (frm, to)
    assert not _link("source/article", "person/wilhelm-marx")


ORGANISATIONS = {
    "person/reichswehr",
    "person/red-army",
    "person/soviet-air-force",
    "person/soviet-navy",
    "person/soviet-government",
    "person/german-government",
    "person/wehrmacht",
    "person/luftwaffe",
    "person/german-navy",
    "person/junkers-company",
    "person/krupp",
    "person/daimler-benz",
    "person/man",
    "person/reichstag",
    "person/imcc",
    "person/entente",
    "person/lithuanian-government",
    "person/ohio-state-university",
    "person/yale-university",
    "person/sondergruppe-r",
    "person/zentrale-moskau",
    "person/gefu",
    "person/wiko",
    "person/osoaviakhim",
}


def test_organisations_are_kept_apart_from_persons() -> None:
    kinds = {row["id"]: row["kind"] for row in rows("people")}
    assert {i for i, k in kinds.items() if k == "organisation"} == ORGANISATIONS
    for row in rows("people"):
        if row["kind"] == "organisation":
            assert not row["born"] and not row["died"] and not row["sort_name"], row["id"]


def test_every_person_has_a_sort_name() -> None:
    people = by_id("people")
    assert people["person/seeckt"]["sort_name"] == "Seeckt, Hans von"
    assert people["person/tukhachevsky"]["sort_name_ru"] == "Тухачевский, Михаил Николаевич"
    for row in rows("people"):
        if row["kind"] != "person":
            continue
        assert row["sort_name"], row["id"]
        if row["name_ru"]:
            surname, _, given = row["sort_name_ru"].partition(", ")
            assert CYRILLIC_NAME.fullmatch(surname) and CYRILLIC_NAME.fullmatch(given), row["id"]
            assert row["name_ru"].split()[0] in given, row["id"]


def test_the_countries_the_article_names_are_sites() -> None:
    sites = by_id("sites")
    for site_id in (
        "site/france",
        "site/great-britain",
        "site/germany",
        "site/soviet-union",
        "site/united-states",
    ):
        site = sites[site_id]
        assert site["kind"] == "country", site_id
        assert _link("source/article", site_id), site_id
        if site["lat"]:  # each says whether it stands at its capital or its centre
            assert re.search(
                r"Coordinates \((the country's geographical centre|those of the capital)",
                site["added"],
            ), site_id
        else:
            assert "Not placed on the map" in site["note"], site_id
    assert not sites["site/united-states"]["lat"]  # off the European base map
    assert haversine_km("site/soviet-union", "site/moscow") < 1  # its centre is off the map too


GROWTH_PEOPLE = {
    # id: (name, born, died)
    "person/rathenau": ("Walther Rathenau", "1867-09-29", "1922-06-24"),
    "person/chicherin": ("Georgy Chicherin", "1872-11-24", "1936-07-07"),
    "person/heye": ("Wilhelm Heye", "1869-01-31", "1947-03-11"),
    "person/hammerstein": ("Kurt von Hammerstein-Equord", "1878-09-26", "1943-04-24"),
    "person/fritsch": ("Werner von Fritsch", "1880-08-04", "1939-09-22"),
    "person/gessler": ("Otto Gessler", "1875-02-06", "1955-03-24"),
    "person/voroshilov": ("Kliment Voroshilov", "1881-02-04", "1969-12-02"),
    "person/unshlikht": ("Iosif Unshlikht", "1879-12-31", "1938-07-29"),
    "person/berzin": ("Yan Berzin", "1889-11-25", "1938-07-29"),
    "person/baranov": ("Pyotr Baranov", "1892-09-22", "1933-09-05"),
    "person/lieth-thomsen": ("Hermann von der Lieth-Thomsen", "1867-03-10", "1942-08-05"),
    "person/niedermayer": ("Oskar von Niedermayer", "1885-11-08", "1948-09-25"),
    "person/brockdorff-rantzau": ("Ulrich von Brockdorff-Rantzau", "1869-05-29", "1928-09-08"),
    "person/scheidemann": ("Philipp Scheidemann", "1865-07-26", "1939-11-29"),
    "person/voigt": ("Frederick Augustus Voigt", "1892-05-09", "1957-01-08"),
    "person/sklyansky": ("Ephraim Sklyansky", "1892-08-12", "1925-08-27"),
    "person/malbrandt": ("Wilhelm Malbrandt", "1875", "1955"),
    "person/harpe": ("Josef Harpe", "1887-09-21", "1968-03-14"),
}
GROWTH_EVENTS = {
    "event/lipetsk-agreement": "1925-04-15",
    "event/aerochemical-agreement": "1926-08-21",
    "event/kama-agreement": "1926-12",
    "event/junkers-leaves-fili": "1927",
    "event/treaty-of-berlin": "1926-04-24",
    "event/marx-government-falls": "1926-12-17",
    "event/scheidemann-speech": "1926-12-16",
    "event/boundary-friendship-treaty": "1939-09-28",
    "event/commercial-agreement-1940": "1940-02-11",
}


def test_the_archive_grew_by_the_negotiators_bodies_and_agreements() -> None:
    people, events = by_id("people"), by_id("events")
    for person_id, (name, born, died) in GROWTH_PEOPLE.items():
        row = people[person_id]
        assert (row["name"], row["born"], row["died"]) == (name, born, died), person_id
        assert wholly_added(row), person_id
        specific = [r for r in rows("links") if person_id in (r["from"], r["to"])]
        assert len(specific) >= 2, person_id
        if row["nationality"] == "Soviet":
            assert row["name_ru"], person_id
    for event_id, date in GROWTH_EVENTS.items():
        assert events[event_id]["date"] == date, event_id
    assert {"person/sondergruppe-r", "person/zentrale-moskau", "person/gefu"} <= set(people)


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("Heye", "person/heye"),
        ("Rathenau", "person/rathenau"),
        ("Berzin", "person/berzin"),
        ("Sondergruppe", "person/sondergruppe-r"),
        ("Sklyansky", "person/sklyansky"),
        ("WIVUPAL", "site/lipetsk"),
    ],
)
def test_search_finds_the_added_record_first(archive: object, query: str, record_id: str) -> None:
    """`archive-browser search Heye` and the like: the bundled archive's own search, first hit."""
    hits = archive.search(query)  # type: ignore[attr-defined]
    assert hits and hits[0].id == record_id, [h.id for h in hits[:5]]
