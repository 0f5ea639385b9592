"""Importing one file the way people hold it, through the command line: a cp1251 opis, a German
XLSX, Excel's UTF-16 text, EAD 2002 / EAD(DDB) / EAD3 and AtoM's ISAD(G) CSV; and the hostile
files that must be refused with a sentence and leave nothing behind."""

from __future__ import annotations

import json
import sqlite3
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive_browser.cli import main
from archive_browser.core.importer import BuildError
from archive_browser.core.importer.single import plan_import, read_plan
from archive_browser.core.importer.tabular import MAX_LINE_CHARS, detect_encoding, open_table
from helpers.single_files import (
    GERMAN_ROWS,
    OPIS_ROWS,
    write_billion_laughs,
    write_ead3,
    write_ead2002,
    write_german_xlsx,
    write_isad_csv,
    write_opis_cp1251,
    write_utf16_tsv,
    write_xxe,
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows(db: Path, sql: str, *args: object) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_a_cp1251_opis_with_russian_headers_becomes_a_collection_found_by_citation(
    tmp_path: Path, private_user_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opis = write_opis_cp1251(tmp_path / "опись 1.csv")
    code, out, err = run(capsys, "import", str(opis), "--collection", "galo-2176")
    assert code == 0, err
    assert "Windows-1251" in err and "Фонд -> fond" in err and "Заголовок -> title" in err
    db = private_user_folder / "collections" / "galo-2176.db"
    assert str(db) in out
    titles = {t for (t,) in rows(db, "SELECT title FROM sources")}
    assert {r[3] for r in OPIS_ROWS[1:]} <= titles
    code, out, _ = run(capsys, "--archive", str(db), "cite", "--json", "ГАЛО. Ф. 2176. Оп. 1. Д. 1")
    [item] = json.loads(out)
    assert item["key"] == "GALO|2176|1|1"
    [record] = item["records"]
    assert record["title"] == "Переписка о лётной школе в Липецке"
    assert record["type"] == "source" and record["match"] == "same"
    # One person named in two rows is one record, linked to both.
    [(berzin,)] = rows(db, "SELECT id FROM people WHERE name = 'Берзин Я. К.'")
    assert len(rows(db, "SELECT 1 FROM links WHERE to_id = ?", berzin)) == 2
    # Листов goes to the summary, Крайние даты to an EDTF date.
    [(date, summary)] = rows(db, "SELECT date, summary FROM sources WHERE title LIKE 'Сметы%'")
    assert date == "1927/1928" and "Листов: 30" in summary


def test_reimporting_the_same_file_keeps_every_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opis = write_opis_cp1251(tmp_path / "opis.csv")
    assert run(capsys, "import", str(opis), "--out", str(tmp_path / "a.db"))[0] == 0
    assert run(capsys, "import", str(opis), "--out", str(tmp_path / "b.db"))[0] == 0
    query = "SELECT id, title FROM records ORDER BY id"
    assert rows(tmp_path / "a.db", query) == rows(tmp_path / "b.db", query)
    code, _, err = run(capsys, "import", str(opis), "--out", str(tmp_path / "a.db"))
    assert code != 0 and "--force" in err


def test_a_german_xlsx_maps_its_headers_and_links_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = write_german_xlsx(tmp_path / "findbuch.xlsx")
    out = tmp_path / "de.db"
    code, _, err = run(capsys, "import", str(book), "--out", str(out))
    assert code == 0, err
    assert "Titel -> title" in err and "Laufzeit -> date" in err and "Signatur -> citation" in err
    cites = {k for (k,) in rows(out, "SELECT key FROM citations")}
    assert cites == {"BArch|RW 5||234", "BArch|RH 12-1||45"}
    [(person,)] = rows(out, "SELECT id FROM people WHERE name = 'Oskar von Niedermayer'")
    assert len(rows(out, "SELECT 1 FROM links WHERE to_id = ?", person)) == 2
    assert len(rows(out, "SELECT 1 FROM sites WHERE name IN ('Moskau', 'Kasan')")) == 2
    # The other sheet is chosen by name; it has no title column, so nothing is written.
    code, _, err = run(
        capsys, "import", str(book), "--sheet", "Hinweise", "--out", str(tmp_path / "x.db")
    )
    assert code == 1 and "no column is mapped to title" in err
    assert not (tmp_path / "x.db").exists()
    code, _, err = run(
        capsys, "import", str(book), "--sheet", "Nope", "--out", str(tmp_path / "y.db")
    )
    assert code == 1 and "no sheet 'Nope'" in err and "Findbuch" in err


def test_utf16_tab_separated_text_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    text = write_utf16_tsv(tmp_path / "list.txt")
    table = open_table(text)
    assert table.delimiter == "\t" and table.encoding is not None
    assert "UTF-16" in table.encoding.reason
    out = tmp_path / "u.db"
    code, _, err = run(capsys, "import", str(text), "--out", str(out))
    assert code == 0, err
    assert ("RGVA|33987|3|497",) in rows(out, "SELECT key FROM citations")
    assert ("1928-22",) in rows(out, "SELECT date FROM sources")


def test_encoding_detection_tells_cyrillic_from_western() -> None:
    assert detect_encoding("Фонд;Опись;Дело\r\n".encode("cp1251")).name == "cp1251"
    assert detect_encoding(
        "Titel;Laufzeit;Enthält\r\nÄrzte;1920;Größe\r\n".encode("cp1252")
    ).name == ("cp1252")
    assert detect_encoding("Фонд".encode()).name == "utf-8"
    assert detect_encoding("Фонд".encode("utf-8-sig")).name == "utf-8-sig"


def test_encoding_can_be_overridden(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    opis = write_opis_cp1251(tmp_path / "opis.csv")
    out = tmp_path / "o.db"
    code, _, err = run(capsys, "import", str(opis), "--encoding", "koi8-r", "--out", str(out))
    # Read as KOI8-R the headers are gibberish: nothing maps to title, nothing is written.
    assert code == 1 and "no column is mapped to title" in err and not out.exists()
    code, _, err = run(capsys, "import", str(opis), "--encoding", "klingon", "--out", str(out))
    assert code == 1 and "unknown encoding 'klingon'" in err


def test_a_mapping_is_given_saved_and_reused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "odd.csv"
    csv_file.write_text("Was;Wann;Wo\nBrief an Seeckt;1923;Moskau\n", encoding="utf-8")
    saved = tmp_path / "odd-mapping.json"
    out = tmp_path / "odd.db"
    code, _, err = run(
        capsys, "import", str(csv_file), "--map", "title=Was", "--map", "date=Wann",
        "--map", "places=Wo", "--save-mapping", str(saved), "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(saved.read_text())["columns"] == {
        "Was": "title", "Wann": "date", "Wo": "places"
    }  # fmt: skip
    again = tmp_path / "again.db"
    assert (
        run(capsys, "import", str(csv_file), "--mapping", str(saved), "--out", str(again))[0] == 0
    )
    assert rows(out, "SELECT id, title, date FROM sources") == rows(
        again, "SELECT id, title, date FROM sources"
    )
    code, _, err = run(
        capsys, "import", str(csv_file), "--map", "titel=Was", "--out", str(out) + "x"
    )
    assert code == 1 and "FIELD=Column" in err


@pytest.mark.parametrize(("namespace", "ddb"), [(True, False), (False, False), (True, True)])
def test_ead2002_keeps_the_fonds_series_file_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], namespace: bool, ddb: bool
) -> None:
    ead = write_ead2002(tmp_path / "rw5.xml", namespace=namespace, ddb=ddb)
    out = tmp_path / "ead.db"
    code, _, err = run(capsys, "import", str(ead), "--out", str(out))
    assert code == 0, err
    kinds = dict(rows(out, "SELECT title, kind FROM sources"))
    assert kinds["Verbindungen nach Moskau"] == "series"
    assert kinds["Berichte Niedermayer"] == "file"
    parent_of = {
        child: parent
        for child, parent in rows(
            out,
            "SELECT c.title, p.title FROM links JOIN records c ON c.id = from_id "
            "JOIN records p ON p.id = to_id WHERE role = 'part of'",
        )
    }
    assert parent_of["Berichte Niedermayer"] == "Verbindungen nach Moskau"
    assert parent_of["Verbindungen nach Moskau"] == "Amt Ausland/Abwehr"
    dates = dict(rows(out, "SELECT title, date FROM sources"))
    assert dates["Verbindungen nach Moskau"] == "1923-01-01/1933-12-31"
    assert dates["Berichte Niedermayer"] == "1929"
    assert ("BArch|RW 5||234",) in rows(out, "SELECT key FROM citations")
    [(person,)] = rows(out, "SELECT id FROM people WHERE name = 'Niedermayer, Oskar von'")
    assert len(rows(out, "SELECT 1 FROM links WHERE to_id = ?", person)) == 2
    aliases = rows(out, "SELECT alias FROM aliases WHERE alias = 'II H 123'")
    assert len(aliases) == (1 if ddb else 0)
    [(title,)] = rows(out, "SELECT value FROM archive_meta WHERE key = 'title'")
    assert title == "Findbuch zum Bestand RW 5 (Testdaten)"


def test_ead3_structured_dates_and_name_parts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ead3.db"
    code, _, err = run(capsys, "import", str(write_ead3(tmp_path / "e3.xml")), "--out", str(out))
    assert code == 0, err
    dates = dict(rows(out, "SELECT kind, date FROM sources"))
    assert dates == {"fonds": "1918/1934", "file": "1929"}
    assert ("RGVA|33987|3|497",) in rows(out, "SELECT key FROM citations")
    assert rows(out, "SELECT name FROM people") == [("Berzin, Yan",)]


def test_an_atom_isad_csv_keeps_its_parents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "isad.db"
    code, _, err = run(
        capsys, "import", str(write_isad_csv(tmp_path / "isad.csv")), "--out", str(out)
    )
    assert code == 0 and "ISAD(G)" in err
    [(child, parent)] = rows(
        out,
        "SELECT c.title, p.title FROM links JOIN records c ON c.id = from_id "
        "JOIN records p ON p.id = to_id WHERE role = 'part of'",
    )
    assert (child, parent) == ("Hangar plans", "Lipetsk aviation school (test fonds)")
    assert ("GALO|2176|1|7",) in rows(out, "SELECT key FROM citations")
    assert {n for (n,) in rows(out, "SELECT name FROM people")} == {
        "Fischer, Walter",
        "Berzin, Yan",
    }
    assert rows(out, "SELECT name FROM sites") == [("Lipetsk",)]


# ----------------------------------------------------------------------------- hostile


def refused(capsys: pytest.CaptureFixture[str], path: Path, tmp_path: Path, *extra: str) -> str:
    out = tmp_path / "never.db"
    code, _, err = run(capsys, "import", str(path), "--out", str(out), *extra)
    assert code == 1, err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".never")] == []
    return err


