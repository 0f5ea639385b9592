"""Partial and uncertain dates: EDTF parsing, bounds, sort order, display, everyday forms."""

from __future__ import annotations

import calendar
import csv
import random
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from archive_browser.core.dates import (
    DateError,
    PartialDate,
    from_human,
    overlaps,
    parse_edtf,
    parse_human,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DATE_COLUMNS = ("date", "born", "died", "period")

# What a user types -> EDTF -> what the program shows.
HUMAN_TABLE = [
    ("22 June 1941", "1941-06-22", "22 June 1941"),
    ("June 22, 1941", "1941-06-22", "22 June 1941"),
    ("22nd June 1941", "1941-06-22", "22 June 1941"),
    ("1941-06-22", "1941-06-22", "22 June 1941"),
    ("16.04.1922", "1922-04-16", "16 April 1922"),
    ("22. Juni 1941", "1941-06-22", "22 June 1941"),
    ("22 июня 1941 г.", "1941-06-22", "22 June 1941"),
    ("April 1922", "1922-04", "April 1922"),
    ("Apr. 1922", "1922-04", "April 1922"),
    ("1922", "1922", "1922"),
    ("summer 1922", "1922-22", "summer 1922"),
    ("Spring 1925", "1925-21", "spring 1925"),
    ("fall 1939", "1939-23", "autumn 1939"),
    ("autumn 1939", "1939-23", "autumn 1939"),
    ("winter 1922/23", "1922-24", "winter 1922"),
    ("summer 1922 (southern hemisphere)", "1922-30", "summer 1922 (southern hemisphere)"),
    ("first quarter of 1922", "1922-33", "first quarter of 1922"),
    ("Q4 1922", "1922-36", "fourth quarter of 1922"),
    ("1920s", "192X", "1920s"),
    ("the 1920's", "192X", "1920s"),
    ("192X", "192X", "1920s"),
    ("19XX", "19XX", "1900–1999"),
    ("c. 1919", "1919~", "c. 1919"),
    ("circa 1919", "1919~", "c. 1919"),
    ("ca. 1919", "1919~", "c. 1919"),
    ("~1919", "1919~", "c. 1919"),
    ("c. 1920s", "192X~", "c. 1920s"),
    ("1936?", "1936?", "1936?"),
    ("?1936", "1936?", "1936?"),
    ("probably 1936", "1936?", "1936?"),
    ("June 1941?", "1941-06?", "June 1941?"),
    ("%1936", "1936%", "c. 1936?"),
    ("c. 1936?", "1936%", "c. 1936?"),
    ("1926-12-03?", "1926-12-03?", "3 December 1926?"),
    ("1925-1933", "1925/1933", "1925–1933"),
    ("1925–1933", "1925/1933", "1925–1933"),
    ("from 1925 to 1933", "1925/1933", "1925–1933"),
    ("between 1925 and 1933", "1925/1933", "1925–1933"),
    ("1925-04/1933-09", "1925-04/1933-09", "April 1925 – September 1933"),
    ("April 1925 – September 1933", "1925-04/1933-09", "April 1925 – September 1933"),
    ("from 1925", "1925/..", "from 1925"),
    ("since 1925", "1925/..", "from 1925"),
    ("1925 onwards", "1925/..", "from 1925"),
    ("22.06.1941 to 1942", "1941-06-22/1942", "22 June 1941 – 1942"),
    ("1925/..", "1925/..", "from 1925"),
    ("until 1933", "../1933", "until 1933"),
    ("../1933", "../1933", "until 1933"),
    ("1925–?", "1925/", "1925–?"),
]

BOUNDS_TABLE = [
    ("1941-06-22", "1941-06-22", "1941-06-22"),
    ("1922-04", "1922-04-01", "1922-04-30"),
    ("1924-02", "1924-02-01", "1924-02-29"),
    ("1922", "1922-01-01", "1922-12-31"),
    ("1922-21", "1922-03-01", "1922-05-31"),
    ("1922-22", "1922-06-01", "1922-08-31"),
    ("1922-23", "1922-09-01", "1922-11-30"),
    ("1922-24", "1922-12-01", "1923-02-28"),
    ("1923-24", "1923-12-01", "1924-02-29"),
    ("1922-33", "1922-01-01", "1922-03-31"),
    ("192X", "1920-01-01", "1929-12-31"),
    ("19XX", "1900-01-01", "1999-12-31"),
    ("1919~", "1919-01-01", "1919-12-31"),
    ("1925/1933", "1925-01-01", "1933-12-31"),
    ("1925-04/1933-09", "1925-04-01", "1933-09-30"),
    ("1925/..", "1925-01-01", "9999-12-31"),
    ("../1933", "0001-01-01", "1933-12-31"),
]

# Each line sorts before the next: by earliest day, and on a tie the wider date first.
EXPECTED_ORDER = [
    "../1933",  # an open start sorts before every date
    "192X",
    "1920",
    "1921-23",
    "1922/1925",  # same start as 1922, but longer
    "1922",
    "1922-33",  # first quarter
    "1922-01",
    "1922-01-01",
    "1922-04-16",
    "1922-22",  # summer
    "1922-22~",  # same bounds: the qualified form after the plain one
    "1922-06",
    "1922-24",  # winter 1922 starts in December 1922
    "1923",
    "1925/..",
    "1925-04/1933-09",
    "1941-06-22",
]

INVALID = [
    ("", "empty"),
    ("   ", "empty"),
    ("garbage", "EDTF"),
    ("1922-13", "month"),
    ("1922-40", "season"),
    ("1922-00", "month"),
    ("1922-04-32", "April has 30 days"),
    ("1941-06-31", "June has 30 days"),
    ("2023-02-29", "February 2023 has 28 days"),
    ("1922-04-00", "from 1"),
    ("0000", "0001"),
    ("-0044", "0001"),
    ("0XXX", "0001"),
    ("19X5", "X"),
    ("XXXX", "X"),
    ("1933/1925", "ends before it starts"),
    ("../..", "known end"),
    ("1925/1930/1933", "one '/'"),
    ("1985-04-12T10:00", "times"),
    ("[1667,1668]", "sets"),
    ("1919-~06", "qualif"),
    ("~", "qualifier"),
    ("9999-24", "9999"),
    ("22", "EDTF"),
    ("1922 04", "EDTF"),
]


@pytest.mark.parametrize(("typed", "edtf", "display"), HUMAN_TABLE)
def test_everyday_form_becomes_edtf_and_displays(typed: str, edtf: str, display: str) -> None:
    assert from_human(typed) == edtf
    assert parse_edtf(edtf).display == display
    assert parse_human(typed) == parse_edtf(edtf)


@pytest.mark.parametrize(("edtf", "earliest", "latest"), BOUNDS_TABLE)
def test_bounds(edtf: str, earliest: str, latest: str) -> None:
    parsed = parse_edtf(edtf)
    assert (parsed.earliest, parsed.latest) == (earliest, latest)


def test_cross_precision_order_of_the_issue() -> None:
    year, day, summer = (parse_edtf(t).sort_key for t in ("1922", "1922-04-16", "1922-22"))
    assert year < day < summer


def test_sort_key_orders_every_precision() -> None:
    shuffled = EXPECTED_ORDER[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=lambda t: parse_edtf(t).sort_key) == EXPECTED_ORDER


def test_sort_key_orders_the_same_in_sqlite() -> None:
    db = sqlite3.connect(":memory:")
    db.execute('CREATE TABLE "events" ("edtf" TEXT, "date_sort" TEXT)')
    shuffled = EXPECTED_ORDER[::-1]
    db.executemany(
        'INSERT INTO "events" VALUES (?, ?)', [(t, parse_edtf(t).sort_key) for t in shuffled]
    )
    rows = db.execute('SELECT "edtf" FROM "events" ORDER BY "date_sort"').fetchall()
    assert [r[0] for r in rows] == EXPECTED_ORDER


@pytest.mark.parametrize(("text", "reason_part"), INVALID)
def test_invalid_dates_raise_one_readable_sentence(text: str, reason_part: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_edtf(text)
    message = str(caught.value)
    assert message.startswith(f'"{text}" is not a valid date: ')
    assert reason_part.lower() in message.lower()
    assert message.endswith(".") and "\n" not in message


def test_human_errors_name_what_the_user_typed() -> None:
    with pytest.raises(DateError, match=r'^"31 June 1941" is not a valid date: June has 30 days'):
        from_human("31 June 1941")
    with pytest.raises(DateError, match="ambiguous"):
        from_human("04/16/1922")
    with pytest.raises(DateError, match=r'"Smarch" is not a month name'):
        from_human("Smarch 1922")
    with pytest.raises(DateError, match="only a winter spans two years"):
        from_human("summer 1922/23")
    with pytest.raises(DateError, match="June has 30 days"):
        from_human("1941-06-31")  # EDTF-shaped: the EDTF reason, not the generic hint
    with pytest.raises(DateError, match="empty"):
        from_human("  ")


def test_error_message_stays_one_short_line_for_any_text() -> None:
    with pytest.raises(DateError) as caught:
        parse_edtf("19\n22" + "x" * 200)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300


def test_qualifiers_are_normalised_and_flagged() -> None:
    assert parse_edtf("~1919") == parse_edtf("1919~")
    both = parse_edtf("%1936")
    assert (both.edtf, both.approximate, both.uncertain) == ("1936%", True, True)
    uncertain = parse_edtf("1936?")
    assert (uncertain.approximate, uncertain.uncertain) == (False, True)
    plain = parse_edtf("1936")
    assert (plain.approximate, plain.uncertain, plain.is_interval) == (False, False, False)


def test_interval_fields() -> None:
    closed = parse_edtf("1925~/1933")
    assert (closed.is_interval, closed.approximate, closed.start_open, closed.end_open) == (
        True,
        True,
        False,
        False,
    )
    assert parse_edtf("1925/..").end_open and not parse_edtf("1925/..").start_open
    assert parse_edtf("../1933").start_open
    assert parse_edtf("1922-22").precision == "season"
    assert parse_edtf("192X").precision == "decade"


def test_overlaps_matches_a_filter_range() -> None:
    twenties = parse_human("1920s")
    assert overlaps(parse_edtf("1925/1933"), twenties)
    assert overlaps(parse_edtf("../1921"), twenties)
    assert overlaps(parse_edtf("1929-24"), twenties)  # winter 1929 reaches into 1930
    assert not overlaps(parse_edtf("1930-03"), twenties)


def _date_cells() -> list[tuple[str, int, str, str]]:
    cells = []
    for path in sorted(DATA_DIR.glob("*.csv")):
        text = path.read_text(encoding="utf-8-sig")
        header = text.partition("\n")[0]
        delimiter = ";" if header.count(";") > header.count(",") else ","
        reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
        for row in reader:
            for column in DATE_COLUMNS:
                value = (row.get(column) or "").strip()
                if value:
                    cells.append((path.name, reader.line_num, column, value))
    return cells


def test_every_date_in_the_data_files_parses() -> None:
    cells = _date_cells()
    assert cells, "data/*.csv holds no dates: this test would check nothing"
    problems = []
    for name, line, column, value in cells:
        try:
            parsed = parse_edtf(value)
        except DateError as exc:
            problems.append(f"{name}:{line}: {column}: {exc}")
            continue
        if parsed.earliest > parsed.latest:
            problems.append(f"{name}:{line}: {column}: bounds out of order")
    assert problems == []


# --- properties --------------------------------------------------------------------------

EDTF_ALPHABET = "0123456789-/.~?%XxT:[]{} Y"


@settings(max_examples=300, derandomize=True)
@given(st.one_of(st.text(), st.text(alphabet=EDTF_ALPHABET, max_size=24)))
def test_arbitrary_text_raises_only_date_error(text: str) -> None:
    for parse in (parse_edtf, from_human):
        try:
            parse(text)
        except DateError as exc:
            assert "\n" not in str(exc)


@st.composite
def bare_dates(draw: st.DrawFn) -> str:
    year = draw(st.integers(1, 9998) | st.integers(1900, 1945))
    kind = draw(st.sampled_from(["year", "month", "day", "season", "decade", "century"]))
    if kind == "month":
        return f"{year:04d}-{draw(st.integers(1, 12)):02d}"
    if kind == "day":
        month = draw(st.integers(1, 12))
        day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
        return f"{year:04d}-{month:02d}-{day:02d}"
    if kind == "season":
        return f"{year:04d}-{draw(st.integers(21, 36))}"
    if kind == "decade":
        return f"{max(year // 10, 1):03d}X"
    if kind == "century":
        return f"{max(year // 100, 1):02d}XX"
    return f"{year:04d}"


@st.composite
def qualified_dates(draw: st.DrawFn) -> str:
    return draw(bare_dates()) + draw(st.sampled_from(["", "", "~", "?", "%"]))


@st.composite
def valid_dates(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(["single", "single", "interval", "open-end", "open-start"]))
    if shape == "single":
        return draw(qualified_dates())
    if shape == "open-end":
        return f"{draw(qualified_dates())}/{draw(st.sampled_from(['..', '']))}"
    if shape == "open-start":
        return f"{draw(st.sampled_from(['..', '']))}/{draw(qualified_dates())}"
    first, second = draw(qualified_dates()), draw(qualified_dates())
    if parse_edtf(first).earliest > parse_edtf(second).latest:
        first, second = second, first
    return f"{first}/{second}"


@settings(max_examples=200, derandomize=True)
@given(valid_dates())
def test_valid_dates_have_ordered_bounds_and_normalise_stably(text: str) -> None:
    parsed = parse_edtf(text)
    assert parsed.earliest <= parsed.latest
    assert date.fromisoformat(parsed.earliest) <= date.fromisoformat(parsed.latest)
    assert parse_edtf(parsed.edtf) == parsed
    assert parsed.sort_key.startswith(parsed.earliest)
    assert parsed.sort_key.isascii() and parsed.display


@settings(max_examples=200, derandomize=True)
@given(valid_dates())
def test_display_reads_back_to_the_same_date(text: str) -> None:
    parsed = parse_edtf(text)
    # A century shows as "1900–1999", itself a range: inside an interval it cannot read back.
    assume(not (parsed.is_interval and "XX" in parsed.edtf))
    again = parse_edtf(from_human(parsed.display))
    assert (again.earliest, again.latest) == (parsed.earliest, parsed.latest)
    assert (again.approximate, again.uncertain) == (parsed.approximate, parsed.uncertain)


def _width(parsed: PartialDate) -> int:
    return (date.fromisoformat(parsed.latest) - date.fromisoformat(parsed.earliest)).days


@settings(max_examples=200, derandomize=True)
@given(qualified_dates(), qualified_dates())
def test_sort_key_is_earliest_then_wider_first(first: str, second: str) -> None:
    a, b = parse_edtf(first), parse_edtf(second)
    if a.earliest != b.earliest:
        assert (a.sort_key < b.sort_key) == (a.earliest < b.earliest)
    elif _width(a) != _width(b):
        assert (a.sort_key < b.sort_key) == (_width(a) > _width(b))
