"""Benchmarks of the program against the raw engines underneath it, in one run.

    .venv/bin/python benchmarks/run.py [--records N] [--archive PATH] [--json]
    .venv/bin/python benchmarks/run.py --sizes 10000,100000,1000000 --plot docs/performance-plot.svg

Every figure is measured beside a baseline measured the same way in the same run: the
program's global search against the bare FTS5 query, a tab against `SELECT id` of all its
rows, the notes export against `csv.writer`, the start-up against a bare QMainWindow, and so
on (docs/performance.md explains each one). The archive of N records is made by
`make_large_archive.py` into benchmarks/out/ once and reused.

Qt figures run in child processes of this script (`--child ...`), offscreen, so that each
one starts from a fresh process: start-up, memory growth and the GUI thread's stalls are
then not coloured by what ran before.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TYPES = ("person", "site", "event", "source")
BUILD_SAMPLE = 100_000
HEARTBEAT_MS = 1
KEY_INTERVAL_MS = 220  # a key every 220 ms: longer than the filter's debounce, so each runs

Figures = dict[str, dict[str, Any]]


@dataclass
class Config:
    """How much of each figure to measure; `--quick` shrinks it for the smoke test."""

    out_dir: Path = HERE / "out"
    startup_runs: int = 5
    search_queries: int = 240
    export_notes: int = 100_000
    filter_words: int = 4

    def make_quick(self) -> None:
        self.startup_runs, self.search_queries = 2, 40
        self.export_notes, self.filter_words = 5_000, 1


CONFIG = Config()


def figure(value: float, baseline: float, unit: str, note: str = "") -> dict[str, Any]:
    # A baseline too small to measure (RSS grows in pages) has no meaningful ratio: null.
    ratio = round(value / baseline, 2) if baseline > 0.005 else None
    item: dict[str, Any] = {
        "value": round(value, 3),
        "baseline": round(baseline, 3),
        "ratio": ratio,
        "unit": unit,
    }
    if note:
        item["note"] = note
    return item


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    position = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[position]


def rss_mb() -> float:
    """Resident memory of this process, from /proc/self/status."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on a 2-core machine skews timings."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def child_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    env["ARCHIVE_BROWSER_DATA_DIR"] = str(tmp / "user-data")
    env["ARCHIVE_BROWSER_SETTINGS"] = str(tmp / "window.ini")
    src = str(REPO / "src")
    env["PYTHONPATH"] = src + os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else src
    return env


