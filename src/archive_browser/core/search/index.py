"""Building the full-text index and the terms table from an archive's records."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from archive_browser.core import names
from archive_browser.core.record_types import RECORD_TYPES
from archive_browser.core.schema import FTS_TABLE, TERMS_TABLE, search_index_ddl
from archive_browser.core.search.query import (
    CYRILLIC_LETTER,
    CYRILLIC_WORD,
    DATE_MARK,
    GENERATED_NOTE_PREFIX,
    INDEX_COLUMNS,
    MAX_DATE_YEARS,
    NAME_SEPARATOR,
    RANK_FUNCTION,
    STEM_BODY_MARK,
    STEM_NAME_MARK,
    TOKEN,
    fold_tokens,
    index_text,
    mark_tokens,
    marked_skeleton,
)
from archive_browser.core.search.stems import stem


@dataclass
class _Record:
    rid: int
    id: str
    type: str
    title: str
    name_ru: str
    forms: list[tuple[str, str | None]]  # (form, scheme); [0] is the title
    body: list[str]
    fields: list[str] = field(default_factory=list)  # the column each body part came from
    dates: list[tuple[str, str]] = field(default_factory=list)  # (earliest, latest), ISO


def _clean_form(form: str) -> str:
    # The separator keeps the names and skeleton columns aligned: it cannot be in a name.
    return " ".join(form.replace(";", ",").split())


def _load_records(conn: sqlite3.Connection) -> dict[str, _Record]:
    records: dict[str, _Record] = {}
    for rid, record_id, type_name, title, name_ru in conn.execute(
        "SELECT rid, id, type, title, name_ru FROM records ORDER BY rid"
    ):
        forms: list[tuple[str, str | None]] = [(_clean_form(title or ""), None)]
        if name_ru:
            forms.append((_clean_form(name_ru), "russian"))
        records[record_id] = _Record(
            rid, record_id, type_name, title or "", name_ru or "", forms, []
        )
    return records


def _load_bodies(conn: sqlite3.Connection, records: dict[str, _Record]) -> None:
    for record_type in RECORD_TYPES.values():
        # The summary first: a snippet of a record matched by name starts with it.
        columns = sorted(
            (
                c.name
                for c in record_type.columns
                if c.searchable and c.name not in (record_type.title_column, "name_ru")
            ),
            key=lambda name: name != "summary",
        )
        if not columns:
            continue
        date_columns = [c.name for c in record_type.columns if c.kind == "date"]
        column_sql = ", ".join(
            [f'"{c}"' for c in columns]
            + [f'"{c}_{end}"' for c in date_columns for end in ("earliest", "latest")]
        )
        for row in conn.execute(f'SELECT "id", {column_sql} FROM "{record_type.table}"'):
            record = records.get(row[0])
            if record is None:
                continue
            for name, value in zip(columns, row[1 : 1 + len(columns)], strict=True):
                if value not in (None, ""):
                    _add_body(record, name, str(value))
            ends = row[1 + len(columns) :]
            for earliest, latest in zip(ends[::2], ends[1::2], strict=True):
                if earliest and latest:
                    record.dates.append((str(earliest), str(latest)))
    for record_id, text in conn.execute('SELECT "record_id", "text" FROM "quotes"'):
        if record_id in records and text:
            _add_body(records[record_id], "quote", text)
    for record_id, text in conn.execute('SELECT "record_id", "text" FROM "citations"'):
        record = records.get(record_id)
        if record is not None and text and not any(text in part for part in record.body):
            _add_body(record, "citation", text)


def _add_body(record: _Record, field_name: str, text: str) -> None:
    # One line a part: the snippet splits the body back into its fields by line.
    record.body.append(" ".join(text.split()))
    record.fields.append(field_name)


def _years(dates: list[tuple[str, str]]) -> str:
    """The years the record's dates cover, marked (an open or vast interval: none)."""
    years: set[int] = set()
    for earliest, latest in dates:
        try:
            first, last = int(earliest[:4]), int(latest[:4])
        except ValueError:
            continue
        if 0 <= last - first <= MAX_DATE_YEARS:
            years.update(range(first, last + 1))
    return " ".join(f"{DATE_MARK}{year}" for year in sorted(years))


def _stems(record: _Record, body: str) -> str:
    """Stems of the name words and of the body words, where a stem differs from its word."""
    found: dict[str, None] = {}
    for mark, text in (
        (STEM_NAME_MARK, " ".join(form for form, _ in record.forms)),
        (STEM_BODY_MARK, body),
    ):
        for word in TOKEN.findall(index_text(text)):
            lowered = word.casefold()
            stemmed = stem(lowered)
            if stemmed != lowered:
                found[mark + stemmed] = None
    return " ".join(found)


