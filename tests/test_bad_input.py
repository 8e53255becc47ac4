"""Crafted and implausible input gets a clear German answer, never a 500.

Unknown periods, dimensions and keys on the report pages are 404; a NUL byte anywhere in
the parameters is 400; a mistyped date (01.01.0001, 31.12.9999, 01.01.0202) is refused
next to its field and in the imports; the period picker lists only periods with data;
customer numbers are stored normalised and unique whatever their case; the login ignores
the case of the e-mail address.
"""

import importlib
import io
import zipfile
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from openpyxl import Workbook

from coaching import forms as coaching_forms
from cohorts import forms as cohort_forms
from employers import forms as employer_forms
from imports.engine import run_import
from imports.enrolments import ENROLMENTS
from imports.tabular import Column, RowReader, TabularError, read_table
from jobcenters.models import User
from participants import forms as participant_forms
from participants.forms import ParticipantForm
from participants.models import Enrolment, Participant
from participants.services import participant_save
from reports.models import Network
from reports.periods import period_for, periods_with_data
from reports.services import snapshot_compute
from tests.factories import (
    CohortCoachFactory,
    CohortFactory,
    EmployerFactory,
    EnrolmentFactory,
    ParticipantFactory,
    UserFactory,
    change_participant,
)
from tests.imports.test_enrolment_import import GERMAN, GOOD_ROWS, csv_file

TODAY = timezone.localdate()
START = TODAY - timedelta(days=60)
NOT_FOUND = "Seite nicht gefunden"
BAD_REQUEST = "Ungültige Anfrage"


def jc_url(name, **kwargs):
    return reverse(name, kwargs={"jc": "jc-a", **kwargs})


def assert_clear_refusal(response):
    assert response.status_code in (400, 404), response.status_code
    html = response.content.decode()
    assert (NOT_FOUND if response.status_code == 404 else BAD_REQUEST) in html
    assert 'lang="de"' in html


def figures_for(jobcenter, coach=None):
    cohort = CohortFactory(programme__jobcenter=jobcenter, planned_start=START,
                           planned_end=START + timedelta(days=41))
    if coach is not None:
        CohortCoachFactory(cohort=cohort, user=coach)
    for _ in range(4):
        EnrolmentFactory(cohort=cohort, joined_on=START, assigned_on=START)
    with scope(jobcenter=jobcenter):
        snapshot_compute(jobcenter=jobcenter, as_of=TODAY)
    return cohort


# --- Report pages: periods, dimensions and keys -----------------------------------------

BAD_PERIODS = ["0", "-1", "99999", "2026\n", f"{TODAY.year}\n", " 2025", "2025 ", "+2025",
               "1989", str(TODAY.year + 3), "2025-Q0", "2025-Q5", "2025-Q", "2025-q1",
               "２０２５", "abcd", "0202", "9999", "2025-Q1-Q2", "last12\n"]
BAD_GROUPS = [{"dimension": "quarter", "key": "abcd"}, {"dimension": "quarter", "key": "2025"},
              {"dimension": "quarter", "key": "2025-Q7"}, {"dimension": "quarter", "key": ""},
              {"dimension": "secret", "key": "x"}, {"dimension": "Cohort", "key": "x"},
              {"dimension": "target_group", "key": "nobody"}, {"dimension": "", "key": "x"}]


@pytest.fixture
def reports_of(client, team_lead):
    figures_for(team_lead.jobcenter)
    client.force_login(team_lead.user)
    return client


@pytest.fixture
def analyst(jobcenter_a, jobcenter_b):
    figures_for(jobcenter_a)
    network = Network.objects.create(name="Netz Nord", slug="nord")
    network.jobcenters.set([jobcenter_a, jobcenter_b])
    user = UserFactory()
    network.analysts.add(user)
    client = Client()  # of their own: the team lead's client may be in use beside it
    client.force_login(user)
    return client


