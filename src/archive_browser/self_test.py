"""`archive-browser self-test`: prove that this installation works, offline.

Run inside the frozen build by the test suite; any failure prints one line and exits 1.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from archive_browser import __version__


class SelfTestFailure(Exception):
    pass


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestFailure(message)


def _archive_checks(archive_path: Path | None) -> None:
    from archive_browser.core.archive import Archive, ArchiveError

    try:
        archive = Archive.open(archive_path)
    except ArchiveError as exc:
        raise SelfTestFailure(str(exc)) from None
    with archive:
        try:
            archive.conn.execute("CREATE TABLE self_test_probe (x)")
        except sqlite3.OperationalError:
            pass
        else:
            raise SelfTestFailure("the archive was opened writable; it must be read-only")
        options = {r[0] for r in archive.conn.execute("PRAGMA compile_options")}
        _check("ENABLE_FTS5" in options, "this SQLite has no FTS5")
        for query, expected in (
            ("Lipetsk", "site/lipetsk"),
            ("Липецк", "site/lipetsk"),
            ("Tuchatschewski", "person/tukhachevsky"),
        ):
            hits = archive.search(query, limit=50)
            _check(
                any(h.id == expected for h in hits), f"search for {query!r} did not find {expected}"
            )
        print(f"archive: {archive.path} ({archive.meta.get('record_count')} records, read-only) ok")


# Icons the window draws (record types, navigation, the program's own).
_ICONS = ("app", "person", "site", "event", "source", "back", "forward", "search")


def _resource_checks() -> None:
    """The program's package data is installed and readable: a wheel or a frozen build that
    lacks it would otherwise answer "no citation found" or draw no icons, silently."""
    from archive_browser.core import citations, paths
    from archive_browser.core.citations.authority import AuthorityError
    from archive_browser.core.geo import load_basemap

    try:
        found = citations.parse_citations("RGVA f. 33987, op. 3, d. 497")
    except AuthorityError as exc:
        raise SelfTestFailure(str(exc)) from None
    _check(bool(found), "the citation authority list recognised no archive in a plain citation")
    icons = paths.resources_dir() / "icons"
    missing = [name for name in _ICONS if not (icons / f"{name}.svg").is_file()]
    _check(not missing, f"icons missing from {paths.RESOURCES_PACKAGE}: {', '.join(missing)}")
    try:
        basemap = load_basemap()
    except (OSError, ValueError, KeyError) as exc:
        raise SelfTestFailure(f"the base map could not be read: {exc}") from None
    _check(bool(basemap.rings), "the base map has no coastlines")
    print("resources: ok")


def _userstore_checks() -> None:
    from archive_browser.core.store import UserStore

    with tempfile.TemporaryDirectory(prefix="archive-browser-self-test-") as folder:
        with UserStore.open(Path(folder) / "notes.sqlite3") as store:
            note = store.add_note("self-test", "person/seeckt", "Проверка — test")
            _check(
                [n.text for n in store.notes("self-test")] == [note.text],
                "a note written to the user store was not read back",
            )
    print("user store: ok")


def _window_checks(archive_path: Path | None) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from archive_browser.ui.app import WindowCheckError, build_window_for_self_test

    try:
        build_window_for_self_test(archive_path)
    except WindowCheckError as exc:
        raise SelfTestFailure(str(exc)) from None
    print("window: ok")


def run_self_test(archive_path: Path | None, gui: bool = True) -> int:
    print(
        f"archive-browser {__version__}, Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
    steps: list[Callable[[], None]] = [
        lambda: _archive_checks(archive_path),
        _resource_checks,
        _userstore_checks,
    ]
    if gui:
        steps.append(lambda: _window_checks(archive_path))
    try:
        for step in steps:
            step()
    except SelfTestFailure as exc:
        print(f"self-test failed: {exc}", file=sys.stderr)
        return 1
    print("self-test passed")
    return 0
