"""Where the program's own files and the user's files live.

The program never writes next to itself: it must run from a read-only install. The bundled
archive is found relative to the checkout, or to PyInstaller's unpack folder when frozen; the
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

APP_NAME = "archive-browser"

ARCHIVE_ENV = "ARCHIVE_BROWSER_ARCHIVE"
DATA_DIR_ENV = "ARCHIVE_BROWSER_DATA_DIR"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def install_root() -> Path:
    """The folder holding `data/`: the checkout, or the frozen bundle."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    # src/archive_browser/core/paths.py -> the checkout root
    return Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    return install_root() / "data"


RESOURCES_PACKAGE = "archive_browser.resources"


def resources_dir() -> Traversable:
    """The program's reference files: `icons/`, `basemap/`, the authority list."""
    from importlib import resources  # 15 ms on its own: not for the scripting commands

    return resources.files(RESOURCES_PACKAGE)


def bundled_archive_path() -> Path:
    return data_dir() / "archive.db"


def default_archive_path() -> Path:
    """The archive to open: `$ARCHIVE_BROWSER_ARCHIVE`, else the bundled one."""
    override = os.environ.get(ARCHIVE_ENV)
    return Path(override) if override else bundled_archive_path()


def user_data_dir() -> Path:
    """The user's own folder (notes, bookmarks): `$ARCHIVE_BROWSER_DATA_DIR` or platformdirs."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs  # 6 ms: not at start-up, before the window is on screen

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def collections_dir() -> Path:
    """Where `archive-browser import FILE` puts the user's collections (one SQLite file each)."""
    return user_data_dir() / "collections"
