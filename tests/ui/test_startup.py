"""Start-up: the window's shell paints first, the tabs and features follow; nothing the
shell does not need is imported before it is on screen (docs/performance.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from archive_browser.core.archive import Archive, ArchiveReader
from archive_browser.ui.app import GIL_SWITCH_INTERVAL_S, create_window, ensure_application
from archive_browser.ui.widgets.table_model import BLOCK_SIZE, RecordTableModel


def settings_in(folder: Path) -> QSettings:
    return QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)


def test_the_shell_paints_before_the_tabs_exist_then_they_follow(
    qtbot, archive: Archive, tmp_path: Path
) -> None:
    window = create_window(archive, settings_in(tmp_path), contents_after_first_paint=True)
    qtbot.addWidget(window)
    assert not window.contents_built and window.entity_tabs == {}
    assert window.statusBar().currentMessage().startswith("Opening ")
    assert [a.text() for a in window.menuBar().actions()][:2] == ["&File", "&Edit"]
    with qtbot.waitSignal(window.contents_ready, timeout=10_000):
        window.show()
    assert window.contents_built
    assert set(window.entity_tabs) == {"person", "site", "event", "source"}
    assert window.tabs.tabText(window.tabs.count() - 1).replace("&", "") == "Notebook"
    assert window.search_field.parent() is window.toolbar
    qtbot.waitUntil(lambda: all(t.model.loaded for t in window.entity_tabs.values()))
    assert window.current_entity_tab().model.rowCount() > 0
    assert window.statusBar().currentMessage() == ""  # "Opening…" is gone
    window.close()


def test_the_remembered_tab_and_record_come_back_after_the_shell(
    qtbot, archive: Archive, tmp_path: Path
) -> None:
    first = create_window(archive, settings_in(tmp_path))
    qtbot.addWidget(first)
    first.show()
    assert first.open_record("site/lipetsk")
    first.close()

    again = create_window(archive, settings_in(tmp_path), contents_after_first_paint=True)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.contents_ready, timeout=10_000):
        again.show()
    qtbot.waitUntil(lambda: again.current_record_id() == "site/lipetsk", timeout=10_000)
    assert again.current_entity_tab() is again.entity_tabs["site"]
    again.close()


def test_closing_before_the_tabs_exist_keeps_what_was_remembered(
    qtbot, archive: Archive, tmp_path: Path
) -> None:
    settings = settings_in(tmp_path)
    settings.setValue("window/tab", "site")
    settings.setValue("window/record", "site/lipetsk")
    settings.sync()
    window = create_window(archive, settings_in(tmp_path), contents_after_first_paint=True)
    qtbot.addWidget(window)
    window.close()  # never shown: the shell alone is closed
    after = settings_in(tmp_path)
    assert after.value("window/tab") == "site"
    assert after.value("window/record") == "site/lipetsk"


def test_exit_after_paint_reports_the_shell_and_then_the_records(bundled_env: Path) -> None:
    env = {**os.environ, "ARCHIVE_BROWSER_EXIT_AFTER_PAINT": "1", "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "archive_browser"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()]
    assert [label for label, _time in lines] == ["first-paint", "records-painted"]
    assert float(lines[0][1]) <= float(lines[1][1])


SHELL_IMPORTS = """
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from archive_browser.ui.app import create_window, ensure_application, make_settings
from archive_browser.core.archive import Archive
WATCHED = ("archive_browser.core.search", "archive_browser.core.importer",
           "archive_browser.core.citations", "sqlite_utils",
           "archive_browser.ui.widgets.entity_tab", "archive_browser.ui.features.notes")
app = ensure_application()
window = create_window(Archive.open(), make_settings(), contents_after_first_paint=True)
report = {}

class AtFirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not report:
            report["built"] = window.contents_built
            report["loaded"] = [name for name in WATCHED if name in sys.modules]
            QTimer.singleShot(0, app.quit)
        return False

watcher = AtFirstPaint()
window.installEventFilter(watcher)
QTimer.singleShot(20_000, app.quit)
window.show()
app.exec()
print(json.dumps(report))
"""


def test_the_shell_imports_neither_search_nor_the_importer_nor_the_tabs(
    bundled_env: Path, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ARCHIVE_BROWSER_SETTINGS": str(tmp_path / "window.ini"),
    }
    result = subprocess.run(
        [sys.executable, "-c", SHELL_IMPORTS],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report == {"built": False, "loaded": []}


def test_the_application_lets_the_gui_thread_take_the_interpreter_lock_quickly() -> None:
    ensure_application()
    assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_INTERVAL_S)


def test_the_first_block_of_rows_arrives_with_the_ids_off_the_gui_thread(
    qtbot, qtmodeltester, archive: Archive
) -> None:
    from archive_browser.core.record_types import RECORD_TYPES

    model = RecordTableModel(archive, RECORD_TYPES["person"])
    qtmodeltester.check(model)
    threads: list[bool] = []
    original_rows = ArchiveReader.rows

    def recording_rows(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return original_rows(*args, **kwargs)

    ArchiveReader.rows = recording_rows  # type: ignore[method-assign]
    try:
        with qtbot.waitSignal(model.query_finished, timeout=10_000):
            model.set_query(filter_text="Seeckt")
        assert model.rowCount() >= 1
        assert model.data(model.index(0, 0))  # the first screen needs no query...
        assert threads == [False]  # ...the worker fetched its block
        assert model.rows_fetched == min(model.rowCount(), BLOCK_SIZE)
    finally:
        ArchiveReader.rows = original_rows  # type: ignore[method-assign]
    qtmodeltester.check(model)


def test_totals_read_off_the_stored_order_match_a_count(archive: Archive, tmp_path: Path) -> None:
    from archive_browser.core.record_types import RECORD_TYPES

    for type_name, record_type in RECORD_TYPES.items():
        counted = archive.conn.execute(f'SELECT count(*) FROM "{record_type.table}"').fetchone()
        assert archive.total(type_name) == counted[0] > 0
    # An archive without the stored order (built by an older version) is counted instead.
    import shutil
    import sqlite3

    copy = tmp_path / "old.db"
    shutil.copy(archive.path, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute('DROP TABLE "default_order"')
    conn.close()
    with Archive.open(copy) as old:
        for type_name in RECORD_TYPES:
            assert old.total(type_name) == archive.total(type_name)
