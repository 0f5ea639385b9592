"""Qt models for archival citations: the archive tree, a reading of a pasted citation, and
the records that cite a file.

The models only hold what `core.citations` computed (in a worker); they never query the
archive themselves, except for record titles, read on demand through `title_of`.

PySide6 note (docs/platform.md): `data()` and `headerData()` never call the base class for a
role they do not handle; they return None directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from archive_browser.core.archive.citations import TreeNode
from archive_browser.core.citations import (
    RU,
    Citation,
    Match,
    format_citation,
    load_authority,
    preferred_style,
)
from archive_browser.core.records import type_label, type_of_id
from archive_browser.core.text import paragraph_tooltip
from archive_browser.ui.widgets.table_model import TitledHeader

AnyIndex = QModelIndex | QPersistentModelIndex

RECORD_ID_ROLE = Qt.ItemDataRole.UserRole
MATCH_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_PREFIX_ROLE = Qt.ItemDataRole.UserRole + 2

MATCH_LABELS = {
    Match.SAME: "Same file",
    Match.PROBABLE: "Probable",
    Match.COPY: "Copy/original",
    Match.CANDIDATE: "Candidate",
}
MATCH_EXPLANATIONS = {
    Match.SAME: "Cites exactly the same archival file.",
    Match.PROBABLE: "The same file written differently: a dropped prefix (R-, P-) or "
    "leading zeros.",
    Match.CANDIDATE: "One of the two references leaves out a level (opis, delo...) and agrees "
    "on every level it gives: perhaps the same file.",
    Match.COPY: "The same file in another archive: the original of this copy, or a copy of "
    "this original (a microfilm), as the concordance of copies says.",
}
COPY_LINKS_ROLE = Qt.ItemDataRole.UserRole + 3
_NOT_GIVEN = "—"


def rich_tooltip(text: str) -> str:
    """A tooltip that shows `text` literally: Qt guesses rich text from tags, so escape it."""
    return paragraph_tooltip(text)


def archive_name(archive_id: str | None) -> str:
    """`RGVA` -> `Russian State Military Archive`; the id itself when unknown."""
    if not archive_id:
        return ""
    entry = load_authority().entry(archive_id)
    return entry.name_en if entry is not None else archive_id


def _right_aligned() -> Qt.AlignmentFlag:
    return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


# ------------------------------------------------------------------------------------ tree


class CitationTreeModel(TitledHeader, QAbstractItemModel):
    """Archive > fond > opis > delo, with the number of records citing at or below a node.

    Nodes are addressed by small integers in the indexes' internal id (never a Python object
    pointer, which Qt would not keep alive).
    """

    COLUMNS = ("Archival file", "Records")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._node_of: dict[int, TreeNode] = {}
        self._parent_of: dict[int, int] = {}
        self._children_of: dict[int, list[int]] = {0: []}
        self._id_of_prefix: dict[tuple[str, ...], int] = {}

    def set_roots(self, roots: Sequence[TreeNode]) -> None:
        self.beginResetModel()
        self._node_of, self._parent_of = {}, {}
        self._children_of = {0: []}
        self._id_of_prefix = {}
        for root in roots:
            self._add(root, 0)
        self.endResetModel()

    def _add(self, node: TreeNode, parent_id: int) -> None:
        node_id = len(self._node_of) + 1
        self._node_of[node_id] = node
        self._parent_of[node_id] = parent_id
        self._children_of[node_id] = []
        self._children_of[parent_id].append(node_id)
        self._id_of_prefix[node.key_prefix] = node_id
        for child in node.children:
            self._add(child, node_id)

    @property
    def node_count(self) -> int:
        return len(self._node_of)

    def node_at(self, index: AnyIndex) -> TreeNode | None:
        return self._node_of.get(int(index.internalId())) if index.isValid() else None

    def index_of_prefix(self, key_prefix: tuple[str, ...], column: int = 0) -> QModelIndex:
        node_id = self._id_of_prefix.get(tuple(key_prefix))
        if node_id is None:
            return QModelIndex()
        siblings = self._children_of[self._parent_of[node_id]]
        return self.createIndex(siblings.index(node_id), column, node_id)

    # ---------------------------------------------------------------- Qt model API

    def _id_of(self, index: AnyIndex) -> int:
        return int(index.internalId()) if index.isValid() else 0

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._children_of[self._id_of(parent)][row])

    def parent(self, child: AnyIndex | None = None) -> Any:
        if child is None:  # QObject.parent()
            return super().parent()
        if not child.isValid():
            return QModelIndex()
        parent_id = self._parent_of.get(int(child.internalId()), 0)
        if parent_id == 0:
            return QModelIndex()
        siblings = self._children_of[self._parent_of[parent_id]]
        return self.createIndex(siblings.index(parent_id), 0, parent_id)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children_of.get(self._id_of(parent), ()))

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.COLUMNS)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node_at(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 1:
                return str(node.count)
            if node.copy_links:  # "T120 ⇄ copy of PA AA": the concordance, where it applies
                return f"{node.label}  ⇄ {'; '.join(node.copy_links)}"
            return node.label
        if role == COPY_LINKS_ROLE:
            return node.copy_links
        if role == Qt.ItemDataRole.ToolTipRole:
            return rich_tooltip(self._tooltip(node))
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return _right_aligned()
        if role == KEY_PREFIX_ROLE:
            return node.key_prefix
        return None

    @staticmethod
    def _tooltip(node: TreeNode) -> str:
        noun = "record cites" if node.count == 1 else "records cite"
        where = " › ".join(p for p in node.key_prefix if p) or "no archive named"
        name = archive_name(node.key_prefix[0]) if node.level == "archive" else ""
        head = f"{name} ({where})" if name and name != where else where
        links = "".join(f"\n{link[:1].upper()}{link[1:]}." for link in node.copy_links)
        return f"{head}: {node.count} {noun} this or a file under it.{links}"

    def column_titles(self) -> Sequence[str]:
        return self.COLUMNS


# ------------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class ReadingColumn:
    title: str
    value: Callable[[Citation], str | None]
    tip: str


READING_COLUMNS = (
    ReadingColumn("Archive", lambda c: c.archive, "The archive, by its standard abbreviation."),
    ReadingColumn("Fond", lambda c: c.fond, "Fond (collection; Bestand in German archives)."),
    ReadingColumn("Opis", lambda c: c.opis, "Opis (inventory)."),
    ReadingColumn("Delo", lambda c: c.delo, "Delo (file; Signatur or piece elsewhere)."),
    ReadingColumn("Sheets", lambda c: c.folios, "Sheets (listy), pages or frames."),
)


class CitationReadingModel(TitledHeader, QAbstractTableModel):
    """How the program read a pasted text: one row per citation, one column per level."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.citations: list[Citation] = []

    def set_citations(self, citations: Sequence[Citation]) -> None:
        self.beginResetModel()
        self.citations = list(citations)
        self.endResetModel()

    def citation_at(self, row: int) -> Citation | None:
        return self.citations[row] if 0 <= row < len(self.citations) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.citations)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(READING_COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        citation = self.citation_at(index.row())
        if citation is None:
            return None
        column = READING_COLUMNS[index.column()]
        value = column.value(citation)
        if role == Qt.ItemDataRole.DisplayRole:
            return value or _NOT_GIVEN
        if role == Qt.ItemDataRole.ToolTipRole:
            return rich_tooltip(self._tooltip(citation, column, value))
        return None

    @staticmethod
    def _tooltip(citation: Citation, column: ReadingColumn, value: str | None) -> str:
        if not value:
            return f"{column.title}: not given — files that give it are only candidates."
        if column.title == "Archive":
            system = "" if citation.system == RU else f" ({citation.system})"
            return f"{archive_name(value)}{system}; read from “{citation.text}”."
        return f"{column.tip} Read from “{citation.text}”."

    def column_titles(self) -> list[str]:
        return [c.title for c in READING_COLUMNS]

    def row_title(self, section: int) -> str | None:
        return str(section + 1) if 0 <= section < len(self.citations) else None


# ------------------------------------------------------------------------------------ records


@dataclass(frozen=True)
class CitingRecord:
    record_id: str
    match: Match | None = None  # None: listed under a tree node, no comparison made
    cited_as: Citation | None = None


CITING_COLUMNS = {"match": "Match", "record": "Record", "type": "Type", "cited": "Cited as"}


class CitingRecordsModel(TitledHeader, QAbstractTableModel):
    """Records citing a file (or a tree node): `columns` picks from CITING_COLUMNS' keys.

    Titles are read lazily through `title_of` and kept: a node may list thousands of records
    of which the view shows a screenful.
    """

    def __init__(
        self,
        title_of: Callable[[str], str | None],
        columns: Sequence[str] = ("match", "record", "cited"),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        unknown = set(columns) - set(CITING_COLUMNS)
        if unknown:
            raise ValueError(f"unknown columns: {sorted(unknown)}")
        self.title_of = title_of
        self.columns = tuple(columns)
        self.entries: list[CitingRecord] = []
        self._titles: dict[str, str] = {}

    def set_entries(self, entries: Sequence[CitingRecord]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def entry_at(self, row: int) -> CitingRecord | None:
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def record_ids(self) -> list[str]:
        return [e.record_id for e in self.entries]

    def title(self, record_id: str) -> str:
        title = self._titles.get(record_id)
        if title is None:
            title = self.title_of(record_id) or record_id
            self._titles[record_id] = title
        return title

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entry_at(index.row())
        if entry is None:
            return None
        if role == RECORD_ID_ROLE:
            return entry.record_id
        if role == MATCH_ROLE:
            return entry.match
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return rich_tooltip(self._tooltip(entry, column))
        return None

    def _text(self, entry: CitingRecord, column: str) -> str:
        if column == "match":
            return MATCH_LABELS.get(entry.match, "") if entry.match else ""
        if column == "record":
            return self.title(entry.record_id)
        if column == "type":
            return type_label(type_of_id(entry.record_id))
        return entry.cited_as.text if entry.cited_as else ""

    def _tooltip(self, entry: CitingRecord, column: str) -> str:
        if column == "match" and entry.match:
            return MATCH_EXPLANATIONS.get(entry.match, "")
        if column == "cited" and entry.cited_as:
            cited = entry.cited_as
            return format_citation(cited, preferred_style())
        return f"{self.title(entry.record_id)} ({entry.record_id}). Click to open it."

    def column_titles(self) -> list[str]:
        return [CITING_COLUMNS[c] for c in self.columns]
