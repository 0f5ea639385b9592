"""The chronology as plain data and geometry: date ranges, timeline events, lanes, rows,
the time scale and its ticks. The Qt timeline (`ui/features/pictures/timeline.py`) only
draws what this module works out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from archive_browser.core.archive import ArchiveReader
from archive_browser.core.dates import DateError, PartialDate, parse_edtf, parse_human
from archive_browser.core.filters import OPEN_EARLIEST, OPEN_LATEST, DateSpan

MAX_DRAWN = 2000  # a million-event archive draws the first 2,000 in range, and says so
THEME_ORDER = ("diplomacy", "politics", "war", "aviation", "armour", "chemical weapons", "navy")
DAYS_PER_YEAR = 365.2425
DEFAULT_YEARS = (1919, 1941)  # the axis of an empty chronology


@dataclass(frozen=True)
class DateRange:
    """The dates the user narrowed the chronology to; None is an open end."""

    earliest: str | None = None
    latest: str | None = None

    @property
    def is_open(self) -> bool:
        return self.earliest is None and self.latest is None

    def bounds(self) -> tuple[str, str]:
        return self.earliest or OPEN_EARLIEST, self.latest or OPEN_LATEST

    def span(self) -> DateSpan | None:
        """The typed filter for `ArchiveReader.ids("event", ...)`, None when nothing is
        narrowed."""
        if self.is_open:
            return None
        earliest, latest = self.bounds()
        return DateSpan(earliest, latest)

    def days(self) -> tuple[int | None, int | None]:
        """The first and last day of the range as `date.toordinal()`s; None: an open end."""
        return (
            _ordinal(self.earliest) if self.earliest else None,
            _ordinal(self.latest) if self.latest else None,
        )

    def describe(self) -> str:
        if self.is_open:
            return "all dates"
        if self.latest is None:
            return f"from {self.earliest}"
        if self.earliest is None:
            return f"until {self.latest}"
        return f"{self.earliest} to {self.latest}"


DATE_FORMS_HINT = "Try 1922, summer 1922, April 1922 or 1922-04-15."
# Reasons a historian reads without knowing EDTF: a day that the month does not have.
_PLAIN_REASON = re.compile(r"[A-Z][a-z]+( \d{4})? has \d+ days|days are numbered from 1")


class RangeError(DateError):
    """A date range typed into the From/To fields that cannot be used. Its message is one
    plain sentence for historians (no EDTF terms) that says what to type instead."""

    def __init__(self, text: str, reason: str, message: str) -> None:
        super().__init__(text, reason)
        self.args = (message,)

    def __str__(self) -> str:
        return str(self.args[0])


def _read_field(text: str) -> PartialDate:
    try:
        return parse_human(text)
    except DateError as error:
        typed = text.strip()
        if _PLAIN_REASON.fullmatch(error.reason):
            message = f"Cannot read '{typed}' as a date: {error.reason}. {DATE_FORMS_HINT}"
        else:
            message = f"Cannot read '{typed}' as a date. {DATE_FORMS_HINT}"
        raise RangeError(typed, error.reason, message) from error


def parse_range(from_text: str, to_text: str) -> DateRange:
    """What the two date fields say as a range: From's earliest day to To's latest day.

    Each field takes what `from_human` reads ("1922", "summer 1922", "April 1922", EDTF);
    an empty field is an open end. Raises RangeError (a DateError whose message is plain
    language) for an unreadable field or a range that ends before it starts.
    """
    earliest = _read_field(from_text).earliest if from_text.strip() else None
    latest = _read_field(to_text).latest if to_text.strip() else None
    if earliest and latest and latest < earliest:
        raise RangeError(
            f"{from_text} – {to_text}",
            "the range ends before it starts",
            f"The range ends before it starts: '{to_text.strip()}' is earlier than "
            f"'{from_text.strip()}'. Swap the two dates.",
        )
    return DateRange(earliest, latest)


@dataclass(frozen=True)
class TimelineEvent:
    record_id: str
    title: str
    theme: str
    display: str
    start: int  # date.toordinal() of the earliest day it may mean
    end: int  # ... and of the latest (inclusive); for an open end, the known end
    shape: str  # point | bar | span (a single date of coarser precision than a day)
    faded: bool  # approximate or uncertain
    open_start: bool = False
    open_end: bool = False

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> TimelineEvent | None:
        """The event of an `events` row; None for a row whose date cannot be read."""
        try:
            parsed = parse_edtf(row.get("date") or "")
        except DateError:
            return None
        start = _ordinal(parsed.earliest)
        end = _ordinal(parsed.latest)
        if parsed.start_open:
            start = end
        if parsed.end_open:
            end = start
        if parsed.is_interval:
            shape = "bar"
        elif parsed.precision == "day":
            shape = "point"
        else:
            shape = "span"
        return cls(
            record_id=row["id"],
            title=row.get("title") or row["id"],
            theme=row.get("theme") or "",
            display=parsed.display,
            start=start,
            end=end,
            shape=shape,
            faded=parsed.approximate or parsed.uncertain,
            open_start=parsed.start_open,
            open_end=parsed.end_open,
        )


def _ordinal(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


def load_events(
    reader: ArchiveReader, date_range: DateRange, cap: int = MAX_DRAWN
) -> tuple[int, list[TimelineEvent]]:
    """(events in range, the first `cap` of them in date order): the worker's query."""
    rids = reader.ids("event", sort_column="date", narrow=date_range.span())
    drawn = rids[:cap]
    rows = reader.rows("event", drawn)
    events = [TimelineEvent.from_row(rows[rid]) for rid in drawn if rid in rows]
    return len(rids), [e for e in events if e is not None]


