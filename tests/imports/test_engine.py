"""What every list does alike (imports/engine.py), for each kind of list."""

import threading
import time
from dataclasses import dataclass
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_scopes import scope
from openpyxl import Workbook

from cohorts.models import Cohort, Programme
from employers.models import ContactPerson, Employer, FollowUp, Integration
from imports import employers as employer_import
from imports import enrolments as enrolment_import
from imports.employers import EMPLOYERS
from imports.engine import ImportResult, example_csv, run_import
from imports.enrolments import ENROLMENTS
from jobcenters.models import Jobcenter, Site
from participants.models import Enrolment, Participant
from tests.conftest import require
from tests.imports import test_employer_import as employer_tests
from tests.imports import test_enrolment_import as enrolment_tests


@dataclass
class Case:
    """A kind of list with a good file and what importing it gives."""

    list_type: object
    tests: object  # the list's test module: GOOD_ROWS, csv_file
    models: tuple
    counts: dict  # of importing GOOD_ROWS into an empty jobcenter
    again: dict  # of importing them a second time
    output: list[str]  # the command's lines after importing GOOD_ROWS
    output_again: list[str]
    nothing: str  # the summary line of a file with errors
    bad_cells: dict  # (row index, column index) -> value
    bad_errors: list  # (row, column, value) of those
    service: tuple[str, str]  # a service the list writes every new row with, its column
    refused: list  # (row, column, value) when that service refuses every call
    example: dict  # counts of a dry run of the example file
    written: tuple  # how many rows of each of `models` GOOD_ROWS make
    many: object  # n -> n good rows, each with new entities

    def file(self, rows=None):
        return self.tests.csv_file(self.tests.GOOD_ROWS if rows is None else rows)

    def state(self):
        return {model.__name__: model.objects.count() for model in self.models}


def enrolment_rows(n):
    first = enrolment_tests.GOOD_ROWS[0]
    return [[*first[:5], f"123D{k:06}", f"Vorname {k}", f"Nachname {k}", *first[8:]]
            for k in range(n)]


def employer_rows(n):
    return [[f"Firma {k:04}", "Handel", "Dortmund", f"Person {k}", "", ""] for k in range(n)]


ENROLMENT_CASE = Case(
    list_type=ENROLMENTS,
    tests=enrolment_tests,
    models=(Participant, Cohort, Programme, Site, Enrolment, Integration, FollowUp, Employer),
    counts={"participants": 3, "cohorts": 1, "enrolments": 3, "integrations": 1,
            "programmes": 1, "sites": 1, "employers": 1, "enrolment_dates": 0, "exits": 2,
            "followups": 1},
    again=dict.fromkeys((count.name for count in ENROLMENTS.counts), 0),
    output=["created: 3 participants, 1 cohorts, 3 enrolments, 1 integrations",
            "created as well: 1 programmes, 1 sites, 1 employers; updated: 0 enrolment dates, "
            "2 exits, 1 follow-ups"],
    output_again=["created: 0 participants, 0 cohorts, 0 enrolments, 0 integrations",
                  "created as well: 0 programmes, 0 sites, 0 employers; updated: 0 enrolment "
                  "dates, 0 exits, 0 follow-ups"],
    nothing="created: 0 participants, 0 cohorts, 0 enrolments, 0 integrations",
    bad_cells={(0, 12): "31.02.2024", (2, 14): "dropout", (2, 13): "01.04.2024"},
    bad_errors=[(2, "Eintritt", "31.02.2024"), (4, "Abbruchgrund", "")],
    service=("participant_save", "Kundennummer"),
    refused=[(2, "Kundennummer", "123D000001"), (3, "Kundennummer", "123D000002"),
             (4, "Kundennummer", "123D000003")],
    example={"enrolments": 2, "participants": 2, "cohorts": 1},
    written=(3, 1, 1, 1, 3, 1, 2, 1),  # each integration has two follow-ups
    many=enrolment_rows,
)
EMPLOYER_CASE = Case(
    list_type=EMPLOYERS,
    tests=employer_tests,
    models=(Employer, ContactPerson),
    counts={"employers": 3, "contacts": 3, "reused": 0},
    again={"employers": 0, "contacts": 0, "reused": 3},
    output=["created: 3 employers, 3 contacts; reused: 0 employers"],
    output_again=["created: 0 employers, 0 contacts; reused: 3 employers"],
    nothing="created: 0 employers, 0 contacts; reused: 0 employers",
    bad_cells={(1, 0): "", (3, 5): "aylin.demir(at)sonne"},
    bad_errors=[(3, "Arbeitgeber", ""), (5, "E-Mail", "aylin.demir(at)sonne")],
    service=("employer_save", "Arbeitgeber"),
    # Row 3 names row 2's employer: it is skipped, row 2 has the error.
    refused=[(2, "Arbeitgeber", "Logistik Nord GmbH"), (4, "Arbeitgeber", "Bäckerei Kamp"),
             (5, "Arbeitgeber", "Pflegedienst  Sonne e.V.")],
    example={"employers": 1, "contacts": 2, "reused": 0},
    written=(3, 3),
    many=employer_rows,
)
MODULES = {ENROLMENTS.kind: enrolment_import, EMPLOYERS.kind: employer_import}