REPORT_PAGES = {
    "dashboard": lambda: jc_url("reports:dashboard"),
    "drilldown": lambda: jc_url("reports:drilldown"),
    "drilldown_xlsx": lambda: jc_url("reports:drilldown") + "?format=xlsx",
    "export_csv": lambda: jc_url("reports:export") + "?format=csv",
    "export_xlsx": lambda: jc_url("reports:export") + "?format=xlsx",
}


def get(client, page_url, params):
    separator = "&" if "?" in page_url else "?"
    return client.get(page_url + separator + urlencode(params))


@pytest.mark.django_db
@pytest.mark.parametrize("page", REPORT_PAGES)
@pytest.mark.parametrize("period", BAD_PERIODS)
def test_an_unknown_period_is_404_on_every_report_page(reports_of, page, period):
    assert_clear_refusal(get(reports_of, REPORT_PAGES[page](), {"period": period}))


@pytest.mark.django_db
@pytest.mark.parametrize("period", BAD_PERIODS)
def test_an_unknown_period_is_404_on_the_network_page(analyst, period):
    url = reverse("network", kwargs={"slug": "nord"})
    assert_clear_refusal(get(analyst, url, {"period": period}))


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["drilldown", "drilldown_xlsx"])
@pytest.mark.parametrize("group", BAD_GROUPS, ids=lambda g: f"{g['dimension']}={g['key']}")
def test_an_unknown_dimension_or_key_is_404(reports_of, page, group):
    assert_clear_refusal(get(reports_of, REPORT_PAGES[page](), {"metric": "entrants", **group}))


@pytest.mark.django_db
@pytest.mark.parametrize("page", REPORT_PAGES)
def test_nul_in_the_period_is_400(reports_of, page):
    assert_clear_refusal(get(reports_of, REPORT_PAGES[page](), {"period": "2025\x00"}))


@pytest.mark.django_db
def test_a_coachs_live_dashboard_refuses_an_unknown_period_too(client, coach):
    figures_for(coach.jobcenter, coach=coach.user)
    client.force_login(coach.user)
    for period in ("0", "99999", "2026\n"):
        assert_clear_refusal(client.get(jc_url("reports:dashboard"), {"period": period}))


@pytest.mark.django_db
def test_known_periods_and_groups_still_work(reports_of, analyst):
    year, quarter = START.year, (START.month - 1) // 3 + 1
    for period in ("all", "last12", str(year), f"{year}-Q{quarter}"):
        for page in REPORT_PAGES.values():
            assert get(reports_of, page(), {"period": period}).status_code == 200, period
        assert analyst.get(reverse("network", kwargs={"slug": "nord"}),
                           {"period": period}).status_code == 200
    for group in ({"dimension": "quarter", "key": f"{year}-Q{quarter}"},
                  {"dimension": "target_group", "key": "long_term_unemployed"},
                  {"dimension": "cohort", "key": "unknown-code"}, {}):
        response = get(reports_of, REPORT_PAGES["drilldown"](), {"metric": "entrants", **group})
        assert response.status_code == 200, group


def test_period_keys_are_read_strictly_in_one_place():
    as_of = date(2026, 6, 30)
    assert period_for("2026", as_of).start == date(2026, 1, 1)
    assert period_for("2028-Q4", as_of).end == date(2028, 12, 31)
    for key in BAD_PERIODS + ["2029", "1989-Q4", None, ""]:
        assert period_for(key, as_of) is None, key


# --- NUL bytes and line breaks in parameters --------------------------------------------

@pytest.fixture
def searches(client, team_lead):
    cohort = CohortFactory(programme__jobcenter=team_lead.jobcenter)
    EmployerFactory(jobcenter=team_lead.jobcenter)
    client.force_login(team_lead.user)
    return {
        "participants": jc_url("participants:list"),
        "employers": jc_url("employers:list"),
        "cohorts": jc_url("cohorts:list"),
        "enrol": jc_url("participants:enrol", pk=cohort.pk),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["participants", "employers", "cohorts", "enrol"])
