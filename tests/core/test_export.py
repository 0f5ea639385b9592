"""Exporters: CSV for spreadsheets, Markdown, CSL-JSON for Zotero."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_browser.core.export import (
    FORMULA_STARTS,
    NOTES_CSV_COLUMNS,
    ExportError,
    RecordInfo,
    csl_date,
    csl_item,
    escape_markdown,
    neutralise_cell,
    restore_cell,
    write_csv_rows,
    write_notes_csv,
    write_notes_markdown,
    write_sources_csl_json,
)
from archive_browser.core.store import UserStore

# The CSL-JSON schema, vendored verbatim (tests/data/README.md).
SCHEMA_PATH = Path(__file__).parents[1] / "data" / "csl-data.schema.json"

RECORDS = {
    "person/seeckt": RecordInfo(
        "person/seeckt", "person", "Hans von Seeckt", ["BArch RH 2/2200", "RGVA f. 33987"]
    ),
    "site/lipetsk": RecordInfo("site/lipetsk", "site", 'Lipetsk "flight school", air base', []),
    "source/evil": RecordInfo("source/evil", "source", '=HYPERLINK("http://x")', ["@SUM(1)"]),
}

TRICKY_NOTES = [
    ("person/seeckt", 'Сект встретился с Тухачевским; «кавычки», commas, and "quotes"'),
    ("person/seeckt", "line one\nline two\r\nline three"),
    ("site/lipetsk", "=1+2"),
    ("site/lipetsk", "-minus, +plus, @at"),
    ("site/lipetsk", "\tindented by a tab"),
    ("site/lipetsk", "'already quoted"),
    ("site/lipetsk", ""),
    ("person/gone", "a note on a record this archive no longer has"),
]


@pytest.fixture
def filled(store: UserStore) -> UserStore:
    for record_id, text in TRICKY_NOTES:
        store.add_note("bundled", record_id, text)
    store.add_note("other-archive", "person/seeckt", "not exported with bundled")
    store.toggle_bookmark("bundled", "person/seeckt")
    store.toggle_bookmark("bundled", "source/evil")  # bookmarked, no notes
    return store


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- CSV ----------------------------------------------------------------------------------


def test_csv_has_bom_crlf_and_header(filled: UserStore, tmp_path: Path) -> None:
    out = tmp_path / "notes.csv"
    count = write_notes_csv(filled, "bundled", RECORDS.get, out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n")
    rows = read_csv(data)
    assert rows[0] == list(NOTES_CSV_COLUMNS)
    assert count == len(rows) - 1 == len(TRICKY_NOTES) + 1  # + the bookmark without notes
    # Every record boundary is CRLF: outside quoted cells there is no bare LF.
    outside_quotes = data.decode("utf-8-sig").split('"')[::2]
    assert all("\n" not in part.replace("\r\n", "") for part in outside_quotes)


def test_csv_round_trips_notes_exactly(filled: UserStore) -> None:
    buffer = io.StringIO(newline="")
    write_notes_csv(filled, "bundled", RECORDS.get, buffer)
    rows = read_csv(buffer.getvalue().encode("utf-8"))
    header, body = rows[0], rows[1:]
    as_dicts = [{k: restore_cell(v) for k, v in zip(header, row, strict=True)} for row in body]
    exported = sorted((d["record_id"], d["note"]) for d in as_dicts if d["note"] or d["created"])
    expected = sorted([*TRICKY_NOTES, ("source/evil", "")])
    assert exported == expected
    by_record = {d["record_id"]: d for d in as_dicts}
    assert by_record["person/seeckt"]["archival_references"] == "BArch RH 2/2200; RGVA f. 33987"
    assert by_record["person/seeckt"]["bookmarked"] == "yes"
    assert by_record["site/lipetsk"]["title"] == 'Lipetsk "flight school", air base'
    assert by_record["site/lipetsk"]["bookmarked"] == "no"
    assert by_record["source/evil"]["title"] == '=HYPERLINK("http://x")'
    assert by_record["source/evil"]["note"] == "" and by_record["source/evil"]["modified"] == ""
    gone = by_record["person/gone"]
    assert (gone["type"], gone["title"]) == ("person", "")


def test_csv_rows_are_grouped_by_record_then_time(filled: UserStore) -> None:
    buffer = io.StringIO(newline="")
    write_notes_csv(filled, "bundled", RECORDS.get, buffer)
    body = read_csv(buffer.getvalue().encode())[1:]
    keys = [(row[0], row[5]) for row in body]
    assert keys == sorted(keys)


def test_csv_neutralises_formulas(filled: UserStore) -> None:
    buffer = io.StringIO(newline="")
    write_notes_csv(filled, "bundled", RECORDS.get, buffer)
    cells = [cell for row in read_csv(buffer.getvalue().encode()) for cell in row]
    assert "'=1+2" in cells and "'-minus, +plus, @at" in cells and "'\tindented by a tab" in cells
    assert '\'=HYPERLINK("http://x")' in cells and "'@SUM(1)" in cells
    assert "''already quoted" in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]


def test_csv_of_an_empty_notebook_is_just_the_header(store: UserStore) -> None:
    buffer = io.StringIO(newline="")
    assert write_notes_csv(store, "bundled", RECORDS.get, buffer) == 0
    assert buffer.getvalue() == "\ufeff" + ",".join(NOTES_CSV_COLUMNS) + "\r\n"


SEVERAL_CITATIONS = "RGVA, f. 33987, op. 3, d. 497, l. 136-140; BArch RH 2/2200; GALO, f. 2176"


@pytest.mark.parametrize("ids_per_query", [900, 2])
def test_bulk_archive_lookup_exports_as_one_record_at_a_time(
    make_archive, store: UserStore, monkeypatch: pytest.MonkeyPatch, ids_per_query: int
) -> None:
    """The CLI's and the Notebook's lookup asks the archive in bulk; the file must be what
    three queries per record gave, and what the csv module writes for those cells."""
    from archive_browser.core import archive as archive_module
    from archive_browser.core.archive import Archive
    from archive_browser.core.export import BulkRecordLookup
    from archive_browser.core.records import archive_record_info

    monkeypatch.setattr(archive_module, "_IDS_PER_QUERY", ids_per_query)  # 2: chunks split
    path = make_archive(
        {
            "sources.csv": [
                "id,title,kind,archive,citation,summary",
                f'source/many,"Several, ""files""",document,,"{SEVERAL_CITATIONS}",s',
                'source/marked,Bookmarked only,document,,"RGVA, f. 4, op. 1, d. 2",s',
                "source/none,=No reference,document,,,s",
            ]
        }
    )
    with Archive.open(path) as archive:

        def one_at_a_time(record_id: str) -> RecordInfo | None:  # the lookup before bulk
            type_name = archive.type_of(record_id)
            if type_name is None:
                return None
            return RecordInfo(
                record_id,
                type_name,
                archive.title_of(record_id) or record_id,
                [c["text"] for c in archive.citations(record_id)],
            )

        aid = archive.archive_id
        first = store.add_note(aid, "source/many", "first")
        gone = store.add_note(aid, "person/gone", "=not in this archive")
        none = store.add_note(aid, "source/none", "plain")
        second = store.add_note(aid, "source/many", "second, later")
        for record_id in ("source/marked", "source/many", "source/zz-gone"):
            store.toggle_bookmark(aid, record_id)
        marked = {b.record_id: b.created for b in store.bookmarks(aid)}
        bulk = archive_record_info(archive)
        assert isinstance(bulk, BulkRecordLookup)
        ids = ["person/gone", "source/many", "source/marked", "source/none", "source/zz-gone"]
        assert bulk.many(ids) == {i: one_at_a_time(i) for i in ids if one_at_a_time(i)}
        assert bulk("source/many") == one_at_a_time("source/many")
        assert bulk("person/gone") is None
        many = one_at_a_time("source/many")
        assert many is not None and "; ".join(many.citations) == SEVERAL_CITATIONS  # in order

        outputs = []
        for lookup in (bulk, one_at_a_time):
            csv_buffer, markdown_buffer = io.StringIO(newline=""), io.StringIO(newline="")
            write_notes_csv(store, aid, lookup, csv_buffer)
            write_notes_markdown(store, aid, lookup, markdown_buffer, "Title")
            markdown = markdown_buffer.getvalue().splitlines()
            outputs.append((csv_buffer.getvalue(), markdown[:2] + markdown[3:]))  # no time
    assert outputs[0] == outputs[1]

    expected = io.StringIO(newline="")
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(NOTES_CSV_COLUMNS)
    several = ("source/many", "source", 'Several, "files"', SEVERAL_CITATIONS)
    bookmarked_only = ("source/marked", "source", "Bookmarked only", "RGVA, f. 4, op. 1, d. 2")
    no_reference = ("source/none", "source", "=No reference", "")
    for row in (
        ("person/gone", "person", "", "", gone.text, gone.created, gone.modified, "no", ""),
        (*several, first.text, first.created, first.modified, "yes", ""),
        (*several, second.text, second.created, second.modified, "yes", ""),
        (*bookmarked_only, "", marked["source/marked"], "", "yes", ""),
        (*no_reference, none.text, none.created, none.modified, "no", ""),
        ("source/zz-gone", "source", "", "", "", marked["source/zz-gone"], "", "yes", ""),
    ):
        writer.writerow([neutralise_cell(cell) for cell in row])
    assert outputs[0][0] == "\ufeff" + expected.getvalue()


