"""The column mapping: which column of a table holds which field, and the records it makes.

Each row becomes a source record. Only a title is required. The id is made from the row's
archival reference (or, without one, from its content), so importing the same file again
gives the same ids and notes stay on their records. A row with fond/opis/delo gets a
citation composed in the archive's own style (`ГАЛО. Ф. 2176. Оп. 1. Д. 1`), which the
citation parser keys like any footnote. Names in person/place columns become person and
site records linked to the row; one name in many rows is one record.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from archive_browser.core.dates import DateError
from archive_browser.core.importer.format import (
    BuildError,
    Dataset,
    Problem,
    Progress,
    Row,
    read_date,
)
from archive_browser.core.importer.tabular import Table
from archive_browser.core.record_types import RECORD_TYPES
from archive_browser.core.text import fold

FIELDS: dict[str, str] = {
    "title": "Title",
    "fond": "Fond",
    "opis": "Opis",
    "delo": "Delo (file)",
    "sheets": "Sheets (extent)",
    "citation": "Full citation",
    "archive": "Archive",
    "date": "Date",
    "author": "Author / creator",
    "persons": "Person names",
    "places": "Place names",
    "description": "Description",
    "ignore": "(ignore)",
}
# Several columns may feed these; the others take one column each.
MULTI_FIELDS = frozenset({"persons", "places", "description", "ignore"})
NAME_SEPARATORS = re.compile(r"\s*[;|\n]\s*")

# Headers as people write them, folded (lower case, no punctuation, ё as е).
_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "title": (
        "title",
        "name",
        "unit title",
        "heading",
        "заголовок",
        "заголовок дела",
        "название",
        "наименование",
        "содержание дела",
        "titel",
        "aktentitel",
        "bezeichnung",
        "betreff",
    ),
    "fond": ("fond", "fonds", "fond no", "f", "фонд", "ф", "номер фонда", "фонд no", "bestand"),
    "opis": ("opis", "op", "inventory", "опись", "оп", "номер описи", "опись no"),
    "delo": (
        "delo",
        "d",
        "file",
        "file no",
        "дело",
        "д",
        "номер дела",
        "дело no",
        "ед хр",
        "единица хранения",
        "akte",
        "nummer",
        "aktennummer",
    ),
    "sheets": (
        "sheets",
        "folios",
        "pages",
        "extent",
        "листов",
        "листы",
        "кол во листов",
        "количество листов",
        "объем",
        "umfang",
        "blatt",
        "blätter",
        "seiten",
    ),
    "citation": (
        "citation",
        "reference",
        "full citation",
        "call number",
        "shelfmark",
        "footnote",
        "шифр",
        "архивный шифр",
        "ссылка",
        "signatur",
        "archivsignatur",
        "fundstelle",
    ),
    "archive": ("archive", "repository", "архив", "archiv", "archivname"),
    "date": (
        "date",
        "dates",
        "date range",
        "year",
        "дата",
        "даты",
        "крайние даты",
        "годы",
        "laufzeit",
        "datum",
        "zeitraum",
        "datierung",
    ),
    "author": (
        "author",
        "creator",
        "origination",
        "автор",
        "фондообразователь",
        "создатель",
        "provenienz",
        "verfasser",
        "urheber",
        "registraturbildner",
    ),
    "persons": (
        "persons",
        "people",
        "names",
        "person names",
        "персоналии",
        "имена",
        "лица",
        "personen",
        "personennamen",
        "namen",
    ),
    "places": (
        "places",
        "place names",
        "geographic names",
        "места",
        "география",
        "географические названия",
        "orte",
        "ortsnamen",
        "geografische namen",
    ),
    "description": (
        "description",
        "summary",
        "notes",
        "note",
        "remarks",
        "scope and content",
        "аннотация",
        "описание",
        "примечание",
        "примечания",
        "enthält",
        "enthaelt",
        "inhalt",
        "beschreibung",
        "bemerkung",
        "bemerkungen",
    ),
}


def _fold_header(text: str) -> str:
    text = fold(text).replace("№", " no ").replace("#", " no ")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


_WORD_FIELD = {_fold_header(w): f for f, words in _HEADER_WORDS.items() for w in words}

Mapping = dict[str, str]  # column header -> field


def propose_mapping(header: Sequence[str]) -> Mapping:
    """A field for each column from its header; a single field goes to its first column."""
    mapping: Mapping = {}
    taken: set[str] = set()
    for label in header:
        guess = _WORD_FIELD.get(_fold_header(label), "ignore")
        if guess not in MULTI_FIELDS and guess in taken:
            guess = "ignore"
        taken.add(guess)
        mapping[label] = guess
    return mapping


def apply_overrides(mapping: Mapping, header: Sequence[str], overrides: Iterable[str]) -> Mapping:
    """`field=Column` assignments (the command line's --map) over a proposal."""
    result = dict(mapping)
    problems: list[Problem] = []
    for item in overrides:
        name, sep, column = item.partition("=")
        name, column = name.strip(), column.strip()
        if not sep or name not in FIELDS:
            problems.append(
                Problem(
                    "--map",
                    0,
                    f"{item!r} should be FIELD=Column with FIELD one of {', '.join(FIELDS)}.",
                )
            )
            continue
        if column not in header:
            problems.append(
                Problem(
                    "--map",
                    0,
                    f"no column {column!r}; the columns are {', '.join(map(repr, header[:40]))}.",
                )
            )
            continue
        result = assign(result, column, name)
    if problems:
        raise BuildError(problems)
    return result


def assign(mapping: Mapping, column: str, field_name: str) -> Mapping:
    """Map `column` to the field; a single field leaves the column that had it."""
    result = dict(mapping)
    if field_name not in MULTI_FIELDS:
        for other, value in result.items():
            if value == field_name:
                result[other] = "ignore"
    result[column] = field_name
    return result


def check_mapping(mapping: Mapping, table_name: str) -> list[Problem]:
    problems = []
    unknown = sorted({f for f in mapping.values() if f not in FIELDS})
    if unknown:
        problems.append(
            Problem(
                table_name, 1, f"unknown field(s) {', '.join(map(repr, unknown))} in the mapping."
            )
        )
    for name in FIELDS:
        columns = [c for c, f in mapping.items() if f == name]
        if name not in MULTI_FIELDS and len(columns) > 1:
            problems.append(
                Problem(
                    table_name,
                    1,
                    f"{len(columns)} columns are mapped to {name} "
                    f"({', '.join(map(repr, columns))}); map one.",
                )
            )
    if "title" not in mapping.values():
        problems.append(
            Problem(
                table_name,
                1,
                "no column is mapped to title; every record needs one "
                "(for example --map title=Заголовок).",
            )
        )
    return problems


# ----------------------------------------------------------------------------- saving


MAPPING_FORMAT = "archive-browser column mapping"


def mapping_json(mapping: Mapping, *, encoding: str | None, sheet: str | None) -> str:
    document = {"format": MAPPING_FORMAT, "version": 1, "columns": mapping}
    if encoding:
        document["encoding"] = encoding
    if sheet:
        document["sheet"] = sheet
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class SavedMapping:
    columns: Mapping
    encoding: str | None = None
    sheet: str | None = None


def load_mapping(path: Path) -> SavedMapping:
    def refuse(why: str) -> BuildError:
        return BuildError([Problem(path.name, 0, why)])

    try:
        with path.open("rb") as stream:
            raw = stream.read(1_000_001)
    except OSError as exc:
        raise refuse(f"cannot read the mapping: {exc.strerror}.") from None
    if len(raw) > 1_000_000:
        raise refuse("a mapping file is a few lines of JSON; this one is over 1 MB.")
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise refuse(f"the mapping is not JSON: {exc}.") from None
    if not isinstance(document, dict) or document.get("format") != MAPPING_FORMAT:
        raise refuse("not a mapping saved by archive-browser (--save-mapping).")
    columns = document.get("columns")
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
    ):
        raise refuse("the mapping's columns should map column names to field names.")
    encoding = document.get("encoding")
    sheet = document.get("sheet")
    return SavedMapping(
        dict(columns),
        encoding if isinstance(encoding, str) else None,
        sheet if isinstance(sheet, str) else None,
    )


