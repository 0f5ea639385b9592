"""The user store: durability, migrations, recovery, errors and concurrent use."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_browser.core.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    VERSION_INTERVAL_SECONDS,
    VERSIONS_DAYS,
    VERSIONS_KEPT,
    Bookmark,
    NoteConflict,
    UserStore,
    UserStoreError,
)
from archive_browser.core.store import migrations as store_migrations

sys.path.insert(0, str(Path(__file__).parents[1] / "helpers"))
import userstore_worker

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


# --- basic behaviour ----------------------------------------------------------------------


def test_default_location_is_the_user_data_folder(private_user_folder: Path) -> None:
    with UserStore.open() as opened:
        assert opened.path == private_user_folder / "notes.sqlite3"
        assert opened.path.is_file()
        assert opened.recovery_message is None


def test_store_uses_wal_and_current_schema(store: UserStore) -> None:
    conn = raw(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"notes", "bookmarks", "recent_archives"} <= tables


def test_notes_and_bookmarks_survive_a_restart(store_path: Path) -> None:
    with UserStore.open(store_path) as first:
        kept = first.add_note("bundled", "person/seeckt", "Чтение: «Сект» — line 1\nline 2")
        first.add_note("bundled", "site/lipetsk", "airfield")
        assert first.toggle_bookmark("bundled", "person/seeckt") is True
    with UserStore.open(store_path) as second:
        assert second.notes("bundled", "person/seeckt") == [kept]
        assert [n.record_id for n in second.notes("bundled")] == ["person/seeckt", "site/lipetsk"]
        assert second.is_bookmarked("bundled", "person/seeckt")
        assert second.bookmarks("bundled")[0].record_id == "person/seeckt"


def test_notes_are_keyed_by_archive_id_and_stable_record_id(store: UserStore) -> None:
    store.add_note("bundled", "person/seeckt", "in the bundled archive")
    store.add_note("my-finding-aid", "person/seeckt", "in my own archive")
    assert [n.text for n in store.notes("bundled", "person/seeckt")] == ["in the bundled archive"]
    assert [n.text for n in store.notes(record_id="person/seeckt")] == [
        "in the bundled archive",
        "in my own archive",
    ]
    stored = raw(store.path).execute('SELECT "archive_id", "record_id" FROM "notes"').fetchall()
    assert stored == [("bundled", "person/seeckt"), ("my-finding-aid", "person/seeckt")]


def test_each_write_is_committed_at_once(store: UserStore) -> None:
    note = store.add_note("bundled", "person/seeckt", "first draft")
    other = raw(store.path)  # another connection sees it while the store is still open
    assert other.execute('SELECT "text" FROM "notes" WHERE "id" = ?', (note.id,)).fetchone() == (
        "first draft",
    )
    store.update_note(note.id, "second draft")
    assert other.execute('SELECT "text" FROM "notes"').fetchone() == ("second draft",)


def test_update_changes_text_and_modified_time(store: UserStore) -> None:
    note = store.add_note("bundled", "event/rapallo-treaty", "draft")
    updated = store.update_note(note.id, "final")
    assert updated.text == "final"
    assert updated.created == note.created
    assert updated.modified > note.modified
    assert store.notes("bundled")[0] == updated


def test_update_or_delete_of_a_deleted_note(store: UserStore) -> None:
    note = store.add_note("bundled", "person/seeckt", "x")
    store.delete_note(note.id)
    assert store.notes() == []
    with pytest.raises(UserStoreError, match="deleted"):
        store.update_note(note.id, "too late")
    store.delete_note(note.id)  # deleting twice is harmless


def test_times_are_iso_utc(store: UserStore) -> None:
    from datetime import UTC, datetime

    note = store.add_note("bundled", "person/seeckt", "x")
    created = datetime.fromisoformat(note.created)
    assert created.tzinfo is not None and created.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - created).total_seconds()) < 60


def test_missing_ids_are_refused(store: UserStore) -> None:
    with pytest.raises(UserStoreError):
        store.add_note("", "person/seeckt", "x")
    with pytest.raises(UserStoreError):
        store.toggle_bookmark("bundled", "  ")


def test_closed_store_raises_a_readable_error(store_path: Path) -> None:
    opened = UserStore.open(store_path)
    opened.close()
    opened.close()
    with pytest.raises(UserStoreError, match="closed"):
        opened.notes()


# --- search -------------------------------------------------------------------------------


def test_search_ignores_case_and_accents_in_latin_and_cyrillic(store: UserStore) -> None:
    tukh = store.add_note("bundled", "person/tukhachevsky", "Маршал ТУХАЧЕВСКИЙ visited Kazan")
    kost = store.add_note("bundled", "person/kostring", "Ernst Köstring, Ёлкин")
    store.add_note("other", "person/tukhachevsky", "тухачевский in another archive")
    assert store.search_notes("bundled", "тухачевский") == [tukh]
    assert store.search_notes("bundled", "KAZAN маршал") == [tukh]
    assert store.search_notes("bundled", "kostring") == [kost]
    assert store.search_notes("bundled", "елкин") == [kost]
    assert store.search_notes("bundled", "kazan lipetsk") == []
    assert store.search_notes("bundled", "   ") == []


def test_search_is_newest_first_and_limited(store: UserStore) -> None:
    notes = [store.add_note("bundled", f"person/p{i}", f"Lipetsk {i}") for i in range(5)]
    time.sleep(0.002)  # times have millisecond precision
    store.update_note(notes[1].id, "Lipetsk edited")
    found = store.search_notes("bundled", "lipetsk", limit=3)
    assert [n.id for n in found] == [notes[1].id, notes[4].id, notes[3].id]


@settings(
    max_examples=60, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(min_size=1, max_size=40))
def test_search_never_raises_and_finds_the_note_itself(store: UserStore, text: str) -> None:
    note = store.add_note("hyp", "person/x", text)
    found = store.search_notes("hyp", text, limit=10_000)
    if text.split():
        assert note.id in {n.id for n in found}
    else:
        assert found == []


# --- bookmarks and recent archives --------------------------------------------------------


def test_toggle_bookmark(store: UserStore) -> None:
    assert store.toggle_bookmark("bundled", "site/kazan") is True
    assert store.is_bookmarked("bundled", "site/kazan")
    assert not store.is_bookmarked("other", "site/kazan")
    assert store.toggle_bookmark("bundled", "site/kazan") is False
    assert not store.is_bookmarked("bundled", "site/kazan")
    assert store.bookmarks() == []


def test_bookmarks_filtered_by_archive(store: UserStore) -> None:
    store.toggle_bookmark("bundled", "site/kazan")
    store.toggle_bookmark("other", "site/tomka")
    assert [(b.archive_id, b.record_id) for b in store.bookmarks()] == [
        ("bundled", "site/kazan"),
        ("other", "site/tomka"),
    ]
    (only,) = store.bookmarks("other")
    assert isinstance(only, Bookmark) and only.record_id == "site/tomka"


def test_recent_archives_latest_first_without_duplicates(store: UserStore, tmp_path: Path) -> None:
    store.remember_archive(tmp_path / "a.db", "a", "Archive A")
    store.remember_archive(tmp_path / "b.db", "b", "Archive B")
    store.remember_archive(tmp_path / "a.db", "a", "Archive A, renamed")
    assert store.recent_archives() == [
        (str(tmp_path / "a.db"), "a", "Archive A, renamed"),
        (str(tmp_path / "b.db"), "b", "Archive B"),
    ]
    assert len(store.recent_archives(limit=1)) == 1


# --- migrations ---------------------------------------------------------------------------


def make_store_at_version(path: Path, version: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = raw(path)
    for migration in MIGRATIONS[:version]:
        migration(conn)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()


def test_migrates_a_version_1_store_keeping_its_data(store_path: Path) -> None:
    make_store_at_version(store_path, 1)
    conn = raw(store_path)
    conn.execute(
        'INSERT INTO "notes" ("archive_id", "record_id", "text", "created", "modified")'
        " VALUES ('bundled', 'person/seeckt', 'old note', '2025-01-01T00:00:00.000Z',"
        " '2025-01-01T00:00:00.000Z')"
    )
    conn.execute(
        "INSERT INTO \"bookmarks\" VALUES ('bundled', 'site/kazan', '2025-01-01T00:00:00.000Z')"
    )
    conn.close()
    with UserStore.open(store_path) as opened:
        assert opened.recovery_message is None
        assert [n.text for n in opened.notes("bundled", "person/seeckt")] == ["old note"]
        assert opened.is_bookmarked("bundled", "site/kazan")
    conn = raw(store_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "notes_by_record" in indexes


def test_a_failing_migration_leaves_the_store_at_its_old_version(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_store_at_version(store_path, 1)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute('CREATE INDEX "half_done" ON "notes" ("text")')
        raise RuntimeError("migration bug")

    monkeypatch.setattr(store_migrations, "MIGRATIONS", [MIGRATIONS[0], broken])
    with pytest.raises(RuntimeError):
        UserStore.open(store_path)
    conn = raw(store_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in names  # rolled back as a whole


# --- recovery -----------------------------------------------------------------------------


def aside_files(folder: Path, reason: str) -> list[Path]:
    found = folder.glob(f"notes.sqlite3.{reason}-*")
    return sorted(p for p in found if not p.name.endswith(("-wal", "-shm")))


def test_newer_store_is_moved_aside_unchanged(store_path: Path) -> None:
    with UserStore.open(store_path) as first:
        first.add_note("bundled", "person/seeckt", "written by a newer program")
    raw(store_path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    with UserStore.open(store_path) as reopened:
        (moved,) = aside_files(store_path.parent, "newer")
        assert reopened.recovery_message and str(moved) in reopened.recovery_message
        assert "newer" in reopened.recovery_message
        assert reopened.notes() == []
    kept = raw(moved)
    assert kept.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 5
    assert kept.execute('SELECT "text" FROM "notes"').fetchall() == [
        ("written by a newer program",)
    ]


def test_file_that_is_not_a_database_is_moved_aside_with_wal_and_shm(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    garbage = b"this is not an SQLite file at all\n" * 200
    store_path.write_bytes(garbage)
    Path(f"{store_path}-wal").write_bytes(b"wal bytes")
    Path(f"{store_path}-shm").write_bytes(b"shm bytes")
    with UserStore.open(store_path) as reopened:
        assert reopened.recovery_message and "damaged" in reopened.recovery_message
        reopened.add_note("bundled", "person/seeckt", "a fresh start")
    (moved,) = aside_files(store_path.parent, "corrupt")
    assert moved.read_bytes() == garbage
    assert Path(f"{moved}-wal").read_bytes() == b"wal bytes"
    assert Path(f"{moved}-shm").read_bytes() == b"shm bytes"
    assert moved.name.startswith("notes.sqlite3.corrupt-2")
    with UserStore.open(store_path) as again:
        assert again.recovery_message is None
        assert [n.text for n in again.notes()] == ["a fresh start"]


def test_store_with_damaged_pages_is_moved_aside(store_path: Path) -> None:
    with UserStore.open(store_path) as first:
        for number in range(400):
            first.add_note("bundled", f"person/p{number}", f"note {number} " * 20)
    raw(store_path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    original = store_path.read_bytes()
    page = 4096
    damaged = bytearray(original)
    # Keep the header page; scribble over some b-tree pages in the middle.
    for offset in range(3 * page, min(len(damaged), 12 * page), page):
        damaged[offset : offset + 64] = b"\xff" * 64
    store_path.write_bytes(bytes(damaged))
    with UserStore.open(store_path) as reopened:
        assert reopened.recovery_message is not None
        assert reopened.notes() == []
    (moved,) = aside_files(store_path.parent, "corrupt")
    assert moved.read_bytes() == bytes(damaged)


# --- unwritable folder, full disk ---------------------------------------------------------


def test_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(UserStoreError, match="Cannot save notes") as caught:
        UserStore.open(blocker / "sub" / "notes.sqlite3")
    assert str(blocker) in str(caught.value)


CHILD_READ_ONLY_FILE = """
import sys
from pathlib import Path
from archive_browser.core.store import UserStore, UserStoreError
with UserStore.open(Path(sys.argv[1])) as store:
    print("reason:", store.read_only_reason)
    print("notes:", [n.text for n in store.notes()])
    try:
        store.add_note("bundled", "person/seeckt", "refused")
    except UserStoreError as error:
        print("refused:", error)
