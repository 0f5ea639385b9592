"""The Russian / Soviet fond-opis-delo grammar (`ru-fod`), with inheritance between parts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from archive_browser.core.citations.authority import (
    Authority,
    _apply_rule,
    _archive_tokens,
    _Token,
)
from archive_browser.core.citations.found import _Found
from archive_browser.core.citations.keys import make_citation
from archive_browser.core.citations.model import RU, Citation
from archive_browser.core.citations.normalize import (
    _FOLIO_LIST,
    _NOTE_BREAK,
    normalize_folios,
    normalize_number,
    transliterate_acronym,
)

_L_FOND, _L_OPIS, _L_PAPKA, _L_DELO, _L_TOM, _L_CHAST, _L_SHEET, _L_PAGE = range(8)
_LEVEL_NAMES = {
    _L_FOND: "fond",
    _L_OPIS: "opis",
    _L_PAPKA: "papka",
    _L_DELO: "delo",
    _L_TOM: "tom",
    _L_CHAST: "chast",
}
_NOT_LETTER = r"(?![^\W\d_])"
_MARKERS: list[tuple[int, str]] = [
    (_L_FOND, r"(?:fonds?|фонд|coll|f|ф)"),
    (
        _L_OPIS,
        r"(?:opis'?|опись|опис|вопіс|op|оп|воп|vop|verzeichnis|verz|findbuch|fb|per|inv|apr|ap)",
    ),
    (_L_PAPKA, r"(?:papka|папка|p|п)"),
    (
        _L_DELO,
        r"(?:delo|дело|справа|sprava|spr|спр|ед\.\s?хр|ed\.\s?hr|akte|dok|file|fall|d|д)",
    ),
    (_L_TOM, r"(?:tom|том|t|т)"),
    (_L_CHAST, r"(?:chast'?|часть|ch|ч)"),
    (_L_SHEET, r"(?:listy|list|лл|л|ll|l|bl|blatt|аркуші?|арк|ark|sheets?|sht|fol|ff)"),
    (_L_PAGE, r"(?:стр|сторінка|pp|p|s|с)"),
]
_MARKER_RE = {
    level: re.compile(
        rf"(?<![\w])(?P<m>{pat}){_NOT_LETTER}(?P<dot>\.?)\s?(?:(?:№|No\.?|Nr\.)\s?)?",
        re.IGNORECASE,
    )
    for level, pat in _MARKERS
}
# Ukrainian "О. 2" for opis, Nr. for delo: only inside a sequence (never to start one).
_EXTRA_MARKERS = {
    _L_OPIS: re.compile(r"(?<![\w])(?P<m>О)(?P<dot>\.)\s?"),
    _L_DELO: re.compile(r"(?<![\w])(?P<m>Nr)(?P<dot>\.)\s?"),
}
# Markers of the Baltic archives that differ from the Russian ones, by archive id: Lithuanian
# `b.` (byla, the file), Latvian `l.` (lieta, the file) and `lp.` (lapa, the leaf), Estonian
# `n.` (nimistu, the inventory) and `s.` (säilik, the file). They hold only after that archive.
_DIALECT_OF = {
    "LCVA": "lt",
    "LVIA": "lt",
    "LYA": "lt",
    "LVVA": "lv",
    "LVA": "lv",
    "ERA": "et",
    "ERAF": "et",
    "EAA": "et",
}
_DIALECT_MARKERS: dict[str, dict[int, re.Pattern[str]]] = {
    dialect: {
        level: re.compile(rf"(?<![\w])(?P<m>{pat}){_NOT_LETTER}(?P<dot>\.)\s?", re.IGNORECASE)
        for level, pat in markers.items()
    }
    for dialect, markers in {
        "lt": {_L_DELO: "b"},
        "lv": {_L_DELO: "l", _L_SHEET: "lp"},
        "et": {_L_OPIS: "n", _L_DELO: "s"},
        # a sequence that began `С.7. Оп. 5.` (see _FOND_AS_S): the next `С.` is the file
        "s-fond": {_L_DELO: "С"},
    }.items()
}
# Latvian order puts the number first: `LVVA, 1302. f., 1. apr., 5. l., 3. lp.`
_LV_NUMBER_FIRST = re.compile(
    r"[\s,:]*(?P<f>\d+[A-Za-z]?)\.\s?f\.,?\s?(?P<o>\d+)\.\s?apr\.,?\s?(?P<d>\d+)\.\s?l\."
    r"(?:,?\s?(?P<p>\d+(?:\s?-\s?\d+)?)\.\s?lp\.)?"
)
# A fond written without a marker but with its letter prefix, right before an opis:
# "П 25, оп. 1, спр. 22" (Ukrainian oblast exhibitions). Belarusian pages machine-translated
# from Russian print "С." for the fond as well as the file (НАРБ. С.7. Оп. 5. С. 6382): read
# as the fond only right before an opis (and then the next "С." as the file: dialect s-fond).
_BARE_FOND_AT = r"(?<![\w.])(?=[РПRP]\s?-?\s?\d+[\s,.]+(?:оп|op|опис)\.?\s?\d)"
_FOND_AS_S_AT = r"(?<![\w])(?=С\.\s?\d+\.?\s?Оп\.)"
_BARE_FOND = re.compile(_BARE_FOND_AT + r"(?P<m>)(?P<dot>)")
_FOND_AS_S = re.compile(_FOND_AS_S_AT + r"(?P<m>С)(?P<dot>\.)\s?")
# prefixes: R- Р- (Soviet-period fonds), A- А-, P- П- (party), M- М- (Komsomol), K- К- (the
# Lithuanian Special Archives' KGB fonds, `LYA, f. K-1`)
_NUM_PLAIN = r"(?:[RРAАPПMМKК](?:\s?\.?\s?-\s?|(?=\d)))?\d+(?:-?[^\W\d_](?![^\W\d_]))?"
# After a marker the prefix may also stand with a dot or a space alone: `ф. Р.5446`, `Р 6040`.
_NUM = r"(?:(?-i:[RРPП])(?:\.\s?|\s)(?=\d))?" + _NUM_PLAIN
_NUM_RE = re.compile(_NUM, re.IGNORECASE)
_FOLIO_LIST_RE = re.compile(_FOLIO_LIST, re.IGNORECASE)
# `д. 12/1` (a numbered part of a file); `спр. 75498-ФП` (the SBU archive's closed cases)
_SUB_DELO = re.compile(r"/\d+(?![\d/])|-[А-ЯІЇЄA-Z]{1,3}(?![\w-])")
# between levels: punctuation, a dash between spaces (DSTU), and a fond's name in brackets
# (`Ф. Р-5446 (СНК СССР). Оп. 1`)
_LEVEL_SEP = re.compile(r"(?:\s-(?=\s)|[\s.,:/;]|\([^()\u2029]{1,80}\))*")
_CONTINUATION = re.compile(
    rf"\s?(?:,|\bи\b|\band\b|&)\s?(?P<n>{_NUM_PLAIN})(?!\s?(?:г\.|гг|year|[./:]\s?\d))",
    re.IGNORECASE,
)
_ANY_MARKER_START = re.compile(
    r"(?<![\w])(?:fonds?|фонд|coll|f|ф|opis'?|опись|опис|op|оп|воп|vop|delo|дело|d|д|ед\.\s?хр|"
    r"ed\.\s?hr|спр|справа|sprava|spr|арк|ark|л|лл|l|ll|т|t)"
    + _NOT_LETTER
    + r"\.?\s?(?:(?:№|No\.?)\s?)?"
    r"(?=[RРAАPПMМKК]?\s?\.?-?\s?\d)"
    r"|(?<![\w])[Ффf](?=\d)"
    r"|" + _BARE_FOND_AT + r"|" + _FOND_AS_S_AT,
    re.IGNORECASE,
)
_IBID = re.compile(
    r"(?:Там же|Tam zhe|Там само|Tam samo|Тамсама|Там сама|Ibid(?:em)?|Ebd|Ebenda)\.?[\s,.:-]*$",
    re.IGNORECASE,
)
_GAP_TO_LEVELS = re.compile(
    r"[\s.,:«»\"'“”„)\]-]*(?:\([^()\u2029]{1,60}\)[\s.,:«»\"'“”„]*)?"
    r"(?:(?:Moscow|Moskau|Moskva|Москва|М\.|Kyiv|Kiev|Kiew|Київ|Minsk|Мінск|Минск|Kew|Freiburg"
    r"|Berlin|Koblenz|Podolsk|Подольск)[\s.,:]*)?$"
)
# An acronym outside the authority list, with a region tail (`ЦДНИ ТО`, `ЦГА РК`). Archives
# (`…А…`: архив) and the party archives' documentation centres (`ЦДООСО`, `ЦДНИ`, `TsDNI`)
# count; a capitalized word (`Москва`) does not.
_GENERIC_CYR_ARCHIVE = re.compile(
    r"(?<![\w])([А-ЯЁІЇЄ][А-ЯЁІЇЄа-яёіїєґ]{1,8}"
    r"(?: (?:[А-ЯЁІЇЄ]{2,4}|СПб))?)[\s.,:]*(?:\([^()\u2029]{1,40}\)[\s.,:]*)?$"
)
_GENERIC_LAT_ARCHIVE = re.compile(
    r"(?<![\w])((?:Ts|[A-Z])[A-Za-z]{1,8}(?: (?:RF|RT|RB|RM|SPb|TO|SO|NO|VO|PK|KK))?)[.,]?\s?"
    r"(?:\([^()\u2029]{1,40}\)[.,]?\s?)?$"
)
_DOC_CENTRE = re.compile(r"^(?:ЦД|ЦХД|TsD|TsKhD)")


def _archive_before(
    text: str, pos: int, tokens: list[_Token], auth: Authority, generic: bool
) -> _Token | None:
    best = None
    for tok in tokens:
        near = tok.end <= pos and pos - tok.end <= 80
        if (
            near
            and _GAP_TO_LEVELS.match(text, tok.end, pos)
            and (best is None or tok.end > best.end)
        ):
            best = tok
    if best or not generic:
        return best
    before = text[max(0, pos - 60) : pos]
    m = _GENERIC_CYR_ARCHIVE.search(before)
    upper = sum(c.isupper() for c in m[1]) if m else 0
    # an acronym, not a capitalized word: `ГАМог`, `ДАМиО` yes, `Москва` no
    archive_like = m is not None and ("А" in m[1] or bool(_DOC_CENTRE.match(m[1])))
    if (
        m is not None
        and archive_like
        and upper >= 2
        and upper >= len(m[1].replace(" ", "")) - upper
    ):
        raw = m[1]
        archive_id = auth.acronyms.get(raw) or transliterate_acronym(raw)
        return _Token(pos - len(before) + m.start(1), pos - len(before) + m.end(1), archive_id, raw)
    m = _GENERIC_LAT_ARCHIVE.search(before)
    archive_like = m is not None and ("A" in m[1] or bool(_DOC_CENTRE.match(m[1])))
    if (
        m is not None
        and archive_like
        and sum(c.isupper() for c in m[1]) >= 2
        and m[1] not in _NOT_ARCHIVES
    ):
        raw = m[1]
        return _Token(
            pos - len(before) + m.start(1),
            pos - len(before) + m.end(1),
            auth.acronyms.get(raw, raw),
            raw,
        )
    return None


_NOT_ARCHIVES = {"USA", "UdSSR", "NATO", "RSFSR", "GPU", "OGPU", "NKVD", "CA", "PA", "AA"}


_FUNCTION_WORD_BEFORE = re.compile(
    r"(?:^|[(\[;:\u2029]|(?:see|cf|also|in|and|и|см|ср|также|vgl|siehe|auch)\.?|[.,])\s*$",
    re.IGNORECASE,
)


def _standalone_ok(text: str, start: int, levels: _Levels) -> bool:
    """A reference without an archive: fond and delo given (opis too for a full key), not
    glued to a name.

    `Garfield f. 12, op. 3, d. 4` or `USA, f. 1, op. 2` must not count (§5).
    """
    # fond and delo at least: `f. 4, d. 2` (no opis) is a partial key, never dropped
    full = all(lv in levels.values for lv in (_L_FOND, _L_DELO))
    if not full or levels.first_level != _L_FOND:
        return False
    before = text[max(0, start - 12) : start]
    if re.search(r"[^\W\d_]{2,}[\s,]*$", before) and not _FUNCTION_WORD_BEFORE.search(before):
        return False
    return not re.search(r"[^\W\d_]{2,},\s*$", before)


def _archive_after(text: str, end: int, tokens: list[_Token]) -> _Token | None:
    """`Ф127, оп. 1, д. 2 (РГВА)`: the archive named in brackets right after the reference."""
    for tok in tokens:
        bracketed = text[tok.end : tok.end + 1] == ")"
        if (
            bracketed
            and end <= tok.start <= end + 4
            and re.fullmatch(r"[\s.,]*\(", text[end : tok.start])
        ):
            return tok
    return None


@dataclass
class _Levels:
    values: dict[int, str] = field(default_factory=dict)
    # R7: "Оп. 113, 114" -> the members before the last one, each as its own level values
    earlier: list[dict[int, str]] = field(default_factory=list)
    folios: str | None = None
    folio_unit: str | None = None
    first_level: int | None = None
    end: int = 0


def _match_marker(
    text: str, pos: int, after: int, inside: bool, dialect: str | None = None
) -> tuple[int, re.Match[str]] | None:
    for level, rx in _DIALECT_MARKERS.get(dialect or "", {}).items():
        m = rx.match(text, pos) if level > after and after >= 0 else None
        if m:
            return level, m
    if after < 0:
        for rx in (_BARE_FOND, _FOND_AS_S):
            m = rx.match(text, pos)
            if m:
                return _L_FOND, m
    for level, rx in _MARKER_RE.items():
        if level <= after:
            continue
        if level == _L_PAPKA and after not in (_L_OPIS,):
            continue  # papka sits between opis and delo (AVP RF); elsewhere p. is a page
        if level == _L_PAGE and after < _L_DELO:
            continue
        m = rx.match(text, pos)
        if m and (m["dot"] or _bare_marker_ok(m, text, inside)):
            return level, m
    if inside:
        for level, rx in _EXTRA_MARKERS.items():
            if level > after:
                m = rx.match(text, pos)
                if m:
                    return level, m
    return None


# Markers that may go without a dot inside a sequence (`Оп 3 Д 497 Л 12`, `op 1`) or glued
# to their number (`f2176 op1 d1 l3`); at the start only `F 16`, `D 2`, `Ф127` and words.
_BARE_OK_INSIDE = {"д", "d", "л", "l", "ll", "лл", "op", "оп", "воп", "vop", "ark", "арк", "spr"}
_BARE_OK_INSIDE.add("спр")
_OPIS_FOLLOWS = re.compile(
    r"[RРPП]?-?\d+[^\W\d_]?[\s,.;]+(?:op|оп|опис|воп|vop)(?![^\W\d_])\.?\s?\d", re.IGNORECASE
)
_BARE_OK_START = {"Ф", "ф", "F", "D", "Op", "Оп", "Л", "Bl"}


def _bare_marker_ok(m: re.Match[str], text: str, inside: bool) -> bool:
    marker = m["m"]
    folded = marker.casefold()
    if len(marker) > 2 and folded not in _BARE_OK_INSIDE:
        return True
    if marker in _BARE_OK_START:
        return True
    if not inside and folded in ("f", "ф", "fond") and _OPIS_FOLLOWS.match(text, m.end()):
        return True  # `GARF f 5446 op 1 d 12`: the opis right after vouches for the bare f
    glued = m.end("m") == m.end() and text[m.end() : m.end() + 1].isdigit()
    if glued and folded in ("f", "ф", *_BARE_OK_INSIDE):
        return True
    return inside and folded in _BARE_OK_INSIDE


def _scan_levels(text: str, start: int, dialect: str | None = None) -> _Levels:
    """Read marker+number items from `start` in the fixed order fond < opis < ... < sheets."""
    levels = _Levels(end=start)
    pos, after = start, -1
    while True:
        sep = _LEVEL_SEP.match(text, pos)
        here = sep.end() if sep else pos
        if here != start and after >= 0 and text[pos:here].count("/") and after >= _L_DELO:
            break
        got = _match_marker(text, here if after >= 0 else pos, after, after >= 0, dialect)
        if not got:
            break
        level, m = got
        if after < 0 and m["m"] == "С":
            dialect = "s-fond"
        if level >= _L_SHEET:
            fm = _FOLIO_LIST_RE.match(text, m.end())
            if not fm:
                break
            levels.folios = normalize_folios(fm.group(0))
            levels.folio_unit = "page" if level == _L_PAGE else None
            levels.end = fm.end()
            if levels.first_level is None:
                levels.first_level = level
            break
        nm = _NUM_RE.match(text, m.end())
        if not nm:
            break
        levels.values[level] = normalize_number(nm.group(0))
        levels.end = nm.end()
        sub = _SUB_DELO.match(text, levels.end) if level == _L_DELO else None
        if sub:  # "д. 12/1": a numbered part of a file, not a separator
            levels.values[level] += normalize_number(sub.group(0))
            levels.end = sub.end()
        if levels.first_level is None:
            levels.first_level = level
        for cm in _iter_continuations(text, levels.end):
            levels.earlier.append(dict(levels.values))
            levels.values[level] = normalize_number(cm["n"])
            levels.end = cm.end()
        pos, after = levels.end, level
    return levels


def _iter_continuations(text: str, pos: int) -> Iterator[re.Match[str]]:
    while True:
        cm = _CONTINUATION.match(text, pos)
        if not cm:
            return
        # "д. 5, л. 7" is a new marker, not a continuation: the number must stand alone.
        yield cm
        pos = cm.end()


def _compact_after(text: str, pos: int, dotted: bool = False) -> tuple[list[str], int] | None:
    """`33987/3/151`, `33987:3:151`, `500-1-25`: only right after a Russian archive token.

    `RGWA (Sonderarchiv) 500-1-25`: the bracket closing after the token is passed over. The
    Estonian reference codes are dotted (`ERA.957.1.5`), read so only after their archives.
    """
    seps = "[/:.-]" if dotted else "[/:-]"
    m = re.compile(
        rf"[\s,.:)]*(?P<a>{_NUM})(?P<s>{seps})(?P<b>\d+[A-Za-zА-Яа-я]?)(?P=s)(?P<c>\d+[A-Za-zА-Яа-я]?)"
        r"(?![\w]|[/:.-]\d)",
        re.IGNORECASE,
    ).match(text, pos)
    if not m or (m["s"] == "-" and re.fullmatch(r"(?:1[89]|20)\d\d", m["a"])):
        return None  # "GARF 2001-05-12" is a date, not fond-opis-delo
    return [normalize_number(m["a"]), normalize_number(m["b"]), normalize_number(m["c"])], m.end()


def _ru_citations(
    text: str,
    span: tuple[int, int],
    archive: str | None,
    raw: str | None,
    levels: _Levels,
    inherited: Citation | None,
    auth: Authority,
) -> list[Citation]:
    snippet = text[span[0] : span[1]].strip(" .,;")
    if inherited is not None:
        archive, raw = inherited.archive, inherited.archive_raw
    out = []
    members = [*levels.earlier, levels.values]
    for i, values in enumerate(members):
        last = i == len(members) - 1
        fields, extra = _inherit(inherited, levels.first_level)
        for level, value in values.items():
            name = _LEVEL_NAMES[level]
            if level in (_L_PAPKA, _L_TOM, _L_CHAST):
                extra[name] = value
            else:
                fields[name] = value
        folios = levels.folios if last else None
        if last and levels.folio_unit:
            extra["folio_unit"] = levels.folio_unit
        arch, fields["fond"] = (
            _apply_rule(archive, fields["fond"], auth) if archive else (None, fields["fond"])
        )
        out.append(
            make_citation(
                snippet,
                RU,
                arch,
                fields["fond"],
                fields["opis"],
                fields["delo"],
                folios,
                extra,
                raw,
            )
        )
    return out


def _inherit(
    prev: Citation | None, first_level: int | None
) -> tuple[dict[str, str | None], dict[str, Any]]:
    """The levels above `first_level` taken from the previous part (R7)."""
    fields: dict[str, str | None] = {"fond": None, "opis": None, "delo": None}
    extra: dict[str, Any] = {}
    if prev is None or first_level is None:
        return fields, extra
    if first_level > _L_FOND:
        fields["fond"] = prev.fond
    if first_level > _L_OPIS:
        fields["opis"] = prev.opis
    if first_level > _L_PAPKA and prev.extra.get("papka"):
        extra["papka"] = prev.extra["papka"]
    if first_level > _L_DELO:
        fields["delo"] = prev.delo
    if first_level > _L_TOM and prev.extra.get("tom"):
        extra["tom"] = prev.extra["tom"]
    if first_level > _L_CHAST and prev.extra.get("chast"):
        extra["chast"] = prev.extra["chast"]
    return fields, extra


def _find_ru(text: str, auth: Authority) -> list[_Found]:
    tokens = _archive_tokens(text, auth, frozenset({RU}))
    found: list[_Found] = []
    consumed_until = 0
    for m in _ANY_MARKER_START.finditer(text):
        if m.start() < consumed_until:
            continue
        named = _archive_before(text, m.start(), tokens, auth, generic=False)
        levels = _scan_levels(text, m.start(), _DIALECT_OF.get(named.archive_id) if named else None)
        if levels.first_level is None:
            continue
        tok = _archive_before(text, m.start(), tokens, auth, generic=levels.first_level == _L_FOND)
        ibid = bool(_IBID.search(text[max(0, m.start() - 14) : m.start()]))
        n_levels = len(levels.values) + (1 if levels.folios else 0)
        if tok is not None and levels.first_level == _L_FOND:
            ok = True
        elif tok is not None:
            ok = False  # "РГВА ... д. 5" without a fond is too loose
        elif ibid:
            ok = True
        else:
            tok = _archive_after(text, levels.end, tokens)
            ok = _standalone_ok(text, m.start(), levels) or tok is not None
            # or a lower-level part continuing the previous citation (R7)
            ok = ok or (levels.first_level in (_L_OPIS, _L_DELO) and n_levels >= 1)
        if tok is not None and tok.archive_id not in auth.entries:
            ok = ok and len(levels.values) >= 2  # a generic acronym needs a fuller reference
        if not ok:
            continue
        start = min(tok.start, m.start()) if tok is not None else m.start()
        end = max(levels.end, tok.end) if tok is not None else levels.end
        found.append(_Found(start, end, [], explicit_archive=tok is not None, ibid=ibid))
        found[-1].citations = [_pending(tok, levels)]  # resolved later, in order
        consumed_until = end
    found.extend(_find_ru_compact(text, tokens, consumed=[(f.start, f.end) for f in found]))
    return found


def _find_ru_compact(
    text: str, tokens: list[_Token], consumed: list[tuple[int, int]]
) -> list[_Found]:
    out = []
    for tok in tokens:
        if any(a <= tok.start < b for a, b in consumed):
            continue
        dialect = _DIALECT_OF.get(tok.archive_id)
        got = _compact_after(text, tok.end, dotted=dialect == "et")
        lv = _LV_NUMBER_FIRST.match(text, tok.end) if dialect == "lv" else None
        if lv:
            fond, opis, delo = (normalize_number(lv[k]) for k in ("f", "o", "d"))
            levels = _Levels(
                values={_L_FOND: fond, _L_OPIS: opis, _L_DELO: delo},
                first_level=_L_FOND,
                end=lv.end(),
                folios=normalize_folios(lv["p"]) if lv["p"] else None,
            )
            f = _Found(tok.start, levels.end, [_pending(tok, levels)], explicit_archive=True)
            out.append(f)
            continue
        if not got:
            continue
        (fond, opis, delo), end = got
        levels = _Levels(
            values={_L_FOND: fond, _L_OPIS: opis, _L_DELO: delo}, first_level=_L_FOND, end=end
        )
        tail = re.compile(r"[\s,.:]*").match(text, end)
        got_sheet = _match_marker(text, tail.end() if tail else end, _L_DELO, inside=True)
        if got_sheet and got_sheet[0] >= _L_SHEET:
            fm = _FOLIO_LIST_RE.match(text, got_sheet[1].end())
            if fm:
                levels.folios = normalize_folios(fm.group(0))
                levels.folio_unit = "page" if got_sheet[0] == _L_PAGE else None
                levels.end = fm.end()
        f = _Found(tok.start, levels.end, [], explicit_archive=True)
        f.citations = [_pending(tok, levels)]
        out.append(f)
    return out


@dataclass(frozen=True)
class _Pending:
    """A Russian reference whose inherited levels are filled in once notes are ordered."""

    token: _Token | None
    levels: _Levels


def _pending(tok: _Token | None, levels: _Levels) -> _Pending:
    return _Pending(tok, levels)


_GAP_INHERIT = re.compile(
    r"[\s.,;:]*(?:(?:and|und|и|also|a также|см\. также|see also|cf\.|ср\.|там же)[\s.,:]*)?",
    re.IGNORECASE,
)


def _may_inherit(text: str, prev_end: int, start: int) -> bool:
    gap = text[prev_end:start]
    if _NOTE_BREAK in gap:
        return False
    return bool(_GAP_INHERIT.fullmatch(gap)) or (";" in gap and len(gap) < 250)


def _resolve_ru(
    text: str, f: _Found, item: _Pending, prev: Citation | None, prev_end: int, auth: Authority
) -> list[Citation]:
    levels = item.levels
    span = (f.start, f.end)
    if item.token is not None:
        return _ru_citations(text, span, item.token.archive_id, item.token.raw, levels, None, auth)
    inheritable = prev is not None and prev.system == RU and prev_end >= 0
    if f.ibid:
        if not inheritable or prev is None:
            return []
        if levels.first_level is not None and levels.first_level >= _L_SHEET:
            return [replace(prev, text=text[f.start : f.end].strip(" .,;"), folios=levels.folios)]
        return _ru_citations(text, span, None, None, levels, prev, auth)
    if inheritable and prev is not None and _may_inherit(text, prev_end, f.start):
        if levels.first_level == _L_FOND and prev.archive is None:
            return _ru_citations(text, span, None, None, levels, None, auth)
        if levels.first_level is not None and levels.first_level <= _L_CHAST:
            return _ru_citations(text, span, None, None, levels, prev, auth)
    if _standalone_ok(text, f.start, levels):
        return _ru_citations(text, span, None, None, levels, None, auth)
    return []