def run_child(args: list[str], tmp: Path, timeout: float = 600) -> dict[str, Any]:
    """Run this script as a child (`--child ...`) and read its one JSON line."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    result = subprocess.run(
        command, env=child_env(tmp), capture_output=True, text=True, timeout=timeout, check=False
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"child {args} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return json.loads(lines[-1])


# =========================================================================== the archive


def ensure_archive(records: int, archive: Path | None, quiet: bool) -> Path:
    if archive is not None:
        return archive
    sys.path.insert(0, str(HERE))
    from make_large_archive import build_large_archive, is_current

    path = CONFIG.out_dir / f"archive-{records}.db"
    if path.exists() and not is_current(path, records):
        log(f"{path} was built by older build or search code: building it again")
    elif path.exists():
        return path
    log(f"building {path} ({records:,} records; once, then reused)")
    build_large_archive(records, path, show_progress=not quiet)
    return path


# =========================================================================== build time


def raw_build(dataset: Any, out: Path) -> None:
    """The raw engine's share of a build: the same rows into plain tables and a plain FTS5."""
    import sqlite3

    from archive_browser.core.record_types import RECORD_TYPES

    conn = sqlite3.connect(out)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    with conn:
        for type_name, rows in dataset.records.items():
            columns = RECORD_TYPES[type_name].column_names
            names = ", ".join(f'"{c}"' for c in columns)
            conn.execute(f'CREATE TABLE "{type_name}" ({names})')
            marks = ", ".join("?" * len(columns))
            conn.executemany(
                f'INSERT INTO "{type_name}" VALUES ({marks})',
                ([r.values.get(c, "") for c in columns] for r in rows),
            )
        conn.execute("CREATE TABLE links (a, b, role)")
        conn.executemany(
            "INSERT INTO links VALUES (?, ?, ?)",
            ((r.values["from"], r.values["to"], r.values["role"]) for r in dataset.links),
        )
        conn.execute(
            "CREATE VIRTUAL TABLE fts USING fts5(title, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        for type_name, rows in dataset.records.items():
            title = RECORD_TYPES[type_name].title_column
            conn.executemany(
                "INSERT INTO fts VALUES (?, ?)",
                ((r.values[title], " ".join(r.values.values())) for r in rows),
            )
    conn.close()


def measure_build(records: int, tmp: Path) -> Figures:
    sys.path.insert(0, str(HERE))
    from archive_browser.core.importer import validate, write_archive
    from make_large_archive import make_dataset

    sample = min(records, BUILD_SAMPLE)
    log(f"build: {sample:,} records through validate + write_archive")
    dataset = make_dataset(sample, show_progress=False)
    started = time.perf_counter()
    problems = validate(dataset)
    write_archive(dataset, tmp / "build-sample.db", warnings=problems)
    value = time.perf_counter() - started
    started = time.perf_counter()
    raw_build(dataset, tmp / "build-raw.db")
    baseline = time.perf_counter() - started
    scale = BUILD_SAMPLE / sample
    return {
        "build_per_100k": figure(
            value * scale, baseline * scale, "s", f"measured on {sample:,} records"
        )
    }


# =========================================================================== search


def measure_search(archive_path: Path) -> Figures:
    sys.path.insert(0, str(HERE))
    from archive_browser.core import search
    from archive_browser.core.archive import Archive
    from queries import make_queries

    archive = Archive.open(archive_path)
    queries = make_queries(archive.conn, CONFIG.search_queries)
    raw_sql = (
        f'SELECT rowid FROM "{search.FTS_TABLE}" WHERE "{search.FTS_TABLE}" MATCH ? '
        "ORDER BY rank LIMIT 50"
    )

    def program(text: str) -> None:
        archive.search(text)

    def raw(text: str) -> None:
        expression = search.fts_query(text)
        if expression is not None:
            archive.conn.execute(raw_sql, (expression,)).fetchall()

    for text in queries:  # warm the page cache for both
        program(text)
        raw(text)
    ours, bare = [], []
    for text in queries:
        started = time.perf_counter()
        program(text)
        ours.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        raw(text)
        bare.append((time.perf_counter() - started) * 1000)
    # The top 10 against the uncapped ranking: every match explained and scored in Python,
    # not only the best rows by bm25 (search(..., exhaustive=True)).
    agreeing, disagreeing = 0, []
    for text in queries:
        top = [hit.id for hit in archive.search(text, limit=10)]
        full = [hit.id for hit in search.search(archive.conn, text, limit=10, exhaustive=True)]
        if top == full:
            agreeing += 1
        else:
            disagreeing.append(text)
    if disagreeing:
        log("search: top 10 differs from the uncapped ranking for " + repr(disagreeing[:10]))
    archive.close()
    note = f"{len(queries)} queries"
    slowest = sorted(zip(ours, queries, strict=True), reverse=True)[:5]
    log("search: slowest " + "; ".join(f"{q!r} {ms:.1f} ms" for ms, q in slowest))
    return {
        "search_p50": figure(percentile(ours, 0.5), percentile(bare, 0.5), "ms", note),
        "search_p95": figure(percentile(ours, 0.95), percentile(bare, 0.95), "ms", note),
        "search_top10_agreement": figure(
            100.0 * agreeing / len(queries),
            100.0,
            "%",
            note + " agreeing with the uncapped ranking",
        ),
    }


# =========================================================================== tabs (core)


def child_tab_core(archive_path: Path, type_name: str, mode: str) -> dict[str, Any]:
    """One tab's data in a fresh process: the model's ids + first screen, or raw `SELECT id`."""
    from archive_browser.core.archive import Archive
    from archive_browser.core.record_types import RECORD_TYPES

    archive = Archive.open(archive_path)
    table = RECORD_TYPES[type_name].table
    archive.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()  # schema + first pages
    before = rss_mb()
    started = time.perf_counter()
    if mode == "raw":
        held: Any = archive.conn.execute(f'SELECT "id" FROM "{table}"').fetchall()
    else:
        ids = archive.ids(type_name)
        held = (ids, archive.rows(type_name, ids[:200]))
    open_ms = (time.perf_counter() - started) * 1000
    grown = rss_mb() - before
    started = time.perf_counter()
    if mode == "raw":
        order = archive.order_by(RECORD_TYPES[type_name], None, False)
        archive.conn.execute(
            f'SELECT * FROM "{table}" ORDER BY {order} LIMIT 50 OFFSET ?', (max(0, len(held) - 50),)
        ).fetchall()
    else:
        archive.rows(type_name, held[0][-200:])
    scroll_ms = (time.perf_counter() - started) * 1000
    return {"open_ms": open_ms, "rss_mb": grown, "scroll_ms": scroll_ms, "rows": len(held)}


# =========================================================================== Qt helpers


def _wait_until(app: Any, condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.0005)


class _PaintWatch:
    """Counts paint events reaching a widget's viewport (an event filter)."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        paint = QEvent.Type.Paint

        class Watch(QObject):
            count = 0

            def eventFilter(self, _watched: Any, event: Any) -> bool:
                if event.type() == paint:
                    Watch.count += 1
                return False

        self.watch = Watch()
        self.cls = Watch
        widget.installEventFilter(self.watch)

    @property
    def count(self) -> int:
        return self.cls.count


def _warm_qt(app: Any) -> None:
    """Show and paint a small table once: fonts, styles and plugins load before measuring."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    model = QStandardItemModel(10, 3)
    view = QTableView()
    view.setModel(model)
    view.resize(600, 400)
    view.show()
    for _ in range(20):
        app.processEvents()
    view.repaint()
    view.close()
    view.deleteLater()
    app.processEvents()


# =========================================================================== tabs (GUI)


def child_tab_gui(archive_path: Path, type_name: str) -> dict[str, Any]:
    """An entity tab in a fresh process: open until its rows are painted, then scroll."""
    from archive_browser.core.archive import Archive
    from archive_browser.core.record_types import RECORD_TYPES
    from archive_browser.ui.app import ensure_application
    from archive_browser.ui.widgets.entity_tab import EntityTab

    app = ensure_application()
    _warm_qt(app)
    archive = Archive.open(archive_path)
    before = rss_mb()
    started = time.perf_counter()
    tab = EntityTab(archive, RECORD_TYPES[type_name])
    tab.resize(1100, 700)
    tab.show()
    watch = _PaintWatch(tab.table_view.viewport())
    # The paint count when the rows arrive: the next paint is the one that shows them.
    at_load: list[int] = []
    tab.model.query_finished.connect(lambda _n: at_load.append(watch.count))
    _wait_until(app, lambda: bool(at_load) and watch.count > at_load[0])
    open_ms = (time.perf_counter() - started) * 1000
    grown = rss_mb() - before
    painted = watch.count
    started = time.perf_counter()
    tab.table_view.scrollToBottom()
    tab.table_view.viewport().repaint()  # paints now: the last rows are fetched and drawn
    _wait_until(app, lambda: watch.count > painted)
    scroll_ms = (time.perf_counter() - started) * 1000
    last = tab.model.rowCount() - 1
    shown = tab.model.data(tab.model.index(last, 0))
    tab.shutdown()
    archive.close()
    return {
        "open_ms": open_ms,
        "rss_mb": grown,
        "scroll_ms": scroll_ms,
        "rows": tab.model.rowCount(),
        "last": shown,
    }


def measure_tabs(archive_path: Path, tmp: Path, gui: bool) -> Figures:
    figures: Figures = {}
    for type_name in TYPES:
        log(f"tab: {type_name}")
        raw = run_child(["tab-core", str(archive_path), type_name, "raw"], tmp)
        core = run_child(["tab-core", str(archive_path), type_name, "ids"], tmp)
        note = f"{raw['rows']:,} rows"
        figures[f"tab_ids_{type_name}"] = figure(
            core["open_ms"], raw["open_ms"], "ms", note + "; Archive.ids + first 200 rows"
        )
        if gui:
            shown = run_child(["tab-gui", str(archive_path), type_name], tmp)
            figures[f"tab_open_{type_name}"] = figure(
                shown["open_ms"], raw["open_ms"], "ms", note + "; EntityTab until painted"
            )
            figures[f"tab_memory_{type_name}"] = figure(
                shown["rss_mb"], raw["rss_mb"], "MB", note + "; RSS growth"
            )
            figures[f"scroll_end_{type_name}"] = figure(
                shown["scroll_ms"], raw["scroll_ms"], "ms", "scrollToBottom until painted"
            )
        else:
            figures[f"tab_memory_{type_name}"] = figure(
                core["rss_mb"], raw["rss_mb"], "MB", note + "; RSS growth (core)"
            )
            figures[f"scroll_end_{type_name}"] = figure(
                core["scroll_ms"], raw["scroll_ms"], "ms", "last 200 rows (core)"
            )
    return figures


# =========================================================================== filter typing


def _type_keys(app: Any, widget: Any, text: str, on_key: Callable[[], None]) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    for char in text:
        on_key()
        # Not keyClicks: it aborts on non-ASCII text (docs/platform.md).
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char, Qt.KeyboardModifier.NoModifier
        )
        app.processEvents()


