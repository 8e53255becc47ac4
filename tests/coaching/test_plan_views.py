"""The plan tab and the curriculum page as their users meet them: German errors next to the
field with nothing saved, clashes asked about before saving, 404 for what is not theirs."""

from datetime import time, timedelta

import holidays
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from coaching.models import CurriculumItem, GroupSession, WeeklySlot
from coaching.planning import SlotData, curriculum_save, weekly_slots_save
from tests.factories import (
    CohortCoachFactory,
    CohortFactory,
    GroupSessionFactory,
    MembershipFactory,
    ModuleFactory,
    ProgrammeFactory,
)

PLANNED, HELD, CANCELLED = (GroupSession.Status.PLANNED, GroupSession.Status.HELD,
                            GroupSession.Status.CANCELLED)


def next_holiday(land="NW"):
    """The next public holiday of the Land on a weekday, at least two days ahead."""
    today = timezone.localdate()
    names = holidays.country_holidays("DE", subdiv=land, language="de",
                                      years=[today.year, today.year + 1])
    return min((day, name) for day, name in names.items()
               if day > today + timedelta(days=1) and day.weekday() < 5)


def cohort_around_a_holiday(coach):
    """A cohort of the coach from two weeks before the next holiday to two weeks after,
    meeting on the holiday's weekday."""
    holiday, name = next_holiday(coach.jobcenter.land)
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-PLAN",
                           planned_start=holiday - timedelta(days=14),
                           planned_end=holiday + timedelta(days=14))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    with scope(jobcenter=coach.jobcenter):
        weekly_slots_save(cohort=cohort, slots=[SlotData(
            weekday=holiday.weekday(), starts_at=time(9), ends_at=time(12), room="Raum 2.07")])
    return cohort, holiday, name


def url(name, cohort, **kwargs):
    return reverse(name, kwargs={"jc": cohort.jobcenter.code, "pk": cohort.pk, **kwargs})


def session_url(name, session):
    return reverse(name, kwargs={"jc": session.jobcenter.code, "cohort_pk": session.cohort_id,
                                 "pk": session.pk})


def slot_post(*rows, initial=0):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(initial),
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}
    for i, (weekday, starts_at, ends_at, room) in enumerate(rows):
        data.update({f"form-{i}-weekday": weekday, f"form-{i}-starts_at": starts_at,
                     f"form-{i}-ends_at": ends_at, f"form-{i}-room": room})
    return data


@pytest.mark.django_db
def test_the_plan_lists_sessions_in_date_order_with_status_and_actions(client, coach):
    cohort, holiday, _name = cohort_around_a_holiday(coach)
    today = timezone.localdate()
    for day, status in ((today - timedelta(days=1), HELD), (today, PLANNED),
                        (today + timedelta(days=1), CANCELLED),
                        (today + timedelta(days=2), PLANNED)):
        GroupSessionFactory(cohort=cohort, held_on=day, status=status, room="Raum 2.07")
    client.force_login(coach.user)
    html = client.get(url("coaching:plan", cohort)).content.decode()
    assert "<h2" in html and "Wochenzeiten" in html and "Raum 2.07" in html
    for word in ("durchgeführt", "geplant", "abgesagt"):
        assert word in html
    assert html.count("Verschieben") == 2 * 2  # buttons and folded menu
    assert html.count("Absagen<span") == 2 * 2
    assert html.count("Anwesenheit erfassen<span") == 1 * 2  # today's only, not tomorrow's
    assert "Plan neu erstellen" in html and "Sitzung planen" in html
    dates = [(today + timedelta(days=d)).strftime("%d.%m.%Y") for d in (-1, 0, 1, 2)]
    assert [html.index(d) for d in dates] == sorted(html.index(d) for d in dates)


