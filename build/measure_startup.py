"""Start-up time of the frozen program against the same program run from source.

    python build/measure_startup.py [--runs 11] [--program dist/archive-browser/archive-browser]
                                    [--mode auto|paint|self-test|search]

Each mode starts a fresh process offscreen (QT_QPA_PLATFORM=offscreen, a private notes
folder) and times it from exec to exit, wall clock; one untimed warm-up run of each variant
fills the disk cache, then the variants alternate so a busy moment hurts both alike.

- paint: the window, exiting once it has painted its records (ARCHIVE_BROWSER_EXIT_AFTER_PAINT=1
  prints the shell's first paint and the records' first paint, then quits; the window has
  to support it, and `auto` uses it when it does);
- self-test: `self-test`, which builds the whole window offscreen and runs searches;
- search: `search Lipetsk --json`, the start-up of a scripting sub-command.

Prints a Markdown table of medians for docs/packaging.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PROGRAM = ROOT / "dist" / "archive-browser" / "archive-browser"
EXIT_AFTER_PAINT_ENV = "ARCHIVE_BROWSER_EXIT_AFTER_PAINT"
# Longer than any real start; a window that ignores EXIT_AFTER_PAINT stays open for ever.
PAINT_PROBE_TIMEOUT = 20.0

MODE_ARGS = {"paint": [], "self-test": ["self-test"], "search": ["search", "Lipetsk", "--json"]}


class MeasureError(Exception):
    pass


def base_env(notes_folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_BROWSER_")}
    env.update({"QT_QPA_PLATFORM": "offscreen", "ARCHIVE_BROWSER_DATA_DIR": str(notes_folder)})
    return env


def time_run(command: Sequence[str], env: dict[str, str], timeout: float = 120.0) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, timeout=timeout, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise MeasureError(f"{' '.join(command)} exited {result.returncode}: {result.stderr}")
    return seconds


def window_exits_after_paint(command: Sequence[str], env: dict[str, str]) -> bool:
    try:
        time_run(command, {**env, EXIT_AFTER_PAINT_ENV: "1"}, timeout=PAINT_PROBE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return False
    return True


def measure(
    variants: dict[str, list[str]], env: dict[str, str], runs: int
) -> dict[str, list[float]]:
    for command in variants.values():
        time_run(command, env)  # warm-up: page cache, fontconfig cache
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, command in variants.items():
            times[name].append(time_run(command, env))
    return times


def markdown_table(mode: str, times: dict[str, list[float]]) -> str:
    lines = [
        f"| {mode}: median of {len(next(iter(times.values())))} runs | seconds | min | max |",
        "| --- | --- | --- | --- |",
    ]
    for name, values in times.items():
        lines.append(
            f"| {name} | {statistics.median(values):.3f} | {min(values):.3f} | {max(values):.3f} |"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--program", type=Path, default=DEFAULT_PROGRAM)
    parser.add_argument("--mode", choices=("auto", *MODE_ARGS), default="auto")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.program.is_file():
        print(f"measure: no frozen program at {args.program}; run ./dev package", file=sys.stderr)
        return 1
    frozen = [str(args.program)]
    source = [sys.executable, "-m", "archive_browser"]
    with tempfile.TemporaryDirectory(prefix="archive-browser-measure-") as folder:
        env = base_env(Path(folder))
        mode = args.mode
        if mode in ("auto", "paint"):
            if window_exits_after_paint(frozen, env):
                mode = "paint"
                env[EXIT_AFTER_PAINT_ENV] = "1"
            elif mode == "paint":
                print(f"measure: the window ignores {EXIT_AFTER_PAINT_ENV}=1", file=sys.stderr)
                return 1
            else:
                print(f"measure: the window ignores {EXIT_AFTER_PAINT_ENV}=1; timing self-test",
                      file=sys.stderr)  # fmt: skip
                mode = "self-test"
        extra = MODE_ARGS[mode]
        variants = {"frozen": [*frozen, *extra], "source": [*source, *extra]}
        try:
            times = measure(variants, env, args.runs)
        except MeasureError as exc:
            print(f"measure: {exc}", file=sys.stderr)
            return 1
    print(markdown_table(mode, times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