def child_filter(archive_path: Path, type_name: str, words: list[str]) -> dict[str, Any]:
    """Type words into a tab's filter box, a key per KEY_INTERVAL_MS; a 1 ms heartbeat
    records the longest stall of the GUI thread, then the same heartbeat idles as long."""
    from PySide6.QtCore import Qt, QTimer

    from archive_browser.core import search
    from archive_browser.core.archive import Archive
    from archive_browser.core.record_types import RECORD_TYPES
    from archive_browser.ui.app import ensure_application
    from archive_browser.ui.widgets.entity_tab import EntityTab

    app = ensure_application()
    _warm_qt(app)
    archive = Archive.open(archive_path)
    tab = EntityTab(archive, RECORD_TYPES[type_name])
    tab.resize(1100, 700)
    tab.show()
    _wait_until(app, lambda: tab.model.loaded)

    gaps: list[float] = []
    last_beat = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append((now - last_beat[0]) * 1000)
        last_beat[0] = now

    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(beat)

    queried: list[float] = []  # when the model's query was started (after the debounce)
    ready: list[float] = []
    keys: list[float] = []
    original_set_query = tab.model.set_query

    def timed_set_query(*args: Any, **kwargs: Any) -> None:
        queried.append(time.perf_counter())
        original_set_query(*args, **kwargs)

    tab.model.set_query = timed_set_query  # type: ignore[method-assign]
    tab.model.query_finished.connect(lambda _n: ready.append(time.perf_counter()))

    def run_typing() -> list[tuple[float, float, float]]:
        """(key time, query start, ready time) of each keystroke that ran a query."""
        results = []
        for word in words:
            tab.filter_edit.clear()
            tab.apply_filter()
            _wait_until(app, lambda: not tab.model.busy)
            for char in word:
                queried.clear()
                ready.clear()
                _type_keys(app, tab.filter_edit, char, lambda: keys.append(time.perf_counter()))
                key_time = keys[-1]
                deadline = key_time + KEY_INTERVAL_MS / 1000
                while time.perf_counter() < deadline or (queried and not ready):
                    app.processEvents()
                    time.sleep(0.0002)
                if queried and ready:
                    results.append((key_time, queried[0], ready[-1]))
        return results

    last_beat[0] = time.perf_counter()
    heartbeat.start()
    typing_started = time.perf_counter()
    results = run_typing()
    typing_seconds = time.perf_counter() - typing_started
    heartbeat.stop()
    typing_gaps = list(gaps)

    gaps.clear()
    last_beat[0] = time.perf_counter()
    heartbeat.start()
    idle_until = time.perf_counter() + min(typing_seconds, 5.0)
    while time.perf_counter() < idle_until:
        app.processEvents()
        time.sleep(0.0002)
    heartbeat.stop()
    idle_gaps = list(gaps)

    raw_ms = []
    conn = archive.connect()
    sql = f'SELECT rowid FROM "{search.FTS_TABLE}" WHERE "{search.FTS_TABLE}" MATCH ?'
    for word in words:
        for end in range(1, len(word) + 1):
            expression = search.fts_query(word[:end])
            if expression is None:
                continue
            started = time.perf_counter()
            conn.execute(sql, (expression,)).fetchall()
            raw_ms.append((time.perf_counter() - started) * 1000)
    conn.close()
    tab.shutdown()
    archive.close()
    return {
        "keystroke_ms": [(r - k) * 1000 for k, _q, r in results],
        "query_ms": [(r - q) * 1000 for _k, q, r in results],
        "raw_ms": raw_ms,
        "block_max_ms": max(typing_gaps, default=0.0),
        "idle_block_max_ms": max(idle_gaps, default=0.0),
        "beats": len(typing_gaps),
    }


