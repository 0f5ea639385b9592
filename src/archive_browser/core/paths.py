"""Where the program's own files and the user's files live.

The program never writes next to itself: it must run from a read-only install. The bundled
archive is `data/archive.db` of the checkout (built from `data/*.csv`), `data/archive.db` in
PyInstaller's unpack folder when frozen, or package data `archive_browser/data/archive.db`
when installed from a wheel (built at wheel-build time by `setup.py`; docs/packaging.md). The
program's reference files (icons, base map, authority list) are package data of
`archive_browser.resources`, read with importlib.resources, so a checkout, a wheel and the
frozen build find them the same way.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from archive_browser.core.platforms import UserFolders

APP_NAME = "archive-browser"

ARCHIVE_ENV = "ARCHIVE_BROWSER_ARCHIVE"
DATA_DIR_ENV = "ARCHIVE_BROWSER_DATA_DIR"


# The archive every installation carries, and how `archive-browser build` names it.
BUNDLED_ARCHIVE_ID = "bundled"
BUNDLED_ARCHIVE_TITLE = "Soviet-German military cooperation, 1919-1941"
ARCHIVE_FILE = "archive.db"

_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # .../archive_browser


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def checkout_root() -> Path | None:
    """The source checkout this package runs from, or None (installed, or frozen)."""
    if is_frozen():
        return None
    # src/archive_browser/core/paths.py -> the checkout root, recognised by its project file;
    # an installed package's parents[1] is site-packages/, whose parent holds no pyproject.toml.
    root = _PACKAGE_DIR.parents[1]
    in_checkout = _PACKAGE_DIR.parent.name == "src" and (root / "pyproject.toml").is_file()
    return root if in_checkout else None


def install_root() -> Path:
    """The folder holding `data/`: the checkout, the frozen bundle, or the installed package."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return checkout_root() or _PACKAGE_DIR


def data_dir() -> Path:
    return install_root() / "data"


RESOURCES_PACKAGE = "archive_browser.resources"


def resources_dir() -> Traversable:
    """The program's reference files: `icons/`, `basemap/`, the authority list."""
    from importlib import resources  # 15 ms on its own: not for the scripting commands

    return resources.files(RESOURCES_PACKAGE)


def bundled_archive_path() -> Path:
    """The archive shipped with the program. In an installed wheel it is package data, a real
    file beside the modules (SQLite needs a path, so importlib.resources would only add
    its import time here); a wheel built without it fails loudly when opened, naming it."""
    return data_dir() / ARCHIVE_FILE


def default_archive_path() -> Path:
    """The archive to open: `$ARCHIVE_BROWSER_ARCHIVE`, else the bundled one."""
    override = os.environ.get(ARCHIVE_ENV)
    return Path(override) if override else bundled_archive_path()


def default_file_folder() -> Path:
    """Where every file dialog starts: the user's Documents folder, else the home folder;
    never the working folder, which is the program's, not the user's (core/platforms.py knows
    each system's Documents, the localised XDG one included)."""
    from archive_browser.core.platforms import document_folder

    return document_folder()


def user_data_dir() -> Path:
    """The user's own folder (notes, bookmarks): `$ARCHIVE_BROWSER_DATA_DIR`, else the
    platform's (core/platforms.py: `~/.local/share/archive-browser` on Linux)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(_user_folders().data)


def collections_dir() -> Path:
    """Where `archive-browser import FILE` puts the user's collections (one SQLite file each)."""
    return user_data_dir() / "collections"


def user_config_dir() -> Path:
    """The window's settings folder (`~/.config/archive-browser` on Linux)."""
    return Path(_user_folders().config)


def _user_folders() -> UserFolders:
    # Deferred: the platform rules are only needed when no environment variable names a folder.
    from archive_browser.core.platforms import user_folders

    return user_folders(sys.platform, Path.home(), os.environ)
