"""Checking an archive file once, when it is opened, before anything trusts it.

An archive may come from anyone. Before the program asks it a question: it is a regular
file (a named pipe would block the open), it is SQLite, every object the program reads is
a *table* (a view can recurse forever) with the columns the schema gives it, the full-text
index is our FTS5 table with its shadow tables, no other virtual table is there, every
record is of a known type, the stored default orders are whole lists of 8-byte ids no
longer than their table, and `PRAGMA quick_check` finds nothing within its time budget.
Whatever fails is one sentence (`ArchiveError`); nothing is written (the connection is
read-only and immutable), so the file's bytes and mtime stay as they were.
"""

from __future__ import annotations

import itertools
import os
import re
import sqlite3
import stat
from pathlib import Path

from archive_browser.core.archive.connection import BoundedConnection
from archive_browser.core.record_types import RECORD_TYPES
from archive_browser.core.schema import (
    DEFAULT_ORDER_TABLE,
    FTS_COLUMN_SPEC,
    FTS_TABLE,
    TERMS_TABLE,
    archive_tables_ddl,
)

SQLITE_HEADER = b"SQLite format 3\x00"
# How long `PRAGMA quick_check` may look at a big archive when it is opened; a check cut
# short is not a failure (the queries are bounded in time anyway).
QUICK_CHECK_SECONDS = 0.5
# archive_meta values longer than this are cut (a title is a line, not a book).
META_VALUE_CHARS = 1000
FTS_SHADOW_SUFFIXES = ("data", "idx", "content", "docsize", "config")


class ArchiveError(Exception):
    """The archive cannot be used; the message is one readable sentence."""


