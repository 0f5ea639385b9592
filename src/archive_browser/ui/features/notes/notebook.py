"""The Notebook tab: the user's bookmarks and notes in one filterable, sortable table.

One row per note, plus one row per bookmarked or tagged record without notes; each row shows
its record's tags, and a combo box shows only the rows of one tag (Manage Tags… renames and
merges tags: `tags.ManageTagsDialog`, opened by the controller). Under the table, the
chosen row's note in full, in the same notes panel a record's detail pane has (autosave,
versions and History, the emptied-note question): Enter or a double-click puts the cursor in
it to edit the note in place; Ctrl+Enter or Open Record opens the row's record (and its
note). Note text is shown as plain text everywhere: cells are drawn as text, tooltips are
escaped before Qt may read them as rich text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
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
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from archive_browser.core.archive import Archive
from archive_browser.core.records import archive_record_info, describe_all
from archive_browser.core.store import UserStore, UserStoreError
from archive_browser.core.text import escape_lines
from archive_browser.core.text import fold as fold_for_search
from archive_browser.ui.features.notes.note_editor import (
    STAR_ON,
    RecordNotesPanel,
    first_line,
    local_time,
)
from archive_browser.ui.widgets.entity_tab import (
    SelectionMenuHook,
    setup_record_list,
    show_menu_at,
)
from archive_browser.ui.widgets.table_model import TitledHeader
from archive_browser.ui.widgets.timers import single_shot_timer

AnyIndex = QModelIndex | QPersistentModelIndex
FILTER_DEBOUNCE_MS = 120
TAG_SEPARATOR = "; "  # as the exports join a record's tags
ALL_TAGS = "All tags"
NOTE_CELL_CHARS = 200
LINE_MARK = " ⏎ "  # where a line break is, in a note flattened into one cell


def note_cell(text: str, limit: int = NOTE_CELL_CHARS) -> str:
    """A note's text on one line for a table cell: every line, not only the first."""
    flat = LINE_MARK.join(line.strip() for line in text.splitlines() if line.strip())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


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


