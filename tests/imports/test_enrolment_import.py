import csv
from datetime import date, timedelta
from io import BytesIO, StringIO

import pytest
from django_scopes import scope
from openpyxl import Workbook

from cohorts.models import Cohort, Programme
from employers.models import Employer, FollowUp, Integration
from imports.engine import run_import
from imports.enrolments import ENROLMENTS
from jobcenters.models import Site
from participants.models import Enrolment, Participant
from tests.factories import CohortFactory, EnrolmentFactory, ParticipantFactory

GERMAN = ["Gruppe", "Format", "Standort", "Beginn", "Ende", "Kundennummer", "Vorname",
          "Nachname", "Geburtsjahr", "Geschlecht", "Merkmale", "Zuweisung", "Eintritt",
          "Austritt", "Austrittsgrund", "Abbruchgrund", "Integrationsart", "Arbeitsaufnahme",
          "Arbeitgeber", "Verbleib12"]
ENGLISH = ["cohort_code", "Programme", "SITE", "cohort-start", "Cohort End", "customer number",
           "first_name", "last_name", "birth_year", "gender", "characteristics", "assigned_on",
           "joined_on", "exit_on", "exit_reason", "dropout_reason", "integration_kind",
           "integration_start_on", "employer_name", "followup_12m"]

# Three people in one new cohort: integrated (with a 12-month follow-up), dropped out,
# assigned but not started.
GOOD_ROWS = [
    ["WA-DO-2024-03", "Werkakademie", "Dortmund Mitte", "04.03.2024", "12.04.2024",
     "123D000001", "Ayşe", "Yılmaz", "1985", "w", "long_term_unemployed; alleinerziehend",
     "26.02.2024", "04.03.2024", "12.04.2024", "job", "", "employment", "15.04.2024",
     "Logistik Nord GmbH", "ja"],
    ["WA-DO-2024-03", "", "", "", "", "123D000002", "Max", "Becker", "1990", "m", "",
     "26.02.2024", "04.03.2024", "20.03.2024", "dropout", "health", "", "", "", ""],
    ["WA-DO-2024-03", "Werkakademie", "Dortmund Mitte", "04.03.2024", "12.04.2024",
     " 123D000003 ", "Lena", "Koch", "", "", "", "26.02.2024", "", "", "", "", "", "", "", ""],
]


def csv_file(rows, header=GERMAN, sep=";"):
    text = StringIO()
    csv.writer(text, delimiter=sep, lineterminator="\r\n").writerows([header, *rows])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def iso(text):
    """01.03.2024 → 2024-03-01; anything else unchanged."""
    parts = text.split(".")
    return "-".join(reversed(parts)) if len(parts) == 3 else text


def run(jobcenter, data, filename="liste.csv", **kwargs):
    return run_import(ENROLMENTS, jobcenter=jobcenter, file=BytesIO(data), filename=filename,
                      **kwargs)


def db_state():
    return {model.__name__: model.objects.count()
            for model in (Participant, Cohort, Programme, Site, Enrolment, Integration,
                          FollowUp, Employer)}


def located(errors):
    return [(e.row, e.column, e.value) for e in errors]


