"""German finders: Bundesarchiv (`de-barch`), PA AA (`de-paaa`) and HA Krupp (`corporate`)."""

from __future__ import annotations

import re
from typing import Any

from archive_browser.core.citations.found import _Found
from archive_browser.core.citations.keys import make_citation
from archive_browser.core.citations.model import BARCH, CORPORATE, PAAA
from archive_browser.core.citations.normalize import _FOLIO_LIST, normalize_folios

_BESTAND = (
    r"(?P<letters>(?:Bild|MSg|Zsg|[A-Z]{1,3}))\s?(?P<bnum>\d+)"
    r"(?:\s?-\s?(?P<sub>[IVX]+|\d+|[A-Z])(?![\w])|\s(?P<sub2>[IVX]+)(?=\s?[/(]))?"
)
_BARCH_RE = re.compile(
    r"(?<![\w/-])(?P<tok>BArch|BA-MA|BA/MA|BAMA|BA MA|BAK|BA|Bundesarchiv(?:[- ]Militärarchiv)?"
    r"|Militärarchiv)(?:,? (?:Berlin(?:-Lichterfelde)?|Koblenz|Freiburg(?: i\. ?Br\.)?))?"
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
_KRUPP = re.compile(
    r"(?<![\w])(?:HA Krupp|Historisches Archiv Krupp|Krupp-Archiv|HAK)[\s,:.]*"
    r"(?:(?P<fah>FAH)\s?(?P<fnum>\d+)\s(?P<fl>[A-Z])\s?(?P<fu>\d+)"
    r"|(?P<wa>WA)\s?(?P<wnum>\d+[a-z]?)\s?/\s?(?P<wu>[\w-]+\d))"
)


def _de_folios(text: str, pos: int) -> tuple[str | None, str | None, int]:
    m = _DE_FOLIO.match(text, pos)
    if not m:
        return None, None, pos
    unit = "page" if m["s"] else ("image" if m["img"] else None)
    return normalize_folios(m["f"]), unit, m.end()


def _barch_bestand(m: re.Match[str]) -> str:
    sub = m["sub"] or m["sub2"]
    return f"{m['letters']} {m['bnum']}" + (f"-{sub}" if sub else "")


def _find_barch(text: str) -> list[_Found]:
    out = []
    for m in _BARCH_RE.finditer(text):
        if m["letters"] == "Bild":
            continue
        folios, unit, end = _de_folios(text, m.end())
        extra: dict[str, Any] = {"folio_unit": unit} if unit else {}
        if m["label"]:
            extra["bestand_label"] = m["label"].strip()
        cit = make_citation(
            text[m.start() : end].strip(" ,."),
            BARCH,
            "BArch",
            _barch_bestand(m),
            None,
            m["arch"],
            folios,
            extra,
            m["tok"],
        )
        out.append(_Found(m.start(), end, [cit], explicit_archive=True))
    for m in _BARCH_BILD.finditer(text):
        cit = make_citation(
            m.group(0), BARCH, "BArch", f"Bild {m['bnum']}", None, m["sig"], None, {}, m["tok"]
        )
        out.append(_Found(m.start(), m.end(), [cit], explicit_archive=True))
    return out


def _find_paaa(text: str) -> list[_Found]:
    out = []
    for m in _PAAA_R.finditer(text):
        folios, unit, end = _de_folios(text, m.end())
        best = re.sub(r"\s+", " ", m["best"]).strip() if m["best"] else None
        extra: dict[str, Any] = {"folio_unit": unit} if unit else {}
        cit = make_citation(
            text[m.start() : end].strip(" ,."),
            PAAA,
            "PA AA",
            best,
            None,
            f"R {m['r']}",
            folios,
            extra,
            "PA AA",
        )
        out.append(_Found(m.start(), end, [cit], explicit_archive=True))
    for m in _PAAA_B.finditer(text):
        if any(f.start <= m.start() < f.end for f in out):
            continue
        folios, unit, end = _de_folios(text, m.end())
        best = re.sub(r"(?<=[A-Z])(?=\d)", " ", re.sub(r"\s+", " ", m["best"]))
        extra = {"folio_unit": unit} if unit else {}
        cit = make_citation(
            text[m.start() : end].strip(" ,."),
            PAAA,
            "PA AA",
            best,
            None,
            re.sub(r"\s+", " ", m["bd"]),
            folios,
            extra,
            "PA AA",
        )
        out.append(_Found(m.start(), end, [cit], explicit_archive=True))
    return out


def _find_krupp(text: str) -> list[_Found]:
    out = []
    for m in _KRUPP.finditer(text):
        if m["fah"]:
            fond, delo = f"FAH {m['fnum']}", f"{m['fl']} {m['fu']}"
        else:
            fond, delo = f"WA {m['wnum']}", m["wu"]
        folios, unit, end = _de_folios(text, m.end())
        extra = {"folio_unit": unit} if unit else {}
        cit = make_citation(
            text[m.start() : end].strip(" ,."),
            CORPORATE,
            "HA Krupp",
            fond,
            None,
            delo,
            folios,
            extra,
            "HA Krupp",
        )
        out.append(_Found(m.start(), end, [cit], explicit_archive=True))
    return out
