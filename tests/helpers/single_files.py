"""Single files as archivists hold them, written by the tests themselves (no third-party file
is copied): an opis in cp1251 from Russian Excel, a German XLSX, Excel's UTF-16 "Unicode
text", EAD 2002 (with and without namespace), EAD3, EAD(DDB) and AtoM's ISAD(G) CSV.

The content is invented for the tests except where a row cites a file the bundled archive
cites too (ГАЛО, f. 2176, op. 1, d. 1), so Find by citation can meet both."""

from __future__ import annotations

from pathlib import Path

OPIS_ROWS = [
    ["Фонд", "Опись", "Дело", "Заголовок", "Крайние даты", "Листов", "Персоналии"],
    ["2176", "1", "1", "Переписка о лётной школе в Липецке", "1925-1933", "45", "Берзин Я. К."],
    ["2176", "1", "2", "Приказы по авиабазе", "1926", "12", "Берзин Я. К.; Фишер В."],
    ["2176", "1", "3", "Сметы на строительство ангаров", "1927-1928", "30", ""],
]
OPIS_ARCHIVE = "ГАЛО"


def write_opis_cp1251(path: Path, rows: list[list[str]] | None = None) -> Path:
    """Semicolons, CRLF, Windows-1251: "CSV (разделители — точка с запятой)" of Russian Excel;
    the archive column holds ГАЛО so the citation is composed with it."""
    import csv
    import io

    rows = rows if rows is not None else OPIS_ROWS
    header, *body = rows
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Архив", *header])
    writer.writerows([OPIS_ARCHIVE, *row] for row in body)
    path.write_bytes(text.getvalue().encode("cp1251"))
    return path


GERMAN_ROWS = [
    ["Archiv", "Signatur", "Titel", "Laufzeit", "Enthält", "Personen", "Orte"],
    [
        "BArch",
        "RW 5/234",
        "Abwehrakte Niedermayer",
        "1929",
        "Berichte aus Moskau",
        "Oskar von Niedermayer",
        "Moskau",
    ],
    [
        "BArch",
        "RH 12-1/45",
        "Panzerschule Kama, Berichte",
        "1929-1933",
        "Lehrgänge",
        "Oskar von Niedermayer",
        "Kasan; Moskau",
    ],
]


def write_german_xlsx(
    path: Path, rows: list[list[object]] | None = None, sheet: str = "Findbuch"
) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "Hinweise"
    first.append(["Dieses Blatt erklärt nur das Findbuch."])
    sheet_ = workbook.create_sheet(sheet)
    for row in rows if rows is not None else GERMAN_ROWS:
        sheet_.append(row)
    workbook.move_sheet(sheet, offset=-1)  # the finding aid is the first sheet
    workbook.save(path)
    return path


UTF16_ROWS = [
    ["Title", "Archive", "Citation", "Date", "Description"],
    [
        "Report on the Kazan tank school",
        "RGVA",
        "RGVA, f. 33987, op. 3, d. 497, ll. 136-140",
        "1923-09",
        "Copy from the reading room",
    ],
    [
        "Letter on the Tomka trials",
        "RGVA",
        "RGVA, f. 4, op. 14, d. 2",
        "summer 1928",
        "Tab\u00a0separated",
    ],
]


def write_utf16_tsv(path: Path) -> Path:
    """Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated, CRLF."""
    text = "\r\n".join("\t".join(row) for row in UTF16_ROWS) + "\r\n"
    path.write_bytes(text.encode("utf-16"))
    return path


EAD2002_NS = "urn:isbn:1-931666-22-9"


