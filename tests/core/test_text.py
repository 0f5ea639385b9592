"""core.text: the one folding and the one escaping every caller shares."""

from __future__ import annotations

from archive_browser.core.text import (
    char_fold_table,
    escape_lines,
    escape_markup,
    fold,
    fold_yo,
    paragraph_tooltip,
    plain_tooltip,
)


def test_folding_ignores_case_accents_and_yo() -> None:
    assert fold("Ёлкин") == fold("елкин") == "елкин"
    assert fold("Köstring") == "kostring"
    assert fold_yo("Ёлкин ёж") == "Елкин еж"


def test_the_character_table_folds_one_for_one_so_offsets_survive() -> None:
    text = "Köstring und Ёлкин"
    folded = text.translate(char_fold_table())
    assert len(folded) == len(text)
    assert folded.lower() == "kostring und елкин"


def test_markup_in_archive_text_is_shown_literally() -> None:
    assert escape_markup('<b>"x"</b> & y') == "&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; y"
    assert escape_lines("a<\nb") == "a&lt;<br>b"
    assert plain_tooltip("<i>t</i>", "", "z") == "<qt>&lt;i&gt;t&lt;/i&gt;<br>z</qt>"
    assert paragraph_tooltip("a\nb&") == "<p>a<br>b&amp;</p>"
