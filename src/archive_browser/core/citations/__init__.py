"""Archival citations: parse, normalize to file keys, compare, format.

The grammar and the output contract are in `docs/citations.md`. Five families are read:
Russian/Soviet fond-opis-delo (`ru-fod`), Bundesarchiv (`de-barch`), Politisches Archiv des
Auswärtigen Amts (`de-paaa`), HA Krupp (`corporate`), NARA captured-records microfilm
(`nara-microfilm`), UK National Archives files (`uk-tna`) and USHMM microfilm copies
(`us-ushmm`). Precision matters more than
recall: every finder demands an archive token or a clearly structured reference.

The modules, each one job: `model` (the Citation), `normalize` (R1), `authority` (the
archive authority list), `grammar` with `grammar_ru`, `grammar_de`, `grammar_us_uk` (the
parser), `keys` (file keys and comparing), `concordance` (originals and their copies),
`formatting` (the output styles, table, JSON) and `report` (the corpus figures). The
queries on an archive's citations table are in `archive_browser.core.archive.citations`.
"""

from archive_browser.core.citations.authority import (
    AUTHORITY_FILE,
    ArchiveEntry,
    Authority,
    AuthorityError,
    authority_file,
    load_authority,
)
from archive_browser.core.citations.concordance import (
    CONCORDANCE_FILE,
    Concordance,
    ConcordanceEntry,
    CopyLink,
    load_concordance,
    user_concordance_path,
)
from archive_browser.core.citations.formatting import (
    DEFAULT_STYLE,
    STYLES,
    Style,
    StyleError,
    citations_json,
    display_citation,
    format_barch,
    format_citation,
    format_dstu,
    format_english,
    format_gost,
    format_key,
    format_nara,
    format_table,
    is_ukrainian_archive,
    preferred_style,
    set_preferred_style,
    style_named,
)
from archive_browser.core.citations.grammar import parse_citations
from archive_browser.core.citations.keys import (
    MATCH_RANK,
    Match,
    canonical_key,
    compare,
    fold_key,
    folios_overlap,
    key_levels,
    make_citation,
    partial_key_matches,
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
    USHMM,
    Citation,
    citation_from_fields,
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
    "CONCORDANCE_FILE",
    "CORPORATE",
    "DEFAULT_STYLE",
    "LEVELS",
    "MATCH_RANK",
    "NARA",
    "PAAA",
    "RU",
    "STYLES",
    "TNA",
    "USHMM",
    "ArchiveEntry",
    "Authority",
    "AuthorityError",
    "Citation",
    "Concordance",
    "ConcordanceEntry",
    "CopyLink",
    "Match",
    "Style",
    "StyleError",
    "authority_file",
    "canonical_key",
    "citation_from_fields",
    "citations_json",
    "compare",
    "display_citation",
    "fold_key",
    "folios_overlap",
    "format_barch",
    "format_citation",
    "format_dstu",
    "format_english",
    "format_gost",
    "format_key",
    "format_nara",
    "format_table",
    "is_ukrainian_archive",
    "key_levels",
    "load_authority",
    "load_concordance",
    "make_citation",
    "normalize_folios",
    "normalize_frames",
    "normalize_number",
    "normalize_text",
    "parse_citations",
    "partial_key_matches",
    "preferred_style",
    "same_document",
    "set_preferred_style",
    "strip_number",
    "style_named",
    "transliterate_acronym",
    "user_concordance_path",
]
