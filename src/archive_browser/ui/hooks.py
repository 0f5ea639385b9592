"""What a feature may do with the window: the one door between `ui/features` and the window.

The composition root (`ui/app.py`) builds one `WindowHooks` per window and hands it to each
feature's `install_*` function. Features add menu actions, tabs, views, detail-pane sections,
table context-menu entries and search providers through it, react to its signals, and reach
the services they share (the user store) through it: they never set attributes on the window
or its tabs and never look each other up.

Signals:
- `record_shown(record_id)`: a record was shown in a detail pane.
- `archive_changed(archive)`: the window shows another archive; its record tabs are new and
  every `each_entity_tab` callback has already run for them.
- `contents_ready()`: the toolbar, tabs, search field and features exist.
- `current_tab_changed()`: another top-level tab is shown.
- `closing()`: the window is about to close, everything still alive (save unsaved work).

Leave guards (`add_leave_guard`): before the window closes or shows another archive, each
guard may hold it back (unsaved text whose save failed) and ask the user; it then calls
`proceed` once the user has decided to go on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal, TypeVar

from PySide6.QtCore import QEvent, QObject, QSettings, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSplitter, QWidget

if TYPE_CHECKING:
    from archive_browser.core.archive import Archive
    from archive_browser.core.store import UserStore
    from archive_browser.ui.widgets.entity_tab import EntityTab
    from archive_browser.ui.widgets.global_search import ResultItem
    from archive_browser.ui.widgets.main_window import MainWindow

MenuName = Literal["file", "edit", "view", "go", "help"]
# Where a group of menu items goes: appended, before the menu's first item, or (File menu)
# before its closing group, "Close Window" and "Quit".
MenuPlace = Literal["end", "top", "closing"]
# A menu item: an action, a submenu, or None for a separator.
MenuItem = QAction | QMenu | None
TabCallback = Callable[[str, "EntityTab"], None]
ContextMenuEntry = Callable[[QMenu, str], None]
SelectionMenuEntry = Callable[[QMenu, list[str]], None]
SearchProvider = Callable[[str], "list[ResultItem]"]
# guard(proceed) -> True: nothing holds the window back. False: the guard asks the user (not
# blocking) and calls proceed() if the user chooses to go on.
LeaveGuard = Callable[[Callable[[], object]], bool]

FeatureT = TypeVar("FeatureT")


class WindowHooks(QObject):
    """The window as features see it. Created by the composition root, one per window."""

    record_shown = Signal(str)
    archive_changed = Signal(object)
    contents_ready = Signal()
    current_tab_changed = Signal()
    closing = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName(HOOKS_OBJECT_NAME)
        self._window = window
        self._tab_callbacks: list[TabCallback] = []
        self._features: list[object] = []
        self._user_store: UserStore | None = None
        self._user_store_error: str | None = None
        self._user_store_opened = False
        self._leave_guards: list[LeaveGuard] = []
        # Set when the window closes without a user to ask (a signal: logout, shutdown).
        self.leaving_unattended = False
        # Connected before any feature connects: the tab callbacks run before features hear
        # of the new archive.
        window.archive_changed.connect(self._on_archive_changed)
        window.record_shown.connect(self.record_shown)
        window.contents_ready.connect(self.contents_ready)
        window.tabs.currentChanged.connect(lambda _index: self.current_tab_changed.emit())
        window.installEventFilter(self)

    # ---------------------------------------------------------------- the window itself

    @property
    def parent_widget(self) -> QWidget:
        """The window, as the parent of a feature's dialogs and objects (nothing else)."""
        return self._window

    @property
    def settings(self) -> QSettings:
        return self._window.settings

    @property
    def archive(self) -> Archive:
        return self._window.archive

    def set_archive(self, archive: Archive) -> None:
        """Show `archive` instead; the record tabs are rebuilt, then `archive_changed`."""
        self._window.set_archive(archive)

    def show_status(self, message: str, milliseconds: int = 5000) -> None:
        """`message` in the status bar for `milliseconds` (never for good: 0 means 5 s)."""
        self._window.statusBar().showMessage(message, milliseconds if milliseconds > 0 else 5000)

    # ---------------------------------------------------------------- menus and actions

    def menu(self, name: MenuName) -> QMenu:
        window = self._window
        menus = {
            "file": window.file_menu,
            "edit": window.edit_menu,
            "view": window.view_menu,
            "go": window.go_menu,
            "help": window.help_menu,
        }
        return menus[name]

    def add_shortcut(self, action: QAction) -> None:
        """Make `action`'s shortcut work anywhere in the window, menu bar hidden or not."""
        self._window.addAction(action)

    def add_menu_items(
        self, menu: MenuName, items: Sequence[MenuItem], where: MenuPlace = "end"
    ) -> None:
        """Put `items` (actions, submenus, None for a separator) into a menu; every action's
        shortcut works window-wide."""
        target = self.menu(menu)
        before: QAction | None = None
        existing = target.actions()
        if where == "top":
            before = existing[0] if existing else None
        elif where == "closing":
            before = self._window.close_action if self._window.close_action in existing else None
            position = existing.index(before) if before is not None else len(existing)
            if position > 0 and not existing[position - 1].isSeparator():
                items = [None, *items]
        for item in items:
            if item is None:
                if before is None:
                    target.addSeparator()
                else:
                    target.insertSeparator(before)
            elif isinstance(item, QMenu):
                if before is None:
                    target.addMenu(item)
                else:
                    target.insertMenu(before, item)
            else:
                self.add_shortcut(item)
                if before is None:
                    target.addAction(item)
                else:
                    target.insertAction(before, item)

    def add_toolbar_action(self, action: QAction) -> None:
        self.add_shortcut(action)
        self._window.toolbar.addAction(action)

    # ---------------------------------------------------------------- top-level tabs

    def add_tab(self, widget: QWidget, title: str, icon: QIcon | None = None) -> int:
        """A top-level tab after the record tabs (the Notebook); returns its index."""
        return self._window.add_tab(widget, title, icon)

    def show_tab(self, widget: QWidget) -> None:
        self._window.tabs.setCurrentWidget(widget)

    def is_current_tab(self, widget: QWidget) -> bool:
        return self._window.tabs.currentWidget() is widget

    # ---------------------------------------------------------------- record tabs

    def entity_tabs(self) -> Mapping[str, EntityTab]:
        """The record tabs by type name (`person`, …); new ones after `archive_changed`."""
        return dict(self._window.entity_tabs)

    def current_entity_tab(self) -> EntityTab | None:
        return self._window.current_entity_tab()

    def each_entity_tab(self, callback: TabCallback) -> None:
        """Call `callback(type_name, tab)` for every record tab now and for every tab the
        window builds later (another archive opened), before `archive_changed`."""
        self._tab_callbacks.append(callback)
        for type_name, tab in self._window.entity_tabs.items():
            callback(type_name, tab)

    def add_entity_view(self, tab: EntityTab, widget: QWidget, title: str) -> None:
        """Another view beside the tab's table (the table area becomes tabs)."""
        tab.add_view(widget, title)

    def show_entity_view(self, tab: EntityTab, widget: QWidget) -> None:
        self.show_tab(tab)
        tab.views.setCurrentWidget(widget)

    def set_side_widget(self, tab: EntityTab, widget: QWidget) -> None:
        tab.set_side_widget(widget)

    def put_above_table(self, tab: EntityTab, widget: QWidget) -> QSplitter:
        """`widget` above the tab's table (the timeline, the map), beside the detail pane,
        in a vertical splitter that the caller may size and remember."""
        return tab.put_above(widget)

    def add_detail_section(self, tab: EntityTab, widget: QWidget) -> None:
        """A section at the foot of the tab's detail pane (notes editor, reference bar)."""
        tab.detail.add_section(widget)

    def add_context_menu_entry(self, tab: EntityTab, entry: ContextMenuEntry) -> None:
        """`entry(menu, record_id)` adds its actions to the table's context menu."""
        tab.context_menu_actions.append(entry)

    def add_selection_menu_entry(self, tab: EntityTab, entry: SelectionMenuEntry) -> None:
        """`entry(menu, record_ids)` adds its actions to the table's context menu when
        several rows are selected (the records in table order)."""
        tab.selection_menu_actions.append(entry)

    # ---------------------------------------------------------------- search and navigation

    def add_search_provider(self, provider: SearchProvider) -> None:
        """`provider(query)` returns extra global-search results in their own group."""
        self._window.search_field.providers.append(provider)

    def open_record(self, record_id: str, add_to_history: bool = True) -> bool:
        """Show `record_id` in its tab; False (and a status message) if there is none."""
        return self._window.open_record(record_id, add_to_history=add_to_history)

    def current_record_id(self) -> str | None:
        return self._window.current_record_id()

    # ---------------------------------------------------------------- shared services

    def user_store(self) -> UserStore | None:
        """The user's notes store, opened once per window; None when it cannot be opened
        (`user_store_error` says why)."""
        if not self._user_store_opened:
            from archive_browser.core.store import GUI_BUSY_TIMEOUT_MS, UserStore, UserStoreError

            self._user_store_opened = True
            try:
                # A lock held by another program must not freeze the window: saves wait
                # briefly, fail with a sentence and are retried from a timer.
                self._user_store = UserStore.open(busy_timeout_ms=GUI_BUSY_TIMEOUT_MS)
            except UserStoreError as error:
                self._user_store_error = str(error)
        return self._user_store

    @property
    def user_store_error(self) -> str | None:
        return self._user_store_error

    def add_leave_guard(self, guard: LeaveGuard) -> None:
        """`guard(proceed)` may hold back closing the window or opening another archive."""
        self._leave_guards.append(guard)

    def may_leave(self, proceed: Callable[[], object]) -> bool:
        """True when every guard lets the window close or change archive now; otherwise a
        guard is asking the user and calls `proceed` if the user goes on."""
        return all(guard(proceed) for guard in self._leave_guards)

    def register_feature(self, feature: object) -> None:
        """Record an installed feature (its installer is then idempotent; tests find it)."""
        self._features.append(feature)

    def install_once(self, kind: type[FeatureT], make: Callable[[], FeatureT]) -> FeatureT:
        """The installed feature of class `kind`, made by `make` and registered on the first
        call: every feature's installer, so that installing twice installs once."""
        installed = self.feature(kind)
        if installed is not None:
            return installed
        feature = make()
        self.register_feature(feature)
        return feature

    def feature(self, kind: type[FeatureT]) -> FeatureT | None:
        """The installed feature of class `kind`, if any (for installers and tests)."""
        for feature in self._features:
            if isinstance(feature, kind):
                return feature
        return None

    # ---------------------------------------------------------------- internals

    def _on_archive_changed(self, archive: object) -> None:
        for type_name, tab in self._window.entity_tabs.items():
            for callback in self._tab_callbacks:
                callback(type_name, tab)
        self.archive_changed.emit(archive)

    def _close_window(self) -> None:
        self._window.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Before the window's own closeEvent: features save while everything is alive.
        if watched is self._window and event.type() == QEvent.Type.Close:
            if not self.may_leave(self._close_window):
                event.ignore()
                return True
            self.closing.emit()
        return super().eventFilter(watched, event)


HOOKS_OBJECT_NAME = "archive_browser_window_hooks"


def hooks_of(window: QWidget) -> WindowHooks | None:
    """The hooks the composition root built for `window` (tests reach features this way)."""
    return window.findChild(WindowHooks, HOOKS_OBJECT_NAME)
