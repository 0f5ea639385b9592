"""Citations in the window: the archive tree, find by citation, copy in every output style.

Everything attaches to the main window through `install_citations(hooks)`, using only the
window's hooks (`ui/hooks.py`):
- the Sources tab gets two views beside its table, "Archive tree" (archive > fond > opis >
  delo with counts; choosing a node lists the records citing it) and "Find by citation"
  (paste a citation as it stands in a book: see how it was read, and every record citing the
  same file, SAME first, then PROBABLE and CANDIDATE);
- Edit ▸ Find by Citation… (Ctrl+Alt+F: Ctrl+Shift+F already filters the tab) and
  Go ▸ Archive Tree;
- every detail pane gets a "Copy reference" bar for the shown record's archival
  references, and every table's context menu the same copies, in each output style of
  `core.citations.STYLES` (English/Chicago, GOST, DSTU, Bundesarchiv, NARA);
- View ▸ Citation Style chooses the style the detail pane shows references in (kept in the
  window's settings);
- a file that is a copy or an original in the concordance says so: "copy of …" in the tree,
  and under the reading in Find by citation, whose results include the records citing the
  other side (COPY).

The queries (`citation_tree`, `records_citing_prefix`, `find_citing`) run in workers on their
own read-only connections. Text is shown as plain text; tooltips are escaped rich text.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from archive_browser.core.archive import Archive
from archive_browser.core.citations import (
    STYLES,
    Citation,
    CopyLink,
    citation_from_fields,
    format_key,
    load_concordance,
    parse_citations,
    preferred_style,
    set_preferred_style,
    style_named,
)
from archive_browser.ui.features.citations.citation_models import (
    MATCH_LABELS,
    RECORD_ID_ROLE,
    CitationReadingModel,
    CitationTreeModel,
    CitingRecord,
    CitingRecordsModel,
)
from archive_browser.ui.hooks import WindowHooks
from archive_browser.ui.widgets.entity_tab import FilterEdit, setup_record_list
from archive_browser.ui.widgets.timers import single_shot_timer
from archive_browser.ui.widgets.workers import QueryRunner

if TYPE_CHECKING:
    from archive_browser.ui.widgets.detail_view import DetailPane
    from archive_browser.ui.widgets.entity_tab import EntityTab

FIND_SHORTCUT = "Ctrl+Alt+F"
FIND_DEBOUNCE_MS = 250
TREE_VIEW_TITLE = "Archive tree"
FIND_VIEW_TITLE = "Find by citation"
EXAMPLES = "“ГАЛО. Ф. 2176. Оп. 1. Д. 1” or “RGVA, f. 33987, op. 3, d. 497, l. 136”"
NOTHING_READ = (
    "No archival reference could be read in this text. Paste it as it stands in the book, "
    f"with its archive, for example {EXAMPLES}."
)
READING_ROWS_SHOWN = 3


# ------------------------------------------------------------------------------------ helpers


FORMATS: dict[str, tuple[str, Callable[[Citation], str]]] = {
    name: (style.label, style.format) for name, style in STYLES.items()
}
# the copy buttons' own words, short enough for five in a row (the menus use the labels)
BUTTON_TEXTS = {
    "english": "English",
    "gost": "GOST",
    "dstu": "DSTU",
    "barch": "BArch",
    "nara": "NARA",
}
STYLE_SETTING = "citations/style"


def copy_citation(citation: Citation, form: str) -> str:
    """Put `citation` on the clipboard in style `form` (a key of FORMATS); returns the text."""
    text = FORMATS[form][1](citation)
    QGuiApplication.clipboard().setText(text)
    return text


def add_copy_actions(
    menu: QMenu, citation: Citation, copied: Callable[[str], None], label: str = ""
) -> None:
    """ "Copy <label> as English" and "... as Russian (GOST)" menu entries."""
    what = f"reference {label}".strip() if label else "reference"
    for form, (name, _format) in FORMATS.items():
        menu.addAction(f"Copy {what} as {name}", _copier(citation, form, copied))


def _copier(citation: Citation, form: str, copied: Callable[[str], None]) -> Callable[[], None]:
    """A menu entry's slot: one closure per form (a loop variable would be the last form)."""
    return lambda: copied(copy_citation(citation, form))


