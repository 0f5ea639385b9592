"""EAD finding aids (EAD 2002 with or without its namespace, EAD3, EAD(DDB) 1.2) and
AtoM's ISAD(G) CSV, as records.

Every described unit (the `archdesc` and each `c`/`c01`…`c12` below `dsc`) becomes a source;
its parent unit is kept as a `part of` link, so the tree of fonds, series and files survives.
`unitid` (with the repository) is the archival reference; a `unitid type="Altsignatur"` is an
alias; `unitdate` (its `@normal` first) the date; `physdesc`, `scopecontent` the summary;
`origination` the creator; `controlaccess` names become person and site records, one per
name however many units name it.

The XML is parsed by lxml with entities left unresolved, no DTD loaded and no network; a
document that declares entities is refused (no finding aid needs them; they are how external
files are read in and how "billion laughs" blow up).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from archive_browser.core.dates import DateError, parse_edtf
from archive_browser.core.importer.format import (
    BuildError,
    Dataset,
    Problem,
    Progress,
    Row,
    read_date,
)
from archive_browser.core.importer.mapping import (
    IdAllocator,
    NameIndex,
    _complete,
    checked_date,
    link,
    split_names,
    stable_slug,
)
from archive_browser.core.importer.tabular import Table
from archive_browser.core.text import fold

COMPONENT = re.compile(r"c(0[1-9]|1[0-2])?")
NAME_ELEMENTS = {
    "persname": "person",
    "famname": "person",
    "corpname": "person",
    "geogname": "site",
}
MAX_XML_BYTES = 2_000_000_000
# lxml ships no types: its elements and trees are opaque here.
Element = Any


def _local(element: object) -> str:
    tag = getattr(element, "tag", None)
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return tag.rpartition("}")[2]


def _children(element: Element, name: str) -> list[Element]:
    return [c for c in element if _local(c) == name]


def _child(element: Element, name: str) -> Element | None:
    for c in element:
        if _local(c) == name:
            return c
    return None


def _text(element: Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _paragraphs(element: Element | None) -> str:
    """The text of a block (scopecontent): its paragraphs, without the heading."""
    if element is None:
        return ""
    parts = [_text(p) for p in element if _local(p) not in ("head", "")]
    return "\n\n".join(p for p in parts if p) or _text(element)


def _normal_to_edtf(normal: str) -> str:
    """ISO 8601 as EAD's @normal writes it (`19200101/19301231`, `1920-01/1930`) -> EDTF."""

    def one(part: str) -> str:
        if re.fullmatch(r"\d{8}", part):
            return f"{part[:4]}-{part[4:6]}-{part[6:]}"
        if re.fullmatch(r"\d{6}", part):
            return f"{part[:4]}-{part[4:]}"
        return part

    return "/".join(one(p.strip()) for p in normal.split("/"))


def parse_xml(path: Path) -> Any:  # an lxml ElementTree
    from lxml import etree  # imported with the first XML import only

    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BuildError([Problem(name, 0, f"cannot read the file: {exc.strerror}.")]) from None
    if size > MAX_XML_BYTES:
        raise BuildError([Problem(name, 0, "the file is over 2 GB; this is not a finding aid.")])
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        message = exc.msg or str(exc)
        if "amplification" in message.lower():
            message = (
                "its entities expand without end (a “billion laughs” document); "
                "entities are refused"
            )
        elif "entity" in message.lower():
            message += " (entities are refused: a finding aid does not need them)"
        raise BuildError([Problem(name, line, f"not well-formed XML: {message}.")]) from None
    except OSError as exc:
        raise BuildError([Problem(name, 0, f"cannot read the file: {exc}.")]) from None
    dtd = tree.docinfo.internalDTD
    declared = list(dtd.iterentities()) if dtd is not None else []
    if declared:
        first = declared[0]
        raise BuildError(
            [
                Problem(
                    name,
                    1,
                    f"the document declares {len(declared)} entit"
                    f"{'y' if len(declared) == 1 else 'ies'} (<!ENTITY {first.name} …>); "
                    "entities are refused: they can read other files or expand without end, "
                    "and a finding aid does not need them.",
                )
            ]
        )
    for node in tree.iter(etree.Entity):
        raise BuildError(
            [Problem(name, node.sourceline or 0, f"an entity reference &{node.name}; is refused.")]
        )
    return tree


def _path(element: Element) -> str:
    """`ead/archdesc/dsc/c01[2]/c02[1]`: where a problem is, without namespaces."""
    parts = []
    node = element
    while node is not None:
        parent = node.getparent()
        label = _local(node)
        if parent is not None:
            same = [c for c in parent if _local(c) == label]
            if len(same) > 1:
                label += f"[{same.index(node) + 1}]"
        parts.append(label)
        node = parent
    return "/".join(reversed(parts))


