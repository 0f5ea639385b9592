"""The importer: valid input builds an archive, bad input is reported at file:line."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from archive_browser.core.importer import BuildError, build_archive, is_stale, write_templates

PEOPLE = [
    "id,name,name_ru,kind,role,summary,seed",
    "person/seeckt,Hans von Seeckt,,person,Chief of the Army Command,Head of it.,4",
    "person/trotsky,Leon Trotsky,Лев Троцкий,person,Head of the Red Army,Saw Poland.,8",
]
EVENTS = [
    "id,title,date,theme,summary",
    "event/rapallo,Treaty of Rapallo,1922-04-16,diplomacy,Relations normalised.",
]
LINKS = ["from,to,role", "person/seeckt,event/rapallo,participant"]


def write(folder: Path, name: str, lines: list[str], *, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def small_dataset(folder: Path) -> Path:
    write(folder, "people.csv", PEOPLE)
    write(folder, "events.csv", EVENTS)
    write(folder, "links.csv", LINKS)
    return folder


def problems_of(folder: Path, tmp_path: Path) -> list[str]:
    out = tmp_path / "out.db"
    with pytest.raises(BuildError) as caught:
        build_archive(folder, out)
    assert not out.exists(), "a failed import must write nothing"
    return [str(p) for p in caught.value.problems]


def test_small_dataset_builds_every_table(tmp_path: Path) -> None:
    report = build_archive(small_dataset(tmp_path / "in"), tmp_path / "a.db")
    assert report.records == 3
    conn = sqlite3.connect(tmp_path / "a.db")
    assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == 2
    assert conn.execute("SELECT title FROM records WHERE id='event/rapallo'").fetchone() == (
        "Treaty of Rapallo",
    )
    assert conn.execute("SELECT count(*) FROM links").fetchone()[0] == 1
    meta = dict(conn.execute("SELECT key, value FROM archive_meta"))
    assert meta["schema_version"] == "4" and meta["archive_id"] == "a"
    assert {"built_at", "title", "source_hash"} <= meta.keys()
    fts = conn.execute("SELECT sql FROM sqlite_master WHERE name='search_index'").fetchone()[0]
    assert "fts5" in fts.lower()


@pytest.mark.parametrize(
    ("name", "lines", "expected"),
    [
        (
            "people.csv",
            ["id,name,kind,summary,colour", "person/a,A,person,S,red"],
            "people.csv:1: unknown column(s) 'colour'",
        ),
        (
            "people.csv",
            ["id,name,kind", "person/a,A,person"],
            "people.csv:1: missing required column(s) summary",
        ),
        (
            "people.csv",
            ["id,name,kind,summary", "person/a,A,person,S", "person/a,B,person,S"],
            "people.csv:3: duplicate id 'person/a' (first at people.csv:2)",
        ),
        (
            "people.csv",
            ["id,name,kind,summary", "person/a,,person,S"],
            "people.csv:2: the required column name is empty",
        ),
        (
            "people.csv",
            ["id,name,kind,summary", "Person/A B,A,person,S"],
            "people.csv:2: id 'Person/A B' should look like",
        ),
        (
            "people.csv",
            ["id,name,kind,summary", "person/a,A,robot,S"],
            "people.csv:2: kind must be 'person' or 'organisation'",
        ),
        (
            "events.csv",
            ["id,title,date,theme,summary", "event/a,A,1922-13-01,war,S"],
            "events.csv:2: date:",
        ),
        (
            "sites.csv",
            ["id,name,kind,lat,lon,summary", "site/a,A,city,95,10,S"],
            "sites.csv:2: lat 95 is outside -90 to 90",
        ),
        (
            "links.csv",
            ["from,to,role", "person/seeckt,person/nobody,knew"],
            "links.csv:2: to 'person/nobody' is not a record id",
        ),
        ("people.csv", ["id,name,kind,summary", 'person/a,"A,person,S'], "people.csv:2:"),
        ("notes.csv", ["a,b", "1,2"], "notes.csv:0: unknown file name"),
    ],
)
def test_bad_input_is_reported_at_file_and_line(
    tmp_path: Path, name: str, lines: list[str], expected: str
) -> None:
    folder = small_dataset(tmp_path / "in")
    if name == "people.csv":
        (folder / "links.csv").unlink()
    write(folder, name, lines)
    problems = problems_of(folder, tmp_path)
    assert any(p.startswith(expected) for p in problems), problems


def test_a_multi_line_cell_keeps_the_line_numbers_of_later_rows(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(
        folder,
        "people.csv",
        ["id,name,kind,summary", 'person/a,A,person,"two', 'lines"', "person/a,B,person,S"],
    )
    problems = problems_of(folder, tmp_path)
    assert any(p.startswith("people.csv:4: duplicate id") for p in problems), problems


def test_not_utf8_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(
        folder,
        "people.csv",
        ["id,name,kind,summary", "person/a,Müller,person,S"],
        encoding="latin-1",
    )
    assert any("not UTF-8" in p for p in problems_of(folder, tmp_path))


def test_semicolons_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(
        folder,
        "people.csv",
        [
            "id;name;name_ru;kind;summary",
            "person/tukhachevsky;Mikhail Tukhachevsky;Михаил Тухачевский;person;Theorist, marshal",
        ],
        encoding="utf-8-sig",
    )
    build_archive(folder, tmp_path / "a.db")
    conn = sqlite3.connect(tmp_path / "a.db")
    assert conn.execute("SELECT name_ru, summary FROM people").fetchone() == (
        "Михаил Тухачевский",
        "Theorist, marshal",
    )


def test_a_failed_import_leaves_an_existing_archive_untouched(tmp_path: Path) -> None:
    out = tmp_path / "a.db"
    build_archive(small_dataset(tmp_path / "in"), out)
    before = out.read_bytes()
    write(tmp_path / "in", "links.csv", ["from,to,role", "person/seeckt,site/nowhere,x"])
    with pytest.raises(BuildError):
        build_archive(tmp_path / "in", out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'search_index_%'"
        )
    ]
    content = {t: sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}
    content["archive_meta"] = [r for r in content["archive_meta"] if r[0] != "built_at"]
    return content


def test_same_input_gives_same_content(tmp_path: Path) -> None:
    folder = small_dataset(tmp_path / "in")
    build_archive(folder, tmp_path / "one.db", archive_id="x", title="T")
    build_archive(folder, tmp_path / "two.db", archive_id="x", title="T")
    assert _content(tmp_path / "one.db") == _content(tmp_path / "two.db")


def test_staleness_follows_the_input_files(tmp_path: Path) -> None:
    folder = small_dataset(tmp_path / "in")
    out = tmp_path / "a.db"
    assert is_stale([folder], out)
    build_archive(folder, out)
    assert not is_stale([folder], out)
    write(folder, "events.csv", [*EVENTS, "event/b,B,1923,war,S"])
    assert is_stale([folder], out)


def test_templates_import_cleanly(tmp_path: Path) -> None:
    written = write_templates(tmp_path / "tpl")
    assert {p.name for p in written} >= {
        "people.csv",
        "sites.csv",
        "events.csv",
        "sources.csv",
        "links.csv",
    }
    with (tmp_path / "tpl" / "people.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and rows[0]["id"].startswith("person/")
    report = build_archive(tmp_path / "tpl", tmp_path / "t.db")
    assert report.records == 4


def test_a_reference_printed_without_its_archive_is_read_under_the_rows_archive(
    make_archive,
) -> None:
    path = make_archive(
        {
            "sources.csv": [
                "id,title,kind,archive,citation,summary",
                'source/a,Edition note,document,Bundesarchiv (BArch),"R 43 I /686 , Bl. 183",s',
                "source/b,Own archive wins,document,Bundesarchiv (BArch),"
                '"RGVA, f. 33987, op. 3, d. 295",s',
                "source/c,No archive column,document,,R 43 I /689,s",
            ]
        }
    )
    conn = sqlite3.connect(path)
    try:
        keys = dict(conn.execute("SELECT record_id, key FROM citations").fetchall())
    finally:
        conn.close()
    assert keys == {"source/a": "BArch|R 43-I||686", "source/b": "RGVA|33987|3|295"}


def test_an_imported_person_without_a_sort_name_is_filed_by_surname(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(
        folder,
        "people.csv",
        [
            "id,name,name_ru,sort_name,kind,summary",
            "person/seeckt,Hans von Seeckt,,,person,Commanded the Reichswehr.",
            "person/lieth,Hermann von der Lieth-Thomsen,,,person,Led Zentrale Moskau.",
            "person/tukh,Mikhail Tukhachevsky,Михаил Тухачевский,,person,Marshal.",
            "person/enver,Enver Pasha,,Enver Pasha,person,Envoy.",
            "person/rw,Red Army,Красная армия,,organisation,The army.",
        ],
    )
    build_archive(folder, tmp_path / "a.db")
    conn = sqlite3.connect(tmp_path / "a.db")
    stored = {r[0]: r[1:] for r in conn.execute("SELECT id, sort_name, sort_name_ru FROM people")}
    assert stored["person/seeckt"] == ("Seeckt, Hans von", "")
    assert stored["person/lieth"] == ("Lieth-Thomsen, Hermann von der", "")
    assert stored["person/tukh"] == ("Tukhachevsky, Mikhail", "Тухачевский, Михаил")
    assert stored["person/enver"][0] == "Enver Pasha"  # written by hand: kept
    assert stored["person/rw"] == ("Red Army", "Красная армия")  # an organisation: its name