def pack_rows(extents: Sequence[tuple[float, float]]) -> list[int]:
    """Give each (start, end) the first row where it overlaps nothing; extents sorted by start."""
    row_ends: list[float] = []
    rows: list[int] = []
    for start, end in extents:
        for row, row_end in enumerate(row_ends):
            if row_end <= start:
                row_ends[row] = end
                rows.append(row)
                break
        else:
            row_ends.append(end)
            rows.append(len(row_ends) - 1)
    return rows


def year_step(pixels_per_year: float, min_spacing: float = 44.0) -> int:
    """The years between two labelled ticks, so that labels never touch."""
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if step * pixels_per_year >= min_spacing:
            return step
    return 1000


def lane_themes(events: Iterable[TimelineEvent]) -> list[str]:
    """The lanes' themes, top to bottom: the known themes in their order, then the rest."""
    present = {e.theme for e in events}
    themes = [t for t in THEME_ORDER if t in present]
    return themes + sorted(present - set(themes))


def axis_years(events: Sequence[TimelineEvent]) -> tuple[int, int]:
    """The first and last year the axis shows: every drawn event's days fit in."""
    if not events:
        return DEFAULT_YEARS
    first = min(date.fromordinal(e.start).year for e in events)
    last = max(date.fromordinal(e.end).year for e in events)
    return first, last


def central_years(events: Sequence[TimelineEvent]) -> tuple[int, int] | None:
    """The 5th to 95th percentile of the events' starts, as years (None without events):
    one event in 2016 should not shrink the interwar years to a sliver."""
    if not events:
        return None
    starts = sorted(e.start for e in events)
    low = starts[int(0.05 * (len(starts) - 1))]
    high = starts[math.ceil(0.95 * (len(starts) - 1))]
    return date.fromordinal(low).year, date.fromordinal(high).year


@dataclass
class TimeScale:
    """Days to x: `pixels_per_year` from 1 January of `first_year`, which lies at `left`."""

    first_year: int = DEFAULT_YEARS[0]
    last_year: int = DEFAULT_YEARS[1]
    pixels_per_year: float = 100.0
    left: float = 0.0

    def x_of_ordinal(self, ordinal: float) -> float:
        origin = date(self.first_year, 1, 1).toordinal()
        return self.left + (ordinal - origin) * self.pixels_per_year / DAYS_PER_YEAR

    def ordinal_of_x(self, x: float) -> float:
        origin = date(self.first_year, 1, 1).toordinal()
        return origin + (x - self.left) * DAYS_PER_YEAR / self.pixels_per_year

    def x_of_year(self, year: int) -> float:
        return self.x_of_ordinal(date(year, 1, 1).toordinal())

    def mark_span(self, event: TimelineEvent) -> tuple[float, float]:
        """(left, right) of an interval's or a vague date's bar; an open end runs to the
        axis' edge. A day's point is centred at `x_of_ordinal(event.start + 0.5)`."""
        left = self.x_of_ordinal(event.start)
        right = self.x_of_ordinal(event.end + 1)
        if event.open_start:
            left = self.x_of_year(self.first_year)
        if event.open_end:
            right = self.x_of_year(self.last_year + 1)
        return left, right

    def labelled_years(self) -> list[int]:
        """The years whose tick carries a label at this zoom."""
        step = year_step(self.pixels_per_year)
        return [y for y in range(self.first_year, self.last_year + 2) if y % step == 0 or step == 1]

    def minor_years(self) -> list[int]:
        """The years with a short unlabelled tick (between labelled ones)."""
        step = year_step(self.pixels_per_year)
        minor = 1 if step <= 10 else step // 5
        labelled = set(self.labelled_years())
        return [
            y
            for y in range(self.first_year, self.last_year + 2)
            if y not in labelled and y % minor == 0
        ]
