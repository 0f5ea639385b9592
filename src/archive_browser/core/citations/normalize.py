"""Normalization (R1) of text, numbers, folios, pages and frames."""

from __future__ import annotations

import re
import unicodedata

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


# OCR and hurried typing put a space between a level marker and its dot: `f . 5446 , op . 1`.
_SPACED_MARKER_DOT = re.compile(
    r"(?<![\w])(f|op|d|ll|l|ф|оп|д|лл|л|спр|арк)\s\.(?=\s?[\dRРPП])", re.IGNORECASE
)


def normalize_text(text: str) -> str:
    """NFKC, one dash, no homoglyphs, single spaces; note breaks kept as U+2029."""
    s = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    s = s.translate(str.maketrans(_DASHES, "-" * len(_DASHES)))
    s = s.translate(_GREEK_TO_LATIN)
    s = _mark_note_breaks(s.replace("\r\n", "\n").replace("\r", "\n"))
    s = re.sub(r"[^\S\u2029]+", " ", s)
    s = _SPACED_MARKER_DOT.sub(r"\1.", s)
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
    """`Р.-2211` -> `R-2211`, `2а` and `2-а` -> `2A`, `082` stays `082`."""
    s = re.sub(r"\s+", "", raw)
    m = re.fullmatch(r"(?P<pre>[^\W\d_])?[.\-]*(?P<num>\d+)-?(?P<suf>[^\W\d_]*)", s)
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


_VERSO = r"(?:\s?(?:об(?:орот)?|ob|oborot|verso|зв|zv|адв|adv|Rs)\.?(?![^\W\d_])|v(?![^\W\d_]))"
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
