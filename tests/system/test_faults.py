"""Faults met with one clear sentence, and nothing destroyed.

Each fault is injected into the real program (the `archive-browser` command in a child
process, or the real window in-process), and each test checks three things: the user reads
one sentence, the exit code or dialog says it failed, and every file that was there before
is still there byte for byte (a damaged notes file is only ever renamed aside, unchanged).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from archive_browser.core.store import SCHEMA_VERSION, UserStore
from helpers.windows import wait_loaded

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
EXIT_USER_ERROR = 2
COUNTS: Counter[str] = Counter()  # faults injected, reported by conftest.report_counts
pytestmark = pytest.mark.usefixtures("report_counts")


def digest(folder: Path) -> dict[str, str]:
    """Name -> sha256 of every file under `folder`: what "nothing destroyed" compares."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_cli(*args: str, env: dict[str, str] | None = None, prefix: tuple[str, ...] = ()):
    return subprocess.run(
        [*prefix, sys.executable, "-m", "archive_browser", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def assert_one_sentence_on_stderr(result: subprocess.CompletedProcess[str], part: str) -> str:
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1, result.stderr
    assert part in lines[0], lines[0]
    assert lines[0].endswith("."), lines[0]
    return lines[0]


@pytest.fixture
def archive_copy(built_archive: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "archives"
    folder.mkdir()
    return Path(shutil.copy(built_archive, folder / "archive.db"))


# ----------------------------------------------------------------------------- the archive


def test_missing_archive_exits_with_one_sentence_and_creates_nothing(tmp_path: Path) -> None:
    COUNTS["missing archive (command line)"] += 1
    missing = tmp_path / "gone" / "archive.db"
    result = run_cli("--archive", str(missing), "search", "Lipetsk")
    assert result.returncode == EXIT_USER_ERROR
    assert_one_sentence_on_stderr(result, f"There is no archive at {missing}.")
    assert not missing.parent.exists()


def unreadable_prefix() -> tuple[str, ...]:
    """A command prefix under which chmod 000 is enforced (root ignores it otherwise)."""
    if not IS_ROOT:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("root ignores chmod 000 and setpriv is missing to drop that privilege")
    # Dropping the two override capabilities makes root obey file modes like anyone else.
    caps = "-dac_override,-dac_read_search"
    return ("setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}")


def test_unreadable_archive_exits_with_one_sentence_and_stays(archive_copy: Path) -> None:
    COUNTS["unreadable archive, chmod 000 (command line)"] += 1
    before = digest(archive_copy.parent)
    archive_copy.chmod(0o000)
    try:
        result = run_cli(
            "--archive", str(archive_copy), "show", "site/lipetsk", prefix=unreadable_prefix()
        )
    finally:
        archive_copy.chmod(0o644)
    assert result.returncode == EXIT_USER_ERROR
    line = assert_one_sentence_on_stderr(result, "cannot be read")
    assert str(archive_copy) in line and "ermission denied" in line
    assert digest(archive_copy.parent) == before


def test_archive_of_an_unknown_schema_version_is_refused_unchanged(archive_copy: Path) -> None:
    COUNTS["archive of an unknown schema version (command line)"] += 1
    with sqlite3.connect(archive_copy) as conn:
        conn.execute("UPDATE archive_meta SET value = '999' WHERE key = 'schema_version'")
    conn.close()
    before = digest(archive_copy.parent)
    result = run_cli("--archive", str(archive_copy), "search", "Lipetsk")
    assert result.returncode == EXIT_USER_ERROR
    assert_one_sentence_on_stderr(result, "has schema version 999")
    assert digest(archive_copy.parent) == before


def test_a_truncated_archive_is_refused_unchanged(archive_copy: Path) -> None:
    COUNTS["truncated archive file (command line)"] += 1
    archive_copy.write_bytes(archive_copy.read_bytes()[:3000])
    before = digest(archive_copy.parent)
    result = run_cli("--archive", str(archive_copy), "show", "site/lipetsk")
    assert result.returncode == EXIT_USER_ERROR
    assert_one_sentence_on_stderr(result, str(archive_copy))
    assert digest(archive_copy.parent) == before


def test_the_window_shows_a_dialog_for_a_missing_archive(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    COUNTS["missing archive (window dialog)"] += 1
    from PySide6.QtWidgets import QMessageBox

    from archive_browser.ui import app

    shown: list[str] = []
    monkeypatch.setattr(app, "_interactive_platform", lambda: True)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    assert app.run_gui(tmp_path / "none.db") == app.ARCHIVE_ERROR_EXIT
    (text,) = shown
    headline, _, detail = text.partition("\n\n")
    assert headline == "The archive cannot be opened."
    assert detail == f"There is no archive at {tmp_path / 'none.db'}."


# ----------------------------------------------------------------------------- the notes file


def notes_cli(archive: Path, user_folder: Path, *args: str):
    return run_cli(
        "--archive", str(archive), *args, env={"ARCHIVE_BROWSER_DATA_DIR": str(user_folder)}
    )


def set_aside(user_folder: Path, reason: str) -> Path:
    (moved,) = [
        p
        for p in user_folder.glob(f"notes.sqlite3.{reason}-*")
        if not p.name.endswith(("-wal", "-shm"))
    ]
    return moved


def test_corrupt_notes_file_is_set_aside_byte_for_byte_and_said(
    built_archive: Path, tmp_path: Path
) -> None:
    COUNTS["corrupt notes file (command line)"] += 1
    folder = tmp_path / "user"
    folder.mkdir()
    damaged = b"SQLite format 3\x00" + bytes(range(256)) * 40
    (folder / "notes.sqlite3").write_bytes(damaged)
    result = notes_cli(built_archive, folder, "note", "site/lipetsk", "after the damage")
    assert result.returncode == 0, result.stderr
    line = assert_one_sentence_on_stderr(result, "Your notes file was damaged")
    moved = set_aside(folder, "corrupt")
    assert str(moved) in line
    assert moved.read_bytes() == damaged
    with UserStore.open(folder / "notes.sqlite3") as store:
        assert [n.text for n in store.notes()] == ["after the damage"]


def test_notes_file_from_a_newer_version_is_set_aside_byte_for_byte(
    built_archive: Path, tmp_path: Path
) -> None:
    COUNTS["notes file from a newer version (command line)"] += 1
    folder = tmp_path / "user"
    with UserStore.open(folder / "notes.sqlite3") as store:
        store.add_note("bundled", "site/lipetsk", "from the future")
    with sqlite3.connect(folder / "notes.sqlite3") as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    original = (folder / "notes.sqlite3").read_bytes()
    result = notes_cli(built_archive, folder, "notes")
    assert result.returncode == 0, result.stderr
    assert_one_sentence_on_stderr(result, "written by a newer version of Archive Browser")
    assert set_aside(folder, "newer").read_bytes() == original
    assert result.stdout == ""  # the fresh store is empty: nothing pretends to be the old notes


def test_read_only_notes_folder_refuses_the_note_and_keeps_the_old_ones(
    built_archive: Path, tmp_path: Path
) -> None:
    COUNTS["read-only notes folder while saving (command line)"] += 1
    folder = tmp_path / "user"
    with UserStore.open(folder / "notes.sqlite3") as store:
        store.add_note("bundled", "site/lipetsk", "the old note")
    before = digest(folder)
    folder.chmod(0o500)
    try:
        result = run_cli(
            "--archive",
            str(built_archive),
            "note",
            "site/kazan",
            "new",
            env={"ARCHIVE_BROWSER_DATA_DIR": str(folder)},
            prefix=unreadable_prefix(),
        )
    finally:
        folder.chmod(0o700)
    assert result.returncode == EXIT_USER_ERROR
    assert_one_sentence_on_stderr(result, f"the folder {folder} is not writable.")
    assert digest(folder) == before


FILL_THE_DISK = """
mount -t tmpfs -o size=192k tmpfs "$USER_FOLDER" || exit 77
"$PYTHON" -m archive_browser --archive "$ARCHIVE" note site/lipetsk "the old note" || exit 78
sha256sum "$USER_FOLDER"/notes.sqlite3
BIG=$(head -c 100000 /dev/zero | tr '\\0' x)
"$PYTHON" -m archive_browser --archive "$ARCHIVE" note site/kazan "$BIG" "$BIG" "$BIG" "$BIG"
echo "exit=$?"
sha256sum "$USER_FOLDER"/notes.sqlite3
"$PYTHON" -m archive_browser --archive "$ARCHIVE" notes --json
"""


def test_full_disk_refuses_the_note_with_one_sentence_and_keeps_the_old_ones(
    built_archive: Path, tmp_path: Path
) -> None:
    COUNTS["full disk while saving (command line, 192 KB tmpfs)"] += 1
    if not IS_ROOT or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare to mount a tiny file system")
    folder = tmp_path / "tiny"
    folder.mkdir()
    env = {
        **os.environ,
        "USER_FOLDER": str(folder),
        "ARCHIVE": str(built_archive),
        "PYTHON": sys.executable,
        "ARCHIVE_BROWSER_DATA_DIR": str(folder),
    }
    result = subprocess.run(
        ["unshare", "--mount", "sh", "-c", FILL_THE_DISK],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    if result.returncode == 77:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"exit={EXIT_USER_ERROR}" in lines
    error_lines = [e for e in result.stderr.splitlines() if e.strip()]
    assert error_lines == [
        f"archive-browser: Cannot save the note: the disk holding the folder {folder} is full."
    ]
    hashes = [line.split()[0] for line in lines if line.endswith("notes.sqlite3")]
    assert len(hashes) == 2 and hashes[0] == hashes[1]
    notes = json.loads("\n".join(lines[lines.index(f"exit={EXIT_USER_ERROR}") + 2 :]))
    assert [n["text"] for n in notes] == ["the old note"]


# ----------------------------------------------------------------------------- in the window


def notes_of(window):  # -> NotesController
    from archive_browser.ui.features.notes import NotesController
    from archive_browser.ui.hooks import hooks_of

    hooks = hooks_of(window)
    controller = hooks.feature(NotesController) if hooks is not None else None
    assert controller is not None
    return controller


def notes_window(qtbot, archive_path: Path):  # -> MainWindow with its notes feature
    from archive_browser.core.archive import Archive
    from archive_browser.ui.app import create_window, make_settings

    window = create_window(Archive.open(archive_path), make_settings())
    qtbot.addWidget(window)
    window.show()
    wait_loaded(qtbot, window)
    return window


def type_into(widget, text: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    for ch in text:  # per character: keyClicks aborts on non-ASCII (docs/platform.md)
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
        )


def typed_note(qtbot, window, record_id: str, text: str):  # -> RecordNotesPanel
    assert window.open_record(record_id)
    panel = notes_of(window).panel_for(record_id)
    panel.editor.setFocus()
    panel.editor.moveCursor(panel.editor.textCursor().MoveOperation.End)
    type_into(panel.editor, text)
    qtbot.waitUntil(lambda: not panel.save_pending, timeout=5_000)
    return panel


def store_rows(path: Path) -> list[tuple[int, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            'SELECT "id", "record_id", "text" FROM "notes" ORDER BY "id"'
        ).fetchall()
    finally:
        conn.close()


def test_window_full_disk_keeps_the_note_in_the_editor_and_says_so(
    qtbot, built_archive: Path, private_user_folder: Path
) -> None:
    COUNTS["full disk while saving (window; SQLite max_page_count)"] += 1
    window = notes_window(qtbot, built_archive)
    typed_note(qtbot, window, "site/lipetsk", "the old note")
    before = store_rows(private_user_folder / "notes.sqlite3")
    store = notes_of(window).store
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    # SQLite treats the page limit as a full disk (SQLITE_FULL): the same path is taken.
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    big = "Казань " * 3000  # pasted, as a long text would be: typing it would take minutes
    assert window.open_record("site/kazan")
    panel = notes_of(window).panel_for("site/kazan")
    panel.editor.insertPlainText(big)
    qtbot.waitUntil(lambda: not panel.save_pending, timeout=5_000)
    assert panel.editor.toPlainText() == big  # the text stays in the editor
    told = panel.status_label.toolTip()
    assert told.startswith("Cannot save the note: the disk holding the folder")
    assert "is full. Your text is kept here" in told and "\n" not in told
    assert "is full." in window.statusBar().currentMessage()
    assert store_rows(private_user_folder / "notes.sqlite3") == before
    store._conn.execute("PRAGMA max_page_count = 1073741823")  # space again: it saves
    type_into(panel.editor, "!")
    qtbot.waitUntil(lambda: not panel.dirty, timeout=5_000)
    assert store_rows(private_user_folder / "notes.sqlite3")[-1][2] == big + "!"


def test_window_read_only_store_keeps_the_note_in_the_editor_and_says_so(
    qtbot, built_archive: Path, private_user_folder: Path
) -> None:
    COUNTS["read-only notes file while saving (window; PRAGMA query_only)"] += 1
    window = notes_window(qtbot, built_archive)
    typed_note(qtbot, window, "site/lipetsk", "the old note")
    path = private_user_folder / "notes.sqlite3"
    notes_of(window).store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(private_user_folder)
    # The store's own connection refuses writes as a read-only file would.
    notes_of(window).store._conn.execute("PRAGMA query_only = 1")
    panel = typed_note(qtbot, window, "site/lipetsk", " and more")
    assert panel.editor.toPlainText() == "the old note and more"
    assert panel.dirty
    assert "is not writable. Your text is kept here" in panel.status_label.toolTip()
    assert "The note is kept in the editor." in window.statusBar().currentMessage()
    assert digest(private_user_folder) == before and store_rows(path)[-1][2] == "the old note"


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, showing the box
def test_window_with_a_corrupt_store_tells_once_and_keeps_the_file(
    qtbot, built_archive: Path, private_user_folder: Path
) -> None:
    COUNTS["corrupt notes file (window dialog)"] += 1
    private_user_folder.mkdir(parents=True)
    damaged = b"SQLite format 3\x00" + b"\xde\xad" * 4000
    (private_user_folder / "notes.sqlite3").write_bytes(damaged)
    window = notes_window(qtbot, built_archive)
    qtbot.waitUntil(lambda: notes_of(window).recovery_box is not None, timeout=5_000)
    text = notes_of(window).recovery_box.text()
    assert text.startswith("Your notes file was damaged;") and text.endswith("started.")
    assert "\n" not in text
    assert set_aside(private_user_folder, "corrupt").read_bytes() == damaged
    typed_note(qtbot, window, "site/lipetsk", "a fresh start")
    assert [r[2] for r in store_rows(private_user_folder / "notes.sqlite3")] == ["a fresh start"]


def test_window_without_a_usable_notes_folder_browses_and_says_why(
    qtbot, built_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    COUNTS["notes folder cannot be created (window label)"] += 1
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"not a folder")
    monkeypatch.setenv("ARCHIVE_BROWSER_DATA_DIR", str(blocker / "notes"))
    window = notes_window(qtbot, built_archive)
    assert window.open_record("site/lipetsk")  # browsing still works
    panel = notes_of(window).panel_for("site/lipetsk")
    reason = panel.disabled_label.text()
    assert reason.startswith("Notes and bookmarks are off. Cannot save notes: the folder")
    assert reason.endswith(".") and "\n" not in reason and "Traceback" not in reason
    assert blocker.read_bytes() == b"not a folder"


def test_two_windows_writing_notes_at_once_lose_nothing(
    qtbot, built_archive: Path, private_user_folder: Path
) -> None:
    COUNTS["two windows writing different notes at once"] += 1
    first, second = notes_window(qtbot, built_archive), notes_window(qtbot, built_archive)
    assert notes_of(first).store is not notes_of(second).store  # two connections, as two programs
    for round_number in range(5):
        typed_note(qtbot, first, "site/lipetsk", f" A{round_number}")
        typed_note(qtbot, second, "site/kazan", f" B{round_number}")
    rows = store_rows(private_user_folder / "notes.sqlite3")
    assert {(r[1], r[2]) for r in rows} == {
        ("site/lipetsk", " A0 A1 A2 A3 A4"),
        ("site/kazan", " B0 B1 B2 B3 B4"),
    }


def test_two_windows_editing_the_same_note_lose_neither_edit(
    qtbot, built_archive: Path, private_user_folder: Path
) -> None:
    COUNTS["two windows editing the same note (lost update)"] += 1
    first, second = notes_window(qtbot, built_archive), notes_window(qtbot, built_archive)
    typed_note(qtbot, first, "site/lipetsk", "shared note")
    assert second.open_record("site/lipetsk")  # the second window now shows "shared note"
    typed_note(qtbot, first, "site/lipetsk", " edited in the first window")
    typed_note(qtbot, second, "site/lipetsk", " edited in the second window")
    stored = " ".join(r[2] for r in store_rows(private_user_folder / "notes.sqlite3"))
    assert "edited in the first window" in stored
    assert "edited in the second window" in stored
