"""Tags in the window: the Add-tag field under a record's star, its chips, the Notebook's
Manage Tags dialog, and the Notebook's Tags column and filter following every change.

What was saved is read through a SECOND connection to the notes file, as another program
would; the dialog and the field are driven through their own widgets.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from archive_browser.core import export
from archive_browser.core.records import archive_record_info
from archive_browser.core.store import STORE_FILE_NAME, UserStore
from archive_browser.ui.features.notes import NotesController
from archive_browser.ui.features.notes.note_editor import RecordNotesPanel
from archive_browser.ui.features.notes.notebook import ALL_TAGS, NotebookModel
from archive_browser.ui.features.notes.tags import REMOVE_MARK, ManageTagsDialog, RecordTagsBar
from archive_browser.ui.widgets.main_window import MainWindow
from helpers.windows import OFFSCREEN_DIALOG, feature_of, show_notes

SEECKT = "person/seeckt"
LIPETSK = "site/lipetsk"
ARCHIVE_ID = "bundled"


def notes_of(window: MainWindow) -> NotesController:
    return feature_of(window, NotesController)


def show(window: MainWindow, record_id: str) -> RecordNotesPanel:
    panel: RecordNotesPanel = show_notes(window, record_id)
    return panel


def bar_of(panel: RecordNotesPanel | None) -> RecordTagsBar:
    assert panel is not None and panel.tags_bar is not None
    return panel.tags_bar


def stored_tags(record_id: str) -> list[str]:
    with UserStore.open() as second:
        return second.tags_of(ARCHIVE_ID, record_id)


def all_stored_tags() -> list[tuple[str, int]]:
    with UserStore.open() as second:
        return second.tag_counts()


def type_text(widget, text: str) -> None:
    """Any text, Cyrillic included (qtbot.keyClicks aborts on non-ASCII)."""
    for ch in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
        )


def notebook_tags(window: MainWindow) -> dict[str, str]:
    """record id -> the Notebook's Tags cell, for every row shown."""
    model = notes_of(window).notebook.model
    return {
        model.data(model.index(r, 0), NotebookModel.RECORD_ID_ROLE): model.data(
            model.index(r, NotebookModel.TAGS)
        )
        for r in range(model.rowCount())
    }


def combo_tags(window: MainWindow) -> list[str]:
    combo = notes_of(window).notebook.tag_combo
    return [combo.itemText(i) for i in range(combo.count())]


def open_notebook(window: MainWindow) -> None:
    window.tabs.setCurrentWidget(notes_of(window).notebook)


def dialog_rows(dialog: ManageTagsDialog) -> list[tuple[str, str]]:
    """(tag, records) as the dialog's table shows them."""
    table = dialog.table
    rows = []
    for row in range(table.rowCount()):
        tag, count = table.item(row, 0), table.item(row, 1)
        assert tag is not None and count is not None
        rows.append((tag.text(), count.text()))
    return rows


def chip_texts(bar: RecordTagsBar) -> list[str]:
    return [chip.text() for chip in bar.chips.values()]


# ----------------------------------------------------------------------------- a record's tags


@OFFSCREEN_DIALOG
def test_a_tag_typed_on_a_record_shows_on_it_and_in_the_notebook_and_can_be_removed(
    qtbot, window: MainWindow
) -> None:
    bar = bar_of(show(window, SEECKT))
    assert bar.field.isEnabled() and bar.field.placeholderText() == "Add tag…"
    qtbot.keyClicks(bar.field, "Reichswehr")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert stored_tags(SEECKT) == ["Reichswehr"]
    assert bar.field.text() == "" and chip_texts(bar) == [f"Reichswehr {REMOVE_MARK}"]

    type_text(bar.field, "Липецк")
    qtbot.keyClick(bar.field, Qt.Key.Key_Enter)
    assert stored_tags(SEECKT) == ["Reichswehr", "Липецк"]
    assert chip_texts(bar) == [f"Reichswehr {REMOVE_MARK}", f"Липецк {REMOVE_MARK}"]
    assert "Липецк" in bar.message_label.text()

    # Another record's field completes the tags now known.
    other = bar_of(show(window, LIPETSK))
    assert other.completion_model.stringList() == ["Reichswehr", "Липецк"]
    type_text(other.field, "ЛИПЕЦК")  # the same tag, in another case: its first spelling
    qtbot.keyClick(other.field, Qt.Key.Key_Return)
    assert stored_tags(LIPETSK) == ["Липецк"]

    open_notebook(window)
    assert notebook_tags(window) == {SEECKT: "Reichswehr; Липецк", LIPETSK: "Липецк"}
    assert combo_tags(window) == [ALL_TAGS, "Reichswehr", "Липецк"]
    notebook = notes_of(window).notebook
    notebook.tag_combo.setCurrentIndex(notebook.tag_combo.findText("Reichswehr"))
    assert list(notebook_tags(window)) == [SEECKT]

    # Removing with the chip's ×: the record, the store and the Notebook follow.
    bar = bar_of(show(window, SEECKT))
    qtbot.mouseClick(bar.chips["Reichswehr"], Qt.MouseButton.LeftButton)
    assert stored_tags(SEECKT) == ["Липецк"]
    assert chip_texts(bar) == [f"Липецк {REMOVE_MARK}"]
    open_notebook(window)
    assert notebook_tags(window) == {SEECKT: "Липецк", LIPETSK: "Липецк"}
    assert combo_tags(window) == [ALL_TAGS, "Липецк"]
    assert notebook.tag_combo.currentText() == ALL_TAGS  # the chosen tag is gone


