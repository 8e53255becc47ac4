"""The card's public page for employers: opens only with a live link, shows the short
profile and nothing else, is not indexed or cached, logs each opening with its time only,
offers the CV and an answer that lands with the employer service, and is rate-limited."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from coaching.models import Attendance
from documents import public_views
from documents.models import CardLinkOpening
from documents.services import consent_withdraw, link_revoke
from employers.models import EmployerActivity
from participants.models import Participant
from tests.factories import (
    ApplicantProfileFactory,
    AttendanceFactory,
    CardLinkFactory,
    CohortFactory,
    EnrolmentFactory,
    IndividualSessionFactory,
)

CV = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
VISITOR = "203.0.113.77"  # the employer's address, which must not be stored anywhere
ANSWER = {"company": "Logistik Nord GmbH", "contact_person": "Frau Peters",
          "contact": "peters@logistik-nord.example", "message": "Wir suchen ab März."}


@pytest.fixture
def link(jobcenter_a):
    """A live link of Maria Jäger (in group WA-MARKER), with marker values on everything
    the page must not show."""
    cohort = CohortFactory(programme__jobcenter=jobcenter_a, code="WA-MARKER")
    enrolment = EnrolmentFactory(
        cohort=cohort, participant__first_name="Maria", participant__last_name="Jäger",
        participant__customer_number="987D654321", participant__birth_year=1979,
        participant__notes="MARKER-NOTES", participant__long_term_unemployed=True,
        participant__single_parent=True, participant__refugee=True,
        participant__health_limitations=True)
    person = enrolment.participant
    AttendanceFactory(session__cohort=cohort, enrolment=enrolment,
                      status=Attendance.Status.EXCUSED, note="MARKER-ATTENDANCE")
    IndividualSessionFactory(enrolment=enrolment, confidential_note="MARKER-COACHING")
    ApplicantProfileFactory(participant=person, contact_email="maria.jaeger@example.org")
    return CardLinkFactory(consent__participant=person)


def page_url(link, name="card:page"):
    return reverse(name, kwargs={"token": link.token})


def get(client, url, **extra):
    return client.get(url, REMOTE_ADDR=VISITOR, **extra)


def openings(link):
    with scopes_disabled():
        return list(CardLinkOpening.objects.filter(link=link).values_list("what", flat=True))


def add_cv(link):
    with scopes_disabled():
        profile = link.participant.applicant_profile
        profile.cv.save("lebenslauf.pdf", ContentFile(CV))
        profile.cv_name = "lebenslauf.pdf"
        profile.save()


@pytest.mark.django_db
def test_a_live_link_shows_the_short_profile_not_indexed_not_cached(client, link):
    response = get(client, page_url(link))
    html = response.content.decode()
    assert response.status_code == 200
    for shown in ("Maria Jäger", "Fachkraft für Lagerlogistik", "zuverlässig, Staplerschein",
                  "ab sofort, Vollzeit", "Deutsch (B2), Türkisch", "0231 123456",
                  "maria.jaeger@example.org", "Jobcenter A-Stadt", "Kontakt aufnehmen"):
        assert shown in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"  # no token to other sites
    assert '<html lang="de">' in html
    # No staff navigation or links into the application.
    assert "/jc-a/" not in html and "Abmelden" not in html


@pytest.mark.django_db
def test_each_opening_is_logged_with_its_time_and_no_address(client, link):
    before = timezone.now()
    get(client, page_url(link))
    get(client, page_url(link))
    with scopes_disabled():
        logged = list(CardLinkOpening.objects.filter(link=link))
    assert [o.what for o in logged] == ["page", "page"]
    assert all(o.opened_at >= before for o in logged)
    fields = {f.name for f in CardLinkOpening._meta.concrete_fields}
    # An answer's opening names the activity it created, nothing about the visitor.
    assert fields == {"id", "jobcenter", "link", "opened_at", "what", "activity"}
    assert not LogEntry.objects.filter(remote_addr=VISITOR).exists()


@pytest.mark.django_db
def test_the_page_shows_nothing_else_about_the_person(client, link):
    html = get(client, page_url(link)).content.decode()
    for hidden in ("987D654321", "1979", "MARKER-NOTES", "MARKER-ATTENDANCE",
                   "MARKER-COACHING", "WA-MARKER", "Kundennummer", "Geburtsjahr",
                   "langzeitarbeitslos", "alleinerziehend", "geflüchtet",
                   "gesundheitliche Einschränkungen", "Entschuldigt", "Anwesenheit",
                   "Coaching", "Gruppe"):
        assert hidden not in html, hidden


@pytest.mark.django_db
@pytest.mark.parametrize("ended", ["expired", "revoked", "consent withdrawn",
                                   "consent expired", "anonymised", "unknown token"])
def test_an_ended_link_answers_404(client, link, ended):
    add_cv(link)
    today = timezone.localdate()
    with scopes_disabled():
        if ended == "expired":
            link.expires_on = today - timedelta(days=1)
            link.save()
        elif ended == "revoked":
            link_revoke(link=link, by=None)
        elif ended == "consent withdrawn":
            consent_withdraw(consent=link.consent, by=None)
        elif ended == "consent expired":
            link.consent.given_on = today - timedelta(days=30)
            link.consent.valid_until = today - timedelta(days=1)
            link.consent.save()
        elif ended == "anonymised":
            Participant.objects.filter(pk=link.participant_id).update(
                anonymised_at=timezone.now())
    token = "x" * 32 if ended == "unknown token" else link.token
    for name in ("card:page", "card:cv"):
        response = get(client, reverse(name, kwargs={"token": token}))
        assert response.status_code == 404
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "Maria" not in response.content.decode()
    answer = client.post(reverse("card:reply", kwargs={"token": token}), ANSWER,
                         REMOTE_ADDR=VISITOR)
    assert answer.status_code == 404
    assert openings(link) == []
    with scopes_disabled():
        assert not EmployerActivity.objects.exists()


@pytest.mark.django_db
def test_the_cv_downloads_as_a_pdf_and_is_logged(client, link):
    add_cv(link)
    html = get(client, page_url(link)).content.decode()
    assert page_url(link, "card:cv") in html
    response = get(client, page_url(link, "card:cv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "lebenslauf-maria-jaeger.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == CV
    assert sorted(openings(link)) == ["cv", "page"]


@pytest.mark.django_db
def test_without_a_cv_no_download(client, link):
    html = get(client, page_url(link)).content.decode()
    assert page_url(link, "card:cv") not in html
    assert "Lebenslauf herunterladen" not in html
    assert get(client, page_url(link, "card:cv")).status_code == 404
    assert openings(link) == ["page"]


@pytest.mark.django_db
def test_the_answer_lands_on_the_employer_services_due_list(client, link, employer_service):
    response = client.post(page_url(link, "card:reply"), ANSWER, REMOTE_ADDR=VISITOR)
    assert response.status_code == 200
    assert "Vielen Dank" in response.content.decode()
    assert sorted(openings(link)) == ["reply"]
    with scope(jobcenter=employer_service.jobcenter):
        [activity] = EmployerActivity.objects.visible_to(employer_service)
        assert activity.kind == EmployerActivity.Kind.CARD_REPLY
        assert activity.employer is None and activity.by is None
        assert activity.cohort.code == "WA-MARKER"
        assert activity.happened_on == activity.next_step_due_on == timezone.localdate()
        assert activity.outcome.startswith("Antwort auf die Bewerberkarte von Maria Jäger")
        for detail in ANSWER.values():
            assert detail in activity.outcome
        assert activity.next_step == "Arbeitgeber antworten"
    assert not LogEntry.objects.filter(remote_addr=VISITOR).exists()
    client.force_login(employer_service.user)
    due = client.get(reverse("employers:due", kwargs={"jc": "jc-a"})).content.decode()
    assert "Arbeitgeber antworten" in due
    assert "Antwort auf die Bewerberkarte von Maria Jäger" in due
    assert "Logistik Nord GmbH" in due and "peters@logistik-nord.example" in due
    assert "über die Bewerberkarte" in due
    assert "None" not in due


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "error"), [
    ("company", "", "Dieses Feld ist zwingend erforderlich."),
    ("contact", "irgendwann", "E-Mail-Adresse oder eine Telefonnummer"),
    ("contact", "peters@", "gültige E-Mail-Adresse"),
    ("message", "x" * 2001, "höchstens 2000 Zeichen"),
])
def test_a_bad_answer_shows_german_errors_and_creates_nothing(client, link, field, value,
                                                              error):
    response = client.post(page_url(link, "card:reply"), {**ANSWER, field: value},
                           REMOTE_ADDR=VISITOR)
    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert f'id="id_{field}"' in html and 'aria-invalid="true"' in html
    assert ANSWER["company"] in html or field == "company"  # what was typed is kept
    with scopes_disabled():
        assert not EmployerActivity.objects.exists()
    assert openings(link) == []


@pytest.mark.django_db
def test_a_filled_in_hidden_field_is_thanked_but_not_recorded(client, link):
    response = client.post(page_url(link, "card:reply"), {**ANSWER, "website": "spam.example"},
                           REMOTE_ADDR=VISITOR)
    assert response.status_code == 200
    with scopes_disabled():
        assert not EmployerActivity.objects.exists()


@pytest.mark.django_db
def test_the_answer_needs_the_csrf_token(link):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(page_url(link, "card:reply"), ANSWER).status_code == 403
    page = strict.get(page_url(link))
    token = page.cookies["csrftoken"].value
    assert strict.post(page_url(link, "card:reply"),
                       {**ANSWER, "csrfmiddlewaretoken": token}).status_code == 200


@pytest.mark.django_db
def test_too_many_openings_answer_429(client, link, monkeypatch):
    monkeypatch.setattr(public_views, "PAGE_RATE", "3/m")
    assert [get(client, page_url(link)).status_code for _ in range(3)] == [200] * 3
    limited = get(client, page_url(link))
    assert limited.status_code == 429
    assert "Zu viele Anfragen" in limited.content.decode()
    assert limited["X-Robots-Tag"] == "noindex, nofollow"
    # Guessing other tokens counts too; another address is not limited.
    assert get(client, reverse("card:page", kwargs={"token": "y" * 32})).status_code == 429
    assert client.get(page_url(link), REMOTE_ADDR="198.51.100.1").status_code == 200
    assert openings(link).count("page") == 4


@pytest.mark.django_db
def test_too_many_answers_answer_429(client, link):
    for _ in range(5):
        assert client.post(page_url(link, "card:reply"), ANSWER,
                           REMOTE_ADDR=VISITOR).status_code == 200
    limited = client.post(page_url(link, "card:reply"), ANSWER, REMOTE_ADDR=VISITOR)
    assert limited.status_code == 429
    with scopes_disabled():
        assert EmployerActivity.objects.count() == 5
    assert get(client, page_url(link)).status_code == 200  # the page itself still opens


def test_behind_a_proxy_the_limit_counts_the_address_the_proxy_saw(rf, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    forged = rf.get("/", REMOTE_ADDR="10.0.0.2",
                    HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    assert public_views.client_key("card-page", forged) == "198.51.100.9"
    settings.AXES_IPWARE_PROXY_COUNT = 0
    assert public_views.client_key("card-page", forged) == "10.0.0.2"


@pytest.mark.django_db
def test_the_employer_service_marks_the_answer_done(client, link, employer_service):
    client.post(page_url(link, "card:reply"), ANSWER, REMOTE_ADDR=VISITOR)
    with scopes_disabled():
        activity = EmployerActivity.objects.get()
    client.force_login(employer_service.user)
    done = client.post(reverse("employers:activity_done", kwargs={"jc": "jc-a",
                                                                  "pk": activity.pk}))
    assert done.status_code == 302
    activity.refresh_from_db()
    assert activity.next_step_done_by == employer_service.user
    due = client.get(reverse("employers:due", kwargs={"jc": "jc-a"})).content.decode()
    assert "Maria Jäger" not in due
