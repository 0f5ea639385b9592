"""Archival citations: parse, normalize to file keys, compare, format.

The grammar and the output contract are in `docs/citations.md`. Five families are read:
Russian/Soviet fond-opis-delo (`ru-fod`), Bundesarchiv (`de-barch`), Politisches Archiv des
Auswärtigen Amts (`de-paaa`), HA Krupp (`corporate`), NARA captured-records microfilm
(`nara-microfilm`) and UK National Archives files (`uk-tna`). Precision matters more than
recall: every finder demands an archive token or a clearly structured reference.

The modules, each one job: `model` (the Citation), `normalize` (R1), `authority` (the
archive authority list), `grammar` with `grammar_ru`, `grammar_de`, `grammar_us_uk` (the
parser), `keys` (file keys and comparing), `formatting` (English, GOST, table, JSON) and
`report` (the corpus figures). The queries on an archive's citations table are in
`archive_browser.core.archive.citations`.
"""

from archive_browser.core.citations.authority import (
    AUTHORITY_FILE,
    ArchiveEntry,
    Authority,
    AuthorityError,
    authority_file,
    load_authority,
)
from archive_browser.core.citations.formatting import (
    citations_json,
    format_english,
    format_gost,
    format_table,
)
from archive_browser.core.citations.grammar import parse_citations
from archive_browser.core.citations.keys import (
    MATCH_RANK,
    Match,
    compare,
    folios_overlap,
    make_citation,
    same_document,
)
from archive_browser.core.citations.model import (
    BARCH,
    CORPORATE,
    LEVELS,
    NARA,
    PAAA,
    RU,
    TNA,
    Citation,
)
from archive_browser.core.citations.normalize import (
    normalize_folios,
    normalize_frames,
    normalize_number,
    normalize_text,
    strip_number,
    transliterate_acronym,
)

__all__ = [
    "AUTHORITY_FILE",
    "BARCH",
    "CORPORATE",
    "LEVELS",
    "MATCH_RANK",
    "NARA",
    "PAAA",
    "RU",
    "TNA",
    "ArchiveEntry",
    "Authority",
    "AuthorityError",
    "Citation",
    "Match",
    "authority_file",
    "citations_json",
    "compare",
    "folios_overlap",
    "format_english",
    "format_gost",
    "format_table",
    "load_authority",
    "make_citation",
    "normalize_folios",
    "normalize_frames",
    "normalize_number",
    "normalize_text",
    "parse_citations",
    "same_document",
    "strip_number",
    "transliterate_acronym",
]
