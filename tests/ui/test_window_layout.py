"""The window as a day's work meets it (issue 18): room to read on a small screen, splitters
that survive a restart, a history of every record shown, and a keyboard that flows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from archive_browser.core.archive import Archive
from archive_browser.ui.app import create_window, make_settings
from archive_browser.ui.features.notes import NotesController
from archive_browser.ui.hooks import hooks_of
from archive_browser.ui.widgets.main_window import (
    FRAME_ALLOWANCE,
    NOTES_SHORTCUT,
    MainWindow,
)
from helpers.windows import wait_loaded

SMALL_SCREEN = (1024, 700)
LINES_TO_READ = 15


def open_window(qtbot, archive: Archive) -> MainWindow:
    window = create_window(archive, make_settings())
    qtbot.addWidget(window)
    window.show()
    wait_loaded(qtbot, window)
    return window


def key(widget: QWidget | None, which: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    assert widget is not None
    QTest.keyClick(widget, which, modifiers)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def activate(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def click_row(qtbot, window: MainWindow, record_id: str) -> None:
    tab = window.current_entity_tab()
    assert tab is not None
    row = tab.model.row_of_record(record_id)
    assert row is not None, f"{record_id} is not listed"
    view = tab.table_view
    index = tab.model.index(row, 0)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    qtbot.waitUntil(lambda: tab.detail.record_id == record_id, timeout=3000)


# ----------------------------------------------------------------------------- room to read


def test_the_first_start_fits_the_screen(qtbot, archive: Archive) -> None:
    window = create_window(archive, make_settings())
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()
    assert window.width() + FRAME_ALLOWANCE[0] <= available.width()
    assert window.height() + FRAME_ALLOWANCE[1] <= available.height()
    assert available.contains(window.geometry())
    window.close()


def test_a_record_shows_fifteen_lines_on_every_tab_of_a_small_screen(
    qtbot, archive: Archive
) -> None:
    window = open_window(qtbot, archive)
    # The window as the first start sizes it on a 1024x700 screen.
    window.resize(SMALL_SCREEN[0] - FRAME_ALLOWANCE[0], SMALL_SCREEN[1] - FRAME_ALLOWANCE[1])
    for type_name, tab in window.entity_tabs.items():
        window.open_record(tab.model.record_id_at(0) or "")
        qtbot.waitUntil(lambda t=tab: t.detail.record_id is not None, timeout=3000)
        QApplication.processEvents()
        browser = tab.detail.browser
        line = QFontMetrics(browser.document().defaultFont()).lineSpacing()
        lines = browser.viewport().height() / line
        assert lines >= LINES_TO_READ, f"{type_name}: {lines:.1f} lines of the record"
        notes = tab.detail.sections
        assert notes.isVisible() and notes.height() > 0, f"{type_name}: the notes are hidden"
    window.close()


def test_the_record_and_notes_splitter_survives_a_restart(qtbot, archive: Archive) -> None:
    first = open_window(qtbot, archive)
    first.resize(760, 560)
    QApplication.processEvents()
    people = first.entity_tabs["person"].detail.splitter
    events = first.entity_tabs["event"].detail.splitter
    total = sum(people.sizes())
    people.setSizes([total - 150, 150])
    first.select_tab("chronology")  # a tab is laid out once shown
    QApplication.processEvents()
    events.setSizes([sum(events.sizes()), 0])  # the notes folded away to a strip
    wanted_people, wanted_events = people.sizes(), events.sizes()
    assert wanted_events[1] == 0
    first.close()

    second = open_window(qtbot, archive)
    assert second.current_entity_tab() is second.entity_tabs["event"]
    QApplication.processEvents()
    assert second.entity_tabs["event"].detail.splitter.sizes() == wanted_events
    second.select_tab("people")
    QApplication.processEvents()
    assert second.entity_tabs["person"].detail.splitter.sizes() == wanted_people
    second.close()


def test_the_notes_editor_is_reached_again_from_a_folded_strip(qtbot, window: MainWindow) -> None:
    activate(qtbot, window)
    window.open_record("person/seeckt")
    detail = window.entity_tabs["person"].detail
    detail.splitter.setSizes([sum(detail.splitter.sizes()), 0])
    window.notes_action.trigger()
    assert detail.splitter.sizes()[1] > 0
    assert focused() is hooks_of(window).feature(NotesController).panel_for("person/seeckt").editor


# ----------------------------------------------------------------------------- filter


def test_a_record_the_filter_removes_says_so(qtbot, window: MainWindow) -> None:
    window.open_record("person/seeckt")
    tab = window.entity_tabs["person"]
    assert tab.detail.hint_label.isHidden()
    tab.filter_edit.setText("Guderian")
    tab.apply_filter()
    qtbot.waitUntil(lambda: tab.model.loaded and not tab.model.busy, timeout=3000)
    assert tab.model.row_of_record("person/seeckt") is None
    assert not tab.detail.hint_label.isHidden()
    assert "not in the filtered list" in tab.detail.hint_label.text().casefold()
    tab.clear_filter()
    qtbot.waitUntil(lambda: tab.model.row_of_record("person/seeckt") is not None, timeout=3000)
    assert tab.detail.hint_label.isHidden()


# ----------------------------------------------------------------------------- history


def test_back_after_two_row_clicks_lands_on_the_first(qtbot, window: MainWindow) -> None:
    window.select_tab("people")
    click_row(qtbot, window, "person/guderian")
    click_row(qtbot, window, "person/lutz")
    click_row(qtbot, window, "person/lutz")  # re-selecting adds nothing
    window.go_back()
    assert window.current_entity_tab().detail.record_id == "person/guderian"
    window.go_forward()
    assert window.current_entity_tab().detail.record_id == "person/lutz"
    assert not window.history.can_go_forward()


def test_arrow_keys_through_a_table_leave_one_entry(qtbot, window: MainWindow) -> None:
    activate(qtbot, window)
    window.select_tab("people")
    click_row(qtbot, window, "person/guderian")
    tab = window.entity_tabs["person"]
    before = len(window.history)
    for _ in range(3):
        key(tab.table_view, Qt.Key.Key_Down)
    assert len(window.history) == before + 1
    window.go_back()
    assert tab.detail.record_id == "person/guderian"


# ----------------------------------------------------------------------------- keyboard


def test_tab_leaves_a_table(qtbot, window: MainWindow) -> None:
    activate(qtbot, window)
    tab = window.entity_tabs["person"]
    window.open_record("person/seeckt")
    tab.table_view.setFocus()
    key(tab.table_view, Qt.Key.Key_Tab)
    assert focused() is not tab.table_view
    assert tab.detail.record_id == "person/seeckt"  # Tab did not walk to another row


def test_ctrl_tab_and_ctrl_page_down_work_from_every_widget(qtbot, window: MainWindow) -> None:
    activate(qtbot, window)
    window.open_record("person/seeckt")
    people = window.entity_tabs["person"]
    editor = hooks_of(window).feature(NotesController).panel_for("person/seeckt").editor
    for widget in (people.table_view, people.filter_edit, window.search_field, editor):
        window.tabs.setCurrentWidget(people)
        widget.setFocus()
        key(widget, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
        assert window.tabs.currentIndex() == 1, type(widget).__name__
        window.tabs.setCurrentWidget(people)
        widget.setFocus()
        key(widget, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        assert window.tabs.currentIndex() == 1, type(widget).__name__
        window.tabs.setCurrentIndex(1)
        widget.setFocus()
        key(focused(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
        assert window.tabs.currentIndex() == 0
    window.tabs.setCurrentIndex(0)
    people.table_view.setFocus()
    key(
        people.table_view,
        Qt.Key.Key_Backtab,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.tabs.currentIndex() == window.tabs.count() - 1


def test_f11_toggles_full_screen(qtbot, window: MainWindow) -> None:
    activate(qtbot, window)
    key(window.entity_tabs["person"].table_view, Qt.Key.Key_F11)
    assert window.isFullScreen() and window.full_screen_action.isChecked()
    window.full_screen_action.trigger()
    assert not window.isFullScreen() and not window.full_screen_action.isChecked()


def test_the_shortcut_list_names_every_action_with_a_key(window: MainWindow) -> None:
    listed = dict(window.shortcut_list())
    for action in window.actions():
        if not action.shortcut().isEmpty():
            assert action.text().replace("&", "").rstrip("…") in listed, action.text()
    assert listed["Write a Note"] == NOTES_SHORTCUT
    assert "Ctrl+Tab" in listed["Next Tab"] and "Ctrl+PgDown" in listed["Next Tab"]
    assert listed["Full Screen"] == "F11"
    assert "Ctrl+D" in listed.values()  # the notes feature's bookmark action, through hooks


def test_a_whole_task_without_the_mouse(qtbot, window: MainWindow) -> None:
    """Find a person, open the record, bookmark it, write a note, go back: keys only."""
    activate(qtbot, window)
    notes = hooks_of(window).feature(NotesController)
    people = window.entity_tabs["person"]
    window.open_record("person/seeckt")  # where the day started
    people.table_view.setFocus()

    key(focused(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused() is people.filter_edit
    QTest.keyClicks(people.filter_edit, "Guderian")
    qtbot.waitUntil(
        lambda: people.model.filter_text == "Guderian" and not people.model.busy, timeout=3000
    )
    assert people.model.rowCount() == 1

    key(focused(), Qt.Key.Key_Down)
    assert focused() is people.table_view
    assert people.detail.record_id == "person/guderian"
    key(focused(), Qt.Key.Key_Return)
    assert focused() is people.detail.browser

    key(focused(), Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert notes.store.is_bookmarked(notes.archive_id, "person/guderian")
    assert "Bookmarked Heinz Guderian" in window.statusBar().currentMessage()

    key(focused(), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    editor = notes.panel_for("person/guderian").editor
    assert focused() is editor
    QTest.keyClicks(editor, "Kazan tank school")
    assert editor.toPlainText() == "Kazan tank school"

    key(focused(), Qt.Key.Key_Escape)
    assert focused() is people.table_view
    saved = notes.store.notes(notes.archive_id, "person/guderian")
    assert [n.text for n in saved] == ["Kazan tank school"]  # leaving the editor saved it

    key(focused(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert people.detail.record_id == "person/seeckt"


def test_the_notes_area_does_not_invite_typing_without_a_record(window: MainWindow) -> None:
    from archive_browser.ui.features.notes.note_editor import NO_RECORD_HINT

    tab = window.entity_tabs["source"]
    assert tab.detail.record_id is None
    panel = hooks_of(window).feature(NotesController).panel_for("source/rgva")
    assert panel is not None and panel.record_id is None
    assert not panel.editor.isEnabled()
    assert panel.editor.placeholderText() == NO_RECORD_HINT
    window.open_record("source/rgva")
    assert panel.editor.isEnabled()
    assert panel.editor.placeholderText() != NO_RECORD_HINT


def test_enter_on_a_row_keeps_it_in_the_history(qtbot, window: MainWindow) -> None:
    activate(qtbot, window)
    window.select_tab("people")
    click_row(qtbot, window, "person/guderian")
    tab = window.entity_tabs["person"]
    key(tab.table_view, Qt.Key.Key_Down)
    opened = tab.detail.record_id
    assert opened not in (None, "person/guderian")
    key(tab.table_view, Qt.Key.Key_Return)  # read: not a row passed over
    tab.table_view.setFocus()
    key(tab.table_view, Qt.Key.Key_Down)
    key(tab.table_view, Qt.Key.Key_Down)
    window.go_back()
    assert tab.detail.record_id == opened
    window.go_back()
    assert tab.detail.record_id == "person/guderian"


def test_every_way_of_showing_a_record_enters_the_history_once(qtbot, window: MainWindow) -> None:
    from PySide6.QtCore import QUrl

    from archive_browser.ui.features.citations import CitationsFeature
    from archive_browser.ui.features.pictures import PicturesFeature

    hooks = hooks_of(window)
    pictures = hooks.feature(PicturesFeature)
    citations = hooks.feature(CitationsFeature)
    map_view = pictures.map_of(window.entity_tabs["site"])
    timeline = pictures.timeline_of(window.entity_tabs["event"])

    def shown() -> str | None:
        tab = window.current_entity_tab()
        return tab.detail.record_id if tab is not None else None

    window.select_tab("people")
    click_row(qtbot, window, "person/seeckt")  # a row click
    linked = window.entity_tabs["person"].detail.link_targets()[0]
    window.entity_tabs["person"].detail.browser.anchorClicked.emit(QUrl(f"record:{linked}"))
    window.search_field.record_chosen.emit("person/guderian")  # a search result
    citations.tree_view.record_chosen.emit("source/rgva")  # the archive tree of citations
    map_view.site_activated.emit("site/lipetsk")  # a map click
    map_view.site_activated.emit("site/lipetsk")  # the same again: nothing new
    timeline.event_activated.emit("event/rapallo-treaty")  # a timeline click
    expected = [
        "person/seeckt",
        linked,
        "person/guderian",
        "source/rgva",
        "site/lipetsk",
        "event/rapallo-treaty",
    ]
    assert len(window.history) == len(expected)
    walked = [shown()]
    while window.history.can_go_back():
        window.go_back()
        walked.append(shown())
    assert walked == expected[::-1]


def test_the_notes_editor_grows_with_its_side_of_the_divider(qtbot, window: MainWindow) -> None:
    window.open_record("person/seeckt")
    detail = window.entity_tabs["person"].detail
    editor = hooks_of(window).feature(NotesController).panel_for("person/seeckt").editor
    QApplication.processEvents()
    before = editor.height()
    total = sum(detail.splitter.sizes())
    detail.splitter.setSizes([120, total - 120])
    QApplication.processEvents()
    assert editor.height() > before + 100
    assert editor.height() > 12 * editor.fontMetrics().lineSpacing()


def test_tab_walks_the_records_links_then_into_the_notes(qtbot, window: MainWindow) -> None:
    activate(qtbot, window)
    window.open_record("source/rgva")
    detail = window.entity_tabs["source"].detail
    editor = hooks_of(window).feature(NotesController).panel_for("source/rgva").editor
    links = len(detail.link_targets())
    assert links >= 2
    detail.browser.setFocus()
    stops = []
    for _ in range(links + 4):
        key(focused(), Qt.Key.Key_Tab)
        stops.append(focused())
        if focused() is editor:
            break
    assert stops[: links - 1] == [detail.browser] * (links - 1)  # link by link first
    assert focused() is editor, [type(w).__name__ for w in stops]
