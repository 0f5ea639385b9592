"""Where file dialogs start (issue 18): the user's Documents folder, else home."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive_browser.core.paths import default_file_folder


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    # No user-dirs.dirs to name another Documents folder.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)  # the working folder, which must not be chosen
    return home


def test_documents_when_the_user_has_that_folder(home: Path) -> None:
    (home / "Documents").mkdir()
    assert default_file_folder() == home / "Documents"


def test_home_when_there_is_no_documents_folder(home: Path) -> None:
    assert default_file_folder() == home
    assert default_file_folder() != Path.cwd()
