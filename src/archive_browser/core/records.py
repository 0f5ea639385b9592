"""What every view shows of an archive record: its id, type, title and citation texts.

The one home of a record's summary: the CLI's exports, the notebook, the notes' search
results and the citation views all describe records through here, so they agree on what a
record missing from the archive looks like and on a type's label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from archive_browser.core.record_types import RECORD_TYPES


@dataclass(frozen=True)
class RecordInfo:
    """A record as a list, an export or a notebook row shows it."""

    id: str
    type: str  # person | site | event | source ...
    title: str  # the id when the archive's title is empty; empty when the record is gone
    citations: list[str] = field(default_factory=list)

    @property
    def type_label(self) -> str:
        return type_label(self.type)


RecordLookup = Callable[[str], RecordInfo | None]


@runtime_checkable
class BulkRecordLookup(Protocol):
    """A `RecordLookup` that can also describe many records at once (one archive query per
    chunk of ids instead of several per record); both must give the same `RecordInfo`."""

    def __call__(self, record_id: str) -> RecordInfo | None: ...

    def many(self, record_ids: Sequence[str]) -> Mapping[str, RecordInfo]:
        """The records found, by id; a record not in the archive is left out."""
        ...


class RecordSummaries(Protocol):
    """What `ArchiveRecordInfo` asks of an archive (`Archive.record_infos`)."""

    def record_infos(self, record_ids: Iterable[str]) -> Mapping[str, tuple[str, str, list[str]]]:
        """(type, title, citation texts) of each record found, by id."""
        ...


def type_of_id(record_id: str) -> str:
    """The type a record id names (`person/seeckt` -> `person`); empty for a bare id."""
    return record_id.split("/", 1)[0] if "/" in record_id else ""


def type_label(type_name: str) -> str:
    """A type as a reader sees it (`person` -> "Person"); an unknown type as it is."""
    record_type = RECORD_TYPES.get(type_name)
    return record_type.singular if record_type else type_name


def missing_record(record_id: str) -> RecordInfo:
    """A record no longer in the archive (or from another one): kept, with its id only."""
    return RecordInfo(record_id, type_of_id(record_id), "", [])


class ArchiveRecordInfo:
    """An archive's records as `RecordInfo`: id, type, title (the id when the title is
    empty) and archival references; a `BulkRecordLookup`, so an export asks the archive a
    few queries per 900 records instead of three per record."""

    def __init__(self, archive: RecordSummaries) -> None:
        self.archive = archive

    def __call__(self, record_id: str) -> RecordInfo | None:
        return self.many([record_id]).get(record_id)

    def many(self, record_ids: Sequence[str]) -> dict[str, RecordInfo]:
        return {
            record_id: RecordInfo(record_id, type_name, title or record_id, citations)
            for record_id, (type_name, title, citations) in self.archive.record_infos(
                record_ids
            ).items()
        }


def archive_record_info(archive: RecordSummaries) -> ArchiveRecordInfo:
    """The archive's records as `RecordInfo` (the lookup the exporters take)."""
    return ArchiveRecordInfo(archive)


def describe_all(record_ids: Sequence[str], info: RecordLookup) -> list[RecordInfo]:
    """Each record as the views show it, in the order of `record_ids`; a record the lookup
    does not know is `missing_record`."""
    if isinstance(info, BulkRecordLookup):
        found: Mapping[str, RecordInfo | None] = info.many(record_ids)
    else:
        found = {record_id: info(record_id) for record_id in record_ids}
    described = []
    for record_id in record_ids:
        record = found.get(record_id)
        if record is None:  # gone from this archive (or another archive): keep the note anyway
            record = missing_record(record_id)
        described.append(record)
    return described
