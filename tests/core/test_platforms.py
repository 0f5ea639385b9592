"""Windows and macOS code paths, run here on Linux with pure paths (issue 23, point 7).

Where platformdirs can compute another platform's folder on Linux (macOS, Unix), our answer
is checked against it; Windows' folders need its Known Folder API, so they are checked
against the documented layout (%LOCALAPPDATA%).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from platformdirs.macos import MacOS
from platformdirs.unix import Unix

from archive_browser.core.export import write_notes_markdown_split
from archive_browser.core.export.notes_markdown import record_file_name
from archive_browser.core.platforms import (
    MAX_STEM,
    default_document_folder,
    font_fallbacks,
    portable_file_name,
    user_folders,
)
from archive_browser.core.records import RecordInfo
from archive_browser.core.store import UserStore

WINDOWS_HOME = PureWindowsPath(r"C:\Users\Anna")


def test_windows_user_folders_are_in_local_app_data() -> None:
    environ = {"LOCALAPPDATA": r"D:\Profiles\Anna\AppData\Local"}
    folders = user_folders("win32", WINDOWS_HOME, environ)
    expected = PureWindowsPath(r"D:\Profiles\Anna\AppData\Local\archive-browser")
    assert folders.data == expected and folders.config == expected
    assert isinstance(folders.data, PureWindowsPath)
    # Without the variable: the profile's own AppData\Local.
    fallback = user_folders("win32", WINDOWS_HOME, {}).data
    assert fallback == PureWindowsPath(r"C:\Users\Anna\AppData\Local\archive-browser")
    assert str(fallback) == r"C:\Users\Anna\AppData\Local\archive-browser"


def test_macos_user_folders_match_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/Users/anna")
    folders = user_folders("darwin", "/Users/anna", {})
    reference = MacOS("archive-browser", appauthor=False)
    assert folders.data == PurePosixPath(reference.user_data_dir)
    assert folders.config == PurePosixPath(reference.user_config_dir)
    assert folders.data == PurePosixPath("/Users/anna/Library/Application Support/archive-browser")


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"XDG_DATA_HOME": "/data/anna", "XDG_CONFIG_HOME": "/conf/anna"},
        {"XDG_DATA_HOME": "relative/ignored", "XDG_CONFIG_HOME": "  "},
    ],
)
def test_linux_user_folders_match_platformdirs(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str]
) -> None:
    monkeypatch.setenv("HOME", "/home/anna")
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environ.items():
        monkeypatch.setenv(variable, value)
    folders = user_folders("linux", "/home/anna", environ)
    reference = Unix("archive-browser", appauthor=False)
    assert folders.data == PurePosixPath(reference.user_data_dir)
    assert folders.config == PurePosixPath(reference.user_config_dir)


def test_the_program_keeps_notes_where_the_platform_function_says(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from archive_browser.core import paths

    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert paths.user_data_dir() == tmp_path / "data" / "archive-browser"
    assert paths.user_config_dir() == tmp_path / "config" / "archive-browser"


def test_documents_folder_per_platform() -> None:
    assert default_document_folder("win32", WINDOWS_HOME) == PureWindowsPath(
        r"C:\Users\Anna\Documents"
    )
    assert default_document_folder("darwin", "/Users/anna") == PurePosixPath(
        "/Users/anna/Documents"
    )
    assert default_document_folder("linux", "/home/anna") == PurePosixPath("/home/anna/Documents")


def test_linux_documents_folder_in_the_desktops_language() -> None:
    # What xdg-user-dirs writes under a Russian desktop (comment lines included).
    user_dirs = (
        "# This file is written by xdg-user-dirs-update\n"
        'XDG_DESKTOP_DIR="$HOME/Рабочий стол"\n'
        'XDG_DOCUMENTS_DIR="$HOME/Документы"\n'
    )
    assert default_document_folder("linux", "/home/anna", user_dirs) == PurePosixPath(
        "/home/anna/Документы"
    )
    absolute = 'XDG_DOCUMENTS_DIR="/srv/papers"\n'
    assert default_document_folder("linux", "/home/anna", absolute) == PurePosixPath("/srv/papers")
    # A broken line is not a folder: the default stays.
    broken = 'XDG_DOCUMENTS_DIR="$HOME/unterminated\n'
    assert default_document_folder("linux", "/home/anna", broken) == PurePosixPath(
        "/home/anna/Documents"
    )
    # The entry is a Linux desktop's: Windows ignores it.
    assert default_document_folder("win32", WINDOWS_HOME, user_dirs).name == "Documents"


def test_font_fallbacks_name_a_cyrillic_family_each_system_ships() -> None:
    assert font_fallbacks("win32")[0] == "Segoe UI"
    assert "PT Sans" in font_fallbacks("darwin")  # Paratype's Cyrillic family, on every Mac
    # The README's font package is fonts-dejavu-core.
    assert "DejaVu Sans" in font_fallbacks("linux")
    assert font_fallbacks("freebsd") == font_fallbacks("linux")


def valid_on_windows(name: str) -> bool:
    path = PureWindowsPath(name)
    return (
        path.name == name  # no separator, no drive
        and not path.is_reserved()
        and not any(ch in name for ch in '<>:"/\\|?*')
        and not any(ord(ch) < 32 for ch in name)
        and not name.endswith((".", " "))
        and len(name.encode("utf-8")) <= 255
    )


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("person-seeckt", "person-seeckt.md"),
        ("CON", "CON_.md"),
        ("nul", "nul_.md"),
        ("com1", "com1_.md"),
        ("LPT9.txt", "LPT9_.txt.md"),
        ("aux.", "aux_.md"),
        ('a<b>c:d"e|f?g*h', "a-b-c-d-e-f-g-h.md"),
        ("back\\slash/and/slash", "back-slash-and-slash.md"),
        ("trailing dots...", "trailing-dots.md"),
        ("trailing spaces   ", "trailing-spaces.md"),
        ("tab\tand\nnewline", "tab-and-newline.md"),
        ("person-тухачевский", "person-тухачевский.md"),
        ("...", "record.md"),
        ("", "record.md"),
    ],
)
def test_portable_file_names_are_valid_on_windows(stem: str, expected: str) -> None:
    name = portable_file_name(stem, ".md")
    assert name == expected
    assert valid_on_windows(name), name


def test_python_itself_calls_the_unsanitized_names_reserved() -> None:
    # The check above can fail: PureWindowsPath knows the reserved names we avoid.
    assert PureWindowsPath("CON.md").is_reserved()
    assert PureWindowsPath("com1.md").is_reserved()


def test_long_cyrillic_names_stay_within_every_file_systems_limit() -> None:
    name = portable_file_name("person-" + "щ" * 400, ".md")
    assert len(name) == MAX_STEM + len(".md")
    assert valid_on_windows(name)


def test_markdown_split_writes_windows_valid_names(tmp_path: Path) -> None:
    """An archive built by a user may have any ids; each record's file must be creatable on
    Windows, and two ids that clean up to one name still give two files."""
    hostile_ids = ["con", "aux/", "person/a:b", "person/a?b", "site/trailing. ", "lpt1.md"]
    records = {rid: RecordInfo(rid, "person", f"Title of {rid}", []) for rid in hostile_ids}
    store = UserStore.open(tmp_path / "notes.sqlite3")
    try:
        for record_id in hostile_ids:
            store.add_note("mine", record_id, f"note on {record_id}")
        files = write_notes_markdown_split(store, "mine", records.get, tmp_path / "out")
    finally:
        store.close()
    names = [path.name for path in files]
    assert len(names) == len(hostile_ids) == len({n.casefold() for n in names})
    assert all(valid_on_windows(name) for name in names), names
    windows_folder = PureWindowsPath(r"C:\Users\Anna\Documents\vault")
    assert all((windows_folder / name).parent == windows_folder for name in names)
    assert record_file_name("con") == "con_.md"


def test_the_dialogs_start_in_this_users_documents_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from archive_browser.core.platforms import document_folder

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    (tmp_path / ".config").mkdir()
    (tmp_path / ".config" / "user-dirs.dirs").write_text(
        'XDG_DOCUMENTS_DIR="$HOME/Документы"\n', encoding="utf-8"
    )
    # Named but not there (never created): the home folder, not a dialog in nowhere.
    assert document_folder() == tmp_path
    (tmp_path / "Документы").mkdir()
    assert document_folder() == tmp_path / "Документы"
