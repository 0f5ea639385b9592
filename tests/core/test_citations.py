"""Archival citation parser, file keys, same-file rules and database look-ups."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_browser.core.archive.citations import (
    SQL_BY_KEY,
    citation_tree,
    create_citation_indexes,
    find_citing,
    records_citing_prefix,
)
from archive_browser.core.citations import (
    STYLES,
    AuthorityError,
    Citation,
    Match,
    StyleError,
    authority,
    authority_file,
    citations_json,
    compare,
    display_citation,
    fold_key,
    format_citation,
    format_english,
    format_gost,
    format_table,
    load_authority,
    load_concordance,
    make_citation,
    parse_citations,
    partial_key_matches,
    report,
    same_document,
    set_preferred_style,
)
from archive_browser.core.citations.grammar import _parse
from archive_browser.core.importer import read_dataset, source_hash

CORPUS = Path(__file__).parents[1] / "data" / "citation_corpus.csv"


def keys(text: str) -> list[str]:
    """Keys in order; a citation without a full key is written `~partial`."""
    return [c.key or f"~{c.partial_key}" for c in parse_citations(text)]


def one(text: str) -> Citation:
    found = parse_citations(text)
    assert len(found) == 1, found
    return found[0]


# --- §1 Russian / Soviet ---------------------------------------------------------------

RUSSIAN_FORMS = [
    ("ЦГАСА. Ф. 33987. Оп. 3. Д. 497. Л. 136-140.", "RGVA|33987|3|497", "136-140"),
    ("РГАСПИ. Ф. 17. Оп. 163. Д. 1323. Л. 57.", "RGASPI|17|163|1323", "57"),
    ("RGASPI, f. 558, op. 11, d. 97, ll. 67-70.", "RGASPI|558|11|97", "67-70"),
    ("ГАЛО. Ф. 2176. Оп. 1. Д. 1", "GALO|2176|1|1", None),
    ("State Archive of Lipetsk Oblast, Fond 2176/Opis 1/Delo 1", "GALO|2176|1|1", None),
    ("РГВА. Ф. 33987 Оп. 3. Д. 151.", "RGVA|33987|3|151", None),
    ("РГВА. Ф. 33987. Оп.3. Д.151. Л.12.", "RGVA|33987|3|151", "12"),
    ("RGASPI, f. 558, Op. 11.D. 1501", "RGASPI|558|11|1501", None),
    ("GARF, F.R-9478, Op. 1, D 2", "GARF|R-9478|1|2", None),
    ("РГВА. Ф. 33987.\nОп. 3. Д. 497.", "RGVA|33987|3|497", None),
    ("RGVA, f. 33987, op.\n3, d. 497", "RGVA|33987|3|497", None),
    ("РГВА. Ф127. Оп. 1. Д. 2.", "RGVA|127|1|2", None),
    ("RGVA, fond 33987, opis' 3, delo 497, list 12", "RGVA|33987|3|497", "12"),
    ("РГАЭ. Ф. 7297. Оп. 38. Ед. хр. 12. Л. 5.", "RGAE|7297|38|12", "5"),
    ("ЦДАВО України, ф. 1, оп. 2, спр. 3, арк. 4 зв.", "TsDAVO|1|2|3", "4v"),
    ("RGWA, Fond 1302, Verz. 1, Akte 5, Bl. 3.", "RGVA|1302|1|5", "3"),
    ("RGANI, f. 89, per. 73, dok. 12.", "RGANI|89|73|12", None),
    ("ZAMO, F. 500, Findbuch 12451, Akte 32, Bl. 5.", "TsAMO|500|12451|32", "5"),
]


@pytest.mark.parametrize(("text", "key", "folios"), RUSSIAN_FORMS)
def test_russian_forms_give_the_file_key(text: str, key: str, folios: str | None) -> None:
    c = one(text)
    assert (c.system, c.key, c.folios) == ("ru-fod", key, folios)


@pytest.mark.parametrize(
    ("text", "fond", "opis", "delo"),
    [
        ("ГАРФ. Ф.Р-7087. Оп.163. Д. 15А.", "R-7087", "163", "15A"),
        ("ГАРФ. Ф. Р.-2211. Оп. 2а. Д. 3.", "R-2211", "2A", "3"),
        ("ГАРФ. Ф. Р – 2211. Оп. 2. Д. 3.", "R-2211", "2", "3"),
        ("ГАРФ. Ф. А-259. Оп. 1б. Д. 30.", "A-259", "1B", "30"),
        ("ОГАЧО. Ф. П-288. Оп. 1. Д. 17.", "P-288", "1", "17"),
        ("RGASPI, f. M-1, op. 23, d. 1059", "M-1", "23", "1059"),
        ("АВП РФ. Ф. 082. Оп. 11. П. 45. Д. 12.", "082", "11", "12"),
        ("РГВА. Ф. 4. Оп. 1. Д. 12/1.", "4", "1", "12/1"),
    ],
)
def test_number_tokens_keep_prefixes_suffixes_and_zeros(
    text: str, fond: str, opis: str, delo: str
) -> None:
    c = one(text)
    assert (c.fond, c.opis, c.delo) == (fond, opis, delo)


@pytest.mark.parametrize(
    ("text", "folios"),
    [
        ("РГВА. Ф. 1. Оп. 2. Д. 3. Л. 136–40.", "136-140"),
        ("РГВА. Ф. 1. Оп. 2. Д. 3. Л. 12 об.", "12v"),
        ("РГВА. Ф. 1. Оп. 2. Д. 3. Л. 12об.", "12v"),
        ("RGVA, f. 1, op. 2, d. 3, l. 12ob.", "12v"),
        ("RGVA, f. 1, op. 2, d. 3, ll. 12-15v.", "12-15v"),
        ("RGVA, f. 1, op. 2, d. 3, ll. 5, 7-9.", "5,7-9"),
        ("RGVA, f. 1, op. 2, d. 3, l. 17a.", "17a"),
        ("ГАРФ. Ф. Р-1. Оп. 2. Д. 3. Л. 1–1 об.", "1-1v"),
    ],
)
def test_folios_are_normalized(text: str, folios: str) -> None:
    assert one(text).folios == folios


def test_pages_are_marked_as_pages() -> None:
    c = one("RGVA, f. 33987, op. 3, d. 497, p. 5")
    assert (c.folios, c.extra.get("folio_unit")) == ("5", "page")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("АВП РФ. Ф. 082. Оп. 11. П. 45. Д. 12. Л. 3.", "AVPRF|082|11|12|p45"),
        ("AVP RF, f. 06, op. 1, p. 8, d. 74, l. 10.", "AVPRF|06|1|74|p8"),
        ("ГАОО. Ф. 1120. Оп. 1. Д. 21. Т. 1. Л. 5.", "GAOO|1120|1|21|t1"),
        ("РГАСПИ. Ф. 17. Оп. 120. Д. 152. Ч. 1. Л. 10.", "RGASPI|17|120|152|ch1"),
    ],
)
def test_papka_tom_and_chast_are_part_of_the_key(text: str, key: str) -> None:
    assert one(text).key == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("RGVA 33987/3/151", "RGVA|33987|3|151"),
        ("РГВА 33987:3:151, л. 5", "RGVA|33987|3|151"),
        ("RGVA, 500-1-25", "RGVA|500|1|25"),
    ],
)
def test_compact_forms_after_an_archive_token(text: str, key: str) -> None:
    assert keys(text) == [key]


@pytest.mark.parametrize("text", ["33987/3/151", "RGVA 33987/3", "an area of 500-1-25 km"])
def test_compact_forms_need_an_archive_and_three_parts(text: str) -> None:
    assert parse_citations(text) == []


@pytest.mark.parametrize(
    ("text", "archive"),
    [
        ("ЦГАСА. Ф. 1. Оп. 1. Д. 1.", "RGVA"),
        ("TsGAKA, f. 1, op. 1, d. 1", "RGVA"),
        ("ЦАКА. Ф. 1. Оп. 1. Д. 1.", "RGVA"),
        ("RTsKhIDNI, f. 1, op. 1, d. 1", "RGASPI"),
        ("ЦХСД. Ф. 1. Оп. 1. Д. 1.", "RGANI"),
        ("ЦГАОР СССР. Ф. 1. Оп. 1. Д. 1.", "GARF"),
        ("ЦГВИА. Ф. 1. Оп. 1. Д. 1.", "RGVIA"),
        ("ЦГАНХ. Ф. 1. Оп. 1. Д. 1.", "RGAE"),
        ("МПА. Ф. 3. Оп. 1. Д. 1.", "TsAODM"),
        ("CAMO, F. 500, Op. 1, D. 1", "TsAMO"),
        ("ОКУ «ГАЛО». Ф. 1. Оп. 1. Д. 1.", "GALO"),
        ("НА РТ. Ф. Р-732. Оп. 1. Д. 1.", "NA RT"),
        ("Russian State Military Archive (RGVA), f. 1, op. 1, d. 1", "RGVA"),
        ("ГАНО. Ф. П-1. Оп. 1. Д. 100.", "GANO"),  # not listed: transliterated acronym
    ],
)
def test_predecessor_and_regional_archive_names(text: str, archive: str) -> None:
    assert one(text).archive == archive


def test_transfer_rules_renumber_instead_of_aliasing() -> None:
    # R3: TsKhIDK f. 500 is RGVA f. 500K, never RGVA f. 500
    assert keys("ЦХИДК. Ф. 500. Оп. 1. Д. 625.") == ["RGVA|500K|1|625"]
    assert keys("РГВА. Ф. 500к. Оп. 1. Д. 625.") == ["RGVA|500K|1|625"]
    assert keys("ЦГА РСФСР. Ф. 259. Оп. 1. Д. 3.") == ["GARF|A-259|1|3"]


def test_missing_levels_give_a_partial_key() -> None:
    c = one("RGVA, f. 33987, d. 151")
    assert (c.key, c.partial_key) == (None, "RGVA|33987||151")
    c = one("Fond 2176/Opis 1/Delo 1")
    assert (c.archive, c.key, c.partial_key) == (None, None, "|2176|1|1")


def test_archive_named_in_brackets_after_the_reference() -> None:
    assert keys("Ф127, оп. 1, д. 2 (РГВА)") == ["RGVA|127|1|2"]


def test_status_trailers_do_not_change_the_key() -> None:
    plain = one("RGASPI, f. 558, op. 11, d. 97, l. 67.")
    for trailer in ("Подлинник.", "Копия.", "Заверенная копия.", "Машинопись.", "Script."):
        assert one(f"RGASPI, f. 558, op. 11, d. 97, l. 67. {trailer}").key == plain.key


def test_greek_homoglyphs_and_mixed_scripts_are_mapped() -> None:
    assert keys("BArch, ΡΗ 2/2291") == ["BArch|RH 2||2291"]
    assert keys("RGАSPI, f. 17, op. 3, d. 1") == ["RGASPI|17|3|1"]  # Cyrillic А inside


# --- §2 German ----------------------------------------------------------------------

GERMAN_FORMS = [
    ("BArch, R 43-I/161, fol. 91", "de-barch", "BArch|R 43-I||161", "91"),
    ("BArch, RW 19/234, Bl. 4.", "de-barch", "BArch|RW 19||234", "4"),
    ("BArch, N 1022/32, S. 13ff.", "de-barch", "BArch|N 1022||32", "13ff"),
    ("BArch, R 43 I/161", "de-barch", "BArch|R 43-I||161", None),
    ("BA-MA, RH 19 XIV/12", "de-barch", "BArch|RH 19-XIV||12", None),
    ("BArch, RW 19 (OKW/Wehrwirtschaftsamt)/234", "de-barch", "BArch|RW 19||234", None),
    ("Bundesarchiv-Militärarchiv (Freiburg), RH 12-2/54", "de-barch", "BArch|RH 12-2||54", None),
    ("BA-MA Freiburg, RH 2/2291", "de-barch", "BArch|RH 2||2291", None),
    (
        "BArch, Bild 183-85458-0001 / Junge, Peter Heinz",
        "de-barch",
        "BArch|Bild 183||85458-0001",
        None,
    ),
    ("PA AA, RZ 206, R 103295", "de-paaa", "PA AA||R 103295", None),
    ("PA AA, R 103295", "de-paaa", "PA AA||R 103295", None),
    ("PA AA, B 8, Bd. 1359", "de-paaa", "PA AA|B 8||1359", None),
    ("PA AA, B 20-200, Bd. 123", "de-paaa", "PA AA|B 20-200||123", None),
    ("PA AA, B 55/1, Bd. 7", "de-paaa", "PA AA|B 55/1||7", None),
    ("PA AA, RAV Stockholm, 4", "de-paaa", "PA AA|RAV Stockholm||4", None),
    ("PA AA, RAV Stockholm, Bd. 4", "de-paaa", "PA AA|RAV Stockholm||4", None),
    ("PA AA, MAV Moskau, ZR 1015/84", "de-paaa", "PA AA|MAV Moskau||ZR 1015/84", None),
    ("HA Krupp, FAH 4 E 160", "corporate", "HA Krupp|FAH 4||E 160", None),
    ("HA Krupp, WA 4/2845", "corporate", "HA Krupp|WA 4||2845", None),
]


@pytest.mark.parametrize(("text", "system", "key", "folios"), GERMAN_FORMS)
def test_german_forms(text: str, system: str, key: str, folios: str | None) -> None:
    c = one(text)
    assert (c.system, c.key, c.folios) == (system, key, folios)


def test_bestand_label_is_kept_out_of_the_key() -> None:
    c = one("BArch, RW 19 (OKW/Wehrwirtschaftsamt)/234")
    assert c.extra["bestand_label"] == "OKW/Wehrwirtschaftsamt"


# --- §3 NARA, §4 TNA -------------------------------------------------------------------

FILM_AND_TNA_FORMS = [
    (
        "National Archives Microfilm Publication T175, roll 235, frame 2724202",
        "NARA|T175||235",
        "2724202",
    ),
    ("T175/235/2724209-10", "NARA|T175||235", "2724209-2724210"),
    ("Microcopy T-315, Roll 1299", "NARA|T315||1299", None),
    ("T315-R1299-F0042", "NARA|T315||1299", "0042"),
    ("NARA T-77/R 12/F 345", "NARA|T77||12", "345"),
    ("RG 242, T-120, roll 4567, frames E123456-58", "NARA|T120||4567", "E123456-E123458"),
    ("FO 371/133009", "TNA|FO 371||133009", None),
    ("TNA, FO 371/24850", "TNA|FO 371||24850", None),
    ("PROB 1/4 f.2", "TNA|PROB 1||4", "2"),
    (
        "The National Archives (TNA): Public Record Office (PRO), WO 208/3319",
        "TNA|WO 208||3319",
        None,
    ),
]


@pytest.mark.parametrize(("text", "key", "folios"), FILM_AND_TNA_FORMS)
def test_microfilm_and_tna_forms(text: str, key: str, folios: str | None) -> None:
    c = one(text)
    assert (c.key, c.folios) == (key, folios)


def test_nara_serial_goes_to_extra_not_the_key() -> None:
    c = one("NARA, T-120, Serial 1907H, roll 2855, frames 429293-95")
    assert (c.key, c.extra["serial"], c.folios) == ("NARA|T120||2855", "1907H", "429293-429295")
    assert c.extra["folio_unit"] == "frame"


def test_tna_items_and_registry_codes() -> None:
    found = parse_citations("WO 208/3319/1866 and 1867")
    assert [(c.key, c.extra["item"]) for c in found] == [
        ("TNA|WO 208||3319", "1866"),
        ("TNA|WO 208||3319", "1867"),
    ]
    c = one("FO 371 FK1015")
    assert (c.key, c.partial_key) == (None, "TNA|FO 371||")


# --- §5 false friends --------------------------------------------------------------------

FALSE_FRIENDS = [
    "op. 23 / No. 1 / K. 331",
    "Mozart, Piano Sonata op. 11, No. 3",
    "Kuromiya, op. cit., p. 45.",
    "секретаря – Н.Ф. Яблонского, чиновника",
    "Ф.М. Достоевский, т. 5, с. 12",
    "T-119 → T-120",
    "BT-120/BT-121",
    "Transformer 208/120 V",
    "Zuppa AA, Riccardi R",
    "ISBN 978-3-486-56093-0",
    "из дела № р-2176",
    "Там же. Л. 24",
    "Ibid., l. 24.",
    "ProductsAmount f. 5, op. 3",
    "Garfield f. 12, op. 3, d. 4",
    "RG 242",
    "д. 5, л. 7",
    "USA, f. 1, op. 2",
    "",
]


@pytest.mark.parametrize("text", FALSE_FRIENDS)
def test_false_friends_give_nothing(text: str) -> None:
    assert parse_citations(text) == []
    assert citations_json(text) == []


def test_acronyms_match_case_sensitively_on_word_boundaries() -> None:
    assert keys("garf, f. 1, op. 2, d. 3") == []  # not GARF, and a word glued before blocks it
    assert keys("GARF, f. 1, op. 2, d. 3") == ["GARF|1|2|3"]


# --- §6 R7 multi-part footnotes and ibid ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("РГАСПИ. Ф. 17. Оп. 113, 114", ["~RGASPI|17|113|", "~RGASPI|17|114|"]),
        (
            "РГВА. Ф. 33987. Оп. 3. Д. 497. Л. 5; Д. 498. Л. 7.",
            ["RGVA|33987|3|497", "RGVA|33987|3|498"],
        ),
        (
            "RGVA, f. 4, op. 14, d. 2; op. 15, d. 3 and 4",
            ["RGVA|4|14|2", "RGVA|4|15|3", "RGVA|4|15|4"],
        ),
        (
            "RGVA, f. 33987, op. 3, d. 497; f. 33988, op. 2, d. 613.",
            ["RGVA|33987|3|497", "RGVA|33988|2|613"],
        ),
        (
            "РГВА. Ф. 1. Оп. 2. Д. 3; РГАСПИ. Ф. 17. Оп. 162. Д. 5.",
            ["RGVA|1|2|3", "RGASPI|17|162|5"],
        ),
        ("РГВА. Ф. 33987. Оп. 3. Д. 151, 152.", ["RGVA|33987|3|151", "RGVA|33987|3|152"]),
        (
            "РГВА. Ф. 33987. Оп. 3. Д. 497. Л. 5. Там же. Л. 24.",
            ["RGVA|33987|3|497", "RGVA|33987|3|497"],
        ),
        ("RGVA, f. 1, op. 2, d. 3; Ibid., d. 4, l. 2.", ["RGVA|1|2|3", "RGVA|1|2|4"]),
    ],
)
def test_multi_part_footnotes_inherit_higher_levels(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


def test_folios_of_a_multi_part_note_stay_with_their_part() -> None:
    first, second = parse_citations("РГВА. Ф. 1. Оп. 2. Д. 3. Л. 5; Д. 4. Л. 7.")
    assert (first.folios, second.folios) == ("5", "7")


def test_archive_is_not_inherited_across_notes() -> None:
    text = "1. РГВА. Ф. 1. Оп. 2. Д. 3.\n\n2. Оп. 5. Д. 6."
    assert keys(text) == ["RGVA|1|2|3"]
    text = "RGVA, f. 1, op. 2, d. 3.\n\nf. 7, op. 1, d. 2"
    assert keys(text) == ["RGVA|1|2|3", "~|7|1|2"]


# --- §6 comparing -----------------------------------------------------------------------


def test_same_file_across_renames_and_styles() -> None:
    a = one("ЦГАСА. Ф. 33987. Оп. 3. Д. 497. Л. 136-140.")
    b = one("RGVA, f. 33987, op. 3, d. 497, l. 5")
    assert compare(a, b) is Match.SAME


def test_same_document_needs_overlapping_folios() -> None:
    a = one("RGVA, f. 33987, op. 3, d. 497, ll. 136-140")
    assert same_document(a, one("РГВА. Ф. 33987. Оп. 3. Д. 497. Л. 139 об."))
    assert not same_document(a, one("РГВА. Ф. 33987. Оп. 3. Д. 497. Л. 141."))
    assert not same_document(a, one("РГВА. Ф. 33987. Оп. 3. Д. 498. Л. 139."))


def test_dropped_prefix_or_leading_zero_is_only_probable() -> None:
    full = one("GARF, f. R-9401, op. 2, d. 64")
    assert compare(full, one("GARF, f. 9401, op. 2, d. 64")) is Match.PROBABLE
    assert compare(full, one("ЦГАОР СССР. Ф. 9401. Оп. 2. Д. 64.")) is Match.PROBABLE
    avp = one("АВП РФ. Ф. 082. Оп. 11. П. 45. Д. 12.")
    assert compare(avp, one("АВП РФ. Ф. 82. Оп. 11. П. 45. Д. 12.")) is Match.PROBABLE


def test_suffix_letters_are_significant() -> None:
    a = one("RGVA, f. 33987, op. 3a, d. 12")
    assert compare(a, one("RGVA, f. 33987, op. 3, d. 12")) is Match.DIFFERENT


def test_missing_level_is_candidate_never_same() -> None:
    full = one("RGVA, f. 33987, op. 3, d. 151")
    assert compare(full, one("RGVA, f. 33987, d. 151")) is Match.CANDIDATE
    assert compare(full, one("Fond 33987/Opis 3/Delo 151")) is Match.CANDIDATE
    assert compare(full, one("RGVA, f. 33987, d. 152")) is Match.DIFFERENT
    lipetsk = one("ГАЛО. Ф. 2176. Оп. 1. Д. 1")
    assert compare(lipetsk, one("Fond 2176/Opis 1/Delo 1")) is Match.CANDIDATE


def test_transposed_levels_are_different() -> None:
    assert compare(one("RGVA, f. 4, op. 14, d. 2"), one("RGVA, f. 4, op. 2, d. 14")) is (
        Match.DIFFERENT
    )


def test_other_systems_never_match_by_string() -> None:
    paaa = one("PA AA, R 2855")
    film = one("T-120, roll 2855")
    assert compare(paaa, film) is Match.DIFFERENT


def test_renumbered_transfer_is_not_the_old_number() -> None:
    assert compare(one("ЦХИДК. Ф. 500. Оп. 1. Д. 1."), one("RGVA, f. 500, op. 1, d. 1")) is not (
        Match.SAME
    )


# --- formatting ---------------------------------------------------------------------------


def test_english_and_gost_formats() -> None:
    c = one("ЦГАСА. Ф. 33987. Оп. 3. Д. 497. Л. 136-140.")
    assert format_english(c) == "RGVA, f. 33987, op. 3, d. 497, ll. 136–140"
    assert format_gost(c) == "РГВА. Ф. 33987. Оп. 3. Д. 497. Л. 136–140."


def test_format_table_lists_every_citation() -> None:
    table = format_table(parse_citations("RGVA, f. 1, op. 2, d. 3; FO 371/133009"))
    assert "RGVA|1|2|3" in table and "TNA|FO 371||133009" in table
    assert format_table([]) == "No archival citation found."


def test_json_contract_shape() -> None:
    (obj,) = citations_json("ЦГАСА. Ф. 33987. Оп. 3. Д. 497. Л. 136-140.")
    assert set(obj) == {
        "text",
        "system",
        "archive",
        "fond",
        "opis",
        "delo",
        "folios",
        "key",
        "extra",
    }
    assert obj["key"] == "RGVA|33987|3|497" and obj["extra"] == {}
    (partial,) = citations_json("RGVA, f. 33987, d. 151")
    assert partial["key"] is None and partial["partial_key"] == "RGVA|33987||151"
    json.dumps(obj, ensure_ascii=False)


_number = st.builds(
    lambda pre, digits, suf: pre + digits + suf,
    st.sampled_from(["", "", "R-", "A-", "P-", "M-"]),
    st.from_regex(r"[0-9]{1,5}", fullmatch=True),
    st.sampled_from(["", "", "", "A", "B", "K"]),
)
_plain = st.from_regex(r"[1-9][0-9]{0,4}", fullmatch=True)
_folios = st.one_of(
    st.none(),
    st.builds(lambda a, v: a + v, _plain, st.sampled_from(["", "v"])),
    st.builds(lambda a, n: f"{a}-{int(a) + n}", _plain, st.integers(1, 30)),
)
_ru_archives = st.sampled_from(
    ["RGVA", "RGASPI", "GARF", "RGANI", "TsAMO", "GALO", "AVPRF", "RGAE", "NA RT", "OGAChO"]
)


@settings(max_examples=300, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    archive=_ru_archives,
    fond=_number,
    opis=st.builds(lambda d, s: d + s, _plain, st.sampled_from(["", "A"])),
    delo=_plain,
    folios=_folios,
    tom=st.one_of(st.none(), _plain),
)
def test_formatted_citations_parse_back_to_the_same_key(
    archive: str, fond: str, opis: str, delo: str, folios: str | None, tom: str | None
) -> None:
    extra = {"tom": tom} if tom else {}
    original = make_citation("", "ru-fod", archive, fond, opis, delo, folios, extra)
    for formatted in (format_english(original), format_gost(original)):
        assert keys(formatted) == [original.key], formatted
        assert one(formatted).folios == folios


@settings(max_examples=100, derandomize=True)
@given(
    case=st.sampled_from(GERMAN_FORMS + FILM_AND_TNA_FORMS),
)
def test_other_systems_format_and_parse_back(case: tuple[str, ...]) -> None:
    original = one(case[0])
    for formatted in (format_english(original), format_gost(original)):
        assert keys(formatted) == [original.key], formatted


_citation_alphabet = st.sampled_from(
    [
        *"ФфОоДдЛлПТРАfFopdlRTvb.,;:/-– ()«»0123456789\n",
        *("об.", "РГВА", "BArch", "PA AA", "T-120", "FO 371", "Там же"),
    ]
)


@settings(max_examples=300, derandomize=True)
@given(st.one_of(st.text(max_size=120), st.lists(_citation_alphabet, max_size=60).map("".join)))
def test_arbitrary_text_never_raises(text: str) -> None:
    result = _parse(text)  # the unguarded parser: a bug here would be hidden by the API
    assert isinstance(result, list)
    assert all(isinstance(c, Citation) for c in result)


def test_parse_citations_never_raises_on_odd_input() -> None:
    assert parse_citations(None) == []  # type: ignore[arg-type]
    assert parse_citations("\x00" * 50 + "Ф." * 500) == []


# --- the authority list ----------------------------------------------------------------


AUTHORITY_HEADER = (
    "id,system,abbr_lat,abbr_cyr,name_en,name_ru,name_de,predecessors,rule,transfers,note\n"
)


@pytest.fixture
def authority_package(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Make the default authority list come from another package (the cache is emptied)."""

    def use(package: str) -> None:
        monkeypatch.setattr(authority, "RESOURCES_PACKAGE", package)
        authority._default_authority.cache_clear()

    yield use
    authority._default_authority.cache_clear()


