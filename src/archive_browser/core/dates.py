"""Partial and uncertain dates in EDTF (Library of Congress Extended Date/Time Format).

The archive stores every date as an EDTF string; this module turns one into the columns the
program needs: ``earliest``/``latest`` ISO bounds, a ``sort_key`` and an English ``display``.

Supported EDTF (a level 0-2 subset, see docs/dates.md):

- ``1941-06-22``, ``1922-04``, ``1922``;
- seasons ``1922-21`` .. ``1922-24`` (spring, summer, autumn, winter), ``25``-``28`` the same
  in the northern hemisphere, ``29``-``32`` in the southern, ``33``-``36`` quarters;
- unspecified trailing year digits: ``192X`` (the 1920s), ``19XX``, ``1XXX``;
- qualifiers ``~`` approximate, ``?`` uncertain, ``%`` both, before or after a date (a leading
  qualifier is read as qualifying the whole date; normalised to the trailing form);
- intervals ``1925/1933``, ``1925-04/1933-09``, open ``1925/..`` and ``../1933``, unknown end
  ``1925/`` and unknown start ``/1933``.

Sort key: dates sort by their earliest instant; on a tie the wider (coarser) date comes
first, so ``1922`` < ``1922-04`` < ``1922-04-16`` < ``1922-22`` (summer 1922), and ``192X`` <
``1920``. An interval sorts by its start (then, on a tie, the longer interval first); an open
or unknown start sorts before every date. The key is plain ASCII text of the form
``"yyyy-mm-dd wwwwwww WWWWWWW edtf"`` (earliest day, then the start's and the whole date's
width in days, each subtracted from 9999999 so that wider sorts first, then the normalised
EDTF as a final tie-break), so SQLite's default ``ORDER BY`` orders it the same as Python.

Bounds of open or unknown ends are ``0001-01-01`` and ``9999-12-31`` (``date.min``/``max``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = [
    "DateError",
    "PartialDate",
    "csl_date",
    "from_human",
    "overlaps",
    "parse_edtf",
    "parse_human",
]

_WIDTH_BASE = 9_999_999  # more than the days between date.min and date.max
_MAX_SHOWN = 60
_MAX_HUMAN_LENGTH = 80
_QUALIFIERS = "~?%"
_OPEN = ".."

_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# Not calendar.month_name: that follows the process locale, and the display is English.
MONTH_NAMES = tuple(name.capitalize() for name in _ENGLISH_MONTHS)


class DateError(ValueError):
    """An invalid date; the message is one readable sentence naming the bad text."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"{_quoted(text)} is not a valid date: {reason}.")


@dataclass(frozen=True)
class PartialDate:
    edtf: str  # normalised EDTF
    earliest: str  # ISO yyyy-mm-dd
    latest: str  # ISO yyyy-mm-dd
    sort_key: str  # orders dates of any precision; documented in the module
    display: str  # "summer 1922", "c. 1919", "1925–1933"
    approximate: bool
    uncertain: bool
    is_interval: bool
    # day | month | season | year | decade | century | millennium | interval
    precision: str = "year"
    start_open: bool = False  # an interval with an open ("..") or unknown ("") start
    end_open: bool = False


@dataclass(frozen=True)
class _Season:
    before_year: str  # the display is f"{before_year} {year}{after_year}"
    after_year: str
    first_month: int
    last_month: int  # smaller than first_month when the season runs into the next year


_NORTH, _SOUTH = " (northern hemisphere)", " (southern hemisphere)"
_SEASONS: dict[int, _Season] = {
    21: _Season("spring", "", 3, 5),
    22: _Season("summer", "", 6, 8),
    23: _Season("autumn", "", 9, 11),
    24: _Season("winter", "", 12, 2),
    25: _Season("spring", _NORTH, 3, 5),
    26: _Season("summer", _NORTH, 6, 8),
    27: _Season("autumn", _NORTH, 9, 11),
    28: _Season("winter", _NORTH, 12, 2),
    29: _Season("spring", _SOUTH, 9, 11),
    30: _Season("summer", _SOUTH, 12, 2),
    31: _Season("autumn", _SOUTH, 3, 5),
    32: _Season("winter", _SOUTH, 6, 8),
    33: _Season("first quarter of", "", 1, 3),
    34: _Season("second quarter of", "", 4, 6),
    35: _Season("third quarter of", "", 7, 9),
    36: _Season("fourth quarter of", "", 10, 12),
}


