"""Injection: record text and notes are shown as text, links stay inside, SQL never holds them.

An archive is built whose every text field carries markup (`<b>`, `<img>`, an `http:` and a
`file:` anchor, a script, an entity); a note carries the same. Each place the program shows
text is rendered the way Qt renders it (rich text when `Qt.mightBeRichText` says so) and
must show the markup literally. Links in the detail pane never reach QDesktopServices.
Exported CSV cells never start a formula. User text reaches SQLite only as a bound value.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui's Qt namespace

from archive_browser.core import export
from archive_browser.core.archive import Archive
from archive_browser.core.citations import find_citing, parse_citations
from archive_browser.core.importer import build_archive
from archive_browser.core.store import UserStore

# Markup that would change what is shown if any of it were read as HTML.
MARKUP = (
    '<b>BOLD</b><a href="http://evil.example/x">EVIL</a><img src="file:///etc/passwd">'
    '<a href="file:///etc/passwd">FILE</a><script>alert(1)</script>&amp;&lt;'
)
FORMULA = '=HYPERLINK("http://evil.example/","open")'
checks_run: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def report_counts() -> Iterator[None]:
    yield
    target = os.environ.get("ARCHIVE_BROWSER_COUNTS_FILE")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            for what, count in sorted(checks_run.items()):
                out.write(json.dumps({"file": "test_injection.py", "what": what, "count": count}))
                out.write("\n")


def counted(what: str) -> None:
    checks_run[what] = checks_run.get(what, 0) + 1


def write_csv(folder: Path, name: str, rows: list[list[str]]) -> None:
    with (folder / name).open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)


@pytest.fixture(scope="module")
def hostile_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    m = MARKUP
    write_csv(
        folder,
        "people.csv",
        [
            ["id", "name", "name_ru", "kind", "role", "nationality", "summary", "note"],
            ["person/evil", f"{m} Person", f"{m} Злодей", "person", m, m, f"{m} summary", m],
            ["person/plain", "Plain Person", "", "person", "", "", "Met the evil person.", ""],
        ],
    )
    write_csv(
        folder,
        "sites.csv",
        [
            ["id", "name", "kind", "cover_name", "lat", "lon", "period", "summary"],
            ["site/evil", f"{m} Site", m, m, "52.61", "39.57", "1925/1933", f"{m} summary"],
        ],
    )
    write_csv(
        folder,
        "events.csv",
        [
            ["id", "date", "title", "theme", "summary"],
            ["event/evil", "1926-05", f"{m} Event", "war", f"{m} summary"],
        ],
    )
    write_csv(
        folder,
        "sources.csv",
        [
            ["id", "title", "kind", "archive", "citation", "date", "author", "summary"],
            [
                "source/evil",
                f"{m} Source",
                "document",
                m,
                f"РГВА, ф. 33987, оп. 3, д. 295 {m}",
                "1926",
                m,
                f"{m} summary",
            ],
        ],
    )
    write_csv(
        folder,
        "links.csv",
        [
            ["from", "to", "role"],
            ["person/evil", "site/evil", m],
            ["person/plain", "person/evil", m],
        ],
    )
    write_csv(folder, "aliases.csv", [["record", "alias", "scheme"], ["person/evil", m, m]])
    write_csv(
        folder,
        "quotes.csv",
        [
            ["id", "record", "speaker", "text", "reconstructed"],
            ["quote/evil", "source/evil", "person/evil", m, "yes"],
        ],
    )
    out = folder / "hostile.db"
    build_archive(folder, out, archive_id="hostile", title=f"{m} archive")
    return out


def shown_as(text: str) -> str:
    """What Qt shows for a label, tooltip or list text: rich text if it looks like it."""
    if not GuiQt.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def assert_literal(shown_text: str) -> None:
    # The tag names and the link target are on screen: nothing of MARKUP was obeyed.
    for piece in ("<b>BOLD</b>", '<a href="http://evil.example/x">', "<script>", "<img src="):
        assert piece in shown_text, (piece, shown_text[:300])


def wait_loaded(qtbot, window) -> None:
    qtbot.waitUntil(
        lambda: all(t.model.loaded and not t.model.busy for t in window.entity_tabs.values()),
        timeout=10_000,
    )


@pytest.fixture
def window(qtbot, hostile_archive: Path) -> Iterator[Any]:
    from archive_browser.ui.app import create_window, make_settings

    with Archive.open(hostile_archive) as archive:
        win = create_window(archive, make_settings())
        qtbot.addWidget(win)
        win.show()
        wait_loaded(qtbot, win)
        yield win
        win.close()


RECORD_IDS = ["person/evil", "site/evil", "event/evil", "source/evil", "person/plain"]


# ----------------------------------------------------------------------------- detail pane


def anchors_and_images(document: QTextDocument) -> tuple[list[str], int]:
    hrefs, images = [], 0
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            char_format = it.fragment().charFormat()
            if char_format.isAnchor():
                hrefs.append(char_format.anchorHref())
            images += char_format.isImageFormat()
            it += 1
        block = block.next()
    return hrefs, images


@pytest.mark.parametrize("record_id", RECORD_IDS)
def test_detail_pane_shows_markup_as_text(window: Any, record_id: str) -> None:
    counted("detail pane pages rendered")
    assert window.open_record(record_id)
    pane = window.current_entity_tab().detail
    assert_literal(pane.text())
    hrefs, images = anchors_and_images(pane.browser.document())
    assert images == 0
    assert all(QUrl(h).scheme() == "record" for h in hrefs), hrefs
    if record_id in ("person/evil", "person/plain"):
        assert hrefs  # its related records are links, and only those


def test_links_in_the_detail_pane_never_leave_the_program(
    window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    assert window.open_record("person/evil")
    pane = window.current_entity_tab().detail
    assert not pane.browser.openExternalLinks() and not pane.browser.openLinks()
    hrefs, _ = anchors_and_images(pane.browser.document())
    outside = ["http://evil.example/x", "file:///etc/passwd", "javascript:alert(1)", "mailto:x@y"]
    for href in outside:
        counted("outside links clicked")
        pane.browser.anchorClicked.emit(QUrl(href))
        assert window.current_record_id() == "person/evil"
    for href in hrefs:
        counted("record links clicked")
        pane.browser.anchorClicked.emit(QUrl(href))
    assert opened == []
    assert window.current_record_id() in {"site/evil", "person/plain", "person/evil"}


# ----------------------------------------------------------------------------- tooltips


def test_table_tooltips_show_markup_as_text(window: Any) -> None:
    tips = []
    for tab in window.entity_tabs.values():
        model = tab.model
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                tip = model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole)
                if tip and "BOLD" in tip:
                    counted("table tooltips rendered")
                    tips.append(shown_as(tip))
    assert tips, "no long hostile cell got a tooltip"
    for shown_text in tips:
        assert_literal(shown_text)


def test_timeline_and_map_tooltips_and_labels_are_plain(qtbot, hostile_archive: Path) -> None:
    from archive_browser.ui.features.pictures.map_view import MapView
    from archive_browser.ui.features.pictures.timeline import TimelineView

    with Archive.open(hostile_archive) as archive:
        timeline, map_view = TimelineView(archive), MapView(archive)
        for widget in (timeline, map_view):
            qtbot.addWidget(widget)
            widget.show()
        qtbot.waitUntil(lambda: bool(timeline.event_items() and map_view.markers()), timeout=10_000)
        for item in [*timeline.event_items(), *map_view.markers()]:
            counted("timeline and map tooltips rendered")
            assert_literal(shown_as(item.toolTip()))
        for marker in map_view.markers():
            counted("map labels checked")
            assert marker.label.text == f"{MARKUP} Site"  # drawn with drawText: plain text


# ----------------------------------------------------------------------------- search, notebook


def test_global_search_results_show_markup_as_text(window: Any) -> None:
    from archive_browser.ui.widgets.global_search import ResultListModel, items_from_hits

    items = items_from_hits(window.archive.search("BOLD"))
    assert {i.record_id for i in items} >= {"person/evil", "site/evil", "event/evil"}
    for item in items:
        counted("global search results rendered")
        document = QTextDocument()
        document.setHtml(ResultListModel._html(item))
        shown_text = document.toPlainText()
        assert item.title in shown_text  # the title, markup and all, as text
        assert "<b>BOLD</b>" in shown_text


def test_notebook_shows_notes_and_titles_as_text(qtbot, hostile_archive: Path) -> None:
    from archive_browser.ui.features.notes.notebook import NotebookModel, notebook_rows

    with Archive.open(hostile_archive) as archive, UserStore.open() as store:
        store.add_note("hostile", "person/evil", f"{MARKUP}\nsecond line {MARKUP}")
        store.toggle_bookmark("hostile", "site/evil")
        model = NotebookModel()
        model.set_rows(notebook_rows(store, archive))
        assert model.rowCount() >= 2
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                index = model.index(row, column)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.data(index, role)
                    if isinstance(value, str) and "BOLD" in value:
                        counted("notebook cells and tooltips rendered")
                        # Item views paint DisplayRole as plain text; tooltips may be rich.
                        shown_text = (
                            value if role == Qt.ItemDataRole.DisplayRole else shown_as(value)
                        )
                        assert "<b>BOLD</b>" in shown_text, (role, value)


# ----------------------------------------------------------------------------- CSV


def test_exported_csv_never_starts_a_formula(hostile_archive: Path) -> None:
    from archive_browser.cli import archive_record_info

    starts = ("=", "+", "-", "@", "\t", "\r")
    texts = [FORMULA, "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1", MARKUP]
    with Archive.open(hostile_archive) as archive, UserStore.open() as store:
        for text in texts:
            store.add_note("hostile", "person/evil", text)
        out = io.StringIO()
        export.write_notes_csv(store, "hostile", archive_record_info(archive), out)
    rows = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    for cell in cells:
        counted("CSV cells checked")
        assert not cell.startswith(starts), cell
    assert {export.restore_cell(c) for c in cells} >= set(texts)  # nothing lost on the way


# ----------------------------------------------------------------------------- SQL


class RecordingConnection:
    """Stands in for a sqlite3.Connection and keeps the SQL text of every statement."""

    def __init__(self, conn: sqlite3.Connection, statements: list[str]) -> None:
        self._conn = conn
        self._statements = statements

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._statements.append(sql)
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._statements.append(sql)
        return self._conn.executemany(sql, *args)

    def executescript(self, sql: str) -> sqlite3.Cursor:
        self._statements.append(sql)
        return self._conn.executescript(sql)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


SQL_MARKER = "zq7'\"); DROP TABLE records; --"
HOSTILE_TEXTS = [
    SQL_MARKER,
    f"Lipetsk {SQL_MARKER}",
    f'"{SQL_MARKER}" OR title:x',
    f"РГВА ф. 33987 оп. 3 д. 295 {SQL_MARKER}",
]


def test_user_text_reaches_sqlite_only_as_bound_values(
    hostile_archive: Path, tmp_path: Path
) -> None:
    statements: list[str] = []
    with Archive.open(hostile_archive) as archive, UserStore.open() as store:
        archive.conn = RecordingConnection(archive.conn, statements)  # type: ignore[assignment]
        store._conn = RecordingConnection(store._conn, statements)  # type: ignore[assignment]
        for text in HOSTILE_TEXTS:
            counted("hostile strings run through every query path")
            archive.search(text)
            archive.did_you_mean(text)
            for type_name in ("person", "site", "event", "source"):
                archive.ids(type_name, text)
            archive.get(text)
            for citation in parse_citations(text):
                find_citing(archive.conn, citation)  # type: ignore[arg-type]
            note = store.add_note("hostile", "person/evil", text)
            store.update_note(note.id, text + text)
            store.search_notes("hostile", text)
            store.toggle_bookmark("hostile", text)
            store.remember_archive(tmp_path / text.replace("/", "_"), text, text)
        assert len(statements) > 50  # the recorder really saw the queries
        for sql in statements:
            assert "zq7" not in sql, sql
        assert [n.text for n in store.notes("hostile")][-1] == HOSTILE_TEXTS[-1] * 2
