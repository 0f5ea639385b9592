"""The record tables as a day's work meets them (issue 18): the People tab's kind filter and
surname order, several rows selected and acted on, the column chooser, print and PDF, and
the bundled user guide."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QMenu

from archive_browser.core.archive import Archive
from archive_browser.core.store import UserStore
from archive_browser.ui.app import create_window, make_settings
from archive_browser.ui.features.notes import NotesController
from archive_browser.ui.hooks import hooks_of
from archive_browser.ui.widgets.column_chooser import column_menu
from archive_browser.ui.widgets.entity_tab import EntityTab
from archive_browser.ui.widgets.main_window import MainWindow
from helpers.windows import feature_of, wait_loaded


def names(tab: EntityTab) -> list[str]:
    model = tab.model
    return [model.row_data(row)["name"] for row in range(model.rowCount())]


def notes_of(window: MainWindow) -> NotesController:
    return feature_of(window, NotesController)


def select_rows(tab: EntityTab, rows: list[int]) -> None:
    selection = tab.table_view.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        selection.select(tab.model.index(row, 0), flags)
    selection.setCurrentIndex(
        tab.model.index(rows[-1], 0), QItemSelectionModel.SelectionFlag.NoUpdate
    )


def menu_texts(menu: QMenu) -> list[str]:
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def action_named(menu: QMenu, start: str):
    for action in menu.actions():
        if action.text().startswith(start):
            return action
    raise AssertionError(f"no {start!r} in {menu_texts(menu)}")


# ----------------------------------------------------------------------------- people


def test_people_are_listed_by_surname_with_their_kind(window: MainWindow) -> None:
    tab = window.entity_tabs["person"]
    listed = names(tab)
    assert listed[0] != "Adolf Hitler"
    # Seeckt files under S: after Ribbentrop and Scheidemann, before Sklyansky and Stalin.
    assert listed.index("Joachim von Ribbentrop") < listed.index("Hans von Seeckt")
    assert listed.index("Hans von Seeckt") < listed.index("Joseph Stalin")
    assert listed.index("Heinz Guderian") < listed.index("Hans von Seeckt")
    headers = [tab.model.headerData(i, Qt.Orientation.Horizontal) for i in range(3)]
    assert "Kind" in [tab.model.headerData(i, Qt.Orientation.Horizontal) for i in range(4)]
    assert headers[0] == "Name"


def test_the_kind_choice_narrows_the_people_tab(qtbot, window: MainWindow) -> None:
    tab = window.entity_tabs["person"]
    combo = tab.kind_combo
    assert combo is not None
    assert [combo.itemText(i) for i in range(combo.count())] == ["All", "People", "Organisations"]
    everyone = tab.model.rowCount()
    combo.setCurrentIndex(2)
    qtbot.waitUntil(lambda: tab.model.rowCount() < everyone, timeout=5000)
    kinds = {tab.model.row_data(r)["kind"] for r in range(tab.model.rowCount())}
    assert kinds == {"organisation"}
    assert "Reichswehr" in names(tab)
    assert window.entity_tabs["site"].kind_combo is None  # only where the type offers kinds
    combo.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "Hans von Seeckt" in names(tab), timeout=5000)
    people = tab.model.rowCount()
    assert {tab.model.row_data(r)["kind"] for r in range(people)} == {"person"}
    combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: tab.model.rowCount() == everyone, timeout=5000)
    assert people < everyone


# ----------------------------------------------------------------------------- selection


def test_several_rows_are_bookmarked_and_exported_together(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    tab = window.entity_tabs["person"]
    assert tab.table_view.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    window.tabs.setCurrentWidget(tab)
    select_rows(tab, [0, 2, 3])
    wanted = [tab.model.record_id_at(r) for r in (0, 2, 3)]
    assert tab.selected_record_ids() == wanted
    # The detail pane shows the current row, the last one clicked.
    qtbot.waitUntil(lambda: tab.detail.record_id == wanted[-1], timeout=5000)

    menu = QMenu()
    tab.fill_selection_menu(menu, tab.selected_record_ids())
    assert "☆ Bookmark 3 Records" in menu_texts(menu)
    notes = notes_of(window)
    notes.toggle_bookmark(wanted[0])  # one already bookmarked stays so
    action_named(menu, "☆ Bookmark 3").trigger()
    with UserStore.open() as second:
        assert {b.record_id for b in second.bookmarks("bundled")} == set(wanted)
    assert "2 of 3" in notes.last_message

    target = tmp_path / "chosen.csv"
    assert notes.export_selection(tab.selected_record_ids(), target)
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["record_id"] for r in rows] == wanted
    assert rows[0]["title"] == tab.model.row_data(0)["name"]


def test_a_right_click_on_one_of_several_selected_rows_offers_the_selection(
    window: MainWindow,
) -> None:
    tab = window.entity_tabs["site"]
    window.tabs.setCurrentWidget(tab)
    select_rows(tab, [1, 2])
    row_centre = tab.table_view.visualRect(tab.model.index(1, 0)).center()
    several = tab.context_menu_at(row_centre)
    select_rows(tab, [1])
    one = tab.context_menu_at(row_centre)
    assert several is not None and one is not None
    assert "☆ Bookmark 2 Records" in menu_texts(several)
    assert "Export Selection as CSV…" in menu_texts(several)
    assert "Copy title" in menu_texts(one) and "Copy title" not in menu_texts(several)


# ----------------------------------------------------------------------------- columns


def test_the_column_chooser_hides_columns_and_the_choice_survives_a_restart(
    qtbot, archive: Archive
) -> None:
    first = create_window(archive, make_settings())
    qtbot.addWidget(first)
    first.show()
    wait_loaded(qtbot, first)
    header = first.entity_tabs["person"].table_view.horizontalHeader()
    menu = column_menu(header)
    assert menu_texts(menu)[:2] == ["Name", "Russian name"]
    action_named(menu, "Russian name").setChecked(False)
    assert header.isSectionHidden(1)
    assert not first.entity_tabs["site"].table_view.horizontalHeader().isSectionHidden(1)
    first.close()

    second = create_window(archive, make_settings())
    qtbot.addWidget(second)
    second.show()
    wait_loaded(qtbot, second)
    header = second.entity_tabs["person"].table_view.horizontalHeader()
    assert header.isSectionHidden(1) and not header.isSectionHidden(0)
    menu = column_menu(header)
    assert not action_named(menu, "Russian name").isChecked()
    # The last column shown cannot be hidden.
    for title in ("Name", "Kind"):
        action_named(menu, title).setChecked(False)
    remaining = [a for a in column_menu(header).actions() if a.isChecked()]
    assert len(remaining) == 1 and not remaining[0].isEnabled()
    action_named(menu, "Russian name").setChecked(True)
    assert not header.isSectionHidden(1)
    second.close()


def test_the_notebook_has_multi_select_and_a_column_chooser(window: MainWindow) -> None:
    view = notes_of(window).notebook.table_view
    assert view.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    assert view.horizontalHeader().contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    assert menu_texts(column_menu(view.horizontalHeader()))


# ----------------------------------------------------------------------------- print and PDF


def test_export_pdf_writes_the_shown_record_as_a_real_pdf(
    window: MainWindow, tmp_path: Path
) -> None:
    from archive_browser.ui.features.printing import RecordPrinting
    from archive_browser.ui.widgets.printing import pdf_page_count, printable_html

    hooks = hooks_of(window)
    assert hooks is not None
    printing = hooks.feature(RecordPrinting)
    assert printing is not None
    file_actions = [a.text() for a in window.file_menu.actions()]
    assert "&Print Record…" in file_actions and "Export Record as P&DF…" in file_actions
    assert window.open_record("person/seeckt")
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "seeckt.pdf"
    assert printing.export_pdf(target), printing.last_message
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert pdf_page_count(target) >= 1
    # The document title, as Qt writes it: UTF-16 with a byte-order mark.
    assert "\ufeffHans von Seeckt".encode("utf-16-be") in data
    assert "Saved Hans von Seeckt as a PDF" in printing.last_message
    record = window.archive.get("person/seeckt")
    assert record is not None
    page = printable_html(printing.record_page(record))
    assert "Hans von Seeckt" in page and "<a " not in page and "record:" not in page
    # No temporary file is left beside it; a folder in the way is refused in one sentence.
    assert [p.name for p in folder.iterdir()] == ["seeckt.pdf"]
    (folder / "folder.pdf").mkdir()
    assert not printing.export_pdf(folder / "folder.pdf")
    assert printing.last_message.endswith(".") and "\n" not in printing.last_message


def test_the_notebook_exports_as_a_pdf_with_its_notes(window: MainWindow, tmp_path: Path) -> None:
    notes = notes_of(window)
    notes.toggle_bookmark("person/seeckt")
    page = notes.notebook_page()
    assert "Hans von Seeckt" in page and "Notebook" in page
    target = tmp_path / "notebook.pdf"
    assert notes.export_notebook_pdf(target), notes.last_message
    assert target.read_bytes().startswith(b"%PDF-")


# ----------------------------------------------------------------------------- user guide


# The offscreen platform warns about any window it raises; nothing else is ignored.
@pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")
def test_help_opens_the_bundled_user_guide_with_its_sections_and_no_outside_links(
    qtbot, window: MainWindow
) -> None:
    from archive_browser.ui.features.guide import UserGuide, guide_html

    hooks = hooks_of(window)
    assert hooks is not None
    guide = hooks.feature(UserGuide)
    assert guide is not None
    assert window.help_menu.actions()[0] is guide.action
    guide.action.trigger()
    dialog = guide.dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.browser.toPlainText()
    for section in (
        "The tabs",
        "Searching",
        "Archival references and the archive tree",
        "Notes and bookmarks",
        "Exports and printing",
        "Importing your own finding aid",
        "Keyboard",
    ):
        assert section in text, section
    for promise in ("Zotero", "Excel", "Obsidian", "Ctrl+K", "Tukhachevsky", "fond"):
        assert promise in text, promise
    browser = dialog.browser
    assert not browser.openExternalLinks() and not browser.openLinks()
    # Every link of the page is one of its own anchors.
    import re

    targets = re.findall(r'href="([^"]*)"', guide_html())
    anchors = set(re.findall(r'<a name="([^"]+)"', guide_html()))
    assert targets and all(t.startswith("#") and t[1:] in anchors for t in targets)
    # Following an outside link changes nothing: the page stays the guide.
    from PySide6.QtCore import QUrl

    browser.anchorClicked.emit(QUrl("https://example.org/"))
    assert browser.source().isEmpty() and "The tabs" in browser.toPlainText()
    browser.anchorClicked.emit(QUrl("#keys"))
    assert browser.verticalScrollBar().value() > 0
    dialog.close()
