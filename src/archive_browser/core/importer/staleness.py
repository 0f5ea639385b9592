"""When an archive is stale: a hash of its input files and of the code that builds it."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from archive_browser.core import citations as citation_parser
from archive_browser.core.importer.format import AUTHORITY_FILE, AUX_TABLES, TYPE_FILES, input_files
from archive_browser.core.schema import SCHEMA_VERSION

# The code that decides what goes into an archive: a change to it makes the archive stale
# just as a change to data/ does (the search index format, the citation keys, the dates).
# Names are relative to core/; a package stands for every module in it.
BUILD_CODE = (
    "importer",
    "schema.py",
    "search",
    "names.py",
    "citations",
    "dates.py",
    "record_types.py",
    "text.py",
)


def hash_file(digest: Any, name: str, raw: bytes) -> None:
    digest.update(name.encode() + b"\0" + raw)


def build_code_files() -> list[tuple[str, Path]]:
    """Every source file of `BUILD_CODE`, named relative to core/, in a stable order.

    A frozen build carries no sources and yields nothing; it never rebuilds anyway.
    """
    core = Path(__file__).resolve().parents[1]
    files: list[tuple[str, Path]] = []
    for name in BUILD_CODE:
        path = core / name
        found = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        files += [(f.relative_to(core).as_posix(), f) for f in found if f.is_file()]
    return files


def code_digest(digest: Any) -> None:
    for name, path in build_code_files():
        hash_file(digest, name, path.read_bytes())
    hash_file(digest, AUTHORITY_FILE, citation_parser.authority_file().read_bytes())


def source_hash(inputs: Sequence[Path]) -> str:
    """The hash `archive_meta.source_hash` records, to tell when an archive is stale."""
    digest = hashlib.sha256()
    code_digest(digest)
    for path in input_files(inputs):
        if path.name.lower() in {*TYPE_FILES, *AUX_TABLES}:
            hash_file(digest, path.name, path.read_bytes())
    return digest.hexdigest()


def is_stale(inputs: Sequence[Path], out: Path) -> bool:
    if not out.exists():
        return True
    try:
        conn = sqlite3.connect(out.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            row = conn.execute(
                "SELECT value FROM archive_meta WHERE key = 'source_hash'"
            ).fetchone()
            version = conn.execute(
                "SELECT value FROM archive_meta WHERE key = 'schema_version'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return True
    return row is None or row[0] != source_hash(inputs) or version != (str(SCHEMA_VERSION),)
