"""The store's own reading of a WAL (core/store/wal.py): what it must NOT set aside.

The system tests (tests/system/test_store_files.py) show orphaned, foreign and damaged WALs
set aside. These show the WALs a working store leaves behind are accepted as its own: a
torn last frame (a crash mid-write), frames of an older generation after a checkpoint
restarted the log, and a WAL being written by another connection at the time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from archive_browser.core.store import STORE_FILE_NAME, UserStore
from archive_browser.core.store.wal import read_wal, salvage_rows


def snapshot_of_open_store(store: UserStore, folder: Path) -> Path:
    """Copy the store's file and WAL as a crash would leave them (the store still open)."""
    folder.mkdir()
    for suffix in ("", "-wal"):
        shutil.copy(f"{store.path}{suffix}", folder / f"{STORE_FILE_NAME}{suffix}")
    return folder / STORE_FILE_NAME


def test_a_torn_last_frame_is_not_damage(tmp_path: Path) -> None:
    with UserStore.open(tmp_path / "live" / STORE_FILE_NAME) as store:
        for number in range(30):
            store.add_note("bundled", "site/lipetsk", f"note {number}")
        copy = snapshot_of_open_store(store, tmp_path / "copy")
    wal = Path(f"{copy}-wal")
    wal.write_bytes(wal.read_bytes()[:-1000])  # the last frame only half written
    summary = read_wal(wal)
    assert summary is not None and not summary.damaged
    with UserStore.open(copy) as reopened:
        assert reopened.recovery_message is None
        assert len(reopened.notes()) >= 29  # at most the torn commit is missing
    assert not list(copy.parent.glob("*-wal-*"))  # nothing set aside


def test_frames_of_an_older_generation_are_not_damage(tmp_path: Path) -> None:
    with UserStore.open(tmp_path / "live" / STORE_FILE_NAME) as store:
        for number in range(100):
            store.add_note("bundled", "site/lipetsk", f"first generation {number}")
        store._conn.execute("PRAGMA wal_checkpoint(RESTART)")
        for number in range(5):  # the log starts again from its beginning, new salts
            store.add_note("bundled", "site/kazan", f"second generation {number}")
        copy = snapshot_of_open_store(store, tmp_path / "copy")
    wal = Path(f"{copy}-wal")
    summary = read_wal(wal)
    assert summary is not None and not summary.damaged
    # The premise: old frames lie beyond the new generation's.
    assert wal.stat().st_size > summary.valid_bytes + 10 * (24 + summary.page_size)
    with UserStore.open(copy) as reopened:
        assert reopened.recovery_message is None
        assert len(reopened.notes()) == 105


def test_a_store_in_use_by_another_connection_is_opened_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / STORE_FILE_NAME
    with UserStore.open(path) as writer:
        for number in range(20):
            writer.add_note("bundled", "site/lipetsk", f"note {number}")
        with UserStore.open(path) as second:
            assert second.recovery_message is None
            assert len(second.notes()) == 20
        writer.add_note("bundled", "site/lipetsk", "after the second closed")
    assert not list(tmp_path.glob("*-wal-*"))


def test_salvage_reads_the_notes_rows_of_a_wal(tmp_path: Path) -> None:
    long_text = "Тухачевский " * 2000  # spills onto overflow pages
    with UserStore.open(tmp_path / "live" / STORE_FILE_NAME) as store:
        store.add_note("bundled", "site/lipetsk", "short")
        store.add_note("bundled", "site/kazan", long_text)
        copy = snapshot_of_open_store(store, tmp_path / "copy")
    summary = read_wal(Path(f"{copy}-wal"))
    assert summary is not None
    texts = {values[3] for _rowid, values in salvage_rows(summary) if len(values) == 6}
    assert {"short", long_text} <= texts


def test_salvage_copies_tags_with_the_notes(tmp_path: Path) -> None:
    from archive_browser.core.store.connection import _salvage_into_new_store

    with UserStore.open(tmp_path / "live" / STORE_FILE_NAME) as store:
        store.add_note("bundled", "site/lipetsk", "short")
        store.add_tags("bundled", "site/lipetsk", ["Lipetsk", "Липецк школа"])
        store.add_tags("bundled", "person/seeckt", ["lipetsk"])
        store.remember_archive(tmp_path / "a.db", "bundled", "Archive")  # 4 columns too
        copy = snapshot_of_open_store(store, tmp_path / "copy")
    summary = read_wal(Path(f"{copy}-wal"))
    assert summary is not None
    target = tmp_path / "salvaged" / STORE_FILE_NAME
    target.parent.mkdir()
    assert _salvage_into_new_store(target, summary) == 1
    with UserStore.open(target) as salvaged:
        assert salvaged.record_tags("bundled") == {
            "person/seeckt": ["Lipetsk"],
            "site/lipetsk": ["Lipetsk", "Липецк школа"],
        }
        assert salvaged.recent_archives() == []
