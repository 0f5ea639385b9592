"""Sources as CSL-JSON, RIS and biblatex, rendered and read back by real tools (issue 23).

The CSL-JSON export of the bundled sources is rendered by citeproc-py with two small styles
written for these tests (tests/data/styles: a Chicago-like and a GOST-like bibliography),
with two more sources in German and Russian, made up for this test, beside them.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from archive_browser.core.export import (
    write_sources_biblatex,
    write_sources_csl_json,
    write_sources_ris,
)
from archive_browser.core.export.biblatex import escape_latex
from archive_browser.core.export.creators import Creator, split_creators, split_name
from archive_browser.core.export.sources import (
    HOLDING_KINDS,
    archive_names,
    location_in_archive,
    source_language,
)

STYLES = Path(__file__).parents[1] / "data" / "styles"

# Two sources in German and Russian, made up for this test (no facts of the archive).
FOREIGN_SOURCES = [
    {
        "id": "source/test-bericht",
        "title": "Bericht über die Fliegerschule Lipezk",
        "kind": "report",
        "archive": "Bundesarchiv (BArch)",
        "citation": "Bundesarchiv, RH 2/9999",
        "date": "1926-22",
        "author": "Hermann von der Lieth-Thomsen",
        "summary": "Test record.",
    },
    {
        "id": "source/test-doklad",
        "title": "Доклад о работе школы в Казани",
        "kind": "document",
        "archive": "Российский государственный военный архив (РГВА)",
        "citation": "РГВА. Ф. 99999. Оп. 1. Д. 1",
        "date": "1929-23",
        "author": "Иванов Пётр Сергеевич",
        "summary": "Test record.",
    },
]


# --- names, language, archive ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ian Johnson", Creator("Johnson", "Ian")),
        ("Hans von Seeckt", Creator("Seeckt", "Hans", dropping_particle="von")),
        (
            "Hermann von der Lieth-Thomsen",
            Creator("Lieth-Thomsen", "Hermann", dropping_particle="von der"),
        ),
        (
            "Lieth-Thomsen, Hermann von der",
            Creator("Lieth-Thomsen", "Hermann", dropping_particle="von der"),
        ),
        ("Vincent van Gogh", Creator("Gogh", "Vincent", non_dropping_particle="van")),
        ("Тухачевский Михаил Николаевич", Creator("Тухачевский", "Михаил Николаевич")),
        ("Михаил Николаевич Тухачевский", Creator("Тухачевский", "Михаил Николаевич")),
        ("Johnson I.", Creator("Johnson", "I.")),
        ("Enver Pasha", Creator(literal="Enver Pasha")),
        ("The Manchester Guardian", Creator(literal="The Manchester Guardian")),
        (
            "Inter-Allied Commission of Control",
            Creator(literal="Inter-Allied Commission of Control"),
        ),
        ("An unnamed Red Army officer", Creator(literal="An unnamed Red Army officer")),
        ("Allied powers and Germany", Creator(literal="Allied powers and Germany")),
        ("Reichswehr", Creator(literal="Reichswehr")),
    ],
)
def test_names_split_only_when_plainly_a_person(name: str, expected: Creator) -> None:
    assert split_name(name) == expected


def test_several_authors_are_separated_by_semicolons() -> None:
    creators = split_creators("Hermann von der Lieth-Thomsen; Pyotr Baranov")
    assert [c.family for c in creators] == ["Lieth-Thomsen", "Baranov"]
    assert split_creators(None) == [] and split_creators(" ; ") == []


@pytest.mark.parametrize(
    ("row", "language"),
    [
        ({"title": "Bericht über die Fliegerschule Lipezk"}, "de"),
        ({"title": "Доклад о работе школы"}, "ru"),
        ({"title": "Final report of the Commission"}, "en"),
        ({"title": "Final report", "language": "de"}, "de"),
        ({"title": "Bericht über die Schule", "language": "Deutsch!"}, "de"),  # not a code
        ({"title": "Protocol", "language": None}, "en"),
    ],
)
def test_language_is_declared_or_read_from_the_title(row: dict, language: str) -> None:
    assert source_language(row) == language


def test_the_archive_is_not_repeated_in_the_location() -> None:
    galo = "State Archive of Lipetsk Oblast (GALO)"
    assert archive_names(galo) == [galo, "State Archive of Lipetsk Oblast", "GALO"]
    cited = "State Archive of Lipetsk Oblast, Fond 2176/Opis 1/Delo 1"
    assert location_in_archive(cited, galo) == "Fond 2176/Opis 1/Delo 1"
    assert location_in_archive("GALO f. 2176", galo) == "f. 2176"
    assert location_in_archive("RGVA f. 1; RGVA f. 2", "RGVA") == "f. 1; f. 2"
    # A name that merely starts the same way is not the archive.
    assert location_in_archive("RGVAX f. 1", "RGVA") == "RGVAX f. 1"
    assert location_in_archive("RH 2/2292, 71", "") == "RH 2/2292, 71"


# --- CSL-JSON rendered by citeproc-py --------------------------------------------------------


def _csl_items(archive: Any) -> list[dict[str, Any]]:
    buffer = io.StringIO()
    write_sources_csl_json([*archive.all_rows("source"), *FOREIGN_SOURCES], buffer)
    return json.loads(buffer.getvalue())


def _for_citeproc_py(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # citeproc-py reads a season only as its number; citeproc-js (Zotero's processor) prints
    # the word the export writes as it is. The rest of each item goes in unchanged.
    numbers = {"Spring": 1, "Summer": 2, "Autumn": 3, "Winter": 4}
    converted = json.loads(json.dumps(items))
    for item in converted:
        issued = item.get("issued", {})
        if "season" in issued:
            issued["season"] = numbers[issued["season"]]
    return converted


def _render(items: list[dict[str, Any]], style_name: str) -> dict[str, str]:
    """Each item's bibliography entry, by id."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    # validate=True: the style must be valid CSL (citeproc-py checks it against its schema).
    style = CitationStylesStyle(str(STYLES / f"{style_name}.csl"), validate=True)
    bibliography = CitationStylesBibliography(
        style, CiteProcJSON(_for_citeproc_py(items)), formatter.plain
    )
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    keys = [item.key for item in bibliography.items]
    entries = [str(entry) for entry in bibliography.bibliography()]
    ids = {item["id"].lower(): item["id"] for item in items}
    return {ids[key]: entry for key, entry in zip(keys, entries, strict=True)}


