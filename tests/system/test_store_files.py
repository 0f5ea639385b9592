"""Issue 24, findings 3, 7, 14 and 15: the store guards its files.

Each test reproduces what the adversarial round did to the notes folder and checks the fix
through the real program (the command line, or the window in a child process): a `-wal`
left without its main file keeps its notes; another store's WAL and a damaged WAL are moved
aside byte for byte; a symbolic link, a named pipe or a folder at the store's path is refused
and whatever it points to stays unchanged; a read-only store lists, exports and fills the
Notebook; a store of a schema version we never wrote is set aside instead of locking the
user out.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from archive_browser.core.store import STORE_FILE_NAME, UserStore

ARCHIVE_ID = "bundled"  # the built archive's id (tests/conftest.py)
EXIT_USER_ERROR = 2
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
COUNTS: Counter[str] = Counter()  # reported by conftest.report_counts
pytestmark = pytest.mark.usefixtures("report_counts")

# Writes notes and dies by SIGKILL before closing: the WAL keeps every commit, unmerged.
WRITE_THEN_DIE = """
import os, sys
from pathlib import Path
from archive_browser.core.store import UserStore
store = UserStore.open(Path(sys.argv[1]))
for number in range(int(sys.argv[2])):
    store.add_note(sys.argv[3], f"person/p{number}", f"{sys.argv[4]} {number}: Тухачевский")
