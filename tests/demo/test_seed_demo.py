import io
from collections import Counter
from datetime import date, timedelta

import holidays
import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import F, Sum
from django.test import RequestFactory
from django.utils import timezone
from django_scopes import scopes_disabled

from coaching.models import (
    AbsenceCase,
    AbsenceStep,
    Attendance,
    CurriculumItem,
    GroupSession,
    IndividualSession,
    Module,
    WeeklySlot,
)
from cohorts.models import Cohort, CohortCoach, Programme
from demo.tables import DEMO_PASSWORD
from employers.models import (
    Application,
    ContactPerson,
    Employer,
    EmployerActivity,
    FollowUp,
    Integration,
    Vacancy,
)
from jobcenters.models import Jobcenter, Membership, Site, User
from participants.models import Enrolment, Participant
from participants.selectors import cooperation_plan_reviews_due
from reports.models import Network, ReportSnapshot

TODAY = date(2025, 6, 30)
ARGS = {"jobcenters": 1, "years": 1, "today": TODAY.isoformat()}

# Children before parents, so that no PROTECT foreign key stops a delete.
MODELS_CHILDREN_FIRST = (
    Network, ReportSnapshot, AbsenceStep, AbsenceCase, Attendance, GroupSession,
    WeeklySlot, CurriculumItem, IndividualSession, Application,
    EmployerActivity, FollowUp,
    Integration, Vacancy, ContactPerson, Employer, Enrolment, Participant, CohortCoach, Cohort,
    Programme, Module, Membership, Site, Jobcenter, User,
)


def seed_demo(**args) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **{**ARGS, **args})
    return out.getvalue()


def rows(queryset, *fields):
    """The rows as sorted tuples; `repr` as key because values may be None."""
    return sorted(queryset.values_list(*fields), key=repr)


def fingerprint() -> dict:
    """Everything that must come out the same, without primary keys and timestamps."""
    with scopes_disabled():
        return {
            "jobcenters": rows(Jobcenter.objects, "code", "name", "land", "data_version"),
            "sites": rows(Site.objects, "jobcenter__code", "name", "street", "postal_code",
                          "town", "is_outreach"),
            "users": rows(User.objects, "email", "first_name", "last_name", "is_superuser"),
            "memberships": rows(Membership.objects, "user__email", "jobcenter__code", "role"),
            "cohorts": rows(Cohort.objects, "jobcenter__code", "code", "programme__name",
                            "site__name", "planned_start", "planned_end", "capacity", "status",
                            "focus"),
            "cohort_coaches": rows(CohortCoach.objects, "cohort__code", "user__email", "is_lead"),
            "participants": rows(Participant.objects, "customer_number", "first_name",
                                 "last_name", "birth_year", "gender", "long_term_unemployed",
                                 "topping_up", "refugee", "single_parent",
                                 "health_limitations", "language_level"),
            "enrolments": rows(Enrolment.objects, "participant__customer_number", "cohort__code",
                               "assigned_on", "info_event_on", "joined_on", "cooperation_plan_on",
                               "cooperation_plan_review_on",
                               "is_voluntary", "exit_on", "exit_reason", "dropout_reason",
                               "notes"),
            "integrations": rows(Integration.objects, "enrolment__participant__customer_number",
                                 "enrolment__cohort__code", "kind", "start_on",
                                 "employer__name", "weekly_hours", "subsidy"),
            "followups": rows(FollowUp.objects,
                              "integration__enrolment__participant__customer_number",
                              "integration__start_on", "due_month", "due_on",
                              "still_employed", "checked_on"),
            "sessions": rows(GroupSession.objects, "cohort__code", "held_on", "starts_at",
                             "status", "module__name", "room", "notes", "coaches__email"),
            "curricula": rows(CurriculumItem.objects, "programme__jobcenter__code",
                              "programme__name", "position", "module__name", "sessions"),
            "slots": rows(WeeklySlot.objects, "cohort__code", "weekday", "starts_at", "ends_at",
                          "room"),
            "absence_cases": rows(AbsenceCase.objects, "enrolment__participant__customer_number",
                                  "trigger", "absences", "opened_on", "closed_on"),
            "absence_steps": rows(AbsenceStep.objects,
                                  "case__enrolment__participant__customer_number", "kind",
                                  "done_on", "note", "reason", "covered__session__held_on"),
            "attendance": sorted(Counter(Attendance.objects.values_list(
                "session__cohort__code", "status")).items()),
            "attendance_rows": rows(Attendance.objects, "session__cohort__code",
                                    "session__held_on", "enrolment__participant__customer_number",
                                    "status", "note"),
            "individual_sessions": rows(IndividualSession.objects,
                                        "enrolment__participant__customer_number", "coach__email",
                                        "held_on", "minutes", "channel", "confidential_note"),
            "employers": rows(Employer.objects, "name", "sector", "town", "size",
                              "consent_to_contact"),
            "contacts": rows(ContactPerson.objects, "employer__name", "name", "position",
                             "phone", "email"),
            "vacancies": rows(Vacancy.objects, "employer__name", "title", "weekly_hours",
                              "starts_on", "places", "status"),
            "activities": rows(EmployerActivity.objects, "employer__name", "cohort__code", "kind",
                               "happened_on", "by__email", "outcome", "next_step_due_on"),
            "applications": rows(Application.objects, "enrolment__participant__customer_number",
                                 "employer__name", "vacancy__title", "source", "stage",
                                 "stage_changed_on", "subsidy_offered"),
        }


