"""NARA captured-records microfilm (`nara-microfilm`) and UK National Archives (`uk-tna`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from archive_browser.core.citations.found import _Found
from archive_browser.core.citations.keys import make_citation
from archive_browser.core.citations.model import NARA, TNA, USHMM
from archive_browser.core.citations.normalize import (
    _FOLIO_LIST,
    normalize_folios,
    normalize_frames,
)

_NARA_LONG = re.compile(
    r"(?<![\w-])(?:Microfilm Publication |Microcopy |Mikrofilm |Publication |film )?"
    r"(?-i:T)\s?-?\s?(?P<pub>\d{1,4})[\s,/-]*(?:Serial\s?(?P<serial>\d+[A-Z]?)[\s,]*)?(?:roll|reel|Rolle|R)\.?\s?-?\s?(?P<roll>\d{1,5})"
    r"(?!\d)(?:[\s,/-]*(?:frames?|fr|F|Bild|Aufnahmen?)\.?\s?-?\s?(?P<fr>[A-Z]?\d+"
    r"(?:\s?-\s?[A-Z]?\d+)?))?",
    re.IGNORECASE,
)
_NARA_SHORT = re.compile(
    r"(?<![\w/-])T\s?-?(?P<pub>\d{2,4})/(?P<roll>\d{1,5})/(?P<fr>[A-Z]?\d{3,}(?:-[A-Z]?\d+)?)"
    r"(?![\w/])"
)
_NARA_SERIAL = re.compile(r"[\s,;]*Serial\s?(?P<serial>\d+[A-Z]?)", re.IGNORECASE)
_TNA_DEPTS = (
    "ADM|AIR|AVIA|BT|BW|CAB|CO|CSC|DEFE|DO|DSIR|ED|FCO|FO|GFM|HO|HS|HW|INF|KV|LAB|MAF|MEPO|"
    "MT|MUN|PREM|PROB|POWE|SUPP|TS|WO|ZHC|ZJ"
)
_TNA_RE = re.compile(
    rf"(?<![\w/-])(?:(?P<sig>TNA|PRO|The National Archives|National Archives),?[\s:,]*"
    rf"(?:\(?(?:PRO|Kew)\)?[\s:,]*)?)?(?P<dept>{_TNA_DEPTS}|T)"
    r"\s(?P<series>\d{1,4})/(?P<piece>\d+[A-Z]?)(?:/(?P<item>\d+))?(?![\d/])"
)
_TNA_REGISTRY = re.compile(
    rf"(?<![\w/-])(?P<dept>{_TNA_DEPTS})\s(?P<series>\d{{1,4}})\s(?P<code>[A-Z]{{1,3}}\d+(?:/\d+)*)"
    r"(?![\w])"
)
_TNA_FOLIO = re.compile(
    rf"\s?,?\s?(?:ff|fos|fol|folios?|f)\.?\s?(?P<f>{_FOLIO_LIST})", re.IGNORECASE
)
_ITEM_CONT = re.compile(r"\s?(?:,|and|&)\s?(?P<n>\d+)(?![\d/.]|\s?(?:ff?|fos?)\.)")


def _find_nara(text: str) -> list[_Found]:
    out: list[_Found] = []
    for rx in (_NARA_LONG, _NARA_SHORT):
        for m in rx.finditer(text):
            if any(f.start <= m.start() < f.end for f in out):
                continue
            extra: dict[str, Any] = {}
            frames = normalize_frames(m["fr"]) if m["fr"] else None
            if frames:
                extra["folio_unit"] = "frame"
            end = m.end()
            if "serial" in m.groupdict() and m["serial"]:
                extra["serial"] = m["serial"]
            sm = _NARA_SERIAL.match(text, end)
            if sm:
                extra["serial"] = sm["serial"]
                end = sm.end()
            before = text[max(0, m.start() - 60) : m.start()]
            sm2 = re.search(r"Serial\s?(\d+[A-Z]?)[\s,;]*$", before, re.IGNORECASE)
            if sm2 and "serial" not in extra:
                extra["serial"] = sm2[1]
            roll = m["roll"]
            cit = make_citation(
                text[m.start() : end].strip(" ,."),
                NARA,
                "NARA",
                f"T{m['pub']}",
                None,
                roll,
                frames,
                extra,
                "NARA",
            )
            out.append(_Found(m.start(), end, [cit], explicit_archive=True))
    return out


# USHMM microfilm of records held elsewhere: `USHMM, RG-11.001M.23, reel 91`. The record group
# number (two digits, a dot, three digits, `M` for microfilm) is distinctive enough to be read
# without the museum's name.
_USHMM = re.compile(
    r"(?<![\w-])(?:(?:USHMM|US Holocaust Memorial Museum|United States Holocaust Memorial Museum)"
    r"(?: Archives?)?[\s,.:]*)?(?:RG|Record Group)\s?-?\s?(?P<rg>\d{2}\.\d{3}M(?:\.\d{1,4})?)"
    r"(?![\w.])(?:[\s,]*(?:reel|roll)s?\.?\s?(?P<reel>\d{1,4})(?!\d))?",
    re.IGNORECASE,
)


def _find_ushmm(text: str) -> list[_Found]:
    out = []
    for m in _USHMM.finditer(text):
        cit = make_citation(
            m.group(0).strip(" ,."),
            USHMM,
            "USHMM",
            f"RG-{m['rg'].upper()}",
            None,
            m["reel"],
            None,
            {},
            "USHMM",
        )
        out.append(_Found(m.start(), m.end(), [cit], explicit_archive=True))
    return out


def _find_tna(text: str) -> list[_Found]:
    out = []
    for m in _TNA_RE.finditer(text):
        if m["dept"] == "T" and not m["sig"]:
            continue  # bare "T 175/235" is NARA-like; Treasury files need the TNA sigle
        fond = f"{m['dept']} {m['series']}"
        items = [m["item"]] if m["item"] else []
        end = m.end()
        if m["item"]:
            for cm in _iter_item_continuations(text, end):
                items.append(cm["n"])
                end = cm.end()
        folios = None
        fm = _TNA_FOLIO.match(text, end)
        if fm:
            folios, end = normalize_folios(fm["f"]), fm.end()
        snippet = text[m.start() : end].strip(" ,.")
        for item in items or [None]:
            extra = {"item": item} if item else {}
            out_cit = make_citation(
                snippet, TNA, "TNA", fond, None, m["piece"], folios, extra, m["sig"] or None
            )
            out.append(_Found(m.start(), end, [out_cit], explicit_archive=True))
    for m in _TNA_REGISTRY.finditer(text):
        if any(f.start <= m.start() < f.end for f in out):
            continue
        cit = make_citation(
            m.group(0),
            TNA,
            "TNA",
            f"{m['dept']} {m['series']}",
            None,
            None,
            None,
            {"registry": m["code"]},
            None,
        )
        out.append(_Found(m.start(), m.end(), [cit], explicit_archive=True))
    return out


def _iter_item_continuations(text: str, pos: int) -> Iterator[re.Match[str]]:
    while True:
        cm = _ITEM_CONT.match(text, pos)
        if not cm:
            return
        yield cm
        pos = cm.end()
