"""Text as the program compares and shows it: one home for folding and for markup escaping.

Folding: `fold_yo` is the index's form (NFC, ё as е: the FTS5 tokenizer does not fold ё);
`fold` also drops case and accents (`Ёлкин` -> `елкин`, `Köstring` -> `kostring`), for
comparing words in Python the way the tokenizer compares them; `char_fold_table` does the
same one character for one character, so offsets in folded text are offsets in the text.

Escaping: Qt reads a label or a tooltip as rich text when it looks like HTML, so every piece
of archive or user text shown in one goes through `escape_markup` (or a helper built on it).
"""

from __future__ import annotations

import html
import unicodedata
from functools import cache


def fold_yo(text: str) -> str:
    """NFC, and ё as е (Ё as Е): the text as the full-text index stores it."""
    return unicodedata.normalize("NFC", text).replace("ё", "е").replace("Ё", "Е")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: `Ёлкин` and `елкин`, `Köstring` and `kostring`."""
    if text.isascii():
        return text.lower()  # the common case, and casefold() == lower() for ASCII
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return decomposed.translate(_combining_marks())


@cache
def _combining_marks() -> dict[int, None]:
    # Accents left over by NFKD (ё -> е + U+0308); the BMP holds all that occur in our text.
    return {code: None for code in range(0x10000) if unicodedata.combining(chr(code))}


@cache
def char_fold_table() -> dict[int, str]:
    """`str.translate` table folding case, accents and ё one character for one (Latin,
    Greek and Cyrillic), so a match in folded text is at the same offsets in the text."""
    table: dict[int, str] = {}
    for code in range(0x41, 0x0530):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        ).casefold()
        if len(base) == 1 and base != char:
            table[code] = base
    table[ord("ё")] = table[ord("Ё")] = "е"
    return table


def escape_markup(text: object) -> str:
    """Text as literal rich text: `<b>` in a title is shown, never read as markup."""
    return html.escape(str(text), quote=True)


def escape_lines(text: object) -> str:
    """`escape_markup`, with the text's line breaks kept as `<br>`."""
    return escape_markup(text).replace("\n", "<br>")


def plain_tooltip(*lines: str) -> str:
    """A tooltip of literal lines (empty ones left out)."""
    return "<qt>" + "<br>".join(escape_markup(line) for line in lines if line) + "</qt>"


def paragraph_tooltip(text: str) -> str:
    """A tooltip of one literal paragraph, its line breaks kept."""
    return "<p>" + escape_lines(text) + "</p>"