def measure_filter(archive_path: Path, tmp: Path) -> Figures:
    import sqlite3

    sys.path.insert(0, str(HERE))
    from queries import typed_words

    conn = sqlite3.connect(archive_path.resolve().as_uri() + "?mode=ro", uri=True)
    words = typed_words(conn, CONFIG.filter_words)
    conn.close()
    figures: Figures = {}
    for type_name in ("person", "source"):
        log(f"filter as you type: {type_name} {words}")
        got = run_child(["filter", str(archive_path), type_name, json.dumps(words)], tmp)
        note = f"{len(got['query_ms'])} keystrokes"
        figures[f"filter_keystroke_p95_{type_name}"] = figure(
            percentile(got["keystroke_ms"], 0.95),
            percentile(got["raw_ms"], 0.95),
            "ms",
            note + "; key to model ready, with the debounce",
        )
        figures[f"filter_query_p95_{type_name}"] = figure(
            percentile(got["query_ms"], 0.95),
            percentile(got["raw_ms"], 0.95),
            "ms",
            note + "; query start to model ready",
        )
        figures[f"gui_block_max_{type_name}"] = figure(
            got["block_max_ms"],
            got["idle_block_max_ms"],
            "ms",
            "longest heartbeat gap while typing; baseline idle",
        )
    return figures


