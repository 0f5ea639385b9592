"""Opening the store file (WAL, health check, migrations, recovery) and its transactions."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from archive_browser.core.paths import user_data_dir
from archive_browser.core.store.errors import (
    DamagedStore,
    UserStoreError,
    folder_problem,
    friendly_error,
    recovery_sentence,
    rollback_quietly,
)
from archive_browser.core.store.migrations import SCHEMA_VERSION, migrate
from archive_browser.core.store.wal import (
    WalSummary,
    WalUnreadable,
    database_header,
    read_wal,
    salvage_rows,
    write_database_from_wal,
)

STORE_FILE_NAME = "notes.sqlite3"
BUSY_TIMEOUT_MS = 5000
# A window must never wait long for a lock held by another program: its saves wait this
# long, then fail with a sentence and are retried from a timer.
GUI_BUSY_TIMEOUT_MS = 200
# The store's identity in its header's application id: this prefix ("NB") and 16 random bits,
# so a WAL found beside the file can be told from another store's.
STORE_ID_PREFIX = 0x4E42_0000
# Opening (WAL switch, migrations) is retried this long when another process holds a lock
# in a way SQLite reports as SQLITE_BUSY without calling the busy handler.
OPEN_RETRY_SECONDS = 10.0


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


class StoreConnection:
    """One open store file: opening, recovery, and one committed transaction per write."""

    path: Path
    recovery_message: str | None

    read_only_reason: str | None = None  # set when the store is open for reading only

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
    def open(cls, path: Path | None = None, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Self:
        """Open (creating if needed) the store; default `user_data_dir()/notes.sqlite3`.

        A store the program may not write (read-only file or folder) opens for reading:
        `read_only_reason` says why, and every write raises UserStoreError with it.
        `busy_timeout_ms` bounds each later wait for another program's lock (a window
        passes GUI_BUSY_TIMEOUT_MS).
        """
        store_path = Path(path) if path is not None else user_data_dir() / STORE_FILE_NAME
        refuse_unless_regular(store_path)
        problem = folder_problem(store_path.parent)
        read_only_reason = None
        if problem and store_path.parent.is_dir() and store_path.exists():
            read_only_reason = problem
        elif problem:
            raise UserStoreError(problem)
        elif store_path.exists() and not os.access(store_path, os.W_OK):
            read_only_reason = f"Cannot save notes: the file {store_path} is read-only."
        if read_only_reason is not None:
            store = cls(store_path, _open_read_only(store_path), None)
            store.read_only_reason = read_only_reason
            return store
        recovery_message = guard_wal(store_path)
        try:
            connection = _open_checked(store_path, busy_timeout_ms)
        except DamagedStore as damaged:
            moved_to = _move_aside(store_path, damaged.reason)
            recovery_message = recovery_sentence(damaged.reason, moved_to)
            connection = _open_checked(store_path, busy_timeout_ms)
        return cls(store_path, connection, recovery_message)

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def set_busy_timeout(self, milliseconds: int) -> None:
        """How long a write waits for another program's lock before failing."""
        with self._lock:
            self._connection().execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

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

    # --- transactions ---

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise UserStoreError("The notes store is closed.")
        return self._conn

    @contextmanager
    def _write(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One committed transaction; SQLite errors become a UserStoreError sentence."""
        if self.read_only_reason is not None:
            raise UserStoreError(self.read_only_reason)
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise friendly_error(error, self.path.parent, doing) from error
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as error:
                rollback_quietly(conn)
                if isinstance(error, sqlite3.Error):
                    raise friendly_error(error, self.path.parent, doing) from error
                raise

    def has_table(self, name: str) -> bool:
        """Whether the store has the table: a store opened read-only may be of an older
        schema version (without tags, say), and is still read."""
        if self.read_only_reason is None:
            return True  # a writable store is always migrated to SCHEMA_VERSION
        rows = self._read(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,), "read"
        )
        return bool(rows)

    def _read(self, sql: str, parameters: tuple[object, ...], doing: str) -> list[tuple[Any, ...]]:
        with self._lock:
            conn = self._connection()
            try:
                return conn.execute(sql, parameters).fetchall()
            except sqlite3.Error as error:
                raise friendly_error(error, self.path.parent, doing) from error


def _open_checked(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """Connect, check health and migrate; raises DamagedStore or UserStoreError."""
    if not _has_sqlite_header(path):
        # Decided before SQLite opens it: SQLite would discard an unreadable -wal beside it.
        raise DamagedStore("corrupt")
    try:
        conn = sqlite3.connect(
            os.fspath(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,  # we issue BEGIN IMMEDIATE / COMMIT ourselves
            check_same_thread=False,
        )
    except sqlite3.Error as error:
        raise friendly_error(error, path.parent, "open the notes") from error
    try:
        _retry_while_busy(lambda: _prepare(conn))
        # Opening may wait the full timeout (another process creating the file); later
        # writes wait only as long as the caller allows.
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    except DamagedStore:
        conn.close()
        raise
    except sqlite3.DatabaseError as error:
        conn.close()
        if _is_corruption(error):
            raise DamagedStore("corrupt") from error
        raise friendly_error(error, path.parent, "open the notes") from error
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
        raise DamagedStore("corrupt")
    migrate(conn, new_store_identity())
    if conn.execute("PRAGMA application_id").fetchone()[0] == 0:
        # A store from before identities gets one (the header's only free field); while
        # another program holds the write lock it waits for a later opening.
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            conn.execute(f"PRAGMA application_id = {new_store_identity()}")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error).lower() and "busy" not in str(error).lower():
                raise
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def new_store_identity() -> int:
    return STORE_ID_PREFIX | (secrets.randbits(16) or 1)


_FILE_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def refuse_unless_regular(path: Path) -> None:
    """UserStoreError unless the store and its -wal/-shm are regular files (or absent):
    through a symbolic link the store would change the file it points to."""
    for suffix in ("", "-wal", "-shm"):
        candidate = path.with_name(path.name + suffix)
        try:
            mode = os.lstat(candidate).st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue  # absent: the folder check says what is wrong with the folder
        except OSError as error:
            raise UserStoreError(
                f"Cannot open notes: {candidate} cannot be read ({error.strerror or error})."
            ) from error
        for is_kind, kind in _FILE_KINDS:
            if is_kind(mode):
                raise UserStoreError(
                    f"Cannot open notes: {candidate} is {kind}, not a regular file; "
                    "move it away so a new notes file can be started there."
                )


def _open_read_only(path: Path) -> sqlite3.Connection:
    """The store for reading only (its folder or file is read-only)."""
    uri = Path(os.path.abspath(path)).as_uri()
    # mode=ro needs the -shm beside a WAL-mode file, which a read-only folder cannot get;
    # there nobody can change the file, so reading it as immutable is exact.
    error: sqlite3.Error | None = None
    for attempt in (f"{uri}?mode=ro", f"{uri}?immutable=1"):
        try:
            conn = sqlite3.connect(attempt, uri=True, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as failure:
            error = failure
            continue
        try:
            conn.execute(f"PRAGMA busy_timeout = {GUI_BUSY_TIMEOUT_MS}")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute('SELECT 1 FROM "notes" LIMIT 1').fetchall()
        except sqlite3.Error as failure:
            conn.close()
            error = failure
            continue
        if not 0 < version <= SCHEMA_VERSION:
            conn.close()
            raise UserStoreError(
                f"Cannot open notes: the read-only notes file {path} has schema version "
                f"{version}, which this program cannot read."
            )
        return conn
    raise UserStoreError(
        f"Cannot open notes: the read-only notes file {path} cannot be read ({error})."
    )


# --- the write-ahead log beside the store ---------------------------------------------------


def _wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def guard_wal(path: Path) -> str | None:
    """Before SQLite sees it: a -wal that is orphaned (no main file), damaged or another
    store's is moved aside with the main file, and recovered where that is safe. Returns the
    sentence for the user, or None when the WAL (if any) is the store's own."""
    wal = _wal_path(path)
    if not wal.exists():
        return None
    unreadable, summary = _read_wal_settled(wal)
    if summary is None and not unreadable:
        return None  # shorter than a header: a crash before anything was written
    main = database_header(path)
    if main is None:
        if summary is not None and summary.committed_frames == 0:
            return None  # nothing committed: nothing to lose
        return _recover_orphaned_wal(path, summary)
    page_size, identity = main
    if summary is None or summary.damaged:
        moved = _move_aside(path, "damaged-wal")
        shutil.copyfile(moved, path)
        if summary is not None and summary.page_size == page_size:
            # Keep what can be read: the frames before the damage, as SQLite replays them.
            with _wal_path(moved).open("rb") as source, wal.open("wb") as target:
                target.write(source.read(summary.valid_bytes))
        return (
            "Your notes file's recent changes (its -wal file) were damaged; your notes file "
            f"was moved aside with them as {moved} (and {moved}-wal), and a copy with the "
            "changes that could be read is in use."
        )
    wal_identity = summary.page_one_application_id()
    foreign = summary.page_size != page_size or (
        identity != 0 and wal_identity is not None and wal_identity not in (0, identity)
    )
    if not foreign:
        return None
    moved = _move_aside(path, "foreign-wal")
    shutil.copyfile(moved, path)
    return (
        "A -wal file beside your notes file belonged to another notes file; your notes file "
        f"was moved aside with it as {moved} (and {moved}-wal), and a copy of your notes "
        "without it is in use."
    )


def _read_wal_once(wal: Path) -> tuple[bool, WalSummary | None]:
    try:
        return False, read_wal(wal)
    except WalUnreadable:
        return True, None


def _read_wal_settled(wal: Path) -> tuple[bool, WalSummary | None]:
    """(unreadable, summary) of the WAL. A verdict of damage is trusted only when a second
    read, a moment later and of an unchanged file, says the same: another program using the
    store may have been rewriting the WAL while it was read."""
    result = _read_wal_once(wal)
    for _attempt in range(20):
        if not _says_damaged(result):
            return result
        before = _file_state(wal)
        time.sleep(0.05)
        again = _read_wal_once(wal)
        if _file_state(wal) == before and _says_damaged(again):
            return again
        result = again
    return result


def _says_damaged(result: tuple[bool, WalSummary | None]) -> bool:
    unreadable, summary = result
    return unreadable or (summary is not None and summary.damaged)


def _file_state(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _recover_orphaned_wal(path: Path, summary: WalSummary | None) -> str:
    """The main file is gone (a sync tool moved it) but its WAL is here: keep the WAL aside
    and, when it holds every page of the database, rebuild the notes from it."""
    moved = _move_aside(path, "orphaned-wal")
    kept = f"{moved}-wal"
    if summary is not None and summary.holds_whole_database():
        rebuilt = path.with_name(path.name + ".rebuilding")
        try:
            write_database_from_wal(summary, rebuilt)
            count = _check_rebuilt(rebuilt)
        except (OSError, sqlite3.Error):
            count = None
        for suffix in ("-wal", "-shm"):
            rebuilt.with_name(rebuilt.name + suffix).unlink(missing_ok=True)
        if count is not None:
            os.replace(rebuilt, path)
            return (
                "Your notes file was moved away, but its recent changes were still here: "
                f"{count} notes were recovered from them; the changes file is kept as {kept}."
            )
        rebuilt.unlink(missing_ok=True)
    salvaged = _salvage_into_new_store(path, summary) if summary is not None else 0
    recovered = (
        f"{salvaged} notes found in them were copied into a new notes file"
        if salvaged
        else "a new, empty notes file was started"
    )
    return (
        f"Your notes file was moved away; the recent changes it had are kept in {kept}, and "
        f"{recovered}. To get everything back, put the moved notes file back as {path} "
        f"with that file beside it as {path}-wal."
    )


_STORED_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


def _is_time(value: object) -> bool:
    return isinstance(value, str) and _STORED_TIME.match(value) is not None


def _salvage_into_new_store(path: Path, summary: WalSummary) -> int:
    """Copy the notes, bookmarks and tags found in the WAL's pages into a new store at `path`;
    the number of notes copied. The WAL stays aside untouched, so nothing rests on this."""
    notes: dict[int, tuple[object, ...]] = {}
    bookmarks: set[tuple[object, ...]] = set()
    tags: dict[int, tuple[object, ...]] = {}
    tag_uses: set[tuple[object, ...]] = set()
    for rowid, values in salvage_rows(summary):
        if (
            len(values) == 6
            and values[0] is None
            and all(isinstance(v, str) for v in values[1:])
            and _is_time(values[4])
            and _is_time(values[5])
        ):
            row = (rowid, *values[1:])
            if rowid not in notes or str(row[5]) > str(notes[rowid][5]):
                notes[rowid] = row
        elif len(values) == 3 and all(isinstance(v, str) for v in values) and _is_time(values[2]):
            bookmarks.add(tuple(values))
        elif len(values) == 4 and _is_time(values[3]):
            # `tags` (id as rowid, name, key, created) and `record_tags` (archive, record,
            # tag id, created); `recent_archives` rows have text where these have None or
            # an integer.
            first, second, third = values[:3]
            if first is None and isinstance(second, str) and isinstance(third, str):
                tags[rowid] = (rowid, second, third, values[3])
            elif isinstance(first, str) and isinstance(second, str) and type(third) is int:
                tag_uses.add(tuple(values))
    if not notes and not bookmarks and not tags:
        return 0
    conn = _open_checked(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            'INSERT OR IGNORE INTO "notes" ("id", "archive_id", "record_id", "text", '
            '"created", "modified") VALUES (?, ?, ?, ?, ?, ?)',
            [notes[note_id] for note_id in sorted(notes)],
        )
        conn.executemany(
            'INSERT OR IGNORE INTO "bookmarks" ("archive_id", "record_id", "created") '
            "VALUES (?, ?, ?)",
            sorted(bookmarks, key=repr),
        )
        conn.executemany(
            'INSERT OR IGNORE INTO "tags" ("id", "name", "key", "created") VALUES (?, ?, ?, ?)',
            [tags[tag_id] for tag_id in sorted(tags)],
        )
        # Only uses of a tag that was found (and not lost to a duplicate key).
        kept = {row[0] for row in conn.execute('SELECT "id" FROM "tags"')}
        conn.executemany(
            'INSERT OR IGNORE INTO "record_tags" ("archive_id", "record_id", "tag_id", '
            '"created") VALUES (?, ?, ?, ?)',
            sorted((use for use in tag_uses if use[2] in kept), key=repr),
        )
        conn.execute("COMMIT")
    except sqlite3.Error:
        rollback_quietly(conn)
        return 0
    finally:
        conn.close()
    return len(notes)


def _check_rebuilt(path: Path) -> int | None:
    """The number of notes in a database rebuilt from a WAL, or None if it is not sound."""
    conn = sqlite3.connect(os.fspath(path), isolation_level=None)
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return None
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if not 0 < version <= SCHEMA_VERSION:
            return None
        count: int = conn.execute('SELECT count(*) FROM "notes"').fetchone()[0]
        return count
    finally:
        conn.close()
