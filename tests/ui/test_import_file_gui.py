"""File ▸ Import File in the window, driven as a user would: pick the file, look at the
proposed mapping, change a column's field in its combo box, press Check and Import, choose
where to save. Also Cancel, a failing write and closing the window during an import."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton

from archive_browser.ui.features.library import ArchiveActions
from archive_browser.ui.features.library.import_dialog import ImportFileDialog
from archive_browser.ui.widgets.main_window import MainWindow
from helpers.single_files import (
    write_ead3,
    write_ead2002,
    write_german_xlsx,
    write_isad_csv,
    write_opis_cp1251,
    write_utf16_tsv,
    write_xxe,
)
from helpers.windows import feature_of

# The offscreen platform says so whenever a dialog is shown.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def actions_of(window: MainWindow) -> ArchiveActions:
    return feature_of(window, ArchiveActions)


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The user's answers to the file dialogs, and what the message boxes said."""
    said: dict[str, list[str]] = {"open": [], "save": [], "failed": [], "question": []}

    def pick(*_a: object, **_k: object) -> tuple[str, str]:
        return (said["open"].pop(0), "")

    def save(_parent: object, _title: str, default: str, *_a: object) -> tuple[str, str]:
        said["default_save"] = [default]
        return (said["save"].pop(0) if said["save"] else "", "")

    def question(box: QMessageBox) -> int:
        # The window asks through plain-text boxes it executes (ui/widgets/messages.ask).
        said["question"].append(box.text())
        return QMessageBox.StandardButton.Open.value

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    monkeypatch.setattr(QMessageBox, "exec", question)
    monkeypatch.setattr(QMessageBox, "open", lambda box: said["failed"].append(box.detailedText()))
    return said


def pick_file(
    qtbot, window: MainWindow, dialogs: dict[str, list[str]], path: Path
) -> ImportFileDialog:
    dialogs["open"].append(str(path))
    actions = actions_of(window)
    actions.import_file_action.trigger()
    dialog = actions.mapping_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def press_import(qtbot, window: MainWindow, dialog: ImportFileDialog) -> None:
    assert dialog.import_button.isEnabled(), dialog.problems_label.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    actions = actions_of(window)
    qtbot.waitUntil(lambda: not actions.importing, timeout=20000)


def choose(box, label: str) -> None:
    box.setCurrentIndex(box.findText(label))


def imported(
    qtbot, window: MainWindow, dialogs: dict[str, list[str]], path: Path, out: Path,
    adjust: Callable[[ImportFileDialog], None] | None = None,
) -> sqlite3.Connection:  # fmt: skip
    dialog = pick_file(qtbot, window, dialogs, path)
    if adjust:
        adjust(dialog)
    dialogs["save"].append(str(out))
    press_import(qtbot, window, dialog)  # checks the file, then asks where to save
    actions = actions_of(window)
    qtbot.waitUntil(lambda: not actions.importing and window.archive.path == out, timeout=20000)
    assert dialogs["failed"] == []
    return sqlite3.connect(out)


def test_a_cp1251_opis_through_the_mapping_dialog(
    qtbot, window: MainWindow, tmp_path: Path, dialogs: dict[str, list[str]],
    private_user_folder: Path,
) -> None:  # fmt: skip
    opis = write_opis_cp1251(tmp_path / "opis.csv")
    dialog = pick_file(qtbot, window, dialogs, opis)
    assert "Windows-1251" in dialog.encoding_box.currentText()
    assert dialog.field_box("Заголовок").currentData() == "title"
    assert dialog.field_box("Фонд").currentData() == "fond"
    assert dialog.preview.item(1, 4).text() == "Переписка о лётной школе в Липецке"
    # The user maps nothing to title: the dialog says so and will not import.
    choose(dialog.field_box("Заголовок"), "(ignore)")
    assert not dialog.import_button.isEnabled()
    assert "no column is mapped to title" in dialog.problems_label.text()
    choose(dialog.field_box("Заголовок"), "Title")
    # The default place to save is the user's collections folder.
    out = private_user_folder / "collections" / "opis.db"
    dialogs["save"].append(str(out))
    press_import(qtbot, window, dialog)
    qtbot.waitUntil(lambda: window.archive.path == out, timeout=20000)
    assert dialogs["default_save"] == [str(out)]
    assert "Imported 5 records" in dialogs["question"][0]
    [found] = window.archive.conn.execute(
        "SELECT record_id FROM citations WHERE key = 'GALO|2176|1|1'"
    ).fetchall()
    assert window.archive.title_of(found[0]) == "Переписка о лётной школе в Липецке"


