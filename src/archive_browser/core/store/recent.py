"""Recently opened archives, latest first."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from archive_browser.core.store.connection import StoreConnection
from archive_browser.core.store.values import later_than, now_utc, storable

RECENT_ARCHIVES_KEPT = 50


class RecentArchivesStore(StoreConnection):
    """The archives the user opened, latest first (the latest 50 are kept)."""

    def remember_archive(self, path: str | Path, archive_id: str, title: str) -> None:
        """Put an archive at the top of the recent list (the list keeps the latest 50)."""
        absolute = os.path.abspath(os.fspath(path))
        with self._write("remember the archive") as conn:
            conn.execute(
                'INSERT INTO "recent_archives" ("path", "archive_id", "title", "opened")'
                ' VALUES (?, ?, ?, ?) ON CONFLICT ("path") DO UPDATE SET'
                ' "archive_id" = excluded."archive_id", "title" = excluded."title",'
                ' "opened" = excluded."opened"',
                (absolute, archive_id, storable(title), _later_than_latest_opened(conn)),
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


def _later_than_latest_opened(conn: sqlite3.Connection) -> str:
    # Two archives opened within one millisecond must still come out in order.
    latest = conn.execute('SELECT max("opened") FROM "recent_archives"').fetchone()[0]
    return later_than(latest) if latest else now_utc()