@dataclass(frozen=True)
class _Point:
    """One end of an interval, or a whole single date."""

    edtf: str  # normalised, qualifiers included
    earliest: date
    latest: date
    precision: str
    display: str
    approximate: bool
    uncertain: bool


def _quoted(text: str) -> str:
    # Keep the message one printable line whatever the text holds.
    shown = text if text.isprintable() else text.encode("unicode_escape").decode("ascii")
    if len(shown) > _MAX_SHOWN:
        shown = shown[: _MAX_SHOWN - 1] + "…"
    return f'"{shown}"'


_EDTF_EXAMPLES = (
    "write it as EDTF, for example 1941-06-22, 1922-04, 1922, 1922-22 (summer 1922), "
    "192X (the 1920s), ~1919 or 1925/1933"
)
_YEAR = re.compile(r"[0-9]{4}")
_UNSPECIFIED_YEAR = re.compile(r"(?=[0-9X]{4}$)[0-9]{1,3}X+")
_YEAR_AND_NUMBER = re.compile(r"([0-9]{4})-([0-9]{2})")
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_edtf(text: str) -> PartialDate:
    """Parse an EDTF date or interval; raise DateError (only) if it is not a valid one."""
    if not isinstance(text, str):
        raise DateError(repr(text), "a date must be text")
    stripped = text.strip()
    if not stripped:
        raise DateError(text, "the text is empty")
    if "/" in stripped:
        return _parse_interval(stripped)
    return _single(_parse_point(stripped, stripped))


def parse_human(text: str) -> PartialDate:
    """Parse what a user types (see from_human) straight into a PartialDate."""
    return parse_edtf(from_human(text))


def overlaps(a: PartialDate, b: PartialDate) -> bool:
    """Whether two dates may share a day: what a date filter should match."""
    return a.earliest <= b.latest and b.earliest <= a.latest


# ---------------------------------------------------------------------------------------------
# EDTF


def _single(point: _Point) -> PartialDate:
    width = (point.latest - point.earliest).days
    return PartialDate(
        edtf=point.edtf,
        earliest=point.earliest.isoformat(),
        latest=point.latest.isoformat(),
        sort_key=_sort_key(point.earliest, width, width, point.edtf),
        display=point.display,
        approximate=point.approximate,
        uncertain=point.uncertain,
        is_interval=False,
        precision=point.precision,
    )


def _sort_key(earliest: date, start_width: int, total_width: int, edtf: str) -> str:
    return (
        f"{earliest.isoformat()} {_WIDTH_BASE - start_width:07d} "
        f"{_WIDTH_BASE - total_width:07d} {edtf}"
    )


def _parse_interval(text: str) -> PartialDate:
    if text.count("/") > 1:
        raise DateError(text, "an interval has exactly one '/' between its start and its end")
    start_text, end_text = (part.strip() for part in text.split("/"))
    start = _parse_end(start_text, text)
    end = _parse_end(end_text, text)
    if start is None and end is None:
        raise DateError(text, "an interval needs at least one known end")
    earliest = start.earliest if start else date.min
    latest = end.latest if end else date.max
    if earliest > latest:
        raise DateError(text, "the interval ends before it starts")
    edtf = f"{_end_edtf(start, start_text)}/{_end_edtf(end, end_text)}"
    total_width = (latest - earliest).days
    start_width = (start.latest - start.earliest).days if start else total_width
    points = [p for p in (start, end) if p is not None]
    return PartialDate(
        edtf=edtf,
        earliest=earliest.isoformat(),
        latest=latest.isoformat(),
        sort_key=_sort_key(earliest, start_width, total_width, edtf),
        display=_interval_display(start, start_text, end, end_text),
        approximate=any(p.approximate for p in points),
        uncertain=any(p.uncertain for p in points),
        is_interval=True,
        precision="interval",
        start_open=start is None,
        end_open=end is None,
    )


