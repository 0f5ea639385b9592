"""Tags on records: the store's operations, the migration that added them, and their way
through every notes export (read back with csv, markdown-it, yaml and openpyxl)."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from openpyxl import load_workbook

from archive_browser.core.export import (
    RecordInfo,
    restore_cell,
    write_notes_csv,
    write_notes_markdown,
    write_notes_markdown_split,
    write_notes_xlsx,
)
from archive_browser.core.store import MIGRATIONS, SCHEMA_VERSION, UserStore, UserStoreError
from archive_browser.core.store.connection import _open_read_only

ARCHIVE = "bundled"
RECORDS = {
    "person/seeckt": RecordInfo("person/seeckt", "person", "Hans von Seeckt", []),
    "site/lipetsk": RecordInfo("site/lipetsk", "site", "Lipetsk flight school", []),
    "event/rapallo": RecordInfo("event/rapallo", "event", "Treaty of Rapallo", []),
}


def table(store: UserStore) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(store.path)
    try:
        return conn.execute(
            'SELECT u."archive_id", u."record_id", t."name" FROM "record_tags" u'
            ' JOIN "tags" t ON t."id" = u."tag_id" ORDER BY 1, 2, t."key"'
        ).fetchall()
    finally:
        conn.close()


# --- the store ------------------------------------------------------------------------------


def test_names_are_trimmed_and_case_insensitive_keeping_the_first_spelling(
    store: UserStore,
) -> None:
    assert store.add_tags(ARCHIVE, "person/seeckt", ["  Lipetsk  school ", "Липецк"]) == [
        "Lipetsk school",
        "Липецк",
    ]
    # Another spelling of the same tags: no new tag, the first spelling is kept.
    assert store.add_tags(ARCHIVE, "site/lipetsk", ["LIPETSK SCHOOL", "липецк"]) == [
        "Lipetsk school",
        "Липецк",
    ]
    store.add_tags(ARCHIVE, "site/lipetsk", ["липецк"])  # twice on one record: once
    assert store.tag_counts(ARCHIVE) == [("Lipetsk school", 2), ("Липецк", 2)]
    assert store.tags_of(ARCHIVE, "site/lipetsk") == ["Lipetsk school", "Липецк"]
    assert store.records_with_tag(ARCHIVE, "ЛИПЕЦК") == ["person/seeckt", "site/lipetsk"]


@pytest.mark.parametrize(
    ("bad", "sentence"),
    [
        ("a, b", "comma"),
        ("a; b", "semicolon"),
        ("two\nlines", "line break"),
        ("   ", "empty"),
        ("x" * 101, "at most 100"),
    ],
)
def test_a_bad_name_is_one_sentence_and_changes_nothing(
    store: UserStore, bad: str, sentence: str
) -> None:
    with pytest.raises(UserStoreError, match=sentence):
        store.add_tags(ARCHIVE, "person/seeckt", ["good", bad])
    assert table(store) == []


def test_several_records_are_tagged_in_one_transaction(store: UserStore) -> None:
    store.add_tags(ARCHIVE, "person/seeckt", ["Lipetsk"])
    records = ["person/seeckt", "site/lipetsk", "event/rapallo", "site/lipetsk"]
    assert store.add_tag_to_records(ARCHIVE, records, " LIPETSK ") == ("Lipetsk", 2)
    assert store.records_with_tag(ARCHIVE, "lipetsk") == sorted(set(records))
    before = table(store)
    # A bad id anywhere in the selection, or a bad name, changes nothing at all.
    with pytest.raises(UserStoreError):
        store.add_tag_to_records(ARCHIVE, ["person/seeckt", ""], "Kazan")
    with pytest.raises(UserStoreError, match="semicolon"):
        store.add_tag_to_records(ARCHIVE, records, "Kazan; Tomka")
    with pytest.raises(UserStoreError):
        store.add_tag_to_records(ARCHIVE, [], "Kazan")
    assert table(store) == before


def test_remove_forgets_a_tag_used_nowhere(store: UserStore) -> None:
    store.add_tags(ARCHIVE, "person/seeckt", ["Reichswehr", "Lipetsk"])
    store.add_tags(ARCHIVE, "site/lipetsk", ["Lipetsk"])
    assert store.remove_tags(ARCHIVE, "person/seeckt", ["reichswehr", "lipetsk", "none"]) == [
        "Reichswehr",
        "Lipetsk",
    ]
    assert store.tag_counts() == [("Lipetsk", 1)]
    # A new "reichswehr" is a new tag with its own spelling.
    assert store.add_tags(ARCHIVE, "person/seeckt", ["reichswehr"]) == ["reichswehr"]


def test_rename_changes_every_use_in_every_archive(store: UserStore) -> None:
    store.add_tags(ARCHIVE, "person/seeckt", ["Lipezk"])
    store.add_tags(ARCHIVE, "site/lipetsk", ["lipezk"])
    store.add_tags("other", "site/lipetsk", ["LIPEZK", "Tanks"])
    assert store.rename_tag("lipezk", "Lipetsk") == 3
    assert table(store) == [
        (ARCHIVE, "person/seeckt", "Lipetsk"),
        (ARCHIVE, "site/lipetsk", "Lipetsk"),
        ("other", "site/lipetsk", "Lipetsk"),
        ("other", "site/lipetsk", "Tanks"),
    ]
    assert store.rename_tag("LIPETSK", "LIPETSK") == 3  # a change of case only respells
    assert store.tag_counts(ARCHIVE) == [("LIPETSK", 2)]
    with pytest.raises(UserStoreError, match="merge"):
        store.rename_tag("lipetsk", "tanks")  # already a tag: refused, nothing changes
    with pytest.raises(UserStoreError, match="no tag"):
        store.rename_tag("nothing", "else")
    assert store.tag_counts() == [("LIPETSK", 3), ("Tanks", 1)]


def test_merge_moves_every_use_and_collapses_duplicates(store: UserStore) -> None:
    store.add_tags(ARCHIVE, "person/seeckt", ["Kazan", "Kama"])  # both: collapse to one
    store.add_tags(ARCHIVE, "site/lipetsk", ["kama"])
    store.add_tags("other", "event/rapallo", ["Kama"])
    assert store.merge_tags("KAMA", "kazan") == 3
    assert table(store) == [
        (ARCHIVE, "person/seeckt", "Kazan"),
        (ARCHIVE, "site/lipetsk", "Kazan"),
        ("other", "event/rapallo", "Kazan"),
    ]
    assert store.tag_counts() == [("Kazan", 3)]
    with pytest.raises(UserStoreError, match="no tag 'Kama'"):
        store.merge_tags("Kama", "Kazan")  # gone
    with pytest.raises(UserStoreError, match="one tag"):
        store.merge_tags("Kazan", "KAZAN")


def test_notes_with_a_tag(store: UserStore) -> None:
    first = store.add_note(ARCHIVE, "person/seeckt", "first")
    store.add_note(ARCHIVE, "site/lipetsk", "untagged record")
    second = store.add_note(ARCHIVE, "person/seeckt", "second")
    store.add_note("other", "person/seeckt", "another archive")
    store.add_tags(ARCHIVE, "person/seeckt", ["Reichswehr"])
    assert [n.id for n in store.notes_with_tag(ARCHIVE, "reichswehr")] == [first.id, second.id]
    assert store.notes_with_tag(ARCHIVE, "unknown") == []


# --- the migration ------------------------------------------------------------------------


def test_a_version_2_store_gains_tags_and_keeps_every_note(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:2]:
        migration(conn)
    conn.execute("PRAGMA user_version = 2")
    notes = [
        (ARCHIVE, f"person/p{i}", f"note {i}\nЗаметка", f"2025-01-01T00:00:{i:02d}.000Z")
        for i in range(40)
    ]
    conn.executemany(
        'INSERT INTO "notes" ("archive_id", "record_id", "text", "created", "modified")'
        " VALUES (?, ?, ?, ?, ?)",
        [(*row, row[3]) for row in notes],
    )
    conn.execute(
        "INSERT INTO \"bookmarks\" VALUES (?, 'site/kazan', '2025-01-02T00:00:00.000Z')", (ARCHIVE,)
    )
    conn.close()

    with UserStore.open(path) as opened:
        assert opened.recovery_message is None
        assert [(n.record_id, n.text, n.created) for n in opened.notes(ARCHIVE)] == [
            (row[1], row[2], row[3]) for row in notes
        ]
        assert opened.is_bookmarked(ARCHIVE, "site/kazan")
        assert opened.tag_counts() == []
        opened.add_tags(ARCHIVE, "person/p1", ["migrated"])
        assert opened.tags_of(ARCHIVE, "person/p1") == ["migrated"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


# --- exports --------------------------------------------------------------------------------

TAGS = {
    "person/seeckt": ["=Sum(1)", "Reichswehr", "Тухачевский и Секкт"],
    "site/lipetsk": ["#flight", "Reichswehr"],
    "event/rapallo": ["treaty"],  # tagged, no note, no bookmark: still exported
}


def tagged_store(store: UserStore) -> UserStore:
    store.add_note(ARCHIVE, "person/seeckt", "Chief of the Army Command.")
    store.add_note(ARCHIVE, "person/seeckt", "Второй абзац.")
    store.toggle_bookmark(ARCHIVE, "site/lipetsk")
    for record_id, names in TAGS.items():
        store.add_tags(ARCHIVE, record_id, names)
    return store


def expected_tags(record_id: str) -> list[str]:
    return sorted(TAGS[record_id], key=str.casefold)


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_tags_round_trip_through_csv(store: UserStore, delimiter: str) -> None:
    tagged_store(store)
    buffer = io.StringIO(newline="")
    write_notes_csv(store, ARCHIVE, RECORDS.get, buffer, delimiter)
    rows = list(
        csv.DictReader(io.StringIO(buffer.getvalue().lstrip("\ufeff")), delimiter=delimiter)
    )
    found = {(row["record_id"], restore_cell(row["tags"])) for row in rows}
    assert found == {(record_id, "; ".join(expected_tags(record_id))) for record_id in TAGS}
    assert len([row for row in rows if row["record_id"] == "person/seeckt"]) == 2
    rapallo = next(row for row in rows if row["record_id"] == "event/rapallo")
    assert (rapallo["note"], rapallo["bookmarked"], rapallo["created"]) == ("", "no", "")
    # The formula-like tag is neutralised in the file, never a formula.
    seeckt = next(row for row in rows if row["record_id"] == "person/seeckt")
    assert seeckt["tags"].startswith("'=")


def test_tags_round_trip_through_xlsx(store: UserStore, tmp_path: Path) -> None:
    tagged_store(store)
    path = tmp_path / "notes.xlsx"
    write_notes_xlsx(store, ARCHIVE, RECORDS.get, path)
    workbook = load_workbook(path)
    for sheet_name, expected_ids in (("Notes", set(TAGS)), ("Bookmarks", {"site/lipetsk"})):
        sheet = workbook[sheet_name]
        header = [cell.value for cell in sheet[1]]
        tags_column = header.index("tags")
        found: dict[str, set[str]] = {}
        for row in sheet.iter_rows(min_row=2):
            assert all(cell.data_type != "f" for cell in row)  # no formula, "=Sum(1)" is text
            found.setdefault(row[0].value, set()).add(row[tags_column].value)
        assert found == {
            record_id: {"; ".join(expected_tags(record_id))} for record_id in expected_ids
        }


def front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text[4 : text.index("\n---\n", 4)])


def test_tags_round_trip_through_markdown(store: UserStore, tmp_path: Path) -> None:
    tagged_store(store)
    buffer = io.StringIO()
    write_notes_markdown(store, ARCHIVE, RECORDS.get, buffer, "Archive", front_matter=True)
    text = buffer.getvalue()
    properties = front_matter(text)
    assert properties["tags"] == sorted(
        {tag for names in TAGS.values() for tag in names}, key=str.casefold
    )
    assert {r["id"]: r["tags"] for r in properties["records"]} == {
        record_id: expected_tags(record_id) for record_id in TAGS
    }

    # In the body the tags are text: "#flight" is no Obsidian tag and no heading.
    body = text[text.index("\n---\n", 4) + 5 :]
    assert "#flight" not in body.replace("\\#", "")
    tokens = MarkdownIt("gfm-like").parse(body)
    paragraphs = [t.content for t in tokens if t.type == "inline"]
    tag_lines = [line for line in paragraphs if line.startswith("Tags: ")]
    shown = [MarkdownIt("gfm-like").renderInline(line) for line in tag_lines]
    assert shown == ["Tags: " + "; ".join(expected_tags(record_id)) for record_id in sorted(TAGS)]
    assert not [t for t in tokens if t.type.startswith("heading") and "flight" in t.content]

    folder = tmp_path / "split"
    write_notes_markdown_split(store, ARCHIVE, RECORDS.get, folder, "A", front_matter=True)
    for record_id in TAGS:
        page = (folder / (record_id.replace("/", "-") + ".md")).read_text("utf-8")
        assert front_matter(page)["tags"] == expected_tags(record_id)


def test_a_read_only_store_from_before_tags_still_exports(tmp_path: Path) -> None:
    """A version-2 file opened read-only is not migrated: it reads as having no tags."""
    path = tmp_path / "notes.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:2]:
        migration(conn)
    conn.execute("PRAGMA user_version = 2")
    conn.execute(
        'INSERT INTO "notes" ("archive_id", "record_id", "text", "created", "modified")'
        " VALUES ('bundled', 'person/seeckt', 'old', '2025-01-01T00:00:00.000Z',"
        " '2025-01-01T00:00:00.000Z')"
    )
    conn.close()
    # What UserStore.open does for a file it may not write (root ignores file modes, so the
    # read-only opening is called directly rather than through chmod).
    store = UserStore(path, _open_read_only(path), None)
    store.read_only_reason = "Cannot save notes: the file is read-only."
    try:
        assert store.tag_counts() == [] and store.record_tags(ARCHIVE) == {}
        assert store.records_with_tag(ARCHIVE, "x") == []
        buffer = io.StringIO(newline="")
        assert write_notes_csv(store, ARCHIVE, RECORDS.get, buffer) == 1
        with pytest.raises(UserStoreError, match="read-only"):
            store.add_tags(ARCHIVE, "person/seeckt", ["x"])
    finally:
        store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2  # not migrated
    conn.close()
