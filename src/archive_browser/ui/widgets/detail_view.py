"""The detail pane: one record as escaped rich text whose related records are links.

Every piece of record text goes through `html.escape`: nothing in the data is ever read as
HTML. Links use the internal scheme `record:<id>` (`record:person/seeckt`) and only ever
navigate inside the program; the browser never opens URLs or files itself.

A record from a hostile or huge archive must not freeze the window: each text is cut at
`TEXT_PREVIEW_CHARS` (a "Show all text" link shows up to `TEXT_FULL_CHARS`), and only the
first `LINK_PAGE` links are read ("Show all related records" reads up to `LINKS_FULL`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from archive_browser.core.archive import Link, Record
from archive_browser.core.names import scheme_label
from archive_browser.core.record_types import PROVENANCE, RECORD_TYPES, Column
from archive_browser.core.text import escape_lines
from archive_browser.ui.widgets import style

RECORD_SCHEME = "record"
# The pane's own actions: `show:text` (every text in full), `show:links` (every link).
SHOW_SCHEME = "show"
TEXT_PREVIEW_CHARS = 20_000
# Even "show all" stops here: a text browser lays out a megabyte in about a second.
TEXT_FULL_CHARS = 1_000_000
# "Show all related records" reads at most this many links.
LINKS_FULL = 5_000

# Columns that are not shown as a field line: the title is the heading, the summary its own
# paragraph, provenance a section of its own.
_NOT_FIELD_LINES = {"summary", *(c.name for c in PROVENANCE)}


def record_url(record_id: str) -> str:
    return f"{RECORD_SCHEME}:{record_id}"


def record_id_from_url(url: QUrl) -> str | None:
    """`record:person/seeckt` -> `person/seeckt`; None for any other kind of link."""
    if url.scheme() != RECORD_SCHEME:
        return None
    record_id = url.path()
    return record_id if "/" in record_id else None


def e(text: object) -> str:
    """Escaped text, line breaks kept."""
    return escape_lines(text)


def link_html(record_id: str, title: str) -> str:
    return f'<a href="{e(record_url(record_id))}">{e(title)}</a>'


def _field_value(column: Column, fields: dict[str, Any]) -> str:
    if column.kind == "date":
        value = fields.get(f"{column.name}_display") or fields.get(column.name)
    else:
        value = fields.get(column.name)
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _section(title: str, body: str) -> str:
    return f"<h3>{e(title)}</h3>{body}" if body else ""


def _fields_html(record: Record) -> str:
    record_type = record.record_type
    lines = []
    for column in record_type.columns:
        if column.name in _NOT_FIELD_LINES or column.name == record_type.title_column:
            continue
        value = _field_value(column, record.fields)
        if value:
            lines.append(f"<tr><td class='label'>{e(column.label)}</td><td>{e(value)}</td></tr>")
    return f"<table cellspacing='0' cellpadding='2'>{''.join(lines)}</table>" if lines else ""


def _quotes_html(record: Record, title_of: Callable[[str], str | None]) -> str:
    items = []
    for quote in record.quotes:
        parts = [f"<p class='quote'>“{e(quote.get('text') or '')}”</p>"]
        credit = []
        speaker = quote.get("speaker_id")
        if speaker and speaker != record.id:
            credit.append("— " + link_html(speaker, quote.get("speaker_name") or speaker))
        owner = quote.get("record_id")
        if owner and owner != record.id:
            credit.append("in " + link_html(owner, title_of(owner) or owner))
        if quote.get("reconstructed"):
            credit.append("<i>reconstructed from a garbled copy</i>")
        if quote.get("note"):
            credit.append(e(quote["note"]))
        if credit:
            parts.append(f"<p class='muted'>{'; '.join(credit)}</p>")
        items.append("".join(parts))
    return "".join(items)


def _citations_html(record: Record) -> str:
    rows = []
    for citation in record.citations:
        # In the user's chosen style (View ▸ Citation Style), never the internal file key.
        # Imported here: the parser loads with the first page that shows a reference.
        from archive_browser.core.citations import display_citation

        text = citation.get("text") or ""
        styled = display_citation(citation)
        suffix = f" <span class='muted'>({e(styled)})</span>" if styled and styled != text else ""
        rows.append(f"<li>{e(text)}{suffix}</li>")
    return f"<ul>{''.join(rows)}</ul>" if rows else ""


def _aliases_html(aliases: Iterable[tuple[str, str]]) -> str:
    schemes_of: dict[str, list[str]] = {}
    for alias, scheme in aliases:
        schemes = schemes_of.setdefault(alias, [])
        label = scheme_label(scheme)
        if label and label not in schemes:
            schemes.append(label)
    items = []
    for alias, schemes in schemes_of.items():
        note = f" <span class='muted'>({e(', '.join(schemes))})</span>" if schemes else ""
        items.append(f"{e(alias)}{note}")
    return f"<p>{'; '.join(items)}</p>" if items else ""


def _links_html(links: Iterable[Link]) -> str:
    by_type: dict[str, list[Link]] = {}
    for link in links:
        by_type.setdefault(link.type, []).append(link)
    parts = []
    for type_name, record_type in RECORD_TYPES.items():
        group = by_type.pop(type_name, [])
        if group:
            parts.append(_link_group(record_type.tab_title, group))
    for type_name, group in by_type.items():  # a type this program does not know
        parts.append(_link_group(type_name, group))
    return "".join(parts)


def _link_group(title: str, links: list[Link]) -> str:
    items = []
    for link in links:
        role = f" <span class='muted'>— {e(link.role)}</span>" if link.role else ""
        items.append(f"<li>{link_html(link.id, link.title)}{role}</li>")
    return f"<h4>{e(title)}</h4><ul>{''.join(items)}</ul>"


def _provenance_html(fields: dict[str, Any]) -> str:
    lines = []
    seed = str(fields.get("seed") or "").strip()
    if seed:
        numbers = ", ".join(p.strip() for p in seed.split(";") if p.strip())
        word = "paragraph" if "," not in numbers else "paragraphs"
        lines.append(f"<p>Rests on the source article, {word} {e(numbers)}.</p>")
    if fields.get("added"):
        lines.append(f"<p><b>Added from reference:</b> {e(fields['added'])}</p>")
    if fields.get("note"):
        lines.append(f"<p><b>Editorial note:</b> {e(fields['note'])}</p>")
    return "".join(lines)


# Qt lays out a run of characters without a break opportunity in quadratic time (a
# megabyte of "SSSS…" takes a minute): long runs get a zero-width space every so often.
_UNBROKEN_RUN = re.compile(r"(\S{200})(?=\S)")
_LONG_TEXT = 2_000


def _clip(value: Any, limit: int, cut: list[int]) -> Any:
    """A text cut at `limit` characters, with what was left out said; `cut` counts cuts."""
    if not isinstance(value, str) or len(value) <= _LONG_TEXT:
        return value
    if len(value) > limit:
        cut.append(len(value) - limit)
        value = f"{value[:limit]} … [{len(value) - limit:,} more characters]"
    return _UNBROKEN_RUN.sub("\\1\u200b", value)


def clipped_record(record: Record, limit: int) -> tuple[Record, int]:
    """The record with every text cut at `limit` characters, and how many texts were cut."""
    cut: list[int] = []

    def clip(value: Any) -> Any:
        return _clip(value, limit, cut)

    def clip_dict(values: dict[str, Any]) -> dict[str, Any]:
        return {key: clip(value) for key, value in values.items()}

    clipped = dataclasses.replace(
        record,
        title=clip(record.title),
        fields=clip_dict(record.fields),
        links=tuple(
            dataclasses.replace(link, title=clip(link.title), role=clip(link.role))
            for link in record.links
        ),
        quotes=tuple(clip_dict(quote) for quote in record.quotes),
        citations=tuple(clip_dict(citation) for citation in record.citations),
        aliases=tuple((clip(alias), clip(scheme)) for alias, scheme in record.aliases),
    )
    return clipped, len(cut)


def _more_links_html(record: Record) -> str:
    if record.all_links_read:
        return ""
    shown, total = len(record.links), record.link_count or 0
    if shown >= LINKS_FULL:
        return (
            f"<p class='muted'>The first {shown:,} of {total:,} related records; "
            "<tt>archive-browser show ID --json --all-links</tt> lists them all.</p>"
        )
    return (
        f"<p class='muted'>The first {shown:,} of {total:,} related records. "
        f"<a href='{SHOW_SCHEME}:links'>Show all related records</a></p>"
    )


def record_html(
    record: Record,
    title_of: Callable[[str], str | None] = lambda _id: None,
    muted: str = "#777777",
    text_limit: int = TEXT_PREVIEW_CHARS,
) -> str:
    """The whole detail page of a record (every record text escaped, cut at `text_limit`
    characters)."""
    record, cut = clipped_record(record, text_limit)
    more_text = ""
    if cut and text_limit < TEXT_FULL_CHARS:
        more_text = (
            f"<p class='muted'>Long text is cut here. "
            f"<a href='{SHOW_SCHEME}:text'>Show all text</a></p>"
        )
    record_type = record.record_type
    summary = record.fields.get("summary") or ""
    css = (
        "h2 { margin-bottom: 0; } h3 { margin-top: 14px; margin-bottom: 4px; }"
        " h4 { margin-top: 8px; margin-bottom: 2px; }"
    )
    body = [
        f"<style>{css}</style>",
        f"<h2>{e(record.title)}</h2>",
        f"<p class='muted'>{e(record_type.singular)} · {e(record.id)}</p>",
        more_text,
        _fields_html(record),
        f"<p>{e(summary)}</p>" if summary else "",
        _section("Quotes", _quotes_html(record, title_of)),
        _section("Archival references", _citations_html(record)),
        _section("Also written", _aliases_html(record.aliases)),
        _section("Related records", _links_html(record.links) + _more_links_html(record)),
        _section("Provenance", _provenance_html(record.fields)),
    ]
    # Qt's rich text ignores class selectors: the classes become inline styles. Record text
    # cannot contain these attribute strings: html.escape turned its quotes into entities.
    page = "".join(body)
    for name, rule in (
        ("muted", f"color: {muted}"),
        ("label", f"color: {muted}; padding-right: 12px"),
        ("quote", "font-style: italic; margin-left: 12px"),
    ):
        page = page.replace(f"class='{name}'", f"style='{rule}'")
    return page


class _Browser(QTextBrowser):
    """A text browser that hands Escape to its owner (back to the table)."""

    escape_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        super().keyPressEvent(event)


class DetailPane(QWidget):
    """Shows one record. `link_activated(record_id)` when a related record is clicked.

    Extension point: `extra_area` (a QVBoxLayout under the text) or `add_section(widget)`
    for a notes editor, a bookmark star and the like; `record_id` is the record shown.
    The record text and the sections share a vertical `splitter` (the user drags how much
    room the notes get, or collapses them to a strip); `escape_pressed` when Esc is pressed
    in the text or in a section, `focus_editor()` moves into a section's text editor.
    """

    link_activated = Signal(str)
    # "Show all related records" was clicked: the owner reads more links (`show_record`).
    more_links_requested = Signal(str)
    escape_pressed = Signal()

    def __init__(
        self,
        title_of: Callable[[str], str | None] = lambda _id: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title_of = title_of
        self.record_id: str | None = None
        self.record: Record | None = None
        self.browser = _Browser(self)
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._on_anchor)
        self.browser.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.browser.escape_pressed.connect(self.escape_pressed)
        # Said above the record when the tab's filter has removed it from the table.
        self.hint_label = QLabel(self)
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hint_label.setWordWrap(True)
        self.hint_label.setContentsMargins(6, 2, 6, 2)
        self.hint_label.hide()
        self.sections = QWidget(self)
        self.extra_area = QVBoxLayout(self.sections)
        self.extra_area.setContentsMargins(6, 0, 6, 6)
        self.sections.hide()  # shown by the first section: no empty strip under the text
        # Esc in a section (the notes editor) goes back to the table, as it does in the text.
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.sections)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.escape_pressed)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("record_and_notes")
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(self.sections)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, True)  # the notes fold away to the handle's strip
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self._sized = False  # the first sizes are set once the pane knows its height
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.splitter, 1)
        self.setFocusProxy(self.browser)
        self.clear()

    def add_section(self, widget: QWidget) -> None:
        """Put `widget` under the record text (a notes editor, a bookmark star...)."""
        self.extra_area.addWidget(widget)
        self.sections.show()
        # Tab goes from the record's last link into the sections, in the order they were added.
        focusable = [
            child
            for child in self.sections.findChildren(QWidget)
            # Not the children of a section's popup (a combo box's list): another window.
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus and child.window() is self.window()
        ]
        previous: QWidget = self.browser
        for child in focusable:
            QWidget.setTabOrder(previous, child)
            previous = child

    def set_hint(self, text: str) -> None:
        """A line above the record ("not in the filtered list"); "" hides it."""
        self.hint_label.setText(text)
        self.hint_label.setVisible(bool(text))

    def focus_editor(self) -> bool:
        """Move into the first usable text editor of the sections (the notes); False if
        there is none (no record chosen, notes off)."""
        for editor in self.sections.findChildren(QWidget):
            if (
                isinstance(editor, QPlainTextEdit | QTextEdit)
                and editor.isEnabled()
                and editor.isVisible()
                and not editor.isReadOnly()
            ):
                if self.splitter.sizes()[1] == 0:  # folded away: unfold to write
                    self.splitter.setSizes(self._first_sizes())
                editor.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
        return False

    def save_state(self) -> QByteArray:
        return self.splitter.saveState()

    def restore_state(self, state: object) -> None:
        if isinstance(state, QByteArray) and not state.isEmpty():
            self._sized = self.splitter.restoreState(state)

    def _first_sizes(self) -> list[int]:
        """The text gets everything but the sections' smallest comfortable height."""
        total = max(sum(self.splitter.sizes()), self.splitter.height())
        notes = min(self.sections.minimumSizeHint().height(), total // 2)
        return [total - notes, notes]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._sized and self.sections.isVisibleTo(self) and self.splitter.height() > 0:
            self._sized = True
            self.splitter.setSizes(self._first_sizes())

    def show_record(self, record: Record, text_limit: int = TEXT_PREVIEW_CHARS) -> None:
        self.record = record
        self.record_id = record.id
        self.browser.setHtml(
            record_html(record, self.title_of, style.muted_colour(), text_limit=text_limit)
        )

    def show_all_text(self) -> None:
        """The shown record with its long texts in full (up to TEXT_FULL_CHARS each)."""
        if self.record is not None:
            self.show_record(self.record, TEXT_FULL_CHARS)

    def clear(self, message: str = "Choose a record in the table, or search with Ctrl+K.") -> None:
        self.record = None
        self.record_id = None
        self.browser.setHtml(f"<p style='color: {style.muted_colour()}'>{e(message)}</p>")

    def text(self) -> str:
        return self.browser.toPlainText()

    def activate_link(self, record_id: str) -> None:
        """What a click on the link to `record_id` does (tests and keyboard use)."""
        self._on_anchor(QUrl(record_url(record_id)))

    def link_targets(self) -> list[str]:
        """The record ids the shown page links to, in page order."""
        targets: list[str] = []
        block = self.browser.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                href = fragment.charFormat().anchorHref()
                if href:
                    target = record_id_from_url(QUrl(href))
                    if target and target not in targets:
                        targets.append(target)
                it += 1
            block = block.next()
        return targets

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == SHOW_SCHEME and self.record_id is not None:
            if url.path() == "text":
                self.show_all_text()
            elif url.path() == "links":
                self.more_links_requested.emit(self.record_id)
            return
        record_id = record_id_from_url(url)
        if record_id is not None:
            self.link_activated.emit(record_id)
