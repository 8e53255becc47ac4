"""The report export of FORMATS.md: the document, its three formats and the command."""

import csv
import json
from datetime import date, timedelta
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope
from openpyxl import load_workbook

from employers.models import FollowUp
from imports.engine import run_import
from imports.enrolments import ENROLMENTS
from participants.models import Enrolment
from reports.engine import daily_counters, population
from reports.exports import (
    FIELDS,
    csv_bytes,
    report_document,
    safe_cell,
    to_csv,
    to_json,
    to_xlsx,
)
from reports.rollup import report
from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    FollowUpFactory,
    GroupSessionFactory,
    IntegrationFactory,
    JobcenterFactory,
    ProgrammeFactory,
    SiteFactory,
)

TOTALS = [
    "assigned", "entrants", "integrated", "dropped_out", "transferred", "completed",
    "other_exit", "active", "integration_rate", "dropout_rate", "transfer_rate",
    "completed_rate", "other_exit_rate", "active_rate", "positive_rate",
    "median_days_to_integration", "sustainability_rate_12m", "followups_unknown",
    "attendance_rate", "unexcused_rate",
]
DIMENSIONS = ["cohort", "site", "programme", "quarter", "target_group"]
AS_OF = date(2025, 12, 31)

HEADER = ["cohort_code", "programme", "site", "cohort_start", "cohort_end", "customer_number",
          "first_name", "last_name", "birth_year", "assigned_on", "joined_on", "exit_on",
          "exit_reason", "dropout_reason", "integration_kind", "integration_start_on"]
COHORT_2024 = ["WA-DO-2024-03", "Werkakademie", "Dortmund Mitte", "04.03.2024", "12.04.2024"]
COHORT_2025 = ["WA-DO-2025-01", "Werkakademie", "Dortmund Nord", "06.01.2025", "14.02.2025"]


def person(cohort, n, *, exit_on="", exit_reason="", dropout_reason="", kind="", start=""):
    return [*cohort, f"123D{n:06d}", "Vorname", f"Nachname {n}", "1985", cohort[3],
            cohort[3], exit_on, exit_reason, dropout_reason, kind, start]


def worked_example():
    """METRICS.md: 25 entrants, all exited: 11 integrated (job started 15.04.2024, three
    days after the exit), 11 dropouts, 3 regular ends."""
    rows = [person(COHORT_2024, n, exit_on="12.04.2024", exit_reason="job",
                   kind="employment", start="15.04.2024") for n in range(11)]
    rows += [person(COHORT_2024, n, exit_on="20.03.2024", exit_reason="dropout",
                    dropout_reason="no_show") for n in range(11, 22)]
    rows += [person(COHORT_2024, n, exit_on="12.04.2024", exit_reason="completed")
             for n in range(22, 25)]
    return rows


def import_rows(jobcenter, rows):
    text = StringIO()
    csv.writer(text).writerows([HEADER, *rows])
    with scope(jobcenter=jobcenter):
        result = run_import(ENROLMENTS, jobcenter=jobcenter,
                            file=BytesIO(text.getvalue().encode()), filename="liste.csv")
    assert result.errors == []
    return result


def export(*args):
    out = StringIO()
    call_command("export_report", *args, stdout=out)
    return out.getvalue()


def export_json(*args):
    return json.loads(export("--jobcenter", "jc-a", *args))


def document_of(jobcenter, *, as_of=AS_OF, start=None, end=None):
    with scope(jobcenter=jobcenter):
        counters = daily_counters(population(jobcenter), as_of)
    return report_document(jobcenter=jobcenter, as_of=as_of, start=start, end=end,
                           report=report(counters, start, end))


@pytest.fixture
def example(jobcenter_a):
    import_rows(jobcenter_a, worked_example())
    return jobcenter_a


# The document --------------------------------------------------------------------------


def test_the_fields_are_those_of_formats_md_in_their_order():
    assert list(FIELDS) == TOTALS


@pytest.mark.django_db
def test_an_empty_jobcenter_gives_the_full_shape_with_null_rates(jobcenter_a):
    document = export_json("--as-of", "2025-12-31")

    assert list(document) == ["jobcenter", "as_of", "period", "totals", "groups"]
    assert document["jobcenter"] == "jc-a"
    assert document["as_of"] == "2025-12-31"
    assert document["period"] == {"from": None, "to": None}
    assert list(document["period"]) == ["from", "to"]
    assert list(document["totals"]) == TOTALS
    assert document["groups"] == {dimension: [] for dimension in DIMENSIONS}
    assert list(document["groups"]) == DIMENSIONS
    totals = document["totals"]
    assert totals["entrants"] == 0
    for name in TOTALS:
        if name.endswith("_rate") or name == "sustainability_rate_12m":
            assert totals[name] is None, name
    assert totals["median_days_to_integration"] is None


