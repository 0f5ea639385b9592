"""Citations in the window: the archive tree, find by citation, copy as English / GOST."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView

from archive_browser.core.archive import Archive
from archive_browser.core.citations import Match, parse_citations
from archive_browser.ui.features.citations import (
    FIND_SHORTCUT,
    NOTHING_READ,
    CitationsFeature,
    install_citations,
)
from archive_browser.ui.features.citations.citation_models import (
    KEY_PREFIX_ROLE,
    MATCH_ROLE,
    RECORD_ID_ROLE,
    CitationReadingModel,
    CitationTreeModel,
    CitingRecord,
    CitingRecordsModel,
)
from archive_browser.ui.hooks import hooks_of
from archive_browser.ui.widgets.main_window import MainWindow
from helpers.windows import feature_of

GALO_PASTE = "ГАЛО. Ф. 2176. Оп. 1. Д. 1"
GALO_PHOTO = "source/galo-photo"
GALO_DELO = ("GALO", "2176", "1", "1")

SOURCES_HEADER = "id,title,kind,archive,citation,summary"
SMALL_SOURCES = [
    SOURCES_HEADER,
    'source/same,The same file,document,,"GALO, f. 2176, op. 1, d. 1, l. 3",s',
    'source/zeros,Leading zeros,document,,"GALO, f. 02176, op. 1, d. 1",s',
    'source/no-delo,No delo given,document,,"GALO, f. 2176, op. 1",s',
    'source/other,Another file,document,,"GALO, f. 2176, op. 1, d. 7",s',
    'source/tagged,<b>Bold</b> & <i>tagged</i>,document,,"RGVA, f. 33987, op. 3, d. 497",s',
    "source/plain,No reference,document,,,s",
]


def wait_settled(qtbot, window: MainWindow) -> None:
    feature = citations_of(window)
    qtbot.waitUntil(
        lambda: (
            all(t.model.loaded and not t.model.busy for t in window.entity_tabs.values())
            and feature.tree_view is not None
            and feature.tree_view.loaded
            and not feature.tree_view.busy
            and feature.find_view is not None
            and not feature.find_view.busy
        ),
        timeout=10_000,
    )


def citations_of(window: MainWindow) -> CitationsFeature:
    return feature_of(window, CitationsFeature)


@pytest.fixture
def window(window: MainWindow, qtbot) -> MainWindow:
    """The shared window (conftest.py), once its citation views have settled too."""
    wait_settled(qtbot, window)
    return window


@pytest.fixture
def small_archive(make_archive) -> Iterator[Archive]:
    with Archive.open(make_archive({"sources.csv": SMALL_SOURCES})) as opened:
        yield opened


@pytest.fixture
def small_window(qtbot, small_archive: Archive, window_on) -> MainWindow:
    win = window_on(small_archive)
    wait_settled(qtbot, win)
    return win


def type_text(widget, text: str) -> None:
    """Type any text, Cyrillic included (qtbot.keyClicks aborts on non-ASCII)."""
    for ch in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
        )


def search(qtbot, window: MainWindow, text: str) -> None:
    """Paste `text` into the find field and press Enter, as the user does."""
    find = citations_of(window).find_view
    assert find is not None
    find.field.setText(text)
    QTest.keyClick(find.field, Qt.Key.Key_Return)
    wait_settled(qtbot, window)


def reading_row(model: CitationReadingModel, row: int = 0) -> list[str]:
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def results(model: CitingRecordsModel) -> list[tuple[str, Match | None, str]]:
    return [
        (
            model.data(model.index(r, 0), RECORD_ID_ROLE),
            model.data(model.index(r, 0), MATCH_ROLE),
            model.data(model.index(r, 0)),
        )
        for r in range(model.rowCount())
    ]


def click_row(qtbot, view: QTableView, row: int, column: int = 1) -> None:
    rect = view.visualRect(view.model().index(row, column))
    assert rect.isValid(), "the row is not on screen"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def shown(window: MainWindow) -> str | None:
    tab = window.current_entity_tab()
    return tab.detail.record_id if tab is not None else None


# ----------------------------------------------------------------------------- find by citation


def test_typed_cyrillic_citation_is_read_and_finds_the_lipetsk_photograph(
    qtbot, window: MainWindow
) -> None:
    feature = citations_of(window)
    feature.find_action.trigger()
    find = feature.find_view
    assert find is not None
    assert window.current_entity_tab() is window.entity_tabs["source"]
    assert window.entity_tabs["source"].views.currentWidget() is find
    type_text(find.field, GALO_PASTE)
    assert find.field.text() == GALO_PASTE
    wait_settled(qtbot, window)
    assert reading_row(find.reading_model)[:4] == ["GALO", "2176", "1", "1"]
    found = results(find.results_model)
    assert found[0][:2] == (GALO_PHOTO, Match.SAME)
    assert found[0][2] == "Same file"
    assert find.results_view.isVisible()


def test_clicking_a_result_opens_the_record(qtbot, window: MainWindow) -> None:
    search(qtbot, window, GALO_PASTE)
    find = citations_of(window).find_view
    assert find is not None
    click_row(qtbot, find.results_view, 0)
    assert shown(window) == GALO_PHOTO
    assert window.history.current == GALO_PHOTO
    detail = window.entity_tabs["source"].detail
    assert "Lipetsk" in detail.text()


def test_text_without_a_citation_says_so(qtbot, window: MainWindow) -> None:
    search(qtbot, window, "German pilots on their way to Lipetsk")
    find = citations_of(window).find_view
    assert find is not None
    assert find.status.text() == NOTHING_READ
    assert find.reading_model.rowCount() == 0
    assert find.results_model.rowCount() == 0
    assert not find.reading_view.isVisible()
    assert not find.copy_buttons.buttons["english"].isEnabled()


def test_a_file_nobody_cites_is_read_but_finds_nothing(qtbot, window: MainWindow) -> None:
    search(qtbot, window, "GALO, f. 9999, op. 4, d. 12")
    find = citations_of(window).find_view
    assert find is not None
    assert reading_row(find.reading_model)[:4] == ["GALO", "9999", "4", "12"]
    assert find.results_model.rowCount() == 0
    assert "No record" in find.status.text()


def test_same_comes_first_then_probable_and_candidate_each_labelled(
    qtbot, small_window: MainWindow
) -> None:
    search(qtbot, small_window, GALO_PASTE)
    find = citations_of(small_window).find_view
    assert find is not None
    found = results(find.results_model)
    assert [(rid, match) for rid, match, _label in found] == [
        ("source/same", Match.SAME),
        ("source/zeros", Match.PROBABLE),
        ("source/no-delo", Match.CANDIDATE),
    ]
    assert [label for _rid, _match, label in found] == ["Same file", "Probable", "Candidate"]
    cited = find.results_model.data(find.results_model.index(0, 2))
    assert cited == "GALO, f. 2176, op. 1, d. 1, l. 3"
    assert "1 same file, 1 probable, 1 candidate" in find.status.text()


def test_a_paste_with_two_references_searches_the_one_chosen(
    qtbot, small_window: MainWindow
) -> None:
    search(qtbot, small_window, "RGVA, f. 33987, op. 3, d. 497; GALO, f. 2176, op. 1, d. 7")
    find = citations_of(small_window).find_view
    assert find is not None
    assert find.reading_model.rowCount() == 2
    assert [r[0] for r in results(find.results_model)] == ["source/tagged"]
    find.reading_view.selectRow(1)
    qtbot.waitUntil(lambda: not find.busy)
    assert [r[:2] for r in results(find.results_model)] == [
        ("source/other", Match.SAME),
        ("source/no-delo", Match.CANDIDATE),  # gives no delo, so it may be d. 7 too
    ]


def test_clearing_the_field_clears_the_results(qtbot, window: MainWindow) -> None:
    search(qtbot, window, GALO_PASTE)
    find = citations_of(window).find_view
    assert find is not None
    assert find.results_model.rowCount() >= 1
    QTest.keyClick(find.field, Qt.Key.Key_Escape)
    wait_settled(qtbot, window)
    assert find.field.text() == ""
    assert find.results_model.rowCount() == 0
    assert find.reading_model.rowCount() == 0


def test_menu_action_has_a_shortcut_of_its_own(window: MainWindow) -> None:
    feature = citations_of(window)
    assert feature.find_action in window.edit_menu.actions()
    assert feature.find_action.shortcut().toString() == FIND_SHORTCUT
    taken = [
        a.shortcut().toString()
        for a in window.actions()
        if a is not feature.find_action and not a.shortcut().isEmpty()
    ]
    assert FIND_SHORTCUT not in taken


# ----------------------------------------------------------------------------- the tree


def test_tree_has_the_galo_node_and_its_delo_lists_the_photograph(
    qtbot, window: MainWindow
) -> None:
    feature = citations_of(window)
    feature.tree_action.trigger()
    tree = feature.tree_view
    assert tree is not None
    assert window.entity_tabs["source"].views.currentWidget() is tree
    model = tree.tree_model
    galo = model.index_of_prefix(("GALO",))
    assert galo.isValid()
    assert model.data(galo) == "GALO"
    assert int(model.data(galo.siblingAtColumn(1))) >= 1
    delo = model.index_of_prefix(GALO_DELO)
    assert model.data(delo, KEY_PREFIX_ROLE) == GALO_DELO
    # The path from the archive down to its delo is the tree's own structure.
    assert model.parent(model.parent(model.parent(delo))) == galo
    tree.tree.setCurrentIndex(delo)
    wait_settled(qtbot, window)
    assert GALO_PHOTO in tree.records_model.record_ids()
    row = tree.records_model.record_ids().index(GALO_PHOTO)
    click_row(qtbot, tree.records_view, row, column=0)
    assert shown(window) == GALO_PHOTO


def test_tree_counts_records_at_or_below_each_node(qtbot, small_window: MainWindow) -> None:
    tree = citations_of(small_window).tree_view
    assert tree is not None
    model = tree.tree_model
    counts = {
        prefix: int(model.data(model.index_of_prefix(prefix, column=1)))
        for prefix in [("GALO",), ("GALO", "2176"), ("GALO", "2176", "1", "1")]
    }
    assert counts == {("GALO",): 4, ("GALO", "2176"): 3, ("GALO", "2176", "1", "1"): 1}
    assert tree.choose(("GALO",))
    wait_settled(qtbot, small_window)
    assert tree.records_model.record_ids() == [
        "source/no-delo",
        "source/other",
        "source/same",
        "source/zeros",
    ]


def test_an_archive_without_references_says_so(qtbot, window_on, make_archive) -> None:
    path = make_archive({"sources.csv": [SOURCES_HEADER, "source/plain,Plain,document,,,s"]})
    with Archive.open(path) as archive:
        win = window_on(archive)
        wait_settled(qtbot, win)
        tree = citations_of(win).tree_view
        assert tree is not None
        assert tree.tree_model.rowCount() == 0
        assert "No record" in tree.caption.text()
        win.close()


def test_views_follow_the_window_to_another_archive(
    qtbot, window: MainWindow, make_archive
) -> None:
    feature = citations_of(window)
    old_find = feature.find_view
    with Archive.open(make_archive({"sources.csv": SMALL_SOURCES})) as other:
        window.set_archive(other)
        qtbot.waitUntil(lambda: feature.find_view is not old_find, timeout=5000)
        wait_settled(qtbot, window)
        source_tab = window.entity_tabs["source"]
        assert feature.source_tab is source_tab
        assert source_tab.views.indexOf(feature.find_view) >= 0
        assert source_tab.detail.findChildren(type(feature.citation_bars[source_tab]))
        search(qtbot, window, GALO_PASTE)
        assert results(feature.find_view.results_model)[0][0] == "source/same"
        window.shutdown()


# ----------------------------------------------------------------------------- copy as


def test_copy_the_reading_as_english_and_gost(qtbot, window: MainWindow) -> None:
    search(qtbot, window, GALO_PASTE + ", л. 5")
    find = citations_of(window).find_view
    assert find is not None
    clipboard = QGuiApplication.clipboard()
    qtbot.mouseClick(find.copy_buttons.buttons["english"], Qt.MouseButton.LeftButton)
    assert clipboard.text() == "GALO, f. 2176, op. 1, d. 1, l. 5"
    qtbot.mouseClick(find.copy_buttons.buttons["gost"], Qt.MouseButton.LeftButton)
    assert clipboard.text() == "ГАЛО. Ф. 2176. Оп. 1. Д. 1. Л. 5."
    assert "ГАЛО. Ф. 2176" in window.statusBar().currentMessage()


def test_detail_pane_copies_the_shown_records_reference(qtbot, window: MainWindow) -> None:
    window.open_record(GALO_PHOTO)
    bar = citations_of(window).citation_bars[window.entity_tabs["source"]]
    assert bar.isVisible()
    clipboard = QGuiApplication.clipboard()
    qtbot.mouseClick(bar.buttons.buttons["gost"], Qt.MouseButton.LeftButton)
    assert clipboard.text() == "ГАЛО. Ф. 2176. Оп. 1. Д. 1."
    qtbot.mouseClick(bar.buttons.buttons["english"], Qt.MouseButton.LeftButton)
    assert clipboard.text() == "GALO, f. 2176, op. 1, d. 1"
    window.open_record("source/article")
    assert not bar.isVisible()


def test_table_context_menu_offers_the_copies(qtbot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QMenu

    tab = window.entity_tabs["source"]
    menu = QMenu(tab)
    tab.fill_context_menu(menu, GALO_PHOTO)
    actions = {a.text(): a for a in menu.actions() if a.text()}
    actions["Copy reference as Russian (GOST)"].trigger()
    assert QGuiApplication.clipboard().text() == "ГАЛО. Ф. 2176. Оп. 1. Д. 1."
    plain = QMenu(tab)
    tab.fill_context_menu(plain, "source/article")
    assert not [a for a in plain.actions() if a.text().startswith("Copy reference")]


def test_results_menu_opens_and_copies_the_reference_as_cited_there(
    qtbot, small_window: MainWindow
) -> None:
    search(qtbot, small_window, GALO_PASTE)
    find = citations_of(small_window).find_view
    assert find is not None
    menu = find.results_menu(0)
    assert menu is not None
    actions = {a.text(): a for a in menu.actions() if a.text()}
    actions["Copy reference as cited there as English (Chicago)"].trigger()
    assert QGuiApplication.clipboard().text() == "GALO, f. 2176, op. 1, d. 1, l. 3"
    actions["Open"].trigger()
    assert shown(small_window) == "source/same"
    assert find.results_menu(99) is None
    reading = find.reading_menu(0)
    assert reading is not None
    [gost] = [a for a in reading.actions() if a.text().endswith("(GOST)")]
    gost.trigger()
    assert QGuiApplication.clipboard().text() == "ГАЛО. Ф. 2176. Оп. 1. Д. 1."


# ----------------------------------------------------------------------------- escaping, models


def test_record_text_in_tooltips_is_escaped(qtbot, small_window: MainWindow) -> None:
    search(qtbot, small_window, "RGVA, f. 33987, op. 3, d. 497")
    find = citations_of(small_window).find_view
    assert find is not None
    model = find.results_model
    assert model.data(model.index(0, 1)) == "<b>Bold</b> & <i>tagged</i>"
    tip = model.data(model.index(0, 1), Qt.ItemDataRole.ToolTipRole)
    assert "<b>Bold" not in tip
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;i&gt;" in tip
    assert find.status.textFormat() == Qt.TextFormat.PlainText


def test_reading_tooltips_show_the_pasted_text_literally(qtbot) -> None:
    from dataclasses import replace

    read = parse_citations(GALO_PASTE)[0]
    model = CitationReadingModel()
    model.set_citations([replace(read, text="<i>ГАЛО</i> & co")])
    tip = model.data(model.index(0, 1), Qt.ItemDataRole.ToolTipRole)
    assert "<i>" not in tip
    assert "&lt;i&gt;ГАЛО&lt;/i&gt; &amp; co" in tip
    archive_tip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert "State Archive of Lipetsk Oblast" in archive_tip


def test_every_model_passes_qtmodeltester(qtbot, qtmodeltester, small_window: MainWindow) -> None:
    feature = citations_of(small_window)
    assert feature.tree_view is not None and feature.find_view is not None
    qtmodeltester.check(feature.tree_view.tree_model, force_py=True)
    assert feature.tree_view.choose(("GALO", "2176"))
    wait_settled(qtbot, small_window)
    qtmodeltester.check(feature.tree_view.records_model, force_py=True)
    search(qtbot, small_window, "GALO, f. 2176, op. 1, d. 1; RGVA, f. 1, op. 2")
    qtmodeltester.check(feature.find_view.reading_model, force_py=True)
    qtmodeltester.check(feature.find_view.results_model, force_py=True)


def test_empty_models_pass_qtmodeltester(qtbot, qtmodeltester) -> None:
    qtmodeltester.check(CitationTreeModel(), force_py=True)
    qtmodeltester.check(CitationReadingModel(), force_py=True)
    records = CitingRecordsModel(lambda _rid: None)
    qtmodeltester.check(records, force_py=True)
    records.set_entries([CitingRecord("source/x", Match.CANDIDATE, parse_citations(GALO_PASTE)[0])])
    qtmodeltester.check(records, force_py=True)
    assert records.data(records.index(0, 1)) == "source/x"  # no title: the id stands in
    assert not records.index(0, 0).parent().isValid()
    assert records.rowCount(records.index(0, 0)) == 0
    assert CitationTreeModel().parent(QModelIndex()) == QModelIndex()


def test_install_is_idempotent(qtbot, window: MainWindow) -> None:
    feature = citations_of(window)
    before = len(window.edit_menu.actions())
    hooks = hooks_of(window)
    assert hooks is not None
    assert install_citations(hooks) is feature
    assert len(window.edit_menu.actions()) == before
    assert window.entity_tabs["source"].views.count() == 3


def test_built_archive_is_the_one_under_test(built_archive: Path) -> None:
    # Guards the fixtures above: the bundled data really cites the GALO delo.
    with Archive.open(built_archive) as archive:
        keys = [c["key"] for c in archive.citations(GALO_PHOTO)]
    assert keys == ["GALO|2176|1|1"]


# ----------------------------------------------------------------------------- issue 17

COPY_SOURCES = [
    SOURCES_HEADER,
    'source/original,Foreign Office file,document,,"PA AA, R 28223, Bl. 5",s',
    'source/film,The same file on film,document,,"NARA, T-120, roll 2345, frames 123456-60",s',
    'source/kyiv,A Ukrainian file,document,,"ЦДАВО України, ф. 1429, оп. 1, спр. 5, арк. 5 зв.",s',
]
# A constructed pair for the test (the user's own concordance file), not a documented one.
USER_CONCORDANCE = (
    "original_key,copy_key,copy_label,relation,source\n"
    "PA AA||R 28223,NARA|T120||2345,T-120 roll 2345,microfilm_copy,test fixture\n"
)


@pytest.fixture
def copy_window(qtbot, make_archive, private_user_folder: Path, window_on) -> Iterator[MainWindow]:
    private_user_folder.mkdir(parents=True, exist_ok=True)
    (private_user_folder / "concordance.csv").write_text(USER_CONCORDANCE, encoding="utf-8")
    with Archive.open(make_archive({"sources.csv": COPY_SOURCES})) as archive:
        win = window_on(archive)
        wait_settled(qtbot, win)
        yield win
        win.close()


def test_tree_shows_the_original_and_its_copy_linked(qtbot, copy_window: MainWindow) -> None:
    tree = citations_of(copy_window).tree_view
    assert tree is not None
    model = tree.tree_model
    original = model.index_of_prefix(("PA AA", "", "", "R 28223"))
    film = model.index_of_prefix(("NARA", "T120", "", "2345"))
    assert model.data(original) == "R 28223  ⇄ original of NARA, T-120, roll 2345"
    assert model.data(film) == "2345  ⇄ copy of PA AA, R 28223"
    assert "Copy of PA AA, R 28223." in model.data(film, Qt.ItemDataRole.ToolTipRole)
    menu = tree.node_menu(film)
    assert menu is not None
    [go] = [a for a in menu.actions() if a.text() == "Go to the original, PA AA, R 28223"]
    go.trigger()
    assert tree.tree.currentIndex() == original
    assert tree.node_menu(model.index_of_prefix(("TsDAVO",))) is None


def test_find_by_citation_lists_the_original_of_a_film(qtbot, copy_window: MainWindow) -> None:
    search(qtbot, copy_window, "T-120, Serial 1907H, roll 2345, frame 123470")
    find = citations_of(copy_window).find_view
    assert find is not None
    assert [(rid, match) for rid, match, _ in results(find.results_model)] == [
        ("source/film", Match.SAME),
        ("source/original", Match.COPY),
    ]
    assert find.copies_label.isVisibleTo(find)
    assert find.copies_label.text().startswith("Copy of PA AA, R 28223; source: test fixture")
    search(qtbot, copy_window, "RGVA, f. 1, op. 2, d. 3")
    assert not find.copies_label.isVisibleTo(find)


def test_detail_pane_shows_the_chosen_style_never_the_key(qtbot, copy_window: MainWindow) -> None:
    feature = citations_of(copy_window)
    copy_window.open_record("source/kyiv")
    detail = copy_window.entity_tabs["source"].detail
    assert "TsDAVO, f. 1429, op. 1, spr. 5, ark. 5zv." in detail.text()
    assert "TsDAVO|1429|1|5" not in detail.text()
    feature.style_actions["dstu"].trigger()
    assert "ЦДАВО України. Ф. 1429. Оп. 1. Спр. 5. Арк. 5 зв." in detail.text()
    assert "|" not in detail.text()
    assert copy_window.settings.value("citations/style") == "dstu"
    assert feature.style_actions["dstu"].isChecked()
    feature.set_style("english")


def test_copy_buttons_offer_every_style(qtbot, copy_window: MainWindow) -> None:
    copy_window.open_record("source/film")
    bar = citations_of(copy_window).citation_bars[copy_window.entity_tabs["source"]]
    assert set(bar.buttons.buttons) == {"english", "gost", "dstu", "barch", "nara"}
    clipboard = QGuiApplication.clipboard()
    qtbot.mouseClick(bar.buttons.buttons["nara"], Qt.MouseButton.LeftButton)
    assert clipboard.text() == "NARA, T-120, roll 2345, frames 123456–60"
    copy_window.open_record("source/kyiv")
    qtbot.mouseClick(bar.buttons.buttons["dstu"], Qt.MouseButton.LeftButton)
    assert clipboard.text() == "ЦДАВО України. Ф. 1429. Оп. 1. Спр. 5. Арк. 5 зв."
    menu_texts = []
    from PySide6.QtWidgets import QMenu

    tab = copy_window.entity_tabs["source"]
    menu = QMenu(tab)
    tab.fill_context_menu(menu, "source/original")
    menu_texts = [a.text() for a in menu.actions() if a.text().startswith("Copy reference")]
    assert "Copy reference as Bundesarchiv" in menu_texts and len(menu_texts) == 5
