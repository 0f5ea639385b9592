"""Typed conditions that narrow a type's records beside the filter text.

The UI asks with these ("events between two days", "sites with coordinates");
`core.archive` alone turns them into SQL (`filter_sql`), so no SQL travels through the UI.
"""

from __future__ import annotations

from dataclasses import dataclass

# The overlap test of docs/dates.md ("Bounds and filtering"): open ends are these days.
OPEN_EARLIEST, OPEN_LATEST = "0001-01-01", "9999-12-31"


@dataclass(frozen=True)
class DateSpan:
    """Records whose possible days (earliest..latest) overlap the ISO days given, inclusive."""

    earliest: str = OPEN_EARLIEST
    latest: str = OPEN_LATEST


@dataclass(frozen=True)
class HasCoordinates:
    """Records with both a latitude and a longitude (the sites a map can place)."""


@dataclass(frozen=True)
class KindIs:
    """Records of one kind (`person` or `organisation` among people)."""

    kind: str


RecordFilter = DateSpan | HasCoordinates | KindIs
