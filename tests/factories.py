"""A factory for every model. Children take their jobcenter from their parent, so a
factory-built graph always lies within one jobcenter unless a test says otherwise."""

from datetime import date, time, timedelta

import factory
from django.forms.models import model_to_dict
from django.utils import timezone
from factory.django import DjangoModelFactory

from coaching.models import Attendance, GroupSession, IndividualSession, Module
from cohorts.models import Cohort, CohortCoach, Programme
from documents.models import ApplicantProfile, CardLink, Consent
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
from jobcenters.permissions import Role
from participants.forms import EnrolmentForm, ParticipantForm
from participants.models import Enrolment, Participant
from participants.services import enrolment_save, participant_save
from reports.models import ReportSnapshot

START = date(2025, 3, 3)


class JobcenterFactory(DjangoModelFactory):
    class Meta:
        model = Jobcenter
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Jobcenter Teststadt {n}")
    code = factory.Sequence(lambda n: f"jc-test-{n}")
    land = "NW"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@jobcenter.example")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    password = factory.django.Password("geheim-genug-123")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    jobcenter = factory.SubFactory(JobcenterFactory)
    role = Role.COACH


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site

    jobcenter = factory.SubFactory(JobcenterFactory)
    name = factory.Sequence(lambda n: f"Standort {n}")
    street = "Hauptstraße 1"
    postal_code = "44135"
    town = "Dortmund"


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    jobcenter = factory.SubFactory(JobcenterFactory)
    name = factory.Sequence(lambda n: f"Werkakademie {n}")


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    jobcenter = factory.SelfAttribute("programme.jobcenter")
    site = factory.SubFactory(SiteFactory, jobcenter=factory.SelfAttribute("..jobcenter"))
    code = factory.Sequence(lambda n: f"WA-{n:03d}")
    planned_start = START
    planned_end = factory.LazyAttribute(lambda o: o.planned_start + timedelta(days=41))
    status = Cohort.Status.RUNNING


class CohortCoachFactory(DjangoModelFactory):
    class Meta:
        model = CohortCoach

    cohort = factory.SubFactory(CohortFactory)
    jobcenter = factory.SelfAttribute("cohort.jobcenter")
    user = factory.LazyAttribute(
        lambda o: MembershipFactory(jobcenter=o.jobcenter, role=Role.COACH).user
    )
    is_lead = True


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    jobcenter = factory.SubFactory(JobcenterFactory)
    customer_number = factory.Sequence(lambda n: f"123D{n:06d}")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    birth_year = 1985


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    jobcenter = factory.SelfAttribute("cohort.jobcenter")
    participant = factory.SubFactory(
        ParticipantFactory, jobcenter=factory.SelfAttribute("..jobcenter")
    )
    assigned_on = factory.LazyAttribute(lambda o: o.cohort.planned_start - timedelta(days=7))
    joined_on = factory.SelfAttribute("cohort.planned_start")


class EmployerFactory(DjangoModelFactory):
    class Meta:
        model = Employer

    jobcenter = factory.SubFactory(JobcenterFactory)
    name = factory.Sequence(lambda n: f"Logistik {n} GmbH")
    sector = "Logistik"
    town = "Dortmund"


class IntegrationFactory(DjangoModelFactory):
    class Meta:
        model = Integration

    enrolment = factory.SubFactory(EnrolmentFactory)
    jobcenter = factory.SelfAttribute("enrolment.jobcenter")
    kind = Integration.Kind.EMPLOYMENT
    start_on = factory.LazyAttribute(lambda o: o.enrolment.joined_on + timedelta(days=30))
    employer = factory.SubFactory(EmployerFactory, jobcenter=factory.SelfAttribute("..jobcenter"))


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    integration = factory.SubFactory(IntegrationFactory)
    jobcenter = factory.SelfAttribute("integration.jobcenter")
    due_month = FollowUp.DueMonth.SIX
    due_on = factory.LazyAttribute(
        lambda o: FollowUp.due_date(o.integration.start_on, o.due_month)
    )


class ModuleFactory(DjangoModelFactory):
    class Meta:
        model = Module

    jobcenter = factory.SubFactory(JobcenterFactory)
    name = factory.Sequence(lambda n: f"Bewerbungsunterlagen {n}")


