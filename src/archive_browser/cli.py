"""`archive-browser`: the window by default, sub-commands for scripting.

User mistakes (a bad id, a missing archive, invalid input) end with one sentence on stderr
and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from archive_browser import __version__

EXIT_USER_ERROR = 2

Handler = Callable[[argparse.Namespace], int]


class UserError(Exception):
    """A mistake the user can fix; printed as one line."""


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _open_archive(args: argparse.Namespace):  # -> Archive; imported lazily for start-up time
    from archive_browser.core.archive import Archive, ArchiveError

    try:
        return Archive.open(Path(args.archive) if args.archive else None)
    except ArchiveError as exc:
        raise UserError(str(exc)) from None


def _open_store():
    from archive_browser.core.store import UserStore, UserStoreError

    try:
        store = UserStore.open()
    except UserStoreError as exc:
        raise UserError(str(exc)) from None
    if store.recovery_message:
        print(store.recovery_message, file=sys.stderr)
    return store


# ----------------------------------------------------------------------------- archive


def cmd_build(args: argparse.Namespace) -> int:
    from archive_browser.core import importer as build
    from archive_browser.core import paths

    source = Path(args.data) if args.data else paths.data_dir()
    out = Path(args.out) if args.out else source / "archive.db"
    if args.if_stale and not build.is_stale([source], out):
        print(f"{out} is up to date.")
        return 0
    return _run_import(
        [source],
        out,
        args.archive_id or "bundled",
        args.title or "Soviet-German military cooperation, 1919-1941",
        quiet=False,
    )


def cmd_import(args: argparse.Namespace) -> int:
    inputs = [Path(p) for p in args.inputs]
    out = Path(args.out)
    if out.exists() and not args.force:
        raise UserError(f"{out} exists already; choose another name or add --force.")
    return _run_import(inputs, out, args.archive_id, args.title, quiet=args.quiet)


def _run_import(
    inputs: list[Path], out: Path, archive_id: str | None, title: str | None, quiet: bool
) -> int:
    from archive_browser.core import importer as build

    bar = None
    progress = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=0, unit="rec", file=sys.stderr, leave=False)

        def progress(stage: str, done: int, total: int) -> None:
            bar.set_description(stage)
            bar.total = total
            bar.n = done
            bar.refresh()

    try:
        report = build.build_archive(
            inputs, out, archive_id=archive_id, title=title, progress=progress
        )
    except build.BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        if bar is not None:
            bar.close()
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    print(
        f"Wrote {report.path}: {report.records} records, {report.links} links, "
        f"{report.aliases} aliases, {report.citations} citations "
        f"in {report.seconds:.1f} s."
    )
    return 0


def cmd_import_template(args: argparse.Namespace) -> int:
    from archive_browser.core.importer import write_templates

    for path in write_templates(Path(args.folder)):
        print(path)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from archive_browser.core.record_types import RECORD_TYPES
    from archive_browser.core.search import HIGHLIGHT_END, HIGHLIGHT_START

    if args.type and args.type not in RECORD_TYPES:
        raise UserError(f"Unknown type {args.type!r}; use one of {', '.join(RECORD_TYPES)}.")
    archive = _open_archive(args)
    hits, corrected = archive.search_corrected(
        args.query, types=[args.type] if args.type else None, limit=args.limit
    )
    if corrected is not None:
        print(
            f"No record matches {args.query!r}; showing results for {corrected!r}", file=sys.stderr
        )

    def plain(text: str) -> str:
        return text.replace(HIGHLIGHT_START, "[").replace(HIGHLIGHT_END, "]")

    def hit_json(hit: Any) -> dict[str, Any]:
        return {"id": hit.id, "type": hit.type, "title": hit.title, "snippet": plain(hit.snippet)}

    if args.explain:
        explained = []
        for hit in hits:
            entry = hit_json(hit)
            entry.update(
                score=round(hit.score, 4),
                match_kind=hit.match_kind,
                matched_form=hit.matched_form,
                scheme=hit.scheme,
                matches=[
                    {
                        "term": m.term,
                        "field": m.field,
                        "kind": m.kind,
                        "scheme": m.scheme,
                        "form": m.form,
                    }
                    for m in hit.matches
                ],
            )
            explained.append(entry)
        _print_json({"query": args.query, "corrected_to": corrected, "hits": explained})
        return 0
    if args.json:
        _print_json([hit_json(h) for h in hits])
        return 0
    if not hits:
        suggestions = archive.did_you_mean(args.query)
        hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
        print(f"No record matches {args.query!r}.{hint}")
        return 0
    for hit in hits:
        matched = f"  (matched {hit.matched_form} — {hit.scheme})" if hit.matched_form else ""
        print(f"{hit.id:<40} {hit.title}{matched}")
        if hit.snippet:
            print(f"    {plain(hit.snippet)}")
    return 0


def _record_json(archive: Any, record_id: str) -> dict[str, Any]:
    record = archive.get(record_id)
    if record is None:
        raise UserError(f"There is no record {record_id!r} in this archive.")
    fields = {k: v for k, v in record.fields.items() if k != "rid"}
    return {
        "id": record.id,
        "type": record.type,
        "title": record.title,
        "fields": fields,
        "links": [
            {
                "id": ln.id,
                "type": ln.type,
                "title": ln.title,
                "role": ln.role,
                "direction": "out" if ln.outgoing else "in",
            }
            for ln in record.links
        ],
        "quotes": [
            {
                "id": q["id"],
                "text": q["text"],
                "speaker": q["speaker_id"],
                "reconstructed": bool(q["reconstructed"]),
            }
            for q in record.quotes
        ],
        "citations": [{"text": c["text"], "key": c["key"]} for c in record.citations],
        "aliases": [{"alias": a, "scheme": s} for a, s in record.aliases],
    }


def cmd_show(args: argparse.Namespace) -> int:
    archive = _open_archive(args)
    data = _record_json(archive, args.id)
    if args.json:
        _print_json(data)
        return 0
    print(f"{data['title']}  [{data['id']}]")
    for name, value in data["fields"].items():
        if value not in (None, "") and not name.endswith(("_sort", "_earliest", "_latest")):
            print(f"  {name}: {value}")
    for quote in data["quotes"]:
        print(f"  quote: “{quote['text']}”")
    if data["links"]:
        print("  links:")
        for link in data["links"]:
            print(f"    {link['role']:<16} {link['id']:<36} {link['title']}")
    return 0


def cmd_cite(args: argparse.Namespace) -> int:
    from archive_browser.core import citations
    from archive_browser.core.archive.citations import find_citing

    text = " ".join(args.text)
    if args.json:
        _print_json(citations.citations_json(text))
        return 0
    found = citations.parse_citations(text)
    if not found:
        print("No archival citation was found in that text.")
        return 0
    print(citations.format_table(found))
    archive = None
    with contextlib.suppress(UserError):
        archive = _open_archive(args)
    if archive is not None:
        for cit in found:
            matches = find_citing(archive.conn, cit)
            for record_id, match, _ in matches:
                print(f"  {match.name:<9} {record_id:<36} {archive.title_of(record_id)}")
    return 0


def cmd_chronology(args: argparse.Namespace) -> int:
    from archive_browser.core.dates import DateError, from_human, parse_edtf
    from archive_browser.core.filters import OPEN_EARLIEST, OPEN_LATEST, DateSpan

    def bound(text: str | None) -> Any:
        if not text:
            return None
        try:
            return parse_edtf(from_human(text))
        except DateError as exc:
            raise UserError(str(exc)) from None

    low, high = bound(args.date_from), bound(args.date_to)
    archive = _open_archive(args)
    span = None
    if low is not None or high is not None:
        span = DateSpan(
            low.earliest if low else OPEN_EARLIEST, high.latest if high else OPEN_LATEST
        )
    events = [
        {
            "id": row["id"],
            "title": row["title"],
            "edtf": row["date"],
            "display": row["date_display"],
            "earliest": row["date_earliest"],
            "latest": row["date_latest"],
        }
        for row in archive.all_rows("event", span)
    ]
    if args.json:
        _print_json(events)
    else:
        for event in events:
            print(f"{event['display']:<22} {event['title']}  [{event['id']}]")
    return 0


# ----------------------------------------------------------------------------- user store


def _require_record(archive: Any, record_id: str) -> None:
    if archive.title_of(record_id) is None:
        raise UserError(f"There is no record {record_id!r} in this archive.")


def cmd_note(args: argparse.Namespace) -> int:
    from archive_browser.core.store import UserStoreError

    archive = _open_archive(args)
    _require_record(archive, args.id)
    with _open_store() as store:
        try:
            note = store.add_note(archive.archive_id, args.id, " ".join(args.text))
        except UserStoreError as exc:
            raise UserError(str(exc)) from None
    print(f"Note {note.id} saved on {args.id}.")
    return 0


def cmd_bookmark(args: argparse.Namespace) -> int:
    archive = _open_archive(args)
    _require_record(archive, args.id)
    with _open_store() as store:
        on = store.toggle_bookmark(archive.archive_id, args.id)
    print(f"{args.id} {'bookmarked' if on else 'no longer bookmarked'}.")
    return 0


def cmd_notes(args: argparse.Namespace) -> int:
    archive = _open_archive(args)
    with _open_store() as store:
        notes = store.notes(archive.archive_id)
        marks = {b.record_id for b in store.bookmarks(archive.archive_id)}
    items = [
        {
            "id": n.id,
            "record_id": n.record_id,
            "title": archive.title_of(n.record_id),
            "text": n.text,
            "created": n.created,
            "modified": n.modified,
            "bookmarked": n.record_id in marks,
        }
        for n in notes
    ]
    if args.json:
        _print_json(items)
        return 0
    for item in items:
        star = "★" if item["bookmarked"] else " "
        print(f"{star} {item['record_id']:<36} {item['modified']}  {item['text']}")
    return 0


def cmd_export_notes(args: argparse.Namespace) -> int:
    from archive_browser.core import export
    from archive_browser.core.records import archive_record_info

    archive = _open_archive(args)
    out = Path(args.out)
    with _open_store() as store:
        writer = export.write_notes_csv if args.format == "csv" else export.write_notes_markdown
        try:
            writer(store, archive.archive_id, archive_record_info(archive), out)
        except OSError as exc:
            raise UserError(_write_error(out, exc)) from None
    print(f"Wrote {out}.")
    return 0


def _write_error(out: Path, exc: OSError) -> str:
    from archive_browser.core.export import ExportError

    return str(exc) if isinstance(exc, ExportError) else f"Cannot write {out}: {exc.strerror}."


def cmd_export_sources(args: argparse.Namespace) -> int:
    from archive_browser.core import export

    archive = _open_archive(args)
    out = Path(args.out)
    try:
        export.write_sources_csl_json(archive.all_rows("source"), out)
    except OSError as exc:
        raise UserError(_write_error(out, exc)) from None
    print(f"Wrote {out}.")
    return 0


# ----------------------------------------------------------------------------- programs


def cmd_self_test(args: argparse.Namespace) -> int:
    from archive_browser.self_test import run_self_test

    return run_self_test(Path(args.archive) if args.archive else None, gui=not args.no_gui)


def cmd_install_desktop_entry(args: argparse.Namespace) -> int:
    from importlib.resources import files

    from archive_browser.core.desktop import DesktopEntryError, install_desktop_entry

    icon = files("archive_browser.resources") / "icons" / "app.svg"
    try:
        installed = install_desktop_entry(icon.read_bytes())
    except DesktopEntryError as exc:
        raise UserError(str(exc)) from None
    print(f"Installed {installed.entry} and {installed.icon}.")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from archive_browser.ui.app import run_gui

    return run_gui(Path(args.archive) if args.archive else None)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archive-browser",
        description="Browse an archive of interwar Soviet-German military cooperation.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--archive",
        metavar="PATH",
        help="archive database to open (default: $ARCHIVE_BROWSER_ARCHIVE or the bundled archive)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    add("gui", cmd_gui, "open the window (the default)")
    p = add("build", cmd_build, "build the bundled archive database from data/")
    p.add_argument("--data", help="folder of CSV files (default: data/)")
    p.add_argument("--out", help="database to write (default: data/archive.db)")
    p.add_argument("--if-stale", action="store_true", help="only when data/ changed")
    p.add_argument("--archive-id", help=argparse.SUPPRESS)
    p.add_argument("--title", help=argparse.SUPPRESS)
    p = add("import", cmd_import, "import finding-aid CSV files into a new archive database")
    p.add_argument("inputs", nargs="+", metavar="DIR_OR_FILES")
    p.add_argument("--out", required=True, metavar="NEW.db")
    p.add_argument("--archive-id", help="stable id for bookmarks and notes (default: file name)")
    p.add_argument("--title", help="the archive's title")
    p.add_argument("--force", action="store_true", help="replace NEW.db if it exists")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p = add("import-template", cmd_import_template, "write CSV templates for an import")
    p.add_argument("folder", metavar="DIR")
    p = add("search", cmd_search, "search every record type")
    p.add_argument("query")
    p.add_argument("--type", help="person, site, event or source")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--explain",
        action="store_true",
        help="JSON: the query, the spelling searched instead, and per hit where each word matched",
    )
    p = add("show", cmd_show, "print one record with its fields and links")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p = add("cite", cmd_cite, "read archival citations and find the records citing them")
    p.add_argument("text", nargs="+")
    p.add_argument("--json", action="store_true", help="print the contract's JSON array")
    p = add("chronology", cmd_chronology, "print the events in date order")
    p.add_argument("--from", dest="date_from", metavar="EDTF")
    p.add_argument("--to", dest="date_to", metavar="EDTF")
    p.add_argument("--json", action="store_true")
    p = add("note", cmd_note, "add a note to a record")
    p.add_argument("id")
    p.add_argument("text", nargs="+")
    p = add("bookmark", cmd_bookmark, "toggle the bookmark of a record")
    p.add_argument("id")
    p = add("notes", cmd_notes, "list notes")
    p.add_argument("--json", action="store_true")
    p = add("export-notes", cmd_export_notes, "export notes and bookmarks")
    p.add_argument("--format", choices=("csv", "md"), required=True)
    p.add_argument("--out", required=True, metavar="FILE")
    p = add("export-sources", cmd_export_sources, "export sources for Zotero")
    p.add_argument("--format", choices=("csl-json",), required=True)
    p.add_argument("--out", required=True, metavar="FILE")
    add(
        "install-desktop-entry",
        cmd_install_desktop_entry,
        "add the program to this user's applications menu (Linux desktops)",
    )
    p = add("self-test", cmd_self_test, "check the installation and exit non-zero on failure")
    p.add_argument("--no-gui", action="store_true", help="skip building the window")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", cmd_gui)
    try:
        return handler(args)
    except UserError as exc:
        print(f"archive-browser: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
