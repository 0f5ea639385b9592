"""Corpus figures: python -m archive_browser.core.citations --corpus FILE

The corpus is a CSV with the columns `text, expected_key, expected_count, origin` and, when
given, `family` (the form a row belongs to: `Ukrainian`, `Special Archive`, ...). The report
gives the share of citation rows whose keys come out exactly as expected, the false positives
among the rows that cite nothing, and both per family.
"""

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
    # family -> (citation rows, exact, non-citation rows, false positives)
    families: tuple[tuple[str, tuple[int, int, int, int]], ...] = ()

    @property
    def exact_share(self) -> float:
        return self.exact_rows / self.citation_rows if self.citation_rows else 1.0


def family_table(figures: CorpusFigures) -> str:
    """The accuracy per family as a Markdown table (docs/citations.md prints it)."""
    lines = [
        "| family | citation rows | exact keys | share | non-citation rows | false positives |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    rows = [
        *figures.families,
        (
            "all",
            (
                figures.citation_rows,
                figures.exact_rows,
                figures.non_citation_rows,
                figures.false_positive_rows,
            ),
        ),
    ]
    for name, (cits, exact, non, fp) in rows:
        share = f"{exact / cits:.1%}" if cits else "–"
        label = f"**{name}**" if name == "all" else name
        lines.append(f"| {label} | {cits} | {exact} | {share} | {non} | {fp} |")
    return "\n".join(lines)


def _keys_written(cits: Sequence[Citation]) -> str:
    return " ; ".join(c.key or f"~{c.partial_key}" for c in cits)


def read_corpus(path: Path) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def corpus_figures(rows: Iterable[dict[str, str]]) -> CorpusFigures:
    cit_rows = exact = non_rows = fp = 0
    failures = []
    per_family: dict[str, list[int]] = {}
    for row in rows:
        expected = " ; ".join(k.strip() for k in row["expected_key"].split(";") if k.strip())
        got = _keys_written(parse_citations(row["text"]))
        counts = per_family.setdefault((row.get("family") or "").strip() or "(none)", [0] * 4)
        if expected:
            cit_rows += 1
            exact += got == expected
            counts[0] += 1
            counts[1] += got == expected
        else:
            non_rows += 1
            fp += bool(got)
            counts[2] += 1
            counts[3] += bool(got)
        if got != expected:
            failures.append((row["text"], expected, got))
    families = tuple((name, (c[0], c[1], c[2], c[3])) for name, c in per_family.items())
    return CorpusFigures(cit_rows, exact, non_rows, fp, tuple(failures), families)


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
        if len(figures.families) > 1:
            print()
            print(family_table(figures))
        return 0
    text = " ".join(args.text) if args.text else sys.stdin.read()
    if args.json:
        print(json.dumps(citations_json(text), ensure_ascii=False, indent=2))
    else:
        print(format_table(parse_citations(text)))
    return 0
