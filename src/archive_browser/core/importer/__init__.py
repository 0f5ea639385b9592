"""The importer: CSV files in the documented format -> an archive database.

The bundled archive (`data/` -> `data/archive.db`) and a user's own finding aid
(`archive-browser import`) go through this one code path: read every file, validate
everything, and only then write a new database next to the target and move it into place,
so a failed import leaves nothing half-written.

Modules: `format` (the files and columns), `read`, `validate`, `write`, `staleness` (the
source hash), `templates`; a single file as people hold it: `tabular` (CSV/TSV/XLSX),
`mapping` (columns to fields), `ead` (EAD and ISAD(G) CSV), `single` (the steps together).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from archive_browser.core.importer.format import (
    ALIASES,
    AUTHORITY_FILE,
    AUX_TABLES,
    LINKS,
    META,
    QUOTES,
    SLUG,
    TYPE_FILES,
    AuxTable,
    BuildError,
    BuildReport,
    Dataset,
    ImportCancelled,
    Problem,
    Progress,
    Row,
    input_files,
    problem_lines,
)
from archive_browser.core.importer.read import read_csv, read_dataset
from archive_browser.core.importer.staleness import (
    BUILD_CODE,
    build_code_files,
    is_stale,
    source_hash,
)
from archive_browser.core.importer.templates import TEMPLATE_EXAMPLES, write_templates
from archive_browser.core.importer.validate import validate
from archive_browser.core.importer.write import write_archive, write_default_order

__all__ = [
    "ALIASES",
    "AUTHORITY_FILE",
    "AUX_TABLES",
    "BUILD_CODE",
    "LINKS",
    "META",
    "QUOTES",
    "SLUG",
    "TEMPLATE_EXAMPLES",
    "TYPE_FILES",
    "AuxTable",
    "BuildError",
    "BuildReport",
    "Dataset",
    "ImportCancelled",
    "Problem",
    "Progress",
    "Row",
    "build_archive",
    "build_code_files",
    "input_files",
    "is_stale",
    "problem_lines",
    "read_csv",
    "read_dataset",
    "source_hash",
    "validate",
    "write_archive",
    "write_default_order",
    "write_templates",
]


def build_archive(
    inputs: Path | Sequence[Path],
    out: Path,
    *,
    archive_id: str | None = None,
    title: str | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Read, validate and write; raises BuildError (with every problem) and writes nothing."""
    paths = [inputs] if isinstance(inputs, Path) else list(inputs)
    dataset, problems = read_dataset(paths, progress)
    # Validate what could be read even when some files could not: every problem at once.
    problems.extend(validate(dataset))
    if any(not p.warning for p in problems):
        raise BuildError(problems)
    return write_archive(
        dataset, out, archive_id=archive_id, title=title, progress=progress, warnings=problems
    )
