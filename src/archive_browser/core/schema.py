"""The archive database's schema version and fixed names, shared by importer and reader.

Kept apart so that opening an archive does not import the importer (sqlite-utils, the
citation parser, the date parser): start-up pays only for what reading needs.
"""

SCHEMA_VERSION = 1

# The full-text index table (core/search/ builds and queries it).
FTS_TABLE = "search_index"
