"""What differs between Linux, Windows and macOS, each behind one small function.

Every function takes the platform (`sys.platform`: "linux", "win32", "darwin") and the
user's home folder, and returns pure paths (`PureWindowsPath` for Windows), so the tests run
every platform's branch on Linux. Only Linux is run for real here (docs/packaging.md,
"Windows and macOS").
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

APP_NAME = "archive-browser"


def is_windows(platform: str) -> bool:
    return platform.startswith("win")


def is_macos(platform: str) -> bool:
    return platform == "darwin"


def pure_path(platform: str, path: str | PurePath) -> PurePath:
    """`path` as the platform spells it."""
    return PureWindowsPath(path) if is_windows(platform) else PurePosixPath(path)


@dataclass(frozen=True)
class UserFolders:
    data: PurePath  # notes, bookmarks
    config: PurePath  # window settings


def user_folders(platform: str, home: str | PurePath, environ: Mapping[str, str]) -> UserFolders:
    """The program's folders in the user's profile, where platformdirs (with
    `appauthor=False`, not roaming) puts them:

    - Windows: `%LOCALAPPDATA%\\archive-browser` for both (set in every Windows session;
      `AppData\\Local` under the profile otherwise);
    - macOS: `~/Library/Application Support/archive-browser` for both;
    - Linux and other Unix: `$XDG_DATA_HOME` (`~/.local/share`) and `$XDG_CONFIG_HOME`
      (`~/.config`), each with `archive-browser` added.
    """
    home_path = pure_path(platform, home)
    if is_windows(platform):
        local = environ.get("LOCALAPPDATA", "").strip()
        base = PureWindowsPath(local) if local else home_path / "AppData" / "Local"
        return UserFolders(base / APP_NAME, base / APP_NAME)
    if is_macos(platform):
        support = home_path / "Library" / "Application Support" / APP_NAME
        return UserFolders(support, support)

    def xdg(variable: str, default: PurePath) -> PurePath:
        value = environ.get(variable, "").strip()
        # The XDG spec ignores a relative path; so does platformdirs.
        return PurePosixPath(value) if value.startswith("/") else default

    return UserFolders(
        xdg("XDG_DATA_HOME", home_path / ".local" / "share") / APP_NAME,
        xdg("XDG_CONFIG_HOME", home_path / ".config") / APP_NAME,
    )


_XDG_DOCUMENTS = re.compile(r"^\s*XDG_DOCUMENTS_DIR\s*=\s*(.+?)\s*$", re.MULTILINE)


def default_document_folder(platform: str, home: str | PurePath, user_dirs: str = "") -> PurePath:
    """Where an open or save dialog starts: the user's Documents folder.

    On Linux its name is the desktop language's ("Документы", "Dokumente"), written by
    xdg-user-dirs into `~/.config/user-dirs.dirs`, whose text is `user_dirs`; without an
    entry it is `~/Documents`. Windows and macOS call it Documents in every language (the
    localised name is only shown). A Windows Documents folder moved elsewhere (OneDrive) is
    not seen here: only the runner would show whether that matters.
    """
    home_path = pure_path(platform, home)
    if not is_windows(platform) and not is_macos(platform):
        match = _XDG_DOCUMENTS.search(user_dirs)
        if match:
            try:
                words = shlex.split(match.group(1))
            except ValueError:
                words = []
            if len(words) == 1:
                value = words[0].replace("$HOME", str(home_path))
                # xdg-user-dirs sets the folder to $HOME itself when it has none.
                if value.startswith("/"):
                    return PurePosixPath(value)
    return home_path / "Documents"


def document_folder() -> Path:
    """This user's Documents folder (`default_document_folder` for the running system), or
    the home folder when that does not exist: where the open and import dialogs start."""
    home = Path.home()
    user_dirs = ""
    if not is_windows(sys.platform) and not is_macos(sys.platform):
        config = os.environ.get("XDG_CONFIG_HOME", "").strip()
        config_folder = Path(config) if config.startswith("/") else home / ".config"
        try:
            user_dirs = (config_folder / "user-dirs.dirs").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            user_dirs = ""
    folder = Path(default_document_folder(sys.platform, home, user_dirs))
    return folder if folder.is_dir() else home


# Sans-serif families with Cyrillic, German and Latin-extended letters, best first, that come
# with each system; Qt falls back through them for a character the first one lacks.
FONT_FALLBACKS = {
    "windows": ("Segoe UI", "Arial", "Tahoma"),
    "macos": ("Helvetica Neue", "PT Sans", "Arial"),
    "linux": ("Noto Sans", "DejaVu Sans", "Liberation Sans"),
}


def font_fallbacks(platform: str) -> tuple[str, ...]:
    """The font families for Cyrillic and German text on `platform` (docs/platform.md)."""
    if is_windows(platform):
        return FONT_FALLBACKS["windows"]
    if is_macos(platform):
        return FONT_FALLBACKS["macos"]
    return FONT_FALLBACKS["linux"]


# Names Windows keeps for devices, with any extension ("con.md" too), in any case.
_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
    *(f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")),
}  # fmt: skip
# Windows forbids these characters and control characters; `/` and `\` also separate folders.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
# What is kept as it is: letters and digits of any script (Cyrillic names stay readable),
# `.`, `_` and `-`; anything else (spaces, punctuation, Obsidian's `#`, `[`) becomes `-`.
_NOT_PORTABLE = re.compile(r"[^\w.-]+")
MAX_STEM = 120  # characters; Cyrillic is 2 bytes in UTF-8, and ext4 allows 255 bytes


def portable_file_name(stem: str, suffix: str, fallback: str = "record") -> str:
    """`stem` + `suffix` as a file name valid on Windows, macOS and Linux alike: no forbidden
    characters, no trailing dots or spaces, no reserved device name, at most MAX_STEM
    characters, Unicode in NFC (macOS may store NFD; the name compares equal either way)."""
    text = unicodedata.normalize("NFC", stem)
    text = _FORBIDDEN.sub("-", text)
    text = _NOT_PORTABLE.sub("-", text)
    text = re.sub(r"-{2,}", "-", text)
    text = text[:MAX_STEM].strip(".- _") or fallback
    head, dot, rest = text.partition(".")
    if head.upper() in _WINDOWS_RESERVED:  # "con.txt" is the device too: mend the head
        text = f"{head}_{dot}{rest}"
    return f"{text}{suffix}"
