"""A source record as the bibliography exports (CSL-JSON, RIS, biblatex) all read it.

One home for what every format must get right the same way: which records are items (an
archive or a collection is where documents are kept, so it becomes the `archive` of its
documents, never an item of its own), the citation key, the language, the authors in their
parts, and the place in the archive without the archive's name repeated (a citation such as
"State Archive of Lipetsk Oblast, Fond 2176/Opis 1/Delo 1" beside the archive "State
Archive of Lipetsk Oblast (GALO)" would otherwise print the archive twice), and the place
of the archive: a document's own `place`, else that of the archive or collection record
whose `archive` names the same archive (`RGVA` and `Russian State Military Archive (RGVA)`
are one archive).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from archive_browser.core.dates import DateError, parse_edtf
from archive_browser.core.export.creators import Creator, split_creators

# Kinds that hold documents rather than being one.
HOLDING_KINDS = frozenset({"archive", "collection"})

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
# Function words that mark a German title (English titles carry none of them).
_GERMAN_WORDS = frozenset(
    [
        "der",
        "die",
        "das",
        "und",
        "über",
        "für",
        "mit",
        "zur",
        "zum",
        "des",
        "dem",
        "den",
        "eine",
        "einer",
        "eines",
        "im",
        "auf",
        "bei",
        "nach",
        "aus",
        "vom",
        "betr",
        "betreff",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class SourceEntry:
    id: str  # the record id, source/teko-report
    key: str  # the citation key, teko-report
    kind: str
    title: str
    language: str  # ISO 639-1: en, de, ru
    creators: list[Creator]
    date: str  # EDTF, as the archive stores it
    archive: str
    archive_place: str  # the city of the holding: Moscow, Freiburg im Breisgau
    archive_location: str
    summary: str
    note: str


def _text(row: Mapping[str, Any], key: str) -> str:
    try:
        value = row[key]
    except (KeyError, IndexError):
        return ""
    return "" if value is None else str(value).strip()


def source_language(row: Mapping[str, Any]) -> str:
    """The record's `language` code when it has one, else read from its title's words:
    Cyrillic is Russian, German function words or letters (ä ö ü ß) German, else English."""
    declared = _text(row, "language").lower()
    if _LANGUAGE_CODE.fullmatch(declared):
        return declared
    title = _text(row, "title")
    if re.search("[\u0400-\u04ff]", title):
        return "ru"
    words = {word.casefold() for word in _WORD.findall(title)}
    if words & _GERMAN_WORDS or re.search("[äöüß]", title, re.IGNORECASE):
        return "de"
    return "en"


def citation_key(record_id: str) -> str:
    """`source/teko-report` -> `teko-report`: stable across exports, so a re-import updates."""
    return record_id.partition("/")[2] or record_id


def archive_names(archive: str) -> list[str]:
    """The ways a citation may name its archive: `State Archive of Lipetsk Oblast (GALO)`
    -> the whole, `State Archive of Lipetsk Oblast`, `GALO`; longest first."""
    names = {archive}
    if match := re.fullmatch(r"(.+?)\s*\(([^()]+)\)", archive):
        names |= {match[1].strip(), match[2].strip()}
    return sorted((name for name in names if name), key=len, reverse=True)


def location_in_archive(citation: str, archive: str) -> str:
    """The citation without the archive's name at the start of each reference."""
    if not archive:
        return citation
    names = archive_names(archive)
    parts = []
    for part in citation.split(";"):
        part = part.strip()
        for name in names:
            if part.casefold().startswith(name.casefold()):
                rest = part[len(name) :]
                if not rest or not rest[0].isalnum():
                    part = rest.lstrip(" ,.:;/-–—") or part
                    break
        parts.append(part)
    return "; ".join(part for part in parts if part)


def archive_places(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Each name of each archive or collection record with a `place` (casefolded) -> the
    place: what a document that names its archive but has no `place` of its own inherits."""
    places: dict[str, str] = {}
    for row in rows:
        place = _text(row, "place")
        if place and _text(row, "kind").lower() in HOLDING_KINDS:
            for name in archive_names(_text(row, "archive")):
                places.setdefault(name.casefold(), place)
    return places


def _archive_place(row: Mapping[str, Any], archive: str, places: Mapping[str, str]) -> str:
    if own := _text(row, "place"):
        return own
    if not archive:
        return ""
    return next(
        (places[key] for name in archive_names(archive) if (key := name.casefold()) in places),
        "",
    )


def source_entry(row: Mapping[str, Any], places: Mapping[str, str] | None = None) -> SourceEntry:
    """One source; `places` (from `archive_places`) gives the place of a document that names
    its archive but has no `place` of its own."""
    record_id = _text(row, "id")
    archive = _text(row, "archive")
    notes = [_text(row, "note")]
    if added := _text(row, "added"):
        notes.append(f"Added from reference knowledge: {added}")
    return SourceEntry(
        id=record_id,
        key=citation_key(record_id),
        kind=_text(row, "kind").lower(),
        title=_text(row, "title"),
        language=source_language(row),
        creators=split_creators(_text(row, "author")),
        date=_text(row, "date"),
        archive=archive,
        archive_place=_archive_place(row, archive, places or {}),
        archive_location=location_in_archive(_text(row, "citation"), archive),
        summary=_text(row, "summary"),
        note="\n".join(note for note in notes if note),
    )


def source_entries(rows: Iterable[Mapping[str, Any]]) -> list[SourceEntry]:
    """The items of a bibliography: every source but the archives and collections."""
    rows = list(rows)
    places = archive_places(rows)
    entries = (source_entry(row, places) for row in rows)
    return [entry for entry in entries if entry.kind not in HOLDING_KINDS]


def plain_citation(row: Mapping[str, Any]) -> str:
    """A source as one bibliography line in plain text, Chicago-like: `Family, Given. Title.
    Date. Location, Archive.` (a Markdown note's citation; Zotero renders real styles)."""
    entry = source_entry(row)
    names = []
    for position, creator in enumerate(entry.creators):
        if not creator.is_person:
            names.append(creator.literal)
        elif position == 0:
            given = " ".join(p for p in (creator.given, creator.dropping_particle) if p)
            names.append(f"{creator.family_with_particle}, {given}")
        else:
            names.append(" ".join(p for p in (creator.given_with_particle, creator.family) if p))
    parts = [
        " and ".join(names),
        entry.title,
        _display_date(entry.date),
        ", ".join(part for part in (entry.archive_location, entry.archive) if part),
    ]
    return " ".join(f"{part.rstrip('.')}." for part in parts if part)


def _display_date(edtf: str) -> str:
    if not edtf:
        return ""
    try:
        return parse_edtf(edtf).display
    except DateError:
        return edtf