"""


def test_read_only_store_file(store_path: Path) -> None:
    """A read-only notes file opens for reading (issue 24, finding 14). Root ignores file
    modes, so as root the check runs in a child without the capability that overrides them."""
    with UserStore.open(store_path) as store:
        store.add_note("bundled", "person/seeckt", "readable")
    store_path.chmod(0o444)
    try:
        prefix: tuple[str, ...] = ()
        if IS_ROOT:
            caps = "-dac_override,-dac_read_search"
            prefix = ("setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}")
        result = subprocess.run(
            [*prefix, sys.executable, "-c", CHILD_READ_ONLY_FILE, str(store_path)],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0].startswith("reason:") and "read-only" in lines[0]
        assert lines[1] == "notes: ['readable']"
        assert lines[2].startswith("refused:") and "read-only" in lines[2]
    finally:
        store_path.chmod(0o644)


CHILD_OPEN_READ_ONLY = """
import sys
from pathlib import Path
from archive_browser.core.store import UserStore, UserStoreError
try:
    UserStore.open(Path(sys.argv[1]) / "notes.sqlite3")
except UserStoreError as error:
    print("UserStoreError:", error)
"""

CHILD_FILL_DISK = """
import sys
from pathlib import Path
from archive_browser.core.store import UserStore, UserStoreError
store = UserStore.open(Path(sys.argv[1]) / "notes.sqlite3")
store.add_note("bundled", "person/seeckt", "small note")
try:
    store.add_note("bundled", "person/seeckt", "x" * 2_000_000)
