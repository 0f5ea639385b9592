"""File ▸ Open archive, Open recent, Import and New import template, in the window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from test_import import FINDING_AID, write_finding_aid

from archive_browser.core.archive import Archive
from archive_browser.ui.app import create_window, make_settings
from archive_browser.ui.features.library import ArchiveActions
from archive_browser.ui.hooks import hooks_of
from archive_browser.ui.widgets.main_window import MainWindow


@pytest.fixture
def window(qtbot, built_archive: Path) -> Iterator[MainWindow]:
    archive = Archive.open(built_archive)
    win = create_window(archive, make_settings())
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    win.archive.close()


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: said.append(text))
    return said


def actions_of(window: MainWindow) -> ArchiveActions:
    hooks = hooks_of(window)
    actions = hooks.feature(ArchiveActions) if hooks is not None else None
    assert actions is not None
    return actions


def test_the_file_menu_offers_the_archive_actions(window: MainWindow) -> None:
    texts = [a.text() for a in window.file_menu.actions()]
    assert "&Open Archive…" in texts and "&Import Finding Aid…" in texts
    assert "New Import &Template…" in texts and "Open &Recent" in texts


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some notes, not a database", "is not an archive database"),
        (None, "There is no archive at"),
    ],
)
def test_opening_a_non_archive_says_so_and_keeps_the_current_one(
    window: MainWindow, warnings: list[str], tmp_path: Path, content: bytes | None, message: str
) -> None:
    before = window.archive
    path = tmp_path / "notes.db"
    if content is not None:
        path.write_bytes(content)
    assert not actions_of(window).open_archive(path)
    assert len(warnings) == 1 and message in warnings[0]
    assert window.archive is before
    assert window.archive.title_of("person/seeckt") == "Hans von Seeckt"


def test_opening_another_archive_rebuilds_the_tabs_and_is_remembered(
    qtbot, window: MainWindow, make_archive, built_archive: Path
) -> None:
    other = make_archive(
        {
            "people.csv": [
                "id,name,kind,summary",
                "person/berzin,Yan Berzin,person,Intelligence chief",
            ]
        }
    )
    assert actions_of(window).open_archive(other)
    people = window.entity_tabs["person"]
    qtbot.waitUntil(lambda: people.model.loaded and people.model.rowCount() == 1, timeout=5000)
    assert window.archive.path == other
    recent = actions_of(window).recent()
    assert recent[:2] == [str(other.resolve()), str(built_archive.resolve())]


def test_import_in_the_window_writes_and_opens_the_new_archive(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Open)
    folder = write_finding_aid(tmp_path / "aid", FINDING_AID)
    out = tmp_path / "mine.db"
    actions = actions_of(window)
    actions.start_import([folder], out, title="My visits")
    qtbot.waitUntil(lambda: not actions.importing, timeout=15000)
    assert out.exists()
    assert window.archive.path == out and window.archive.title == "My visits"
    assert any("sources.csv:5: warning:" in p for p in actions.last_problems)


def test_import_with_errors_lists_them_and_writes_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "open", lambda self: None)
    broken = dict(FINDING_AID)
    broken["links.csv"] = [*FINDING_AID["links.csv"], "person/berzin;site/nowhere;visited"]
    folder = write_finding_aid(tmp_path / "aid", broken)
    out = tmp_path / "mine.db"
    before = window.archive
    actions = actions_of(window)
    actions.start_import([folder], out)
    qtbot.waitUntil(lambda: not actions.importing, timeout=15000)
    assert not out.exists() and window.archive is before
    assert any(p.startswith("links.csv:6: to 'site/nowhere'") for p in actions.last_problems)


def test_new_import_template_writes_the_files(window: MainWindow, tmp_path: Path) -> None:
    written = actions_of(window).write_templates(tmp_path / "tpl")
    assert {p.name for p in written} >= {
        "people.csv",
        "sites.csv",
        "events.csv",
        "sources.csv",
        "links.csv",
    }
