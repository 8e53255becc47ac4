import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_scopes import scope

from jobcenters.models import Membership, User
from tests.factories import JobcenterFactory, MembershipFactory, SiteFactory


@pytest.mark.django_db
def test_users_log_in_with_their_email_address_case_insensitively():
    user = User.objects.create_user(email="Anna.Berg@Jobcenter.Example", password="x" * 12)
    assert user.email == "anna.berg@jobcenter.example"
    assert User.USERNAME_FIELD == "email"


@pytest.mark.django_db
def test_site_names_are_unique_within_a_jobcenter_only(jobcenter_a, jobcenter_b):
    SiteFactory(jobcenter=jobcenter_a, name="Innenstadt")
    SiteFactory(jobcenter=jobcenter_b, name="Innenstadt")
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteFactory(jobcenter=jobcenter_a, name="Innenstadt")


@pytest.mark.django_db
def test_a_person_has_one_role_per_jobcenter(coach, jobcenter_b):
    MembershipFactory(user=coach.user, jobcenter=jobcenter_b, role="team_lead")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=coach.user, jobcenter=coach.jobcenter, role="team_lead")


@pytest.mark.django_db
def test_each_write_of_a_site_bumps_the_data_version():
    jobcenter = JobcenterFactory()
    site = SiteFactory(jobcenter=jobcenter)
    site.name = "Umbenannt"
    site.save()
    jobcenter.refresh_from_db()
    assert jobcenter.data_version == 2


@pytest.mark.django_db
def test_a_membership_names_only_sites_of_its_jobcenter(jobcenter_a, jobcenter_b):
    with scope(jobcenter=jobcenter_a):
        membership = MembershipFactory(jobcenter=jobcenter_a)
        with pytest.raises(ValidationError, match="anderen Jobcenter"), transaction.atomic():
            membership.sites.add(SiteFactory(jobcenter=jobcenter_b))
        own = SiteFactory(jobcenter=jobcenter_a)
        membership.sites.add(own)
        assert list(membership.sites.all()) == [own]