def _parse_end(part: str, whole: str) -> _Point | None:
    """One side of an interval: a date, or None for an open ("..") or unknown ("") end."""
    if part in ("", _OPEN):
        return None
    return _parse_point(part, whole)


def _end_edtf(point: _Point | None, part: str) -> str:
    return point.edtf if point else part


def _interval_display(
    start: _Point | None, start_text: str, end: _Point | None, end_text: str
) -> str:
    if start is None:
        assert end is not None  # _parse_interval refuses two missing ends
        return f"until {end.display}" if start_text == _OPEN else f"?–{end.display}"
    if end is None:
        return f"from {start.display}" if end_text == _OPEN else f"{start.display}–?"
    dash = " – " if " " in start.display + end.display else "–"
    return f"{start.display}{dash}{end.display}"


def _split_qualifiers(text: str, whole: str) -> tuple[str, bool, bool]:
    core = text.lstrip(_QUALIFIERS)
    prefix = text[: len(text) - len(core)]
    bare = core.rstrip(_QUALIFIERS)
    suffix = core[len(bare) :]
    marks = prefix + suffix
    if any(mark in bare for mark in _QUALIFIERS):
        raise DateError(
            whole, "qualifying part of a date is not supported: put ~, ? or % before or after it"
        )
    approximate = "~" in marks or "%" in marks
    uncertain = "?" in marks or "%" in marks
    return bare, approximate, uncertain


def _qualifier_suffix(approximate: bool, uncertain: bool) -> str:
    if approximate and uncertain:
        return "%"
    return "~" if approximate else "?" if uncertain else ""


def _parse_point(text: str, whole: str) -> _Point:
    bare, approximate, uncertain = _split_qualifiers(text, whole)
    if not bare:
        raise DateError(whole, "a qualifier needs a date to qualify")
    core, earliest, latest, precision, display = _parse_bare(bare.replace("x", "X"), whole)
    if approximate:
        display = f"c. {display}"
    if uncertain:
        display = f"{display}?"
    return _Point(
        edtf=core + _qualifier_suffix(approximate, uncertain),
        earliest=earliest,
        latest=latest,
        precision=precision,
        display=display,
        approximate=approximate,
        uncertain=uncertain,
    )


_Parsed = tuple[str, date, date, str, str]  # edtf, earliest, latest, precision, display


def _parse_bare(bare: str, whole: str) -> _Parsed:
    if _YEAR.fullmatch(bare):
        year = _check_year(bare, whole)
        return bare, date(year, 1, 1), date(year, 12, 31), "year", f"{year:04d}"
    if _UNSPECIFIED_YEAR.fullmatch(bare):
        return _parse_unspecified_year(bare, whole)
    if match := _YEAR_AND_NUMBER.fullmatch(bare):
        year = _check_year(match[1], whole)
        return _parse_month_or_season(year, int(match[2]), bare, whole)
    if match := _DAY.fullmatch(bare):
        year = _check_year(match[1], whole)
        month, day = int(match[2]), int(match[3])
        _check_month(month, whole)
        _check_day(year, month, day, whole)
        shown = f"{day} {MONTH_NAMES[month - 1]} {year:04d}"
        return bare, date(year, month, day), date(year, month, day), "day", shown
    raise DateError(whole, _reason_for_unknown_form(bare))


def _reason_for_unknown_form(bare: str) -> str:
    if "T" in bare or ":" in bare:
        return "times of day are not supported, give the day only"
    if bare[:1] in "[{":
        return "sets of dates ([...] or {...}) are not supported, use an interval"
    if bare.startswith(("-", "Y")):
        return "only the years 0001 to 9999 are supported"
    if "X" in bare:
        return "only the last digits of a year may be X (192X, 19XX)"
    return _EDTF_EXAMPLES


