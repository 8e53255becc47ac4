from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import Workbook

from imports.tabular import (
    FILE_ROW,
    Column,
    RowError,
    RowReader,
    TabularError,
    choice_map,
    parse_date,
    read_table,
)

COLUMNS = (
    Column("customer_number", ("Kundennummer",), required=True),
    Column("joined_on", ("Eintritt",)),
    Column("gender", ("Geschlecht",)),
)
GENDERS = choice_map([("f", "female"), ("m", "male"), ("d", "diverse")], {"f": ("w",)})


def csv_bytes(text, *, bom=False):
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Zweites Blatt").append(["ignored"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_of(exc_info):
    return exc_info.value.errors


@pytest.mark.parametrize("header", [
    "customer_number", "Customer Number", "customer-number", "CUSTOMER_NUMBER",
    "KUNDENNUMMER", " Kundennummer ", "kunden-nummer",
])
def test_headers_match_without_regard_to_case_blanks_and_separators(header):
    table = read_table(csv_bytes(f"{header}\n123D4\n"), "liste.csv", COLUMNS)
    assert table.headers == {"customer_number": header.strip()}
    assert table.rows[0].cells == {"customer_number": "123D4"}
    assert table.label("customer_number") == header.strip()


@pytest.mark.parametrize("text", [
    "Kundennummer;Eintritt\n123D4;01.03.2024\n",
    "Kundennummer,Eintritt\n123D4,01.03.2024\n",
    'Kundennummer;Eintritt\r\n"123D4";"01.03.2024"\r\n',
])
def test_semicolon_and_comma_csv_are_detected(text):
    table = read_table(csv_bytes(text), "liste.csv", COLUMNS)
    assert table.rows[0].cells == {"customer_number": "123D4", "joined_on": "01.03.2024"}


def test_a_comma_inside_a_semicolon_csv_stays_in_its_cell():
    table = read_table(csv_bytes("Kundennummer;Geschlecht\n123,4;w\n"), "liste.csv", COLUMNS)
    assert table.rows[0].cells["customer_number"] == "123,4"


def test_utf8_with_bom_and_umlauts():
    table = read_table(csv_bytes("Kundennummer;Eintritt\nÖ-123;\n", bom=True), "l.csv", COLUMNS)
    assert table.headers["customer_number"] == "Kundennummer"
    assert table.rows[0].cells["customer_number"] == "Ö-123"


def test_a_file_not_in_utf8_is_a_clear_error():
    with pytest.raises(TabularError) as exc:
        read_table("Kundennummer\nÖ-1\n".encode("cp1252"), "liste.csv", COLUMNS)
    assert errors_of(exc)[0].row == FILE_ROW


def test_empty_rows_are_skipped_and_rows_are_numbered_as_in_excel():
    text = "Kundennummer;Eintritt\n\nA1;\n;\n  ;  \nA2;\n"
    table = read_table(csv_bytes(text), "liste.csv", COLUMNS)
    assert [(r.number, r.cells["customer_number"]) for r in table.rows] == [(3, "A1"), (6, "A2")]


def test_a_quoted_line_break_stays_one_row():
    text = 'Kundennummer;Geschlecht\n"A\n1";f\nA2;m\n'
    table = read_table(csv_bytes(text), "liste.csv", COLUMNS)
    assert [r.number for r in table.rows] == [2, 3]


def test_xlsx_first_sheet_with_date_cells_and_numbers():
    data = xlsx_bytes([
        ["Kundennummer", "Eintritt", "Geschlecht"],
        [12345, datetime(2024, 3, 1), "w"],
        [None, None, None],
        ["A2", "2024-03-04", None],
    ])
    table = read_table(BytesIO(data), "Liste.XLSX", COLUMNS)
    assert [r.number for r in table.rows] == [2, 4]
    first = RowReader(table, table.rows[0])
    assert first.text("customer_number") == "12345"
    assert first.date("joined_on") == date(2024, 3, 1)
    assert first.choice("gender", GENDERS) == "f"
    assert RowReader(table, table.rows[1]).date("joined_on") == date(2024, 3, 4)


def test_a_broken_xlsx_is_a_clear_error():
    with pytest.raises(TabularError) as exc:
        read_table(b"not a zip file", "liste.xlsx", COLUMNS)
    assert errors_of(exc)[0].row == FILE_ROW


def test_an_xlsx_that_unpacks_to_a_huge_size_is_refused(monkeypatch):
    monkeypatch.setattr("imports.tabular.MAX_UNPACKED_BYTES", 1000)
    data = xlsx_bytes([["Kundennummer"], ["A" * 2000]])
    with pytest.raises(TabularError) as exc:
        read_table(data, "liste.xlsx", COLUMNS)
    assert errors_of(exc)[0].row == FILE_ROW


