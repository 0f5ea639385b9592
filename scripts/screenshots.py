"""Take the documentation's screenshots of every tab: `python scripts/screenshots.py`.

Builds the bundled archive into a temporary folder, then runs the real program on a private
virtual screen (`../shared/tools/screenshot`, which installs Xvfb when missing) once per
tab, starting on a chosen record, with settings in the temporary folder so the developer's
own window settings are neither used nor changed. Writes `docs/screenshots/<tab>.png`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOOL = REPO.parent / "shared" / "tools" / "screenshot"
OUT = REPO / "docs" / "screenshots"

# tab -> (record shown, filter typed into the tab or "")
SHOTS: dict[str, tuple[str, str]] = {
    "people": ("person/seeckt", ""),
    "sites": ("site/lipetsk", ""),
    "chronology": ("event/rapallo-treaty", ""),
    "sources": ("source/rgva", ""),
}


def build(folder: Path) -> Path:
    sys.path.insert(0, str(REPO / "src"))
    from archive_browser.core.importer import build_archive

    out = folder / "archive.db"
    build_archive(
        REPO / "data",
        out,
        archive_id="bundled",
        title="Soviet-German military cooperation, 1919-1941",
    )
    return out


def shoot(name: str, record_id: str, archive: Path, folder: Path, seconds: int) -> Path:
    target = OUT / f"{name}.png"
    env = dict(
        os.environ,
        ARCHIVE_BROWSER_ARCHIVE=str(archive),
        ARCHIVE_BROWSER_DATA_DIR=str(folder / "user"),
        ARCHIVE_BROWSER_SETTINGS=str(folder / f"{name}.ini"),
        ARCHIVE_BROWSER_START_TAB=name,
        ARCHIVE_BROWSER_START_RECORD=record_id,
    )
    command = [str(TOOL), str(target), str(seconds), "--", sys.executable, "-m", "archive_browser"]
    subprocess.run(command, env=env, check=True, cwd=REPO)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tabs", nargs="*", default=list(SHOTS), help="tabs to take")
    parser.add_argument("--seconds", type=int, default=5, help="wait before the picture")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="archive-browser-shots-") as tmp:
        folder = Path(tmp)
        archive = build(folder)
        for name in args.tabs:
            record_id, _ = SHOTS[name]
            print(shoot(name, record_id, archive, folder, args.seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
