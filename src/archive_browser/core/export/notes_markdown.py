"""Notes and bookmarks as Markdown for GitHub, Obsidian and any CommonMark reader.

One file with a section per record, or one file per record (`write_notes_markdown_split`),
each optionally opening with YAML front matter (Obsidian's "properties"). A record shows its
title, type, dates, citation and archival references; each note its times and its text.

User text is escaped so that it stays text in CommonMark, GitHub-flavoured Markdown and
Obsidian: no headings, lists, code, links, images, HTML, tables, strikethrough, and none of
Obsidian's `#tag`, `==highlight==`, `%%comment%%` (which would hide text), `^block-id`,
`[[wiki link]]` or `$math$`. Every such character is backslash-escaped (CommonMark lets any
ASCII punctuation be escaped, and the escape shows only the character); `<`, `>` and `&`
become entities. Bare web addresses and e-mail addresses, which GFM and Obsidian turn into
links, are broken where they would be recognised: the `:` of `https://`, the `@` of an
address and a `.` between two letters or digits (`example\\.com`) are escaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from archive_browser.core.dates import DateError, parse_edtf
from archive_browser.core.export.output import text_output
from archive_browser.core.export.sources import plain_citation
from archive_browser.core.platforms import portable_file_name
from archive_browser.core.record_types import RECORD_TYPES
from archive_browser.core.records import RecordInfo, RecordLookup, describe_all
from archive_browser.core.store import UserStore, now_utc

# A record's own columns (`Archive.fields`), for its dates and a source's citation.
RecordFields = Callable[[str], Mapping[str, Any] | None]

_MARKDOWN_INLINE = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
        "~": "\\~",
        "#": "\\#",  # Obsidian tags
        "=": "\\=",  # Obsidian highlights, setext headings
        "%": "\\%",  # Obsidian comments hide text
        "^": "\\^",  # Obsidian block ids
        "$": "\\$",  # Obsidian math
        "@": "\\@",  # e-mail autolinks
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
    }
)
# Where GFM and linkify recognise a bare address: `scheme://` and `name.tld`.
_AUTOLINK_PARTS = re.compile(r":(?=/)|(?<=[^\W_])\.(?=[^\W_])")
_BLOCK_MARKER = re.compile(r"([+\-])|(\d{1,9})([.)])")


def escape_markdown(text: str) -> str:
    """One line of user text as literal Markdown: no headings, lists, code, links, HTML, or
    Obsidian syntax."""
    line = text.replace("\r", " ").replace("\n", " ").translate(_MARKDOWN_INLINE)
    line = _AUTOLINK_PARTS.sub(lambda match: "\\" + match[0], line)
    body = line.lstrip(" \t")
    indent = line[: len(line) - len(body)]
    # Leading spaces would start a code block; keep the indentation visible instead.
    visible_indent = indent.replace("\t", "    ").replace(" ", "&nbsp;")
    marker = _BLOCK_MARKER.match(body)
    if marker and marker.group(1):
        body = "\\" + body
    elif marker:
        body = marker.group(2) + "\\" + body[marker.end(2) :]
    return visible_indent + body


def _markdown_paragraphs(text: str) -> str:
    """A note's text as Markdown paragraphs; its line breaks become hard breaks."""
    paragraphs: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            paragraphs[-1].append(escape_markdown(line.rstrip()))
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\\\n".join(lines) for lines in paragraphs if lines)


def _readable_time(iso: str) -> str:
    # 2026-12-03T15:30:00.123Z -> 2026-12-03 15:30 UTC
    if len(iso) >= 16 and iso[10] == "T" and iso.endswith("Z"):
        return f"{iso[:10]} {iso[11:16]} UTC"
    return escape_markdown(iso)