def test_authority_list_loads_from_the_package() -> None:
    source = authority_file()
    assert str(source).replace("\\", "/").endswith("archive_browser/resources/archives.csv")
    auth = load_authority()
    assert auth.acronyms["ЦГАСА"] == "RGVA"
    assert auth.acronyms["BA-MA"] == "BArch"
    assert auth.acronyms["PRO"] == "TNA"
    assert auth.entries["TsKhIDK"].rule == "RGVA:fond_suffix=K"
    assert load_authority() is load_authority()  # loaded once


def test_authority_list_can_come_from_another_file(tmp_path: Path) -> None:
    path = tmp_path / "archives.csv"
    path.write_text(
        "id,system,abbr_lat,abbr_cyr,name_en,name_ru,name_de,predecessors,rule,transfers,note\n"
        "GAXX,ru-fod,GAXX,ГАХХ,State Archive X,,,,,,\n",
        encoding="utf-8",
    )
    auth = load_authority(path)
    assert list(auth.entries) == ["GAXX"]
    assert _parse("ГАХХ. Ф. 1. Оп. 2. Д. 3.", auth)[0].key == "GAXX|1|2|3"


def test_a_missing_packaged_authority_list_is_a_loud_error(
    authority_package: Callable[[str], None],
) -> None:
    # Without the list every text would read as citing nothing: that must not pass silently.
    for package in ("archive_browser.core", "archive_browser.no_such_package"):
        authority_package(package)
        with pytest.raises(AuthorityError, match=r"archives\.csv is missing .* reinstall"):
            parse_citations("RGVA, f. 33987, op. 3, d. 497")
        with pytest.raises(AuthorityError):
            source_hash([])