def _check_year(digits: str, whole: str) -> int:
    year = int(digits)
    if year < 1:
        raise DateError(whole, "only the years 0001 to 9999 are supported")
    return year


def _check_month(month: int, whole: str) -> None:
    if not 1 <= month <= 12:
        raise DateError(whole, f"there is no month {month:02d} (months are 01 to 12)")


def _check_day(year: int, month: int, day: int, whole: str) -> None:
    days_in_month = calendar.monthrange(year, month)[1]
    if 1 <= day <= days_in_month:
        return
    name = MONTH_NAMES[month - 1]
    if day == 0:
        raise DateError(whole, "days are numbered from 1")
    if month == 2:
        raise DateError(whole, f"February {year} has {days_in_month} days")
    raise DateError(whole, f"{name} has {days_in_month} days")


def _parse_unspecified_year(bare: str, whole: str) -> _Parsed:
    digits = bare.rstrip("X")
    unknown = len(bare) - len(digits)
    step = 10**unknown
    first = int(digits) * step
    if first < 1:
        raise DateError(whole, "only the years 0001 to 9999 are supported")
    last = first + step - 1
    precision = {1: "decade", 2: "century", 3: "millennium"}[unknown]
    shown = f"{first:04d}s" if unknown == 1 else f"{first:04d}–{last:04d}"
    return bare, date(first, 1, 1), date(last, 12, 31), precision, shown


def _parse_month_or_season(year: int, number: int, bare: str, whole: str) -> _Parsed:
    if 1 <= number <= 12:
        last_day = calendar.monthrange(year, number)[1]
        shown = f"{MONTH_NAMES[number - 1]} {year:04d}"
        return bare, date(year, number, 1), date(year, number, last_day), "month", shown
    season = _SEASONS.get(number)
    if season is None:
        raise DateError(
            whole,
            f"{number:02d} is neither a month (01 to 12) nor a season "
            "(21 to 24; 25 to 36 for hemispheres and quarters)",
        )
    end_year = year + 1 if season.last_month < season.first_month else year
    if end_year > date.max.year:
        raise DateError(whole, "the season runs past the year 9999")
    last_day = calendar.monthrange(end_year, season.last_month)[1]
    earliest = date(year, season.first_month, 1)
    latest = date(end_year, season.last_month, last_day)
    shown = f"{season.before_year} {year:04d}{season.after_year}"
    return bare, earliest, latest, "season", shown


# ---------------------------------------------------------------------------------------------
# CSL-JSON (citation processors, Zotero)

# CSL seasons as words, whatever the hemisphere. CSL also allows the numbers 1-4, but Zotero's
# CSL-JSON import writes a number into the date as it is ("2 1926"); a word it keeps as
# "Summer 1926", and citeproc-js prints a season given as text as it is.
_CSL_SEASONS = {"spring": "Spring", "summer": "Summer", "autumn": "Autumn", "winter": "Winter"}


def csl_date(text: str) -> dict[str, Any] | None:
    """A CSL date from an EDTF date (`1922-04-16`, `1922-22`, `~1919`, `192X`, `1925/1933`),
    read by `parse_edtf`, so an export means what the archive's own columns mean.

    Fewer date parts for partial dates; a season (of either hemisphere) as CSL `season`, a word;
    approximate or uncertain as `circa`; intervals as two date parts (an open end keeps the
    known one); a decade or century as a literal ("1920s"); anything else (a quarter, an
    interval with a season, text that is no valid date) as a literal so no date is lost.
    """
    text = (text or "").strip()
    if not text:
        return None
    try:
        parsed = parse_edtf(text)
    except DateError:
        return {"literal": text}
    if parsed.is_interval:
        return _csl_interval(text)
    if parsed.precision in ("decade", "century") and not (parsed.approximate or parsed.uncertain):
        return {"literal": f"{parsed.earliest[:4]}s"}
    point = _csl_point(parsed)
    if point is None:
        return {"literal": text}
    parts, season, circa = point
    csl: dict[str, Any] = {"date-parts": [parts]}
    if season:
        csl["season"] = season
    if circa:
        csl["circa"] = True
    return csl