# =========================================================================== start-up


def child_startup(kind: str, archive_path: str) -> None:
    """Print the monotonic time of the first paint of the main window, then exit.

    `app`: the program started as `archive-browser` starts it (cli.main -> run_gui) with
    ARCHIVE_BROWSER_EXIT_AFTER_PAINT=1, which prints `first-paint T` at the window's first
    paint and `records-painted T` once the current tab has painted its rows, then quits.
    `bare`: a bare QMainWindow of the same size, started the same way, its first paint
    watched by an event filter on the window (as the program's own filter watches it).
    """
    if kind == "bare":
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QApplication, QMainWindow

        paint = QEvent.Type.Paint

        class FirstPaint(QObject):
            def eventFilter(self, watched: Any, event: Any) -> bool:
                if event.type() == paint:
                    print(f"first-paint {time.monotonic():.6f}", flush=True)
                    os._exit(0)
                return False

        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.resize(1180, 740)
        watcher = FirstPaint()
        window.installEventFilter(watcher)
        window.show()
        app.exec()
        return
    from archive_browser import cli

    os.environ["ARCHIVE_BROWSER_EXIT_AFTER_PAINT"] = "1"
    sys.exit(cli.main(["--archive", archive_path]))


def _startup_times(output: str) -> dict[str, float]:
    """`first-paint T` / `records-painted T` lines -> {"first-paint": T, ...}."""
    times = {}
    for line in output.splitlines():
        label, _, value = line.partition(" ")
        if label in ("first-paint", "records-painted"):
            times[label] = float(value)
    return times


