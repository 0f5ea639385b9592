"""Opening the store file (WAL, health check, migrations, recovery) and its transactions."""

from __future__ import annotations

import os
import sqlite3
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
from archive_browser.core.store.migrations import migrate

STORE_FILE_NAME = "notes.sqlite3"
BUSY_TIMEOUT_MS = 5000
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
    def open(cls, path: Path | None = None) -> Self:
        """Open (creating if needed) the store; default `user_data_dir()/notes.sqlite3`."""
        store_path = Path(path) if path is not None else user_data_dir() / STORE_FILE_NAME
        problem = folder_problem(store_path.parent)
        if problem:
            raise UserStoreError(problem)
        if store_path.exists() and not os.access(store_path, os.W_OK):
            raise UserStoreError(f"Cannot save notes: the file {store_path} is read-only.")
        recovery_message = None
        try:
            connection = _open_checked(store_path)
        except DamagedStore as damaged:
            moved_to = _move_aside(store_path, damaged.reason)
            recovery_message = recovery_sentence(damaged.reason, moved_to)
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
                raise friendly_error(error, self.path.parent, doing) from error
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as error:
                rollback_quietly(conn)
                if isinstance(error, sqlite3.Error):
                    raise friendly_error(error, self.path.parent, doing) from error
                raise

    def _read(self, sql: str, parameters: tuple[object, ...], doing: str) -> list[tuple[Any, ...]]:
        with self._lock:
            conn = self._connection()
            try:
                return conn.execute(sql, parameters).fetchall()
            except sqlite3.Error as error:
                raise friendly_error(error, self.path.parent, doing) from error


def _open_checked(path: Path) -> sqlite3.Connection:
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
    migrate(conn)
