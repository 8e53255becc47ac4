"""Every URL inside a jobcenter, for every role: allowed (page or redirect), or 403.

The rights come from one table (jobcenters/permissions.py); each view names the right it
needs. This walk checks that every view enforces it, and a URL added without an entry
below fails the first test.
"""

import pytest
from django.urls import reverse

from coaching.models import AbsenceCase
from jobcenters.permissions import Perm, Role, role_can
from reports.models import Network
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
    ModuleFactory,
    SiteFactory,
    UserFactory,
    VacancyFactory,
)
from tests.jobcenters.test_scoping import OBJECT_URLS

# The right each page needs; None: any member of the jobcenter.
MATRIX = {
    "home": None,
    "ping": None,
    "cohorts:list": Perm.VIEW_COHORTS,
    "cohorts:create": Perm.MANAGE_COHORTS,
    "cohorts:update": Perm.MANAGE_COHORTS,
    "cohorts:programmes": Perm.VIEW_SETUP,
    "cohorts:programme_create": Perm.ADMINISTER,
    "cohorts:programme_update": Perm.ADMINISTER,
    "participants:list": Perm.VIEW_PARTICIPANTS,
    "participants:create": Perm.MANAGE_PARTICIPANTS,
    "participants:detail": Perm.VIEW_PARTICIPANTS,
    "participants:update": Perm.MANAGE_PARTICIPANTS,
    "participants:cohort": Perm.VIEW_COHORTS,
    "participants:enrol": Perm.MANAGE_PARTICIPANTS,
    "participants:enrolment_update": Perm.MANAGE_PARTICIPANTS,
    "participants:exit": Perm.MANAGE_PARTICIPANTS,
    "participants:exit_withdraw": Perm.MANAGE_PARTICIPANTS,
    "employers:followup": Perm.RECORD_SESSIONS,
    "participants:audit": Perm.VIEW_AUDIT,
    "coaching:sessions": Perm.RECORD_SESSIONS,
    "coaching:session_create": Perm.RECORD_SESSIONS,
    "coaching:session_update": Perm.RECORD_SESSIONS,
    "coaching:session_delete": Perm.RECORD_SESSIONS,
    "coaching:matrix": Perm.RECORD_SESSIONS,
    "coaching:print": Perm.RECORD_SESSIONS,
    "coaching:plan": Perm.RECORD_SESSIONS,
    "coaching:plan_generate": Perm.RECORD_SESSIONS,
    "coaching:plan_session_create": Perm.RECORD_SESSIONS,
    "coaching:plan_session_update": Perm.RECORD_SESSIONS,
    "coaching:plan_session_cancel": Perm.RECORD_SESSIONS,
    "coaching:curriculum": Perm.VIEW_SETUP,  # changing it: ADMINISTER
    "coaching:individual": Perm.RECORD_SESSIONS,
    "coaching:individual_update": Perm.RECORD_SESSIONS,  # its author or a team lead
    "coaching:individual_remove": Perm.RECORD_SESSIONS,
    "coaching:calendar": Perm.LEAD_SESSIONS,  # "Mein Kalender"
    "coaching:absences": Perm.RECORD_SESSIONS,
    "coaching:absence_case": Perm.RECORD_SESSIONS,
    "coaching:absence_overview": Perm.RECORD_SESSIONS,
    "coaching:modules": Perm.VIEW_SETUP,
    "coaching:module_create": Perm.ADMINISTER,
    "coaching:module_update": Perm.ADMINISTER,
    "employers:list": Perm.VIEW_EMPLOYERS,
    "employers:create": Perm.MANAGE_EMPLOYERS,
    "employers:vacancies": Perm.VIEW_EMPLOYERS,
    "employers:due": Perm.VIEW_EMPLOYERS,
    "employers:detail": Perm.VIEW_EMPLOYERS,
    "employers:update": Perm.MANAGE_EMPLOYERS,
    "employers:merge": Perm.MANAGE_EMPLOYERS,
    "employers:contact": Perm.MANAGE_EMPLOYERS,
    "employers:vacancy_create": Perm.MANAGE_EMPLOYERS,
    "employers:vacancy_update": Perm.MANAGE_EMPLOYERS,
    "employers:vacancy": Perm.VIEW_EMPLOYERS,
    "employers:contact_update": Perm.MANAGE_EMPLOYERS,
    "employers:activity_create": Perm.MANAGE_EMPLOYERS,
    "employers:activity_done": Perm.MANAGE_EMPLOYERS,
    "employers:board": Perm.VIEW_COHORTS,
    "employers:application_create": Perm.RECORD_APPLICATIONS,
    "employers:move": Perm.RECORD_APPLICATIONS,
    "employers:hire": Perm.RECORD_APPLICATIONS,
    "employers:integration_create": Perm.MANAGE_PARTICIPANTS,
    "employers:integration_update": Perm.MANAGE_PARTICIPANTS,
    "employers:integration_remove": Perm.MANAGE_PARTICIPANTS,
    "reports:cohort_outcome": Perm.RECORD_SESSIONS,
    "documents:certificate": Perm.MANAGE_DOCUMENTS,
    "documents:cohort_certificates": Perm.MANAGE_DOCUMENTS,
    "documents:card_sheet": Perm.MANAGE_DOCUMENTS,
    "documents:participant": Perm.MANAGE_DOCUMENTS,
    "documents:profile_save": Perm.MANAGE_DOCUMENTS,
    "documents:cv_upload": Perm.MANAGE_DOCUMENTS,
    "documents:cv_remove": Perm.MANAGE_DOCUMENTS,
    "documents:cv": Perm.MANAGE_DOCUMENTS,
    "documents:photo_upload": Perm.MANAGE_DOCUMENTS,
    "documents:photo_remove": Perm.MANAGE_DOCUMENTS,
    "documents:photo": Perm.MANAGE_DOCUMENTS,
    "documents:consent_record": Perm.MANAGE_DOCUMENTS,
    "documents:consent_withdraw": Perm.MANAGE_DOCUMENTS,
    "documents:link_create": Perm.MANAGE_DOCUMENTS,
    "documents:link_revoke": Perm.MANAGE_DOCUMENTS,
    "imports:import_upload": Perm.MANAGE_COHORTS,
    "imports:import_confirm": Perm.MANAGE_COHORTS,
    "imports:import_example": Perm.MANAGE_COHORTS,
    "imports:import_run": Perm.MANAGE_COHORTS,
    "imports:import_run_status": Perm.MANAGE_COHORTS,
    "imports:import_run_errors": Perm.MANAGE_COHORTS,
    "imports:employer_import_upload": Perm.MANAGE_EMPLOYERS,
    "imports:employer_import_confirm": Perm.MANAGE_EMPLOYERS,
    "imports:employer_import_example": Perm.MANAGE_EMPLOYERS,
    "imports:employer_import_run": Perm.MANAGE_EMPLOYERS,
    "imports:employer_import_run_status": Perm.MANAGE_EMPLOYERS,
    "imports:employer_import_run_errors": Perm.MANAGE_EMPLOYERS,
    "reports:dashboard": Perm.VIEW_REPORTS,
    "reports:status": Perm.VIEW_REPORTS,
    "reports:refresh": Perm.EXPORT_REPORTS,
    "reports:drilldown": Perm.VIEW_REPORTS,
    "reports:export": Perm.EXPORT_REPORTS,
    "privacy:retention": Perm.RUN_RETENTION,
    "privacy:subject_access": Perm.SUBJECT_ACCESS,
    "privacy:subject_access_json": Perm.SUBJECT_ACCESS,
    "jobcenters:sites": Perm.VIEW_SETUP,
    "jobcenters:site_create": Perm.ADMINISTER,
    "jobcenters:site_update": Perm.ADMINISTER,
    "jobcenters:staff": Perm.VIEW_SETUP,
    "jobcenters:staff_invite": Perm.ADMINISTER,
    "jobcenters:staff_update": Perm.ADMINISTER,
    "jobcenters:staff_resend": Perm.ADMINISTER,
    "privacy:retention_settings": Perm.VIEW_SETUP,  # changing it: ADMINISTER
}


