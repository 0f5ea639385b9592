"""The archive database's schema: every table, full-text index and index, and its version.

One home for the DDL the importer writes and the reader relies on. Kept apart so that
opening an archive does not import the importer (sqlite-utils, the citation parser, the
date parser): start-up pays only for what reading needs.
"""

from __future__ import annotations

from archive_browser.core.record_types import RECORD_TYPES, RecordType

# 2: the full-text index gained `stems`, `dates`, `named` and `fields` (issue 22).
# 3: sources gained `place`, where an archive is (issue 23).
# 4: people's Name columns sort by their sort names (indexes on sort_name, sort_name_ru, kind).
SCHEMA_VERSION = 4

# The full-text index (core/search/ builds and queries it): one row per record,
# rowid = records.rid; `forms` and `fields` are stored, not indexed.
FTS_TABLE = "search_index"
FTS_COLUMNS = (
    "title",
    "names",
    "skel",
    "body",
    "bskel",
    "stems",
    "dates",
    "named",
    "forms",
    "fields",
)
FTS_STORED_COLUMNS = ("forms", "fields")
# The column list of the index's CREATE statement, as built and as checked on opening.
FTS_COLUMN_SPEC = ", ".join(f"{c} UNINDEXED" if c in FTS_STORED_COLUMNS else c for c in FTS_COLUMNS)
# Every word of every name, for "did you mean".
TERMS_TABLE = "search_terms"
DEFAULT_ORDER_TABLE = "default_order"

# Each record type's rids in default order as one blob of 8-byte integers.
DEFAULT_ORDER_DDL = (
    f'CREATE TABLE IF NOT EXISTS "{DEFAULT_ORDER_TABLE}" (type TEXT PRIMARY KEY, ids BLOB)'
)

_DATE_SUFFIXES = ("sort", "earliest", "latest", "display")

# The indexes `core.archive.citations.find_citing` relies on: by file key, and by fond (with
# or without its archive) for the PROBABLE and CANDIDATE look-ups.
CITATION_INDEXES = (
    'CREATE INDEX IF NOT EXISTS "idx_citations_key" ON "citations" ("key" COLLATE NOCASE)',
    'CREATE INDEX IF NOT EXISTS "idx_citations_archive_fond" '
    'ON "citations" ("archive" COLLATE NOCASE, "fond")',
    'CREATE INDEX IF NOT EXISTS "idx_citations_fond" ON "citations" ("fond")',
)


def _create_table(name: str, columns: list[tuple[str, str]]) -> str:
    body = ",\n".join(f'   "{column}" {declaration}' for column, declaration in columns)
    return f'CREATE TABLE "{name}" (\n{body}\n)'


def type_table_columns(record_type: RecordType) -> list[tuple[str, str]]:
    """(column, declaration) of a record type's table: its CSV columns, and four derived
    columns per date (`born_sort`, `born_earliest`, `born_latest`, `born_display`)."""
    columns = [("rid", "INTEGER PRIMARY KEY"), ("id", "TEXT NOT NULL")]
    for column in record_type.columns:
        columns.append((column.name, "REAL" if column.kind == "number" else "TEXT"))
        if column.kind == "date":
            columns += [(f"{column.name}_{suffix}", "TEXT") for suffix in _DATE_SUFFIXES]
    return columns


def archive_tables_ddl() -> list[str]:
    """CREATE TABLE statements of a new archive's tables (not its indexes)."""
    text = "TEXT"
    statements = [
        _create_table("archive_meta", [("key", "TEXT PRIMARY KEY"), ("value", text)]),
        _create_table(
            "records",
            [
                ("rid", "INTEGER PRIMARY KEY"),
                ("id", "TEXT NOT NULL"),
                ("type", "TEXT NOT NULL"),
                ("title", "TEXT NOT NULL"),
                ("name_ru", text),
            ],
        ),
    ]
    statements += [
        _create_table(record_type.table, type_table_columns(record_type))
        for record_type in RECORD_TYPES.values()
    ]
    quotes = ["record_id", "speaker_id", "text", "reconstructed", "seed", "note"]
    statements.append(
        _create_table(
            "quotes",
            [("id", "TEXT PRIMARY KEY")]
            + [(c, "INTEGER" if c == "reconstructed" else text) for c in quotes],
        )
    )
    statements.append(
        _create_table("links", [(c, text) for c in ("from_id", "to_id", "role", "seed", "added")])
    )
    statements.append(
        _create_table("aliases", [(c, text) for c in ("record_id", "alias", "scheme", "note")])
    )
    citation_columns = ["record_id", "position", "text", "system", "archive", "fond", "opis"]
    citation_columns += ["delo", "folios", "key", "partial_key", "extra"]
    statements.append(
        _create_table(
            "citations", [(c, "INTEGER" if c == "position" else text) for c in citation_columns]
        )
    )
    statements.append(DEFAULT_ORDER_DDL)
    return statements


def archive_indexes_ddl() -> list[str]:
    """CREATE INDEX statements of a new archive, run after its rows are written.

    Every sortable column of a tab gets an index, so a sorted tab of a million rows is an
    index walk, never a sort of the whole table.
    """
    statements = [
        'CREATE UNIQUE INDEX "idx_records_id" ON "records" ("id")',
        'CREATE INDEX "idx_records_type" ON "records" ("type")',
    ]
    for record_type in RECORD_TYPES.values():
        table = record_type.table
        for column in record_type.shown_columns:
            sort_column = column.order_column
            collate = "" if column.kind == "date" else " COLLATE NOCASE"
            statements.append(
                f'CREATE INDEX "idx_{table}_{sort_column}" ON "{table}" '
                f'("{sort_column}"{collate}, "rid")'
            )
        statements.append(f'CREATE UNIQUE INDEX "idx_{table}_id" ON "{table}" ("id")')
    for table, key in (
        ("quotes", "record_id"),
        ("links", "from_id"),
        ("links", "to_id"),
        ("aliases", "record_id"),
        ("citations", "record_id"),
    ):
        statements.append(f'CREATE INDEX "idx_{table}_{key}" ON "{table}" ("{key}")')
    return [*statements, *CITATION_INDEXES]


def search_index_ddl() -> list[str]:
    """Statements (re)creating the full-text index and the terms table, empty."""
    return [
        f'DROP TABLE IF EXISTS "{FTS_TABLE}"',
        f'DROP TABLE IF EXISTS "{TERMS_TABLE}"',
        f'CREATE VIRTUAL TABLE "{FTS_TABLE}" USING fts5({FTS_COLUMN_SPEC}, '
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')",
        f'CREATE TABLE "{TERMS_TABLE}" (term TEXT PRIMARY KEY, display TEXT NOT NULL, '
        "skel TEXT NOT NULL) WITHOUT ROWID",
        f'CREATE INDEX "idx_{TERMS_TABLE}_skel" ON "{TERMS_TABLE}" (skel)',
    ]
