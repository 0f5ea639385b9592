"""Transliteration-aware names: the Latin forms of a Russian name, and a matching key.

`variants()` writes a Russian name the ways a reader meets it: the library and
gazetteer schemes (ALA-LC, BGN/PCGN, ISO 9 / GOST 7.79, scholarly), the English press
(Wikipedia-style) and the German (Duden) and French conventions, the last two from rules
here, not from a list of famous names.

`skeleton()` reduces a name in any script and any scheme to one Latin key, so that a
spelling no scheme produced (Tuchatschewskij, Toukhatchevsky) still meets its record.
The key is for matching only: it merges sounds a reader would keep apart (ч, ш and х all
become `h`; ц, з and с all become `s`) because the schemes themselves write them with the
same letters in different languages.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

import iuliia

from archive_browser.core.text import fold as fold_case_and_accents
from archive_browser.core.text import fold_yo

# ----------------------------------------------------------------------------- schemes

#: Generated schemes, in the order their forms are kept when two schemes agree.
GENERATED_SCHEMES: tuple[str, ...] = (
    "ala-lc",
    "bgn-pcgn",
    "iso9",
    "scholarly",
    "english",
    "german",
    "french",
)

SCHEME_LABELS: dict[str, str] = {
    "ala-lc": "ALA-LC (Library of Congress)",
    "bgn-pcgn": "BGN/PCGN",
    "iso9": "ISO 9 / GOST 7.79",
    "iso-9": "ISO 9 / GOST 7.79",
    "scholarly": "Scholarly",
    "english": "English",
    "german": "German",
    "french": "French",
    "english-old": "English (older)",
    "polish": "Polish",
    "cover-name": "Cover name",
    "short": "Short form",
    "russian": "Russian",
    "other": "Other",
    # Hand-written aliases name their source's convention.
    "wikipedia": "English",
    "duden": "German (Duden)",
}


def scheme_label(scheme: str | None) -> str:
    """The name of a scheme as a user reads it: `german` -> `German` (any case)."""
    if not scheme:
        return ""
    return SCHEME_LABELS.get(scheme.lower(), scheme.replace("-", " ").capitalize())


_VOWELS = set("аеёиоуыэюяАЕЁИОУЫЭЮЯ")
_SIGNS = set("ъьЪЬ")
_HUSHING = set("жчшщЖЧШЩ")


def _is_cyrillic_letter(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _cased(piece: str, source: str, word: str) -> str:
    """Carry the case of the Cyrillic letter over to its Latin rendering."""
    if not piece or not source.isupper():
        return piece
    letters = [c for c in word if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return piece.upper()  # an abbreviation: РККА -> RKKA
    return piece[0].upper() + piece[1:]


# The German (Duden) and French conventions. Each letter's rendering depends on its
# neighbours, so a rule is a function of (previous letter, this letter, next letter, rest).
# fmt: off
_GERMAN_PLAIN = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "ж": "sch", "з": "s", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "т": "t",
    "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja",
    "і": "i", "ї": "ji", "є": "je", "ґ": "g",
}
_FRENCH_PLAIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "j", "з": "z", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "т": "t",
    "у": "ou", "ф": "f", "х": "kh", "ц": "ts", "ч": "tch", "ш": "ch", "щ": "chtch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iou", "я": "ia",
    "і": "i", "ї": "ï", "є": "ie", "ґ": "g",
}
# fmt: on


def _after_vowel_or_start(prev: str) -> bool:
    return prev == "" or prev in _VOWELS or prev in _SIGNS


def _german_letter(prev: str, char: str, nxt: str, rest: str) -> str:
    low = char.lower()
    p, n = prev.lower(), nxt.lower()
    if low == "е":
        return "je" if _after_vowel_or_start(p) else "e"
    if low == "ё":
        return "o" if p in _HUSHING else "jo"
    if low == "и" and p == "ь":
        return "ji"
    if low == "й":
        if p in ("и", "ы") and not n:
            return ""  # -ий -> -i, -ый -> -y: Tuchatschewski, Grosny
        return "j" if (p == "" and n in _VOWELS) else "i"
    if low == "с":
        return "ss" if (p in _VOWELS and n in _VOWELS) else "s"
    return _GERMAN_PLAIN.get(low, low)


def _french_letter(prev: str, char: str, nxt: str, rest: str) -> str:
    low = char.lower()
    p, n = prev.lower(), nxt.lower()
    if low == "е":
        if p == "":
            return "ie"
        if p in _VOWELS:
            return "ïe"  # Nikolaïevitch
        return "ie" if p in _SIGNS else "e"
    if low == "ё":
        return "o" if p in _HUSHING else "io"
    if low == "и":
        if p in _VOWELS and p not in ("и", "ы"):
            return "ï"  # Mikhaïl
        return "i"
    if low == "й":
        if p in ("и", "ы") and not n:
            return ""  # -ий -> -i, -ый -> -y: Toukhatchevski
        return "ï" if p in _VOWELS else "i"
    if low == "г" and n in ("е", "и", "ы", "й", "э"):
        return "gu"  # Guéorgui: keep the g hard before e and i
    if low == "с":
        return "ss" if (p in _VOWELS and n in _VOWELS) else "s"
    if low == "н" and not n and p in ("и", "ы"):
        return "ne"  # Lénine, Staline: French writes the final -ine
    return _FRENCH_PLAIN.get(low, low)


_LetterRule = Callable[[str, str, str, str], str]


def _by_rules(text: str, rule: _LetterRule) -> str:
    """Transliterate word by word, letter by letter, with the rule's context."""
    out: list[str] = []
    for word in re.split(r"(\W+)", text):
        letters = list(word)
        pieces: list[str] = []
        for i, char in enumerate(letters):
            if not _is_cyrillic_letter(char):
                pieces.append(char)
                continue
            prev = letters[i - 1] if i > 0 and _is_cyrillic_letter(letters[i - 1]) else ""
            nxt = (
                letters[i + 1]
                if i + 1 < len(letters) and _is_cyrillic_letter(letters[i + 1])
                else ""
            )
            pieces.append(_cased(rule(prev, char, nxt, word[i + 1 :]), char, word))
        out.append("".join(pieces))
    return "".join(out)