def test_a_tag_added_in_the_notebook_shows_in_the_column_and_on_the_record(
    qtbot, window: MainWindow
) -> None:
    controller = notes_of(window)
    assert controller.store is not None
    controller.store.toggle_bookmark(ARCHIVE_ID, LIPETSK)
    open_notebook(window)
    notebook = controller.notebook
    notebook.table_view.setCurrentIndex(notebook.model.index(0, NotebookModel.TITLE))
    bar = bar_of(controller.notebook_panel)
    assert bar.record_id == LIPETSK
    qtbot.keyClicks(bar.field, "flying school")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert notebook_tags(window) == {LIPETSK: "flying school"}
    assert combo_tags(window) == [ALL_TAGS, "flying school"]
    assert notebook.current_record_id() == LIPETSK  # the row stays chosen
    assert chip_texts(bar_of(show(window, LIPETSK))) == [f"flying school {REMOVE_MARK}"]


def test_a_refused_name_shows_the_store_sentence_and_changes_nothing(
    qtbot, window: MainWindow
) -> None:
    bar = bar_of(show(window, SEECKT))
    qtbot.keyClicks(bar.field, "Lipetsk, Kazan")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert "contains a comma" in bar.message_label.text()
    assert bar.message_label.text().startswith("⚠")
    assert bar.field.text() == "Lipetsk, Kazan"  # kept, to be corrected
    assert bar.chips == {} and all_stored_tags() == []

    bar.field.clear()
    qtbot.keyClicks(bar.field, "Lipetsk")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert stored_tags(SEECKT) == ["Lipetsk"]
    assert "comma" not in bar.message_label.text()


