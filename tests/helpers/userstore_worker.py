"""Processes that hammer one user store, for the concurrency and kill tests.

As a script (`python userstore_worker.py STORE RUN SEED`) it is the kill test's writer: it
adds and updates notes for ever and prints `ack add|upd NOTE_ID SEQ` after each write has
committed. The text of every write is `run RUN seq SEQ`, SEQ rising, so the test can tell
whether a note holds the acknowledged write or a later one.

As a module it gives the functions `multiprocessing` runs in the concurrency tests.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

from archive_browser.core.store import UserStore, UserStoreError


def add_notes(path: str, writer: str, count: int, start: Any) -> None:
    """Wait for `start` (an Event), then add `count` notes, each its own transaction."""
    start.wait()
    with UserStore.open(Path(path)) as store:
        for number in range(count):
            store.add_note("archive", f"person/{writer}", f"{writer} {number}")


def open_new_stores(folder: str, writer: str, rounds: int, barrier: Any, errors: Any) -> None:
    """Each round, every process opens the same NEW store at the same moment."""
    for round_number in range(rounds):
        barrier.wait()
        try:
            with UserStore.open(Path(folder) / f"store-{round_number}.sqlite3") as store:
                store.add_note("archive", "person/seeckt", f"{writer} {round_number}")
        except (UserStoreError, OSError) as error:
            errors.put(f"round {round_number}, {writer}: {error}")


def write_forever(path: Path, run: int, seed: int) -> None:
    rng = random.Random(seed)
    store = UserStore.open(path)
    own_notes: list[int] = []
    seq = 0
    while True:
        seq += 1
        text = f"run {run} seq {seq}"
        if own_notes and rng.random() < 0.5:
            note = store.update_note(rng.choice(own_notes), text)
            kind = "upd"
        else:
            note = store.add_note("archive", f"person/p{rng.randrange(20)}", text)
            own_notes.append(note.id)
            kind = "add"
        if seq % 7 == 0:
            store.toggle_bookmark("archive", f"person/p{rng.randrange(20)}")
        sys.stdout.write(f"ack {kind} {note.id} {seq}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    write_forever(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
