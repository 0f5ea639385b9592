"""Read-only access to an archive, its clear errors, links both ways, safe search."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from archive_browser.core.archive import Archive, ArchiveError
from archive_browser.core.record_types import RECORD_TYPES

FILES = {
    "people.csv": [
        "id,name,name_ru,kind,role,summary",
        "person/seeckt,Hans von Seeckt,,person,Chief,Commanded the Reichswehr.",
        "person/trotsky,Leon Trotsky,Лев Троцкий,person,Head of the Red Army,"
        "Called Poland a bridge or a barrier.",
    ],
    "sites.csv": [
        "id,name,kind,lat,lon,summary",
        "site/lipetsk,Lipetsk flight school,air base,52.6,39.6,German pilots trained",
    ],
    "links.csv": ["from,to,role", "person/seeckt,site/lipetsk,founder"],
}

HOSTILE = [
    '"',
    "AND",
    "OR NOT",
    "*",
    "NEAR(",
    "-",
    "(((",
    ")",
    "a:b",
    "^x",
    '"unbalanced',
    "Seeckt AND",
    "\x00",
    "🙂",
    "\u200f\u202eLipetsk",
    "x" * 10_000,
    "'; DROP TABLE x;--",
    "Липецк OR",
    "col:value",
    '""',
    "{}",
    "+",
    ".",
    "%",
    "_",
]


@pytest.fixture
def small(make_archive) -> Path:
    return make_archive(FILES)


def test_archive_is_opened_read_only(small: Path) -> None:
    with Archive.open(small) as archive, pytest.raises(sqlite3.OperationalError):
        archive.conn.execute("CREATE TABLE x (y)")


def test_a_folder_name_with_uri_characters_opens(make_archive, tmp_path: Path) -> None:
    path = make_archive(FILES)
    odd = tmp_path / "what?#%20 folder"
    odd.mkdir()
    moved = path.rename(odd / "a.db")
    with Archive.open(moved) as archive:
        assert archive.title_of("person/seeckt") == "Hans von Seeckt"


def test_env_variable_selects_the_archive(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHIVE_BROWSER_ARCHIVE", str(small))
    with Archive.open() as archive:
        assert archive.path == small


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "There is no archive at"),
        (b"hello, I am a text file", "is not an archive database"),
        ("sqlite-other", "not an archive of ours"),
        ("sqlite-newer", "has schema version 99"),
    ],
)
def test_unusable_archives_get_one_clear_sentence(
    tmp_path: Path, content: object, message: str
) -> None:
    path = tmp_path / "x.db"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content == "sqlite-other":
        sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    elif content == "sqlite-newer":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE archive_meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO archive_meta VALUES ('schema_version', '99')")
        conn.commit()
    with pytest.raises(ArchiveError) as caught:
        Archive.open(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_links_are_followed_both_ways(small: Path) -> None:
    with Archive.open(small) as archive:
        out = archive.links("person/seeckt")
        back = archive.links("site/lipetsk")
    assert [(x.id, x.role, x.outgoing) for x in out] == [("site/lipetsk", "founder", True)]
    assert [(x.id, x.role, x.outgoing) for x in back] == [("person/seeckt", "founder", False)]


def test_get_returns_fields_and_links(small: Path) -> None:
    with Archive.open(small) as archive:
        record = archive.get("person/trotsky")
        assert archive.get("person/nobody") is None
    assert record is not None
    assert record.fields["name_ru"] == "Лев Троцкий"
    assert record.title == "Leon Trotsky"


def test_ids_filter_and_sort_in_sql(small: Path) -> None:
    with Archive.open(small) as archive:
        forwards = list(archive.ids("person"))
        names = [archive.rows("person", [r])[r]["name"] for r in forwards]
        backwards = list(archive.ids("person", descending=True))
        by_role = [
            archive.rows("person", [r])[r]["role"]
            for r in archive.ids("person", sort_column="role")
        ]
        filtered = [
            archive.rows("person", [r])[r]["name"] for r in archive.ids("person", "Trotsky")
        ]
    assert names == ["Hans von Seeckt", "Leon Trotsky"]
    assert backwards == forwards[::-1]
    assert by_role == ["Chief", "Head of the Red Army"]
    assert filtered == ["Leon Trotsky"]


@pytest.mark.parametrize("text", HOSTILE)
def test_search_and_filter_never_raise_on_user_text(small: Path, text: str) -> None:
    with Archive.open(small) as archive:
        assert isinstance(archive.search(text), list)
        assert len(archive.ids("person", text)) <= 2


def test_name_matches_rank_above_body_mentions(make_archive) -> None:
    path = make_archive(
        {
            "people.csv": [
                "id,name,kind,summary",
                "person/a,Someone Else,person,He met Lenin twice.",
                "person/lenin,Vladimir Lenin,person,Led the revolution.",
            ],
        }
    )
    with Archive.open(path) as archive:
        hits = archive.search("Lenin")
    assert [h.id for h in hits][:2] == ["person/lenin", "person/a"]


def test_the_stored_default_order_equals_the_sorted_query(
    built_archive: Path, tmp_path: Path
) -> None:
    import shutil

    plain = tmp_path / "no-cache.db"
    shutil.copy(built_archive, plain)
    conn = sqlite3.connect(plain)
    conn.execute("DROP TABLE default_order")
    conn.commit()
    conn.close()
    with Archive.open(built_archive) as cached, Archive.open(plain) as queried:
        for type_name in ("person", "site", "event", "source"):
            assert list(cached.ids(type_name)) == list(queried.ids(type_name))
            assert list(cached.ids(type_name, descending=True)) == list(
                queried.ids(type_name, descending=True)
            )
            assert len(cached.ids(type_name)) == cached.total(type_name)


def test_people_sort_by_surname_and_the_kind_filter_narrows(built_archive: Path) -> None:
    from archive_browser.core.filters import KindIs

    with Archive.open(built_archive) as archive:
        rows = archive.rows("person", list(archive.ids("person")))
        names = [rows[r]["name"] for r in archive.ids("person")]
        people = [rows[r] for r in archive.ids("person", narrow=KindIs("person"))]
        bodies = [rows[r] for r in archive.ids("person", narrow=KindIs("organisation"))]
        seeckt_bodies = archive.ids("person", "Seeckt", narrow=KindIs("organisation"))
        seeckt_filtered = {rows[r]["id"] for r in seeckt_bodies}
        by_russian = [rows[r]["name_ru"] for r in archive.ids("person", sort_column="name_ru")]
    # Surname order: Seeckt among the S, not beside Hans; Hitler not at the top.
    assert names.index("Adolf Hitler") > 0
    assert names.index("Hans von Seeckt") > names.index("Joachim von Ribbentrop")
    assert names.index("Hans von Seeckt") > names.index("Heinz Guderian")
    assert names.index("Leon Trotsky") > names.index("Hans von Seeckt")
    assert names.index("Pyotr Baranov") < names.index("Heinz Guderian")
    assert {r["kind"] for r in people} == {"person"}
    assert {r["kind"] for r in bodies} == {"organisation"}
    assert len(people) + len(bodies) == len(names)
    assert "Reichswehr" in {r["name"] for r in bodies}
    assert seeckt_filtered and "person/seeckt" not in seeckt_filtered
    russian = [n for n in by_russian if n]
    # By surname, where the given names would run the other way (Владимир < Вячеслав).
    assert russian.index("Лев Троцкий") < russian.index("Михаил Тухачевский")
    assert russian.index("Иосиф Сталин") < russian.index("Лев Троцкий")
    assert russian.index("Вячеслав Молотов") < russian.index("Владимир Триандафиллов")


def test_the_name_sort_walks_an_index(built_archive: Path) -> None:
    conn = sqlite3.connect(built_archive)
    order = Archive.order_by(RECORD_TYPES["person"], "name", False)
    plan = conn.execute(f"EXPLAIN QUERY PLAN SELECT rid FROM people ORDER BY {order}").fetchall()
    conn.close()
    assert "sort_name" in order
    assert any("idx_people_sort_name" in str(step) for step in plan), plan
    assert not any("TEMP B-TREE" in str(step) for step in plan), plan
