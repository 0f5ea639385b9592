"""The archive tree (Sources tab) in natural order: numbers sort as numbers at every level."""

from __future__ import annotations

import sqlite3

from archive_browser.core.archive.citations import TreeNode, citation_tree, natural_key
from archive_browser.core.citations import BARCH, RU

# (record, archive, fond, opis, delo): fonds, opisi and dela whose text order is wrong.
ROWS = [
    ("source/1", "RGVA", "33987", "3", "1075"),
    ("source/2", "RGVA", "33987", "3", "295"),
    ("source/3", "RGVA", "33987", "3", "42"),
    ("source/4", "RGVA", "4", "14", "1"),
    ("source/5", "RGVA", "4", "2", "1"),
    ("source/6", "RGVA", "R-7087", "1", "1"),
    ("source/7", "RGVA", "500K", "1", "1"),
    ("source/8", "RGVA", "500", "1", "1"),
    ("source/9", "RGVA", "40", "1", "1"),
    ("source/10", "GARF", "R-9401", "2", "64"),
    ("source/11", "GARF", "R-10035", "1", "1"),
    ("source/12", "BArch", "RW 19", None, "234"),
    ("source/13", "BArch", "RH 2", None, "2215"),
    ("source/14", "BArch", "RH 12-1", None, "8"),
    ("source/15", None, "9", None, None),
]


def tree() -> dict[str, TreeNode]:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        'CREATE TABLE "citations" ("record_id" TEXT, "system" TEXT, "archive" TEXT, '
        '"fond" TEXT, "opis" TEXT, "delo" TEXT)'
    )
    for record_id, archive, fond, opis, delo in ROWS:
        system = BARCH if archive == "BArch" else RU
        conn.execute(
            'INSERT INTO "citations" VALUES (?, ?, ?, ?, ?, ?)',
            (record_id, system, archive, fond, opis, delo),
        )
    return {node.label: node for node in citation_tree(conn)}


def labels(nodes: list[TreeNode]) -> list[str]:
    return [node.label for node in nodes]


def test_tree_sorts_fonds_as_numbers_with_suffixes_and_prefixes_after() -> None:
    rgva = tree()["RGVA"]
    assert labels(rgva.children) == [
        "f. 4",
        "f. 40",
        "f. 500",
        "f. 500K",
        "f. 33987",
        "f. R-7087",
    ]
    garf = tree()["GARF"]
    assert labels(garf.children) == ["f. R-9401", "f. R-10035"]


def test_tree_sorts_opisi_and_dela_as_numbers() -> None:
    fonds = {node.label: node for node in tree()["RGVA"].children}
    assert labels(fonds["f. 4"].children) == ["op. 2", "op. 14"]
    [opis] = fonds["f. 33987"].children
    assert labels(opis.children) == ["d. 42", "d. 295", "d. 1075"]


def test_tree_sorts_german_files_and_keeps_no_archive_last() -> None:
    roots = tree()
    assert list(roots) == ["BArch", "GARF", "RGVA", "(no archive)"]
    assert labels(roots["BArch"].children) == ["RH 2", "RH 12-1", "RW 19"]


def test_natural_key_orders_numbers_by_value_and_is_total() -> None:
    values = ["d. 1075", "d. 295", "D. 3", "d. 295a", "d. 0295", "f. ²", "10", "9"]
    ordered = sorted(values, key=natural_key)
    assert ordered == ["9", "10", "D. 3", "d. 0295", "d. 295", "d. 295a", "d. 1075", "f. ²"]
    assert natural_key("07") != natural_key("7")
