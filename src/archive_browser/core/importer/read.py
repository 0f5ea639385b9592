"""Reading the CSV files: encodings, delimiters, header checks, one Row per line."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from archive_browser.core.importer.format import (
    AUTHORITY_FILE,
    AUX_TABLES,
    META,
    TYPE_FILES,
    AuxTable,
    BuildError,
    Dataset,
    Problem,
    Progress,
    Row,
    input_files,
)
from archive_browser.core.importer.staleness import code_digest
from archive_browser.core.importer.tabular import open_table
from archive_browser.core.record_types import RecordType


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BuildError(
            [Problem(name, line, "the file is not UTF-8 text; save it as CSV UTF-8.")]
        ) from None


def _sniff_delimiter(header_line: str) -> str:
    # Excel and LibreOffice in many European locales save with ';'.
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_csv(name: str, text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and (start line, cells) of each record; quoted line breaks stay in cells."""
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    try:
        header = next(reader)
    except StopIteration:
        return [], iter(())
    except csv.Error as exc:
        raise BuildError([Problem(name, 1, f"the header cannot be read: {exc}.")]) from None

    def records() -> Iterator[tuple[int, list[str]]]:
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise BuildError(
                    [Problem(name, start, f"the line cannot be read: {exc}.")]
                ) from None
            yield start, cells
            start = reader.line_num + 1

    return [h.strip() for h in header], records()


def _read_file(
    path: Path,
    columns: Sequence[str],
    required: Sequence[str],
    problems: list[Problem],
) -> list[Row]:
    """Streamed with the single-file reader's limits (line, cell, column count), so a hostile
    file costs bounded memory; a header naming a column twice is an error."""
    name = path.name
    try:
        table = open_table(path, encoding="utf-8-sig", delimiters=(",", ";"), utf8_only=True)
    except BuildError as exc:
        problems.extend(exc.problems)
        return []
    header = table.header
    unknown = [h for h in header if h not in columns]
    missing = [c for c in required if c not in header]
    if unknown:
        problems.append(
            Problem(
                name,
                1,
                f"unknown column(s) {', '.join(map(repr, unknown))}; "
                f"the columns of {name} are {', '.join(columns)}.",
            )
        )
    if missing:
        problems.append(Problem(name, 1, f"missing required column(s) {', '.join(missing)}."))
    if unknown or missing:
        return []
    rows: list[Row] = []
    try:
        for line, cells in table.rows():
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append(
                    Problem(name, line, f"{len(cells)} cells where the header has {len(header)}.")
                )
                continue
            values = {h: c.strip() for h, c in zip(header, cells, strict=True)}
            for column in columns:
                values.setdefault(column, "")
            for column in required:
                if not values[column]:
                    problems.append(Problem(name, line, f"the required column {column} is empty."))
            rows.append(Row(name, line, values))
    except BuildError as exc:
        problems.extend(exc.problems)
    return rows


def _hash_streamed(digest: Any, path: Path) -> None:
    """As staleness.hash_file, a megabyte at a time."""
    digest.update(path.name.encode() + b"\0")
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)


def read_dataset(
    inputs: Sequence[Path], progress: Progress | None = None
) -> tuple[Dataset, list[Problem]]:
    files = input_files(inputs)
    problems: list[Problem] = []
    dataset = Dataset()
    digest = hashlib.sha256()
    code_digest(digest)
    known: dict[str, RecordType | AuxTable] = {**TYPE_FILES, **AUX_TABLES}
    seen_names: set[str] = set()
    if not files:
        problems.append(
            Problem(
                ", ".join(map(str, inputs)) or "(nothing)", 0, "no CSV files were found to import."
            )
        )
    for number, path in enumerate(files, 1):
        if progress:
            progress("read", number, len(files))
        if not path.is_file():
            problems.append(Problem(path.name, 0, "cannot read the file: not a regular file."))
            continue
        if path.name.lower() == AUTHORITY_FILE:
            problems.append(
                Problem(
                    path.name,
                    0,
                    "not imported: the citation authority list is part of the program.",
                    warning=True,
                )
            )
            continue
        kind = known.get(path.name.lower())
        if kind is None:
            problems.append(
                Problem(
                    path.name,
                    0,
                    "unknown file name; expected one of " + ", ".join(sorted(known)) + ".",
                )
            )
            continue
        if path.name.lower() in seen_names:
            problems.append(Problem(path.name, 0, "given twice."))
            continue
        seen_names.add(path.name.lower())
        try:
            _hash_streamed(digest, path)
        except OSError as exc:
            problems.append(Problem(path.name, 0, f"cannot read the file: {exc.strerror}."))
            continue
        if isinstance(kind, RecordType):
            required = ["id", *(c.name for c in kind.columns if c.required)]
            before = len(problems)
            dataset.records[kind.name] = _read_file(path, kind.column_names, required, problems)
            if any(p.line <= 1 and not p.warning for p in problems[before:]):
                dataset.unread_types.add(kind.name)
        else:
            rows = _read_file(path, kind.columns, kind.required, problems)
            if kind is META:
                dataset.meta = {r.values["key"]: r.values["value"] for r in rows}
            else:
                setattr(dataset, kind.table, rows)
    dataset.source_hash = digest.hexdigest()
    return dataset, problems
