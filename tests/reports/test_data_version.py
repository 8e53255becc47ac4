"""Every write of a row that a report reads bumps its jobcenter's data version, and only its
own (jobcenters/data_version.py), so a report snapshot notices that it is outdated."""

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from coaching.models import Attendance, GroupSession
from cohorts.models import Cohort, CohortCoach, Programme
from employers.models import Application, ApplicationStep, FollowUp, Integration
from jobcenters.models import Jobcenter, Site
from participants.models import Enrolment, Participant
from reports.models import ReportSnapshot
from reports.services import snapshot_compute, sweep
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CohortCoachFactory,
    CohortFactory,
    EmployerFactory,
    EnrolmentFactory,
    FollowUpFactory,
    GroupSessionFactory,
    IntegrationFactory,
    MembershipFactory,
    ModuleFactory,
    ParticipantFactory,
    ProgrammeFactory,
    SiteFactory,
)

START = date(2025, 3, 3)


def cohort_of(jc):
    return CohortFactory(programme=ProgrammeFactory(jobcenter=jc),
                         site=SiteFactory(jobcenter=jc))


def enrolment_of(jc):
    return EnrolmentFactory(cohort=cohort_of(jc), participant=ParticipantFactory(jobcenter=jc))


def application_step(jc):
    application = ApplicationFactory(enrolment=enrolment_of(jc),
                                     employer=EmployerFactory(jobcenter=jc))
    return ApplicationStep(jobcenter=jc, application=application, stage="applied",
                           moved_on=START)


def attendance(jc):
    session = GroupSessionFactory(cohort=cohort_of(jc), module=ModuleFactory(jobcenter=jc))
    return AttendanceFactory.build(session=session, enrolment=EnrolmentFactory(
        cohort=session.cohort, participant=ParticipantFactory(jobcenter=jc)))


# Per report-relevant model: an unsaved row of the jobcenter (its parents saved), and a
# change of one field. Site and programme: a rename, which regroups the dashboard.
RECIPES = {
    Site: (lambda jc: SiteFactory.build(jobcenter=jc), "name", "Rathaus Nord"),
    Programme: (lambda jc: ProgrammeFactory.build(jobcenter=jc), "name", "Jobclub Plus"),
    Cohort: (lambda jc: CohortFactory.build(programme=ProgrammeFactory(jobcenter=jc),
                                            site=SiteFactory(jobcenter=jc)),
             "code", "WA-NEU"),
    CohortCoach: (lambda jc: CohortCoachFactory.build(cohort=cohort_of(jc)), "is_lead", False),
    Participant: (lambda jc: ParticipantFactory.build(jobcenter=jc), "last_name", "Neumann"),
    Enrolment: (lambda jc: EnrolmentFactory.build(
        cohort=cohort_of(jc), participant=ParticipantFactory(jobcenter=jc)),
        "joined_on", START + timedelta(days=2)),
    Integration: (lambda jc: IntegrationFactory.build(
        enrolment=enrolment_of(jc), employer=EmployerFactory(jobcenter=jc)),
        "start_on", START + timedelta(days=40)),
    FollowUp: (lambda jc: FollowUpFactory.build(integration=IntegrationFactory(
        enrolment=enrolment_of(jc), employer=EmployerFactory(jobcenter=jc))),
        "due_on", START + timedelta(days=200)),
    GroupSession: (lambda jc: GroupSessionFactory.build(
        cohort=cohort_of(jc), module=ModuleFactory(jobcenter=jc)), "room", "R 2.14"),
    Attendance: (attendance, "status", "late"),
    Application: (lambda jc: ApplicationFactory.build(
        enrolment=enrolment_of(jc), employer=EmployerFactory(jobcenter=jc)),
        "stage", "interview"),
    ApplicationStep: (application_step, "moved_on", START + timedelta(days=1)),
}


def version(jobcenter) -> int:
    return Jobcenter.objects.values_list("data_version", flat=True).get(pk=jobcenter.pk)


@contextmanager
def bumps_once(jobcenter, other):
    """The block, as one transaction of the application, bumps `jobcenter` by one and leaves
    `other` alone."""
    before, other_before = version(jobcenter), version(other)
    with transaction.atomic():
        yield
    assert version(jobcenter) == before + 1
    assert version(other) == other_before