except UserStoreError as error:
    print("UserStoreError:", error)
print("kept:", [n.text for n in store.notes()])
"""


def run_in_private_mount(folder: Path, mount_options: str, code: str) -> str:
    """Run `code` as a child that sees a fresh tmpfs mounted on `folder` (root only)."""
    if not IS_ROOT or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare to mount a read-only or tiny file system")
    folder.mkdir(parents=True, exist_ok=True)
    script = (
        f"mount -t tmpfs -o {mount_options} tmpfs {folder} || exit 77\n"
        f'exec "{sys.executable}" -c "$CHILD_CODE" {folder}\n'
    )
    env = {**os.environ, "CHILD_CODE": textwrap.dedent(code)}
    result = subprocess.run(
        ["unshare", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    if result.returncode == 77 or "unshare failed" in result.stderr:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_unwritable_folder_gives_a_readable_error(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    if IS_ROOT:
        output = run_in_private_mount(folder, "ro,size=64k", CHILD_OPEN_READ_ONLY)
        assert f"UserStoreError: Cannot save notes: the folder {folder} is not writable." in output
        return
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(UserStoreError, match="is not writable") as caught:
            UserStore.open(folder / "notes.sqlite3")
        assert str(folder) in str(caught.value)
    finally:
        folder.chmod(0o700)


def test_full_disk_gives_a_readable_error_on_a_tiny_file_system(tmp_path: Path) -> None:
    output = run_in_private_mount(tmp_path / "tiny", "size=256k", CHILD_FILL_DISK)
    assert "UserStoreError: Cannot save the note: the disk holding the folder" in output
    assert "is full." in output
    assert "kept: ['small note']" in output


def test_full_store_raises_and_stays_usable(store: UserStore) -> None:
    store.add_note("bundled", "person/seeckt", "fits")
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[union-attr]
    # SQLite treats a page limit like a full disk (SQLITE_FULL): the same path is taken.
    store._conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # type: ignore[union-attr]
    with pytest.raises(UserStoreError, match="is full"):
        store.add_note("bundled", "person/seeckt", "y" * 100_000)
    assert [n.text for n in store.notes()] == ["fits"]
    store.toggle_bookmark("bundled", "person/seeckt")  # small writes still work
    assert store.is_bookmarked("bundled", "person/seeckt")


# --- several processes --------------------------------------------------------------------


def test_two_processes_writing_at_once_lose_nothing(store_path: Path) -> None:
    UserStore.open(store_path).close()
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    counts = {"alpha": 150, "beta": 120}
    workers = [
        context.Process(target=userstore_worker.add_notes, args=(str(store_path), name, n, start))
        for name, n in counts.items()
    ]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    with UserStore.open(store_path) as opened:
        for name, count in counts.items():
            assert len(opened.notes("archive", f"person/{name}")) == count
        assert len(opened.notes()) == sum(counts.values())


def test_processes_opening_a_new_store_at_once_do_not_fail(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    processes, rounds = 3, 15
    barrier = context.Barrier(processes)
    errors = context.Queue()
    workers = [
        context.Process(
            target=userstore_worker.open_new_stores,
            args=(str(tmp_path), f"w{n}", rounds, barrier, errors),
        )
        for n in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=90)
        assert worker.exitcode == 0
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    for round_number in range(rounds):
        with UserStore.open(tmp_path / f"store-{round_number}.sqlite3") as opened:
            assert len(opened.notes()) == processes
            assert opened.recovery_message is None


def test_update_with_a_stale_modified_time_is_refused(tmp_path: Path) -> None:
    with UserStore.open(tmp_path / "notes.sqlite3") as store:
        note = store.add_note("a", "person/seeckt", "first")
        newer = store.update_note(note.id, "second", expected_modified=note.modified)
        with pytest.raises(NoteConflict):
            store.update_note(note.id, "third", expected_modified=note.modified)
        assert store.note(note.id).text == "second"
        assert store.update_note(note.id, "fourth", expected_modified=newer.modified).text == (
            "fourth"
        )


# --- note versions (issue 18) -------------------------------------------------------------

# The schema version the note_versions step upgrades from, found by the step itself so that the
# order of steps may change at a merge without touching the tests.
BEFORE_NOTE_VERSIONS = MIGRATIONS.index(store_migrations._migrate_to_4)


def texts_of_versions(store: UserStore, note_id: int) -> list[str]:
    return [version.text for version in store.versions(note_id)]


def age_versions(store_path: Path, note_id: int, days: float) -> None:
    """Pretend the note's versions were replaced `days` ago (as a second program would see)."""
    from archive_browser.core.store.values import days_ago

    conn = raw(store_path)
    conn.execute(
        'UPDATE "note_versions" SET "replaced" = ? WHERE "note_id" = ?', (days_ago(days), note_id)
    )
    conn.close()