print("written", flush=True)
os.kill(os.getpid(), 9)
"""


def write_then_die(store_file: Path, count: int, label: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", WRITE_THEN_DIE, str(store_file), str(count), ARCHIVE_ID, label],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL and "written" in result.stdout, result.stderr
    assert Path(f"{store_file}-wal").stat().st_size > 0


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def digest(folder: Path) -> dict[str, str]:
    return {p.name: sha(p) for p in sorted(folder.iterdir()) if p.is_file()}


def run_cli(
    user_folder: Path, archive: Path, *args: str, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ARCHIVE_BROWSER_DATA_DIR": str(user_folder)}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "archive_browser", "--archive", str(archive), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def listed_notes(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 0, result.stderr
    return [item["text"] for item in json.loads(result.stdout)]


def one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr and len(lines) == 1, stderr
    assert lines[0].endswith("."), lines[0]
    return lines[0]


# ----------------------------------------------------------------------------- finding 3


def test_an_orphaned_wal_keeps_all_200_notes(built_archive: Path, tmp_path: Path) -> None:
    """A sync tool moved notes.sqlite3 away and left its -wal: SQLite used to delete it."""
    COUNTS["orphaned WAL, 200 notes (new store)"] += 1
    user = tmp_path / "user"
    user.mkdir()
    store_file = user / STORE_FILE_NAME
    write_then_die(store_file, 200, "orphan")
    wal_bytes = Path(f"{store_file}-wal").read_bytes()
    shutil.move(store_file, tmp_path / "moved-by-sync.sqlite3")
    result = run_cli(user, built_archive, "notes", "--json")
    texts = listed_notes(result)
    assert sorted(texts) == sorted(f"orphan {n}: Тухачевский" for n in range(200))
    line = one_sentence(result.stderr)
    assert "200 notes were recovered" in line
    (kept,) = user.glob("notes.sqlite3.orphaned-wal-*-wal")
    assert str(kept) in line and kept.read_bytes() == wal_bytes  # kept byte for byte


def test_an_orphaned_wal_of_a_long_used_store_gives_back_its_recent_notes(
    built_archive: Path, tmp_path: Path
) -> None:
    """The main file held older notes (checkpointed); the WAL only the recent pages: the
    notes in those pages are copied into a new store and the WAL is kept aside."""
    COUNTS["orphaned WAL, 200 recent notes (used store)"] += 1
    user = tmp_path / "user"
    user.mkdir()
    store_file = user / STORE_FILE_NAME
    with UserStore.open(store_file) as store:
        for number in range(50):
            store.add_note(ARCHIVE_ID, "site/lipetsk", f"older {number}")
    write_then_die(store_file, 200, "recent")
    wal_bytes = Path(f"{store_file}-wal").read_bytes()
    shutil.move(store_file, tmp_path / "moved-by-sync.sqlite3")
    result = run_cli(user, built_archive, "notes", "--json")
    texts = set(listed_notes(result))
    assert {f"recent {n}: Тухачевский" for n in range(200)} <= texts
    line = one_sentence(result.stderr)
    assert "the recent changes it had are kept in" in line
    (kept,) = user.glob("notes.sqlite3.orphaned-wal-*-wal")
    assert kept.read_bytes() == wal_bytes


def test_another_stores_wal_is_moved_aside_not_replayed(
    built_archive: Path, tmp_path: Path
) -> None:
    COUNTS["foreign WAL beside the store"] += 1
    user, other = tmp_path / "user", tmp_path / "other"
    user.mkdir()
    other.mkdir()
    store_file = user / STORE_FILE_NAME
    with UserStore.open(store_file) as store:
        for number in range(5):
            store.add_note(ARCHIVE_ID, "site/lipetsk", f"mine {number}")
    write_then_die(other / STORE_FILE_NAME, 40, "theirs")
    shutil.copy(other / f"{STORE_FILE_NAME}-wal", user / f"{STORE_FILE_NAME}-wal")
    before = digest(user)
    result = run_cli(user, built_archive, "notes", "--json")
    assert sorted(listed_notes(result)) == [f"mine {n}" for n in range(5)]
    line = one_sentence(result.stderr)
    assert "belonged to another notes file" in line
    (aside,) = user.glob("notes.sqlite3.foreign-wal-*[0-9]")
    assert sha(aside) == before[STORE_FILE_NAME]
    assert sha(Path(f"{aside}-wal")) == before[f"{STORE_FILE_NAME}-wal"]


def test_a_damaged_wal_is_moved_aside_with_its_main_file(
    built_archive: Path, tmp_path: Path
) -> None:
    COUNTS["WAL failing its checksums"] += 1
    user = tmp_path / "user"
    user.mkdir()
    store_file = user / STORE_FILE_NAME
    write_then_die(store_file, 200, "walled")
    wal = Path(f"{store_file}-wal")
    data = bytearray(wal.read_bytes())
    page_size = int.from_bytes(data[8:12], "big")
    data[32 + 24 + (24 + page_size) * 5 + 200] ^= 0xFF  # inside the sixth frame's page
    wal.write_bytes(bytes(data))
    before = digest(user)
    result = run_cli(user, built_archive, "notes", "--json")
    texts = listed_notes(result)
    # What is in use is only what came before the damage; everything is kept aside.
    assert len(texts) < 200
    line = one_sentence(result.stderr)
    assert "were damaged" in line
    (aside,) = user.glob("notes.sqlite3.damaged-wal-*[0-9]")
    assert sha(aside) == before[STORE_FILE_NAME]
    assert sha(Path(f"{aside}-wal")) == before[f"{STORE_FILE_NAME}-wal"]
    assert str(aside) in line


# ----------------------------------------------------------------------------- finding 7


def make_database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE precious (x TEXT)")
        conn.execute("INSERT INTO precious VALUES ('do not touch')")
    conn.close()


@pytest.mark.parametrize("kind", ["symlink", "fifo", "folder"])
def test_a_store_path_that_is_not_a_regular_file_is_refused(
    built_archive: Path, tmp_path: Path, kind: str
) -> None:
    COUNTS[f"store path is a {kind}"] += 1
    user = tmp_path / "user"
    user.mkdir()
    store_file = user / STORE_FILE_NAME
    target = tmp_path / "elsewhere.sqlite3"
    make_database(target)
    if kind == "symlink":
        store_file.symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(store_file)
    else:
        store_file.mkdir()
    before = sha(target)
    result = run_cli(user, built_archive, "note", "site/lipetsk", "a note")
    assert result.returncode == EXIT_USER_ERROR
    line = one_sentence(result.stderr)
    expected = {"symlink": "a symbolic link", "fifo": "a named pipe", "folder": "a folder"}
    assert f"is {expected[kind]}, not a regular file" in line
    assert sha(target) == before  # the file the link points to is untouched
    assert not Path(f"{target}-wal").exists()
    assert sorted(p.name for p in user.iterdir()) == [STORE_FILE_NAME]


# ----------------------------------------------------------------------------- finding 14


def without_overrides() -> tuple[str, ...]:
    """Root ignores file modes; dropping these capabilities makes it obey them."""
    if not IS_ROOT:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("root ignores read-only modes and setpriv is missing to drop that privilege")
    caps = "-dac_override,-dac_read_search"
    return ("setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}")


NOTEBOOK_ROWS = """
import sys, time
from pathlib import Path
from archive_browser.core.archive import Archive
from archive_browser.ui.app import create_window, ensure_application, make_settings
from archive_browser.ui.features.notes import NotesController
from archive_browser.ui.hooks import hooks_of
app = ensure_application()
window = create_window(Archive.open(Path(sys.argv[1])), make_settings())
window.show()
deadline = time.monotonic() + 30
while not all(t.model.loaded for t in window.entity_tabs.values()):
    app.processEvents()
    assert time.monotonic() < deadline
