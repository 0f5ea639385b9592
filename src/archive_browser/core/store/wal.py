"""Reading a store's write-ahead log before SQLite does, so a WAL we did not write is never
replayed into, or deleted beside, the notes file.

SQLite trusts any `-wal` file beside a database: a WAL left without its main file (a sync
tool moved the main file away) is deleted when the empty new store is opened, another store's
WAL is replayed into ours, and frames after a damaged one are dropped silently. This module
reads the WAL format (https://www.sqlite.org/fileformat.html, "The WAL File Format") so the
store can decide first, and can rebuild a database from a WAL that holds every page of it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

WAL_HEADER_BYTES = 32
FRAME_HEADER_BYTES = 24
_MAGIC_LITTLE_ENDIAN = 0x377F0682  # checksums computed on little-endian words
_MAGIC_BIG_ENDIAN = 0x377F0683
_WAL_FORMAT_VERSION = 3007000
# Offset of the application id in a database header (page 1); the store keeps its own
# identity there, so a WAL can be matched to its main file.
APPLICATION_ID_OFFSET = 68
PAGE_SIZE_OFFSET = 16


@dataclass
class WalSummary:
    """What a WAL holds: its page size, whether it is intact, and its committed pages."""

    page_size: int
    # Pages of the last committed transaction and before, newest image of each page.
    pages: dict[int, bytes] = field(default_factory=dict)
    database_pages: int = 0  # the database size in pages after the last commit (0: no commit)
    committed_frames: int = 0
    # Frames of the current generation (the header's salts) found after a frame that failed
    # its checksum: not a torn last write, but damage in the middle.
    damaged: bool = False
    valid_bytes: int = WAL_HEADER_BYTES  # header + frames up to the last commit

    def page_one_application_id(self) -> int | None:
        page = self.pages.get(1)
        if page is None:
            return None
        return int.from_bytes(page[APPLICATION_ID_OFFSET : APPLICATION_ID_OFFSET + 4], "big")

    def holds_whole_database(self) -> bool:
        return self.database_pages > 0 and all(
            number in self.pages for number in range(1, self.database_pages + 1)
        )


class WalUnreadable(Exception):
    """The file is not a WAL at all (bad magic, version, page size or header checksum)."""


def _checksum(data: bytes, s0: int, s1: int, big_endian: bool) -> tuple[int, int]:
    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    for index in range(0, len(words), 2):
        s0 = (s0 + words[index] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[index + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def read_wal(path: Path) -> WalSummary | None:
    """The WAL at `path`, or None when it holds nothing (missing, or shorter than its
    header: a crash before the first frame). Raises WalUnreadable for a file that is not
    a WAL."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if len(data) < WAL_HEADER_BYTES:
        return None
    magic, version, page_size, _sequence, salt1, salt2, check1, check2 = struct.unpack(
        ">8I", data[:WAL_HEADER_BYTES]
    )
    if magic not in (_MAGIC_LITTLE_ENDIAN, _MAGIC_BIG_ENDIAN) or version != _WAL_FORMAT_VERSION:
        raise WalUnreadable("not a write-ahead log")
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        raise WalUnreadable("impossible page size")
    big_endian = magic == _MAGIC_BIG_ENDIAN
    s0, s1 = _checksum(data[:24], 0, 0, big_endian)
    if (s0, s1) != (check1, check2):
        raise WalUnreadable("header checksum")
    summary = WalSummary(page_size=page_size)
    frame_bytes = FRAME_HEADER_BYTES + page_size
    pending: dict[int, bytes] = {}
    offset = WAL_HEADER_BYTES
    broken = False
    while offset + frame_bytes <= len(data):
        header = data[offset : offset + FRAME_HEADER_BYTES]
        page_number, commit_size, frame_salt1, frame_salt2, c1, c2 = struct.unpack(">6I", header)
        current = (frame_salt1, frame_salt2) == (salt1, salt2)
        if broken:
            if current:
                summary.damaged = True  # a current frame beyond the break: damage, not a tear
                break
            offset += frame_bytes
            continue
        page = data[offset + FRAME_HEADER_BYTES : offset + frame_bytes]
        t0, t1 = _checksum(header[:8], s0, s1, big_endian)
        t0, t1 = _checksum(page, t0, t1, big_endian)
        if not current or (t0, t1) != (c1, c2) or page_number == 0:
            broken = True
            offset += frame_bytes
            continue
        s0, s1 = t0, t1
        pending[page_number] = page
        offset += frame_bytes
        if commit_size:
            summary.pages.update(pending)
            pending.clear()
            summary.database_pages = commit_size
            summary.committed_frames = (offset - WAL_HEADER_BYTES) // frame_bytes
            summary.valid_bytes = offset
    return summary


