"""File keys (R2) and comparing two citations (R4-R9): Match, compare, same_document.

The spelling rule for the archive in a key: the archive's `id` in the authority list
(`RGVA`, `TsDAVO`, `NA RT`, `GAOOMog`); an archive not in the list is its acronym as printed,
Cyrillic letters transliterated one by one (`transliterate_acronym`: upper-case letters stay
upper-case, digraphs in title case, lower-case letters stay lower-case: ЗГАКр -> ZGAKr), Latin
acronyms kept as written. Keys are compared without regard to case (`fold_key`), so
`DAVIO|P-136|3|12` written by hand finds `DAViO|P-136|3|12`.
"""

from __future__ import annotations

import enum
import re
from typing import Any

from archive_browser.core.citations.model import PAAA, RU, Citation
from archive_browser.core.citations.normalize import strip_number


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


def fold_key(key: str) -> str:
    """The form two keys are compared in: case does not count (the spelling rule above)."""
    return key.casefold()


def _key_parts(key: str) -> tuple[list[str], set[str]]:
    """(archive, fond, opis, delo) and the papka/tom/chast tags of a key or partial key."""
    parts = key.split("|")
    if len(parts) == 3:  # the PA AA pre-1945 form `PA AA||R 103295`: archive, Bestand, file
        parts = [parts[0], parts[1], "", parts[2]]
    return (parts[:4] + [""] * (4 - len(parts[:4])), {p for p in parts[4:] if p})


def key_levels(key: str) -> list[str]:
    """archive, fond, opis, delo of a key (empty strings for levels it leaves out)."""
    return _key_parts(key)[0]


def canonical_key(key: str) -> str:
    """One spelling per key for comparing: four levels, tags sorted, case folded."""
    levels, tags = _key_parts(key)
    return fold_key("|".join(levels + sorted(tags)))


def partial_key_matches(partial: str, key: str) -> bool:
    """Could the file of `partial` (levels left empty: `~|2176|1|1`, `GARF|4||2`) be `key`?

    Every level the partial key gives must be equal (without regard to case, R5 prefixes and
    leading zeros ignored as in CANDIDATE); an empty level matches any. The PA AA
    pre-1945 form `PA AA||R 103295` names no Bestand, so it is its own level set.
    """
    (p_levels, p_tags), (k_levels, k_tags) = _key_parts(partial), _key_parts(key)
    for given, other in zip(p_levels, k_levels, strict=True):
        if given and fold_key(strip_number(given)) != fold_key(strip_number(other)):
            return False
    return {fold_key(t) for t in p_tags} <= {fold_key(t) for t in k_tags}


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


class Match(enum.Enum):
    SAME = "same"
    PROBABLE = "probable"
    CANDIDATE = "candidate"
    # the same file in another archive: an original and its copy, through the concordance (R8)
    COPY = "copy"
    DIFFERENT = "different"


# The strength of a match, strongest first: how look-ups order the records they find.
MATCH_RANK = {
    Match.SAME: 0,
    Match.PROBABLE: 1,
    Match.COPY: 2,
    Match.CANDIDATE: 3,
    Match.DIFFERENT: 4,
}
_KEY_EXTRAS = ("papka", "tom", "chast")


def _levels_of(c: Citation) -> list[str | None]:
    return [c.archive, c.fond, c.opis, c.delo, *(c.extra.get(k) for k in _KEY_EXTRAS)]


def compare(a: Citation, b: Citation) -> Match:
    """SAME: equal keys. PROBABLE: equal but for a dropped prefix or leading zeros (R5).
    CANDIDATE: one side lacks a level and agrees on every level it gives (R6)."""
    if a.system != b.system:
        return Match.DIFFERENT  # R8: other systems only through a concordance
    if a.key and b.key and fold_key(a.key) == fold_key(b.key):
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
    return fold_key(strip_number(value)) if value else value


def same_document(a: Citation, b: Citation) -> bool:
    """Same file and overlapping folio/frame ranges (TNA: same item when both give one)."""
    if not a.key or not b.key or fold_key(a.key) != fold_key(b.key):
        return False
    ia, ib = a.extra.get("item"), b.extra.get("item")
    if ia and ib:
        return ia == ib and (not a.folios or not b.folios or folios_overlap(a.folios, b.folios))
    if a.extra.get("folio_unit") != b.extra.get("folio_unit"):
        return False
    return folios_overlap(a.folios, b.folios)
