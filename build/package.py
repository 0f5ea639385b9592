"""`./dev package`: build the offline program folder and its release archive.

    python build/package.py [--distpath dist] [--workpath build/work] [--archive-db FILE]

1. makes sure data/archive.db is up to date (`archive-browser build --if-stale`), unless
   --archive-db names the database to bundle;
2. runs PyInstaller on build/archive_browser.spec, giving DIST/archive-browser/, and that
   program's `self-test` (skip with --no-self-test);
3. writes DIST/archive-browser-<version>-<linux|macos|windows>-<arch>.tar.gz (.zip on Windows),
   whose one top folder is archive-browser/, and prints both sizes.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build" / "archive_browser.spec"
APP_NAME = "archive-browser"
# Read by the spec: the archive database to bundle instead of data/archive.db.
BUNDLE_DB_ENV = "ARCHIVE_BROWSER_BUNDLE_DB"
# Written by the spec: the top-level names of what the build ships, for the notices.
SHIPPED_LIST_ENV = "ARCHIVE_BROWSER_SHIPPED_LIST"
SHIPPED_LIST = "shipped-top-level.txt"


class PackagingError(Exception):
    """The build cannot go on; the message says what to install or fix."""


@dataclass(frozen=True)
class Package:
    folder: Path
    release_archive: Path
    seconds: float


def version() -> str:
    sys.path.insert(0, str(ROOT / "src"))
    from archive_browser import __version__

    return __version__


def platform_tag(system: str | None = None) -> str:
    """`linux`, `windows` or `macos`: the part of a release's name that says where it runs."""
    name = (system or sys.platform).lower()
    if name.startswith("win"):
        return "windows"
    if name.startswith("darwin") or name.startswith("mac"):
        return "macos"
    return "linux"


def program_path(folder: Path, system: str | None = None) -> Path:
    """The program inside the one-folder build; Windows adds `.exe`."""
    suffix = ".exe" if platform_tag(system) == "windows" else ""
    return folder / f"{APP_NAME}{suffix}"


def release_archive_name(
    app_version: str, machine: str | None = None, system: str | None = None
) -> str:
    """`archive-browser-0.1.0-linux-x86_64.tar.gz`; a zip on Windows, where users expect one."""
    arch = (machine or platform.machine()).lower() or "unknown"
    tag = platform_tag(system)
    extension = "zip" if tag == "windows" else "tar.gz"
    return f"{APP_NAME}-{app_version}-{tag}-{arch}.{extension}"


def add_release_files(folder: Path, shipped: set[str] | None = None) -> None:
    """What a user of the unpacked folder needs beside the program: how to run it, the
    licences (the LGPL asks for Qt's notice and how to relink; `shipped` limits the notices
    to what the build holds), a desktop entry and an icon."""
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "build"))
    from notices import third_party_notices

    from archive_browser.core.desktop import DESKTOP_FILE, ICON_FILE, desktop_entry_text

    icon = ROOT / "src" / "archive_browser" / "resources" / "icons" / "app.svg"
    shutil.copyfile(ROOT / "build" / "release" / "README.txt", folder / "README.txt")
    shutil.copyfile(ROOT / "LICENSE", folder / "LICENSE")
    (folder / "THIRD-PARTY-NOTICES").write_text(third_party_notices(shipped), encoding="utf-8")
    shutil.copyfile(icon, folder / ICON_FILE)
    # For a program on PATH; `install-desktop-entry` writes one with this folder's own path.
    (folder / DESKTOP_FILE).write_text(
        desktop_entry_text([APP_NAME], Path(ICON_FILE).with_suffix("")), encoding="utf-8"
    )


def check_build_tools() -> None:
    """PyInstaller reads ELF dependencies with objdump (binutils); say so before it fails."""
    missing = []
    if shutil.which("objdump") is None:
        missing.append("objdump (apt-get install binutils)")
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        missing.append("PyInstaller (pip install pyinstaller)")
    if missing:
        raise PackagingError("cannot build the program: missing " + ", ".join(missing) + ".")


