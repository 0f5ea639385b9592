"""Notes and bookmarks as XLSX, CSV with any delimiter, and Markdown for GitHub and Obsidian
(issue 23), each read back with the tool a user meets: openpyxl (and LibreOffice when
installed), the csv module, markdown-it-py in its GFM mode with autolinks on, a YAML parser."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_browser.core.export import (
    ExportError,
    RecordInfo,
    default_csv_delimiter,
    write_notes_csv,
    write_notes_markdown,
    write_notes_markdown_split,
    write_notes_xlsx,
)
from archive_browser.core.export.notes_xlsx import MAX_CELL_CHARACTERS
from archive_browser.core.store import UserStore

RECORDS = {
    "person/seeckt": RecordInfo("person/seeckt", "person", "Hans von Seeckt", ["BArch RH 2/2200"]),
    "site/lipetsk": RecordInfo("site/lipetsk", "site", "Липецк; «школа»", []),
    "source/evil": RecordInfo("source/evil", "source", '=HYPERLINK("http://x")', ["@SUM(1)"]),
}
NOTES = [
    ("person/seeckt", "Сект встретился с Тухачевским;\nвторая строка\r\nthird; line"),
    ("site/lipetsk", "=1+2"),
    ("site/lipetsk", "-minus"),
    ("site/lipetsk", "+plus"),
    ("site/lipetsk", "@at"),
    ("site/lipetsk", "  two leading spaces and a trailing one "),
    ("site/lipetsk", "bell \x07 and escape \x1b characters"),
]


@pytest.fixture
def filled(store: UserStore) -> UserStore:
    for record_id, text in NOTES:
        store.add_note("bundled", record_id, text)
    store.toggle_bookmark("bundled", "person/seeckt")
    store.toggle_bookmark("bundled", "source/evil")  # bookmarked, no notes
    return store


# --- XLSX --------------------------------------------------------------------------------


def test_xlsx_cells_are_text_and_dates_never_formulas(filled: UserStore, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "notes.xlsx"
    assert write_notes_xlsx(filled, "bundled", RECORDS.get, out) == len(NOTES) + 1
    with zipfile.ZipFile(out) as package:
        sheets = [name for name in package.namelist() if name.startswith("xl/worksheets/")]
        assert sheets and all(b"<f>" not in package.read(name) for name in sheets)
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Notes", "Bookmarks"]
    notes = workbook["Notes"]
    cells = [cell for row in notes.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    header = [cell.value for cell in notes[1]]
    assert header[:5] == ["record_id", "type", "title", "archival_references", "note"]
    rows = [[cell.value for cell in row] for row in notes.iter_rows(min_row=2)]
    texts = [row[4] for row in rows]
    # Exactly as typed: no apostrophe, Cyrillic and line breaks intact.
    for _record_id, text in NOTES[:6]:
        assert text in texts
    assert "bell \ufffd and escape \ufffd characters" in texts  # XML cannot hold them
    formula_like = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert formula_like and all(c.data_type == "s" and c.quotePrefix for c in formula_like)
    assert all(cell.value[0] != "'" for cell in cells if isinstance(cell.value, str))
    seeckt = next(row for row in rows if row[0] == "person/seeckt")
    assert isinstance(seeckt[5], datetime) and isinstance(seeckt[6], datetime)
    assert seeckt[7] == "yes"
    bookmarks = workbook["Bookmarks"]
    assert [cell.value for cell in bookmarks[1]] == [
        "record_id",
        "type",
        "title",
        "archival_references",
        "bookmarked (UTC)",
        "tags",
    ]
    marked = {row[0].value: row for row in bookmarks.iter_rows(min_row=2)}
    assert set(marked) == {"person/seeckt", "source/evil"}
    evil = marked["source/evil"]
    assert evil[2].value == '=HYPERLINK("http://x")' and evil[2].data_type == "s"
    assert isinstance(evil[4].value, datetime)
    assert evil[5].value in (None, "")  # tags: the store keeps none yet


def test_a_note_longer_than_a_cell_is_cut_with_a_sentence(store: UserStore) -> None:
    from openpyxl import load_workbook

    store.add_note("bundled", "person/seeckt", "x" * 40_000)
    buffer = io.BytesIO()
    write_notes_xlsx(store, "bundled", RECORDS.get, buffer)
    note = load_workbook(io.BytesIO(buffer.getvalue()))["Notes"]["E2"].value
    assert len(note) <= MAX_CELL_CHARACTERS
    assert note.endswith("more characters: see the CSV export]")


def test_xlsx_export_failure_is_one_sentence(filled: UserStore, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="Cannot write the export file"):
        write_notes_xlsx(filled, "bundled", RECORDS.get, tmp_path / "missing" / "notes.xlsx")


def test_libreoffice_opens_the_xlsx(filled: UserStore, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed here: the openpyxl checks above still ran")
    out = tmp_path / "notes.xlsx"
    write_notes_xlsx(filled, "bundled", RECORDS.get, out)
    done = subprocess.run(
        # The CSV filter's options: comma, double quote, UTF-8 (76), start at row 1; without
        # them LibreOffice writes the locale's encoding, and the test child has no locale.
        [
            office,
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    converted = (tmp_path / "notes.csv").read_text(encoding="utf-8", errors="replace")
    # The formula-like note arrives as the text typed (a formula would read 3), Cyrillic intact.
    assert '"=1+2"' in converted and "Сект встретился с Тухачевским;" in converted


# --- CSV delimiter -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "delimiter"),
    [
        ({"LANG": "de_DE.UTF-8"}, ";"),
        ({"LANG": "ru_RU.UTF-8"}, ";"),
        ({"LC_ALL": "de_AT.UTF-8", "LANG": "en_US.UTF-8"}, ";"),
        ({"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"}, ","),  # LC_ALL wins
        ({"LC_NUMERIC": "ru_RU.UTF-8", "LANG": "en_GB.UTF-8"}, ";"),
        ({"LANG": "en_US.UTF-8"}, ","),
        ({}, ","),
    ],
)
def test_default_delimiter_follows_the_locale(environ: dict[str, str], delimiter: str) -> None:
    assert default_csv_delimiter(environ) == delimiter


def _rows(data: bytes, delimiter: str) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_any_delimiter_gives_the_rows_of_the_comma_export(
    filled: UserStore, delimiter: str
) -> None:
    comma, other = io.StringIO(newline=""), io.StringIO(newline="")
    assert write_notes_csv(filled, "bundled", RECORDS.get, comma) == write_notes_csv(
        filled, "bundled", RECORDS.get, other, delimiter
    )
    expected = _rows(comma.getvalue().encode(), ",")
    assert _rows(other.getvalue().encode(), delimiter) == expected
    assert other.getvalue().startswith("\ufeffrecord_id" + delimiter)
    assert "'=1+2" in [row[4] for row in expected]  # still neutralised for spreadsheets


# --- Markdown ----------------------------------------------------------------------------


def render_gfm(markdown: str) -> str:
    """GitHub-flavoured rendering with bare addresses turned into links, as GitHub does."""
    import markdown_it

    return markdown_it.MarkdownIt("gfm-like").render(markdown)  # linkify on


OBSIDIAN_STARTS = ("#", "==", "%%", "^", "[[", "$", "~~")


def unescaped_obsidian_syntax(line: str) -> list[str]:
    """Obsidian syntax a line would start (tags, highlights, comments, block ids, wiki
    links, math, strikethrough), reading backslash escapes as CommonMark does."""
    found = []
    position = 0
    while position < len(line):
        if line[position] == "\\":
            position += 2
            continue
        found += [start for start in OBSIDIAN_STARTS if line.startswith(start, position)]
        position += 1
    return found


PIECES = [
    "https://example.com/path?q=1",
    "http://x.org",
    "www.example.org",
    "example.com",
    "mail me: someone@example.org",
    "ftp://files.example.net",
    "#tag",
    "#тег",
    "==highlight==",
    "%%hidden%%",
    "^block-id",
    "[[Wiki link]]",
    "![[embed.png]]",
    "$x^2$",
    "~~strike~~",
    "<b>bold</b>",
    "&copy;",
    "[text](http://a.b)",
    "<https://auto.link>",
    "| a | b |",
    "- item",
    "> [!note] callout",
    "1926-12-03",
    "Лipetsk Липецк",
]
note_texts = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), min_size=1, max_size=6
).map(lambda parts: " ".join(parts))


@settings(
    max_examples=150,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(texts=st.lists(note_texts, min_size=1, max_size=3))
def test_markdown_shows_notes_as_text_in_gfm_and_obsidian(tmp_path: Path, texts: list[str]) -> None:
    with UserStore.open(tmp_path / f"notes-{abs(hash(tuple(texts)))}.sqlite3") as store:
        for text in texts:
            store.add_note("bundled", "person/seeckt", text)
        buffer = io.StringIO()
        write_notes_markdown(store, "bundled", RECORDS.get, buffer, "The archive")
    markdown = buffer.getvalue()
    html = render_gfm(markdown)
    assert "<a " not in html  # no link the user did not write as text
    tags = set(re.findall(r"</?([a-z0-9]+)", html))
    assert tags <= {"h1", "h2", "h3", "p", "br", "ul", "li", "em"}, tags
    assert html.count("<em>") == sum(not text.strip() for text in texts)  # "(empty note)"
    body = markdown.split("### Note 1", 1)[1]
    for line in body.splitlines():
        if not line.startswith("### Note"):
            assert unescaped_obsidian_syntax(line) == [], line


def test_markdown_escapes_keep_every_character_visible(store: UserStore) -> None:
    text = "see https://example.com, #tag ==hi== %%secret%% ^id [[Link]] $x$ a@b.org"
    store.add_note("bundled", "person/seeckt", text)
    buffer = io.StringIO()
    write_notes_markdown(store, "bundled", RECORDS.get, buffer)
    html = render_gfm(buffer.getvalue())
    assert f"<p>{text}</p>" in html  # all of it, nothing hidden, nothing linked


def test_front_matter_is_yaml_with_each_record(filled: UserStore) -> None:
    evil = RecordInfo("person/seeckt", "person", 'He said: "---"\nnew: line', ["a: b"])
    buffer = io.StringIO()
    write_notes_markdown(
        filled, "bundled", {"person/seeckt": evil}.get, buffer, "Archive: title", front_matter=True
    )
    text = buffer.getvalue()
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    data = yaml.safe_load(front)
    assert data["title"] == "Notes and bookmarks: Archive: title"
    records = {record["id"]: record for record in data["records"]}
    assert records["person/seeckt"]["title"] == 'He said: "---"\nnew: line'
    assert records["person/seeckt"]["archival_references"] == ["a: b"]
    assert records["person/seeckt"]["tags"] == []
    assert "bookmarked" in records["person/seeckt"]
    assert body.lstrip().startswith("# Notes and bookmarks: Archive: title")


def test_split_writes_one_file_per_record_inside_the_folder(
    filled: UserStore, tmp_path: Path
) -> None:
    filled.add_note("bundled", "../../escape", "a hostile record id")
    folder = tmp_path / "vault" / "notes"
    files = write_notes_markdown_split(
        filled, "bundled", RECORDS.get, folder, "The archive", front_matter=True
    )
    names = sorted(path.name for path in files)
    assert names == sorted(["escape.md", "person-seeckt.md", "site-lipetsk.md", "source-evil.md"])
    assert all(path.parent == folder for path in files)
    for path in files:
        text = path.read_text(encoding="utf-8")
        front, body = text[4:].split("\n---\n", 1)
        record = yaml.safe_load(front)
        assert body.lstrip().startswith("# ")
        assert record["id"] in ("person/seeckt", "site/lipetsk", "source/evil", "../../escape")
    seeckt = (folder / "person-seeckt.md").read_text(encoding="utf-8")
    assert "## Note 1" in seeckt and "Тухачевским" in seeckt
