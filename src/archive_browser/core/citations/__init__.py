"""Archival citations: parse, normalize to file keys, compare, format, query.

The grammar and the output contract are in `docs/citations.md`. Five families are read:
Russian/Soviet fond-opis-delo (`ru-fod`), Bundesarchiv (`de-barch`), Politisches Archiv des
Auswärtigen Amts (`de-paaa`), HA Krupp (`corporate`), NARA captured-records microfilm
(`nara-microfilm`) and UK National Archives files (`uk-tna`). Precision matters more than
recall: every finder demands an archive token or a clearly structured reference.
"""

from __future__ import annotations

import argparse
import csv
import enum
import json
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

RU = "ru-fod"
BARCH = "de-barch"
PAAA = "de-paaa"
CORPORATE = "corporate"
NARA = "nara-microfilm"
TNA = "uk-tna"

LEVELS = ("archive", "fond", "opis", "delo")


# --------------------------------------------------------------------------------------
# The data model
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    text: str
    system: str
    archive: str | None
    fond: str | None
    opis: str | None
    delo: str | None
    folios: str | None
    key: str | None
    partial_key: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    archive_raw: str | None = None

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.text,
            "system": self.system,
            "archive": self.archive,
            "fond": self.fond,
            "opis": self.opis,
            "delo": self.delo,
            "folios": self.folios,
            "key": self.key,
            "extra": dict(self.extra),
        }
        if self.key is None:
            d["partial_key"] = self.partial_key
        return d


def _file_key(
    system: str,
    archive: str | None,
    fond: str | None,
    opis: str | None,
    delo: str | None,
    extra: dict[str, Any],
) -> tuple[str | None, str]:
    """(key or None, partial key) per §0: empty strings stand for missing levels."""
    if system == PAAA and archive and delo and delo.startswith("R "):
        # Pre-1945 R numbers run through the whole series: the Bestand is not needed.
        return f"{archive}||{delo}", f"{archive}||{delo}"
    parts = [archive or "", fond or "", opis or "", delo or ""]
    suffix = ""
    for name, tag in (("papka", "p"), ("tom", "t"), ("chast", "ch")):
        if extra.get(name):
            suffix += f"|{tag}{extra[name]}"
    partial = "|".join(parts) + suffix
    needs_opis = system == RU
    complete = bool(archive and fond and delo and (opis or not needs_opis))
    return (partial if complete else None), partial


def make_citation(
    text: str,
    system: str,
    archive: str | None,
    fond: str | None,
    opis: str | None,
    delo: str | None,
    folios: str | None = None,
    extra: dict[str, Any] | None = None,
    archive_raw: str | None = None,
) -> Citation:
    extra = dict(extra or {})
    key, partial = _file_key(system, archive, fond, opis, delo, extra)
    return Citation(
        text=text,
        system=system,
        archive=archive,
        fond=fond,
        opis=opis,
        delo=delo,
        folios=folios,
        key=key,
        partial_key=None if key else partial,
        extra=extra,
        archive_raw=archive_raw,
    )


# --------------------------------------------------------------------------------------
# The authority list
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArchiveEntry:
    id: str
    system: str
    abbr_lat: tuple[str, ...]
    abbr_cyr: tuple[str, ...]
    names: tuple[str, ...]
    predecessors: tuple[str, ...]
    rule: str
    name_en: str


