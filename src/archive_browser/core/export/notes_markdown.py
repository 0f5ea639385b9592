"""Notes and bookmarks as Markdown, a section per record."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from archive_browser.core.export.output import text_output
from archive_browser.core.records import RecordInfo, RecordLookup, describe_all
from archive_browser.core.store import UserStore, now_utc

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
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
    }
)
_BLOCK_MARKER = re.compile(r"([#=+\-])|(\d{1,9})([.)])")


def escape_markdown(text: str) -> str:
    """One line of user text as literal Markdown: no headings, lists, code, links or HTML."""
    line = text.replace("\r", " ").replace("\n", " ").translate(_MARKDOWN_INLINE)
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


def _record_markdown(
    record: RecordInfo, bookmark_created: str | None, notes: list[tuple[str, str, str]]
) -> list[str]:
    heading = escape_markdown(record.title) if record.title else "(not in this archive)"
    parts = [f"## {heading} ({escape_markdown(record.id)})", ""]
    facts = [f"Type: {escape_markdown(record.type)}" if record.type else ""]
    if bookmark_created:
        facts.append(f"bookmarked {_readable_time(bookmark_created)}")
    parts += [" · ".join(fact for fact in facts if fact), ""]
    if record.citations:
        parts.append("References:")
        parts += [f"- {escape_markdown(citation)}" for citation in record.citations]
        parts.append("")
    for number, (text, created, modified) in enumerate(notes, start=1):
        times = f"written {_readable_time(created)}"
        if modified and modified != created:
            times += f", changed {_readable_time(modified)}"
        parts += [f"### Note {number} ({times})", ""]
        body = _markdown_paragraphs(text)
        parts += [body if body else "*(empty note)*", ""]
    return parts


def write_notes_markdown(
    store: UserStore,
    archive_id: str,
    info: RecordLookup,
    out: Path | TextIO,
    archive_title: str | None = None,
) -> int:
    """Write notes and bookmarks as Markdown, a section per record; returns records written."""
    bookmarked = {b.record_id: b.created for b in store.bookmarks(archive_id)}
    by_record: dict[str, list[tuple[str, str, str]]] = {}
    for _note_id, record_id, text, created, modified in store.note_rows(archive_id):
        by_record.setdefault(record_id, []).append((text, created, modified))
    record_ids = sorted(by_record.keys() | bookmarked.keys())
    name = escape_markdown(archive_title or archive_id)
    lines = [
        f"# Notes and bookmarks: {name}",
        "",
        f"Exported {_readable_time(now_utc())} from the archive {escape_markdown(archive_id)}:"
        f" {len(record_ids)} records, {sum(map(len, by_record.values()))} notes.",
        "",
    ]
    for record_id, record in zip(record_ids, describe_all(record_ids, info), strict=True):
        lines += _record_markdown(record, bookmarked.get(record_id), by_record.get(record_id, []))
    with text_output(out, "utf-8") as stream:
        stream.write("\n".join(lines))
    return len(record_ids)