def test_an_authority_list_missing_or_naming_no_archive_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AuthorityError, match="does not exist"):
        load_authority(tmp_path / "archives.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text(AUTHORITY_HEADER, encoding="utf-8")
    with pytest.raises(AuthorityError, match="names no archive"):
        load_authority(empty)


def test_the_archive_is_stale_when_the_packaged_authority_list_changes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    authority_package: Callable[[str], None],
) -> None:
    package = tmp_path / "other_resources"
    package.mkdir()
    (package / "__init__.py").write_bytes(b"")
    listed = package / "archives.csv"
    listed.write_bytes(authority_file().read_bytes())
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "other_resources", raising=False)
    authority_package("other_resources")
    inputs = tmp_path / "finding-aid"
    inputs.mkdir()
    (inputs / "sources.csv").write_text("id,title\n", encoding="utf-8")
    before = source_hash([inputs])
    # a copy of the list among the inputs is not imported, and does not count
    (inputs / "archives.csv").write_text(AUTHORITY_HEADER + "GAXX,ru-fod,GAXX,,X,,,,,,\n")
    assert source_hash([inputs]) == before
    _, problems = read_dataset([inputs])
    assert [(p.file, p.warning) for p in problems if "authority" in p.message] == [
        ("archives.csv", True)
    ]
    with listed.open("a", encoding="utf-8") as fh:
        fh.write("GAXX,ru-fod,GAXX,ГАХХ,State Archive X,,,,,,\n")
    assert source_hash([inputs]) != before
    assert _parse("ГАХХ. Ф. 1. Оп. 2. Д. 3.")[0].key == "GAXX|1|2|3"  # read from there


