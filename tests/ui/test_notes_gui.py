"""Bookmarks, notes, the Notebook and the exports in the window (issue 4, UI part).

Every check of what was saved reads the store through a SECOND connection, as another
program would: a note only counts as saved when it is in the file.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from archive_browser.core.archive import Archive
from archive_browser.core.export.sources import HOLDING_KINDS
from archive_browser.core.importer import build_archive
from archive_browser.core.store import STORE_FILE_NAME, UserStore
from archive_browser.ui.features.notes import NotesController, note_snippet
from archive_browser.ui.features.notes.note_editor import (
    DELETE_NOTE,
    KEEP_NOTE,
    STAR_OFF,
    STAR_ON,
    UNDO_PAUSE_MS,
    RecordNotesPanel,
)
from archive_browser.ui.features.notes.notebook import LINE_MARK, NotebookModel, NotebookRow
from archive_browser.ui.widgets.global_search import ResultListModel
from archive_browser.ui.widgets.main_window import MainWindow
from helpers.windows import feature_of, show_notes

REPO = Path(__file__).resolve().parents[2]
SEECKT = "person/seeckt"
LIPETSK = "site/lipetsk"


# ----------------------------------------------------------------------------- helpers

# The offscreen platform warns about any message box it shows; nothing else is ignored.
OFFSCREEN_BOX = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
# ... and about any popup menu it shows.
OFFSCREEN_POPUP = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)


def notes_of(window: MainWindow) -> NotesController:
    return feature_of(window, NotesController)


def show(window: MainWindow, record_id: str) -> RecordNotesPanel:
    panel: RecordNotesPanel = show_notes(window, record_id)
    return panel


def stored() -> list[tuple[str, str]]:
    """(record id, text) of every note, read through a second connection."""
    with UserStore.open() as second:
        return [(n.record_id, n.text) for n in second.notes()]


def bookmarked(record_id: str, archive_id: str = "bundled") -> bool:
    with UserStore.open() as second:
        return second.is_bookmarked(archive_id, record_id)


def type_text(widget, text: str) -> None:
    """Any text, Cyrillic included (qtbot.keyClicks aborts on non-ASCII)."""
    for ch in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
        )


def notebook_cells(window: MainWindow) -> list[list[str]]:
    model = notes_of(window).notebook.model
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def open_notebook(window: MainWindow) -> None:
    window.tabs.setCurrentWidget(notes_of(window).notebook)


# ----------------------------------------------------------------------------- bookmarks


def test_ctrl_d_toggles_the_bookmark_and_the_star_and_notebook_follow(
    qtbot, window: MainWindow
) -> None:
    panel = show(window, SEECKT)
    assert panel.star_button.text() == STAR_OFF
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    table = window.current_entity_tab().table_view
    table.setFocus()

    QTest.keyClick(table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert bookmarked(SEECKT)
    assert panel.star_button.text() == STAR_ON
    assert "remove" in panel.star_button.toolTip().lower()
    assert notes_of(window).bookmark_action.isChecked()
    open_notebook(window)
    assert [row[:3] for row in notebook_cells(window)] == [[STAR_ON, "Hans von Seeckt", "Person"]]

    window.open_record(SEECKT)
    panel.editor.setFocus()  # also while writing a note
    QTest.keyClick(panel.editor, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not bookmarked(SEECKT)
    assert panel.editor.toPlainText() == ""
    assert panel.star_button.text() == STAR_OFF
    open_notebook(window)
    assert notebook_cells(window) == []


def test_star_button_and_context_menu_toggle_and_the_star_shows_the_stored_state(
    qtbot, window: MainWindow
) -> None:
    with UserStore.open() as second:
        second.toggle_bookmark("bundled", LIPETSK)  # bookmarked elsewhere, before it is shown
    panel = show(window, LIPETSK)
    assert panel.star_button.text() == STAR_ON

    qtbot.mouseClick(panel.star_button, Qt.MouseButton.LeftButton)
    assert not bookmarked(LIPETSK)
    assert panel.star_button.text() == STAR_OFF

    menu = QMenu(window)
    window.entity_tabs["site"].fill_context_menu(menu, LIPETSK)
    action = next(a for a in menu.actions() if "Bookmark" in a.text())
    assert "Remove" not in action.text()
    action.trigger()
    assert bookmarked(LIPETSK)
    assert panel.star_button.text() == STAR_ON


# ----------------------------------------------------------------------------- saving notes


def test_a_typed_note_is_saved_within_a_second(qtbot, window: MainWindow) -> None:
    panel = show(window, SEECKT)
    qtbot.keyClicks(panel.editor, "Reichswehr chief, 1920-1926")
    assert panel.status_label.text() == "Saving…"
    qtbot.waitUntil(lambda: stored() == [(SEECKT, "Reichswehr chief, 1920-1926")], timeout=1500)
    assert panel.status_label.text().startswith("Saved ")


def test_cyrillic_typed_into_a_note_is_saved(qtbot, window: MainWindow) -> None:
    panel = show(window, SEECKT)
    type_text(panel.editor, "Зект — Ёлкин")
    qtbot.waitUntil(lambda: stored() == [(SEECKT, "Зект — Ёлкин")], timeout=1500)


def test_switching_record_saves_at_once(qtbot, window: MainWindow) -> None:
    panel = show(window, SEECKT)
    qtbot.keyClicks(panel.editor, "first")
    assert panel.save_pending and stored() == []
    window.open_record(LIPETSK)  # another tab: the pending note is still written at once
    assert stored() == [(SEECKT, "first")]

    panel = show(window, SEECKT)
    assert panel.editor.toPlainText() == "first"
    qtbot.keyClicks(panel.editor, " and more")
    show(window, "person/tukhachevsky")  # the same pane moves to another record
    assert stored() == [(SEECKT, "first and more")]
    assert panel.editor.toPlainText() == ""


def test_leaving_the_tab_saves_at_once(qtbot, window: MainWindow) -> None:
    panel = show(window, SEECKT)
    qtbot.keyClicks(panel.editor, "then the Notebook")
    assert panel.save_pending
    open_notebook(window)
    assert stored() == [(SEECKT, "then the Notebook")]
    assert not panel.save_pending


def test_closing_the_window_saves_at_once(qtbot, window_on, archive: Archive) -> None:
    window = window_on(archive)
    panel = show(window, SEECKT)
    qtbot.keyClicks(panel.editor, "written just before closing")
    window.close()
    assert stored() == [(SEECKT, "written just before closing")]


def test_several_notes_on_one_record_new_and_delete(qtbot, window: MainWindow) -> None:
    panel = show(window, SEECKT)
    qtbot.keyClicks(panel.editor, "one")
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    assert panel.editor.toPlainText() == ""
    qtbot.keyClicks(panel.editor, "two")
    assert panel.flush()
    assert sorted(stored()) == [(SEECKT, "one"), (SEECKT, "two")]
    assert panel.note_list.count() == 2 and panel.heading.text() == "Notes (2)"

    panel.note_list.setCurrentRow(0)
    assert panel.editor.toPlainText() == "one"
    panel.delete_note(confirm=False)
    assert stored() == [(SEECKT, "two")]
    assert panel.editor.toPlainText() == "two"


def test_ctrl_z_after_three_words_removes_one_word_not_the_note(qtbot, window: MainWindow) -> None:
    panel = show(window, SEECKT)
    panel.editor.setFocus()
    qtbot.keyClicks(panel.editor, "Reichswehr chief Seeckt")
    assert panel.flush()  # a save in between must not merge the steps either
    QTest.keyClick(panel.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.editor.toPlainText() == "Reichswehr chief"
    QTest.keyClick(panel.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.editor.toPlainText() == "Reichswehr"
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(panel.editor, Qt.Key.Key_Z, redo)
    assert panel.editor.toPlainText() == "Reichswehr chief"
    qtbot.waitUntil(lambda: stored() == [(SEECKT, "Reichswehr chief")], timeout=2000)


def test_a_pause_in_typing_ends_an_undo_step(qtbot, window: MainWindow) -> None:
    panel = show(window, SEECKT)
    type_text(panel.editor, "Зект")
    qtbot.wait(UNDO_PAUSE_MS + 100)
    type_text(panel.editor, "Ёлкин")  # no space: only the pause separates the steps
    QTest.keyClick(panel.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.editor.toPlainText() == "Зект"


def choose_from_history(qtbot, panel: RecordNotesPanel, words: str) -> list[str]:
    """Open the History menu as a user does (a click on the button) and choose the entry
    showing `words` with the keyboard; returns the entries the menu listed."""
    listed: list[str] = []

    def choose() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        listed.extend(action.text() for action in menu.actions())
        wanted = next(a for a in menu.actions() if words in a.text())
        while menu.activeAction() is not wanted:
            QTest.keyClick(menu, Qt.Key.Key_Down)
        QTest.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(100, choose)
    qtbot.mouseClick(panel.history_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=2000)
    return listed


@OFFSCREEN_POPUP
def test_a_version_is_restored_from_the_history_menu(qtbot, window: MainWindow) -> None:
    panel = show(window, SEECKT)
    assert not panel.history_button.isEnabled()  # nothing stored yet
    qtbot.keyClicks(panel.editor, "first draft of the note")
    assert panel.flush()
    panel.editor.selectAll()
    qtbot.keyClicks(panel.editor, "replaced by mistake")
    assert panel.flush()
    assert panel.history_button.isEnabled()

    listed = choose_from_history(qtbot, panel, "first draft")
    assert len(listed) == 1 and "first draft of the note" in listed[0]
    assert panel.editor.toPlainText() == "first draft of the note"
    assert stored() == [(SEECKT, "first draft of the note")] and not panel.dirty

    listed = choose_from_history(qtbot, panel, "replaced by mistake")  # the restore is undone
    assert [entry.split(" — ")[1] for entry in listed] == [
        "replaced by mistake",  # kept by the restore
        "first draft of the note",
    ]
    assert stored() == [(SEECKT, "replaced by mistake")]
    QTest.keyClick(panel.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.editor.toPlainText() == "first draft of the note"  # and undoable as an edit


@OFFSCREEN_BOX
def test_an_emptied_note_asks_and_keep_the_note_puts_its_text_back(
    qtbot, window: MainWindow
) -> None:
    panel = show(window, SEECKT)
    panel.editor.setFocus()
    qtbot.keyClicks(panel.editor, "Chief of the Reichswehr")
    assert panel.flush()
    QTest.keyClick(panel.editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(panel.editor, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: panel.asking_about_empty, timeout=2000)
    assert stored() == [(SEECKT, "Chief of the Reichswehr")]  # not emptied unasked
    qtbot.mouseClick(panel.emptied_button(KEEP_NOTE), Qt.MouseButton.LeftButton)
    assert not panel.asking_about_empty
    assert panel.editor.toPlainText() == "Chief of the Reichswehr" and not panel.dirty
    assert stored() == [(SEECKT, "Chief of the Reichswehr")]

    qtbot.wait(100)  # the box's window has gone and given the focus back
    panel.editor.setFocus()
    QTest.keyClick(panel.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.editor.toPlainText() == ""  # emptied again by undo: asked again
    qtbot.waitUntil(lambda: panel.asking_about_empty, timeout=2000)
    window.open_record(LIPETSK)  # leaving before answering keeps the note
    assert not panel.asking_about_empty
    assert stored() == [(SEECKT, "Chief of the Reichswehr")]
    assert show(window, SEECKT).editor.toPlainText() == "Chief of the Reichswehr"


@OFFSCREEN_BOX
def test_an_emptied_note_asks_and_delete_the_note_deletes_it(qtbot, window: MainWindow) -> None:
    panel = show(window, SEECKT)
    panel.editor.setFocus()
    qtbot.keyClicks(panel.editor, "wrong record")
    assert panel.flush()
    note_id = panel.note_id
    for _ in "wrong record":
        QTest.keyClick(panel.editor, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: panel.asking_about_empty, timeout=2500)
    qtbot.mouseClick(panel.emptied_button(DELETE_NOTE), Qt.MouseButton.LeftButton)
    assert stored() == [] and panel.note_id is None
    with UserStore.open() as second:
        assert second.versions(note_id) == []


def test_a_new_note_left_empty_is_not_stored(qtbot, window: MainWindow) -> None:
    panel = show(window, SEECKT)
    panel.new_note()
    assert panel.flush()
    window.open_record(LIPETSK)
    assert stored() == []


# ----------------------------------------------------------------------------- persistence


def test_notes_and_bookmarks_survive_a_restart_and_a_rebuild(
    qtbot, window_on, archive: Archive, tmp_path: Path
) -> None:
    first = window_on(archive)
    panel = show(first, SEECKT)
    qtbot.keyClicks(panel.editor, "kept across restarts")
    notes_of(first).toggle_bookmark(SEECKT)
    first.close()

    second = window_on(archive)  # a restart: new window, same user folder
    panel = show(second, SEECKT)
    assert panel.editor.toPlainText() == "kept across restarts"
    assert panel.star_button.text() == STAR_ON
    second.close()

    rebuilt_path = tmp_path / "rebuilt.db"
    build_archive(REPO / "data", rebuilt_path, archive_id="bundled", title="Rebuilt")
    with Archive.open(rebuilt_path) as rebuilt:
        third = window_on(rebuilt)
        panel = show(third, SEECKT)
        assert panel.editor.toPlainText() == "kept across restarts"
        assert panel.star_button.text() == STAR_ON
        open_notebook(third)
        assert notebook_cells(third)[0][:4] == [
            STAR_ON,
            "Hans von Seeckt",
            "Person",
            "kept across restarts",
        ]
        third.close()


def test_opening_another_archive_follows_it(qtbot, window: MainWindow, tmp_path: Path) -> None:
    show(window, SEECKT).editor.setPlainText("on the bundled archive")
    other_path = tmp_path / "other.db"
    build_archive(REPO / "data", other_path, archive_id="other-copy", title="Other copy")
    other = Archive.open(other_path)
    window.set_archive(other)
    qtbot.waitUntil(lambda: all(t.model.loaded for t in window.entity_tabs.values()))
    assert stored() == [(SEECKT, "on the bundled archive")]  # saved before the switch

    panel = show(window, SEECKT)  # the new tab has a notes panel, on the other archive
    assert panel.editor.toPlainText() == ""
    qtbot.keyClicks(panel.editor, "on the copy")
    assert panel.flush()
    with UserStore.open() as second:
        assert [n.text for n in second.notes("other-copy")] == ["on the copy"]
        assert [n.text for n in second.notes("bundled")] == ["on the bundled archive"]
        assert other_path.resolve().as_posix() in [p for p, _, _ in second.recent_archives()]
    window.close()
    other.close()


def test_the_window_remembers_the_archive_it_opened(
    window: MainWindow, built_archive: Path
) -> None:
    with UserStore.open() as second:
        recent = second.recent_archives()
    assert recent[0][0] == str(built_archive.resolve())
    assert recent[0][1] == "bundled"
    assert recent[0][2] == window.archive.title


# ----------------------------------------------------------------------------- plain text


HTML_NOTE = "<b>x</b><script>alert(1)</script>"


def test_html_in_a_note_is_shown_literally_everywhere(qtbot, window: MainWindow) -> None:
    panel = show(window, SEECKT)
    qtbot.keyClicks(panel.editor, HTML_NOTE)
    assert panel.flush()
    assert stored() == [(SEECKT, HTML_NOTE)]
    assert panel.editor.toPlainText() == HTML_NOTE
    assert panel.editor.document().toPlainText() == HTML_NOTE  # no markup was interpreted
    panel.new_note()  # two notes: the list shows the first one's line
    assert panel.note_list.item(0).text().startswith(HTML_NOTE)

    open_notebook(window)
    model = notes_of(window).notebook.model
    assert model.data(model.index(0, NotebookModel.NOTE)) == HTML_NOTE
    tooltip = model.data(model.index(0, NotebookModel.NOTE), Qt.ItemDataRole.ToolTipRole)
    assert "<script>" not in tooltip and "&lt;script&gt;" in tooltip

    field = window.search_field
    field.setText("alert")
    with qtbot.waitSignal(field.results_ready, timeout=5000):
        field.search_now()
    items = field.popup.model.items
    note_rows = [i for i, item in enumerate(items) if item.group == "Notes" and item.record_id]
    assert [items[i].record_id for i in note_rows] == [SEECKT]
    shown_html = field.popup.model.data(
        field.popup.model.index(note_rows[0], 0), ResultListModel.HTML_ROLE
    )
    assert "<script>" not in shown_html and "&lt;script&gt;" in shown_html
    assert "&lt;b&gt;x&lt;/b&gt;" in shown_html


def test_note_hits_open_their_record_from_the_global_search(qtbot, window: MainWindow) -> None:
    with UserStore.open() as second:
        second.add_note("bundled", LIPETSK, "Ask the Lipetsk regional archive about the flyers")
    field = window.search_field
    field.setText("regional flyers")
    with qtbot.waitSignal(field.results_ready, timeout=5000):
        field.search_now()
    headers = [i.title for i in field.popup.model.items if i.kind == "header"]
    assert "Notes" in headers
    hit = next(i for i in field.results if i.group == "Notes")
    field.popup.activated.emit(hit)
    assert window.current_entity_tab().detail.record_id == LIPETSK


def test_note_snippet_centres_on_the_match() -> None:
    text = "x " * 200 + "Kazan tank school" + " y" * 200
    snippet = note_snippet(text, "kazan")
    assert "Kazan tank school" in snippet and snippet.startswith("…")
    assert note_snippet("short note", "absent") == "short note"


# ----------------------------------------------------------------------------- failures


def read_only_store(path: Path) -> UserStore:
    """The same notes file opened read-only: every write fails as in a read-only folder."""
    connection = sqlite3.connect(
        path.resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None
    )
    return UserStore(path, connection, None)


def test_a_failed_save_keeps_the_text_tells_the_user_and_retries(
    qtbot, window: MainWindow, private_user_folder: Path
) -> None:
    controller = notes_of(window)
    writable = controller.store
    assert writable is not None
    controller.store = read_only_store(private_user_folder / STORE_FILE_NAME)
    panel = show(window, SEECKT)
    qtbot.keyClicks(panel.editor, "not lost")
    qtbot.waitUntil(lambda: "not writable" in panel.status_label.text(), timeout=1500)
    assert panel.editor.toPlainText() == "not lost"
    assert "not writable" in window.statusBar().currentMessage()
    colour = panel.status_label.palette().color(QPalette.ColorRole.WindowText)
    assert colour.red() > colour.green() + 60 and colour.red() > colour.blue() + 60
    assert stored() == []

    window.open_record(LIPETSK)  # leaving the record does not lose the unsaved text
    panel = show(window, "person/tukhachevsky")
    panel = show(window, SEECKT)
    assert panel.editor.toPlainText() == "not lost" and panel.dirty

    controller.store = writable  # the folder is writable again: the next keystroke saves
    qtbot.keyClicks(panel.editor, "!")
    qtbot.waitUntil(lambda: stored() == [(SEECKT, "not lost!")], timeout=1500)
    assert panel.status_label.text().startswith("Saved ")


def test_an_unopenable_store_turns_notes_off_but_the_window_browses(
    qtbot, window_on, archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ARCHIVE_BROWSER_DATA_DIR", str(blocker / "user-data"))
    window = window_on(archive)
    controller = notes_of(window)
    assert controller.store is None and controller.disabled_reason
    assert "off" in window.statusBar().currentMessage()
    panel = show(window, SEECKT)  # still browses
    assert window.current_entity_tab().detail.record_id == SEECKT
    assert panel.disabled_label.isVisible() and "off" in panel.disabled_label.text()
    assert not panel.editor.isEnabled() and not panel.star_button.isEnabled()
    assert not controller.bookmark_action.isEnabled()
    assert not controller.export_csv_action.isEnabled()
    assert controller.export_csl_action.isEnabled()
    window.close()


@OFFSCREEN_BOX
def test_a_recovered_store_is_announced_once(
    qtbot, window_on, archive: Archive, private_user_folder: Path
) -> None:
    private_user_folder.mkdir(parents=True, exist_ok=True)
    (private_user_folder / STORE_FILE_NAME).write_bytes(b"this is not a database" * 100)
    window = window_on(archive)
    controller = notes_of(window)
    qtbot.waitUntil(lambda: controller.recovery_box is not None, timeout=2000)
    assert controller.recovery_box.isVisible() and not controller.recovery_box.isModal()
    assert "damaged" in controller.recovery_box.text()
    assert "damaged" in window.statusBar().currentMessage()
    controller.recovery_box.close()
    window.close()

    again = window_on(archive)  # the fresh store is healthy: no second message
    qtbot.wait(50)
    assert notes_of(again).recovery_box is None
    again.close()


# ----------------------------------------------------------------------------- notebook


def fill_store() -> None:
    with UserStore.open() as second:
        second.add_note("bundled", SEECKT, "Chief of the Reichswehr\nsecond line")
        second.add_note("bundled", LIPETSK, "Flying school, Kama is elsewhere")
        second.toggle_bookmark("bundled", "site/kazan")
        second.toggle_bookmark("bundled", SEECKT)
        second.add_note("another-archive", SEECKT, "not in this archive's notebook")


def test_notebook_lists_notes_and_bookmarks_and_filters(qtbot, window: MainWindow) -> None:
    fill_store()
    open_notebook(window)
    notebook = notes_of(window).notebook
    titles = sorted(row[NotebookModel.TITLE] for row in notebook_cells(window))
    assert titles == sorted(window.archive.title_of(r) for r in (SEECKT, LIPETSK, "site/kazan"))
    notes = {row[NotebookModel.NOTE] for row in notebook_cells(window)}
    assert notes == {
        f"Chief of the Reichswehr{LINE_MARK}second line",  # every line, not just the first
        "Flying school, Kama is elsewhere",
        "(bookmark)",
    }

    qtbot.keyClicks(notebook.filter_edit, "reichswehr")
    notebook.apply_filter()
    assert [row[NotebookModel.TITLE] for row in notebook_cells(window)] == ["Hans von Seeckt"]
    notebook.filter_edit.clear()
    type_text(notebook.filter_edit, "КАМА")  # no match: Cyrillic is not Latin
    notebook.apply_filter()
    assert notebook_cells(window) == []
    notebook.filter_edit.clear()
    notebook.apply_filter()
    assert len(notebook_cells(window)) == 3


def test_ctrl_enter_in_the_notebook_opens_the_record_and_its_note(
    qtbot, window: MainWindow
) -> None:
    fill_store()
    with UserStore.open() as second:
        older = second.add_note("bundled", SEECKT, "an older thought")
        second.update_note(second.notes("bundled", SEECKT)[0].id, "Chief, edited last")
    open_notebook(window)
    notebook = notes_of(window).notebook
    qtbot.keyClicks(notebook.filter_edit, "older thought")
    notebook.apply_filter()
    notebook.table_view.setFocus()
    notebook.table_view.setCurrentIndex(notebook.model.index(0, 0))
    QTest.keyClick(notebook.table_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.current_entity_tab().detail.record_id == SEECKT
    panel = notes_of(window).panel_for(SEECKT)
    assert panel.note_id == older.id and panel.editor.toPlainText() == "an older thought"


def select_notebook_row(window: MainWindow, record_id: str) -> int:
    notebook = notes_of(window).notebook
    row = next(
        r
        for r in range(notebook.model.rowCount())
        if notebook.model.row_at(r).record_id == record_id
    )
    notebook.table_view.setFocus()
    notebook.table_view.setCurrentIndex(notebook.model.index(row, NotebookModel.NOTE))
    return row


def test_the_notebook_shows_the_whole_note_and_edits_it_in_place(qtbot, window: MainWindow) -> None:
    fill_store()
    tab_panel = show(window, SEECKT)
    open_notebook(window)
    notebook = notes_of(window).notebook
    panel = notebook.note_panel
    select_notebook_row(window, SEECKT)
    assert panel.isVisible() and panel.record_id == SEECKT
    assert panel.editor.toPlainText() == "Chief of the Reichswehr\nsecond line"
    assert "Hans von Seeckt" in notebook.detail_title.text()

    QTest.keyClick(notebook.table_view, Qt.Key.Key_Return)  # Enter: edit in place
    assert panel.editor.hasFocus()
    qtbot.keyClicks(panel.editor, " and more")
    assert window.tabs.currentWidget() is notebook  # still in the Notebook
    want = "Chief of the Reichswehr\nsecond line and more"
    qtbot.waitUntil(lambda: (SEECKT, want) in stored(), timeout=2000)
    qtbot.keyClicks(panel.editor, ", typed on after the save")  # the reload did not disturb
    assert panel.flush()
    want += ", typed on after the save"
    assert (SEECKT, want) in stored() and len(stored()) == 3
    row = notebook.model.row_at(notebook.table_view.currentIndex().row())
    assert row.record_id == SEECKT and row.text == want  # the table followed, same row
    with UserStore.open() as second:  # saved the same way as in the detail pane: versions
        assert [v.text for v in second.versions(panel.note_id)] == [
            "Chief of the Reichswehr\nsecond line"
        ]
    assert tab_panel.editor.toPlainText() == want  # the record's own pane shows it too


def test_double_click_in_the_notebook_edits_a_bookmark_row_as_a_new_note(
    qtbot, window: MainWindow
) -> None:
    fill_store()
    open_notebook(window)
    notebook = notes_of(window).notebook
    row = select_notebook_row(window, "site/kazan")  # a bookmark without a note
    rect = notebook.table_view.visualRect(notebook.model.index(row, NotebookModel.NOTE))
    viewport = notebook.table_view.viewport()
    # A real double-click: QTest's double-click event alone lacks the press before it.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert notebook.note_panel.editor.hasFocus()
    type_text(notebook.note_panel.editor, "Казань: the tank school")
    assert notebook.note_panel.flush()
    assert ("site/kazan", "Казань: the tank school") in stored()
    notebook_row = notebook.model.row_at(notebook.table_view.currentIndex().row())
    assert notebook_row.record_id == "site/kazan" and notebook_row.note_id is not None


def test_notebook_model_passes_qtmodeltester(qtmodeltester, window: MainWindow) -> None:
    fill_store()
    open_notebook(window)
    model = notes_of(window).notebook.model
    assert model.rowCount() == 3
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    model.set_filter("kazan")
    qtmodeltester.check(model)


def test_notebook_model_sorts_and_shows_missing_records() -> None:
    rows = [
        NotebookRow("person/a", "Alpha", "Person", 1, "zeta", "2026-01-02T00:00:00.000Z", False),
        NotebookRow("person/gone", "", "Person", 2, "alpha", "2026-01-03T00:00:00.000Z", True),
    ]
    model = NotebookModel()
    model.set_rows(rows)
    assert model.data(model.index(0, NotebookModel.TITLE)) == "person/gone (not in this archive)"
    model.sort(NotebookModel.NOTE, Qt.SortOrder.AscendingOrder)
    assert [model.data(model.index(r, NotebookModel.NOTE)) for r in range(2)] == ["alpha", "zeta"]
    model.sort(NotebookModel.TITLE, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, NotebookModel.TITLE)) == "Alpha"


# ----------------------------------------------------------------------------- exports


def test_file_menu_exports(qtbot, window: MainWindow, tmp_path: Path) -> None:
    controller = notes_of(window)
    texts = [a.text() for a in window.file_menu.actions()]
    assert "Export Notes and Bookmarks as &CSV…" in texts
    assert "Export &Sources as CSL-JSON…" in texts
    panel = show(window, SEECKT)
    qtbot.keyClicks(panel.editor, "=1+1 exported, unsaved until the export")
    controller.toggle_bookmark(LIPETSK)

    assert controller.export_notes_csv(tmp_path / "notes.csv")
    with (tmp_path / "notes.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["record_id"]: r["note"] for r in rows} == {
        SEECKT: "'=1+1 exported, unsaved until the export",
        LIPETSK: "",
    }
    assert "notes.csv" in window.statusBar().currentMessage()

    assert controller.export_notes_markdown(tmp_path / "notes.md")
    markdown = (tmp_path / "notes.md").read_text(encoding="utf-8")
    assert "Hans von Seeckt" in markdown and "Lipetsk" in markdown

    assert controller.export_sources_csl_json(tmp_path / "sources.json")
    items = json.loads((tmp_path / "sources.json").read_text(encoding="utf-8"))
    # Archives and collections are their documents' `archive`, not items (issue 23).
    documents = [
        row for row in window.archive.all_rows("source") if row["kind"] not in HOLDING_KINDS
    ]
    assert len(items) == len(documents) and items[0]["id"].startswith("source/")


@OFFSCREEN_BOX
def test_a_failed_export_tells_the_user(window: MainWindow, tmp_path: Path) -> None:
    controller = notes_of(window)
    target = tmp_path / "no-such-folder" / "notes.csv"
    assert not controller.export_notes_csv(target)
    assert "Cannot write" in controller.last_message
    assert "Cannot write" in window.statusBar().currentMessage()
    assert not target.exists()
