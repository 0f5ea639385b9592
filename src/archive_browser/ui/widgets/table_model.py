"""The entity tab's table model, in the Anki pattern.

The query yields only the ids of the rows, in order (`archive.ids`: filtering and sorting
happen in SQL, off the GUI thread); `rowCount` is therefore exact at once, and the rows
themselves are fetched in blocks when the view asks for them and kept in a bounded LRU
cache. A tab over a million records holds 8 MB of ids and a few hundred rows.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, cast

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtCore import Signal as QtSignal

from archive_browser.core.archive import Archive, ArchiveReader
from archive_browser.core.filters import RecordFilter
from archive_browser.core.record_types import Column, RecordType
from archive_browser.core.text import plain_tooltip
from archive_browser.ui.widgets.workers import QueryRunner


def header_title(
    titles: Sequence[str], section: int, orientation: Qt.Orientation, role: int
) -> str | None:
    """Every model's column header: `titles[section]` for the display role, else None.

    Never super().headerData(): for an unhandled role it hands back an invalid QVariant,
    the None-refcount bug of PySide6 6.12 on Python 3.11 (docs/platform.md)."""
    if (
        role == Qt.ItemDataRole.DisplayRole
        and orientation == Qt.Orientation.Horizontal
        and 0 <= section < len(titles)
    ):
        return titles[section]
    return None


class TitledHeader:
    """A model's headerData: `column_titles()` across the top, `row_title(section)` down the side.

    Listed before the Qt model class among the bases, so that Qt calls this headerData."""

    def column_titles(self) -> Sequence[str]:
        raise NotImplementedError

    def row_title(self, section: int) -> str | None:
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return self.row_title(section)
        return header_title(self.column_titles(), section, orientation, role)


BLOCK_SIZE = 200
CACHED_BLOCKS = 40  # 8,000 rows: several screens either way of the one shown

AnyIndex = QModelIndex | QPersistentModelIndex

# The roles data() answers, as the plain ints PySide passes: the view asks for seven roles per
# cell on every paint, and comparing against enum members costs more than the answer itself.
_DISPLAY_ROLE = Qt.ItemDataRole.DisplayRole.value
_TOOLTIP_ROLE = Qt.ItemDataRole.ToolTipRole.value
_USER_ROLE = Qt.ItemDataRole.UserRole.value
_ANSWERED_ROLES = frozenset({_DISPLAY_ROLE, _TOOLTIP_ROLE, _USER_ROLE})


# The most characters a cell (and its tooltip) shows.
CELL_CHARS = 500


def display_value(column: Column, row: dict[str, Any]) -> str:
    """The text a cell shows: dates in their display form, numbers without a trailing .0."""
    if column.kind == "date":
        value = row.get(f"{column.name}_display") or row.get(column.name)
    else:
        value = row.get(column.name)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    # A cell shows one line: a 20 MB title would cost seconds to measure at every paint.
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS] + "…"


class RecordTableModel(TitledHeader, QAbstractTableModel):
    """Rows of one record type: ids in order from SQL, row data fetched in blocks.

    `set_query(filter_text, sort_column, descending)` (and `sort()`) start a new ids query in
    a worker; `query_finished(shown)` is emitted on the GUI thread once the new rows are in,
    `query_failed(message)` if the query failed.
    """

    query_finished = QtSignal(int)
    query_failed = QtSignal(str)

    def __init__(
        self, archive: Archive, record_type: RecordType, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.archive = archive
        self.record_type = record_type
        self.columns: tuple[Column, ...] = record_type.shown_columns
        self.filter_text = ""
        self.sort_column = record_type.default_sort
        self.descending = False
        # A typed condition beside the filter text (the timeline's date range).
        self.narrow: RecordFilter | None = None
        self.total = archive.total(record_type.name)
        self.loaded = False  # the first ids query has delivered
        self.rows_fetched = 0  # rows read from the database so far (for tests and the curious)
        self._ids = array("q")
        self._row_of: dict[int, int] | None = None  # built on demand for small tables
        self._blocks: OrderedDict[int, dict[int, dict[str, Any]]] = OrderedDict()
        self._runner = QueryRunner(archive, self)
        self._runner.finished.connect(self._on_ids)
        self._runner.failed.connect(self._on_failed)

    # ---------------------------------------------------------------- queries

    def set_query(
        self,
        filter_text: str | None = None,
        sort_column: str | None = None,
        descending: bool | None = None,
    ) -> None:
        """Re-run the ids query with the given (or the current) filter and sort, off-thread."""
        if filter_text is not None:
            self.filter_text = filter_text
        if sort_column is not None:
            self.sort_column = sort_column
        if descending is not None:
            self.descending = descending
        type_name = self.record_type.name
        text, column, desc = self.filter_text, self.sort_column, self.descending
        narrow = self.narrow

        def query(reader: ArchiveReader) -> tuple[array, dict[int, dict[str, Any]]]:
            ids = reader.ids(type_name, text, column, desc, narrow=narrow)
            # The first screen's rows too, so the paint after the reset runs no SQL on the
            # GUI thread (the view is back at the top after a reset).
            return ids, reader.rows(type_name, ids[:BLOCK_SIZE])

        self._runner.submit(query)

    def set_narrow(self, narrow: RecordFilter | None) -> None:
        """Narrow the rows by a typed condition of the tab's own (None: no narrowing);
        re-query."""
        self.narrow = narrow
        self.set_query()

    @property
    def narrowed(self) -> bool:
        return bool(self.filter_text.strip()) or self.narrow is not None

    def refresh(self) -> None:
        self.set_query()

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def wait(self, msecs: int = 5000) -> bool:
        return self._runner.wait(msecs)

    def cancel(self) -> None:
        self._runner.cancel()

    def _on_ids(self, _generation: int, result: object) -> None:
        ids, first_block = cast("tuple[array[int], dict[int, dict[str, Any]]]", result)
        self.beginResetModel()
        self._ids = ids
        self._row_of = None
        self._blocks.clear()
        self._blocks[0] = first_block
        self.rows_fetched += len(first_block)
        self.loaded = True
        self.endResetModel()
        self.query_finished.emit(len(ids))

    def _on_failed(self, _generation: int, message: str) -> None:
        self.query_failed.emit(message)

    # ---------------------------------------------------------------- rows and ids

    def rid_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_data(self, row: int) -> dict[str, Any] | None:
        """The whole database row shown at `row` (fetching its block if needed)."""
        rid = self.rid_at(row)
        if rid is None:
            return None
        block_number = row // BLOCK_SIZE
        block = self._blocks.get(block_number)
        if block is None:
            block = self._fetch_block(block_number)
        else:
            self._blocks.move_to_end(block_number)
        return block.get(rid)

    def record_id_at(self, row: int) -> str | None:
        data = self.row_data(row)
        return data["id"] if data else None

    def record_ids_at(self, rows: Sequence[int]) -> list[str]:
        """The record ids of some rows, in the order given (a selection): one look-up of
        the ids, not a block of rows per 200 rows."""
        rids = [rid for rid in (self.rid_at(row) for row in rows) if rid is not None]
        try:
            ids = self.archive.record_ids_of(self.record_type.name, rids)
        except sqlite3.Error as exc:
            self.query_failed.emit(self.archive.failure_message(exc))
            return []
        return [ids[rid] for rid in rids if rid in ids]

    def row_of_rid(self, rid: int) -> int | None:
        """The row showing `rid`, or None when the current filter hides it."""
        if len(self._ids) <= 100_000:
            if self._row_of is None:
                self._row_of = {r: i for i, r in enumerate(self._ids)}
            return self._row_of.get(rid)
        try:
            return self._ids.index(rid)  # a C loop: a few ms even over a million ids
        except ValueError:
            return None

    def row_of_record(self, record_id: str) -> int | None:
        rid = self.archive.rid_of(record_id)
        return None if rid is None else self.row_of_rid(rid)

    def _fetch_block(self, block_number: int) -> dict[int, dict[str, Any]]:
        start = block_number * BLOCK_SIZE
        rids = self._ids[start : start + BLOCK_SIZE]
        try:
            block = self.archive.rows(self.record_type.name, rids)
        except sqlite3.Error as exc:  # a damaged archive: blank rows, and say why once
            block = {}
            self.query_failed.emit(self.archive.failure_message(exc))
        self.rows_fetched += len(block)
        self._blocks[block_number] = block
        while len(self._blocks) > CACHED_BLOCKS:
            self._blocks.popitem(last=False)
        return block

    # ---------------------------------------------------------------- Qt model API

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = _DISPLAY_ROLE) -> Any:
        if role not in _ANSWERED_ROLES:
            return None
        row = self.row_data(index.row())  # an invalid index has row -1: no row
        if row is None:
            return None
        if role == _USER_ROLE:
            return row["id"]
        text = display_value(self.columns[index.column()], row)
        if role == _TOOLTIP_ROLE:
            # Only long cells get a tooltip: a short one would merely repeat the cell.
            # Escaped and wrapped: Qt would render a cell like "<b>x</b>" as markup.
            return plain_tooltip(text) if len(text) > 40 else None
        return text

    def column_titles(self) -> list[str]:
        return [c.label for c in self.columns]

    def row_title(self, section: int) -> str:
        return str(section + 1)

    # No flags() of our own: QAbstractTableModel's (enabled, selectable, no children) is
    # what a row needs, and answered in C++ it spares the paint a call into Python per cell.

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.set_query(
            sort_column=self.columns[column].name, descending=order == Qt.SortOrder.DescendingOrder
        )

    def sort_section(self) -> int:
        """The column the rows are sorted by, for the header's sort indicator (-1: none)."""
        for i, column in enumerate(self.columns):
            if column.name == self.sort_column:
                return i
        return -1
