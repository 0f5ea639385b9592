"""The importer: CSV files in the documented format -> an archive database.

The bundled archive (`data/` -> `data/archive.db`) and a user's own finding aid
(`archive-browser import`) go through this one code path: read every file, validate
everything, and only then write a new database next to the target and move it into place,
so a failed import leaves nothing half-written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sqlite3
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from archive_browser.core import citations as citation_parser
from archive_browser.core import search
from archive_browser.core.archive.citations import create_citation_indexes
from archive_browser.core.dates import DateError, parse_human
from archive_browser.core.record_types import RECORD_TYPES, RecordType
from archive_browser.core.schema import SCHEMA_VERSION

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class AuxTable:
    """A file that is not a record type: quotes, links, aliases, meta."""

    table: str
    columns: tuple[str, ...]
    required: tuple[str, ...]

    @property
    def csv_name(self) -> str:
        return f"{self.table}.csv"


QUOTES = AuxTable(
    "quotes",
    ("id", "record", "speaker", "text", "reconstructed", "seed", "note"),
    ("id", "record", "text", "reconstructed"),
)
LINKS = AuxTable("links", ("from", "to", "role", "seed", "added"), ("from", "to", "role"))
ALIASES = AuxTable("aliases", ("record", "alias", "scheme", "note"), ("record", "alias", "scheme"))
META = AuxTable("meta", ("key", "value"), ("key", "value"))
AUX_TABLES = {t.csv_name: t for t in (QUOTES, LINKS, ALIASES, META)}
TYPE_FILES = {t.csv_name: t for t in RECORD_TYPES.values()}
# The citation authority list ships inside the package; the importer does not import it,
# but a change to it changes how citations are keyed, so it is hashed with the build code.
# A copy among the inputs (an old data folder) is left out with a warning.
AUTHORITY_FILE = citation_parser.AUTHORITY_FILE

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.file}:{self.line}: {kind}{self.message}"


class BuildError(Exception):
    """The input is not valid; `problems` lists every error and warning found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if not p.warning]
        super().__init__(f"{len(errors)} error(s) in the input; nothing was written.")


@dataclass
class Row:
    file: str
    line: int
    values: dict[str, str]


@dataclass
class Dataset:
    records: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in RECORD_TYPES})
    quotes: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    aliases: list[Row] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    source_hash: str = ""
    # Record types whose file could not be read: links to them are not reported as missing.
    unread_types: set[str] = field(default_factory=set)

    @property
    def record_count(self) -> int:
        return sum(len(rows) for rows in self.records.values())


@dataclass(frozen=True)
class BuildReport:
    path: Path
    records: int
    links: int
    aliases: int
    citations: int
    seconds: float
    warnings: tuple[Problem, ...]


# ----------------------------------------------------------------------------- reading


def input_files(inputs: Sequence[Path]) -> list[Path]:
    """The CSV files named, or found in the folders named, in a stable order."""
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv"))
        else:
            files.append(path)
    return files


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
    name: str,
    raw: bytes,
    columns: Sequence[str],
    required: Sequence[str],
    problems: list[Problem],
) -> list[Row]:
    try:
        text = _decode(raw, name)
    except BuildError as exc:
        problems.extend(exc.problems)
        return []
    header, records = read_csv(name, text)
    if not header:
        problems.append(Problem(name, 1, "the file is empty; it needs a header line."))
        return []
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
        for line, cells in records:
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


