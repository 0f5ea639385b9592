"""A read-only archive connection whose every query is bounded in time.

An archive is a file someone sent: a query on it must end. Each statement started on a
`BoundedConnection` (by `execute` or by a cursor's `execute`) gets a deadline; SQLite's
progress handler stops the statement once the deadline has passed (it then raises
`sqlite3.OperationalError("interrupted")`) and the connection remembers that it was the
clock, not a user's cancel (`Connection.interrupt`), that stopped it: `timed_out`.

Text that is not UTF-8 is read with replacement characters (U+FFFD), never an exception.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

QUERY_SECONDS_ENV = "ARCHIVE_BROWSER_QUERY_SECONDS"
DEFAULT_QUERY_SECONDS = 10.0
# SQLite virtual-machine steps between two looks at the clock (about a millisecond).
_STEPS_PER_CHECK = 20_000


def query_seconds() -> float:
    """How long one query on an archive may run ($ARCHIVE_BROWSER_QUERY_SECONDS, or 10)."""
    try:
        seconds = float(os.environ.get(QUERY_SECONDS_ENV, DEFAULT_QUERY_SECONDS))
    except ValueError:
        return DEFAULT_QUERY_SECONDS
    return seconds if seconds > 0 else DEFAULT_QUERY_SECONDS


def timeout_message(seconds: float | None = None) -> str:
    """What the user reads when a query on the archive was stopped by the clock."""
    limit = query_seconds() if seconds is None else seconds
    return (
        f"The archive took longer than {limit:g} s to answer, so the question was stopped; "
        "the archive may be damaged or built to be slow."
    )


def decode_text(value: bytes) -> str:
    """SQLite text as str: UTF-8, anything else shown with replacement characters."""
    return value.decode("utf-8", errors="replace")


class _BoundedCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> _BoundedCursor:
        connection = self.connection
        if isinstance(connection, BoundedConnection):
            connection.start_clock()
        return super().execute(sql, parameters)


class BoundedConnection(sqlite3.Connection):
    """A connection whose statements stop after `limit` seconds (see the module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit = query_seconds()
        self.deadline = float("inf")
        self.timed_out = False
        self.text_factory = decode_text
        self.set_progress_handler(self._over_time, _STEPS_PER_CHECK)

    def start_clock(self, seconds: float | None = None) -> None:
        """A new statement begins: it may run `seconds` (the connection's limit)."""
        self.timed_out = False
        self.deadline = time.monotonic() + (self.limit if seconds is None else seconds)

    def _over_time(self) -> int:
        if time.monotonic() > self.deadline:
            self.timed_out = True
            return 1
        return 0

    def cursor(self, factory: Any = _BoundedCursor) -> Any:
        return super().cursor(factory)

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        cursor: sqlite3.Cursor = self.cursor()
        return cursor.execute(sql, parameters)


def connect_read_only(path: Path) -> BoundedConnection:
    # A URI built by Path.as_uri(), never an f-string path: '?', '#' and '%' in a folder name
    # would otherwise be read as URI syntax.
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, factory=BoundedConnection)
    conn.row_factory = sqlite3.Row
    assert isinstance(conn, BoundedConnection)
    return conn
