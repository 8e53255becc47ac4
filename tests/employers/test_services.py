import threading
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scope

from employers.models import Application, Employer, Integration
from employers.services import (
    DuplicateEmployer,
    application_hire,
    application_move,
    application_record,
    employer_merge,
    employer_save,
)
from tests.conftest import require
from tests.factories import (
    ApplicationFactory,
    ContactPersonFactory,
    EmployerActivityFactory,
    EmployerFactory,
    EnrolmentFactory,
    IntegrationFactory,
    VacancyFactory,
)

ON = date(2025, 4, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Müller GmbH", "Mueller Gmbh.", "Müller GmbH & Co. KG",
                                  "MÜLLER  gmbh"])
def test_near_duplicates_in_the_same_town_are_refused(jobcenter_a, name):
    with scope(jobcenter=jobcenter_a):
        existing = employer_save(jobcenter=jobcenter_a, name="Müller GmbH", town="Dortmund")
        with pytest.raises(DuplicateEmployer) as error:
            employer_save(jobcenter=jobcenter_a, name=name, town="dortmund")
        assert error.value.duplicates == [existing]


@pytest.mark.django_db
def test_the_same_name_in_another_town_or_jobcenter_is_no_duplicate(jobcenter_a, jobcenter_b):
    with scope(jobcenter=jobcenter_a):
        employer_save(jobcenter=jobcenter_a, name="Müller GmbH", town="Dortmund")
        employer_save(jobcenter=jobcenter_a, name="Müller GmbH", town="Bochum")
        assert Employer.objects.count() == 2
    with scope(jobcenter=jobcenter_b):
        employer_save(jobcenter=jobcenter_b, name="Müller GmbH", town="Dortmund")
        assert Employer.objects.count() == 1


@pytest.mark.django_db
def test_a_confirmed_duplicate_is_saved(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        employer_save(jobcenter=jobcenter_a, name="Müller GmbH", town="Dortmund")
        employer_save(jobcenter=jobcenter_a, name="Müller GmbH", town="Dortmund",
                      accept_duplicate=True)
        assert Employer.objects.count() == 2


@pytest.mark.django_db
def test_merging_moves_everything_and_loses_nothing(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        keep = EmployerFactory(jobcenter=jobcenter_a, name="Müller GmbH", town="Dortmund",
                               sector="")
        remove = EmployerFactory(jobcenter=jobcenter_a, name="Mueller GmbH",
                                 notes="Ansprechpartner", town="Unna", sector="Logistik")
        contacts = ContactPersonFactory.create_batch(2, employer=remove)
        vacancies = VacancyFactory.create_batch(2, employer=remove)
        applications = ApplicationFactory.create_batch(
            2, enrolment__cohort__programme__jobcenter=jobcenter_a, employer=remove)
        activities = EmployerActivityFactory.create_batch(2, employer=remove)
        integrations = [IntegrationFactory(enrolment=a.enrolment, employer=remove)
                        for a in applications]

        employer_merge(keep=keep, remove=remove)

        for row in (*contacts, *vacancies, *applications, *activities, *integrations):
            row.refresh_from_db()
            assert row.employer == keep
        assert not Employer.objects.filter(pk=remove.pk).exists()
        keep.refresh_from_db()
        assert "Ansprechpartner" in keep.notes
        assert (keep.town, keep.sector) == ("Dortmund", "Logistik")  # own first, then the other's
        moved = LogEntry.objects.filter(action=LogEntry.Action.UPDATE, changes__has_key="employer")
        assert moved.count() == len(applications) + len(integrations)


@pytest.mark.django_db
def test_a_proposal_starts_proposed_and_moves_along_the_pipeline(coach):
    with scope(jobcenter=coach.jobcenter):
        enrolment = EnrolmentFactory(cohort__programme__jobcenter=coach.jobcenter)
        employer = EmployerFactory(jobcenter=coach.jobcenter)
        application = application_record(enrolment=enrolment, employer=employer,
                                         source="proposal", on=ON, by=coach.user)
        assert application.stage == "proposed"
        application_move(application=application, stage="applied", on=ON, by=coach.user)
        application_move(application=application, stage="interview", on=ON, by=coach.user)
        application.refresh_from_db()
        assert list(application.steps.values_list("stage", flat=True)) == [
            "proposed", "applied", "interview"]


@pytest.mark.django_db
@pytest.mark.parametrize("start, target", [("proposed", "interview"), ("rejected", "applied"),
                                           ("applied", "hired")])
def test_moves_that_the_pipeline_does_not_allow_are_refused(start, target):
    application = ApplicationFactory(stage=start)
    with scope(jobcenter=application.jobcenter):
        with pytest.raises(ValidationError):
            application_move(application=application, stage=target, on=ON, by=None)
        application.refresh_from_db()
        assert application.stage == start


@pytest.mark.django_db
def test_a_hire_creates_one_integration_and_fills_the_last_place(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        vacancy = VacancyFactory(employer__jobcenter=jobcenter_a, places=1)
        application = ApplicationFactory(enrolment__cohort__programme__jobcenter=jobcenter_a,
                                         employer=vacancy.employer, vacancy=vacancy,
                                         stage="interview")
        integration = application_hire(application=application, on=ON, start_on=date(2025, 4, 15),
                                       kind="employment", by=None, subsidy="egz")
        again = application_hire(application=application, on=ON, start_on=date(2025, 4, 15),
                                 kind="employment", by=None)
        assert again == integration
        assert Integration.objects.count() == 1
        assert integration.employer == vacancy.employer and integration.subsidy == "egz"
        application.refresh_from_db()
        vacancy.refresh_from_db()
        assert (application.stage, application.integration, vacancy.status) == (
            "hired", integration, "filled")
        assert integration.followups.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_hired_at_once_create_one_integration(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        require(connection.vendor == "postgresql", "row locks need PostgreSQL")
        application = ApplicationFactory(enrolment__cohort__programme__jobcenter=jobcenter_a,
                                         stage="offer")
        barrier, results = threading.Barrier(2), []

        def click():
            barrier.wait()
            with scope(jobcenter=jobcenter_a):
                results.append(application_hire(application=Application.objects.get(
                    pk=application.pk), on=ON, start_on=date(2025, 4, 15), kind="employment",
                    by=None))
            connection.close()

        threads = [threading.Thread(target=click) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 2 and results[0] == results[1]
        assert Integration.objects.count() == 1


@pytest.mark.django_db
def test_an_application_takes_the_vacancys_employer_and_refuses_another_ones(coach):
    with scope(jobcenter=coach.jobcenter):
        enrolment = EnrolmentFactory(cohort__programme__jobcenter=coach.jobcenter)
        vacancy = VacancyFactory(employer__jobcenter=coach.jobcenter)
        other = EmployerFactory(jobcenter=coach.jobcenter)
        application = application_record(enrolment=enrolment, vacancy=vacancy, source="proposal",
                                         on=ON, by=coach.user)
        assert application.employer == vacancy.employer
        with pytest.raises(ValidationError, match="anderen Arbeitgeber|another employer"):
            application_record(enrolment=EnrolmentFactory(cohort=enrolment.cohort),
                               employer=other, vacancy=vacancy, source="proposal", on=ON,
                               by=coach.user)
        with pytest.raises(ValidationError) as refused:
            application_record(enrolment=enrolment, source="proposal", on=ON, by=coach.user)
        assert "employer" in refused.value.message_dict
        assert Application.objects.count() == 1
