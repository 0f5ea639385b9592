"""One search field for every record type: debounced, off the GUI thread, ranked results.

The archive's hits are listed in the engine's order (one ranking everywhere: the CLI's
order is the window's, and Enter opens the top-ranked hit); each row's icon and type label
say what kind of record it is. When nothing matches and one spelling is clearly meant, the
list says so and shows that spelling's hits.

Extension point: `GlobalSearchField.providers` is a list of callables `(query) ->
list[ResultItem]` called on the GUI thread after the archive hits are in (keep them fast:
the notes search of the user store, for instance). Their items are listed after the
archive's, grouped by `ResultItem.group`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QKeyEvent,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from archive_browser.core import search
from archive_browser.core.archive import Archive, ArchiveReader
from archive_browser.core.names import scheme_label
from archive_browser.core.record_types import RECORD_TYPES
from archive_browser.core.text import escape_markup
from archive_browser.ui.widgets import style
from archive_browser.ui.widgets.timers import single_shot_timer
from archive_browser.ui.widgets.workers import QueryRunner

DEBOUNCE_MS = 150
RESULT_LIMIT = 60
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ResultItem:
    """One line of the result list.

    `kind` is `record` (opens `record_id`), `suggestion` (a "did you mean" that re-runs the
    search with `title`), `header` (a group title) or `message` (plain text). `snippet_html`
    must already be safe HTML (see `highlight_html`); `group` is the heading it is listed
    under ("People", "Notes", ...).
    """

    kind: str
    title: str
    group: str = ""
    record_id: str | None = None
    type_name: str | None = None
    snippet_html: str = ""
    detail: str = ""


def highlight_html(snippet: str) -> str:
    """A search snippet as safe HTML: escaped first, then the match markers made bold."""
    escaped = escape_markup(snippet)
    return escaped.replace(search.HIGHLIGHT_START, "<b>").replace(search.HIGHLIGHT_END, "</b>")


def matched_detail(hit: Any) -> str:
    """`matched Tuchatschewski — German` when a name variant, not the name, matched."""
    form = getattr(hit, "matched_form", None)
    if not form:
        return ""
    label = scheme_label(getattr(hit, "scheme", None))
    return f"matched {form} — {label}" if label else f"matched {form}"


def items_from_hits(hits: list[Any]) -> list[ResultItem]:
    """One row per record, in the engine's order (a record listed twice keeps its first)."""
    items = []
    seen: set[str] = set()
    for hit in hits:
        if hit.id in seen:
            continue
        seen.add(hit.id)
        record_type = RECORD_TYPES.get(hit.type)
        group = record_type.tab_title if record_type else hit.type
        items.append(
            ResultItem(
                "record",
                hit.title,
                group,
                hit.id,
                hit.type,
                highlight_html(hit.snippet or ""),
                matched_detail(hit),
            )
        )
    return items


def listed(archive_items: list[ResultItem], provider_items: list[ResultItem]) -> list[ResultItem]:
    """The archive's rows in ranked order, then each provider group under its header."""
    groups: dict[str, list[ResultItem]] = {}
    for item in provider_items:
        groups.setdefault(item.group, []).append(item)
    result = list(archive_items)
    for name, items in groups.items():
        result.append(ResultItem("header", name, name))
        result.extend(items)
    return result


def correction_message(query: str, corrected: str) -> str:
    return f"No record matches {query!r}; showing results for {corrected!r}"


