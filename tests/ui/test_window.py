"""The browser window on the real bundled archive: tabs, links, history, search, comfort."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtTest import QTest

from archive_browser.core.archive import Archive
from archive_browser.ui.app import build_window_for_self_test, create_window, make_settings
from archive_browser.ui.widgets.entity_tab import EntityTab
from archive_browser.ui.widgets.history import History
from archive_browser.ui.widgets.main_window import MainWindow
from helpers.windows import wait_loaded

REPO = Path(__file__).resolve().parents[2]


def titles(tab: EntityTab) -> list[str]:
    model = tab.model
    return [model.data(model.index(row, _title_section(tab))) for row in range(model.rowCount())]


def _title_section(tab: EntityTab) -> int:
    names = [c.name for c in tab.model.columns]
    return names.index(tab.record_type.title_column)


def type_text(widget, text: str) -> None:
    """Type any text, Cyrillic included (qtbot.keyClicks aborts on non-ASCII)."""
    for ch in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
        )


def follow(window: MainWindow, record_id: str) -> None:
    """A click on the link to `record_id` in the current tab's detail pane."""
    tab = window.current_entity_tab()
    assert tab is not None
    assert record_id in tab.detail.link_targets(), f"{record_id} is not linked from the page"
    tab.detail.browser.anchorClicked.emit(QUrl(f"record:{record_id}"))


def shown(window: MainWindow) -> str | None:
    tab = window.current_entity_tab()
    return tab.detail.record_id if tab is not None else None


# ----------------------------------------------------------------------------- tabs


def test_every_tab_lists_real_records(window: MainWindow, archive: Archive) -> None:
    tab_titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tab_titles[:4] == ["People", "Sites", "Chronology", "Sources"]
    expected = {
        "person": "Hans von Seeckt",
        "site": "Lipetsk",
        "event": "Treaty of Rapallo",
        "source": "Russian State Military Archive",
    }
    for type_name, known in expected.items():
        tab = window.entity_tabs[type_name]
        assert tab.model.rowCount() == archive.total(type_name) > 0
        assert any(known in title for title in titles(tab)), (type_name, known)


def test_chronology_shows_display_dates_in_date_order(window: MainWindow) -> None:
    tab = window.entity_tabs["event"]
    model = tab.model
    rows = [model.row_data(r) for r in range(model.rowCount())]
    assert [model.data(model.index(r, 0)) for r in range(len(rows))] == [
        row["date_display"] for row in rows
    ]
    sort_keys = [row["date_sort"] for row in rows]
    assert sort_keys == sorted(sort_keys)


def test_header_click_sorts_in_sql(qtbot, window: MainWindow) -> None:
    tab = window.entity_tabs["person"]
    with qtbot.waitSignal(tab.model.query_finished, timeout=5000):
        tab.table_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    names = titles(tab)
    # The Name column sorts by the stored sort name, surname first ("Seeckt, Hans von").
    sort_names = [tab.model.row_data(row)["sort_name"] for row in range(len(names))]
    assert sort_names == sorted(sort_names, key=str.casefold, reverse=True)
    assert names[0] != names[-1]


# ----------------------------------------------------------------------------- navigation


def test_links_back_and_forward_like_a_browser(qtbot, window: MainWindow, archive: Archive) -> None:
    assert window.open_record("person/seeckt")
    seeckt = archive.get("person/seeckt")
    event_id = next(link.id for link in seeckt.links if link.type == "event")
    follow(window, event_id)
    assert window.current_entity_tab() is window.entity_tabs["event"]
    assert shown(window) == event_id
    assert window.entity_tabs["event"].current_record_id() == event_id
    person_id = next(
        link.id
        for link in archive.get(event_id).links
        if link.type == "person" and link.id != "person/seeckt"
    )
    follow(window, person_id)
    assert window.current_entity_tab() is window.entity_tabs["person"]
    assert shown(window) == person_id

    window.back_action.trigger()
    assert shown(window) == event_id
    window.back_action.trigger()
    assert shown(window) == "person/seeckt"
    assert window.entity_tabs["person"].current_record_id() == "person/seeckt"
    assert not window.back_action.isEnabled()
    window.forward_action.trigger()
    assert shown(window) == event_id
    assert window.current_entity_tab() is window.entity_tabs["event"]

    # The keyboard: Alt+Left is Back wherever the focus is in the window.
    window.activateWindow()
    window.entity_tabs["event"].table_view.setFocus()
    QTest.keyClick(
        window.entity_tabs["event"].table_view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier
    )
    assert shown(window) == "person/seeckt"
    QTest.keyClick(
        window.entity_tabs["person"].table_view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier
    )
    assert shown(window) == event_id