note_texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=30,
) | st.sampled_from(["=", "+1", "-", "@x", "\t", "\r\n", "'", "'=x", "＝1", " =1", '""'])


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(texts=st.lists(note_texts, min_size=1, max_size=6), title=note_texts)
def test_csv_matches_the_csv_module_and_never_starts_a_formula(
    tmp_path: Path, texts: list[str], title: str
) -> None:
    # A new store per example: hypothesis may run one example twice while shrinking.
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    with UserStore.open(folder / "notes.sqlite3") as store:
        notes = [store.add_note("a", "person/x", text) for text in texts]
        # A tag that looks like a formula, and one that needs no quoting.
        store.add_tags("a", "person/x", ["Лип", "=Tag"])
        lookup = {"person/x": RecordInfo("person/x", "person", title, [title])}.get
        buffer = io.StringIO(newline="")
        write_notes_csv(store, "a", lookup, buffer)
    body = buffer.getvalue()[1:]  # after the BOM
    # The SQL-built lines must be exactly what Python's csv module writes for these cells.
    expected = io.StringIO(newline="")
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(NOTES_CSV_COLUMNS)
    for note in notes:
        cells = (
            *("person/x", "person", title, title, note.text, note.created, note.modified),
            *("no", "=Tag; Лип"),
        )
        writer.writerow([neutralise_cell(cell) for cell in cells])
    assert body == expected.getvalue()
    rows = read_csv(body.encode())
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    assert [restore_cell(row[4]) for row in rows[1:]] == texts
    assert {restore_cell(row[8]) for row in rows[1:]} == {"=Tag; Лип"}


