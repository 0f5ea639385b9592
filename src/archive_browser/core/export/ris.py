"""Sources as RIS (written with rispy), for reference managers that import no CSL-JSON.

Tags follow Zotero's RIS translator, so an import lands in the right fields: `DB` is the
archive, `AN` the place in it (Zotero: Loc. in Archive), `LA` the language, `DA` the date
as `YYYY/MM/DD/other` (a season goes in the "other" part: `1929///Summer`), `ID` the
citation key. The archive's city is left out: Zotero has no field for it, and its RIS
translator reads `CY` as the item's own place. A person is written `Family, Given
particle`; a body without a comma, which Zotero keeps as one name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

import rispy  # type: ignore[import-untyped]

from archive_browser.core.dates import DateError, parse_edtf
from archive_browser.core.export.creators import Creator
from archive_browser.core.export.output import text_output
from archive_browser.core.export.sources import SourceEntry, source_entries

RIS_TYPES = {
    "document": "MANSCPT",
    "manuscript": "MANSCPT",
    "report": "RPRT",
    "letter": "PCOMM",
    "newspaper": "NEWS",
    "photograph": "ART",
    "article": "JOUR",
    "thesis": "THES",
    "dissertation": "THES",
    "book": "BOOK",
    "map": "MAP",
    "film": "MPCT",
}
_RIS_DEFAULT_TYPE = "GEN"


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without its "1." counter lines, with the CRLF line ends RIS asks for."""

    NEWLINE = "\r\n"

    def set_header(self, count: int) -> str:
        return ""


def ris_name(creator: Creator) -> str:
    if not creator.is_person:
        return creator.literal
    name = f"{creator.family_with_particle}, {creator.given_with_particle}"
    return f"{name}, {creator.suffix}" if creator.suffix else name


def ris_date(edtf: str) -> str:
    """`1925-04-15` -> `1925/04/15/`; a season -> `1929///Summer`; other dates as written."""
    if not edtf:
        return ""
    try:
        parsed = parse_edtf(edtf)
    except DateError:
        return edtf
    if parsed.is_interval or parsed.approximate or parsed.uncertain:
        return edtf
    year, month, day = parsed.earliest.split("-")
    if parsed.precision == "day":
        return f"{year}/{month}/{day}/"
    if parsed.precision == "month":
        return f"{year}/{month}//"
    if parsed.precision == "year":
        return f"{year}///"
    if parsed.precision == "season":
        return f"{year}///{parsed.display.split(' ', 1)[0].capitalize()}"
    return edtf


def _line(text: str) -> str:
    # A line break would end the tag's value in RIS.
    return " ".join(text.split())


def ris_record(entry: SourceEntry) -> dict[str, Any]:
    kind = "document" if entry.kind == "document" and entry.archive else entry.kind
    record: dict[str, Any] = {
        "type_of_reference": RIS_TYPES.get(kind, _RIS_DEFAULT_TYPE),
        "id": entry.key,
        "title": _line(entry.title),
        "language": entry.language,
    }
    if entry.creators:
        record["authors"] = [_line(ris_name(creator)) for creator in entry.creators]
    if date := ris_date(entry.date):
        record["date"] = date
        record["year"] = entry.date[:4] if entry.date[:4].isdigit() else ""
    if entry.archive:
        record["name_of_database"] = _line(entry.archive)
    if entry.archive_location:
        record["accession_number"] = _line(entry.archive_location)
    if entry.summary:
        record["abstract"] = _line(entry.summary)
    notes = [f"Record {entry.id} of the archive."]
    if entry.note:
        notes += [_line(paragraph) for paragraph in entry.note.splitlines() if paragraph.strip()]
    record["notes"] = notes
    return {key: value for key, value in record.items() if value}


def write_sources_ris(sources: Iterable[Mapping[str, Any]], out: Path | TextIO) -> int:
    """Write the sources as RIS (UTF-8, CRLF); returns the number of references."""
    records = [ris_record(entry) for entry in source_entries(sources)]
    with text_output(out, "utf-8") as stream:
        stream.write(_RisWriter().formats(records))
    return len(records)
