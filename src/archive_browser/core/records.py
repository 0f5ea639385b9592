"""What every view shows of an archive record."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class RecordInfo:
    """What an export shows of an archive record."""

    id: str
    type: str  # person | site | event | source ...
    title: str
    citations: list[str] = field(default_factory=list)


RecordLookup = Callable[[str], RecordInfo | None]


@runtime_checkable
class BulkRecordLookup(Protocol):
    """A `RecordLookup` that can also describe many records at once (one archive query per
    chunk of ids instead of several per record); both must give the same `RecordInfo`."""

    def __call__(self, record_id: str) -> RecordInfo | None: ...

    def many(self, record_ids: Sequence[str]) -> Mapping[str, RecordInfo]:
        """The records found, by id; a record not in the archive is left out."""
        ...


def _record_kind(record_id: str) -> str:
    return record_id.split("/", 1)[0] if "/" in record_id else ""


def describe_all(record_ids: Sequence[str], info: RecordLookup) -> list[RecordInfo]:
    """Each record as the export shows it, in the order of `record_ids`."""
    if isinstance(info, BulkRecordLookup):
        found: Mapping[str, RecordInfo | None] = info.many(record_ids)
    else:
        found = {record_id: info(record_id) for record_id in record_ids}
    described = []
    for record_id in record_ids:
        record = found.get(record_id)
        if record is None:  # gone from this archive (or another archive): keep the note anyway
            record = RecordInfo(record_id, _record_kind(record_id), "", [])
        described.append(record)
    return described
