"""The archive database's schema version and fixed names, shared by importer and reader.

Kept apart so that opening an archive does not import the importer (sqlite-utils, the
citation parser, the date parser): start-up pays only for what reading needs.
"""

SCHEMA_VERSION = 1

# The full-text index table (core/search.py builds and queries it).
FTS_TABLE = "search_index"

# ---------------------------------------------------------------- citations (core/citations)
# The indexes `core.archive.citations.find_citing` relies on: by file key, and by fond (with
# or without its archive) for the PROBABLE and CANDIDATE look-ups. The importer creates them
# after filling the table.
CITATION_INDEXES = (
    'CREATE INDEX IF NOT EXISTS "idx_citations_key" ON "citations" ("key" COLLATE NOCASE)',
    'CREATE INDEX IF NOT EXISTS "idx_citations_archive_fond" '
    'ON "citations" ("archive" COLLATE NOCASE, "fond")',
    'CREATE INDEX IF NOT EXISTS "idx_citations_fond" ON "citations" ("fond")',
)