@settings(max_examples=200, derandomize=True)
@given(text=note_texts)
def test_restore_undoes_neutralise(text: str) -> None:
    cell = neutralise_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert restore_cell(cell) == text


def test_write_csv_rows_neutralises_every_cell(tmp_path: Path) -> None:
    out = tmp_path / "table.csv"
    assert write_csv_rows([["=x", "ok"], ["a\nb", "@y"]], out, header=["-h", "h2"]) == 2
    rows = read_csv(out.read_bytes())
    assert rows == [["'-h", "h2"], ["'=x", "ok"], ["a\nb", "'@y"]]


def test_failed_export_raises_export_error_and_keeps_old_file(
    filled: UserStore, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match="Cannot write the export file"):
        write_notes_csv(filled, "bundled", RECORDS.get, tmp_path / "missing" / "notes.csv")
    out = tmp_path / "notes.csv"
    out.write_text("previous export")

    def broken_lookup(record_id: str) -> RecordInfo | None:
        raise RuntimeError("archive closed")

    with pytest.raises(RuntimeError):
        write_notes_markdown(filled, "bundled", broken_lookup, out)
    assert out.read_text() == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".notes")) == []


# --- Markdown -----------------------------------------------------------------------------


def render(markdown: str) -> str:
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py renders the check")
    return markdown_it.MarkdownIt("commonmark").render(markdown)


def test_markdown_groups_notes_by_record(filled: UserStore) -> None:
    buffer = io.StringIO()
    assert write_notes_markdown(filled, "bundled", RECORDS.get, buffer, "The archive") == 4
    text = buffer.getvalue()
    assert text.startswith("# Notes and bookmarks: The archive")
    seeckt = text.index("## Hans von Seeckt (person/seeckt)")
    lipetsk = text.index('## Lipetsk "flight school", air base (site/lipetsk)')
    assert "- BArch RH 2/2200" in text[seeckt:lipetsk]
    assert "bookmarked" in text[seeckt:lipetsk]
    assert text[seeckt:lipetsk].count("### Note") == 2
    assert "(not in this archive) (person/gone)" in text
    html = render(text)
    assert "line one<br />\nline two<br />\nline three" in html  # line breaks kept
    assert "Сект встретился с Тухачевским" in html


