"""Exports, `import --out` and `build --out` write only to a new path or a regular file
(issue 24, finding 6).

Stand-in files (a FIFO, a symlink, a folder, a read-only file) are made in a temporary
folder; /dev/null and /dev/full are used directly: they are refused before anything opens
them, so nothing is ever written to them. Each refusal is one sentence, exit 2, and the
thing at the target is as it was (same kind, same bytes).
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive_browser.cli import main
from helpers.finding_aid import FINDING_AID, write_finding_aid

COUNTS: Counter[str] = Counter()
pytestmark = pytest.mark.usefixtures("report_counts")
REPO = Path(__file__).resolve().parents[2]

# Each writing command, with `{out}` where the target goes.
WRITERS = {
    "export-notes": ["export-notes", "--format", "csv", "--out", "{out}"],
    "export-notes-md": ["export-notes", "--format", "md", "--out", "{out}"],
    "export-sources": ["export-sources", "--format", "csl-json", "--out", "{out}"],
    "import": ["import", "{aid}", "--out", "{out}", "--quiet"],
    "build": ["build", "--data", str(REPO / "data"), "--out", "{out}"],
}
TARGETS = ("fifo", "symlink", "folder", "read-only", "/dev/null", "/dev/full", "empty")


@pytest.fixture
def aid(tmp_path: Path) -> Path:
    return write_finding_aid(tmp_path / "aid", FINDING_AID)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def argv(writer: str, out: str, aid: Path, archive: Path, *extra: str) -> list[str]:
    args = [part.format(out=out, aid=aid) for part in WRITERS[writer]]
    return ["--archive", str(archive), *args, *extra]


def state(path: Path) -> tuple[int, str]:
    """The kind of file at `path` (not followed) and, for a regular file, its sha256."""
    status = os.lstat(path)
    content = ""
    if stat.S_ISREG(status.st_mode):
        content = hashlib.sha256(path.read_bytes()).hexdigest()
    return stat.S_IFMT(status.st_mode), content


def make_target(kind: str, folder: Path) -> tuple[str, Path | None]:
    """The `--out` text for a kind of target, and the path whose state must not change."""
    if kind.startswith("/dev/"):
        return kind, Path(kind)
    if kind == "empty":
        return "", None
    target = folder / f"target-{kind}"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        pointed = folder / "pointed.txt"
        pointed.write_text("the file a link points to\n")
        target.symlink_to(pointed)
    elif kind == "folder":
        target.mkdir()
        (target / "inside.txt").write_text("kept\n")
    elif kind == "read-only":
        target.write_text("read-only\n")
        target.chmod(0o444)
    return str(target), target


def run_child(args: list[str]) -> subprocess.CompletedProcess[str]:
    # A child process: if a FIFO were opened for writing, the test would time out, not hang.
    return subprocess.run(
        [sys.executable, "-m", "archive_browser", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=60,
    )


@pytest.mark.parametrize("kind", TARGETS)
@pytest.mark.parametrize("writer", WRITERS)
def test_unsafe_targets_are_refused_and_left_alone(
    built_archive: Path, aid: Path, tmp_path: Path, writer: str, kind: str
) -> None:
    out, watched = make_target(kind, tmp_path)
    before = state(watched) if watched else None
    pointed_before = state(tmp_path / "pointed.txt") if kind == "symlink" else None
    # Never --force at a real device: should the machine's /dev/null ever be a regular file
    # (another program's doing), the test must not replace it. The device is refused before
    # --force is looked at (`test_devices_are_refused_even_with_force`).
    device = kind.startswith("/dev/")
    if device and not stat.S_ISCHR(os.lstat(kind).st_mode):
        pytest.skip(f"{kind} is not a device on this machine")
    result = run_child(argv(writer, out, aid, built_archive, *(() if device else ("--force",))))
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].endswith("."), lines[0]
    if device:
        assert "is a device" in lines[0], lines[0]
    if watched is not None:
        assert state(watched) == before
    if pointed_before is not None:
        assert state(tmp_path / "pointed.txt") == pointed_before
    assert not list(tmp_path.glob(".target-*")), "a temporary file was left behind"
    COUNTS["unsafe targets refused"] += 1


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full", "/dev/zero"])
def test_devices_are_refused_even_with_force(device: str) -> None:
    from archive_browser.core.safe_write import UnsafeTargetError, check_target

    if not stat.S_ISCHR(os.lstat(device).st_mode):
        pytest.skip(f"{device} is not a device on this machine")
    with pytest.raises(UnsafeTargetError, match="is a device"):
        check_target(Path(device), force=True)  # an lstat only: nothing is opened


@pytest.mark.parametrize("writer", WRITERS)
def test_an_existing_file_needs_force_and_is_then_replaced_atomically(
    built_archive: Path,
    aid: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    umask_022: None,
    writer: str,
) -> None:
    target = tmp_path / "out.file"
    target.write_text("previous\n")
    target.chmod(0o640)
    inode = target.stat().st_ino
    assert main(argv(writer, str(target), aid, built_archive)) == 2
    _, err = capsys.readouterr()
    assert "exists already" in err and "--force" in err
    assert target.read_text() == "previous\n"
    assert main(argv(writer, str(target), aid, built_archive, "--force")) == 0
    assert target.read_text(errors="replace") != "previous\n"
    assert target.stat().st_ino != inode, "replaced by rename, not rewritten in place"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640, "the replaced file keeps its mode"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
    COUNTS["forced replacements"] += 1


def test_a_hard_linked_target_is_replaced_not_written_through(
    built_archive: Path, aid: Path, tmp_path: Path
) -> None:
    target = tmp_path / "sources.json"
    target.write_text("old\n")
    other = tmp_path / "other-name.json"
    os.link(target, other)
    assert main(argv("export-sources", str(target), aid, built_archive, "--force")) == 0
    assert other.read_text() == "old\n"
    assert target.read_text().startswith("[")


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_new_files_get_the_users_umask(
    built_archive: Path, aid: Path, tmp_path: Path, writer: str, umask: int
) -> None:
    target = tmp_path / "new.file"
    old = os.umask(umask)
    try:
        assert main(argv(writer, str(target), aid, built_archive)) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("writer", ["export-notes", "export-notes-md", "export-sources"])
def test_a_dash_writes_the_export_to_standard_output(
    built_archive: Path, aid: Path, tmp_path: Path, writer: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv(writer, "-", aid, built_archive)) == 0
    out, _ = capsys.readouterr()
    assert out.strip() and "Wrote" not in out
    assert not (tmp_path / "-").exists() and not Path("-").exists()


@pytest.mark.parametrize("writer", ["import", "build"])
def test_an_archive_is_never_written_to_standard_output(
    built_archive: Path, aid: Path, writer: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv(writer, "-", aid, built_archive)) == 2
    _, err = capsys.readouterr()
    assert "standard output" in err and len(err.strip().splitlines()) == 1


def test_debug_shows_the_traceback_and_otherwise_one_sentence(
    built_archive: Path, tmp_path: Path
) -> None:
    # A damaged search index under the command line: a sentence, or the traceback with --debug.
    import shutil
    import sqlite3

    damaged = tmp_path / "damaged.db"
    shutil.copyfile(built_archive, damaged)
    with sqlite3.connect(damaged) as conn:
        conn.execute("UPDATE search_index_data SET block = zeroblob(length(block)) WHERE id > 10")
    plain = run_child(["--archive", str(damaged), "search", "Seeckt"])
    debug = run_child(["--debug", "--archive", str(damaged), "search", "Seeckt"])
    assert plain.returncode == 1 and len(plain.stderr.strip().splitlines()) == 1
    assert "--debug" in plain.stderr and "Traceback" not in plain.stderr
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_limit_must_be_positive(built_archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("-1", "0", "many"):
        with pytest.raises(SystemExit) as exited:
            main(["--archive", str(built_archive), "search", "Seeckt", "--limit", bad])
        assert exited.value.code == 2
        _, err = capsys.readouterr()
        assert "--limit" in err and "No record matches" not in err


def test_import_template_edge_cases_are_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way\n")
    for folder in ("", str(blocker), str(blocker / "below"), "/proc/1/x"):
        assert main(["import-template", folder]) == 2, folder
        _, err = capsys.readouterr()
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert blocker.read_text() == "in the way\n"
