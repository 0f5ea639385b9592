"""The Notebook tab: the user's bookmarks and notes in one filterable, sortable table.

One row per note, plus one row per bookmarked or tagged record without notes; each row shows
its record's tags, and a combo box shows only the rows of one tag. Double-click or Enter
opens the row's record (and its note). Note text is shown as plain text everywhere: cells
are drawn as text, tooltips are escaped before Qt may read them as rich text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from archive_browser.core.archive import Archive
from archive_browser.core.records import archive_record_info, describe_all
from archive_browser.core.store import UserStore, UserStoreError
from archive_browser.core.text import escape_lines
from archive_browser.core.text import fold as fold_for_search
from archive_browser.ui.features.notes.note_editor import STAR_ON, first_line, local_time
from archive_browser.ui.widgets.entity_tab import setup_record_list
from archive_browser.ui.widgets.table_model import header_title
from archive_browser.ui.widgets.timers import single_shot_timer

AnyIndex = QModelIndex | QPersistentModelIndex
FILTER_DEBOUNCE_MS = 120
TAG_SEPARATOR = "; "  # as the exports join a record's tags
ALL_TAGS = "All tags"


@dataclass(frozen=True)
class NotebookRow:
    record_id: str
    title: str  # empty when the record is no longer in the archive
    type_label: str
    note_id: int | None  # None: a bookmark row without a note
    text: str
    modified: str  # ISO UTC: the note's change, or the bookmark's creation (empty: tags only)
    bookmarked: bool
    tags: tuple[str, ...] = ()  # the record's tags

    @property
    def shown_title(self) -> str:
        return self.title or f"{self.record_id} (not in this archive)"

    def haystack(self) -> str:
        tags = " ".join(self.tags)
        return fold_for_search(
            f"{self.title} {self.record_id} {self.type_label} {tags} {self.text}"
        )


def notebook_rows(store: UserStore, archive: Archive) -> list[NotebookRow]:
    """Every note of the archive and every bookmarked or tagged record that has no note."""
    archive_id = archive.archive_id
    bookmarks = {b.record_id: b.created for b in store.bookmarks(archive_id)}
    tags = {record_id: tuple(names) for record_id, names in store.record_tags(archive_id).items()}
    notes = store.notes(archive_id)
    record_ids = list(dict.fromkeys([*(n.record_id for n in notes), *bookmarks, *tags]))
    records = describe_all(record_ids, archive_record_info(archive))
    described = {record.id: (record.title, record.type_label) for record in records}

    def describe(record_id: str) -> tuple[str, str]:
        return described[record_id]

    rows = [
        NotebookRow(
            n.record_id,
            *describe(n.record_id),
            n.id,
            n.text,
            n.modified,
            n.record_id in bookmarks,
            tags.get(n.record_id, ()),
        )
        for n in notes
    ]
    with_notes = {n.record_id for n in notes}
    rows += [
        NotebookRow(
            record_id,
            *describe(record_id),
            None,
            "",
            bookmarks.get(record_id, ""),
            record_id in bookmarks,
            tags.get(record_id, ()),
        )
        for record_id in dict.fromkeys([*bookmarks, *tags])
        if record_id not in with_notes
    ]
    return rows


class NotebookModel(QAbstractTableModel):
    """The Notebook's rows, filtered and sorted here (no proxy model)."""

    RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
    NOTE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
    HEADERS = ("★", "Record", "Type", "Note", "Modified", "Tags")
    STAR, TITLE, TYPE, NOTE, MODIFIED, TAGS = range(6)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[NotebookRow] = []
        self._haystacks: list[str] = []
        self._shown: list[NotebookRow] = []
        self.filter_text = ""
        self.tag_filter: str | None = None  # a tag's case-folded name, or None: every row
        self._sort_column = self.MODIFIED
        self._sort_order = Qt.SortOrder.DescendingOrder

    # ---------------------------------------------------------------- contents

    def set_rows(self, rows: list[NotebookRow]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._haystacks = [row.haystack() for row in self._all]
        self._apply()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        if text == self.filter_text:
            return
        self.beginResetModel()
        self.filter_text = text
        self._apply()
        self.endResetModel()

    def set_tag_filter(self, tag: str | None) -> None:
        """Show only rows whose record carries `tag` (any case); None shows every row."""
        key = tag.casefold() if tag else None
        if key == self.tag_filter:
            return
        self.beginResetModel()
        self.tag_filter = key
        self._apply()
        self.endResetModel()

    def all_tags(self) -> list[str]:
        """Every tag of the rows, each once, by name ignoring case."""
        found = {tag.casefold(): tag for row in self._all for tag in row.tags}
        return [found[key] for key in sorted(found)]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.HEADERS):
            return
        self.beginResetModel()
        self._sort_column, self._sort_order = column, order
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        words = fold_for_search(self.filter_text).split()
        shown = [
            row
            for row, haystack in zip(self._all, self._haystacks, strict=True)
            if all(word in haystack for word in words)
            and (self.tag_filter is None or self.tag_filter in {t.casefold() for t in row.tags})
        ]
        shown.sort(key=self._sort_key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        self._shown = shown

    def _sort_key(self, row: NotebookRow) -> tuple[Any, ...]:
        column = self._sort_column
        if column == self.STAR:
            primary: Any = row.bookmarked
        elif column == self.TITLE:
            primary = fold_for_search(row.shown_title)
        elif column == self.TYPE:
            primary = row.type_label
        elif column == self.NOTE:
            primary = fold_for_search(first_line(row.text))
        elif column == self.TAGS:
            primary = fold_for_search(TAG_SEPARATOR.join(row.tags))
        else:
            primary = row.modified
        return (primary, row.modified, row.note_id or 0)

    def row_at(self, row: int) -> NotebookRow | None:
        return self._shown[row] if 0 <= row < len(self._shown) else None

    @property
    def total(self) -> int:
        return len(self._all)

    # ---------------------------------------------------------------- the model API

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None or not 0 <= index.column() < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, index.column())
        if role == self.RECORD_ID_ROLE:
            return row.record_id
        if role == self.NOTE_ID_ROLE:
            return row.note_id if row.note_id is not None else -1
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.STAR:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, row: NotebookRow, column: int) -> str:
        if column == self.STAR:
            return STAR_ON if row.bookmarked else ""
        if column == self.TITLE:
            return row.shown_title
        if column == self.TYPE:
            return row.type_label
        if column == self.NOTE:
            if row.note_id is not None:
                return first_line(row.text, 120)
            return "(bookmark)" if row.bookmarked else "(tagged)"
        if column == self.TAGS:
            return TAG_SEPARATOR.join(row.tags)
        return local_time(row.modified)

    def _tooltip(self, row: NotebookRow, column: int) -> str | None:
        if column == self.NOTE and row.note_id is not None and row.text.strip():
            # Qt reads a tooltip as rich text when it looks like HTML: escape it first.
            body = escape_lines(row.text[:2000])
            return f"<p style='white-space:pre-wrap'>{body}</p>"
        if column == self.STAR:
            return "Bookmarked" if row.bookmarked else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_title(self.HEADERS, section, orientation, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class _FilterEdit(QLineEdit):
    """Esc clears the filter."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class NotebookTab(QWidget):
    """The Notebook tab. `record_activated(record_id, note_id)` (note_id -1: a bookmark).

    `loader` returns the rows (or raises); the tab reloads when shown after
    `mark_stale()`, or at once via `refresh()`.
    """

    record_activated = Signal(str, int)

    def __init__(
        self, loader: Callable[[], list[NotebookRow]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._loader = loader
        self._stale = True
        self.disabled_reason: str | None = None
        self.model = NotebookModel(self)
        self.filter_edit = _FilterEdit(self)
        self.filter_edit.setPlaceholderText("Filter notes and bookmarks…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip("Show only the rows containing these words. Esc clears.")
        self.tag_combo = QComboBox(self)
        self.tag_combo.setToolTip("Show only the rows of records with this tag.")
        self.tag_combo.addItem(ALL_TAGS, None)
        self.tag_combo.currentIndexChanged.connect(self._on_tag_chosen)
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label = QLabel(self)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        self.table_view = QTableView(self)
        self._setup_table()
        self._filter_timer = single_shot_timer(self, FILTER_DEBOUNCE_MS, self.apply_filter)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        self.filter_edit.returnPressed.connect(self._enter_table)
        self.table_view.activated.connect(self._on_activated)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.tag_combo)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(top)
        layout.addWidget(self.message_label)
        layout.addWidget(self.table_view, 1)
        self.setFocusProxy(self.table_view)

    def _setup_table(self) -> None:
        view = self.table_view
        view.setModel(self.model)
        setup_record_list(view)
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        for column, width in enumerate((28, 240, 80, 420, 130, 160)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(NotebookModel.NOTE, QHeaderView.ResizeMode.Stretch)
        view.setSortingEnabled(True)
        view.sortByColumn(NotebookModel.MODIFIED, Qt.SortOrder.DescendingOrder)

    # ---------------------------------------------------------------- contents

    def mark_stale(self) -> None:
        """The store changed: reload now if the tab is shown, else when it is next shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        if self.disabled_reason:
            self.model.set_rows([])
            self._update_count()
            return
        try:
            rows = self._loader()
        except UserStoreError as error:
            self.show_message(f"The notebook cannot be read: {error}")
            rows = []
        else:
            self.show_message("")
        self.model.set_rows(rows)
        self._fill_tag_combo()
        self._update_count()

    def _fill_tag_combo(self) -> None:
        """The tags of the rows; the chosen one stays chosen while it exists."""
        chosen = self.model.tag_filter
        self.tag_combo.blockSignals(True)
        self.tag_combo.clear()
        self.tag_combo.addItem(ALL_TAGS, None)
        for tag in self.model.all_tags():
            self.tag_combo.addItem(tag, tag)
        keys = [tag.casefold() for tag in self.model.all_tags()]
        position = keys.index(chosen) + 1 if chosen in keys else 0
        self.tag_combo.setCurrentIndex(position)
        self.tag_combo.blockSignals(False)
        if position == 0 and chosen is not None:
            self.model.set_tag_filter(None)  # the tag is gone (renamed, merged, removed)

    def _on_tag_chosen(self, position: int) -> None:
        self.model.set_tag_filter(self.tag_combo.itemData(position))
        self._update_count()

    def set_disabled_reason(self, reason: str | None) -> None:
        self.disabled_reason = reason
        self.show_message(f"Notes and bookmarks are off. {reason}" if reason else "")
        self.filter_edit.setEnabled(not reason)
        self.tag_combo.setEnabled(not reason)

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def apply_filter(self) -> None:
        self._filter_timer.stop()
        self.model.set_filter(self.filter_edit.text())
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        if not total and not self.disabled_reason:
            self.count_label.setText("No notes or bookmarks yet (Ctrl+D bookmarks a record)")
        elif self.model.filter_text.strip() or self.model.tag_filter is not None:
            self.count_label.setText(f"{shown} of {total}")
        else:
            self.count_label.setText(f"{total} {'entry' if total == 1 else 'entries'}")

    # ---------------------------------------------------------------- opening

    def current_record_id(self) -> str | None:
        row = self.model.row_at(self.table_view.currentIndex().row())
        return row.record_id if row is not None else None

    def _enter_table(self) -> None:
        self.apply_filter()
        if self.model.rowCount():
            self.table_view.setFocus(Qt.FocusReason.OtherFocusReason)
            if not self.table_view.currentIndex().isValid():
                self.table_view.selectRow(0)

    def _on_activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.record_activated.emit(row.record_id, -1 if row.note_id is None else row.note_id)
