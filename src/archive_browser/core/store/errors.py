"""The store's errors: one readable sentence for every problem a user can meet."""

from __future__ import annotations

import os
import sqlite3
from contextlib import suppress
from pathlib import Path


class UserStoreError(Exception):
    """A problem the user should read about; the message is one readable sentence."""


class NoteConflict(UserStoreError):
    """The note changed (in another window or program) since the caller read it."""


def friendly_error(error: sqlite3.Error, folder: Path, doing: str) -> UserStoreError:
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


def folder_problem(folder: Path) -> str | None:
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


class DamagedStore(Exception):
    """Internal: the file is not a usable store (reason: 'corrupt', 'newer' or 'unknown')."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def recovery_sentence(reason: str, moved_to: Path) -> str:
    if reason == "unknown":
        return (
            "Your notes file has a schema version this program never wrote; it was set aside "
            f"unchanged as {moved_to} and a new, empty notes file was started."
        )
    if reason == "newer":
        return (
            "Your notes file was written by a newer version of Archive Browser; it was set "
            f"aside unchanged as {moved_to} and a new, empty notes file was started."
        )
    return (
        "Your notes file was damaged; it was set aside unchanged as "
        f"{moved_to} and a new, empty notes file was started."
    )


def rollback_quietly(conn: sqlite3.Connection) -> None:
    # The original error is the one worth reporting; a failed rollback (the disk is gone)
    # leaves nothing half-written because SQLite rolls back itself.
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