def _csl_point(parsed: PartialDate) -> tuple[list[int], str | None, bool] | None:
    """(date parts, CSL season, circa) of one parsed date, or None if CSL has no parts for it."""
    year, month, day = (int(part) for part in parsed.earliest.split("-"))
    circa = parsed.approximate or parsed.uncertain
    if parsed.precision == "day":
        return [year, month, day], None, circa
    if parsed.precision == "month":
        return [year, month], None, circa
    if parsed.precision == "year":
        return [year], None, circa
    if parsed.precision == "season":
        season = _CSL_SEASONS.get(parsed.display.removeprefix("c. ").split(" ", 1)[0])
        # The season's own year: a southern summer starts in December of it.
        return ([year], season, circa) if season else None
    return None


def _csl_interval(text: str) -> dict[str, Any]:
    ends = [parse_edtf(part) if part not in ("", _OPEN) else None for part in text.split("/")]
    known = [_csl_point(end) for end in ends if end is not None]
    # CSL has no season or circa per end of a range: only plain ends become date parts.
    if not known or any(point is None or point[1] for point in known):
        return {"literal": text}
    csl: dict[str, Any] = {"date-parts": [point[0] for point in known if point]}
    if any(point[2] for point in known if point):
        csl["circa"] = True
    return csl


# ---------------------------------------------------------------------------------------------
# Everyday forms


def from_human(text: str) -> str:
    """Turn a date as people write it ("summer 1922", "c. 1919", "22 June 1941",
    "June 22, 1941", "1925-1933", plain EDTF, ...) into normalised EDTF; raise DateError."""
    if not isinstance(text, str):
        raise DateError(repr(text), "a date must be text")
    stripped = " ".join(text.split())
    if not stripped:
        raise DateError(text, "the text is empty")
    if len(stripped) > _MAX_HUMAN_LENGTH:
        # The patterns below backtrack; a bound keeps a pasted paragraph from stalling.
        raise DateError(text, f"a date is at most {_MAX_HUMAN_LENGTH} characters long")
    try:
        return parse_edtf(stripped).edtf
    except DateError as edtf_error:
        try:
            return _human_date(stripped.lower().replace("—", "–"), stripped)
        except DateError as human_error:
            raise DateError(text, _better_reason(stripped, edtf_error, human_error)) from None


def _better_reason(text: str, edtf_error: DateError, human_error: DateError) -> str:
    """The reason that tells the user most: a specific one over a list of examples."""
    if human_error.reason != _HUMAN_EXAMPLES:
        return human_error.reason
    if _EDTF_LOOKING.fullmatch(text) and edtf_error.reason != _EDTF_EXAMPLES:
        return edtf_error.reason
    return human_error.reason


_HUMAN_EXAMPLES = (
    'write it like "22 June 1941", "June 22, 1941", "April 1922", "summer 1922", "1920s", '
    '"c. 1919", "1925-1933" or in EDTF (1941-06-22)'
)
_EDTF_LOOKING = re.compile(r"[0-9Xx~?%./\-]+")
_MONTHS = {
    **{name: i for i, name in enumerate(_ENGLISH_MONTHS, 1)},
    **{name[:3]: i for i, name in enumerate(_ENGLISH_MONTHS, 1)},
    "sept": 9,
    # German, as in German documents and finding aids
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6,
    "juli": 7, "oktober": 10, "okt": 10, "dezember": 12, "dez": 12,
    # Russian, nominative and the genitive used in dates ("22 июня 1941 г.")
    "январь": 1, "января": 1, "февраль": 2, "февраля": 2, "март": 3, "марта": 3,
    "апрель": 4, "апреля": 4, "май": 5, "мая": 5, "июнь": 6, "июня": 6, "июль": 7,
    "июля": 7, "август": 8, "августа": 8, "сентябрь": 9, "сентября": 9, "октябрь": 10,
    "октября": 10, "ноябрь": 11, "ноября": 11, "декабрь": 12, "декабря": 12,
}  # fmt: skip
_SEASON_CODES = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_HEMISPHERE_OFFSET = {"": 0, "northern": 4, "southern": 8}
_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
             "fourth": 4, "4th": 4}  # fmt: skip