def test_an_encoding_chosen_in_the_dialog_rereads_the_file(
    qtbot, window: MainWindow, tmp_path: Path, dialogs: dict[str, list[str]]
) -> None:
    dialog = pick_file(qtbot, window, dialogs, write_opis_cp1251(tmp_path / "opis.csv"))
    choose(dialog.encoding_box, "koi8-r")
    assert "Фонд" not in dialog.plan.table.header
    assert not dialog.import_button.isEnabled()  # gibberish headers: nothing maps to title
    dialog.encoding_box.setCurrentIndex(0)
    assert dialog.field_box("Заголовок").currentData() == "title"
    dialog.reject()


def test_a_german_xlsx_through_the_mapping_dialog(
    qtbot, window: MainWindow, tmp_path: Path, dialogs: dict[str, list[str]]
) -> None:
    def adjust(dialog: ImportFileDialog) -> None:
        assert dialog.sheet_box.currentText() == "Findbuch"
        assert dialog.field_box("Titel").currentData() == "title"
        choose(dialog.field_box("Enthält"), "(ignore)")  # the user leaves a column out

    db = imported(qtbot, window, dialogs, write_german_xlsx(tmp_path / "fb.xlsx"),
                  tmp_path / "fb.db", adjust)  # fmt: skip
    assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == 2
    assert db.execute("SELECT summary FROM sources WHERE summary LIKE '%Moskau%'").fetchall() == []


def test_a_utf16_text_file_through_the_mapping_dialog(
    qtbot, window: MainWindow, tmp_path: Path, dialogs: dict[str, list[str]]
) -> None:
    db = imported(qtbot, window, dialogs, write_utf16_tsv(tmp_path / "u.txt"), tmp_path / "u.db")
    assert ("RGVA|33987|3|497",) in db.execute("SELECT key FROM citations").fetchall()


@pytest.mark.parametrize("writer", [write_ead2002, write_ead3, write_isad_csv])
def test_ead_and_isad_through_the_dialog(
    qtbot, window: MainWindow, tmp_path: Path, dialogs: dict[str, list[str]], writer
) -> None:
    suffix = ".csv" if writer is write_isad_csv else ".xml"
    db = imported(qtbot, window, dialogs, writer(tmp_path / f"aid{suffix}"), tmp_path / "aid.db")
    assert db.execute("SELECT count(*) FROM links WHERE role = 'part of'").fetchone()[0] >= 1


def test_a_hostile_file_is_refused_in_the_dialog(
    qtbot, window: MainWindow, tmp_path: Path, dialogs: dict[str, list[str]]
) -> None:
    before = window.archive
    dialog = pick_file(qtbot, window, dialogs, write_xxe(tmp_path / "x.xml"))
    press_import(qtbot, window, dialog)
    assert any("entit" in text for text in dialogs["failed"])
    assert "default_save" not in dialogs  # checked before asking where to save
    assert window.archive is before


def big_csv(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as stream:
        stream.write("Title;Date;Citation\n")
        for number in range(rows):
            stream.write(f"Akte {number};1925;RGVA, f. 4, op. 14, d. {number}\n")
    return path


def test_cancel_stops_the_check_and_writes_nothing(
    qtbot, window: MainWindow, tmp_path: Path, dialogs: dict[str, list[str]]
) -> None:
    dialog = pick_file(qtbot, window, dialogs, big_csv(tmp_path / "big.csv", 60_000))
    actions = actions_of(window)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert actions.importing
    progress = actions._dialog
    assert progress is not None
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not actions.importing, timeout=20000)
    assert actions.cancelled and "default_save" not in dialogs
    assert dialogs["failed"] == []