def refresh_archive() -> None:
    """Rebuild data/archive.db from data/*.csv when they changed since it was built."""
    command = [sys.executable, "-m", "archive_browser", "build", "--if-stale"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    if subprocess.run(command, cwd=ROOT, env=env, check=False).returncode != 0:
        raise PackagingError("data/archive.db could not be built from data/.")


def run_pyinstaller(distpath: Path, workpath: Path, archive_db: Path | None) -> Path:
    env = dict(os.environ)
    if archive_db is not None:
        env[BUNDLE_DB_ENV] = str(archive_db.resolve())
    workpath.mkdir(parents=True, exist_ok=True)
    (workpath / SHIPPED_LIST).unlink(missing_ok=True)  # never the list of an older build
    env[SHIPPED_LIST_ENV] = str((workpath / SHIPPED_LIST).resolve())
    command = [
        sys.executable, "-m", "PyInstaller", str(SPEC),
        "--distpath", str(distpath), "--workpath", str(workpath),
        "--noconfirm", "--log-level", "WARN",
    ]  # fmt: skip
    if subprocess.run(command, cwd=ROOT, env=env, check=False).returncode != 0:
        raise PackagingError("PyInstaller failed; its messages are above.")
    folder = distpath / APP_NAME
    if not program_path(folder).is_file():
        raise PackagingError(f"PyInstaller finished but {program_path(folder)} is missing.")
    return folder


def self_test(folder: Path) -> None:
    """A release whose own self-test fails is not written (e.g. a stale data/archive.db)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_BROWSER_")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory(prefix="archive-browser-package-") as notes:
        env["ARCHIVE_BROWSER_DATA_DIR"] = notes
        result = subprocess.run(
            [str(program_path(folder)), "self-test"], env=env, capture_output=True, text=True,
            timeout=120, check=False,
        )  # fmt: skip
    if result.returncode != 0:
        raise PackagingError(f"the built program fails its self-test: {result.stderr.strip()}")


def write_release_archive(folder: Path, out: Path) -> Path:
    """An archive with `archive-browser/` on top; a .tar.gz keeps modes and symlinks as they are."""
    partial = out.with_name(out.name + ".tmp")
    if out.name.endswith(".zip"):
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                archive.write(path, Path(APP_NAME) / path.relative_to(folder))
    else:
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            tar.add(folder, arcname=APP_NAME)
    partial.replace(out)
    return out


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def build_package(
    distpath: Path, workpath: Path, archive_db: Path | None = None, check: bool = True
) -> Package:
    check_build_tools()
    if archive_db is None:
        refresh_archive()
    elif not archive_db.is_file():
        raise PackagingError(f"there is no archive database at {archive_db}.")
    started = time.perf_counter()
    distpath.mkdir(parents=True, exist_ok=True)
    folder = run_pyinstaller(distpath, workpath, archive_db)
    shipped = set((workpath / SHIPPED_LIST).read_text(encoding="utf-8").split())
    add_release_files(folder, shipped)
    if check:
        self_test(folder)
    release = write_release_archive(folder, distpath / release_archive_name(version()))
    return Package(folder, release, time.perf_counter() - started)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--distpath", type=Path, default=ROOT / "dist")
    parser.add_argument("--workpath", type=Path, default=ROOT / "build" / "work")
    parser.add_argument("--archive-db", type=Path, help="bundle this database, not data/")
    parser.add_argument(
        "--no-self-test", action="store_true", help="skip the built program's self-test"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        package = build_package(
            args.distpath, args.workpath, args.archive_db, check=not args.no_self_test
        )
    except PackagingError as exc:
        print(f"package: {exc}", file=sys.stderr)
        return 1
    print(f"{package.folder}: {megabytes(folder_size(package.folder))}")
    print(f"{package.release_archive}: {megabytes(package.release_archive.stat().st_size)}")
    print(f"built in {package.seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
