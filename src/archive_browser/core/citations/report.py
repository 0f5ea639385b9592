"""Corpus figures: python -m archive_browser.core.citations --corpus FILE"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from archive_browser.core.citations.formatting import citations_json, format_table
from archive_browser.core.citations.grammar import parse_citations
from archive_browser.core.citations.model import Citation


@dataclass(frozen=True)
class CorpusFigures:
    citation_rows: int
    exact_rows: int
    non_citation_rows: int
    false_positive_rows: int
    failures: tuple[tuple[str, str, str], ...]

    @property
    def exact_share(self) -> float:
        return self.exact_rows / self.citation_rows if self.citation_rows else 1.0


def _keys_written(cits: Sequence[Citation]) -> str:
    return " ; ".join(c.key or f"~{c.partial_key}" for c in cits)


def read_corpus(path: Path) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def corpus_figures(rows: Iterable[dict[str, str]]) -> CorpusFigures:
    cit_rows = exact = non_rows = fp = 0
    failures = []
    for row in rows:
        expected = " ; ".join(k.strip() for k in row["expected_key"].split(";") if k.strip())
        got = _keys_written(parse_citations(row["text"]))
        if expected:
            cit_rows += 1
            exact += got == expected
        else:
            non_rows += 1
            fp += bool(got)
        if got != expected:
            failures.append((row["text"], expected, got))
    return CorpusFigures(cit_rows, exact, non_rows, fp, tuple(failures))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m archive_browser.core.citations")
    parser.add_argument("--corpus", type=Path, help="CSV with text,expected_key,... columns")
    parser.add_argument("--json", action="store_true", help="print citations as JSON")
    parser.add_argument("text", nargs="*")
    args = parser.parse_args(argv)
    if args.corpus:
        figures = corpus_figures(read_corpus(args.corpus))
        for text, expected, got in figures.failures:
            print(f"MISS  {text!r}\n      expected {expected!r}\n      got      {got!r}")
        print(
            f"exact keys: {figures.exact_rows}/{figures.citation_rows} citation rows "
            f"({figures.exact_share:.1%})"
        )
        print(
            f"false positives: {figures.false_positive_rows}/{figures.non_citation_rows} "
            "non-citation rows"
        )
        return 0
    text = " ".join(args.text) if args.text else sys.stdin.read()
    if args.json:
        print(json.dumps(citations_json(text), ensure_ascii=False, indent=2))
    else:
        print(format_table(parse_citations(text)))
    return 0
