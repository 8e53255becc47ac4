"""The pages of the absence follow-up: "Heute", the list of cases, a case, a person's
Fehlzeitenübersicht; who reaches them, bad input, query counts."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from coaching.models import AbsenceCase, AbsenceStep, Attendance, GroupSession
from jobcenters.permissions import Role
from tests.factories import (
    AttendanceFactory,
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    MembershipFactory,
)
from tests.queries import queries_for


def open_case(cohort, *, last_name="Yilmaz", absences=2, **case):
    """A person of the group with `absences` unexcused absences and an open case."""
    enrolment = EnrolmentFactory(cohort=cohort, participant__last_name=last_name)
    for day in range(absences):
        session, _ = GroupSession.objects.with_scopes_disabled().get_or_create(
            cohort=cohort, held_on=cohort.planned_start + timedelta(days=day),
            defaults={"jobcenter": cohort.jobcenter, "starts_at": time(9)})
        AttendanceFactory(session=session, enrolment=enrolment,
                          status=Attendance.Status.UNEXCUSED)
    return AbsenceCase.objects.create(
        jobcenter=cohort.jobcenter, enrolment=enrolment, trigger=AbsenceCase.Trigger.IN_ROW,
        absences=absences, **{"opened_on": timezone.localdate(), **case})


def running_group(membership, code="WA-FZ"):
    today = timezone.localdate()
    cohort = CohortFactory(programme__jobcenter=membership.jobcenter, code=code,
                           planned_start=today - timedelta(days=30), planned_end=today)
    if membership.role == Role.COACH:
        CohortCoachFactory(cohort=cohort, user=membership.user)
    return cohort


def urls(case):
    code = case.jobcenter.code
    return [reverse("coaching:absence_case", kwargs={"jc": code, "pk": case.pk}),
            reverse("coaching:absence_overview", kwargs={"jc": code, "pk": case.enrolment_id})]


@pytest.fixture
def case(coach):
    return open_case(running_group(coach))


@pytest.mark.django_db
def test_the_coach_finds_the_case_on_heute_and_in_the_list(client, coach, case):
    client.force_login(coach.user)
    home = client.get(reverse("home", kwargs={"jc": "jc-a"})).content.decode()
    assert "Fehlzeiten klären" in home
    assert "Yilmaz" in home and "2× unentschuldigt in Folge" in home
    assert urls(case)[0] in home
    listing = client.get(reverse("coaching:absences", kwargs={"jc": "jc-a"})).content.decode()
    assert "Yilmaz" in listing and "WA-FZ" in listing and "noch kein Schritt" in listing
    for url in urls(case):
        page = client.get(url)
        assert page.status_code == 200
        assert page.content.decode().count("unentschuldigt") >= 2  # both absences


@pytest.mark.django_db
def test_the_fehlzeitenuebersicht_is_an_action_of_the_enrolment(client, coach, case):
    client.force_login(coach.user)
    page = client.get(reverse("participants:cohort",
                              kwargs={"jc": "jc-a", "pk": case.enrolment.cohort_id}))
    assert urls(case)[1] in page.content.decode()
    page = client.get(reverse("participants:detail",
                              kwargs={"jc": "jc-a", "pk": case.enrolment.participant_id}))
    assert urls(case)[1] in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employer_service", "jc_admin"])
def test_the_employer_service_and_the_administration_are_refused(request, client, case, role):
    """Roles without the right to attendance data get 403 for the jobcenter's own records
    (jobcenters.views.TenantMixin, tests/test_permission_matrix.py), never their content."""
    client.force_login(request.getfixturevalue(role).user)
    for url in [*urls(case), reverse("coaching:absences", kwargs={"jc": "jc-a"})]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Yilmaz" not in response.content.decode()


@pytest.mark.django_db
def test_a_coach_of_another_group_gets_404_and_an_empty_list(client, jobcenter_a, case):
    other = MembershipFactory(jobcenter=jobcenter_a, role=Role.COACH)
    running_group(other, code="WA-ANDERE")
    client.force_login(other.user)
    for url in urls(case):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"kind": "closed"}).status_code in (404, 405), url
    listing = client.get(reverse("coaching:absences", kwargs={"jc": "jc-a"}))
    assert "Yilmaz" not in listing.content.decode()
    assert "Yilmaz" not in client.get(reverse("home", kwargs={"jc": "jc-a"})).content.decode()
    with scope(jobcenter=jobcenter_a):
        assert not AbsenceStep.objects.exists()


@pytest.mark.django_db
def test_another_jobcenters_case_is_404(client, outsider, case):
    client.force_login(outsider.user)
    for url in urls(case):
        assert client.get(url).status_code == 404
        assert client.get(url.replace("/jc-a/", "/jc-b/")).status_code == 404


@pytest.mark.django_db
def test_the_team_lead_filters_the_cases_of_the_jobcenter(client, team_lead, jobcenter_a):
    group_x, group_y = running_group(team_lead, "WA-X"), running_group(team_lead, "WA-Y")
    open_case(group_x, last_name="Offen")
    closed = open_case(group_y, last_name="Erledigt", closed_on=timezone.localdate())
    contacted = open_case(group_y, last_name="Angerufen")
    AbsenceStep.objects.create(jobcenter=jobcenter_a, case=contacted, kind="contacted",
                               done_on=timezone.localdate(), recorded_by=team_lead.user)
    AbsenceStep.objects.create(jobcenter=jobcenter_a, case=closed, kind="closed",
                               done_on=timezone.localdate(), recorded_by=team_lead.user)
    client.force_login(team_lead.user)
    url = reverse("coaching:absences", kwargs={"jc": "jc-a"})

    def names(**query):
        text = client.get(url, query).content.decode()
        return {n for n in ("Offen", "Erledigt", "Angerufen") if f"{n}, " in text}

    assert names() == {"Offen", "Angerufen"}  # open cases by default
    assert names(status="closed") == {"Erledigt"}
    assert names(status="all") == {"Offen", "Erledigt", "Angerufen"}
    assert names(status="all", cohort=group_y.pk) == {"Erledigt", "Angerufen"}
    assert names(last_step="contacted") == {"Angerufen"}
    assert names(last_step="none") == {"Offen"}
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d.%m.%Y")
    assert names(status="all", opened_from=tomorrow) == set()
    assert names(status="all", opened_until=tomorrow) == {"Offen", "Erledigt", "Angerufen"}
    assert names(q="Angeru") == {"Angerufen"}


@pytest.mark.django_db
def test_the_case_page_records_a_good_reason_for_the_preselected_absences(client, coach,
                                                                         case):
    client.force_login(coach.user)
    url = urls(case)[0]
    page = client.get(url).content.decode()
    with scope(jobcenter=coach.jobcenter):
        absences = list(Attendance.objects.filter(enrolment=case.enrolment))
    for absence in absences:  # all unexcused absences checked by default
        assert f'value="{absence.pk}"' in page
    assert page.count("checked") >= len(absences)
    response = client.post(url, {"kind": "good_reason", "reason": "Arzttermin",
                                 "done_on": timezone.localdate().strftime("%d.%m.%Y"),
                                 "covered": [a.pk for a in absences]}, follow=True)
    text = response.content.decode()
    assert "„wichtiger Grund genannt“" in text and "gespeichert" in text
    assert "Wichtiger Grund: Arzttermin" in text
    with scope(jobcenter=coach.jobcenter):
        assert set(Attendance.objects.filter(enrolment=case.enrolment)
                   .values_list("status", flat=True)) == {"excused"}


@pytest.mark.django_db
def test_bad_input_on_the_case_page_is_shown_in_german_and_nothing_saved(client, coach, case,
                                                                       jobcenter_a):
    other = open_case(running_group(coach, "WA-ZWEI"), last_name="Fremdperson")
    with scope(jobcenter=jobcenter_a):
        theirs = Attendance.objects.filter(enrolment=other.enrolment).first()
    client.force_login(coach.user)
    url = urls(case)[0]
    today = timezone.localdate()
    tomorrow = (today + timedelta(days=1)).strftime("%d.%m.%Y")
    for data, message in (
        ({"kind": "contacted", "done_on": tomorrow}, "Das Datum liegt in der Zukunft."),
        ({"kind": "contacted", "done_on": "31.02.2026"}, "gültiges Datum"),
        ({"kind": "good_reason", "done_on": today.strftime("%d.%m.%Y"), "reason": ""},
         "Bitte nennen Sie den wichtigen Grund."),
        ({"kind": "good_reason", "done_on": today.strftime("%d.%m.%Y"), "reason": "krank",
          "covered": [theirs.pk]}, "gültige Auswahl"),
    ):
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
        assert "is-invalid" in response.content.decode()
    with scope(jobcenter=jobcenter_a):
        assert not AbsenceStep.objects.exists()
        assert theirs.__class__.objects.get(pk=theirs.pk).status == "unexcused"


@pytest.mark.django_db
def test_a_closed_case_leaves_heute_and_shows_no_form(client, coach, case):
    client.force_login(coach.user)
    response = client.post(urls(case)[0], {
        "kind": "closed", "done_on": timezone.localdate().strftime("%d.%m.%Y")}, follow=True)
    text = response.content.decode()
    assert "abgeschlossen am" in text and 'name="kind"' not in text
    assert "Yilmaz" not in client.get(reverse("home", kwargs={"jc": "jc-a"})).content.decode()


@pytest.mark.django_db
def test_heute_and_the_list_make_as_many_queries_for_2_as_for_12_cases(client, coach):
    cohort = running_group(coach)
    client.force_login(coach.user)
    pages = [reverse("home", kwargs={"jc": "jc-a"}),
             reverse("coaching:absences", kwargs={"jc": "jc-a"})]
    counts, cases = [], 0
    for total in (2, 12):
        for _ in range(total - cases):
            case = open_case(cohort, last_name=f"Person{total}")
            AbsenceStep.objects.create(jobcenter=cohort.jobcenter, case=case, kind="contacted",
                                       done_on=timezone.localdate(), recorded_by=coach.user)
        cases = total
        counts.append([queries_for(lambda url=url: client.get(url)) for url in pages])
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_programme_form_sets_the_absence_rule(client, jc_admin):
    from cohorts.models import Programme

    client.force_login(jc_admin.user)
    url = reverse("cohorts:programme_create", kwargs={"jc": "jc-a"})
    data = {"name": "Werkakademie Regel", "default_length_days": "42", "default_capacity": "16",
            "participants_per_coach": "16", "legal_basis": "sgb2", "is_active": "on"}
    page = client.get(url).content.decode()
    assert "Unentschuldigte Fehlzeiten in Folge" in page
    response = client.post(url, {**data, "absences_in_row": "0"})
    assert "größer oder gleich 1" in response.content.decode()
    response = client.post(url, {**data, "absences_in_row": "3", "absences_total": ""})
    assert response.status_code == 302
    with scope(jobcenter=jc_admin.jobcenter):
        programme = Programme.objects.get(name="Werkakademie Regel")
    assert (programme.absences_in_row, programme.absences_total) == (3, None)
