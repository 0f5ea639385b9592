"""The Linux desktop entry: where it goes, what it says, and that a desktop would run it."""

from __future__ import annotations

import configparser
import shlex
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

from archive_browser.core import desktop


def test_data_home_follows_xdg_and_ignores_a_relative_value() -> None:
    home = PurePosixPath("/home/historian")
    assert desktop.data_home({}, home) == Path("/home/historian/.local/share")
    assert desktop.data_home({"XDG_DATA_HOME": "/data"}, home) == Path("/data")
    assert desktop.data_home({"XDG_DATA_HOME": "rel/dir"}, home) == Path(
        "/home/historian/.local/share"
    )


def test_entry_and_icon_go_where_desktops_look() -> None:
    paths = desktop.desktop_paths(Path("/x"))
    assert paths.entry == Path("/x/applications/archive-browser.desktop")
    assert paths.icon == Path("/x/icons/hicolor/scalable/apps/archive-browser.svg")


def test_frozen_program_starts_itself_and_source_install_runs_the_package() -> None:
    assert desktop.program_command("/opt/ab/archive-browser", frozen=True) == [
        "/opt/ab/archive-browser"
    ]
    assert desktop.program_command("/usr/bin/python3", frozen=False) == [
        "/usr/bin/python3",
        "-m",
        "archive_browser",
    ]


def parse_entry(text: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return parser["Desktop Entry"]


def test_exec_line_quotes_a_path_with_spaces_and_dollar_signs() -> None:
    command = ["/home/a b/$HOME/archive-browser", "-m", "archive_browser"]
    entry = parse_entry(desktop.desktop_entry_text(command, Path("/i.svg")))
    # Undo the string escape, then let a real shell split the quoted words: the spec's
    # quoting is a subset of the shell's double quotes.
    quoted = entry["Exec"].replace("\\\\", "\\")
    words = subprocess.run(
        ["sh", "-c", f"printf '%s\\0' {quoted}"], capture_output=True, text=True, check=True
    ).stdout.split("\0")[:-1]
    assert words == command
    assert entry["Type"] == "Application"
    assert entry["Icon"] == "/i.svg"
    assert entry["Name[ru]"] == "Обозреватель архива"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux desktop feature")
def test_install_writes_entry_and_icon_and_replaces_its_own(tmp_path: Path) -> None:
    first = desktop.install_desktop_entry(b"<svg/>", base=tmp_path)
    again = desktop.install_desktop_entry(b"<svg>2</svg>", base=tmp_path)
    assert first == again
    assert again.icon.read_bytes() == b"<svg>2</svg>"
    entry = parse_entry(again.entry.read_text(encoding="utf-8"))
    assert shlex.split(entry["Exec"])[0] == sys.executable
    assert not list(tmp_path.rglob("*.tmp"))


def test_install_into_an_unwritable_place_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "applications"
    blocker.write_text("a file where a folder must be")
    with pytest.raises(desktop.DesktopEntryError, match="cannot write the desktop entry"):
        desktop.install_desktop_entry(b"<svg/>", base=tmp_path)
