"""The search engine: safe queries, tiers of matches, transliteration, the bundled archive."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive_browser.core import names, search

TINY = {
    "people.csv": [
        "id,name,name_ru,kind,summary",
        "person/tukhachevsky,Mikhail Tukhachevsky,Михаил Тухачевский,person,"
        "Soviet military theorist.",
        "person/lenin,Vladimir Lenin,Владимир Ленин,person,Leader of Soviet Russia.",
        "person/seeckt,Hans von Seeckt,,person,Chief of the Reichswehr who wrote to Tukhachevsky.",
        "person/vorontsov,Ivan Vorontsov,,person,His diary names Тухачевский twice.",
        "person/stalin,Joseph Stalin,Иосиф Сталин,person,Soviet leader.",
    ],
    "sites.csv": [
        "id,name,name_ru,kind,summary",
        "site/lipetsk,Lipetsk flight school,Липецк,air base,The first cooperative base.",
        "site/leningrad,Leningrad,Ленинград,city,A city in the north.",
    ],
    "events.csv": [
        "id,title,date,theme,summary",
        "event/pilots,German pilots invited to Lipetsk,1924,aviation,Pilots came.",
        "event/concessions,Concession system,1922,politics,Lenin supervised the concessions.",
        "event/purge,Stalin purges the Red Army,1937,politics,Officers were shot.",
    ],
    "sources.csv": [
        "id,title,kind,summary",
        "source/letter,A letter from Berlin,letter,Mentions nobody by name.",
    ],
    "quotes.csv": [
        "id,record,speaker,text,reconstructed",
        "quote/ally,source/letter,person/seeckt,The Red Army is our secret ally.,yes",
    ],
    "aliases.csv": [
        "record,alias,scheme,note",
        "person/tukhachevsky,Tuchatschewski,german,also generated: must not be doubled",
        "person/tukhachevsky,Toukhatchevsky,french,",
        "site/lipetsk,Wiwupal,cover-name,",
    ],
}

HOSTILE = [
    '"',
    '""',
    '"Lenin',
    "AND",
    "OR",
    "NOT",
    "Lenin AND",
    "OR Stalin",
    "NOT NOT",
    "*",
    "**",
    "Len*",
    "NEAR(",
    "NEAR(Lenin Stalin, 3)",
    "-",
    "-Lenin",
    ":",
    "title:Lenin",
    "^",
    "^Lenin",
    "(",
    ")",
    "((Lenin)",
    "Lenin)",
    "{title}: x",
    "\x00",
    "Len\x00in",
    "😀",
    "Lenin 😀",
    "\u200f",
    "\u200fLenin\u200e",
    "\u202eStalin",
    "\ue000Lenin\ue001",
    "x" * 10_000,
    "Lenin " * 2_000,
    "'; DROP TABLE records; --",
    "%",
    "_",
    "\\",
    "a",
    "\u0301",
    "t͡s",
    "ʹ",
    "   ",
    "",
]


@pytest.fixture(scope="module")
def tiny_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from archive_browser.core.importer import build_archive

    folder = tmp_path_factory.mktemp("tiny-csv")
    for name, lines in TINY.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = folder.parent / "tiny.db"
    build_archive(folder, out)
    return out


def _open(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


@pytest.fixture
def conn(tiny_archive: Path) -> Iterator[sqlite3.Connection]:
    connection = _open(tiny_archive)
    yield connection
    connection.close()


def ids(hits: list[search.Hit]) -> list[str]:
    return [hit.id for hit in hits]


# ----------------------------------------------------------------------------- the index


def test_build_generates_scheme_forms_as_aliases(conn: sqlite3.Connection) -> None:
    rows = conn.execute(
        "SELECT alias, scheme, note FROM aliases WHERE record_id = 'person/tukhachevsky'"
    ).fetchall()
    forms = [alias for alias, _, _ in rows]
    assert len(forms) == len({names.fold(f) for f in forms}), "a form is stored twice"
    generated = {
        alias: scheme
        for alias, scheme, note in rows
        if note.startswith(search.GENERATED_NOTE_PREFIX)
    }
    assert generated["Mikhail Tukhachevskiĭ"] == "ala-lc"
    assert generated["Mihail Tuhačevskij"] == "iso9"
    assert generated["Michail Tuchatschewski"] == "german"
    assert "Mikhail Tukhachevsky" not in generated  # the title itself is not an alias
    # The hand-written alias stays as written, with its own scheme and note.
    assert ("Tuchatschewski", "german", "also generated: must not be doubled") in rows
    # Records without a Russian name get no generated forms.
    assert conn.execute(
        "SELECT count(*) FROM aliases WHERE record_id = 'person/seeckt'"
    ).fetchone() == (0,)


def test_index_has_one_row_per_record(conn: sqlite3.Connection) -> None:
    records = conn.execute("SELECT count(*) FROM records").fetchone()[0]
    indexed = conn.execute(f'SELECT count(*) FROM "{search.FTS_TABLE}"').fetchone()[0]
    assert indexed == records
    missing = conn.execute(
        f'SELECT count(*) FROM records WHERE rid NOT IN (SELECT rowid FROM "{search.FTS_TABLE}")'
    ).fetchone()[0]
    assert missing == 0


def test_build_index_can_run_twice(tiny_archive: Path, tmp_path: Path) -> None:
    copy = tmp_path / "again.db"
    copy.write_bytes(tiny_archive.read_bytes())
    connection = sqlite3.connect(copy)
    before = connection.execute("SELECT count(*) FROM aliases").fetchone()[0]
    with connection:
        search.build_index(connection)
    after = connection.execute("SELECT count(*) FROM aliases").fetchone()[0]
    assert after == before
    assert ids(search.search(connection, "Lenin"))[0] == "person/lenin"
    connection.close()


# ----------------------------------------------------------------------------- queries


def test_fts_query_quotes_every_token() -> None:
    query = search.fts_query('Lenin AND "Stalin" NEAR( x:yz')
    assert query is not None
    outside_quotes = re.sub(r'"[^"]*"', "", query)
    # Only the query's own structure is left outside the quotes.
    assert set(re.findall(r"[A-Za-z]+", outside_quotes)) <= {
        "AND",
        "OR",
        "title",
        "names",
        "body",
        "skel",
        "bskel",
    }
    assert '"lenin"' in query and '"stalin"' in query and '"near"' in query
    assert '"x yz"*' in query  # punctuation inside a word makes a phrase; last is a prefix


@pytest.mark.parametrize("blank", ["", "   ", '"', "*", "-", "😀", "\x00", "()", "\u200f"])
def test_fts_query_is_none_when_nothing_is_searchable(blank: str) -> None:
    assert search.fts_query(blank) is None
    assert search.matching_rids_sql(blank) is None


def test_one_letter_is_not_a_prefix() -> None:
    query = search.fts_query("a")
    assert query is not None and '"a"*' not in query


@pytest.mark.parametrize("text", HOSTILE)
def test_search_never_raises_on_hostile_text(conn: sqlite3.Connection, text: str) -> None:
    hits = search.search(conn, text)
    assert isinstance(hits, list)
    assert all(isinstance(hit, search.Hit) for hit in hits)
    assert isinstance(search.did_you_mean(conn, text), list)
    sql = search.matching_rids_sql(text)
    if sql is not None:
        conn.execute(f"SELECT rid FROM people WHERE rid IN ({sql[0]})", sql[1]).fetchall()


def test_hostile_text_still_finds_its_words(conn: sqlite3.Connection) -> None:
    for text in (
        '"Lenin',
        "(Lenin",
        "((Lenin))",
        "-Lenin",
        "\u200fLenin\u200e",
        "Lenin 😀",
        "Lenin*",
        "^Lenin:",
    ):
        assert ids(search.search(conn, text))[:1] == ["person/lenin"], text


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.text(max_size=80))
def test_search_never_raises_on_any_text(tiny_archive: Path, text: str) -> None:
    connection = _open(tiny_archive)
    try:
        search.search(connection, text, limit=5)
        sql = search.matching_rids_sql(text)
        if sql is not None:
            connection.execute(sql[0], sql[1]).fetchall()
    finally:
        connection.close()


# ----------------------------------------------------------------------------- ranking


def test_exact_then_name_then_variant_then_body(conn: sqlite3.Connection) -> None:
    hits = search.search(conn, "Tukhachevsky")
    assert hits[0].id == "person/tukhachevsky" and hits[0].match_kind == "exact"
    kinds = {hit.id: hit.match_kind for hit in hits}
    assert kinds["person/seeckt"] == "body"  # a mention in running text
    assert kinds["person/vorontsov"] == "body"  # ... even in Cyrillic
    tiers = [search.MATCH_TIERS[hit.match_kind] for hit in hits]
    assert tiers == sorted(tiers, reverse=True)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_a_name_form_outranks_a_skeleton_match(conn: sqlite3.Connection) -> None:
    hits = search.search(conn, "Lipezk")
    assert hits[0].id == "site/lipetsk"
    assert (hits[0].match_kind, hits[0].matched_form, hits[0].scheme) == (
        "name",
        "Lipezk",
        "german",
    )
    pilots = next(hit for hit in hits if hit.id == "event/pilots")
    assert pilots.match_kind == "variant"
    assert hits[0].score > pilots.score


def test_a_variant_no_scheme_produced_finds_the_record(conn: sqlite3.Connection) -> None:
    for spelling in ("Tuchatschewskij", "Tukhachevskiy", "Toukhatchewsky", "TUCHATSCHEVSKI"):
        hits = search.search(conn, spelling)
        assert hits and hits[0].id == "person/tukhachevsky", spelling
        assert hits[0].match_kind in ("name", "variant")
    hit = search.search(conn, "Tuchatschewskij")[0]
    assert hit.matched_form is not None and hit.scheme is not None
    # The matched form named is the nearest spelling: the German one here.
    assert "Tuchatschewski" in hit.matched_form


def test_cyrillic_finds_latin_and_latin_finds_cyrillic(conn: sqlite3.Connection) -> None:
    assert ids(search.search(conn, "Тухачевский"))[0] == "person/tukhachevsky"
    assert "person/seeckt" in ids(search.search(conn, "Тухачевский"))  # Latin body text
    assert "person/vorontsov" in ids(search.search(conn, "Tukhachevsky"))  # Cyrillic body
    assert ids(search.search(conn, "Липецк"))[0] == "site/lipetsk"


def test_lenin_and_stalin_come_first(conn: sqlite3.Connection) -> None:
    lenin = search.search(conn, "Lenin")
    assert lenin[0].id == "person/lenin"
    assert {"site/leningrad", "event/concessions"} <= set(ids(lenin))
    stalin = search.search(conn, "Stalin")
    # The event's title says Stalin too, but the person's own names agree.
    assert ids(stalin)[:2] == ["person/stalin", "event/purge"]


def test_prefix_search_as_you_type(conn: sqlite3.Connection) -> None:
    assert ids(search.search(conn, "Tukh"))[0] == "person/tukhachevsky"
    assert ids(search.search(conn, "Тух"))[0] == "person/tukhachevsky"
    assert ids(search.search(conn, "Lip"))[0] == "site/lipetsk"


def test_hand_written_alias_reports_its_scheme(conn: sqlite3.Connection) -> None:
    hit = search.search(conn, "Wiwupal")[0]
    assert (hit.id, hit.match_kind, hit.matched_form, hit.scheme) == (
        "site/lipetsk",
        "name",
        "Wiwupal",
        "cover-name",
    )


def test_snippets_mark_the_matched_words(conn: sqlite3.Connection) -> None:
    body_hit = next(h for h in search.search(conn, "concessions") if h.id == "event/concessions")
    assert f"{search.HIGHLIGHT_START}concessions{search.HIGHLIGHT_END}" in body_hit.snippet
    name_hit = search.search(conn, "Lipezk")[0]
    assert name_hit.snippet.startswith(f"{search.HIGHLIGHT_START}Lipezk{search.HIGHLIGHT_END}")
    quote_hit = search.search(conn, "secret ally")[0]
    assert quote_hit.id == "source/letter"  # quotes are in their record's body


def test_types_and_limit(conn: sqlite3.Connection) -> None:
    assert {h.type for h in search.search(conn, "Lenin", types=["site"])} == {"site"}
    assert search.search(conn, "Lenin", types=["no-such-type"]) == []
    assert len(search.search(conn, "Soviet", limit=1)) == 1
    assert search.search(conn, "Soviet", limit=0) == []


def test_matching_rids_sql_filters_a_tab(conn: sqlite3.Connection) -> None:
    sql, params = search.matching_rids_sql("Tuchatschewski") or ("", [])
    rows = conn.execute(
        f'SELECT "id" FROM people WHERE rid IN ({sql}) ORDER BY "id"', params
    ).fetchall()
    # The person, and the diary that names him in Cyrillic; nobody else.
    assert [r[0] for r in rows] == ["person/tukhachevsky", "person/vorontsov"]


def test_did_you_mean_suggests_a_known_spelling(conn: sqlite3.Connection) -> None:
    assert "Tukhachevsky" in search.did_you_mean(conn, "Tukachevsky")
    assert "Lipetsk" in search.did_you_mean(conn, "Lipetks")
    # A spelling the skeleton already folds is found by the search: nothing to suggest.
    assert search.did_you_mean(conn, "Lipetzck") == []
    assert search.did_you_mean(conn, "Lenin") == []  # nothing to correct
    assert len(search.did_you_mean(conn, "Tukachevsky", limit=1)) == 1


# ----------------------------------------------------------------------------- the bundled archive


@pytest.fixture(scope="module")
def bundled(built_archive: Path) -> Iterator[sqlite3.Connection]:
    connection = _open(built_archive)
    yield connection
    connection.close()


def _russian_records(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT id, name_ru FROM records WHERE name_ru IS NOT NULL AND name_ru != '' "
        "AND type IN ('person', 'site') ORDER BY id"
    ).fetchall()


def _rank(conn: sqlite3.Connection, text: str, record_id: str) -> int | None:
    found = ids(search.search(conn, text, limit=3))
    return found.index(record_id) + 1 if record_id in found else None


def test_every_generated_form_finds_its_record(bundled: sqlite3.Connection) -> None:
    records = _russian_records(bundled)
    assert len(records) >= 10
    misses = [
        (record_id, form, scheme)
        for record_id, name_ru in records
        for form, scheme in names.variants(name_ru)
        if _rank(bundled, form, record_id) is None
    ]
    assert misses == []


def test_hand_written_aliases_find_their_record(bundled: sqlite3.Connection) -> None:
    rows = bundled.execute(
        "SELECT record_id, alias, scheme FROM aliases WHERE note IS NULL OR note NOT LIKE ?",
        (search.GENERATED_NOTE_PREFIX + "%",),
    ).fetchall()
    by_scheme: dict[str, int] = {}
    for _, _, scheme in rows:
        by_scheme[scheme] = by_scheme.get(scheme, 0) + 1
    assert len(rows) >= 3 and {"german", "french"} <= set(by_scheme)
    misses = [row for row in rows if _rank(bundled, row[1], row[0]) is None]
    assert misses == []


def test_bundled_lenin_and_stalin_first(bundled: sqlite3.Connection) -> None:
    assert ids(search.search(bundled, "Lenin"))[0] == "person/lenin"
    assert ids(search.search(bundled, "Stalin"))[0] == "person/stalin"
    assert ids(search.search(bundled, "Тухачевский"))[0] == "person/tukhachevsky"
    assert ids(search.search(bundled, "Tuchatschewskij"))[0] == "person/tukhachevsky"


def test_variant_report_counts(bundled: sqlite3.Connection) -> None:
    from archive_browser.core.search import variant_report

    rows = variant_report.collect(bundled)
    assert rows and all(row.tried >= row.top3 >= row.first for row in rows)
    generated = [row for row in rows if row.origin == "generated"]
    assert {row.scheme for row in generated} >= {"german", "french", "iso9"}
    text = variant_report.format_table(rows)
    assert "german" in text and "top 3" in text


# ----------------------------------------------------------------------------- issue 22


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("Тухачевским", "person/tukhachevsky"),  # Russian instrumental
        ("Тухачевского", "person/tukhachevsky"),  # Russian (and Ukrainian) genitive
        ("Липецкой", "site/lipetsk"),
        ("Липецьком", "site/lipetsk"),  # Ukrainian locative
        ("Троцким", "person/trotsky"),
        ("Сталиным", "person/stalin"),
        ("Сталіним", "person/stalin"),  # Ukrainian instrumental
        ("Guderians", "person/guderian"),  # German genitive
        ("Triandafillov Kazan", "person/triandafillov"),  # words in different fields
        ("Kazan 1929", "site/kazan"),  # a name and a year of its dates
        ('"Treaty of Rapallo"', "event/rapallo-treaty"),  # a phrase
    ],
)
def test_inflected_multi_field_and_dated_queries_find_their_record_first(
    bundled: sqlite3.Connection, query: str, record_id: str
) -> None:
    assert ids(search.search(bundled, query))[:1] == [record_id]


def test_stems_are_indexed_at_build_time(bundled: sqlite3.Connection) -> None:
    (stems,) = bundled.execute(
        f'SELECT stems FROM "{search.FTS_TABLE}" WHERE rowid = '
        "(SELECT rid FROM records WHERE id = 'person/tukhachevsky')"
    ).fetchone()
    assert "zsтухачевск" in stems.split()
    # The query stems only its own word and looks the stem up in the index.
    assert '"zsтухачевск"' in (search.fts_query("Тухачевским") or "")


def test_every_word_must_match_somewhere(bundled: sqlite3.Connection) -> None:
    hits = search.search(bundled, "Triandafillov Kazan")
    assert {h.id for h in hits} >= {"person/triandafillov", "site/kazan"}
    for hit in hits:
        assert [m.term for m in hit.matches] == ["Triandafillov", "Kazan"]
    person = hits[0]
    assert [(m.field, m.kind) for m in person.matches] == [
        ("title", "exact"),
        ("summary", "body"),
    ]
    assert search.search(bundled, "Triandafillov Qqqxxzzy") == []


def test_a_year_matches_records_whose_dates_overlap_it(bundled: sqlite3.Connection) -> None:
    for query in ("1925", "1920s", "summer 1922"):
        hits = search.search(bundled, query, limit=200)
        assert hits, query
        dated = [h for h in hits if any(m.kind == "date" for m in h.matches)]
        assert dated, query
    (earliest, latest) = bundled.execute(
        "SELECT period_earliest, period_latest FROM sites WHERE id = 'site/kazan'"
    ).fetchone()
    assert earliest[:4] == "1929" and latest[:4] == "1933"
    assert "site/kazan" in ids(search.search(bundled, "1931", limit=200))
    assert "site/kazan" not in ids(search.search(bundled, "1935", limit=200))
    summer = search.search(bundled, "summer 1922", limit=200)
    assert summer[0].matches[0].kind == "date"


def test_a_quoted_phrase_matches_the_phrase_only(bundled: sqlite3.Connection) -> None:
    loose = set(ids(search.search(bundled, "tank Kazan", limit=200)))
    phrase = set(ids(search.search(bundled, '"tank Kazan"', limit=200)))
    assert phrase < loose


def test_no_record_twice_and_fields_separated_in_snippets(bundled: sqlite3.Connection) -> None:
    for query in ("Kama", "Lipetsk", "Kazan", "Reichswehr"):
        found = ids(search.search(bundled, query, limit=200))
        assert len(found) == len(set(found)), query
    harpe = next(h for h in search.search(bundled, "Kama") if h.id == "person/harpe")
    assert " · role: " in harpe.snippet


def test_a_clear_misspelling_is_searched_for(bundled: sqlite3.Connection) -> None:
    hits, corrected = search.search_corrected(bundled, "Guderain")
    assert corrected == "Guderian" and hits[0].id == "person/guderian"
    # Seeckt and "seek" are both near Seekt: no clear winner, no correction.
    assert search.search_corrected(bundled, "Seekt") == ([], None)
    assert search.search_corrected(bundled, "Lipetks")[1] == "Lipetsk"  # two letters swapped
    assert search.search_corrected(bundled, "Lenin")[1] is None  # nothing to correct


def test_suggestions_for_a_cyrillic_query_are_cyrillic(bundled: sqlite3.Connection) -> None:
    suggestions = search.did_you_mean(bundled, "Тухачевскей")
    assert suggestions and all(search.query.CYRILLIC_LETTER.search(s) for s in suggestions)
    assert search.clear_correction(bundled, "Тухачевскей") == "Тухачевский"


def test_ranking_is_not_capped(bundled: sqlite3.Connection) -> None:
    for query in ("Kazan", "Soviet", "German tank", "1929", "Lip"):
        capped = ids(search.search(bundled, query, limit=10))
        uncapped = ids(search.search(bundled, query, limit=10, exhaustive=True))
        assert capped == uncapped, query


def test_type_filter_runs_inside_the_query(bundled: sqlite3.Connection) -> None:
    statements: list[str] = []
    bundled.set_trace_callback(statements.append)
    try:
        found = search.search(bundled, "Lipetsk", types=["event"])
    finally:
        bundled.set_trace_callback(None)
    assert found and {h.type for h in found} == {"event"}
    ranked = next(s for s in statements if "MATCH" in s and "records AS r" in s)
    plan = [str(row[-1]) for row in bundled.execute("EXPLAIN QUERY PLAN " + ranked)]
    # The full-text match drives; each of its rows looks its record up by primary key,
    # never the other way round (a probe of the index per record of the type).
    assert "VIRTUAL TABLE" in plan[0], plan
    assert any("SEARCH r USING INTEGER PRIMARY KEY" in step for step in plan), plan


def test_a_place_is_not_hidden_below_the_events_named_after_it(
    tmp_path: Path,
) -> None:
    """More events titled after a place than the candidate page holds: the place, whose
    Russian name agrees with its title, still comes first, as in the uncapped ranking."""
    from archive_browser.core.importer import build_archive

    folder = tmp_path / "csv"
    folder.mkdir()
    events = ["id,title,date,theme,summary"] + [
        f"event/accident-{n},Accident at Zomi,1925,accident,Zomi Zomi: accident number {n}."
        for n in range(120)
    ]
    files = {
        "people.csv": ["id,name,name_ru,kind,summary", "person/x,Ivan X,,person,Nobody."],
        "sites.csv": [
            "id,name,name_ru,kind,summary",
            "site/zomi,Zomi barracks,Зоми,barracks,"
            "Barracks at a small place east of the river with a long history of its own.",
        ],
        "events.csv": events,
        "sources.csv": ["id,title,kind,summary", "source/s,A source,letter,Nothing."],
    }
    for name, lines in files.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    build_archive(folder, tmp_path / "zomi.db")
    connection = _open(tmp_path / "zomi.db")
    try:
        capped = ids(search.search(connection, "Zomi", limit=5))
        assert capped == ids(search.search(connection, "Zomi", limit=5, exhaustive=True))
        assert capped[0] == "site/zomi"
    finally:
        connection.close()