# --- the corpus -------------------------------------------------------------------------


def test_corpus_meets_the_thresholds() -> None:
    rows = report.read_corpus(CORPUS)
    assert len(rows) >= 150
    figures = report.corpus_figures(rows)
    assert figures.false_positive_rows == 0, figures.failures
    assert figures.exact_share >= 0.99, figures.failures
    assert figures.non_citation_rows >= 50


def test_corpus_has_the_new_families_with_a_third_verbatim() -> None:
    rows = report.read_corpus(CORPUS)
    before = {"Russian (before)", "German (before)", "NARA and TNA (before)", "false friends"}
    new = [r for r in rows if r["family"] not in before]
    assert len(new) >= 150
    verbatim = [r for r in new if r["origin"].startswith("verbatim:")]
    assert 3 * len(verbatim) >= len(new), (len(verbatim), len(new))
    families = {r["family"] for r in new}
    assert {"Ukrainian", "Belarusian", "Special Archive", "old names"} <= families


def test_corpus_rows_are_consistent() -> None:
    for row in report.read_corpus(CORPUS):
        listed = [k for k in row["expected_key"].split(";") if k.strip()]
        assert int(row["expected_count"]) == len(listed), row
        assert row["origin"].strip(), row


def test_corpus_command_prints_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert report.main(["--corpus", str(CORPUS)]) == 0
    out = capsys.readouterr().out
    assert "exact keys:" in out and "false positives: 0/" in out
    assert "| Ukrainian |" in out and "| **all** |" in out  # the table per family