def measure_startup(archive_path: Path, tmp: Path) -> Figures:
    import compileall

    runs = CONFIG.startup_runs
    log(f"start-up: {runs} runs each")
    # An installed program starts from compiled bytecode (pip and PyInstaller compile it);
    # a checkout run with PYTHONDONTWRITEBYTECODE=1 would compile every module of ours on
    # every start, about 60 ms that no user pays. compileall writes it regardless.
    compileall.compile_dir(REPO / "src" / "archive_browser", quiet=1)
    times: dict[str, list[float]] = {"app": [], "bare": [], "records": []}
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "startup"]
    for _ in range(runs):
        for kind in ("bare", "app"):
            started = time.monotonic()
            result = subprocess.run(
                [*command, kind, str(archive_path)],
                env=child_env(tmp), capture_output=True, text=True, timeout=120, check=False,
            )  # fmt: skip
            got = _startup_times(result.stdout)
            if result.returncode != 0 or "first-paint" not in got:
                raise RuntimeError(f"start-up {kind} failed ({result.returncode}):\n"
                                   f"{result.stderr[-3000:]}")  # fmt: skip
            times[kind].append((got["first-paint"] - started) * 1000)
            if kind == "app":
                times["records"].append((got["records-painted"] - started) * 1000)
    bare = statistics.median(times["bare"])
    return {
        "startup_first_paint": figure(
            statistics.median(times["app"]), bare, "ms", f"median of {runs} subprocess starts"
        ),
        "startup_records_painted": figure(
            statistics.median(times["records"]),
            bare,
            "ms",
            "until the first tab has painted its rows; baseline the bare window's first paint",
        ),
    }


# =========================================================================== notes export


