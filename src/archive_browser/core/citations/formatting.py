"""Writing citations out in the styles journals demand, the plain-text table, JSON.

The styles (`STYLES`, `format_citation(c, style)`):

- `english` (aliases `chicago`, `kritika`): Kritika / Chicago with Library of Congress
  abbreviations, `RGVA, f. 33987, op. 3, d. 295, ll. 12–15ob.`; Ukrainian archives with
  `spr.`, `ark.` and `zv.`;
- `gost`: GOST R 7.0.5-2008, `РГВА. Ф. 33987. Оп. 3. Д. 295. Л. 12–15 об.`;
- `dstu`: DSTU 8302:2015 for Ukrainian archives, `ЦДАВО України. Ф. 1429. Оп. 1. Спр. 5.
  Арк. 5 зв.`;
- `barch`: the Bundesarchiv's own form, `BArch, RH 2/2291, Bl. 5`;
- `nara`: NARA microfilm, `NARA, T-120, roll 2345, frames 123456–60`.

A style written for one family of archives writes the others in its nearest form: `barch`
and `nara` write files of other archives as `english` does; `gost` and `dstu` write German,
American and British files in their house forms. Every form parses back to the same key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archive_browser.core.citations.authority import load_authority
from archive_browser.core.citations.grammar import parse_citations
from archive_browser.core.citations.keys import key_levels, make_citation
from archive_browser.core.citations.model import (
    BARCH,
    CORPORATE,
    NARA,
    PAAA,
    RU,
    TNA,
    USHMM,
    Citation,
    citation_from_fields,
)


def _abbr(archive: str | None, cyrillic: bool) -> str:
    entry = load_authority().entry(archive)
    if entry is None:
        return archive or ""
    if cyrillic and entry.abbr_cyr:
        return entry.abbr_cyr[0]
    return entry.abbr_lat[0] if entry.abbr_lat else entry.id


def _entry_names(archive: str | None) -> tuple[str, ...]:
    entry = load_authority().entry(archive)
    return entry.names if entry else ()


def is_ukrainian_archive(archive: str | None) -> bool:
    """An archive of Ukraine: the authority list names it in Ukrainian (`... архів ...`)."""
    return any("архів" in name.casefold() for name in _entry_names(archive))


def _dstu_abbr(archive: str | None) -> str:
    """`ЦДАВО України` rather than `ЦДАВО`: DSTU names a central archive with its country."""
    entry = load_authority().entry(archive)
    if entry is None:
        return archive or ""
    with_country = [a for a in entry.abbr_cyr if a.endswith("України")]
    return (with_country or list(entry.abbr_cyr) or [_abbr(archive, cyrillic=False)])[0]


def _is_folio_list(folios: str) -> bool:
    return "," in folios or "-" in folios or "ff" in folios


def _gost_number(value: str) -> str:
    return re.sub(r"^R-", "Р-", value)


def format_english(c: Citation) -> str:
    """`RGVA, f. 33987, op. 3, d. 295, ll. 12–15ob.` (Kritika / Chicago, LC abbreviations);
    Ukrainian archives `TsDAVO, f. 1429, op. 1, spr. 5, ark. 5zv.`; other systems in their
    house forms."""
    if c.system != RU:
        return _format_other(c)
    ukrainian = is_ukrainian_archive(c.archive)
    parts = [_abbr(c.archive, cyrillic=False)] if c.archive else []
    parts += [f"{m} {v}" for m, v in (("f.", c.fond), ("op.", c.opis)) if v]
    if c.extra.get("papka"):
        parts.append(f"p. {c.extra['papka']}")
    if c.delo:
        parts.append(f"{'spr.' if ukrainian else 'd.'} {c.delo}")
    parts += [f"{m} {c.extra[k]}" for m, k in (("t.", "tom"), ("ch.", "chast")) if c.extra.get(k)]
    if c.folios:
        if c.extra.get("folio_unit") == "page":
            marker = "pp."
        elif ukrainian:
            marker = "ark."
        else:
            marker = "ll." if _is_folio_list(c.folios) else "l."
        verso = "zv." if ukrainian else "ob."
        folios = re.sub(r"(\d)v\b", rf"\1{verso}", c.folios).replace("-", "–")
        parts.append(f"{marker} {folios}")
    return ", ".join(parts)


def format_gost(c: Citation) -> str:
    """`РГВА. Ф. 33987. Оп. 3. Д. 497. Л. 136–140.` (GOST R 7.0.5-2008 archival style)."""
    return _format_cyrillic(c, dstu=False)


def format_dstu(c: Citation) -> str:
    """`ЦДАВО України. Ф. 1429. Оп. 1. Спр. 5. Арк. 5 зв.` (DSTU 8302:2015 archival style)."""
    return _format_cyrillic(c, dstu=True)


def _format_cyrillic(c: Citation, dstu: bool) -> str:
    if c.system != RU:
        return _format_other(c) + "."
    if dstu:
        abbr = _dstu_abbr(c.archive)
        delo, sheet, page, verso = "Спр.", "Арк.", "С.", "зв."
    else:
        abbr = _abbr(c.archive, cyrillic=True)
        delo, sheet, page, verso = "Д.", "Л.", "С.", "об."
    parts = [abbr] if c.archive else []
    parts += [f"{m} {_gost_number(v)}" for m, v in (("Ф.", c.fond), ("Оп.", c.opis)) if v]
    if c.extra.get("papka"):
        parts.append(f"П. {c.extra['papka']}")
    if c.delo:
        parts.append(f"{delo} {c.delo}")
    parts += [f"{m} {c.extra[k]}" for m, k in (("Т.", "tom"), ("Ч.", "chast")) if c.extra.get(k)]
    if c.folios:
        marker = page if c.extra.get("folio_unit") == "page" else sheet
        folios = re.sub(r"(\d)v", rf"\1 {verso}", c.folios).replace("-", "–")
        parts.append(f"{marker} {folios}")
    text = ". ".join(parts)
    return text if text.endswith(".") else text + "."  # "Л. 5 об." already ends the note


def format_barch(c: Citation) -> str:
    """`BArch, RH 2/2291, Bl. 5` for Bundesarchiv files; other archives as `english`."""
    return _format_other(c) if c.system == BARCH else format_english(c)


def format_nara(c: Citation) -> str:
    """`NARA, T-120, roll 2345, frames 123456–60` for NARA film; other archives as `english`."""
    return _format_nara(c) if c.system == NARA else format_english(c)


def _short_range_end(start: str, end: str) -> str:
    """`123456`, `123460` -> `60`: the end without the digits it shares with the start."""
    if len(start) != len(end) or not (start.isdigit() and end.isdigit()):
        return end
    same = 0
    while same < len(start) and start[same] == end[same]:
        same += 1
    return end[min(same, len(end) - 2) :]


def _nara_frames(frames: str) -> str:
    out = []
    for item in frames.split(","):
        m = re.fullmatch(r"([A-Z]?)(\d+)-([A-Z]?)(\d+)", item)
        if m and m[1] == m[3]:
            out.append(f"{m[1]}{m[2]}–{_short_range_end(m[2], m[4])}")
        else:
            out.append(item.replace("-", "–"))
    return ", ".join(out)


def _publication(fond: str | None) -> str:
    """`T120` -> `T-120`, as NARA writes its microfilm publications."""
    return re.sub(r"^T(\d)", r"T-\1", fond or "")


def _format_nara(c: Citation) -> str:
    parts = ["NARA", _publication(c.fond)]
    if c.extra.get("serial"):
        parts.append(f"serial {c.extra['serial']}")
    parts.append(f"roll {c.delo}")
    if c.folios:
        parts.append(f"frames {_nara_frames(c.folios)}")
    return ", ".join(parts)


@dataclass(frozen=True)
class Style:
    name: str
    label: str  # as the window names it: "Copy as <label>"
    description: str
    format: Callable[[Citation], str]


STYLES: dict[str, Style] = {
    style.name: style
    for style in (
        Style(
            "english",
            "English (Chicago)",
            "Kritika / Chicago with Library of Congress abbreviations",
            format_english,
        ),
        Style("gost", "Russian (GOST)", "GOST R 7.0.5-2008", format_gost),
        Style("dstu", "Ukrainian (DSTU)", "DSTU 8302:2015", format_dstu),
        Style("barch", "Bundesarchiv", "the Bundesarchiv's own citation form", format_barch),
        Style("nara", "NARA microfilm", "NARA captured-records microfilm", format_nara),
    )
}
STYLE_ALIASES = {"chicago": "english", "kritika": "english", "en": "english"}
DEFAULT_STYLE = "english"


class StyleError(ValueError):
    """An output style the program does not know."""


def style_named(name: str) -> Style:
    """The style called `name` (or one of its aliases); StyleError names the known ones."""
    key = STYLE_ALIASES.get(name.strip().casefold(), name.strip().casefold())
    if key not in STYLES:
        known = ", ".join([*STYLES, *STYLE_ALIASES])
        raise StyleError(f"There is no citation style {name!r}; the styles are: {known}.")
    return STYLES[key]


def format_citation(c: Citation, style: str = DEFAULT_STYLE) -> str:
    """`c` written in `style` (`english`, `gost`, `dstu`, `barch`, `nara` or an alias)."""
    return style_named(style).format(c)


_preferred_style = DEFAULT_STYLE


def preferred_style() -> str:
    """The style the window shows citations in (the window sets it from its settings)."""
    return _preferred_style


def set_preferred_style(style: str) -> str:
    """Choose the style citations are shown in; returns its canonical name."""
    global _preferred_style
    _preferred_style = style_named(style).name
    return _preferred_style


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
        return _format_nara(c)
    if c.system == USHMM:
        reel = f", reel {c.delo}" if c.delo else ""
        return f"USHMM, {c.fond}{reel}" + (f", frames {c.folios}" if c.folios else "")
    if c.system == TNA:
        item = f"/{c.extra['item']}" if c.extra.get("item") else ""
        text = f"TNA, {c.fond}/{c.delo}{item}" if c.delo else f"TNA, {c.fond}"
        return text + (f", ff. {folios}" if folios else "")
    return c.text


def citation_from_key(key: str) -> Citation:
    """A citation standing for `key` (a file or a collection key), to write it out."""
    archive, fond, opis, delo = (level or None for level in key_levels(key))
    entry = load_authority().entry(archive)
    system = entry.system if entry else RU
    return make_citation(key, system, archive, fond, opis, delo)


def format_key(key: str, style: str = DEFAULT_STYLE) -> str:
    """`NARA|T120||2345` -> `NARA, T-120, roll 2345`; a collection key as far as it goes."""
    c = citation_from_key(key)
    if c.system == NARA and not c.delo:
        return f"NARA, {_publication(c.fond)}".rstrip(", ")
    if c.system == BARCH and not c.delo:
        return ", ".join(x for x in ("BArch", c.fond) if x)
    if c.system == PAAA and not c.delo:
        return ", ".join(x for x in ("PA AA", c.fond) if x)
    unknown = load_authority().entry(c.archive) is None
    if (c.system not in (RU, USHMM) and not c.delo) or (
        unknown and not re.match(r"(?:[A-Z]-)?\d", c.fond or "0")
    ):
        return " ".join(level for level in key_levels(key) if level)
    return format_citation(c, style).rstrip(".") if c.system != RU else format_citation(c, style)


def display_citation(fields: dict[str, Any], style: str | None = None) -> str:
    """A stored citation (a row of the archive's citations table) in `style`, by default the
    preferred one: what a record's page shows beside the reference as printed."""
    c = citation_from_fields(fields)
    if not c.system or not (c.archive or c.fond):
        return ""
    try:
        return format_citation(c, style or preferred_style())
    except Exception:  # a stored row the formats do not know must not break the page
        return ""


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
