"""The user's own database: notes, bookmarks and recently opened archives.

One SQLite file, `notes.sqlite3`, in the user-data folder (`paths.user_data_dir()`). Notes
and bookmarks are keyed by the archive's text id (from its `archive_meta`) and the record's
stable id (`person/seeckt`), never by rowid, so they survive rebuilding the archive.

Durability: WAL journal with `synchronous=NORMAL`, and every write is its own
`BEGIN IMMEDIATE ... COMMIT`, so a save that returned is on disk and survives the program
being killed (only a power cut can lose the last commits in WAL/NORMAL mode). Several
processes may use one store at once: writers wait for each other (`busy_timeout`).

Recovery: a store that is damaged, or was written by a newer version of the program, is
renamed aside under a dated name (`notes.sqlite3.corrupt-20261203T153000`, with its `-wal`
and `-shm`), a fresh store is created and `UserStore.recovery_message` says so. Nothing is
ever deleted.

Errors a user can meet (read-only folder, full disk, locked file) are raised as
`UserStoreError` with one readable sentence; the caller keeps the unsaved text.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Self

from archive_browser.core.paths import user_data_dir

STORE_FILE_NAME = "notes.sqlite3"
BUSY_TIMEOUT_MS = 5000
# Opening (WAL switch, migrations) is retried this long when another process holds a lock
# in a way SQLite reports as SQLITE_BUSY without calling the busy handler.
OPEN_RETRY_SECONDS = 10.0
RECENT_ARCHIVES_KEPT = 50
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class UserStoreError(Exception):
    """A problem the user should read about; the message is one readable sentence."""


class NoteConflict(UserStoreError):
    """The note changed (in another window or program) since the caller read it."""


@dataclass(frozen=True)
class Note:
    id: int
    archive_id: str
    record_id: str
    text: str
    created: str  # ISO-8601 UTC, millisecond precision: 2026-12-03T15:30:00.123Z
    modified: str


@dataclass(frozen=True)
class Bookmark:
    archive_id: str
    record_id: str
    created: str


# --- schema -------------------------------------------------------------------------------


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


# MIGRATIONS[i] turns a store of user_version i into one of user_version i + 1.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_to_1, _migrate_to_2]
SCHEMA_VERSION = len(MIGRATIONS)


# --- helpers ------------------------------------------------------------------------------


def now_utc() -> str:
    """The current time as the store writes it (ISO-8601 UTC, milliseconds)."""
    return _format_time(datetime.now(UTC))


def _format_time(moment: datetime) -> str:
    return moment.strftime(_TIME_FORMAT)[:-4] + "Z"  # microseconds -> milliseconds


def _later_than(previous: str) -> str:
    """Now, or 1 ms after `previous` if the clock has not moved on (so edits always show)."""
    now = datetime.now(UTC)
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)  # the stored precision
    try:
        before = datetime.fromisoformat(previous)
    except ValueError:
        return _format_time(now)
    if now <= before:
        now = before + timedelta(milliseconds=1)
    return _format_time(now)


def fold_for_search(text: str) -> str:
    """Case- and accent-insensitive form: `Ёлкин` and `елкин`, `Köstring` and `kostring`."""
    if text.isascii():
        return text.lower()  # the common case, and casefold() == lower() for ASCII
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return decomposed.translate(_combining_marks())


@cache
def _combining_marks() -> dict[int, None]:
    # Accents left over by NFKD (ё -> е + U+0308); the BMP holds all that occur in our text.
    return {code: None for code in range(0x10000) if unicodedata.combining(chr(code))}


def _storable(text: str) -> str:
    # NUL is never meaningful in a note, and SQLite's string functions stop at it.
    if "\x00" in text:
        text = text.replace("\x00", "")
    # Lone surrogates (possible from a clipboard) cannot be encoded as UTF-8; keep the rest.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Joins surrogate pairs, replaces lone surrogates with U+FFFD.
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _require_id(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UserStoreError(f"Cannot save: the {what} is missing.")
    return value


def _friendly_error(error: sqlite3.Error, folder: Path, doing: str) -> UserStoreError:
    """Translate an SQLite error into a sentence a user can act on."""
    message = str(error).lower()
    if "full" in message:
        return UserStoreError(f"Cannot {doing}: the disk holding the folder {folder} is full.")
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        return UserStoreError(f"Cannot {doing}: the folder {folder} is not writable.")
    if "locked" in message or "busy" in message:
        return UserStoreError(
            f"Cannot {doing}: the notes file in {folder} is locked by another program."
        )
    if "malformed" in message or "not a database" in message:
        return UserStoreError(
            f"Cannot {doing}: the notes file in {folder} is damaged; "
            "restart the program to recover it."
        )
    return UserStoreError(f"Cannot {doing}: {error}.")


def _folder_problem(folder: Path) -> str | None:
    """Why `folder` cannot hold the store, or None."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror or str(error)
        return f"Cannot save notes: the folder {folder} cannot be created ({reason})."
    if not folder.is_dir():
        return f"Cannot save notes: {folder} is not a folder."
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"Cannot save notes: the folder {folder} is not writable."
    return None


