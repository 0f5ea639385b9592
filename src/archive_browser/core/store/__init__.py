"""The user's own database: notes, bookmarks, tags and recently opened archives.

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
ever deleted. A `-wal` file the store did not write (left without its main file, another
store's, or damaged) is moved aside with the main file before SQLite can replay or delete it,
and the notes are rebuilt from it when it holds the whole database (`wal`). The store's path
must be a regular file (a symbolic link, pipe or folder is refused). A store in a read-only
file or folder opens for reading (`read_only_reason`).

Errors a user can meet (read-only folder, full disk, locked file) are raised as
`UserStoreError` with one readable sentence; the caller keeps the unsaved text.

Modules: `connection` (opening, recovery, transactions), `migrations` (the schema),
`notes`, `bookmarks`, `tags`, `recent` (recent archives), `values` (times and text as stored),
`errors`.
"""

from __future__ import annotations

from archive_browser.core.store.bookmarks import Bookmark, BookmarksStore
from archive_browser.core.store.connection import (
    BUSY_TIMEOUT_MS,
    GUI_BUSY_TIMEOUT_MS,
    OPEN_RETRY_SECONDS,
    STORE_FILE_NAME,
    StoreConnection,
)
from archive_browser.core.store.errors import NoteConflict, UserStoreError
from archive_browser.core.store.migrations import MIGRATIONS, SCHEMA_VERSION
from archive_browser.core.store.notes import (
    VERSION_INTERVAL_SECONDS,
    VERSIONS_DAYS,
    VERSIONS_KEPT,
    ExportSummaryRow,
    Note,
    NotesStore,
    NoteVersion,
)
from archive_browser.core.store.recent import RECENT_ARCHIVES_KEPT, RecentArchivesStore
from archive_browser.core.store.tags import MAX_TAG_LENGTH, TagsStore, tag_key, tag_name
from archive_browser.core.store.values import now_utc


class UserStore(NotesStore, BookmarksStore, TagsStore, RecentArchivesStore, StoreConnection):
    """The user's notes, bookmarks, tags and recent archives. Open with `UserStore.open()`."""


__all__ = [
    "BUSY_TIMEOUT_MS",
    "GUI_BUSY_TIMEOUT_MS",
    "MAX_TAG_LENGTH",
    "MIGRATIONS",
    "OPEN_RETRY_SECONDS",
    "RECENT_ARCHIVES_KEPT",
    "SCHEMA_VERSION",
    "STORE_FILE_NAME",
    "VERSIONS_DAYS",
    "VERSIONS_KEPT",
    "VERSION_INTERVAL_SECONDS",
    "Bookmark",
    "ExportSummaryRow",
    "Note",
    "NoteConflict",
    "NoteVersion",
    "UserStore",
    "UserStoreError",
    "now_utc",
    "tag_key",
    "tag_name",
]