_MONTH = r"(?P<month>[^\W\d_]+)\.?"  # letters of any script: no digits, no "_"
_RANGE_PATTERNS = (
    re.compile(r"between (?P<start>.+) and (?P<end>.+)"),
    re.compile(r"(?:from )?(?P<start>.+?) (?:to|until|till|through|-) (?P<end>.+)"),
    re.compile(r"(?P<start>.+?) ?– ?(?P<end>.+)"),
    re.compile(r"(?P<start>[0-9]{4})-(?P<end>[0-9]{4})"),
    re.compile(r"(?P<start>[^/]+?) ?/ ?(?P<end>[^/]+)"),
)
_OPEN_END = (
    re.compile(r"(?:from|since|starting|beginning) (?P<start>.+)"),
    re.compile(r"(?P<start>.+?),? onwards?"),
)
_OPEN_START = re.compile(r"(?:until|till|til|up to|up until|to) (?P<end>.+)")
# Longest words first: the first alternative that lets the whole text match wins.
_APPROXIMATE = re.compile(
    r"(?:(?:circa|ca|c|approximately|approx|about|around)\.? ?|~ ?)(?P<rest>.+)"
)
_UNCERTAIN_PREFIX = re.compile(r"(?:probably|possibly|perhaps) (?P<rest>.+)")
_UNCERTAIN_SUFFIX = re.compile(r"(?P<rest>.+?) ?(?:\?|\(uncertain\))")
_DECADE = re.compile(r"(?:the )?(?P<decade>[0-9]{3})0'?s")
_SEASON = re.compile(
    r"(?P<season>spring|summer|autumn|fall|winter)(?: of)? (?P<year>[0-9]{4})"
    r"(?:[/–-](?P<next>[0-9]{2}|[0-9]{4}))?(?: \((?P<hemisphere>northern|southern) hemisphere\))?"
)
_QUARTER = re.compile(
    r"(?:(?P<ordinal>first|1st|second|2nd|third|3rd|fourth|4th) quarter(?: of)?|q(?P<q>[1-4]))"
    r",? (?P<year>[0-9]{4})"
)
_DAY_MONTH_YEAR = re.compile(
    rf"(?P<day>[0-9]{{1,2}})(?:st|nd|rd|th|\.)? {_MONTH},? (?P<year>[0-9]{{4}})(?: ?г\.?| года)?"
)
_MONTH_DAY_YEAR = re.compile(
    rf"{_MONTH} (?P<day>[0-9]{{1,2}})(?:st|nd|rd|th)?,? (?P<year>[0-9]{{4}})"
)
_MONTH_YEAR = re.compile(rf"{_MONTH},? (?P<year>[0-9]{{4}})(?: ?г\.?| года)?")
_DOTTED = re.compile(r"(?P<day>[0-9]{1,2})\.(?P<month>[0-9]{1,2})\.(?P<year>[0-9]{4})")
_SLASHED = re.compile(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}")


def _human_date(lowered: str, original: str) -> str:
    if _SLASHED.fullmatch(lowered):
        raise DateError(original, "day and month order is ambiguous, write 16 April 1922")
    # A text may fit several shapes ("winter 1922/23" looks like a range): try each in turn
    # and, if none reads, report the most specific reason found.
    errors: list[DateError] = []
    for reader in _HUMAN_READERS:
        try:
            edtf = reader(lowered, original)
        except DateError as exc:
            errors.append(exc)
            continue
        if edtf is not None:
            return edtf
    specific = [e for e in errors if e.reason != _HUMAN_EXAMPLES]
    raise (specific or errors)[0]


def _read_open_start(lowered: str, original: str) -> str | None:
    if match := _OPEN_START.fullmatch(lowered):
        return f"../{_human_end(match['end'], original)}"
    return None


