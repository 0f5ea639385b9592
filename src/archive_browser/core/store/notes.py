"""The user's notes: saving with conflict checks, listing, searching, the exporters' reads."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from archive_browser.core.store.connection import StoreConnection
from archive_browser.core.store.errors import (
    NoteConflict,
    UserStoreError,
    friendly_error,
    rollback_quietly,
)
from archive_browser.core.store.values import (
    days_ago,
    later_than,
    now_utc,
    require_id,
    seconds_since,
    storable,
)
from archive_browser.core.text import fold


@dataclass(frozen=True)
class Note:
    id: int
    archive_id: str
    record_id: str
    text: str
    created: str  # ISO-8601 UTC, millisecond precision: 2026-12-03T15:30:00.123Z
    modified: str


# Versions kept per note: the newest VERSIONS_KEPT and every one replaced within the last
# VERSIONS_DAYS, whichever keeps more.
VERSIONS_KEPT = 50
VERSIONS_DAYS = 30
# Autosave writes every second or two while the user types. A save that only ADDS text keeps
# no version when the note's newest version is younger than this: nothing is lost (every
# character of the text replaced is in the new text), and History stays a list of moments
# rather than of keystrokes. A save that removes or changes anything always keeps one.
VERSION_INTERVAL_SECONDS = 300


@dataclass(frozen=True)
class NoteVersion:
    """A text a note had before a save replaced it."""

    id: int
    note_id: int
    text: str
    modified: str  # when this text was saved (the note's `modified` then)
    replaced: str  # when a later save replaced it


def only_adds(before: str, after: str) -> bool:
    """True when `after` is `before` with text inserted (every character kept, in order)."""
    remaining = iter(after)
    return all(character in remaining for character in before)


class NotesStore(StoreConnection):
    """Notes, keyed by archive id and record id."""

    def add_note(self, archive_id: str, record_id: str, text: str) -> Note:
        archive_id = require_id(archive_id, "archive id")
        record_id = require_id(record_id, "record id")
        text = storable(text)
        stamp = now_utc()
        with self._write("save the note") as conn:
            cursor = conn.execute(
                'INSERT INTO "notes" ("archive_id", "record_id", "text", "created", "modified")'
                " VALUES (?, ?, ?, ?, ?)",
                (archive_id, record_id, text, stamp, stamp),
            )
            note_id = cursor.lastrowid
        assert note_id is not None
        return Note(note_id, archive_id, record_id, text, stamp, stamp)

    def update_note(
        self,
        note_id: int,
        text: str,
        expected_modified: str | None = None,
        *,
        keep_version: bool = False,
    ) -> Note:
        """Replace a note's text; with `expected_modified`, only if nobody changed it since.

        The check and the write are one transaction, so two windows editing one note can
        never silently overwrite each other (NoteConflict instead). The text replaced is kept
        as a version (see VERSION_INTERVAL_SECONDS for the one exception; `keep_version`
        overrides it), in the same transaction.
        """
        text = storable(text)
        with self._write("save the note") as conn:
            return self._replace_text(conn, note_id, text, expected_modified, keep_version)

    def _replace_text(
        self,
        conn: sqlite3.Connection,
        note_id: int,
        text: str,
        expected_modified: str | None,
        keep_version: bool,
    ) -> Note:
        row = conn.execute(
            'SELECT "archive_id", "record_id", "created", "modified", "text" FROM "notes"'
            ' WHERE "id" = ?',
            (note_id,),
        ).fetchone()
        if row is None:
            raise UserStoreError("Cannot save the note: it has been deleted.")
        if expected_modified is not None and row[3] != expected_modified:
            raise NoteConflict("The note was changed in another window since it was opened here.")
        modified = later_than(row[3])
        if _version_worth_keeping(conn, note_id, row[4], text, keep_version):
            conn.execute(
                'INSERT INTO "note_versions" ("note_id", "text", "modified", "replaced")'
                " VALUES (?, ?, ?, ?)",
                (note_id, row[4], row[3], modified),
            )
            conn.execute(_PRUNE_VERSIONS_SQL, (note_id, days_ago(VERSIONS_DAYS), note_id))
        conn.execute(
            'UPDATE "notes" SET "text" = ?, "modified" = ? WHERE "id" = ?',
            (text, modified, note_id),
        )
        return Note(note_id, row[0], row[1], text, row[2], modified)

    def versions(self, note_id: int) -> list[NoteVersion]:
        """The kept versions of a note, newest first (none in a read-only store written by a
        version of the program that kept none)."""
        has_table = self._read(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'note_versions'",
            (),
            "read the note's history",
        )
        if not has_table:
            return []
        rows = self._read(
            'SELECT "id", "note_id", "text", "modified", "replaced" FROM "note_versions"'
            ' WHERE "note_id" = ? ORDER BY "id" DESC',
            (note_id,),
            "read the note's history",
        )
        return [NoteVersion(*row) for row in rows]

    def restore_version(
        self, note_id: int, version_id: int, expected_modified: str | None = None
    ) -> Note:
        """Put a kept version's text back as a new save: the text it replaces becomes a
        version itself, so a restore can be undone from the history too."""
        with self._write("restore the note") as conn:
            row = conn.execute(
                'SELECT "text" FROM "note_versions" WHERE "id" = ? AND "note_id" = ?',
                (version_id, note_id),
            ).fetchone()
            if row is None:
                raise UserStoreError("Cannot restore: that version of the note is no longer kept.")
            return self._replace_text(conn, note_id, row[0], expected_modified, True)

    def delete_note(self, note_id: int) -> None:
        with self._write("delete the note") as conn:
            conn.execute('DELETE FROM "notes" WHERE "id" = ?', (note_id,))
            # Deleting is the user's confirmed choice; the history goes with the note (a later
            # note may reuse its id).
            conn.execute('DELETE FROM "note_versions" WHERE "note_id" = ?', (note_id,))

    def note(self, note_id: int) -> Note | None:
        rows = self._read(
            f'SELECT {_NOTE_COLUMNS} FROM "notes" WHERE "id" = ?', (note_id,), "read the note"
        )
        return Note(*rows[0]) if rows else None

    def notes(self, archive_id: str | None = None, record_id: str | None = None) -> list[Note]:
        """Notes, oldest first, optionally only those of one archive and/or one record."""
        conditions, parameters = [], []
        if archive_id is not None:
            conditions.append('"archive_id" = ?')
            parameters.append(archive_id)
        if record_id is not None:
            conditions.append('"record_id" = ?')
            parameters.append(record_id)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        sql = f'SELECT {_NOTE_COLUMNS} FROM "notes"{where} ORDER BY "created", "id"'
        return [Note(*row) for row in self._read(sql, tuple(parameters), "read the notes")]

    def note_rows(self, archive_id: str) -> list[tuple[int, str, str, str, str]]:
        """(id, record_id, text, created, modified) of an archive's notes, by record then
        time: the exporters' fast path, without building a Note per row."""
        sql = (
            'SELECT "id", "record_id", "text", "created", "modified" FROM "notes"'
            ' WHERE "archive_id" = ? ORDER BY "record_id", "created", "id"'
        )
        return self._read(sql, (archive_id,), "read the notes")

    def export_summary(self, archive_id: str) -> list[ExportSummaryRow]:
        """(record_id, number of notes, bookmark time or None) of every record with notes or
        a bookmark or tags in one archive, sorted by record id."""
        return self._read(*self._summary_query(archive_id), "read the notes")

    def _summary_query(self, archive_id: str) -> tuple[str, tuple[str, ...]]:
        if self.has_table("record_tags"):
            return _EXPORT_SUMMARY_SQL, (archive_id, archive_id, archive_id)
        return _EXPORT_SUMMARY_WITHOUT_TAGS_SQL, (archive_id, archive_id)

    def csv_export_cells(
        self, archive_id: str, neutralise_starts: tuple[str, ...], prefix: str
    ) -> tuple[list[ExportSummaryRow], list[str]]:
        """`export_summary(archive_id)` and, read in the same snapshot, each note's own CSV
        cells built inside SQLite (the exporter's fast path).

        A note's cells are its text (`prefix` before a text beginning with one of
        `neutralise_starts`, RFC 4180 quoting), its created and its modified time, joined by
        commas. They come by record id, then time, straight from the index: the first
        record's notes (as many as the summary counts), then the next record's, and so on.
        100,000 notes export near a bare csv.writer's speed.
        """
        marks = ", ".join("?" * len(neutralise_starts))
        quoted = (
            """CASE WHEN instr(t, ',') OR instr(t, '"') OR instr(t, char(10))"""
            """ OR instr(t, char(13)) THEN '"' || replace(t, '"', '""') || '"' ELSE t END"""
        )
        sql = f"""
            SELECT {quoted} || ',' || "created" || ',' || "modified"
            FROM (SELECT "id", "record_id", "created", "modified",
                         CASE WHEN substr("text", 1, 1) IN ({marks})
                              THEN ? || "text" ELSE "text" END AS t
                  FROM "notes" WHERE "archive_id" = ?)
            ORDER BY "record_id", "created", "id"
        """
        parameters = (*neutralise_starts, prefix, archive_id)
        summary_sql, summary_parameters = self._summary_query(archive_id)
        with self._lock:
            conn = self._connection()
            try:
                # One deferred transaction: the counts and the notes are one consistent
                # snapshot (a note saved in between cannot shift the lines), no lock taken.
                conn.execute("BEGIN")
                summary = conn.execute(summary_sql, summary_parameters).fetchall()
                cells = [row[0] for row in conn.execute(sql, parameters)]
                conn.execute("COMMIT")
                return summary, cells
            except sqlite3.Error as error:
                rollback_quietly(conn)
                raise friendly_error(error, self.path.parent, "export the notes") from error

    def search_notes(self, archive_id: str, query: str, limit: int = 50) -> list[Note]:
        """Notes containing every word of `query`, ignoring case and accents, newest first.

        A blank query finds nothing. Any text is accepted: it is compared in Python, never
        parsed as a query language.
        """
        words = fold(storable(str(query))).split()
        if not words or limit <= 0:
            return []
        found: list[Note] = []
        sql = (
            f'SELECT {_NOTE_COLUMNS} FROM "notes" WHERE "archive_id" = ?'
            ' ORDER BY "modified" DESC, "id" DESC'
        )
        with self._lock:
            conn = self._connection()
            try:
                # Row by row, newest first: a common word stops after `limit` matches.
                for row in conn.execute(sql, (archive_id,)):
                    folded = fold(row[3])
                    if all(word in folded for word in words):
                        found.append(Note(*row))
                        if len(found) >= limit:
                            break
            except sqlite3.Error as error:
                raise friendly_error(error, self.path.parent, "search the notes") from error
        return found


