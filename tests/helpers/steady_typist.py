"""Start the real program's window and type one note steadily, a key every INTERVAL_MS, until
a signal ends it. Used by tests/system/test_saves.py. Usage:

    python steady_typist.py ARCHIVE RECORD_ID INTERVAL_MS [lock]

The window runs in the program's own event loop with its own signal handling
(`ui.app.run_window`), so SIGTERM, SIGHUP and SIGINT meet what a user's logout meets. Keys are
sent from a timer in that loop, never more than INTERVAL_MS apart, so the typing never pauses
long enough for the autosave's delay. Lines on stdout (flushed at once):

    ready <monotonic time>
    typed <characters in the editor> <monotonic time>
    saved <characters saved> <monotonic time>

With `lock`, the note's store is locked for writing by a second connection of this process
once the first characters are typed, and stays locked: every save then fails.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from archive_browser.core.archive import Archive
from archive_browser.ui.app import create_window, ensure_application, make_settings, run_window
from archive_browser.ui.features.notes import NotesController
from archive_browser.ui.hooks import hooks_of

# Latin and Cyrillic: sent per character (keyClicks aborts on non-ASCII text).
TEXT = "Lipetsk ф. 33987 оп. 3 д. 295 Reichswehr Тухачевский Kama "


def say(*parts: object) -> None:
    print(*parts, repr(time.monotonic()), flush=True)


def main(argv: list[str]) -> int:
    archive_path, record_id, interval_ms = Path(argv[0]), argv[1], int(argv[2])
    lock_store = len(argv) > 3 and argv[3] == "lock"
    app = ensure_application()
    archive = Archive.open(archive_path)
    window = create_window(archive, make_settings())
    window.show()
    state: dict[str, object] = {"typed": 0}
    hooks = hooks_of(window)
    assert hooks is not None
    locker: list[sqlite3.Connection] = []

    def start_typing() -> None:
        if not all(t.model.loaded for t in window.entity_tabs.values()):
            QTimer.singleShot(20, start_typing)
            return
        window.open_record(record_id)
        controller = hooks.feature(NotesController)
        assert controller is not None
        panel = controller.panel_for(record_id)
        assert panel is not None
        panel.new_note()
        panel.editor.setFocus()
        panel.notes_changed.connect(
            lambda _record: (
                say("saved", len(panel.editor.toPlainText())) if not panel.dirty else None
            )
        )
        state["panel"] = panel
        say("ready")
        timer.start()

    def type_one() -> None:
        panel = state.get("panel")
        if panel is None or not window.isVisible():
            timer.stop()
            return
        count = int(str(state["typed"]))
        ch = TEXT[count % len(TEXT)]
        QTest.sendKeyEvent(
            QTest.KeyAction.Click,
            panel.editor,  # type: ignore[attr-defined]
            Qt.Key.Key_unknown,
            ch,
            Qt.KeyboardModifier.NoModifier,
        )
        state["typed"] = count + 1
        say("typed", len(panel.editor.toPlainText()))  # type: ignore[attr-defined]
        if lock_store and count == 5:
            store = hooks.user_store()
            assert store is not None
            conn = sqlite3.connect(store.path, isolation_level=None)
            conn.execute("BEGIN IMMEDIATE")  # held until the process ends
            locker.append(conn)
            say("locked")

    timer = QTimer()
    timer.setInterval(interval_ms)
    timer.timeout.connect(type_one)
    QTimer.singleShot(0, start_typing)
    status = run_window(app, window)
    archive.close()
    say("exit", status)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
