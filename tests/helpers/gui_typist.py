"""Start the real window offscreen and type notes into it, forever, until killed.

Used by tests/system/test_crash_gui.py, which SIGKILLs this process at scheduled moments
(counted in its "saved" lines) and then checks the notes file. Usage:

    python gui_typist.py ARCHIVE SEED RECORD_ID [RECORD_ID ...]

The notes file is the program's own (`$ARCHIVE_BROWSER_DATA_DIR/notes.sqlite3`). Lines on
stdout (flushed at once, so a kill loses none that were printed):

    ready <monotonic time>
    saved <JSON {"id": note id, "record": record id, "text": text}> <monotonic time>

A "saved" line is printed when the note editor reports a save (its `notes_changed` signal,
emitted only after the store's commit returned), with the text the editor just saved.
Keys are real QTest key events into the editor; pauses between them are drawn from SEED so
a failing run can be repeated.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from archive_browser.core.archive import Archive
from archive_browser.ui.app import create_window, ensure_application, make_settings
from archive_browser.ui.features.notes.note_editor import RecordNotesPanel
from archive_browser.ui.widgets.main_window import MainWindow

# Latin, Cyrillic, accents, markup and formula starts: what a historian's notes hold.
WORDS = [
    "Lipetsk",
    "Тухачевский",
    "Reichswehr",
    "ф. 33987",
    "оп. 3",
    "д. 295",
    "Müller",
    "ёж",
    "<b>not bold</b>",
    "=SUM(A1)",
    "fond",
    "Kama",
    "1926?",
    "«цитата»",
    "&amp;",
    "—",
]


def say(*parts: object) -> None:
    print(*parts, flush=True)


def notes_panel(window: MainWindow) -> RecordNotesPanel:
    """The note editor of the record shown in the current tab."""
    tab = window.current_entity_tab()
    scope: QWidget = tab if tab is not None else window
    panels = [p for p in scope.findChildren(RecordNotesPanel) if p.isVisibleTo(window)]
    if not panels:
        raise SystemExit("the window shows no note editor for the record")
    return panels[0]


def watch_saves(panel: RecordNotesPanel, watched: set[int]) -> None:
    if id(panel) in watched:
        return
    watched.add(id(panel))

    def on_saved(record_id: str) -> None:
        if panel.note_id is None or panel.dirty:
            return  # a delete, or a save overtaken by typing: nothing new was written
        note = {"id": panel.note_id, "record": record_id, "text": panel.editor.toPlainText()}
        say("saved", json.dumps(note, ensure_ascii=True), repr(time.monotonic()))

    panel.notes_changed.connect(on_saved)


def pump(app: QApplication, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        app.processEvents()
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.01))


def type_text(app: QApplication, widget: QWidget, text: str, rng: random.Random) -> None:
    for ch in text:
        # Per character, as docs/platform.md says: keyClicks aborts on non-ASCII text.
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
        )
        pump(app, rng.choice((0.0, 0.005, 0.02, 0.05)))


def main(argv: list[str]) -> int:
    archive_path, seed, record_ids = Path(argv[0]), int(argv[1]), argv[2:]
    rng = random.Random(seed)
    app = ensure_application()
    archive = Archive.open(archive_path)
    window = create_window(archive, make_settings())
    window.show()
    watched: set[int] = set()
    while not all(t.model.loaded for t in window.entity_tabs.values()):
        pump(app, 0.02)
    say("ready", repr(time.monotonic()))
    while True:
        window.open_record(rng.choice(record_ids))
        pump(app, 0.05)
        panel = notes_panel(window)
        watch_saves(panel, watched)
        if rng.random() < 0.4:
            QTest.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
        panel.editor.setFocus()
        panel.editor.moveCursor(panel.editor.textCursor().MoveOperation.End)
        for _ in range(rng.randint(1, 4)):
            type_text(app, panel.editor, " " + " ".join(rng.sample(WORDS, 3)), rng)
            # Often long enough for the autosave, sometimes not: then leaving the record saves.
            pump(app, rng.choice((0.1, 0.3, 0.7, 1.2)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
