"""Tags on records: a record of an archive carries tags, shown with its bookmark and with
every note on it.

A tag is one row (`tags`: its first spelling and its case-folded key, unique), used on records
(`record_tags`: archive id, record id, tag). Names are trimmed, inner runs of spaces become
one, and two names that differ only in case (`Lipetsk`, `LIPETSK`; `Липецк`, `ЛИПЕЦК`) are one
tag that keeps the spelling first given. A name holds no comma, semicolon or line break: the
exports join a record's tags with `; ` into one cell or one line, and must be able to split
them again.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable

from archive_browser.core.store.connection import StoreConnection
from archive_browser.core.store.errors import UserStoreError
from archive_browser.core.store.notes import _NOTE_COLUMNS, Note
from archive_browser.core.store.values import now_utc, require_id, storable

MAX_TAG_LENGTH = 100
# The exports join a record's tags with "; " (CSV, XLSX) or one per line (Markdown).
_FORBIDDEN = {",": "a comma", ";": "a semicolon"}


def tag_name(text: object) -> str:
    """A tag name as stored: trimmed, inner spaces collapsed, NFC; UserStoreError (one
    sentence) for an empty, too long or unjoinable name."""
    if not isinstance(text, str):
        raise UserStoreError("A tag must be text.")
    if any(ch in text for ch in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"):
        raise UserStoreError("A tag cannot contain a line break.")
    name = " ".join(unicodedata.normalize("NFC", storable(text)).split())
    if not name:
        raise UserStoreError("A tag cannot be empty.")
    for character, what in _FORBIDDEN.items():
        if character in name:
            raise UserStoreError(
                f"The tag {name!r} contains {what}; exports separate tags with '; ', "
                "so a tag cannot hold one."
            )
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise UserStoreError(f"The tag {name!r} contains a control character.")
    if len(name) > MAX_TAG_LENGTH:
        raise UserStoreError(f"A tag can have at most {MAX_TAG_LENGTH} characters.")
    return name


def tag_key(name: str) -> str:
    """The case-insensitive identity of a tag name (`Lipetsk` and `LIPETSK` are one tag)."""
    return tag_name(name).casefold()


class TagsStore(StoreConnection):
    """Tags on records, keyed by archive id and record id."""

    def add_tags(self, archive_id: str, record_id: str, names: Iterable[str]) -> list[str]:
        """Tag the record; returns the tags' stored spellings (an existing tag keeps its
        first spelling). Tagging twice changes nothing."""
        archive_id = require_id(archive_id, "archive id")
        record_id = require_id(record_id, "record id")
        wanted = _distinct(names)
        stamp = now_utc()
        stored: list[str] = []
        with self._write("tag the record") as conn:
            for name in wanted:
                tag_id, spelling = _tag_row(conn, name, create=True, stamp=stamp)
                conn.execute(
                    'INSERT OR IGNORE INTO "record_tags" ("archive_id", "record_id", "tag_id",'
                    ' "created") VALUES (?, ?, ?, ?)',
                    (archive_id, record_id, tag_id, stamp),
                )
                stored.append(spelling)
        return stored

    def add_tag_to_records(
        self, archive_id: str, record_ids: Iterable[str], name: str
    ) -> tuple[str, int]:
        """Tag every record of a selection in one transaction (a refused name or id changes
        nothing); returns the tag's stored spelling and how many records newly carry it."""
        archive_id = require_id(archive_id, "archive id")
        records = list(dict.fromkeys(require_id(r, "record id") for r in record_ids))
        if not records:
            raise UserStoreError("Choose at least one record to tag.")
        wanted = tag_name(name)
        stamp = now_utc()
        added = 0
        with self._write("tag the records") as conn:
            tag_id, spelling = _tag_row(conn, wanted, create=True, stamp=stamp)
            for record_id in records:
                added += conn.execute(
                    'INSERT OR IGNORE INTO "record_tags" ("archive_id", "record_id", "tag_id",'
                    ' "created") VALUES (?, ?, ?, ?)',
                    (archive_id, record_id, tag_id, stamp),
                ).rowcount
        return spelling, added

    def remove_tags(self, archive_id: str, record_id: str, names: Iterable[str]) -> list[str]:
        """Take tags off the record; returns the stored spellings of those it had. A tag used
        nowhere any more is forgotten."""
        wanted = _distinct(names)
        removed: list[str] = []
        with self._write("untag the record") as conn:
            for name in wanted:
                row = conn.execute(
                    'SELECT "id", "name" FROM "tags" WHERE "key" = ?', (name.casefold(),)
                ).fetchone()
                if row is None:
                    continue
                count = conn.execute(
                    'DELETE FROM "record_tags" WHERE "archive_id" = ? AND "record_id" = ?'
                    ' AND "tag_id" = ?',
                    (archive_id, record_id, row[0]),
                ).rowcount
                if count:
                    removed.append(row[1])
                    _forget_if_unused(conn, row[0])
        return removed

    def rename_tag(self, old: str, new: str) -> int:
        """Rename a tag everywhere (every archive); returns its number of uses. A change of
        case only respells it; a name that is already another tag is refused (merge it)."""
        old_name, new_name = tag_name(old), tag_name(new)
        with self._write("rename the tag") as conn:
            source = _existing(conn, old_name)
            target = conn.execute(
                'SELECT "id", "name" FROM "tags" WHERE "key" = ?', (new_name.casefold(),)
            ).fetchone()
            if target is not None and target[0] != source[0]:
                raise UserStoreError(
                    f"There is already a tag {target[1]!r}; merge {source[1]!r} into it instead."
                )
            conn.execute(
                'UPDATE "tags" SET "name" = ?, "key" = ? WHERE "id" = ?',
                (new_name, new_name.casefold(), source[0]),
            )
            return _uses(conn, source[0])

    def merge_tags(self, source: str, target: str) -> int:
        """Every use of `source` becomes `target` (a record carrying both keeps one), and
        `source` is gone; returns the number of records now tagged `target` that were tagged
        `source`. Both tags must exist."""
        source_name, target_name = tag_name(source), tag_name(target)
        with self._write("merge the tags") as conn:
            from_id, from_spelling = _existing(conn, source_name)
            into_id, into_spelling = _existing(conn, target_name)
            if from_id == into_id:
                raise UserStoreError(f"{from_spelling!r} and {into_spelling!r} are one tag.")
            moved = _uses(conn, from_id)
            conn.execute(
                'INSERT OR IGNORE INTO "record_tags" ("archive_id", "record_id", "tag_id",'
                ' "created") SELECT "archive_id", "record_id", ?, "created"'
                ' FROM "record_tags" WHERE "tag_id" = ?',
                (into_id, from_id),
            )
            conn.execute('DELETE FROM "record_tags" WHERE "tag_id" = ?', (from_id,))
            conn.execute('DELETE FROM "tags" WHERE "id" = ?', (from_id,))
        return moved

    def tag_counts(self, archive_id: str | None = None) -> list[tuple[str, int]]:
        """(tag, number of records carrying it), by name ignoring case; only tags in use,
        optionally only uses in one archive."""
        if not self._has_tags():
            return []
        where = ""
        parameters: tuple[str, ...] = ()
        if archive_id is not None:
            where, parameters = ' WHERE u."archive_id" = ?', (archive_id,)
        rows = self._read(
            'SELECT t."name", count(*) FROM "record_tags" u JOIN "tags" t ON t."id" = u."tag_id"'
            f'{where} GROUP BY t."id" ORDER BY t."key"',
            parameters,
            "read the tags",
        )
        return [(name, count) for name, count in rows]

    def tags_of(self, archive_id: str, record_id: str) -> list[str]:
        """The record's tags, by name ignoring case."""
        return self.record_tags(archive_id, record_id).get(record_id, [])

    def record_tags(self, archive_id: str, record_id: str | None = None) -> dict[str, list[str]]:
        """record id -> its tags (by name ignoring case), for every tagged record of an
        archive (or one record): the exporters' and the notes list's read."""
        if not self._has_tags():
            return {}
        sql = (
            'SELECT u."record_id", t."name" FROM "record_tags" u'
            ' JOIN "tags" t ON t."id" = u."tag_id" WHERE u."archive_id" = ?'
        )
        parameters: tuple[str, ...] = (archive_id,)
        if record_id is not None:
            sql += ' AND u."record_id" = ?'
            parameters += (record_id,)
        sql += ' ORDER BY u."record_id", t."key"'
        tags: dict[str, list[str]] = {}
        for found_record, name in self._read(sql, parameters, "read the tags"):
            tags.setdefault(found_record, []).append(name)
        return tags

    def records_with_tag(self, archive_id: str, name: str) -> list[str]:
        """Ids of the archive's records carrying the tag (any case), sorted."""
        if not self._has_tags():
            return []
        rows = self._read(
            'SELECT u."record_id" FROM "record_tags" u JOIN "tags" t ON t."id" = u."tag_id"'
            ' WHERE u."archive_id" = ? AND t."key" = ? ORDER BY u."record_id"',
            (archive_id, tag_key(name)),
            "read the tags",
        )
        return [row[0] for row in rows]

    def notes_with_tag(self, archive_id: str, name: str) -> list[Note]:
        """The archive's notes on records carrying the tag, oldest first."""
        if not self._has_tags():
            return []
        columns = ", ".join(f"n.{column.strip()}" for column in _NOTE_COLUMNS.split(","))
        rows = self._read(
            f'SELECT {columns} FROM "notes" n JOIN "record_tags" u'
            ' ON u."archive_id" = n."archive_id" AND u."record_id" = n."record_id"'
            ' JOIN "tags" t ON t."id" = u."tag_id"'
            ' WHERE n."archive_id" = ? AND t."key" = ? ORDER BY n."created", n."id"',
            (archive_id, tag_key(name)),
            "read the notes",
        )
        return [Note(*row) for row in rows]

    def _has_tags(self) -> bool:
        # A store opened read-only may be of an older version, without the tag tables: it
        # has no tags, and still reads.
        return self.has_table("record_tags")