INJECTIONS = [
    "<script>alert('x')</script>",
    "# Fake heading",
    "   ## indented heading",
    "> a quote block",
    "- a list\n+ another\n1. numbered\n2) numbered",
    "Setext\n===",
    "    four spaces: code block",
    "```\nfenced\n```",
    "[a link](http://example.org) ![img](x.png) <http://auto.link>",
    "<img src=x onerror=alert(1)>",
    "*emph* _emph_ `code` | table | ~~strike~~ &amp; &lt;",
]


def test_markdown_cannot_be_injected_by_a_note(store: UserStore) -> None:
    for text in INJECTIONS:
        store.add_note("bundled", "person/seeckt", text)
    evil_title = RecordInfo("person/seeckt", "person", "<b>Title</b> # [x](y)", ["<i>ref</i>"])
    buffer = io.StringIO()
    write_notes_markdown(store, "bundled", {"person/seeckt": evil_title}.get, buffer)
    html = render(buffer.getvalue())
    for tag in ("<script", "<img", "<a ", "<b>", "<i>", "<code", "<pre", "<em", "<ol"):
        assert tag not in html
    assert html.count("<li>") == 1  # our own list of the one reference
    assert "<blockquote" not in html and "<table" not in html
    assert html.count("<h1>") == 1 and html.count("<h2>") == 1
    assert html.count("<h3>") == len(INJECTIONS)  # one heading per note, none injected
    for visible in ("&lt;script&gt;", "# Fake heading", "&amp;amp;", "*emph*", "[a link]"):
        assert visible in html


@settings(max_examples=100, derandomize=True)
@given(line=st.text(max_size=30))
def test_escaped_line_renders_as_one_plain_paragraph(line: str) -> None:
    escaped = escape_markdown(line)
    html = render(f"## Heading\n\n{escaped}\n")
    assert html.count("<h") == 1  # only the heading we wrote
    assert "<" not in html.replace("<h2>", "").replace("</h2>", "").replace("<p>", "").replace(
        "</p>", ""
    ).replace("<br />", "")


# --- CSL-JSON -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def csl_validator():
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


SOURCES = [
    {
        "id": "source/rgva",
        "title": "Russian State Military Archive",
        "kind": "archive",
        "archive": "Russian State Military Archive (RGVA)",
        "citation": "RGVA f. 33987, op. 3, d. 295",
        "date": "",
        "author": None,
        "summary": "Holds the Red Army's files on the German schools.",
        "seed": "4;5",
        "added": "Full name of the archive",
        "note": "",
    },
    {
        "id": "source/teko-report",
        "title": "Red Army report on the Kazan tank school (TEKO)",
        "kind": "report",
        "archive": "RGVA",
        "citation": "RGVA f. 33987, op. 3, d. 295; RGVA f. 4, op. 2, d. 100",
        "date": "1929-22",
        "author": "Directorate of Mechanisation and Motorisation",
        "summary": "Report",
        "seed": "7",
        "added": "",
        "note": "Date read from a garbled passage.",
    },
    {
        "id": "source/photo",
        "title": "Photograph of Lipetsk",
        "kind": "photograph",
        "date": "~1928-06-15",
    },
    {"id": "source/paper", "title": "A newspaper", "kind": "newspaper", "date": "1926-12-03?"},
    {"id": "source/span", "title": "Files", "kind": "collection", "date": "1925/1933"},
    {"id": "source/decade", "title": "Memoir", "kind": "letter", "date": "192X"},
    {"id": "source/odd", "title": "Odd", "kind": "unknown-kind", "date": "sometime"},
]


def test_csl_json_validates_against_the_schema(csl_validator, tmp_path: Path) -> None:
    out = tmp_path / "sources.json"
    # The archive and the collection are where documents are kept: no items of their own.
    assert write_sources_csl_json(SOURCES, out) == len(SOURCES) - 2
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # JSON must not carry a BOM
    items = json.loads(raw.decode("utf-8"))
    errors = [e.message for e in csl_validator.iter_errors(items)]
    assert errors == []
    assert "source/rgva" not in [item["id"] for item in items]
    report = items[0]
    assert report["id"] == "source/teko-report" and report["type"] == "report"
    assert report["citation-key"] == "teko-report"
    assert report["language"] == "en"
    assert report["archive"] == "RGVA"
    # The archive's name is not repeated in the place within it.
    assert report["archive_location"] == "f. 33987, op. 3, d. 295; f. 4, op. 2, d. 100"
    assert report["author"] == [{"literal": "Directorate of Mechanisation and Motorisation"}]
    assert report["issued"] == {"date-parts": [[1929]], "season": "Summer"}
    assert report["note"] == "Date read from a garbled passage."
    assert [item["type"] for item in items[1:]] == [
        "graphic",
        "article-newspaper",
        "personal_communication",
        "document",
    ]