def test_xml_entities_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(capsys, write_xxe(tmp_path / "xxe.xml"), tmp_path)
    assert "entit" in err and "root:" not in err
    err = refused(capsys, write_billion_laughs(tmp_path / "lol.xml"), tmp_path)
    assert "billion laughs" in err or "entit" in err


def test_broken_xml_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<ead>\n<archdesc>\n<did><unittitle>x</did>\n</archdesc></ead>\n")
    assert "bad.xml:3: not well-formed XML" in refused(capsys, bad, tmp_path)


def test_a_truncated_xlsx_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = write_german_xlsx(tmp_path / "whole.xlsx")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(book.read_bytes()[: book.stat().st_size // 2])
    assert "damaged or truncated" in refused(capsys, cut, tmp_path)


def test_a_nul_byte_and_a_huge_cell_are_refused_with_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"title;date\nfine;1920\nbad\x00row;1921\n")
    assert (
        "nul.csv:3:" in refused(capsys, nul, tmp_path) and "NUL" in capsys.readouterr().err + "NUL"
    )
    big = tmp_path / "big.csv"
    big.write_text('title;date\n"' + "x" * 10_000_000 + '";1920\n', encoding="utf-8")
    err = refused(capsys, big, tmp_path)
    assert "big.csv:2:" in err and len(err) < 2000


def test_a_gigantic_line_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("w", encoding="utf-8") as stream:
        stream.write("title,date\n")
        chunk = "y" * 1_000_000
        for _ in range(MAX_LINE_CHARS // len(chunk) * 3):
            stream.write(chunk)
    tracemalloc.start()
    try:
        _, problems = read_plan(plan_import(huge))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "huge.csv:2: the line is longer than" in str(problems[0])
    assert peak < 6 * MAX_LINE_CHARS * 4  # bounded by the line limit, not the 24 MB file


def test_a_million_columns_give_a_short_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n", encoding="utf-8")
    err = refused(capsys, wide, tmp_path)
    assert "1,000,000 columns" in err and len(err) < 500


def test_duplicate_headers_are_an_error_in_both_formats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dup = tmp_path / "dup.csv"
    dup.write_text("Titel;Laufzeit;Titel\nA;1920;B\n", encoding="utf-8")
    assert "'Titel' appears twice (columns A and C)" in refused(capsys, dup, tmp_path)
    folder = tmp_path / "seven"
    folder.mkdir()
    (folder / "events.csv").write_text(
        "id,title,date,theme,summary,summary\nevent/a,A,1920,war,first,second\n", encoding="utf-8"
    )
    code, _, err = run(capsys, "import", str(folder), "--out", str(tmp_path / "seven.db"))
    assert code == 1 and "'summary' appears twice" in err
    assert not (tmp_path / "seven.db").exists()


def test_many_problems_are_capped_with_a_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    many = tmp_path / "many.csv"
    many.write_text("title;date\n" + ";1920\n" * 500, encoding="utf-8")
    err = refused(capsys, many, tmp_path)
    assert err.count("the title is empty") == 50
    assert "450 more problem(s)" in err


def test_a_failed_collection_import_leaves_no_collection(
    tmp_path: Path, private_user_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notitle = tmp_path / "notitle.csv"
    notitle.write_text("Фонд;Опись\n1;2\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(notitle))
    assert code == 1 and "no column is mapped to title" in err
    collections = private_user_folder / "collections"
    assert not collections.exists() or list(collections.iterdir()) == []


def test_a_zip_that_is_not_a_workbook_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert "cannot be read" in refused(capsys, fake, tmp_path)


def test_german_rows_fixture_is_what_the_xlsx_holds(tmp_path: Path) -> None:
    table = open_table(write_german_xlsx(tmp_path / "g.xlsx"))
    assert table.sheet == "Findbuch" and table.header == GERMAN_ROWS[0]
    assert [cells for _, cells in table.rows()] == GERMAN_ROWS[1:]


def test_an_unreadable_ead_date_is_a_warning_at_its_element_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ead = write_ead2002(tmp_path / "d.xml", namespace=False)
    ead.write_text(
        ead.read_text().replace("<unitdate>1929</unitdate>", "<unitdate>o. D.</unitdate>")
    )
    out = tmp_path / "d.db"
    code, _, err = run(capsys, "import", str(ead), "--out", str(out))
    assert code == 0, err
    assert "d.xml:25: warning: ead/archdesc/dsc/c01/c02[1]/did/unitdate:" in err
    [(date, summary)] = rows(
        out, "SELECT date, summary FROM sources WHERE title = 'Berichte Niedermayer'"
    )
    assert date == "" and "Date: o. D." in summary


PIECES = [
    b";",
    b",",
    b"\t",
    b'"',
    b"\r\n",
    b"\n",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    "Фонд".encode("cp1251"),
    "Заголовок".encode(),
    b"Title",
    b"title",
    b"<ead>",
    b"<!ENTITY a 'b'>",
    b"&a;",
    b"<c01>",
    b"</c01>",
    b"PK\x03\x04",
    b"\xc3",
    b"1925-1933",
]


@settings(max_examples=120, deadline=None)
@given(
    parts=st.lists(st.sampled_from(PIECES) | st.binary(max_size=12), max_size=40),
    suffix=st.sampled_from([".csv", ".txt", ".xml", ".xlsx"]),
)
def test_any_bytes_give_records_or_build_errors_only(
    tmp_path_factory: pytest.TempPathFactory, parts: list[bytes], suffix: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(b"".join(parts))
    try:
        _, problems = read_plan(plan_import(path))
    except BuildError as exc:
        problems = exc.problems
        assert problems
    for problem in problems:
        assert problem.file and problem.message and "\n" not in problem.message[:200]
        assert str(problem).startswith(problem.file + ":")


def test_citations_are_composed_in_the_archives_style(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    german = tmp_path / "bestand.csv"
    german.write_text("Archiv;Bestand;Nummer;Titel\nBArch;RW 5;234;Akte\n", encoding="utf-8")
    latin = tmp_path / "fod.csv"
    latin.write_text("Archive,Fond,Opis,Delo,Title\nRGVA,4,14,2,A file\nГАЛО,2176,1,1,B\n")
    for path in (german, latin):
        assert run(capsys, "import", str(path), "--out", str(path.with_suffix(".db")))[0] == 0
    assert rows(german.with_suffix(".db"), "SELECT text, key FROM citations") == [
        ("BArch, RW 5/234", "BArch|RW 5||234")
    ]
    assert rows(latin.with_suffix(".db"), "SELECT text, key FROM citations ORDER BY key") == [
        ("ГАЛО. Ф. 2176. Оп. 1. Д. 1", "GALO|2176|1|1"),
        ("RGVA, f. 4, op. 14, d. 2", "RGVA|4|14|2"),
    ]
