"""Hostile input, fuzzed: nothing a user types or imports makes an exception escape.

Every fuzzed entry point either succeeds or fails with the one error type it documents, and
that error reads as one sentence. The suite runs a modest number of cases per test;
`ARCHIVE_BROWSER_FULL_COUNTS=1` (scripts/reliability_full.sh) raises it to 10,000 and
`ARCHIVE_BROWSER_COUNTS_FILE` collects how many cases really ran, for docs/reliability.md.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_browser.core import search as search_module
from archive_browser.core.archive import Archive
from archive_browser.core.citations import Citation, parse_citations
from archive_browser.core.dates import DateError, from_human, parse_edtf
from archive_browser.core.importer import BuildError, build_archive
from archive_browser.core.record_types import RECORD_TYPES
from archive_browser.core.search import query as search_query

FULL = os.environ.get("ARCHIVE_BROWSER_FULL_COUNTS") == "1"
CASES = 10_000 if FULL else 300
# Each import case writes files and may build a database: fewer in the everyday suite.
IMPORT_CASES = 10_000 if FULL else 120

FUZZ = settings(
    max_examples=CASES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FUZZ_IMPORT = settings(FUZZ, max_examples=IMPORT_CASES)

COUNTS: Counter[str] = Counter()  # cases run, reported by conftest.report_counts
pytestmark = pytest.mark.usefixtures("report_counts")


def assert_one_sentence(message: str) -> None:
    """What the user reads: one line, a full stop, nothing of the program's insides."""
    assert message.strip(), "empty message"
    assert "\n" not in message and "\r" not in message, message
    assert message.rstrip().endswith((".", ".)")), message
    assert "Traceback" not in message, message
    assert not re.search(r"object at 0x[0-9a-f]+|<class '|sqlite3\.\w+Error", message), message


# ----------------------------------------------------------------------------- strategies

FTS_SYNTAX = [
    '"',
    "'",
    "(",
    ")",
    "((",
    "))",
    "*",
    "^",
    ":",
    "-",
    "+",
    "{",
    "}",
    "[",
    "]",
    ",",
    ";",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(",
    "NEAR(a b, 2)",
    "title:",
    "{title body}:",
    "rank",
    "MATCH",
    "\x00",
    "\\",
    "%",
    "_",
    "'; DROP TABLE records; --",
    '") OR ("',
    "\u200f",
    "\u200e",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\u0301",
    "\u00a0",
    "\t",
    "\n",
]
WORDS = [
    "Lipetsk",
    "Seeckt",
    "Тухачевский",
    "Tuchatschewski",
    "ёлка",
    "Ёж",
    "Kazan",
    "Kama",
    "Junkers",
    "Rapallo",
    "Müller",
    "straße",
    "ΑΒΓ",
    "עברית",
    "العربية",
    "中文",
    "🙂",
    "fond",
    "ф. 33987",
    "Reichswehr",
    "x" * 300,
]
TOKENS = st.sampled_from(FTS_SYNTAX + WORDS)
hostile_queries = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(TOKENS, st.text(max_size=6)), max_size=14).map(" ".join),
    st.lists(TOKENS, max_size=14).map("".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=2000),
)
DATE_ALPHABET = "0123456789-/~?%X.,:+ uUsSeEpPxzZ–—" + "summer winter spring fall c. June"
hostile_dates = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=DATE_ALPHABET, max_size=30),
    st.lists(
        st.sampled_from(
            [
                "1922",
                "06",
                "22",
                "-",
                "/",
                "~",
                "?",
                "%",
                "..",
                "X",
                "summer",
                "c.",
                "June",
                "between",
                "and",
                "to",
                "1920s",
                "early",
                "late",
                "fall",
                "\x00",
                "\u200f",
                " ",
            ]
        ),
        max_size=10,
    ).map("".join),
    st.text(min_size=100, max_size=3000),
)
CITATION_PIECES = [
    "РГВА",
    "RGVA",
    "ф.",
    "f.",
    "оп.",
    "op.",
    "д.",
    "d.",
    "л.",
    "ll.",
    "BArch",
    "RH 2/",
    "PA AA",
    "R 1234",
    "NARA",
    "T-77",
    "roll",
    "frame",
    "TNA",
    "FO 371/",
    "33987",
    "3",
    "1a",
    "–",
    "-",
    ",",
    ";",
    ".",
    " ",
    "об.",
    "\u200f",
    "\x00",
    "(",
    ")",
    "[",
    "]",
    "Ф.",
    "ЦХИДК",
]
hostile_citations = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(CITATION_PIECES), max_size=40).map("".join),
    st.lists(st.sampled_from(CITATION_PIECES), max_size=60).map(" ".join),
)


# ----------------------------------------------------------------------------- search box


@pytest.fixture(scope="module")
def opened_archive(built_archive: Path) -> Iterator[Archive]:
    with Archive.open(built_archive) as archive:
        yield archive