def _fill_notes(store_path: Path, archive: Any, count: int) -> None:
    """`count` notes on count/2 records (one in five bookmarked), straight into the store."""
    import random
    import sqlite3

    from archive_browser.core.store import UserStore

    UserStore.open(store_path).close()  # creates the schema
    rng = random.Random(1933)
    total = archive.conn.execute("SELECT max(rid) FROM records").fetchone()[0]
    rids = rng.sample(range(1, total + 1), min(total, count // 2))
    record_ids = [
        r[0]
        for r in archive.conn.execute(
            f"SELECT id FROM records WHERE rid IN ({','.join(map(str, rids))})"
        )
    ]
    texts = (
        "Compare with the Kazan report.",
        "=SUM(A1) looks like a formula",
        'Quote: "the work has been of great interest", p. 4',
        "Zwei Zeilen\nmit Umbruch",
        "Проверить в РГВА, ф. 33987",
    )
    conn = sqlite3.connect(store_path)
    with conn:
        conn.executemany(
            'INSERT INTO "notes" ("archive_id", "record_id", "text", "created", "modified")'
            " VALUES (?, ?, ?, ?, ?)",
            (
                (
                    archive.archive_id,
                    record_ids[i % len(record_ids)],
                    f"{texts[i % len(texts)]} #{i}",
                    f"2024-01-01T00:00:{i % 60:02d}.{i:06d}Z",
                    f"2024-02-01T00:00:{i % 60:02d}.{i:06d}Z",
                )
                for i in range(count)
            ),
        )
        conn.executemany(
            'INSERT INTO "bookmarks" ("archive_id", "record_id", "created") VALUES (?, ?, ?)',
            ((archive.archive_id, rid, "2024-03-01T00:00:00.000000Z") for rid in record_ids[::5]),
        )
    conn.close()


def _raw_export(store_path: Path, archive: Any, out: Path) -> None:
    """csv.writer over the same rows: notes read with one SELECT, record cells from a dict
    made by one query per table, a bookmark set; the 8 columns the export writes."""
    import csv
    import sqlite3

    conn = sqlite3.connect(store_path)
    notes = conn.execute(
        'SELECT "record_id", "text", "created", "modified" FROM "notes"'
        ' WHERE "archive_id" = ? ORDER BY "record_id", "created", "id"',
        (archive.archive_id,),
    ).fetchall()
    marked = {r[0] for r in conn.execute('SELECT "record_id" FROM "bookmarks"')}
    conn.close()
    wanted = sorted({n[0] for n in notes})
    info: dict[str, tuple[str, str]] = {}
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        marks = ",".join("?" * len(chunk))
        for record_id, type_name, title in archive.conn.execute(
            f"SELECT id, type, title FROM records WHERE id IN ({marks})", chunk
        ):
            info[record_id] = (type_name, title)
    with out.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(
            (
                "record_id",
                "type",
                "title",
                "archival_references",
                "note",
                "created",
                "modified",
                "bookmarked",
            )
        )
        writer.writerows(
            (
                rid,
                *info.get(rid, ("", "")),
                "",
                text,
                created,
                modified,
                "yes" if rid in marked else "no",
            )
            for rid, text, created, modified in notes
        )


def measure_export(archive_path: Path, tmp: Path) -> Figures:
    from archive_browser.core import export
    from archive_browser.core.archive import Archive
    from archive_browser.core.records import archive_record_info
    from archive_browser.core.store import UserStore

    notes = CONFIG.export_notes
    log(f"export: {notes:,} notes")
    archive = Archive.open(archive_path)
    store_path = tmp / "notes.sqlite3"
    _fill_notes(store_path, archive, notes)
    store = UserStore.open(store_path)
    info = archive_record_info(archive)
    # Each once to warm the caches, then measured.
    export.write_notes_csv(store, archive.archive_id, info, tmp / "warm.csv")
    _raw_export(store_path, archive, tmp / "warm-raw.csv")
    started = time.perf_counter()
    rows = export.write_notes_csv(store, archive.archive_id, info, tmp / "notes.csv")
    value = time.perf_counter() - started
    started = time.perf_counter()
    _raw_export(store_path, archive, tmp / "notes-raw.csv")
    baseline = time.perf_counter() - started
    store.close()
    archive.close()
    return {"export_notes_csv": figure(value, baseline, "s", f"{rows:,} rows, {notes:,} notes")}


# =========================================================================== the run


TARGETS: dict[str, tuple[float | None, float | None]] = {
    # name prefix: (largest value, largest ratio) at 1,000,000 records
    "search_p95": (50.0, 1.5),
    "tab_open_": (150.0, None),
    "tab_memory_": (60.0, None),
    "scroll_end_": (300.0, None),
    "gui_block_max_": (16.0, None),
    "startup_first_paint": (None, 1.3),
    "export_notes_csv": (None, 1.5),
}


def target_of(name: str) -> tuple[float | None, float | None] | None:
    for prefix, target in TARGETS.items():
        if name.startswith(prefix):
            return target
    return None


def verdict(name: str, item: dict[str, Any]) -> str:
    target = target_of(name)
    if target is None:
        return ""
    most, most_ratio = target
    fails = []
    if most is not None and item["value"] > most:
        fails.append(f"> {most:g} {item['unit']}")
    if most_ratio is not None and item["ratio"] is not None and item["ratio"] > most_ratio:
        fails.append(f"> {most_ratio:g}x")
    return "MISS " + ", ".join(fails) if fails else "ok"


def has_window() -> bool:
    import importlib.util

    return importlib.util.find_spec("archive_browser.ui.widgets.main_window") is not None


def run_all(records: int, archive: Path | None, quiet: bool, only: set[str] | None) -> Figures:
    archive_path = ensure_archive(records, archive, quiet)
    gui = has_window()
    figures: Figures = {}
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as folder:
        tmp = Path(folder)
        steps: list[tuple[str, Callable[[], Figures]]] = [
            ("startup", lambda: measure_startup(archive_path, tmp)),
            ("search", lambda: measure_search(archive_path)),
            ("tabs", lambda: measure_tabs(archive_path, tmp, gui)),
            ("filter", lambda: measure_filter(archive_path, tmp)),
            ("export", lambda: measure_export(archive_path, tmp)),
            ("build", lambda: measure_build(records, tmp)),
        ]
        for name, step in steps:
            if only and name not in only:
                continue
            if name in ("startup", "filter") and not gui:
                continue
            figures.update(step())
    return figures


def print_table(figures: Figures, records: int) -> None:
    print(f"Archive Browser benchmarks, {records:,} records")
    header = f"{'figure':<28} {'value':>10} {'baseline':>10} {'ratio':>7}  unit  target"
    print(header)
    print("-" * len(header))
    for name, item in figures.items():
        ratio = "-" if item["ratio"] is None else f"{item['ratio']:.2f}"
        print(
            f"{name:<28} {item['value']:>10.2f} {item['baseline']:>10.2f} "
            f"{ratio:>7}  {item['unit']:<4}  {verdict(name, item)}"
        )


def run_sizes(sizes: list[int], plot: Path | None, quiet: bool) -> dict[str, Figures]:
    """Search latency and tab memory at each archive size (for the plot)."""
    results: dict[str, Figures] = {}
    for size in sizes:
        log(f"size {size:,}")
        archive_path = ensure_archive(size, None, quiet)
        with tempfile.TemporaryDirectory(prefix="archive-bench-") as folder:
            figures = measure_search(archive_path)
            figures.update(measure_tabs(archive_path, Path(folder), has_window()))
        results[str(size)] = figures
    if plot is not None:
        sys.path.insert(0, str(HERE))
        from plot import write_plot

        write_plot(results, plot)
        log(f"wrote {plot}")
    return results


def child_main(args: list[str]) -> int:
    kind = args[0]
    if kind == "startup":
        child_startup(args[1], args[2])
        return 1  # only reached when the window never painted
    if kind == "tab-core":
        result = child_tab_core(Path(args[1]), args[2], args[3])
    elif kind == "tab-gui":
        result = child_tab_gui(Path(args[1]), args[2])
    elif kind == "filter":
        result = child_filter(Path(args[1]), args[2], json.loads(args[3]))
    else:
        raise SystemExit(f"unknown child {kind}")
    print(json.dumps(result), flush=True)
    os._exit(0)  # skip Qt's teardown: nothing to save, and it only adds noise


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child_main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--archive", type=Path, help="an existing archive to measure")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--only", help="comma-separated steps: startup,search,tabs,filter,export,build"
    )
    parser.add_argument("--sizes", help="comma-separated archive sizes, for --plot")
    parser.add_argument("--plot", type=Path, help="write an SVG plot of search and memory")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument(
        "--workdir", type=Path, help="where archives are built and kept (default: benchmarks/out/)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer repetitions: proves the run works, not the speed",
    )
    args = parser.parse_args(argv)
    if args.workdir:
        CONFIG.out_dir = args.workdir
    if args.quick:
        CONFIG.make_quick()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
        results = run_sizes(sizes, args.plot, args.quiet)
        if args.json:
            print(json.dumps(results, indent=2))
        return 0
    only = set(args.only.split(",")) if args.only else None
    log(f"load average before: {load_average()}")
    figures = run_all(args.records, args.archive, args.quiet, only)
    log(f"load average after: {load_average()} (above ~0.5 on 2 cores, timings are coloured)")
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        print_table(figures, args.records)
    return 0


if __name__ == "__main__":
    sys.exit(main())