def test_every_model_that_reports_read_is_flagged_and_has_a_recipe():
    flagged = {m for m in apps.get_models() if getattr(m, "report_relevant", False)}
    assert flagged == set(RECIPES)


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(RECIPES), ids=lambda m: m.__name__)
def test_every_write_of_a_report_relevant_row_bumps_its_jobcenter_only(
    model, jobcenter_a, jobcenter_b
):
    with scope(jobcenter=jobcenter_a):
        build, field, value = RECIPES[model]
        row = build(jobcenter_a)
        objects = model.objects

        with bumps_once(jobcenter_a, jobcenter_b):  # create
            row.save()
        with bumps_once(jobcenter_a, jobcenter_b):  # change
            setattr(row, field, value)
            row.save()
        with bumps_once(jobcenter_a, jobcenter_b):
            objects.bulk_update([row], [field])
        with bumps_once(jobcenter_a, jobcenter_b):
            assert objects.filter(pk=row.pk).update(**{field: value}) == 1
        with bumps_once(jobcenter_a, jobcenter_b):  # delete
            row.delete()
        with bumps_once(jobcenter_a, jobcenter_b):
            row.pk = None
            objects.bulk_create([row])
        with bumps_once(jobcenter_a, jobcenter_b):
            objects.filter(pk=row.pk).delete()


@pytest.mark.django_db
def test_an_update_that_matches_nothing_bumps_nothing(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        before = version(jobcenter_a)
        Participant.objects.filter(jobcenter=jobcenter_a).update(notes="x")
        assert version(jobcenter_a) == before


@pytest.mark.django_db
def test_changing_a_sessions_coaches_bumps_the_version_from_either_side(
    jobcenter_a, jobcenter_b
):
    session = GroupSessionFactory(cohort=cohort_of(jobcenter_a),
                                  module=ModuleFactory(jobcenter=jobcenter_a))
    coach = MembershipFactory(jobcenter=jobcenter_a, role="coach").user
    with bumps_once(jobcenter_a, jobcenter_b):
        session.coaches.add(coach)
    with bumps_once(jobcenter_a, jobcenter_b):
        session.coaches.remove(coach)
    with bumps_once(jobcenter_a, jobcenter_b):
        coach.group_sessions.add(session)
    with bumps_once(jobcenter_a, jobcenter_b):
        coach.group_sessions.clear()


@pytest.mark.django_db
def test_one_transaction_bumps_once_and_a_rolled_back_part_does_not_count(jobcenter_a):
    before = version(jobcenter_a)
    with transaction.atomic():
        try:
            with transaction.atomic():
                SiteFactory(jobcenter=jobcenter_a)
                raise RuntimeError
        except RuntimeError:
            pass
        assert version(jobcenter_a) == before  # the savepoint took its bump along
        for _ in range(3):
            ParticipantFactory(jobcenter=jobcenter_a)
        ProgrammeFactory(jobcenter=jobcenter_a).delete()
    assert version(jobcenter_a) == before + 1


@pytest.mark.django_db
def test_writes_that_no_report_reads_leave_the_version(jobcenter_a):
    before = version(jobcenter_a)
    ModuleFactory(jobcenter=jobcenter_a)
    EmployerFactory(jobcenter=jobcenter_a).delete()
    assert version(jobcenter_a) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "model", "data"), [
    ("jobcenters:site_update", Site,
     {"name": "Stadtteilzentrum", "street": "", "postal_code": "", "town": "",
      "is_active": "on"}),
    ("cohorts:programme_update", Programme,
     {"name": "Jobclub 50+", "default_length_days": 42, "default_capacity": 16,
      "participants_per_coach": 8, "legal_basis": "sgb2", "is_active": "on"}),
], ids=["site", "programme"])
def test_renaming_a_site_or_programme_outdates_the_snapshot_and_the_sweeper_notices(
    client, jc_admin, jobcenter_a, page, model, data
):
    with scope(jobcenter=jobcenter_a):
        cohort = cohort_of(jobcenter_a)
        EnrolmentFactory(cohort=cohort, participant=ParticipantFactory(jobcenter=jobcenter_a))
        row = cohort.site if model is Site else cohort.programme
        snapshot_compute(jobcenter=jobcenter_a, as_of=timezone.localdate())
    client.force_login(jc_admin.user)

    response = client.post(reverse(page, kwargs={"jc": jobcenter_a.code, "pk": row.pk}), data)

    assert response.status_code == 302, response.context["form"].errors
    with scope(jobcenter=jobcenter_a):
        row.refresh_from_db()
        assert row.name == data["name"]
        jobcenter_a.refresh_from_db()
        assert ReportSnapshot.objects.get(jobcenter=jobcenter_a).is_outdated(jobcenter_a)
    # The sweeper looks across jobcenters, as its beat task (report_sweep) does.
    with scopes_disabled():
        assert sweep() >= 1  # requests a refresh of the outdated snapshot
