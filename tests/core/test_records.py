"""core.records: the one summary of a record that exports, notebook and citation views share."""

from __future__ import annotations

from archive_browser.core.archive import Archive
from archive_browser.core.records import (
    BulkRecordLookup,
    RecordInfo,
    archive_record_info,
    describe_all,
    missing_record,
    type_label,
    type_of_id,
)


def test_a_record_gone_from_the_archive_keeps_its_id_and_the_type_its_id_names() -> None:
    assert missing_record("person/gone") == RecordInfo("person/gone", "person", "", [])
    assert type_of_id("person/gone") == "person"
    assert type_of_id("no-slash") == ""


def test_type_labels_are_the_record_types_singular_and_unknown_types_stay_readable() -> None:
    assert type_label("person") == "Person"
    assert RecordInfo("site/x", "site", "X").type_label == "Site"
    assert type_label("tag") == "tag"


def test_the_archive_lookup_describes_found_records_in_bulk_and_keeps_missing_ones(
    make_archive,
) -> None:
    path = make_archive(
        {
            "sources.csv": [
                "id,title,kind,archive,citation,summary",
                'source/cited,Report,document,,"RGVA, f. 4, op. 1, d. 2",s',
            ]
        }
    )
    with Archive.open(path) as archive:
        lookup = archive_record_info(archive)
        assert isinstance(lookup, BulkRecordLookup)
        cited, gone = describe_all(["source/cited", "source/gone"], lookup)
    assert cited == RecordInfo("source/cited", "source", "Report", ["RGVA, f. 4, op. 1, d. 2"])
    assert cited.type_label == "Source"
    assert gone == missing_record("source/gone")
