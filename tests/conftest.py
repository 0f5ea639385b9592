"""Shared fixtures. Qt must be told to draw offscreen before anything imports it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Without a display pytest would abort without a word (design.md §4).
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SHARED = REPO.parent / "shared"


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
def archive(built_archive: Path) -> Iterator[object]:
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
def make_archive(tmp_path: Path):  # -> Callable[[dict[str, list[str]]], Path]
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
