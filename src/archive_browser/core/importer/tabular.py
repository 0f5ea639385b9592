"""One table from one file, the way people hold it: CSV/TSV in any common encoding, or XLSX.

Everything is streamed with limits, so a hostile file costs a bounded amount of memory: a
physical line is read at most `MAX_LINE_CHARS` at a time, a cell may hold `MAX_CELL_CHARS`,
a header `MAX_COLUMNS`. A structural problem (a line too long, a NUL byte, bytes that are not
text in the encoding) stops the reading with the file and line; problems in cells are the
mapping's to report.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from archive_browser.core.importer.format import BuildError, Problem, Progress

MAX_LINE_CHARS = 8_000_000
MAX_CELL_CHARS = 1_000_000
MAX_COLUMNS = 10_000
SNIFF_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")

# Encodings offered (and accepted by --encoding) besides whatever Python knows by name.
COMMON_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1251", "cp1252", "koi8-r", "latin-1")


@dataclass(frozen=True)
class Encoding:
    name: str  # a Python codec name
    reason: str  # how it was decided, for the user


def detect_encoding(sample: bytes) -> Encoding:
    """BOM first, then strict UTF-8, then Windows-1251 or -1252 by the shape of the text.

    Russian text in cp1251 is made of high bytes that follow each other (whole words);
    German or French text in cp1252 has high bytes (ä, é, ß) alone or in pairs between
    ASCII letters, hardly ever three in a row.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return Encoding("utf-8-sig", "UTF-8 (with a byte-order mark)")
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Encoding("utf-16", "UTF-16 (Excel's “Unicode text”, byte-order mark)")
    try:
        sample.decode("utf-8")
        return Encoding("utf-8", "UTF-8")
    except UnicodeDecodeError as exc:
        # A sample cut inside a multi-byte character is still UTF-8.
        if exc.reason == "unexpected end of data" and exc.start >= len(sample) - 3:
            return Encoding("utf-8", "UTF-8")
    high = sum(1 for b in sample if b >= 0x80)
    in_words = sum(len(run) for run in re.findall(rb"[\x80-\xff]{3,}", sample))
    if in_words >= 0.5 * high:
        return Encoding("cp1251", "Windows-1251 (Cyrillic), by its letters")
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return Encoding("cp1251", "Windows-1251 (Cyrillic), by its letters")
    return Encoding("cp1252", "Windows-1252 (Western European), by its letters")