def _version_worth_keeping(
    conn: sqlite3.Connection, note_id: int, before: str, after: str, always: bool
) -> bool:
    if before == after or not before.strip():
        return False  # nothing would be lost
    if always or not only_adds(before, after):
        return True
    newest = conn.execute(
        'SELECT "replaced" FROM "note_versions" WHERE "note_id" = ? ORDER BY "id" DESC LIMIT 1',
        (note_id,),
    ).fetchone()
    return newest is None or seconds_since(newest[0]) >= VERSION_INTERVAL_SECONDS


# Of one note's versions, those beyond the newest VERSIONS_KEPT that were also replaced before
# the cut-off time.
_PRUNE_VERSIONS_SQL = (
    'DELETE FROM "note_versions" WHERE "note_id" = ? AND "replaced" < ? AND "id" NOT IN ('
    ' SELECT "id" FROM "note_versions" WHERE "note_id" = ? ORDER BY "id" DESC'
    f" LIMIT {VERSIONS_KEPT})"
)

_NOTE_COLUMNS = '"id", "archive_id", "record_id", "text", "created", "modified"'

# (record_id, number of notes, bookmark time or None) of one archive, by record id: every
# record with notes, a bookmark or tags (a tagged record is exported even without notes).
ExportSummaryRow = tuple[str, int, str | None]
_SUMMARY_PARTS = (
    'SELECT "record_id", 1 AS "n", NULL AS "b" FROM "notes" WHERE "archive_id" = ?',
    'SELECT "record_id", 0, "created" FROM "bookmarks" WHERE "archive_id" = ?',
    'SELECT DISTINCT "record_id", 0, NULL FROM "record_tags" WHERE "archive_id" = ?',
)


def _summary_sql(parts: tuple[str, ...]) -> str:
    union = " UNION ALL ".join(parts)
    grouped = f'SELECT "record_id", sum("n"), max("b") FROM ({union}) GROUP BY "record_id"'
    return grouped + ' ORDER BY "record_id"'


_EXPORT_SUMMARY_SQL = _summary_sql(_SUMMARY_PARTS)
# A store opened read-only may predate tags (schema version 2): the same without them.
_EXPORT_SUMMARY_WITHOUT_TAGS_SQL = _summary_sql(_SUMMARY_PARTS[:2])
