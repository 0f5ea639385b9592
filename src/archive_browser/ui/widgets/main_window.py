"""The main window: one EntityTab per record type, global search, browser-like history.

Extension points for the next engineers:
- `archive`: the opened `Archive`; `set_archive(archive)` re-opens every tab on another one.
- `open_record(record_id, add_to_history=True)`: show a record in its tab (switching tab,
  selecting its row, clearing a filter that hides it); `record_shown(record_id)` is
  emitted whenever a record is shown in a detail pane.
- `add_tab(widget, title)`: another top-level tab (the Notebook), after the record tabs.
- `entity_tabs[type_name]` (`EntityTab`), `search_field.providers` (note hits),
  the menus `file_menu`, `edit_menu`, `view_menu`, `go_menu`, `help_menu`, and `toolbar`.
- Features see the window through `ui/hooks.py`, never this class directly; the composition
  root (`ui/app.py`) passes `install_features`, which the window calls with the tabs built
  and before it restores its settings; when the window paints its shell first
  (`contents_after_first_paint`), that is after the first paint, and `contents_ready` is
  emitted once they exist. The menus exist from the constructor on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

# Only what the shell needs is imported here (see MainWindow.__init__): the `Qt` namespace
# alone takes 20 ms to load, the icons need QtSvg, and the rest of the window imports most
# of the program. Methods that run after the first paint import what they use.
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget, QWidget

from archive_browser import __version__
from archive_browser.core.record_types import RECORD_TYPES
from archive_browser.ui.widgets.history import History

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QCloseEvent, QIcon, QPaintEvent

    from archive_browser.core.archive import Archive
    from archive_browser.ui.widgets.entity_tab import EntityTab
    from archive_browser.ui.widgets.global_search import GlobalSearchField

# Ctrl+E ("edit"): F6 moves between panes on some desktops, and Ctrl+N is "new" elsewhere.
NOTES_SHORTCUT = "Ctrl+E"
START_TAB_ENV = "ARCHIVE_BROWSER_START_TAB"
START_RECORD_ENV = "ARCHIVE_BROWSER_START_RECORD"
# `1024x700`: the window's size, at the screen's top left (the screenshots of a small screen).
WINDOW_SIZE_ENV = "ARCHIVE_BROWSER_WINDOW_SIZE"
# The size of the window on its first start, when the screen has room for it.
PREFERRED_SIZE = (1180, 740)
# The window manager's frame and title bar, which the size above does not include.
FRAME_ALLOWANCE = (16, 40)
STATUS_MS = 6000  # how long a message of the window stays in the status bar


# The keys that widgets handle themselves, listed after the actions' shortcuts.
KEYS_WITHOUT_ACTIONS = (
    ("Filter box: clear it", "Esc"),
    ("Filter box: into the table", "Down, Enter"),
    ("Table: move through the records", "Up, Down, PgUp, PgDown, Home, End"),
    ("Table: read the record (its links)", "Enter"),
    ("Table: back to the filter box", "Esc"),
    ("Leave a table or a pane", "Tab, Shift+Tab"),
    ("Record text or notes: back to the table", "Esc"),
    ("Global search: choose, open, close", "Up/Down, Enter, Esc"),
    ("Back / Forward", "mouse back/forward buttons"),
)


class MainWindow(QMainWindow):
    """The program's window. See the module docstring for the extension points."""

    record_shown = Signal(str)
    archive_changed = Signal(object)  # the new Archive, after set_archive rebuilt the tabs
    contents_ready = Signal()  # the toolbar, tabs, search field and features exist
    search_field: GlobalSearchField  # from _build_contents on

    def __init__(
        self,
        archive: Archive,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        *,
        contents_after_first_paint: bool = False,
        install_features: Callable[[MainWindow], None] | None = None,
    ) -> None:
        """The window on `archive`.

        `contents_after_first_paint` (what the program does, `run_gui`): the constructor
        builds only the shell (menus, the empty tab area, the status line saying the archive
        is opening) and the window appears at once; the toolbar, the tabs, the search field
        and the features are built right after the shell's first paint, and
        `contents_ready` is emitted then. Otherwise (tests, the self-test) all of it is
        built here.

        `install_features(window)` is called once the tabs exist, before the settings are
        restored, so that a remembered tab such as the Notebook exists by then.
        """
        super().__init__(parent)
        self.archive = archive
        self._install_features = install_features
        self.settings = settings if settings is not None else QSettings()
        self.history = History()
        self.entity_tabs: dict[str, EntityTab] = {}
        self.contents_built = False
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.setCentralWidget(self.tabs)
        self._build_actions()
        self._build_menus()
        self.count_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.count_label)
        self._update_title()
        self._update_navigation()
        # An explicit minimum size: otherwise the layout recomputes it whenever a label grows,
        # and platforms without size hints (offscreen) print a warning each time.
        self.setMinimumSize(640, 400)
        geometry = self.settings.value("window/geometry")
        # Before the first show: the window must not jump.
        if self._size_from_environment():
            pass
        elif not (
            isinstance(geometry, QByteArray)
            and not geometry.isEmpty()
            and self.restoreGeometry(geometry)
        ):
            self.fit_to_screen()
        self._contents_pending = contents_after_first_paint
        if contents_after_first_paint:
            self.statusBar().showMessage(f"Opening {self.archive.title}…")
        else:
            self._build_contents()

    def _size_from_environment(self) -> bool:
        width, _, height = os.environ.get(WINDOW_SIZE_ENV, "").partition("x")
        if not (width.isdigit() and height.isdigit()):
            return False
        self.resize(int(width), int(height))
        self.move(0, 0)
        return True

    def fit_to_screen(self) -> None:
        """The first start: PREFERRED_SIZE, or less, so that the window with its frame fits
        the screen's available area (a 1024x700 screen), centred on it."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            self.resize(*PREFERRED_SIZE)
            return
        available = screen.availableGeometry()
        width = min(PREFERRED_SIZE[0], available.width() - FRAME_ALLOWANCE[0])
        height = min(PREFERRED_SIZE[1], available.height() - FRAME_ALLOWANCE[1])
        width = max(width, self.minimumWidth())
        height = max(height, self.minimumHeight())
        self.resize(width, height)
        self.move(
            available.x() + max(0, (available.width() - width) // 2),
            available.y() + max(0, (available.height() - height - FRAME_ALLOWANCE[1]) // 2),
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._contents_pending:
            self._contents_pending = False
            # After this paint has reached the screen, not inside it.
            QTimer.singleShot(0, self._build_contents)

    def _build_contents(self) -> None:
        from archive_browser.ui.widgets.global_search import GlobalSearchField
        from archive_browser.ui.widgets.mouse_buttons import BackForwardButtons

        self._contents_pending = False
        if self.contents_built:
            return
        self._tint_icons()
        self.search_field = GlobalSearchField(self.archive, self)
        self.search_field.record_chosen.connect(self.open_record)
        self.search_field.escape_pressed.connect(self._focus_current_tab)
        self._build_toolbar()
        self._create_entity_tabs()
        self._mouse_buttons = BackForwardButtons(self, self.go_back, self.go_forward)
        app = QApplication.instance()
        assert app is not None  # a window exists only inside an application
        app.installEventFilter(self._mouse_buttons)
        self.statusBar().clearMessage()  # "Opening…"; before the features say their own
        if self._install_features is not None:
            self._install_features(self)
        self.contents_built = True
        self._restore_settings()
        self.contents_ready.emit()

    # ---------------------------------------------------------------- building

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcuts: QKeySequence.StandardKey | Sequence[str] | None = None,
        icon: str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if icon:
            self._action_icons.append((action, icon))  # drawn in _build_contents
        if shortcuts is not None:
            if isinstance(shortcuts, QKeySequence.StandardKey):
                action.setShortcuts(shortcuts)
            else:
                action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _build_actions(self) -> None:
        self._action_icons: list[tuple[QAction, str]] = []
        self.back_action = self._action(
            "&Back", self.go_back, QKeySequence.StandardKey.Back, "back", "Show the previous record"
        )
        self.forward_action = self._action(
            "&Forward",
            self.go_forward,
            QKeySequence.StandardKey.Forward,
            "forward",
            "Show the next record",
        )
        self.search_action = self._action(
            "&Search Everything…",
            self.focus_search,
            ["Ctrl+K"],
            "search",
            "Search every record type at once",
        )
        self.find_action = self._action(
            "&Filter This Tab",
            self.find_in_window,
            QKeySequence.StandardKey.Find,
            tip="Move to the current tab's filter box (the global search on other tabs)",
        )
        self.filter_action = self.find_action  # the name it had when Ctrl+Shift+F was its key
        self.notes_action = self._action(
            "Write a &Note",
            self.focus_notes,
            [NOTES_SHORTCUT],
            tip="Move into the notes editor of the shown record (Esc goes back to the table)",
        )
        self.next_tab_action = self._action(
            "&Next Tab", lambda: self._step_tab(1), ["Ctrl+Tab", "Ctrl+PgDown"]
        )
        self.previous_tab_action = self._action(
            "&Previous Tab",
            lambda: self._step_tab(-1),
            ["Ctrl+Shift+Tab", "Ctrl+Shift+Backtab", "Ctrl+PgUp"],
        )
        # From every widget: a table, a text field or an editor would take Ctrl+Tab itself.
        for action in (self.next_tab_action, self.previous_tab_action):
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.full_screen_action = self._action(
            "F&ull Screen",
            self.toggle_full_screen,
            ["F11"],
            tip="Fill the screen (F11 again: back)",
        )
        self.full_screen_action.setCheckable(True)
        self.close_action = self._action(
            "&Close Window", self.close, QKeySequence.StandardKey.Close
        )
        self.quit_action = self._action("&Quit", self.quit, QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.tab_actions: list[QAction] = []

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.file_menu.addAction(self.close_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = bar.addMenu("&Edit")
        self.edit_menu.addAction(self.search_action)
        self.edit_menu.addAction(self.find_action)
        self.edit_menu.addAction(self.notes_action)
        self.view_menu = bar.addMenu("&View")
        self.view_menu.addAction(self.full_screen_action)
        self.view_menu.addAction(self.next_tab_action)
        self.view_menu.addAction(self.previous_tab_action)
        self.view_menu.addSeparator()
        self.go_menu = bar.addMenu("&Go")
        self.go_menu.addAction(self.back_action)
        self.go_menu.addAction(self.forward_action)
        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(self._action("&Keyboard Shortcuts", self.show_shortcuts))
        about = self._action("&About Archive Browser", self.show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        self.help_menu.addAction(about)

    def _build_toolbar(self) -> None:
        from PySide6.QtWidgets import QSizePolicy, QToolBar

        self.toolbar = QToolBar("Navigation", self)
        self.toolbar.setObjectName("navigation")
        self.toolbar.setMovable(False)  # icons only: QToolBar's default style
        self.toolbar.addAction(self.back_action)
        self.toolbar.addAction(self.forward_action)
        self.back_action.setToolTip("Back (Alt+Left)")
        self.forward_action.setToolTip("Forward (Alt+Right)")
        spacer = QWidget(self.toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.toolbar.addWidget(self.search_field)
        self.addToolBar(self.toolbar)
        self.view_menu.addAction(self.toolbar.toggleViewAction())
        self.view_menu.addSeparator()
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def _tint_icons(self) -> None:
        """Draw the window's icons in the palette's text colour (light on a dark desktop)."""
        from archive_browser.ui.widgets import style

        self.setWindowIcon(style.icon("app"))
        for action, icon in self._action_icons:
            action.setIcon(style.icon(icon))
        for type_name, tab in self.entity_tabs.items():
            self.tabs.setTabIcon(self.tabs.indexOf(tab), style.type_icon(type_name))
        if self.contents_built:
            self.search_field.tint_icon()

    def changeEvent(self, event: QEvent) -> None:
        # The desktop switched between light and dark (or the user's override did): Qt has
        # changed the palette; the icons were tinted for the old one.
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and self.contents_built:
            self._tint_icons()

    def _create_entity_tabs(self) -> None:
        from archive_browser.ui.widgets import style
        from archive_browser.ui.widgets.entity_tab import EntityTab

        for position, (type_name, record_type) in enumerate(RECORD_TYPES.items()):
            tab = EntityTab(self.archive, record_type, self.tabs)
            tab.record_selected.connect(
                lambda record_id, t=tab: self._open_selected_row(t, record_id)
            )
            tab.record_opened.connect(self._keep_in_history)
            tab.link_activated.connect(self.open_record)
            tab.counts_changed.connect(lambda *_args, t=tab: self._on_counts(t))
            # A tab's query failing (a damaged archive) is said, never an empty table alone.
            tab.model.query_failed.connect(
                lambda message, t=tab: self.statusBar().showMessage(
                    f"{t.record_type.tab_title}: {message}", 15000
                )
            )
            self.tabs.insertTab(position, tab, style.type_icon(type_name), record_type.tab_title)
            self.entity_tabs[type_name] = tab
        self._rebuild_tab_actions()

    def _rebuild_tab_actions(self) -> None:
        for action in self.tab_actions:
            self.view_menu.removeAction(action)
            self.removeAction(action)
        self.tab_actions = []
        for i in range(min(self.tabs.count(), 9)):
            action = self._action(
                self.tabs.tabText(i),
                self._tab_switcher(i),
                [f"Ctrl+{i + 1}"],
            )
            self.view_menu.addAction(action)
            self.tab_actions.append(action)

    def _tab_switcher(self, index: int) -> Callable[[], None]:
        """One closure per tab (a loop variable would switch every shortcut to the last tab)."""
        return lambda: self.tabs.setCurrentIndex(index)

    # ---------------------------------------------------------------- extension points

    def add_tab(self, widget: QWidget, title: str, icon: QIcon | None = None) -> int:
        """Add a top-level tab after the record tabs (the Notebook); returns its index."""
        from PySide6.QtGui import QIcon

        index = self.tabs.addTab(widget, icon or QIcon(), title)
        self._rebuild_tab_actions()
        return index

    def set_archive(self, archive: Archive) -> None:
        """Show another archive: every record tab is rebuilt on it; other tabs stay."""
        self._save_tab_settings()
        for tab in self.entity_tabs.values():
            tab.shutdown()
        for tab in self.entity_tabs.values():
            tab.model.wait()
            self.tabs.removeTab(self.tabs.indexOf(tab))
            tab.deleteLater()
        self.entity_tabs.clear()
        self.archive = archive
        self.history.clear()
        self.search_field.set_archive(archive)
        self._create_entity_tabs()
        self._restore_tab_settings()
        self.tabs.setCurrentIndex(0)
        self._update_title()
        self._update_navigation()
        self.archive_changed.emit(archive)

    def current_entity_tab(self) -> EntityTab | None:
        widget = self.tabs.currentWidget()
        for tab in self.entity_tabs.values():
            if tab is widget:
                return tab
        return None

    # ---------------------------------------------------------------- navigation

    def open_record(
        self, record_id: str, add_to_history: bool = True, browsing: bool = False
    ) -> bool:
        """Show `record_id` in its tab; False (and a status message) if there is none.

        `browsing` marks a visit made by moving through a table: consecutive ones replace
        each other in the history instead of piling up.
        """
        type_name = self.archive.type_of(record_id)
        tab = self.entity_tabs.get(type_name or "")
        if tab is None:
            self.statusBar().showMessage(
                f"There is no record {record_id} in this archive.", STATUS_MS
            )
            return False
        if self.tabs.currentWidget() is not tab:
            self.tabs.setCurrentWidget(tab)
        if not tab.show_record(record_id):
            return False
        if add_to_history:
            self.history.visit(record_id, browsing=browsing)
        self._update_navigation()
        self.record_shown.emit(record_id)
        return True

    def _open_selected_row(self, tab: EntityTab, record_id: str) -> None:
        """A row chosen in a table: a click is a visit of its own in the history; moving
        with the arrow keys is browsing, whose consecutive steps replace each other."""
        self.open_record(record_id, browsing=not tab.row_pressed)

    def _keep_in_history(self, record_id: str) -> None:
        """Enter on a row reached by the arrow keys: the record was read, not passed over."""
        if self.history.current == record_id:
            self.history.keep_current()

    def current_record_id(self) -> str | None:
        return self.history.current

    def go_back(self) -> None:
        record_id = self.history.back()
        if record_id is not None:
            self.open_record(record_id, add_to_history=False)
        self._update_navigation()

    def go_forward(self) -> None:
        record_id = self.history.forward()
        if record_id is not None:
            self.open_record(record_id, add_to_history=False)
        self._update_navigation()

    def _update_navigation(self) -> None:
        self.back_action.setEnabled(self.history.can_go_back())
        self.forward_action.setEnabled(self.history.can_go_forward())

    # ---------------------------------------------------------------- search and focus

    def focus_search(self) -> None:
        from PySide6.QtCore import Qt

        if not self.contents_built:
            return
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def find_in_window(self) -> None:
        """Ctrl+F: the current tab's filter box; the global search on a tab without one."""
        tab = self.current_entity_tab()
        if tab is not None:
            tab.focus_filter()
            return
        self.focus_search()

    def focus_notes(self) -> None:
        """Ctrl+E: into the notes editor of the record shown in the current tab."""
        tab = self.current_entity_tab()
        if tab is None or tab.detail.record_id is None:
            self.statusBar().showMessage("Choose a record first: its notes are there.", STATUS_MS)
            return
        if not tab.detail.focus_editor():
            self.statusBar().showMessage("This record's notes cannot be edited.", STATUS_MS)

    def _step_tab(self, step: int) -> None:
        count = self.tabs.count()
        if count:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.full_screen_action.setChecked(self.isFullScreen())

    def focus_filter(self) -> None:
        tab = self.current_entity_tab()
        if tab is not None:
            tab.focus_filter()

    def _focus_current_tab(self) -> None:
        from PySide6.QtCore import Qt

        widget = self.tabs.currentWidget()
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---------------------------------------------------------------- status and title

    def _on_tab_changed(self, _index: int) -> None:
        tab = self.current_entity_tab()
        if tab is not None:
            self._on_counts(tab)
        else:
            self.count_label.setText("")

    def _on_counts(self, tab: EntityTab) -> None:
        if tab is self.current_entity_tab():
            self.count_label.setText(self.status_text(tab))

    @staticmethod
    def status_text(tab: EntityTab) -> str:
        """`12 of 26 people`: the rows the tab shows of all its records."""
        from archive_browser.ui.widgets import style

        total = tab.model.total
        return f"{tab.model.rowCount()} of {total} {style.plural(tab.record_type.name, total)}"

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.archive.title} — Archive Browser")

    def show_about(self) -> None:
        from archive_browser.ui.widgets import messages

        # The archive's title and dates are the file's words: plain text, never markup.
        messages.inform(
            self,
            "About Archive Browser",
            f"Archive Browser {__version__}\n\n{self.archive.title}\n"
            f"{self.archive.meta.get('record_count', '?')} records, built "
            f"{self.archive.meta.get('built_at', '?')}.",
        )

    def shortcut_list(self) -> list[tuple[str, str]]:
        """(what, keys) for every action of the window with a shortcut (features' too, which
        reach the window through `hooks.add_shortcut`), then the keys no action carries."""
        lines: list[tuple[str, str]] = []
        for action in self.actions():
            keys = [
                k.toString(QKeySequence.SequenceFormat.NativeText)
                for k in action.shortcuts()
                if not k.isEmpty() and "Backtab" not in k.toString()
            ]
            if keys:
                lines.append((action.text().replace("&", "").rstrip("…"), ", ".join(keys)))
        return lines + list(KEYS_WITHOUT_ACTIONS)

    def show_shortcuts(self) -> None:
        import html

        from PySide6.QtWidgets import QMessageBox

        rows = "".join(
            f"<tr><td>{html.escape(what)}</td><td>&nbsp;&nbsp;{html.escape(keys)}</td></tr>"
            for what, keys in self.shortcut_list()
        )
        QMessageBox.information(self, "Keyboard shortcuts", f"<table>{rows}</table>")

    def quit(self) -> None:
        if self.close():  # a feature may keep the window open (unsaved text): then stay
            QApplication.quit()

    # ---------------------------------------------------------------- settings

    def _restore_settings(self) -> None:
        self._restore_tab_settings()
        start_tab = os.environ.get(START_TAB_ENV) or self.settings.value("window/tab", "")
        start_record = os.environ.get(START_RECORD_ENV) or self.settings.value("window/record", "")
        if isinstance(start_tab, str) and start_tab:
            self.select_tab(start_tab)
        if isinstance(start_record, str) and start_record:
            # After the constructor, so that whoever listens to record_shown is connected.
            QTimer.singleShot(0, lambda: self.open_record(start_record))

    def select_tab(self, name: str) -> bool:
        """Switch to the tab named by a type (`person`), table (`people`) or title."""
        wanted = name.strip().casefold()
        for type_name, tab in self.entity_tabs.items():
            record_type = tab.record_type
            if wanted in (type_name, record_type.table, record_type.tab_title.casefold()):
                self.tabs.setCurrentWidget(tab)
                return True
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i).replace("&", "").casefold() == wanted:
                self.tabs.setCurrentIndex(i)
                return True
        return False

    def _restore_tab_settings(self) -> None:
        for type_name, tab in self.entity_tabs.items():
            tab.restore_state(
                {
                    "splitter": self.settings.value(f"tabs/{type_name}/splitter"),
                    "header": self.settings.value(f"tabs/{type_name}/header"),
                    "detail_splitter": self.settings.value(f"tabs/{type_name}/detail_splitter"),
                }
            )

    def _save_tab_settings(self) -> None:
        for type_name, tab in self.entity_tabs.items():
            for key, value in tab.save_state().items():
                self.settings.setValue(f"tabs/{type_name}/{key}", value)

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        if not self.contents_built:  # closed at once: keep the remembered tab and record
            self.settings.sync()
            return
        self._save_tab_settings()
        tab = self.current_entity_tab()
        if tab is not None:
            self.settings.setValue("window/tab", tab.record_type.name)
        elif self.tabs.currentIndex() >= 0:
            self.settings.setValue("window/tab", self.tabs.tabText(self.tabs.currentIndex()))
        self.settings.setValue("window/record", self.history.current or "")
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop every query still running and wait for the workers (closing, tests)."""
        self._contents_pending = False
        if not self.contents_built:
            return
        self.search_field.popup.hide()
        self.search_field._runner.cancel()
        for tab in self.entity_tabs.values():
            tab.shutdown()
        for tab in self.entity_tabs.values():
            tab.model.wait()
        self.search_field.wait()
