"""The lazy table model and the off-thread query runner."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from PySide6.QtCore import Qt

from archive_browser.core.archive import Archive, ArchiveReader
from archive_browser.core.record_types import RECORD_TYPES
from archive_browser.ui.widgets import table_model
from archive_browser.ui.widgets.table_model import RecordTableModel
from archive_browser.ui.widgets.workers import QueryRunner


def loaded_model(qtbot, archive: Archive, type_name: str) -> RecordTableModel:
    model = RecordTableModel(archive, RECORD_TYPES[type_name])
    with qtbot.waitSignal(model.query_finished, timeout=5000):
        model.set_query()
    return model


@pytest.mark.parametrize("type_name", list(RECORD_TYPES))
def test_models_pass_qtmodeltester(qtbot, qtmodeltester, archive: Archive, type_name: str) -> None:
    model = loaded_model(qtbot, archive, type_name)
    assert model.rowCount() == archive.total(type_name)
    qtmodeltester.check(model, force_py=True)


def test_rows_follow_the_sql_order_and_columns(qtbot, archive: Archive) -> None:
    model = loaded_model(qtbot, archive, "person")
    expected = archive.all_rows("person")  # the archive's own default order
    assert [model.record_id_at(r) for r in range(model.rowCount())] == [
        row["id"] for row in expected
    ]
    labels = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert labels == [c.label for c in RECORD_TYPES["person"].shown_columns]


def test_sort_descending_reverses_the_order(qtbot, archive: Archive) -> None:
    model = loaded_model(qtbot, archive, "site")
    ascending = [model.record_id_at(r) for r in range(model.rowCount())]
    with qtbot.waitSignal(model.query_finished, timeout=5000):
        model.sort(0, Qt.SortOrder.DescendingOrder)
    descending = [model.record_id_at(r) for r in range(model.rowCount())]
    assert descending == ascending[::-1]
    assert model.sort_column == "name" and model.descending


def test_filter_narrows_and_finds_rows(qtbot, archive: Archive) -> None:
    model = loaded_model(qtbot, archive, "site")
    with qtbot.waitSignal(model.query_finished, timeout=5000):
        model.set_query(filter_text="Lipetsk")
    assert 0 < model.rowCount() < model.total
    row = model.row_of_record("site/lipetsk")
    assert row is not None and model.record_id_at(row) == "site/lipetsk"
    shown = {model.record_id_at(r) for r in range(model.rowCount())}
    hidden = [row["id"] for row in archive.all_rows("site") if row["id"] not in shown]
    assert hidden and model.row_of_record(hidden[0]) is None


def test_date_columns_show_their_display_form(qtbot, archive: Archive) -> None:
    model = loaded_model(qtbot, archive, "site")
    period = [c.name for c in model.columns].index("period")
    for row in range(model.rowCount()):
        data = model.row_data(row)
        if data["period"]:
            assert model.data(model.index(row, period)) == data["period_display"]
            break
    else:
        pytest.fail("no site has a period")


def test_rows_are_fetched_in_blocks_and_cached(
    qtbot, archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table_model, "BLOCK_SIZE", 10)
    monkeypatch.setattr(table_model, "CACHED_BLOCKS", 2)
    model = loaded_model(qtbot, archive, "person")
    calls: list[int] = []
    real_rows = archive.rows

    def counting_rows(type_name, rids):
        calls.append(len(rids))
        return real_rows(type_name, rids)

    monkeypatch.setattr(archive, "rows", counting_rows)
    for row in range(10):
        model.data(model.index(row, 0))
    assert calls == []  # block 0 came with the ids, from the worker
    model.data(model.index(15, 0))
    assert calls == [10]  # one block for the next ten rows
    for row in range(10, 20):
        model.data(model.index(row, 0))
    model.data(model.index(25, 0))
    assert calls == [10, 10]
    model.data(model.index(0, 0))  # block 0 was evicted (two blocks cached)
    assert calls == [10, 10, 10]


def test_unhandled_roles_and_bad_indexes_give_none(qtbot, archive: Archive) -> None:
    model = loaded_model(qtbot, archive, "event")
    index = model.index(0, 0)
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is None
    assert model.data(model.index(10_000, 0)) is None
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) is None
    assert model.data(index, Qt.ItemDataRole.UserRole) == model.record_id_at(0)


def test_a_newer_query_interrupts_and_supersedes_an_older_one(qtbot, archive: Archive) -> None:
    runner = QueryRunner(archive)
    running = threading.Event()
    outcome: list[str] = []

    def endless(reader: ArchiveReader) -> str:
        conn = reader.conn
        steps = 0

        def progress() -> int:
            nonlocal steps
            steps += 1
            running.set()
            return 1 if steps > 200_000 else 0  # a safety stop, should the interrupt fail

        conn.set_progress_handler(progress, 1000)
        try:
            conn.execute(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                "SELECT count(*) FROM c"
            ).fetchone()
        except sqlite3.OperationalError as exc:
            outcome.append("stopped early" if steps > 200_000 else str(exc))
            raise
        return "old"

    results: list[object] = []
    runner.finished.connect(lambda _gen, result: results.append(result))
    runner.submit(endless)
    assert running.wait(5)
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.submit(lambda reader: "new")
    runner.wait()
    qtbot.wait(50)
    assert results == ["new"]
    assert outcome == ["interrupted"]
    assert not runner.busy


def test_a_failing_query_reports_its_message(qtbot, archive: Archive) -> None:
    runner = QueryRunner(archive)

    def broken(reader: ArchiveReader) -> None:
        reader.conn.execute("SELECT * FROM no_such_table")

    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.submit(broken)
    assert "no_such_table" in blocker.args[1]
    runner.wait()
