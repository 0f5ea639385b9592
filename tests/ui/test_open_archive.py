"""File ▸ Open archive, Open recent, Import and New import template, in the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from archive_browser.core.archive import Archive
from archive_browser.core.store import UserStore
from archive_browser.ui.app import create_window, make_settings
from archive_browser.ui.features.library import LEGACY_RECENT_KEY, ArchiveActions
from archive_browser.ui.widgets.main_window import MainWindow
from helpers.finding_aid import FINDING_AID, write_finding_aid
from helpers.windows import feature_of


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    # The program's boxes are built plain (ui/widgets/messages.py) and shown with exec().
    monkeypatch.setattr(QMessageBox, "exec", lambda box: said.append(box.text()) or 0)
    return said


def actions_of(window: MainWindow) -> ArchiveActions:
    return feature_of(window, ArchiveActions)


def test_the_file_menu_offers_the_archive_actions(window: MainWindow) -> None:
    texts = [a.text() for a in window.file_menu.actions()]
    assert "&Open Archive…" in texts and "&Import Finding Aid Folder…" in texts
    assert "&Import File (CSV, XLSX, EAD)…" in texts
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
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Open.value)
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


def test_the_recent_list_lives_in_the_user_store_and_survives_a_settings_reset(
    qtbot, window: MainWindow, make_archive, built_archive: Path
) -> None:
    other = make_archive({"people.csv": ["id,name,kind,summary", "person/x,X,person,s"]})
    assert actions_of(window).open_archive(other)
    window.settings.clear()  # type: ignore[attr-defined]
    with UserStore.open() as store:
        stored = [path for path, _, _ in store.recent_archives()]
    assert stored[:2] == [str(other.resolve()), str(built_archive.resolve())]
    assert actions_of(window).recent() == stored


def test_a_recent_list_an_older_version_kept_in_the_settings_moves_into_the_user_store(
    qtbot, built_archive: Path, tmp_path: Path
) -> None:
    older = [str(tmp_path / "newer.db"), str(tmp_path / "older.db")]
    settings = make_settings()
    settings.setValue(LEGACY_RECENT_KEY, older)
    win = create_window(Archive.open(built_archive), settings)
    qtbot.addWidget(win)
    try:
        assert actions_of(win).recent() == [str(built_archive.resolve()), *older]
        assert settings.value(LEGACY_RECENT_KEY) is None
    finally:
        win.close()
        win.archive.close()