@pytest.mark.parametrize(
    ("edtf", "expected"),
    [
        ("1941-06-22", {"date-parts": [[1941, 6, 22]]}),
        ("1922-04", {"date-parts": [[1922, 4]]}),
        ("1922", {"date-parts": [[1922]]}),
        ("1922-21", {"date-parts": [[1922]], "season": "Spring"}),
        ("1939-23", {"date-parts": [[1939]], "season": "Autumn"}),
        ("~1919", {"date-parts": [[1919]], "circa": True}),
        ("1936?", {"date-parts": [[1936]], "circa": True}),
        ("1925/1933", {"date-parts": [[1925], [1933]]}),
        ("1925-03/1933-07-01", {"date-parts": [[1925, 3], [1933, 7, 1]]}),
        ("1925/..", {"date-parts": [[1925]]}),
        ("192X", {"literal": "1920s"}),
        ("1922-13", {"literal": "1922-13"}),
        ("", None),
    ],
)
def test_csl_dates_from_edtf(edtf: str, expected: dict | None) -> None:
    assert csl_date(edtf) == expected


@pytest.mark.parametrize(
    ("edtf", "expected"),
    [
        # Southern-hemisphere seasons: the export once wrote them as literal text.
        ("1922-30", {"date-parts": [[1922]], "season": "Summer"}),
        ("1922-29", {"date-parts": [[1922]], "season": "Spring"}),
        ("1922-28", {"date-parts": [[1922]], "season": "Winter"}),
        ("~1922-26", {"date-parts": [[1922]], "season": "Summer", "circa": True}),
        # No date at all, so no date parts either.
        ("1922-02-30", {"literal": "1922-02-30"}),
        ("192X/1933", {"literal": "192X/1933"}),
        ("1922-33", {"literal": "1922-33"}),
    ],
)
def test_csl_dates_mean_what_the_archive_dates_mean(edtf: str, expected: dict) -> None:
    assert csl_date(edtf) == expected


def test_every_season_the_date_reader_knows_reaches_csl_as_that_season() -> None:
    """The CSL export reads dates with the archive's own reader: a season it accepts is a
    CSL season named as it displays it (a word: Zotero prints a season number as a number)."""
    from archive_browser.core.dates import parse_edtf

    for code in range(21, 33):
        parsed = parse_edtf(f"1922-{code}")
        assert csl_date(parsed.edtf) == {
            "date-parts": [[1922]],
            "season": parsed.display.split()[0].capitalize(),
        }


source_dicts = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=10), "title": st.text(max_size=20)},
    optional={
        key: st.one_of(st.none(), st.text(max_size=20))
        for key in ("kind", "archive", "citation", "author", "summary", "added", "note")
    }
    | {
        "date": st.one_of(
            st.text(max_size=12),
            st.from_regex(r"[~]?1[89]\d\d(-(0[1-9]|1[0-2]|2[1-4]))?[?~]?", fullmatch=True),
        )
    },
)


@settings(max_examples=80, derandomize=True)
@given(sources=st.lists(source_dicts, max_size=4))
def test_any_source_gives_valid_csl(csl_validator, sources: list[dict]) -> None:
    buffer = io.StringIO()
    write_sources_csl_json(sources, buffer)
    items = json.loads(buffer.getvalue())
    assert list(csl_validator.iter_errors(items)) == []
    holdings = ("archive", "collection")
    expected = [
        s["id"].strip() for s in sources if (s.get("kind") or "").strip().lower() not in holdings
    ]
    assert [item["id"] for item in items] == expected


def test_csl_item_accepts_sqlite_rows() -> None:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    row = conn.execute("SELECT 'source/x' AS id, 'T' AS title, 'article' AS kind").fetchone()
    assert csl_item(row) == {
        "id": "source/x",
        "type": "article-journal",
        "citation-key": "x",
        "language": "en",
        "title": "T",
    }
