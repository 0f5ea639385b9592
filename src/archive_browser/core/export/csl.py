"""Sources as CSL-JSON (Zotero)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

from archive_browser.core.export.output import _text_output

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

_EDTF_DAY = re.compile(
    r"(?P<before>[~?%])?(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<after>[~?%])?"
)
_EDTF_UNSPECIFIED_YEAR = re.compile(r"(?P<digits>\d{2,3})(?P<x>X{1,2})")
# EDTF seasons: 21-24 independent of location, 25-28 northern hemisphere (spring..winter).
_SEASONS = {21: 1, 22: 2, 23: 3, 24: 4, 25: 1, 26: 2, 27: 3, 28: 4}


def _date_parts(text: str) -> tuple[list[int], int | None, bool] | None:
    """(date parts, CSL season, circa) of one EDTF date, or None if not one we know."""
    match = _EDTF_DAY.fullmatch(text)
    if not match:
        return None
    year, month, day = (match.group(k) for k in ("year", "month", "day"))
    circa = bool(match.group("before") or match.group("after"))
    parts = [int(year)]
    if month is None:
        return parts, None, circa
    month_number = int(month)
    if month_number in _SEASONS and day is None:
        return parts, _SEASONS[month_number], circa
    if not 1 <= month_number <= 12:
        return None
    parts.append(month_number)
    if day is not None:
        if not 1 <= int(day) <= 31:
            return None
        parts.append(int(day))
    return parts, None, circa


def csl_date(edtf: str) -> dict[str, Any] | None:
    """A CSL date from an EDTF date (`1922-04-16`, `1922-22`, `~1919`, `192X`, `1925/1933`).

    Fewer date parts for partial dates; a season as CSL `season`; approximate or uncertain
    as `circa`; intervals as two date parts (an open end keeps the known one); decades as a
    literal ("1920s"); anything else as a literal so no date is lost.
    """
    text = (edtf or "").strip()
    if not text:
        return None
    single = _date_parts(text)
    if single:
        parts, season, circa = single
        date: dict[str, Any] = {"date-parts": [parts]}
        if season:
            date["season"] = season
        if circa:
            date["circa"] = True
        return date
    if "/" in text:
        return _csl_interval(text)
    decade = _EDTF_UNSPECIFIED_YEAR.fullmatch(text)
    if decade:
        return {"literal": decade.group("digits") + "0" * len(decade.group("x")) + "s"}
    return {"literal": text}


def _csl_interval(text: str) -> dict[str, Any]:
    start_text, _, end_text = text.partition("/")
    ends = [
        _date_parts(part) if part not in ("", "..") else None for part in (start_text, end_text)
    ]
    known = [end for end in ends if end is not None]
    # CSL has no season or circa per end of a range: only plain ends become date parts.
    if not known or any(season for _, season, _ in known):
        return {"literal": text}
    date: dict[str, Any] = {"date-parts": [parts for parts, _, _ in known]}
    if any(circa for _, _, circa in known):
        date["circa"] = True
    return date


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
    with _text_output(out, "utf-8") as stream:
        json.dump(items, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    return len(items)