@pytest.mark.django_db
def test_the_plan_page_takes_the_same_queries_for_5_and_for_40_sessions(
        client, coach, django_assert_num_queries):
    cohort, _holiday, _name = cohort_around_a_holiday(coach)
    cohort.planned_end = cohort.planned_start + timedelta(days=60)
    cohort.save()
    other = CohortFactory(programme=cohort.programme, site=cohort.site)
    CohortCoachFactory(cohort=other, user=coach.user)
    client.force_login(coach.user)

    def add(count, start):
        for i in range(count):
            day = cohort.planned_start + timedelta(days=start + i)
            s = GroupSessionFactory(cohort=cohort, held_on=day, status=PLANNED, room="Raum 1")
            s.coaches.add(coach.user)
            clash = GroupSessionFactory(cohort=other, held_on=day, status=PLANNED,
                                        room="Raum 1")
            clash.coaches.add(coach.user)

    add(5, 0)
    client.get(url("coaching:plan", cohort))  # warm up (sessions, caches)
    with CaptureQueriesContext(connection) as five:
        html = client.get(url("coaching:plan", cohort)).content.decode()
    assert html.count("Überschneidung") == 5
    add(35, 5)
    with django_assert_num_queries(len(five)):
        html = client.get(url("coaching:plan", cohort)).content.decode()
    assert html.count("Überschneidung") == 40


@pytest.mark.django_db
def test_others_do_not_reach_the_plan(client, coach, employer_service, jc_admin, outsider):
    cohort, _holiday, _name = cohort_around_a_holiday(coach)
    for member, status in ((employer_service, 403), (jc_admin, 403), (outsider, 404)):
        client.force_login(member.user)
        assert client.get(url("coaching:plan", cohort, jc=member.jobcenter.code)
                          ).status_code == status
    other_coach = MembershipFactory(jobcenter=coach.jobcenter)  # coaches another group
    client.force_login(other_coach.user)
    assert client.get(url("coaching:plan", cohort)).status_code == 404
    assert client.post(url("coaching:plan_generate", cohort)).status_code == 404
    with scope(jobcenter=coach.jobcenter):
        assert not GroupSession.objects.filter(cohort=cohort).exists()


@pytest.mark.django_db
def test_weekly_slots_are_saved_from_the_plan_page(client, coach):
    cohort, holiday, _name = cohort_around_a_holiday(coach)
    client.force_login(coach.user)
    response = client.post(url("coaching:plan", cohort), slot_post(
        ("0", "09:00", "12:00", "Raum 1"), ("3", "13:00", "15:30", ""), ("", "", "", "")))
    assert response.status_code == 302
    with scope(jobcenter=coach.jobcenter):
        assert list(WeeklySlot.objects.filter(cohort=cohort).values_list(
            "weekday", "starts_at", "ends_at", "room")) == [
            (0, time(9), time(12), "Raum 1"), (3, time(13), time(15, 30), "")]
    data = slot_post(("0", "09:00", "12:00", "Raum 1"), ("3", "13:00", "15:30", ""), initial=2)
    client.post(url("coaching:plan", cohort), {**data, "form-0-DELETE": "on"})
    with scope(jobcenter=coach.jobcenter):
        assert list(WeeklySlot.objects.filter(cohort=cohort).values_list("weekday", flat=True)
                    ) == [3]


@pytest.mark.django_db
@pytest.mark.parametrize("row, field, german", [
    (("1", "12:00", "09:00", ""), "ends_at", "Das Ende der Sitzung muss nach ihrem Beginn liegen."),
    (("7", "09:00", "12:00", ""), "weekday", "Bitte eine gültige Auswahl treffen."),
    (("1", "neun", "12:00", ""), "starts_at", "Bitte geben Sie eine Uhrzeit im Format HH:MM ein."),
])
def test_bad_slots_get_a_german_error_at_the_field_and_nothing_is_saved(
        client, coach, row, field, german):
    cohort, holiday, _name = cohort_around_a_holiday(coach)
    client.force_login(coach.user)
    response = client.post(url("coaching:plan", cohort), slot_post(row))
    assert response.status_code == 200
    form = response.context["form"].forms[0]
    assert any(e.startswith(german) for e in form.errors[field]), form.errors
    with scope(jobcenter=coach.jobcenter):
        assert list(WeeklySlot.objects.filter(cohort=cohort).values_list("weekday", flat=True)
                    ) == [holiday.weekday()]


