"""Sources as CSL-JSON, the format Zotero imports (File → Import…) and citeproc renders.

What Zotero and a citation processor need from each item (docs/notes.md has the table):
`language`, so German and Russian titles are not title-cased as English; authors as family
and given names (bodies literal); a season as a word; `citation-key` from the record id, so
a second import is recognised; the holding archive as `archive` of each document, never an
item of its own, with its city as `archive-place`, and `archive_location` (the shelfmark)
without the archive's name repeated.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

from archive_browser.core.dates import csl_date
from archive_browser.core.export.creators import Creator
from archive_browser.core.export.output import text_output
from archive_browser.core.export.sources import SourceEntry, source_entries, source_entry

# The archive's `kind` -> the CSL type. Zotero imports `personal_communication` as a Letter
# and `graphic` as an Artwork (its type for photographs); CSL 1.0.2 has no `letter` or
# `photograph` type.
CSL_TYPES = {
    "document": "manuscript",
    "manuscript": "manuscript",
    "report": "report",
    "letter": "personal_communication",
    "newspaper": "article-newspaper",
    "photograph": "graphic",
    "article": "article-journal",
    "thesis": "thesis",
    "dissertation": "thesis",
    "book": "book",
    "map": "map",
    "film": "motion_picture",
    "interview": "interview",
    "treaty": "treaty",
}
_CSL_DEFAULT_TYPE = "document"


def csl_name(creator: Creator) -> dict[str, str]:
    if not creator.is_person:
        return {"literal": creator.literal}
    name = {"family": creator.family, "given": creator.given}
    if creator.dropping_particle:
        name["dropping-particle"] = creator.dropping_particle
    if creator.non_dropping_particle:
        name["non-dropping-particle"] = creator.non_dropping_particle
    if creator.suffix:
        name["suffix"] = creator.suffix
    return name


def csl_type(entry: SourceEntry) -> str:
    if entry.kind == "document" and not entry.archive:
        return _CSL_DEFAULT_TYPE  # a published text (a treaty's text), not a manuscript
    return CSL_TYPES.get(entry.kind, _CSL_DEFAULT_TYPE)


def csl_entry(entry: SourceEntry) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": entry.id,
        "type": csl_type(entry),
        "citation-key": entry.key,
        "language": entry.language,
    }
    for csl_key, value in (
        ("title", entry.title),
        ("archive", entry.archive),
        ("archive-place", entry.archive_place),
        ("archive_location", entry.archive_location),
        ("abstract", entry.summary),
    ):
        if value:
            item[csl_key] = value
    if entry.creators:
        item["author"] = [csl_name(creator) for creator in entry.creators]
    if issued := csl_date(entry.date):
        item["issued"] = issued
    if entry.note:
        item["note"] = entry.note
    return item


def csl_item(source: Mapping[str, Any]) -> dict[str, Any]:
    """One source record (a row of the `sources` table) as a CSL-JSON item."""
    return csl_entry(source_entry(source))


def write_sources_csl_json(sources: Iterable[Mapping[str, Any]], out: Path | TextIO) -> int:
    """Write the sources (archives and collections only as their documents' `archive`) as a
    CSL-JSON array (UTF-8, no BOM); returns the number of items."""
    items = [csl_entry(entry) for entry in source_entries(sources)]
    with text_output(out, "utf-8") as stream:
        json.dump(items, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    return len(items)