class GroupSessionFactory(DjangoModelFactory):
    class Meta:
        model = GroupSession

    cohort = factory.SubFactory(CohortFactory)
    jobcenter = factory.SelfAttribute("cohort.jobcenter")
    held_on = factory.SelfAttribute("cohort.planned_start")
    starts_at = time(9, 0)
    ends_at = time(12, 0)
    module = factory.SubFactory(ModuleFactory, jobcenter=factory.SelfAttribute("..jobcenter"))


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(GroupSessionFactory)
    jobcenter = factory.SelfAttribute("session.jobcenter")
    enrolment = factory.SubFactory(
        EnrolmentFactory, cohort=factory.SelfAttribute("..session.cohort")
    )
    status = Attendance.Status.PRESENT


class IndividualSessionFactory(DjangoModelFactory):
    class Meta:
        model = IndividualSession

    enrolment = factory.SubFactory(EnrolmentFactory)
    jobcenter = factory.SelfAttribute("enrolment.jobcenter")
    coach = factory.LazyAttribute(lambda o: MembershipFactory(jobcenter=o.jobcenter).user)
    held_on = factory.LazyAttribute(lambda o: o.enrolment.joined_on + timedelta(days=2))
    minutes = 30


class ContactPersonFactory(DjangoModelFactory):
    class Meta:
        model = ContactPerson

    employer = factory.SubFactory(EmployerFactory)
    jobcenter = factory.SelfAttribute("employer.jobcenter")
    name = factory.Faker("name", locale="de_DE")


class VacancyFactory(DjangoModelFactory):
    class Meta:
        model = Vacancy

    employer = factory.SubFactory(EmployerFactory)
    jobcenter = factory.SelfAttribute("employer.jobcenter")
    title = "Lagerhelfer/in"


class EmployerActivityFactory(DjangoModelFactory):
    class Meta:
        model = EmployerActivity

    employer = factory.SubFactory(EmployerFactory)
    jobcenter = factory.SelfAttribute("employer.jobcenter")
    kind = EmployerActivity.Kind.CALL
    happened_on = START
    by = factory.LazyAttribute(lambda o: MembershipFactory(jobcenter=o.jobcenter).user)


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    enrolment = factory.SubFactory(EnrolmentFactory)
    jobcenter = factory.SelfAttribute("enrolment.jobcenter")
    employer = factory.SubFactory(EmployerFactory, jobcenter=factory.SelfAttribute("..jobcenter"))
    source = Application.Source.OWN_INITIATIVE
    stage = Application.Stage.APPLIED
    stage_changed_on = START


class ReportSnapshotFactory(DjangoModelFactory):
    class Meta:
        model = ReportSnapshot

    jobcenter = factory.SubFactory(JobcenterFactory)
    as_of = START
    computed_at = factory.LazyFunction(timezone.now)
    data_version = 0


class ApplicantProfileFactory(DjangoModelFactory):
    class Meta:
        model = ApplicantProfile

    participant = factory.SubFactory(ParticipantFactory)
    jobcenter = factory.SelfAttribute("participant.jobcenter")
    wished_occupation = "Fachkraft für Lagerlogistik"
    strengths = "zuverlässig, Staplerschein"
    availability = "ab sofort, Vollzeit"
    languages = "Deutsch (B2), Türkisch"
    contact_phone = "0231 123456"


class ConsentFactory(DjangoModelFactory):
    """Given today for a year."""

    class Meta:
        model = Consent

    participant = factory.SubFactory(ParticipantFactory)
    jobcenter = factory.SelfAttribute("participant.jobcenter")
    given_on = factory.LazyFunction(timezone.localdate)
    valid_until = factory.LazyAttribute(lambda o: o.given_on + timedelta(days=365))


class CardLinkFactory(DjangoModelFactory):
    class Meta:
        model = CardLink

    consent = factory.SubFactory(ConsentFactory)
    participant = factory.SelfAttribute("consent.participant")
    jobcenter = factory.SelfAttribute("consent.jobcenter")


# Changes through the services, the other details kept as they are (as the forms send them).

def change_participant(person: Participant, **changes) -> Participant:
    details = model_to_dict(person, fields=ParticipantForm.Meta.fields)
    return participant_save(jobcenter=person.jobcenter, participant=person,
                            **{**details, **changes})


def change_enrolment(enrolment: Enrolment, **changes) -> Enrolment:
    details = model_to_dict(enrolment, fields=EnrolmentForm.Meta.fields)
    return enrolment_save(cohort=enrolment.cohort, participant=enrolment.participant,
                          enrolment=enrolment, **{**details, **changes})
