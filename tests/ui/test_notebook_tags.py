"""The Notebook's Tags column and its tag filter, over a real store and the built archive."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from archive_browser.core.archive import Archive
from archive_browser.core.store import UserStore
from archive_browser.ui.features.notes.notebook import (
    ALL_TAGS,
    NotebookModel,
    NotebookTab,
    notebook_rows,
)

SEECKT, LIPETSK, KAZAN = "person/seeckt", "site/lipetsk", "site/kazan"


def shown(tab: NotebookTab, column: int) -> list[str]:
    model = tab.model
    return sorted(model.data(model.index(row, column)) for row in range(model.rowCount()))


def test_tags_column_and_filter(qtbot, built_archive: Path, tmp_path: Path) -> None:
    archive = Archive.open(built_archive)
    store = UserStore.open(tmp_path / "notes.sqlite3")
    store.add_note(archive.archive_id, SEECKT, "Chief of the Army Command")
    store.add_note(archive.archive_id, LIPETSK, "Flying school")
    store.toggle_bookmark(archive.archive_id, KAZAN)
    store.add_tags(archive.archive_id, SEECKT, ["Reichswehr", "Липецк"])
    store.add_tags(archive.archive_id, LIPETSK, ["липецк"])
    store.add_tags(archive.archive_id, "event/rapallo-treaty", ["Treaty"])  # no note

    tab = NotebookTab(lambda: notebook_rows(store, archive))
    qtbot.addWidget(tab)
    tab.refresh()
    assert tab.model.HEADERS[NotebookModel.TAGS] == "Tags"
    model = tab.model
    by_title = {
        model.data(model.index(r, NotebookModel.TITLE)): model.data(
            model.index(r, NotebookModel.TAGS)
        )
        for r in range(model.rowCount())
    }
    assert by_title[archive.title_of(SEECKT)] == "Reichswehr; Липецк"
    assert by_title[archive.title_of(LIPETSK)] == "Липецк"
    assert by_title[archive.title_of(KAZAN)] == ""
    combo = tab.tag_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        ALL_TAGS,
        "Reichswehr",
        "Treaty",
        "Липецк",
    ]

    combo.setCurrentIndex(combo.findText("Липецк"))
    assert shown(tab, NotebookModel.TITLE) == sorted(
        [archive.title_of(SEECKT), archive.title_of(LIPETSK)]
    )
    assert tab.count_label.text() == f"2 of {model.total}"
    combo.setCurrentIndex(combo.findText("Treaty"))
    assert shown(tab, NotebookModel.NOTE) == ["(tagged)"]

    # A merge elsewhere (another window, the command line) and a reload: the chosen tag is
    # gone, so every row is shown again.
    store.merge_tags("Treaty", "Reichswehr")
    tab.refresh()
    assert combo.currentText() == ALL_TAGS and model.rowCount() == model.total == 4
    combo.setCurrentIndex(combo.findText("Reichswehr"))
    assert model.rowCount() == 2
    tab.refresh()  # a reload keeps a tag that still exists
    assert combo.currentText() == "Reichswehr" and model.rowCount() == 2

    model.sort(NotebookModel.TAGS, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, NotebookModel.TAGS)) == "Reichswehr"
    store.close()
