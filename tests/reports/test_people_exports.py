"""Exports for people (FORMATS.md): what a team lead downloads from the dashboard and from a
drill-down list opens in German Excel as the page shows it."""

import csv
import json
from datetime import date, datetime
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from openpyxl import load_workbook

from privacy.models import ExportRecord
from reports.people_exports import (
    COUNT,
    DATE,
    RATE,
    RATIO,
    TEXT,
    Download,
    Table,
    csv_cell,
    xlsx,
)
from reports.services import snapshot_compute
from tests.factories import (
    CohortFactory,
    EmployerFactory,
    EnrolmentFactory,
    IntegrationFactory,
    ProgrammeFactory,
    SiteFactory,
)

START = date(2025, 3, 3)
JOB_START = date(2025, 4, 1)
FORMULA_SITE = '=HYPERLINK("http://x")'
FORMULA_NAME = "=cmd|' /C calc'!A0"
SHEETS = ["Gesamt", "Nach Standort", "Nach Format", "Nach Gruppe", "Nach Eintrittsquartal",
          "Nach Zielgruppe", "Austrittsgründe der Eintritte", "Abbruchgründe"]


def url(name, jobcenter="jc-a"):
    return reverse(name, kwargs={"jc": jobcenter})


@pytest.fixture
def figures(team_lead):
    """8 entrants in 2025: 3 integrated at a bakery (one a refugee), 2 dropouts for health
    (one with a name that looks like a formula), 3 still active; the snapshot computed."""
    jobcenter = team_lead.jobcenter
    cohort = CohortFactory(
        code="WA-DO-2025-01", planned_start=START,
        programme=ProgrammeFactory(jobcenter=jobcenter, name="Werkakademie"),
        site=SiteFactory(jobcenter=jobcenter, name=FORMULA_SITE))
    bakery = EmployerFactory(jobcenter=jobcenter, name="Bäckerei Öztürk")
    for n in range(3):
        enrolment = EnrolmentFactory(cohort=cohort, participant__refugee=n == 0,
                                     participant__last_name=f"Arbeit {n}")
        IntegrationFactory(enrolment=enrolment, start_on=JOB_START, employer=bakery)
    for name in (FORMULA_NAME, "Becker"):
        EnrolmentFactory(cohort=cohort, participant__last_name=name,
                         exit_on=date(2025, 3, 20), exit_reason="dropout",
                         dropout_reason="health")
    for n in range(3):
        EnrolmentFactory(cohort=cohort, participant__last_name=f"Aktiv {n}")
    with scope(jobcenter=jobcenter):
        snapshot_compute(jobcenter=jobcenter, as_of=timezone.localdate())
    return team_lead


def download(client, name, **query):
    response = client.get(url(name), query)
    assert response.status_code == 200, response.content[:500]
    return response


def workbook_of(response):
    return load_workbook(BytesIO(response.content))


def rows_of(sheet):
    """The values of each row, without the empty cells at its end."""
    rows = []
    for row in sheet.iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        rows.append(values)
    return rows


def header_row(sheet) -> int:
    """The row of the bold header, below the rows that name jobcenter, list and period."""
    return next(row[0].row for row in sheet.iter_rows() if row[0].font.bold)


def table_of(sheet) -> list[dict]:
    """The rows below the header as {header: cell}."""
    first = header_row(sheet)
    header = [cell.value for cell in sheet[first]]
    return [dict(zip(header, row, strict=False)) for row in sheet.iter_rows(min_row=first + 1)]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def attachment(response) -> str:
    return response["Content-Disposition"].removeprefix('attachment; filename="').rstrip('"')


