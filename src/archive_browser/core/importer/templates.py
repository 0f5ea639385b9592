"""Template CSV files, one per file of the format, with headers and one example row."""

from __future__ import annotations

import csv
from pathlib import Path

from archive_browser.core.importer.format import AUX_TABLES, TYPE_FILES

TEMPLATE_EXAMPLES: dict[str, dict[str, str]] = {
    "people": {
        "id": "person/example-officer",
        "name": "Ivan Petrov",
        "name_ru": "Иван Петров",
        "kind": "person",
        "role": "Instructor at the Kazan tank school",
        "nationality": "Soviet",
        "born": "1895",
        "died": "1938~",
        "summary": "Named in the finding aid as an instructor.",
        "seed": "",
        "added": "",
        "note": "",
    },
    "sites": {
        "id": "site/example-school",
        "name": "Example school",
        "name_ru": "Школа",
        "kind": "tank school",
        "cover_name": "Kama",
        "lat": "55.79",
        "lon": "49.12",
        "period": "1929/1933",
        "distance": "800 km east of Moscow",
        "summary": "A site named in the finding aid.",
        "seed": "",
        "added": "",
        "note": "",
    },
    "events": {
        "id": "event/example-visit",
        "title": "Inspection visit",
        "date": "1929-22",
        "theme": "armour",
        "summary": "An inspection in summer 1929.",
        "seed": "",
        "added": "",
        "note": "",
    },
    "sources": {
        "id": "source/example-file",
        "title": "Report on the school",
        "kind": "report",
        "archive": "Russian State Military Archive (RGVA)",
        "citation": "RGVA, f. 33987, op. 3, d. 497, ll. 136-140",
        "date": "1929-09",
        "author": "",
        "summary": "A report found in the reading room.",
        "seed": "",
        "added": "",
        "note": "",
    },
    "links": {
        "from": "person/example-officer",
        "to": "site/example-school",
        "role": "instructor",
        "seed": "",
        "added": "",
    },
    "quotes": {
        "id": "quote/example",
        "record": "source/example-file",
        "speaker": "person/example-officer",
        "text": "The work has been of great interest.",
        "reconstructed": "no",
        "seed": "",
        "note": "",
    },
    "aliases": {
        "record": "person/example-officer",
        "alias": "Iwan Petrow",
        "scheme": "german",
        "note": "",
    },
}


def write_templates(folder: Path) -> list[Path]:
    """One CSV file per record type (and links, quotes, aliases), headers and one example."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, example in TEMPLATE_EXAMPLES.items():
        aux = AUX_TABLES.get(f"{stem}.csv")
        columns = aux.columns if aux else TYPE_FILES[f"{stem}.csv"].column_names
        path = folder / f"{stem}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\r\n")
            writer.writeheader()
            writer.writerow({c: example.get(c, "") for c in columns})
        written.append(path)
    return written
