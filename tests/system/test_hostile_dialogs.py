"""Text from a file is never live in a dialog (issue 24, finding 5).

An archive titled with markup, a file named with markup and an import whose problems
quote markup: each dialog that shows them is rendered for real (the box is built and its
labels laid out; only `exec()`/`open()` are replaced, so the test does not wait for a
click) and every label must show the markup as literal text, with no link to click and no
link handed to the desktop.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from archive_browser.core.archive import Archive
from archive_browser.core.importer import BuildReport, Problem, build_archive

COUNTS: Counter[str] = Counter()
pytestmark = [
    pytest.mark.usefixtures("report_counts"),
    # Showing a dialog on the offscreen platform says so once; nothing to do with the test.
    pytest.mark.qt_log_ignore(".*propagateSizeHints.*"),
]

LINK = '<a href="file:///etc/passwd">x</a>'
IMAGE = '<img src="file:///etc/passwd">'
HOSTILE = f"{LINK}{IMAGE}<b>bold</b>"


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:
    """Every message box the program shows, instead of waiting for a click."""
    boxes: list[QMessageBox] = []

    def exec_box(box: QMessageBox) -> int:
        box.show()  # laid out and rendered offscreen, as a user would see it
        boxes.append(box)
        return QMessageBox.StandardButton.Close.value

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    monkeypatch.setattr(QMessageBox, "open", exec_box)
    return boxes


@pytest.fixture
def hostile_archive(tmp_path: Path) -> Iterator[Archive]:
    folder = tmp_path / "aid"
    folder.mkdir()
    (folder / "people.csv").write_text(
        "id,name,kind,summary\nperson/x,Someone,person,A person\n", encoding="utf-8"
    )
    out = tmp_path / "hostile.db"
    build_archive(folder, out, title=HOSTILE)
    archive = Archive.open(out)
    yield archive
    archive.close()


def assert_inert(box: QMessageBox) -> None:
    """No label of `box` reads markup or opens a link; the markup shows as typed."""
    texts = []
    for label in box.findChildren(QLabel):
        assert not label.openExternalLinks(), label.objectName()
        flags = label.textInteractionFlags()
        assert not flags & Qt.TextInteractionFlag.LinksAccessibleByMouse, label.objectName()
        assert not flags & Qt.TextInteractionFlag.LinksAccessibleByKeyboard, label.objectName()
        if label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
            texts.append(label.text())
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert not box.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByMouse
    joined = "\n".join(texts)
    assert LINK in joined or IMAGE in joined or "<img" in joined, joined
    COUNTS["dialogs rendered with hostile text"] += 1


def test_about_shows_the_archive_title_as_text(
    window_on, hostile_archive: Archive, shown: list[QMessageBox]
) -> None:
    window = window_on(hostile_archive)
    window.show_about()
    (box,) = shown
    assert HOSTILE in box.text()
    assert_inert(box)


def test_the_open_archive_warning_shows_the_file_name_as_text(
    window, tmp_path: Path, shown: list[QMessageBox]
) -> None:
    from archive_browser.ui.features.library import ArchiveActions
    from archive_browser.ui.hooks import hooks_of

    # A file name may hold markup (no "/" in a name, so the image, not the link).
    path = tmp_path / f"{IMAGE.replace('/', '_')}.db"
    path.write_bytes(b"not a database at all")
    hooks = hooks_of(window)
    assert hooks is not None
    actions = hooks.feature(ArchiveActions)
    assert actions is not None
    assert not actions.open_archive(path)
    (box,) = shown
    assert "<img" in box.text()
    assert_inert(box)


def test_the_import_failure_box_shows_the_problems_as_text(
    window, shown: list[QMessageBox]
) -> None:
    from archive_browser.ui.features.library import ArchiveActions
    from archive_browser.ui.hooks import hooks_of

    hooks = hooks_of(window)
    assert hooks is not None
    actions = hooks.feature(ArchiveActions)
    assert actions is not None
    actions._on_failed([f"people.csv:2: the id {HOSTILE} is not a valid id", "1 problem."])
    (box,) = shown
    assert LINK in box.informativeText() and LINK in box.detailedText()
    assert_inert(box)


def test_the_import_result_box_shows_the_warnings_as_text(
    window, tmp_path: Path, shown: list[QMessageBox]
) -> None:
    from archive_browser.ui.features.library import ArchiveActions
    from archive_browser.ui.hooks import hooks_of

    hooks = hooks_of(window)
    assert hooks is not None
    actions = hooks.feature(ArchiveActions)
    assert actions is not None
    report = BuildReport(
        tmp_path / "new.db", 1, 0, 0, 0, 0.1, (Problem("meta.csv", 2, HOSTILE, warning=True),)
    )
    actions._on_succeeded(report)
    (box,) = shown
    assert LINK in box.text()
    assert_inert(box)


def test_the_start_up_failure_box_shows_the_path_as_text(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown: list[QMessageBox]
) -> None:
    from archive_browser.ui import app

    monkeypatch.setattr(app, "_interactive_platform", lambda: True)
    folder = tmp_path / IMAGE.replace("/", "_")
    assert app.run_gui(folder / "none.db") == app.ARCHIVE_ERROR_EXIT
    (box,) = shown
    assert "<img" in box.text()
    assert_inert(box)