# The dashboard ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_workbook_speaks_german_with_percentages_and_dates(client, figures):
    client.force_login(figures.user)

    response = download(client, "reports:export", format="xlsx", period="2025")

    assert attachment(response) == "auswertung-jobcenter-a-stadt-2025.xlsx"
    workbook = workbook_of(response)
    assert workbook.sheetnames == SHEETS
    total = workbook["Gesamt"]
    assert rows_of(total)[:2] == [["Jobcenter", "Jobcenter A-Stadt"],
                                  ["Zeitraum", "2025 (01.01.2025–31.12.2025)"]]
    assert total["A3"].value == "Stand"
    assert total["B3"].value.date() == timezone.localdate()
    assert total["B3"].number_format == "DD.MM.YYYY"
    assert rows_of(total)[header_row(total) - 1] == ["Kennzahl", "Wert"]
    values = {row["Kennzahl"].value: row["Wert"] for row in table_of(total)}
    assert values["Eintritte"].value == 8 and values["Eintritte"].data_type == "n"
    assert values["Integriert"].value == 3 and values["Abbrüche"].value == 2
    assert values["Integrationsquote"].value == pytest.approx(0.375)
    assert values["Integrationsquote"].number_format == "0.0 %"
    assert values["Abbruchquote"].number_format == "0.0 %"
    assert values["Median Tage bis zur Integration"].value == 29
    assert "integration_rate" not in str(rows_of(total))

    sites = workbook["Nach Standort"]
    [site] = table_of(sites)
    header = [cell.value for cell in sites[header_row(sites)]]
    assert header[:6] == ["Standort", "Zugewiesen", "Nicht angetreten", "Eintritte",
                          "Integriert", "Abbrüche"]
    assert site["Standort"].value == "'" + FORMULA_SITE and site["Standort"].data_type == "s"
    assert site["Integrationsquote"].number_format == "0.0 %"
    assert site["Eintritte"].value == 8
    targets = {row["Zielgruppe"].value: row["Eintritte"].value
               for row in table_of(workbook["Nach Zielgruppe"])}
    assert targets == {"Geflüchtete": 1, "25 bis 49 Jahre": 8}
    [quarter] = table_of(workbook["Nach Eintrittsquartal"])
    assert quarter["Quartal"].value == "1. Quartal 2025"
    [reason] = table_of(workbook["Abbruchgründe"])
    assert (reason["Grund"].value, reason["Teilnahmen"].value) == ("gesundheitliche Gründe", 2)
    assert not any(cell.data_type == "f" for sheet in workbook for row in sheet.iter_rows()
                   for cell in row)


@pytest.mark.django_db
def test_the_dashboard_csv_is_semicolons_decimal_commas_and_a_bom(client, figures):
    client.force_login(figures.user)

    response = download(client, "reports:export", format="csv", period="2025")

    assert attachment(response) == "auswertung-jobcenter-a-stadt-2025.csv"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeffJobcenter;Jobcenter A-Stadt".encode())
    rows = csv_rows(response)
    assert rows[1] == ["Zeitraum", "2025 (01.01.2025–31.12.2025)"]
    assert rows[2] == ["Stand", timezone.localdate().strftime("%d.%m.%Y")]
    assert rows[3] == []
    header = rows[4]
    assert header[:5] == ["Gliederung", "Bezeichnung", "Zugewiesen", "Nicht angetreten",
                          "Eintritte"]
    table = [dict(zip(header, row, strict=True)) for row in rows[5:]]
    total = table[0]
    assert (total["Gliederung"], total["Bezeichnung"]) == ("Gesamt", "Jobcenter A-Stadt")
    assert total["Eintritte"] == "8" and total["Integriert"] == "3"
    assert total["Integrationsquote"] == "37,5 %" and total["Abbruchquote"] == "25,0 %"
    assert total["Bewerbungen je Eintritt"] == "0,0"
    assert total["Nach 12 Monaten noch beschäftigt"] == ""  # nothing to divide by
    site = next(row for row in table if row["Gliederung"] == "Nach Standort")
    assert site["Bezeichnung"] == "'" + FORMULA_SITE
    groups = {(row["Gliederung"], row["Bezeichnung"]) for row in table}
    assert {("Nach Zielgruppe", "Geflüchtete"), ("Nach Eintrittsquartal", "1. Quartal 2025"),
            ("Nach Format", "Werkakademie"), ("Nach Gruppe", "WA-DO-2025-01")} <= groups
    text = response.content.decode("utf-8-sig")
    assert "0.375" not in text and "integration_rate" not in text and "refugee" not in text