@pytest.mark.django_db
def test_the_worked_example_in_the_json_export(example):
    document = export_json("--as-of", "2025-12-31", "--from", "2024-01-01",
                           "--to", "2024-12-31")

    assert document["period"] == {"from": "2024-01-01", "to": "2024-12-31"}
    totals = document["totals"]
    assert (totals["entrants"], totals["assigned"], totals["integrated"],
            totals["dropped_out"], totals["completed"], totals["active"]) == (25, 25, 11, 11, 3, 0)
    assert totals["integration_rate"] == pytest.approx(0.44)
    assert totals["dropout_rate"] == pytest.approx(0.44)
    assert totals["completed_rate"] == pytest.approx(0.12)
    assert totals["positive_rate"] == pytest.approx(0.44)
    assert totals["transfer_rate"] == 0 and totals["active_rate"] == 0
    assert totals["median_days_to_integration"] == 42  # 04.03. → 15.04.2024
    assert totals["attendance_rate"] is None  # no sessions: nothing to divide by

    groups = document["groups"]
    assert list(groups) == DIMENSIONS
    for dimension in DIMENSIONS:
        for row in groups[dimension]:
            assert list(row) == ["key", *TOTALS], dimension
    [cohort] = groups["cohort"]
    assert cohort == {"key": "WA-DO-2024-03", **totals}
    assert [row["key"] for row in groups["site"]] == ["Dortmund Mitte"]
    assert [row["key"] for row in groups["programme"]] == ["Werkakademie"]
    assert [(row["key"], row["entrants"]) for row in groups["quarter"]] == [("2024-Q1", 25)]
    ages = {row["key"]: row["entrants"] for row in groups["target_group"]}
    assert ages == {"age_25_49": 25}


@pytest.mark.django_db
def test_the_period_is_by_entry(example):
    import_rows(example, [person(COHORT_2025, n) for n in range(100, 104)]
                + [person(COHORT_2025, 104, exit_on="20.01.2025", exit_reason="transfer")])

    whole = export_json("--as-of", "2025-12-31")
    in_2024 = export_json("--as-of", "2025-12-31", "--from", "2024-01-01", "--to", "2024-12-31")
    in_2025 = export_json("--as-of", "2025-12-31", "--from", "01.01.2025")

    assert whole["totals"]["entrants"] == 30
    assert whole["totals"]["integration_rate"] == pytest.approx(11 / 30)
    assert [row["key"] for row in whole["groups"]["cohort"]] == ["WA-DO-2024-03",
                                                                 "WA-DO-2025-01"]
    assert in_2024["totals"]["entrants"] == 25
    assert [row["key"] for row in in_2024["groups"]["cohort"]] == ["WA-DO-2024-03"]
    assert in_2025["period"] == {"from": "2025-01-01", "to": None}
    totals = in_2025["totals"]
    assert (totals["entrants"], totals["active"], totals["transferred"]) == (5, 4, 1)
    assert totals["integration_rate"] == 0
    assert totals["positive_rate"] == pytest.approx(0.2)
    assert [row["key"] for row in in_2025["groups"]["site"]] == ["Dortmund Nord"]


@pytest.mark.django_db
def test_as_of_before_the_job_starts_they_are_not_integrated(example):
    # 14.04.2024: everyone has left, the jobs start on 15.04.: the `job` exits are completed.
    totals = export_json("--as-of", "14.04.2024")["totals"]

    assert (totals["integrated"], totals["dropped_out"], totals["completed"]) == (0, 11, 14)
    assert totals["integration_rate"] == 0
    assert totals["completed_rate"] == pytest.approx(0.56)
    assert totals["median_days_to_integration"] is None


@pytest.mark.django_db
def test_the_default_is_today_and_json_on_stdout(example):
    document = export_json()
    assert document["as_of"] == timezone.localdate().isoformat()
    assert document["totals"]["entrants"] == 25


def test_json_keeps_umlauts_and_is_indented():
    text = to_json({"key": "Düsseldorf"})
    assert text == '{\n  "key": "Düsseldorf"\n}'


# CSV --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_csv_has_a_row_per_group_row_with_the_json_values(example):
    document = document_of(example)

    text = export("--jobcenter", "jc-a", "--as-of", "2025-12-31", "--format", "csv")

    assert text.splitlines()[0] == ",".join(["dimension", "key", *TOTALS])
    rows = list(csv.DictReader(StringIO(text)))
    expected = [(dimension, row["key"], row)
                for dimension in DIMENSIONS for row in document["groups"][dimension]]
    assert [(r["dimension"], r["key"]) for r in rows] == [(d, k) for d, k, _ in expected]
    for row, (_, _, figures) in zip(rows, expected, strict=True):
        for name in TOTALS:
            value = figures[name]
            if value is None:
                assert row[name] == "", name
            else:
                assert float(row[name]) == pytest.approx(value), name
    assert rows[0]["dimension"] == "cohort" and rows[0]["integration_rate"] == "0.44"


