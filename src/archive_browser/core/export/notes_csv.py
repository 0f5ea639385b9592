"""Notes and bookmarks as CSV for spreadsheets (UTF-8 with BOM, CRLF, RFC 4180)."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from archive_browser.core.export.cells import NEUTRALISED_STARTS, neutralise_cell
from archive_browser.core.export.output import text_output
from archive_browser.core.records import RecordInfo, RecordLookup, describe_all
from archive_browser.core.store import UserStore

NOTES_CSV_COLUMNS = (
    "record_id",
    "type",
    "title",
    "archival_references",
    "note",
    "created",
    "modified",
    "bookmarked",
    "tags",
)
# A record's tags in one cell; a tag never holds this separator (`store.tag_name`).
TAG_SEPARATOR = "; "


# Languages whose spreadsheets (Excel's list separator follows the decimal comma) expect `;`.
SEMICOLON_LANGUAGES = frozenset({"de", "ru"})


def default_csv_delimiter(environ: Mapping[str, str] | None = None) -> str:
    """`;` under a German or Russian locale, else `,`: German and Russian Excel open a comma
    CSV as one column. The locale is the first of LC_ALL, LC_NUMERIC, LANG that is set."""
    environ = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_NUMERIC", "LANG"):
        if value := environ.get(variable, ""):
            language = value.split("_", 1)[0].split(".", 1)[0].lower()
            return ";" if language in SEMICOLON_LANGUAGES else ","
    return ","


@dataclass(frozen=True)
class NoteRow:
    """One row of a notes table: a note, or a bookmarked or tagged record without notes
    (empty note, `created` the bookmark's time or empty, `modified` empty)."""

    record: RecordInfo
    note: str
    created: str
    modified: str
    bookmarked: bool
    tags: tuple[str, ...] = ()


def note_table(store: UserStore, archive_id: str, info: RecordLookup) -> list[NoteRow]:
    """The rows every notes table shows (CSV with any delimiter, XLSX): one per note, by
    record id then time; a bookmarked or tagged record without notes gets one row."""
    bookmarks = {b.record_id: b.created for b in store.bookmarks(archive_id)}
    tags = store.record_tags(archive_id)
    notes: dict[str, list[tuple[str, str, str]]] = {}
    for _note_id, record_id, text, created, modified in store.note_rows(archive_id):
        notes.setdefault(record_id, []).append((text, created, modified))
    record_ids = sorted(notes.keys() | bookmarks.keys() | tags.keys())
    rows: list[NoteRow] = []
    for record in describe_all(record_ids, info):
        bookmark = bookmarks.get(record.id)
        record_tags = tuple(tags.get(record.id, ()))
        if record.id not in notes:
            rows.append(NoteRow(record, "", bookmark or "", "", bookmark is not None, record_tags))
            continue
        for text, created, modified in notes[record.id]:
            rows.append(NoteRow(record, text, created, modified, bookmark is not None, record_tags))
    return rows


class _RowSink:
    """A csv.writer target that keeps each row it is given as one string."""

    def __init__(self) -> None:
        self.rows: list[str] = []
        self.write = self.rows.append


def _tag_cells(tag_lists: Iterable[Iterable[str]]) -> list[str]:
    """Each record's tags cell, encoded, preceded by a comma (one writer for all)."""
    sink = _RowSink()
    # Two cells, the first empty: csv writes a lone empty cell as "" (an empty row otherwise).
    writer = csv.writer(sink, lineterminator="", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(("", neutralise_cell(TAG_SEPARATOR.join(tags))) for tags in tag_lists)
    return sink.rows


def _record_cells(records: Iterable[RecordInfo]) -> list[str]:
    """Each record's first four CSV cells, encoded, ending in a comma (one writer for all)."""
    sink = _RowSink()
    # The csv module quotes a cell holding a line break only when the line terminator has
    # that character: "\r\n", cut off below (with "," a title holding "\r" went unquoted).
    writer = csv.writer(sink, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(
        (
            neutralise_cell(record.id),
            neutralise_cell(record.type),
            neutralise_cell(record.title),
            neutralise_cell("; ".join(record.citations)),
        )
        for record in records
    )
    return [row[:-2] + "," for row in sink.rows]


def notes_csv_lines(store: UserStore, archive_id: str, info: RecordLookup) -> list[str]:
    """The CSV data lines (no line ends) of one archive's notes and bookmarks.

    One line per note, by record id then time; a bookmarked or tagged record without notes
    gets one line with an empty note (`created` is the bookmark's time, `modified` is empty).
    """
    # The per-note work (neutralising, quoting, joining the note's cells) runs inside
    # SQLite: 100,000 notes must export in about the time a bare csv.writer takes.
    summary, note_cells = store.csv_export_cells(archive_id, NEUTRALISED_STARTS, "'")
    record_ids = [record_id for record_id, _, _ in summary]
    heads = _record_cells(describe_all(record_ids, info))
    tags = store.record_tags(archive_id)
    tag_cells = _tag_cells(tags.get(record_id, ()) for record_id in record_ids)
    lines: list[str] = []
    position = 0
    for (_record_id, count, bookmarked), head, tag_cell in zip(
        summary, heads, tag_cells, strict=True
    ):
        if count:
            tail = (",yes" if bookmarked else ",no") + tag_cell
            lines += [head + cells + tail for cells in note_cells[position : position + count]]
            position += count
        else:
            lines.append(f"{head},{bookmarked or ''},,{'yes' if bookmarked else 'no'}{tag_cell}")
    return lines


def write_notes_csv(
    store: UserStore,
    archive_id: str,
    info: RecordLookup,
    out: Path | TextIO,
    delimiter: str = ",",
) -> int:
    """Write notes and bookmarks of one archive as CSV; returns the number of data rows.

    Columns: NOTES_CSV_COLUMNS; rows as `notes_csv_lines` describes. `out` is a path
    (written atomically) or a text stream opened with `newline=""`; the byte-order mark is
    written as U+FEFF at the start. `delimiter` is `,` (built inside SQLite, the fast path)
    or any other one character (`;` for German and Russian Excel: `default_csv_delimiter`).
    """
    if delimiter != ",":
        return _write_notes_csv_with(store, archive_id, info, out, delimiter)
    lines = notes_csv_lines(store, archive_id, info)
    with text_output(out, "utf-8") as stream:
        stream.write("\ufeff" + ",".join(NOTES_CSV_COLUMNS) + "\r\n")
        if lines:
            stream.write("\r\n".join(lines))
            stream.write("\r\n")
    return len(lines)


def _write_notes_csv_with(
    store: UserStore, archive_id: str, info: RecordLookup, out: Path | TextIO, delimiter: str
) -> int:
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise ValueError(f"{delimiter!r} cannot separate CSV cells: choose one character.")
    rows = [
        [
            neutralise_cell(cell)
            for cell in (
                row.record.id,
                row.record.type,
                row.record.title,
                "; ".join(row.record.citations),
                row.note,
                row.created,
                row.modified,
            )
        ]
        + ["yes" if row.bookmarked else "no", neutralise_cell(TAG_SEPARATOR.join(row.tags))]
        for row in note_table(store, archive_id, info)
    ]
    with text_output(out, "utf-8") as stream:
        _write_csv(stream, NOTES_CSV_COLUMNS, rows, delimiter)
    return len(rows)


RECORDS_CSV_COLUMNS = ("record_id", "type", "title", "archival_references")


def write_records_csv(record_ids: Iterable[str], info: RecordLookup, out: Path | TextIO) -> int:
    """Some records (a selection of rows) as CSV: id, type, title and archival references,
    in the order given; returns the number of data rows."""
    rows = (
        (record.id, record.type, record.title, "; ".join(record.citations))
        for record in describe_all(list(record_ids), info)
    )
    return write_csv_rows(rows, out, RECORDS_CSV_COLUMNS)


def write_csv_rows(rows: Iterable[Iterable[str]], out: Path | TextIO, header: Iterable[str]) -> int:
    """Any table as spreadsheet-safe CSV, every cell neutralised; returns the data rows."""
    safe = [[neutralise_cell(cell) for cell in row] for row in rows]
    with text_output(out, "utf-8") as stream:
        _write_csv(stream, [neutralise_cell(cell) for cell in header], safe)
    return len(safe)


def _write_csv(
    stream: TextIO, header: Iterable[str], rows: Iterable[Iterable[str]], delimiter: str = ","
) -> None:
    stream.write("\ufeff")
    writer = csv.writer(
        stream, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow(header)
    writer.writerows(rows)
