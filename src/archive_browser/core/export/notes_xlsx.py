"""Notes and bookmarks as an Excel workbook (XLSX, written with openpyxl).

Unlike CSV, XLSX says what each cell is, so no apostrophe is needed: every text cell is
stored as text (a note beginning with `=`, `+`, `-` or `@` is never a formula), and one that
a spreadsheet would read as a formula when edited also gets Excel's hidden "quote prefix"
style, which shows nothing in the cell. Times are real date-times (UTC, to the second), so
they sort and filter as dates. Line breaks stay inside their cell (wrapped), Cyrillic is
plain Unicode.

Sheets: "Notes" (the rows `note_table` gives, the columns of the CSV export) and
"Bookmarks" (one row per bookmarked record, with its tags). Tags are joined with `; ` in one
cell, as in the CSV export.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, cast

from archive_browser.core.export.cells import FORMULA_STARTS
from archive_browser.core.export.notes_csv import TAG_SEPARATOR, note_table
from archive_browser.core.export.output import text_output
from archive_browser.core.records import RecordInfo, RecordLookup, describe_all
from archive_browser.core.store import UserStore

NOTES_SHEET_COLUMNS = (
    "record_id",
    "type",
    "title",
    "archival_references",
    "note",
    "created (UTC)",
    "modified (UTC)",
    "bookmarked",
    "tags",
)
BOOKMARKS_SHEET_COLUMNS = (
    "record_id",
    "type",
    "title",
    "archival_references",
    "bookmarked (UTC)",
    "tags",
)
# Excel's limit for one cell; a longer note is cut there with a sentence saying so.
MAX_CELL_CHARACTERS = 32_767
_DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
_WIDTHS = {"record_id": 28, "title": 36, "archival_references": 30, "note": 60}


def _when(iso: str) -> datetime | str:
    """A stored time (2026-12-03T15:30:00.123Z) as a date-time Excel shows; other text as is."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    # Excel has no time zones: UTC, said in the column's header.
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def _text_cell(sheet: Any, text: str, wrap: bool = False) -> Any:
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment  # type: ignore[import-untyped]

    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)  # XML cannot hold control characters
    if len(text) > MAX_CELL_CHARACTERS:
        kept = MAX_CELL_CHARACTERS - 80  # room for the sentence
        text = text[:kept] + f" […{len(text) - kept} more characters: see the CSV export]"
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would make "=…" a formula
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _time_cell(sheet: Any, iso: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    value = _when(iso) if iso else ""
    if isinstance(value, str):
        return _text_cell(sheet, value)
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = _DATE_FORMAT
    return cell


def _header(sheet: Any, columns: Sequence[str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    cells = []
    for index, name in enumerate(columns):
        cell = _text_cell(sheet, name)
        cell.font = Font(bold=True)
        cells.append(cell)
        sheet.column_dimensions[get_column_letter(index + 1)].width = _WIDTHS.get(name, 16)
    sheet.freeze_panes = "A2"
    sheet.append(cells)


def _record_cells(sheet: Any, record: RecordInfo) -> list[Any]:
    return [
        _text_cell(sheet, record.id),
        _text_cell(sheet, record.type),
        _text_cell(sheet, record.title),
        _text_cell(sheet, "\n".join(record.citations), wrap=True),
    ]


def notes_workbook(store: UserStore, archive_id: str, info: RecordLookup) -> tuple[Any, int]:
    """The workbook (openpyxl, write-only) and its number of note rows."""
    from openpyxl import Workbook  # 50 ms: not at start-up

    workbook = Workbook(write_only=True)
    notes = workbook.create_sheet("Notes")
    _header(notes, NOTES_SHEET_COLUMNS)
    rows = note_table(store, archive_id, info)
    for row in rows:
        notes.append(
            [
                *_record_cells(notes, row.record),
                _text_cell(notes, row.note, wrap=True),
                _time_cell(notes, row.created),
                _time_cell(notes, row.modified),
                _text_cell(notes, "yes" if row.bookmarked else "no"),
                _text_cell(notes, TAG_SEPARATOR.join(row.tags)),
            ]
        )
    bookmarks_sheet = workbook.create_sheet("Bookmarks")
    _header(bookmarks_sheet, BOOKMARKS_SHEET_COLUMNS)
    bookmarks = sorted(store.bookmarks(archive_id), key=lambda b: b.record_id)
    records = describe_all([b.record_id for b in bookmarks], info)
    tags = store.record_tags(archive_id)
    for bookmark, record in zip(bookmarks, records, strict=True):
        bookmarks_sheet.append(
            [
                *_record_cells(bookmarks_sheet, record),
                _time_cell(bookmarks_sheet, bookmark.created),
                _text_cell(bookmarks_sheet, TAG_SEPARATOR.join(tags.get(bookmark.record_id, ()))),
            ]
        )
    return workbook, len(rows)


def write_notes_xlsx(
    store: UserStore, archive_id: str, info: RecordLookup, out: Path | str | BinaryIO
) -> int:
    """Write notes and bookmarks of one archive as XLSX; returns the number of note rows.

    `out` is a path (written atomically, like every export) or a binary stream.
    """
    workbook, count = notes_workbook(store, archive_id, info)
    data = io.BytesIO()
    workbook.save(data)
    if isinstance(out, str | os.PathLike):
        with text_output(Path(out), "utf-8") as stream:
            # The atomic writer opens text; an XLSX is bytes, written to its binary layer.
            binary = cast(io.TextIOWrapper, stream).buffer
            binary.write(data.getvalue())
    else:
        out.write(data.getvalue())
    return count
