"""Exporters: notes and bookmarks to CSV and Markdown, sources to CSL-JSON (Zotero).

The archive is reached only through a callable `info(record_id) -> RecordInfo | None`, so
this module needs no archive code and works for any archive (or none: a record that is no
longer in the archive is still exported, with its id). A lookup that also has
`many(record_ids)` (a `BulkRecordLookup`) is asked once for all records of an export.

CSV is written for spreadsheets: UTF-8 with a byte-order mark (Excel needs it to read
UTF-8), CRLF line ends, RFC 4180 quoting, line breaks kept inside their cell. A cell that a
spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`, tab or carriage
return, or their full-width forms) gets a leading `'` (OWASP's advice); a cell already
beginning with `'` gets one too, so `restore_cell` gives back the exact text.
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO, runtime_checkable

from archive_browser.core.store import UserStore, now_utc

NOTES_CSV_COLUMNS = (
    "record_id",
    "type",
    "title",
    "archival_references",
    "note",
    "created",
    "modified",
    "bookmarked",
)

# Characters a spreadsheet treats as the start of a formula (OWASP CSV injection), their
# full-width forms (Excel converts those), and the neutralising quote itself.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_NEUTRALISED_STARTS = (*FORMULA_STARTS, "'")


class ExportError(OSError):
    """The export file could not be written; the message is one readable sentence."""


@dataclass(frozen=True)
class RecordInfo:
    """What an export shows of an archive record."""

    id: str
    type: str  # person | site | event | source ...
    title: str
    citations: list[str] = field(default_factory=list)


RecordLookup = Callable[[str], RecordInfo | None]


@runtime_checkable
class BulkRecordLookup(Protocol):
    """A `RecordLookup` that can also describe many records at once (one archive query per
    chunk of ids instead of several per record); both must give the same `RecordInfo`."""

    def __call__(self, record_id: str) -> RecordInfo | None: ...

    def many(self, record_ids: Sequence[str]) -> Mapping[str, RecordInfo]:
        """The records found, by id; a record not in the archive is left out."""
        ...


# --- cells --------------------------------------------------------------------------------


def neutralise_cell(text: str) -> str:
    """The cell as written to CSV: a spreadsheet never runs it as a formula."""
    return "'" + text if text.startswith(_NEUTRALISED_STARTS) else text


def restore_cell(cell: str) -> str:
    """The text a cell was made from (undoes `neutralise_cell`)."""
    if cell.startswith("'") and cell[1:].startswith(_NEUTRALISED_STARTS):
        return cell[1:]
    return cell


# --- notes: rows --------------------------------------------------------------------------


def _record_kind(record_id: str) -> str:
    return record_id.split("/", 1)[0] if "/" in record_id else ""


def _describe_all(record_ids: Sequence[str], info: RecordLookup) -> list[RecordInfo]:
    """Each record as the export shows it, in the order of `record_ids`."""
    if isinstance(info, BulkRecordLookup):
        found: Mapping[str, RecordInfo | None] = info.many(record_ids)
    else:
        found = {record_id: info(record_id) for record_id in record_ids}
    described = []
    for record_id in record_ids:
        record = found.get(record_id)
        if record is None:  # gone from this archive (or another archive): keep the note anyway
            record = RecordInfo(record_id, _record_kind(record_id), "", [])
        described.append(record)
    return described


class _RowSink:
    """A csv.writer target that keeps each row it is given as one string."""

    def __init__(self) -> None:
        self.rows: list[str] = []
        self.write = self.rows.append


def _record_cells(records: Iterable[RecordInfo]) -> list[str]:
    """Each record's first four CSV cells, encoded, ending in a comma (one writer for all)."""
    sink = _RowSink()
    writer = csv.writer(sink, lineterminator=",", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(
        (
            neutralise_cell(record.id),
            neutralise_cell(record.type),
            neutralise_cell(record.title),
            neutralise_cell("; ".join(record.citations)),
        )
        for record in records
    )
    return sink.rows


def notes_csv_lines(store: UserStore, archive_id: str, info: RecordLookup) -> list[str]:
    """The CSV data lines (no line ends) of one archive's notes and bookmarks.

    One line per note, by record id then time; a bookmarked record without notes gets one
    line with an empty note (`created` is the bookmark's time, `modified` is empty).
    """
    # The per-note work (neutralising, quoting, joining the note's cells) runs inside
    # SQLite: 100,000 notes must export in about the time a bare csv.writer takes.
    summary, note_cells = store.csv_export_cells(archive_id, _NEUTRALISED_STARTS, "'")
    heads = _record_cells(_describe_all([record_id for record_id, _, _ in summary], info))
    lines: list[str] = []
    position = 0
    for (_record_id, count, bookmarked), head in zip(summary, heads, strict=True):
        if count:
            tail = ",yes" if bookmarked else ",no"
            lines += [head + cells + tail for cells in note_cells[position : position + count]]
            position += count
        else:
            lines.append(f"{head},{bookmarked},,yes")
    return lines


def write_notes_csv(
    store: UserStore, archive_id: str, info: RecordLookup, out: Path | TextIO
) -> int:
    """Write notes and bookmarks of one archive as CSV; returns the number of data rows.

    Columns: NOTES_CSV_COLUMNS; rows as `notes_csv_lines` describes. `out` is a path
    (written atomically) or a text stream opened with `newline=""`; the byte-order mark is
    written as U+FEFF at the start.
    """
    lines = notes_csv_lines(store, archive_id, info)
    with _text_output(out, "utf-8") as stream:
        stream.write("\ufeff" + ",".join(NOTES_CSV_COLUMNS) + "\r\n")
        if lines:
            stream.write("\r\n".join(lines))
            stream.write("\r\n")
    return len(lines)


def write_csv_rows(rows: Iterable[Iterable[str]], out: Path | TextIO, header: Iterable[str]) -> int:
    """Any table as spreadsheet-safe CSV, every cell neutralised; returns the data rows."""
    safe = [[neutralise_cell(cell) for cell in row] for row in rows]
    with _text_output(out, "utf-8") as stream:
        _write_csv(stream, [neutralise_cell(cell) for cell in header], safe)
    return len(safe)


def _write_csv(stream: TextIO, header: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)


# --- notes: Markdown ----------------------------------------------------------------------

_MARKDOWN_INLINE = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
        "~": "\\~",
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
    }
)
_BLOCK_MARKER = re.compile(r"([#=+\-])|(\d{1,9})([.)])")