# citeproc-py warns about CSL-JSON fields it does not know (citation-key is newer than it).
_UNKNOWN_FIELDS = "ignore:The following arguments for Reference are unsupported:UserWarning"


@pytest.fixture
def rendered(archive: Any) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, str]]:
    items = _csl_items(archive)
    return items, _render(items, "chicago-like"), _render(items, "gost-like")


@pytest.mark.filterwarnings(_UNKNOWN_FIELDS)
def test_names_print_family_first(rendered) -> None:
    _, chicago, gost = rendered
    assert chicago["source/johnson-dissertation"].startswith("Johnson, Ian. ")
    assert chicago["source/lipetsk-agreement-protocol"].startswith(
        "Lieth-Thomsen, Hermann von der, and Pyotr Baranov. "
    )
    assert gost["source/johnson-dissertation"].startswith("Johnson I. ")
    assert gost["source/test-doklad"].startswith("Иванов П. С. ")
    # A body stays one name, never "Guardian, The Manchester".
    assert chicago["source/manchester-guardian-1926"].startswith("The Manchester Guardian. ")


@pytest.mark.filterwarnings(_UNKNOWN_FIELDS)
def test_german_and_russian_titles_are_not_title_cased(rendered) -> None:
    _, chicago, gost = rendered
    for entries in (chicago, gost):
        assert "Bericht über die Fliegerschule Lipezk" in entries["source/test-bericht"]
        assert "Доклад о работе школы в Казани" in entries["source/test-doklad"]
    # The style does title-case English titles: the check above could fail.
    assert "Final Report of the Inter-Allied Commission" in chicago["source/imcc-report-1927"]


