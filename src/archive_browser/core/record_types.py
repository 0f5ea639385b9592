"""The four record types, each described once.

Everything generic (the build, the table models, the entity tab, the import) reads these
descriptions instead of having one copy of its logic per type.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str  # the column in the CSV file and in the type's table
    label: str  # the header a user sees
    required: bool = False
    kind: str = "text"  # text | date | number
    shown: bool = False  # a column of the entity tab's table
    searchable: bool = True  # goes into the full-text index (body)
    # An empty cell takes this column's value: a sort name falls back to the name.
    default_from: str | None = None
    # ...turned surname first (`names.sort_name`) rather than copied: "Hans von Seeckt" ->
    # "Seeckt, Hans von" for a person; an organisation keeps its name.
    derive_sort_name: bool = False
    # The column a header click sorts by, when not this one: a name sorts by its sort name.
    sorts_by: str | None = None

    @property
    def order_column(self) -> str:
        """The SQL column that orders this column (and that its index covers)."""
        if self.kind == "date":
            return f"{self.name}_sort"
        return self.sorts_by or self.name


PROVENANCE = (
    Column("seed", "Seed paragraphs", searchable=False),
    Column("added", "Added from reference", searchable=False),
    Column("note", "Editorial note"),
)


@dataclass(frozen=True)
class RecordType:
    name: str  # person | site | event | source
    table: str  # SQL table and CSV file stem
    tab_title: str
    singular: str
    title_column: str
    columns: tuple[Column, ...]
    default_sort: str
    date_column: str | None = None  # an EDTF column that gets sort/earliest/latest/display
    extra_sort_columns: tuple[str, ...] = field(default_factory=tuple)
    # (label, value of the `kind` column) a tab offers to narrow by, beside "All".
    kind_choices: tuple[tuple[str, str], ...] = ()

    @property
    def csv_name(self) -> str:
        return f"{self.table}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return ("id", *(c.name for c in self.columns))

    @property
    def shown_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.shown)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


PERSON = RecordType(
    name="person",
    table="people",
    tab_title="People",
    singular="Person",
    title_column="name",
    default_sort="name",
    kind_choices=(("People", "person"), ("Organisations", "organisation")),
    columns=(
        Column("name", "Name", required=True, shown=True, sorts_by="sort_name"),
        Column("name_ru", "Russian name", shown=True, sorts_by="sort_name_ru"),
        # "Seeckt, Hans von" / "Тухачевский, Михаил Николаевич": written by hand where the
        # name alone cannot give the order (patronymics, "Enver Pasha"); else derived.
        Column(
            "sort_name", "Sort name", searchable=False, default_from="name", derive_sort_name=True
        ),
        Column(
            "sort_name_ru",
            "Russian sort name",
            searchable=False,
            default_from="name_ru",
            derive_sort_name=True,
        ),
        Column("kind", "Kind", required=True, shown=True),
        Column("role", "Role", shown=True),
        Column("nationality", "Nationality"),
        Column("born", "Born", kind="date", searchable=False),
        Column("died", "Died", kind="date", searchable=False),
        Column("summary", "Summary", required=True),
        *PROVENANCE,
    ),
)

SITE = RecordType(
    name="site",
    table="sites",
    tab_title="Sites",
    singular="Site",
    title_column="name",
    default_sort="name",
    date_column="period",
    columns=(
        Column("name", "Name", required=True, shown=True),
        Column("name_ru", "Russian name"),
        Column("kind", "Kind", required=True, shown=True),
        Column("cover_name", "Cover name", shown=True),
        Column("lat", "Latitude", kind="number", searchable=False),
        Column("lon", "Longitude", kind="number", searchable=False),
        Column("period", "Period", kind="date", shown=True, searchable=False),
        Column("distance", "Distance"),
        Column("summary", "Summary", required=True),
        *PROVENANCE,
    ),
)

EVENT = RecordType(
    name="event",
    table="events",
    tab_title="Chronology",
    singular="Event",
    title_column="title",
    default_sort="date",
    date_column="date",
    columns=(
        Column("date", "Date", required=True, kind="date", shown=True, searchable=False),
        Column("title", "Title", required=True, shown=True),
        Column("theme", "Theme", required=True, shown=True),
        Column("summary", "Summary", required=True),
        *PROVENANCE,
    ),
)

SOURCE = RecordType(
    name="source",
    table="sources",
    tab_title="Sources",
    singular="Source",
    title_column="title",
    default_sort="title",
    date_column="date",
    columns=(
        Column("title", "Title", required=True, shown=True),
        Column("kind", "Kind", required=True),
        Column("archive", "Archive", shown=True),
        # Where the holding is (Moscow, Freiburg im Breisgau): an archive's or collection's own
        # city, or a document's when its archive keeps the series elsewhere (the Bundesarchiv's
        # divisions). A document without one takes its archive record's (export.sources).
        Column("place", "Place", searchable=False),
        Column("citation", "Citation", shown=True),
        Column("date", "Date", kind="date", searchable=False),
        Column("author", "Author"),
        # ISO 639-1 code of the document's language (de, ru, en): bibliography exports tell
        # citation processors, which title-case English titles only.
        Column("language", "Language", searchable=False),
        Column("summary", "Summary", required=True),
        *PROVENANCE,
    ),
)

RECORD_TYPES: dict[str, RecordType] = {t.name: t for t in (PERSON, SITE, EVENT, SOURCE)}


def type_of(record_id: str) -> RecordType:
    """`person/seeckt` -> PERSON; KeyError for an id of no known type."""
    prefix, _, _ = record_id.partition("/")
    return RECORD_TYPES[prefix]