@pytest.mark.django_db
def test_the_preview_names_the_holiday_and_the_plan_is_written_once_confirmed(client, coach):
    cohort, holiday, name = cohort_around_a_holiday(coach)
    with scope(jobcenter=coach.jobcenter):
        curriculum_save(programme=cohort.programme,
                        items=[(ModuleFactory(jobcenter=coach.jobcenter, name="Berufskunde"), 1)])
    client.force_login(coach.user)
    html = client.get(url("coaching:plan_generate", cohort)).content.decode()
    assert name in html and holiday.strftime("%d.%m.%Y") in html
    assert "Berufskunde" in html
    with scope(jobcenter=coach.jobcenter):
        assert not GroupSession.objects.filter(cohort=cohort).exists()  # asked, not written
    response = client.post(url("coaching:plan_generate", cohort), follow=True)
    with scope(jobcenter=coach.jobcenter):
        planned = list(GroupSession.objects.filter(cohort=cohort, status=PLANNED))
    assert planned and holiday not in [s.held_on for s in planned]
    assert f"{len(planned)} Sitzung" in response.content.decode()


@pytest.mark.django_db
def test_a_clash_is_shown_with_save_anyway_before_the_session_is_saved(client, coach):
    cohort, holiday, _name = cohort_around_a_holiday(coach)
    day = holiday + timedelta(days=1)
    other = CohortFactory(programme=cohort.programme, code="WA-ANDERE",
                          planned_start=cohort.planned_start, planned_end=cohort.planned_end)
    CohortCoachFactory(cohort=other, user=coach.user)
    GroupSessionFactory(cohort=other, held_on=day, status=PLANNED).coaches.add(coach.user)
    client.force_login(coach.user)
    data = {"held_on": day.strftime("%d.%m.%Y"), "starts_at": "10:00", "ends_at": "11:30",
            "room": "Raum 5", "coaches": [coach.user_id]}
    response = client.post(url("coaching:plan_session_create", cohort), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "WA-ANDERE" in html and "Trotzdem speichern" in html
    with scope(jobcenter=coach.jobcenter):
        assert not GroupSession.objects.filter(cohort=cohort).exists()
    response = client.post(url("coaching:plan_session_create", cohort),
                           {**data, "confirm_clash": "on"})
    assert response.status_code == 302
    with scope(jobcenter=coach.jobcenter):
        saved = GroupSession.objects.get(cohort=cohort)
    assert (saved.status, saved.held_on, saved.starts_at) == (PLANNED, day, time(10))


@pytest.mark.django_db
def test_a_room_clash_with_a_cohort_the_coach_does_not_reach_leaves_that_cohort_unnamed(
        client, coach):
    cohort, holiday, _name = cohort_around_a_holiday(coach)
    day = holiday + timedelta(days=1)
    foreign = CohortFactory(programme=cohort.programme, site=cohort.site, code="WA-FREMD",
                            planned_start=cohort.planned_start, planned_end=cohort.planned_end)
    GroupSessionFactory(cohort=foreign, held_on=day, status=PLANNED, room="Raum 2.07")
    client.force_login(coach.user)
    html = client.post(url("coaching:plan_session_create", cohort), {
        "held_on": day.strftime("%d.%m.%Y"), "starts_at": "09:00", "ends_at": "10:00",
        "room": "RAUM 2.07"}).content.decode()
    assert "eine andere Gruppe" in html and "derselbe Raum" in html
    assert "WA-FREMD" not in html


@pytest.mark.django_db
def test_a_planned_session_is_moved_and_cancelled_and_a_held_one_is_left_alone(client, coach):
    cohort, holiday, _name = cohort_around_a_holiday(coach)
    planned = GroupSessionFactory(cohort=cohort, held_on=holiday + timedelta(days=1),
                                  status=PLANNED)
    held = GroupSessionFactory(cohort=cohort, held_on=cohort.planned_start, status=HELD)
    client.force_login(coach.user)
    moved_to = holiday + timedelta(days=2)
    response = client.post(session_url("coaching:plan_session_update", planned), {
        "held_on": moved_to.strftime("%d.%m.%Y"), "starts_at": "08:30", "ends_at": "08:00"})
    assert "Das Ende der Sitzung muss nach ihrem Beginn liegen." in response.content.decode()
    response = client.post(session_url("coaching:plan_session_update", planned), {
        "held_on": moved_to.strftime("%d.%m.%Y"), "starts_at": "08:30", "ends_at": "11:00"})
    assert response.status_code == 302
    assert "Absagen" in client.get(session_url("coaching:plan_session_cancel", planned)
                                   ).content.decode()
    client.post(session_url("coaching:plan_session_cancel", planned))
    for name in ("coaching:plan_session_update", "coaching:plan_session_cancel"):
        assert client.post(session_url(name, held), {}).status_code == 302
    with scope(jobcenter=coach.jobcenter):
        planned.refresh_from_db()
        held.refresh_from_db()
    assert (planned.held_on, planned.starts_at, planned.status) == (moved_to, time(8, 30),
                                                                     CANCELLED)
    assert (held.held_on, held.status) == (cohort.planned_start, HELD)


def curriculum_post(*rows, initial=0):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(initial),
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}
    for i, (position, module, sessions) in enumerate(rows):
        data.update({f"form-{i}-position": position, f"form-{i}-module": module,
                     f"form-{i}-sessions": sessions})
    return data