def _read_range(lowered: str, original: str) -> str | None:
    errors: list[DateError] = []
    for pattern in _RANGE_PATTERNS:
        if match := pattern.fullmatch(lowered):
            try:
                start = _human_end(match["start"], original)
                end = _human_end(match["end"], original)
                return _checked_interval(start, end, original)
            except DateError as exc:
                errors.append(exc)
    if errors:
        specific = [e for e in errors if e.reason != _HUMAN_EXAMPLES]
        raise (specific or errors)[0]
    return None


def _read_open_end(lowered: str, original: str) -> str | None:
    for pattern in _OPEN_END:
        if match := pattern.fullmatch(lowered):
            return f"{_human_end(match['start'], original)}/.."
    return None


def _read_point(lowered: str, original: str) -> str | None:
    return _human_point(lowered, original)


_HUMAN_READERS = (_read_open_start, _read_range, _read_open_end, _read_point)


def _checked_interval(start: str, end: str, original: str) -> str:
    edtf = f"{start}/{end}"
    try:
        parse_edtf(edtf)
    except DateError as exc:
        raise DateError(original, exc.reason) from None
    return edtf


def _human_end(part: str, original: str) -> str:
    """One end of a typed range; "?" stands for an unknown end."""
    return "" if part == "?" else _human_point(part, original)


def _human_point(part: str, original: str) -> str:
    approximate = uncertain = False
    if match := _APPROXIMATE.fullmatch(part):
        approximate, part = True, match["rest"]
    if match := _UNCERTAIN_PREFIX.fullmatch(part):
        uncertain, part = True, match["rest"]
    if match := _UNCERTAIN_SUFFIX.fullmatch(part):
        uncertain, part = True, match["rest"]
    core = _human_core(part, original)
    return core + _qualifier_suffix(approximate, uncertain)


def _human_core(part: str, original: str) -> str:
    if _YEAR.fullmatch(part):
        return _validated(part, original)
    if match := _DECADE.fullmatch(part):
        return _validated(f"{match['decade']}X", original)
    if match := _SEASON.fullmatch(part):
        return _human_season(match, original)
    if match := _QUARTER.fullmatch(part):
        quarter = int(match["q"]) if match["q"] else _QUARTERS[match["ordinal"]]
        return _validated(f"{match['year']}-{32 + quarter}", original)
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _DOTTED):
        if match := pattern.fullmatch(part):
            month = _month_number(match["month"], original)
            return _validated(f"{match['year']}-{month:02d}-{int(match['day']):02d}", original)
    if match := _MONTH_YEAR.fullmatch(part):
        month = _month_number(match["month"], original)
        return _validated(f"{match['year']}-{month:02d}", original)
    try:
        return parse_edtf(part).edtf
    except DateError:
        raise DateError(original, _HUMAN_EXAMPLES) from None


def _human_season(match: re.Match[str], original: str) -> str:
    year = int(match["year"])
    if match["next"]:
        # "winter 1922/23" names the winter that starts in December 1922.
        following = int(match["next"])
        following_year = following if following >= 100 else year // 100 * 100 + following
        if match["season"] != "winter" or following_year != year + 1:
            raise DateError(original, "only a winter spans two years, as in winter 1922/23")
    code = _SEASON_CODES[match["season"]] + _HEMISPHERE_OFFSET[match["hemisphere"] or ""]
    return _validated(f"{match['year']}-{code}", original)


def _month_number(word: str, original: str) -> int:
    if word.isdecimal():
        return int(word)
    number = _MONTHS.get(word.lower().rstrip("."))
    if number is None:
        # Name the word as the user typed it, not in the lower case it was matched in.
        typed = re.search(re.escape(word), original, re.IGNORECASE)
        raise DateError(original, f'"{typed[0] if typed else word}" is not a month name')
    return number


def _validated(edtf: str, original: str) -> str:
    """Check a built EDTF string, reporting problems against the text the user typed."""
    try:
        return parse_edtf(edtf).edtf
    except DateError as exc:
        raise DateError(original, exc.reason) from None