@pytest.mark.parametrize("name", ["liste.xls", "liste.txt", "liste", ""])
def test_other_file_types_are_refused(name):
    with pytest.raises(TabularError) as exc:
        read_table(b"Kundennummer\nA1\n", name, COLUMNS)
    assert len(errors_of(exc)) == 1


def test_unknown_and_missing_columns_are_named():
    with pytest.raises(TabularError) as exc:
        read_table(csv_bytes("Kundenummer;Eintrit\nA1;01.03.2024\n"), "l.csv", COLUMNS)
    unknown, missing = errors_of(exc)
    assert unknown.row == missing.row == 1
    assert unknown.value == "Kundenummer, Eintrit"
    assert "customer_number" in missing.message


def test_a_column_given_twice_is_an_error():
    with pytest.raises(TabularError) as exc:
        read_table(csv_bytes("Kundennummer;customer number\nA1;A2\n"), "l.csv", COLUMNS)
    assert errors_of(exc)[0].column == "customer number"


def test_a_value_without_a_heading_is_an_error():
    with pytest.raises(TabularError) as exc:
        read_table(csv_bytes("Kundennummer;\nA1;\nA2;wer bin ich\n"), "l.csv", COLUMNS)
    assert [(e.row, e.value) for e in errors_of(exc)] == [(3, "wer bin ich")]


def test_limits_on_rows_and_size():
    text = "Kundennummer\n" + "".join(f"A{i}\n" for i in range(11))
    with pytest.raises(TabularError) as exc:
        read_table(csv_bytes(text), "l.csv", COLUMNS, max_rows=10)
    assert errors_of(exc)[0].row == 12
    assert len(read_table(csv_bytes(text), "l.csv", COLUMNS, max_rows=11).rows) == 11
    with pytest.raises(TabularError):
        read_table(BytesIO(csv_bytes(text)), "l.csv", COLUMNS, max_bytes=20)


def test_an_empty_file_is_an_error():
    with pytest.raises(TabularError):
        read_table(b"", "l.csv", COLUMNS)


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-01", date(2024, 3, 1)),
    ("01.03.2024", date(2024, 3, 1)),
    ("1.3.2024", date(2024, 3, 1)),
    (" 29.02.2024 ", date(2024, 2, 29)),
    ("2024-03-01 00:00:00", date(2024, 3, 1)),
    (datetime(2024, 3, 1, 0, 0), date(2024, 3, 1)),
    (date(2024, 3, 1), date(2024, 3, 1)),
    ("", None),
    (None, None),
])
def test_dates_german_iso_and_cells(text, expected):
    assert parse_date(text) == expected


def test_bad_values_become_row_errors_with_row_column_and_value():
    text = "Kundennummer;Eintritt;Geschlecht\nA1;31.02.2024;x\nA2;März;m\nA3;2024-13-01;W\n"
    table = read_table(csv_bytes(text), "l.csv", COLUMNS)
    errors, values = [], []
    for row in table.rows:
        reader = RowReader(table, row)
        values.append((reader.date("joined_on"), reader.choice("gender", GENDERS)))
        errors += reader.errors
    assert values == [(None, ""), (None, "m"), (None, "f")]
    assert [(e.row, e.column, e.value) for e in errors] == [
        (2, "Eintritt", "31.02.2024"), (2, "Geschlecht", "x"),
        (3, "Eintritt", "März"), (4, "Eintritt", "2024-13-01"),
    ]
    assert all(e.message for e in errors)


def test_years_choices_and_multi_choices():
    columns = (Column("year"), Column("tags"), Column("name"))
    text = 'year,tags,name\n1985,"a; B ;a",  x  \n85,a; c,\n'
    table = read_table(csv_bytes(text), "l.csv", columns)
    tags = choice_map([("a", "Alpha"), ("b", "Beta")])
    good, bad = (RowReader(table, row) for row in table.rows)
    assert good.year("year", minimum=1900, maximum=2100) == 1985
    assert good.multi_choice("tags", tags) == ["a", "b"]
    assert good.text("name") == "x"
    assert good.text("name", max_length=0) == ""
    assert bad.year("year") is None
    assert bad.multi_choice("tags", tags) == []
    assert [e.column for e in bad.errors] == ["year", "tags"]
    assert [e.column for e in good.errors] == ["name"]


def test_labels_match_in_english_and_german():
    lookup = choice_map([("dropout", "dropout"), ("completed", "regular end")])
    assert lookup["regularend"] == "completed"
    assert lookup["reguläresende"] == "completed"  # German label from the catalogue


def test_a_row_error_reads_like_the_command_prints_it():
    error = RowError(5, "Eintritt", "31.02.2024", "Dieses Datum gibt es nicht.")
    assert str(error) == "row 5, column Eintritt: Dieses Datum gibt es nicht. (found: '31.02.2024')"
    assert str(RowError(FILE_ROW, "", "", "Leer.")) == "file: Leer."
