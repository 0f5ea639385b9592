"""Read-only access to an archive database: records, links, quotes, citations, search.

`ArchiveReader` asks the questions on one connection; `Archive` (an opened archive file) is
the reader of the main thread's connection, and `Archive.reader()` gives a worker thread a
reader on a connection of its own. No query falls back to another thread's connection.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive_browser.core import paths
from archive_browser.core.archive.connection import (
    BoundedConnection,
    connect_read_only,
    timeout_message,
)
from archive_browser.core.archive.validate import (
    ArchiveError,
    check_file,
    check_schema,
    quick_check,
    read_meta,
)
from archive_browser.core.filters import DateSpan, HasCoordinates, KindIs, RecordFilter
from archive_browser.core.record_types import RECORD_TYPES, RecordType
from archive_browser.core.schema import SCHEMA_VERSION

__all__ = [
    "LINK_PAGE",
    "Archive",
    "ArchiveError",
    "ArchiveReader",
    "BoundedConnection",
    "Link",
    "Record",
    "connect_read_only",
    "timeout_message",
]

if TYPE_CHECKING:
    from archive_browser.core.archive.citations import TreeNode
    from archive_browser.core.citations import Citation, Match
    from archive_browser.core.search import Hit

# `search` (name transliteration, fuzzy matching, the citation parser) is imported inside
# the methods that need it, when the first search or filter runs, not when an archive is
# opened: start-up pays for it only after the window is on screen.

# A record's type, title and the texts of its citations (see `Archive.record_infos`).
RecordSummary = tuple[str, str, list[str]]

# Ids bound in one `IN (...)` query: below SQLite's old limit of 999 variables.
_IDS_PER_QUERY = 900

# An event's possible days (earliest..latest) overlap the asked range.
DATE_RANGE_WHERE = '"date_latest" >= ? AND "date_earliest" <= ?'
HAS_COORDINATES_WHERE = '"lat" IS NOT NULL AND "lon" IS NOT NULL'


def filter_sql(record_type: RecordType, condition: RecordFilter) -> tuple[str, list[object]]:
    """The WHERE condition (and its parameters) of a typed filter on a type's table;
    ValueError when the type has no such columns (a programming error)."""
    names = {c.name for c in record_type.columns}
    if isinstance(condition, DateSpan):
        if "date" not in names:
            raise ValueError(f"{record_type.name} records have no dates to narrow by")
        return DATE_RANGE_WHERE, [condition.earliest, condition.latest]
    if isinstance(condition, HasCoordinates):
        if not {"lat", "lon"} <= names:
            raise ValueError(f"{record_type.name} records have no coordinates")
        return HAS_COORDINATES_WHERE, []
    if isinstance(condition, KindIs):
        if "kind" not in names:
            raise ValueError(f"{record_type.name} records have no kind")
        return '"kind" = ?', [condition.kind]
    raise TypeError(f"not a record filter: {condition!r}")


def _id_chunks(ids: Sequence[Any]) -> Iterator[tuple[list[Any], str]]:
    """`ids` in chunks small enough for one `IN (...)`, each with its `?, ?, ...` marks."""
    for start in range(0, len(ids), _IDS_PER_QUERY):
        chunk = list(ids[start : start + _IDS_PER_QUERY])
        yield chunk, ", ".join("?" * len(chunk))


# A record's links shown at first (the detail pane's "show all" asks for more).
LINK_PAGE = 200


@dataclass(frozen=True)
class Link:
    id: str
    type: str
    title: str
    role: str
    outgoing: bool  # True: this record -> id ("Seeckt commander of Reichswehr")


@dataclass(frozen=True)
class Record:
    id: str
    type: str
    title: str
    fields: dict[str, Any]
    links: tuple[Link, ...] = ()
    quotes: tuple[dict[str, Any], ...] = ()
    citations: tuple[dict[str, Any], ...] = ()
    aliases: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    # How many links the record has; more than len(links) when only a page was read.
    link_count: int | None = None

    @property
    def all_links_read(self) -> bool:
        return self.link_count is None or self.link_count <= len(self.links)

    @property
    def record_type(self) -> RecordType:
        return RECORD_TYPES[self.type]


class ArchiveReader:
    """The archive's questions, asked on one connection (use it on one thread only)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def interrupt(self) -> None:
        """Stop the query running on this reader (from any thread): it raises
        `sqlite3.OperationalError("interrupted")`."""
        self.conn.interrupt()

    def close(self) -> None:
        self.conn.close()

    @property
    def timed_out(self) -> bool:
        """The last query was stopped by the clock (see `connection.BoundedConnection`),
        not by `interrupt()`."""
        return bool(getattr(self.conn, "timed_out", False))

    def failure_message(self, error: sqlite3.Error) -> str:
        """A query's failure as one sentence for the user."""
        if self.timed_out:
            return timeout_message()
        reason = " ".join(str(error).split())[:200]
        return f"The archive could not answer ({reason}); it may be damaged."

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ tables

    def total(self, type_name: str) -> int:
        """How many records of the type the archive has.

        Read off the stored default order (8 bytes an id; `length()` of a blob reads no
        page of it), not counted: `count(*)` walks an index, 16 ms at a million records.
        """
        stored = self._from_default_order("length(ids) / 8", type_name)
        if stored is not None:
            return int(stored)
        table = RECORD_TYPES[type_name].table
        count: int = self.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        return count

    def ids(
        self,
        type_name: str,
        filter_text: str = "",
        sort_column: str | None = None,
        descending: bool = False,
        narrow: RecordFilter | None = None,
    ) -> array[int]:
        """The rids of a type's records, filtered (by `filter_text` and the typed `narrow`)
        and sorted in SQL: the table model's rows.

        An `array('q')` holds a million ids in 8 MB, where a list of ints would take 36 MB.
        """
        record_type = RECORD_TYPES[type_name]
        if (
            not filter_text.strip()
            and narrow is None
            and sort_column in (None, record_type.default_sort)
        ):
            cached = self._default_order(type_name)
            if cached is not None:
                if descending:
                    cached.reverse()
                return cached
        order_sql = self.order_by(record_type, sort_column, descending)
        where: list[str] = []
        params: list[object] = []
        from archive_browser.core.search import matching_rids_sql  # deferred, see top

        match = matching_rids_sql(filter_text) if filter_text.strip() else None
        if match is not None:
            where.append(f"rid IN ({match[0]})")
            params.extend(match[1])
        if narrow is not None:
            condition, condition_params = filter_sql(record_type, narrow)
            where.append(condition)
            params.extend(condition_params)
        sql = f'SELECT rid FROM "{record_type.table}"'
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {order_sql}"
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples: a sqlite3.Row per id doubles the time
        cursor.execute(sql, params)
        result = array("q")
        while chunk := cursor.fetchmany(20000):
            result.extend(r[0] for r in chunk)
        return result

    def _default_order(self, type_name: str) -> array[int] | None:
        blob = self._from_default_order("ids", type_name)
        if blob is None:
            return None
        ids = array("q")
        ids.frombytes(blob)
        return ids

    def _from_default_order(self, expression: str, type_name: str) -> Any:
        """`expression` of the type's stored default order; None when none is stored."""
        try:
            row = self.conn.execute(
                f'SELECT {expression} FROM "default_order" WHERE type = ?', (type_name,)
            ).fetchone()
        except sqlite3.OperationalError:  # an archive built before the table existed
            return None
        return None if row is None else row[0]

    @staticmethod
    def order_by(record_type: RecordType, sort_column: str | None, descending: bool) -> str:
        name = sort_column or record_type.default_sort
        column = record_type.column(name)  # KeyError for an unknown column: a programming error
        direction = "DESC" if descending else "ASC"
        if column.kind == "date":
            return f'"{column.order_column}" {direction}, rid {direction}'
        return f'"{column.order_column}" COLLATE NOCASE {direction}, rid {direction}'

    def rows(self, type_name: str, rids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The rows for some rids (a block the table model asks for), keyed by rid."""
        if not rids:
            return {}
        table = RECORD_TYPES[type_name].table
        result: dict[int, dict[str, Any]] = {}
        for chunk, marks in _id_chunks(rids):
            for row in self.conn.execute(f'SELECT * FROM "{table}" WHERE rid IN ({marks})', chunk):
                result[row["rid"]] = dict(row)
        return result

    def record_ids_of(self, type_name: str, rids: Sequence[int]) -> dict[int, str]:
        """The record ids of some rids (a selection of rows), keyed by rid: the ids alone,
        never the rows, so selecting a million rows reads no row's text."""
        table = RECORD_TYPES[type_name].table
        found: dict[int, str] = {}
        for chunk, marks in _id_chunks(rids):
            rows = self.conn.execute(f'SELECT rid, id FROM "{table}" WHERE rid IN ({marks})', chunk)
            found.update((rid, record_id) for rid, record_id in rows)
        return found

    # ------------------------------------------------------------------ records

    def rid_of(self, record_id: str) -> int | None:
        row = self.conn.execute("SELECT rid FROM records WHERE id = ?", (record_id,)).fetchone()
        return row[0] if row else None

    def title_of(self, record_id: str) -> str | None:
        row = self.conn.execute("SELECT title FROM records WHERE id = ?", (record_id,)).fetchone()
        return row[0] if row else None

    def type_of(self, record_id: str) -> str | None:
        row = self.conn.execute("SELECT type FROM records WHERE id = ?", (record_id,)).fetchone()
        return row[0] if row else None

    def record_infos(self, record_ids: Iterable[str]) -> dict[str, RecordSummary]:
        """(type, title, citation texts by position) of each record found, by id.

        The same values as `type_of`, `title_of` and `citations(...)["text"]` give one record
        at a time, for many records in two queries per chunk of ids (an export of 50,000
        records would otherwise ask 150,000 times). Ids not in the archive are left out.
        """
        wanted = list(dict.fromkeys(record_ids))
        found: dict[str, RecordSummary] = {}
        for chunk, marks in _id_chunks(wanted):
            rows = self.conn.execute(
                f"SELECT id, type, title FROM records WHERE id IN ({marks})", chunk
            )
            for record_id, type_name, title in rows:
                found[record_id] = (type_name, title, [])
            rows = self.conn.execute(
                f"SELECT record_id, text FROM citations WHERE record_id IN ({marks})"
                " ORDER BY record_id, position",
                chunk,
            )
            for record_id, text in rows:
                if record_id in found:
                    found[record_id][2].append(text)
        return found

    def fields(self, record_id: str) -> dict[str, Any] | None:
        type_name = self.type_of(record_id)
        if type_name is None:
            return None
        table = RECORD_TYPES[type_name].table
        row = self.conn.execute(f'SELECT * FROM "{table}" WHERE id = ?', (record_id,)).fetchone()
        return dict(row) if row else None

    def get(self, record_id: str, link_limit: int | None = None) -> Record | None:
        """The record with its links (the first `link_limit` of them when given: a record
        with a million links opens at once; `Record.link_count` tells how many there are)."""
        fields = self.fields(record_id)
        if fields is None:
            return None
        type_name = self.type_of(record_id) or record_id.partition("/")[0]
        title = fields.get(RECORD_TYPES[type_name].title_column)
        links = self.links(record_id, link_limit)
        count = len(links) if link_limit is None else self.link_count(record_id)
        return Record(
            id=record_id,
            type=type_name,
            title="" if title is None else str(title),
            fields=fields,
            links=tuple(links),
            quotes=tuple(self.quotes(record_id)),
            citations=tuple(self.citations(record_id)),
            aliases=tuple(self.aliases(record_id)),
            link_count=count,
        )

    def link_count(self, record_id: str) -> int:
        """How many links a record has (both directions), counted on the indexes."""
        row = self.conn.execute(
            "SELECT (SELECT count(*) FROM links WHERE from_id = ?)"
            " + (SELECT count(*) FROM links WHERE to_id = ?)",
            (record_id, record_id),
        ).fetchone()
        return int(row[0])

    def links(self, record_id: str, limit: int | None = None) -> list[Link]:
        """The record's links, sorted by type and title; with `limit`, only that many are
        read (in index order, then sorted): a page, never a sort of a million rows."""
        sql = """
            SELECT l.to_id AS other, l.role, 1 AS outgoing, r.type, r.title
              FROM links l JOIN records r ON r.id = l.to_id WHERE l.from_id = ?
            UNION ALL
            SELECT l.from_id AS other, l.role, 0 AS outgoing, r.type, r.title
              FROM links l JOIN records r ON r.id = l.from_id WHERE l.to_id = ?
            """
        params: list[object] = [record_id, record_id]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self.conn.execute(sql, params).fetchall()
        order = {name: i for i, name in enumerate(RECORD_TYPES)}
        links = [
            Link(
                str(r["other"]),
                str(r["type"]),
                "" if r["title"] is None else str(r["title"]),
                "" if r["role"] is None else str(r["role"]),
                bool(r["outgoing"]),
            )
            for r in rows
        ]
        return sorted(links, key=lambda link: (order.get(link.type, 9), link.title.casefold()))

    def quotes(self, record_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            """SELECT q.*, r.title AS speaker_name FROM quotes q
               LEFT JOIN records r ON r.id = q.speaker_id
               WHERE q.record_id = ? OR q.speaker_id = ? ORDER BY q.id""",
            (record_id, record_id),
        )
        return [dict(r) for r in rows]

    def citations(self, record_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT * FROM citations WHERE record_id = ? ORDER BY position", (record_id,)
        )
        result = []
        for row in rows:
            item = dict(row)
            item["extra"] = _json_object(item["extra"])
            result.append(item)
        return result

    def aliases(self, record_id: str) -> list[tuple[str, str]]:
        rows = self.conn.execute(
            "SELECT alias, scheme FROM aliases WHERE record_id = ? ORDER BY rowid", (record_id,)
        )
        return [(r[0], r[1]) for r in rows]

    def all_rows(self, type_name: str, narrow: RecordFilter | None = None) -> list[dict[str, Any]]:
        record_type = RECORD_TYPES[type_name]
        order = self.order_by(record_type, None, False)
        sql = f'SELECT * FROM "{record_type.table}"'
        params: list[object] = []
        if narrow is not None:
            condition, params = filter_sql(record_type, narrow)
            sql += f" WHERE {condition}"
        rows = self.conn.execute(f"{sql} ORDER BY {order}", params)
        return [dict(r) for r in rows]

    # ------------------------------------------------------------------ search

    def search(
        self,
        query: str,
        types: Sequence[str] | None = None,
        limit: int = 50,
    ) -> list[Hit]:
        from archive_browser.core.search import search  # deferred, see top

        return search(self.conn, query, types=types, limit=limit)

    def search_corrected(
        self,
        query: str,
        types: Sequence[str] | None = None,
        limit: int = 50,
    ) -> tuple[list[Hit], str | None]:
        """The hits, or those of the one spelling clearly meant, and that spelling."""
        from archive_browser.core.search import search_corrected  # deferred, see top

        return search_corrected(self.conn, query, types=types, limit=limit)

    def did_you_mean(self, query: str) -> list[str]:
        from archive_browser.core.search import did_you_mean  # deferred, see top

        return did_you_mean(self.conn, query)

    # ------------------------------------------------------------------ citations

    def citation_tree(self) -> list[TreeNode]:
        """The archival references as a tree: archive > fond > opis > delo, with counts."""
        from archive_browser.core.archive import citations

        return citations.citation_tree(self.conn)

    def records_citing_prefix(self, key_prefix: tuple[str, ...]) -> list[str]:
        """The ids of the records citing a node of the citation tree (or below it)."""
        from archive_browser.core.archive import citations

        return citations.records_citing_prefix(self.conn, key_prefix)

    def find_citing(self, citation: Citation) -> list[tuple[str, Match, Citation]]:
        """Every record citing the same file as `citation`, with how sure the match is."""
        from archive_browser.core.archive import citations

        return citations.find_citing(self.conn, citation)


def _json_object(text: object) -> dict[str, Any]:
    """A JSON column's object; malformed or not an object: empty (the text stays shown)."""
    if not text:
        return {}
    try:
        value = json.loads(str(text))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class Archive(ArchiveReader):
    """One opened archive database. Cheap to open; it is the reader of the thread that opened
    it, and `reader()` gives a worker a reader on a connection of its own."""

    def __init__(self, path: Path, conn: sqlite3.Connection, meta: dict[str, str]) -> None:
        super().__init__(conn)
        self.path = path
        self.meta = meta

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: Path | None = None) -> Archive:
        """Open and check an archive (`validate`): one sentence (ArchiveError) for any
        archive the program cannot trust; nothing is ever written to the file."""
        path = Path(path) if path is not None else paths.default_archive_path()
        check_file(path)
        try:
            conn = connect_read_only(path)
        except sqlite3.Error as exc:
            raise ArchiveError(f"The archive {path} cannot be opened: {exc}.") from None
        try:
            meta = cls._checked_meta(path, conn)
        except sqlite3.Error as exc:
            conn.close()
            if conn.timed_out:
                raise ArchiveError(
                    f"The archive {path} took longer than {conn.limit:g} s to open; it may be "
                    "damaged or built to be slow."
                ) from None
            reason = " ".join(str(exc).split())[:200]
            raise ArchiveError(
                f"The archive {path} cannot be opened ({reason}); it may be damaged."
            ) from None
        except BaseException:
            conn.close()
            raise
        return cls(path, conn, meta)

    @staticmethod
    def _checked_meta(path: Path, conn: BoundedConnection) -> dict[str, str]:
        conn.start_clock()
        kind = conn.execute("SELECT type FROM sqlite_master WHERE name = 'archive_meta'").fetchone()
        if kind is None:
            raise ArchiveError(
                f"{path} is an SQLite database but not an archive of ours "
                "(it has no archive_meta table)."
            )
        if kind[0] != "table":
            raise ArchiveError(
                f"The archive {path} cannot be trusted: archive_meta is a {kind[0]}, not a table."
            )
        meta = read_meta(conn)
        version = meta.get("schema_version", "")
        if version != str(SCHEMA_VERSION):
            raise ArchiveError(
                f"The archive {path} has schema version {version[:20] or 'unknown'}; this "
                f"program reads version {SCHEMA_VERSION}. Rebuild it with this version of the "
                "program."
            )
        check_schema(path, conn)
        quick_check(path, conn)
        return meta

    def connect(self) -> BoundedConnection:
        """A new read-only connection (a worker's, or the importer's checks)."""
        return connect_read_only(self.path)

    def reader(self) -> ArchiveReader:
        """A reader on a new read-only connection of its own, for a worker thread."""
        return ArchiveReader(self.connect())

    def __enter__(self) -> Archive:
        return self

    @property
    def archive_id(self) -> str:
        return self.meta.get("archive_id", self.path.stem)

    @property
    def title(self) -> str:
        return self.meta.get("title", self.path.stem)