def _components(element: Element) -> Iterator[Element]:
    """The units directly below a unit: its c/c01… children, or those of its dsc."""
    for child in element:
        local = _local(child)
        if COMPONENT.fullmatch(local):
            yield child
        elif local == "dsc":
            yield from _components(child)


def ead_dataset(path: Path, progress: Progress | None = None) -> tuple[Dataset, list[Problem]]:
    tree = parse_xml(path)
    root = tree.getroot()
    name = path.name
    if _local(root) != "ead":
        raise BuildError(
            [
                Problem(
                    name, root.sourceline or 1, f"the root element is <{_local(root)}>, not <ead>."
                )
            ]
        )
    archdesc = _child(root, "archdesc")
    if archdesc is None:
        raise BuildError([Problem(name, root.sourceline or 1, "ead: no <archdesc>.")])
    problems: list[Problem] = []
    dataset = Dataset()
    ids = IdAllocator()
    people = NameIndex("person")
    places = NameIndex("site")
    did = _child(archdesc, "did")
    repository = _text(_child(did, "repository")) if did is not None else ""
    header = _child(root, "eadheader")
    if header is None:
        header = _child(root, "control")
    if not repository and header is not None:
        # EAD3 names the maintaining agency in <control>; EAD 2002 the publisher.
        agency = next(header.iter("{*}agencyname", "agencyname"), None)
        repository = _text(agency)
    count = 0

    def unit(element: Element, parent_id: str | None, level_default: str) -> None:
        nonlocal count
        count += 1
        if progress and count % 2000 == 0:
            progress("read", count, 0)
        line = element.sourceline or 0

        # The element's path is costly (it counts siblings): only for a problem.
        def where() -> str:
            return _path(element)

        did = _child(element, "did")
        if did is None:
            problems.append(Problem(name, line, f"{where()}: no <did>; the unit is skipped."))
            return
        unitids = _children(did, "unitid")
        signature, old = "", []
        for uid in unitids:
            kind = (uid.get("type") or uid.get("localtype") or "").lower()
            if kind in ("altsignatur", "old", "former", "alt"):
                old.append(_text(uid))
            elif not signature:
                signature = _text(uid)
        title = _text(_child(did, "unittitle")) or signature
        if not title:
            problems.append(Problem(name, line, f"{where()}: neither <unittitle> nor <unitid>."))
            return
        level = element.get("otherlevel") if element.get("level") == "otherlevel" else None
        level = level or element.get("level") or level_default
        date, date_note = _unit_date(did, name, where, problems)
        summary_parts = [_paragraphs(_child(element, "scopecontent"))]
        physdesc = _child(did, "physdesc")
        if physdesc is None:
            physdesc = _child(did, "physdescstructured")
        if physdesc is not None:
            summary_parts.append(f"Extent: {_text(physdesc)}")
        if date_note:
            summary_parts.append(f"Date: {date_note}")
        summary = "\n\n".join(p for p in summary_parts if p) or f"{level} in {name}"
        citation = ""
        if signature:
            citation = signature
            if repository and fold(repository) not in fold(signature):
                citation = f"{repository}, {signature}"
        key = element.get("id") or signature or _path(element)
        record_id = ids.take("source", stable_slug("ead", repository, key))
        values = {
            "id": record_id,
            "title": title,
            "kind": level,
            "archive": repository,
            "citation": citation,
            "date": date,
            "author": _text(_child(did, "origination")),
            "summary": summary,
        }
        dataset.records["source"].append(Row(name, line, _complete("source", values)))
        for alias in old:
            dataset.aliases.append(
                Row(
                    name,
                    line,
                    {
                        "record": record_id,
                        "alias": alias,
                        "scheme": "other",
                        "note": "Altsignatur (former reference)",
                    },
                )
            )
        if parent_id:
            dataset.links.append(link(record_id, parent_id, "part of", name, line))
        for access in _children(element, "controlaccess"):
            for node in access.iter():
                kind = NAME_ELEMENTS.get(_local(node))
                text = _text(node)
                if kind and text:
                    index = people if kind == "person" else places
                    target = index.id_for(text, name, node.sourceline or line)
                    dataset.links.append(link(record_id, target, "mentions", name, line))
        for child in _components(element):
            unit(child, record_id, "file")

    try:
        unit(archdesc, None, "fonds")
    except RecursionError:
        raise BuildError(
            [Problem(name, 0, "the components nest too deeply (EAD allows twelve levels).")]
        ) from None
    dataset.records["person"] = people.rows(name)
    dataset.records["site"] = places.rows(name)
    dataset.meta["title"] = _text(next(root.iter("{*}titleproper", "titleproper"), None))
    return dataset, problems


