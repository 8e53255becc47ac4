import pytest
from django.urls import reverse

from tests.factories import CohortCoachFactory, CohortFactory, MembershipFactory, UserFactory

PASSWORD = "geheim-genug-123"


@pytest.mark.django_db
def test_the_login_page_is_german_by_default(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de">' in html
    assert "Anmelden" in html


@pytest.mark.django_db
def test_a_wrong_password_says_so_in_german(client, coach):
    response = client.post(reverse("login"), {"username": coach.user.email, "password": "falsch"})
    assert response.status_code == 200
    assert "E-Mail-Adresse" in response.content.decode()


@pytest.mark.django_db
def test_login_leads_a_coach_into_their_jobcenter(client, coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-DO-01")
    CohortCoachFactory(cohort=cohort, user=coach.user)
    response = client.post(reverse("login"), {"username": coach.user.email, "password": PASSWORD},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("home", kwargs={"jc": "jc-a"})
    assert "WA-DO-01" in response.content.decode()


@pytest.mark.django_db
def test_a_person_in_two_jobcenters_chooses_one(client, coach, jobcenter_b):
    MembershipFactory(user=coach.user, jobcenter=jobcenter_b)
    client.force_login(coach.user)
    html = client.get(reverse("choose_jobcenter")).content.decode()
    assert "Jobcenter A-Stadt" in html and "Jobcenter B-Dorf" in html


@pytest.mark.django_db
def test_someone_without_a_role_is_told_what_to_do(client):
    client.force_login(UserFactory())
    assert "noch keine Rolle" in client.get(reverse("choose_jobcenter")).content.decode()


@pytest.mark.django_db
def test_the_admin_start_page_is_the_staff_list(client, jc_admin, coach):
    client.force_login(jc_admin.user)
    response = client.get(reverse("home", kwargs={"jc": "jc-a"}), follow=True)
    assert coach.user.email in response.content.decode()


@pytest.mark.django_db
def test_english_is_available(client, coach):
    client.force_login(coach.user)
    home = reverse("home", kwargs={"jc": "jc-a"})
    client.post(reverse("set_language"), {"language": "en", "next": home})
    html = client.get(home).content.decode()
    assert '<html lang="en">' in html
    assert "Cohorts" in html


@pytest.mark.django_db
def test_change_password(client, coach):
    client.force_login(coach.user)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Neues-Passwort-2025",
        "new_password2": "Neues-Passwort-2025",
    }, follow=True)
    assert "Ihr Passwort wurde geändert" in response.content.decode()
    coach.user.refresh_from_db()
    assert coach.user.check_password("Neues-Passwort-2025")


@pytest.mark.django_db
def test_the_cohort_list_needs_the_same_queries_for_2_and_for_20_cohorts(
    client, team_lead, django_assert_max_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cohorts:list", kwargs={"jc": "jc-a"})).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(team_lead.user)
    for _ in range(2):
        CohortCoachFactory(cohort=CohortFactory(programme__jobcenter=team_lead.jobcenter))
    small = count_queries()
    for _ in range(18):
        CohortCoachFactory(cohort=CohortFactory(programme__jobcenter=team_lead.jobcenter))
    with django_assert_max_num_queries(small):
        client.get(reverse("cohorts:list", kwargs={"jc": "jc-a"}))

