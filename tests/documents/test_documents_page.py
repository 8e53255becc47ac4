"""A person's page "Unterlagen": its sections, consent and links, and who reaches it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from documents.models import CardLink, CardLinkOpening, Consent
from jobcenters.permissions import Role
from tests.factories import (
    ApplicantProfileFactory,
    ApplicationFactory,
    CardLinkFactory,
    CohortCoachFactory,
    CohortFactory,
    ConsentFactory,
    EnrolmentFactory,
    MembershipFactory,
)

PAGE_URLS = ("documents:participant", "documents:profile_save", "documents:cv_upload",
             "documents:cv_remove", "documents:cv", "documents:photo_upload",
             "documents:photo_remove", "documents:photo", "documents:consent_record",
             "documents:consent_withdraw", "documents:link_create", "documents:link_revoke")


def url(name, person, jc=None):
    return reverse(name, kwargs={"jc": jc or person.jobcenter.code, "pk": person.pk})


@pytest.fixture
def enrolment(jobcenter_a, coach):
    cohort = CohortFactory(programme__jobcenter=jobcenter_a)
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return EnrolmentFactory(cohort=cohort, participant__first_name="Ayşe",
                            participant__last_name="Yıldız")


@pytest.fixture
def person(enrolment):
    return enrolment.participant


def page(client, person):
    response = client.get(url("documents:participant", person))
    assert response.status_code == 200
    return response.content.decode()


def today():
    return timezone.localdate()


@pytest.mark.django_db
def test_the_page_shows_every_section_and_the_button_to_print_cards(client, coach, person):
    ApplicantProfileFactory(participant=person)
    ConsentFactory(participant=person)
    client.force_login(coach.user)
    html = page(client, person)
    for heading in ("Kurzprofil", "Lebenslauf", "Foto", "Einwilligung",
                    "Links der Bewerberkarte"):
        assert f">{heading}" in html, heading
    assert "Fachkraft für Lagerlogistik" in html  # the form holds the stored profile
    assert 'accept="application/pdf"' in html and "höchstens 5 MB" in html
    assert "nur, solange die Einwilligung der Person gilt" in html
    assert f'href="{url("documents:card_sheet", person)}"' in html
    assert "Neuen Link erstellen" in html
    # Defaults of a new consent: today, for a year.
    assert f'value="{today():%d.%m.%Y}"' in html
    assert f'value="{today() + timedelta(days=365):%d.%m.%Y}"' in html


@pytest.mark.django_db
def test_the_person_page_has_the_button_for_coaches(client, coach, person):
    client.force_login(coach.user)
    html = client.get(url("participants:detail", person)).content.decode()
    assert f'href="{url("documents:participant", person)}">Unterlagen</a>' in html


@pytest.mark.django_db
def test_the_short_profile_is_saved(client, coach, person):
    client.force_login(coach.user)
    response = client.post(url("documents:profile_save", person), {
        "wished_occupation": "Koch", "strengths": "kreativ", "availability": "ab sofort",
        "languages": "Deutsch, Polnisch", "contact_phone": "0231 1", "contact_email": ""},
        follow=True)
    html = response.content.decode()
    assert "Kurzprofil von Ayşe Yıldız gespeichert." in html
    assert 'value="Deutsch, Polnisch"' in html
    response = client.post(url("documents:profile_save", person), {
        "wished_occupation": "Koch", "contact_email": "keine-adresse"})
    assert response.status_code == 200
    assert response.context["profile_form"].errors["contact_email"]


@pytest.mark.django_db
def test_recording_a_consent_then_withdrawing_it_kills_every_link(client, coach, person):
    client.force_login(coach.user)
    valid_until = today() + timedelta(days=200)
    response = client.post(url("documents:consent_record", person), {
        "given_on": f"{today():%d.%m.%Y}", "valid_until": f"{valid_until:%d.%m.%Y}"},
        follow=True)
    assert f"Einwilligung von Ayşe Yıldız erfasst, gültig bis {valid_until:%d.%m.%Y}." in (
        response.content.decode())
    client.post(url("documents:link_create", person))
    client.post(url("documents:link_create", person))
    with scope(jobcenter=person.jobcenter):
        consent = Consent.objects.get(participant=person)
        assert consent.recorded_by == coach.user
        assert CardLink.objects.filter(participant=person).live().count() == 2
    html = page(client, person)
    assert html.count(">aktiv</span>") == 2
    response = client.post(url("documents:consent_withdraw", person),
                           {"consent": consent.pk}, follow=True)
    html = response.content.decode()
    assert "kein Link der Bewerberkarte öffnet sich mehr" in html
    with scope(jobcenter=person.jobcenter):
        consent.refresh_from_db()
        assert consent.withdrawn_on == today() and consent.withdrawn_by == coach.user
        assert not CardLink.objects.filter(participant=person).live().exists()
    assert html.count(">Einwilligung widerrufen</span>") == 2
    assert ">widerrufen</span> am " in html
    assert "Neuen Link erstellen" not in html  # no consent in force: no new link


@pytest.mark.django_db
def test_a_link_without_consent_is_refused_in_words(client, coach, person):
    client.force_login(coach.user)
    response = client.post(url("documents:link_create", person))
    assert "braucht die Einwilligung der Person" in response.content.decode()
    with scope(jobcenter=person.jobcenter):
        assert not CardLink.objects.exists()


@pytest.mark.django_db
def test_a_revoked_link_opens_no_more_and_says_so(client, coach, person):
    link = CardLinkFactory(consent__participant=person)
    other = CardLinkFactory(consent=link.consent, participant=person)
    client.force_login(coach.user)
    response = client.post(url("documents:link_revoke", person), {"link": link.pk},
                           follow=True)
    assert "Der Link wurde widerrufen" in response.content.decode()
    with scope(jobcenter=person.jobcenter):
        assert list(CardLink.objects.filter(participant=person).live()) == [other]
        link.refresh_from_db()
    assert link.revoked_by == coach.user


@pytest.mark.django_db
def test_a_link_of_another_person_cannot_be_revoked_from_this_page(client, coach, person):
    stranger = CardLinkFactory(consent__participant__jobcenter=person.jobcenter)
    client.force_login(coach.user)
    response = client.post(url("documents:link_revoke", person), {"link": stranger.pk})
    assert "Diesen Eintrag gibt es nicht mehr." in response.content.decode()
    with scope(jobcenter=person.jobcenter):
        stranger.refresh_from_db()
    assert stranger.revoked_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(("given", "until", "field", "message"), [
    (0, -1, "valid_until", "Die Einwilligung kann nicht enden, bevor sie erteilt wurde."),
    (3, 300, "given_on", "Die Einwilligung kann nicht in der Zukunft erteilt worden sein."),
    (-400, -30, "valid_until", "Dieses Datum liegt in der Vergangenheit."),
])
def test_bad_consent_dates_are_named_next_to_the_field(client, coach, person, given, until,
                                                       field, message):
    client.force_login(coach.user)
    given_on, valid_until = today() + timedelta(days=given), today() + timedelta(days=until)
    response = client.post(url("documents:consent_record", person), {
        "given_on": f"{given_on:%d.%m.%Y}", "valid_until": f"{valid_until:%d.%m.%Y}"})
    assert response.status_code == 200
    assert response.context["consent_form"].errors[field] == [message]
    html = response.content.decode()
    assert message in html
    assert f'value="{valid_until:%d.%m.%Y}"' in html  # what was typed is kept
    with scope(jobcenter=person.jobcenter):
        assert not Consent.objects.exists()


@pytest.mark.django_db
def test_the_links_show_status_and_openings_without_a_query_per_link(
        client, coach, person, django_assert_max_num_queries):
    consent = ConsentFactory(participant=person)
    links = [CardLinkFactory(consent=consent, participant=person) for _ in range(4)]
    CardLinkFactory(consent=consent, participant=person,
                    expires_on=today() - timedelta(days=1))
    for n, link in enumerate(links):
        for _ in range(n):
            CardLinkOpening.objects.create(jobcenter=person.jobcenter, link=link)
    client.force_login(coach.user)
    client.get(url("documents:participant", person))  # session and caches warm
    with django_assert_max_num_queries(16):
        html = page(client, person)
    assert ">abgelaufen</span>" in html and html.count(">aktiv</span>") == 4
    with scope(jobcenter=person.jobcenter):
        last = CardLinkOpening.objects.filter(link=links[3]).first().opened_at
    assert f"zuletzt {timezone.localtime(last):%d.%m.%Y %H:%M}" in html


# Who reaches the page.


def every_url_answers(client, person, status, jc=None):
    wrong = []
    for name in PAGE_URLS:
        for method in (client.get, client.post):
            answer = method(url(name, person, jc)).status_code
            if answer != status:
                wrong.append((name, method.__name__, answer))
    return wrong


@pytest.mark.django_db
def test_the_coach_of_the_group_and_the_team_lead_open_the_page(client, coach, team_lead,
                                                                person):
    for member in (coach, team_lead):
        client.force_login(member.user)
        assert client.get(url("documents:participant", person)).status_code == 200


@pytest.mark.django_db
def test_a_coach_of_another_group_gets_404_everywhere(client, jobcenter_a, person):
    other = MembershipFactory(jobcenter=jobcenter_a, role=Role.COACH)
    CohortCoachFactory(cohort=CohortFactory(programme__jobcenter=jobcenter_a), user=other.user)
    client.force_login(other.user)
    assert every_url_answers(client, person, 404) == []


@pytest.mark.django_db
def test_another_jobcenter_gets_404_everywhere(client, outsider, person):
    client.force_login(outsider.user)
    assert every_url_answers(client, person, 404, jc="jc-b") == []
    assert every_url_answers(client, person, 404) == []


@pytest.mark.django_db
def test_employer_service_and_admin_get_403_everywhere(client, employer_service, jc_admin,
                                                       person, enrolment):
    ApplicationFactory(enrolment=enrolment)  # in the pipeline
    for member in (employer_service, jc_admin):
        client.force_login(member.user)
        assert every_url_answers(client, person, 403) == [], member.role


# What the employer service sees on a pipeline person's page.


@pytest.mark.django_db
def test_the_employer_service_sees_that_a_card_exists_and_nothing_else(
        client, employer_service, person, enrolment):
    ApplicationFactory(enrolment=enrolment)
    link = CardLinkFactory(consent__participant=person,
                           expires_on=today() + timedelta(days=40))
    ApplicantProfileFactory(participant=person)
    client.force_login(employer_service.user)
    html = client.get(url("participants:detail", person)).content.decode()
    expires = today() + timedelta(days=40)
    assert "Digitale Bewerberkarte:" in html
    assert f"vorhanden (gültig bis {expires:%d.%m.%Y})" in html
    assert link.token not in html and "/card/" not in html
    assert "Fachkraft für Lagerlogistik" not in html
    assert url("documents:participant", person) not in html  # no button to the documents


@pytest.mark.django_db
def test_no_box_without_a_live_link(client, employer_service, person, enrolment):
    ApplicationFactory(enrolment=enrolment)
    CardLinkFactory(consent__participant=person, revoked_at=timezone.now())
    CardLinkFactory(consent__participant=person, consent__withdrawn_on=today())
    client.force_login(employer_service.user)
    html = client.get(url("participants:detail", person)).content.decode()
    assert "Digitale Bewerberkarte" not in html


@pytest.mark.django_db
def test_a_person_outside_the_pipeline_stays_hidden_from_the_employer_service(
        client, employer_service, person):
    CardLinkFactory(consent__participant=person)
    client.force_login(employer_service.user)
    assert client.get(url("participants:detail", person)).status_code == 404
