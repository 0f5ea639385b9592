"""Kill a writing process at random moments: no acknowledged save is ever lost.

A writer subprocess (tests/helpers/userstore_worker.py) adds and updates notes in a loop
and prints an acknowledgement after each committed write. The test kills it with SIGKILL
at seeded random moments (during start-up and migration too), then checks the file with
`PRAGMA integrity_check` and that every acknowledged write is there.
"""

from __future__ import annotations

import os
import random
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive_browser.core.store import UserStore

WORKER = Path(__file__).parents[1] / "helpers" / "userstore_worker.py"
KILLS = 60
SEED = 20261203
TIME_BUDGET_SECONDS = 60  # a hard stop far above the usual ~15 s, against a stuck writer

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def run_and_kill(store: Path, run: int, delay: float) -> list[tuple[str, int, int]]:
    """Start a writer, SIGKILL it after `delay` seconds, return its acknowledgements."""
    writer = subprocess.Popen(
        [sys.executable, str(WORKER), str(store), str(run), str(run)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert writer.stdout is not None
    output = bytearray()
    selector = selectors.DefaultSelector()
    selector.register(writer.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + delay
    # Read while it runs so a full pipe never blocks the writer.
    while (left := deadline - time.monotonic()) > 0 and writer.poll() is None:
        if selector.select(timeout=left):
            output += os.read(writer.stdout.fileno(), 65536)
    writer.send_signal(signal.SIGKILL)
    rest, errors = writer.communicate(timeout=10)
    selector.close()
    output += rest
    assert writer.returncode == -signal.SIGKILL, errors.decode(errors="replace")
    acks = []
    for line in output.decode().splitlines():
        if line.startswith("ack "):  # a line cut by the kill has no newline: ignored above
            _, kind, note_id, seq = line.split()
            acks.append((kind, int(note_id), int(seq)))
    return acks


def check_store(store: Path, acknowledged: dict[int, tuple[int, int]]) -> int:
    """Integrity, and every acknowledged write present; returns how many were lost."""
    conn = sqlite3.connect(store)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = dict(conn.execute('SELECT "id", "text" FROM "notes"').fetchall())
    finally:
        conn.close()
    lost = 0
    for note_id, (run, seq) in acknowledged.items():
        text = stored.get(note_id)
        if text is None:
            lost += 1
            continue
        stored_run, stored_seq = (int(part) for part in text.split()[1::2])
        # A later write may have committed unacknowledged; an older text means a lost save.
        if (stored_run, stored_seq) < (run, seq):
            lost += 1
    return lost


@pytest.mark.slow
def test_killed_writer_never_loses_an_acknowledged_save(tmp_path: Path) -> None:
    store = tmp_path / "notes.sqlite3"
    rng = random.Random(SEED)
    acknowledged: dict[int, tuple[int, int]] = {}  # note id -> (run, seq) of its last ack
    saves = kills = lost = 0
    started = time.monotonic()
    for run in range(1, KILLS + 1):
        # Mostly mid-writing; sometimes during interpreter start-up or store migration.
        delay = rng.uniform(0.03, 0.35)
        for _kind, note_id, seq in run_and_kill(store, run, delay):
            acknowledged[note_id] = (run, seq)
            saves += 1
        kills += 1
        lost += check_store(store, acknowledged)
        assert time.monotonic() - started < TIME_BUDGET_SECONDS
    print(f"kills={kills} acknowledged_saves={saves} lost={lost}")
    assert lost == 0
    assert kills >= 50
    assert saves > kills  # the writer really wrote between kills
    with UserStore.open(store) as reopened:
        assert reopened.recovery_message is None
        assert len(reopened.notes()) >= sum(1 for _ in acknowledged)
