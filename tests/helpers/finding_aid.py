"""A historian's finding aid as a spreadsheet saves it: the importer tests and the window's
Import action read the same files."""

from __future__ import annotations

from pathlib import Path

# As LibreOffice/Excel in a German or Russian locale save "CSV UTF-8": BOM, ';', CRLF.
FINDING_AID = {
    "people.csv": [
        "id;name;name_ru;kind;role;born;died;summary;note",
        "person/berzin;Yan Berzin;Ян Берзин;person;Head of Soviet military intelligence;"
        "1889;1938;Negotiated with the Reichswehr;From my notes, RGVA reading room",
        'person/niedermayer;Oskar von Niedermayer;;person;"Reichswehr agent in Moscow; '
        'organiser";1885;1948;"Ran the ""Zentrale Moskau""";',
    ],
    "sites.csv": [
        "id;name;name_ru;kind;cover_name;lat;lon;period;summary",
        "site/volsk;Volsk testing ground;Вольск;chemical weapons ground;Tomka;52,05;47,38;"
        "1928/1933;Trials of chemical munitions",
    ],
    "events.csv": [
        "id;title;date;theme;summary",
        "event/berzin-visit;Berzin meets Niedermayer;1923-22;diplomacy;Summer talks in Moscow",
        "event/volsk-trials;Volsk trials;192X;chemical weapons;Trials in the late 1920s",
    ],
    "sources.csv": [
        "id;title;kind;archive;citation;date;summary",
        "source/berzin-report;Berzin's report;report;RGVA;"
        "ЦГАСА. Ф. 33987. Оп. 3. Д. 497. Л. 136-140.;1923-09;A report on the talks",
        "source/niedermayer-file;Niedermayer file;document;BArch;"
        "BArch, RW 5/234, Bl. 4;1929?;The Abwehr file",
        "source/volsk-report;Volsk trials report;report;RGVA;"
        '"RGVA, f. 4, op. 14, d. 2, ll. 5-7; op. 15, d. 3";1931;Trials report',
        "source/loose-note;A loose note;document;;see the box in the attic;;Unreadable ref",
    ],
    "links.csv": [
        "from;to;role",
        "person/berzin;event/berzin-visit;participant",
        "person/niedermayer;event/berzin-visit;participant",
        "source/berzin-report;event/berzin-visit;supports",
        "event/volsk-trials;site/volsk;location",
    ],
}


def write_finding_aid(folder: Path, files: dict[str, list[str]]) -> Path:
    folder.mkdir()
    for name, lines in files.items():
        (folder / name).write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    return folder