def test_keyboard_tab_from_the_note_enter_adds_escape_returns_to_the_table(
    qtbot, window: MainWindow
) -> None:
    panel = show(window, SEECKT)
    bar = bar_of(panel)
    panel.editor.setFocus()
    qtbot.waitUntil(panel.editor.hasFocus)
    qtbot.keyClick(panel.editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(bar.field.hasFocus)
    qtbot.keyClicks(bar.field, "Reichswehr")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert stored_tags(SEECKT) == ["Reichswehr"]
    qtbot.keyClick(bar.field, Qt.Key.Key_Tab)  # to the tag's ×: Space removes the tag
    qtbot.waitUntil(bar.chips["Reichswehr"].hasFocus)
    qtbot.keyClick(bar.chips["Reichswehr"], Qt.Key.Key_Space)
    assert stored_tags(SEECKT) == [] and bar.chips == {}
    qtbot.waitUntil(bar.field.hasFocus)
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    tab = window.current_entity_tab()
    assert tab is not None
    qtbot.waitUntil(tab.table_view.hasFocus)

    # The Notebook's field goes back to the Notebook's table.
    notes_of(window).toggle_bookmark(SEECKT)  # a row for the Notebook
    open_notebook(window)
    notebook = notes_of(window).notebook
    notebook.table_view.setCurrentIndex(notebook.model.index(0, NotebookModel.TITLE))
    notebook_bar = bar_of(notes_of(window).notebook_panel)
    notebook_bar.field.setFocus()
    qtbot.waitUntil(notebook_bar.field.hasFocus)
    qtbot.keyClick(notebook_bar.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(notebook.table_view.hasFocus)


# ----------------------------------------------------------------------------- failures


def read_only_store(path: Path, reason: str | None) -> UserStore:
    """The same notes file opened read-only, as UserStore.open does for a read-only file
    (`reason`), or with no reason given: then every write fails as in a read-only folder."""
    connection = sqlite3.connect(
        path.resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None
    )
    store = UserStore(path, connection, None)
    store.read_only_reason = reason
    return store


@OFFSCREEN_DIALOG
def test_a_read_only_store_disables_the_field_and_a_failing_one_says_why(
    qtbot, window: MainWindow, private_user_folder: Path
) -> None:
    controller = notes_of(window)
    writable = controller.store
    assert writable is not None
    writable.add_tags(ARCHIVE_ID, SEECKT, ["Reichswehr"])
    path = private_user_folder / STORE_FILE_NAME
    reason = f"Cannot save notes: the file {path} is read-only."
    controller.store = read_only_store(path, reason)
    bar = bar_of(show(window, SEECKT))
    assert chip_texts(bar) == [f"Reichswehr {REMOVE_MARK}"]  # still shown
    assert not bar.field.isEnabled() and not bar.chips["Reichswehr"].isEnabled()
    assert reason in bar.message_label.text()
    open_notebook(window)
    dialog = controller.manage_tags()
    assert not dialog.rename_button.isEnabled() and not dialog.merge_button.isEnabled()
    assert reason in dialog.message_label.text()
    dialog.close()

    # A store that fails to write (a read-only folder): the store's sentence, no traceback.
    controller.store = read_only_store(path, None)
    bar = bar_of(show(window, LIPETSK))
    assert bar.field.isEnabled()
    qtbot.keyClicks(bar.field, "Kazan")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert "not writable" in bar.message_label.text()
    assert bar.field.text() == "Kazan" and bar.chips == {}
    assert all_stored_tags() == [("Reichswehr", 1)]
    controller.store = writable


# ----------------------------------------------------------------------------- the dialog


@OFFSCREEN_DIALOG
def test_rename_and_merge_through_the_manage_tags_dialog(qtbot, window: MainWindow) -> None:
    seeckt = bar_of(show(window, SEECKT))
    for name in ("Reichswehr", "Treaty"):
        qtbot.keyClicks(seeckt.field, name)
        qtbot.keyClick(seeckt.field, Qt.Key.Key_Return)
    lipetsk = bar_of(show(window, LIPETSK))
    qtbot.keyClicks(lipetsk.field, "Treaty")
    qtbot.keyClick(lipetsk.field, Qt.Key.Key_Return)

    open_notebook(window)
    notebook = notes_of(window).notebook
    qtbot.mouseClick(notebook.manage_tags_button, Qt.MouseButton.LeftButton)
    dialog = notes_of(window).tags_dialog
    assert isinstance(dialog, ManageTagsDialog) and dialog.isVisible()
    assert dialog_rows(dialog) == [("Reichswehr", "1"), ("Treaty", "2")]

    # Rename: a refused name first (the store's sentence, nothing changed), then a good one.
    assert dialog.choose("reichswehr") and dialog.rename_edit.text() == "Reichswehr"
    dialog.rename_edit.clear()
    qtbot.keyClicks(dialog.rename_edit, "Army; Navy")
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    assert "contains a semicolon" in dialog.message_label.text()
    assert all_stored_tags() == [("Reichswehr", 1), ("Treaty", 2)]
    dialog.rename_edit.clear()
    qtbot.keyClicks(dialog.rename_edit, "Treaty")  # already a tag: the store points to merge
    qtbot.keyClick(dialog.rename_edit, Qt.Key.Key_Return)
    assert "merge" in dialog.message_label.text()
    dialog.rename_edit.clear()
    type_text(dialog.rename_edit, "Рейхсвер")
    qtbot.keyClick(dialog.rename_edit, Qt.Key.Key_Return)
    assert all_stored_tags() == [("Treaty", 2), ("Рейхсвер", 1)]
    assert dialog.chosen_tag() == "Рейхсвер" and "Renamed" in dialog.message_label.text()
    assert dialog.isVisible()  # Enter renamed; it pressed no other button
    assert notebook_tags(window) == {SEECKT: "Treaty; Рейхсвер", LIPETSK: "Treaty"}
    assert combo_tags(window) == [ALL_TAGS, "Treaty", "Рейхсвер"]
    assert chip_texts(bar_of(notes_of(window).panel_for(SEECKT))) == [
        f"Treaty {REMOVE_MARK}",
        f"Рейхсвер {REMOVE_MARK}",
    ]

    # Merge: Treaty disappears into Рейхсвер; Seeckt, who had both, keeps one.
    notebook.tag_combo.setCurrentIndex(notebook.tag_combo.findText("Treaty"))
    assert dialog.choose("Treaty")
    assert [dialog.merge_combo.itemText(i) for i in range(dialog.merge_combo.count())] == [
        "Рейхсвер"
    ]
    dialog.merge_combo.setCurrentIndex(0)
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert all_stored_tags() == [("Рейхсвер", 2)]
    assert "Merged" in dialog.message_label.text()
    assert dialog_rows(dialog) == [("Рейхсвер", "2")]
    assert notebook_tags(window) == {SEECKT: "Рейхсвер", LIPETSK: "Рейхсвер"}
    assert combo_tags(window) == [ALL_TAGS, "Рейхсвер"]
    assert notebook.tag_combo.currentText() == ALL_TAGS
    assert chip_texts(bar_of(notes_of(window).panel_for(LIPETSK))) == [f"Рейхсвер {REMOVE_MARK}"]
    dialog.close()


# ----------------------------------------------------------------------------- export


def test_a_tag_added_in_the_window_is_exported_with_the_notes(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    controller = notes_of(window)
    bar = bar_of(show(window, SEECKT))
    type_text(bar.field, "Липецк")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    qtbot.keyClicks(bar.field, "R&D")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert chip_texts(bar) == [f"R&&D {REMOVE_MARK}", f"Липецк {REMOVE_MARK}"]  # no mnemonic
    assert controller.store is not None
    out = tmp_path / "notes.csv"
    export.write_notes_csv(
        controller.store, ARCHIVE_ID, archive_record_info(window.archive), out, ","
    )
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["record_id"], row["tags"]) for row in rows] == [(SEECKT, "R&D; Липецк")]