def check_file(path: Path) -> None:
    """The path is a readable regular SQLite file (a FIFO, device or folder is refused
    without being opened)."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise ArchiveError(f"There is no archive at {path}.") from None
    except OSError as exc:
        raise ArchiveError(f"The archive {_short(path)} cannot be read: {exc.strerror}.") from None
    if stat.S_ISDIR(status.st_mode):
        raise ArchiveError(f"{path} is a folder, not an archive file.")
    if not stat.S_ISREG(status.st_mode):
        raise ArchiveError(
            f"{_short(path)} is not a regular file (a pipe or a device), so it is not opened."
        )
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise ArchiveError(f"The archive {path} cannot be read: {exc.strerror}.") from None
    if header != SQLITE_HEADER:
        raise ArchiveError(f"{path} is not an archive database (it is not SQLite).")


def _short(path: Path) -> str:
    """A path for a sentence: a 5000-character path is cut in its middle."""
    text = str(path)
    return text if len(text) <= 200 else f"{text[:90]}…{text[-90:]}"


def expected_columns() -> dict[str, list[str]]:
    """Each table the reader relies on, with the columns the schema creates in it."""
    tables: dict[str, list[str]] = {}
    for statement in archive_tables_ddl():
        name_match = re.search(r'CREATE TABLE (?:IF NOT EXISTS )?"([^"]+)"', statement)
        assert name_match, statement
        body = statement[statement.index("(") + 1 : statement.rindex(")")]
        tables[name_match.group(1)] = [part.split()[0].strip('"') for part in body.split(",")]
    return tables


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """archive_meta as text, every value cut at META_VALUE_CHARS."""
    rows = conn.execute(
        "SELECT CAST(key AS TEXT), CAST(substr(value, 1, ?) AS TEXT) FROM archive_meta "
        "WHERE length(key) <= 100 LIMIT 1000",
        (META_VALUE_CHARS,),
    )
    return {key: value or "" for key, value in rows}


def check_schema(path: Path, conn: BoundedConnection) -> None:
    """Refuse an archive whose tables the reader cannot trust (see the module doc)."""
    objects = {
        name: (kind, sql or "")
        for name, kind, sql in conn.execute(
            "SELECT name, type, sql FROM sqlite_master WHERE type IN ('table', 'view')"
        )
    }
    for table, columns in expected_columns().items():
        kind, _sql = objects.get(table, ("", ""))
        if not kind:
            if table == DEFAULT_ORDER_TABLE:  # an archive built before the table existed
                continue
            raise ArchiveError(f"The archive {path} is incomplete: it lacks the table {table}.")
        if kind != "table":
            raise ArchiveError(
                f"The archive {path} cannot be trusted: {table} is a {kind}, not a table."
            )
        present = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
        missing = [c for c in columns if c not in present]
        if missing:
            raise ArchiveError(
                f"The archive {path} cannot be trusted: the table {table} lacks the "
                f"column(s) {', '.join(missing)}."
            )
    _check_full_text_index(path, objects)
    _check_record_types(path, conn)
    _check_default_orders(path, conn)


def _check_full_text_index(path: Path, objects: dict[str, tuple[str, str]]) -> None:
    kind, sql = objects.get(FTS_TABLE, ("", ""))
    if kind != "table" or not re.match(
        rf'CREATE VIRTUAL TABLE "?{FTS_TABLE}"? USING fts5\({re.escape(FTS_COLUMN_SPEC)},', sql
    ):
        raise ArchiveError(
            f"The archive {path} cannot be trusted: its search index is not the one this "
            "program builds."
        )
    shadows = {f"{FTS_TABLE}_{suffix}" for suffix in FTS_SHADOW_SUFFIXES}
    for shadow in shadows:
        if objects.get(shadow, ("", ""))[0] != "table":
            raise ArchiveError(
                f"The archive {path} is damaged: its search index lacks the table {shadow}."
            )
    if objects.get(TERMS_TABLE, ("", ""))[0] not in ("table", ""):
        raise ArchiveError(f"The archive {path} cannot be trusted: {TERMS_TABLE} is not a table.")
    for name, (_kind, other_sql) in objects.items():
        if name != FTS_TABLE and other_sql.upper().startswith("CREATE VIRTUAL TABLE"):
            raise ArchiveError(
                f"The archive {path} cannot be trusted: it has a virtual table {name} "
                "this program does not build."
            )


def _check_record_types(path: Path, conn: sqlite3.Connection) -> None:
    # Ranges between the known names, so the type index answers with a few seeks even at
    # a million records (a NOT IN would read the whole index).
    known = sorted(RECORD_TYPES)
    ranges = ["type IS NULL", "type < ?", "type > ?"]
    params: list[object] = [known[0], known[-1]]
    for low, high in itertools.pairwise(known):
        ranges.append("(type > ? AND type < ?)")
        params += [low, high]
    row = conn.execute(
        f"SELECT CAST(substr(type, 1, 40) AS TEXT) FROM records WHERE {' OR '.join(ranges)}"
        " LIMIT 1",
        params,
    ).fetchone()
    if row is not None:
        raise ArchiveError(
            f"The archive {path} cannot be trusted: it has records of an unknown type {row[0]!r}."
        )


def _check_default_orders(path: Path, conn: sqlite3.Connection) -> None:
    try:
        rows = conn.execute(
            f"SELECT CAST(substr(type, 1, 40) AS TEXT), typeof(ids), length(ids) "
            f'FROM "{DEFAULT_ORDER_TABLE}" LIMIT 100'
        ).fetchall()
    except sqlite3.OperationalError:  # an archive built before the table existed
        return
    for type_name, kind, length in rows:
        record_type = RECORD_TYPES.get(type_name)
        if record_type is None:
            raise ArchiveError(
                f"The archive {path} cannot be trusted: it stores an order of an unknown "
                f"type {type_name!r}."
            )
        if kind == "null":
            continue
        # The span of a type's rids bounds its row count without counting (min and max of
        # an INTEGER PRIMARY KEY are one seek each); the importer numbers a type's records
        # one after another, so for its archives the bound is the count.
        table = record_type.table
        low, high = conn.execute(
            f'SELECT (SELECT min(rid) FROM "{table}"), (SELECT max(rid) FROM "{table}")'
        ).fetchone()
        rows_at_most = 0 if low is None else int(high) - int(low) + 1
        if kind != "blob" or length % 8 or length // 8 > rows_at_most:
            raise ArchiveError(
                f"The archive {path} is damaged: its stored order of {record_type.tab_title} "
                "does not fit the records."
            )


def quick_check(path: Path, conn: BoundedConnection) -> None:
    """`PRAGMA quick_check` within QUICK_CHECK_SECONDS; damage found is one sentence."""
    conn.start_clock(QUICK_CHECK_SECONDS)
    try:
        rows = conn.execute("PRAGMA quick_check(3)").fetchall()
    except sqlite3.OperationalError:
        if conn.timed_out:
            return  # a big archive: not finished in time, which is no finding
        raise
    finally:
        conn.start_clock()
    problems = [str(row[0]) for row in rows if str(row[0]) != "ok"]
    if problems:
        first = re.sub(r"\*\*\* in database \w+ \*\*\*", "", problems[0])
        first = " ".join(first.split())[:200]
        raise ArchiveError(f"The archive {path} is damaged (SQLite's check found: {first}).")
