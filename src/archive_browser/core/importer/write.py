"""Writing a validated dataset to a new archive database, atomically."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from archive_browser.core import search
from archive_browser.core.importer.format import (
    BuildReport,
    Dataset,
    Problem,
    Progress,
    read_date,
    source_citations,
)
from archive_browser.core.names import sort_name
from archive_browser.core.record_types import RECORD_TYPES, RecordType
from archive_browser.core.safe_write import check_replaceable, replacing
from archive_browser.core.schema import (
    DEFAULT_ORDER_DDL,
    SCHEMA_VERSION,
    archive_indexes_ddl,
    archive_tables_ddl,
)


def _type_row(record_type: RecordType, rid: int, values: dict[str, str]) -> dict[str, object]:
    row: dict[str, object] = {"rid": rid, "id": values["id"]}
    for column in record_type.columns:
        value = values.get(column.name, "") or values.get(column.default_from or "", "")
        if column.derive_sort_name and value and not values.get(column.name, ""):
            value = sort_name(value, values.get("kind", ""))
        if column.kind == "number":
            row[column.name] = float(value.replace(",", ".")) if value else None
            continue
        row[column.name] = value
        if column.kind == "date":
            if value:
                date = read_date(value)
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
    for statement in archive_tables_ddl():
        db.execute(statement)


def _create_indexes(db: sqlite_utils.Database) -> None:
    for statement in archive_indexes_ddl():
        db.execute(statement)


def write_default_order(conn: sqlite3.Connection) -> None:
    """Each type's rids in its default order, as one blob: a tab opens without a query.

    At a million records reading 400,000 ids row by row takes about 300 ms; one blob of
    8-byte integers takes a few.
    """
    from archive_browser.core.archive import Archive

    conn.execute(DEFAULT_ORDER_DDL)
    for type_name, record_type in RECORD_TYPES.items():
        order = Archive.order_by(record_type, None, False)
        ids = array(
            "q",
            (r[0] for r in conn.execute(f'SELECT rid FROM "{record_type.table}" ORDER BY {order}')),
        )
        conn.execute(
            'INSERT OR REPLACE INTO "default_order" VALUES (?, ?)', (type_name, ids.tobytes())
        )


_Item = TypeVar("_Item")


def _batched(rows: Iterable[_Item], size: int) -> Iterator[list[_Item]]:
    batch: list[_Item] = []
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
                    parsed = source_citations(values, dataset.parsed_citations)
                    for position, cit in enumerate(parsed):
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
            db.table("records").insert_all(records, batch_size=5000)
            db.table(record_type.table).insert_all(typed, batch_size=5000)
            if cites:
                db.table("citations").insert_all(cites, batch_size=5000)
                citation_count += len(cites)
            done += len(batch)
            if progress:
                progress("write", done, total)
    db.table("quotes").insert_all(
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
    db.table("links").insert_all(
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
    db.table("aliases").insert_all(
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
    db.table("archive_meta").insert_all(
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
    """Write the validated dataset to `out`, atomically: a temporary file, then a rename.

    `out` is a new path or a regular file (`core.safe_write`: never a link, FIFO, device
    or folder); an UnsafeTargetError (an OSError) says why not, before anything is written.
    """
    started = time.perf_counter()
    check_replaceable(out)  # before resolve(), which would follow a symlink
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
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
    with replacing(out) as temp:
        # An empty file is an empty database: SQLite writes into the private temporary file.
        conn = sqlite3.connect(temp)
        try:
            # The file is new and private until the rename: durability is only needed at
            # the end.
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            db = sqlite_utils.Database(conn)
            with conn:
                records, cites = _write(dataset, db, meta, progress)
            conn.execute("PRAGMA optimize")
            aliases = conn.execute("SELECT count(*) FROM aliases").fetchone()[0]
        finally:
            conn.close()
    return BuildReport(
        out,
        records,
        len(dataset.links),
        aliases,
        cites,
        time.perf_counter() - started,
        tuple(warnings),
    )
