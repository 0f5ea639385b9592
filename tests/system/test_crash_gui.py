"""Crash safety, end to end: the real window typing notes, killed with SIGKILL at random.

tests/helpers/gui_typist.py starts the real MainWindow offscreen on the bundled archive,
opens records and types notes through QTest key events into the note editor, printing a
"saved" line each time the editor reports a save. This test kills it with SIGKILL at
seeded random moments, again and again on the same notes file, and after every kill checks
that the file passes `PRAGMA integrity_check`, reopens without a recovery message, and holds
every note saved more than a second before the kill (its text, or a later one of it).

The suite runs KILLS_DEFAULT kills; `ARCHIVE_BROWSER_FULL_COUNTS=1` runs KILLS_FULL.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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
totals = {"kills survived": 0, "saves checked": 0}


@pytest.fixture(scope="module", autouse=True)
def report_counts() -> Iterator[None]:
    yield
    target = os.environ.get("ARCHIVE_BROWSER_COUNTS_FILE")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            for what, count in totals.items():
                out.write(json.dumps({"file": "test_crash_gui.py", "what": what, "count": count}))
                out.write("\n")


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


def wait_until_ready(process: subprocess.Popen[str], timeout: float = 60.0) -> list[str]:
    """The lines before "ready" (the helper prints nothing else before it)."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if line.startswith("ready "):
            return seen
    process.kill()
    _, err = process.communicate()
    pytest.fail(f"the typist did not start: {''.join(seen)}{err}")


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


def test_killed_window_keeps_every_note_saved_a_second_before(
    built_archive: Path, tmp_path: Path
) -> None:
    user_folder = tmp_path / "user"
    store_file = user_folder / STORE_FILE_NAME
    rng = random.Random(SEED)
    promised: dict[int, Save] = {}  # note id -> its latest save older than the grace time
    tracebacks: list[str] = []  # checked last, so every kill is checked for lost notes first
    for kill_number in range(KILLS):
        process = start_typist(built_archive, user_folder, SEED + kill_number)
        wait_until_ready(process)
        time.sleep(rng.uniform(0.3, 4.5))
        killed_at = time.monotonic()
        process.send_signal(signal.SIGKILL)
        out, err = process.communicate(timeout=30)
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
        totals["kills survived"] += 1
        totals["saves checked"] += len(old_enough)
    # A guard on the test itself: typing that never saved would prove nothing.
    assert totals["saves checked"] >= KILLS // 4 and len(promised) >= 2
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