def test_mouse_back_button_goes_back(window: MainWindow) -> None:
    window.open_record("person/seeckt")
    window.open_record("site/lipetsk")
    viewport = window.entity_tabs["site"].detail.browser.viewport()
    QTest.mouseClick(viewport, Qt.MouseButton.BackButton, pos=QPoint(20, 20))
    assert shown(window) == "person/seeckt"
    viewport = window.entity_tabs["person"].table_view.viewport()
    QTest.mouseClick(viewport, Qt.MouseButton.ForwardButton, pos=QPoint(20, 20))
    assert shown(window) == "site/lipetsk"


def test_following_a_link_clears_a_filter_that_hides_the_record(qtbot, window: MainWindow) -> None:
    people = window.entity_tabs["person"]
    people.filter_edit.setText("Seeckt")
    people.apply_filter()
    qtbot.waitUntil(lambda: not people.model.busy and people.model.filter_text == "Seeckt")
    assert people.model.rowCount() < people.model.total
    window.open_record("site/lipetsk")
    assert window.open_record("person/tukhachevsky")
    qtbot.waitUntil(lambda: people.current_record_id() == "person/tukhachevsky", timeout=5000)
    assert people.filter_edit.text() == ""
    assert people.model.rowCount() == people.model.total


def test_arrow_keys_browse_rows_without_flooding_history(qtbot, window: MainWindow) -> None:
    people = window.entity_tabs["person"]
    window.tabs.setCurrentWidget(people)
    window.open_record("site/lipetsk")
    window.tabs.setCurrentWidget(people)
    people.table_view.setFocus()
    people.table_view.selectRow(0)
    first = people.current_record_id()
    for _ in range(3):
        QTest.keyClick(people.table_view, Qt.Key.Key_Down)
    fourth = people.model.record_id_at(3)
    assert shown(window) == fourth != first
    window.go_back()
    assert shown(window) == "site/lipetsk"


def test_enter_in_table_moves_to_the_detail_pane(qtbot, window: MainWindow) -> None:
    sites = window.entity_tabs["site"]
    window.tabs.setCurrentWidget(sites)
    window.activateWindow()
    sites.table_view.setFocus()
    sites.table_view.selectRow(2)
    QTest.keyClick(sites.table_view, Qt.Key.Key_Return)
    assert sites.detail.record_id == sites.model.record_id_at(2)
    assert sites.detail.browser.hasFocus()


# ----------------------------------------------------------------------------- filtering


def test_typing_cyrillic_into_a_filter_finds_lipetsk(qtbot, window: MainWindow) -> None:
    sites = window.entity_tabs["site"]
    window.tabs.setCurrentWidget(sites)
    sites.filter_edit.setFocus()
    type_text(sites.filter_edit, "Липецк")
    assert sites.filter_edit.text() == "Липецк"
    qtbot.waitUntil(
        lambda: sites.model.filter_text == "Липецк" and not sites.model.busy, timeout=5000
    )
    names = titles(sites)
    assert any("Lipetsk" in name for name in names)
    assert len(names) < sites.model.total
    assert window.count_label.text() == f"{len(names)} of {sites.model.total} sites"


def test_escape_clears_the_filter(qtbot, window: MainWindow) -> None:
    people = window.entity_tabs["person"]
    window.tabs.setCurrentWidget(people)
    people.filter_edit.setFocus()
    qtbot.keyClicks(people.filter_edit, "Seeckt")
    qtbot.waitUntil(lambda: people.model.filter_text == "Seeckt" and not people.model.busy)
    assert people.model.rowCount() < people.model.total
    QTest.keyClick(people.filter_edit, Qt.Key.Key_Escape)
    assert people.filter_edit.text() == ""
    qtbot.waitUntil(lambda: people.model.rowCount() == people.model.total, timeout=5000)


# ----------------------------------------------------------------------------- global search