def _add_aliases(conn: sqlite3.Connection, records: dict[str, _Record]) -> None:
    """Hand-written aliases, then generated forms (stored as alias rows for the GUI too)."""
    conn.execute('DELETE FROM "aliases" WHERE "note" LIKE ? || \'%\'', (GENERATED_NOTE_PREFIX,))
    for record_id, alias, scheme in conn.execute(
        'SELECT "record_id", "alias", "scheme" FROM "aliases" ORDER BY rowid'
    ):
        record = records.get(record_id)
        if record is not None and alias and alias.strip():
            record.forms.append((_clean_form(alias), scheme or "other"))
    generated: list[tuple[str, str, str, str]] = []
    for record in records.values():
        if not record.name_ru:
            continue
        seen = {names.fold(form) for form, _ in record.forms}
        for form, schemes in names.variants_with_schemes(record.name_ru):
            form = _clean_form(form)
            if names.fold(form) in seen:
                continue
            seen.add(names.fold(form))
            record.forms.append((form, schemes[0]))
            note = f"{GENERATED_NOTE_PREFIX} ({', '.join(schemes)})"
            generated.append((record.id, form, schemes[0], note))
    conn.executemany(
        'INSERT INTO "aliases" ("record_id", "alias", "scheme", "note") VALUES (?, ?, ?, ?)',
        generated,
    )


def _index_row(record: _Record) -> tuple[object, ...]:
    body = "\n".join(record.body)
    cyrillic_words = CYRILLIC_WORD.findall(body) if CYRILLIC_LETTER.search(body) else []
    return (
        record.rid,
        mark_tokens(index_text(record.title)),
        mark_tokens(index_text(NAME_SEPARATOR.join(form for form, _ in record.forms[1:]))),
        NAME_SEPARATOR.join(marked_skeleton(form) for form, _ in record.forms),
        index_text(body),
        marked_skeleton(" ".join(cyrillic_words)) if cyrillic_words else "",
        _stems(record, body),
        _years(record.dates),
        # The other names' skeletons alone: the ranking asks for records whose own names
        # agree with a term (see rank.search), which `skel` (title included) cannot say.
        " ".join(marked_skeleton(form) for form, _ in record.forms[1:]),
        json.dumps([[f, s] for f, s in record.forms], ensure_ascii=False),
        json.dumps({"fields": record.fields, "dates": record.dates}, ensure_ascii=False),
    )


def _terms(records: Iterable[_Record]) -> Iterator[tuple[str, str, str]]:
    """(folded word, word as written, skeleton) of every word of every name."""
    seen: set[str] = set()
    for record in records:
        for form, _ in record.forms:
            for word in TOKEN.findall(unicodedata.normalize("NFC", form)):
                term = " ".join(fold_tokens(word))
                if len(term) < 3 or term in seen or " " in term:
                    continue
                seen.add(term)
                yield term, word, names.skeleton(word)


def _create_tables(conn: sqlite3.Connection) -> None:
    for statement in search_index_ddl():
        conn.execute(statement)
    # Also the default ranking, for anyone querying the index with plain ORDER BY rank.
    conn.execute(
        f'INSERT INTO "{FTS_TABLE}" ("{FTS_TABLE}", rank) VALUES (\'rank\', ?)',
        (RANK_FUNCTION,),
    )


def build_index(conn: sqlite3.Connection) -> None:
    """Generate name forms into `aliases` and fill the full-text index (no commit)."""
    records = _load_records(conn)
    _load_bodies(conn, records)
    _add_aliases(conn, records)
    _create_tables(conn)
    placeholders = ", ".join("?" * (len(INDEX_COLUMNS) + 1))
    insert = (
        f'INSERT INTO "{FTS_TABLE}" (rowid, {", ".join(INDEX_COLUMNS)}) VALUES ({placeholders})'
    )
    batch: list[tuple[object, ...]] = []
    for record in records.values():
        batch.append(_index_row(record))
        if len(batch) >= 5000:
            conn.executemany(insert, batch)
            batch.clear()
    conn.executemany(insert, batch)
    conn.executemany(
        f'INSERT INTO "{TERMS_TABLE}" (term, display, skel) VALUES (?, ?, ?)',
        _terms(records.values()),
    )
    conn.execute(f'INSERT INTO "{FTS_TABLE}" ("{FTS_TABLE}") VALUES (\'optimize\')')


def generated_variant_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many alias rows the build generated, by scheme (for reports)."""
    counts: dict[str, int] = defaultdict(int)
    for scheme, count in conn.execute(
        'SELECT "scheme", count(*) FROM "aliases" WHERE "note" LIKE ? || \'%\' GROUP BY 1',
        (GENERATED_NOTE_PREFIX,),
    ):
        counts[scheme] += count
    return dict(counts)
