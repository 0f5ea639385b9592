"""Bookmarks: one per record, toggled on and off."""

from __future__ import annotations

from dataclasses import dataclass

from archive_browser.core.store.connection import StoreConnection
from archive_browser.core.store.values import now_utc, require_id


@dataclass(frozen=True)
class Bookmark:
    archive_id: str
    record_id: str
    created: str


class BookmarksStore(StoreConnection):
    """Bookmarks, keyed by archive id and record id."""

    def toggle_bookmark(self, archive_id: str, record_id: str) -> bool:
        """Bookmark the record, or remove its bookmark; True when it is now bookmarked."""
        archive_id = require_id(archive_id, "archive id")
        record_id = require_id(record_id, "record id")
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

    def add_bookmarks(self, archive_id: str, record_ids: list[str]) -> int:
        """Bookmark every record not yet bookmarked, in one transaction (a selection of
        rows); returns how many bookmarks are new. Existing bookmarks keep their time."""
        archive_id = require_id(archive_id, "archive id")
        wanted = [require_id(record_id, "record id") for record_id in record_ids]
        created = now_utc()
        added = 0
        with self._write("bookmark the records") as conn:
            for record_id in dict.fromkeys(wanted):
                added += conn.execute(
                    'INSERT INTO "bookmarks" ("archive_id", "record_id", "created") '
                    'SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "bookmarks" '
                    'WHERE "archive_id" = ? AND "record_id" = ?)',
                    (archive_id, record_id, created, archive_id, record_id),
                ).rowcount
        return added

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