def german(name_ru: str) -> str:
    """The German (Duden) form: Тухачевский -> Tuchatschewski, Жуков -> Schukow."""
    return _by_rules(name_ru, _german_letter)


def french(name_ru: str) -> str:
    """The French form: Тухачевский -> Toukhatchevski, Ленин -> Lenine."""
    return _by_rules(name_ru, _french_letter)


def _iuliia(schema: iuliia.Schema) -> Callable[[str], str]:
    def translate(name_ru: str) -> str:
        # iuliia leaves ё untouched in several schemes; these schemes write it ë.
        translated: str = schema.translate(name_ru)  # iuliia ships no type information
        return translated.replace("ё", "ë").replace("Ё", "Ë")

    return translate


_SCHEME_FUNCTIONS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("ala-lc", _iuliia(iuliia.ALA_LC)),
    ("ala-lc", _iuliia(iuliia.ALA_LC_ALT)),  # the same scheme as typed, without ligatures
    ("bgn-pcgn", _iuliia(iuliia.BGN_PCGN)),
    ("iso9", _iuliia(iuliia.GOST_779)),
    ("scholarly", _iuliia(iuliia.SCIENTIFIC)),
    ("english", _iuliia(iuliia.WIKIPEDIA)),
    ("german", german),
    ("french", french),
)


