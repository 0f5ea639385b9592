"""The frozen program, built once per test session by the real packaging command.

These tests run the PyInstaller build the way a user gets it: from its own folder, from a
read-only copy run by an unprivileged user, with an unwritable notes folder, and unpacked
from the release archive. Under CI (CI=true) a missing build tool fails instead of skipping.
"""

from __future__ import annotations

import json
import os
import platform
import pwd
import re
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import pytest

from archive_browser import __version__

pytestmark = pytest.mark.frozen

REPO = Path(__file__).resolve().parents[2]
PACKAGE_SCRIPT = REPO / "build" / "package.py"
APP = "archive-browser"
IN_CI = os.environ.get("CI") == "true"
UNPRIVILEGED_USER = "nobody"
SIZE_LIMIT = 130_000_000

# Lines the frozen program may print on stderr during a successful run. It starts empty, as
# qutebrowser's release smoke test does: every entry needs a comment saying why it is
# harmless, because anything else on stderr is a user-visible warning we shipped.
ALLOWED_STDERR: list[re.Pattern[str]] = []


def require(condition: object, reason: str) -> None:
    """Skip on a developer machine that lacks a build tool; fail under CI, never skip."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the frozen build is mandatory)")
    pytest.skip(reason)


def unexpected_stderr(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(p.search(line) for p in ALLOWED_STDERR)
    ]


@dataclass(frozen=True)
class Build:
    folder: Path
    release_archive: Path
    output: str


@dataclass(frozen=True)
class Sandbox:
    """A 0755 folder under /tmp that the unprivileged user can reach (pytest's is 0700)."""

    root: Path
    as_user: tuple[str, ...]  # command prefix that drops privileges, or () if not root
    uid: int
    gid: int

    def folder(self, name: str, mode: int = 0o755) -> Path:
        path = self.root / name
        path.mkdir()
        os.chown(path, self.uid, self.gid)
        path.chmod(mode)
        return path


@pytest.fixture(scope="session")
def frozen_build(tmp_path_factory: pytest.TempPathFactory, built_archive: Path) -> Build:
    require(shutil.which("objdump"), "objdump (binutils) is not installed")
    require(find_spec("PyInstaller"), "PyInstaller is not installed")
    out = tmp_path_factory.mktemp("frozen")
    # Always a fresh build in a private folder: a dist/ left over from an older checkout
    # would prove nothing about this one. The tests below run the self-test themselves, with
    # a stricter eye on stderr than the packaging command's own check.
    command = [
        sys.executable, str(PACKAGE_SCRIPT),
        "--distpath", str(out / "dist"), "--workpath", str(out / "work"),
        "--archive-db", str(built_archive), "--no-self-test",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, f"packaging failed:\n{result.stdout}\n{result.stderr}"
    folder = out / "dist" / APP
    release = out / "dist" / f"{APP}-{__version__}-linux-{platform.machine()}.tar.gz"
    assert release.is_file(), f"no release archive in {sorted((out / 'dist').iterdir())}"
    return Build(folder, release, result.stdout)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    if os.geteuid() == 0:
        # Root ignores permission bits, so a read-only install proves nothing when run as
        # root: run the program as an ordinary user.
        require(shutil.which("setpriv"), "setpriv (util-linux) is needed to drop root")
        try:
            user = pwd.getpwnam(UNPRIVILEGED_USER)
        except KeyError:
            user = None
        require(user, f"there is no user {UNPRIVILEGED_USER!r} to run the program as")
        assert user is not None
        uid, gid = user.pw_uid, user.pw_gid
        prefix = ("setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--")
    else:
        uid, gid, prefix = os.getuid(), os.getgid(), ()
    root = Path(tempfile.mkdtemp(prefix="archive-browser-frozen-"))
    root.chmod(0o755)
    yield Sandbox(root, prefix, uid, gid)
    make_writable(root)
    shutil.rmtree(root)


def make_writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


def make_read_only(folder: Path) -> None:
    """`chmod -R a-w`, without following the bundle's symlinks."""
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def program_env(home: Path, runtime: Path, data_dir: Path) -> dict[str, str]:
    """A desktop user's environment, and nothing of the test process (no archive override)."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": str(home),  # fontconfig keeps its cache here
        # A desktop session always has one; without it Qt warns on stderr.
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_QPA_PLATFORM": "offscreen",
        "ARCHIVE_BROWSER_DATA_DIR": str(data_dir),
    }


def run_program(
    program: Path, args: Sequence[str], env: dict[str, str], prefix: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, str(program), *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        cwd="/",
    )


def assert_clean_success(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, f"exit {result.returncode}:\n{result.stdout}\n{result.stderr}"
    assert unexpected_stderr(result.stderr) == [], result.stderr


def found_ids(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert_clean_success(result)
    return [hit["id"] for hit in json.loads(result.stdout)]


@dataclass(frozen=True)
class Installed:
    program: Path
    env: dict[str, str]
    prefix: tuple[str, ...]
    sandbox: Sandbox

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return run_program(self.program, args, {**self.env, **env}, self.prefix)


@pytest.fixture(scope="session")
def read_only_install(frozen_build: Build, sandbox: Sandbox) -> Installed:
    """The built folder copied into the sandbox, made read-only, run as the sandbox user."""
    install = sandbox.root / "install"
    shutil.copytree(frozen_build.folder, install / APP, symlinks=True)
    make_read_only(install)
    env = program_env(
        sandbox.folder("home"), sandbox.folder("runtime", 0o700), sandbox.folder("notes")
    )
    return Installed(install / APP / APP, env, sandbox.as_user, sandbox)


# ----------------------------------------------------------------------------- the build


def test_packaging_reports_folder_and_archive_sizes(frozen_build: Build) -> None:
    assert f"{frozen_build.folder}: " in frozen_build.output
    assert f"{frozen_build.release_archive}: " in frozen_build.output
    assert re.search(r"\d+\.\d MB", frozen_build.output)


def test_folder_stays_under_the_size_aim(frozen_build: Build) -> None:
    files = [p for p in frozen_build.folder.rglob("*") if p.is_file() and not p.is_symlink()]
    size = sum(p.stat().st_size for p in files)
    assert size < SIZE_LIMIT, f"{size / 1e6:.1f} MB; the aim is {SIZE_LIMIT / 1e6:.0f} MB"


def test_only_the_chosen_qt_plugins_and_libraries_ship(frozen_build: Build) -> None:
    internal = frozen_build.folder / "_internal"
    names = {p.relative_to(internal).as_posix() for p in internal.rglob("*")}
    plugins = "PySide6/Qt/plugins/"
    assert f"{plugins}platforms/libqoffscreen.so" in names
    assert f"{plugins}platforms/libqxcb.so" in names
    assert f"{plugins}iconengines/libqsvgicon.so" in names
    shipped = " ".join(sorted(names))
    for unused in ("libQt6Network", "libQt6Qml", "libQt6Quick", "libQt6Pdf", "sqldrivers",
                   "qmltooling", "platforms/libqvnc", "Qt/translations", "tkinter"):  # fmt: skip
        assert unused not in shipped, f"{unused} should have been left out of the bundle"


# System libraries the README's packages bring to every target (the spec's
# TARGET_SYSTEM_LIBRARIES): a bundled copy would shadow the desktop's own.
SYSTEM_PROVIDED = ("libX11.so.6", "libxcb-cursor.so.0", "libglib-2.0.so.0", "libdbus-1.so.3",
                   "libfontconfig.so.1", "libfreetype.so.6", "libxkbcommon.so.0",
                   "libstdc++.so.6", "libgcc_s.so.1", "libz.so.1", "libsystemd.so.0")  # fmt: skip


def test_system_libraries_every_target_has_are_not_bundled(frozen_build: Build) -> None:
    internal = frozen_build.folder / "_internal"
    top = {p.name for p in internal.iterdir()}
    assert [name for name in SYSTEM_PROVIDED if name in top] == []
    # Never the GTK stack for the GTK3 theme, even on a build machine that has GTK.
    assert not [name for name in top if re.match(r"lib(gtk|gdk|pango|cairo|atk)", name)]
    # Kept on purpose: the SQLite the search is tested with, and Qt's own libraries.
    assert "libsqlite3.so.0" in top
    assert (internal / "PySide6" / "Qt" / "lib" / "libQt6Core.so.6").is_file()


def test_the_theme_plugins_that_follow_a_dark_desktop_ship(frozen_build: Build) -> None:
    themes = frozen_build.folder / "_internal" / "PySide6" / "Qt" / "plugins" / "platformthemes"
    assert {p.name for p in themes.iterdir()} == {"libqxdgdesktopportal.so", "libqgtk3.so"}


def test_an_x11_window_runs_on_the_systems_libraries(frozen_build: Build, tmp_path: Path) -> None:
    """The xcb plugin links the X libraries the bundle leaves to the system: start the window
    under Xvfb, with the GTK3 theme asked for where GTK may be missing (Qt must skip it)."""
    require(shutil.which("xvfb-run"), "xvfb-run (Debian xvfb) is not installed")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {**program_env(tmp_path, runtime, tmp_path / "notes"), "QT_QPA_PLATFORM": "xcb",
           "QT_QPA_PLATFORMTHEME": "gtk3", "QT_DEBUG_PLUGINS": "1"}  # fmt: skip
    program = str(frozen_build.folder / APP)
    result = run_program(Path("xvfb-run"), ["-a", program, "self-test"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "window: ok" in result.stdout
    loaded = re.findall(r'"([^"]+)" loaded library', result.stderr)
    assert f"{frozen_build.folder}/_internal/PySide6/Qt/plugins/platforms/libqxcb.so" in loaded


def test_bundled_data_is_where_the_program_looks(frozen_build: Build) -> None:
    internal = frozen_build.folder / "_internal"
    assert (internal / "data" / "archive.db").is_file()
    resources = internal / "archive_browser" / "resources"  # where importlib.resources looks
    assert (resources / "archives.csv").is_file()
    assert (resources / "basemap" / "land.json").is_file()
    icons = {p.name for p in (resources / "icons").glob("*.svg")}
    assert {"app.svg", "person.svg", "search.svg"} <= icons


# ----------------------------------------------------------------------------- running it


def test_self_test_passes_with_nothing_on_stderr(frozen_build: Build, tmp_path: Path) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = program_env(tmp_path, runtime, tmp_path / "notes")
    result = run_program(frozen_build.folder / APP, ["self-test"], env)
    assert_clean_success(result)
    assert "self-test passed" in result.stdout
    assert "window: ok" in result.stdout


def test_qt_loads_its_plugins_from_inside_the_bundle(frozen_build: Build, tmp_path: Path) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {**program_env(tmp_path, runtime, tmp_path / "notes"), "QT_DEBUG_PLUGINS": "1"}
    result = run_program(frozen_build.folder / APP, ["self-test"], env)
    assert result.returncode == 0, result.stderr
    loaded = re.findall(r'"([^"]+)" loaded library', result.stderr)
    bundled_plugins = f"{frozen_build.folder}/_internal/PySide6/Qt/plugins/"
    assert f"{bundled_plugins}platforms/libqoffscreen.so" in loaded
    assert all(path.startswith(bundled_plugins) for path in loaded), loaded


def test_read_only_install_really_is_unwritable(read_only_install: Installed) -> None:
    probe = read_only_install.program.parent / "probe"
    result = subprocess.run(
        [*read_only_install.prefix, "touch", str(probe)], capture_output=True, check=False
    )
    assert result.returncode != 0 and not probe.exists()


def test_read_only_install_passes_self_test(read_only_install: Installed) -> None:
    result = read_only_install.run("self-test")
    assert_clean_success(result)
    assert "self-test passed" in result.stdout


@pytest.mark.parametrize("query", ["Lipetsk", "Липецк"])
def test_read_only_install_searches(read_only_install: Installed, query: str) -> None:
    assert "site/lipetsk" in found_ids(read_only_install.run("search", query, "--json"))


def test_read_only_install_saves_a_note_in_the_users_folder(
    read_only_install: Installed,
) -> None:
    text = "Frozen-build note — проверка"
    assert_clean_success(read_only_install.run("note", "person/seeckt", text))
    listed = read_only_install.run("notes", "--json")
    assert_clean_success(listed)
    notes = json.loads(listed.stdout)
    assert {"record_id": "person/seeckt", "text": text} in [
        {"record_id": n["record_id"], "text": n["text"]} for n in notes
    ]
    notes_folder = Path(read_only_install.env["ARCHIVE_BROWSER_DATA_DIR"])
    assert any(notes_folder.iterdir()), "the note was not stored in the user's folder"


def test_unwritable_notes_folder_fails_in_one_line_and_search_still_works(
    read_only_install: Installed,
) -> None:
    locked = read_only_install.sandbox.folder("locked-notes", 0o555)
    result = read_only_install.run(
        "note", "person/seeckt", "lost", ARCHIVE_BROWSER_DATA_DIR=str(locked)
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(locked) in lines[0] and "writ" in lines[0].lower()
    assert list(locked.iterdir()) == []
    search = read_only_install.run(
        "search", "Lipetsk", "--json", ARCHIVE_BROWSER_DATA_DIR=str(locked)
    )
    assert "site/lipetsk" in found_ids(search)


def test_frozen_program_exports_an_xlsx_without_lxml(frozen_build: Build, tmp_path: Path) -> None:
    """openpyxl writes with the standard library's XML when lxml is left out (the spec)."""
    from openpyxl import load_workbook

    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = program_env(tmp_path, runtime, tmp_path / "notes")
    program = frozen_build.folder / APP
    assert_clean_success(run_program(program, ["note", "site/lipetsk", "Липецк: школа"], env))
    out = tmp_path / "notes.xlsx"
    result = run_program(program, ["export-notes", "--format", "xlsx", "--out", str(out)], env)
    assert_clean_success(result)
    cells = [c.value for row in load_workbook(out)["Notes"].iter_rows() for c in row]
    assert "Липецк: школа" in cells


def test_release_archive_unpacks_to_a_working_program(frozen_build: Build, tmp_path: Path) -> None:
    with tarfile.open(frozen_build.release_archive) as tar:
        members = tar.getmembers()
        assert all(m.name == APP or m.name.startswith(f"{APP}/") for m in members)
        tar.extractall(tmp_path / "unpacked", filter="tar")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = program_env(tmp_path, runtime, tmp_path / "notes")
    program = tmp_path / "unpacked" / APP / APP
    assert "site/lipetsk" in found_ids(run_program(program, ["search", "Липецк", "--json"], env))
    result = run_program(program, ["self-test", "--no-gui"], env)
    assert_clean_success(result)


def test_release_archive_carries_readme_licences_desktop_entry_and_icon(
    frozen_build: Build, tmp_path: Path
) -> None:
    with tarfile.open(frozen_build.release_archive) as tar:
        tar.extractall(tmp_path, filter="tar")
    top = tmp_path / APP
    readme = (top / "README.txt").read_text(encoding="utf-8")
    assert "install-desktop-entry" in readme and "libxcb-cursor0" in readme
    assert "MIT License" in (top / "LICENSE").read_text(encoding="utf-8")
    notices = (top / "THIRD-PARTY-NOTICES").read_text(encoding="utf-8")
    # What the build really ships, the export libraries of issue 23 included, and not what
    # it leaves out although a dependency names it (sqlite-utils requires pip).
    table = notices.split("\n\n", 2)[2].split("\n\n", 1)[0]
    listed = re.findall(r"^  (\S+) +\S+ ", table, re.MULTILINE)
    for name in ("PySide6_Essentials", "shiboken6", "sqlite-utils", "RapidFuzz", "Python",
                 "openpyxl", "et_xmlfile", "rispy"):  # fmt: skip
        assert name in listed
    assert "pip" not in listed and "lxml" not in listed
    assert "Relinking" in notices and "GNU LESSER GENERAL PUBLIC LICENSE" in notices
    entry = (top / "archive-browser.desktop").read_text(encoding="utf-8")
    assert "Exec=archive-browser" in entry and "Type=Application" in entry
    assert (top / "archive-browser.svg").read_bytes().lstrip().startswith(b"<")