def tenant_url_names():
    from werkakademie.urls import tenant_patterns

    def walk(patterns, namespace=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, p.namespace or namespace)
            else:
                yield f"{namespace}:{p.name}" if namespace else p.name

    return set(walk(tenant_patterns))


def test_every_url_has_an_entry_in_the_matrix():
    assert tenant_url_names() == set(MATRIX)


@pytest.fixture
def own(jobcenter_a, coach, employer_service):
    cohort = CohortFactory(programme__jobcenter=jobcenter_a)
    CohortCoachFactory(cohort=cohort, user=coach.user)
    enrolment = EnrolmentFactory(cohort=cohort)
    vacancy = VacancyFactory(employer__jobcenter=jobcenter_a)
    application = ApplicationFactory(enrolment=enrolment, employer=vacancy.employer,
                                     vacancy=vacancy)
    session = GroupSessionFactory(cohort=cohort, module=ModuleFactory(jobcenter=jobcenter_a))
    return {
        "cohort": cohort, "enrolment": enrolment, "participant": enrolment.participant,
        "followup": FollowUpFactory(integration=IntegrationFactory(enrolment=enrolment)),
        "session": session, "employer": vacancy.employer, "vacancy": vacancy,
        "application": application, "site": SiteFactory(jobcenter=jobcenter_a),
        "membership": MembershipFactory(jobcenter=jobcenter_a),
        "programme": cohort.programme, "module": session.module,
        "contact": ContactPersonFactory(employer=vacancy.employer),
        "activity": EmployerActivityFactory(employer=vacancy.employer, next_step="Anrufen"),
        "individual_session": IndividualSessionFactory(enrolment=enrolment, coach=coach.user),
        "absence_case": AbsenceCase.objects.create(
            jobcenter=jobcenter_a, enrolment=enrolment, trigger=AbsenceCase.Trigger.IN_ROW,
            absences=2, opened_on=session.held_on),
    }