@pytest.mark.django_db
def test_csv_file_has_a_bom_for_excel(example, tmp_path):
    path = tmp_path / "bericht.csv"

    export("--jobcenter", "jc-a", "--format", "csv", "--output", str(path))

    data = path.read_bytes()
    assert data.startswith("\ufeffdimension,key,".encode())
    assert data == csv_bytes(document_of(example, as_of=timezone.localdate()))


# XLSX -------------------------------------------------------------------------------------


def sheet_rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_xlsx_has_a_totals_sheet_and_one_per_dimension(example, tmp_path):
    path = tmp_path / "bericht.xlsx"

    output = export("--jobcenter", "jc-a", "--as-of", "2025-12-31", "--from", "2024-01-01",
                    "--format", "xlsx", "--output", str(path))

    assert str(path) in output
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["totals", *DIMENSIONS]
    totals = workbook["totals"]
    assert sheet_rows(totals)[0] == ["field", "value"]
    assert totals["A1"].font.bold and totals.freeze_panes == "A2"
    values = {row[0]: row[1] for row in sheet_rows(totals)[1:]}
    assert values["jobcenter"] == "jc-a"
    assert values["as_of"].date() == date(2025, 12, 31)
    assert values["from"].date() == date(2024, 1, 1) and values["to"] is None
    expected = document_of(example, start=date(2024, 1, 1))["totals"]
    assert {name: values[name] for name in TOTALS} == expected
    rate_cell = next(row[1] for row in totals.iter_rows() if row[0].value == "integration_rate")
    assert rate_cell.value == pytest.approx(0.44) and rate_cell.number_format == "0%"
    entrants_cell = next(row[1] for row in totals.iter_rows() if row[0].value == "entrants")
    assert entrants_cell.value == 25 and entrants_cell.data_type == "n"

    cohorts = workbook["cohort"]
    assert sheet_rows(cohorts)[0] == ["key", *TOTALS]
    assert cohorts.freeze_panes == "A2"
    [row] = sheet_rows(cohorts)[1:]
    assert row[0] == "WA-DO-2024-03" and dict(zip(TOTALS, row[1:], strict=True)) == expected
    assert cohorts.cell(row=2, column=2 + TOTALS.index("dropout_rate")).number_format == "0%"
    assert sheet_rows(workbook["quarter"])[1][0] == "2024-Q1"


@pytest.mark.django_db
def test_an_empty_report_still_has_every_sheet(jobcenter_a):
    workbook = load_workbook(BytesIO(to_xlsx(document_of(jobcenter_a))))
    assert workbook.sheetnames == ["totals", *DIMENSIONS]
    assert sheet_rows(workbook["site"]) == [["key", *TOTALS]]