def _distinct(names: Iterable[str]) -> list[str]:
    """Valid names, each tag once (the first spelling given), in the order given."""
    if isinstance(names, str):
        names = [names]
    seen: dict[str, str] = {}
    for text in names:
        name = tag_name(text)
        seen.setdefault(name.casefold(), name)
    if not seen:
        raise UserStoreError("Give at least one tag.")
    return list(seen.values())


def _tag_row(conn: sqlite3.Connection, name: str, *, create: bool, stamp: str) -> tuple[int, str]:
    row = conn.execute(
        'SELECT "id", "name" FROM "tags" WHERE "key" = ?', (name.casefold(),)
    ).fetchone()
    if row is not None:
        return row[0], row[1]
    if not create:
        raise UserStoreError(f"There is no tag {name!r}.")
    cursor = conn.execute(
        'INSERT INTO "tags" ("name", "key", "created") VALUES (?, ?, ?)',
        (name, name.casefold(), stamp),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid, name


def _existing(conn: sqlite3.Connection, name: str) -> tuple[int, str]:
    return _tag_row(conn, name, create=False, stamp="")


def _uses(conn: sqlite3.Connection, tag_id: int) -> int:
    count: int = conn.execute(
        'SELECT count(*) FROM "record_tags" WHERE "tag_id" = ?', (tag_id,)
    ).fetchone()[0]
    return count


def _forget_if_unused(conn: sqlite3.Connection, tag_id: int) -> None:
    if not _uses(conn, tag_id):
        conn.execute('DELETE FROM "tags" WHERE "id" = ?', (tag_id,))