# --- the database side ------------------------------------------------------------------

SOURCES = {
    "source/a": "ЦГАСА. Ф. 33987. Оп. 3. Д. 497. Л. 136-140.",
    "source/b": "RGVA, f. 33987, op. 3, d. 497, l. 5; d. 498.",
    "source/c": "RGVA, f. 33987, d. 497",
    "source/d": "GARF, f. R-9401, op. 2, d. 64",
    "source/e": "GARF, f. 9401, op. 2, d. 64",
    "source/f": "Fond 33987/Opis 3/Delo 497",
    "source/g": "BArch, RW 19/234, Bl. 4.",
    "source/h": "RGVA, f. 4, op. 3, d. 497",
}


def citations_db(sources: dict[str, str]) -> sqlite3.Connection:
    """An in-memory citations table as the importer writes it, one record per text."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        'CREATE TABLE "citations" ("record_id" TEXT, "position" INTEGER, "text" TEXT, '
        '"system" TEXT, "archive" TEXT, "fond" TEXT, "opis" TEXT, "delo" TEXT, "folios" TEXT, '
        '"key" TEXT, "partial_key" TEXT, "extra" TEXT)'
    )
    for record_id, text in sources.items():
        for position, c in enumerate(parse_citations(text)):
            conn.execute(
                'INSERT INTO "citations" VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
                (
                    record_id,
                    position,
                    c.text,
                    c.system,
                    c.archive,
                    c.fond,
                    c.opis,
                    c.delo,
                    c.folios,
                    c.key,
                    c.partial_key,
                    json.dumps(c.extra, ensure_ascii=False),
                ),
            )
    create_citation_indexes(conn)
    return conn


@pytest.fixture
def citation_db() -> sqlite3.Connection:
    return citations_db(SOURCES)


def test_tree_nests_archive_fond_opis_delo_with_record_counts(
    citation_db: sqlite3.Connection,
) -> None:
    tree = {n.label: n for n in citation_tree(citation_db)}
    rgva = tree["RGVA"]
    assert rgva.count == 4  # a, b, c, h
    fonds = {n.label: n for n in rgva.children}
    f33987 = fonds["f. 33987"]
    assert f33987.key_prefix == ("RGVA", "33987") and f33987.count == 3
    op3 = next(n for n in f33987.children if n.label == "op. 3")
    assert {d.label: d.count for d in op3.children} == {"d. 497": 2, "d. 498": 1}
    # a missing opis is skipped, not shown as an empty node
    assert any(
        n.level == "delo" and n.key_prefix == ("RGVA", "33987", "", "497") for n in f33987.children
    )
    barch = tree["BArch"]
    assert barch.children[0].children[0].key_prefix == ("BArch", "RW 19", "", "234")
    assert tree["(no archive)"].count == 1


def test_records_citing_prefix(citation_db: sqlite3.Connection) -> None:
    assert records_citing_prefix(citation_db, ("RGVA",)) == [
        "source/a",
        "source/b",
        "source/c",
        "source/h",
    ]
    assert records_citing_prefix(citation_db, ("RGVA", "33987", "3", "498")) == ["source/b"]
    assert records_citing_prefix(citation_db, ("BArch", "RW 19", "", "234")) == ["source/g"]


def test_find_citing_orders_same_probable_candidate(citation_db: sqlite3.Connection) -> None:
    pasted = one("РГВА. Ф. 33987. Оп. 3. Д. 497. Л. 1.")
    found = [(rid, m) for rid, m, _ in find_citing(citation_db, pasted)]
    assert found == [
        ("source/a", Match.SAME),
        ("source/b", Match.SAME),
        ("source/c", Match.CANDIDATE),
        ("source/f", Match.CANDIDATE),
    ]
    garf = [
        (rid, m) for rid, m, _ in find_citing(citation_db, one("ГАРФ. Ф. Р-9401. Оп. 2. Д. 64."))
    ]
    assert garf == [("source/d", Match.SAME), ("source/e", Match.PROBABLE)]


def test_find_citing_uses_the_indexes(citation_db: sqlite3.Connection) -> None:
    plan = citation_db.execute(
        'EXPLAIN QUERY PLAN SELECT * FROM "citations" WHERE "archive" = ? COLLATE NOCASE '
        'AND "fond" IN (?, ?)',
        ("RGVA", "1", "2"),
    ).fetchall()
    assert any("idx_citations_archive_fond" in str(row[-1]) for row in plan)
    plan = citation_db.execute("EXPLAIN QUERY PLAN " + SQL_BY_KEY, ("RGVA|1|2|3",)).fetchall()
    assert any("idx_citations_key" in str(row[-1]) for row in plan)


def test_find_citing_with_nothing_to_look_up(citation_db: sqlite3.Connection) -> None:
    assert find_citing(citation_db, one("FO 371 FK1015")) == []


def test_gost_form_of_a_verso_sheet_ends_with_one_full_stop() -> None:
    [cit] = parse_citations("ГАЛО. Ф. 2176. Оп. 1. Д. 1, л. 5 об.")
    text = format_gost(cit)
    assert text == "ГАЛО. Ф. 2176. Оп. 1. Д. 1. Л. 5 об."
    assert [c.key for c in parse_citations(text)] == [cit.key]


# --- issue 17: the new families --------------------------------------------------------

NEW_FORMS = [
    # Ukrainian and Belarusian markers, verso зв./адв., DSTU dashes
    ("ЦДАВО України. – Ф. 1429. – Оп. 1. – Спр. 5. – Арк. 5 зв.", "TsDAVO|1429|1|5", "5v"),
    ("TsDAVO, f. 2, op. 1, spr. 127, ark. 15zv.", "TsDAVO|2|1|127", "15v"),
    ("НАРБ, ф. 4п, воп. 1, спр. 120, арк. 5 адв.", "NARB|4P|1|120", "5v"),
    ("NARB, f. 4p, vop. 1, spr. 120, ark. 5 adv.", "NARB|4P|1|120", "5v"),
    ("ДАВіО, ф. П-136, оп. 3, спр. 12, арк. 5", "DAViO|P-136|3|12", "5"),
    # republic and regional archives in both scripts
    ("NA RT, f. R-732, op. 1, d. 1101, l. 88.", "NA RT|R-732|1|1101", "88"),
    ("TsGA RK, f. 1179, op. 1, d. 12, l. 3.", "TsGA RK|1179|1|12", "3"),
    ("ГА Новосибирской области, ф. Р-1, оп. 1, д. 5", "GANO|R-1|1|5", None),
    # the Special Archive: letter suffixes and the dash form, named or not
    ("RGVA 1525k-1-40", "RGVA|1525K|1|40", None),
    ("Sonderarchiv Moskau, 1525-1-40", "RGVA|1525K|1|40", None),
    ("RGVA, f. 461p, op. 1, d. 190278", "RGVA|461P|1|190278", None),
    # OCR and hurried forms
    ("GARF ,  f . 5446 ,  op . 1 ,d.12", "GARF|5446|1|12", None),
    ("GALO f2176 op1 d1 l3", "GALO|2176|1|1", "3"),
    ("ГАРФ, ф. Р.5446, оп. 1, д. 12", "GARF|R-5446|1|12", None),
    ("РГВА Ф 33987 Оп 3 Д 497 Л 12", "RGVA|33987|3|497", "12"),
    # German corporate and federal series
    ("BA-MA, RH 12 IV/15", "BArch|RH 12-IV||15", None),
    ("HA Krupp, WA 4/2845, Bl. 12", "HA Krupp|WA 4||2845", "12"),
    ("USHMM, RG-11.001M.23, reel 91", "USHMM|RG-11.001M.23||91", None),
]


@pytest.mark.parametrize(("text", "key", "folios"), NEW_FORMS)
def test_new_family_forms(text: str, key: str, folios: str | None) -> None:
    c = one(text)
    assert c.key == key
    assert c.folios == folios


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("f2176 op1 d1", ["~|2176|1|1"]),
        ("f. 4, d. 2", ["~|4||2"]),  # a missing opis is a partial key, not dropped
        ("GARF, f. 4, d. 2", ["~GARF|4||2"]),
        ("П 25, оп. 1, спр. 22, арк. 20-30.", ["~|P-25|1|22"]),
        ("BArch, RH 2/2291, Bl. 5; RW 6/18, Bl. 2.", ["BArch|RH 2||2291", "BArch|RW 6||18"]),
        ("BArch RW 6/18 und 19", ["BArch|RW 6||18", "BArch|RW 6||19"]),
        ("HA Krupp, FAH 2 B 12; WA 4/2845", ["HA Krupp|FAH 2||B 12", "HA Krupp|WA 4||2845"]),
        ("PA AA, R 28223, Bl. 5; RW 6/18", ["PA AA||R 28223"]),  # RW 6/18 needs BArch before it
        ("НАРБ, ф. 7, воп. 5, спр. 7277, арк. 86. Тамсама, арк. 87.", ["NARB|7|5|7277"] * 2),
    ],
)
def test_partial_and_multi_part_forms(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


# Each former name maps to today's archive; the Special Archive's fonds gain their K.
OLD_NAMES = [
    ("ЦГАСА, ф. 4, оп. 14, д. 2", "RGVA|4|14|2", "ЦГАСА", "1958–1992"),
    ("ЦГАКА, ф. 4, оп. 14, д. 2", "RGVA|4|14|2", "ЦГАКА", "1941–1958"),
    ("ЦАКА, ф. 4, оп. 14, д. 2", "RGVA|4|14|2", "ЦАКА", "1933–1941"),
    ("TsGAKA SSSR, f. 4, op. 14, d. 2", "RGVA|4|14|2", None, None),
    ("ЦХИДК. Ф. 1525. Оп. 1. Д. 40.", "RGVA|1525K|1|40", "ЦХИДК", "1992–1999"),
    ("TsGOA, f. 1488, op. 1, d. 2", "RGVA|1488K|1|2", None, None),
    ("Особый архив. Ф. 500. Оп. 1. Д. 25.", "RGVA|500K|1|25", None, None),
    ("РЦХИДНИ. Ф. 17. Оп. 3. Д. 5.", "RGASPI|17|3|5", "РЦХИДНИ", "1991–1999"),
    ("ЦХСД. Ф. 5. Оп. 30. Д. 1.", "RGANI|5|30|1", "ЦХСД", "1991–1999"),
    ("ЦГАДА, ф. 248, оп. 1, д. 5", "RGADA|248|1|5", "ЦГАДА СССР", "1941–1992"),
    ("ЦГАЛИ СССР, ф. 1, оп. 1, ед. хр. 5", "RGALI|1|1|5", "ЦГАЛИ СССР", "1954–1992"),
    ("ЦГАОР УССР, ф. 2, оп. 1, д. 127", "TsDAVO|2|1|127", "ЦГАОР УССР", "1943–1992"),
    ("ЦДАЖР УРСР, ф. 2, оп. 1, спр. 127", "TsDAVO|2|1|127", "ЦДАЖР УРСР", "1943–1992"),
    ("ЦГИАК УССР, ф. 442, оп. 1, д. 15", "TsDIAK|442|1|15", None, None),
    ("ЦГИА УССР во Львове, ф. 146, оп. 4, д. 3654", "TsDIAL|146|4|3654", None, None),
    ("ЦГАОР БССР, ф. 4, оп. 1, д. 5", "NARB|4|1|5", None, None),
    ("ЦГА КазССР, ф. 1179, оп. 1, д. 12", "TsGA RK|1179|1|12", None, None),
    ("ЦГА ТАССР, ф. Р-732, оп. 1, д. 1101", "NA RT|R-732|1|1101", None, None),
    ("BA-MA, RH 8 II/1949", "BArch|RH 8||1949", None, None),  # Bestand merged, numbers kept
]


@pytest.mark.parametrize(("text", "key", "former", "years"), OLD_NAMES)
def test_old_names_map_to_todays_archive(
    text: str, key: str, former: str | None, years: str | None
) -> None:
    assert one(text).key == key
    if former is not None:  # the authority list records when the former name applied
        recorded = {e.years_of(former) for e in load_authority().entries.values()} - {None}
        assert recorded == {years}


def test_every_recorded_year_belongs_to_a_former_name_of_its_row() -> None:
    auth = load_authority()
    recorded = 0
    for entry in auth.entries.values():
        tokens = {entry.id, *entry.abbr_lat, *entry.abbr_cyr, *entry.predecessors}
        for name, years in entry.predecessor_years:
            recorded += 1
            assert (
                name in tokens or f"{name} СССР" in tokens or name.removesuffix(" СССР") in tokens
            ), (
                entry.id,
                name,
            )
            assert any(ch.isdigit() for ch in years), (entry.id, name, years)
    assert recorded >= 15


def test_the_authority_lists_the_families_of_the_issue() -> None:
    auth = load_authority()
    for archive_id in ("RGVA", "GARF", "TsDAVO", "TsDIAK", "TsDAGO", "DAKO", "DAZhO", "DAViO"):
        assert auth.entry(archive_id) is not None, archive_id
    for archive_id in ("NARB", "NIAB", "TsGA RK", "NA RT", "LCVA", "ERA", "NAG", "NAA"):
        assert auth.entry(archive_id) is not None, archive_id
    tsdavo = auth.entry("TsDAVO")
    assert tsdavo is not None and "ЦДАВО України" in tsdavo.abbr_cyr


# --- keys: one spelling, any case; partial keys ------------------------------------------


def test_keys_compare_without_regard_to_case() -> None:
    written = make_citation("", "ru-fod", "DAVIO", "P-136", "3", "12")
    read = one("ДАВіО, ф. П-136, оп. 3, спр. 12")
    assert read.key == "DAViO|P-136|3|12"
    assert compare(written, read) is Match.SAME
    assert fold_key("DAViO|P-136|3|12") == fold_key("daviO|p-136|3|12")


def test_generic_acronyms_follow_the_spelling_rule() -> None:
    # not in the authority list: transliterated letter by letter, case kept
    assert one("ГАКО, ф. Р-2, оп. 1, д. 5").archive == "GAKO"
    assert one("ОГАЧО. Ф. Р-12. Оп. 1. Дело 234.").key == "OGAChO|R-12|1|234"


@pytest.mark.parametrize(
    ("partial", "full", "matches"),
    [
        ("|2176|1|1", "GALO|2176|1|1", True),  # no archive
        ("GARF|4||2", "GARF|4|1|2", True),  # no opis
        ("GARF|4||2", "GARF|4|1|3", False),
        ("garf|R-9401||64", "GARF|9401|2|64", True),  # case and a dropped prefix
        ("RGVA|33987|3|", "RGVA|33987|3|497", True),  # no delo
        ("RGVA|33987|3|", "RGVA|33987|4|497", False),
        ("GAOO|1120|1|21", "GAOO|1120|1|21|t1", True),  # the tom is not given
        ("GAOO|1120|1|21|t2", "GAOO|1120|1|21|t1", False),
        ("PA AA||R 103295", "PA AA||R 103295", True),
    ],
)
def test_partial_keys_match_the_full_keys_they_could_be(
    partial: str, full: str, matches: bool
) -> None:
    assert partial_key_matches(partial, full) is matches


def test_a_partial_citation_is_a_candidate_for_the_full_one() -> None:
    partial, full = one("f2176 op1 d1"), one("ГАЛО. Ф. 2176. Оп. 1. Д. 1.")
    assert partial.key is None and partial_key_matches(partial.partial_key or "", full.key or "")
    assert compare(partial, full) is Match.CANDIDATE


def test_find_citing_ignores_the_case_of_keys() -> None:
    conn = citations_db({"source/v": "ДАВіО, ф. П-136, оп. 3, спр. 12"})
    pasted = make_citation("", "ru-fod", "DAVIO", "P-136", "3", "12")
    assert [(rid, m) for rid, m, _ in find_citing(conn, pasted)] == [("source/v", Match.SAME)]


# --- output styles ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "text", "expected"),
    [
        (
            "english",
            "РГВА. Ф. 33987. Оп. 3. Д. 295. Л. 12–15 об.",
            "RGVA, f. 33987, op. 3, d. 295, ll. 12–15ob.",
        ),
        (
            "chicago",
            "ЦДАВО України, ф. 1429, оп. 1, спр. 5, арк. 5 зв.",
            "TsDAVO, f. 1429, op. 1, spr. 5, ark. 5zv.",
        ),
        (
            "gost",
            "RGVA, f. 33987, op. 3, d. 295, ll. 12-15ob.",
            "РГВА. Ф. 33987. Оп. 3. Д. 295. Л. 12–15 об.",
        ),
        (
            "dstu",
            "TsDAVO, f. 1429, op. 1, spr. 5, ark. 5zv.",
            "ЦДАВО України. Ф. 1429. Оп. 1. Спр. 5. Арк. 5 зв.",
        ),
        ("barch", "BA-MA, RH 2/2291, fol. 5", "BArch, RH 2/2291, Bl. 5"),
        (
            "nara",
            "T-120, roll 2345, frames 123456-123460",
            "NARA, T-120, roll 2345, frames 123456–60",
        ),
        (
            "nara",
            "NARA T-120, Serial 1907H, roll 2345, frames E123456-58",
            "NARA, T-120, serial 1907H, roll 2345, frames E123456–58",
        ),
    ],
)
def test_each_output_style(style: str, text: str, expected: str) -> None:
    c = one(text)
    assert format_citation(c, style) == expected
    assert keys(expected) == [c.key]  # the styled form reads back as the same file


@settings(max_examples=150, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    archive=st.sampled_from(["RGVA", "TsDAVO", "NARB", "DAKO", "GALO", "TsGA RK", "ZGAKr"]),
    fond=_number,
    opis=_plain,
    delo=_plain,
    folios=_folios,
    style=st.sampled_from(sorted(STYLES)),
)
def test_every_style_parses_back_to_the_same_key(
    archive: str, fond: str, opis: str, delo: str, folios: str | None, style: str
) -> None:
    original = make_citation("", "ru-fod", archive, fond, opis, delo, folios)
    formatted = format_citation(original, style)
    assert keys(formatted) == [original.key], formatted
    assert one(formatted).folios == folios, formatted


@pytest.mark.parametrize("case", GERMAN_FORMS + FILM_AND_TNA_FORMS)
def test_other_systems_read_back_in_every_style(case: tuple[str, ...]) -> None:
    original = one(case[0])
    for style in STYLES:
        assert keys(format_citation(original, style)) == [original.key], style


def test_an_unknown_style_is_one_clear_sentence() -> None:
    with pytest.raises(StyleError, match=r"^There is no citation style 'apa'; the styles are: "):
        format_citation(one("RGVA, f. 1, op. 2, d. 3"), "apa")


def test_record_pages_show_the_preferred_style_never_the_key() -> None:
    fields = one("ГАЛО. Ф. 2176. Оп. 1. Д. 1, л. 5 об.").to_json()
    try:
        assert display_citation(fields) == "GALO, f. 2176, op. 1, d. 1, l. 5ob."
        set_preferred_style("gost")
        assert display_citation(fields) == "ГАЛО. Ф. 2176. Оп. 1. Д. 1. Л. 5 об."
        assert "|" not in display_citation(fields, "dstu")
    finally:
        set_preferred_style("english")


# --- the concordance: copies are the same file -----------------------------------------

CONCORDANCE_HEADER = "original_key,copy_key,copy_label,relation,source\n"
# A constructed pair for the test, not a documented one: the mechanism is what is tested.
TEST_PAIR = (
    "PA AA||R 28223,NARA|T120||2345,T-120 roll 2345,microfilm_copy,"
    "test fixture: a constructed pair\n"
)


def write_user_concordance(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "concordance.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_nara_t120_citation_finds_the_record_citing_the_pa_aa_original(
    private_user_folder: Path,
) -> None:
    write_user_concordance(private_user_folder, CONCORDANCE_HEADER + TEST_PAIR)
    conn = citations_db(
        {
            "source/original": "PA AA, R 28223, Bl. 5",
            "source/film": "NARA, T-120, roll 2345, frames 123456-60",
            "source/other": "PA AA, R 28224",
        }
    )
    found = find_citing(conn, one("T-120, Serial 1907H, roll 2345, frame 123470"))
    assert [(rid, m) for rid, m, _ in found] == [
        ("source/film", Match.SAME),
        ("source/original", Match.COPY),
    ]
    back = find_citing(conn, one("PA AA, R 28223"))
    assert [(rid, m) for rid, m, _ in back] == [
        ("source/original", Match.SAME),
        ("source/film", Match.COPY),
    ]
    # the tree shows both, each with its link to the other
    tree = {n.label: n for n in citation_tree(conn)}
    paaa_file = tree["PA AA"].children[0]
    film = tree["NARA"].children[0].children[0]
    assert paaa_file.label == "R 28223" and film.label == "2345"
    assert paaa_file.copy_links == ("original of NARA, T-120, roll 2345",)
    assert film.copy_links == ("copy of PA AA, R 28223",)
    # the shipped collection-level row: T-120 as a whole films the PA AA
    assert "copy of PA AA" in tree["NARA"].children[0].copy_links


def test_without_the_pair_the_copy_is_not_found(private_user_folder: Path) -> None:
    conn = citations_db({"source/original": "PA AA, R 28223"})
    assert find_citing(conn, one("T-120, roll 2345")) == []


def test_the_shipped_concordance_is_sourced_and_links_ushmm_reels() -> None:
    concordance = load_concordance()
    assert concordance.entries and not concordance.problems
    assert all(entry.source for entry in concordance.entries)
    [link] = [lk for lk in concordance.links("USHMM|RG-11.001M.23||91") if lk.is_original]
    assert link.key == "RGVA|1488K||" and not link.file_level
    fond500 = concordance.links(one("RGVA, f. 500k, op. 1, d. 25").key or "")
    assert any(lk.key == "USHMM|RG-11.001M.01||" for lk in fond500)


def test_bad_user_concordance_rows_are_reported_and_skipped(private_user_folder: Path) -> None:
    write_user_concordance(
        private_user_folder,
        CONCORDANCE_HEADER + "PA AA||R 1,NARA|T120||1,x,copy,\n" + "nonsense,,,,\n" + TEST_PAIR,
    )
    concordance = load_concordance()
    assert len(concordance.problems) == 2
    assert "gives no source" in concordance.problems[0]
    assert any(e.copy_key == "NARA|T120||2345" for e in concordance.entries)
    write_user_concordance(private_user_folder, "a,b\n1,2\n")
    assert "the header lacks" in load_concordance().problems[0]


# Constructed forms kept out of the corpus (its constructed rows are capped at twice the
# verbatim ones) but still checked: the Ukrainian oblast acronyms and the spelling variants.
MORE_CONSTRUCTED_FORMS = [
    ("ГАЖО, ф. Р-1151, оп. 1, д. 15, л. 8 об.", ["DAZhO|R-1151|1|15"]),
    ("ДАЖО, ф. П-76, оп. 1, спр. 120", ["DAZhO|P-76|1|120"]),
    ("ДАВіО, ф. П-136, оп. 3, спр. 12, арк. 5", ["DAViO|P-136|3|12"]),
    ("DAViO, f. P-136, op. 3, spr. 12, ark. 5", ["DAViO|P-136|3|12"]),
    ("ДАХО, ф. Р-845, оп. 2, спр. 10, арк. 1–3", ["DAKhO|R-845|2|10"]),
    ("ДАХО, ф. П-2, оп. 3, спр. 3, арк. 44", ["DAKhO|P-2|3|3"]),
    ("ДАОО, ф. Р-2009, оп. 1, спр. 7, арк. 2", ["DAOO|R-2009|1|7"]),
    ("ДАЛО, ф. Р-35, оп. 9, спр. 1, арк. 4 зв.", ["DALO|R-35|9|1"]),
    ("ДАЛО 35-9-1", ["DALO|35|9|1"]),
    ("ДАДнО, ф. П-19, оп. 1, спр. 400, арк. 11", ["DADO|P-19|1|400"]),
    ("ДАДО, ф. П-19, оп. 1, спр. 400, арк. 11", ["DADO|P-19|1|400"]),
    ("ДАЗпО, ф. Р-1, оп. 1, спр. 2", ["DAZpO|R-1|1|2"]),
    ("ДАСО, ф. П-25, оп. 1, спр. 22, арк. 20–30", ["DASO|P-25|1|22"]),
    ("ДАХмО, ф. Р-315, оп. 1, спр. 4", ["DAKhmO|R-315|1|4"]),
    ("ДАЧгО, ф. Р-593, оп. 1, спр. 8, арк. 2", ["DAChgO|R-593|1|8"]),
    ("ДАК, ф. Р-1, оп. 1, спр. 3919, арк. 9", ["DAK|R-1|1|3919"]),
    ("ERA, f. 957, n. 1, s. 5, l. 3", ["ERA|957|1|5"]),
    ("RGWA, F. 461p, Nr. 190278", ["~RGVA|461P||190278"]),
    ("Sonderarchiv Moskau 500/1/25", ["RGVA|500K|1|25"]),
    ("ГАРФ, ф. Р–5446, оп. 1, д. 12", ["GARF|R-5446|1|12"]),
    ("GARF, f.R-5446,op.1,d.12,l.3ob", ["GARF|R-5446|1|12"]),
    ("ГАРФ.Ф.5446.Оп.1.Д.12.Л.3", ["GARF|5446|1|12"]),
]


@pytest.mark.parametrize(("text", "expected"), MORE_CONSTRUCTED_FORMS)
def test_more_constructed_forms(text: str, expected: list[str]) -> None:
    assert keys(text) == expected