def check_encoding_name(name: str) -> str:
    """The codec's canonical name, or a BuildError naming the encodings one may give."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise BuildError(
            [
                Problem(
                    "--encoding",
                    0,
                    f"unknown encoding {name!r}; for example {', '.join(COMMON_ENCODINGS)}.",
                )
            ]
        ) from None


def sniff_delimiter(first_line: str, candidates: tuple[str, ...] = DELIMITERS) -> str:
    """The candidate seen most often outside quotes in the header line (',' on a tie)."""
    counts = dict.fromkeys(candidates, 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(candidates, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Table:
    """One file's header and a way to read its rows (again) from the start."""

    path: Path
    header: list[str]
    encoding: Encoding | None = None  # None for a spreadsheet
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    utf8_only: bool = False  # the seven-file format: say "save it as CSV UTF-8"

    @property
    def name(self) -> str:
        """How problems name the file: `opis.csv`, `opis.xlsx [sheet Opis]`."""
        return f"{self.path.name} [sheet {self.sheet}]" if self.sheet else self.path.name

    def where(self, column: int) -> str:
        """How problems name a column: `column C (Titel)`."""
        label = self.header[column] if column < len(self.header) else ""
        return f"column {column_letter(column)} ({label})" if label else f"column {column + 1}"

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line or row number, cells) of each data row; BuildError on a structural fault."""
        if self.sheet is not None:
            yield from _xlsx_rows(self.path, self.sheet, skip_header=True)
        else:
            assert self.encoding is not None and self.delimiter is not None
            reader = _CsvReader(self.path, self.encoding.name, self.delimiter, self.utf8_only)
            with reader:
                rows = reader.rows()
                next(rows, None)
                yield from rows

    def filled_rows(self, progress: Progress | None = None) -> Iterator[tuple[int, list[str]]]:
        """The rows that are not blank, telling `progress` every 2,000 of them."""
        count = 0
        for line, cells in self.rows():
            if not any(c.strip() for c in cells):
                continue
            count += 1
            if progress and count % 2000 == 0:
                progress("read", count, 0)
            yield line, cells


def open_table(
    path: Path,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    delimiters: tuple[str, ...] = DELIMITERS,
    utf8_only: bool = False,
) -> Table:
    """Read the header (and decide the encoding and delimiter); BuildError says what is wrong."""
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return _open_xlsx(path, sheet)
    if sheet:
        raise BuildError([Problem(path.name, 0, "--sheet is for spreadsheets (.xlsx) only.")])
    try:
        with path.open("rb") as stream:
            sample = stream.read(SNIFF_BYTES)
    except OSError as exc:
        raise BuildError(
            [Problem(path.name, 0, f"cannot read the file: {exc.strerror}.")]
        ) from None
    if encoding:
        chosen = Encoding(check_encoding_name(encoding), f"{encoding} (as you chose)")
    else:
        chosen = detect_encoding(sample)
    first_line = sample.decode(chosen.name, errors="replace").lstrip("\ufeff")
    first_line = first_line.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line, delimiters)
    reader = _CsvReader(path, chosen.name, delimiter, utf8_only)
    with reader:
        header = next(reader.rows(), None)
    if header is None:
        raise BuildError([Problem(path.name, 1, "the file is empty; it needs a header line.")])
    return Table(
        path, _checked_header(path.name, header[1]), chosen, delimiter, utf8_only=utf8_only
    )


def _checked_header(name: str, cells: list[str]) -> list[str]:
    if len(cells) > MAX_COLUMNS:
        raise BuildError(
            [
                Problem(
                    name,
                    1,
                    f"the header has {len(cells):,} columns; at most {MAX_COLUMNS:,} are read.",
                )
            ]
        )
    header = [c.strip() or f"Column {column_letter(i)}" for i, c in enumerate(cells)]
    seen: dict[str, int] = {}
    problems = []
    for index, label in enumerate(header):
        key = label.casefold()
        if key in seen:
            problems.append(
                Problem(
                    name,
                    1,
                    f"the column {label!r} appears twice (columns {column_letter(seen[key])} "
                    f"and {column_letter(index)}); rename or remove one.",
                )
            )
        else:
            seen[key] = index
    if problems:
        raise BuildError(problems)
    return header


class _Lines:
    """Physical lines for csv.reader, each at most MAX_LINE_CHARS long, NUL-free."""

    def __init__(self, stream: io.TextIOBase, name: str, utf8_only: bool = False) -> None:
        self.stream = stream
        self.name = name
        self.number = 0
        self.utf8_only = utf8_only

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        try:
            line = self.stream.readline(MAX_LINE_CHARS + 1)
        except UnicodeDecodeError as exc:
            why = (
                "the file is not UTF-8 text; save it as CSV UTF-8."
                if self.utf8_only
                else f"bytes that are not {exc.encoding} text ({exc.reason}); "
                "choose the file's encoding (--encoding)."
            )
            raise BuildError([Problem(self.name, self.number + 1, why)]) from None
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > MAX_LINE_CHARS:
            raise BuildError(
                [
                    Problem(
                        self.name,
                        self.number,
                        f"the line is longer than {MAX_LINE_CHARS:,} characters; "
                        "this is not a table a person wrote.",
                    )
                ]
            )
        if "\x00" in line:
            raise BuildError(
                [
                    Problem(
                        self.name,
                        self.number,
                        "the line holds a NUL byte: this is not a text file "
                        "(or it is UTF-16 without a byte-order mark; choose --encoding).",
                    )
                ]
            )
        return line


class _CsvReader:
    def __init__(self, path: Path, encoding: str, delimiter: str, utf8_only: bool = False) -> None:
        self.utf8_only = utf8_only
        self.path = path
        self.encoding = encoding
        self.delimiter = delimiter
        self.stream: io.TextIOWrapper | None = None

    def __enter__(self) -> _CsvReader:
        try:
            self.stream = self.path.open(encoding=self.encoding, errors="strict", newline="")
        except OSError as exc:
            raise BuildError(
                [Problem(self.path.name, 0, f"cannot read the file: {exc.strerror}.")]
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.stream is not None:
            self.stream.close()

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        assert self.stream is not None
        lines = _Lines(self.stream, self.path.name, self.utf8_only)
        # csv's limit is per process; the same limit everywhere in the importer is intended.
        csv.field_size_limit(MAX_CELL_CHARS)
        reader = csv.reader(lines, delimiter=self.delimiter)
        first = True
        while True:
            start = lines.number + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                text = str(exc)
                if "field larger than field limit" in text:
                    text = f"a cell is longer than {MAX_CELL_CHARS:,} characters"
                raise BuildError(
                    [Problem(self.path.name, start, f"the line cannot be read: {text}.")]
                ) from None
            if first:
                first = False
                if cells:
                    cells[0] = cells[0].lstrip("\ufeff")
            elif len(cells) > MAX_COLUMNS:
                raise BuildError(
                    [
                        Problem(
                            self.path.name,
                            start,
                            f"{len(cells):,} cells; at most {MAX_COLUMNS:,} are read.",
                        )
                    ]
                )
            yield start, cells


# ----------------------------------------------------------------------------- XLSX


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _damaged(path: Path, exc: BaseException) -> BuildError:
    return BuildError(
        [
            Problem(
                path.name,
                0,
                f"the spreadsheet cannot be read ({type(exc).__name__}: {exc}); "
                "it may be damaged or truncated; open and save it again.",
            )
        ]
    )


def _workbook(path: Path) -> Any:  # an openpyxl Workbook, read-only
    import openpyxl  # a second at start-up otherwise

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise BuildError(
            [Problem(path.name, 0, f"cannot read the file: {exc.strerror}.")]
        ) from None
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, TypeError) as exc:
        raise _damaged(path, exc) from None
    except Exception as exc:  # openpyxl raises many types on damaged files: all mean "damaged"
        raise _damaged(path, exc) from None


def _open_xlsx(path: Path, sheet: str | None) -> Table:
    workbook = _workbook(path)
    try:
        names = list(workbook.sheetnames)
        if not names:
            raise BuildError([Problem(path.name, 0, "the workbook has no sheets.")])
        if sheet is not None and sheet not in names:
            raise BuildError(
                [
                    Problem(
                        path.name,
                        0,
                        f"no sheet {sheet!r}; the sheets are {', '.join(map(repr, names))}.",
                    )
                ]
            )
        chosen = sheet if sheet is not None else names[0]
    finally:
        workbook.close()
    header = next(_xlsx_rows(path, chosen, skip_header=False), None)
    if header is None:
        raise BuildError(
            [Problem(f"{path.name} [sheet {chosen}]", 1, "the sheet is empty; it needs a header.")]
        )
    cells = list(header[1])
    while cells and not cells[-1].strip():
        cells.pop()
    return Table(
        path, _checked_header(f"{path.name} [sheet {chosen}]", cells), None, None, chosen, names
    )


def _xlsx_rows(path: Path, sheet: str, *, skip_header: bool) -> Iterator[tuple[int, list[str]]]:
    workbook = _workbook(path)
    name = f"{path.name} [sheet {sheet}]"
    try:
        worksheet = workbook[sheet]
        # A hostile <dimension> could make every row 16,384 cells wide: ignore it.
        worksheet.reset_dimensions()
        rows = worksheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a truncated sheet fails inside openpyxl's parser
                raise _damaged(path, exc) from None
            number += 1
            if len(values) > MAX_COLUMNS:
                raise BuildError(
                    [Problem(name, number, f"{len(values):,} cells; at most {MAX_COLUMNS:,}.")]
                )
            cells = [_cell_text(v) for v in values]
            for index, cell in enumerate(cells):
                if len(cell) > MAX_CELL_CHARS:
                    raise BuildError(
                        [
                            Problem(
                                name,
                                number,
                                f"column {column_letter(index)}: a cell is longer than "
                                f"{MAX_CELL_CHARS:,} characters.",
                            )
                        ]
                    )
            if number == 1 and skip_header:
                continue
            yield number, cells
    finally:
        workbook.close()
