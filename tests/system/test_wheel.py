"""The wheel, installed as a user installs it, works away from the checkout (issue 23).

The wheel is built with build isolation (`pip wheel --no-deps`: setuptools and the importer's
needs come from the package index, exactly as on a fresh CI machine), installed with all its
dependencies by plain `pip install` into a new virtual environment in a temporary folder,
and run from another temporary folder with no PYTHONPATH: the checkout is not reachable, so
anything the program still read from it would fail here. pip's cache (or, here, the local
index) makes the second run quick; PySide6 is fetched once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


# Without the checkout on the path: pip would take src/ for an installed copy of the program.
CLEAN_ENV = {
    key: value
    for key, value in os.environ.items()
    if key not in ("PYTHONPATH", "ARCHIVE_BROWSER_ARCHIVE", "VIRTUAL_ENV")
}


def _run(command: list[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("env", CLEAN_ENV)
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


class Installed:
    def __init__(self, venv: Path, home: Path) -> None:
        self.venv = venv
        self.home = home  # the working folder, outside the checkout
        self.program = venv / "bin" / "archive-browser"
        self.env = CLEAN_ENV | {
            "ARCHIVE_BROWSER_DATA_DIR": str(home / "user-data"),
            "QT_QPA_PLATFORM": "offscreen",
        }

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return _run([self.program, *args], cwd=self.home, env=self.env | env)

    def python(self, code: str) -> str:
        done = _run([self.venv / "bin" / "python", "-c", code], cwd=self.home, env=self.env)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    wheels = tmp_path_factory.mktemp("wheels")
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", wheels, REPO],
        cwd=wheels,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = wheels.glob("archive_browser-*.whl")
    venv = tmp_path_factory.mktemp("venv")
    made = _run([sys.executable, "-m", "venv", "--clear", venv])
    assert made.returncode == 0, made.stderr
    pip = _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel])
    assert pip.returncode == 0, pip.stdout + pip.stderr
    home = tmp_path_factory.mktemp("elsewhere")
    return Installed(venv, home)


def test_the_program_runs_from_the_installed_package(installed: Installed) -> None:
    package = Path(installed.python("import archive_browser; print(archive_browser.__file__)"))
    assert package.is_relative_to(installed.venv)
    assert not package.is_relative_to(REPO)


def test_search_finds_records_in_the_packaged_archive(installed: Installed) -> None:
    done = installed.run("search", "Lipetsk", "--json")
    assert done.returncode == 0, done.stderr
    assert "site/lipetsk" in [hit["id"] for hit in json.loads(done.stdout)]
    russian = installed.run("search", "Липецк", "--json")
    assert "site/lipetsk" in [hit["id"] for hit in json.loads(russian.stdout)]


def test_cite_reads_the_packaged_authority_list(installed: Installed) -> None:
    done = installed.run("cite", "--json", "ЦГАСА. Ф. 33987. Оп. 3. Д. 497. Л. 136-140.")
    assert done.returncode == 0, done.stderr
    keys = [citation["key"] for citation in json.loads(done.stdout)]
    assert keys == ["RGVA|33987|3|497"]


def test_self_test_passes_with_the_window(installed: Installed) -> None:
    done = installed.run("self-test")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test passed" in done.stdout
    assert "site-packages/archive_browser/data/archive.db" in done.stdout


def test_the_window_paints_its_records(installed: Installed) -> None:
    done = installed.run(ARCHIVE_BROWSER_EXIT_AFTER_PAINT="1")
    assert done.returncode == 0, done.stderr
    assert "records-painted" in done.stdout
    assert done.stderr == ""


def test_building_needs_sources_it_does_not_carry(installed: Installed) -> None:
    done = installed.run("build")
    assert done.returncode != 0
    assert "--data" in done.stderr


def test_a_missing_resource_is_a_loud_error(installed: Installed) -> None:
    """Last in this module: it damages the installation on purpose, one file at a time."""
    package = Path(installed.python("import archive_browser; print(archive_browser.__file__)"))
    (package.parent / "resources" / "icons" / "person.svg").unlink()
    tested = installed.run("self-test", "--no-gui")
    assert tested.returncode != 0
    assert "icons missing" in tested.stderr and "person" in tested.stderr

    (package.parent / "resources" / "archives.csv").unlink()
    cited = installed.run("cite", "RGVA f. 33987, op. 3, d. 497")
    assert cited.returncode != 0
    assert "archives.csv" in cited.stderr
    assert cited.stdout == ""

    (package.parent / "data" / "archive.db").unlink()
    done = installed.run("search", "Lipetsk")
    assert done.returncode != 0
    assert "archive_browser/data/archive.db" in done.stderr
