"""The export sub-commands as a user calls them (issue 23): every format, the locale's CSV
delimiter, Markdown titled with the archive's name, and one sentence for a wrong call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive_browser.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def noted(built_archive: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    archive = ["--archive", str(built_archive)]
    assert main([*archive, "note", "site/lipetsk", "Липецк; #tag\nsecond line"]) == 0
    assert main([*archive, "bookmark", "person/seeckt"]) == 0
    capsys.readouterr()
    return built_archive


@pytest.mark.parametrize("name", ["csl-json", "ris", "biblatex"])
def test_export_sources_in_every_format(
    built_archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    out = tmp_path / f"sources.{name}"
    code, printed, err = run(
        capsys,
        "--archive",
        str(built_archive),
        "export-sources",
        "--format",
        name,
        "--out",
        str(out),
    )
    assert (code, err) == (0, "") and printed == f"Wrote {out}.\n"
    text = out.read_text(encoding="utf-8")
    assert "galo-photo" in text and "Fond 2176/Opis 1/Delo 1" in text
    if name == "csl-json":
        ids = [item["id"] for item in json.loads(text)]
        assert "source/rgva" not in ids and "source/teko-report" in ids


def test_markdown_is_titled_with_the_archive_not_its_id(
    noted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "notes.md"
    code, _, err = run(
        capsys, "--archive", str(noted), "export-notes", "--format", "md", "--out", str(out)
    )
    assert (code, err) == (0, "")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Notes and bookmarks: Soviet-German military cooperation, 1919-1941")
    assert "Period: 1925–1933" in text  # the record's date
    assert "Born: 22 April 1866" in text
    assert "Липецк; \\#tag\\\nsecond line" in text


def test_markdown_split_with_front_matter(
    noted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "vault"
    code, printed, _ = run(
        capsys,
        "--archive",
        str(noted),
        "export-notes",
        "--format",
        "md",
        "--split",
        str(folder),
        "--front-matter",
    )
    assert code == 0 and printed == f"Wrote 2 files into {folder}.\n"
    assert sorted(p.name for p in folder.iterdir()) == ["person-seeckt.md", "site-lipetsk.md"]
    assert (
        (folder / "site-lipetsk.md")
        .read_text(encoding="utf-8")
        .startswith('---\nid: "site/lipetsk"\n')
    )


@pytest.mark.parametrize(
    ("locale", "option", "delimiter"),
    [
        ("de_DE.UTF-8", [], ";"),
        ("ru_RU.UTF-8", [], ";"),
        ("en_US.UTF-8", [], ","),
        ("de_DE.UTF-8", ["--delimiter", ","], ","),
        ("en_US.UTF-8", ["--delimiter", "tab"], "\t"),
    ],
)
def test_csv_delimiter_follows_the_locale_unless_given(
    noted: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    locale: str,
    option: list[str],
    delimiter: str,
) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_NUMERIC", raising=False)
    monkeypatch.setenv("LANG", locale)
    out = tmp_path / "notes.csv"
    code, _, err = run(
        capsys,
        "--archive",
        str(noted),
        "export-notes",
        "--format",
        "csv",
        "--out",
        str(out),
        *option,
    )
    assert (code, err) == (0, "")
    assert out.read_text(encoding="utf-8-sig").startswith(f"record_id{delimiter}type{delimiter}")


def test_xlsx_from_the_command_line(
    noted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "notes.xlsx"
    code, _, _ = run(
        capsys, "--archive", str(noted), "export-notes", "--format", "xlsx", "--out", str(out)
    )
    assert code == 0
    workbook = load_workbook(out)
    assert "Липецк; #tag\nsecond line" in [cell.value for cell in workbook["Notes"]["E"]]


@pytest.mark.parametrize(
    "arguments",
    [
        ["--format", "csv", "--split", "folder"],
        ["--format", "md"],
        ["--format", "md", "--out", "a.md", "--split", "folder"],
        ["--format", "md", "--out", "a.md", "--delimiter", ";"],
        ["--format", "xlsx", "--out", "a.xlsx", "--front-matter"],
    ],
)
def test_a_wrong_export_call_is_one_sentence(
    noted: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    code, out, err = run(capsys, "--archive", str(noted), "export-notes", *arguments)
    assert code != 0 and out == ""
    assert err.count("\n") == 1
    assert not list(work.iterdir())
