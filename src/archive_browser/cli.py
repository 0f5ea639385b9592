"""`archive-browser`: the window by default, sub-commands for scripting.

User mistakes (a bad id, a missing archive, invalid input) and failures (a damaged
archive, a full disk) end with one sentence on stderr and a non-zero exit; a traceback only
with the global `--debug`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from archive_browser import __version__

EXIT_USER_ERROR = 2
EXIT_FAILURE = 1

Handler = Callable[[argparse.Namespace], int]


class UserError(Exception):
    """A mistake the user can fix; printed as one line."""


def positive_int(text: str) -> int:
    """argparse type of a count the user gives (`--limit 20`): a whole number above 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number (1 or more)")
    return value


def _output_target(text: str, force: bool) -> Path | None:
    """The file `--out` names, checked (`core.safe_write.check_target`); None for `-`,
    standard output."""
    from archive_browser.core.safe_write import STDOUT_NAME, UnsafeTargetError, check_target

    if text == STDOUT_NAME:
        return None
    target = Path(text)
    try:
        check_target(target, force)
    except UnsafeTargetError as exc:
        raise UserError(str(exc)) from None
    return target


def _archive_target(text: str, force: bool) -> Path:
    """`--out` of `import` and `build`: a database file, never standard output."""
    target = _output_target(text, force)
    if target is None:
        raise UserError("An archive database cannot be written to standard output; name a file.")
    return target