controller = hooks_of(window).feature(NotesController)
controller.notebook.refresh()
print("rows", controller.notebook.model.rowCount())
print("status", window.statusBar().currentMessage())
window.close()
"""


@pytest.mark.parametrize("read_only", ["folder", "file"])
def test_a_read_only_store_lists_exports_and_fills_the_notebook(
    built_archive: Path, tmp_path: Path, read_only: str
) -> None:
    COUNTS[f"read-only notes {read_only}: notes, export-notes, Notebook"] += 1
    prefix = without_overrides()
    user = tmp_path / "user"
    user.mkdir()
    store_file = user / STORE_FILE_NAME
    with UserStore.open(store_file) as store:
        store.add_note(ARCHIVE_ID, "site/lipetsk", "first note")
        store.add_note(ARCHIVE_ID, "person/seeckt", "second note")
        store.toggle_bookmark(ARCHIVE_ID, "site/kazan")
    (user / "window.ini").write_text("")
    out = tmp_path / "out"
    out.mkdir()
    locked = user if read_only == "folder" else store_file
    before = digest(user)
    locked.chmod(0o555 if read_only == "folder" else 0o444)
    try:
        listed = run_cli(user, built_archive, "notes", "--json", prefix=prefix)
        exported = run_cli(
            user,
            built_archive,
            "export-notes",
            "--format",
            "csv",
            "--out",
            str(out / "notes.csv"),
            prefix=prefix,
        )
        refused = run_cli(user, built_archive, "note", "site/lipetsk", "more", prefix=prefix)
        window = subprocess.run(
            [*prefix, sys.executable, "-c", NOTEBOOK_ROWS, str(built_archive)],
            capture_output=True,
            text=True,
            env={
                **os.environ,
                "ARCHIVE_BROWSER_DATA_DIR": str(user),
                "QT_QPA_PLATFORM": "offscreen",
            },
            timeout=120,
        )
    finally:
        locked.chmod(0o755 if read_only == "folder" else 0o644)
    assert sorted(listed_notes(listed)) == ["first note", "second note"]
    assert exported.returncode == 0, exported.stderr
    csv_text = (out / "notes.csv").read_text(encoding="utf-8-sig")
    assert "first note" in csv_text and "second note" in csv_text and "site/kazan" in csv_text
    assert refused.returncode == EXIT_USER_ERROR
    assert "Cannot save notes" in one_sentence(refused.stderr)
    assert window.returncode == 0, window.stderr
    assert "rows 3" in window.stdout.splitlines()  # two notes, one bookmark without notes
    assert "open for reading only" in window.stdout
    # The notes file is unchanged; reading a WAL-mode file may leave an empty -wal and its
    # index beside it where the folder allows.
    assert sha(store_file) == before[STORE_FILE_NAME]
    wal = Path(f"{store_file}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


# ----------------------------------------------------------------------------- finding 15


@pytest.mark.parametrize("version", [-1, 1])
def test_a_store_of_a_schema_version_we_never_wrote_is_set_aside(
    built_archive: Path, tmp_path: Path, version: int
) -> None:
    COUNTS[f"user_version {version}"] += 1
    user = tmp_path / "user"
    user.mkdir()
    store_file = user / STORE_FILE_NAME
    with UserStore.open(store_file) as store:
        store.add_note(ARCHIVE_ID, "site/lipetsk", "kept aside")
    with sqlite3.connect(store_file) as conn:
        conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    before = sha(store_file)
    result = run_cli(user, built_archive, "note", "site/lipetsk", "a fresh start")
    assert result.returncode == 0, result.stderr  # not locked out
    line = one_sentence(result.stderr)
    assert "set aside unchanged as" in line
    (aside,) = [p for p in user.glob("notes.sqlite3.*") if not p.name.endswith(("-wal", "-shm"))]
    assert str(aside) in line and sha(aside) == before
    assert listed_notes(run_cli(user, built_archive, "notes", "--json")) == ["a fresh start"]


def test_a_version_1_store_still_migrates(tmp_path: Path) -> None:
    """The set-aside above is for a file that does not fit its version, not for old stores."""
    store_file = tmp_path / STORE_FILE_NAME
    from archive_browser.core.store.migrations import MIGRATIONS

    conn = sqlite3.connect(store_file, isolation_level=None)
    MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO notes VALUES (1, 'bundled', 'site/lipetsk', 'old', "
        "'2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')"
    )
    conn.close()
    with UserStore.open(store_file) as store:
        assert store.recovery_message is None
        assert [n.text for n in store.notes()] == ["old"]
