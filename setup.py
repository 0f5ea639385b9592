"""The wheel's one build step beyond setuptools: the bundled archive, built from data/*.csv.

Everything else is in pyproject.toml. The archive is built by the program's own importer
(from src/, whose build-time needs are listed in [build-system] requires) into
`archive_browser/data/archive.db` of the wheel, so an installed program opens it read-only
from site-packages like any package data. An editable install keeps using the checkout's
`data/archive.db` (`archive-browser build --if-stale`). See docs/packaging.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithArchive(build_py):
    """build_py, then the archive written into the built package (never into src/)."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        sys.path.insert(0, str(ROOT / "src"))
        try:
            from archive_browser.core import paths
            from archive_browser.core.importer import build_archive
        finally:
            sys.path.remove(str(ROOT / "src"))
        target = Path(self.build_lib) / "archive_browser" / "data" / paths.ARCHIVE_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        # A BuildError (a broken data/*.csv) fails the build: no wheel without its archive.
        report = build_archive(
            [ROOT / "data"],
            target,
            archive_id=paths.BUNDLED_ARCHIVE_ID,
            title=paths.BUNDLED_ARCHIVE_TITLE,
        )
        print(f"bundled archive: {report.records} records -> {target}")


setup(
    cmdclass={"build_py": BuildPyWithArchive},
    # setuptools' default build folder is build/, which holds this project's own packaging
    # scripts: keep its scratch files out of the way.
    options={"build": {"build_base": ".cache/setuptools-build"}},
)