def test_every_save_that_changes_text_keeps_the_previous_version(store: UserStore) -> None:
    note = store.add_note("bundled", "person/seeckt", "Chief of the Reichswehr")
    store.update_note(note.id, "Chief")  # text removed: the longer text is kept
    store.update_note(note.id, "Chief")  # the same text: nothing to keep
    assert texts_of_versions(store, note.id) == ["Chief of the Reichswehr"]
    store.update_note(note.id, "Chief, 1920")  # only adds, minutes after the last version
    assert texts_of_versions(store, note.id) == ["Chief of the Reichswehr"]
    store.update_note(note.id, "Chef, 1920")  # one letter changed
    assert texts_of_versions(store, note.id) == ["Chief, 1920", "Chief of the Reichswehr"]
    versions = store.versions(note.id)
    assert versions[0].replaced == store.note(note.id).modified
    assert versions[0].modified < versions[0].replaced


def test_typing_on_adds_a_version_once_the_newest_is_old_enough(
    store: UserStore, store_path: Path
) -> None:
    note = store.add_note("bundled", "person/seeckt", "Kama")
    store.update_note(note.id, "Kama tank school")  # the first save keeps the original
    assert texts_of_versions(store, note.id) == ["Kama"]
    age_versions(store_path, note.id, days=VERSION_INTERVAL_SECONDS / 86400 + 0.001)
    store.update_note(note.id, "Kama tank school, Kazan")
    assert texts_of_versions(store, note.id) == ["Kama tank school", "Kama"]