# Formula injection ------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
    ("+49 231", "'+49 231"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("WA-DO-2024", "WA-DO-2024"),
    ("", ""),
    (0.44, 0.44),
    (25, 25),
    (None, None),
    (date(2024, 3, 4), date(2024, 3, 4)),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.django_db
def test_names_that_look_like_formulas_are_written_as_text(jobcenter_a):
    cohort = CohortFactory(
        programme=ProgrammeFactory(jobcenter=jobcenter_a, name="@SUM(1+1)"),
        site=SiteFactory(jobcenter=jobcenter_a, name='=HYPERLINK("x")'),
        code="+WA-1", planned_start=date(2024, 3, 4), planned_end=date(2024, 4, 12))
    EnrolmentFactory(cohort=cohort, joined_on=date(2024, 3, 4))
    document = document_of(jobcenter_a)
    assert document["groups"]["site"][0]["key"] == '=HYPERLINK("x")'  # JSON is data

    rows = {r["dimension"]: r for r in csv.DictReader(StringIO(to_csv(document)))}
    assert rows["site"]["key"] == "'=HYPERLINK(\"x\")"
    assert rows["cohort"]["key"] == "'+WA-1"
    assert rows["programme"]["key"] == "'@SUM(1+1)"
    assert rows["site"]["entrants"] == "1"

    workbook = load_workbook(BytesIO(to_xlsx(document)))
    for dimension, key in (("site", "'=HYPERLINK(\"x\")"), ("cohort", "'+WA-1"),
                           ("programme", "'@SUM(1+1)")):
        sheet = workbook[dimension]
        assert sheet["A2"].value == key and sheet["A2"].data_type == "s"
        assert sheet["B2"].data_type == "n" and sheet["C2"].value == 1  # assigned, entrants
    assert not any(cell.data_type == "f" for sheet in workbook for row in sheet.iter_rows()
                   for cell in row)


# The command's refusals ---------------------------------------------------------------------


def refused(*args):
    with pytest.raises(CommandError) as error:
        export(*args)
    return str(error.value)


@pytest.mark.django_db
def test_command_refuses_bad_arguments(jobcenter_a, tmp_path):
    assert "jc-nowhere" in refused("--jobcenter", "jc-nowhere")
    assert "--from" in refused("--jobcenter", "jc-a", "--from", "31.02.2024")
    assert "--as-of" in refused("--jobcenter", "jc-a", "--as-of", "gestern")
    assert "--to" in refused("--jobcenter", "jc-a", "--from", "2024-12-31",
                             "--to", "2024-01-01")
    assert "--output" in refused("--jobcenter", "jc-a", "--format", "xlsx")
    refused("--jobcenter", "jc-a", "--format", "pdf")
    refused("--jobcenter", "jc-a", "--output", str(tmp_path / "missing" / "x.json"))


@pytest.mark.django_db
def test_command_exits_2_on_bad_arguments(jobcenter_a):
    with pytest.raises(CommandError) as error:
        export("--jobcenter", "jc-a", "--to", "2024-13-01")
    assert error.value.returncode == 2


@pytest.mark.django_db
def test_command_sees_only_its_jobcenter(example, jobcenter_b):
    import_rows(jobcenter_b, [person(COHORT_2024, n) for n in range(3)])
    assert export_json()["totals"]["entrants"] == 25
    other = json.loads(export("--jobcenter", "jc-b"))
    assert other["jobcenter"] == "jc-b" and other["totals"]["entrants"] == 3


# The engine's queries do not grow with the data ---------------------------------------------


def fill(jobcenter, *, cohorts: int, people: int):
    """Cohorts with entrants of every outcome, two sessions with attendance, integrations
    with 12-month follow-ups."""
    statuses = ["present", "late", "excused", "unexcused"]
    for c in range(cohorts):
        start = date(2024, 1 + 3 * c, 8)
        cohort = CohortFactory(programme__jobcenter=jobcenter, planned_start=start,
                               planned_end=start + timedelta(days=41))
        sessions = [GroupSessionFactory(cohort=cohort, held_on=start + timedelta(days=d))
                    for d in (0, 7)]
        for n in range(people):
            exit_reason = ["", "job", "dropout", "completed", "transfer"][n % 5]
            enrolment = EnrolmentFactory(
                cohort=cohort, participant__birth_year=1960 + n,
                participant__long_term_unemployed=bool(n % 2),
                exit_on=start + timedelta(days=41) if exit_reason else None,
                exit_reason=exit_reason, dropout_reason="health" if exit_reason == "dropout"
                else "")
            for s, session in enumerate(sessions):
                AttendanceFactory(session=session, enrolment=enrolment,
                                  status=statuses[(n + s) % 4])
            if exit_reason == "job":
                integration = IntegrationFactory(enrolment=enrolment,
                                                 start_on=start + timedelta(days=45))
                FollowUpFactory(integration=integration, due_month=FollowUp.DueMonth.TWELVE,
                                still_employed="yes", checked_on=date(2025, 6, 1))


def queries_of_a_report(jobcenter) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries, scope(jobcenter=jobcenter):
        result = report(daily_counters(population(jobcenter), AS_OF))
    return len(queries.captured_queries), result


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_data():
    small, large = JobcenterFactory(code="jc-small"), JobcenterFactory(code="jc-large")
    fill(small, cohorts=1, people=5)
    fill(large, cohorts=4, people=20)

    small_queries, small_report = queries_of_a_report(small)
    large_queries, large_report = queries_of_a_report(large)

    assert small_report["totals"]["entrants"] == 5
    assert large_report["totals"]["entrants"] == 80
    with scope(jobcenter=large):
        assert Enrolment.objects.filter(jobcenter=large).count() == 80
    assert len(large_report["groups"]["cohort"]) == 4
    assert large_report["totals"]["attendance_rate"] == pytest.approx(0.5)
    assert large_report["totals"]["sustainability_rate_12m"] == 1
    # 5 counted sources × 4 grouped queries (total and target groups, 3 key dimensions) + 1
    assert small_queries == large_queries <= 21


@pytest.mark.django_db
def test_the_command_records_its_export(jobcenter_a):
    from io import StringIO

    from django.core.management import call_command

    from privacy.models import ExportRecord

    call_command("export_report", "--jobcenter", jobcenter_a.code, "--format", "csv",
                 stdout=StringIO())  # outside any scope, as from a shell
    with scope(jobcenter=jobcenter_a):
        record = ExportRecord.objects.get()
    assert (record.kind, record.user, record.parameters["output"]) == ("command_csv", None,
                                                                       "stdout")
