"""Exporters: notes and bookmarks to CSV, XLSX and Markdown; sources to CSL-JSON (Zotero), RIS
and biblatex.

The archive is reached only through a callable `info(record_id) -> RecordInfo | None`, so
the exporters need no archive code and work for any archive (or none: a record that is no
longer in the archive is still exported, with its id). A lookup that also has
`many(record_ids)` (a `BulkRecordLookup`) is asked once for all records of an export.

CSV is written for spreadsheets: UTF-8 with a byte-order mark (Excel needs it to read
UTF-8), CRLF line ends, RFC 4180 quoting, line breaks kept inside their cell. A cell that a
spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`, tab or carriage
return, or their full-width forms) gets a leading `'` (OWASP's advice); a cell already
beginning with `'` gets one too, so `restore_cell` gives back the exact text.

Modules: `notes_csv`, `notes_xlsx`, `notes_markdown`, `csl`, `ris`, `biblatex` (one per
format), `sources` (a source as every bibliography format reads it), `creators` (authors in
their parts), `cells` (spreadsheet-safe cells), `output` (atomic writing); what an export
shows of a record is `core.records`.
"""

from archive_browser.core.dates import csl_date
from archive_browser.core.export.biblatex import write_sources_biblatex
from archive_browser.core.export.cells import FORMULA_STARTS, neutralise_cell, restore_cell
from archive_browser.core.export.csl import CSL_TYPES, csl_item, write_sources_csl_json
from archive_browser.core.export.notes_csv import (
    NOTES_CSV_COLUMNS,
    RECORDS_CSV_COLUMNS,
    default_csv_delimiter,
    note_table,
    notes_csv_lines,
    write_csv_rows,
    write_notes_csv,
    write_records_csv,
)
from archive_browser.core.export.notes_markdown import (
    escape_markdown,
    write_notes_markdown,
    write_notes_markdown_split,
)
from archive_browser.core.export.notes_xlsx import write_notes_xlsx
from archive_browser.core.export.output import ExportError
from archive_browser.core.export.ris import write_sources_ris
from archive_browser.core.records import BulkRecordLookup, RecordInfo, RecordLookup

__all__ = [
    "CSL_TYPES",
    "FORMULA_STARTS",
    "NOTES_CSV_COLUMNS",
    "RECORDS_CSV_COLUMNS",
    "BulkRecordLookup",
    "ExportError",
    "RecordInfo",
    "RecordLookup",
    "csl_date",
    "csl_item",
    "default_csv_delimiter",
    "escape_markdown",
    "neutralise_cell",
    "note_table",
    "notes_csv_lines",
    "restore_cell",
    "write_csv_rows",
    "write_notes_csv",
    "write_notes_markdown",
    "write_notes_markdown_split",
    "write_notes_xlsx",
    "write_records_csv",
    "write_sources_biblatex",
    "write_sources_csl_json",
    "write_sources_ris",
]