def row_counts() -> dict:
    with scopes_disabled():
        return {model.__name__: model.objects.count() for model in MODELS_CHILDREN_FIRST}


def delete_everything():
    with scopes_disabled():
        for model in MODELS_CHILDREN_FIRST:
            model.objects.all().delete()


def printed_logins(output: str) -> list[tuple[str, str, str, str]]:
    """The rows of the login table: (e-mail, role, jobcenter, password)."""
    return [tuple(line.split()) for line in output.splitlines()
            if "@" in line and line.strip().endswith(DEMO_PASSWORD)]


@pytest.mark.django_db
def test_same_arguments_give_the_same_data():
    seed_demo()
    first = fingerprint()
    assert all(first.values()), [name for name, value in first.items() if not value]

    delete_everything()
    assert not any(row_counts().values())
    seed_demo()

    assert fingerprint() == first


@pytest.mark.django_db
def test_a_database_with_data_is_left_alone():
    seed_demo()
    before = fingerprint()

    output = seed_demo(jobcenters=2, years=2)

    assert "Database already has data; nothing seeded." in output
    assert fingerprint() == before


@pytest.mark.django_db
def test_any_jobcenter_counts_as_data():
    Jobcenter.objects.create(code="jc-eigenes", name="Jobcenter Eigenes", land="NW")

    output = seed_demo()

    assert "nothing seeded" in output
    assert list(Jobcenter.objects.values_list("code", flat=True)) == ["jc-eigenes"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_data_respects_the_domain():
    output = seed_demo()

    with scopes_disabled():
        for attendance in Attendance.objects.select_related("session", "enrolment"):
            assert attendance.enrolment.is_enrolled_on(attendance.session.held_on)
            assert attendance.enrolment.cohort_id == attendance.session.cohort_id

        enrolments = Enrolment.objects.select_related("cohort")
        finished = enrolments.filter(cohort__status=Cohort.Status.FINISHED,
                                     joined_on__isnull=False)
        assert finished.exists()
        assert not finished.filter(exit_on__isnull=True).exists()
        assert not enrolments.filter(exit_on__gt=TODAY).exists()
        assert not enrolments.filter(joined_on__gt=TODAY).exists()
        assert not enrolments.filter(assigned_on__gt=TODAY).exists()
        assert enrolments.filter(exit_reason=Enrolment.ExitReason.DROPOUT).exclude(
            dropout_reason="").exists()
        assert any(e.joined_on > e.cohort.planned_start for e in enrolments.filter(
            joined_on__isnull=False))
        assert enrolments.filter(
            joined_on__isnull=True,
            cohort__status__in=[Cohort.Status.FINISHED, Cohort.Status.RUNNING],
        ).exists()
        for enrolment in enrolments.filter(joined_on__isnull=False):
            assert enrolment.assigned_on <= enrolment.joined_on
            assert enrolment.cohort.planned_start <= enrolment.joined_on
            assert enrolment.exit_on is None or enrolment.exit_on <= enrolment.cohort.planned_end

        integrations = Integration.objects.select_related("enrolment")
        assert integrations.filter(kind__in=Integration.COUNTING_KINDS).exists()
        for integration in integrations:
            assert integration.enrolment.joined_on <= integration.start_on <= TODAY
        for followup in FollowUp.objects.select_related("integration"):
            assert followup.due_on == FollowUp.due_date(followup.integration.start_on,
                                                        followup.due_month)
            assert followup.checked_on is None or followup.checked_on <= TODAY

        statuses = set(Cohort.objects.values_list("status", flat=True))
        assert statuses == {"planned", "running", "finished", "cancelled"}
        for cohort in Cohort.objects.exclude(status=Cohort.Status.CANCELLED):
            expected = ("finished" if cohort.planned_end < TODAY
                        else "running" if cohort.planned_start <= TODAY else "planned")
            assert cohort.status == expected

    logins = printed_logins(output)
    roles = {role for _, role, _, _ in logins}
    assert {"operator", "team_lead", "coach"} <= roles
    for email, role, _, password in logins:
        if role in ("team_lead", "coach", "operator"):
            request = RequestFactory().post("/accounts/login/")  # login throttling needs one
            assert authenticate(request, username=email, password=password) is not None, email
    operator = User.objects.get(email="betrieb@werkakademie.example")
    assert operator.is_superuser and not operator.memberships.exists()


@pytest.mark.django_db
def test_every_row_stays_within_its_jobcenter():
    """bulk_create skips TenantModel.save(), so the seeder must set jobcenters right itself."""
    seed_demo(jobcenters=2)

    with scopes_disabled():
        assert Jobcenter.objects.count() == 2
        checks = {
            Cohort: ("programme", "site"), CohortCoach: ("cohort",),
            Enrolment: ("participant", "cohort"), Integration: ("enrolment", "employer"),
            FollowUp: ("integration",), GroupSession: ("cohort", "module"),
            Attendance: ("session", "enrolment"), IndividualSession: ("enrolment",),
            ContactPerson: ("employer",), Vacancy: ("employer",),
            EmployerActivity: ("employer", "cohort"),
            Application: ("enrolment", "employer", "vacancy"),
        }
        for model, parents in checks.items():
            for parent in parents:
                foreign = model.objects.exclude(**{f"{parent}__isnull": True}).exclude(
                    **{f"{parent}__jobcenter": F("jobcenter")})
                assert not foreign.exists(), (model.__name__, parent)
        for coach in CohortCoach.objects.select_related("user"):
            assert coach.user.memberships.filter(jobcenter_id=coach.jobcenter_id).exists()
        for application in Application.objects.filter(vacancy__isnull=False):
            assert application.vacancy.employer_id == application.employer_id


@pytest.fixture
def on_demo_day(monkeypatch):
    """The demo's reference date is the application's today ("Heute", the absence steps)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def login(client, email):
    client.force_login(User.objects.get(email=email))
    return client


@pytest.mark.django_db
def test_curricula_and_plans_of_the_current_groups(on_demo_day):
    seed_demo()

    with scopes_disabled():
        sessions_per_programme = dict(CurriculumItem.objects.values_list(
            "programme__name").annotate(Sum("sessions")))
        assert sessions_per_programme == {"Werkakademie": 42, "Jobakademie u25": 72,
                                          "Jobclub": 12}
        current = Cohort.objects.filter(status__in=[Cohort.Status.RUNNING,
                                                    Cohort.Status.PLANNED])
        assert current.filter(status=Cohort.Status.RUNNING).exists()
        assert current.filter(status=Cohort.Status.PLANNED).exists()
        land = Jobcenter.objects.get().land
        days_off = holidays.country_holidays("DE", subdiv=land, years=[2025, 2026])
        for cohort in current:
            assert cohort.weekly_slots.exists(), cohort.code
            planned = cohort.sessions.filter(status=GroupSession.Status.PLANNED)
            assert planned.exists(), cohort.code
            assert not planned.filter(held_on__lt=TODAY).exists()
            assert not cohort.sessions.filter(status=GroupSession.Status.HELD,
                                              held_on__gte=TODAY).exists()
            assert not any(day in days_off for day in planned.values_list("held_on", flat=True))
            assert planned.filter(module__isnull=False).exists()
        assert not GroupSession.objects.filter(status=GroupSession.Status.PLANNED).exclude(
            cohort__in=current).exists()
        # Finished groups keep their held sessions.
        assert GroupSession.objects.filter(cohort__status=Cohort.Status.FINISHED,
                                           status=GroupSession.Status.HELD).exists()
        coach1 = User.objects.get(email="coach1@jc-dortmund.example")
        weekdays = set(WeeklySlot.objects.filter(
            cohort__status=Cohort.Status.RUNNING,
            cohort__cohort_coaches__user=coach1).values_list("weekday", flat=True))
        assert {0, 1, 2, 3, 4} <= weekdays


@pytest.mark.django_db
def test_absence_cases_at_every_step_in_dortmund(on_demo_day):
    seed_demo()

    with scopes_disabled():
        cases = AbsenceCase.objects.filter(jobcenter__code="jc-dortmund")
        last_steps = Counter(
            (case.steps.order_by("done_on", "pk").values_list("kind", flat=True).last())
            for case in cases)
        assert {None, "contacted", "good_reason", "hearing", "handed_over",
                "closed"} <= set(last_steps)
        for case in cases.select_related("enrolment__cohort__programme"):
            assert case.enrolment.cohort.status == Cohort.Status.RUNNING
            assert not case.enrolment.is_voluntary and case.enrolment.exit_on is None
            assert case.enrolment.cohort.cohort_coaches.filter(
                user__email="coach1@jc-dortmund.example").exists()
            assert case.opened_on <= TODAY
            assert all(case.opened_on <= day <= TODAY
                       for day in case.steps.values_list("done_on", flat=True))
            assert (case.closed_on is not None) == case.steps.filter(kind="closed").exists()
        # A good reason excused the absences it covers.
        covered = Attendance.objects.filter(excused_by__isnull=False)
        assert covered.exists()
        assert set(covered.values_list("status", flat=True)) == {"excused"}


@pytest.mark.django_db
def test_coach1_sees_today_s_session_an_absence_case_and_a_review_due(client, on_demo_day):
    seed_demo()

    with scopes_disabled():
        membership = Membership.objects.get(user__email="coach1@jc-dortmund.example")
        due = list(cooperation_plan_reviews_due(membership=membership,
                                                until=TODAY + timedelta(days=14)))
        assert due and all(e.cooperation_plan_review_on <= TODAY + timedelta(days=14)
                           for e in due)
        assert Enrolment.objects.filter(
            cooperation_plan_on__isnull=False, cooperation_plan_review_on__isnull=True
        ).count() == 0
        today = GroupSession.objects.filter(
            jobcenter__code="jc-dortmund", held_on=TODAY, status=GroupSession.Status.PLANNED,
            coaches=membership.user)
        assert today.exists()

    html = login(client, "coach1@jc-dortmund.example").get("/jc-dortmund/").content.decode()
    assert "Anwesenheit erfassen" in html  # today's planned session, one tap away
    assert "Fehlzeiten klären" in html and "noch kein Schritt" in html
    assert "Kooperationspläne zur Überprüfung" in html
    assert due[0].participant.last_name in html