@pytest.mark.parametrize("query", ["\x00", "Meier\x00", "123D\x00000001"])
def test_nul_in_a_search_is_400(client, searches, page, query):
    assert_clear_refusal(client.get(searches[page], {"q": query}))


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["participants", "employers", "cohorts", "enrol"])
def test_a_line_break_in_a_search_finds_nothing(client, searches, page):
    response = client.get(searches[page], {"q": "Meier\nMüller"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_nul_in_a_parameter_name_a_form_or_the_login_is_400(client, searches, team_lead):
    assert_clear_refusal(client.get(searches["cohorts"], {"\x00": "1"}))
    response = client.post(jc_url("participants:create"), {
        "customer_number": "123D\x00", "first_name": "A", "last_name": "B"})
    assert_clear_refusal(response)
    with scope(jobcenter=team_lead.jobcenter):
        assert not Participant.objects.filter(first_name="A").exists()
    client.logout()
    assert_clear_refusal(client.post(reverse("login"), {
        "username": "x\x00@jc.example", "password": "egal"}))


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"week": "0001-01-01"}, {"week": "9999-12-31"},
                                    {"day": "0001-01-01"}, {"session": "²"}])
def test_the_attendance_print_takes_any_week_or_day(client, team_lead, params):
    cohort = CohortFactory(programme__jobcenter=team_lead.jobcenter)
    client.force_login(team_lead.user)
    response = client.get(jc_url("coaching:print", pk=cohort.pk), params)
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_superscript_digit_as_cohort_is_ignored(client, team_lead):
    client.force_login(team_lead.user)
    assert client.get(jc_url("participants:create"), {"cohort": "²"}).status_code == 200


# --- Date bounds -------------------------------------------------------------------------

DATE_FIELDS = [
    (cohort_forms.CohortForm, "planned_start"), (cohort_forms.CohortForm, "planned_end"),
    (participant_forms.EnrolmentForm, "assigned_on"),
    (participant_forms.EnrolmentForm, "info_event_on"),
    (participant_forms.EnrolmentForm, "joined_on"),
    (participant_forms.EnrolmentForm, "cooperation_plan_on"),
    (participant_forms.EnrolmentForm, "cooperation_plan_review_on"),
    (participant_forms.ExitForm, "exit_on"), (employer_forms.FollowUpForm, "checked_on"),
    (coaching_forms.IndividualSessionForm, "held_on"), (coaching_forms.SessionForm, "held_on"),
    (employer_forms.IntegrationForm, "start_on"), (employer_forms.HireForm, "start_on"),
    (employer_forms.HireForm, "on"), (employer_forms.ApplicationForm, "on"),
    (employer_forms.VacancyForm, "starts_on"), (employer_forms.ActivityForm, "happened_on"),
    (employer_forms.ActivityForm, "next_step_due_on"),
]


@pytest.mark.parametrize(("form", "name"), DATE_FIELDS,
                         ids=[f"{f.__name__}.{n}" for f, n in DATE_FIELDS])
@pytest.mark.parametrize("typed", ["01.01.0001", "31.12.9999", "01.01.0202", "01.01.1989",
                                   "31.12.1989", "0001-01-01"])
def test_implausible_dates_are_refused_in_german(form, name, typed):
    field = form.base_fields[name]
    with pytest.raises(ValidationError) as refused:
        field.clean(typed)
    assert "Bitte ein Datum zwischen 01.01.1990 und" in refused.value.messages[0]


@pytest.mark.parametrize(("form", "name"), DATE_FIELDS,
                         ids=[f"{f.__name__}.{n}" for f, n in DATE_FIELDS])