def search_for(qtbot, window: MainWindow, text: str) -> list:
    field = window.search_field
    window.focus_search()
    with qtbot.waitSignal(field.results_ready, timeout=5000):
        qtbot.keyClicks(field, text)
    return field.results


def test_global_search_lists_the_site_its_events_and_sources(
    qtbot, window: MainWindow, archive: Archive
) -> None:
    results = search_for(qtbot, window, "Lipetsk")
    ids = [r.record_id for r in results]
    assert "site/lipetsk" in ids
    linked = {link.id: link.type for link in archive.links("site/lipetsk")}
    assert any(linked.get(i) == "event" for i in ids)
    assert any(linked.get(i) == "source" for i in ids)
    site = next(r for r in results if r.record_id == "site/lipetsk")
    assert "<b>" in site.snippet_html or "<b>" in window.search_field.popup.model._html(site)
    # One ranking everywhere: the popup lists the engine's order, no type headers, no
    # record twice.
    assert ids == [hit.id for hit in archive.search("Lipetsk", limit=len(ids))]
    assert len(ids) == len(set(ids))
    assert not [i for i in window.search_field.popup.model.items if i.kind == "header"]


def test_clicking_a_search_result_opens_the_record(qtbot, window: MainWindow) -> None:
    search_for(qtbot, window, "Lipetsk")
    popup = window.search_field.popup
    assert popup.isVisible()
    row = next(i for i, item in enumerate(popup.model.items) if item.record_id == "site/lipetsk")
    rect = popup.view.visualRect(popup.model.index(row, 0))
    QTest.mouseClick(popup.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_entity_tab() is window.entity_tabs["site"]
    assert shown(window) == "site/lipetsk"
    assert not popup.isVisible()


def test_enter_opens_the_highlighted_result(qtbot, window: MainWindow) -> None:
    results = search_for(qtbot, window, "Tuchatschewski")
    first = results[0]
    assert first.record_id == "person/tukhachevsky"
    assert first.detail.startswith("matched Tuchatschewski — German")
    QTest.keyClick(window.search_field, Qt.Key.Key_Return)
    assert shown(window) == "person/tukhachevsky"


def test_enter_after_lipetsk_opens_the_site(qtbot, window: MainWindow) -> None:
    results = search_for(qtbot, window, "Lipetsk")
    assert results[0].record_id == "site/lipetsk"
    QTest.keyClick(window.search_field, Qt.Key.Key_Return)
    assert shown(window) == "site/lipetsk"


def type_per_character(qtbot, window: MainWindow, text: str) -> list:
    field = window.search_field
    window.focus_search()
    with qtbot.waitSignal(field.results_ready, timeout=5000):
        for ch in text:
            # qtbot.keyClicks aborts on non-ASCII text: one key event a character.
            QTest.sendKeyEvent(
                QTest.KeyAction.Click, field, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
            )
    return field.results


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("Тухачевским", "person/tukhachevsky"),
        ("Липецкой", "site/lipetsk"),
        ("Guderians", "person/guderian"),
        ("Triandafillov Kazan", "person/triandafillov"),
        ("Kazan 1929", "site/kazan"),
    ],
)
def test_enter_opens_the_best_match_for_inflected_and_multi_word_queries(
    qtbot, window: MainWindow, query: str, record_id: str
) -> None:
    results = type_per_character(qtbot, window, query)
    assert results[0].record_id == record_id
    QTest.keyClick(window.search_field, Qt.Key.Key_Return)
    assert shown(window) == record_id


def test_a_clear_misspelling_shows_the_corrected_results(qtbot, window: MainWindow) -> None:
    results = search_for(qtbot, window, "Guderain")
    assert results[0].record_id == "person/guderian"
    first_row = window.search_field.popup.model.items[0]
    assert (first_row.kind, first_row.title) == (
        "message",
        "No record matches 'Guderain'; showing results for 'Guderian'",
    )
    QTest.keyClick(window.search_field, Qt.Key.Key_Return)
    assert shown(window) == "person/guderian"


def test_did_you_mean_when_nothing_matches(qtbot, window: MainWindow, archive: Archive) -> None:
    query = "Seekt"  # Seeckt and "seek" are near: no clear correction, suggestions instead
    suggestions = archive.did_you_mean(query)
    assert suggestions and not archive.search(query)
    assert archive.search_corrected(query) == ([], None)
    results = search_for(qtbot, window, query)
    assert [r.title for r in results if r.kind == "suggestion"] == suggestions
    QTest.keyClick(window.search_field, Qt.Key.Key_Return)  # take the first suggestion
    qtbot.waitUntil(
        lambda: any(r.kind == "record" for r in window.search_field.results), timeout=5000
    )
    assert window.search_field.text() == suggestions[0]