def test_restoring_a_version_is_a_save_that_can_itself_be_undone(store: UserStore) -> None:
    note = store.add_note("bundled", "person/seeckt", "the long original")
    store.update_note(note.id, "x")
    original = store.versions(note.id)[0]
    current = store.note(note.id)
    restored = store.restore_version(note.id, original.id, expected_modified=current.modified)
    assert restored.text == "the long original" == store.note(note.id).text
    assert texts_of_versions(store, note.id) == ["x", "the long original"]
    with pytest.raises(NoteConflict):
        store.restore_version(note.id, original.id, expected_modified=current.modified)
    with pytest.raises(UserStoreError, match="no longer kept"):
        store.restore_version(note.id, original.id + 1000)
    assert store.note(note.id).text == "the long original"


def test_versions_are_bounded_to_fifty_or_thirty_days_whichever_keeps_more(
    store: UserStore, store_path: Path
) -> None:
    busy = store.add_note("bundled", "person/seeckt", "v0")
    old = store.add_note("bundled", "site/kazan", "w0")
    for number in range(1, VERSIONS_KEPT + 30):
        store.update_note(busy.id, f"v{number}")
        store.update_note(old.id, f"w{number}")
    assert len(store.versions(busy.id)) == VERSIONS_KEPT + 29  # all younger than 30 days
    age_versions(store_path, old.id, days=VERSIONS_DAYS + 1)
    age_versions(store_path, busy.id, days=VERSIONS_DAYS + 1)
    for number in range(60):  # recent versions beyond the fifty are kept for 30 days
        store.update_note(busy.id, f"recent {number}")
    store.update_note(old.id, "latest")
    assert len(store.versions(busy.id)) == 60
    assert store.versions(busy.id)[-1].text == f"v{VERSIONS_KEPT + 29}"  # replaced just now
    assert len(store.versions(old.id)) == VERSIONS_KEPT  # old ones: the newest fifty stay
    assert store.versions(old.id)[0].text == f"w{VERSIONS_KEPT + 29}"