def _setup_list_view(view: QTableView) -> None:
    setup_record_list(view)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.horizontalHeader().setStretchLastSection(True)


def _plain_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # record and user text is never markup
    label.setWordWrap(True)
    label.setText(text)
    return label


def _match_summary(entries: Sequence[CitingRecord]) -> str:
    if not entries:
        return "No record in this archive cites this file."
    counts = {m: sum(1 for e in entries if e.match is m) for m in MATCH_LABELS}
    parts = [f"{n} {MATCH_LABELS[m].lower()}" for m, n in counts.items() if n]
    noun = "record cites" if len(entries) == 1 else "records cite"
    return f"{len(entries)} {noun} this file: {', '.join(parts)}. Click one to open it."


def copy_link_text(links: Sequence[CopyLink]) -> str:
    """`Copy of PA AA, R 28223 (source: …).` for each concordance row of a reading."""
    lines = []
    for link in sorted(links, key=lambda lk: not lk.file_level):  # one file before collections
        scope = "" if link.file_level else " (the collection)"
        what = f"{link.role.capitalize()} {format_key(link.key)}{scope}"
        line = f"{what}; source: {link.entry.source}"
        if line not in lines:
            lines.append(line)
    return "\n".join(lines)


class CopyButtons(QWidget):
    """[English] [GOST] [DSTU] [BArch] [NARA] copy one citation; `copied(text)` after each."""

    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.citation: Citation | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        caption = _plain_label("Copy as:", self)
        caption.setWordWrap(False)
        layout.addWidget(caption)
        for form, (name, _format) in FORMATS.items():
            button = QPushButton(BUTTON_TEXTS.get(form, name), self)
            button.setToolTip(f"Copy the archival reference as {name} ({STYLES[form].description})")
            button.clicked.connect(lambda _=False, f=form: self.copy(f))
            layout.addWidget(button)
            self.buttons[form] = button
        layout.addStretch(1)
        self.set_citation(None)

    def set_citation(self, citation: Citation | None) -> None:
        self.citation = citation
        for button in self.buttons.values():
            button.setEnabled(citation is not None)

    def copy(self, form: str) -> None:
        if self.citation is not None:
            self.copied.emit(copy_citation(self.citation, form))


# ------------------------------------------------------------------------------------ tree view


