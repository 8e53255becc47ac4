"""Tenant scoping fails closed: no scope, no rows; another jobcenter's object is a 404."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopeError, scope

from coaching.models import AbsenceCase
from cohorts.models import Cohort
from jobcenters.scoping import TenantModel
from participants.models import Enrolment, Participant
from tests.factories import (
    ApplicationFactory,
    CohortCoachFactory,
    CohortFactory,
    ContactPersonFactory,
    EmployerActivityFactory,
    EnrolmentFactory,
    FollowUpFactory,
    GroupSessionFactory,
    IndividualSessionFactory,
    IntegrationFactory,
    MembershipFactory,
    SiteFactory,
    VacancyFactory,
)

TENANT_MODELS = sorted(
    (m for m in apps.get_models() if issubclass(m, TenantModel)), key=lambda m: m._meta.label
)


@pytest.mark.django_db
@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda m: m._meta.label)
def test_a_query_outside_a_jobcenter_scope_raises(model):
    with scope(), pytest.raises(ScopeError):
        list(model.objects.all())


@pytest.mark.django_db
def test_inside_a_scope_only_that_jobcenters_rows_exist(jobcenter_a, jobcenter_b):
    mine = CohortFactory(programme__jobcenter=jobcenter_a)
    CohortFactory(programme__jobcenter=jobcenter_b)
    with scope(jobcenter=jobcenter_a):
        assert list(Cohort.objects.all()) == [mine]


@pytest.fixture
def world(coach, jobcenter_a, jobcenter_b):
    """In A: a cohort the coach runs, one they don't; in B: a cohort with a participant, and
    B's employer service: an employer with an open vacancy, an application and a next step
    due this week."""
    coached = CohortFactory(programme__jobcenter=jobcenter_a, code="A-MINE")
    CohortCoachFactory(cohort=coached, user=coach.user)
    other = CohortFactory(programme__jobcenter=jobcenter_a, code="A-OTHER")
    foreign = CohortFactory(programme__jobcenter=jobcenter_b, code="B-FOREIGN")
    foreign_enrolment = EnrolmentFactory(cohort=foreign, participant__last_name="Fremd")
    foreign_vacancy = VacancyFactory(employer__jobcenter=jobcenter_b,
                                     employer__name="Fremdfirma GmbH", title="Fremdstelle")
    return {
        "coached": coached,
        "coached_enrolment": EnrolmentFactory(cohort=coached, participant__last_name="Mein"),
        "other": other,
        "other_enrolment": EnrolmentFactory(cohort=other, participant__last_name="Anders"),
        "foreign": foreign,
        "foreign_enrolment": foreign_enrolment,
        "foreign_site": SiteFactory(jobcenter=jobcenter_b, name="Fremder Standort"),
        "foreign_application": ApplicationFactory(
            enrolment=foreign_enrolment, employer=foreign_vacancy.employer,
            vacancy=foreign_vacancy),
        "foreign_activity": EmployerActivityFactory(
            employer=foreign_vacancy.employer, next_step="Fremdtermin",
            next_step_due_on=timezone.localdate()),
    }


@pytest.mark.django_db
def test_a_coach_sees_the_cohorts_and_people_they_coach(world, coach):
    with scope(jobcenter=coach.jobcenter):
        assert list(Cohort.objects.visible_to(coach)) == [world["coached"]]
        assert list(Participant.objects.visible_to(coach)) == [
            world["coached_enrolment"].participant
        ]
        assert list(Enrolment.objects.visible_to(coach)) == [world["coached_enrolment"]]


@pytest.mark.django_db
def test_a_team_lead_sees_the_whole_jobcenter_and_nothing_else(world, team_lead):
    with scope(jobcenter=team_lead.jobcenter):
        assert set(Cohort.objects.visible_to(team_lead)) == {world["coached"], world["other"]}
        assert Participant.objects.visible_to(team_lead).count() == 2


@pytest.mark.django_db
def test_the_employer_service_sees_people_in_the_pipeline_only(world, employer_service):
    ApplicationFactory(enrolment=world["other_enrolment"])
    with scope(jobcenter=employer_service.jobcenter):
        assert list(Participant.objects.visible_to(employer_service)) == [
            world["other_enrolment"].participant
        ]


@pytest.mark.django_db
def test_an_admin_sees_no_participants(world, jc_admin):
    with scope(jobcenter=jc_admin.jobcenter):
        assert not Participant.objects.visible_to(jc_admin).exists()
        assert not Cohort.objects.visible_to(jc_admin).exists()


def _login(client, membership):
    client.force_login(membership.user)
    return membership.jobcenter.code


LIST_PAGES = ["home", "cohorts:list", "participants:list", "jobcenters:sites",
              "jobcenters:staff", "employers:list", "employers:vacancies", "employers:due",
              "reports:dashboard", "reports:drilldown", "participants:audit",
              "privacy:retention", "coaching:calendar"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coach", "team_lead", "employer_service", "jc_admin"])
def test_no_list_shows_another_jobcenters_data(request, client, world, role):
    member = request.getfixturevalue(role)
    code = _login(client, member)
    for name in LIST_PAGES:
        response = client.get(reverse(name, kwargs={"jc": code}), follow=True)
        assert response.status_code in (200, 403), name
        html = response.content.decode()
        for foreign in ("B-FOREIGN", "Fremd", "jc-b"):  # "Fremd…": every name of B
            assert foreign not in html, (name, foreign)


# Every tenant URL that names an object, and which object of the world it names.
OBJECT_URLS = {
    "cohorts:update": "cohort",
    "participants:cohort": "cohort",
    "participants:enrol": "cohort",
    "participants:detail": "participant",
    "participants:update": "participant",
    "participants:enrolment_update": "enrolment",
    "participants:exit": "enrolment",
    "participants:exit_withdraw": "enrolment",
    "employers:followup": "followup",
    "coaching:sessions": "cohort",
    "coaching:session_create": "cohort",
    "coaching:session_update": "session",
    "coaching:session_delete": "session",
    "coaching:matrix": "cohort",
    "coaching:print": "cohort",
    "coaching:plan": "cohort",
    "coaching:plan_generate": "cohort",
    "coaching:plan_session_create": "cohort",
    "coaching:plan_session_update": "session",
    "coaching:plan_session_cancel": "session",
    "coaching:curriculum": "programme",
    "coaching:individual": "enrolment",
    "coaching:individual_update": "individual_session",
    "coaching:individual_remove": "individual_session",
    "coaching:absence_case": "absence_case",
    "coaching:absence_overview": "enrolment",
    "documents:certificate": "enrolment",
    "documents:cohort_certificates": "cohort",
    "documents:card_sheet": "participant",
    "documents:participant": "participant",
    "documents:profile_save": "participant",
    "documents:cv_upload": "participant",
    "documents:cv_remove": "participant",
    "documents:cv": "participant",
    "documents:photo_upload": "participant",
    "documents:photo_remove": "participant",
    "documents:photo": "participant",
    "documents:consent_record": "participant",
    "documents:consent_withdraw": "participant",
    "documents:link_create": "participant",
    "documents:link_revoke": "participant",
    "employers:integration_create": "enrolment",
    "employers:integration_update": "enrolment",
    "employers:integration_remove": "enrolment",
    "employers:detail": "employer",
    "employers:update": "employer",
    "employers:merge": "employer",
    "employers:contact": "employer",
    "employers:vacancy_create": "employer",
    "employers:vacancy_update": "vacancy",
    "employers:vacancy": "vacancy",
    "employers:contact_update": "contact",
    "employers:activity_create": "employer",
    "employers:activity_done": "activity",
    "employers:board": "cohort",
    "employers:application_create": "cohort",
    "employers:move": "application",
    "employers:hire": "application",
    "jobcenters:site_update": "site",
    "jobcenters:staff_update": "membership",
    "jobcenters:staff_resend": "membership",
    "cohorts:programme_update": "programme",
    "coaching:module_update": "module",
    "privacy:subject_access": "participant",
    "privacy:subject_access_json": "participant",
    "reports:cohort_outcome": "cohort",
}


def object_url_names():
    from werkakademie.urls import tenant_patterns

    def walk(patterns, namespace=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif "<int:pk>" in str(p.pattern):
                yield f"{namespace}:{p.name}" if namespace else p.name

    return set(walk(tenant_patterns))


def test_every_object_url_is_checked_for_foreign_access():
    assert object_url_names() == set(OBJECT_URLS)


def foreign_url(name, world, code):
    enrolment = world["foreign_enrolment"]
    application = world["foreign_application"]
    objects = {"cohort": enrolment.cohort, "participant": enrolment.participant,
               "enrolment": enrolment, "followup": world["foreign_followup"],
               "session": world["foreign_session"], "employer": application.employer,
               "application": application, "vacancy": application.vacancy,
               "site": world["foreign_site"], "membership": world["foreign_membership"],
               "programme": enrolment.cohort.programme, "module": world["foreign_session"].module,
               "contact": world["foreign_contact"],
               "activity": world["foreign_activity"],
               "individual_session": world["foreign_individual_session"],
               "absence_case": world["foreign_absence_case"]}
    target = objects[OBJECT_URLS[name]]
    kwargs = {"jc": code, "pk": target.pk}
    if name in ("coaching:session_update", "coaching:session_delete",
                "coaching:plan_session_update", "coaching:plan_session_cancel"):
        kwargs["cohort_pk"] = target.cohort_id
    if name in ("employers:vacancy_update", "employers:vacancy"):
        kwargs = {"jc": code, "pk": target.employer_id, "vacancy_pk": target.pk}
    if name == "employers:contact_update":
        kwargs = {"jc": code, "pk": target.employer_id, "contact_pk": target.pk}
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coach", "team_lead", "employer_service", "jc_admin"])
def test_another_jobcenters_objects_answer_404(request, client, world, role):
    member = request.getfixturevalue(role)
    code = _login(client, member)
    world["foreign_followup"] = FollowUpFactory(
        integration=IntegrationFactory(enrolment=world["foreign_enrolment"]))
    world["foreign_session"] = GroupSessionFactory(cohort=world["foreign"])
    world["foreign_individual_session"] = IndividualSessionFactory(
        enrolment=world["foreign_enrolment"])
    world["foreign_membership"] = MembershipFactory(jobcenter=world["foreign"].jobcenter)
    world["foreign_absence_case"] = AbsenceCase.objects.create(
        jobcenter=world["foreign"].jobcenter, enrolment=world["foreign_enrolment"],
        trigger=AbsenceCase.Trigger.TOTAL, absences=5, opened_on=timezone.localdate())
    world["foreign_contact"] = ContactPersonFactory(
        employer__jobcenter=world["foreign"].jobcenter)
    vacancy = VacancyFactory(employer__jobcenter=world["foreign"].jobcenter)
    world["foreign_application"] = ApplicationFactory(
        enrolment=world["foreign_enrolment"], employer=vacancy.employer, vacancy=vacancy)
    for name in sorted(OBJECT_URLS):
        for jc in (code, "jc-b"):
            url = foreign_url(name, world, jc)
            assert client.get(url).status_code == 404, url
            # A page that only shows answers 405 to any POST, whatever the object.
            assert client.post(url, {}).status_code in (404, 405), url
    assert client.get(reverse("cohorts:list", kwargs={"jc": "no-such-jobcenter"})
                      ).status_code == 404


@pytest.mark.django_db
def test_a_role_without_the_right_gets_403(client, coach, jc_admin):
    code = _login(client, coach)
    assert client.get(reverse("jobcenters:staff", kwargs={"jc": code})).status_code == 403
    code = _login(client, jc_admin)
    assert client.get(reverse("cohorts:list", kwargs={"jc": code})).status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(client, world):
    for url in (
        reverse("home", kwargs={"jc": "jc-a"}),
        reverse("cohorts:list", kwargs={"jc": "jc-b"}),
        reverse("choose_jobcenter"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