@pytest.fixture(params=[ENROLMENT_CASE, EMPLOYER_CASE], ids=lambda case: case.list_type.kind)
def case(request):
    return request.param


def run(case, jobcenter, data, filename="liste.csv", **kwargs):
    return run_import(case.list_type, jobcenter=jobcenter, file=BytesIO(data),
                      filename=filename, **kwargs)


def located(errors):
    return [(e.row, e.column, e.value) for e in errors]


def data_version(jobcenter):
    return Jobcenter.objects.get(pk=jobcenter.pk).data_version


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The result ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_good_file_reports_its_counts_in_the_declared_words(case, jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        result = run(case, jobcenter_a, case.file())

        assert result.ok and result.errors == [] and result.error_lines() == []
        assert result.list_type is case.list_type and not result.dry_run
        assert result.rows == len(case.tests.GOOD_ROWS)
        assert result.counts == case.counts and result.changes_anything
        assert result.summary() == case.output[0]
        with translation.override("en"):
            assert result.phrases() == [
                count.phrase % {"n": case.counts[count.name]}
                for count in case.list_type.counts if case.counts[count.name]]


def test_the_phrases_leave_out_zeros_and_are_german():
    result = ImportResult(ENROLMENTS, counts={"participants": 1, "exits": 2})
    employers = ImportResult(EMPLOYERS, counts={"contacts": 2, "reused": 1})
    with translation.override("de"):
        assert result.phrases() == ["1 Teilnehmende/r", "2 Austritte erfasst"]
        assert employers.phrases() == ["2 neue Ansprechpersonen", "1 bestehender Arbeitgeber"]
    with translation.override("en"):
        assert result.phrases() == ["1 participant", "2 exits recorded"]
    assert result.changes_anything
    assert not ImportResult(EMPLOYERS, counts={"reused": 4}).changes_anything  # found, not written


@pytest.mark.django_db
def test_the_example_file_imports_without_errors(case, jobcenter_a):
    data = example_csv(case.list_type).encode("utf-8")
    header = ";".join(column.aliases[0] for column in case.list_type.columns)
    assert data.startswith(("\ufeff" + header + "\r\n").encode())
    assert case.list_type.example_csv() == example_csv(case.list_type)

    with scope(jobcenter=jobcenter_a):
        result = run(case, jobcenter_a, data, filename="beispiel.csv", dry_run=True)

        assert result.errors == []
        assert {name: result.counts[name] for name in case.example} == case.example


def test_every_column_is_explained():
    for list_type in (ENROLMENTS, EMPLOYERS):
        assert set(list_type.column_help) == {column.name for column in list_type.columns}


# All or nothing, dry run, idempotent ----------------------------------------------------------


@pytest.mark.django_db
def test_a_file_with_two_bad_rows_imports_nothing_and_lists_both(case, jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        rows = [list(row) for row in case.tests.GOOD_ROWS]
        for (row, column), value in case.bad_cells.items():
            rows[row][column] = value

        result = run(case, jobcenter_a, case.file(rows))

        assert located(result.errors) == case.bad_errors
        assert all(e.message for e in result.errors)
        assert result.error_lines() == [str(e) for e in result.errors]
        assert not result.ok and not result.changes_anything
        assert set(result.counts.values()) == {0}
        assert set(case.state().values()) == {0}


@pytest.mark.django_db
def test_a_refusal_at_write_time_fails_its_rows_and_writes_nothing(case, jobcenter_a,
                                                                   monkeypatch):
    from django.core.exceptions import ValidationError

    name, column = case.service

    def refuse(**fields):
        raise ValidationError("refused")

    monkeypatch.setattr(MODULES[case.list_type.kind], name, refuse)

    with scope(jobcenter=jobcenter_a):
        result = run(case, jobcenter_a, case.file())

        # Each entity fails once, at its first row; later rows that need it are skipped.
        assert located(result.errors) == case.refused
        assert {e.message for e in result.errors} == {"refused"}
        assert set(case.state().values()) == {0}


@pytest.mark.django_db
def test_a_concurrent_write_is_a_row_error_asking_to_import_again(case, jobcenter_a,
                                                                   monkeypatch):
    """A coach creating the same customer number in the browser just then, say."""
    name, _column = case.service

    def clash(**fields):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(MODULES[case.list_type.kind], name, clash)

    with scope(jobcenter=jobcenter_a):
        with translation.override("de"):
            result = run(case, jobcenter_a, case.file())

        assert located(result.errors) == case.refused
        assert {e.message for e in result.errors} == {
            "Gleichzeitig von jemand anderem geändert; bitte importieren Sie erneut."}
        assert set(case.state().values()) == {0}


@pytest.mark.django_db
def test_dry_run_reports_the_counts_and_writes_nothing(case, jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        result = run(case, jobcenter_a, case.file(), dry_run=True)

        assert result.errors == [] and result.dry_run
        assert result.counts == case.counts and result.changes_anything
        assert set(case.state().values()) == {0}
        assert data_version(jobcenter_a) == 0


@pytest.mark.django_db
def test_the_same_file_twice_creates_nothing_the_second_time(case, jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        data = case.file()
        assert run(case, jobcenter_a, data).errors == []
        state, version = case.state(), data_version(jobcenter_a)

        again = run(case, jobcenter_a, data)

        assert again.errors == []
        assert again.counts == case.again and not again.changes_anything
        assert again.summary() == case.output_again[0]
        assert case.state() == state
        assert data_version(jobcenter_a) == version


@pytest.mark.django_db
def test_a_list_that_is_there_costs_a_constant_number_of_queries_per_row(
        case, jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        def queries(n):
            data = case.file(case.many(n))
            assert run(case, jobcenter_a, data).errors == []
            with CaptureQueriesContext(connection) as captured:
                assert not run(case, jobcenter_a, data).changes_anything
            return len(captured)

        few, many = queries(5), queries(55)

        # A savepoint and its release per row; the rest is loaded once for the whole file.
        assert few <= 12 + 2 * 5
        assert many - few == 2 * 50


# The file as a whole ------------------------------------------------------------------------


@pytest.mark.django_db
@translation.override("en")
def test_files_that_cannot_be_imported(case, jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        header = [column.aliases[0] for column in case.list_type.columns]
        header_only = case.tests.csv_file([])
        assert located(run(case, jobcenter_a, header_only).errors) == [(0, "", "")]
        assert run(case, jobcenter_a, header_only).errors[0].message == (
            "The file has no rows below the header.")
        assert run(case, jobcenter_a, b"", "leer.csv").errors[0].message == "The file is empty."
        assert located(run(case, jobcenter_a, b"x", "liste.pdf").errors) == [(0, "", "liste.pdf")]
        unknown = run(case, jobcenter_a, (";".join([*header, "Fax"]) + "\n").encode())
        assert located(unknown.errors) == [(1, "", "Fax")]
        broken = run(case, jobcenter_a, b"PK\x03\x04 not really a workbook", "liste.xlsx")
        assert [e.message for e in broken.errors] == [
            "The file cannot be read as an Excel workbook (.xlsx)."]
        assert set(case.state().values()) == {0}


@pytest.mark.django_db
@translation.override("en")
def test_a_file_with_too_many_rows_is_refused_whole(case, jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        rows = case.tests.GOOD_ROWS

        result = run(case, jobcenter_a, case.file(), max_rows=len(rows) - 1)

        assert [(e.row, e.message) for e in result.errors] == [
            (len(rows) + 1, f"The file has more than {len(rows) - 1} rows. Please split it into "
                            "several files.")]
        assert result.rows == 0 and set(case.state().values()) == {0}
        assert run(case, jobcenter_a, case.file(), max_rows=len(rows)).errors == []


@pytest.mark.django_db
def test_an_xlsx_file_imports_like_the_csv_file(case, jobcenter_a, jobcenter_b):
    rows = [[cell or None for cell in row] for row in case.tests.GOOD_ROWS]

    with scope(jobcenter=jobcenter_a):
        from_xlsx = run(case, jobcenter_a, xlsx([case.tests.GERMAN, *rows]),
                        filename="Liste.XLSX")
    with scope(jobcenter=jobcenter_b):
        from_csv = run(case, jobcenter_b, case.file())

    assert from_xlsx.errors == [] and from_xlsx.counts == from_csv.counts == case.counts


@pytest.mark.django_db
def test_progress_is_reported_about_every_percent_and_at_the_end(case, jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        reported = []
        result = run(case, jobcenter_a, case.file(), progress=lambda *done: reported.append(done))
        total = len(case.tests.GOOD_ROWS)
        assert result.errors == []
        assert reported == [(n, total) for n in range(1, total + 1)]


@pytest.mark.django_db
def test_progress_is_reported_at_most_about_a_hundred_times(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        rows = [["Arbeitgeber"], *[[f"Firma {n:04}"] for n in range(1050)]]
        reported = []

        result = run_import(EMPLOYERS, jobcenter=jobcenter_a, file=xlsx(rows), filename="a.xlsx",
                            progress=lambda *done: reported.append(done))

        assert result.errors == [] and result.counts["employers"] == 1050
        assert 95 <= len(reported) <= 101
        assert reported[0] == (11, 1050) and reported[-1] == (1050, 1050)
        assert [done for done, _total in reported] == sorted(done for done, _total in reported)


# Two imports at once ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_create_each_row_once(case, jobcenter_a, monkeypatch):
    """A double click on "import": the second import waits for the first and finds its rows."""
    require(connection.vendor == "postgresql", "row locks need PostgreSQL")
    write_row = type(case.list_type).write_row

    def slow(self, run, line):  # keep the first import busy while the second one starts
        time.sleep(0.05)
        return write_row(self, run, line)

    monkeypatch.setattr(type(case.list_type), "write_row", slow)
    data = case.file()
    barrier, results = threading.Barrier(2), []

    def click():
        barrier.wait()
        try:
            with scope(jobcenter=jobcenter_a):
                results.append(run(case, jobcenter_a, data))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [r.errors for r in results] == [[], []]
    first, second = sorted(results, key=lambda r: not r.changes_anything)
    assert (first.counts, second.counts) == (case.counts, case.again)
    with scope(jobcenter=jobcenter_a):
        assert tuple(case.state().values()) == case.written


# The commands -------------------------------------------------------------------------------


def command(case, *args):
    out = StringIO()
    try:
        call_command(f"import_{case.list_type.kind}", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue().splitlines()
    return 0, out.getvalue().splitlines()


@pytest.fixture
def good_file(case, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes(case.file())
    return str(path)


@pytest.mark.django_db
def test_command_imports_and_prints_the_summary(case, jobcenter_a, good_file):
    assert command(case, "--jobcenter", "jc-a", good_file) == (0, case.output)
    with scope(jobcenter=jobcenter_a):
        state = case.state()
    assert command(case, "--jobcenter", "jc-a", good_file) == (0, case.output_again)
    with scope(jobcenter=jobcenter_a):
        assert case.state() == state


@pytest.mark.django_db
def test_command_dry_run_writes_nothing(case, jobcenter_a, good_file):
    code, lines = command(case, "--jobcenter", "jc-a", good_file, "--dry-run")
    assert code == 0
    assert lines == ["dry run, would be " + line for line in case.output]
    with scope(jobcenter=jobcenter_a):
        assert set(case.state().values()) == {0}


@pytest.mark.django_db
def test_command_exits_1_on_a_file_with_errors_and_prints_each(case, jobcenter_a, tmp_path):
    rows = [list(row) for row in case.tests.GOOD_ROWS]
    for (row, column), value in case.bad_cells.items():
        rows[row][column] = value
    path = tmp_path / "liste.csv"
    path.write_bytes(case.file(rows))
    with scope(jobcenter=jobcenter_a):
        expected = run(case, jobcenter_a, case.file(rows))

    code, lines = command(case, "--jobcenter", "jc-a", str(path))

    assert code == 1
    assert lines[:len(expected.errors)] == expected.error_lines()
    assert lines[len(expected.errors)] == case.nothing
    assert lines[0].startswith(f"row {case.bad_errors[0][0]}, column {case.bad_errors[0][1]}: ")
    with scope(jobcenter=jobcenter_a):
        assert set(case.state().values()) == {0}


@pytest.mark.django_db
def test_command_exits_2_on_bad_arguments(case, jobcenter_a, good_file, tmp_path):
    assert command(case, "--jobcenter", "jc-nowhere", good_file)[0] == 2
    assert command(case, "--jobcenter", "jc-a", str(tmp_path / "missing.csv"))[0] == 2
    with scope(jobcenter=jobcenter_a):
        assert set(case.state().values()) == {0}
