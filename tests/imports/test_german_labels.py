"""The import page and its errors speak in the application's German words, and the example
file it offers imports as it is into the demo jobcenter of `make run`."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from cohorts.models import Cohort, Programme
from demo.seed import seed
from employers.models import Employer, FollowUp, Integration
from imports.employers import EMPLOYERS
from imports.engine import run_import
from imports.enrolments import ENROLMENTS
from jobcenters.models import Jobcenter, Site
from jobcenters.permissions import Role
from participants.models import Enrolment
from tests.factories import MembershipFactory
from tests.imports.test_enrolment_import import GOOD_ROWS, csv_file

EXIT_REASONS = ("reguläres Ende", "Abbruch", "Arbeits- oder Ausbildungsaufnahme",
                "Wechsel in eine andere Maßnahme", "sonstiger Grund")
DROPOUT_REASONS = ("Nichterscheinen / Motivation", "gesundheitliche Gründe",
                   "Kinderbetreuung oder Familie", "Umzug", "Ausschluss", "Sonstiges")


def imported(jobcenter, rows):
    with scope(jobcenter=jobcenter):
        return run_import(ENROLMENTS, jobcenter=jobcenter, file=BytesIO(csv_file(rows)),
                          filename="liste.csv")


def url(name, jc="jc-a"):
    return reverse(f"imports:{name}", kwargs={"jc": jc})


@pytest.mark.django_db
def test_the_import_page_lists_the_german_labels(client, team_lead):
    client.force_login(team_lead.user)
    page = client.get(url("import_upload")).content.decode()
    assert "Erlaubt: " + ", ".join(EXIT_REASONS) in page
    assert "Nur beim Austrittsgrund „Abbruch“: " + ", ".join(DROPOUT_REASONS) in page
    assert ("Erlaubt: sozialversicherungspflichtige Beschäftigung, Ausbildung, "
            "Selbstständigkeit, Minijob (geringfügige Beschäftigung)") in page
    assert "Nach 12 Monaten noch beschäftigt: ja, nein, unbekannt" in page
    assert "langzeitarbeitslos" in page and "alleinerziehend" in page
    for code in ("completed, dropout", "no_show, health", "long_term_unemployed"):
        assert code not in page


@pytest.mark.django_db
def test_a_wrong_dropout_reason_names_the_german_labels(jobcenter_a):
    rows = [list(row) for row in GOOD_ROWS]
    rows[1][15] = "Krank"
    result = imported(jobcenter_a, rows)
    error, = result.errors
    assert (error.row, error.column, error.value) == (3, "Abbruchgrund", "Krank")
    assert error.message == "Unbekannter Wert. Erlaubt: " + ", ".join(DROPOUT_REASONS) + "."


@pytest.mark.django_db
def test_german_words_and_the_codes_both_import(jobcenter_a):
    rows = [list(row) for row in GOOD_ROWS]
    rows[1][14], rows[1][15] = "Abbruch", "Krankheit"
    rows[0][14], rows[0][16] = "Arbeits- oder Ausbildungsaufnahme", "Ausbildung"
    result = imported(jobcenter_a, rows)
    assert not result.errors
    with scope(jobcenter=jobcenter_a):
        dropout = Enrolment.objects.get(participant__customer_number="123D000002")
        assert (dropout.exit_reason, dropout.dropout_reason) == ("dropout", "health")
        assert Integration.objects.get().kind == "apprenticeship"


@pytest.mark.django_db
def test_unknown_characteristics_name_the_german_labels(jobcenter_a):
    rows = [list(row) for row in GOOD_ROWS]
    rows[0][10] = "langzeitarbeitslos; arm"
    result = imported(jobcenter_a, rows)
    error, = result.errors
    assert error.message.startswith("Unbekannte Werte: arm. Erlaubt: langzeitarbeitslos, ")
    assert "alleinerziehend" in error.message and "single_parent" not in error.message


@pytest.fixture
def demo_jobcenter():
    """The first jobcenter of `make run`'s demo data, and a team lead of it."""
    seed(jobcenters=1, years=1, today=timezone.localdate())
    with scopes_disabled():
        jobcenter = Jobcenter.objects.get()
    return jobcenter, MembershipFactory(jobcenter=jobcenter, role=Role.TEAM_LEAD)


@pytest.mark.django_db
def test_the_example_files_import_as_they_are_into_the_demo_jobcenter(client, demo_jobcenter):
    jobcenter, team_lead = demo_jobcenter
    client.force_login(team_lead.user)
    with scopes_disabled():
        sites, programmes = Site.objects.count(), Programme.objects.count()

    example = client.get(url("import_example", jc=jobcenter.code))
    assert 'filename="teilnahmen-beispiel.csv"' in example["Content-Disposition"]
    text = example.content.decode("utf-8-sig")
    assert "yes" not in text.split("\n", 1)[1] and ";ja" in text
    with scope(jobcenter=jobcenter):
        result = run_import(ENROLMENTS, jobcenter=jobcenter, file=BytesIO(example.content),
                            filename="teilnahmen-beispiel.csv")
    assert result.errors == []
    assert (result.counts["enrolments"], result.counts["integrations"]) == (2, 1)
    with scopes_disabled():
        # The example names the demo's programme and site: nothing new beside the cohort.
        assert (Site.objects.count(), Programme.objects.count()) == (sites, programmes)
        cohort = Cohort.objects.get(code="WA-BEISPIEL-2024-01")
        assert (cohort.site.name, cohort.programme.name) == ("Standort Mitte", "Werkakademie")
        dropout = Enrolment.objects.get(cohort=cohort, participant__last_name="Becker")
        assert (dropout.exit_reason, dropout.dropout_reason) == ("dropout", "health")
        assert FollowUp.objects.get(integration__enrolment__cohort=cohort,
                                    due_month=12).still_employed == "yes"

    example = client.get(reverse("imports:employer_import_example", kwargs={
        "jc": jobcenter.code}))
    with scope(jobcenter=jobcenter):
        result = run_import(EMPLOYERS, jobcenter=jobcenter, file=BytesIO(example.content),
                            filename="arbeitgeber-beispiel.csv")
        assert result.errors == []
        assert Employer.objects.filter(name="Logistik Nord GmbH").exists()