# Drill-down lists --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dropout_list_shows_and_exports_the_reason(client, figures):
    client.force_login(figures.user)
    query = {"metric": "dropped_out", "period": "2025"}

    page = download(client, "reports:drilldown", **query).content.decode()
    assert ">Abbruchgrund</th>" in page and "gesundheitliche Gründe" in page
    assert "format=csv" in page and "format=xlsx" in page

    response = download(client, "reports:drilldown", format="xlsx", **query)
    assert attachment(response) == "abbrueche-jobcenter-a-stadt-2025.xlsx"
    [sheet] = workbook_of(response).worksheets
    assert sheet.title == "Abgebrochen"
    assert rows_of(sheet)[:3] == [["Jobcenter", "Jobcenter A-Stadt"], ["Liste", "Abgebrochen"],
                                  ["Zeitraum", "2025 (01.01.2025–31.12.2025)"]]
    assert [cell.value for cell in sheet[header_row(sheet)]] == [
        "Name", "Kundennummer", "Gruppe", "Eintritt", "Austritt", "Austrittsgrund",
        "Abbruchgrund"]
    rows = table_of(sheet)
    assert [row["Abbruchgrund"].value for row in rows] == ["gesundheitliche Gründe"] * 2
    assert {row["Austrittsgrund"].value for row in rows} == {"Abbruch"}
    exit_cell = rows[0]["Austritt"]
    assert exit_cell.value == datetime(2025, 3, 20) and exit_cell.number_format == "DD.MM.YYYY"
    names = [row["Name"] for row in rows]
    formula = next(cell for cell in names if FORMULA_NAME in cell.value)
    assert formula.value.startswith("'=") and formula.data_type == "s"

    response = download(client, "reports:drilldown", format="csv", **query)
    assert attachment(response) == "abbrueche-jobcenter-a-stadt-2025.csv"
    rows = csv_rows(response)
    assert rows[5] == ["Name", "Kundennummer", "Gruppe", "Eintritt", "Austritt",
                       "Austrittsgrund", "Abbruchgrund"]
    listed = {row[0]: row for row in rows[6:]}
    assert len(listed) == 2
    formula_row = next(row for name, row in listed.items() if FORMULA_NAME in name)
    assert formula_row[0].startswith("'=")
    assert formula_row[3:] == ["03.03.2025", "20.03.2025", "Abbruch", "gesundheitliche Gründe"]


@pytest.mark.django_db
def test_the_integrated_list_shows_and_exports_job_start_and_employer(client, figures):
    client.force_login(figures.user)
    query = {"metric": "integrated", "period": "2025"}

    page = download(client, "reports:drilldown", **query).content.decode()
    for text in (">Arbeitsaufnahme</th>", ">Arbeitgeber</th>", "01.04.2025", "Bäckerei Öztürk"):
        assert text in page, text
    assert ">Abbruchgrund</th>" not in page

    response = download(client, "reports:drilldown", format="xlsx", **query)
    assert attachment(response) == "integrationen-jobcenter-a-stadt-2025.xlsx"
    [sheet] = workbook_of(response).worksheets
    rows = table_of(sheet)
    assert len(rows) == 3
    for row in rows:
        assert row["Arbeitsaufnahme"].value == datetime(2025, 4, 1)
        assert row["Arbeitsaufnahme"].number_format == "DD.MM.YYYY"
        assert row["Arbeitgeber"].value == "Bäckerei Öztürk"

    rows = csv_rows(download(client, "reports:drilldown", format="csv", **query))
    assert rows[5] == ["Name", "Kundennummer", "Gruppe", "Eintritt", "Arbeitsaufnahme",
                       "Arbeitgeber", "Austritt", "Austrittsgrund"]
    assert {tuple(row[3:6]) for row in rows[6:]} == {
        ("03.03.2025", "01.04.2025", "Bäckerei Öztürk")}


@pytest.mark.django_db
def test_a_groups_list_says_which_group_in_words_and_in_its_file_name(client, figures):
    client.force_login(figures.user)
    query = {"metric": "integrated", "period": "2025", "dimension": "target_group",
             "key": "refugee"}

    page = download(client, "reports:drilldown", **query).content.decode()
    assert "<h1>Integriert: Geflüchtete</h1>" in page

    response = download(client, "reports:drilldown", format="xlsx", **query)
    assert attachment(response) == "integrationen-gefluechtete-jobcenter-a-stadt-2025.xlsx"
    [sheet] = workbook_of(response).worksheets
    assert sheet["B2"].value == "Integriert: Geflüchtete"
    assert len(table_of(sheet)) == 1


@pytest.mark.django_db
def test_every_download_is_in_the_record_of_processing(client, figures):
    client.force_login(figures.user)
    for fmt in ("xlsx", "csv"):
        download(client, "reports:export", format=fmt, period="2025")
        download(client, "reports:drilldown", format=fmt, metric="dropped_out", period="2025")

    with scope(jobcenter=figures.jobcenter):
        records = ExportRecord.objects.all()
        assert sorted(r.kind for r in records) == ["drilldown_csv", "drilldown_xlsx",
                                                   "report_csv", "report_xlsx"]
        assert {r.user_id for r in records} == {figures.user.pk}
        assert str(records.get(kind="drilldown_csv")).startswith("Liste der Teilnahmen als CSV")


