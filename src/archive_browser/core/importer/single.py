"""Importing one file as people hold it: a spreadsheet (CSV/TSV/XLSX, through a column
mapping), an EAD finding aid, or AtoM's ISAD(G) CSV. The records go through the same
validation and the same write code as the seven-file format."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from archive_browser.core.importer.ead import ead_dataset, is_isad_csv, isad_dataset
from archive_browser.core.importer.format import (
    AUX_TABLES,
    TYPE_FILES,
    BuildError,
    BuildReport,
    Dataset,
    Problem,
    Progress,
)
from archive_browser.core.importer.mapping import (
    Mapping,
    apply_overrides,
    fit_saved_mapping,
    load_mapping,
    mapping_json,
    propose_mapping,
    table_dataset,
)
from archive_browser.core.importer.staleness import code_digest
from archive_browser.core.importer.tabular import Table, open_table
from archive_browser.core.importer.validate import validate
from archive_browser.core.importer.write import write_archive

XML_SUFFIXES = (".xml", ".ead")
SINGLE_FILE_SUFFIXES = (".csv", ".tsv", ".txt", ".tab", ".xlsx", ".xlsm", *XML_SUFFIXES)


def is_single_file(path: Path) -> bool:
    """A file (not a folder) that is not one of the seven files of the exact format."""
    name = path.name.lower()
    return not path.is_dir() and name not in TYPE_FILES and name not in AUX_TABLES


@dataclass
class ImportPlan:
    """What a single-file import will do: the file's kind, its table and the mapping."""

    path: Path
    kind: str  # table | isad | ead
    table: Table | None = None
    mapping: Mapping | None = None

    @property
    def encoding_note(self) -> str:
        if self.table is None or self.table.encoding is None:
            return ""
        return self.table.encoding.reason

    def mapping_json(self) -> str:
        assert self.table is not None and self.mapping is not None
        encoding = self.table.encoding.name if self.table.encoding else None
        return mapping_json(self.mapping, encoding=encoding, sheet=self.table.sheet)


def plan_import(
    path: Path,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    mapping_file: Path | None = None,
    overrides: Sequence[str] = (),
) -> ImportPlan:
    """Open the file far enough to know its kind, header and proposed mapping."""
    if not path.exists():
        raise BuildError([Problem(str(path), 0, "no such file.")])
    if path.suffix.lower() in XML_SUFFIXES:
        if overrides or mapping_file or sheet or encoding:
            raise BuildError(
                [Problem(path.name, 0, "an EAD file needs no mapping, sheet or encoding.")]
            )
        return ImportPlan(path, "ead")
    saved = load_mapping(mapping_file) if mapping_file else None
    table = open_table(
        path,
        encoding=encoding or (saved.encoding if saved else None),
        sheet=sheet or (saved.sheet if saved else None),
    )
    if is_isad_csv(table.header) and not overrides and not saved:
        return ImportPlan(path, "isad", table)
    mapping = (
        fit_saved_mapping(saved.columns, table.header, table.name)
        if saved
        else propose_mapping(table.header)
    )
    mapping = apply_overrides(mapping, table.header, overrides)
    return ImportPlan(path, "table", table, mapping)


def _file_hash(plan: ImportPlan) -> str:
    digest = hashlib.sha256()
    code_digest(digest)
    with plan.path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    if plan.mapping is not None:
        digest.update(plan.mapping_json().encode())
    return digest.hexdigest()


def read_plan(plan: ImportPlan, progress: Progress | None = None) -> tuple[Dataset, list[Problem]]:
    """Every record of the file, and every problem (reading and validation) at once."""
    if plan.kind == "ead":
        dataset, problems = ead_dataset(plan.path, progress)
    elif plan.kind == "isad":
        assert plan.table is not None
        dataset, problems = isad_dataset(plan.table, progress)
    else:
        assert plan.table is not None and plan.mapping is not None
        dataset, problems = table_dataset(plan.table, plan.mapping, progress=progress)
    if not any(not p.warning for p in problems):
        problems.extend(validate(dataset))
    if not dataset.record_count and not any(not p.warning for p in problems):
        problems.append(Problem(plan.path.name, 0, "the file holds no records to import."))
    try:
        dataset.source_hash = _file_hash(plan)
    except OSError as exc:
        problems.append(Problem(plan.path.name, 0, f"cannot read the file: {exc.strerror}."))
    return dataset, problems


def check_plan(plan: ImportPlan, progress: Progress | None = None) -> tuple[Dataset, list[Problem]]:
    """read_plan that raises BuildError when there is any error (warnings pass)."""
    try:
        dataset, problems = read_plan(plan, progress)
    except BuildError:
        raise
    if any(not p.warning for p in problems):
        raise BuildError(problems)
    return dataset, problems


def write_plan(
    dataset: Dataset,
    warnings: Sequence[Problem],
    out: Path,
    *,
    archive_id: str,
    title: str | None,
    progress: Progress | None = None,
) -> BuildReport:
    return write_archive(
        dataset, out, archive_id=archive_id, title=title, progress=progress, warnings=warnings
    )


def import_file(
    plan: ImportPlan,
    out: Path,
    *,
    archive_id: str,
    title: str | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    dataset, warnings = check_plan(plan, progress)
    return write_plan(
        dataset,
        warnings,
        out,
        archive_id=archive_id,
        title=title or dataset.meta.get("title") or plan.path.stem,
        progress=progress,
    )
