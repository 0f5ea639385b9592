"""Authors of a source: personal names in their parts, issuing bodies as one literal name.

Reference managers sort and print a person as "Family, Given" and a body as written. The
archive's `author` cell holds names as a footnote writes them, several separated by `;`:
"Ian Johnson", "Hermann von der Lieth-Thomsen; Pyotr Baranov", "Inter-Allied Commission of
Control", "Тухачевский Михаил Николаевич". A name is split only when it looks like a
person's name: two to five capitalised words, with name particles (von, van der, de) and
initials allowed; anything else (an article, a lower-case word such as "of" or "unnamed",
an honorific such as Pasha, a word naming a body) stays literal, because a wrongly split
body ("Guardian, The Manchester") is worse than an unsplit person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# German (and Scandinavian) particles a bibliography moves behind the given name
# ("Seeckt, Hans von"); others stay with the family name ("van Gogh, Vincent").
_DROPPING_PARTICLES = frozenset({"von", "vom", "zu", "zum", "zur", "af", "av"})
_PARTICLES = _DROPPING_PARTICLES | frozenset(
    {"van", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la", "le", "ten", "ter"}
)
_SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})
# Honorifics that are not a family name: "Enver Pasha" is Enver, a pasha.
_HONORIFICS = frozenset({"pasha", "paşa", "bey", "effendi", "khan", "sultan", "emir"})
# Words that make a name a body (compared folded to lower case).
_BODY_WORDS = frozenset(
    [
        "the",
        "commission",
        "committee",
        "council",
        "archive",
        "archives",
        "army",
        "navy",
        "ministry",
        "office",
        "government",
        "powers",
        "directorate",
        "department",
        "company",
        "corporation",
        "bureau",
        "agency",
        "administration",
        "embassy",
        "staff",
        "command",
        "reichswehr",
        "university",
        "institute",
        "society",
        "league",
        "union",
        "party",
        "guardian",
        "times",
        "gazette",
        "press",
        "ag",
        "gmbh",
        "ltd",
        "inc",
        "комиссия",
        "комитет",
        "штаб",
        "управление",
        "наркомат",
        "архив",
        "правительство",
        "kommission",
        "ministerium",
        "reichsregierung",
        "amt",
        "heeresleitung",
    ]
)
_CAPITALISED = re.compile(r"[^\W\d_][\w'’.\-]*")
_INITIALS = re.compile(r"(?:[^\W\d_]\.(?:-?[^\W\d_]\.)*)+")
# Russian patronymics: -ович, -евич, -ич; -овна, -евна, -ична, -инична.
_PATRONYMIC = re.compile(r".+(?:вич|вна|ична|ич)", re.IGNORECASE)


@dataclass(frozen=True)
class Creator:
    """One author: a person in parts, or a body as `literal`."""

    family: str = ""
    given: str = ""
    dropping_particle: str = ""  # "von": "Seeckt, Hans von"
    non_dropping_particle: str = ""  # "van": "van Gogh, Vincent"
    suffix: str = ""
    literal: str = ""

    @property
    def is_person(self) -> bool:
        return not self.literal

    @property
    def family_with_particle(self) -> str:
        """The family name as it is alphabetised, with a particle that stays with it."""
        return " ".join(p for p in (self.non_dropping_particle, self.family) if p)

    @property
    def given_with_particle(self) -> str:
        return " ".join(p for p in (self.given, self.dropping_particle) if p)


def split_creators(text: str | None) -> list[Creator]:
    """The authors named in an `author` cell (several separated by `;`)."""
    return [split_name(name) for name in (text or "").split(";") if name.strip()]


def split_name(name: str) -> Creator:
    """One name as a person's parts, or literal when it is not plainly a person's name."""
    name = " ".join(name.split())
    if "," in name:
        family, _, given = (part.strip() for part in name.partition(","))
        if _is_person_words(family.split()) and _is_person_words(given.split()):
            return _from_family_and_given(family.split(), given.split())
        return Creator(literal=name)
    words = name.split()
    if not 2 <= len(words) <= 5 or not _is_person_words(words):
        return Creator(literal=name)
    family_first = (
        _is_cyrillic(name)
        and len(words) == 3
        and _PATRONYMIC.fullmatch(words[2]) is not None
        and _PATRONYMIC.fullmatch(words[1]) is None
    )
    if family_first:  # Тухачевский Михаил Николаевич
        return Creator(family=words[0], given=f"{words[1]} {words[2]}")
    if all(_INITIALS.fullmatch(word) for word in words[1:]):
        return Creator(family=words[0], given=" ".join(words[1:]))  # Johnson I.
    suffix = words.pop() if words[-1] in _SUFFIXES and len(words) > 2 else ""
    first_particle = next(
        (i for i, word in enumerate(words) if i > 0 and word in _PARTICLES), len(words) - 1
    )
    given = " ".join(words[:first_particle])
    rest = words[first_particle:]
    particles: list[str] = []
    while len(rest) > 1 and rest[0] in _PARTICLES:
        particles.append(rest.pop(0))
    family = " ".join(rest)
    if not given:
        return Creator(literal=name)
    joined = " ".join(particles)
    if particles and particles[0] in _DROPPING_PARTICLES:
        return Creator(family, given, dropping_particle=joined, suffix=suffix)
    return Creator(family, given, non_dropping_particle=joined, suffix=suffix)


def _from_family_and_given(family: list[str], given: list[str]) -> Creator:
    # "Lieth-Thomsen, Hermann von der": particles written after the given name.
    particles: list[str] = []
    while len(given) > 1 and given[-1] in _PARTICLES:
        particles.insert(0, given.pop())
    while len(family) > 1 and family[0] in _PARTICLES:
        particles.append(family.pop(0))
    joined = " ".join(particles)
    if particles and particles[0] in _DROPPING_PARTICLES:
        return Creator(" ".join(family), " ".join(given), dropping_particle=joined)
    return Creator(" ".join(family), " ".join(given), non_dropping_particle=joined)


def _is_person_words(words: list[str]) -> bool:
    if not words:
        return False
    for word in words:
        folded = word.casefold().strip(".,")
        if folded in _BODY_WORDS or folded in _HONORIFICS:
            return False
        if word in _PARTICLES or word in _SUFFIXES:
            continue
        if not (_CAPITALISED.fullmatch(word) and word[0].isupper()):
            return False
    return not all(word in _PARTICLES for word in words)


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)
