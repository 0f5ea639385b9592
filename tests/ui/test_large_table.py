"""A tab over a big archive opens with an exact row count without reading the rows."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from archive_browser.core.archive import Archive, ArchiveReader
from archive_browser.core.importer import Dataset, Row, write_archive, write_default_order
from archive_browser.ui.app import create_window, make_settings

PEOPLE = 200_000


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real writer for the schema and one record, then plain inserts for the bulk.

    The full build would also index every synthetic row for search, which takes far longer
    and is not what this test is about.
    """
    dataset = Dataset()
    dataset.records["person"] = [
        Row(
            "people.csv",
            2,
            {
                "id": "person/p000000",
                "name": "Person 000000",
                "kind": "person",
                "role": "officer",
                "summary": "A synthetic record.",
            },
        )
    ]
    out = tmp_path_factory.mktemp("big") / "big.db"
    write_archive(dataset, out, archive_id="big", title="Big")
    rows = [
        (rid, f"person/p{rid - 1:06d}", f"Person {rid - 1:06d}") for rid in range(2, PEOPLE + 1)
    ]
    conn = sqlite3.connect(out)
    with conn:
        # The sort name as the writer stores one (the Name column sorts by it).
        conn.executemany(
            'INSERT INTO "people" (rid, id, name, sort_name, kind, role, summary) '
            "VALUES (?, ?, ?, ?, 'person', 'clerk', 'A synthetic record.')",
            [(rid, record_id, name, name) for rid, record_id, name in rows],
        )
        conn.executemany(
            "INSERT INTO records (rid, id, type, title) VALUES (?, ?, 'person', ?)", rows
        )
        write_default_order(conn)  # as the build does after writing the rows
    conn.close()
    return out


def test_people_tab_opens_without_reading_every_row(
    qtbot, big_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = Archive.open(big_archive)
    read: list[int] = []
    real_rows = ArchiveReader.rows

    def counting_rows(reader, type_name, rids):  # every reader's: the workers' too
        result = real_rows(reader, type_name, rids)
        read.append(len(result))
        return result

    monkeypatch.setattr(ArchiveReader, "rows", counting_rows)
    started = time.perf_counter()
    window = create_window(archive, make_settings())
    qtbot.addWidget(window)
    window.resize(760, 560)
    window.show()
    people = window.entity_tabs["person"]
    qtbot.waitUntil(lambda: people.model.loaded and not people.model.busy, timeout=20_000)
    qtbot.wait(50)  # let the view paint its first screen
    assert people.model.rowCount() == PEOPLE
    assert window.count_label.text() == f"{PEOPLE} of {PEOPLE} people"
    assert 0 < sum(read) < 2000
    assert time.perf_counter() - started < 15

    # The last row is one block fetch away, not a scan of everything before it.
    people.table_view.scrollToBottom()
    qtbot.wait(50)
    assert people.model.record_id_at(PEOPLE - 1) == "person/p199999"
    assert sum(read) < 4000

    # Every row selected (Ctrl+A): the selection's records come without reading the rows.
    people.table_view.selectAll()
    selected = people.selected_record_ids()
    assert len(selected) == PEOPLE and selected[-1] == "person/p199999"
    assert sum(read) < 4000
    window.close()
    archive.close()
