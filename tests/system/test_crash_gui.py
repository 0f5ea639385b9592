"""Crash safety, end to end: the real window typing notes, killed with SIGKILL mid-work.

tests/helpers/gui_typist.py starts the real MainWindow offscreen on the bundled archive,
opens records and types notes through QTest key events into the note editor, printing a
"saved" line each time the editor reports a save. This test kills it with SIGKILL, again and
again on the same notes file, and after every kill checks that the file passes
`PRAGMA integrity_check`, reopens without a recovery message, and holds every note saved
more than a second before the kill (its text, or a later one of it).

Where each kill lands follows KILL_SCHEDULE, counted in the typist's own saves rather than in
seconds alone, so every run kills at the same kinds of moment however busy the machine is.
The suite runs KILLS_DEFAULT kills; `ARCHIVE_BROWSER_FULL_COUNTS=1` runs KILLS_FULL.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from archive_browser.core.store import STORE_FILE_NAME, UserStore

HELPER = Path(__file__).resolve().parents[1] / "helpers" / "gui_typist.py"
FULL = os.environ.get("ARCHIVE_BROWSER_FULL_COUNTS") == "1"
KILLS_DEFAULT, KILLS_FULL = 20, 100
KILLS = KILLS_FULL if FULL else KILLS_DEFAULT
RECORDS = ["site/lipetsk", "person/seeckt", "site/kazan", "event/rapallo-treaty"]
SEED = 20261203
# A save older than this before the kill must be in the file (the promise).
GRACE_SECONDS = 1.0
# Each kill: wait for this many "saved" lines of the run, then this many seconds, then kill.
# Zero saves kills while the first words are typed; no pause kills just after a commit, when
# the next save may be under way; a pause past GRACE_SECONDS makes the last save a promise
# that the check holds the file to. Cycled through the kills; every cycle mixes all three.
KILL_SCHEDULE = (
    (0, 0.3),
    (1, 0.0),
    (1, 1.3),
    (2, 0.15),
    (0, 1.6),
    (2, 1.2),
    (1, 0.6),
    (1, 1.5),
    (3, 0.05),
    (1, 1.1),
)
SAVE_TIMEOUT = 60.0
COUNTS: Counter[str] = Counter()  # reported by conftest.report_counts
pytestmark = pytest.mark.usefixtures("report_counts")


@dataclass(frozen=True)
class Save:
    note_id: int
    record_id: str
    text: str
    at: float  # time.monotonic() in the helper: one clock for every process on Linux


def read_saves(stdout: str) -> list[Save]:
    saves = []
    for line in stdout.splitlines():
        if not line.startswith("saved "):
            continue
        body, _, stamp = line[len("saved ") :].rpartition(" ")
        note = json.loads(body)
        saves.append(Save(note["id"], note["record"], note["text"], float(stamp)))
    return saves


def start_typist(archive: Path, user_folder: Path, seed: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "ARCHIVE_BROWSER_DATA_DIR": str(user_folder),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return subprocess.Popen(
        [sys.executable, str(HELPER), str(archive), str(seed), *RECORDS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


class TypistOutput:
    """The typist's stdout, read line by line on a thread, so the test can wait for a line."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        self.lines: list[str] = []
        self._ended = False
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def count(self, prefix: str) -> int:
        return sum(line.startswith(prefix) for line in self.lines)

    def wait_for(self, prefix: str, count: int, timeout: float) -> bool:
        """Until `count` lines start with `prefix`; False if the output ends or time runs out."""
        with self._changed:
            self._changed.wait_for(lambda: self._ended or self.count(prefix) >= count, timeout)
            return self.count(prefix) >= count

    def text(self) -> str:
        """All of it, once the process has ended."""
        self._reader.join(timeout=30)
        return "".join(self.lines)


def run_until_kill(
    process: subprocess.Popen[str], saves: int, pause: float
) -> tuple[str, str, float]:
    """Wait for "ready", then for `saves` saves, then `pause` seconds, and SIGKILL the typist.

    Returns its stdout, its stderr and the moment of the kill; its pipes are closed.
    """
    assert process.stderr is not None
    with process:
        output = TypistOutput(process)
        waits = (("ready ", 1, "start"), ("saved ", saves, f"save {saves} notes"))
        for prefix, count, what in waits:
            if not output.wait_for(prefix, count, SAVE_TIMEOUT):
                process.kill()
                process.wait(timeout=30)
                said = output.text() + process.stderr.read()
                pytest.fail(f"the typist did not {what} in {SAVE_TIMEOUT:.0f} s: {said}")
        time.sleep(pause)
        killed_at = time.monotonic()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        return output.text(), process.stderr.read(), killed_at


def stored_notes(store_file: Path) -> dict[int, tuple[str, str]]:
    conn = sqlite3.connect(store_file)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute('SELECT "id", "record_id", "text" FROM "notes"').fetchall()
    finally:
        conn.close()
    return {note_id: (record_id, text) for note_id, record_id, text in rows}


def check_after_kill(store_file: Path, saves: list[Save]) -> None:
    notes = stored_notes(store_file)
    for save in saves:
        assert save.note_id in notes, f"note {save.note_id} saved at {save.at} is gone"
        record_id, text = notes[save.note_id]
        assert record_id == save.record_id
        # The typist only appends, so a later save of the same note extends the text.
        assert text.startswith(save.text), (save.note_id, save.text, text)
    with UserStore.open(store_file) as store:  # what the next start of the program sees
        assert store.recovery_message is None


@pytest.mark.slow
def test_killed_window_keeps_every_note_saved_a_second_before(
    built_archive: Path, tmp_path: Path
) -> None:
    user_folder = tmp_path / "user"
    store_file = user_folder / STORE_FILE_NAME
    promised: dict[int, Save] = {}  # note id -> its latest save older than the grace time
    tracebacks: list[str] = []  # checked last, so every kill is checked for lost notes first
    for kill_number in range(KILLS):
        saves, pause = KILL_SCHEDULE[kill_number % len(KILL_SCHEDULE)]
        process = start_typist(built_archive, user_folder, SEED + kill_number)
        out, err, killed_at = run_until_kill(process, saves, pause)
        assert process.returncode == -signal.SIGKILL, err
        if "Traceback" in err:
            tracebacks.append(err)
        old_enough = [s for s in read_saves(out) if s.at < killed_at - GRACE_SECONDS]
        for save in old_enough:
            promised[save.note_id] = save
        if not store_file.exists():
            assert not promised
            continue
        # This run's saves one by one, and the latest of every earlier run's notes.
        check_after_kill(store_file, old_enough + list(promised.values()))
        COUNTS["kills survived"] += 1
        COUNTS["saves checked"] += len(old_enough)
    # A guard on the test itself: typing that never saved would prove nothing.
    assert COUNTS["saves checked"] >= KILLS // 4 and len(promised) >= 2
    assert not tracebacks, f"{len(tracebacks)} run(s) printed a traceback:\n{tracebacks[0]}"


def test_a_record_without_notes_opens_in_the_note_editor(qtbot, tmp_path: Path) -> None:
    # Found by the typist (fixed since): _fill_list handed setVisible a list for no notes.
    from archive_browser.ui.features.notes.note_editor import RecordNotesPanel

    with UserStore.open(tmp_path / STORE_FILE_NAME) as store:
        panel = RecordNotesPanel(lambda: store, lambda: "bundled")
        qtbot.addWidget(panel)
        panel.set_record("site/kazan")
        assert panel.notes == [] and panel.editor.isEnabled()
        assert not panel.note_list.isVisible()
