"""The chronology's pure parts: date ranges, row packing, lanes, the time scale, ticks."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive_browser.core.chronology import (
    DateRange,
    TimelineEvent,
    TimeScale,
    axis_years,
    central_years,
    lane_themes,
    pack_rows,
    parse_range,
    year_step,
)
from archive_browser.core.dates import DateError
from archive_browser.core.filters import DateSpan


def event(record_id: str, edtf: str, theme: str = "politics") -> TimelineEvent:
    parsed = TimelineEvent.from_row(
        {"id": record_id, "title": record_id, "theme": theme, "date": edtf}
    )
    assert parsed is not None
    return parsed


def test_parse_range_reads_human_dates_from_earliest_to_latest() -> None:
    assert parse_range("summer 1922", "1923") == DateRange("1922-06-01", "1923-12-31")
    assert parse_range("", "April 1922") == DateRange(None, "1922-04-30")
    assert parse_range("", "") == DateRange()
    assert DateRange().span() is None
    assert DateRange("1922-06-01", None).span() == DateSpan("1922-06-01", "9999-12-31")
    with pytest.raises(DateError):
        parse_range("1930", "1920")
    with pytest.raises(DateError):
        parse_range("no such date", "")


def test_a_range_that_cannot_be_read_is_explained_in_plain_words() -> None:
    hint = "Try 1922, summer 1922, April 1922 or 1922-04-15."
    cases = {
        ("sumer 1922", ""): f"Cannot read 'sumer 1922' as a date. {hint}",
        ("", "1922-13"): f"Cannot read '1922-13' as a date. {hint}",
        (" 32 June 1941", ""): f"Cannot read '32 June 1941' as a date: June has 30 days. {hint}",
        ("1930", "1920"): (
            "The range ends before it starts: '1920' is earlier than '1930'. Swap the two dates."
        ),
    }
    for (from_text, to_text), message in cases.items():
        with pytest.raises(DateError) as raised:
            parse_range(from_text, to_text)
        assert str(raised.value) == message
        assert "EDTF" not in message and "season" not in message


def test_a_range_knows_its_days() -> None:
    assert parse_range("1926", "summer 1927").days() == (
        date(1926, 1, 1).toordinal(),
        date(1927, 8, 31).toordinal(),
    )
    assert DateRange(None, "1922-04-30").days() == (None, date(1922, 4, 30).toordinal())


@settings(max_examples=60, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 500), st.integers(1, 80)), max_size=40))
def test_pack_rows_never_puts_two_overlapping_extents_in_one_row(spans) -> None:
    extents = sorted((float(s), float(s + w)) for s, w in spans)
    rows = pack_rows(extents)
    assert len(rows) == len(extents)
    for i, (a_start, a_end) in enumerate(extents):
        for j in range(i + 1, len(extents)):
            b_start, b_end = extents[j]
            if rows[i] == rows[j]:
                assert a_end <= b_start or b_end <= a_start
    # Greedy packing uses no more rows than the deepest pile of overlapping extents.
    depth = max((sum(1 for s, e in extents if s <= x < e) for x, _ in extents), default=0)
    assert (max(rows) + 1 if rows else 0) == depth


def test_year_labels_never_crowd() -> None:
    for pixels in (3.0, 10.0, 30.0, 60.0, 400.0):
        assert year_step(pixels) * pixels >= 44


def test_an_unreadable_date_makes_no_event() -> None:
    assert TimelineEvent.from_row({"id": "event/x", "date": "no such date"}) is None


def test_shapes_follow_the_kind_of_date() -> None:
    assert event("event/day", "1922-04-16").shape == "point"
    assert event("event/period", "1925/1933").shape == "bar"
    assert event("event/vague", "1922").shape == "span"
    open_ended = event("event/open", "1925/..")
    assert open_ended.open_end and open_ended.start == open_ended.end


def test_lanes_put_the_known_themes_first_in_their_order() -> None:
    events = [
        event("a", "1922", "zeppelins"),
        event("b", "1923", "war"),
        event("c", "1924", "diplomacy"),
    ]
    assert lane_themes(events) == ["diplomacy", "war", "zeppelins"]


def test_the_axis_spans_every_event_and_has_a_default() -> None:
    assert axis_years([]) == (1919, 1941)
    assert axis_years([event("a", "1922-04-16"), event("b", "1925/1933")]) == (1922, 1933)


def test_central_years_ignore_a_lone_outlier() -> None:
    events = [event(f"e{i}", str(1920 + i % 20)) for i in range(100)] + [event("late", "2016")]
    # Five events a year, 1920-1939: the 5th percentile is the sixth start, the 95th the 96th.
    assert central_years(events) == (1921, 1939)
    assert central_years([]) is None


def test_the_scale_maps_days_to_x_and_back() -> None:
    scale = TimeScale(first_year=1920, last_year=1930, pixels_per_year=100.0, left=50.0)
    assert scale.x_of_year(1920) == 50.0
    assert scale.x_of_year(1921) == pytest.approx(50.0 + 100.0 * 366 / 365.2425)
    day = date(1925, 7, 1).toordinal()
    assert scale.ordinal_of_x(scale.x_of_ordinal(day)) == pytest.approx(day)


def test_an_open_end_runs_to_the_edge_of_the_axis() -> None:
    scale = TimeScale(first_year=1920, last_year=1930, pixels_per_year=10.0)
    left, right = scale.mark_span(event("event/open", "1925/.."))
    assert left == pytest.approx(scale.x_of_ordinal(date(1925, 1, 1).toordinal()))
    assert right == scale.x_of_year(1931)


def test_ticks_label_every_step_and_mark_the_years_between() -> None:
    scale = TimeScale(first_year=1919, last_year=1941, pixels_per_year=10.0)
    step = year_step(10.0)
    assert step == 5
    assert scale.labelled_years() == [1920, 1925, 1930, 1935, 1940]
    assert set(scale.minor_years()).isdisjoint(scale.labelled_years())
    assert 1921 in scale.minor_years()
