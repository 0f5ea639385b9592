"""The Notebook as a printable page: every bookmark and note of the archive, in full."""

from __future__ import annotations

from collections.abc import Sequence

from archive_browser.core.text import escape_markup as e
from archive_browser.ui.features.notes.notebook import NotebookRow


def notebook_html(rows: Sequence[NotebookRow], archive_title: str) -> str:
    """One section per record (by title), its notes in full under it; every text escaped."""
    by_record: dict[str, list[NotebookRow]] = {}
    for row in rows:
        by_record.setdefault(row.record_id, []).append(row)
    ordered = sorted(by_record.values(), key=lambda group: group[0].shown_title.casefold())
    parts = [
        f"<h1>Notebook — {e(archive_title)}</h1>",
        f"<p>{len(ordered)} records, {sum(r.note_id is not None for r in rows)} notes.</p>",
    ]
    for group in ordered:
        first = group[0]
        star = "★ " if first.bookmarked else ""
        parts.append(f"<h3>{star}{e(first.shown_title)}</h3>")
        parts.append(f"<p style='color: #555555'>{e(first.type_label)} · {e(first.record_id)}</p>")
        for row in group:
            if row.note_id is None:
                continue
            text = e(row.text).replace("\n", "<br>")
            parts.append(f"<p>{text}</p><p style='color: #555555'>{e(row.modified)}</p>")
    return "".join(parts)