def variants_with_schemes(name_ru: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each distinct Latin form of a Russian name with every scheme that produced it."""
    return list(_variants_cached(name_ru))


@functools.lru_cache(maxsize=65536)
def _variants_cached(name_ru: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    # A large archive repeats names (and iuliia is the slow part of a build).
    name_ru = unicodedata.normalize("NFC", name_ru.strip())
    if not any(_is_cyrillic_letter(c) for c in name_ru):
        return ()
    found: dict[str, list[str]] = {}
    for scheme, translate in _SCHEME_FUNCTIONS:
        form = unicodedata.normalize("NFC", translate(name_ru)).strip()
        if not form or any(_is_cyrillic_letter(c) for c in form):
            continue
        schemes = found.setdefault(form, [])
        if scheme not in schemes:
            schemes.append(scheme)
    return tuple((form, tuple(schemes)) for form, schemes in found.items())


def variants(name_ru: str) -> list[tuple[str, str]]:
    """Latin forms of a Russian name: [(form, scheme)], each form once, first scheme kept."""
    return [(form, schemes[0]) for form, schemes in variants_with_schemes(name_ru)]


# ----------------------------------------------------------------------------- skeleton

# Letters whose accent carries the sound: they must be mapped before accents are dropped.
# fmt: off
_ACCENTED = {
    "š": "h", "č": "h", "ž": "h", "ŝ": "h", "ĉ": "h", "ẑ": "h", "ř": "r",
    "â": "ia", "û": "iu",  # ISO 9 я, ю
    "ß": "s", "ł": "l", "ı": "i", "ø": "o", "æ": "a", "œ": "o", "đ": "d",
}
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "h",
    "з": "s", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "s",
    "ч": "h", "ш": "h", "щ": "h", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "і": "i", "ї": "i", "є": "e", "ґ": "g", "ў": "u",
}
# fmt: on
# Apostrophes and primes inside a word stand for ъ/ь: they vanish without splitting it.
_WORD_JOINERS = re.compile("['\u2019\u02bc\u02b9\u02ba\u2032\u2033`\u00b4\"\u201d]")
# Longest first: tsch before sch before ch; shch before sh.
_LATIN_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"gu(?=[eiy])", "g"),  # French Gueorgui: the u only keeps the g hard
        (r"schtsch|shch|chtch|tsch|sch|tch|zh|sh|ch|kh|cz|sz|x", "h"),
        (r"ts|tz|z|c", "s"),
        (r"ph", "f"),
        (r"w", "v"),
        (r"[jy]", "i"),
        (r"ou", "u"),
    )
)
_DOUBLES = re.compile(r"(.)\1+")
_VOWEL_PAIRS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"i(?=e)"), ""),  # ye/je/ie all write е: Yezhov, Jeschow, Iejov
    (re.compile(r"io"), "e"),  # ё as yo/jo/io: Pyotr, Pjotr, Piotr = Петр
    (re.compile(r"ue"), "u"),
    (re.compile(r"oe"), "o"),
    (re.compile(r"ae"), "a"),
    (re.compile(r"ine$"), "in"),  # French Lenine, Staline
)
_TOKEN = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=262144)
def _skeleton_word(word: str) -> str:
    for pattern, replacement in _LATIN_RULES:
        word = pattern.sub(replacement, word)
    word = _DOUBLES.sub(r"\1", word)
    for pattern, replacement in _VOWEL_PAIRS:
        word = pattern.sub(replacement, word)
    return _DOUBLES.sub(r"\1", word)


def fold(text: str) -> str:
    """Case and ё folded, accents and scripts kept: tells two spellings of a form apart."""
    return fold_yo(text).casefold()


@functools.lru_cache(maxsize=131072)
def skeleton(text: str) -> str:
    """A matching key that folds spellings of one name in any script to one string.

    Words stay apart (`mihail tuhahevski`), so a key can be searched word by word.
    """
    text = unicodedata.normalize("NFC", text).casefold()
    text = "".join(_ACCENTED.get(c, c) for c in text)
    text = fold_case_and_accents(text)  # after the letters whose accent makes a letter
    text = _WORD_JOINERS.sub("", text)
    text = "".join(_CYRILLIC.get(c, c) for c in text)
    words = (_skeleton_word(w) for w in _TOKEN.findall(text))
    return " ".join(w for w in words if w)


# ----------------------------------------------------------------------------- sort names


def sort_name(name: str, kind: str = "person") -> str:
    """The name a list files a record under: surname first for a person.

    "Hans von Seeckt" -> "Seeckt, Hans von"; "Михаил Тухачевский" -> "Тухачевский, Михаил";
    "Hermann von der Lieth-Thomsen" -> "Lieth-Thomsen, Hermann von der". A heuristic for
    "Given Family" names: the last word is the surname, and particles before it (von, van,
    de, zu, von der) stay with the given names, as German and Dutch library catalogues file
    them. An organisation, a one-word name
    or a name already written "Family, Given" is kept as it is. Names it cannot order
    (patronymics after the surname, titles such as "Enver Pasha") are written by hand in
    the data's `sort_name` column.
    """
    name = " ".join(name.split())
    words = name.split(" ")
    if kind != "person" or len(words) < 2 or "," in name:
        return name
    return f"{words[-1]}, {' '.join(words[:-1])}"