@FUZZ
@given(query=hostile_queries)
def test_search_box_never_raises(opened_archive: Archive, query: str) -> None:
    COUNTS["search box (Archive.search)"] += 1
    hits = opened_archive.search(query)
    assert isinstance(hits, list)
    for hit in hits:
        assert opened_archive.type_of(hit.id) == hit.type


@FUZZ
@given(query=hostile_queries, type_name=st.sampled_from(sorted(RECORD_TYPES)))
def test_tab_filter_never_raises(opened_archive: Archive, query: str, type_name: str) -> None:
    COUNTS["tab filter (Archive.ids)"] += 1
    rids = opened_archive.ids(type_name, query)
    assert len(rids) <= opened_archive.total(type_name)


@FUZZ
@given(query=hostile_queries)
def test_fts_query_is_always_valid_fts5(opened_archive: Archive, query: str) -> None:
    # The query builder alone, straight against the index: MATCH must accept what it makes.
    COUNTS["FTS5 query builder (fts_query)"] += 1
    expression = search_module.fts_query(query)
    if expression is None:
        assert not search_query.literal_words(query)
        return
    table = search_module.FTS_TABLE
    sql = f'SELECT count(*) FROM "{table}" WHERE "{table}" MATCH ?'
    opened_archive.conn.execute(sql, (expression,)).fetchone()


def test_huge_queries_answer_without_raising(opened_archive: Archive) -> None:
    for query in ["Lipetsk " * 20_000, "(" * 100_000, '"' * 50_001, "\x00" * 10_000]:
        assert isinstance(opened_archive.search(query), list)
        assert len(opened_archive.ids("person", query)) <= opened_archive.total("person")


# ----------------------------------------------------------------------------- parsers


@FUZZ
@given(text=hostile_citations)
def test_citation_parser_never_raises(text: str) -> None:
    COUNTS["citation parser (parse_citations)"] += 1
    found = parse_citations(text)
    assert isinstance(found, list)
    assert all(isinstance(c, Citation) for c in found)


@FUZZ
@given(text=hostile_dates)
def test_parse_edtf_raises_only_a_readable_date_error(text: str) -> None:
    COUNTS["date parser (parse_edtf)"] += 1
    try:
        parsed = parse_edtf(text)
    except DateError as error:
        assert_one_sentence(str(error))
        return
    assert parsed.earliest <= parsed.latest


@FUZZ
@given(text=hostile_dates)
def test_from_human_raises_only_a_readable_date_error(text: str) -> None:
    COUNTS["date parser (from_human)"] += 1
    try:
        edtf = from_human(text)
    except DateError as error:
        assert_one_sentence(str(error))
        return
    assert parse_edtf(edtf).edtf == edtf  # what it returns is normalised, valid EDTF


# ----------------------------------------------------------------------------- import reader

PEOPLE_HEADER = b"id,name,kind,summary\n"
csv_noise = st.sampled_from(
    [
        b",",
        b";",
        b'"',
        b'""',
        b"\n",
        b"\r\n",
        b"\r",
        b"\x00",
        b"\xff",
        b"\xef\xbb\xbf",
        b"person/a",
        b"person/b",
        b"Seeckt",
        b"person",
        b"\xd0\x9f",
        b"\xd0",
        b" ",
        b"=1+1",
        b"site/x",
        b"52.6",
        b"9999",
        b"\t",
        b"a" * 200,
    ]
)
csv_bodies = st.one_of(
    st.binary(max_size=400),
    st.lists(csv_noise, max_size=60).map(b"".join),
)
file_names = st.sampled_from(
    [
        "people.csv",
        "sites.csv",
        "events.csv",
        "links.csv",
        "aliases.csv",
        "quotes.csv",
        "sources.csv",
        "other.csv",
    ]
)
PROBLEM = re.compile(r"[^\n:]+:\d+: (warning: )?[^\n]+")


@FUZZ_IMPORT
@given(
    files=st.dictionaries(
        file_names,
        st.tuples(st.booleans(), csv_bodies).map(lambda t: (PEOPLE_HEADER if t[0] else b"") + t[1]),
        min_size=1,
        max_size=3,
    )
)
def test_import_of_fuzzed_csv_raises_only_build_error_with_file_line(
    files: dict[str, bytes],
) -> None:
    COUNTS["import reader (build_archive over CSV bytes)"] += 1
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in"
        source.mkdir()
        for name, content in files.items():
            (source / name).write_bytes(content)
        out = Path(folder) / "out.db"
        try:
            report = build_archive(source, out)
        except BuildError as error:
            assert error.problems, "a BuildError must list its problems"
            assert not out.exists(), "a failed import must write nothing"
            assert_one_sentence(str(error))
            for problem in error.problems:
                assert PROBLEM.fullmatch(str(problem)), str(problem)
                assert problem.file in files or "," in problem.file or problem.file == folder
                assert_one_sentence(problem.message)
            return
        assert report.path == out
        with sqlite3.connect(out) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
