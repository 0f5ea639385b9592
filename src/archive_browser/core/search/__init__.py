"""The search engine: user text -> one safe FTS5 query, ranked in SQL, explained in Python.

The index (`build_index`, run by the build) holds one row per record, rowid = records.rid:

- `title`  the record's title;
- `names`  its other names: the Russian name, hand-written aliases and the Latin forms the
  build generates from the Russian name (see `names.variants`), separated by " ; ";
- `skel`   the skeleton (`names.skeleton`) of the title and of every name, in the same
  order, so any spelling of a name meets the record even when no scheme produced it;
- `body`   the searchable columns, quotes and citation texts;
- `bskel`  skeletons of the Cyrillic words of the body, so Latin text finds Cyrillic text;
- `forms`  (not indexed) the names with their schemes as JSON, to say what matched.

- `stems`  Snowball stems of name and body words (`stems`), where they differ from the word;
- `dates`  the years the record's dates cover;
- `named`  the skeletons of the other names alone (not the title), for the candidates;
- `fields` (not indexed) which field each body line came from, and the record's dates.

A search is one FTS5 query (every term must match somewhere in the record) ordered by bm25
with column weights over every match, LIMITed in SQL; only the returned rows are then
explained term by term in Python (exact, name, variant, stem, date or body match), which
orders them in tiers.

Modules: `query` (user text -> FTS5 query, the shared constants), `rank` (search and
snippets), `suggest` (did you mean), `index` (building the index), `variant_report`.
"""

from archive_browser.core.schema import FTS_TABLE, TERMS_TABLE
from archive_browser.core.search.index import build_index, generated_variant_counts
from archive_browser.core.search.query import (
    COLUMN_WEIGHTS,
    GENERATED_NOTE_PREFIX,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    INDEX_COLUMNS,
    MATCH_TIERS,
    MAX_QUERY_CHARS,
    MAX_TOKEN_CHARS,
    MAX_WORDS,
    NAME_MARK,
    NAME_SEPARATOR,
    RANK_FUNCTION,
    RANK_HEADROOM,
    SKELETON_MARK,
    SNIPPET_CHARS,
    Hit,
    QueryWord,
    WordMatch,
    fts_query,
    matching_rids_sql,
    parse_query,
)
from archive_browser.core.search.rank import search
from archive_browser.core.search.suggest import (
    clear_correction,
    did_you_mean,
    search_corrected,
)

__all__ = [
    "COLUMN_WEIGHTS",
    "FTS_TABLE",
    "GENERATED_NOTE_PREFIX",
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "INDEX_COLUMNS",
    "MATCH_TIERS",
    "MAX_QUERY_CHARS",
    "MAX_TOKEN_CHARS",
    "MAX_WORDS",
    "NAME_MARK",
    "NAME_SEPARATOR",
    "RANK_FUNCTION",
    "RANK_HEADROOM",
    "SKELETON_MARK",
    "SNIPPET_CHARS",
    "TERMS_TABLE",
    "Hit",
    "QueryWord",
    "WordMatch",
    "build_index",
    "clear_correction",
    "did_you_mean",
    "fts_query",
    "generated_variant_counts",
    "matching_rids_sql",
    "parse_query",
    "search",
    "search_corrected",
]
