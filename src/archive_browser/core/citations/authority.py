"""The archive authority list (`archives.csv`): loading it, finding its archives in text,
and its renumbering rules (R3).

The list is program data, shipped inside the package (`archive_browser/resources/`) and read
with importlib.resources, so a checkout, a wheel and a frozen build find it the same way.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

RESOURCES_PACKAGE = "archive_browser.resources"
AUTHORITY_FILE = "archives.csv"


class AuthorityError(Exception):
    """The authority list cannot be used; without it no archive name would be recognized."""


@dataclass(frozen=True)
class ArchiveEntry:
    id: str
    system: str
    abbr_lat: tuple[str, ...]
    abbr_cyr: tuple[str, ...]
    names: tuple[str, ...]
    predecessors: tuple[str, ...]
    rule: str
    name_en: str
    # former name -> the years it applied (`ЦГАСА` -> `1958–1992`), from `predecessor_years`
    predecessor_years: tuple[tuple[str, str], ...] = ()

    def years_of(self, former_name: str) -> str | None:
        """The years `former_name` applied, when the list records them."""
        return dict(self.predecessor_years).get(former_name)


@dataclass(frozen=True)
class Authority:
    entries: dict[str, ArchiveEntry]
    # token as written -> archive id; acronyms are matched case-sensitively
    acronyms: dict[str, str]
    # casefolded full name -> archive id
    names: dict[str, str]
    # compiled token patterns per set of systems, built on first use
    patterns: dict[frozenset[str], re.Pattern[str] | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    def entry(self, archive_id: str | None) -> ArchiveEntry | None:
        return self.entries.get(archive_id or "")


def _split_list(cell: str | None) -> tuple[str, ...]:
    return tuple(s.strip() for s in (cell or "").split(";") if s.strip())


def authority_file() -> Traversable:
    """The packaged `archives.csv`; AuthorityError when the installation lacks it."""
    try:
        source = files(RESOURCES_PACKAGE) / AUTHORITY_FILE
    except ModuleNotFoundError:
        source = None
    if source is None or not source.is_file():
        raise AuthorityError(
            f"The citation authority list {AUTHORITY_FILE} is missing from {RESOURCES_PACKAGE}, "
            "so no archive could be recognized: reinstall the program."
        )
    return source


def load_authority(path: Path | None = None) -> Authority:
    """Read `archives.csv` (default: the packaged one); cached for the default.

    A missing or empty list raises AuthorityError: reading every text as citing nothing
    would hide a broken installation.
    """
    if path is None:
        return _default_authority()
    path = Path(path)
    if not path.is_file():
        raise AuthorityError(f"The citation authority list {path} does not exist.")
    return _read_authority(path)


@lru_cache(maxsize=1)
def _default_authority() -> Authority:
    return _read_authority(authority_file())


def _read_authority(source: Traversable) -> Authority:
    entries: dict[str, ArchiveEntry] = {}
    acronyms: dict[str, str] = {}
    names: dict[str, str] = {}
    # Bytes decoded here, not source.open(): a Traversable's open() takes no newline="".
    text = source.read_bytes().decode("utf-8-sig")
    with io.StringIO(text, newline="") as fh:
        for row in csv.DictReader(fh):
            names_en = _split_list(row.get("name_en"))
            entry = ArchiveEntry(
                id=row["id"].strip(),
                system=row["system"].strip(),
                abbr_lat=_split_list(row.get("abbr_lat")),
                abbr_cyr=_split_list(row.get("abbr_cyr")),
                names=names_en + _split_list(row.get("name_ru")) + _split_list(row.get("name_de")),
                predecessors=_split_list(row.get("predecessors")),
                rule=(row.get("rule") or "").strip(),
                name_en=names_en[0] if names_en else row["id"],
                predecessor_years=tuple(
                    (name.strip(), years.strip())
                    for name, _, years in (
                        item.partition("=") for item in _split_list(row.get("predecessor_years"))
                    )
                    if years.strip()
                ),
            )
            entries[entry.id] = entry
            for token in (entry.id, *entry.abbr_lat, *entry.abbr_cyr, *entry.predecessors):
                if _is_acronym(token):
                    for variant in (token, *_union_variants(token, entry.predecessors)):
                        acronyms.setdefault(variant, entry.id)
                else:
                    names.setdefault(token.casefold(), entry.id)
            for name in entry.names:
                for variant in (name, *_short_name_variants(name)):
                    names.setdefault(variant.casefold(), entry.id)
    if not entries:
        raise AuthorityError(f"The citation authority list {source} names no archive.")
    return Authority(entries=entries, acronyms=acronyms, names=names)


_USSR_TAIL = re.compile(r"\s(?:СССР|SSSR|УССР|УРСР|USSR|URSR|БССР|BSSR)$")


def _union_variants(token: str, predecessors: tuple[str, ...]) -> tuple[str, ...]:
    """A Soviet-era name is also written with its union tail: ЦГАКА = ЦГАКА СССР."""
    if token not in predecessors or _USSR_TAIL.search(token):
        return ()
    cyrillic = any("\u0400" <= c <= "\u04ff" for c in token)
    return (f"{token} СССР",) if cyrillic else (f"{token} SSSR",)


# Full names are also printed half-abbreviated: `ГА Новосибирской области`,
# `Держархів Харківської області`, `ЦГА Республики Дагестан`.
_NAME_SHORTENINGS = (
    ("Государственный архив ", "ГА "),
    ("Центральный государственный архив ", "ЦГА "),
    ("Державний архів ", "Держархів "),
)


def _short_name_variants(name: str) -> tuple[str, ...]:
    return tuple(
        short + name[len(full) :] for full, short in _NAME_SHORTENINGS if name.startswith(full)
    )


def _is_acronym(token: str) -> bool:
    words = token.replace("-", " ").replace("/", " ").split()
    return all(len(w) <= 8 and sum(c.isupper() for c in w) >= max(1, len(w) // 2) for w in words)


@dataclass
class _Token:
    start: int
    end: int
    archive_id: str
    raw: str


def _archive_token_regex(auth: Authority, systems: set[str]) -> re.Pattern[str] | None:
    """One alternation, longest first, so `ЦДАВО України` wins over `ЦДАВО`.

    Acronyms match case-sensitively (`GARF` must not hit `Garfield`); full names do not.
    """
    alternatives: list[tuple[str, str]] = []
    for token, archive_id in auth.acronyms.items():
        if auth.entries[archive_id].system in systems:
            alternatives.append((token, re.escape(token).replace(r"\ ", r"\s?")))
    for name, archive_id in auth.names.items():
        if auth.entries[archive_id].system in systems:
            words = [re.escape(w) if w != "of" else "(?:of|des)" for w in name.split()]
            alternatives.append((name, "(?i:" + r"\s+".join(words) + "(?:s)?)"))
    if not alternatives:
        return None
    alternatives.sort(key=lambda a: len(a[0]), reverse=True)
    body = "|".join(pattern for _, pattern in alternatives)
    return re.compile(rf"(?<![\w/-])(?:{body})(?![\w])")


def _lookup_token(raw: str, auth: Authority) -> str:
    squeezed = re.sub(r"\s+", " ", raw)
    if squeezed in auth.acronyms:
        return auth.acronyms[squeezed]
    for candidate in (squeezed, squeezed.replace(" ", "")):
        for token, archive_id in auth.acronyms.items():
            if token.replace(" ", "") == candidate.replace(" ", ""):
                return archive_id
    folded = re.sub(r" des ", " of ", squeezed.casefold())
    return auth.names.get(folded) or auth.names.get(folded[:-1], "")


def _archive_tokens(text: str, auth: Authority, systems: frozenset[str]) -> list[_Token]:
    if systems not in auth.patterns:
        auth.patterns[systems] = _archive_token_regex(auth, set(systems))
    rx = auth.patterns[systems]
    if rx is None:
        return []
    tokens = []
    for m in rx.finditer(text):
        archive_id = _lookup_token(m.group(0), auth)
        if archive_id:
            tokens.append(_Token(m.start(), m.end(), archive_id, m.group(0)))
    return tokens


def _apply_rule(archive_id: str, fond: str | None, auth: Authority) -> tuple[str, str | None]:
    """R3 rules of the authority list: renumbering transfers such as TsKhIDK f. N = RGVA f. NK."""
    entry = auth.entry(archive_id)
    if not entry or not entry.rule or ":" not in entry.rule:
        return archive_id, fond
    target, _, action = entry.rule.partition(":")
    kind, _, value = action.partition("=")
    if fond is None:
        return target, None
    if kind == "fond_suffix" and fond[-1:].isdigit():
        return target, fond + value
    if kind == "fond_prefix" and fond[:1].isdigit():
        return target, value + fond
    return target, fond


def bestand_merges(auth: Authority | None = None) -> dict[str, str]:
    """Bundesarchiv Bestände merged into another that kept the file numbers (R2).

    Written in the BArch row's `rule` cell as `BArch:bestand_merge=RH 8-II>RH 8|...`:
    `RH 8-II/1949` is today `RH 8/1949`.
    """
    auth = auth or load_authority()
    entry = auth.entry("BArch")
    _, _, action = (entry.rule if entry else "").partition(":")
    kind, _, value = action.partition("=")
    if kind != "bestand_merge":
        return {}
    pairs = (item.partition(">") for item in value.split("|"))
    return {old.strip(): new.strip() for old, _, new in pairs if old.strip() and new.strip()}
