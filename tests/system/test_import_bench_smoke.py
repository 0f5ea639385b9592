"""The import benchmark runs end to end at a small size and reports every figure (it never
judges speed: a slow machine must not fail the suite)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "import_bench.py"


def test_the_import_benchmark_reports_csv_xlsx_and_ead_beside_a_baseline() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--rows", "500", "--components", "300", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout)
    assert set(figures) == {"import_csv_per_100k", "import_xlsx_per_100k", "import_ead"}
    for name in ("import_csv_per_100k", "import_xlsx_per_100k"):
        assert figures[name]["seconds"] > 0 and figures[name]["baseline"] > 0
        assert figures[name]["rows"] == 500
    assert figures["import_ead"]["components"] == 300
