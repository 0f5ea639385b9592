"""Putting the finders together: parse_citations."""

from __future__ import annotations

from archive_browser.core.citations.authority import Authority, load_authority
from archive_browser.core.citations.found import _Found
from archive_browser.core.citations.grammar_de import _find_barch, _find_krupp, _find_paaa
from archive_browser.core.citations.grammar_ru import _find_ru, _Pending, _resolve_ru
from archive_browser.core.citations.grammar_us_uk import _find_nara, _find_tna, _find_ushmm
from archive_browser.core.citations.model import Citation
from archive_browser.core.citations.normalize import normalize_text


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
    """Every archival citation in `text`, in order; `[]` when none. Never raises on any text.

    Only a broken installation raises: a missing authority list (AuthorityError) must not
    pass for "no citation here".
    """
    auth = load_authority()
    try:
        return _parse(text if isinstance(text, str) else str(text), auth)
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
        + _find_ushmm(norm)
    )
    found = _drop_overlaps(found)
    ru = [f for f in _find_ru(norm, auth) if not any(g.start <= f.start < g.end for g in found)]
    return _resolve(norm, _drop_overlaps(found + ru), auth)