class ResultListModel(QAbstractListModel):
    """The popup's rows: headers, records, suggestions. DisplayRole gives the HTML."""

    HTML_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[ResultItem] = []

    def set_items(self, items: list[ResultItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.title
        if role == self.HTML_ROLE:
            return self._html(item)
        if role == Qt.ItemDataRole.DecorationRole and item.type_name:
            return style.type_icon(item.type_name)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        item = self.items[index.row()]
        if item.kind in ("header", "message"):
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def selectable_rows(self) -> list[int]:
        return [i for i, item in enumerate(self.items) if item.kind in ("record", "suggestion")]

    @staticmethod
    def _html(item: ResultItem) -> str:
        title = escape_markup(item.title)
        if item.kind == "header":
            return f"<b>{title}</b>"
        if item.kind == "suggestion":
            return f"Did you mean <b>{title}</b>?"
        if item.kind == "message":
            return f"<i>{title}</i>"
        lines = [f"{title}"]
        record_type = RECORD_TYPES.get(item.type_name or "")
        if record_type is not None:
            lines[0] += f" &nbsp;<small>{escape_markup(record_type.singular)}</small>"
        if item.detail:
            lines[0] += f" &nbsp;<i>({escape_markup(item.detail)})</i>"
        if item.snippet_html and item.snippet_html != escape_markup(item.title):
            lines.append(f"<small>{item.snippet_html}</small>")
        return "<br>".join(lines)


class HtmlDelegate(QStyledItemDelegate):
    """Paints a row's HTML (highlighted matches) with the palette's colours."""

    def _document(self, option: QStyleOptionViewItem, index: AnyIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(index.data(ResultListModel.HTML_ROLE) or "")
        doc.setTextWidth(max(option.rect.width() - 28, 100))
        return doc

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        qstyle = widget.style() if widget is not None else QApplication.style()
        qstyle.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        doc = self._document(option, index)
        icon_space = 24 if opt.icon.isNull() is False else 4
        painter.save()
        painter.translate(option.rect.left() + icon_space, option.rect.top() + 2)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()) + 28, int(doc.size().height()) + 4)


class SearchPopup(QFrame):
    """The result list under the search field. It never takes the keyboard focus.

    It is a child overlay of the main window rather than a window of its own: no window
    manager (or Wayland compositor) can then misplace it or steal the focus for it.
    """

    activated = Signal(object)  # ResultItem

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.hide()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFrameShadow(QFrame.Shadow.Raised)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.model = ResultListModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(HtmlDelegate(self.view))
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setUniformItemSizes(False)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.view.clicked.connect(self._on_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.view)

    def set_items(self, items: list[ResultItem]) -> None:
        self.model.set_items(items)
        rows = self.model.selectable_rows()
        if rows:
            self.view.setCurrentIndex(self.model.index(rows[0], 0))

    def current_item(self) -> ResultItem | None:
        index = self.view.currentIndex()
        if not index.isValid() or index.row() not in self.model.selectable_rows():
            return None
        return self.model.items[index.row()]

    def move_selection(self, step: int) -> None:
        rows = self.model.selectable_rows()
        if not rows:
            return
        current = self.view.currentIndex().row()
        position = rows.index(current) if current in rows else -1
        position = max(0, min(len(rows) - 1, position + step))
        self.view.setCurrentIndex(self.model.index(rows[position], 0))

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.row() in self.model.selectable_rows():
            self.activated.emit(self.model.items[index.row()])


class GlobalSearchField(QLineEdit):
    """The toolbar's search field. `record_chosen(record_id)` when a result is opened.

    `results_ready(items)` is emitted (GUI thread) each time the result list is replaced;
    `results` holds the current items (record and suggestion lines, no headers).
    """

    record_chosen = Signal(str)
    results_ready = Signal(list)

    def __init__(self, archive: Archive, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.providers: list[Callable[[str], list[ResultItem]]] = []
        self.results: list[ResultItem] = []
        self.setPlaceholderText("Search everything (Ctrl+K)")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(280)
        self.setMaximumWidth(440)
        self._search_icon = self.addAction(
            style.icon("search"), QLineEdit.ActionPosition.LeadingPosition
        )
        self.popup = SearchPopup(self)
        self.popup.activated.connect(self._open_item)
        self._timer = single_shot_timer(self, DEBOUNCE_MS, self.search_now)
        self._runner = QueryRunner(archive, self)
        self._runner.finished.connect(self._on_hits)
        self._runner.failed.connect(self._on_failed)
        self.textEdited.connect(self._on_edited)
        self.textChanged.connect(self._on_changed)
        self._query = ""

    def set_archive(self, archive: Archive) -> None:
        self._runner.cancel()
        self.archive = archive
        self._runner.archive = archive
        self.clear()

    # ---------------------------------------------------------------- searching

    def _on_edited(self, _text: str) -> None:
        self._timer.start()

    def _on_changed(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self._runner.cancel()
            self.results = []
            self.popup.hide()

    def search_now(self) -> None:
        """Run the search for the field's text at once (the debounce timer calls this)."""
        self._timer.stop()
        query = self.text().strip()
        self._query = query
        if not query:
            return

        def run(reader: ArchiveReader) -> tuple[list[Any], str | None, list[str]]:
            hits, corrected = reader.search_corrected(query, limit=RESULT_LIMIT)
            suggestions = [] if hits else reader.did_you_mean(query)
            return hits, corrected, suggestions

        self._runner.submit(run)

    @property
    def busy(self) -> bool:
        return self._timer.isActive() or self._runner.busy

    def wait(self, msecs: int = 5000) -> bool:
        return self._runner.wait(msecs)

    def _on_hits(self, _generation: int, result: object) -> None:
        hits, corrected, suggestions = cast(
            "tuple[list[search.Hit], str | None, list[str]]", result
        )
        items = items_from_hits(hits)
        extra: list[ResultItem] = []
        for provider in self.providers:
            try:
                extra.extend(provider(self._query))
            except Exception as exc:  # one broken provider must not hide the archive hits
                extra.append(ResultItem("message", f"A search provider failed: {exc}", "Errors"))
        rows = listed(items, extra)
        if corrected is not None:
            rows.insert(0, ResultItem("message", correction_message(self._query, corrected)))
        if not items and not extra:
            rows = [ResultItem("message", f"Nothing matches “{self._query}”.")]
            rows += [ResultItem("suggestion", s) for s in suggestions]
        self.results = [i for i in rows if i.kind in ("record", "suggestion")]
        self._show_popup(rows)
        self.results_ready.emit(self.results)

    def _on_failed(self, _generation: int, message: str) -> None:
        self.results = []
        self._show_popup([ResultItem("message", f"The search failed: {message}")])
        self.results_ready.emit(self.results)

    # ---------------------------------------------------------------- the popup

    def _show_popup(self, items: list[ResultItem]) -> None:
        self.popup.set_items(items)
        if not self.isVisible():
            return
        window = self.window()
        if self.popup.parentWidget() is not window:
            self.popup.setParent(window)
        width = min(max(self.width(), 560), window.width() - 8)
        rows = sum(self.popup.view.sizeHintForRow(i) for i in range(len(items)))
        bottom_left = self.mapTo(window, QPoint(0, self.height() + 2))
        height = max(40, min(rows + 8, window.height() - bottom_left.y() - 8, 480))
        # Right-aligned with the field (it sits at the right end of the toolbar).
        x = max(4, min(bottom_left.x() + self.width() - width, window.width() - width - 4))
        self.popup.setGeometry(x, bottom_left.y(), width, height)
        self.popup.show()
        self.popup.raise_()

    def open_current(self) -> bool:
        """Open the highlighted result (Enter). False when there is none."""
        if self._timer.isActive():
            self.search_now()
        item = self.popup.current_item()
        if item is None:
            return False
        self._open_item(item)
        return True

    def _open_item(self, item: object) -> None:
        assert isinstance(item, ResultItem)
        if item.kind == "suggestion":
            self.setText(item.title)
            self.search_now()
            return
        if item.record_id:
            self.popup.hide()
            self.record_chosen.emit(item.record_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.popup.isVisible():
            self.popup.move_selection(1 if key == Qt.Key.Key_Down else -1)
            return
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp) and self.popup.isVisible():
            self.popup.move_selection(8 if key == Qt.Key.Key_PageDown else -8)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_current()
            return
        if key == Qt.Key.Key_Escape:
            if self.popup.isVisible():
                self.popup.hide()
            elif self.text():
                self.clear()
            else:
                self.clearFocus()
                self.escape_pressed.emit()
            return
        super().keyPressEvent(event)

    escape_pressed = Signal()

    def focusInEvent(self, event: Any) -> None:
        super().focusInEvent(event)
        QTimer.singleShot(0, self.selectAll)
        if self.text().strip() and self.popup.model.items:
            self._show_popup(self.popup.model.items)

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        # Later, so that a click on the popup is handled before it goes away.
        QTimer.singleShot(200, self._hide_unless_focused)

    def _hide_unless_focused(self) -> None:
        if not self.hasFocus() and not self.popup.underMouse():
            self.popup.hide()

    def tint_icon(self) -> None:
        """Redraw the search icon for the current palette (the window calls it on a change)."""
        self._search_icon.setIcon(style.icon("search"))

    def event(self, event: QEvent) -> bool:
        # Tab would otherwise leave the field while a result list is open.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and self.popup.isVisible()
        ):
            self.popup.move_selection(1)
            return True
        return super().event(event)
