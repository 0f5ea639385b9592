"""Copies are the same file: the concordance of originals and their copies (R8).

A German Foreign Office file microfilmed by the US National Archives (PA AA `R 28223` and
NARA T-120 roll/frames), German military records on NARA T-77/T-78/T-175 rolls and their
BArch signatures, RGVA Special Archive fonds and their US Holocaust Memorial Museum film
(RG-11.001M...): the keys never agree as strings, so a list says which belong together.

The list is `concordance.csv`, one row per original and copy:

    original_key,copy_key,copy_label,relation,source

- `original_key`, `copy_key`: file keys as `parse_citations` writes them (`PA AA||R 28223`,
  `NARA|T120||2345`). A key whose lower levels are left empty names a whole collection
  (`RGVA|500K||`, `NARA|T120||`): such a row links the collections, not single files.
- `copy_label`: what the copy is, in words; `relation`: `microfilm_copy`,
  `partial_microfilm_copy`, `selected_photocopies`, ...
- `source`: where the pair is documented. A row without a source is not used.

The program ships the pairs it can source (`archive_browser/resources/concordance.csv`); a
user adds their own in `concordance.csv` in the user's data folder (`core.paths.user_data_dir`),
read after the shipped one. Keys are compared without regard to case (`keys.canonical_key`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from archive_browser.core.citations.authority import RESOURCES_PACKAGE
from archive_browser.core.citations.keys import canonical_key, key_levels, partial_key_matches

CONCORDANCE_FILE = "concordance.csv"
COLUMNS = ("original_key", "copy_key", "copy_label", "relation", "source")


@dataclass(frozen=True)
class ConcordanceEntry:
    original_key: str
    copy_key: str
    copy_label: str
    relation: str
    source: str
    origin: str  # the file the row was read from, for messages

    @property
    def file_level(self) -> bool:
        """Both sides name one file (every level given), not a collection."""
        return is_file_key(self.original_key) and is_file_key(self.copy_key)


@dataclass(frozen=True)
class CopyLink:
    """The other side of a concordance row, seen from a citation's key."""

    key: str  # the counterpart's key (a collection key when `file_level` is false)
    is_original: bool  # True: `key` is the original of the citation; False: a copy of it
    entry: ConcordanceEntry

    @property
    def file_level(self) -> bool:
        return self.entry.file_level

    @property
    def role(self) -> str:
        return "copy of" if self.is_original else "original of"


@dataclass(frozen=True)
class Concordance:
    entries: tuple[ConcordanceEntry, ...]
    problems: tuple[str, ...] = ()

    def links(self, key: str) -> list[CopyLink]:
        """Every counterpart of `key` (a full or partial key): its originals and its copies.

        A row applies when `key` falls under one of its sides: `NARA|T120||2345` falls under
        the collection row `NARA|T120||` and under the file row `NARA|T120||2345`.
        """
        out: list[CopyLink] = []
        if not key:
            return out
        for entry in self.entries:
            if _falls_under(key, entry.copy_key):
                out.append(CopyLink(entry.original_key, True, entry))
            if _falls_under(key, entry.original_key):
                out.append(CopyLink(entry.copy_key, False, entry))
        return out

    def same_file_keys(self, key: str) -> list[CopyLink]:
        """The counterparts that are one file, as the same file in another archive."""
        return [
            link
            for link in self.links(key)
            if link.file_level and canonical_key(_side(link)) == canonical_key(key)
        ]

    def node_links(self, key: str) -> list[CopyLink]:
        """The rows whose one side is exactly `key` (a tree node: a file or a collection)."""
        wanted = canonical_key(key)
        return [link for link in self.links(key) if canonical_key(_side(link)) == wanted]


def _side(link: CopyLink) -> str:
    """The side of the row the link was found from."""
    return link.entry.copy_key if link.is_original else link.entry.original_key


def is_file_key(key: str) -> bool:
    archive, fond, _opis, delo = key_levels(key)
    return bool(archive and delo) and (bool(fond) or delo.startswith("R "))


def _falls_under(key: str, side: str) -> bool:
    """`key` is `side`, or lies inside the collection `side` names."""
    if canonical_key(key) == canonical_key(side):
        return True
    if is_file_key(side):
        return False
    return _levels_given(side) and partial_key_matches(side, key) and _prefix_only(side)


def _levels_given(key: str) -> bool:
    return any(key_levels(key))


def _prefix_only(key: str) -> bool:
    """A collection key gives its levels from the top: `RGVA|500K||`, never `RGVA||1|`."""
    seen_empty = False
    for part in key_levels(key):
        if not part:
            seen_empty = True
        elif seen_empty:
            return False
    return True


def packaged_concordance_text() -> str:
    source = files(RESOURCES_PACKAGE) / CONCORDANCE_FILE
    return source.read_bytes().decode("utf-8-sig") if source.is_file() else ""


def user_concordance_path() -> Path:
    from archive_browser.core.paths import user_data_dir

    return user_data_dir() / CONCORDANCE_FILE


def read_concordance_text(text: str, origin: str) -> tuple[list[ConcordanceEntry], list[str]]:
    """The rows of one concordance file; a row missing a key or its source is reported."""
    entries: list[ConcordanceEntry] = []
    problems: list[str] = []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in ("original_key", "copy_key", "source") if c not in header]
    if text.strip() and missing:
        return [], [f"{origin}: the header lacks {', '.join(missing)}; the file is not used."]
    for line, row in enumerate(reader, start=2):
        original = (row.get("original_key") or "").strip()
        copy = (row.get("copy_key") or "").strip()
        source = (row.get("source") or "").strip()
        if not original or not copy or "|" not in original or "|" not in copy:
            problems.append(f"{origin}, line {line}: two file keys are needed; row skipped.")
            continue
        if not source:
            problems.append(f"{origin}, line {line}: the row gives no source; row skipped.")
            continue
        entries.append(
            ConcordanceEntry(
                original,
                copy,
                (row.get("copy_label") or "").strip(),
                (row.get("relation") or "").strip(),
                source,
                origin,
            )
        )
    return entries, problems


def load_concordance(user_file: Path | None = None) -> Concordance:
    """The shipped concordance plus the user's (`user_file`, default: the data folder's)."""
    path = user_file if user_file is not None else user_concordance_path()
    try:
        stamp = path.stat().st_mtime_ns if path.is_file() else None
    except OSError:
        stamp = None
    return _load(str(path), stamp)


@lru_cache(maxsize=4)
def _load(path: str, stamp: int | None) -> Concordance:
    entries, problems = read_concordance_text(packaged_concordance_text(), CONCORDANCE_FILE)
    if stamp is not None:
        try:
            text = Path(path).read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot be read ({exc.__class__.__name__}); not used.")
        else:
            more, more_problems = read_concordance_text(text, path)
            entries += more
            problems += more_problems
    return Concordance(tuple(entries), tuple(problems))
