"""`tag`, `untag` and `tags` on the command line, and the tags in `notes --json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive_browser.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_tag_list_rename_merge_untag(
    built_archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("--archive", str(built_archive))
    assert run(capsys, *base, "tag", "person/seeckt", "Lipezk", "Reichswehr")[0] == 0
    assert run(capsys, *base, "tag", "site/lipetsk", "LIPEZK", "Липецк")[0] == 0
    assert run(capsys, *base, "note", "person/seeckt", "Chief")[0] == 0

    code, out, _ = run(capsys, *base, "tags", "--json")
    assert code == 0
    assert json.loads(out) == [
        {"tag": "Lipezk", "records": 2},
        {"tag": "Reichswehr", "records": 1},
        {"tag": "Липецк", "records": 1},
    ]
    code, out, _ = run(capsys, *base, "tags")
    assert code == 0 and out.split() == ["2", "Lipezk", "1", "Reichswehr", "1", "Липецк"]

    assert run(capsys, *base, "tags", "rename", "lipezk", "Lipetsk")[0] == 0
    assert run(capsys, *base, "tags", "merge", "липецк", "Lipetsk")[0] == 0
    code, out, _ = run(capsys, *base, "notes", "--json")
    [note] = json.loads(out)
    assert code == 0 and note["tags"] == ["Lipetsk", "Reichswehr"]
    assert {"id", "record_id", "title", "text", "created", "modified", "bookmarked"} < set(note)
    code, out, _ = run(capsys, *base, "tags", "--json")
    assert json.loads(out) == [
        {"tag": "Lipetsk", "records": 2},
        {"tag": "Reichswehr", "records": 1},
    ]

    assert run(capsys, *base, "untag", "person/seeckt", "reichswehr")[0] == 0
    code, out, _ = run(capsys, *base, "tags", "--json")
    assert json.loads(out) == [{"tag": "Lipetsk", "records": 2}]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("tag", "person/nobody", "x"), "There is no record 'person/nobody'"),
        (("tag", "person/seeckt", "a, b"), "contains a comma"),
        (("untag", "person/seeckt", "never"), "has none of the tags never"),
        (("tags", "rename", "never", "x"), "There is no tag 'never'"),
        (("tags", "merge", "never", "x"), "There is no tag 'never'"),
    ],
)
def test_a_tag_command_that_fails_says_why_in_one_line(
    built_archive: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, "--archive", str(built_archive), *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err
    code, out, _ = run(capsys, "--archive", str(built_archive), "tags", "--json")
    assert json.loads(out) == []  # nothing changed


def test_rename_onto_an_existing_tag_is_refused(
    built_archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("--archive", str(built_archive))
    run(capsys, *base, "tag", "person/seeckt", "Kama", "Kazan")
    code, _, err = run(capsys, *base, "tags", "rename", "kama", "KAZAN")
    assert code == 2 and "merge 'Kama' into it instead" in err