def ead2002(namespace: bool = True, ddb: bool = False) -> str:
    """A fonds > series > file hierarchy with unitids, dates, extents and index names."""
    xmlns = f' xmlns="{EAD2002_NS}" xmlns:xlink="http://www.w3.org/1999/xlink"' if namespace else ""
    old = '<unitid type="Altsignatur">II H 123</unitid>' if ddb else ""
    archdesc_level = 'level="collection" type="Findbuch"' if ddb else 'level="fonds"'
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ead{xmlns}>
  <eadheader>
    <eadid>test-ead-1</eadid>
    <filedesc><titlestmt><titleproper>Findbuch zum Bestand RW 5 (Testdaten)</titleproper>
    </titlestmt></filedesc>
  </eadheader>
  <archdesc {archdesc_level}>
    <did>
      <repository><corpname>Bundesarchiv</corpname></repository>
      <unitid>RW 5</unitid>
      <unittitle>Amt Ausland/Abwehr</unittitle>
      <unitdate normal="1920/1945">1920-1945</unitdate>
      <origination><corpname>Reichswehrministerium</corpname></origination>
    </did>
    <scopecontent><head>Inhalt</head><p>Akten der Abwehr (Testbestand).</p></scopecontent>
    <dsc>
      <c01 level="series" id="s1">
        <did><unittitle>Verbindungen nach Moskau</unittitle>
          <unitdate normal="19230101/19331231">1923-1933</unitdate></did>
        <c02 level="file" id="f1">
          <did>
            <unitid>RW 5/234</unitid>{old}
            <unittitle>Berichte Niedermayer</unittitle>
            <unitdate>1929</unitdate>
            <physdesc>120 Blatt</physdesc>
          </did>
          <scopecontent><p>Berichte über die Zentrale Moskau.</p></scopecontent>
          <controlaccess>
            <persname>Niedermayer, Oskar von</persname>
            <geogname>Moskau</geogname>
          </controlaccess>
        </c02>
        <c02 level="file" id="f2">
          <did>
            <unitid>RW 5/235</unitid>
            <unittitle>Lipezk, Fliegerschule</unittitle>
            <unitdate normal="1925/1933">1925-1933</unitdate>
          </did>
          <controlaccess>
            <persname>Niedermayer, Oskar von</persname>
            <geogname>Lipezk</geogname>
          </controlaccess>
        </c02>
      </c01>
    </dsc>
  </archdesc>
</ead>
"""


def write_ead2002(path: Path, namespace: bool = True, ddb: bool = False) -> Path:
    path.write_text(ead2002(namespace, ddb), encoding="utf-8")
    return path


def write_ead3(path: Path) -> Path:
    """EAD3: <control>, structured dates, names made of <part>s, plain <c> components."""
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<ead xmlns="http://ead3.archivists.org/schema/">
  <control>
    <recordid>test-ead3</recordid>
    <filedesc><titlestmt><titleproper>Test finding aid in EAD3</titleproper></titlestmt>
    </filedesc>
    <maintenanceagency><agencyname>RGVA</agencyname></maintenanceagency>
  </control>
  <archdesc level="fonds">
    <did>
      <unitid>f. 33987</unitid>
      <unittitle>Secretariat of the Revolutionary Military Council (test)</unittitle>
      <unitdatestructured><daterange><fromdate standarddate="1918">1918</fromdate>
        <todate standarddate="1934">1934</todate></daterange></unitdatestructured>
    </did>
    <dsc>
      <c level="file">
        <did>
          <unitid>f. 33987, op. 3, d. 497</unitid>
          <unittitle>Reports on the Kazan tank school</unittitle>
          <unitdate normal="1929">1929</unitdate>
        </did>
        <controlaccess>
          <persname><part>Berzin, Yan</part></persname>
          <geogname><part>Kazan</part></geogname>
        </controlaccess>
      </c>
    </dsc>
  </archdesc>
</ead>
""",
        encoding="utf-8",
    )
    return path


ISAD_HEADER = [
    "legacyId",
    "parentId",
    "identifier",
    "title",
    "levelOfDescription",
    "extentAndMedium",
    "repository",
    "scopeAndContent",
    "eventDates",
    "eventStartDates",
    "eventEndDates",
    "eventActors",
    "nameAccessPoints",
    "placeAccessPoints",
]
ISAD_ROWS = [
    [
        "1",
        "",
        "f. 2176",
        "Lipetsk aviation school (test fonds)",
        "Fonds",
        "3 files",
        "GALO",
        "Papers of the school",
        "1925-1933",
        "1925",
        "1933",
        "",
        "",
        "Lipetsk",
    ],
    [
        "2",
        "1",
        "f. 2176, op. 1, d. 7",
        "Hangar plans",
        "File",
        "14 sheets",
        "GALO",
        "Drawings",
        "1927",
        "1927",
        "1927",
        "",
        "Fischer, Walter|Berzin, Yan",
        "Lipetsk",
    ],
]


def write_isad_csv(path: Path) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(ISAD_HEADER)
        writer.writerows(ISAD_ROWS)
    return path


def write_xxe(path: Path) -> Path:
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE ead [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        '<ead><archdesc level="fonds"><did><unittitle>&secret;</unittitle></did>'
        "</archdesc></ead>\n",
        encoding="utf-8",
    )
    return path


def write_billion_laughs(path: Path) -> Path:
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE ead [\n' + "\n".join(entities) + "\n]>\n"
        '<ead><archdesc level="fonds"><did><unittitle>&lol9;</unittitle></did>'
        "</archdesc></ead>\n",
        encoding="utf-8",
    )
    return path