# Who may download -------------------------------------------------------------------------


EXPORTS = [("reports:export", {"format": "xlsx"}), ("reports:export", {"format": "csv"}),
           ("reports:drilldown", {"format": "xlsx", "metric": "entrants"}),
           ("reports:drilldown", {"format": "csv", "metric": "entrants"})]


@pytest.mark.django_db
def test_another_jobcenters_team_lead_gets_404(client, figures, outsider):
    client.force_login(outsider.user)
    for name, query in EXPORTS:
        assert client.get(url(name), query).status_code == 404, (name, query)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coach", "employer_service", "jc_admin"])
def test_roles_without_the_right_to_export_get_403_and_nothing_is_recorded(
        client, figures, role, request):
    client.force_login(request.getfixturevalue(role).user)
    for name, query in EXPORTS:
        assert client.get(url(name), query).status_code == 403, (role, name, query)
    with scope(jobcenter=figures.jobcenter):
        assert not ExportRecord.objects.exists()


# The command keeps its machine format -------------------------------------------------------


@pytest.mark.django_db
def test_the_command_still_writes_keys_and_dot_decimals(figures, tmp_path):
    text = _command("--format", "csv")
    assert text.startswith("dimension,key,assigned,entrants,")
    row = next(csv.DictReader(StringIO(text)))
    assert row["dimension"] == "cohort" and row["integration_rate"] == "0.375"

    document = json.loads(_command("--format", "json"))
    assert document["totals"]["integration_rate"] == 0.375
    assert "refugee" in {row["key"] for row in document["groups"]["target_group"]}

    path = tmp_path / "bericht.xlsx"
    _command("--format", "xlsx", "--output", str(path))
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["totals", "cohort", "site", "programme", "quarter",
                                   "target_group"]
    assert workbook["totals"]["A1"].value == "field"


def _command(*args) -> str:
    out = StringIO()
    call_command("export_report", "--jobcenter", "jc-a", *args, stdout=out)
    return out.getvalue()


# Cells for German Excel --------------------------------------------------------------------


@pytest.mark.parametrize(("value", "kind", "expected"), [
    (0.8873239436619719, RATE, "88,7 %"),
    (0.375, RATE, "37,5 %"),
    (0.0005, RATE, "0,1 %"),  # half-up, as the dashboard rounds
    (1, RATE, "100,0 %"),
    (1.25, RATIO, "1,3"),
    (25, COUNT, "25"),
    (date(2025, 3, 4), DATE, "04.03.2025"),
    (None, RATE, ""),
    ("=SUM(A1)", TEXT, "'=SUM(A1)"),
    ("-1+1", TEXT, "'-1+1"),
    ("@x", TEXT, "'@x"),
    ("+49 231", TEXT, "'+49 231"),
    ("Düsseldorf", TEXT, "Düsseldorf"),
])
def test_a_csv_cell_reads_as_german_excel_expects(value, kind, expected):
    assert csv_cell(value, kind) == expected


def test_a_workbook_drops_what_xml_cannot_hold_and_keeps_numbers_and_dates():
    table = Table("Liste", ["Name", "Eintritt", "Tage", "Quote"],
                  [[("Ayşe \x01Yılmaz", TEXT), (date(2024, 3, 4), DATE), (42, COUNT),
                    (0.5, RATE)], [("Becker", TEXT), (None, DATE), (None, COUNT), (None, RATE)]])
    book = load_workbook(BytesIO(xlsx(Download("liste", [("Stand", (date(2024, 5, 1), DATE))],
                                                [table], table))))

    [sheet] = book.worksheets
    assert rows_of(sheet)[2] == ["Name", "Eintritt", "Tage", "Quote"]
    assert sheet.freeze_panes == "B4"  # the header and the names stay in view
    assert sheet["A4"].value == "Ayşe Yılmaz"
    assert sheet["B4"].value == datetime(2024, 3, 4) and sheet["B4"].number_format == "DD.MM.YYYY"
    assert sheet["C4"].value == 42 and sheet["C4"].data_type == "n"
    assert sheet["D4"].value == 0.5 and sheet["D4"].number_format == "0.0 %"
    assert rows_of(sheet)[4] == ["Becker"]