def test_a_write_that_fails_ends_in_a_dialog(
    qtbot, window: MainWindow, tmp_path: Path, dialogs: dict[str, list[str]]
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    dialog = pick_file(qtbot, window, dialogs, write_utf16_tsv(tmp_path / "u.txt"))
    dialogs["save"].append(str(tmp_path / "a-file" / "new.db"))
    press_import(qtbot, window, dialog)
    actions = actions_of(window)
    qtbot.waitUntil(lambda: bool(dialogs["failed"]) and not actions.importing, timeout=20000)
    assert "nothing was written" in dialogs["failed"][0]


def test_closing_the_window_during_an_import_cancels_it_cleanly(
    qtbot, window: MainWindow, tmp_path: Path, dialogs: dict[str, list[str]]
) -> None:
    dialog = pick_file(qtbot, window, dialogs, big_csv(tmp_path / "big.csv", 60_000))
    actions = actions_of(window)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert actions.importing
    window.close()
    assert not actions.importing
    assert [p for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_quitting_the_program_during_an_import_exits_cleanly(
    built_archive: Path, tmp_path: Path
) -> None:
    """In a real process: the QThread must not be destroyed while running (SIGABRT, 134)."""
    import os
    import subprocess
    import sys

    helper = Path(__file__).resolve().parents[1] / "helpers" / "gui_quit_importing.py"
    env = {**os.environ, "ARCHIVE_BROWSER_DATA_DIR": str(tmp_path / "user")}
    done = subprocess.run(
        [
            sys.executable,
            str(helper),
            str(built_archive),
            str(big_csv(tmp_path / "b.csv", 200_000)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.stdout.split() == ["importing", "quit"], done.stdout + done.stderr
    assert done.returncode == 0, done.stderr[-2000:]
    assert [p for p in tmp_path.rglob("*.tmp")] == []


def test_a_folder_is_checked_before_asking_where_to_save(
    qtbot, window: MainWindow, tmp_path: Path, dialogs: dict[str, list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from helpers.finding_aid import FINDING_AID, write_finding_aid

    broken = dict(FINDING_AID)
    broken["events.csv"] = ["id,title,date,theme,summary,summary", "event/a,A,1920,war,x,y"]
    bad = write_finding_aid(tmp_path / "bad", broken)
    good = write_finding_aid(tmp_path / "good", FINDING_AID)
    folders = [str(bad), str(good)]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: folders.pop(0))
    actions = actions_of(window)
    actions.import_action.trigger()
    qtbot.waitUntil(lambda: bool(dialogs["failed"]) and not actions.importing, timeout=20000)
    assert "'summary' appears twice" in dialogs["failed"][0]
    assert "default_save" not in dialogs  # never asked where to save
    out = tmp_path / "good.db"
    dialogs["save"].append(str(out))
    actions.import_action.trigger()
    qtbot.waitUntil(lambda: window.archive.path == out, timeout=20000)
    assert dialogs["default_save"] == [str(good.with_suffix(".db"))]


def test_markup_in_a_file_stays_text_in_the_mapping_dialog(
    qtbot, window: MainWindow, tmp_path: Path, dialogs: dict[str, list[str]]
) -> None:
    hostile = tmp_path / "<b>x<b>.csv"
    hostile.write_text(
        'Title;<a href="file:///etc/passwd">Date</a>\n<img src="file:///etc/passwd">;1920\n',
        encoding="utf-8",
    )
    dialog = pick_file(qtbot, window, dialogs, hostile)
    labels = dialog.findChildren(QLabel)
    assert labels and all(
        label.textFormat() == Qt.TextFormat.PlainText for label in labels if "<" in label.text()
    )
    assert dialog.preview.horizontalHeaderItem(1).text() == '<a href="file:///etc/passwd">Date</a>'
    assert dialog.preview.item(1, 0).text() == '<img src="file:///etc/passwd">'
    dialog.reject()
    assert actions_of(window).mapping_dialog is None