def read_dataset(
    inputs: Sequence[Path], progress: Progress | None = None
) -> tuple[Dataset, list[Problem]]:
    files = input_files(inputs)
    problems: list[Problem] = []
    dataset = Dataset()
    digest = hashlib.sha256()
    _code_digest(digest)
    known = {**TYPE_FILES, **AUX_TABLES}
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
        try:
            raw = path.read_bytes()  # once: hashed for staleness, then parsed
        except OSError as exc:
            problems.append(Problem(path.name, 0, f"cannot read the file: {exc.strerror}."))
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
        _hash_file(digest, path.name, raw)
        if isinstance(kind, RecordType):
            required = ["id", *(c.name for c in kind.columns if c.required)]
            before = len(problems)
            dataset.records[kind.name] = _read_file(
                path.name, raw, kind.column_names, required, problems
            )
            if any(p.line <= 1 and not p.warning for p in problems[before:]):
                dataset.unread_types.add(kind.name)
        else:
            rows = _read_file(path.name, raw, kind.columns, kind.required, problems)
            if kind is META:
                dataset.meta = {r.values["key"]: r.values["value"] for r in rows}
            else:
                setattr(dataset, kind.table, rows)
    dataset.source_hash = digest.hexdigest()
    return dataset, problems


# ----------------------------------------------------------------------------- validating


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
                        parse_human(value)
                    except DateError as exc:
                        problems.append(Problem(row.file, row.line, f"{column.name}: {exc}"))
            if type_name == "site":
                _check_float(row, "lat", -90, 90, problems)
                _check_float(row, "lon", -180, 180, problems)
            if type_name == "person" and row.values.get("kind") not in ("person", "organisation"):
                problems.append(
                    Problem(row.file, row.line, "kind must be 'person' or 'organisation'.")
                )
            if type_name == "source" and row.values.get("citation"):
                text = row.values["citation"]
                if not citation_parser.parse_citations(text):
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


# ----------------------------------------------------------------------------- writing


def _type_table_schema(record_type: RecordType) -> dict[str, type]:
    schema: dict[str, type] = {"rid": int, "id": str}
    for column in record_type.columns:
        if column.kind == "number":
            schema[column.name] = float
        else:
            schema[column.name] = str
        if column.kind == "date":
            for suffix in ("sort", "earliest", "latest", "display"):
                schema[f"{column.name}_{suffix}"] = str
    return schema


def _type_row(record_type: RecordType, rid: int, values: dict[str, str]) -> dict[str, object]:
    row: dict[str, object] = {"rid": rid, "id": values["id"]}
    for column in record_type.columns:
        value = values.get(column.name, "") or values.get(column.default_from or "", "")
        if column.kind == "number":
            row[column.name] = float(value.replace(",", ".")) if value else None
            continue
        row[column.name] = value
        if column.kind == "date":
            if value:
                date = parse_human(value)
                row.update(
                    {
                        column.name: date.edtf,
                        f"{column.name}_sort": date.sort_key,
                        f"{column.name}_earliest": date.earliest,
                        f"{column.name}_latest": date.latest,
                        f"{column.name}_display": date.display,
                    }
                )
            else:
                row.update(
                    {f"{column.name}_{s}": None for s in ("sort", "earliest", "latest", "display")}
                )
    return row


def _create_schema(db: sqlite_utils.Database) -> None:
    db["archive_meta"].create({"key": str, "value": str}, pk="key")
    db["records"].create(
        {"rid": int, "id": str, "type": str, "title": str, "name_ru": str},
        pk="rid",
        not_null={"id", "type", "title"},
    )
    db["records"].create_index(["id"], unique=True)
    db["records"].create_index(["type"])
    for record_type in RECORD_TYPES.values():
        db[record_type.table].create(_type_table_schema(record_type), pk="rid", not_null={"id"})
    db["quotes"].create(
        {
            "id": str,
            "record_id": str,
            "speaker_id": str,
            "text": str,
            "reconstructed": int,
            "seed": str,
            "note": str,
        },
        pk="id",
    )
    db["links"].create({"from_id": str, "to_id": str, "role": str, "seed": str, "added": str})
    db["aliases"].create({"record_id": str, "alias": str, "scheme": str, "note": str})
    db["citations"].create(
        {
            "record_id": str,
            "position": int,
            "text": str,
            "system": str,
            "archive": str,
            "fond": str,
            "opis": str,
            "delo": str,
            "folios": str,
            "key": str,
            "partial_key": str,
            "extra": str,
        },
    )


