"""Hostile archives: the bundled archive, copied and then altered the way a hostile sender
(or a damaged disk) would, one alteration per archive (issue 24, findings 8, 9 and 12).

`make_hostile(base, name, folder)` writes `folder/name.db`. Each alteration is plain SQL
on a copy, so the file is exactly what a user would be sent.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

# The record the alterations aim at (a person of the bundled archive with links).
TARGET = "person/seeckt"
LINK_FLOOD = 1_000_000
LONG_SUMMARY_CHARS = 50_000_000
PADDED_TITLE_CHARS = 20_000_000

ALTERATIONS: dict[str, list[str]] = {
    # Finding 8: a recursive view where a table belongs never finishes.
    "recursive_meta_view": [
        "ALTER TABLE archive_meta RENAME TO archive_meta_old",
        "CREATE VIEW archive_meta AS WITH RECURSIVE r(key, value) AS "
        "(SELECT key, value FROM archive_meta_old UNION ALL SELECT key || 'x', value FROM r) "
        "SELECT key, value FROM r",
    ],
    "view_records": [
        "ALTER TABLE records RENAME TO records_real",
        "CREATE VIEW records AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
        "SELECT r.* FROM records_real r, n",
    ],
    "padded_title": [
        f"UPDATE archive_meta SET value = printf('%.*c', {PADDED_TITLE_CHARS}, 'T') "
        "WHERE key = 'title'",
        f"UPDATE records SET title = printf('%.*c', {PADDED_TITLE_CHARS}, 'T') "
        f"WHERE id = '{TARGET}'",
        f"UPDATE people SET name = printf('%.*c', {PADDED_TITLE_CHARS}, 'T') WHERE id = '{TARGET}'",
    ],
    # Finding 9: big records.
    "many_links": [
        "INSERT INTO links (from_id, to_id, role, seed, added) "
        f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {LINK_FLOOD}) "
        f"SELECT '{TARGET}', 'site/lipetsk', 'flood ' || i, '', '' FROM n",
    ],
    "long_summary": [
        f"UPDATE people SET summary = printf('%.*c', {LONG_SUMMARY_CHARS}, 'S') "
        f"WHERE id = '{TARGET}'",
    ],
    "bogus_order": [
        # 100,000 ids for a table of a few dozen rows (the 400 MB case, smaller).
        "UPDATE default_order SET ids = zeroblob(800000) WHERE type = 'person'",
    ],
    "ragged_order": [
        "UPDATE default_order SET ids = substr(ids, 1, length(ids) - 3) WHERE type = 'person'",
    ],
    # Finding 12: damaged content.
    "not_utf8": [
        f"UPDATE records SET title = CAST(X'48C328FFFE6E73' AS TEXT) WHERE id = '{TARGET}'",
        f"UPDATE people SET name = CAST(X'48C328FFFE6E73' AS TEXT), "
        f"summary = CAST(X'C0AF80' AS TEXT) WHERE id = '{TARGET}'",
        "UPDATE events SET title = CAST(X'E282' AS TEXT) WHERE rid = (SELECT min(rid) FROM events)",
    ],
    "number_as_text": [
        f"UPDATE records SET title = 42 WHERE id = '{TARGET}'",
        f"UPDATE people SET name = 42, summary = 3.5, role = x'00ff' WHERE id = '{TARGET}'",
        "UPDATE records SET title = 7 WHERE id = 'site/lipetsk'",
        "UPDATE links SET role = 9 WHERE rowid IN (SELECT rowid FROM links LIMIT 5)",
        "UPDATE events SET title = 1923, date_display = 5 "
        "WHERE rid = (SELECT min(rid) FROM events)",
    ],
    "unknown_type": [
        f"UPDATE records SET type = 'dragon' WHERE id = '{TARGET}'",
    ],
    "malformed_json": [
        "UPDATE citations SET extra = '{not json' ",
        "INSERT INTO citations (record_id, position, text, extra) "
        f"VALUES ('{TARGET}', 9, 'RGVA f. 33987', '[1, 2')",
    ],
    "fts_missing_shadow": [
        "PRAGMA writable_schema = ON",
        "DELETE FROM sqlite_master WHERE name = 'search_index_data'",
    ],
    "fts_corrupt_shadow": [
        "UPDATE search_index_data SET block = randomblob(length(block)) WHERE id > 10",
    ],
    "foreign_virtual_table": [
        "CREATE VIRTUAL TABLE extra_index USING fts5(x)",
    ],
    "missing_column": [
        "ALTER TABLE people DROP COLUMN summary",
    ],
}

# Opened and used (answered), versus refused on open with one sentence.
ANSWERED = (
    "padded_title",
    "many_links",
    "long_summary",
    "not_utf8",
    "number_as_text",
    "malformed_json",
    "fts_corrupt_shadow",
)
REFUSED = (
    "recursive_meta_view",
    "view_records",
    "bogus_order",
    "ragged_order",
    "unknown_type",
    "fts_missing_shadow",
    "foreign_virtual_table",
    "missing_column",
)


def make_hostile(base: Path, name: str, folder: Path) -> Path:
    """`base` copied to `folder/name.db` with the alteration `name` applied."""
    out = folder / f"{name}.db"
    shutil.copyfile(base, out)
    conn = sqlite3.connect(out)
    try:
        for statement in ALTERATIONS[name]:
            conn.execute(statement)
        conn.commit()
        if name == "many_links":  # the flood must not be a cheap trailing page of the file
            conn.execute("VACUUM")
    finally:
        conn.close()
    return out
