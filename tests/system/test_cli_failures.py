"""Every command-line failure is one sentence and a non-zero exit (issue 24, finding 12):
a notes file that cannot grow (RLIMIT_FSIZE in the child, a full disk without root),
a damaged notes file, and the last guard for anything unforeseen.
"""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from archive_browser.cli import main

COUNTS: Counter[str] = Counter()
pytestmark = pytest.mark.usefixtures("report_counts")


def run_child(*args: str, file_size_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if file_size_limit is not None:  # Python ignores SIGXFSZ: writes fail with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [sys.executable, "-m", "archive_browser", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=60,
        preexec_fn=limit,
    )


def one_sentence(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert lines[0].endswith("."), lines[0]
    return lines[0]


@pytest.mark.parametrize(
    "command",
    [
        ["bookmark", "person/seeckt"],
        ["note", "person/seeckt", "x" * 100_000],
    ],
)
def test_a_notes_file_that_cannot_grow_is_one_sentence(
    built_archive: Path, private_user_folder: Path, command: list[str]
) -> None:
    assert main(["--archive", str(built_archive), "note", "person/seeckt", "kept"]) == 0
    store = private_user_folder / "notes.sqlite3"
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    result = run_child("--archive", str(built_archive), *command, file_size_limit=1024)
    assert result.returncode == 2, (result.stdout, result.stderr)
    one_sentence(result.stderr)
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before
    listed = run_child("--archive", str(built_archive), "notes")
    assert listed.returncode == 0 and "kept" in listed.stdout
    COUNTS["store writes refused with one sentence"] += 1


def test_an_unforeseen_failure_is_one_sentence_unless_debug(
    built_archive: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from archive_browser.core.archive import ArchiveReader

    def broken(self: ArchiveReader, record_id: str, link_limit: int | None = None) -> None:
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setattr(ArchiveReader, "get", broken)
    assert main(["--archive", str(built_archive), "show", "person/seeckt"]) == 1
    _, err = capsys.readouterr()
    sentence = one_sentence(err)
    assert "RuntimeError" in sentence and "--debug" in sentence
    with pytest.raises(RuntimeError):
        main(["--debug", "--archive", str(built_archive), "show", "person/seeckt"])