@dataclass(frozen=True)
class Authority:
    entries: dict[str, ArchiveEntry]
    # token as written -> archive id; acronyms are matched case-sensitively
    acronyms: dict[str, str]
    # casefolded full name -> archive id
    names: dict[str, str]
    # compiled token patterns per set of systems, built on first use
    patterns: dict[frozenset[str], re.Pattern[str] | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    def entry(self, archive_id: str | None) -> ArchiveEntry | None:
        return self.entries.get(archive_id or "")


def _split_list(cell: str | None) -> tuple[str, ...]:
    return tuple(s.strip() for s in (cell or "").split(";") if s.strip())


def load_authority(path: Path | None = None) -> Authority:
    """Read `archives.csv` (default: the bundled one); cached for the default path."""
    if path is None:
        return _default_authority()
    return _read_authority(Path(path))


@lru_cache(maxsize=1)
def _default_authority() -> Authority:
    from archive_browser.core.paths import data_dir

    return _read_authority(data_dir() / "archives.csv")


def _read_authority(path: Path) -> Authority:
    entries: dict[str, ArchiveEntry] = {}
    acronyms: dict[str, str] = {}
    names: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            names_en = _split_list(row.get("name_en"))
            entry = ArchiveEntry(
                id=row["id"].strip(),
                system=row["system"].strip(),
                abbr_lat=_split_list(row.get("abbr_lat")),
                abbr_cyr=_split_list(row.get("abbr_cyr")),
                names=names_en + _split_list(row.get("name_ru")) + _split_list(row.get("name_de")),
                predecessors=_split_list(row.get("predecessors")),
                rule=(row.get("rule") or "").strip(),
                name_en=names_en[0] if names_en else row["id"],
            )
            entries[entry.id] = entry
            for token in (entry.id, *entry.abbr_lat, *entry.abbr_cyr, *entry.predecessors):
                if _is_acronym(token):
                    acronyms.setdefault(token, entry.id)
                else:
                    names.setdefault(token.casefold(), entry.id)
            for name in entry.names:
                names.setdefault(name.casefold(), entry.id)
    return Authority(entries=entries, acronyms=acronyms, names=names)


def _is_acronym(token: str) -> bool:
    words = token.replace("-", " ").replace("/", " ").split()
    return all(len(w) <= 8 and sum(c.isupper() for c in w) >= max(1, len(w) // 2) for w in words)


# --------------------------------------------------------------------------------------
# Normalization (R1)
# --------------------------------------------------------------------------------------

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_NOTE_BREAK = "\u2029"
_GREEK_TO_LATIN = str.maketrans("ΑΒΕΗΙΚΜΝΟΡΤΧΥΖαβεικνοτυ", "ABEHIKMNORTXYZabeiknoty")
_CYR_LOOKALIKE = "АВЕКМНОРСТХаеорсух"
_LAT_LOOKALIKE = "ABEKMHOPCTXaeopcyx"
_TO_LATIN = str.maketrans(_CYR_LOOKALIKE, _LAT_LOOKALIKE)
_TO_CYRILLIC = str.maketrans(_LAT_LOOKALIKE, _CYR_LOOKALIKE)
_WORD = re.compile(r"[^\W\d_]+")
_FOOTNOTE_START = re.compile(r"\n[ \t]*(?:\n|\[?\d{1,3}\]?[.)]?[ \t]+(?=[^\W\d]))")
_MARKER_BEFORE_BREAK = re.compile(
    r"(?:^|[\s.,(])(?:[fdlFDL]|ll|op|Op|ф|Ф|оп|Оп|д|Д|л|Л|лл|Лл|т|Т|t|p|п|П)\.?\s*$"
)


def _fix_mixed_script(word: str) -> str:
    cyr = sum("\u0400" <= c <= "\u04ff" for c in word)
    lat = sum(c.isascii() for c in word)
    if not cyr or not lat:
        return word
    return word.translate(_TO_LATIN) if lat >= cyr else word.translate(_TO_CYRILLIC)


def _mark_note_breaks(text: str) -> str:
    """Blank lines and new numbered lines end a footnote (inheritance never crosses them)."""
    out: list[str] = []
    last = 0
    for m in _FOOTNOTE_START.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()]
        if m.group(0).strip() and _MARKER_BEFORE_BREAK.search(before):
            continue  # "Оп.\n3. Д. 5": a line break inside a citation, not a new note
        out.append(text[last : m.start()])
        out.append(" " + _NOTE_BREAK + " ")
        last = m.start() + 1
    out.append(text[last:])
    return "".join(out)


def normalize_text(text: str) -> str:
    """NFKC, one dash, no homoglyphs, single spaces; note breaks kept as U+2029."""
    s = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    s = s.translate(str.maketrans(_DASHES, "-" * len(_DASHES)))
    s = s.translate(_GREEK_TO_LATIN)
    s = _mark_note_breaks(s.replace("\r\n", "\n").replace("\r", "\n"))
    s = re.sub(r"[^\S\u2029]+", " ", s)
    return _WORD.sub(lambda m: _fix_mixed_script(m.group(0)), s)


_RU_TRANSLIT = {
    "А": "A",
    "Б": "B",
    "В": "V",
    "Г": "G",
    "Д": "D",
    "Е": "E",
    "Ё": "E",
    "Ж": "Zh",
    "З": "Z",
    "И": "I",
    "Й": "I",
    "К": "K",
    "Л": "L",
    "М": "M",
    "Н": "N",
    "О": "O",
    "П": "P",
    "Р": "R",
    "С": "S",
    "Т": "T",
    "У": "U",
    "Ф": "F",
    "Х": "Kh",
    "Ц": "Ts",
    "Ч": "Ch",
    "Ш": "Sh",
    "Щ": "Shch",
    "Ъ": "",
    "Ы": "Y",
    "Ь": "",
    "Э": "E",
    "Ю": "Iu",
    "Я": "Ia",
    "І": "I",
    "Ї": "I",
    "Є": "E",
    "Ґ": "G",
}


def transliterate_acronym(token: str) -> str:
    """ГАЛО -> GALO, ОГАЧО -> OGAChO (uppercase letters, digraphs in title case)."""
    out = []
    for ch in token:
        up = ch.upper()
        if up in _RU_TRANSLIT:
            lat = _RU_TRANSLIT[up]
            out.append(lat if ch.isupper() else lat.lower())
        else:
            out.append(ch)
    return "".join(out)


def _number_upper(s: str) -> str:
    """Cyrillic letters to uppercase Latin, every other letter uppercased."""
    return "".join(_RU_TRANSLIT.get(c.upper(), c.upper())[:1] if c.isalpha() else c for c in s)


def normalize_number(raw: str) -> str:
    """`Р.-2211` -> `R-2211`, `2а` -> `2A`, `082` stays `082`."""
    s = re.sub(r"\s+", "", raw)
    m = re.fullmatch(r"(?P<pre>[^\W\d_])?[.\-]*(?P<num>\d+)(?P<suf>[^\W\d_]*)", s)
    if not m:
        return _number_upper(s)
    pre = _number_upper(m["pre"]) + "-" if m["pre"] else ""
    return pre + m["num"] + _number_upper(m["suf"])


def strip_number(value: str) -> str:
    """The loose form used for PROBABLE (R5): no letter prefix, no leading zeros."""
    s = re.sub(r"^[A-Z]-", "", value)
    return re.sub(r"^0+(?=\d)", "", s)


def _expand_range_end(start: str, end: str) -> str:
    """`136-40` -> `140`, `429293-95` -> `429295`."""
    if start.isdigit() and end.isdigit() and len(end) < len(start):
        return start[: len(start) - len(end)] + end
    return end


# --------------------------------------------------------------------------------------
# Folios, pages and frames
# --------------------------------------------------------------------------------------

_VERSO = r"(?:\s?(?:об(?:орот)?|ob|oborot|verso|зв|Rs)\.?(?![^\W\d_])|v(?![^\W\d_]))"
_FOLIO_N = r"\d+(?:[a-zа-я](?![^\W\d_]))?"
_FOLIO_ITEM = (
    rf"{_FOLIO_N}(?:{_VERSO})?(?:\s?(?:ff|f)\.?(?![^\W\d_]))?"
    rf"(?:\s?-\s?{_FOLIO_N}(?:{_VERSO})?)?"
)
_FOLIO_LIST = rf"{_FOLIO_ITEM}(?:\s?(?:,|и|and|&)\s?{_FOLIO_ITEM}(?!\s?(?:г\.|гг|year)))*"
_FOLIO_ITEM_RE = re.compile(
    rf"(?P<a>{_FOLIO_N})(?P<av>{_VERSO})?(?P<ff>\s?(?:ff|f)\.?(?![^\W\d_]))?"
    rf"(?:\s?-\s?(?P<b>{_FOLIO_N})(?P<bv>{_VERSO})?)?",
    re.IGNORECASE,
)


def normalize_folios(raw: str) -> str:
    """`136–40` -> `136-140`, `12 об.` -> `12v`, `5, 7-9` -> `5,7-9`, `13 ff.` -> `13ff`."""
    items = []
    for m in _FOLIO_ITEM_RE.finditer(raw):
        a = m["a"].lower()
        item = a + ("v" if m["av"] else "")
        if m["ff"]:
            item += "ff"
        elif m["b"]:
            b = m["b"].lower()
            a_digits, b_digits = re.match(r"\d+", a), re.match(r"\d+", b)
            if a_digits and b_digits and b == b_digits.group(0):
                b = _expand_range_end(a_digits.group(0), b)
            item += "-" + b + ("v" if m["bv"] else "")
        items.append(item)
    return ",".join(items)


def normalize_frames(raw: str) -> str:
    """`E123456-58` -> `E123456-E123458`, `2724209-10` -> `2724209-2724210`."""
    m = re.fullmatch(r"\s*([A-Z]?)(\d+)(?:\s?-\s?([A-Z]?)(\d+))?\s*", raw)
    if not m:
        return re.sub(r"\s+", "", raw)
    pre, start, end_pre, end = m.groups()
    if end is None:
        return pre + start
    return f"{pre}{start}-{end_pre or pre}{_expand_range_end(start, end)}"


def _folio_bounds(item: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    m = re.fullmatch(r"[A-Z]?(\d+)[a-z]?(v?)(ff)?(?:-[A-Z]?(\d+)[a-z]?(v?))?", item)
    if not m:
        return None
    start = (int(m[1]), 1 if m[2] else 0)
    if m[3]:
        return start, (10**12, 1)
    end = (int(m[4]), 1 if m[5] else 0) if m[4] else (start if m[2] else (int(m[1]), 1))
    return start, end


def folios_overlap(a: str | None, b: str | None) -> bool:
    """Do two normalized folio (or frame) lists share a leaf? Verso counts as its leaf."""
    if not a or not b:
        return False
    ranges_a = [r for r in map(_folio_bounds, a.split(",")) if r]
    ranges_b = [r for r in map(_folio_bounds, b.split(",")) if r]
    return any(x[0] <= y[1] and y[0] <= x[1] for x in ranges_a for y in ranges_b)


# --------------------------------------------------------------------------------------
# Russian / Soviet fond-opis-delo
# --------------------------------------------------------------------------------------

_L_FOND, _L_OPIS, _L_PAPKA, _L_DELO, _L_TOM, _L_CHAST, _L_SHEET, _L_PAGE = range(8)
_LEVEL_NAMES = {
    _L_FOND: "fond",
    _L_OPIS: "opis",
    _L_PAPKA: "papka",
    _L_DELO: "delo",
    _L_TOM: "tom",
    _L_CHAST: "chast",
}
_NOT_LETTER = r"(?![^\W\d_])"
_MARKERS: list[tuple[int, str]] = [
    (_L_FOND, r"(?:fonds?|фонд|f|ф)"),
    (_L_OPIS, r"(?:opis'?|опись|опис|op|оп|verz|findbuch|fb|per)"),
    (_L_PAPKA, r"(?:papka|папка|p|п)"),
    (_L_DELO, r"(?:delo|дело|справа|spr|спр|ед\.\s?хр|akte|dok|d|д)"),
    (_L_TOM, r"(?:tom|том|t|т)"),
    (_L_CHAST, r"(?:chast'?|часть|ch|ч)"),
    (_L_SHEET, r"(?:listy|list|лл|л|ll|l|bl|арк|fol|ff)"),
    (_L_PAGE, r"(?:стр|сторінка|pp|p|s|с)"),
]
_MARKER_RE = {
    level: re.compile(rf"(?<![\w])(?P<m>{pat}){_NOT_LETTER}(?P<dot>\.?)\s?(?:№\s?)?", re.IGNORECASE)
    for level, pat in _MARKERS
}
# Ukrainian "О. 2" for opis, Nr. for delo: only inside a sequence (never to start one).
_EXTRA_MARKERS = {
    _L_OPIS: re.compile(r"(?<![\w])(?P<m>О)(?P<dot>\.)\s?"),
    _L_DELO: re.compile(r"(?<![\w])(?P<m>Nr)(?P<dot>\.)\s?"),
}
_NUM = r"(?:[RРAАPПMМ](?:\s?\.?\s?-\s?|(?=\d)))?\d+(?:[^\W\d_](?![^\W\d_]))?"
_NUM_RE = re.compile(_NUM, re.IGNORECASE)
_FOLIO_LIST_RE = re.compile(_FOLIO_LIST, re.IGNORECASE)
_SUB_DELO = re.compile(r"/\d+(?![\d/])")
_LEVEL_SEP = re.compile(r"[\s.,:/]*")
_CONTINUATION = re.compile(
    rf"\s?(?:,|\bи\b|\band\b|&)\s?(?P<n>{_NUM})(?!\s?(?:г\.|гг|year|[./:]\s?\d))",
    re.IGNORECASE,
)
_ANY_MARKER_START = re.compile(
    r"(?<![\w])(?:fonds?|фонд|f|ф|opis'?|опись|опис|op|оп|delo|дело|d|д|ед\.\s?хр|спр|"
    r"справа|л|лл|l|ll|т|t)" + _NOT_LETTER + r"\.?\s?(?:№\s?)?(?=[RРAАPПMМ]?\s?\.?-?\s?\d)"
    r"|(?<![\w])[Фф](?=\d)",
    re.IGNORECASE,
)
_IBID = re.compile(r"(?:Там же|Tam zhe|Ibid(?:em)?|Ebd|Ebenda)\.?[\s,.:]*$", re.IGNORECASE)
_GAP_TO_LEVELS = re.compile(
    r"[\s.,:«»\"'“”„)\]-]*(?:\([^()\u2029]{1,60}\)[\s.,:«»\"'“”„]*)?"
    r"(?:(?:Moscow|Москва|М\.|Kew|Freiburg|Berlin|Koblenz|Podolsk|Подольск)[\s.,:]*)?$"
)
_GENERIC_CYR_ARCHIVE = re.compile(
    r"(?<![\w])([А-ЯЁІЇЄ]{2,9}(?: (?:РФ|РТ|РБ|РМ|РК|УР|КБР|СПб|ЛО|КО|АО|УССР|СССР))?)[\s.,:]*$"
)
_GENERIC_LAT_ARCHIVE = re.compile(
    r"(?<![\w])((?:Ts|[A-Z])[A-Za-z]{1,8}(?: (?:RF|RT|RB|RM|SPb))?)[.,]?\s?$"
)


@dataclass
class _Token:
    start: int
    end: int
    archive_id: str
    raw: str


@dataclass
class _Found:
    start: int
    end: int
    citations: list[Citation | _Pending]
    explicit_archive: bool = False
    ibid: bool = False


def _archive_token_regex(auth: Authority, systems: set[str]) -> re.Pattern[str] | None:
    """One alternation, longest first, so `ЦДАВО України` wins over `ЦДАВО`.

    Acronyms match case-sensitively (`GARF` must not hit `Garfield`); full names do not.
    """
    alternatives: list[tuple[str, str]] = []
    for token, archive_id in auth.acronyms.items():
        if auth.entries[archive_id].system in systems:
            alternatives.append((token, re.escape(token).replace(r"\ ", r"\s?")))
    for name, archive_id in auth.names.items():
        if auth.entries[archive_id].system in systems:
            words = [re.escape(w) if w != "of" else "(?:of|des)" for w in name.split()]
            alternatives.append((name, "(?i:" + r"\s+".join(words) + "(?:s)?)"))
    if not alternatives:
        return None
    alternatives.sort(key=lambda a: len(a[0]), reverse=True)
    body = "|".join(pattern for _, pattern in alternatives)
    return re.compile(rf"(?<![\w/-])(?:{body})(?![\w])")


def _lookup_token(raw: str, auth: Authority) -> str:
    squeezed = re.sub(r"\s+", " ", raw)
    if squeezed in auth.acronyms:
        return auth.acronyms[squeezed]
    for candidate in (squeezed, squeezed.replace(" ", "")):
        for token, archive_id in auth.acronyms.items():
            if token.replace(" ", "") == candidate.replace(" ", ""):
                return archive_id
    folded = re.sub(r" des ", " of ", squeezed.casefold())
    return auth.names.get(folded) or auth.names.get(folded[:-1], "")


def _archive_tokens(text: str, auth: Authority, systems: frozenset[str]) -> list[_Token]:
    if systems not in auth.patterns:
        auth.patterns[systems] = _archive_token_regex(auth, set(systems))
    rx = auth.patterns[systems]
    if rx is None:
        return []
    tokens = []
    for m in rx.finditer(text):
        archive_id = _lookup_token(m.group(0), auth)
        if archive_id:
            tokens.append(_Token(m.start(), m.end(), archive_id, m.group(0)))
    return tokens


def _archive_before(
    text: str, pos: int, tokens: list[_Token], auth: Authority, generic: bool
) -> _Token | None:
    best = None
    for tok in tokens:
        near = tok.end <= pos and pos - tok.end <= 80
        if (
            near
            and _GAP_TO_LEVELS.match(text, tok.end, pos)
            and (best is None or tok.end > best.end)
        ):
            best = tok
    if best or not generic:
        return best
    before = text[max(0, pos - 30) : pos]
    m = _GENERIC_CYR_ARCHIVE.search(before)
    if m and "А" in m[1]:
        raw = m[1]
        archive_id = auth.acronyms.get(raw) or transliterate_acronym(raw)
        return _Token(pos - len(before) + m.start(1), pos - len(before) + m.end(1), archive_id, raw)
    m = _GENERIC_LAT_ARCHIVE.search(before)
    if m and "A" in m[1] and sum(c.isupper() for c in m[1]) >= 2 and m[1] not in _NOT_ARCHIVES:
        raw = m[1]
        return _Token(
            pos - len(before) + m.start(1),
            pos - len(before) + m.end(1),
            auth.acronyms.get(raw, raw),
            raw,
        )
    return None


_NOT_ARCHIVES = {"USA", "UdSSR", "NATO", "RSFSR", "GPU", "OGPU", "NKVD", "CA", "PA", "AA"}


_FUNCTION_WORD_BEFORE = re.compile(
    r"(?:^|[(\[;:\u2029]|(?:see|cf|also|in|and|и|см|ср|также|vgl|siehe|auch)\.?|[.,])\s*$",
    re.IGNORECASE,
)


def _standalone_ok(text: str, start: int, levels: _Levels) -> bool:
    """A reference without an archive: fond, opis and delo all given, not glued to a name.

    `Garfield f. 12, op. 3, d. 4` or `USA, f. 1, op. 2` must not count (§5).
    """
    full = all(lv in levels.values for lv in (_L_FOND, _L_OPIS, _L_DELO))
    if not full or levels.first_level != _L_FOND:
        return False
    before = text[max(0, start - 12) : start]
    if re.search(r"[^\W\d_]{2,}[\s,]*$", before) and not _FUNCTION_WORD_BEFORE.search(before):
        return False
    return not re.search(r"[^\W\d_]{2,},\s*$", before)


def _archive_after(text: str, end: int, tokens: list[_Token]) -> _Token | None:
    """`Ф127, оп. 1, д. 2 (РГВА)`: the archive named in brackets right after the reference."""
    for tok in tokens:
        bracketed = text[tok.end : tok.end + 1] == ")"
        if (
            bracketed
            and end <= tok.start <= end + 4
            and re.fullmatch(r"[\s.,]*\(", text[end : tok.start])
        ):
            return tok
    return None


def _apply_rule(archive_id: str, fond: str | None, auth: Authority) -> tuple[str, str | None]:
    """R3 rules of the authority list: renumbering transfers such as TsKhIDK f. N = RGVA f. NK."""
    entry = auth.entry(archive_id)
    if not entry or not entry.rule or ":" not in entry.rule:
        return archive_id, fond
    target, _, action = entry.rule.partition(":")
    kind, _, value = action.partition("=")
    if fond is None:
        return target, None
    if kind == "fond_suffix" and fond[-1:].isdigit():
        return target, fond + value
    if kind == "fond_prefix" and fond[:1].isdigit():
        return target, value + fond
    return target, fond


@dataclass
class _Levels:
    values: dict[int, str] = field(default_factory=dict)
    # R7: "Оп. 113, 114" -> the members before the last one, each as its own level values
    earlier: list[dict[int, str]] = field(default_factory=list)
    folios: str | None = None
    folio_unit: str | None = None
    first_level: int | None = None
    end: int = 0


def _match_marker(
    text: str, pos: int, after: int, inside: bool
) -> tuple[int, re.Match[str]] | None:
    for level, rx in _MARKER_RE.items():
        if level <= after:
            continue
        if level == _L_PAPKA and after not in (_L_OPIS,):
            continue  # papka sits between opis and delo (AVP RF); elsewhere p. is a page
        if level == _L_PAGE and after < _L_DELO:
            continue
        m = rx.match(text, pos)
        if m and (m["dot"] or _bare_marker_ok(m["m"], level, text, m.end())):
            return level, m
    if inside:
        for level, rx in _EXTRA_MARKERS.items():
            if level > after:
                m = rx.match(text, pos)
                if m:
                    return level, m
    return None


def _bare_marker_ok(marker: str, level: int, text: str, end: int) -> bool:
    """Markers without a dot: full words, or `F 16`/`D 2`/`Ф127` (a number must follow)."""
    return len(marker) > 2 or marker in ("Ф", "ф", "F", "D", "Op", "Оп", "Л", "Bl")


def _scan_levels(text: str, start: int) -> _Levels:
    """Read marker+number items from `start` in the fixed order fond < opis < ... < sheets."""
    levels = _Levels(end=start)
    pos, after = start, -1
    while True:
        sep = _LEVEL_SEP.match(text, pos)
        here = sep.end() if sep else pos
        if here != start and after >= 0 and text[pos:here].count("/") and after >= _L_DELO:
            break
        got = _match_marker(text, here if after >= 0 else pos, after, inside=after >= 0)
        if not got:
            break
        level, m = got
        if level >= _L_SHEET:
            fm = _FOLIO_LIST_RE.match(text, m.end())
            if not fm:
                break
            levels.folios = normalize_folios(fm.group(0))
            levels.folio_unit = "page" if level == _L_PAGE else None
            levels.end = fm.end()
            if levels.first_level is None:
                levels.first_level = level
            break
        nm = _NUM_RE.match(text, m.end())
        if not nm:
            break
        levels.values[level] = normalize_number(nm.group(0))
        levels.end = nm.end()
        sub = _SUB_DELO.match(text, levels.end) if level == _L_DELO else None
        if sub:  # "д. 12/1": a numbered part of a file, not a separator
            levels.values[level] += sub.group(0)
            levels.end = sub.end()
        if levels.first_level is None:
            levels.first_level = level
        for cm in _iter_continuations(text, levels.end):
            levels.earlier.append(dict(levels.values))
            levels.values[level] = normalize_number(cm["n"])
            levels.end = cm.end()
        pos, after = levels.end, level
    return levels


def _iter_continuations(text: str, pos: int) -> Iterator[re.Match[str]]:
    while True:
        cm = _CONTINUATION.match(text, pos)
        if not cm:
            return
        # "д. 5, л. 7" is a new marker, not a continuation: the number must stand alone.
        yield cm
        pos = cm.end()


def _compact_after(text: str, pos: int) -> tuple[list[str], int] | None:
    """`33987/3/151`, `33987:3:151`, `500-1-25`: only right after a Russian archive token."""
    m = re.compile(
        rf"[\s,.:]*(?P<a>{_NUM})(?P<s>[/:-])(?P<b>\d+[A-Za-zА-Яа-я]?)(?P=s)(?P<c>\d+[A-Za-zА-Яа-я]?)"
        r"(?![\w]|[/:-]\d)",
        re.IGNORECASE,
    ).match(text, pos)
    if not m or (m["s"] == "-" and re.fullmatch(r"(?:1[89]|20)\d\d", m["a"])):
        return None  # "GARF 2001-05-12" is a date, not fond-opis-delo
    return [normalize_number(m["a"]), normalize_number(m["b"]), normalize_number(m["c"])], m.end()


def _ru_citations(
    text: str,
    span: tuple[int, int],
    archive: str | None,
    raw: str | None,
    levels: _Levels,
    inherited: Citation | None,
    auth: Authority,
) -> list[Citation]:
    snippet = text[span[0] : span[1]].strip(" .,;")
    if inherited is not None:
        archive, raw = inherited.archive, inherited.archive_raw
    out = []
    members = [*levels.earlier, levels.values]
    for i, values in enumerate(members):
        last = i == len(members) - 1
        fields, extra = _inherit(inherited, levels.first_level)
        for level, value in values.items():
            name = _LEVEL_NAMES[level]
            if level in (_L_PAPKA, _L_TOM, _L_CHAST):
                extra[name] = value
            else:
                fields[name] = value
        folios = levels.folios if last else None
        if last and levels.folio_unit:
            extra["folio_unit"] = levels.folio_unit
        arch, fields["fond"] = (
            _apply_rule(archive, fields["fond"], auth) if archive else (None, fields["fond"])
        )
        out.append(
            make_citation(
                snippet,
                RU,
                arch,
                fields["fond"],
                fields["opis"],
                fields["delo"],
                folios,
                extra,
                raw,
            )
        )
    return out


def _inherit(
    prev: Citation | None, first_level: int | None
) -> tuple[dict[str, str | None], dict[str, Any]]:
    """The levels above `first_level` taken from the previous part (R7)."""
    fields: dict[str, str | None] = {"fond": None, "opis": None, "delo": None}
    extra: dict[str, Any] = {}
    if prev is None or first_level is None:
        return fields, extra
    if first_level > _L_FOND:
        fields["fond"] = prev.fond
    if first_level > _L_OPIS:
        fields["opis"] = prev.opis
    if first_level > _L_PAPKA and prev.extra.get("papka"):
        extra["papka"] = prev.extra["papka"]
    if first_level > _L_DELO:
        fields["delo"] = prev.delo
    if first_level > _L_TOM and prev.extra.get("tom"):
        extra["tom"] = prev.extra["tom"]
    if first_level > _L_CHAST and prev.extra.get("chast"):
        extra["chast"] = prev.extra["chast"]
    return fields, extra


def _find_ru(text: str, auth: Authority) -> list[_Found]:
    tokens = _archive_tokens(text, auth, frozenset({RU}))
    found: list[_Found] = []
    consumed_until = 0
    for m in _ANY_MARKER_START.finditer(text):
        if m.start() < consumed_until:
            continue
        levels = _scan_levels(text, m.start())
        if levels.first_level is None:
            continue
        tok = _archive_before(text, m.start(), tokens, auth, generic=levels.first_level == _L_FOND)
        ibid = bool(_IBID.search(text[max(0, m.start() - 14) : m.start()]))
        n_levels = len(levels.values) + (1 if levels.folios else 0)
        if tok is not None and levels.first_level == _L_FOND:
            ok = True
        elif tok is not None:
            ok = False  # "РГВА ... д. 5" without a fond is too loose
        elif ibid:
            ok = True
        else:
            tok = _archive_after(text, levels.end, tokens)
            ok = _standalone_ok(text, m.start(), levels) or tok is not None
            # or a lower-level part continuing the previous citation (R7)
            ok = ok or (levels.first_level in (_L_OPIS, _L_DELO) and n_levels >= 1)
        if tok is not None and tok.archive_id not in auth.entries:
            ok = ok and len(levels.values) >= 2  # a generic acronym needs a fuller reference
        if not ok:
            continue
        start = min(tok.start, m.start()) if tok is not None else m.start()
        end = max(levels.end, tok.end) if tok is not None else levels.end
        found.append(_Found(start, end, [], explicit_archive=tok is not None, ibid=ibid))
        found[-1].citations = [_pending(tok, levels)]  # resolved later, in order
        consumed_until = end
    found.extend(_find_ru_compact(text, tokens, consumed=[(f.start, f.end) for f in found]))
    return found


def _find_ru_compact(
    text: str, tokens: list[_Token], consumed: list[tuple[int, int]]
) -> list[_Found]:
    out = []
    for tok in tokens:
        if any(a <= tok.start < b for a, b in consumed):
            continue
        got = _compact_after(text, tok.end)
        if not got:
            continue
        (fond, opis, delo), end = got
        levels = _Levels(
            values={_L_FOND: fond, _L_OPIS: opis, _L_DELO: delo}, first_level=_L_FOND, end=end
        )
        tail = re.compile(r"[\s,.:]*").match(text, end)
        got_sheet = _match_marker(text, tail.end() if tail else end, _L_DELO, inside=True)
        if got_sheet and got_sheet[0] >= _L_SHEET:
            fm = _FOLIO_LIST_RE.match(text, got_sheet[1].end())
            if fm:
                levels.folios = normalize_folios(fm.group(0))
                levels.folio_unit = "page" if got_sheet[0] == _L_PAGE else None
                levels.end = fm.end()
        f = _Found(tok.start, levels.end, [], explicit_archive=True)
        f.citations = [_pending(tok, levels)]
        out.append(f)
    return out


@dataclass(frozen=True)
class _Pending:
    """A Russian reference whose inherited levels are filled in once notes are ordered."""

    token: _Token | None
    levels: _Levels


def _pending(tok: _Token | None, levels: _Levels) -> _Pending:
    return _Pending(tok, levels)


# --------------------------------------------------------------------------------------
# German, NARA and TNA finders
# --------------------------------------------------------------------------------------

_BESTAND = (
    r"(?P<letters>(?:Bild|MSg|Zsg|[A-Z]{1,3}))\s?(?P<bnum>\d+)"
    r"(?:\s?-\s?(?P<sub>[IVX]+|\d+|[A-Z])(?![\w])|\s(?P<sub2>[IVX]+)(?=\s?[/(]))?"
)
_BARCH_RE = re.compile(
    r"(?<![\w/-])(?P<tok>BArch|BA-MA|BA/MA|BAMA|BA MA|BAK|BA|Bundesarchiv(?:[- ]Militärarchiv)?"
    r"|Militärarchiv)(?:,? (?:Berlin(?:-Lichterfelde)?|Koblenz|Freiburg(?: i\. ?Br\.)?))?"
    r"(?:\s?\([^()]{1,30}\))?[\s,:.]*"
    + _BESTAND
    + r"(?:\s?\((?P<label>[^()]{1,80})\))?\s?/\s?(?P<arch>\d+[a-z]?(?:-\d+)?)(?![\d/])"
)
_BARCH_BILD = re.compile(
    r"(?<![\w/-])(?P<tok>BArch|Bundesarchiv|BA),?\s?Bild\s?(?P<bnum>\d+)\s?-\s?"
    r"(?P<sig>[A-Z]?\d+(?:-[A-Z]?\d+)*(?:[A-Z])?)"
)
_DE_FOLIO = re.compile(
    r"[\s,]*(?:(?P<bl>Bl|fol|Blatt|ff|f)\.?|(?P<s>S|p|pp|Seite)\.|(?P<img>Image))\s?"
    rf"(?P<f>{_FOLIO_LIST})",
    re.IGNORECASE,
)
_PAAA_TOKEN = (
    r"(?<![\w/-])(?:PA AA|PAAA|PA/AA|PA-AA|Politisches Archiv des Auswärtigen Amte?s"
    r"(?: \(PA AA\))?)(?: Berlin)?[\s,:.]*"
)
_PAAA_R = re.compile(
    _PAAA_TOKEN
    + r"(?:(?P<best>(?:RZ|R)\s?\d{1,4}(?:-[IVX]+)?|[A-Z][a-zäöü]+(?: [A-Z][\wäöü.]+){0,3})"
    r"[\s,]+)?R\s?(?P<r>\d{3,6})(?![\w/])"
)
_PAAA_B = re.compile(
    _PAAA_TOKEN
    + r"(?P<best>(?:B|ZA)\s?\d{1,3}(?:[-/]\d+)?|(?:RAV|MAV|DBV|GV|BV|Botschaft|Gesandtschaft"
    r"|Konsulat|Generalkonsulat) [A-ZÄÖÜ][\wäöüß-]+)[\s,]+(?:Bd\.\s?)?"
    r"(?P<bd>(?:[A-Z]{1,3}\s?)?\d+(?:/\d+)?)(?![\w/])"
)
_KRUPP = re.compile(
    r"(?<![\w])(?:HA Krupp|Historisches Archiv Krupp|Krupp-Archiv|HAK)[\s,:.]*"
    r"(?:(?P<fah>FAH)\s?(?P<fnum>\d+)\s(?P<fl>[A-Z])\s?(?P<fu>\d+)"
    r"|(?P<wa>WA)\s?(?P<wnum>\d+[a-z]?)\s?/\s?(?P<wu>[\w-]+\d))"
)
_NARA_LONG = re.compile(
    r"(?<![\w-])(?:Microfilm Publication |Microcopy |Mikrofilm |Publication |film )?"
    r"(?-i:T)\s?-?\s?(?P<pub>\d{1,4})[\s,/-]*(?:Serial\s?(?P<serial>\d+[A-Z]?)[\s,]*)?(?:roll|reel|Rolle|R)\.?\s?-?\s?(?P<roll>\d{1,5})"
    r"(?!\d)(?:[\s,/-]*(?:frames?|fr|F|Bild|Aufnahmen?)\.?\s?-?\s?(?P<fr>[A-Z]?\d+"
    r"(?:\s?-\s?[A-Z]?\d+)?))?",
    re.IGNORECASE,
)
_NARA_SHORT = re.compile(
    r"(?<![\w/-])T\s?-?(?P<pub>\d{2,4})/(?P<roll>\d{1,5})/(?P<fr>[A-Z]?\d{3,}(?:-[A-Z]?\d+)?)"
    r"(?![\w/])"
)
_NARA_SERIAL = re.compile(r"[\s,;]*Serial\s?(?P<serial>\d+[A-Z]?)", re.IGNORECASE)
_TNA_DEPTS = (
    "ADM|AIR|AVIA|BT|BW|CAB|CO|CSC|DEFE|DO|DSIR|ED|FCO|FO|GFM|HO|HS|HW|INF|KV|LAB|MAF|MEPO|"
    "MT|MUN|PREM|PROB|POWE|SUPP|TS|WO|ZHC|ZJ"
)
_TNA_RE = re.compile(
    rf"(?<![\w/-])(?:(?P<sig>TNA|PRO|The National Archives|National Archives),?[\s:,]*"
    rf"(?:\(?(?:PRO|Kew)\)?[\s:,]*)?)?(?P<dept>{_TNA_DEPTS}|T)"
    r"\s(?P<series>\d{1,4})/(?P<piece>\d+[A-Z]?)(?:/(?P<item>\d+))?(?![\d/])"
)
_TNA_REGISTRY = re.compile(
    rf"(?<![\w/-])(?P<dept>{_TNA_DEPTS})\s(?P<series>\d{{1,4}})\s(?P<code>[A-Z]{{1,3}}\d+(?:/\d+)*)"
    r"(?![\w])"
)
_TNA_FOLIO = re.compile(
    rf"\s?,?\s?(?:ff|fos|fol|folios?|f)\.?\s?(?P<f>{_FOLIO_LIST})", re.IGNORECASE
)
_ITEM_CONT = re.compile(r"\s?(?:,|and|&)\s?(?P<n>\d+)(?![\d/.]|\s?(?:ff?|fos?)\.)")


def _de_folios(text: str, pos: int) -> tuple[str | None, str | None, int]:
    m = _DE_FOLIO.match(text, pos)
    if not m:
        return None, None, pos
    unit = "page" if m["s"] else ("image" if m["img"] else None)
    return normalize_folios(m["f"]), unit, m.end()


def _barch_bestand(m: re.Match[str]) -> str:
    sub = m["sub"] or m["sub2"]
    return f"{m['letters']} {m['bnum']}" + (f"-{sub}" if sub else "")


def _find_barch(text: str) -> list[_Found]:
    out = []
    for m in _BARCH_RE.finditer(text):
        if m["letters"] == "Bild":
            continue
        folios, unit, end = _de_folios(text, m.end())
        extra: dict[str, Any] = {"folio_unit": unit} if unit else {}
        if m["label"]:
            extra["bestand_label"] = m["label"].strip()
        cit = make_citation(
            text[m.start() : end].strip(" ,."),
            BARCH,
            "BArch",
            _barch_bestand(m),
            None,
            m["arch"],
            folios,
            extra,
            m["tok"],
        )
        out.append(_Found(m.start(), end, [cit], explicit_archive=True))
    for m in _BARCH_BILD.finditer(text):
        cit = make_citation(
            m.group(0), BARCH, "BArch", f"Bild {m['bnum']}", None, m["sig"], None, {}, m["tok"]
        )
        out.append(_Found(m.start(), m.end(), [cit], explicit_archive=True))
    return out


def _find_paaa(text: str) -> list[_Found]:
    out = []
    for m in _PAAA_R.finditer(text):
        folios, unit, end = _de_folios(text, m.end())
        best = re.sub(r"\s+", " ", m["best"]).strip() if m["best"] else None
        extra: dict[str, Any] = {"folio_unit": unit} if unit else {}
        cit = make_citation(
            text[m.start() : end].strip(" ,."),
            PAAA,
            "PA AA",
            best,
            None,
            f"R {m['r']}",
            folios,
            extra,
            "PA AA",
        )
        out.append(_Found(m.start(), end, [cit], explicit_archive=True))
    for m in _PAAA_B.finditer(text):
        if any(f.start <= m.start() < f.end for f in out):
            continue
        folios, unit, end = _de_folios(text, m.end())
        best = re.sub(r"(?<=[A-Z])(?=\d)", " ", re.sub(r"\s+", " ", m["best"]))
        extra = {"folio_unit": unit} if unit else {}
        cit = make_citation(
            text[m.start() : end].strip(" ,."),
            PAAA,
            "PA AA",
            best,
            None,
            re.sub(r"\s+", " ", m["bd"]),
            folios,
            extra,
            "PA AA",
        )
        out.append(_Found(m.start(), end, [cit], explicit_archive=True))
    return out


def _find_krupp(text: str) -> list[_Found]:
    out = []
    for m in _KRUPP.finditer(text):
        if m["fah"]:
            fond, delo = f"FAH {m['fnum']}", f"{m['fl']} {m['fu']}"
        else:
            fond, delo = f"WA {m['wnum']}", m["wu"]
        folios, unit, end = _de_folios(text, m.end())
        extra = {"folio_unit": unit} if unit else {}
        cit = make_citation(
            text[m.start() : end].strip(" ,."),
            CORPORATE,
            "HA Krupp",
            fond,
            None,
            delo,
            folios,
            extra,
            "HA Krupp",
        )
        out.append(_Found(m.start(), end, [cit], explicit_archive=True))
    return out


def _find_nara(text: str) -> list[_Found]:
    out = []
    for rx in (_NARA_LONG, _NARA_SHORT):
        for m in rx.finditer(text):
            if any(f.start <= m.start() < f.end for f in out):
                continue
            extra: dict[str, Any] = {}
            frames = normalize_frames(m["fr"]) if m["fr"] else None
            if frames:
                extra["folio_unit"] = "frame"
            end = m.end()
            if "serial" in m.groupdict() and m["serial"]:
                extra["serial"] = m["serial"]
            sm = _NARA_SERIAL.match(text, end)
            if sm:
                extra["serial"] = sm["serial"]
                end = sm.end()
            before = text[max(0, m.start() - 60) : m.start()]
            sm2 = re.search(r"Serial\s?(\d+[A-Z]?)[\s,;]*$", before, re.IGNORECASE)
            if sm2 and "serial" not in extra:
                extra["serial"] = sm2[1]
            roll = m["roll"]
            cit = make_citation(
                text[m.start() : end].strip(" ,."),
                NARA,
                "NARA",
                f"T{m['pub']}",
                None,
                roll,
                frames,
                extra,
                "NARA",
            )
            out.append(_Found(m.start(), end, [cit], explicit_archive=True))
    return out


def _find_tna(text: str) -> list[_Found]:
    out = []
    for m in _TNA_RE.finditer(text):
        if m["dept"] == "T" and not m["sig"]:
            continue  # bare "T 175/235" is NARA-like; Treasury files need the TNA sigle
        fond = f"{m['dept']} {m['series']}"
        items = [m["item"]] if m["item"] else []
        end = m.end()
        if m["item"]:
            for cm in _iter_item_continuations(text, end):
                items.append(cm["n"])
                end = cm.end()
        folios = None
        fm = _TNA_FOLIO.match(text, end)
        if fm:
            folios, end = normalize_folios(fm["f"]), fm.end()
        snippet = text[m.start() : end].strip(" ,.")
        for item in items or [None]:
            extra = {"item": item} if item else {}
            out_cit = make_citation(
                snippet, TNA, "TNA", fond, None, m["piece"], folios, extra, m["sig"] or None
            )
            out.append(_Found(m.start(), end, [out_cit], explicit_archive=True))
    for m in _TNA_REGISTRY.finditer(text):
        if any(f.start <= m.start() < f.end for f in out):
            continue
        cit = make_citation(
            m.group(0),
            TNA,
            "TNA",
            f"{m['dept']} {m['series']}",
            None,
            None,
            None,
            {"registry": m["code"]},
            None,
        )
        out.append(_Found(m.start(), m.end(), [cit], explicit_archive=True))
    return out


def _iter_item_continuations(text: str, pos: int) -> Iterator[re.Match[str]]:
    while True:
        cm = _ITEM_CONT.match(text, pos)
        if not cm:
            return
        yield cm
        pos = cm.end()


# --------------------------------------------------------------------------------------
# Putting it together: parse_citations
# --------------------------------------------------------------------------------------

_GAP_INHERIT = re.compile(
    r"[\s.,;:]*(?:(?:and|und|и|also|a также|см\. также|see also|cf\.|ср\.|там же)[\s.,:]*)?",
    re.IGNORECASE,
)


def _may_inherit(text: str, prev_end: int, start: int) -> bool:
    gap = text[prev_end:start]
    if _NOTE_BREAK in gap:
        return False
    return bool(_GAP_INHERIT.fullmatch(gap)) or (";" in gap and len(gap) < 250)


def _resolve(text: str, found: list[_Found], auth: Authority) -> list[Citation]:
    out: list[Citation] = []
    prev: Citation | None = None
    prev_end = -1
    for f in found:
        cits: list[Citation] = []
        for item in f.citations:
            if not isinstance(item, _Pending):
                cits.append(item)
                continue
            cits.extend(_resolve_ru(text, f, item, prev, prev_end, auth))
        if not cits:
            continue
        out.extend(cits)
        prev, prev_end = cits[-1], f.end
    return out


def _resolve_ru(
    text: str, f: _Found, item: _Pending, prev: Citation | None, prev_end: int, auth: Authority
) -> list[Citation]:
    levels = item.levels
    span = (f.start, f.end)
    if item.token is not None:
        return _ru_citations(text, span, item.token.archive_id, item.token.raw, levels, None, auth)
    inheritable = prev is not None and prev.system == RU and prev_end >= 0
    if f.ibid:
        if not inheritable or prev is None:
            return []
        if levels.first_level is not None and levels.first_level >= _L_SHEET:
            return [replace(prev, text=text[f.start : f.end].strip(" .,;"), folios=levels.folios)]
        return _ru_citations(text, span, None, None, levels, prev, auth)
    if inheritable and prev is not None and _may_inherit(text, prev_end, f.start):
        if levels.first_level == _L_FOND and prev.archive is None:
            return _ru_citations(text, span, None, None, levels, None, auth)
        if levels.first_level is not None and levels.first_level <= _L_CHAST:
            return _ru_citations(text, span, None, None, levels, prev, auth)
    if _standalone_ok(text, f.start, levels):
        return _ru_citations(text, span, None, None, levels, None, auth)
    return []


def _drop_overlaps(found: list[_Found]) -> list[_Found]:
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[_Found] = []
    for f in found:
        if kept and f.start < kept[-1].end and f is not kept[-1]:
            if f.start == kept[-1].start and f.end == kept[-1].end:
                kept[-1].citations.extend(f.citations)  # TNA items of one reference
            continue
        kept.append(f)
    return kept


def parse_citations(text: str) -> list[Citation]:
    """Every archival citation in `text`, in order; `[]` when none. Never raises."""
    try:
        return _parse(text if isinstance(text, str) else str(text))
    except Exception:  # a parser of pasted text must never take its caller down
        return []


def _parse(text: str, auth: Authority | None = None) -> list[Citation]:
    auth = auth or load_authority()
    norm = normalize_text(text)
    found = (
        _find_barch(norm)
        + _find_paaa(norm)
        + _find_krupp(norm)
        + _find_nara(norm)
        + _find_tna(norm)
    )
    found = _drop_overlaps(found)
    ru = [f for f in _find_ru(norm, auth) if not any(g.start <= f.start < g.end for g in found)]
    return _resolve(norm, _drop_overlaps(found + ru), auth)


def citations_json(text: str) -> list[dict[str, Any]]:
    return [c.to_json() for c in parse_citations(text)]


# --------------------------------------------------------------------------------------
# Comparing (R4-R9)
# --------------------------------------------------------------------------------------


class Match(enum.Enum):
    SAME = "same"
    PROBABLE = "probable"
    CANDIDATE = "candidate"
    DIFFERENT = "different"


_RANK = {Match.SAME: 0, Match.PROBABLE: 1, Match.CANDIDATE: 2, Match.DIFFERENT: 3}
_KEY_EXTRAS = ("papka", "tom", "chast")


def _levels_of(c: Citation) -> list[str | None]:
    return [c.archive, c.fond, c.opis, c.delo, *(c.extra.get(k) for k in _KEY_EXTRAS)]


def compare(a: Citation, b: Citation) -> Match:
    """SAME: equal keys. PROBABLE: equal but for a dropped prefix or leading zeros (R5).
    CANDIDATE: one side lacks a level and agrees on every level it gives (R6)."""
    if a.system != b.system:
        return Match.DIFFERENT  # R8: other systems only through a concordance
    if a.key and b.key and a.key == b.key:
        return Match.SAME
    la, lb = _levels_of(a), _levels_of(b)
    loose_equal = all(
        (x is None and y is None) or (x is not None and y is not None and _loose(x) == _loose(y))
        for x, y in zip(la, lb, strict=True)
    )
    if a.key and b.key and loose_equal:
        return Match.PROBABLE
    if not a.fond or not b.fond:
        return Match.DIFFERENT
    compatible = all(
        x is None or y is None or _loose(x) == _loose(y) for x, y in zip(la, lb, strict=True)
    )
    if compatible and (not a.key or not b.key or _extras_differ_by_absence(a, b)):
        return Match.CANDIDATE
    return Match.DIFFERENT


def _extras_differ_by_absence(a: Citation, b: Citation) -> bool:
    return any(bool(a.extra.get(k)) != bool(b.extra.get(k)) for k in _KEY_EXTRAS)


def _loose(value: str) -> str:
    return strip_number(value) if value else value


def same_document(a: Citation, b: Citation) -> bool:
    """Same file and overlapping folio/frame ranges (TNA: same item when both give one)."""
    if not a.key or a.key != b.key:
        return False
    ia, ib = a.extra.get("item"), b.extra.get("item")
    if ia and ib:
        return ia == ib and (not a.folios or not b.folios or folios_overlap(a.folios, b.folios))
    if a.extra.get("folio_unit") != b.extra.get("folio_unit"):
        return False
    return folios_overlap(a.folios, b.folios)


# --------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------


def _abbr(archive: str | None, cyrillic: bool) -> str:
    entry = load_authority().entry(archive)
    if entry is None:
        return archive or ""
    if cyrillic and entry.abbr_cyr:
        return entry.abbr_cyr[0]
    return entry.abbr_lat[0] if entry.abbr_lat else entry.id


def _is_folio_list(folios: str) -> bool:
    return "," in folios or "-" in folios or "ff" in folios


def _gost_number(value: str) -> str:
    return re.sub(r"^R-", "Р-", value)


def format_english(c: Citation) -> str:
    """`RGVA, f. 33987, op. 3, d. 497, ll. 136–140` (and the house form of other systems)."""
    if c.system != RU:
        return _format_other(c)
    parts = [_abbr(c.archive, cyrillic=False)] if c.archive else []
    parts += [f"{m} {v}" for m, v in (("f.", c.fond), ("op.", c.opis)) if v]
    if c.extra.get("papka"):
        parts.append(f"p. {c.extra['papka']}")
    if c.delo:
        parts.append(f"d. {c.delo}")
    parts += [f"{m} {c.extra[k]}" for m, k in (("t.", "tom"), ("ch.", "chast")) if c.extra.get(k)]
    if c.folios:
        marker = (
            "pp."
            if c.extra.get("folio_unit") == "page"
            else ("ll." if _is_folio_list(c.folios) else "l.")
        )
        parts.append(f"{marker} {c.folios.replace('-', '–')}")
    return ", ".join(parts)


def format_gost(c: Citation) -> str:
    """`РГВА. Ф. 33987. Оп. 3. Д. 497. Л. 136–140.` (GOST R 7.0.5 archival style)."""
    if c.system != RU:
        return _format_other(c) + "."
    parts = [_abbr(c.archive, cyrillic=True)] if c.archive else []
    parts += [f"{m} {_gost_number(v)}" for m, v in (("Ф.", c.fond), ("Оп.", c.opis)) if v]
    if c.extra.get("papka"):
        parts.append(f"П. {c.extra['papka']}")
    if c.delo:
        parts.append(f"Д. {c.delo}")
    parts += [f"{m} {c.extra[k]}" for m, k in (("Т.", "tom"), ("Ч.", "chast")) if c.extra.get(k)]
    if c.folios:
        marker = "С." if c.extra.get("folio_unit") == "page" else "Л."
        folios = re.sub(r"(\d)v", r"\1 об.", c.folios).replace("-", "–")
        parts.append(f"{marker} {folios}")
    text = ". ".join(parts)
    return text if text.endswith(".") else text + "."  # "Л. 5 об." already ends the note


def _format_other(c: Citation) -> str:
    folios = c.folios.replace("-", "–") if c.folios else None
    unit = c.extra.get("folio_unit")
    if c.system == BARCH:
        head = (
            f"BArch, {c.fond}-{c.delo}"
            if (c.fond or "").startswith("Bild")
            else (f"BArch, {c.fond}/{c.delo}")
        )
        return head + (f", {'S.' if unit == 'page' else 'Bl.'} {folios}" if folios else "")
    if c.system == PAAA:
        head = ", ".join(x for x in ("PA AA", c.fond, c.delo) if x)
        return head + (f", Bl. {folios}" if folios else "")
    if c.system == CORPORATE:
        sep = "/" if (c.fond or "").startswith("WA") else " "
        return f"HA Krupp, {c.fond}{sep}{c.delo}" + (f", Bl. {folios}" if folios else "")
    if c.system == NARA:
        text = f"NARA, Microfilm Publication {c.fond}, roll {c.delo}"
        return text + (f", frames {c.folios}" if c.folios else "")
    if c.system == TNA:
        item = f"/{c.extra['item']}" if c.extra.get("item") else ""
        text = f"TNA, {c.fond}/{c.delo}{item}" if c.delo else f"TNA, {c.fond}"
        return text + (f", ff. {folios}" if folios else "")
    return c.text


def format_table(cits: list[Citation]) -> str:
    """A plain-text table for `archive-browser cite TEXT`."""
    if not cits:
        return "No archival citation found."
    header = ("#", "system", "archive", "fond", "opis", "delo", "folios", "key")
    rows = [header] + [
        (
            str(i),
            c.system,
            c.archive or "-",
            c.fond or "-",
            c.opis or "-",
            c.delo or "-",
            c.folios or "-",
            c.key or f"(partial) {c.partial_key}",
        )
        for i, c in enumerate(cits, 1)
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# The archive database: tree, prefix lookups, same-file search
# --------------------------------------------------------------------------------------

CITATION_INDEXES = (
    'CREATE INDEX IF NOT EXISTS "idx_citations_key" ON "citations" ("key")',
    'CREATE INDEX IF NOT EXISTS "idx_citations_archive_fond" ON "citations" ("archive", "fond")',
    'CREATE INDEX IF NOT EXISTS "idx_citations_fond" ON "citations" ("fond")',
)


def create_citation_indexes(conn: sqlite3.Connection) -> None:
    """The indexes `find_citing` relies on (the build calls this after filling the table)."""
    for sql in CITATION_INDEXES:
        conn.execute(sql)


@dataclass
class TreeNode:
    label: str
    level: str
    key_prefix: tuple[str, ...]
    count: int
    children: list[TreeNode] = field(default_factory=list)


_LEVEL_LABEL = {"fond": "f.", "opis": "op.", "delo": "d."}


def _node_label(level: str, value: str, system: str) -> str:
    if level == "archive":
        return value or "(no archive)"
    if system == RU:
        return f"{_LEVEL_LABEL[level]} {value}"
    return value


def citation_tree(conn: sqlite3.Connection) -> list[TreeNode]:
    """Archive > fond > opis > delo; each count = distinct records citing at or below it."""
    roots: dict[tuple[str, ...], TreeNode] = {}
    nodes: dict[tuple[str, ...], TreeNode] = {}
    for depth, level in enumerate(LEVELS, start=1):
        cols = ", ".join(f"COALESCE(\"{c}\", '')" for c in LEVELS[:depth])
        sql = (
            f'SELECT {cols}, MIN(COALESCE("system", \'\')), COUNT(DISTINCT "record_id") '
            f'FROM "citations" GROUP BY {cols} ORDER BY {cols}'
        )
        for row in conn.execute(sql):
            prefix = tuple(row[:depth])
            system, count = row[depth], row[depth + 1]
            value = prefix[-1]
            if depth > 1 and not value:
                nodes[prefix] = nodes[prefix[:-1]]  # a missing level (BArch opis) is skipped
                continue
            node = TreeNode(_node_label(level, value, system), level, prefix, count, [])
            nodes[prefix] = node
            if depth == 1:
                roots[prefix] = node
            else:
                nodes[prefix[:-1]].children.append(node)
    return sorted(roots.values(), key=lambda n: (n.key_prefix == ("",), n.label))


def records_citing_prefix(conn: sqlite3.Connection, key_prefix: tuple[str, ...]) -> list[str]:
    """Record ids citing anything under `key_prefix` (archive, fond, opis, delo; '' = none)."""
    clauses, params = [], []
    for col, value in zip(LEVELS, key_prefix, strict=False):
        if value:
            clauses.append(f'"{col}" = ?')
            params.append(value)
        else:
            clauses.append(f"COALESCE(\"{col}\", '') = ''")
    where = " AND ".join(clauses) or "1"
    sql = f'SELECT DISTINCT "record_id" FROM "citations" WHERE {where} ORDER BY "record_id"'
    return [r[0] for r in conn.execute(sql, params)]


def _fond_variants(fond: str) -> list[str]:
    base = strip_number(fond)
    if not base[:1].isdigit():
        return [fond]
    out = {fond}
    for prefix in ("", "R-", "A-", "P-", "M-"):
        for zeros in range(4):
            out.add(prefix + "0" * zeros + base)
    return sorted(out)


def _row_citation(row: sqlite3.Row | tuple[Any, ...]) -> Citation:
    (_, text, system, archive, fond, opis, delo, folios, key, partial, extra) = row
    try:
        extra_d = json.loads(extra) if extra else {}
    except (TypeError, ValueError):
        extra_d = {}
    return Citation(
        text=text or "",
        system=system or "",
        archive=archive,
        fond=fond or None,
        opis=opis or None,
        delo=delo or None,
        folios=folios,
        key=key or None,
        partial_key=partial,
        extra=extra_d if isinstance(extra_d, dict) else {},
    )


_ROW_COLS = (
    '"record_id", "text", "system", "archive", "fond", "opis", "delo", "folios", '
    '"key", "partial_key", "extra"'
)


def find_citing(conn: sqlite3.Connection, citation: Citation) -> list[tuple[str, Match, Citation]]:
    """Records citing the same file: SAME first, then PROBABLE, then CANDIDATE."""
    rows: list[tuple[Any, ...]] = []
    if citation.key:
        rows += conn.execute(
            f'SELECT {_ROW_COLS} FROM "citations" WHERE "key" = ?', (citation.key,)
        ).fetchall()
    if citation.fond:
        variants = _fond_variants(citation.fond)
        marks = ", ".join("?" * len(variants))
        if citation.archive:
            sql = (
                f'SELECT {_ROW_COLS} FROM "citations" WHERE "archive" = ? AND "fond" IN '
                f'({marks}) UNION ALL SELECT {_ROW_COLS} FROM "citations" WHERE '
                f'"archive" IS NULL AND "fond" IN ({marks})'
            )
            rows += conn.execute(sql, (citation.archive, *variants, *variants)).fetchall()
        else:
            sql = f'SELECT {_ROW_COLS} FROM "citations" WHERE "fond" IN ({marks})'
            rows += conn.execute(sql, variants).fetchall()
    best: dict[str, tuple[Match, Citation]] = {}
    for row in rows:
        other = _row_citation(row)
        match = compare(citation, other)
        if match is Match.DIFFERENT:
            continue
        record_id = row[0]
        if record_id not in best or _RANK[match] < _RANK[best[record_id][0]]:
            best[record_id] = (match, other)
    ordered = sorted(best.items(), key=lambda kv: (_RANK[kv[1][0]], kv[0]))
    return [(rid, m, c) for rid, (m, c) in ordered]


# --------------------------------------------------------------------------------------
# Corpus figures: python -m archive_browser.core.citations --corpus FILE
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusFigures:
    citation_rows: int
    exact_rows: int
    non_citation_rows: int
    false_positive_rows: int
    failures: tuple[tuple[str, str, str], ...]

    @property
    def exact_share(self) -> float:
        return self.exact_rows / self.citation_rows if self.citation_rows else 1.0


def _keys_written(cits: Sequence[Citation]) -> str:
    return " ; ".join(c.key or f"~{c.partial_key}" for c in cits)


def read_corpus(path: Path) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def corpus_figures(rows: Iterable[dict[str, str]]) -> CorpusFigures:
    cit_rows = exact = non_rows = fp = 0
    failures = []
    for row in rows:
        expected = " ; ".join(k.strip() for k in row["expected_key"].split(";") if k.strip())
        got = _keys_written(parse_citations(row["text"]))
        if expected:
            cit_rows += 1
            exact += got == expected
        else:
            non_rows += 1
            fp += bool(got)
        if got != expected:
            failures.append((row["text"], expected, got))
    return CorpusFigures(cit_rows, exact, non_rows, fp, tuple(failures))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m archive_browser.core.citations")
    parser.add_argument("--corpus", type=Path, help="CSV with text,expected_key,... columns")
    parser.add_argument("--json", action="store_true", help="print citations as JSON")
    parser.add_argument("text", nargs="*")
    args = parser.parse_args(argv)
    if args.corpus:
        figures = corpus_figures(read_corpus(args.corpus))
        for text, expected, got in figures.failures:
            print(f"MISS  {text!r}\n      expected {expected!r}\n      got      {got!r}")
        print(
            f"exact keys: {figures.exact_rows}/{figures.citation_rows} citation rows "
            f"({figures.exact_share:.1%})"
        )
        print(
            f"false positives: {figures.false_positive_rows}/{figures.non_citation_rows} "
            "non-citation rows"
        )
        return 0
    text = " ".join(args.text) if args.text else sys.stdin.read()
    if args.json:
        print(json.dumps(citations_json(text), ensure_ascii=False, indent=2))
    else:
        print(format_table(parse_citations(text)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
