"""The detail pane: one record as escaped rich text whose related records are links.

Every piece of record text goes through `html.escape`: nothing in the data is ever read as
HTML. Links use the internal scheme `record:<id>` (`record:person/seeckt`) and only ever
navigate inside the program; the browser never opens URLs or files itself.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from archive_browser.core.archive import Link, Record
from archive_browser.core.record_types import PROVENANCE, RECORD_TYPES, Column
from archive_browser.ui.widgets import style

RECORD_SCHEME = "record"

# Columns that are not shown as a field line: the title is the heading, the summary its own
# paragraph, provenance a section of its own.
_NOT_FIELD_LINES = {"summary", *(c.name for c in PROVENANCE)}

SCHEME_LABELS = {
    "ala-lc": "ALA-LC",
    "bgn-pcgn": "BGN/PCGN",
    "iso9": "ISO 9",
    "iso-9": "ISO 9",
    "english-old": "older English",
    "cover-name": "cover name",
    "wikipedia": "English",
    "duden": "German (Duden)",
}


def record_url(record_id: str) -> str:
    return f"{RECORD_SCHEME}:{record_id}"


def record_id_from_url(url: QUrl) -> str | None:
    """`record:person/seeckt` -> `person/seeckt`; None for any other kind of link."""
    if url.scheme() != RECORD_SCHEME:
        return None
    record_id = url.path()
    return record_id if "/" in record_id else None


def scheme_label(scheme: str | None) -> str:
    if not scheme:
        return ""
    return SCHEME_LABELS.get(scheme.lower(), scheme.replace("-", " ").capitalize())


def e(text: object) -> str:
    """Escaped text, line breaks kept."""
    return html.escape(str(text), quote=True).replace("\n", "<br>")


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


def record_html(
    record: Record, title_of: Callable[[str], str | None] = lambda _id: None, muted: str = "#777777"
) -> str:
    """The whole detail page of a record (every record text escaped)."""
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
        _fields_html(record),
        f"<p>{e(summary)}</p>" if summary else "",
        _section("Quotes", _quotes_html(record, title_of)),
        _section("Archival references", _citations_html(record)),
        _section("Also written", _aliases_html(record.aliases)),
        _section("Related records", _links_html(record.links)),
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
    """

    link_activated = Signal(str)

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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.browser, 1)
        self.extra_area = QVBoxLayout()
        self.extra_area.setContentsMargins(6, 0, 6, 6)
        layout.addLayout(self.extra_area)
        self.setFocusProxy(self.browser)
        self.clear()

    def add_section(self, widget: QWidget) -> None:
        """Put `widget` under the record text (a notes editor, a bookmark star...)."""
        self.extra_area.addWidget(widget)

    def show_record(self, record: Record) -> None:
        self.record = record
        self.record_id = record.id
        self.browser.setHtml(record_html(record, self.title_of, style.muted_colour()))

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
        record_id = record_id_from_url(url)
        if record_id is not None:
            self.link_activated.emit(record_id)