def test_dates_from_1990_to_two_years_ahead_are_accepted(form, name):
    field = form.base_fields[name]
    assert field.clean("01.01.1990") == date(1990, 1, 1)
    latest = TODAY.replace(year=TODAY.year + 2, day=min(TODAY.day, 28))
    assert field.clean(latest.strftime("%d.%m.%Y")) == latest
    with pytest.raises(ValidationError):
        field.clean((TODAY.replace(day=min(TODAY.day, 28), year=TODAY.year + 2)
                     + timedelta(days=400)).strftime("%d.%m.%Y"))


@pytest.mark.django_db
def test_the_cohort_form_shows_the_date_error_next_to_the_field(client, team_lead):
    client.force_login(team_lead.user)
    response = client.post(jc_url("cohorts:create"), {"planned_start": "01.01.0001",
                                                      "planned_end": "31.12.9999"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "zwischen 01.01.1990" in errors["planned_start"][0]
    assert "zwischen 01.01.1990" in errors["planned_end"][0]


@pytest.mark.django_db
def test_the_exit_form_refuses_a_date_before_1990(client, team_lead):
    enrolment = EnrolmentFactory(cohort__programme__jobcenter=team_lead.jobcenter,
                                 joined_on=START)
    client.force_login(team_lead.user)
    response = client.post(jc_url("participants:exit", pk=enrolment.pk), {
        "exit_on": "01.01.1989", "exit_reason": "completed"})
    assert response.status_code == 200
    assert "zwischen 01.01.1990" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.exit_on is None


def participant_data(**changes):
    return {"customer_number": "123D000001", "first_name": "Ayşe", "last_name": "Yılmaz",
            "gender": "", "language_level": "", **changes}


@pytest.mark.django_db  # the form validates the model's constraints too
@pytest.mark.parametrize(("year", "valid"), [
    (1929, False), (1930, True), (TODAY.year - 16, True), (TODAY.year - 15, False),
    (TODAY.year, False), (1900, False)])
def test_birth_years_from_1930_to_16_years_ago(year, valid):
    form = ParticipantForm(data=participant_data(birth_year=str(year)))
    assert form.is_valid() is valid, form.errors
    if not valid:
        assert "Geburtsjahr muss zwischen 1930 und" in form.errors["birth_year"][0]


def import_rows(jobcenter, changes):
    rows = [list(row) for row in GOOD_ROWS]
    for (row, column), value in changes.items():
        rows[row][GERMAN.index(column)] = value
    return run_import(ENROLMENTS, jobcenter=jobcenter, file=csv_file(rows), filename="l.csv",
                      dry_run=True)


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["Beginn", "Zuweisung", "Eintritt", "Arbeitsaufnahme"])
@pytest.mark.parametrize("typed", ["01.01.0001", "31.12.9999", "0202-01-01", "01.01.1989"])
def test_the_import_refuses_implausible_dates_with_the_row(jobcenter_a, column, typed):
    with scope(jobcenter=jobcenter_a):
        result = import_rows(jobcenter_a, {(0, column): typed})
        assert [(e.row, e.column, e.value) for e in result.errors] == [(2, column, typed)]
        assert "zwischen 01.01.1990" in result.errors[0].message


@pytest.mark.django_db
def test_the_import_refuses_implausible_birth_years(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        result = import_rows(jobcenter_a, {(0, "Geburtsjahr"): "1929",
                                           (1, "Geburtsjahr"): str(TODAY.year - 15)})
        assert [(e.row, e.column) for e in result.errors] == [(2, "Geburtsjahr"),
                                                              (3, "Geburtsjahr")]


# --- The period picker -------------------------------------------------------------------

@pytest.mark.django_db
def test_a_mistyped_assignment_in_0202_leaves_the_period_picker_small(client, team_lead):
    cohort = figures_for(team_lead.jobcenter)
    with scope(jobcenter=team_lead.jobcenter):
        Enrolment.objects.filter(pk=cohort.enrolments.first().pk).update(
            assigned_on=date(202, 1, 1))
        snapshot_compute(jobcenter=team_lead.jobcenter, as_of=TODAY)
    client.force_login(team_lead.user)

    response = client.get(jc_url("reports:dashboard"), {"period": "all"})

    assert response.status_code == 200
    keys = [p.key for p in response.context["choices"]]
    assert "0202" not in keys and "202" not in keys
    # last 12 months, all time, and the year and quarters of START (and of today)
    assert len(keys) <= 2 + 2 * 5
    assert len(response.content) < 200_000


def test_the_picker_lists_only_periods_with_data_and_at_most_twenty_years():
    as_of = date(2026, 6, 30)
    days = ["0202-01-01", "2024-02-10", "2024-02-11", "2025-11-30", "9999-12-31"]
    assert [p.key for p in periods_with_data(days, as_of)] == [
        "last12", "all", "2025", "2025-Q4", "2024", "2024-Q1"]
    every_year = [f"{year}-05-01" for year in range(1990, 2027)]
    years = [p.key for p in periods_with_data(every_year, as_of) if len(p.key) == 4]
    assert years == [str(year) for year in range(2026, 2006, -1)]


# --- .xlsx with an entity declaration ----------------------------------------------------

def xlsx_with_entity(part="xl/worksheets/sheet1.xml", *, referenced=False):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Kundennummer"])
    sheet.append(["123D000001"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                text = data.decode()
                head, _sep, rest = text.partition("?>")
                doctype = ('<!DOCTYPE x [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;">'
                           '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
                text = f"{head}?>{doctype}{rest}" if _sep else doctype + text
                if referenced:
                    text = text.replace("123D000001", "&b;&xxe;")
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml",
                                  "[Content_Types].xml", "xl/styles.xml"])
def test_an_xlsx_with_an_entity_declaration_is_unreadable(part):
    with pytest.raises(TabularError) as refused:
        read_table(xlsx_with_entity(part), "liste.xlsx", [Column("customer_number",
                                                                 ("Kundennummer",))])
    assert "kann nicht als Excel-Arbeitsmappe" in refused.value.errors[0].message


@pytest.mark.django_db
def test_an_xlsx_with_an_entity_is_an_import_error_in_the_browser(client, team_lead):
    client.force_login(team_lead.user)
    response = client.post(jc_url("imports:import_upload"), {
        "file": SimpleUploadedFile("liste.xlsx", xlsx_with_entity(referenced=True))},
        follow=True)
    assert response.status_code == 200
    assert "kann nicht als Excel-Arbeitsmappe" in response.content.decode()
    assert not Participant.objects.exists()


def test_a_fault_while_reading_the_rows_is_unreadable_too(monkeypatch):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    def broken(self, *args, **kwargs):
        yield ("Kundennummer",)
        raise ValueError("entity forbidden")

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", broken)
    workbook = Workbook()
    workbook.active.append(["Kundennummer"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(TabularError):
        read_table(buffer.getvalue(), "l.xlsx", [Column("customer_number", ("Kundennummer",))])


def test_the_row_reader_refuses_implausible_dates():
    table = read_table(b"Eintritt\n01.01.0001\n01.01.1990\n", "l.csv",
                       [Column("joined_on", ("Eintritt",))])
    readers = [RowReader(table, row) for row in table.rows]
    assert [r.date("joined_on") for r in readers] == [None, date(1990, 1, 1)]
    assert [len(r.errors) for r in readers] == [1, 0]


# --- Customer numbers --------------------------------------------------------------------

def create(jobcenter, number, **fields):
    return participant_save(jobcenter=jobcenter, customer_number=number,
                            first_name="Ayşe", last_name="Yılmaz", **fields)


@pytest.mark.django_db
def test_a_customer_number_differing_only_in_case_is_a_duplicate(jobcenter_a, jobcenter_b):
    with scope(jobcenter=jobcenter_a):
        create(jobcenter_a, "888D873087")
        with pytest.raises(ValidationError) as refused:
            create(jobcenter_a, "888d873087")
        assert "customer_number" in refused.value.message_dict
        with pytest.raises(ValidationError):
            create(jobcenter_a, " 888d873087 ")
    with scope(jobcenter=jobcenter_b):
        assert create(jobcenter_b, "888d873087").customer_number == "888D873087"


@pytest.mark.django_db
def test_customer_numbers_are_stored_trimmed_and_in_upper_case(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        person = create(jobcenter_a, "  123d000001 ")
        person.refresh_from_db()
        assert person.customer_number == "123D000001"
        change_participant(person, customer_number="123d000002")
        person.refresh_from_db()
        assert person.customer_number == "123D000002"
        # Lookups normalise too; every write path (also bulk and factory writes) stores upper case.
        assert Participant.objects.get(customer_number="123d000002 ") == person
        other = ParticipantFactory(jobcenter=jobcenter_a, customer_number="abc-1")
        other.refresh_from_db()
        assert other.customer_number == "ABC-1"


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["123D\x07", "123\tD", "123D\n1", "123D😀", "😀",
                                    "123D‮1", "12\u00a03", "-123", "Ö123"])
def test_control_characters_and_emoji_are_refused(jobcenter_a, number):
    with pytest.raises(ValidationError) as refused:
        create(jobcenter_a, number)
    assert "customer_number" in refused.value.message_dict
    form = ParticipantForm(data=participant_data(customer_number=number))
    assert not form.is_valid()
    assert "Kundennummer besteht aus Buchstaben" in form.errors["customer_number"][0]


@pytest.mark.django_db  # the form validates the model's constraints too
@pytest.mark.parametrize("number", ["123D000001", "123/45.6_7-8", "A1 B2"])
def test_letters_digits_and_a_few_separators_are_allowed(number):
    form = ParticipantForm(data=participant_data(customer_number=number.lower() + " "))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["customer_number"] == number.upper()


@pytest.mark.django_db
def test_the_browser_refuses_the_lower_case_duplicate(client, team_lead):
    ParticipantFactory(jobcenter=team_lead.jobcenter, customer_number="888D873087")
    client.force_login(team_lead.user)
    response = client.post(jc_url("participants:create"), participant_data(
        customer_number="888d873087"))
    assert response.status_code == 200
    assert "bereits vergeben" in response.content.decode()
    with scope(jobcenter=team_lead.jobcenter):
        assert Participant.objects.filter(jobcenter=team_lead.jobcenter).count() == 1


@pytest.mark.django_db
def test_the_import_normalises_customer_numbers_and_refuses_bad_ones(jobcenter_a):
    ParticipantFactory(jobcenter=jobcenter_a, customer_number="123D000001",
                       first_name="Ayşe", last_name="Yılmaz", birth_year=1985)
    rows = [list(row) for row in GOOD_ROWS]
    rows[0][GERMAN.index("Kundennummer")] = " 123d000001"
    with scope(jobcenter=jobcenter_a):
        result = run_import(ENROLMENTS, jobcenter=jobcenter_a, file=csv_file(rows),
                            filename="l.csv")
        assert result.errors == []
        assert result.counts["participants"] == 2  # 123D000001 was there already
        assert Participant.objects.filter(jobcenter=jobcenter_a, customer_number="123D000001"
                                          ).count() == 1

        result = import_rows(jobcenter_a, {(1, "Kundennummer"): "123D😀"})
        assert [(e.row, e.column) for e in result.errors] == [(3, "Kundennummer")]
        assert "Kundennummer besteht aus Buchstaben" in result.errors[0].message


@pytest.mark.django_db
def test_two_rows_of_one_file_differing_in_case_are_one_person(jobcenter_a):
    rows = [list(row) for row in GOOD_ROWS]
    rows[1][GERMAN.index("Kundennummer")] = "123d000001"
    rows[1][GERMAN.index("Vorname")], rows[1][GERMAN.index("Nachname")] = "Ayşe", "Yılmaz"
    rows[1][GERMAN.index("Geburtsjahr")], rows[1][GERMAN.index("Geschlecht")] = "1985", "w"
    rows[1][GERMAN.index("Merkmale")] = "long_term_unemployed; alleinerziehend"
    rows[1][GERMAN.index("Gruppe")] = "WA-DO-2024-04"
    rows[1][GERMAN.index("Format")], rows[1][GERMAN.index("Standort")] = (
        "Werkakademie", "Dortmund Mitte")
    rows[1][GERMAN.index("Beginn")], rows[1][GERMAN.index("Ende")] = "04.03.2024", "12.04.2024"
    with scope(jobcenter=jobcenter_a):
        result = run_import(ENROLMENTS, jobcenter=jobcenter_a, file=csv_file(rows),
                            filename="l.csv")
        assert result.errors == []
        assert Participant.objects.filter(jobcenter=jobcenter_a).count() == 2


@pytest.mark.django_db
def test_the_migration_normalises_existing_numbers_and_keeps_case_twins_apart(jobcenter_a,
                                                                             jobcenter_b):
    people = [ParticipantFactory(jobcenter=jc) for jc in (jobcenter_a, jobcenter_a,
                                                           jobcenter_a, jobcenter_b)]
    raw = ["888D873087", " 888d873087", "abc", "888d873087"]
    with connection.cursor() as cursor:  # as written before the numbers were normalised
        for person, number in zip(people, raw, strict=True):
            cursor.execute("UPDATE participants_participant SET customer_number = %s "
                           "WHERE id = %s", [number, person.pk])
    migration = importlib.import_module("participants.migrations.0003_customer_number_normalised")
    from django.apps import apps

    migration.normalise(apps, connection.schema_editor())
    with scopes_disabled():  # the people belong to two jobcenters
        numbers = [Participant.objects.get(pk=p.pk).customer_number for p in people]
    assert numbers == ["888D873087", "888D873087-2", "ABC", "888D873087"]


# --- E-mail login ------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_login_ignores_the_case_of_the_address(client):
    UserFactory(email="coach@jc.example")
    response = client.post(reverse("login"), {"username": " Coach@JC.example",
                                              "password": "geheim-genug-123"})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_addresses_are_stored_in_lower_case_also_from_the_admin(client):
    admin = User.objects.create_superuser("Operator@Example.ORG", "geheim-genug-123")
    assert admin.email == "operator@example.org"
    client.force_login(admin)
    response = client.post(reverse("admin:jobcenters_user_add"), {
        "email": "Neu@JC.Example", "password1": "ein-gutes-Passwort-42",
        "password2": "ein-gutes-Passwort-42", "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.filter(email="neu@jc.example").exists()
    response = client.post(reverse("admin:jobcenters_user_add"), {
        "email": "NEU@jc.example", "password1": "ein-gutes-Passwort-42",
        "password2": "ein-gutes-Passwort-42", "usable_password": "true"})
    assert response.status_code == 200  # the same address: refused as taken
    assert User.objects.filter(email__iexact="neu@jc.example").count() == 1


@pytest.mark.django_db
def test_failed_logins_count_for_the_address_whatever_its_case(client, settings):
    UserFactory(email="coach@jc.example")
    for variant in ("Coach@jc.example", "COACH@jc.example", "coach@JC.example",
                    "cOach@jc.example", "coaCH@jc.example"):
        client.post(reverse("login"), {"username": variant, "password": "falsch"})
    locked = client.post(reverse("login"), {"username": "coach@jc.example",
                                            "password": "geheim-genug-123"})
    assert not client.session.get("_auth_user_id")
    assert locked.status_code in (403, 429) or "gesperrt" in locked.content.decode()