class ArchiveTreeView(QWidget):
    """The archive tree with counts; the records citing the chosen node are listed under it.

    `record_chosen(record_id)` when the user clicks one of them.
    """

    record_chosen = Signal(str)

    def __init__(self, archive: Archive, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.loaded = False
        self.tree_model = CitationTreeModel(self)
        self.records_model = CitingRecordsModel(
            archive.title_of, columns=("record", "type"), parent=self
        )
        self._tree_runner = QueryRunner(archive, self)
        self._tree_runner.finished.connect(self._on_tree)
        self._tree_runner.failed.connect(lambda _g, msg: self._show_failure(msg))
        self._records_runner = QueryRunner(archive, self)
        self._records_runner.finished.connect(self._on_records)
        self._records_runner.failed.connect(lambda _g, msg: self._show_failure(msg))
        self._build()
        self.reload()

    def _build(self) -> None:
        self.tree = QTreeView(self)
        self.tree.setModel(self.tree_model)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.selectionModel().currentChanged.connect(self._on_current_node)
        self.caption = _plain_label("Reading the archival references…", self)
        self.records_view = QTableView(self)
        self.records_view.setModel(self.records_model)
        _setup_list_view(self.records_view)
        self.records_view.horizontalHeader().resizeSection(0, 320)
        self.records_view.clicked.connect(self._open_index)
        self.records_view.activated.connect(self._open_index)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.caption)
        lower_layout.addWidget(self.records_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.tree)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.setFocusProxy(self.tree)

    def reload(self) -> None:
        self._tree_runner.submit(lambda reader: reader.citation_tree())

    @property
    def busy(self) -> bool:
        return self._tree_runner.busy or self._records_runner.busy

    def shutdown(self) -> None:
        self._tree_runner.cancel()
        self._records_runner.cancel()

    def _on_tree(self, _generation: int, roots: object) -> None:
        assert isinstance(roots, list)
        self.tree_model.set_roots(roots)
        self.loaded = True
        if self.tree_model.node_count <= 60:  # a small tree is easier read whole
            self.tree.expandAll()
        else:
            self.tree.expandToDepth(0)
        if not roots:
            self.caption.setText("No record in this archive cites an archival file.")
        else:
            self.caption.setText("Choose an archive, fond, opis or delo to list its records.")

    def choose(self, key_prefix: Sequence[str]) -> bool:
        """Select the node of `key_prefix` (as the user would); False if there is none."""
        index = self.tree_model.index_of_prefix(tuple(key_prefix))
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def node_menu(self, index: QModelIndex) -> QMenu | None:
        """The context menu of a node that is a copy or an original: go to the other side."""
        node = self.tree_model.node_at(index)
        if node is None or not node.copy_links:
            return None
        menu = QMenu(self)
        for text, prefix in zip(node.copy_links, node.copy_prefixes, strict=True):
            role, _, other = text.partition(" of ")  # "copy of X": X is the original
            other_side = "original" if role == "copy" else "copy"
            action = menu.addAction(f"Go to the {other_side}, {other}")
            action.triggered.connect(lambda _=False, p=prefix: self.choose(p))
            # the other side is in the tree only when a record of this archive cites it
            action.setEnabled(self.tree_model.index_of_prefix(prefix).isValid())
        return menu

    def _tree_menu(self, position: QPoint) -> None:
        menu = self.node_menu(self.tree.indexAt(position))
        if menu is not None:
            menu.exec(self.tree.viewport().mapToGlobal(position))

    def _on_current_node(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = self.tree_model.node_at(current)
        if node is None:
            return
        where = " › ".join(p for p in node.key_prefix if p) or "(no archive)"
        self.caption.setText(f"Records citing {where}:")
        prefix = node.key_prefix
        self._records_runner.submit(lambda reader: reader.records_citing_prefix(prefix))

    def _on_records(self, _generation: int, record_ids: object) -> None:
        assert isinstance(record_ids, list)
        self.records_model.set_entries([CitingRecord(rid) for rid in record_ids])

    def _show_failure(self, message: str) -> None:
        self.caption.setText(f"The archival references could not be read: {message}")

    def _open_index(self, index: QModelIndex) -> None:
        record_id = self.records_model.data(index, RECORD_ID_ROLE)
        if record_id:
            self.record_chosen.emit(record_id)


# ------------------------------------------------------------------------------------ find view


class CitationField(FilterEdit):
    """The paste box: Esc clears it, Down moves into the results; Return searches at once."""

    MOVE_KEYS = (Qt.Key.Key_Down,)


class FindByCitationView(QWidget):
    """Paste a citation: how it was read, and every record citing the same file.

    `record_chosen(record_id)` when the user clicks a result; `copied(text)` after a copy.
    """

    record_chosen = Signal(str)
    copied = Signal(str)

    def __init__(self, archive: Archive, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.reading_model = CitationReadingModel(self)
        self.results_model = CitingRecordsModel(archive.title_of, parent=self)
        self._searched: Citation | None = None
        self._runner = QueryRunner(archive, self)
        self._runner.finished.connect(self._on_results)
        self._runner.failed.connect(self._on_failed)
        self._timer = single_shot_timer(self, FIND_DEBOUNCE_MS, self.search_now)
        self._build()
        self._show_hint()

    def _build(self) -> None:
        self.field = CitationField(self)
        self.field.setPlaceholderText("Paste a citation as it stands in the book…")
        self.field.setClearButtonEnabled(True)
        self.field.setToolTip(f"Any archival reference, Russian or Latin script: {EXAMPLES}")
        self.field.textChanged.connect(lambda _text: self._timer.start())
        self.field.returnPressed.connect(self.search_now)
        self.field.move_down.connect(self._enter_results)
        self.reading_caption = _plain_label("Read as:", self)
        self.reading_view = QTableView(self)
        self.reading_view.setModel(self.reading_model)
        _setup_list_view(self.reading_view)
        self.reading_view.verticalHeader().show()
        self.reading_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.reading_view.horizontalHeader().setStretchLastSection(True)
        row_height = self.reading_view.verticalHeader().defaultSectionSize()
        header_height = self.reading_view.horizontalHeader().sizeHint().height()
        self.reading_view.setFixedHeight(header_height + READING_ROWS_SHOWN * row_height + 4)
        self.reading_view.selectionModel().currentRowChanged.connect(self._on_reading_row)
        self.reading_view.customContextMenuRequested.connect(self._reading_menu)
        self.copy_buttons = CopyButtons(self)
        self.copy_buttons.copied.connect(self.copied)
        # "Copy of PA AA, R 28223; source: …": what the concordance says of the reading
        self.copies_label = _plain_label("", self)
        self.copies_label.hide()
        self.status = _plain_label("", self)
        self.results_view = QTableView(self)
        self.results_view.setModel(self.results_model)
        _setup_list_view(self.results_view)
        self.results_view.horizontalHeader().resizeSection(0, 90)
        self.results_view.horizontalHeader().resizeSection(1, 280)
        self.results_view.clicked.connect(self._open_index)
        self.results_view.activated.connect(self._open_index)
        self.results_view.customContextMenuRequested.connect(self._results_menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.field,
            self.reading_caption,
            self.reading_view,
            self.copy_buttons,
            self.copies_label,
        ):
            layout.addWidget(widget)
        layout.addWidget(self.status)
        layout.addWidget(self.results_view, 1)
        self.setFocusProxy(self.field)

    # ---------------------------------------------------------------- finding

    @property
    def busy(self) -> bool:
        """True while a typed text waits to be read or its search runs (tests wait on it)."""
        return self._timer.isActive() or self._runner.busy

    def search_now(self, text: str | None = None) -> None:
        """Read the field's text (or `text`, put into the field) and search at once."""
        if text is not None and text != self.field.text():
            self.field.setText(text)
        self._timer.stop()
        citations = parse_citations(self.field.text()) if self.field.text().strip() else []
        self.reading_model.set_citations(citations)
        self.results_model.set_entries([])
        if not self.field.text().strip():
            self._show_hint()
            return
        if not citations:
            self._runner.cancel()
            self.reading_view.hide()
            self.reading_caption.hide()
            self.copy_buttons.set_citation(None)
            self.copies_label.hide()
            self.status.setText(NOTHING_READ)
            return
        self.reading_caption.setText(
            "Read as:" if len(citations) == 1 else f"Read as {len(citations)} references:"
        )
        self.reading_caption.show()
        self.reading_view.show()
        self.reading_view.selectRow(0)
        if self._searched is not citations[0]:  # the row change did not announce itself
            self._search_for(citations[0])

    def _show_hint(self) -> None:
        self._runner.cancel()
        self.reading_caption.hide()
        self.reading_view.hide()
        self.copy_buttons.set_citation(None)
        self.copies_label.hide()
        self.status.setText(
            f"Paste a citation to find every record that cites the same file: {EXAMPLES}."
        )

    def _on_reading_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        citation = self.reading_model.citation_at(current.row()) if current.isValid() else None
        if citation is not None:
            self._search_for(citation)

    def _search_for(self, citation: Citation) -> None:
        self._searched = citation
        self.copy_buttons.set_citation(citation)
        links = load_concordance().links(citation.key or citation.partial_key or "")
        self.copies_label.setText(copy_link_text(links))
        self.copies_label.setVisible(bool(links))
        self.status.setText("Searching…")
        self._runner.submit(lambda reader: reader.find_citing(citation))

    def _on_failed(self, _generation: int, message: str) -> None:
        self.status.setText(f"Search failed: {message}")

    def _on_results(self, _generation: int, found: object) -> None:
        assert isinstance(found, list)
        entries = [CitingRecord(rid, match, cited) for rid, match, cited in found]
        self.results_model.set_entries(entries)
        self.status.setText(_match_summary(entries))

    def current_reading(self) -> Citation | None:
        return self.reading_model.citation_at(self.reading_view.currentIndex().row())

    # ---------------------------------------------------------------- opening and copying

    def _open_index(self, index: QModelIndex) -> None:
        record_id = self.results_model.data(index, RECORD_ID_ROLE)
        if record_id:
            self.record_chosen.emit(record_id)

    def _enter_results(self) -> None:
        if self.results_model.rowCount() > 0:
            self.results_view.setFocus(Qt.FocusReason.OtherFocusReason)
            self.results_view.selectRow(0)

    def _reading_menu(self, position: QPoint) -> None:
        menu = self.reading_menu(self.reading_view.indexAt(position).row())
        if menu is not None:
            menu.exec(self.reading_view.viewport().mapToGlobal(position))

    def reading_menu(self, row: int) -> QMenu | None:
        """The context menu of reading `row`: copy it as English or GOST."""
        citation = self.reading_model.citation_at(row)
        if citation is None:
            return None
        menu = QMenu(self)
        add_copy_actions(menu, citation, self.copied.emit)
        return menu

    def _results_menu(self, position: QPoint) -> None:
        index = self.results_view.indexAt(position)
        menu = self.results_menu(index.row()) if index.isValid() else None
        if menu is not None:
            menu.exec(self.results_view.viewport().mapToGlobal(position))

    def results_menu(self, row: int) -> QMenu | None:
        """The context menu of result `row`: open it, copy its reference as cited there."""
        entry = self.results_model.entry_at(row)
        if entry is None:
            return None
        menu = QMenu(self)
        menu.addAction("Open", lambda: self.record_chosen.emit(entry.record_id))
        if entry.cited_as is not None:
            menu.addSeparator()
            add_copy_actions(menu, entry.cited_as, self.copied.emit, "as cited there")
        return menu

    def shutdown(self) -> None:
        self._timer.stop()
        self._runner.cancel()


# ------------------------------------------------------------------------------------ detail bar


class CitationCopyBar(QWidget):
    """Under a detail pane: copy the shown record's archival reference(s) as English / GOST.

    Hidden for a record without references; a record with several offers a choice.
    """

    copied = Signal(str)

    def __init__(self, detail: DetailPane, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else detail)
        self.detail = detail
        self.citations: list[Citation] = []
        self.label = _plain_label("Archival reference:", self)
        self.label.setWordWrap(False)
        self.choice = QComboBox(self)
        self.choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.choice.setMinimumContentsLength(20)
        self.choice.currentIndexChanged.connect(self._on_choice)
        self.buttons = CopyButtons(self)
        self.buttons.copied.connect(self.copied)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.choice, 1)
        layout.addWidget(self.buttons)
        # The pane sets its page with setHtml for every record shown: the one sure moment.
        detail.browser.textChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        record = self.detail.record
        fields = record.citations if record is not None else ()
        citations = [citation_from_fields(f) for f in fields if f.get("text")]
        if citations == self.citations:
            return
        self.citations = citations
        self.choice.blockSignals(True)
        self.choice.clear()
        for citation in citations:
            self.choice.addItem(citation.text)
        self.choice.blockSignals(False)
        self.choice.setVisible(len(citations) > 1)
        self.label.setText("Archival references:" if len(citations) > 1 else "Archival reference:")
        self.buttons.set_citation(citations[0] if citations else None)
        self.setVisible(bool(citations))

    def _on_choice(self, row: int) -> None:
        self.buttons.set_citation(self.citations[row] if 0 <= row < len(self.citations) else None)


# ------------------------------------------------------------------------------------ the feature


class CitationsFeature(QObject):
    """Owns the window's citation actions and attaches the views to its (re)built tabs."""

    def __init__(self, hooks: WindowHooks) -> None:
        super().__init__(hooks.parent_widget)
        self.hooks = hooks
        self.citation_bars: weakref.WeakKeyDictionary[EntityTab, CitationCopyBar] = (
            weakref.WeakKeyDictionary()
        )
        self.source_tab: EntityTab | None = None
        self.tree_view: ArchiveTreeView | None = None
        self.find_view: FindByCitationView | None = None
        self.find_action = self._make_action(
            "Find by &Citation…",
            self.show_find,
            FIND_SHORTCUT,
            "Paste an archival reference and find every record citing the same file",
        )
        self.tree_action = self._make_action(
            "&Archive Tree",
            self.show_tree,
            None,
            "The archival references as a tree: archive, fond, opis, delo",
        )
        hooks.add_menu_items("edit", [self.find_action])
        hooks.add_menu_items("go", [None, self.tree_action])
        self.style_menu = self._make_style_menu()
        hooks.add_menu_items("view", [None, self.style_menu])
        # set_archive rebuilds the record tabs, then announces the new archive.
        hooks.archive_changed.connect(lambda _archive: self.attach())
        self.attach()

    def _make_action(
        self, text: str, slot: Callable[[], None], shortcut: str | None, tip: str
    ) -> QAction:
        action = QAction(text, self.hooks.parent_widget)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.triggered.connect(lambda _=False: slot())
        return action

    def _make_style_menu(self) -> QMenu:
        """View ▸ Citation Style: the style the detail pane shows references in."""
        saved = str(self.hooks.settings.value(STYLE_SETTING, "") or "")
        try:
            set_preferred_style(saved or preferred_style())
        except ValueError:  # a style a later version dropped: keep the default
            pass
        menu = QMenu("Citation &Style", self.hooks.parent_widget)
        menu.setStatusTip("The style the record pages show archival references in")
        group = QActionGroup(menu)
        group.setExclusive(True)
        self.style_actions: dict[str, QAction] = {}
        for name, style in STYLES.items():
            action = menu.addAction(style.label, functools.partial(self.set_style, name))
            action.setCheckable(True)
            action.setChecked(name == preferred_style())
            action.setStatusTip(style.description)
            group.addAction(action)
            self.style_actions[name] = action
        return menu

    def set_style(self, name: str) -> None:
        """Show references in style `name` from now on, and re-show the open records."""
        chosen = set_preferred_style(style_named(name).name)
        self.hooks.settings.setValue(STYLE_SETTING, chosen)
        self.style_actions[chosen].setChecked(True)
        for tab in self.hooks.entity_tabs().values():
            record = tab.detail.record
            if record is not None and record.citations:
                tab.detail.show_record(record)

    # ---------------------------------------------------------------- attaching

    def attach(self) -> None:
        """Attach to the window's current record tabs; does nothing for those done already."""
        tabs = self.hooks.entity_tabs()
        for tab in tabs.values():
            if tab not in self.citation_bars:
                self._attach_to_detail(tab)
        source_tab = tabs.get("source")
        if source_tab is None or source_tab is self.source_tab:
            return
        self.source_tab = source_tab
        self.tree_view = ArchiveTreeView(source_tab.archive, source_tab)
        self.find_view = FindByCitationView(source_tab.archive, source_tab)
        for view, title in ((self.tree_view, TREE_VIEW_TITLE), (self.find_view, FIND_VIEW_TITLE)):
            view.record_chosen.connect(self.hooks.open_record)
            self.hooks.add_entity_view(source_tab, view, title)
        self.find_view.copied.connect(self._report_copy)

    def _attach_to_detail(self, tab: EntityTab) -> None:
        bar = CitationCopyBar(tab.detail)
        bar.copied.connect(self._report_copy)
        self.hooks.add_detail_section(tab, bar)
        self.citation_bars[tab] = bar
        self.hooks.add_context_menu_entry(tab, functools.partial(self._fill_table_menu, tab))

    def _fill_table_menu(self, tab: EntityTab, menu: QMenu, record_id: str) -> None:
        # Only the citations: a record with a million links is not read for a menu.
        fields = tab.archive.citations(record_id)
        citations = [citation_from_fields(f) for f in fields if f.get("text")]
        for number, citation in enumerate(citations, start=1):
            label = f"{number}" if len(citations) > 1 else ""
            add_copy_actions(menu, citation, self._report_copy, label)

    def _report_copy(self, text: str) -> None:
        self.hooks.show_status(f"Copied: {text}", 6000)

    # ---------------------------------------------------------------- actions

    def _show_view(self, view: QWidget | None) -> QWidget | None:
        self.attach()
        if view is None or self.source_tab is None:
            return None
        self.hooks.show_entity_view(self.source_tab, view)
        return view

    def show_find(self, text: str | None = None) -> None:
        """Edit ▸ Find by Citation…: the find view, its field focused (and `text` searched)."""
        view = self._show_view(self.find_view)
        if view is None or self.find_view is None:
            return
        if text is not None:
            self.find_view.search_now(text)
        self.find_view.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_view.field.selectAll()

    def show_tree(self) -> None:
        view = self._show_view(self.tree_view)
        if view is not None:
            view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def shutdown(self) -> None:
        for view in (self.tree_view, self.find_view):
            if view is not None:
                view.shutdown()


def install_citations(hooks: WindowHooks) -> CitationsFeature:
    """Attach the citation views and actions to the window (once; later calls do nothing);
    the feature is `hooks.feature(CitationsFeature)`."""
    return hooks.install_once(CitationsFeature, lambda: CitationsFeature(hooks))
