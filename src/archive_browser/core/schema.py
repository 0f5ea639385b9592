"""The archive database's schema version, shared by the importer and the reader.

Kept apart so that opening an archive does not import the importer (sqlite-utils, the
citation parser, the date parser): start-up pays only for what reading needs.
"""

SCHEMA_VERSION = 1