def test_search_providers_add_their_own_groups(qtbot, window: MainWindow) -> None:
    from archive_browser.ui.widgets.global_search import ResultItem

    window.search_field.providers.append(
        lambda q: [ResultItem("record", f"Note about {q}", "Notes", "person/seeckt")]
    )
    results = search_for(qtbot, window, "Lipetsk")
    assert results[-1].title == "Note about Lipetsk"
    groups = [i.title for i in window.search_field.popup.model.items if i.kind == "header"]
    assert groups[-1] == "Notes"


def test_ctrl_k_focuses_the_search_and_ctrl_f_the_tabs_filter(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    people = window.entity_tabs["person"]
    table = people.table_view
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search_field.hasFocus()
    QTest.keyClick(window.search_field, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert people.filter_edit.hasFocus()
    window.select_tab("sites")
    sites = window.entity_tabs["site"]
    sites.table_view.setFocus()
    QTest.keyClick(sites.table_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert sites.filter_edit.hasFocus()


# ----------------------------------------------------------------------------- detail pane


def test_detail_pane_shows_fields_provenance_and_grouped_links(
    window: MainWindow, archive: Archive
) -> None:
    window.open_record("person/seeckt")
    detail = window.entity_tabs["person"].detail
    text = detail.text()
    record = archive.get("person/seeckt")
    assert record.fields["born_display"] in text  # dates in display form, not EDTF
    assert record.fields["born"] not in text
    assert "Related records" in text and "Provenance" in text
    assert "Editorial note" in text
    assert set(detail.link_targets()) == {link.id for link in record.links}


def test_quotes_are_marked_reconstructed(window: MainWindow, archive: Archive) -> None:
    row = archive.conn.execute(
        "SELECT record_id FROM quotes WHERE reconstructed = 1 LIMIT 1"
    ).fetchone()
    assert row is not None
    window.open_record(row[0])
    assert "reconstructed from a garbled copy" in window.current_entity_tab().detail.text()


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_html_in_record_text_is_shown_literally(qtbot, tmp_path: Path) -> None:
    from archive_browser.core.importer import build_archive

    folder = tmp_path / "csv"
    folder.mkdir()
    nasty = "<b>bold</b><script>alert(1)</script> & <a href='file:///etc/passwd'>x</a>"
    _write_csv(
        folder / "people.csv",
        ["id", "name", "kind", "summary", "note"],
        [["person/nasty", "<i>Nasty</i> name", "person", nasty, "<hr>note"]],
    )
    out = tmp_path / "nasty.db"
    build_archive(folder, out, archive_id="nasty", title="Nasty")
    with Archive.open(out) as archive:
        win = create_window(archive, make_settings())
        qtbot.addWidget(win)
        win.show()
        wait_loaded(qtbot, win)
        assert win.open_record("person/nasty")
        text = win.entity_tabs["person"].detail.text()
        assert nasty in text
        assert "<i>Nasty</i> name" in text
        assert "<hr>note" in text
        assert win.entity_tabs["person"].detail.link_targets() == []
        win.close()


# ----------------------------------------------------------------------------- models


def test_every_model_passes_qtmodeltester(qtbot, qtmodeltester, window: MainWindow) -> None:
    for tab in window.entity_tabs.values():
        qtmodeltester.check(tab.model, force_py=True)
    search_for(qtbot, window, "Lipetsk")
    qtmodeltester.check(window.search_field.popup.model, force_py=True)


# ----------------------------------------------------------------------------- comfort


def test_status_bar_counts_shown_and_total(qtbot, window: MainWindow) -> None:
    people = window.entity_tabs["person"]
    window.tabs.setCurrentWidget(people)
    total = people.model.total
    assert window.count_label.text() == f"{total} of {total} people"
    people.filter_edit.setText("Seeckt")
    people.apply_filter()
    qtbot.waitUntil(lambda: people.model.filter_text == "Seeckt" and not people.model.busy)
    assert window.count_label.text() == f"{people.model.rowCount()} of {total} people"


def test_window_remembers_tab_record_splitter_and_columns(qtbot, archive: Archive) -> None:
    first = create_window(archive, make_settings())
    qtbot.addWidget(first)
    first.show()
    wait_loaded(qtbot, first)
    first.resize(700, 520)  # within the offscreen screen (800x600)
    first.open_record("source/rgva")
    sources = first.entity_tabs["source"]
    sources.table_view.horizontalHeader().resizeSection(0, 333)
    sources.splitter.setSizes([300, 500])
    saved_sizes = sources.splitter.sizes()
    first.close()

    second = create_window(archive, make_settings())
    qtbot.addWidget(second)
    second.show()
    wait_loaded(qtbot, second)
    qtbot.waitUntil(lambda: shown(second) == "source/rgva", timeout=5000)
    assert second.current_entity_tab() is second.entity_tabs["source"]
    assert second.size().width() == 700
    assert second.entity_tabs["source"].table_view.horizontalHeader().sectionSize(0) == 333
    assert second.entity_tabs["source"].splitter.sizes() == saved_sizes
    second.close()


def test_settings_start_from_defaults_in_a_private_folder(private_user_folder: Path) -> None:
    settings = make_settings()
    assert Path(settings.fileName()).is_relative_to(private_user_folder)
    assert settings.value("window/tab") is None


def test_set_archive_rebuilds_the_tabs(qtbot, window: MainWindow, built_archive: Path) -> None:
    window.open_record("person/seeckt")
    other = Archive.open(built_archive)
    try:
        old_tab = window.entity_tabs["person"]
        window.set_archive(other)
        assert window.archive is other
        assert window.entity_tabs["person"] is not old_tab
        wait_loaded(qtbot, window)
        assert window.entity_tabs["person"].model.rowCount() == other.total("person")
        assert not window.back_action.isEnabled()
        assert window.open_record("site/lipetsk")
    finally:
        window.close()
        other.close()


def test_extension_points(qtbot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QLabel, QMenu

    events = window.entity_tabs["event"]
    views_before = events.views.count()
    assert events.add_view(QLabel("timeline"), "Extra view") == views_before
    assert events.views.tabText(views_before) == "Extra view"
    sections_before = events.detail.extra_area.count()
    events.detail.add_section(QLabel("notes"))
    assert events.detail.extra_area.count() == sections_before + 1
    calls: list[str] = []
    events.context_menu_actions.append(lambda menu, rid: calls.append(rid))
    menu = QMenu()
    events.fill_context_menu(menu, "event/rapallo-treaty")
    assert calls == ["event/rapallo-treaty"]
    tabs_before = window.tabs.count()
    assert window.add_tab(QLabel("extra"), "Extra tab") == tabs_before
    assert window.select_tab("extra tab") and window.tabs.currentIndex() == tabs_before
    with qtbot.waitSignal(window.record_shown) as blocker:
        window.open_record("event/rapallo-treaty")
    assert blocker.args == ["event/rapallo-treaty"]
    assert {"file_menu", "edit_menu", "view_menu", "help_menu"} <= set(vars(window))


def test_history_replaces_consecutive_browsing_visits() -> None:
    history = History()
    history.visit("a")
    history.visit("b", browsing=True)
    history.visit("c", browsing=True)
    history.visit("d")
    assert history.back() == "c"
    assert history.back() == "a"
    assert history.back() is None
    assert history.forward() == "c"
    history.visit("e")
    assert not history.can_go_forward()
    assert history.back() == "c"


def test_self_test_builds_the_window(built_archive: Path, qapp) -> None:
    build_window_for_self_test(built_archive)


# ----------------------------------------------------------------------------- no display


def test_no_display_prints_one_line_and_fails(built_archive: Path, tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    code = (
        "import sys; from pathlib import Path; from archive_browser.ui.app import run_gui; "
        f"sys.exit(run_gui(Path({str(built_archive)!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "display" in lines[0] and "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert "xvfb-run" in lines[0]


def test_unopenable_archive_is_one_clear_line(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    missing = tmp_path / "nowhere.db"
    code = (
        "import sys; from pathlib import Path; from archive_browser.ui.app import run_gui; "
        f"sys.exit(run_gui(Path({str(missing)!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert str(missing) in done.stderr