def _create_indexes(db: sqlite_utils.Database) -> None:
    # Every sortable column of a tab gets an index, so a sorted tab of a million rows is an
    # index walk, never a sort of the whole table.
    for record_type in RECORD_TYPES.values():
        table = record_type.table
        for column in record_type.shown_columns:
            sort_column = f"{column.name}_sort" if column.kind == "date" else column.name
            collate = "" if column.kind == "date" else " COLLATE NOCASE"
            db.execute(
                f'CREATE INDEX "idx_{table}_{sort_column}" ON "{table}" '
                f'("{sort_column}"{collate}, "rid")'
            )
        db[table].create_index(["id"], unique=True)
    db["quotes"].create_index(["record_id"])
    db["links"].create_index(["from_id"])
    db["links"].create_index(["to_id"])
    db["aliases"].create_index(["record_id"])
    db["citations"].create_index(["record_id"])
    create_citation_indexes(db.conn)


def write_default_order(conn: sqlite3.Connection) -> None:
    """Each type's rids in its default order, as one blob: a tab opens without a query.

    At a million records reading 400,000 ids row by row takes about 300 ms; one blob of
    8-byte integers takes a few.
    """
    from archive_browser.core.archive import Archive

    conn.execute('CREATE TABLE IF NOT EXISTS "default_order" (type TEXT PRIMARY KEY, ids BLOB)')
    for type_name, record_type in RECORD_TYPES.items():
        order = Archive.order_by(record_type, None, False)
        ids = array(
            "q",
            (r[0] for r in conn.execute(f'SELECT rid FROM "{record_type.table}" ORDER BY {order}')),
        )
        conn.execute(
            'INSERT OR REPLACE INTO "default_order" VALUES (?, ?)', (type_name, ids.tobytes())
        )


