import csv
from io import BytesIO, StringIO

import pytest
from django_scopes import scope
from openpyxl import Workbook

from employers.models import ContactPerson, Employer
from imports import employers as employer_import
from imports.employers import EMPLOYERS
from imports.engine import run_import
from tests.factories import ContactPersonFactory, EmployerFactory

GERMAN = ["Arbeitgeber", "Branche", "Ort", "Ansprechperson", "Telefon", "E-Mail"]
ENGLISH = ["name", "Sector", "TOWN", "contact person", "phone", "email"]

# Three employers; the first with two contact people, one without any.
GOOD_ROWS = [
    ["Logistik Nord GmbH", "Logistik", "Dortmund", "Petra Schmidt", "0231 123456",
     "p.schmidt@logistik-nord.example"],
    ["Logistik Nord GmbH", "", "Dortmund", "Jan Weber", "", "j.weber@logistik-nord.example"],
    ["Bäckerei Kamp", "Lebensmittel", "Bochum", "", "", ""],
    [" Pflegedienst  Sonne e.V. ", "Pflege", "Dortmund", "Aylin Demir", "0231 98765", ""],
]


def csv_file(rows, header=GERMAN, sep=";"):
    text = StringIO()
    csv.writer(text, delimiter=sep, lineterminator="\r\n").writerows([header, *rows])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def run(jobcenter, data, filename="arbeitgeber.csv", **kwargs):
    return run_import(EMPLOYERS, jobcenter=jobcenter, file=BytesIO(data), filename=filename,
                      **kwargs)


def counts(result):
    return (result.counts["employers"], result.counts["contacts"], result.counts["reused"])


def db_state():
    return {
        "employers": sorted(Employer.objects.values_list("jobcenter__code", "name", "sector",
                                                         "town")),
        "contacts": sorted(ContactPerson.objects.values_list(
            "employer__name", "name", "phone", "email")),
    }


def located(errors):
    return [(e.row, e.column, e.value) for e in errors]


EXPECTED = {
    "employers": [("jc-a", "Bäckerei Kamp", "Lebensmittel", "Bochum"),
                  ("jc-a", "Logistik Nord GmbH", "Logistik", "Dortmund"),
                  ("jc-a", "Pflegedienst Sonne e.V.", "Pflege", "Dortmund")],
    "contacts": [("Logistik Nord GmbH", "Jan Weber", "", "j.weber@logistik-nord.example"),
                 ("Logistik Nord GmbH", "Petra Schmidt", "0231 123456",
                  "p.schmidt@logistik-nord.example"),
                 ("Pflegedienst Sonne e.V.", "Aylin Demir", "0231 98765", "")],
}


@pytest.mark.django_db
def test_a_good_csv_file_creates_employers_and_contacts(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(GOOD_ROWS))

        assert result.errors == [] and result.ok and result.changes_anything
        assert counts(result) == (3, 3, 0)
        assert result.rows == 4
        assert result.summary() == "created: 3 employers, 3 contacts; reused: 0 employers"
        assert db_state() == EXPECTED
        employer = Employer.objects.get(name="Logistik Nord GmbH")
        assert employer.jobcenter == jobcenter_a
        assert {c.jobcenter for c in employer.contacts.all()} == {jobcenter_a}


@pytest.mark.django_db
def test_an_xlsx_file_with_number_and_empty_cells(jobcenter_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(GERMAN)
    for row in GOOD_ROWS:
        sheet.append([cell or None for cell in row])
    sheet.append(["Autohaus Ost", "Kfz", "Dortmund", "Ole Berg", 231777, None])
    buffer = BytesIO()
    workbook.save(buffer)

    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, buffer.getvalue(), filename="Arbeitgeber.XLSX")

        assert result.errors == []
        assert counts(result) == (4, 4, 0)
        assert ContactPerson.objects.get(name="Ole Berg").phone == "231777"
        state = db_state()
        assert set(EXPECTED["employers"]) < set(state["employers"])
        assert set(EXPECTED["contacts"]) < set(state["contacts"])


