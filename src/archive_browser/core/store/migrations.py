"""The store's schema: one migration per version, applied in order on opening."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from archive_browser.core.store.errors import DamagedStore, rollback_quietly


def _migrate_to_1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE "notes" (
            "id" INTEGER PRIMARY KEY,
            "archive_id" TEXT NOT NULL,
            "record_id" TEXT NOT NULL,
            "text" TEXT NOT NULL,
            "created" TEXT NOT NULL,
            "modified" TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE "bookmarks" (
            "archive_id" TEXT NOT NULL,
            "record_id" TEXT NOT NULL,
            "created" TEXT NOT NULL,
            PRIMARY KEY ("archive_id", "record_id")
        )"""
    )
    conn.execute(
        """CREATE TABLE "recent_archives" (
            "path" TEXT PRIMARY KEY,
            "archive_id" TEXT,
            "title" TEXT,
            "opened" TEXT NOT NULL
        )"""
    )


def _migrate_to_2(conn: sqlite3.Connection) -> None:
    # Version 1 shipped without indexes; the notebook lists notes per record and per archive.
    conn.execute('CREATE INDEX "notes_by_record" ON "notes" ("archive_id", "record_id", "created")')
    conn.execute('CREATE INDEX "notes_by_modified" ON "notes" ("archive_id", "modified")')
    conn.execute('CREATE INDEX "recent_by_opened" ON "recent_archives" ("opened")')


def _migrate_to_3(conn: sqlite3.Connection) -> None:
    # Tags: one row per tag (its first spelling and its case-folded key, unique), and its
    # uses on records of an archive. A record's tags are shown with its bookmark and every
    # note on it; renaming a tag is one row, merging moves its uses.
    conn.execute(
        """CREATE TABLE "tags" (
            "id" INTEGER PRIMARY KEY,
            "name" TEXT NOT NULL,
            "key" TEXT NOT NULL UNIQUE,
            "created" TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE "record_tags" (
            "archive_id" TEXT NOT NULL,
            "record_id" TEXT NOT NULL,
            "tag_id" INTEGER NOT NULL REFERENCES "tags" ("id") ON DELETE CASCADE,
            "created" TEXT NOT NULL,
            PRIMARY KEY ("archive_id", "record_id", "tag_id")
        )"""
    )
    conn.execute('CREATE INDEX "record_tags_by_tag" ON "record_tags" ("tag_id", "archive_id")')


def _migrate_to_4(conn: sqlite3.Connection) -> None:
    # Issue 18 (notes that cannot be lost by editing): the text a note had before each save.
    # It only creates what is missing, so a store that met it at another position (a
    # development build) migrates the same.
    conn.execute(
        """CREATE TABLE IF NOT EXISTS "note_versions" (
            "id" INTEGER PRIMARY KEY,
            "note_id" INTEGER NOT NULL,
            "text" TEXT NOT NULL,
            "modified" TEXT NOT NULL,
            "replaced" TEXT NOT NULL
        )"""
    )
    conn.execute(
        'CREATE INDEX IF NOT EXISTS "note_versions_by_note" ON "note_versions" ("note_id", "id")'
    )


# MIGRATIONS[i] turns a store of user_version i into one of user_version i + 1.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migrate_to_1,
    _migrate_to_2,
    _migrate_to_3,
    _migrate_to_4,
]
SCHEMA_VERSION = len(MIGRATIONS)


# The tables every store of SCHEMA_VERSION has; a store claiming the version without them is
# not one of ours.
EXPECTED_TABLES = ("notes", "bookmarks", "recent_archives", "tags", "record_tags", "note_versions")


def migrate(conn: sqlite3.Connection, identity: int = 0) -> None:
    """Bring the store to SCHEMA_VERSION, one committed transaction per migration.

    A new store gets `identity` as its application id in its first migration's transaction.
    A version we never wrote (negative, or one whose migration does not fit the file) raises
    DamagedStore('unknown'), so the file is set aside rather than locking the user out.
    """
    # The usual case reads without a write lock, so a store another program is writing to
    # opens at once.
    if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        _check_tables(conn)
        return
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Read inside the write lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise DamagedStore("newer")
            if version < 0:
                raise DamagedStore("unknown")
            if version == SCHEMA_VERSION:
                _check_tables(conn)
                conn.execute("COMMIT")
                return
            if version == 0 and identity:
                conn.execute(f"PRAGMA application_id = {int(identity)}")
            try:
                MIGRATIONS[version](conn)
            except sqlite3.Error as error:
                # e.g. version 1 written over a file that already has version 2's indexes
                raise DamagedStore("unknown") from error
            # PRAGMA takes no bound parameters; the value is our own integer.
            conn.execute(f"PRAGMA user_version = {int(version) + 1}")
            conn.execute("COMMIT")
        except BaseException:
            rollback_quietly(conn)
            raise


def _check_tables(conn: sqlite3.Connection) -> None:
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not all(table in names for table in EXPECTED_TABLES):
        raise DamagedStore("unknown")