def _yaml(value: Any) -> str:
    # JSON's double-quoted strings and flow lists are YAML too: any text stays one scalar.
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class _RecordPage:
    record: RecordInfo
    bookmarked: str | None
    notes: list[tuple[str, str, str]]  # text, created, modified
    dates: dict[str, str]  # column -> EDTF (born, died, date, period)
    citation: str
    tags: list[str]

    def front_matter(self) -> list[str]:
        lines = [
            f"id: {_yaml(self.record.id)}",
            f"type: {_yaml(self.record.type)}",
            f"title: {_yaml(self.record.title)}",
        ]
        lines += [f"{name}: {_yaml(value)}" for name, value in self.dates.items()]
        if self.citation:
            lines.append(f"citation: {_yaml(self.citation)}")
        if self.record.citations:
            lines.append("archival_references:")
            lines += [f"  - {_yaml(reference)}" for reference in self.record.citations]
        if self.bookmarked:
            lines.append(f"bookmarked: {_yaml(self.bookmarked)}")
        lines += _yaml_list("tags", self.tags)
        return lines

    def markdown(self, level: int) -> list[str]:
        record = self.record
        heading = escape_markdown(record.title) if record.title else "(not in this archive)"
        parts = [f"{'#' * level} {heading} ({escape_markdown(record.id)})", ""]
        facts = [f"Type: {escape_markdown(record.type_label)}" if record.type else ""]
        facts += [
            f"{_column_label(record.type, name)}: {_shown(value)}"
            for name, value in self.dates.items()
        ]
        if self.bookmarked:
            facts.append(f"bookmarked {_readable_time(self.bookmarked)}")
        parts += [" · ".join(fact for fact in facts if fact), ""]
        if self.tags:
            # Escaped like all user text: a `#` here would make an Obsidian tag the user did
            # not write; the front matter is where tags are Obsidian's.
            parts += ["Tags: " + "; ".join(escape_markdown(tag) for tag in self.tags), ""]
        if self.citation:
            parts += [f"Citation: {escape_markdown(self.citation)}", ""]
        if record.citations:
            parts.append("Archival references:")
            parts += [f"- {escape_markdown(citation)}" for citation in record.citations]
            parts.append("")
        for number, (text, created, modified) in enumerate(self.notes, start=1):
            times = f"written {_readable_time(created)}"
            if modified and modified != created:
                times += f", changed {_readable_time(modified)}"
            parts += [f"{'#' * (level + 1)} Note {number} ({times})", ""]
            body = _markdown_paragraphs(text)
            parts += [body if body else "*(empty note)*", ""]
        return parts


def _yaml_list(name: str, values: list[str]) -> list[str]:
    """A YAML block list (Obsidian's list property), `name: []` when empty."""
    if not values:
        return [f"{name}: []"]
    return [f"{name}:", *(f"  - {_yaml(value)}" for value in values)]


def _column_label(type_name: str, column: str) -> str:
    record_type = RECORD_TYPES.get(type_name)
    labels = {c.name: c.label for c in record_type.columns} if record_type else {}
    return labels.get(column, column)


def _shown(edtf: str) -> str:
    try:
        return escape_markdown(parse_edtf(edtf).display)
    except DateError:
        return escape_markdown(edtf)


def _record_details(record: RecordInfo, fields: RecordFields | None) -> tuple[dict[str, str], str]:
    """(dates by column, citation) of a record, from its own columns."""
    row = fields(record.id) if fields and record.title else None
    record_type = RECORD_TYPES.get(record.type)
    if not row or record_type is None:
        return {}, ""
    dates = {
        column.name: str(row[column.name]).strip()
        for column in record_type.columns
        if column.kind == "date" and str(row.get(column.name) or "").strip()
    }
    citation = plain_citation(row) if record.type == "source" else ""
    return dates, citation


