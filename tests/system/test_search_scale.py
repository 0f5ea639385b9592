"""Search at 100,000 records: a type filter costs no more than twice the unfiltered search.

Issue 24 finding 10: `search --type` probed the full-text index once per record of the
type (19 s at 100,000 records against 0.27 s without the filter). The archive is the
benchmark's (`benchmarks/make_large_archive.py`), reused from `benchmarks/out/` when current,
else built here (about two minutes).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz import hostile_queries

from archive_browser.core.archive import Archive
from archive_browser.core.record_types import RECORD_TYPES

REPO = Path(__file__).resolve().parents[2]
RECORDS = 100_000
QUERIES = ("Ivan", "Lipetsk", "Kazan tank school", "RGVA f. 1", "Tuch", "1927", "air base")


@pytest.fixture(scope="module")
def large_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from make_large_archive import build_large_archive, is_current
    finally:
        sys.path.pop(0)
    path = REPO / "benchmarks" / "out" / f"archive-{RECORDS}.db"
    if not (path.exists() and is_current(path, RECORDS)):
        path = tmp_path_factory.mktemp("large") / f"archive-{RECORDS}.db"
        build_large_archive(RECORDS, path, show_progress=False)
    archive = Archive.open(path)
    yield archive
    archive.close()


def _median_ms(run: object, repeat: int = 5) -> float:
    assert callable(run)
    run()  # warm the page cache
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


@pytest.mark.slow
@pytest.mark.parametrize("type_name", list(RECORD_TYPES))
def test_type_filtered_search_within_twice_the_unfiltered_time(
    large_archive: Archive, type_name: str
) -> None:
    unfiltered_ms, filtered_ms = {}, {}
    for query in QUERIES:
        assert all(h.type == type_name for h in large_archive.search(query, types=[type_name]))
        unfiltered_ms[query] = _median_ms(lambda q=query: large_archive.search(q))
        filtered_ms[query] = _median_ms(lambda q=query: large_archive.search(q, types=[type_name]))
    # Summed over the queries: one query answered in a millisecond is within timer noise on
    # a shared machine; the per-record probe this guards against cost seconds.
    assert sum(filtered_ms.values()) <= 2 * sum(unfiltered_ms.values()), (
        filtered_ms,
        unfiltered_ms,
    )
    for query in QUERIES:
        assert filtered_ms[query] <= 2 * unfiltered_ms[query] + 10.0, query


FUZZ_BOUND = settings(
    max_examples=40,
    derandomize=True,  # the fuzz suite's own fixed sequence, the one that found finding 10
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.slow
@FUZZ_BOUND
@given(query=hostile_queries, type_name=st.sampled_from(sorted(RECORD_TYPES)))
def test_fuzzed_queries_with_a_type_filter_stay_within_twice_the_unfiltered_time(
    large_archive: Archive, query: str, type_name: str
) -> None:
    """The queries of the search fuzz test (tests/system/test_fuzz.py), which found the
    per-record probe: with a type filter each answers within twice the unfiltered time (and a
    50 ms allowance for a single timing on a shared machine; the probe cost seconds)."""
    started = time.perf_counter()
    large_archive.search(query)
    unfiltered = time.perf_counter() - started
    started = time.perf_counter()
    hits = large_archive.search(query, types=[type_name])
    filtered = time.perf_counter() - started
    assert all(hit.type == type_name for hit in hits)
    assert filtered <= 2 * unfiltered + 0.05, (query, filtered, unfiltered)