@pytest.mark.django_db
def test_english_headers_and_the_other_german_names_work_alike(jobcenter_a, jobcenter_b):
    with scope(jobcenter=jobcenter_b):
        run(jobcenter_b, csv_file(GOOD_ROWS))
    with scope(jobcenter=jobcenter_a):
        english = run(jobcenter_a, csv_file(GOOD_ROWS, header=ENGLISH, sep=","))
        assert english.errors == [] and counts(english) == (3, 3, 0)

        other = ["Name", "Branche", "Ort", "Ansprechpartner", "Telefon", "e_mail"]
        Employer.objects.filter(jobcenter=jobcenter_a).delete()
        german = run(jobcenter_a, csv_file(GOOD_ROWS, header=other))
        assert german.errors == [] and counts(german) == (3, 3, 0)

    def of(jobcenter):
        with scope(jobcenter=jobcenter):
            return [row[1:] for row in db_state()["employers"] if row[0] == jobcenter.code]

    assert of(jobcenter_a) == of(jobcenter_b)


@pytest.mark.django_db
def test_columns_may_be_left_out(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file([["Müller GmbH"], ["Bäckerei Kamp"]], header=["Name"]))
        assert result.errors == [] and counts(result) == (2, 0, 0)
        assert sorted(Employer.objects.values_list("name", "town")) == [
            ("Bäckerei Kamp", ""), ("Müller GmbH", "")]


@pytest.mark.django_db
def test_the_rows_are_checked_against_each_other_before_writing(jobcenter_a):
    rows = [
        ["Müller GmbH", "Bau", "Dortmund", "Eva Ernst", "0231 1", ""],
        # 3: the same employer in another sector; the same contact with another phone
        ["Mueller Gmbh.", "Handel", "dortmund", "eva  ernst", "0231 2", ""],
        # 4: a phone number without a contact person
        ["Kamp", "", "", "", "0234 5", ""],
        # 5: too long a town; only punctuation as a name
        ["---", "", "x" * 101, "", "", ""],
    ]

    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(rows))

        assert located(result.errors) == [
            (3, "Branche", "Handel"),
            (3, "Telefon", "0231 2"),
            (4, "Ansprechperson", ""),
            (5, "Ort", "x" * 101),
            (5, "Arbeitgeber", "---"),
        ]
        assert Employer.objects.count() == 0


@pytest.mark.django_db
def test_a_near_duplicate_in_the_same_town_is_reused_with_its_contacts(jobcenter_a):
    existing = EmployerFactory(jobcenter=jobcenter_a, name="Mueller Gmbh.", town="Dortmund",
                               sector="Bau")
    ContactPersonFactory(employer=existing, name="Petra Schmidt", phone="0231 1")
    rows = [
        ["Müller GmbH", "Handel", "dortmund", "petra  schmidt", "0231 999", ""],
        ["Müller GmbH & Co. KG", "", "Dortmund", "Jan Weber", "", "jan@mueller.example"],
    ]

    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(rows))

        assert result.errors == []
        assert counts(result) == (0, 1, 1)
        assert list(Employer.objects.all()) == [existing]
        existing.refresh_from_db()
        assert (existing.name, existing.sector, existing.town) == (
            "Mueller Gmbh.", "Bau", "Dortmund")
        assert sorted(existing.contacts.values_list("name", "phone", "email")) == [
            ("Jan Weber", "", "jan@mueller.example"), ("Petra Schmidt", "0231 1", "")]


@pytest.mark.django_db
def test_rows_that_match_each_other_are_one_employer(jobcenter_a):
    rows = [
        ["Müller GmbH", "", "Dortmund", "Eva Ernst", "", ""],
        ["Mueller Gmbh.", "Bau", "dortmund", "Eva Ernst", "0231 1", ""],
        ["MÜLLER  gmbh", "", "Dortmund", "", "", ""],
    ]

    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(rows))

        assert result.errors == []
        assert counts(result) == (1, 1, 0)
        employer = Employer.objects.get()
        assert (employer.name, employer.sector, employer.town) == ("Müller GmbH", "Bau", "Dortmund")
        assert list(employer.contacts.values_list("name", "phone")) == [("Eva Ernst", "0231 1")]


