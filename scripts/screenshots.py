"""Take the documentation's screenshots of every tab: `python scripts/screenshots.py`.

Builds the bundled archive into a temporary folder, then runs the real program on a private
virtual screen (Xvfb) once per tab and screen size (1440x900 and 1024x700, the window filling
the screen), starting on a chosen record, with settings in the temporary folder so the
developer's own window settings are neither used nor changed, and saves the screen with
ImageMagick's `import`. Writes `docs/screenshots/<tab>-<width>.png` (`people-1024.png`).

Needs `Xvfb`, `import` and `convert` (Debian: `xvfb imagemagick`) and Qt's xcb libraries
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
# Screen sizes: a common laptop, and the small screen the layout must still serve.
SCREENS = ((1440, 900), (1024, 700))
OUT = REPO / "docs" / "screenshots"

# tab -> (record shown, filter typed into the tab or "")
SHOTS: dict[str, tuple[str, str]] = {
    "people": ("person/seeckt", ""),
    "sites": ("site/lipetsk", ""),
    "chronology": ("event/rapallo-treaty", ""),
    "sources": ("source/rgva", ""),
    "notebook": ("", ""),
}
# The user's own work that the Notebook (and the notes under a record) show: bookmarks and
# notes about how to go on, in our words; no claims about the history itself.
BOOKMARKS = ("person/seeckt", "person/guderian", "site/lipetsk", "event/rapallo-treaty")
NOTES = {
    "person/seeckt": "Read his entry beside the Rapallo treaty; compare the dates.\n"
    "Next: the quotes marked as reconstructed — check them against the printed edition.",
    "site/lipetsk": "Look for the RGVA files cited on this page in the finding aid.",
    "source/rgva": "Which opisi are open to readers? Ask the reading room.",
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


def seed_user_store(folder: Path, archive: Path) -> None:
    """Bookmarks and notes in the screenshots' private user folder."""
    from archive_browser.core.archive import Archive
    from archive_browser.core.store import UserStore

    with Archive.open(archive) as opened:
        archive_id = opened.archive_id
    (folder / "user").mkdir(parents=True, exist_ok=True)
    store = UserStore.open(folder / "user" / "notes.sqlite3")
    try:
        for record_id in BOOKMARKS:
            store.toggle_bookmark(archive_id, record_id)
        for record_id, text in NOTES.items():
            store.add_note(archive_id, record_id, text)
    finally:
        store.close()


def shoot(
    name: str,
    record_id: str,
    archive: Path,
    folder: Path,
    seconds: int,
    size: tuple[int, int],
) -> Path:
    width, height = size
    target = OUT / f"{name}-{width}.png"
    env = dict(
        os.environ,
        ARCHIVE_BROWSER_ARCHIVE=str(archive),
        ARCHIVE_BROWSER_DATA_DIR=str(folder / "user"),
        ARCHIVE_BROWSER_SETTINGS=str(folder / f"{name}-{width}.ini"),
        ARCHIVE_BROWSER_START_TAB=name,
        ARCHIVE_BROWSER_START_RECORD=record_id,
        # No window manager on the virtual screen: the window is placed to fill it.
        ARCHIVE_BROWSER_WINDOW_SIZE=f"{width}x{height}",
    )
    env.pop("QT_QPA_PLATFORM", None)  # a real X window, not offscreen
    display = f":{random.randint(90, 189)}"
    screen = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
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
        # A window's few colours fit a palette: a third of the size, the text as sharp.
        subprocess.run(
            ["convert", str(target), "-strip", "+dither", "-colors", "256", f"PNG8:{target}"],
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
    missing = [tool for tool in ("Xvfb", "import", "convert") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"Install {' and '.join(missing)} first (Debian: xvfb imagemagick).")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="archive-browser-shots-") as tmp:
        folder = Path(tmp)
        archive = build(folder)
        seed_user_store(folder, archive)
        for name in args.tabs:
            record_id, _ = SHOTS[name]
            for size in SCREENS:
                print(shoot(name, record_id, archive, folder, args.seconds, size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