def _batched(rows: Iterable[dict[str, object]], size: int) -> Iterator[list[dict[str, object]]]:
    batch: list[dict[str, object]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write(
    dataset: Dataset, db: sqlite_utils.Database, meta: dict[str, str], progress: Progress | None
) -> tuple[int, int]:
    _create_schema(db)
    total = dataset.record_count
    done = 0
    rid = 0
    citation_count = 0
    for type_name, rows in dataset.records.items():
        record_type = RECORD_TYPES[type_name]
        for batch in _batched((r.values for r in rows), 5000):
            records, typed, cites = [], [], []
            for values in batch:
                rid += 1
                records.append(
                    {
                        "rid": rid,
                        "id": values["id"],
                        "type": type_name,
                        "title": values[record_type.title_column],
                        "name_ru": values.get("name_ru") or None,
                    }
                )
                typed.append(_type_row(record_type, rid, values))
                if type_name == "source" and values.get("citation"):
                    for position, cit in enumerate(
                        citation_parser.parse_citations(values["citation"])
                    ):
                        item = cit.to_json()
                        cites.append(
                            {
                                "record_id": values["id"],
                                "position": position,
                                "text": item["text"],
                                "system": item["system"],
                                "archive": item["archive"],
                                "fond": item["fond"],
                                "opis": item["opis"],
                                "delo": item["delo"],
                                "folios": item["folios"],
                                "key": item["key"],
                                "partial_key": item.get("partial_key"),
                                "extra": json.dumps(
                                    item["extra"], ensure_ascii=False, sort_keys=True
                                ),
                            }
                        )
            db["records"].insert_all(records, batch_size=5000)
            db[record_type.table].insert_all(typed, batch_size=5000)
            if cites:
                db["citations"].insert_all(cites, batch_size=5000)
                citation_count += len(cites)
            done += len(batch)
            if progress:
                progress("write", done, total)
    db["quotes"].insert_all(
        (
            {
                "id": r.values["id"],
                "record_id": r.values["record"],
                "speaker_id": r.values["speaker"] or None,
                "text": r.values["text"],
                "reconstructed": 1 if r.values["reconstructed"] == "yes" else 0,
                "seed": r.values["seed"],
                "note": r.values["note"],
            }
            for r in dataset.quotes
        ),
        batch_size=5000,
    )
    db["links"].insert_all(
        (
            {
                "from_id": r.values["from"],
                "to_id": r.values["to"],
                "role": r.values["role"],
                "seed": r.values["seed"],
                "added": r.values["added"],
            }
            for r in dataset.links
        ),
        batch_size=5000,
    )
    db["aliases"].insert_all(
        (
            {
                "record_id": r.values["record"],
                "alias": r.values["alias"],
                "scheme": r.values["scheme"],
                "note": r.values["note"],
            }
            for r in dataset.aliases
        ),
        batch_size=5000,
    )
    if progress:
        progress("index", 0, 1)
    _create_indexes(db)
    write_default_order(db.conn)
    search.build_index(db.conn)
    db["archive_meta"].insert_all(
        ({"key": k, "value": v} for k, v in sorted(meta.items())), pk="key"
    )
    if progress:
        progress("index", 1, 1)
    return rid, citation_count


def write_archive(
    dataset: Dataset,
    out: Path,
    *,
    archive_id: str | None = None,
    title: str | None = None,
    progress: Progress | None = None,
    warnings: Sequence[Problem] = (),
) -> BuildReport:
    """Write the validated dataset to `out`, atomically: a temporary file, then a rename."""
    started = time.perf_counter()
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    built_at = os.environ.get("SOURCE_DATE_EPOCH")
    meta = {
        "archive_id": archive_id or dataset.meta.get("archive_id") or out.stem,
        "title": title or dataset.meta.get("title") or out.stem,
        "schema_version": str(SCHEMA_VERSION),
        "built_at": (
            datetime.fromtimestamp(int(built_at), UTC) if built_at else datetime.now(UTC)
        ).isoformat(timespec="seconds"),
        "source_hash": dataset.source_hash,
        "record_count": str(dataset.record_count),
    }
    conn = sqlite3.connect(temp)
    try:
        # The file is new and private until the rename: durability is only needed at the end.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        db = sqlite_utils.Database(conn)
        with conn:
            records, cites = _write(dataset, db, meta, progress)
        conn.execute("PRAGMA optimize")
        aliases = conn.execute("SELECT count(*) FROM aliases").fetchone()[0]
        conn.close()
        os.replace(temp, out)
    except BaseException:
        conn.close()
        temp.unlink(missing_ok=True)
        raise
    return BuildReport(
        out,
        records,
        len(dataset.links),
        aliases,
        cites,
        time.perf_counter() - started,
        tuple(warnings),
    )


def build_archive(
    inputs: Path | Sequence[Path],
    out: Path,
    *,
    archive_id: str | None = None,
    title: str | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Read, validate and write; raises BuildError (with every problem) and writes nothing."""
    paths = [inputs] if isinstance(inputs, Path) else list(inputs)
    dataset, problems = read_dataset(paths, progress)
    # Validate what could be read even when some files could not: every problem at once.
    problems.extend(validate(dataset))
    if any(not p.warning for p in problems):
        raise BuildError(problems)
    return write_archive(
        dataset, out, archive_id=archive_id, title=title, progress=progress, warnings=problems
    )


# The code that decides what goes into an archive: a change to it makes the archive stale
# just as a change to data/ does (the search index format, the citation keys, the dates).
# Names are relative to core/; a package stands for every module in it.
BUILD_CODE = (
    "importer",
    "schema.py",
    "search",
    "names.py",
    "citations",
    "dates.py",
    "record_types.py",
)


def _hash_file(digest: Any, name: str, raw: bytes) -> None:
    digest.update(name.encode() + b"\0" + raw)


def build_code_files() -> list[tuple[str, Path]]:
    """Every source file of `BUILD_CODE`, named relative to core/, in a stable order.

    A frozen build carries no sources and yields nothing; it never rebuilds anyway.
    """
    core = Path(__file__).resolve().parents[1]
    files: list[tuple[str, Path]] = []
    for name in BUILD_CODE:
        path = core / name
        found = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        files += [(f.relative_to(core).as_posix(), f) for f in found if f.is_file()]
    return files


def _code_digest(digest: Any) -> None:
    for name, path in build_code_files():
        _hash_file(digest, name, path.read_bytes())
    _hash_file(digest, AUTHORITY_FILE, citation_parser.authority_file().read_bytes())


def source_hash(inputs: Sequence[Path]) -> str:
    """The hash `archive_meta.source_hash` records, to tell when an archive is stale."""
    digest = hashlib.sha256()
    _code_digest(digest)
    for path in input_files(inputs):
        if path.name.lower() in {*TYPE_FILES, *AUX_TABLES}:
            _hash_file(digest, path.name, path.read_bytes())
    return digest.hexdigest()


def is_stale(inputs: Sequence[Path], out: Path) -> bool:
    if not out.exists():
        return True
    try:
        conn = sqlite3.connect(out.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            row = conn.execute(
                "SELECT value FROM archive_meta WHERE key = 'source_hash'"
            ).fetchone()
            version = conn.execute(
                "SELECT value FROM archive_meta WHERE key = 'schema_version'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return True
    return row is None or row[0] != source_hash(inputs) or version != (str(SCHEMA_VERSION),)


TEMPLATE_EXAMPLES: dict[str, dict[str, str]] = {
    "people": {
        "id": "person/example-officer",
        "name": "Ivan Petrov",
        "name_ru": "Иван Петров",
        "kind": "person",
        "role": "Instructor at the Kazan tank school",
        "nationality": "Soviet",
        "born": "1895",
        "died": "1938~",
        "summary": "Named in the finding aid as an instructor.",
        "seed": "",
        "added": "",
        "note": "",
    },
    "sites": {
        "id": "site/example-school",
        "name": "Example school",
        "name_ru": "Школа",
        "kind": "tank school",
        "cover_name": "Kama",
        "lat": "55.79",
        "lon": "49.12",
        "period": "1929/1933",
        "distance": "800 km east of Moscow",
        "summary": "A site named in the finding aid.",
        "seed": "",
        "added": "",
        "note": "",
    },
    "events": {
        "id": "event/example-visit",
        "title": "Inspection visit",
        "date": "1929-22",
        "theme": "armour",
        "summary": "An inspection in summer 1929.",
        "seed": "",
        "added": "",
        "note": "",
    },
    "sources": {
        "id": "source/example-file",
        "title": "Report on the school",
        "kind": "report",
        "archive": "Russian State Military Archive (RGVA)",
        "citation": "RGVA, f. 33987, op. 3, d. 497, ll. 136-140",
        "date": "1929-09",
        "author": "",
        "summary": "A report found in the reading room.",
        "seed": "",
        "added": "",
        "note": "",
    },
    "links": {
        "from": "person/example-officer",
        "to": "site/example-school",
        "role": "instructor",
        "seed": "",
        "added": "",
    },
    "quotes": {
        "id": "quote/example",
        "record": "source/example-file",
        "speaker": "person/example-officer",
        "text": "The work has been of great interest.",
        "reconstructed": "no",
        "seed": "",
        "note": "",
    },
    "aliases": {
        "record": "person/example-officer",
        "alias": "Iwan Petrow",
        "scheme": "german",
        "note": "",
    },
}


def write_templates(folder: Path) -> list[Path]:
    """One CSV file per record type (and links, quotes, aliases), headers and one example."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, example in TEMPLATE_EXAMPLES.items():
        aux = AUX_TABLES.get(f"{stem}.csv")
        columns = aux.columns if aux else TYPE_FILES[f"{stem}.csv"].column_names
        path = folder / f"{stem}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\r\n")
            writer.writeheader()
            writer.writerow({c: example.get(c, "") for c in columns})
        written.append(path)
    return written
