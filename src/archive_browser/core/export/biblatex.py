"""Sources as biblatex (for Biber, UTF-8), with the archive in biblatex's own fields.

- `library`: biblatex's field for "a library name and a call number", here the holding
  archive, its city and the place in it (`Russian State Military Archive (RGVA), Moscow,
  f. 33987, op. 3, d. 497`); no archive is an entry of its own. The city is not `location`,
  which biblatex prints as a place of publication.
- `date`: the archive's EDTF date as it is; biblatex reads EDTF, seasons (`1929-22`),
  `~` and `?` and ranges included.
- `langid`: `german`, `russian`, `english`, so a style leaves German and Russian titles
  as written.
- Names as `von Family, Given` (biblatex's von part handles `von`, `van der`), bodies in
  braces so they are never split.
- Types: `@unpublished` for archival documents, `@report`, `@thesis`, `@letter`, `@image`
  (biblatex's type for photographs), `@article` with `entrysubtype = {newspaper}`,
  `@misc` for the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

from archive_browser.core.dates import DateError, parse_edtf
from archive_browser.core.export.creators import Creator
from archive_browser.core.export.output import text_output
from archive_browser.core.export.sources import SourceEntry, source_entries

BIBLATEX_TYPES = {
    "document": "unpublished",
    "manuscript": "unpublished",
    "report": "report",
    "letter": "letter",
    "newspaper": "article",
    "photograph": "image",
    "article": "article",
    "thesis": "thesis",
    "dissertation": "thesis",
    "book": "book",
}
_BIBLATEX_DEFAULT_TYPE = "misc"
LANGIDS = {"en": "english", "de": "german", "ru": "russian", "fr": "french", "pl": "polish"}

_SPECIAL = re.compile(r"[\\{}#$%&_^~]")
_REPLACEMENTS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_:.\-]")


def escape_latex(text: str) -> str:
    """Plain text as a biblatex field value: every special character literal, one line."""
    return _SPECIAL.sub(lambda m: _REPLACEMENTS[m[0]], " ".join(text.split()))


def biblatex_name(creator: Creator) -> str:
    if not creator.is_person:
        return "{" + escape_latex(creator.literal) + "}"
    particle = " ".join(p for p in (creator.non_dropping_particle, creator.dropping_particle) if p)
    family = escape_latex(" ".join(p for p in (particle, creator.family) if p))
    given = escape_latex(creator.given)
    if creator.suffix:
        return f"{family}, {escape_latex(creator.suffix)}, {given}"
    return f"{family}, {given}"


def biblatex_date(edtf: str) -> str | None:
    """The EDTF date when biblatex can read it, else None (it then goes to `note`)."""
    try:
        parsed = parse_edtf(edtf)
    except DateError:
        return None
    return parsed.edtf if parsed.precision not in ("decade", "century") else None


def biblatex_entry(entry: SourceEntry) -> str:
    kind = entry.kind if entry.kind != "document" or entry.archive else "misc"
    entry_type = BIBLATEX_TYPES.get(kind, _BIBLATEX_DEFAULT_TYPE)
    fields: list[tuple[str, str]] = []
    if entry.creators:
        fields.append(("author", " and ".join(biblatex_name(c) for c in entry.creators)))
    fields.append(("title", escape_latex(entry.title)))
    date = biblatex_date(entry.date) if entry.date else None
    if date:
        fields.append(("date", date))
    if entry.kind == "newspaper":
        fields.append(("entrysubtype", "newspaper"))
    if entry.kind in ("thesis", "dissertation"):
        fields.append(("type", "phdthesis"))
    library = ", ".join(
        part for part in (entry.archive, entry.archive_place, entry.archive_location) if part
    )
    if library:
        fields.append(("library", escape_latex(library)))
    fields.append(("langid", LANGIDS.get(entry.language, entry.language)))
    if entry.summary:
        fields.append(("abstract", escape_latex(entry.summary)))
    notes = [entry.note] if entry.note else []
    if entry.date and not date:
        notes.append(f"Date: {entry.date}")
    if notes:
        fields.append(("annotation", escape_latex(" ".join(notes))))
    fields.append(("keywords", escape_latex(entry.id)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    key = _KEY_UNSAFE.sub("-", entry.key)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def write_sources_biblatex(sources: Iterable[Mapping[str, Any]], out: Path | TextIO) -> int:
    """Write the sources as a biblatex .bib file (UTF-8, for Biber); returns the entries."""
    entries = [biblatex_entry(entry) for entry in source_entries(sources)]
    with text_output(out, "utf-8") as stream:
        stream.write("\n".join(entries))
    return len(entries)
