"""The benchmark runs end to end at a small size and reports every figure.

It never judges speed: a slow machine must not fail the suite. It proves that
`benchmarks/run.py` still works against the current code (the archive it builds goes
through the real importer, the window opens, search, export and build all run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUN = REPO / "benchmarks" / "run.py"
RECORDS = 5000

EXPECTED_PREFIXES = (
    "startup_first_paint",
    "startup_records_painted",
    "search_p50",
    "search_p95",
    "search_top10_agreement",
    "tab_ids_",
    "tab_open_",
    "tab_memory_",
    "scroll_end_",
    "filter_keystroke_p95_",
    "filter_query_p95_",
    "gui_block_max_",
    "export_notes_csv",
    "build_per_100k",
)
TYPES = ("person", "site", "event", "source")


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    workdir = tmp_path_factory.mktemp("bench")
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", ARCHIVE_BROWSER_DATA_DIR=str(workdir / "user")
    )
    result = subprocess.run(
        [
            sys.executable,
            str(RUN),
            "--records",
            str(RECORDS),
            "--json",
            "--quick",
            "--quiet",
            "--workdir",
            str(workdir),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert (workdir / f"archive-{RECORDS}.db").exists(), "the archive was not built there"
    return json.loads(result.stdout)


@pytest.mark.slow
def test_every_figure_is_reported(figures: dict[str, dict[str, object]]) -> None:
    for prefix in EXPECTED_PREFIXES:
        assert any(name.startswith(prefix) for name in figures), f"{prefix} missing"
    for type_name in TYPES:
        for kind in ("tab_ids", "tab_open", "tab_memory", "scroll_end"):
            assert f"{kind}_{type_name}" in figures


@pytest.mark.slow
def test_each_figure_has_value_baseline_ratio_unit(
    figures: dict[str, dict[str, object]],
) -> None:
    for name, item in figures.items():
        assert {"value", "baseline", "ratio", "unit"} <= set(item), name
        assert isinstance(item["value"], int | float) and item["value"] >= 0, name
        assert isinstance(item["baseline"], int | float) and item["baseline"] >= 0, name
        assert item["unit"] in ("ms", "s", "MB", "%"), name
        if item["ratio"] is not None:
            assert item["ratio"] == pytest.approx(
                item["value"] / item["baseline"], rel=0.05, abs=0.02
            ), name


@pytest.mark.slow
def test_timings_are_real_measurements(figures: dict[str, dict[str, object]]) -> None:
    # A figure of zero would mean a step silently measured nothing.
    for name in (
        "startup_first_paint",
        "startup_records_painted",
        "search_p95",
        "export_notes_csv",
        "build_per_100k",
        "tab_open_person",
        "scroll_end_person",
    ):
        assert figures[name]["value"] > 0, name
        assert figures[name]["baseline"] > 0, name


@pytest.mark.slow
def test_the_records_are_painted_after_the_window_shell(
    figures: dict[str, dict[str, object]],
) -> None:
    shell = figures["startup_first_paint"]["value"]
    records = figures["startup_records_painted"]["value"]
    assert isinstance(shell, int | float) and isinstance(records, int | float)
    assert records >= shell
