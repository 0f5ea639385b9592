"""Take the documentation's screenshots of every tab: `python scripts/screenshots.py`.

Builds the bundled archive into a temporary folder, then runs the real program on a private
virtual screen (Xvfb, 1280x800) once per tab, starting on a chosen record, with settings in
the temporary folder so the developer's own window settings are neither used nor changed,
and saves the screen with ImageMagick's `import`. Writes `docs/screenshots/<tab>.png`.

Needs `Xvfb` and `import` (Debian: `xvfb imagemagick`) and Qt's xcb libraries
(docs/platform.md).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCREEN = "1280x800x24"
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
    env.pop("QT_QPA_PLATFORM", None)  # a real X window, not offscreen
    display = f":{random.randint(90, 189)}"
    screen = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", SCREEN, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    program = None
    try:
        time.sleep(1)  # Xvfb accepts clients after a moment
        env["DISPLAY"] = display
        program = subprocess.Popen([sys.executable, "-m", "archive_browser"], env=env, cwd=REPO)
        time.sleep(seconds)
        if program.poll() is not None:
            raise SystemExit(f"the program ended (exit {program.returncode}) before the picture")
        subprocess.run(
            ["import", "-window", "root", str(target)],
            env=dict(os.environ, DISPLAY=display),
            check=True,
        )
    finally:
        if program is not None:
            program.terminate()
            program.wait(timeout=10)
        screen.terminate()
        screen.wait(timeout=10)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tabs", nargs="*", default=list(SHOTS), help="tabs to take")
    parser.add_argument("--seconds", type=int, default=5, help="wait before the picture")
    args = parser.parse_args()
    missing = [tool for tool in ("Xvfb", "import") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"Install {' and '.join(missing)} first (Debian: xvfb imagemagick).")
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