def _pages(
    store: UserStore, archive_id: str, info: RecordLookup, fields: RecordFields | None
) -> list[_RecordPage]:
    bookmarked = {b.record_id: b.created for b in store.bookmarks(archive_id)}
    by_record: dict[str, list[tuple[str, str, str]]] = {}
    for _note_id, record_id, text, created, modified in store.note_rows(archive_id):
        by_record.setdefault(record_id, []).append((text, created, modified))
    tags = store.record_tags(archive_id)
    record_ids = sorted(by_record.keys() | bookmarked.keys() | tags.keys())
    pages = []
    for record_id, record in zip(record_ids, describe_all(record_ids, info), strict=True):
        dates, citation = _record_details(record, fields)
        pages.append(
            _RecordPage(
                record,
                bookmarked.get(record_id),
                by_record.get(record_id, []),
                dates,
                citation,
                tags.get(record_id, []),
            )
        )
    return pages


def write_notes_markdown(
    store: UserStore,
    archive_id: str,
    info: RecordLookup,
    out: Path | TextIO,
    archive_title: str | None = None,
    *,
    fields: RecordFields | None = None,
    front_matter: bool = False,
) -> int:
    """Write notes and bookmarks as one Markdown file, a section per record; returns records.

    `archive_title` names the archive in the heading (its id when not given); `fields`
    (`Archive.fields`) adds each record's dates and a source's citation; `front_matter`
    opens the file with YAML front matter listing every record's properties.
    """
    pages = _pages(store, archive_id, info, fields)
    title = archive_title or archive_id
    lines: list[str] = []
    if front_matter:
        lines += ["---", f"title: {_yaml(f'Notes and bookmarks: {title}')}"]
        lines += [f"archive: {_yaml(archive_id)}", f"exported: {_yaml(now_utc())}"]
        # Every record's tags at the top too: Obsidian reads only the top-level property.
        every_tag = {tag.casefold(): tag for page in pages for tag in page.tags}
        lines += _yaml_list("tags", [every_tag[key] for key in sorted(every_tag)])
        lines.append("records:" if pages else "records: []")
        for page in pages:
            first, *rest = page.front_matter()
            lines += [f"  - {first}", *(f"    {line}" for line in rest)]
        lines += ["---", ""]
    note_count = sum(len(page.notes) for page in pages)
    lines += [
        f"# Notes and bookmarks: {escape_markdown(title)}",
        "",
        f"Exported {_readable_time(now_utc())} from the archive {escape_markdown(title)}"
        f" ({escape_markdown(archive_id)}): {len(pages)} records, {note_count} notes.",
        "",
    ]
    for page in pages:
        lines += page.markdown(level=2)
    with text_output(out, "utf-8") as stream:
        stream.write("\n".join(lines))
    return len(pages)


def record_file_name(record_id: str) -> str:
    """`source/galo-photo` -> `source-galo-photo.md`: a file name valid on Windows, macOS and
    Linux (`core.platforms.portable_file_name`: no reserved names, forbidden characters or
    trailing dots; Cyrillic ids stay readable)."""
    return portable_file_name(record_id.replace("/", "-"), ".md")


def write_notes_markdown_split(
    store: UserStore,
    archive_id: str,
    info: RecordLookup,
    folder: Path,
    archive_title: str | None = None,
    *,
    fields: RecordFields | None = None,
    front_matter: bool = False,
) -> list[Path]:
    """Write one Markdown file per record into `folder` (created if needed), each with its
    own front matter when asked; returns the files written. Other files are left alone."""
    from archive_browser.core.export.output import ExportError

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(
            f"Cannot create the folder {folder}: {error.strerror or error}."
        ) from error
    written: list[Path] = []
    used: set[str] = set()
    title = escape_markdown(archive_title or archive_id)
    for page in _pages(store, archive_id, info, fields):
        name = record_file_name(page.record.id)
        stem, number = name[:-3], 2
        while name.casefold() in used:  # two ids that make one name: keep both
            name, number = f"{stem}-{number}.md", number + 1
        used.add(name.casefold())
        lines = ["---", *page.front_matter(), "---", ""] if front_matter else []
        lines += page.markdown(level=1)
        lines += [f"From the archive {title} ({escape_markdown(archive_id)}).", ""]
        path = folder / name
        with text_output(path, "utf-8") as stream:
            stream.write("\n".join(lines))
        written.append(path)
    return written