def _json_fallback(value: object) -> str:
    """A value JSON has no type for (a blob where an archive should have text): as text."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=_json_fallback)
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

    checkout = paths.checkout_root()
    if args.data:
        source = Path(args.data)
    elif checkout is not None:
        source = checkout / "data"
    else:
        raise UserError(
            "This installation carries its archive ready-built and no CSV sources: "
            "give the folder to build from with --data FOLDER."
        )
    out = source / paths.ARCHIVE_FILE
    if args.out is not None:  # a regular file or a new path, before the staleness check reads it
        out = _archive_target(args.out, force=True)
    if args.if_stale and not build.is_stale([source], out):
        print(f"{out} is up to date.")
        return 0
    # The default target is the build's own file; a named one is replaced only with --force.
    if args.out is not None:
        _archive_target(args.out, args.force)
    return _run_import(
        [source],
        out,
        args.archive_id or paths.BUNDLED_ARCHIVE_ID,
        args.title or paths.BUNDLED_ARCHIVE_TITLE,
        quiet=False,
    )


def cmd_import(args: argparse.Namespace) -> int:
    from archive_browser.core.importer.single import is_single_file

    inputs = [Path(p) for p in args.inputs]
    if len(inputs) == 1 and is_single_file(inputs[0]):
        return _import_single_file(args, inputs[0])
    single_only = [
        flag
        for flag, value in (
            ("--sheet", args.sheet),
            ("--map", args.map),
            ("--encoding", args.encoding),
            ("--mapping", args.mapping),
            ("--save-mapping", args.save_mapping),
            ("--collection", args.collection),
        )
        if value
    ]
    if single_only:
        raise UserError(
            f"{single_only[0]} is for importing a single file, not the seven CSV files."
        )
    if not args.out:
        raise UserError("importing the seven CSV files needs --out NEW.db.")
    out = _archive_target(args.out, args.force)
    return _run_import(inputs, out, args.archive_id, args.title, quiet=args.quiet)


def _collection_name(text: str) -> str:
    """A file name for a collection: letters, digits, '-' and '_' (any script)."""
    import re

    name = re.sub(r"[^\w-]+", "-", text.strip(), flags=re.UNICODE).strip("-.")
    if not name:
        raise UserError(f"{text!r} cannot name a collection; use letters and digits.")
    return name[:100]


def _import_single_file(args: argparse.Namespace, path: Path) -> int:
    from archive_browser.core import paths
    from archive_browser.core.importer import BuildError, problem_lines
    from archive_browser.core.importer.single import import_file, plan_import

    if args.out:
        out = _archive_target(args.out, args.force)
        archive_id = args.archive_id or out.stem
    else:
        name = _collection_name(args.collection or path.stem)
        out = paths.collections_dir() / f"{name}.db"
        archive_id = args.archive_id or f"collection:{name}"
        out = _archive_target(str(out), args.force)
    try:
        plan = plan_import(
            path,
            encoding=args.encoding,
            sheet=args.sheet,
            mapping_file=Path(args.mapping) if args.mapping else None,
            overrides=args.map or (),
        )
    except BuildError as exc:
        for line in problem_lines(exc.problems):
            print(line, file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    if plan.table is not None:
        if plan.table.encoding is not None:
            print(f"{path.name}: encoding {plan.encoding_note}.", file=sys.stderr)
        if plan.table.sheet:
            print(f"{path.name}: sheet {plan.table.sheet!r}.", file=sys.stderr)
    if plan.mapping is not None:
        shown = ", ".join(
            f"{column} -> {field}" for column, field in plan.mapping.items() if field != "ignore"
        )
        print(f"{path.name}: mapping {shown or '(nothing mapped)'}.", file=sys.stderr)
        if args.save_mapping:
            target = Path(args.save_mapping)
            try:
                target.write_text(plan.mapping_json(), encoding="utf-8")
            except OSError as exc:
                raise UserError(f"cannot save the mapping to {target}: {exc.strerror}.") from None
            print(f"Saved the mapping to {target}.", file=sys.stderr)
    elif plan.kind == "isad":
        print(f"{path.name}: AtoM ISAD(G) CSV.", file=sys.stderr)
    else:
        print(f"{path.name}: EAD finding aid.", file=sys.stderr)
    try:
        with _progress_bar(args.quiet) as progress:
            report = import_file(
                plan, out, archive_id=archive_id, title=args.title, progress=progress
            )
    except BuildError as exc:
        for line in problem_lines(exc.problems):
            print(line, file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror}; nothing was written.") from None
    for line in problem_lines(report.warnings):
        print(line, file=sys.stderr)
    print(
        f"Wrote {report.path}: {report.records} records, {report.links} links, "
        f"{report.aliases} aliases, {report.citations} citations in {report.seconds:.1f} s."
    )
    if not args.out:
        print(
            f"The collection is {out}; open it with --archive {out} or File > Open Archive "
            "(showing collections beside the bundled archive comes in a later version)."
        )
    return 0


@contextlib.contextmanager
def _progress_bar(quiet: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress callback drawing a bar on a terminal's stderr (None when quiet or piped)."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(total=0, unit="rec", file=sys.stderr, leave=False)

    def progress(stage: str, done: int, total: int) -> None:
        bar.set_description(stage)
        bar.total = total or None  # 0: not known yet (a streamed file)
        bar.n = done
        bar.refresh()

    try:
        yield progress
    finally:
        bar.close()


def _run_import(
    inputs: list[Path], out: Path, archive_id: str | None, title: str | None, quiet: bool
) -> int:
    from archive_browser.core import importer as build

    try:
        with _progress_bar(quiet) as progress:
            report = build.build_archive(
                inputs, out, archive_id=archive_id, title=title, progress=progress
            )
    except build.BuildError as exc:
        for line in build.problem_lines(exc.problems):
            print(line, file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        raise UserError(_write_error(out, exc)) from None
    for line in build.problem_lines(report.warnings):
        print(line, file=sys.stderr)
    print(
        f"Wrote {report.path}: {report.records} records, {report.links} links, "
        f"{report.aliases} aliases, {report.citations} citations "
        f"in {report.seconds:.1f} s."
    )
    return 0


def cmd_import_template(args: argparse.Namespace) -> int:
    from archive_browser.core.importer import write_templates

    folder = Path(args.folder)
    if not args.folder:
        raise UserError("The template folder name is empty; name a folder.")
    try:
        written = write_templates(folder)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UserError(f"Cannot write the templates to {folder}: {reason}.") from None
    for path in written:
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


def _record_json(archive: Any, record_id: str, all_links: bool = False) -> dict[str, Any]:
    from archive_browser.core.archive import LINK_PAGE

    # A record may have a million links: the first page unless all are asked for.
    record = archive.get(record_id, link_limit=None if all_links else LINK_PAGE)
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
        "link_count": record.link_count,
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
    data = _record_json(archive, args.id, args.all_links)
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
        more = data["link_count"] - len(data["links"])
        if more > 0:
            print(f"    … and {more} more (add --all-links to list them)")
    return 0


def cmd_cite(args: argparse.Namespace) -> int:
    from archive_browser.core import citations
    from archive_browser.core.archive.citations import find_citing

    text = " ".join(args.text)
    style = None
    if args.format:
        try:
            style = citations.style_named(args.format)
        except citations.StyleError as exc:
            raise UserError(str(exc)) from None
    concordance = citations.load_concordance()
    for problem in concordance.problems:
        print(f"warning: {problem}", file=sys.stderr)
    found = citations.parse_citations(text)
    if args.json:
        objects = [c.to_json() for c in found]
        json_archive = None
        with contextlib.suppress(UserError):
            json_archive = _open_archive(args)
        for obj, cit in zip(objects, found, strict=True):
            if json_archive is not None:
                # The records of the open archive that cite the same file (or a copy of it).
                obj["records"] = [
                    {
                        "id": record_id,
                        "title": json_archive.title_of(record_id),
                        "type": record_id.partition("/")[0],
                        "collection": json_archive.archive_id,
                        "match": match.name.lower(),
                    }
                    for record_id, match, _ in find_citing(json_archive.conn, cit)
                ]
            if style is not None:
                obj["formatted"] = style.format(cit)
            links = concordance.links(cit.key or cit.partial_key or "")
            if links:
                obj["copies"] = [
                    {"role": link.role, "key": link.key, "source": link.entry.source}
                    for link in links
                ]
        _print_json(objects)
        return 0
    if not found:
        print("No archival citation was found in that text.")
        return 0
    if style is not None:
        for cit in found:
            print(style.format(cit))
        return 0
    print(citations.format_table(found))
    for cit in found:
        for link in concordance.links(cit.key or cit.partial_key or ""):
            print(f"  {link.role} {citations.format_key(link.key)}  [{link.entry.source[:60]}]")
    archive = None
    try:
        archive = _open_archive(args)
    except UserError:
        if args.archive:  # the archive named is unusable: say so (the default may be absent)
            raise

    if archive is not None:
        for cit in found:
            matches = find_citing(archive.conn, cit, concordance)
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
    with _open_store() as store, _store_errors("bookmark"):
        on = store.toggle_bookmark(archive.archive_id, args.id)
    print(f"{args.id} {'bookmarked' if on else 'no longer bookmarked'}.")
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    archive = _open_archive(args)
    _require_record(archive, args.id)
    with _open_store() as store, _store_errors("tag the record"):
        added = store.add_tags(archive.archive_id, args.id, args.tags)
        tags = store.tags_of(archive.archive_id, args.id)
    print(f"{args.id} tagged {', '.join(added)}; its tags: {'; '.join(tags)}.")
    return 0


def cmd_untag(args: argparse.Namespace) -> int:
    archive = _open_archive(args)
    with _open_store() as store, _store_errors("untag the record"):
        removed = store.remove_tags(archive.archive_id, args.id, args.tags)
        tags = store.tags_of(archive.archive_id, args.id)
    if not removed:
        raise UserError(f"{args.id} has none of the tags {', '.join(args.tags)}.")
    left = "; ".join(tags) if tags else "none"
    print(f"{args.id} no longer tagged {', '.join(removed)}; its tags: {left}.")
    return 0


def cmd_tags(args: argparse.Namespace) -> int:
    archive = _open_archive(args)
    action = getattr(args, "tags_action", None)
    with _open_store() as store, _store_errors(f"{action or 'list'} the tags"):
        if action == "rename":
            uses = store.rename_tag(args.old, args.new)
            print(f"Renamed {args.old!r} to {args.new!r} ({_records(uses)}).")
            return 0
        if action == "merge":
            moved = store.merge_tags(args.source, args.target)
            print(f"Merged {args.source!r} into {args.target!r} ({_records(moved)}).")
            return 0
        counts = store.tag_counts(archive.archive_id)
    if args.json:
        _print_json([{"tag": name, "records": count} for name, count in counts])
        return 0
    for name, count in counts:
        print(f"{count:>6}  {name}")
    return 0


def _records(count: int) -> str:
    return f"{count} record" if count == 1 else f"{count} records"


@contextlib.contextmanager
def _store_errors(action: str) -> Iterator[None]:
    """A failing store (full disk, damaged file) under a command becomes one sentence."""
    from archive_browser.core.store import UserStoreError

    try:
        yield
    except (UserStoreError, sqlite3.Error, OSError) as exc:
        raise UserError(_store_error(action, exc)) from None


def _store_error(action: str, exc: Exception) -> str:
    """One sentence for a store that failed under a command (full disk, damaged file)."""
    from archive_browser.core.store import UserStoreError

    if isinstance(exc, UserStoreError):
        return str(exc).rstrip(".") + "."
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"Cannot {action}: the notes file failed ({reason})."


def cmd_notes(args: argparse.Namespace) -> int:
    from archive_browser.core.store import UserStoreError

    archive = _open_archive(args)
    with _open_store() as store:
        try:
            notes = store.notes(archive.archive_id)
            marks = {b.record_id for b in store.bookmarks(archive.archive_id)}
            tags = store.record_tags(archive.archive_id)
        except (UserStoreError, sqlite3.Error) as exc:
            raise UserError(_store_error("read the notes", exc)) from None
    items = [
        {
            "id": n.id,
            "record_id": n.record_id,
            "title": archive.title_of(n.record_id),
            "text": n.text,
            "created": n.created,
            "modified": n.modified,
            "bookmarked": n.record_id in marks,
            "tags": tags.get(n.record_id, []),
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


def cmd_note_history(args: argparse.Namespace) -> int:
    from archive_browser.core.store import UserStoreError

    with _open_store() as store:
        try:
            note = store.note(args.note_id)
            versions = store.versions(args.note_id) if note is not None else []
        except (UserStoreError, sqlite3.Error) as exc:
            raise UserError(_store_error("read the note's history", exc)) from None
    if note is None:
        raise UserError(f"There is no note {args.note_id} (the command notes lists them).")
    if args.json:
        _print_json(
            {
                "id": note.id,
                "archive_id": note.archive_id,
                "record_id": note.record_id,
                "text": note.text,
                "modified": note.modified,
                "versions": [
                    {"id": v.id, "text": v.text, "modified": v.modified, "replaced": v.replaced}
                    for v in versions
                ],
            }
        )
        return 0
    print(f"Note {note.id} on {note.record_id}: {len(versions)} earlier versions kept.")
    print(f"current  {note.modified}  {_one_line(note.text)}")
    for version in versions:
        print(f"{version.id:<7}  {version.modified}  {_one_line(version.text)}")
    return 0


def _one_line(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def cmd_export_notes(args: argparse.Namespace) -> int:
    from archive_browser.core import export
    from archive_browser.core.records import archive_record_info

    if args.split and args.format != "md":
        raise UserError("--split writes Markdown files: use it with --format md.")
    if (args.out is None) == (args.split is None):
        raise UserError("Give either --out FILE or, for Markdown, --split FOLDER.")
    if args.delimiter is not None and args.format != "csv":
        raise UserError("--delimiter is for --format csv.")
    if args.front_matter and args.format != "md":
        raise UserError("--front-matter is for --format md.")
    out = _output_target(args.out, args.force) if args.out is not None else None
    archive = _open_archive(args)
    info = archive_record_info(archive)
    with _open_store() as store:
        try:
            if args.format == "csv":
                delimiter = args.delimiter or export.default_csv_delimiter()
                export.write_notes_csv(
                    store, archive.archive_id, info, out or sys.stdout, delimiter
                )
            elif args.format == "xlsx":
                export.write_notes_xlsx(store, archive.archive_id, info, out or sys.stdout.buffer)
            elif args.split:
                folder = Path(args.split)
                files = export.write_notes_markdown_split(
                    store,
                    archive.archive_id,
                    info,
                    folder,
                    archive.title,
                    fields=archive.fields,
                    front_matter=args.front_matter,
                )
                print(f"Wrote {len(files)} files into {folder}.")
                return 0
            else:
                export.write_notes_markdown(
                    store,
                    archive.archive_id,
                    info,
                    out or sys.stdout,
                    archive.title,
                    fields=archive.fields,
                    front_matter=args.front_matter,
                )
        except OSError as exc:
            raise UserError(_write_error(out, exc)) from None
    if out is not None:
        print(f"Wrote {out}.")
    return 0


def _csv_delimiter(text: str) -> str:
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}
    delimiter = named.get(text, text)
    if len(delimiter) != 1 or delimiter in '"\r\n' or delimiter.isalnum():
        raise argparse.ArgumentTypeError(
            f"{text!r} cannot separate CSV cells: give one character such as ; or , or tab."
        )
    return delimiter


def _write_error(out: Path | None, exc: OSError) -> str:
    from archive_browser.core.export import ExportError
    from archive_browser.core.safe_write import UnsafeTargetError

    if isinstance(exc, ExportError | UnsafeTargetError):
        return str(exc)
    return f"Cannot write {out or 'to standard output'}: {exc.strerror or exc}."


def cmd_export_sources(args: argparse.Namespace) -> int:
    from archive_browser.core import export

    writers = {
        "csl-json": export.write_sources_csl_json,
        "ris": export.write_sources_ris,
        "biblatex": export.write_sources_biblatex,
    }
    out = _output_target(args.out, args.force)
    archive = _open_archive(args)
    try:
        writers[args.format](archive.all_rows("source"), out or sys.stdout)
    except OSError as exc:
        raise UserError(_write_error(out, exc)) from None
    if out is not None:
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
        "--debug", action="store_true", help="show a failure's traceback (for bug reports)"
    )
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
    p.add_argument("--force", action="store_true", help="replace the --out file if it exists")
    p.add_argument("--if-stale", action="store_true", help="only when data/ changed")
    p.add_argument("--archive-id", help=argparse.SUPPRESS)
    p.add_argument("--title", help=argparse.SUPPRESS)
    p = add(
        "import",
        cmd_import,
        "import a spreadsheet, an EAD file or the seven CSV files into a new archive",
    )
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR")
    p.add_argument("--out", metavar="NEW.db", help="write a standalone archive file")
    p.add_argument("--collection", metavar="NAME", help="collection name (default: file name)")
    p.add_argument("--sheet", metavar="NAME", help="the spreadsheet's sheet (default: first)")
    p.add_argument("--map", action="append", metavar="FIELD=Column", help="map a column")
    p.add_argument("--encoding", metavar="ENC", help="the CSV's encoding (default: detected)")
    p.add_argument("--mapping", metavar="FILE", help="use a mapping saved with --save-mapping")
    p.add_argument("--save-mapping", metavar="FILE", help="save the mapping used (JSON)")
    p.add_argument("--archive-id", help="stable id for bookmarks and notes (default: file name)")
    p.add_argument("--title", help="the archive's title")
    p.add_argument("--force", action="store_true", help="replace NEW.db if it exists")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p = add("import-template", cmd_import_template, "write CSV templates for an import")
    p.add_argument("folder", metavar="DIR")
    p = add("search", cmd_search, "search every record type")
    p.add_argument("query")
    p.add_argument("--type", help="person, site, event or source")
    p.add_argument("--limit", type=positive_int, default=50, help="most hits shown (default 50)")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--explain",
        action="store_true",
        help="JSON: the query, the spelling searched instead, and per hit where each word matched",
    )
    p = add("show", cmd_show, "print one record with its fields and links")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all-links", action="store_true", help="every link, not the first 200")
    p = add("cite", cmd_cite, "read archival citations and find the records citing them")
    p.add_argument("text", nargs="+")
    p.add_argument("--json", action="store_true", help="print the contract's JSON array")
    p.add_argument(
        "--format",
        metavar="STYLE",
        help="write each citation in STYLE: english (chicago), gost, dstu, barch or nara",
    )
    p = add("chronology", cmd_chronology, "print the events in date order")
    p.add_argument("--from", dest="date_from", metavar="EDTF")
    p.add_argument("--to", dest="date_to", metavar="EDTF")
    p.add_argument("--json", action="store_true")
    p = add("note", cmd_note, "add a note to a record")
    p.add_argument("id")
    p.add_argument("text", nargs="+")
    p = add("bookmark", cmd_bookmark, "toggle the bookmark of a record")
    p.add_argument("id")
    p = add("tag", cmd_tag, "add tags to a record")
    p.add_argument("id", metavar="RECORD_ID")
    p.add_argument("tags", nargs="+", metavar="TAG")
    p = add("untag", cmd_untag, "remove tags from a record")
    p.add_argument("id", metavar="RECORD_ID")
    p.add_argument("tags", nargs="+", metavar="TAG")
    p = add("tags", cmd_tags, "list the tags with their number of records; rename or merge one")
    p.add_argument("--json", action="store_true", help="print a JSON array of tags and counts")
    tag_actions = p.add_subparsers(dest="tags_action", metavar="ACTION")
    rename = tag_actions.add_parser(
        "rename", help="rename a tag everywhere", description="rename a tag everywhere"
    )
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    merge = tag_actions.add_parser(
        "merge",
        help="every use of FROM becomes INTO; FROM is gone",
        description="every use of FROM becomes INTO; FROM is gone",
    )
    merge.add_argument("source", metavar="FROM")
    merge.add_argument("target", metavar="INTO")
    p = add("notes", cmd_notes, "list notes")
    p.add_argument("--json", action="store_true")
    p = add("note-history", cmd_note_history, "list the earlier versions kept of a note")
    p.add_argument("note_id", type=positive_int, metavar="NOTE_ID")
    p.add_argument("--json", action="store_true")
    p = add("export-notes", cmd_export_notes, "export notes and bookmarks")
    p.add_argument("--format", choices=("csv", "md", "xlsx"), required=True)
    p.add_argument("--out", metavar="FILE", help="file to write; - for stdout")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.add_argument(
        "--delimiter",
        type=_csv_delimiter,
        help="CSV cell separator (default: ; under a German or Russian locale, else ,)",
    )
    p.add_argument(
        "--front-matter", action="store_true", help="Markdown: YAML front matter (Obsidian)"
    )
    p.add_argument("--split", metavar="FOLDER", help="Markdown: one file per record")
    p = add(
        "export-sources",
        cmd_export_sources,
        "export sources for Zotero (CSL-JSON), other reference managers (RIS) or biblatex",
    )
    p.add_argument("--format", choices=("csl-json", "ris", "biblatex"), required=True)
    p.add_argument("--out", required=True, metavar="FILE", help="file to write; - for stdout")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
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
        # Python would complain once more while flushing stdout at exit.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last guard: one sentence, the traceback under --debug
        if args.debug:
            raise
        print(f"archive-browser: {_failure_sentence(exc)}", file=sys.stderr)
        return EXIT_FAILURE


def _failure_sentence(exc: Exception) -> str:
    """An unforeseen failure as one line: what failed, and how to learn more."""
    from archive_browser.core.archive import timeout_message

    # The command line never interrupts a query itself: an interrupt is the clock's.
    if isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc):
        return timeout_message()
    if isinstance(exc, sqlite3.Error):
        what = f"the archive could not be read ({exc}); it may be damaged"
    elif isinstance(exc, OSError):
        what = f"{exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")
    else:
        what = f"an unexpected error ({type(exc).__name__}: {exc})"
    what = " ".join(what.split())[:300]
    return f"Failed: {what}. Run again with --debug to see where."


if __name__ == "__main__":
    sys.exit(main())
