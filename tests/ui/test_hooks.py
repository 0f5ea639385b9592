"""The window as features see it: menus, tabs, record tabs, signals, services, registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu

from archive_browser.core.archive import Archive
from archive_browser.ui.app import create_window, make_settings
from archive_browser.ui.features.notes import NotesController, install_notes
from archive_browser.ui.hooks import WindowHooks, hooks_of
from archive_browser.ui.widgets.main_window import MainWindow


@pytest.fixture
def window(qtbot, archive: Archive) -> Iterator[MainWindow]:
    win = create_window(archive, make_settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(
        lambda: all(t.model.loaded and not t.model.busy for t in win.entity_tabs.values()),
        timeout=10_000,
    )
    yield win
    win.close()


def hooks_for(window: MainWindow) -> WindowHooks:
    hooks = hooks_of(window)
    assert hooks is not None
    return hooks


def texts(menu: QMenu) -> list[str]:
    return [a.text() if not a.isSeparator() else "-" for a in menu.actions()]


def test_a_window_without_features_has_no_hooks(qtbot, archive: Archive) -> None:
    bare = MainWindow(archive, make_settings())
    qtbot.addWidget(bare)
    assert hooks_of(bare) is None
    assert [bare.tabs.tabText(i) for i in range(bare.tabs.count())] == [
        t.record_type.tab_title for t in bare.entity_tabs.values()
    ]  # no Notebook: the window itself knows no feature


def test_menu_items_go_to_the_top_the_end_or_before_closing(window: MainWindow) -> None:
    hooks = hooks_for(window)
    top, end, closing = (QAction(name, window) for name in ("Top", "End", "Closing"))
    hooks.add_menu_items("file", [top, None], where="top")
    hooks.add_menu_items("file", [end])
    hooks.add_menu_items("file", [closing, None], where="closing")
    items = texts(window.file_menu)
    assert items[:2] == ["Top", "-"]
    assert items[-1] == "End"
    close_at = items.index(window.close_action.text())
    assert items[close_at - 2 : close_at] == ["Closing", "-"]
    assert items[close_at - 3] == "-"  # the closing group is set off from what came before
    assert top in window.actions()  # its shortcut works with the menu bar hidden


def test_each_entity_tab_runs_for_new_tabs_before_archive_changed(
    qtbot, window: MainWindow, built_archive: Path
) -> None:
    hooks = hooks_for(window)
    seen: list[tuple[str, object]] = []
    hooks.each_entity_tab(lambda type_name, tab: seen.append((type_name, tab)))
    assert [name for name, _tab in seen] == list(window.entity_tabs)
    order: list[str] = []
    hooks.each_entity_tab(lambda _name, _tab: order.append("tab"))
    hooks.archive_changed.connect(lambda _archive: order.append("archive_changed"))
    order.clear()
    other = Archive.open(built_archive)
    try:
        window.set_archive(other)
        assert order == ["tab"] * len(window.entity_tabs) + ["archive_changed"]
        assert [tab for _name, tab in seen[-len(window.entity_tabs) :]] == list(
            window.entity_tabs.values()
        )
    finally:
        window.shutdown()
        other.close()


def test_tab_level_hooks_reach_the_record_tabs(window: MainWindow) -> None:
    hooks = hooks_for(window)
    events = hooks.entity_tabs()["event"]
    view = QLabel("extra")
    hooks.add_entity_view(events, view, "Extra view")
    hooks.show_entity_view(events, view)
    assert hooks.current_entity_tab() is events and events.views.currentWidget() is view
    calls: list[str] = []
    hooks.add_context_menu_entry(events, lambda _menu, record_id: calls.append(record_id))
    events.fill_context_menu(QMenu(), "event/rapallo-treaty")
    assert calls == ["event/rapallo-treaty"]
    tab = QLabel("a tab")
    hooks.add_tab(tab, "A tab")
    hooks.show_tab(tab)
    assert hooks.is_current_tab(tab) and hooks.current_entity_tab() is None


def test_signals_are_forwarded(qtbot, window: MainWindow) -> None:
    hooks = hooks_for(window)
    with qtbot.waitSignal(hooks.record_shown) as shown:
        assert hooks.open_record("site/lipetsk")
    assert shown.args == ["site/lipetsk"] and hooks.current_record_id() == "site/lipetsk"
    with qtbot.waitSignal(hooks.current_tab_changed):
        window.select_tab("people")
    with qtbot.waitSignal(hooks.closing):
        window.close()


def test_features_are_registered_once_and_share_one_user_store(window: MainWindow) -> None:
    hooks = hooks_for(window)
    notes = hooks.feature(NotesController)
    assert notes is not None
    assert install_notes(hooks) is notes
    assert hooks.user_store() is notes.store is not None
    assert hooks.feature(QLabel) is None
