"""Sources as CSL-JSON (Zotero)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

from archive_browser.core.dates import csl_date
from archive_browser.core.export.output import text_output

CSL_TYPES = {
    "archive": "manuscript",
    "collection": "manuscript",
    "document": "manuscript",
    "manuscript": "manuscript",
    "report": "report",
    "letter": "personal_communication",
    "newspaper": "article-newspaper",
    "photograph": "graphic",
    "article": "article-journal",
    "thesis": "thesis",
    "book": "book",
    "map": "map",
    "film": "motion_picture",
    "interview": "interview",
}
_CSL_DEFAULT_TYPE = "document"


def _text_of(source: Mapping[str, Any], key: str) -> str:
    value = source.get(key)
    return "" if value is None else str(value).strip()


def csl_item(source: Mapping[str, Any]) -> dict[str, Any]:
    """One source record (a row of the `sources` table) as a CSL-JSON item."""
    source = dict(source)
    kind = _text_of(source, "kind").lower()
    item: dict[str, Any] = {
        "id": _text_of(source, "id"),
        "type": CSL_TYPES.get(kind, _CSL_DEFAULT_TYPE),
    }
    for csl_key, our_key in (
        ("title", "title"),
        ("archive", "archive"),
        ("archive_location", "citation"),
        ("abstract", "summary"),
    ):
        if value := _text_of(source, our_key):
            item[csl_key] = value
    if author := _text_of(source, "author"):
        # A literal name: issuing bodies and Russian names are not split into given/family.
        item["author"] = [{"literal": author}]
    if issued := csl_date(_text_of(source, "date")):
        item["issued"] = issued
    notes = [_text_of(source, "note")]
    if added := _text_of(source, "added"):
        notes.append(f"Added from reference knowledge: {added}")
    if note := "\n".join(n for n in notes if n):
        item["note"] = note
    return item


def write_sources_csl_json(sources: Iterable[Mapping[str, Any]], out: Path | TextIO) -> int:
    """Write sources as a CSL-JSON array (UTF-8, no BOM); returns the number of items."""
    items = [csl_item(source) for source in sources]
    with text_output(out, "utf-8") as stream:
        json.dump(items, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    return len(items)
