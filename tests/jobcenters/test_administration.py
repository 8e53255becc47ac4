import re

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope

from jobcenters.models import Membership, Site, User
from tests.factories import MembershipFactory, ModuleFactory, ProgrammeFactory, SiteFactory


def url(name, **kwargs):
    return reverse(name, kwargs={"jc": "jc-a", **kwargs})


@pytest.mark.django_db
def test_an_admin_invites_a_coach_who_sets_a_password_through_the_link(
    client, jc_admin, django_capture_on_commit_callbacks
):
    with scope(jobcenter=jc_admin.jobcenter):
        site = SiteFactory(jobcenter=jc_admin.jobcenter, name="Mitte")
        client.force_login(jc_admin.user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url("jobcenters:staff_invite"), {
                "email": "Neu.Coach@Jobcenter.example", "first_name": "Nora", "last_name": "Neu",
                "role": "coach", "sites": [site.pk]})
        assert response.status_code == 302
        membership = Membership.objects.get(user__email="neu.coach@jobcenter.example")
        assert membership.role == "coach" and list(membership.sites.all()) == [site]
        assert len(mail.outbox) == 1 and "Jobcenter A-Stadt" in mail.outbox[0].subject
        link = re.search(r"http://\S+/accounts/password/set/\S+", mail.outbox[0].body).group(0)

        client.logout()
        form = client.get(link, follow=True)
        set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
        client.post(set_url, {"new_password1": "Ein-neues-Passwort-1", "new_password2":
                              "Ein-neues-Passwort-1"})
        assert User.objects.get(pk=membership.user_id).check_password("Ein-neues-Passwort-1")
        # The link works once.
        again = client.get(link, follow=True)
        assert "no longer valid" in again.content.decode() or "nicht mehr gültig" in \
            again.content.decode()


@pytest.mark.django_db
def test_a_deactivated_person_is_logged_out_and_cannot_log_in(client, jc_admin, coach):
    coach_client = type(client)()
    coach_client.force_login(coach.user)
    assert coach_client.get(url("home")).status_code == 200
    client.force_login(jc_admin.user)
    client.post(url("jobcenters:staff_update", pk=coach.pk), {"role": "coach"})  # not active
    coach.refresh_from_db()
    coach.user.refresh_from_db()
    assert not coach.is_active and not coach.user.is_active
    assert coach_client.get(url("home")).status_code == 302  # session ended at once
    response = coach_client.post(reverse("login"), {"username": coach.user.email,
                                                    "password": "geheim-genug-123"})
    assert response.status_code == 200  # refused


@pytest.mark.django_db
def test_access_to_one_jobcenter_ends_while_another_stays(client, jc_admin, coach, jobcenter_b):
    MembershipFactory(user=coach.user, jobcenter=jobcenter_b)
    client.force_login(jc_admin.user)
    client.post(url("jobcenters:staff_update", pk=coach.pk), {"role": "coach"})
    coach.user.refresh_from_db()
    assert coach.user.is_active
    client.force_login(coach.user)
    assert client.get(url("home")).status_code == 404
    assert client.get(reverse("home", kwargs={"jc": "jc-b"})).status_code == 200


@pytest.mark.django_db
def test_sites_programmes_and_modules_are_managed_in_the_app(client, jc_admin):
    with scope(jobcenter=jc_admin.jobcenter):
        client.force_login(jc_admin.user)
        client.post(url("jobcenters:site_create"), {"name": "Bürgerhaus West", "is_outreach": "on",
                                                     "is_active": "on"})
        site = Site.objects.get(name="Bürgerhaus West")
        client.post(url("jobcenters:site_update", pk=site.pk), {"name": "Bürgerhaus West"})
        site.refresh_from_db()
        assert site.jobcenter == jc_admin.jobcenter and not site.is_active
        client.post(url("cohorts:programme_create"), {
            "name": "Jobclub", "default_length_days": "28", "default_capacity": "12",
            "participants_per_coach": "12", "legal_basis": "sgb2", "is_active": "on"})
        client.post(url("coaching:module_create"), {"name": "Vorstellungsgespräch",
                                                    "is_active": "on"})
        programmes = client.get(url("cohorts:programmes")).content.decode()
        modules = client.get(url("coaching:modules")).content.decode()
        assert "Jobclub" in programmes and "Vorstellungsgespräch" in modules


@pytest.mark.django_db
def test_a_duplicate_site_name_is_an_error_in_the_form(client, jc_admin):
    with scope(jobcenter=jc_admin.jobcenter):
        SiteFactory(jobcenter=jc_admin.jobcenter, name="Mitte")
        client.force_login(jc_admin.user)
        response = client.post(url("jobcenters:site_create"), {"name": "Mitte"})
        assert response.status_code == 200
        assert Site.objects.filter(name="Mitte").count() == 1


@pytest.mark.django_db
def test_the_retention_period_is_set_by_the_admin(client, jc_admin, team_lead):
    client.force_login(team_lead.user)
    page = client.get(url("privacy:retention_settings"))
    assert "36 Monate nach dem Ende" in page.content.decode()  # read, without a form
    assert "<form method=\"post\" novalidate" not in page.content.decode()
    assert client.post(url("privacy:retention_settings"), {
        "retention_months": "24", "confirmed": "on"}).status_code == 403
    client.force_login(jc_admin.user)
    client.post(url("privacy:retention_settings"), {"retention_months": "24"})
    jc_admin.jobcenter.refresh_from_db()
    assert jc_admin.jobcenter.retention_months == 36  # first the count, then the confirmation
    client.post(url("privacy:retention_settings"), {"retention_months": "24",
                                                     "confirmed": "on"})
    jc_admin.jobcenter.refresh_from_db()
    assert jc_admin.jobcenter.retention_months == 24


@pytest.mark.django_db
def test_the_team_lead_reads_the_administration_but_changes_nothing(client, team_lead):
    with scope(jobcenter=team_lead.jobcenter):
        site = SiteFactory(jobcenter=team_lead.jobcenter, name="Nebenstelle Nord")
        ProgrammeFactory(jobcenter=team_lead.jobcenter, name="Jobclub Nord")
        ModuleFactory(jobcenter=team_lead.jobcenter, name="Kompetenzprofil")
        client.force_login(team_lead.user)
        for name, shown in (("jobcenters:staff", team_lead.user.email),
                            ("jobcenters:sites", "Nebenstelle Nord"),
                            ("cohorts:programmes", "Jobclub Nord"),
                            ("coaching:modules", "Kompetenzprofil")):
            html = client.get(url(name)).content.decode()
            assert shown in html, name
            assert "Hinzufügen" not in html and "Einladen" not in html, name
        assert f"/sites/{site.pk}/" not in client.get(url("jobcenters:sites")).content.decode()
        assert client.get(url("jobcenters:site_update", pk=site.pk)).status_code == 403
        assert client.post(url("jobcenters:site_create"), {"name": "X"}).status_code == 403
        assert client.post(url("jobcenters:staff_invite"), {
            "email": "neu@jobcenter.example", "role": "admin"}).status_code == 403
        assert not type(site).objects.filter(name="X").exists()
