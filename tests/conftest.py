"""Shared fixtures. Qt must be told to draw offscreen before anything imports it."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from helpers.windows import wait_loaded

if TYPE_CHECKING:
    from archive_browser.core.archive import Archive
    from archive_browser.core.store import UserStore
    from archive_browser.ui.widgets.main_window import MainWindow

# Without a display pytest would abort without a word (docs/platform.md).
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


@pytest.fixture(scope="session")
def built_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled archive, built from data/ by the real importer into a private folder."""
    from archive_browser.core.importer import build_archive

    out = tmp_path_factory.mktemp("archive") / "archive.db"
    build_archive(
        DATA, out, archive_id="bundled", title="Soviet-German military cooperation, 1919-1941"
    )
    return out


@pytest.fixture
def archive(built_archive: Path) -> Iterator[Archive]:
    from archive_browser.core.archive import Archive

    opened = Archive.open(built_archive)
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def private_user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own notes folder: nothing touches the developer's real notes."""
    folder = tmp_path / "user-data"
    monkeypatch.setenv("ARCHIVE_BROWSER_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def bundled_env(built_archive: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the program (and any subprocess it starts) at the test-built archive."""
    monkeypatch.setenv("ARCHIVE_BROWSER_ARCHIVE", str(built_archive))
    return built_archive


@pytest.fixture
def make_archive(tmp_path: Path) -> Callable[..., Path]:
    """Build a small archive from CSV lines: {"people.csv": ["id,name,...", "..."]}."""
    from archive_browser.core.importer import build_archive

    counter = iter(range(1000))

    def make(files: dict[str, list[str]], name: str | None = None) -> Path:
        number = next(counter)
        folder = tmp_path / f"csv-{number}"
        folder.mkdir()
        for file_name, lines in files.items():
            (folder / file_name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        out = tmp_path / (name or f"archive-{number}.db")
        build_archive(folder, out)
        return out

    return make


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Where a test's own notes store lives (a folder the store may create)."""
    return tmp_path / "user" / "notes.sqlite3"


@pytest.fixture
def store(store_path: Path) -> Iterator[UserStore]:
    """A fresh user store (notes, bookmarks, tags), closed after the test."""
    from archive_browser.core.store import UserStore

    opened = UserStore.open(store_path)
    yield opened
    opened.close()


@pytest.fixture
def window_on(qtbot) -> Iterator[Callable[[Archive], MainWindow]]:
    """Opens the program's window on an archive: shown, every tab's first rows loaded.

    Each window is closed after the test, and so is an archive it opened itself (File ▸ Open);
    the archive handed in stays its owner's to close.
    """
    from archive_browser.ui.app import create_window, make_settings

    opened: list[tuple[MainWindow, Archive]] = []

    def open_window(archive: Archive) -> MainWindow:
        from archive_browser.ui.widgets.main_window import PREFERRED_SIZE

        win = create_window(archive, make_settings())
        qtbot.addWidget(win)
        # The size a roomy screen gets (the offscreen screen is smaller: the window would fit
        # itself to it); tests of a small screen resize the window themselves.
        win.resize(*PREFERRED_SIZE)
        win.show()
        wait_loaded(qtbot, win)
        opened.append((win, archive))
        return win

    yield open_window
    for win, archive in opened:
        win.close()
        if win.archive is not archive:
            win.archive.close()


@pytest.fixture
def window(archive: Archive, window_on: Callable[[Archive], MainWindow]) -> MainWindow:
    """The window on `archive` (the bundled one unless a test module overrides `archive`)."""
    return window_on(archive)


@pytest.fixture(scope="module")
def report_counts(request: pytest.FixtureRequest) -> Iterator[None]:
    """Reports what a reliability module really ran (kills, fuzz cases, faults injected).

    The module keeps `COUNTS`, a Counter of what -> how many; after its last test the counts
    are appended as JSON lines to `$ARCHIVE_BROWSER_COUNTS_FILE` when that is set
    (scripts/reliability_full.sh sums them for docs/reliability.md). Use it with
    `pytestmark = pytest.mark.usefixtures("report_counts")`.
    """
    counts: Counter[str] = request.module.COUNTS
    yield
    target = os.environ.get("ARCHIVE_BROWSER_COUNTS_FILE")
    if target:
        name = Path(request.module.__file__).name
        with open(target, "a", encoding="utf-8") as out:
            for what, count in sorted(counts.items()):
                out.write(json.dumps({"file": name, "what": what, "count": count}) + "\n")
