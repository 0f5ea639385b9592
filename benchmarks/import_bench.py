"""Single-file imports against a raw baseline, in one run.

    .venv/bin/python benchmarks/import_bench.py [--rows 100000] [--components 50000] [--json]

Times importing N opis rows from a CSV and from an XLSX, and an EAD file of M components,
each the whole way (read, map, validate, write the archive with its indexes and full-text
index), beside a raw baseline measured the same way: `csv.reader` and `executemany` of the
same rows into the same `records` and `sources` tables (no validation, no citation parsing,
no indexes). The input files are generated into a temporary folder and removed.
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from archive_browser.core.importer.single import import_file, plan_import  # noqa: E402
from archive_browser.core.schema import archive_tables_ddl  # noqa: E402

HEADER = ["Архив", "Фонд", "Опись", "Дело", "Заголовок", "Крайние даты", "Листов"]


def opis_rows(count: int) -> list[list[str]]:
    return [
        ["ГАЛО", "2176", str(1 + n // 5000), str(n % 5000 + 1),
         f"Переписка по делу {n}", f"{1920 + n % 20}", str(10 + n % 90)]
        for n in range(count)
    ]  # fmt: skip


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="cp1251", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Опись")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_ead(path: Path, components: int) -> None:
    per_series = 1000
    with path.open("w", encoding="utf-8") as stream:
        stream.write('<?xml version="1.0" encoding="UTF-8"?>\n<ead xmlns="urn:isbn:1-931666-22-9">')
        stream.write('<eadheader><eadid>bench</eadid></eadheader><archdesc level="fonds"><did>')
        stream.write("<repository><corpname>Bundesarchiv</corpname></repository>")
        stream.write("<unitid>RW 5</unitid><unittitle>Bench</unittitle></did><dsc>")
        written = 1
        series = 0
        while written < components:
            series += 1
            stream.write(f'<c01 level="series"><did><unittitle>Serie {series}</unittitle></did>')
            written += 1
            for _ in range(min(per_series, components - written)):
                stream.write(
                    f'<c02 level="file"><did><unitid>RW 5/{written}</unitid>'
                    f"<unittitle>Akte {written}</unittitle>"
                    f'<unitdate normal="1925/1933">1925-1933</unitdate></did>'
                    f"<controlaccess><persname>Person {written % 500}</persname>"
                    "</controlaccess></c02>"
                )
                written += 1
            stream.write("</c01>")
        stream.write("</dsc></archdesc></ead>\n")


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def raw_baseline(csv_path: Path, out: Path) -> None:
    """csv.reader + executemany into the same tables: the floor of any import."""
    conn = sqlite3.connect(out)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    for statement in archive_tables_ddl():
        conn.execute(statement)
    with csv_path.open(encoding="cp1251", newline="") as stream, conn:
        reader = csv.reader(stream, delimiter=";")
        next(reader)
        records, sources = [], []
        for rid, row in enumerate(reader, 1):
            record_id = f"source/{rid}"
            citation = f"{row[0]}. Ф. {row[1]}. Оп. {row[2]}. Д. {row[3]}"
            records.append((rid, record_id, "source", row[4]))
            sources.append((rid, record_id, row[4], "file", row[0], citation, row[5], row[6]))
        conn.executemany("INSERT INTO records (rid, id, type, title) VALUES (?, ?, ?, ?)", records)
        conn.executemany(
            "INSERT INTO sources (rid, id, title, kind, archive, citation, date, summary) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            sources,
        )
    conn.close()


def run(rows: int, components: int) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="import-bench-") as folder:
        tmp = Path(folder)
        data = opis_rows(rows)
        write_csv(tmp / "opis.csv", data)
        write_xlsx(tmp / "opis.xlsx", data)
        write_ead(tmp / "ead.xml", components)
        per = 100_000 / rows
        baseline = timed(lambda: raw_baseline(tmp / "opis.csv", tmp / "raw.db"))
        for name, source in (("csv", "opis.csv"), ("xlsx", "opis.xlsx")):
            seconds = timed(
                lambda s=source, n=name: import_file(
                    plan_import(tmp / s), tmp / f"{n}.db", archive_id=n
                )
            )
            figures[f"import_{name}_per_100k"] = {
                "seconds": round(seconds * per, 2),
                "baseline": round(baseline * per, 2),
                "rows": rows,
            }
        seconds = timed(lambda: import_file(plan_import(tmp / "ead.xml"), tmp / "e.db",
                                            archive_id="e"))  # fmt: skip
        figures["import_ead"] = {"seconds": round(seconds, 2), "components": components}
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--components", type=int, default=50_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = run(args.rows, args.components)
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        print()
    else:
        for name, values in figures.items():
            print(name, values)
    return 0


if __name__ == "__main__":
    sys.exit(main())
