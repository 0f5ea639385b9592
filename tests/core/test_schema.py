"""core.schema: every table and index of a built archive is declared there (one home)."""

from __future__ import annotations

import re
import sqlite3

from archive_browser.core import schema

_CREATED = re.compile(r'CREATE (?:VIRTUAL |UNIQUE )?(?:TABLE|INDEX) (?:IF NOT EXISTS )?"(\w+)"')


def _declared_names(statements: list[str]) -> set[str]:
    found = set()
    for statement in statements:
        match = _CREATED.match(statement)
        if match:
            found.add(match.group(1))
    return found


def test_a_built_archive_holds_exactly_the_tables_and_indexes_schema_declares(
    make_archive,
) -> None:
    path = make_archive({"people.csv": ["id,name,kind,summary", "person/x,X,person,s"]})
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
        version = conn.execute(
            "SELECT value FROM archive_meta WHERE key = 'schema_version'"
        ).fetchone()
    finally:
        conn.close()
    built = {name for (name,) in rows if not name.startswith(f"{schema.FTS_TABLE}_")}
    declared = _declared_names(
        schema.archive_tables_ddl() + schema.archive_indexes_ddl() + schema.search_index_ddl()
    )
    assert built == declared
    assert version == (str(schema.SCHEMA_VERSION),)