@pytest.mark.django_db
def test_the_admin_orders_the_curriculum_and_the_team_lead_reads_it(
        client, jc_admin, team_lead, coach):
    programme = ProgrammeFactory(jobcenter=jc_admin.jobcenter, name="Werkakademie Nord")
    profile, papers, interview = (ModuleFactory(jobcenter=jc_admin.jobcenter, name=n) for n in
                                  ("Kompetenzprofil", "Bewerbungsunterlagen",
                                   "Vorstellungsgespräch"))
    page = reverse("coaching:curriculum", kwargs={"jc": jc_admin.jobcenter.code,
                                                  "pk": programme.pk})
    client.force_login(jc_admin.user)
    programmes = client.get(reverse("cohorts:programmes", kwargs={"jc": jc_admin.jobcenter.code}))
    assert page in programmes.content.decode()
    response = client.post(page, curriculum_post(
        ("1", profile.pk, "5"), ("2", papers.pk, "10"), ("", interview.pk, "3"),
        ("", "", "")))
    assert response.status_code == 302
    # Vorstellungsgespräch moved to the top: it goes before the module standing there.
    client.post(page, curriculum_post(
        ("1", profile.pk, "5"), ("2", papers.pk, "10"), ("1", interview.pk, "3"), initial=3))
    with scope(jobcenter=jc_admin.jobcenter):
        assert list(CurriculumItem.objects.filter(programme=programme).values_list(
            "position", "module__name", "sessions")) == [
            (1, "Vorstellungsgespräch", 3), (2, "Kompetenzprofil", 5),
            (3, "Bewerbungsunterlagen", 10)]
    assert "18 Sitzungen" in client.get(page).content.decode()

    client.force_login(team_lead.user)
    html = client.get(page).content.decode()
    assert "Vorstellungsgespräch" in html and "<form method=\"post\" novalidate>" not in html
    assert client.post(page, curriculum_post(("1", profile.pk, "1"))).status_code == 403
    client.force_login(coach.user)
    assert client.get(page).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("sessions, german", [
    ("zehn", "Bitte eine ganze Zahl eingeben"),
    ("0", "von 1 bis 100"),
    ("2,5", "Bitte eine ganze Zahl eingeben"),
])
def test_a_bad_number_of_sessions_gets_a_german_error_and_nothing_is_saved(
        client, jc_admin, sessions, german):
    programme = ProgrammeFactory(jobcenter=jc_admin.jobcenter)
    module = ModuleFactory(jobcenter=jc_admin.jobcenter)
    with scope(jobcenter=jc_admin.jobcenter):
        curriculum_save(programme=programme, items=[(module, 4)])
    client.force_login(jc_admin.user)
    response = client.post(
        reverse("coaching:curriculum", kwargs={"jc": jc_admin.jobcenter.code,
                                               "pk": programme.pk}),
        curriculum_post(("1", module.pk, sessions)))
    assert response.status_code == 200
    assert german in " ".join(response.context["form"].forms[0].errors["sessions"])
    with scope(jobcenter=jc_admin.jobcenter):
        assert list(CurriculumItem.objects.filter(programme=programme)
                    .values_list("sessions", flat=True)) == [4]