@pytest.mark.django_db
def test_a_good_file_creates_what_it_says(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(GOOD_ROWS))

        assert result.errors == []
        assert result.counts == {"participants": 3, "cohorts": 1, "enrolments": 3,
                                 "integrations": 1, "programmes": 1, "sites": 1, "employers": 1,
                                 "enrolment_dates": 0, "exits": 2, "followups": 1}
        assert result.summary() == (
            "created: 3 participants, 1 cohorts, 3 enrolments, 1 integrations")

        cohort = Cohort.objects.get()
        assert (cohort.jobcenter, cohort.code, cohort.planned_start, cohort.planned_end) == (
            jobcenter_a, "WA-DO-2024-03", date(2024, 3, 4), date(2024, 4, 12))
        assert (cohort.programme.name, cohort.programme.jobcenter) == ("Werkakademie", jobcenter_a)
        assert (cohort.site.name, cohort.site.jobcenter) == ("Dortmund Mitte", jobcenter_a)

        ayse = Participant.objects.get(customer_number="123D000001")
        assert (ayse.first_name, ayse.last_name, ayse.birth_year, ayse.gender) == (
            "Ayşe", "Yılmaz", 1985, "f")
        assert ayse.long_term_unemployed and ayse.single_parent and not ayse.refugee
        lena = Participant.objects.get(customer_number="123D000003")  # blanks stripped
        assert (lena.birth_year, lena.gender) == (None, "")

        integrated = Enrolment.objects.get(participant=ayse)
        assert (integrated.assigned_on, integrated.joined_on, integrated.exit_on,
                integrated.exit_reason) == (date(2024, 2, 26), date(2024, 3, 4),
                                            date(2024, 4, 12), "job")
        dropout = Enrolment.objects.get(participant__customer_number="123D000002")
        assert (dropout.exit_on, dropout.exit_reason, dropout.dropout_reason) == (
            date(2024, 3, 20), "dropout", "health")
        waiting = Enrolment.objects.get(participant=lena)
        assert (waiting.joined_on, waiting.exit_on, waiting.exit_reason) == (None, None, "")

        integration = Integration.objects.get()
        assert (integration.enrolment, integration.kind, integration.start_on) == (
            integrated, "employment", date(2024, 4, 15))
        assert (integration.employer.name, integration.employer.jobcenter) == (
            "Logistik Nord GmbH", jobcenter_a)
        followups = {f.due_month: f for f in integration.followups.all()}
        assert set(followups) == {6, 12}
        assert followups[12].still_employed == "yes" and followups[12].checked_on is not None
        assert followups[6].still_employed == ""


@pytest.mark.django_db
def test_existing_rows_are_reused_not_overwritten_but_gaps_are_filled(jobcenter_a):
    cohort = CohortFactory(programme__jobcenter=jobcenter_a, code="WA-DO-2024-03",
                           planned_start=date(2024, 3, 4), planned_end=date(2024, 4, 12))
    person = ParticipantFactory(jobcenter=jobcenter_a, customer_number="123D000002",
                                first_name="Maximilian", last_name="Becker-Alt")
    EnrolmentFactory(cohort=cohort, participant=person, assigned_on=None, joined_on=None)
    programme_name = cohort.programme.name

    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(GOOD_ROWS))

        assert result.errors == []
        counts = result.counts
        assert (counts["cohorts"], counts["participants"], counts["enrolments"]) == (0, 2, 2)
        assert (counts["enrolment_dates"], counts["exits"]) == (1, 2)
        cohort.refresh_from_db()
        person.refresh_from_db()
        assert (cohort.programme.name, cohort.planned_end) == (programme_name, date(2024, 4, 12))
        assert (person.first_name, person.last_name) == ("Maximilian", "Becker-Alt")
        enrolment = Enrolment.objects.get(participant=person)
        assert (enrolment.assigned_on, enrolment.joined_on, enrolment.exit_reason) == (
            date(2024, 2, 26), date(2024, 3, 4), "dropout")
        assert Cohort.objects.count() == 1