def test_deleting_a_note_deletes_its_versions(store: UserStore) -> None:
    note = store.add_note("bundled", "person/seeckt", "one")
    store.update_note(note.id, "two")
    store.delete_note(note.id)
    assert store.versions(note.id) == []


def test_the_note_versions_step_migrates_and_may_run_twice(store_path: Path) -> None:
    make_store_at_version(store_path, BEFORE_NOTE_VERSIONS)
    conn = raw(store_path)
    conn.execute(
        'INSERT INTO "notes" ("archive_id", "record_id", "text", "created", "modified")'
        " VALUES ('bundled', 'person/seeckt', 'kept', '2025-01-01T00:00:00.000Z',"
        " '2025-01-01T00:00:00.000Z')"
    )
    conn.close()
    with UserStore.open(store_path) as opened:
        note = opened.notes()[0]
        opened.update_note(note.id, "changed")
        assert texts_of_versions(opened, note.id) == ["kept"]
    conn = raw(store_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    MIGRATIONS[BEFORE_NOTE_VERSIONS](conn)  # idempotent: a merge may order the steps anew
    assert conn.execute('SELECT count(*) FROM "note_versions"').fetchone()[0] == 1
    conn.close()


def test_a_read_only_store_from_before_versions_has_an_empty_history(store_path: Path) -> None:
    make_store_at_version(store_path, BEFORE_NOTE_VERSIONS)
    conn = raw(store_path)
    conn.execute(
        'INSERT INTO "notes" ("archive_id", "record_id", "text", "created", "modified")'
        " VALUES ('bundled', 'person/seeckt', 'old', '2025-01-01T00:00:00.000Z',"
        " '2025-01-01T00:00:00.000Z')"
    )
    conn.close()
    read_only = sqlite3.connect(store_path.resolve().as_uri() + "?mode=ro", uri=True)
    with UserStore(store_path, read_only, None) as opened:
        assert opened.versions(opened.notes()[0].id) == []


def test_add_bookmarks_adds_only_the_missing_ones_and_keeps_their_times(store: UserStore) -> None:
    store.toggle_bookmark("a", "person/seeckt")
    first = {b.record_id: b.created for b in store.bookmarks("a")}["person/seeckt"]
    added = store.add_bookmarks("a", ["person/seeckt", "site/lipetsk", "site/lipetsk", "event/x"])
    assert added == 2
    kept = {b.record_id: b.created for b in store.bookmarks("a")}
    assert set(kept) == {"person/seeckt", "site/lipetsk", "event/x"}
    assert kept["person/seeckt"] == first
    assert store.bookmarks("b") == []
    with pytest.raises(UserStoreError, match="record id is missing"):
        store.add_bookmarks("a", ["ok/id", ""])
    assert len(store.bookmarks("a")) == 3  # a bad id adds nothing