def escape_markdown(text: str) -> str:
    """One line of user text as literal Markdown: no headings, lists, code, links or HTML."""
    line = text.replace("\r", " ").replace("\n", " ").translate(_MARKDOWN_INLINE)
    body = line.lstrip(" \t")
    indent = line[: len(line) - len(body)]
    # Leading spaces would start a code block; keep the indentation visible instead.
    visible_indent = indent.replace("\t", "    ").replace(" ", "&nbsp;")
    marker = _BLOCK_MARKER.match(body)
    if marker and marker.group(1):
        body = "\\" + body
    elif marker:
        body = marker.group(2) + "\\" + body[marker.end(2) :]
    return visible_indent + body


def _markdown_paragraphs(text: str) -> str:
    """A note's text as Markdown paragraphs; its line breaks become hard breaks."""
    paragraphs: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            paragraphs[-1].append(escape_markdown(line.rstrip()))
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\\\n".join(lines) for lines in paragraphs if lines)


def _readable_time(iso: str) -> str:
    # 2026-12-03T15:30:00.123Z -> 2026-12-03 15:30 UTC
    if len(iso) >= 16 and iso[10] == "T" and iso.endswith("Z"):
        return f"{iso[:10]} {iso[11:16]} UTC"
    return escape_markdown(iso)


def _record_markdown(
    record: RecordInfo, bookmark_created: str | None, notes: list[tuple[str, str, str]]
) -> list[str]:
    heading = escape_markdown(record.title) if record.title else "(not in this archive)"
    parts = [f"## {heading} ({escape_markdown(record.id)})", ""]
    facts = [f"Type: {escape_markdown(record.type)}" if record.type else ""]
    if bookmark_created:
        facts.append(f"bookmarked {_readable_time(bookmark_created)}")
    parts += [" · ".join(fact for fact in facts if fact), ""]
    if record.citations:
        parts.append("References:")
        parts += [f"- {escape_markdown(citation)}" for citation in record.citations]
        parts.append("")
    for number, (text, created, modified) in enumerate(notes, start=1):
        times = f"written {_readable_time(created)}"
        if modified and modified != created:
            times += f", changed {_readable_time(modified)}"
        parts += [f"### Note {number} ({times})", ""]
        body = _markdown_paragraphs(text)
        parts += [body if body else "*(empty note)*", ""]
    return parts


def write_notes_markdown(
    store: UserStore,
    archive_id: str,
    info: RecordLookup,
    out: Path | TextIO,
    archive_title: str | None = None,
) -> int:
    """Write notes and bookmarks as Markdown, a section per record; returns records written."""
    bookmarked = {b.record_id: b.created for b in store.bookmarks(archive_id)}
    by_record: dict[str, list[tuple[str, str, str]]] = {}
    for _note_id, record_id, text, created, modified in store.note_rows(archive_id):
        by_record.setdefault(record_id, []).append((text, created, modified))
    record_ids = sorted(by_record.keys() | bookmarked.keys())
    name = escape_markdown(archive_title or archive_id)
    lines = [
        f"# Notes and bookmarks: {name}",
        "",
        f"Exported {_readable_time(now_utc())} from the archive {escape_markdown(archive_id)}:"
        f" {len(record_ids)} records, {sum(map(len, by_record.values()))} notes.",
        "",
    ]
    for record_id, record in zip(record_ids, _describe_all(record_ids, info), strict=True):
        lines += _record_markdown(record, bookmarked.get(record_id), by_record.get(record_id, []))
    with _text_output(out, "utf-8") as stream:
        stream.write("\n".join(lines))
    return len(record_ids)


# --- sources: CSL-JSON --------------------------------------------------------------------

# Our source kinds -> CSL types Zotero maps to its own item types.
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


# --- output -------------------------------------------------------------------------------


@contextmanager
def _text_output(out: Path | TextIO, encoding: str) -> Iterator[TextIO]:
    """A stream to write to; a path is written to a temporary file and renamed at the end,
    so a failed export never leaves half a file (or destroys the previous one)."""
    if not isinstance(out, str | os.PathLike):
        yield out
        return
    target = Path(out)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as error:
        raise _export_error(target, error) from error
    try:
        with open(handle, "w", encoding=encoding, newline="") as stream:
            yield stream
        os.replace(temporary, target)
    except OSError as error:
        _remove_quietly(temporary)
        raise _export_error(target, error) from error
    except BaseException:
        _remove_quietly(temporary)
        raise


def _remove_quietly(path: str) -> None:
    # Already gone, or the folder vanished: nothing left to tidy.
    with suppress(OSError):
        os.unlink(path)


def _export_error(target: Path, error: OSError) -> ExportError:
    reason = error.strerror or str(error)
    return ExportError(f"Cannot write the export file {target}: {reason}.")
