"""German finders: Bundesarchiv (`de-barch`), PA AA (`de-paaa`) and HA Krupp (`corporate`)."""

from __future__ import annotations

import re
from typing import Any

from archive_browser.core.citations.authority import bestand_merges
from archive_browser.core.citations.found import _Found
from archive_browser.core.citations.keys import make_citation
from archive_browser.core.citations.model import BARCH, CORPORATE, PAAA, Citation
from archive_browser.core.citations.normalize import _FOLIO_LIST, normalize_folios

_BESTAND = (
    r"(?P<letters>(?:Bild|MSg|Zsg|[A-Z]{1,3}))\s?(?P<bnum>\d+)"
    r"(?:\s?-\s?(?P<sub>[IVX]+|\d+|[A-Z])(?![\w])|\s(?P<sub2>[IVX]+)(?=\s?[/(]))?"
)
_BARCH_RE = re.compile(
    r"(?<![\w/-])(?P<tok>BArch-MA|BArch|BA-MA|BA/MA|BAMA|BA MA|BAK|BA"
    r"|Bundesarchiv(?:[- ]Militärarchiv)?|Militärarchiv)"
    r"(?:,? (?:Berlin(?:-Lichterfelde)?|Koblenz|Freiburg(?: i\. ?Br\.)?))?"
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
_KRUPP_UNIT = (
    r"(?:(?P<fah>FAH)\s?(?P<fnum>\d+)\s(?P<fl>[A-Z])\s?(?P<fu>\d+)"
    r"|(?P<wa>WA)\s?(?P<wnum>\d+[a-z]?)\s?/\s?(?P<wu>[\w-]+\d))"
)
_KRUPP = re.compile(
    r"(?<![\w])(?:HA Krupp|Historisches Archiv Krupp|Krupp-Archiv|HAK)[\s,:.]*" + _KRUPP_UNIT
)
# Between the parts of one note: `;`, a comma or a conjunction, and a few words of German or
# English prose (`; ferner RW 6/18`, `, vgl. auch WA 4/2845`); never a note break.
_NEXT_PART = (
    r"(?:\s?[;,]\s?|\s(?:und|and|sowie)\s)"
    r"(?:(?:ferner|vgl\.|siehe|see|cf\.|auch|also|und|and|sowie|dazu)\s?){0,3}"
)
_KRUPP_NEXT = re.compile(_NEXT_PART + _KRUPP_UNIT)
# A bare signature after a BArch citation of the same note inherits the archive (R7):
# `BArch, RH 2/2291, Bl. 5; RW 6/18`. Only the Bundesarchiv's own series letters count.
_BARCH_NEXT = re.compile(
    _NEXT_PART + r"(?P<letters>R|RH|RW|RM|RL|RS|RD|N|NS|MSg|ZSg|PH|Pers)\s?(?P<bnum>\d+)"
    r"(?:\s?-\s?(?P<sub>[IVX]+|\d+|[A-Z])(?![\w])|\s(?P<sub2>[IVX]+)(?=\s?/))?"
    r"\s?/\s?(?P<arch>\d+[a-z]?(?:-\d+)?)(?![\d/])"
)
# `RW 6/18 und 19`: a bare number continues the Archivnummer.
_BARCH_NUMBER_NEXT = re.compile(r"\s?(?:,|und|and|u\.|&)\s?(?P<arch>\d+[a-z]?)(?![\d/.\w])")


def _de_folios(text: str, pos: int) -> tuple[str | None, str | None, int]:
    m = _DE_FOLIO.match(text, pos)
    if not m:
        return None, None, pos
    unit = "page" if m["s"] else ("image" if m["img"] else None)
    return normalize_folios(m["f"]), unit, m.end()


def _barch_bestand(m: re.Match[str]) -> str:
    sub = m["sub"] or m["sub2"]
    bestand = f"{m['letters']} {m['bnum']}" + (f"-{sub}" if sub else "")
    return bestand_merges().get(bestand, bestand)


def _barch_citation(
    text: str, start: int, m: re.Match[str], bestand: str, arch: str, raw: str
) -> tuple[Citation, int]:
    folios, unit, end = _de_folios(text, m.end())
    extra: dict[str, Any] = {"folio_unit": unit} if unit else {}
    label = m.groupdict().get("label")
    if label:
        extra["bestand_label"] = label.strip()
    snippet = text[start:end].strip(" ,.;")
    return make_citation(snippet, BARCH, "BArch", bestand, None, arch, folios, extra, raw), end


def _find_barch(text: str) -> list[_Found]:
    out = []
    for m in _BARCH_RE.finditer(text):
        if m["letters"] == "Bild":
            continue
        bestand = _barch_bestand(m)
        cit, end = _barch_citation(text, m.start(), m, bestand, m["arch"], m["tok"])
        out.append(_Found(m.start(), end, [cit], explicit_archive=True))
        out.extend(_barch_next_parts(text, end, bestand, m["tok"]))
    for m in _BARCH_BILD.finditer(text):
        cit = make_citation(
            m.group(0), BARCH, "BArch", f"Bild {m['bnum']}", None, m["sig"], None, {}, m["tok"]
        )
        out.append(_Found(m.start(), m.end(), [cit], explicit_archive=True))
    return out


def _barch_next_parts(text: str, pos: int, bestand: str, raw: str) -> list[_Found]:
    """The parts after a BArch citation that inherit it: `und 19`, `; RW 6/18`."""
    out = []
    while True:
        nm = _BARCH_NUMBER_NEXT.match(text, pos)
        if nm:
            cit, end = _barch_citation(text, nm.start("arch"), nm, bestand, nm["arch"], raw)
            out.append(_Found(nm.start("arch"), end, [cit], explicit_archive=True))
            pos = end
            continue
        pm = _BARCH_NEXT.match(text, pos)
        if not pm:
            return out
        bestand = _barch_bestand(pm)
        start = pm.start("letters")
        cit, end = _barch_citation(text, start, pm, bestand, pm["arch"], raw)
        out.append(_Found(start, end, [cit], explicit_archive=True))
        pos = end


def _paaa_found(
    text: str,
    start: int,
    end: int,
    best: str | None,
    volume: str,
    folios: str | None,
    unit: str | None,
) -> _Found:
    extra: dict[str, Any] = {"folio_unit": unit} if unit else {}
    cit = make_citation(
        text[start:end].strip(" ,."), PAAA, "PA AA", best, None, volume, folios, extra, "PA AA"
    )
    return _Found(start, end, [cit], explicit_archive=True)


def _find_paaa(text: str) -> list[_Found]:
    out = []
    for m in _PAAA_R.finditer(text):
        folios, unit, end = _de_folios(text, m.end())
        best = re.sub(r"\s+", " ", m["best"]).strip() if m["best"] else None
        out.append(_paaa_found(text, m.start(), end, best, f"R {m['r']}", folios, unit))
    for m in _PAAA_B.finditer(text):
        if any(f.start <= m.start() < f.end for f in out):
            continue
        folios, unit, end = _de_folios(text, m.end())
        best = re.sub(r"(?<=[A-Z])(?=\d)", " ", re.sub(r"\s+", " ", m["best"]))
        volume = re.sub(r"\s+", " ", m["bd"])
        out.append(_paaa_found(text, m.start(), end, best, volume, folios, unit))
    return out


def _krupp_citation(text: str, start: int, m: re.Match[str]) -> tuple[Citation, int]:
    if m["fah"]:
        fond, delo = f"FAH {m['fnum']}", f"{m['fl']} {m['fu']}"
    else:
        fond, delo = f"WA {m['wnum']}", m["wu"]
    folios, unit, end = _de_folios(text, m.end())
    extra = {"folio_unit": unit} if unit else {}
    snippet = text[start:end].strip(" ,.;")
    return (
        make_citation(snippet, CORPORATE, "HA Krupp", fond, None, delo, folios, extra, "HA Krupp"),
        end,
    )


def _find_krupp(text: str) -> list[_Found]:
    out = []
    for m in _KRUPP.finditer(text):
        cit, end = _krupp_citation(text, m.start(), m)
        out.append(_Found(m.start(), end, [cit], explicit_archive=True))
        while nm := _KRUPP_NEXT.match(text, end):  # `; WA 4/2845` inherits HA Krupp
            start = nm.start("fah") if nm["fah"] else nm.start("wa")
            cit, end = _krupp_citation(text, start, nm)
            out.append(_Found(start, end, [cit], explicit_archive=True))
    return out