class NotebookModel(TitledHeader, QAbstractTableModel):
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

    def find(self, record_id: str, note_id: int | None) -> int:
        """The shown row of that note (or, failing that, of that record's first row); -1."""
        fallback = -1
        for number, row in enumerate(self._shown):
            if row.record_id != record_id:
                continue
            if row.note_id == note_id:
                return number
            if fallback < 0:
                fallback = number
        return fallback

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
                return note_cell(row.text)
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

    def column_titles(self) -> Sequence[str]:
        return self.HEADERS

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
    """The Notebook tab. `record_activated(record_id, note_id)` (note_id -1: a bookmark) asks
    for the row's record to be opened.

    `loader` returns the rows (or raises); the tab reloads when shown after
    `mark_stale()`, or at once via `refresh()`. `set_note_panel` gives it the panel that shows
    and edits the chosen row's note.
    """

    record_activated = Signal(str, int)
    manage_tags_requested = Signal()

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
        self.note_panel: RecordNotesPanel | None = None
        self._following = False  # re-selecting after a reload: the panel stays as it is
        self._setup_table()
        self._filter_timer = single_shot_timer(self, FILTER_DEBOUNCE_MS, self.apply_filter)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        self.filter_edit.returnPressed.connect(self._enter_table)
        self.table_view.activated.connect(lambda _index: self.edit_current_note())
        self.table_view.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.table_view.installEventFilter(self)
        # What the window offers for several records at once (bookmark, tag, export), as in
        # every entity table: callables `(menu, record_ids)`.
        self.selection_menu_actions: list[SelectionMenuHook] = []
        self.table_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table_view.customContextMenuRequested.connect(self._show_context_menu)
        self.open_button = QPushButton("Open Record", self)
        self.open_button.setToolTip("Show the chosen row's record in its tab (Ctrl+Enter)")
        self.open_button.clicked.connect(self.open_current)
        self.open_button.setEnabled(False)
        self.manage_tags_button = QPushButton("Manage Tags…", self)
        self.manage_tags_button.setToolTip("Rename tags, or merge one into another")
        self.manage_tags_button.clicked.connect(self.manage_tags_requested)
        self.detail_title = QLabel(self)
        self.detail_title.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_title.setWordWrap(True)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.tag_combo)
        top.addWidget(self.manage_tags_button)
        top.addWidget(self.count_label)
        top.addWidget(self.open_button)
        self.detail = QWidget(self)
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_title)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table_view)
        self.splitter.addWidget(self.detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(top)
        layout.addWidget(self.message_label)
        layout.addWidget(self.splitter, 1)
        self.setFocusProxy(self.table_view)

    def set_note_panel(self, panel: RecordNotesPanel) -> None:
        """The panel under the table that shows the chosen row's note in full and edits it."""
        self.note_panel = panel
        panel.setParent(self.detail)
        panel.allow_tall_editor()
        layout = self.detail.layout()
        assert layout is not None
        layout.addWidget(panel)
        panel.set_record(None)

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
        self._keep_place(lambda: self.model.set_rows(rows))
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

    def _keep_place(self, change: Callable[[], object]) -> None:
        """Apply `change` to the rows and select the note shown below again (a save while
        typing reloads the table; the editor must not notice)."""
        panel = self.note_panel
        place = (panel.record_id, panel.note_id) if panel is not None else (None, None)
        change()
        if place[0] is None:
            self._on_current_row(self.table_view.currentIndex())
            return
        row = self.model.find(place[0], place[1])
        if row < 0:
            return  # filtered out: the panel keeps the note until another row is chosen
        self._following = True
        try:
            self.table_view.setCurrentIndex(self.model.index(row, NotebookModel.TITLE))
        finally:
            self._following = False

    def set_disabled_reason(self, reason: str | None) -> None:
        self.disabled_reason = reason
        self.show_message(f"Notes and bookmarks are off. {reason}" if reason else "")
        self.filter_edit.setEnabled(not reason)
        self.tag_combo.setEnabled(not reason)
        self.manage_tags_button.setEnabled(not reason)

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def apply_filter(self) -> None:
        self._filter_timer.stop()
        self._keep_place(lambda: self.model.set_filter(self.filter_edit.text()))
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

    def selected_record_ids(self) -> list[str]:
        """The records of the selected rows, each once (a record may have several notes), in
        table order."""
        rows = sorted(index.row() for index in self.table_view.selectionModel().selectedRows())
        found = (self.model.row_at(row) for row in rows)
        return list(dict.fromkeys(row.record_id for row in found if row is not None))

    def _show_context_menu(self, position: QPoint) -> None:
        show_menu_at(self.table_view, self.context_menu_at(position), position)

    def context_menu_at(self, position: QPoint) -> QMenu | None:
        """The menu a right click at `position` (viewport coordinates) opens: what the
        window offers for the selected rows' records, when the row clicked is selected."""
        index = self.table_view.indexAt(position)
        if not index.isValid() or not self.table_view.selectionModel().isRowSelected(
            index.row(), QModelIndex()
        ):
            return None
        record_ids = self.selected_record_ids()
        if not record_ids or not self.selection_menu_actions:
            return None
        menu = QMenu(self)
        for position_in_menu, hook in enumerate(self.selection_menu_actions):
            if position_in_menu:
                menu.addSeparator()
            hook(menu, record_ids)
        return menu

    def current_row(self) -> NotebookRow | None:
        return self.model.row_at(self.table_view.currentIndex().row())

    def _on_current_row(self, index: QModelIndex, _previous: object = None) -> None:
        row = self.model.row_at(index.row()) if index.isValid() else None
        self.open_button.setEnabled(row is not None)
        if self._following or self.note_panel is None:
            return
        panel = self.note_panel
        if row is None:
            self.detail_title.setText("")
            panel.set_record(None)
            return
        self.detail_title.setText(f"{row.shown_title} — {row.type_label} ({row.record_id})")
        panel.set_record(row.record_id)
        if row.note_id is not None and panel.record_id == row.record_id:
            panel.select_note(row.note_id)

    def edit_current_note(self) -> None:
        """Enter or a double-click: the cursor goes into the row's note, below the table."""
        if self.note_panel is None or self.current_row() is None:
            return
        editor = self.note_panel.editor
        if editor.isEnabled():
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
            editor.moveCursor(editor.textCursor().MoveOperation.End)

    def open_current(self) -> None:
        row = self.current_row()
        if row is not None:
            self.record_activated.emit(row.record_id, -1 if row.note_id is None else row.note_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table_view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.open_current()
            return True
        return super().eventFilter(watched, event)