def own_url(name, own):
    kwargs = {"jc": "jc-a"}
    if name in OBJECT_URLS:
        target = own[OBJECT_URLS[name]]
        kwargs["pk"] = target.pk
        if name in ("coaching:session_update", "coaching:session_delete",
                    "coaching:plan_session_update", "coaching:plan_session_cancel"):
            kwargs["cohort_pk"] = target.cohort_id
        if name in ("employers:vacancy_update", "employers:vacancy"):
            kwargs.update(pk=target.employer_id, vacancy_pk=target.pk)
        if name == "employers:contact_update":
            kwargs.update(pk=target.employer_id, contact_pk=target.pk)
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_what_the_table_allows_and_403_otherwise(request, client, own, role):
    fixture = {"coach": "coach", "team_lead": "team_lead",
               "employer_service": "employer_service", "admin": "jc_admin"}[role]
    member = request.getfixturevalue(fixture)
    client.force_login(member.user)
    wrong = []
    for name, permission in sorted(MATRIX.items()):
        status = client.get(own_url(name, own)).status_code
        allowed = permission is None or role_can(role, permission)
        if allowed and status not in (200, 302, 405):
            wrong.append((name, status, "expected access"))
        if not allowed and status != 403:
            wrong.append((name, status, "expected 403"))
    assert not wrong, wrong


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_everywhere(client, own):
    for name in sorted(MATRIX):
        response = client.get(own_url(name, own))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


@pytest.mark.django_db
def test_an_analyst_sees_no_page_of_a_jobcenter_in_their_network(client, own, jobcenter_a):
    """Analysts compare aggregates across jobcenters; no jobcenter page opens for them."""
    network = Network.objects.create(name="Netz", slug="netz")
    network.jobcenters.add(jobcenter_a)
    analyst = UserFactory()
    network.analysts.add(analyst)
    client.force_login(analyst)
    assert client.get(reverse("network", kwargs={"slug": "netz"})).status_code == 200
    opened = [name for name in sorted(MATRIX)
              if client.get(own_url(name, own)).status_code != 404]
    assert not opened, opened
