"""A historian's own finding aid, saved by a spreadsheet, becomes a searchable archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive_browser.cli import main
from archive_browser.core import citations
from archive_browser.core.archive import Archive
from archive_browser.core.archive.citations import find_citing
from helpers.finding_aid import FINDING_AID, write_finding_aid


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_spreadsheet_finding_aid_is_imported_and_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_finding_aid(tmp_path / "aid", FINDING_AID)
    out = tmp_path / "mine.db"
    code, stdout, err = run(
        capsys,
        "import",
        str(folder),
        "--out",
        str(out),
        "--quiet",
        "--archive-id",
        "my-visits",
        "--title",
        "My RGVA visits",
    )
    assert code == 0, err
    assert "9 records" in stdout
    assert "sources.csv:5: warning: the archival reference 'see the box in the attic'" in err

    with Archive.open(out) as archive:
        assert archive.archive_id == "my-visits" and archive.title == "My RGVA visits"
        assert archive.search("Берзин")[0].id == "person/berzin"
        assert archive.search("Berzin")[0].id == "person/berzin"
        assert archive.fields("person/niedermayer")["role"] == (
            "Reichswehr agent in Moscow; organiser"
        )
        site = archive.fields("site/volsk")
        assert (site["lat"], site["lon"]) == (52.05, 47.38)
        assert archive.fields("event/berzin-visit")["date_display"] == "summer 1923"
        # Citations in three styles are keyed; the footnote's second part inherits RGVA f. 4.
        keys = {
            c["key"]
            for r in ("source/berzin-report", "source/niedermayer-file", "source/volsk-report")
            for c in archive.citations(r)
        }
        assert keys == {"RGVA|33987|3|497", "BArch|RW 5||234", "RGVA|4|14|2", "RGVA|4|15|3"}
        [pasted] = citations.parse_citations("RGVA, f. 33987, op. 3, d. 497, l. 137")
        found = find_citing(archive.conn, pasted)
        assert [(rid, m) for rid, m, _ in found] == [("source/berzin-report", citations.Match.SAME)]


def test_an_import_with_errors_reports_each_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = dict(FINDING_AID)
    broken["events.csv"] = [
        *FINDING_AID["events.csv"],
        "event/bad;Bad;1923-13;war;x",
        "event/volsk-trials;Again;1930;war;x",
    ]
    broken["links.csv"] = [*FINDING_AID["links.csv"], "person/berzin;site/nowhere;visited"]
    broken["people.csv"] = [
        FINDING_AID["people.csv"][0] + ";shoe_size",
        *FINDING_AID["people.csv"][1:],
    ]
    folder = write_finding_aid(tmp_path / "aid", broken)
    out = tmp_path / "mine.db"
    code, _, err = run(capsys, "import", str(folder), "--out", str(out), "--quiet")
    assert code == 1
    assert not out.exists()
    lines = err.splitlines()
    assert any(x.startswith("people.csv:1: unknown column(s) 'shoe_size'") for x in lines)
    assert any(x.startswith("events.csv:4: date:") for x in lines)
    assert any(x.startswith("events.csv:5: duplicate id 'event/volsk-trials'") for x in lines)
    assert any(x.startswith("links.csv:6: to 'site/nowhere' is not a record id") for x in lines)


def test_import_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_finding_aid(tmp_path / "aid", FINDING_AID)
    out = tmp_path / "mine.db"
    out.write_text("precious")
    code, _, err = run(capsys, "import", str(folder), "--out", str(out), "--quiet")
    assert code == 2 and "exists already" in err and out.read_text() == "precious"
    assert run(capsys, "import", str(folder), "--out", str(out), "--quiet", "--force")[0] == 0
    with Archive.open(out) as archive:
        assert archive.title_of("site/volsk") == "Volsk testing ground"


def test_import_template_writes_importable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, _ = run(capsys, "import-template", str(tmp_path / "tpl"))
    assert code == 0 and "people.csv" in stdout
    assert (
        run(capsys, "import", str(tmp_path / "tpl"), "--out", str(tmp_path / "t.db"), "--quiet")[0]
        == 0
    )
    code, stdout, _ = run(capsys, "--archive", str(tmp_path / "t.db"), "search", "Petrov", "--json")
    assert [h["id"] for h in json.loads(stdout)] == ["person/example-officer"]


def test_the_bundled_archive_is_built_by_the_importer(built_archive: Path) -> None:
    # conftest builds it with core.build.build_archive, the function `import` calls.
    with Archive.open(built_archive) as archive:
        assert archive.meta["archive_id"] == "bundled"
        assert int(archive.meta["record_count"]) > 100
