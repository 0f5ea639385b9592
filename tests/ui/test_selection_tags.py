"""Several selected rows tagged at once (issue 18 point 7): "Tag N Records…" in every entity
table's selection menu, and the Notebook's selection menu (bookmark, tag, export).

The menu is the one a right click opens (`context_menu_at`); the tag is typed into the
dialog's own field; what was saved is read through a SECOND connection to the notes file.
"""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTableView

from archive_browser.core.store import UserStore
from archive_browser.ui.features.notes import NotesController
from archive_browser.ui.features.notes.notebook import NotebookModel
from archive_browser.ui.features.notes.tags import REMOVE_MARK, TagRecordsDialog
from archive_browser.ui.widgets.main_window import MainWindow
from helpers.windows import OFFSCREEN_DIALOG, feature_of

ARCHIVE_ID = "bundled"


def notes_of(window: MainWindow) -> NotesController:
    return feature_of(window, NotesController)


def select_rows(view: QTableView, rows: list[int]) -> None:
    """Ctrl+click on each row, as the user selects several."""
    model = view.model()
    selection = view.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        selection.select(model.index(row, 0), flags)
    selection.setCurrentIndex(model.index(rows[-1], 0), QItemSelectionModel.SelectionFlag.NoUpdate)


def right_click_menu(tab, view: QTableView, row: int) -> QMenu:
    menu = tab.context_menu_at(view.visualRect(view.model().index(row, 0)).center())
    assert menu is not None
    return menu


def menu_texts(menu: QMenu) -> list[str]:
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def trigger(menu: QMenu, start: str) -> None:
    for action in menu.actions():
        if action.text().startswith(start):
            assert action.isEnabled()
            action.trigger()
            return
    raise AssertionError(f"no {start!r} in {menu_texts(menu)}")


def tag_through_dialog(qtbot, window: MainWindow, text: str) -> TagRecordsDialog:
    dialog = notes_of(window).tag_records_dialog
    assert isinstance(dialog, TagRecordsDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.field, text)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)  # the default button: OK
    return dialog


def stored_tags() -> dict[str, list[str]]:
    with UserStore.open() as second:
        return second.record_tags(ARCHIVE_ID)


@OFFSCREEN_DIALOG
def test_three_selected_rows_are_tagged_through_the_dialog(qtbot, window: MainWindow) -> None:
    tab = window.entity_tabs["person"]
    window.tabs.setCurrentWidget(tab)
    view = tab.table_view
    assert view.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    select_rows(view, [0, 2, 3])
    wanted = tab.selected_record_ids()
    assert len(wanted) == 3
    qtbot.waitUntil(lambda: tab.detail.record_id == wanted[-1], timeout=5000)
    notes = notes_of(window)
    assert notes.store is not None
    notes.store.add_tags(ARCHIVE_ID, wanted[0], ["Lipetsk"])  # one already tagged stays so

    menu = right_click_menu(tab, view, 2)
    assert "Tag 3 Records…" in menu_texts(menu)
    trigger(menu, "Tag 3 Records")
    dialog = tag_through_dialog(qtbot, window, "lipetsk")  # the existing tag's spelling stays
    assert not dialog.isVisible() and notes.tag_records_dialog is None

    assert stored_tags() == {record_id: ["Lipetsk"] for record_id in wanted}
    assert "Tagged 2 of 3 records" in notes.last_message
    # The shown record's tag bar follows at once.
    bar = notes.panel_for(wanted[-1])
    assert bar is not None and bar.tags_bar is not None
    assert [chip.text() for chip in bar.tags_bar.chips.values()] == [f"Lipetsk {REMOVE_MARK}"]


@OFFSCREEN_DIALOG
def test_a_refused_name_keeps_the_dialog_open_and_changes_nothing(
    qtbot, window: MainWindow
) -> None:
    tab = window.entity_tabs["site"]
    window.tabs.setCurrentWidget(tab)
    select_rows(tab.table_view, [0, 1, 2])
    trigger(right_click_menu(tab, tab.table_view, 0), "Tag 3 Records")
    dialog = tag_through_dialog(qtbot, window, "Lipetsk; Kazan")
    assert dialog.isVisible()
    assert "contains a semicolon" in dialog.message_label.text()
    assert dialog.field.text() == "Lipetsk; Kazan"  # kept, to be corrected
    assert stored_tags() == {}
    dialog.reject()
    assert stored_tags() == {}


@OFFSCREEN_DIALOG
def test_the_notebook_selection_menu_bookmarks_tags_and_exports_its_rows(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    notes = notes_of(window)
    assert notes.store is not None
    people = window.entity_tabs["person"]
    records = [people.model.record_id_at(row) for row in range(3)]
    assert all(records)
    notes.store.toggle_bookmark(ARCHIVE_ID, records[0])
    for record_id in records[1:]:
        notes.store.add_note(ARCHIVE_ID, record_id, f"A note on {record_id}.")
    notebook = notes.notebook
    window.tabs.setCurrentWidget(notebook)
    qtbot.waitUntil(lambda: notebook.model.rowCount() == 3, timeout=5000)
    view = notebook.table_view
    assert view.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    select_rows(view, [0, 1])
    # A right click on a row outside the selection offers nothing for the selection.
    assert notebook.context_menu_at(view.visualRect(view.model().index(2, 0)).center()) is None
    select_rows(view, [1])
    assert "Tag 1 Record…" in menu_texts(right_click_menu(notebook, view, 1))
    select_rows(view, [0, 1, 2])
    assert set(notebook.selected_record_ids()) == set(records)

    trigger(right_click_menu(notebook, view, 1), "☆ Bookmark 3 Records")
    with UserStore.open() as second:
        assert {b.record_id for b in second.bookmarks(ARCHIVE_ID)} == set(records)

    select_rows(view, [0, 1, 2])
    trigger(right_click_menu(notebook, view, 0), "Tag 3 Records")
    tag_through_dialog(qtbot, window, "school")
    assert stored_tags() == {record_id: ["school"] for record_id in records}
    # The Notebook's Tags column follows.
    model = notebook.model
    qtbot.waitUntil(
        lambda: (
            {model.data(model.index(r, NotebookModel.TAGS)) for r in range(model.rowCount())}
            == {"school"}
        ),
        timeout=5000,
    )

    select_rows(view, [0, 1, 2])
    target = tmp_path / "notebook-selection.csv"
    menu = right_click_menu(notebook, view, 2)
    assert "Export Selection as CSV…" in menu_texts(menu)
    assert notes.export_selection(notebook.selected_record_ids(), target)
    with target.open(encoding="utf-8-sig", newline="") as stream:
        assert {row["record_id"] for row in csv.DictReader(stream)} == set(records)