def fit_saved_mapping(saved: Mapping, header: Sequence[str], table_name: str) -> Mapping:
    """A saved mapping for this header: its columns must exist; new columns are ignored."""
    missing = [c for c in saved if c not in header]
    if missing:
        raise BuildError(
            [
                Problem(
                    table_name,
                    1,
                    f"the saved mapping names column(s) {', '.join(map(repr, missing))} "
                    "that this file does not have.",
                )
            ]
        )
    return {c: saved.get(c, "ignore") for c in header}


# ----------------------------------------------------------------------------- records


def stable_slug(*parts: str) -> str:
    """Twelve hex digits of the folded text: the same text gives the same id on re-import."""
    text = "\x1f".join(fold(p).strip() for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def compose_citation(archive: str, fond: str, opis: str, delo: str, style: str) -> str:
    """As a footnote writes it, in the archive's style: `ГАЛО. Ф. 2176. Оп. 1. Д. 1`
    (russian), `BArch, RW 5/234` (german: Bestand/number), `RGVA, f. 4, op. 14, d. 2`."""
    if style == "german" and fond:
        body = f"{fond}/{delo}"
        return f"{archive}, {body}" if archive else body
    if style == "russian":
        parts = [f"Ф. {fond}" if fond else "", f"Оп. {opis}" if opis else "", f"Д. {delo}"]
        body = ". ".join(p for p in parts if p)
        return f"{archive}. {body}" if archive else body
    parts = [f"f. {fond}" if fond else "", f"op. {opis}" if opis else "", f"d. {delo}"]
    body = ", ".join(p for p in parts if p)
    return f"{archive}, {body}" if archive else body


@dataclass
class NameIndex:
    """Person or site records made from names, one per folded name, with where first seen."""

    record_type: str
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # folded -> (id, name)
    first_seen: dict[str, tuple[str, int]] = field(default_factory=dict)
    count: dict[str, int] = field(default_factory=dict)

    def id_for(self, name: str, file: str, line: int) -> str:
        key = fold(name).strip()
        if key not in self.names:
            prefix = "person" if self.record_type == "person" else "site"
            self.names[key] = (f"{prefix}/{stable_slug(self.record_type, name)}", name)
            self.first_seen[key] = (file, line)
        self.count[key] = self.count.get(key, 0) + 1
        return self.names[key][0]

    def rows(self, origin: str) -> list[Row]:
        rows = []
        for key, (record_id, name) in self.names.items():
            file, line = self.first_seen[key]
            count = self.count[key]
            summary = f"Named in {count} record{'s' if count != 1 else ''} of {origin}."
            values = {"id": record_id, "name": name, "summary": summary}
            values["kind"] = "person" if self.record_type == "person" else "place"
            rows.append(Row(file, line, _complete(self.record_type, values)))
        return rows


def _complete(type_name: str, values: dict[str, str]) -> dict[str, str]:
    for column in RECORD_TYPES[type_name].column_names:
        values.setdefault(column, "")
    return values


class IdAllocator:
    """Ids from stable slugs; a repeat gets -2, -3 in file order (stable on re-import)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, prefix: str, slug: str) -> str:
        candidate = f"{prefix}/{slug}"
        number = 1
        while candidate in self.used:
            number += 1
            candidate = f"{prefix}/{slug}-{number}"
        self.used.add(candidate)
        return candidate


def checked_date(text: str, where: str, file: str, line: int, problems: list[Problem]) -> str:
    """The date when it can be read; else a warning and '' (the text goes to the summary)."""
    if not text:
        return ""
    try:
        read_date(text)
    except DateError as exc:
        problems.append(
            Problem(file, line, f"{where}: {exc} It is kept in the description.", warning=True)
        )
        return ""
    return text


def link(source_id: str, target_id: str, role: str, file: str, line: int) -> Row:
    return Row(
        file, line, {"from": source_id, "to": target_id, "role": role, "seed": "", "added": ""}
    )


def split_names(cell: str) -> list[str]:
    return [n for n in NAME_SEPARATORS.split(cell) if n]


def table_dataset(
    table: Table,
    mapping: Mapping,
    *,
    progress: Progress | None = None,
) -> tuple[Dataset, list[Problem]]:
    """The records of every row of the table under the mapping (validated separately)."""
    problems = check_mapping(mapping, table.name)
    if problems:
        return Dataset(), problems
    columns: dict[str, list[int]] = {}
    for index, label in enumerate(table.header):
        columns.setdefault(mapping.get(label, "ignore"), []).append(index)
    dataset = Dataset()
    ids = IdAllocator()
    people = NameIndex("person")
    places = NameIndex("site")
    name = table.name
    # A German Bestand is cited `BArch, RW 5/234`; Cyrillic headers or archive: ГАЛО. Ф. …
    fond_headers = [_fold_header(table.header[i]) for i in columns.get("fond", [])]
    if fond_headers and fond_headers[0] == "bestand":
        style = "german"
    elif _cyrillic(" ".join(table.header)):
        style = "russian"
    else:
        style = "latin"
    try:
        for line, cells in table.filled_rows(progress):

            def one(field_name: str, cells: list[str] = cells) -> str:
                indexes = columns.get(field_name, [])
                return cells[indexes[0]].strip() if indexes and indexes[0] < len(cells) else ""

            def several(field_name: str, cells: list[str] = cells) -> list[tuple[int, str]]:
                return [
                    (i, cells[i].strip())
                    for i in columns.get(field_name, [])
                    if i < len(cells) and cells[i].strip()
                ]

            if len(cells) > len(table.header) and any(
                c.strip() for c in cells[len(table.header) :]
            ):
                problems.append(
                    Problem(
                        name,
                        line,
                        f"{len(cells)} cells where the header has {len(table.header)}; "
                        "the extra cells are not imported.",
                        warning=True,
                    )
                )
            title = one("title")
            if not title:
                problems.append(
                    Problem(name, line, f"{table.where(columns['title'][0])}: the title is empty.")
                )
                continue
            archive, fond, opis, delo = one("archive"), one("fond"), one("opis"), one("delo")
            citation = one("citation")
            if citation and archive and fold(archive) not in fold(citation):
                citation = f"{archive}, {citation}"
            elif not citation and delo:
                row_style = "russian" if style == "latin" and _cyrillic(archive) else style
                citation = compose_citation(archive, fond, opis, delo, row_style)
            summary_parts = [text for _, text in several("description")]
            date_text = one("date")
            date_column = columns.get("date", [0])[0]
            date = checked_date(date_text, table.where(date_column), name, line, problems)
            if date_text and not date:
                summary_parts.append(f"{table.header[date_column]}: {date_text}")
            sheets = one("sheets")
            if sheets:
                summary_parts.append(f"{table.header[columns['sheets'][0]]}: {sheets}")
            summary = "\n\n".join(summary_parts) or f"Row {line} of {table.path.name}."
            slug = (
                stable_slug("citation", citation)
                if citation
                else stable_slug("row", *(c for c in cells))
            )
            record_id = ids.take("source", slug)
            values = {
                "id": record_id,
                "title": title,
                "kind": "file" if delo else "document",
                "archive": archive,
                "citation": citation,
                "date": date,
                "author": one("author"),
                "summary": summary,
                "note": "",
            }
            dataset.records["source"].append(Row(name, line, _complete("source", values)))
            for _, cell in several("persons"):
                for person in split_names(cell):
                    dataset.links.append(
                        link(record_id, people.id_for(person, name, line), "mentions", name, line)
                    )
            for _, cell in several("places"):
                for place in split_names(cell):
                    dataset.links.append(
                        link(record_id, places.id_for(place, name, line), "mentions", name, line)
                    )
    except BuildError as exc:
        problems.extend(exc.problems)
    dataset.records["person"] = people.rows(table.path.name)
    dataset.records["site"] = places.rows(table.path.name)
    return dataset, problems