@pytest.mark.filterwarnings(_UNKNOWN_FIELDS)
def test_seasons_print_as_seasons(rendered) -> None:
    items, chicago, gost = rendered
    seasons = {item["id"]: item["issued"].get("season") for item in items if "issued" in item}
    assert seasons["source/test-bericht"] == "Summer"
    assert "Summer 1926" in chicago["source/test-bericht"]
    assert "лето 1926" in gost["source/test-bericht"]
    assert "осень 1929" in gost["source/test-doklad"]


@pytest.mark.filterwarnings(_UNKNOWN_FIELDS)
def test_archives_are_printed_once_and_are_no_items(archive: Any, rendered) -> None:
    items, chicago, gost = rendered
    holdings = [row for row in archive.all_rows("source") if row["kind"] in HOLDING_KINDS]
    assert holdings, "the bundled archive has archives and collections to leave out"
    assert not {row["id"] for row in holdings} & {item["id"] for item in items}
    sources = [row for row in archive.all_rows("source") if row["kind"] not in HOLDING_KINDS]
    assert len(chicago) == len(gost) == len(sources) + len(FOREIGN_SOURCES)
    for entries in (chicago, gost):
        for item in items:
            if item.get("archive"):
                main_name = archive_names(item["archive"])[1 if "(" in item["archive"] else 0]
                assert entries[item["id"]].count(main_name) == 1, entries[item["id"]]
        for row in holdings:
            assert not any(entry.startswith(row["title"]) for entry in entries.values())
    # The photograph whose reference repeated its archive (issue 23), with the archive's city.
    assert chicago["source/galo-photo"].endswith(
        "Fond 2176/Opis 1/Delo 1, State Archive of Lipetsk Oblast (GALO), Lipetsk."
    )


@pytest.mark.filterwarnings(_UNKNOWN_FIELDS)
def test_documents_carry_their_archives_place_printed_once(archive: Any, rendered) -> None:
    items, chicago, _ = rendered
    by_id = {item["id"]: item for item in items}
    # No place of its own: inherited from the archive record source/rgva, by the archive's name.
    rgva_items = [item for item in items if item.get("archive", "").endswith("(RGVA)")]
    assert rgva_items
    for item in rgva_items:
        assert item["archive-place"] == "Moscow"
        assert item.get("archive_location") != "Moscow"  # the shelfmark stays the shelfmark
        assert chicago[item["id"]].count("Moscow") == 1, chicago[item["id"]]
    assert chicago["source/rgva-berzin-voroshilov-1927"].endswith(
        "f. 33987, op. 3, d. 128, l. 26, Russian State Military Archive (RGVA), Moscow."
    )
    # A place of its own: the Bundesarchiv division that holds the series.
    assert by_id["source/barch-lipetsk-fokker-winter"]["archive-place"] == "Freiburg im Breisgau"
    assert by_id["source/barch-spd-reichswehr-demands"]["archive-place"] == "Berlin-Lichterfelde"
    # Neither a place of its own nor an archive record: no place is made up.
    assert "archive-place" not in by_id["source/test-bericht"]
    assert "archive-place" not in by_id["source/lipetsk-agreement-protocol"]
    # Every archive and collection record has its place.
    for row in archive.all_rows("source"):
        if row["kind"] in HOLDING_KINDS:
            assert row["place"], row["id"]


def test_citation_keys_are_the_record_ids(archive: Any) -> None:
    items = _csl_items(archive)
    keys = [item["citation-key"] for item in items]
    assert len(set(keys)) == len(keys)
    assert all(item["id"] == f"source/{item['citation-key']}" for item in items)
    types = {item["id"]: item["type"] for item in items}
    assert types["source/johnson-dissertation"] == "thesis"
    assert types["source/teko-report"] == "report"
    assert types["source/enver-letter"] == "personal_communication"  # Zotero: Letter
    assert types["source/galo-photo"] == "graphic"  # Zotero: Artwork


# --- RIS ---------------------------------------------------------------------------------