def _unit_date(
    did: Element, name: str, where: Callable[[], str], problems: list[Problem]
) -> tuple[str, str]:
    """(EDTF or '', the text kept when it cannot be read)."""
    element = _child(did, "unitdate")
    structured = _child(did, "unitdatestructured")
    normal = element.get("normal") if element is not None else None
    if normal is None and structured is not None:
        points = [n.get("standarddate") for n in structured.iter() if n.get("standarddate")]
        normal = "/".join(points[:2]) if points else None
    if normal:
        edtf = _normal_to_edtf(normal)
        try:
            parse_edtf(edtf)
            return edtf, ""
        except DateError as exc:
            problems.append(
                Problem(
                    name,
                    (element if element is not None else did).sourceline or 0,
                    f"{where()}/did/unitdate/@normal: {exc}",
                    warning=True,
                )
            )
    text = _text(element) or _text(structured)
    line = (element if element is not None else did).sourceline or 0
    date = text
    try:
        if text:
            read_date(text)
    except DateError:
        date = checked_date(text, f"{where()}/did/unitdate", name, line, problems)
    return date, (text if text and not date else "")


# ----------------------------------------------------------------------------- ISAD(G) CSV

ISAD_MARKERS = frozenset({"legacyid", "title"})


def is_isad_csv(header: list[str]) -> bool:
    """AtoM's ISAD(G) CSV template: legacyId and title, and parentId or levelOfDescription."""
    names = {h.lower() for h in header}
    return names >= ISAD_MARKERS and bool(names & {"parentid", "levelofdescription"})


def isad_dataset(table: Table, progress: Progress | None = None) -> tuple[Dataset, list[Problem]]:
    """AtoM's columns: legacyId, parentId, identifier, title, levelOfDescription,
    extentAndMedium, repository, scopeAndContent, eventDates/eventStartDates/eventEndDates,
    eventActors/creators, nameAccessPoints, placeAccessPoints (multiple values split by |)."""
    index = {h.lower(): i for i, h in enumerate(table.header)}
    name = table.name
    problems: list[Problem] = []
    dataset = Dataset()
    ids = IdAllocator()
    people = NameIndex("person")
    places = NameIndex("site")
    by_legacy: dict[str, str] = {}
    parents: list[tuple[str, str, int]] = []
    try:
        for line, cells in table.filled_rows(progress):

            def cell(column: str, cells: list[str] = cells) -> str:
                i = index.get(column.lower())
                return cells[i].strip() if i is not None and i < len(cells) else ""

            title = cell("title") or cell("identifier")
            if not title:
                problems.append(Problem(name, line, "title: empty (and no identifier)."))
                continue
            repository = cell("repository")
            identifier = cell("identifier")
            citation = identifier
            if identifier and repository and fold(repository) not in fold(identifier):
                citation = f"{repository}, {identifier}"
            legacy = cell("legacyId")
            record_id = ids.take(
                "source", stable_slug("isad", legacy or identifier or title, repository)
            )
            if legacy:
                if legacy in by_legacy:
                    problems.append(Problem(name, line, f"legacyId {legacy!r} is given twice."))
                by_legacy[legacy] = record_id
            date_text = cell("eventDates")
            start, end = cell("eventStartDates"), cell("eventEndDates")
            edtf = ""
            if start:
                edtf = f"{start}/{end}" if end and end != start else start
                edtf = checked_date(edtf, "eventStartDates/eventEndDates", name, line, problems)
            if not edtf and date_text:
                edtf = checked_date(date_text.split("|")[0], "eventDates", name, line, problems)
            summary = (
                "\n\n".join(
                    p
                    for p in (
                        cell("scopeAndContent"),
                        f"Extent: {cell('extentAndMedium')}" if cell("extentAndMedium") else "",
                        f"Date: {date_text}" if date_text and not edtf else "",
                    )
                    if p
                )
                or f"{cell('levelOfDescription') or 'Unit'} in {table.path.name}"
            )
            values = {
                "id": record_id,
                "title": title,
                "kind": (cell("levelOfDescription") or "document").lower(),
                "archive": repository,
                "citation": citation,
                "date": edtf,
                "author": cell("creators") or cell("eventActors").split("|")[0].strip(),
                "summary": summary,
            }
            dataset.records["source"].append(Row(name, line, _complete("source", values)))
            parent = cell("parentId")
            if parent:
                parents.append((record_id, parent, line))
            for column, names in (("nameAccessPoints", people), ("placeAccessPoints", places)):
                for text in split_names(cell(column)):
                    target = names.id_for(text, name, line)
                    dataset.links.append(link(record_id, target, "mentions", name, line))
    except BuildError as exc:
        problems.extend(exc.problems)
    for record_id, parent, line in parents:
        if parent not in by_legacy:
            problems.append(
                Problem(name, line, f"parentId {parent!r} is not the legacyId of any row.")
            )
            continue
        dataset.links.append(link(record_id, by_legacy[parent], "part of", name, line))
    dataset.records["person"] = people.rows(table.path.name)
    dataset.records["site"] = places.rows(table.path.name)
    return dataset, problems
