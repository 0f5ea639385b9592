"""Validating a dataset: every problem of every file at once, before anything is written."""

from __future__ import annotations

import re

from archive_browser.core.dates import DateError
from archive_browser.core.importer.format import (
    SLUG,
    Dataset,
    Problem,
    Row,
    read_date,
    source_citations,
)
from archive_browser.core.record_types import RECORD_TYPES

# The language of a source: an ISO 639-1 or 639-2 code (de, ru, en).
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def _check_float(row: Row, column: str, low: float, high: float, problems: list[Problem]) -> None:
    value = row.values.get(column, "")
    if not value:
        return
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        problems.append(Problem(row.file, row.line, f"{column} {value!r} is not a number."))
        return
    if not low <= number <= high:
        problems.append(
            Problem(row.file, row.line, f"{column} {value} is outside {low:g} to {high:g}.")
        )


def validate(dataset: Dataset) -> list[Problem]:
    problems: list[Problem] = []
    ids: dict[str, Row] = {}
    for type_name, rows in dataset.records.items():
        record_type = RECORD_TYPES[type_name]
        for row in rows:
            record_id = row.values["id"]
            prefix, _, slug = record_id.partition("/")
            if prefix != type_name or not SLUG.fullmatch(slug):
                problems.append(
                    Problem(
                        row.file,
                        row.line,
                        f"id {record_id!r} should look like "
                        f"'{type_name}/some-name' (lower-case letters, digits and '-').",
                    )
                )
            if record_id in ids:
                first = ids[record_id]
                problems.append(
                    Problem(
                        row.file,
                        row.line,
                        f"duplicate id {record_id!r} (first at {first.file}:{first.line}).",
                    )
                )
            else:
                ids[record_id] = row
            for column in record_type.columns:
                value = row.values.get(column.name, "")
                if column.kind == "date" and value:
                    try:
                        read_date(value)
                    except DateError as exc:
                        problems.append(Problem(row.file, row.line, f"{column.name}: {exc}"))
            if type_name == "site":
                _check_float(row, "lat", -90, 90, problems)
                _check_float(row, "lon", -180, 180, problems)
            if type_name == "person" and row.values.get("kind") not in ("person", "organisation"):
                problems.append(
                    Problem(row.file, row.line, "kind must be 'person' or 'organisation'.")
                )
            language = row.values.get("language", "")
            if type_name == "source" and language and not _LANGUAGE_CODE.fullmatch(language):
                problems.append(
                    Problem(
                        row.file,
                        row.line,
                        f"language {language!r} should be a two- or three-letter ISO 639 code "
                        "in lower case, such as de, ru or en.",
                    )
                )
            if type_name == "source" and row.values.get("citation"):
                text = row.values["citation"]
                if not source_citations(row.values, dataset.parsed_citations):
                    problems.append(
                        Problem(
                            row.file,
                            row.line,
                            f"the archival reference {text!r} could not be read; "
                            "it is kept as text.",
                            warning=True,
                        )
                    )
    quote_ids: set[str] = set()
    for row in dataset.quotes:
        quote_id = row.values["id"]
        if not re.fullmatch(r"quote/[a-z0-9]+(?:-[a-z0-9]+)*", quote_id):
            problems.append(
                Problem(
                    row.file, row.line, f"quote id {quote_id!r} should look like 'quote/some-name'."
                )
            )
        if quote_id in quote_ids:
            problems.append(Problem(row.file, row.line, f"duplicate quote id {quote_id!r}."))
        quote_ids.add(quote_id)
        _check_ref(row, "record", ids, problems, dataset.unread_types)
        _check_ref(row, "speaker", ids, problems, dataset.unread_types)
        if row.values["reconstructed"] not in ("yes", "no"):
            problems.append(Problem(row.file, row.line, "reconstructed must be 'yes' or 'no'."))
    for row in dataset.links:
        _check_ref(row, "from", ids, problems, dataset.unread_types)
        _check_ref(row, "to", ids, problems, dataset.unread_types)
    for row in dataset.aliases:
        _check_ref(row, "record", ids, problems, dataset.unread_types)
    return problems


def _check_ref(
    row: Row, column: str, ids: dict[str, Row], problems: list[Problem], unread: set[str]
) -> None:
    target = row.values.get(column, "")
    if target and target not in ids and target.partition("/")[0] not in unread:
        problems.append(Problem(row.file, row.line, f"{column} {target!r} is not a record id."))
