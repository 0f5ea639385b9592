"""The import format (the CSV files and their columns) and what its steps pass on."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from archive_browser.core import citations as citation_parser
from archive_browser.core.dates import PartialDate, parse_human
from archive_browser.core.record_types import RECORD_TYPES

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class AuxTable:
    """A file that is not a record type: quotes, links, aliases, meta."""

    table: str
    columns: tuple[str, ...]
    required: tuple[str, ...]

    @property
    def csv_name(self) -> str:
        return f"{self.table}.csv"


QUOTES = AuxTable(
    "quotes",
    ("id", "record", "speaker", "text", "reconstructed", "seed", "note"),
    ("id", "record", "text", "reconstructed"),
)
LINKS = AuxTable("links", ("from", "to", "role", "seed", "added"), ("from", "to", "role"))
ALIASES = AuxTable("aliases", ("record", "alias", "scheme", "note"), ("record", "alias", "scheme"))
META = AuxTable("meta", ("key", "value"), ("key", "value"))
AUX_TABLES = {t.csv_name: t for t in (QUOTES, LINKS, ALIASES, META)}
TYPE_FILES = {t.csv_name: t for t in RECORD_TYPES.values()}
# The citation authority list ships inside the package; the importer does not import it,
# but a change to it changes how citations are keyed, so it is hashed with the build code.
# A copy among the inputs (an old data folder) is left out with a warning.
AUTHORITY_FILE = citation_parser.AUTHORITY_FILE

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.file}:{self.line}: {kind}{self.message}"


class BuildError(Exception):
    """The input is not valid; `problems` lists every error and warning found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if not p.warning]
        super().__init__(f"{len(errors)} error(s) in the input; nothing was written.")


@dataclass
class Row:
    file: str
    line: int
    values: dict[str, str]


@dataclass
class Dataset:
    records: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in RECORD_TYPES})
    quotes: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    aliases: list[Row] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    source_hash: str = ""
    # Record types whose file could not be read: links to them are not reported as missing.
    unread_types: set[str] = field(default_factory=set)
    # Each citation text as validation parsed it, so writing does not parse it again.
    parsed_citations: dict[tuple[str, str], list[citation_parser.Citation]] = field(
        default_factory=dict
    )

    @property
    def record_count(self) -> int:
        return sum(len(rows) for rows in self.records.values())


@dataclass(frozen=True)
class BuildReport:
    path: Path
    records: int
    links: int
    aliases: int
    citations: int
    seconds: float
    warnings: tuple[Problem, ...]


def input_files(inputs: Sequence[Path]) -> list[Path]:
    """The CSV files named, or found in the folders named, in a stable order."""
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv"))
        else:
            files.append(path)
    return files


class ImportCancelled(Exception):
    """Raised by a progress callback to stop an import; nothing is written."""


MAX_PROBLEMS_SHOWN = 50


def problem_lines(problems: Sequence[Problem], limit: int = MAX_PROBLEMS_SHOWN) -> list[str]:
    """The problems as `file:line: message` lines, errors first, the first `limit` of them and
    then a count of the rest: a file of a million bad rows gives a readable answer."""
    ordered = [p for p in problems if not p.warning] + [p for p in problems if p.warning]
    lines = [str(p) for p in ordered[:limit]]
    if len(ordered) > limit:
        lines.append(f"… and {len(ordered) - limit:,} more problem(s) not shown.")
    return lines


@lru_cache(maxsize=8192)
def read_date(text: str) -> PartialDate:
    """parse_human, remembered: a finding aid repeats its dates (a year, a range) thousands of
    times, and validation and writing both read each one (DateError is not remembered)."""
    return parse_human(text)


def source_citations(
    values: dict[str, str],
    cache: dict[tuple[str, str], list[citation_parser.Citation]] | None = None,
) -> list[citation_parser.Citation]:
    """The citations of a source row. A reference printed without its archive (an edition's
    `R 43 I/686, Bl. 183` under a Bundesarchiv heading) is read in the context of the row's
    own `archive` column, as a reader of the finding aid would. `cache` remembers each
    (archive, citation) pair: validation and writing both ask, and finding aids repeat."""
    text = values.get("citation", "")
    if not text:
        return []
    archive = values.get("archive", "").strip()
    if cache is not None and (archive, text) in cache:
        return cache[(archive, text)]
    found = citation_parser.parse_citations(text)
    if not found and archive:
        found = citation_parser.parse_citations(f"{archive}, {text}")
    if cache is not None:
        cache[(archive, text)] = found
    return found