@pytest.mark.django_db
def test_the_same_name_in_another_town_is_another_employer(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        existing = EmployerFactory(jobcenter=jobcenter_a, name="Müller GmbH", town="Dortmund")

        result = run(jobcenter_a, csv_file([["Müller GmbH", "", "Bochum", "", "", ""]]))

        assert result.errors == []
        assert counts(result) == (1, 0, 0)
        assert sorted(Employer.objects.values_list("name", "town")) == [
            ("Müller GmbH", "Bochum"), ("Müller GmbH", "Dortmund")]
        assert Employer.objects.get(town="Bochum") != existing


@pytest.mark.django_db
def test_another_jobcenters_employers_are_untouched(jobcenter_a, jobcenter_b):
    theirs = EmployerFactory(jobcenter=jobcenter_b, name="Logistik Nord GmbH", town="Dortmund",
                             sector="Spedition")
    their_contact = ContactPersonFactory(employer=theirs, name="Petra Schmidt", phone="1")

    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(GOOD_ROWS))

        assert result.errors == []
        assert counts(result) == (3, 3, 0)
        ours = Employer.objects.get(jobcenter=jobcenter_a, name="Logistik Nord GmbH")
        assert ours != theirs and ours.contacts.count() == 2
    with scope(jobcenter=jobcenter_b):
        theirs.refresh_from_db()
        assert (theirs.sector, list(theirs.contacts.all())) == ("Spedition", [their_contact])
        assert Employer.objects.filter(jobcenter=jobcenter_b).count() == 1
        their_contact.refresh_from_db()
        assert (their_contact.employer, their_contact.phone) == (theirs, "1")


@pytest.mark.django_db
def test_dry_run_reports_the_counts_and_writes_nothing(jobcenter_a):
    EmployerFactory(jobcenter=jobcenter_a, name="Bäckerei Kamp", town="Bochum")
    with scope(jobcenter=jobcenter_a):
        before = db_state()

        result = run(jobcenter_a, csv_file(GOOD_ROWS), dry_run=True)

        assert result.errors == [] and result.dry_run
        assert counts(result) == (2, 3, 1)
        assert db_state() == before


@pytest.mark.django_db
def test_a_refusal_at_write_time_is_a_row_error_and_nothing_is_written(jobcenter_a,
                                                                       monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**fields):
        raise ValidationError({"town": "refused"})

    monkeypatch.setattr(employer_import, "employer_save", refuse)

    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(GOOD_ROWS))

        # Each employer fails once, at its first row; its later rows are skipped.
        assert located(result.errors) == [(2, "Ort", "Dortmund"), (4, "Ort", "Bochum"),
                                          (5, "Ort", "Dortmund")]
        assert db_state() == {"employers": [], "contacts": []}


@pytest.mark.django_db
def test_an_employer_the_lookup_missed_is_reused_through_the_service(jobcenter_a,
                                                                       monkeypatch):
    existing = EmployerFactory(jobcenter=jobcenter_a, name="Logistik Nord GmbH",
                               town="Dortmund")
    known = employer_import._Known.__init__

    def blind(self, jobcenter, keys):
        known(self, jobcenter, keys)
        self.employers.clear()

    monkeypatch.setattr(employer_import._Known, "__init__", blind)

    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(GOOD_ROWS[:2]))

        assert result.errors == []
        assert counts(result) == (0, 2, 1)
        assert list(Employer.objects.all()) == [existing]


@pytest.mark.django_db
def test_the_import_works_inside_the_jobcenters_scope(jobcenter_a, jobcenter_b):
    EmployerFactory(jobcenter=jobcenter_b, name="Logistik Nord GmbH", town="Dortmund")
    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(GOOD_ROWS))
        again = run(jobcenter_a, csv_file(GOOD_ROWS))
    assert (counts(result), counts(again)) == ((3, 3, 0), (0, 0, 3))
