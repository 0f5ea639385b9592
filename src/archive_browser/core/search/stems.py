"""Word stems (Snowball): an inflected form finds its base, `Тухачевским` -> Тухачевский.

Cyrillic words go through the Russian Snowball stemmer, Latin words through the German one
(German genitives and plurals: `Guderians` -> Guderian; it also strips the English plural
-s). Snowball has no Ukrainian stemmer, so a Ukrainian word is first brought to Russian
spelling (і/ї -> и, є -> е, ґ -> г, the soft sign of -ськ/-цьк/-зьк dropped) and stripped
of the Ukrainian endings the Russian stemmer does not know (`_UKRAINIAN_ENDINGS`), then
stemmed as Russian: `Тухачевського`, `Липецьком`, `Сталіним`, `Харкові` meet their Russian
stems. The index stores the stems at build time (the `stems` column); a query stems only
its own few words.
"""

from __future__ import annotations

import functools
import re

import snowballstemmer

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_UKRAINIAN_LETTERS = str.maketrans({"і": "и", "ї": "и", "є": "е", "ґ": "г", "ё": "е"})
_UKRAINIAN_SOFT = re.compile(r"(?<=[сцз])ь(?=к)")
# Dative/locative -ові/-еві (Сталінові, Гудеріанові) after the letters are mapped: the
# Russian stemmer would keep the -ов-.
_UKRAINIAN_ENDINGS = ("ови", "еви")
# A stem shorter than this is too vague to find anything by.
MIN_STEM_CHARS = 3


@functools.lru_cache(maxsize=4)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(language)


def _russian_spelling(word: str) -> str:
    word = _UKRAINIAN_SOFT.sub("", word.translate(_UKRAINIAN_LETTERS))
    for ending in _UKRAINIAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM_CHARS + 1:
            return word[: -len(ending)]
    return word


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one word (lower case); the word itself when no stemmer applies."""
    lowered = word.casefold()
    if _CYRILLIC.search(lowered):
        stemmed = str(_stemmer("russian").stemWord(_russian_spelling(lowered)))
    elif _LATIN.search(lowered) and not any(c.isdigit() for c in lowered):
        stemmed = str(_stemmer("german").stemWord(lowered))
    else:
        return lowered
    return stemmed if len(stemmed) >= MIN_STEM_CHARS else lowered
