import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import (
    ApplicationFactory,
    ContactPersonFactory,
    EmployerActivityFactory,
    EmployerFactory,
    EnrolmentFactory,
    VacancyFactory,
)


@pytest.mark.django_db
def test_an_application_cannot_go_to_another_jobcenters_employer(jobcenter_a, jobcenter_b):
    enrolment = EnrolmentFactory(cohort__programme__jobcenter=jobcenter_a)
    with pytest.raises(ValidationError, match="anderen Jobcenter"):
        ApplicationFactory(enrolment=enrolment, employer=EmployerFactory(jobcenter=jobcenter_b))


@pytest.mark.django_db
def test_an_applications_vacancy_belongs_to_its_employer():
    application = ApplicationFactory()
    vacancy = VacancyFactory(employer__jobcenter=application.jobcenter)
    with pytest.raises(ValidationError, match="anderen Arbeitgeber"):
        ApplicationFactory(enrolment=application.enrolment, employer=application.employer,
                           vacancy=vacancy)


@pytest.mark.django_db
def test_a_vacancy_has_at_least_one_place():
    with pytest.raises(IntegrityError), transaction.atomic():
        VacancyFactory(places=0)


@pytest.mark.django_db
def test_contacts_and_activities_stay_with_their_employers_jobcenter(jobcenter_b):
    contact = ContactPersonFactory()
    assert contact.jobcenter == contact.employer.jobcenter
    with pytest.raises(ValidationError):
        ContactPersonFactory(employer=contact.employer, jobcenter=jobcenter_b)
    with pytest.raises(ValidationError):
        EmployerActivityFactory(employer=contact.employer, jobcenter=jobcenter_b)
