"""One generic tab for a record type: a filter box, a lazy sortable table, a detail pane.

The same widget serves People, Sites, Chronology and Sources, configured by the type's
`RecordType`. Extension points: `table_view`, `model`, `filter_edit`, `detail`;
`add_view(widget, title)` puts another view beside the table ("Table | Timeline");
`set_side_widget(widget)` puts a widget between the table and the detail pane;
`put_above(widget)` puts one above the table, beside the detail pane (the map, the timeline);
`context_menu_actions` holds callables `(menu, record_id)` that add actions to the table's
context menu; `selection_menu_actions` callables `(menu, record_ids)` that add theirs when
several rows are selected (`selected_record_ids()`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
)
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from archive_browser.core.archive import LINK_PAGE, Archive, Record
from archive_browser.core.filters import KindIs
from archive_browser.core.record_types import RecordType
from archive_browser.ui.widgets import style
from archive_browser.ui.widgets.column_chooser import install_column_chooser
from archive_browser.ui.widgets.detail_view import LINKS_FULL, DetailPane
from archive_browser.ui.widgets.table_model import RecordTableModel
from archive_browser.ui.widgets.timers import single_shot_timer

FILTER_DEBOUNCE_MS = 150

ContextMenuHook = Callable[[QMenu, str], None]
SelectionMenuHook = Callable[[QMenu, list[str]], None]


class FilterEdit(QLineEdit):
    """The tab's filter box: Esc clears it, Down (or Return) moves into the table."""

    move_down = QtSignal()
    MOVE_KEYS: ClassVar[tuple[Qt.Key, ...]] = (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        if event.key() in self.MOVE_KEYS:
            self.move_down.emit()
            return
        super().keyPressEvent(event)


def setup_record_list(view: QTableView) -> None:
    """A read-only list of records, one per row: the look of every table of records.

    Several rows may be selected (Shift/Ctrl+click, Shift+arrows, Ctrl+A) to act on them
    together; the current row is the one shown. Right-clicking the header chooses columns.
    """
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setShowGrid(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move inside it
    view.verticalHeader().hide()
    # Fixed row heights: the view never asks for every row to measure it.
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setHighlightSections(False)
    install_column_chooser(view.horizontalHeader())


def show_menu_at(view: QAbstractItemView, menu: QMenu | None, position: QPoint) -> None:
    """Open `menu` (when there is one) where the user right-clicked in `view`'s viewport."""
    if menu is not None:
        menu.exec(view.viewport().mapToGlobal(position))
        menu.deleteLater()


class EntityTab(QWidget):
    """The tab of one record type.

    `record_selected(record_id)` when the user picks a row, `record_opened(record_id)` when
    Enter opens it (into the detail pane); `link_activated(record_id)`
    when a link in the detail pane is followed; `counts_changed(shown, total)` after each
    query. The window decides what happens (history, switching tabs).
    """

    record_selected = QtSignal(str)
    record_opened = QtSignal(str)
    link_activated = QtSignal(str)
    counts_changed = QtSignal(int, int)

    def __init__(
        self, archive: Archive, record_type: RecordType, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.archive = archive
        self.record_type = record_type
        self.context_menu_actions: list[ContextMenuHook] = []
        self.selection_menu_actions: list[SelectionMenuHook] = []
        self._pending_record: str | None = None
        self._selecting = False  # True while the program (not the user) moves the selection
        self.model = RecordTableModel(archive, record_type, self)
        self._build_widgets()
        self._connect()
        self.table_view.setSortingEnabled(True)  # starts the first ids query

    # ---------------------------------------------------------------- building

    def _build_widgets(self) -> None:
        plural = style.plural(self.record_type.name, 2)
        self.filter_edit = FilterEdit(self)
        self.filter_edit.setPlaceholderText(f"Filter {plural}…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip(
            f"Show only the {plural} matching these words (any spelling, Latin or Cyrillic). "
            "Esc clears."
        )
        self.count_label = QLabel(self)
        self.count_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        self.table_view = QTableView(self)
        self.table_view.setModel(self.model)
        self._setup_table()

        self.views = QTabWidget(self)
        self.views.setDocumentMode(True)
        self.views.setTabBarAutoHide(True)
        self.views.setTabPosition(QTabWidget.TabPosition.South)
        self.views.addTab(self.table_view, "Table")

        self.detail = DetailPane(self.archive.title_of, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.views)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([620, 480])

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_edit, 1)
        self.kind_combo: QComboBox | None = None
        if self.record_type.kind_choices:
            self.kind_combo = QComboBox(self)
            self.kind_combo.addItem("All", None)
            for label, kind in self.record_type.kind_choices:
                self.kind_combo.addItem(label, kind)
            self.kind_combo.setToolTip(f"Show only one kind of {plural}")
            kind_label = QLabel("&Kind:", self)
            kind_label.setBuddy(self.kind_combo)
            top.addWidget(kind_label)
            top.addWidget(self.kind_combo)
        top.addWidget(self.count_label)
        self.count_label.hide()  # the window's status bar shows the count
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        QWidget.setTabOrder(self.filter_edit, self.table_view)
        QWidget.setTabOrder(self.table_view, self.detail.browser)
        self.setFocusProxy(self.table_view)

    def _setup_table(self) -> None:
        view = self.table_view
        setup_record_list(view)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setSortIndicator(max(self.model.sort_section(), 0), Qt.SortOrder.AscendingOrder)
        widths = {
            "date": 140,
            "name": 230,
            "title": 320,
            "name_ru": 190,
            "kind": 150,
            "cover_name": 110,
            "theme": 130,
            "archive": 170,
        }
        for i, column in enumerate(self.model.columns):
            header.resizeSection(i, widths.get(column.name, 150))
        view.installEventFilter(self)
        # A press in the table's own viewport, not the application's mouse state: a button
        # held elsewhere (or left pressed by another window) must not make arrow keys "clicks".
        self.row_pressed = False
        view.viewport().installEventFilter(self)

    def _connect(self) -> None:
        self._filter_timer = single_shot_timer(self, FILTER_DEBOUNCE_MS, self.apply_filter)
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        self.filter_edit.move_down.connect(self._enter_table)
        if self.kind_combo is not None:
            self.kind_combo.currentIndexChanged.connect(self._on_kind_chosen)
        self.model.query_finished.connect(self._on_query_finished)
        self.model.query_failed.connect(self._on_query_failed)
        self.model.modelReset.connect(self._connect_selection)
        self._connect_selection()
        self.detail.link_activated.connect(self.link_activated)
        self.detail.more_links_requested.connect(self.show_all_links)
        self.detail.escape_pressed.connect(self.table_view.setFocus)
        self.table_view.customContextMenuRequested.connect(self._show_context_menu)

    def _connect_selection(self) -> None:
        selection = self.table_view.selectionModel()
        # The selection model survives a reset; connect once.
        if getattr(self, "_selection_connected", None) is not selection:
            selection.currentRowChanged.connect(self._on_current_row)
            self._selection_connected = selection

    # ---------------------------------------------------------------- extension points

    def add_view(self, widget: QWidget, title: str) -> int:
        """Add a view beside the table (shown as tabs "Table | <title>"); returns its index."""
        return self.views.addTab(widget, title)

    def set_side_widget(self, widget: QWidget) -> None:
        """Put `widget` between the table and the detail pane, in the splitter."""
        self.splitter.insertWidget(1, widget)

    def put_above(self, widget: QWidget) -> QSplitter:
        """Put `widget` above the table (and its other views) in a vertical splitter of its
        own (returned, for its caller to size and remember). The detail pane keeps the tab's
        full height beside them: a record has room to be read."""
        column = QSplitter(Qt.Orientation.Vertical, self)
        column.setChildrenCollapsible(False)
        index = self.splitter.indexOf(self.views)
        self.splitter.replaceWidget(index, column)
        column.addWidget(widget)
        column.addWidget(self.views)
        return column

    # ---------------------------------------------------------------- filtering

    def apply_filter(self) -> None:
        """Run the filter box's text now (the debounce timer calls this)."""
        self._filter_timer.stop()
        text = self.filter_edit.text()
        if text.strip() != self.model.filter_text.strip():
            self.model.set_query(filter_text=text)

    def _on_kind_chosen(self, _index: int) -> None:
        assert self.kind_combo is not None
        kind = self.kind_combo.currentData()
        self.model.set_narrow(KindIs(kind) if kind else None)

    def clear_filter(self) -> None:
        self.filter_edit.clear()
        self.apply_filter()

    def _on_query_finished(self, shown: int) -> None:
        total = self.model.total
        self.count_label.setText(self.count_text())
        pending = self._pending_record
        self._pending_record = None
        target = pending or self.detail.record_id
        listed = target is not None and self._select_row_of(target)
        if target is not None and not listed and pending and self.model.filter_text.strip():
            self._clear_filter_for(pending)
        elif target is not None and not listed and self.model.narrowed:
            # The record stays readable, but the table no longer lists it: say so.
            self.detail.set_hint("Not in the filtered list: clear the filter to see its row.")
        else:
            self.detail.set_hint("")
        self.counts_changed.emit(shown, total)

    def _on_query_failed(self, message: str) -> None:
        self.count_label.setText(f"The filter failed: {message}")

    def count_text(self) -> str:
        shown, total = self.model.rowCount(), self.model.total
        if not self.model.narrowed:
            return f"{total} {style.plural(self.record_type.name, total)}"
        return f"{shown} of {total} {style.plural(self.record_type.name, total)}"

    # ---------------------------------------------------------------- showing records

    def show_record(self, record_id: str) -> bool:
        """Show `record_id` in the detail pane and select its row.

        If the current filter hides it, the filter is cleared and the row is selected once
        the unfiltered rows are in. False if the archive has no such record.
        """
        try:
            record = self.archive.get(record_id, link_limit=LINK_PAGE)
        except sqlite3.Error as exc:  # a damaged archive: say so where the record would be
            self.detail.clear(self.archive.failure_message(exc))
            return True
        if record is None:
            return False
        self.detail.show_record(record)
        self.detail.set_hint("")
        if not self.model.loaded or self.model.busy:
            self._pending_record = record_id
            return True
        if not self._select_row_of(record_id) and self.model.filter_text.strip():
            self._clear_filter_for(record_id)
        return True

    def show_all_links(self, record_id: str) -> None:
        """The detail pane's "Show all related records": up to LINKS_FULL of them."""
        try:
            record: Record | None = self.archive.get(record_id, link_limit=LINKS_FULL)
        except sqlite3.Error as exc:
            self.detail.clear(self.archive.failure_message(exc))
            return
        if record is not None and record_id == self.detail.record_id:
            self.detail.show_record(record)

    def _clear_filter_for(self, record_id: str) -> None:
        """The filter hides `record_id`: clear it, and select the row once the rows are in."""
        self._pending_record = record_id
        self._filter_timer.stop()
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self.model.set_query(filter_text="")

    def _select_row_of(self, record_id: str) -> bool:
        row = self.model.row_of_record(record_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        if self.table_view.currentIndex().row() == row:
            return True  # the user's own row: keep the rows selected with it (Ctrl/Shift+click)
        self._selecting = True
        try:
            self.table_view.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table_view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._selecting = False
        return True

    def current_record_id(self) -> str | None:
        index = self.table_view.currentIndex()
        return self.model.record_id_at(index.row()) if index.isValid() else None

    def selected_record_ids(self) -> list[str]:
        """The records of the selected rows, in table order (read by ranges, and only their
        ids: Ctrl+A over a million rows asks for no row's text)."""
        rows: set[int] = set()
        selection = self.table_view.selectionModel().selection()
        for position in range(selection.count()):
            selected = selection.at(position)
            rows.update(range(selected.top(), selected.bottom() + 1))
        return self.model.record_ids_at(sorted(rows))

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._selecting:
            return
        record_id = self.model.record_id_at(current.row()) if current.isValid() else None
        if record_id and record_id != self.detail.record_id:
            self.record_selected.emit(record_id)

    # ---------------------------------------------------------------- keyboard and menus

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _enter_table(self) -> None:
        self.table_view.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table_view.currentIndex().isValid() and self.model.rowCount() > 0:
            self.table_view.selectRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table_view.viewport():
            if event.type() == QEvent.Type.MouseButtonPress:
                self.row_pressed = True
            elif event.type() == QEvent.Type.MouseButtonRelease:
                self.row_pressed = False
            return False
        if watched is self.table_view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._open_current_row()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.focus_filter()
                return True
        return super().eventFilter(watched, event)

    def _open_current_row(self) -> None:
        record_id = self.current_record_id()
        if record_id is None:
            return
        if record_id != self.detail.record_id:
            self.record_selected.emit(record_id)
        self.record_opened.emit(record_id)
        self.detail.browser.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_context_menu(self, position: QPoint) -> None:
        show_menu_at(self.table_view, self.context_menu_at(position), position)

    def context_menu_at(self, position: QPoint) -> QMenu | None:
        """The menu a right click at `position` (viewport coordinates) opens: for the
        selection when the row is one of several selected, else for the row's record."""
        index = self.table_view.indexAt(position)
        if not index.isValid():
            return None
        record_id = self.model.record_id_at(index.row())
        if record_id is None:
            return None
        menu = QMenu(self)
        selected = self.selected_record_ids()
        if len(selected) > 1 and record_id in selected:
            self.fill_selection_menu(menu, selected)
        else:
            self.fill_context_menu(menu, record_id)
        return menu

    def fill_context_menu(self, menu: QMenu, record_id: str) -> None:
        """The table's context menu for `record_id`: built-in actions, then the hooks'."""
        title = self.archive.title_of(record_id) or record_id
        menu.addAction("Copy title", lambda: QGuiApplication.clipboard().setText(title))
        menu.addAction("Copy id", lambda: QGuiApplication.clipboard().setText(record_id))
        for hook in self.context_menu_actions:
            menu.addSeparator()
            hook(menu, record_id)

    def fill_selection_menu(self, menu: QMenu, record_ids: list[str]) -> None:
        """The context menu for several selected rows: what the hooks offer for all of them."""
        ids = "\n".join(record_ids)
        menu.addAction(
            f"Copy {len(record_ids)} ids", lambda: QGuiApplication.clipboard().setText(ids)
        )
        for hook in self.selection_menu_actions:
            menu.addSeparator()
            hook(menu, record_ids)

    # ---------------------------------------------------------------- settings

    def save_state(self) -> dict[str, QByteArray]:
        return {
            "splitter": self.splitter.saveState(),
            "header": self.table_view.horizontalHeader().saveState(),
            "detail_splitter": self.detail.save_state(),
        }

    def restore_state(self, state: dict[str, object]) -> None:
        splitter = state.get("splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        self.detail.restore_state(state.get("detail_splitter"))
        header = state.get("header")
        if isinstance(header, QByteArray) and not header.isEmpty():
            view_header = self.table_view.horizontalHeader()
            view_header.restoreState(header)
            # The saved sort indicator is the sort to use: re-query if it differs.
            section = view_header.sortIndicatorSection()
            descending = view_header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
            if 0 <= section < len(self.model.columns) and (
                self.model.columns[section].name != self.model.sort_column
                or descending != self.model.descending
            ):
                self.model.sort(section, view_header.sortIndicatorOrder())

    def shutdown(self) -> None:
        """Stop the queries still running (before the window or the archive closes)."""
        self._filter_timer.stop()
        self.model.cancel()