@pytest.mark.django_db
def test_every_rule_of_the_format_is_checked_before_writing(jobcenter_a):
    header = ["Gruppe", "Format", "Standort", "Beginn", "Ende", "Kundennummer", "Vorname",
              "Nachname", "Geburtsjahr", "Austritt", "Austrittsgrund", "Abbruchgrund",
              "Eintritt", "Integrationsart", "Arbeitsaufnahme", "Arbeitgeber", "Verbleib12"]
    rows = [
        # 2: new cohort without site and end; exit without reason
        ["WA-1", "Werkakademie", "", "04.03.2024", "", "A1", "Eva", "Ernst", "85",
         "12.04.2024", "", "", "", "", "", "", ""],
        # 3: other start for the same cohort; new person without names; reason without exit
        ["WA-1", "", "", "05.03.2024", "", "A2", "", "", "", "", "completed", "health", "",
         "", "", "", ""],
        # 4: exit before joining; integration without start; employer and follow-up
        ["WA-1", "", "", "", "", "A3", "Jo", "Jansen", "", "01.03.2024", "other", "",
         "04.03.2024", "minijob", "", "Bäckerei", "yes"],
        # 5: same enrolment again; start without kind
        ["WA-1", "", "", "", "", "A3", "Jo", "Jansen", "", "", "", "", "", "", "01.05.2024",
         "", ""],
        # 6: follow-up not yet due; empty customer number
        ["WA-2", "Jobclub", "Nord", "01.01.2024", "01.02.2024", "", "", "", "", "", "", "",
         "", "employment", (date.today() + timedelta(days=200)).strftime("%d.%m.%Y"), "",
         "no"],
    ]

    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(rows, header=header))

        assert located(result.errors) == [
            (2, "Geburtsjahr", "85"),
            (2, "Austrittsgrund", ""),
            (2, "Standort", ""),
            (2, "Ende", ""),
            (3, "Austritt", ""),
            (3, "Abbruchgrund", "health"),
            (3, "Beginn", "05.03.2024"),
            (3, "Vorname", ""),
            (3, "Nachname", ""),
            (4, "Austritt", "01.03.2024"),
            (4, "Arbeitsaufnahme", ""),
            (4, "Verbleib12", "yes"),
            (5, "Integrationsart", ""),
            (5, "Kundennummer", "A3"),
            (6, "Kundennummer", ""),
            (6, "Verbleib12", "no"),
        ]
        assert set(db_state().values()) == {0}


@pytest.mark.django_db
def test_english_headers_comma_and_iso_dates_work_like_german_ones(jobcenter_a):
    rows = [[iso(cell) for cell in row] for row in GOOD_ROWS]
    rows[0][10] = "long_term_unemployed;single_parent"
    with scope(jobcenter=jobcenter_a):
        german = run(jobcenter_a, csv_file(GOOD_ROWS), dry_run=True)

        english = run(jobcenter_a, csv_file(rows, header=ENGLISH, sep=","))

        assert english.errors == []
        assert english.counts == german.counts
        assert Participant.objects.get(customer_number="123D000001").single_parent


@pytest.mark.django_db
def test_an_xlsx_file_with_date_cells(jobcenter_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(GERMAN)
    for row in GOOD_ROWS:
        cells = [cell or None for cell in row]
        for i in (3, 4, 11, 12, 13, 17):
            if cells[i]:
                cells[i] = date.fromisoformat(iso(cells[i]))
        cells[8] = int(cells[8]) if cells[8] else None
        sheet.append(cells)
    buffer = BytesIO()
    workbook.save(buffer)

    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, buffer.getvalue(), filename="Liste.xlsx")

        assert result.errors == []
        assert result.counts["enrolments"] == 3
        assert Enrolment.objects.filter(joined_on=date(2024, 3, 4)).count() == 2


@pytest.mark.django_db
def test_a_cohort_code_of_another_jobcenter_is_not_reused(jobcenter_a, jobcenter_b):
    theirs = CohortFactory(programme__jobcenter=jobcenter_b, code="WA-DO-2024-03")
    their_enrolment = EnrolmentFactory(cohort=theirs,
                                       participant__customer_number="123D000001")

    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(GOOD_ROWS))

        assert result.errors == []
        assert (result.counts["cohorts"], result.counts["participants"]) == (1, 3)
        ours = Cohort.objects.get(jobcenter=jobcenter_a)
        assert ours.code == "WA-DO-2024-03" and ours != theirs
        assert Enrolment.objects.filter(jobcenter=jobcenter_a, cohort=ours).count() == 3
    with scope(jobcenter=jobcenter_b):
        assert list(theirs.enrolments.all()) == [their_enrolment]
        assert Participant.objects.filter(jobcenter=jobcenter_b).count() == 1


@pytest.mark.django_db
def test_a_service_refusal_is_a_row_error_and_nothing_is_written(jobcenter_a):
    rows = [list(row) for row in GOOD_ROWS]
    rows[2][12] = "30.04.2024"  # row 4: joins after the cohort's end (12.04.2024)

    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(rows))

        assert located(result.errors) == [(4, "Eintritt", "30.04.2024")]
        assert "12.04.2024" in result.errors[0].message
        assert not result.changes_anything
        assert set(db_state().values()) == {0}