def test_ris_reads_back_with_rispy(archive: Any, tmp_path: Path) -> None:
    import rispy

    out = tmp_path / "sources.ris"
    count = write_sources_ris([*archive.all_rows("source"), *FOREIGN_SOURCES], out)
    raw = out.read_bytes()
    assert b"\r\n" in raw and not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    # Every line is a tag line: no value broke onto a line of its own.
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in text.splitlines() if line)
    records = {r["id"]: r for r in rispy.loads(text)}
    assert len(records) == count
    assert "rgva" not in records and "galo" not in records
    bericht = records["test-bericht"]
    assert bericht["type_of_reference"] == "RPRT"
    assert bericht["authors"] == ["Lieth-Thomsen, Hermann von der"]
    assert bericht["date"] == "1926///Summer"
    assert bericht["language"] == "de"
    assert bericht["name_of_database"] == "Bundesarchiv (BArch)"  # DB: Zotero's Archive
    assert bericht["accession_number"] == "RH 2/9999"  # AN: Zotero's Loc. in Archive
    assert records["test-doklad"]["type_of_reference"] == "MANSCPT"
    assert records["test-doklad"]["authors"] == ["Иванов, Пётр Сергеевич"]
    assert records["johnson-dissertation"]["type_of_reference"] == "THES"
    assert records["galo-photo"]["accession_number"] == "Fond 2176/Opis 1/Delo 1"
    # Zotero has no field for the archive's city; RIS CY would become the item's own place.
    assert "place_published" not in records["galo-photo"]
    assert records["manchester-guardian-1926"]["authors"] == ["The Manchester Guardian"]


# --- biblatex ----------------------------------------------------------------------------


def _bib_entries(text: str) -> dict[str, tuple[str, dict[str, str]]]:
    entries = {}
    for match in re.finditer(r"@(\w+)\{([^,]+),\n(.*?)\n\}\n", text, re.DOTALL):
        fields = dict(re.findall(r"^  (\w+) = \{(.*)\},?$", match[3], re.MULTILINE))
        entries[match[2]] = (match[1], fields)
    return entries


def _balanced(value: str) -> bool:
    depth = 0
    for char in re.sub(r"\\[{}]", "", value):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_biblatex_keeps_the_archive_in_library_and_dates_as_edtf(archive: Any) -> None:
    buffer = io.StringIO()
    count = write_sources_biblatex([*archive.all_rows("source"), *FOREIGN_SOURCES], buffer)
    entries = _bib_entries(buffer.getvalue())
    assert len(entries) == count
    assert "rgva" not in entries
    kind, bericht = entries["test-bericht"]
    assert kind == "report"
    assert bericht["author"] == "von der Lieth-Thomsen, Hermann"
    assert bericht["date"] == "1926-22"  # biblatex reads EDTF seasons
    assert bericht["langid"] == "german"
    assert bericht["library"] == "Bundesarchiv (BArch), RH 2/9999"
    assert entries["test-doklad"][1]["langid"] == "russian"
    assert entries["test-doklad"][0] == "unpublished"
    assert entries["johnson-dissertation"][0] == "thesis"
    assert entries["galo-photo"][0] == "image"
    assert entries["galo-photo"][1]["library"] == (
        "State Archive of Lipetsk Oblast (GALO), Lipetsk, Fond 2176/Opis 1/Delo 1"
    )
    assert entries["imcc-report-1927"][1]["author"] == "{Inter-Allied Commission of Control}"
    assert entries["versailles-treaty-text"][0] == "misc"
    for _kind, fields in entries.values():
        assert all(_balanced(value) for value in fields.values())


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("50% & more_{x}", r"50\% \& more\_\{x\}"),
        ("#1 $2 ^3 ~4 \\5", r"\#1 \$2 \textasciicircum{}3 \textasciitilde{}4 \textbackslash{}5"),
        ("two\nlines", "two lines"),
        ("Доклад über", "Доклад über"),
    ],
)
def test_latex_special_characters_are_literal(text: str, escaped: str) -> None:
    assert escape_latex(text) == escaped