def _aside_name(path: Path, reason: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    candidate = path.with_name(f"{path.name}.{reason}-{stamp}")
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = path.with_name(f"{path.name}.{reason}-{stamp}-{counter}")
    return candidate


def _move_aside(path: Path, reason: str) -> Path:
    """Rename the store and its -wal/-shm to a dated name; returns the new main file name."""
    target = _aside_name(path, reason)
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            os.replace(source, target.with_name(target.name + suffix))
    return target


class _DamagedStore(Exception):
    """Internal: the file is not a usable store (reason: 'corrupt' or 'newer')."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- the store ----------------------------------------------------------------------------


class UserStore:
    """The user's notes, bookmarks and recent archives. Open with `UserStore.open()`."""

    path: Path
    recovery_message: str | None

    def __init__(
        self, path: Path, connection: sqlite3.Connection, recovery_message: str | None
    ) -> None:
        self.path = path
        self.recovery_message = recovery_message
        self._conn: sqlite3.Connection | None = connection
        # One connection shared by threads (a GUI may export from a worker thread).
        self._lock = threading.RLock()

    # --- opening ---

    @classmethod
    def open(cls, path: Path | None = None) -> UserStore:
        """Open (creating if needed) the store; default `user_data_dir()/notes.sqlite3`."""
        store_path = Path(path) if path is not None else user_data_dir() / STORE_FILE_NAME
        problem = _folder_problem(store_path.parent)
        if problem:
            raise UserStoreError(problem)
        if store_path.exists() and not os.access(store_path, os.W_OK):
            raise UserStoreError(f"Cannot save notes: the file {store_path} is read-only.")
        recovery_message = None
        try:
            connection = _open_checked(store_path)
        except _DamagedStore as damaged:
            moved_to = _move_aside(store_path, damaged.reason)
            recovery_message = _recovery_sentence(damaged.reason, moved_to)
            connection = _open_checked(store_path)
        return cls(store_path, connection, recovery_message)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- notes ---

    def add_note(self, archive_id: str, record_id: str, text: str) -> Note:
        archive_id = _require_id(archive_id, "archive id")
        record_id = _require_id(record_id, "record id")
        text = _storable(text)
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

    def update_note(self, note_id: int, text: str, expected_modified: str | None = None) -> Note:
        """Replace a note's text; with `expected_modified`, only if nobody changed it since.

        The check and the write are one transaction, so two windows editing one note can
        never silently overwrite each other (NoteConflict instead).
        """
        text = _storable(text)
        with self._write("save the note") as conn:
            row = conn.execute(
                'SELECT "archive_id", "record_id", "created", "modified" FROM "notes"'
                ' WHERE "id" = ?',
                (note_id,),
            ).fetchone()
            if row is None:
                raise UserStoreError("Cannot save the note: it has been deleted.")
            if expected_modified is not None and row[3] != expected_modified:
                raise NoteConflict(
                    "The note was changed in another window since it was opened here."
                )
            modified = _later_than(row[3])
            conn.execute(
                'UPDATE "notes" SET "text" = ?, "modified" = ? WHERE "id" = ?',
                (text, modified, note_id),
            )
        return Note(note_id, row[0], row[1], text, row[2], modified)

    def delete_note(self, note_id: int) -> None:
        with self._write("delete the note") as conn:
            conn.execute('DELETE FROM "notes" WHERE "id" = ?', (note_id,))

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
        a bookmark in one archive, sorted by record id."""
        return self._read(_EXPORT_SUMMARY_SQL, (archive_id, archive_id), "read the notes")

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
        with self._lock:
            conn = self._connection()
            try:
                # One deferred transaction: the counts and the notes are one consistent
                # snapshot (a note saved in between cannot shift the lines), no lock taken.
                conn.execute("BEGIN")
                summary = conn.execute(_EXPORT_SUMMARY_SQL, (archive_id, archive_id)).fetchall()
                cells = [row[0] for row in conn.execute(sql, parameters)]
                conn.execute("COMMIT")
                return summary, cells
            except sqlite3.Error as error:
                _rollback_quietly(conn)
                raise _friendly_error(error, self.path.parent, "export the notes") from error

    def search_notes(self, archive_id: str, query: str, limit: int = 50) -> list[Note]:
        """Notes containing every word of `query`, ignoring case and accents, newest first.

        A blank query finds nothing. Any text is accepted: it is compared in Python, never
        parsed as a query language.
        """
        words = fold_for_search(_storable(str(query))).split()
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
                    folded = fold_for_search(row[3])
                    if all(word in folded for word in words):
                        found.append(Note(*row))
                        if len(found) >= limit:
                            break
            except sqlite3.Error as error:
                raise _friendly_error(error, self.path.parent, "search the notes") from error
        return found

    # --- bookmarks ---

    def toggle_bookmark(self, archive_id: str, record_id: str) -> bool:
        """Bookmark the record, or remove its bookmark; True when it is now bookmarked."""
        archive_id = _require_id(archive_id, "archive id")
        record_id = _require_id(record_id, "record id")
        with self._write("change the bookmark") as conn:
            removed = conn.execute(
                'DELETE FROM "bookmarks" WHERE "archive_id" = ? AND "record_id" = ?',
                (archive_id, record_id),
            ).rowcount
            if removed:
                return False
            conn.execute(
                'INSERT INTO "bookmarks" ("archive_id", "record_id", "created") VALUES (?, ?, ?)',
                (archive_id, record_id, now_utc()),
            )
        return True

    def is_bookmarked(self, archive_id: str, record_id: str) -> bool:
        rows = self._read(
            'SELECT 1 FROM "bookmarks" WHERE "archive_id" = ? AND "record_id" = ?',
            (archive_id, record_id),
            "read the bookmarks",
        )
        return bool(rows)

    def bookmarks(self, archive_id: str | None = None) -> list[Bookmark]:
        """Bookmarks, oldest first, optionally only those of one archive."""
        sql = 'SELECT "archive_id", "record_id", "created" FROM "bookmarks"'
        parameters: tuple[str, ...] = ()
        if archive_id is not None:
            sql += ' WHERE "archive_id" = ?'
            parameters = (archive_id,)
        sql += ' ORDER BY "created", "record_id"'
        return [Bookmark(*row) for row in self._read(sql, parameters, "read the bookmarks")]

    # --- recent archives ---

    def remember_archive(self, path: str | Path, archive_id: str, title: str) -> None:
        """Put an archive at the top of the recent list (the list keeps the latest 50)."""
        absolute = os.path.abspath(os.fspath(path))
        with self._write("remember the archive") as conn:
            conn.execute(
                'INSERT INTO "recent_archives" ("path", "archive_id", "title", "opened")'
                ' VALUES (?, ?, ?, ?) ON CONFLICT ("path") DO UPDATE SET'
                ' "archive_id" = excluded."archive_id", "title" = excluded."title",'
                ' "opened" = excluded."opened"',
                (absolute, archive_id, _storable(title), _later_than_latest_opened(conn)),
            )
            conn.execute(
                'DELETE FROM "recent_archives" WHERE "path" NOT IN (SELECT "path"'
                ' FROM "recent_archives" ORDER BY "opened" DESC LIMIT ?)',
                (RECENT_ARCHIVES_KEPT,),
            )

    def recent_archives(self, limit: int = 10) -> list[tuple[str, str, str]]:
        """(path, archive_id, title) of recently opened archives, latest first."""
        rows = self._read(
            'SELECT "path", "archive_id", "title" FROM "recent_archives"'
            ' ORDER BY "opened" DESC LIMIT ?',
            (max(limit, 0),),
            "read the recent archives",
        )
        return [(path, archive_id or "", title or "") for path, archive_id, title in rows]

    # --- transactions ---

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise UserStoreError("The notes store is closed.")
        return self._conn

    @contextmanager
    def _write(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One committed transaction; SQLite errors become a UserStoreError sentence."""
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise _friendly_error(error, self.path.parent, doing) from error
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as error:
                _rollback_quietly(conn)
                if isinstance(error, sqlite3.Error):
                    raise _friendly_error(error, self.path.parent, doing) from error
                raise

    def _read(self, sql: str, parameters: tuple[object, ...], doing: str) -> list[tuple]:
        with self._lock:
            conn = self._connection()
            try:
                return conn.execute(sql, parameters).fetchall()
            except sqlite3.Error as error:
                raise _friendly_error(error, self.path.parent, doing) from error


def _rollback_quietly(conn: sqlite3.Connection) -> None:
    # The original error is the one worth reporting; a failed rollback (the disk is gone)
    # leaves nothing half-written because SQLite rolls back itself.
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


_NOTE_COLUMNS = '"id", "archive_id", "record_id", "text", "created", "modified"'

# (record_id, number of notes, bookmark time or None) of one archive, by record id.
ExportSummaryRow = tuple[str, int, str | None]
_EXPORT_SUMMARY_SQL = (
    'SELECT "record_id", sum("n"), max("b") FROM ('
    ' SELECT "record_id", 1 AS "n", NULL AS "b" FROM "notes" WHERE "archive_id" = ?'
    " UNION ALL"
    ' SELECT "record_id", 0, "created" FROM "bookmarks" WHERE "archive_id" = ?'
    ') GROUP BY "record_id" ORDER BY "record_id"'
)


def _later_than_latest_opened(conn: sqlite3.Connection) -> str:
    # Two archives opened within one millisecond must still come out in order.
    latest = conn.execute('SELECT max("opened") FROM "recent_archives"').fetchone()[0]
    return _later_than(latest) if latest else now_utc()


def _recovery_sentence(reason: str, moved_to: Path) -> str:
    if reason == "newer":
        return (
            "Your notes file was written by a newer version of Archive Browser; it was set "
            f"aside unchanged as {moved_to} and a new, empty notes file was started."
        )
    return (
        "Your notes file was damaged; it was set aside unchanged as "
        f"{moved_to} and a new, empty notes file was started."
    )


# --- opening and migrating ----------------------------------------------------------------


def _open_checked(path: Path) -> sqlite3.Connection:
    """Connect, check health and migrate; raises _DamagedStore or UserStoreError."""
    if not _has_sqlite_header(path):
        # Decided before SQLite opens it: SQLite would discard an unreadable -wal beside it.
        raise _DamagedStore("corrupt")
    try:
        conn = sqlite3.connect(
            os.fspath(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,  # we issue BEGIN IMMEDIATE / COMMIT ourselves
            check_same_thread=False,
        )
    except sqlite3.Error as error:
        raise _friendly_error(error, path.parent, "open the notes") from error
    try:
        _retry_while_busy(lambda: _prepare(conn))
    except _DamagedStore:
        conn.close()
        raise
    except sqlite3.DatabaseError as error:
        conn.close()
        if _is_corruption(error):
            raise _DamagedStore("corrupt") from error
        raise _friendly_error(error, path.parent, "open the notes") from error
    except BaseException:
        conn.close()
        raise
    return conn


def _has_sqlite_header(path: Path) -> bool:
    """False for a non-empty file that is not SQLite (an empty or missing file is a new store)."""
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return True
    except OSError as error:
        raise UserStoreError(
            f"Cannot read the notes file {path} ({error.strerror or error})."
        ) from error
    return header == b"" or header == _SQLITE_HEADER


_SQLITE_HEADER = b"SQLite format 3\x00"


def _is_corruption(error: sqlite3.DatabaseError) -> bool:
    message = str(error).lower()
    return "not a database" in message or "malformed" in message or "corrupt" in message


def _retry_while_busy(action: Callable[[], None]) -> None:
    # The busy handler covers ordinary lock waits; a few paths (two processes creating one
    # new file and both switching it to WAL) can still report "locked" at once: retry those.
    deadline = time.monotonic() + OPEN_RETRY_SECONDS
    while True:
        try:
            action()
            return
        except sqlite3.OperationalError as error:
            message = str(error).lower()
            if ("locked" not in message and "busy" not in message) or (time.monotonic() > deadline):
                raise
            time.sleep(0.02)


def _prepare(conn: sqlite3.Connection) -> None:
    # busy_timeout first: the WAL switch below already needs it when another process is
    # creating the same new file.
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise sqlite3.OperationalError("database is locked (could not switch to WAL)")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        raise _DamagedStore("corrupt")
    _migrate(conn)


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring the store to SCHEMA_VERSION, one committed transaction per migration."""
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Read inside the write lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _DamagedStore("newer")
            if version == SCHEMA_VERSION:
                conn.execute("COMMIT")
                return
            MIGRATIONS[version](conn)
            # PRAGMA takes no bound parameters; the value is our own integer.
            conn.execute(f"PRAGMA user_version = {int(version) + 1}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback_quietly(conn)
            raise
