"""Writing citations out: English and GOST forms, the plain-text table, JSON."""

from __future__ import annotations

import re
from typing import Any

from archive_browser.core.citations.authority import load_authority
from archive_browser.core.citations.grammar import parse_citations
from archive_browser.core.citations.model import BARCH, CORPORATE, NARA, PAAA, RU, TNA, Citation


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


def citations_json(text: str) -> list[dict[str, Any]]:
    return [c.to_json() for c in parse_citations(text)]
