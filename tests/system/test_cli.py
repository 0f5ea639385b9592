"""The command line's JSON shapes are contracts that scripts rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from archive_browser.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json_shape(built_archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--archive", str(built_archive), "search", "Seeckt", "--json")
    hits = json.loads(out)
    assert code == 0
    assert hits[0]["id"] == "person/seeckt"
    assert all(set(h) == {"id", "type", "title", "snippet"} for h in hits)
    assert hits[0]["type"] == "person" and "Seeckt" in hits[0]["title"]


def test_search_with_no_match_prints_an_empty_array(
    built_archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--archive", str(built_archive), "search", "qqqxxzzy", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_search_by_type(built_archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--archive", str(built_archive), "search", "Lipetsk", "--type", "event", "--json"
    )
    hits = json.loads(out)
    assert code == 0 and hits and {h["type"] for h in hits} == {"event"}


def test_search_corrects_a_clear_misspelling(
    built_archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--archive", str(built_archive), "search", "Guderain", "--json")
    hits = json.loads(out)
    assert code == 0 and hits[0]["id"] == "person/guderian"
    assert all(set(h) == {"id", "type", "title", "snippet"} for h in hits)  # the same shape
    assert err.strip() == "No record matches 'Guderain'; showing results for 'Guderian'"
    code, out, err = run(capsys, "--archive", str(built_archive), "search", "Guderain")
    assert out.startswith("person/guderian") and "showing results for 'Guderian'" in err


def test_search_explain(built_archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--archive", str(built_archive), "search", "Guderain", "--explain")
    report = json.loads(out)
    assert code == 0 and report["query"] == "Guderain" and report["corrected_to"] == "Guderian"
    first = report["hits"][0]
    assert {"id", "type", "title", "snippet"} <= set(first)
    assert first["matches"] == [
        {"term": "Guderian", "field": "title", "kind": "exact", "scheme": None, "form": None}
    ]
    code, out, _ = run(
        capsys, "--archive", str(built_archive), "search", "Tuchatschewski", "--explain"
    )
    match = json.loads(out)["hits"][0]["matches"][0]
    assert (match["field"], match["kind"], match["scheme"]) == ("alias", "name", "german")
    code, out, _ = run(capsys, "--archive", str(built_archive), "search", "Lenin", "--explain")
    assert json.loads(out)["corrected_to"] is None


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("Тухачевским", "person/tukhachevsky"),
        ("Липецкой", "site/lipetsk"),
        ("Guderians", "person/guderian"),
        ("Triandafillov Kazan", "person/triandafillov"),
        ("Kazan 1929", "site/kazan"),
        ("Guderain", "person/guderian"),
        ("Lipetsk", "site/lipetsk"),
    ],
)
def test_search_finds_the_record_first(
    built_archive: Path, capsys: pytest.CaptureFixture[str], query: str, record_id: str
) -> None:
    code, out, _ = run(capsys, "--archive", str(built_archive), "search", query, "--json")
    assert code == 0 and json.loads(out)[0]["id"] == record_id


def test_search_lists_a_record_once(
    built_archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--archive", str(built_archive), "search", "Kama")
    listed = [line.split()[0] for line in out.splitlines() if not line.startswith(" ")]
    assert code == 0 and listed and len(listed) == len(set(listed))


def test_show_json_has_fields_and_links(
    built_archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--archive", str(built_archive), "show", "site/lipetsk", "--json")
    record = json.loads(out)
    assert code == 0
    assert record["id"] == "site/lipetsk" and record["fields"]["name_ru"] == "Липецк"
    assert record["links"], "Lipetsk has linked records"
    assert all({"id", "type", "title", "role"} <= set(x) for x in record["links"])


def test_unknown_id_is_one_line_on_stderr(
    built_archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--archive", str(built_archive), "show", "person/nobody")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "person/nobody" in err


def test_a_missing_archive_gives_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "archive_browser",
            "--archive",
            str(tmp_path / "none.db"),
            "search",
            "x",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "There is no archive" in result.stderr


def test_chronology_json_is_in_date_order(
    built_archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--archive", str(built_archive), "chronology", "--json")
    events = json.loads(out)
    assert code == 0 and len(events) > 10
    assert all(set(e) == {"id", "title", "edtf", "display", "earliest", "latest"} for e in events)
    starts = [e["earliest"] for e in events]
    assert starts == sorted(starts)
    assert events[-1]["id"] == "event/barbarossa" or events[-1]["earliest"] >= "1941-06-22"


def test_chronology_range(built_archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "--archive",
        str(built_archive),
        "chronology",
        "--from",
        "1922",
        "--to",
        "1922",
        "--json",
    )
    events = json.loads(out)
    assert code == 0 and events
    assert all(e["earliest"] <= "1922-12-31" and e["latest"] >= "1922-01-01" for e in events)
    assert any(e["edtf"] == "1922-04-16" for e in events)


def test_cite_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "cite", "--json", "ЦГАСА. Ф. 33987. Оп. 3. Д. 497. Л. 136-140.")
    [item] = json.loads(out)
    assert code == 0
    assert item["key"] == "RGVA|33987|3|497" and item["folios"] == "136-140"
    assert item["system"] == "ru-fod" and item["archive"] == "RGVA"
    assert json.loads(run(capsys, "cite", "--json", "no citation here")[1]) == []


CONTRACT_FIELDS = {"text", "system", "archive", "fond", "opis", "delo", "folios", "key", "extra"}


@pytest.mark.parametrize(
    ("style", "text", "expected"),
    [
        (
            "english",
            "РГВА. Ф. 33987. Оп. 3. Д. 295. Л. 12–15 об.",
            "RGVA, f. 33987, op. 3, d. 295, ll. 12–15ob.",
        ),
        ("chicago", "ЦГАСА, ф. 33987, оп. 3, д. 295", "RGVA, f. 33987, op. 3, d. 295"),
        (
            "gost",
            "RGVA, f. 33987, op. 3, d. 295, ll. 12-15ob.",
            "РГВА. Ф. 33987. Оп. 3. Д. 295. Л. 12–15 об.",
        ),
        (
            "dstu",
            "TsDAVO, f. 1429, op. 1, spr. 5, ark. 5zv.",
            "ЦДАВО України. Ф. 1429. Оп. 1. Спр. 5. Арк. 5 зв.",
        ),
        ("barch", "BA-MA RH 2/2291, fol. 5", "BArch, RH 2/2291, Bl. 5"),
        ("nara", "T-120/2345/123456-60", "NARA, T-120, roll 2345, frames 123456–60"),
    ],
)
def test_cite_format_writes_each_style(
    capsys: pytest.CaptureFixture[str], style: str, text: str, expected: str
) -> None:
    code, out, _ = run(capsys, "cite", "--format", style, text)
    assert (code, out.strip()) == (0, expected)


def test_cite_format_rejects_an_unknown_style_in_one_sentence(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "cite", "--format", "apa", "RGVA, f. 1, op. 2, d. 3")
    assert code != 0 and out == ""
    assert "There is no citation style 'apa'; the styles are: english" in err


def test_cite_json_keeps_the_contract_and_adds_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "cite", "--json", "--format", "gost", "RGVA, f. 1, op. 2, d. 3")
    [item] = json.loads(out)
    assert code == 0 and set(item) >= CONTRACT_FIELDS
    assert item["formatted"] == "РГВА. Ф. 1. Оп. 2. Д. 3."
    code, out, _ = run(capsys, "cite", "--json", "USHMM, RG-11.001M.23, reel 91")
    [film] = json.loads(out)
    assert film["key"] == "USHMM|RG-11.001M.23||91"
    assert film["copies"][0]["role"] == "copy of" and film["copies"][0]["key"] == "RGVA|1488K||"
    code, out, _ = run(capsys, "cite", "--json", "GARF, f. 4, d. 2")
    [partial] = json.loads(out)
    assert partial["key"] is None and partial["partial_key"] == "GARF|4||2"


def test_notes_and_bookmarks_from_the_command_line(
    built_archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("--archive", str(built_archive))
    assert run(capsys, *base, "note", "person/seeckt", "Checked", "in", "RGVA")[0] == 0
    assert run(capsys, *base, "bookmark", "person/seeckt")[0] == 0
    code, out, _ = run(capsys, *base, "notes", "--json")
    [note] = json.loads(out)
    assert code == 0
    assert (note["record_id"], note["text"], note["bookmarked"], note["tags"]) == (
        "person/seeckt",
        "Checked in RGVA",
        True,
        [],
    )
    assert run(capsys, *base, "note", "person/nobody", "x")[0] == 2


def test_note_history_lists_the_kept_versions(
    built_archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from archive_browser.core.store import UserStore

    with UserStore.open() as store:
        note = store.add_note("bundled", "person/seeckt", "first thought")
        store.update_note(note.id, "second thought")
    code, out, _ = run(capsys, "note-history", str(note.id), "--json")
    history = json.loads(out)
    assert code == 0 and history["text"] == "second thought"
    assert [v["text"] for v in history["versions"]] == ["first thought"]
    code, out, _ = run(capsys, "note-history", str(note.id))
    assert code == 0 and "1 earlier versions" in out and "first thought" in out
    code, _, err = run(capsys, "note-history", str(note.id + 1))
    assert code == 2 and f"There is no note {note.id + 1}" in err


def test_every_listed_entity_is_found_by_its_english_name(
    built_archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = {
        "Seeckt": "person/seeckt",
        "Enver Pasha": "person/enver-pasha",
        "Trotsky": "person/trotsky",
        "Lenin": "person/lenin",
        "Hugo Junkers": "person/junkers",
        "Guderian": "person/guderian",
        "Oswald Lutz": "person/lutz",
        "Volckheim": "person/volckheim",
        "Tukhachevsky": "person/tukhachevsky",
        "Triandafillov": "person/triandafillov",
        "Fishman": "person/fishman",
        "Stalin": "person/stalin",
        "Hitler": "person/hitler",
        "Molotov": "person/molotov",
        "Ribbentrop": "person/ribbentrop",
        "Ian Johnson": "person/johnson",
        "Lipetsk": "site/lipetsk",
        "Kazan": "site/kazan",
        "Podosinki": "site/podosinki",
        "Tomka": "site/tomka",
        "Rapallo": "site/rapallo",
        "Barbarossa": "event/barbarossa",
        "Junkers scandal": "event/junkers-scandal",
        "RGVA": "source/rgva",
        "Manchester Guardian": "source/manchester-guardian-1926",
        "TEKO": "source/teko-report",
    }
    for query, record_id in expected.items():
        code, out, _ = run(capsys, "--archive", str(built_archive), "search", query, "--json")
        ids = [h["id"] for h in json.loads(out)][:5]
        assert code == 0 and record_id in ids, (query, ids)
        code, out, _ = run(capsys, "--archive", str(built_archive), "show", record_id, "--json")
        assert json.loads(out)["links"], f"{record_id} has no links"