def database_header(path: Path) -> tuple[int, int] | None:
    """(page size, application id) from a database file's header, or None if it has none."""
    try:
        with path.open("rb") as file:
            header = file.read(100)
    except FileNotFoundError:
        return None
    if len(header) < 100:
        return None
    raw_size = int.from_bytes(header[PAGE_SIZE_OFFSET : PAGE_SIZE_OFFSET + 2], "big")
    page_size = 65536 if raw_size == 1 else raw_size
    application_id = int.from_bytes(
        header[APPLICATION_ID_OFFSET : APPLICATION_ID_OFFSET + 4], "big"
    )
    return page_size, application_id


def write_database_from_wal(summary: WalSummary, target: Path) -> None:
    """Write the database the WAL's last commit describes (every page must be in it)."""
    with target.open("wb") as file:
        for number in range(1, summary.database_pages + 1):
            file.write(summary.pages[number])


# --- salvaging rows from a WAL that does not hold the whole database ------------------------

_TABLE_LEAF_PAGE = 0x0D


def _varint(data: bytes, offset: int) -> tuple[int, int]:
    """An SQLite varint at `offset`: (value, offset after it)."""
    value = 0
    for index in range(8):
        byte = data[offset + index]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, offset + index + 1
    return (value << 8) | data[offset + 8], offset + 9


def _decode_record(payload: bytes) -> list[object] | None:
    header_size, offset = _varint(payload, 0)
    types = []
    while offset < header_size:
        serial, offset = _varint(payload, offset)
        types.append(serial)
    values: list[object] = []
    position = header_size
    sizes = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8, 8: 0, 9: 0}
    for serial in types:
        if serial in sizes:
            size = sizes[serial]
            raw = payload[position : position + size]
            if serial == 0:
                values.append(None)
            elif serial == 7:
                values.append(struct.unpack(">d", raw)[0])
            elif serial in (8, 9):
                values.append(serial - 8)
            else:
                values.append(int.from_bytes(raw, "big", signed=True))
        elif serial >= 12:
            size = (serial - 12) // 2
            raw = payload[position : position + size]
            if serial % 2:
                values.append(raw.decode("utf-8", errors="replace"))
            else:
                values.append(bytes(raw))
        else:
            return None
        position += size
    return values if position <= len(payload) else None


def salvage_rows(summary: WalSummary) -> list[tuple[int, list[object]]]:
    """(rowid, columns) of every row in the table leaf pages the WAL holds, following
    overflow pages that are in it too (rows whose overflow is missing are skipped)."""
    usable = summary.page_size  # the store reserves no bytes per page
    rows: list[tuple[int, list[object]]] = []
    for number, page in summary.pages.items():
        start = 100 if number == 1 else 0
        if page[start] != _TABLE_LEAF_PAGE:
            continue
        cell_count = int.from_bytes(page[start + 3 : start + 5], "big")
        for index in range(cell_count):
            pointer_at = start + 8 + 2 * index
            try:
                cell = int.from_bytes(page[pointer_at : pointer_at + 2], "big")
                payload_size, offset = _varint(page, cell)
                rowid, offset = _varint(page, offset)
                payload = _payload(summary, page, offset, payload_size, usable)
                values = _decode_record(payload) if payload is not None else None
            except (IndexError, struct.error):
                continue
            if values is not None:
                rows.append((rowid, values))
    return rows


def _payload(summary: WalSummary, page: bytes, offset: int, size: int, usable: int) -> bytes | None:
    largest_local = usable - 35
    if size <= largest_local:
        return page[offset : offset + size]
    smallest = ((usable - 12) * 32 // 255) - 23
    local = smallest + ((size - smallest) % (usable - 4))
    if local > largest_local:
        local = smallest
    parts = [page[offset : offset + local]]
    next_page = int.from_bytes(page[offset + local : offset + local + 4], "big")
    left = size - local
    while left > 0:
        overflow = summary.pages.get(next_page)
        if overflow is None:
            return None
        chunk = overflow[4 : 4 + min(left, usable - 4)]
        parts.append(chunk)
        left -= len(chunk)
        next_page = int.from_bytes(overflow[:4], "big")
    return b"".join(parts)
